"""Say back what was heard: the implicit confirmation of a spoken answer.

The reply to a spoken answer starts with what was understood, in a few words ("Lunch,
tomorrow."), so that a caller knows at once she was heard right, and can say "no" or press
star if not. Only by voice, only for answers that carry something to say back (a choice said
in words, the slots of a request, or a request itself), and not when the reply already says
it all back (a confirmation step), nor for help, a read-back, or a misunderstanding.
"""
from __future__ import annotations

from datetime import date

from assistant import wording
from assistant.dialog.context import Ctx

NOT_SAID_BACK = frozenset({"", "help", "operator", "repeat", "goodbye", "yes", "no"})
SLOT_ORDER = ("meal", "quantity", "doctor", "medication", "date", "part_of_day", "time")
ECHOED_INTENTS = frozenset({"book_doctor", "order_meal", "medicine_reminder"})
"""Requests said back by name when no slot came with them ("A doctor's appointment.")."""


def heard_back(ctx: Ctx, key: str) -> str:
    """What to say back of this turn's spoken answer (understood as `key`), "" for nothing."""
    if ctx.by_text or key in NOT_SAID_BACK or not ctx.reply.understood:
        return ""
    words = _words(ctx, key)
    if not words:
        return ""
    said = " ".join(ctx.reply.lines).casefold()
    if all(word.casefold() in said for word in words):
        return ""
    phrase = ctx.text("echo.separator").join(words)
    return ctx.text("echo.heard", heard=phrase[:1].upper() + phrase[1:])


def _words(ctx: Ctx, key: str) -> list[str]:
    if ctx.choice is not None and ctx.choice.label and ctx.choice.value not in ("yes", "no"):
        return [ctx.choice.label]
    u = ctx.understanding
    if u is None:
        return []
    words = [word for slot in SLOT_ORDER if slot in u.slots and (word := _slot_words(ctx, slot, u.slots))]
    if not words and key == u.intent and u.intent in ECHOED_INTENTS:
        words = [ctx.text(f"echo.{u.intent}")]
    return words


def _slot_words(ctx: Ctx, slot: str, slots: dict[str, object]) -> str:
    value = slots[slot]
    languages = ctx.rt.languages
    if slot == "meal":
        return wording.meal_text(languages, ctx.lang, str(value), ctx.channel)
    if slot == "quantity":
        return ctx.text("echo.quantity", quantity=value) if int(str(value)) > 1 else ""
    if slot == "date":
        return wording.day_label(languages, ctx.lang, date.fromisoformat(str(value)), ctx.today, ctx.channel)
    if slot == "part_of_day":
        return "" if "time" in slots else languages.render(ctx.lang, f"part.{value}", ctx.channel)
    if slot == "time":
        return ctx.text("echo.time", time=value)
    return str(value)
