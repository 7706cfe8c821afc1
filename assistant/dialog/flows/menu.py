"""Greeting and main menu: who is calling, in which language, and what they want."""
from __future__ import annotations

from sqlalchemy import select

from assistant.db.models import Elder, OrderKind
from assistant.dialog import steps
from assistant.dialog.context import Ctx
from assistant.dialog.model import Choice
from assistant.dialog.states import State
from assistant.nlu import Expectation
from assistant.services import orders

MAIN_MENU = "menu.main"
MAIN_TABLE = {"book_doctor": "book_doctor.start", "order_meal": "order_meal.start",
              "medicine_reminder": "medicine.start", "medicine_taken": "medicine.start",
              "feeling_unwell": "help.callback", "feeling_ok": "menu.feeling_ok"}
MAIN_INTENTS = tuple(MAIN_TABLE)
KEEP_SLOTS = ("task_id", "last_order")
"""Slots that outlive one task in a conversation; the rest are dropped when a task starts."""


def begin_task(ctx: Ctx) -> None:
    ctx.slots = {k: v for k, v in ctx.slots.items() if k in KEEP_SLOTS}


def elders_on_phone(ctx: Ctx) -> list[Elder]:
    return list(ctx.db.scalars(select(Elder).where(Elder.phone == ctx.caller, Elder.active.is_(True))
                               .order_by(Elder.id)))


def identify(ctx: Ctx) -> str:
    if ctx.conv.elder_id:
        return "menu.greet"
    elders = elders_on_phone(ctx)
    if len(elders) > 1:
        return "menu.who"
    if elders:
        ctx.conv.elder_id, ctx.conv.language = elders[0].id, elders[0].language
        return "menu.greet"
    if ctx.by_text:
        ctx.conv.language = _written_in(ctx)
        return "menu.greet"
    return "menu.language"


def _written_in(ctx: Ctx) -> str:
    """The language what she said is written in, when its script shows it; else the default."""
    return ctx.rt.languages.detect(ctx.heard) or ctx.rt.languages.default


def languages(ctx: Ctx) -> list[Choice]:
    """Every language, each offered in its own words."""
    spoken = ctx.rt.languages
    return [Choice(str(i), code, spoken.name(code), lang=code) for i, code in enumerate(spoken.codes, 1)]


def choose_language(ctx: Ctx) -> str:
    ctx.conv.language = ctx.choice.value if ctx.choice else _written_in(ctx)
    return "menu.greet"


def who_choices(ctx: Ctx) -> list[Choice]:
    return [Choice(str(i), str(e.id), e.name) for i, e in enumerate(elders_on_phone(ctx), 1)]


def choose_elder(ctx: Ctx) -> str:
    elder = ctx.db.get(Elder, int(ctx.choice.value))
    ctx.conv.elder_id, ctx.conv.language = elder.id, elder.language
    return "menu.greet"


def greet(ctx: Ctx) -> str:
    ctx.say("menu.greeting" if ctx.elder else "menu.greeting_unknown")
    return "menu.main"


def main_choices(ctx: Ctx) -> list[Choice]:
    return [Choice("1", "book_doctor", ctx.text("what.book_doctor")),
            Choice("2", "order_meal", ctx.text("what.order_meal")),
            Choice("3", "medicine_reminder", ctx.text("what.medicine_reminder"))]


def feeling_ok(ctx: Ctx) -> str:
    ctx.say("menu.feeling_ok")
    return "menu.anything_else"


def cancel(ctx: Ctx) -> str:
    """Undo the booking or order being made, or else the one just placed in this conversation."""
    last = ctx.slots.get("last_order")
    drafting = ctx.came_from.split(".")[0] in ("book_doctor", "order_meal")
    begin_task(ctx)
    if drafting:
        ctx.say("menu.cancelled")
    elif last and last.get("kind") in set(OrderKind) and orders.cancel(
            ctx.db, OrderKind(last["kind"]), last["id"], actor=f"phone:{ctx.caller}", now=ctx.now):
        ctx.slots.pop("last_order", None)
        ctx.say("menu.cancelled")
    else:
        ctx.say("menu.nothing_to_cancel")
    return "menu.anything_else"


STATES = [
    State("menu.start", enter=identify, goes_to=("menu.greet", "menu.who", "menu.language")),
    State("menu.language", prompt="language.choose", choices=languages,
          on={"choice": choose_language}, fallback=choose_language, goes_to=("menu.greet",)),
    State("menu.who", prompt="menu.who", choices=who_choices, on={"choice": choose_elder},
          goes_to=("menu.greet",)),
    State("menu.greet", enter=greet, goes_to=("menu.main",)),
    State(MAIN_MENU, prompt="menu.main", choices=main_choices, read_choices=False, expect=Expectation(intents=MAIN_INTENTS),
          on=MAIN_TABLE, confirm_unsure=True),
    State("menu.anything_else", prompt="menu.anything_else", choices=steps.yes_no, read_choices=False,
          expect=Expectation(intents=("yes", "no", *MAIN_INTENTS)),
          on={**MAIN_TABLE, "yes": "menu.main", "no": "menu.goodbye"}, confirm_unsure=True),
    State("menu.feeling_ok", enter=feeling_ok, goes_to=("menu.anything_else",)),
    State("menu.cancel", enter=cancel, goes_to=("menu.anything_else",)),
    State("menu.goodbye", prompt="menu.goodbye", final=True),
]
