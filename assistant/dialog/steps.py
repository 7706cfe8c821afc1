"""Steps more than one flow takes: yes/no, which day, which part of the day, dialling a
volunteer in turn, and how days are read back. One definition each, used by every flow."""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from assistant import wording
from assistant.dialog.context import Ctx
from assistant.dialog.model import Choice, Dial
from assistant.dialog.states import Handler, State
from assistant.nlu import Expectation
from assistant.services.help import on_call_volunteers

DAYS_OFFERED = 7
RING_SECONDS = 20


def yes_no(ctx: Ctx) -> list[Choice]:
    return [Choice("1", "yes", ctx.text("choice.yes")), Choice("2", "no", ctx.text("choice.no"))]


def labelled(ctx: Ctx, prefix: str, values: list[str]) -> list[Choice]:
    """Choices 1, 2, 3... whose labels are the prompts `<prefix>.<value>`."""
    return [Choice(str(i), value, ctx.text(f"{prefix}.{value}")) for i, value in enumerate(values, 1)]


def day_label(ctx: Ctx, day: date) -> str:
    return wording.day_label(ctx.rt.languages, ctx.lang, day, ctx.today, ctx.channel)


def days(ctx: Ctx) -> list[Choice]:
    today = ctx.today
    return [Choice(str(i + 1), (today + timedelta(days=i)).isoformat(),
                   day_label(ctx, today + timedelta(days=i))) for i in range(DAYS_OFFERED)]


def parts_of_day(ctx: Ctx) -> list[Choice]:
    return labelled(ctx, "part", ["morning", "afternoon"])


def spoken_day(ctx: Ctx, iso: str) -> str:
    """"tomorrow, Tuesday the 24th" / "明天，11月24日星期二"."""
    return wording.day_text(ctx.rt.languages, ctx.lang, date.fromisoformat(iso), ctx.today, ctx.channel)


def spoken_when(ctx: Ctx, slots: dict[str, Any]) -> str:
    """The day with its part of day or clock time, as read back to the caller."""
    return wording.when_text(ctx.rt.languages, ctx.lang, date.fromisoformat(slots["date"]), ctx.today,
                             part_of_day=slots.get("part_of_day") or "", time=slots.get("time") or "",
                             channel=ctx.channel)


def _take(slot: str, route: str) -> Handler:
    def take(ctx: Ctx) -> str:
        if ctx.choice is not None:
            ctx.slots[slot] = ctx.choice.value
        ctx.take_slots(slot, "date", "part_of_day", "time", "meal", "quantity", "doctor")
        return route
    return take


def ask_day(flow: str, route: str) -> State:
    take = _take("date", route)
    return State(f"{flow}.ask_day", prompt="ask.day", choices=days,
                 expect=Expectation(slots=("date", "part_of_day", "time")),
                 on={"choice": take, "slots": take}, goes_to=(route,))


def ask_part_of_day(flow: str, route: str) -> State:
    take = _take("part_of_day", route)
    return State(f"{flow}.ask_part", prompt="ask.part", choices=parts_of_day,
                 expect=Expectation(slots=("part_of_day", "time")),
                 on={"choice": take, "slots": take}, goes_to=(route,))


def start_over(slots: tuple[str, ...], cleared: tuple[str, ...], *, correct: Handler,
               route: Handler) -> Handler:
    """A "no" at a read-back: a plain "no" clears `cleared` and asks again; "no, Thursday"
    (a no that carries one of `slots`) is a correction."""
    def answer_no(ctx: Ctx) -> str:
        if ctx.understanding is not None and any(slot in ctx.understanding.slots for slot in slots):
            return correct(ctx)
        for slot in cleared:
            ctx.slots.pop(slot, None)
        return route(ctx)
    return answer_no


def dial_volunteers(name: str, *, exhausted: str, connected: str) -> State:
    """Ring the volunteers listed in slots["dial_numbers"] one after another, each for
    RING_SECONDS; `connected` when one answers, `exhausted` when none did."""
    def dial_next(ctx: Ctx) -> str:
        numbers = ctx.slots.get("dial_numbers", [])
        index = ctx.slots.get("dial_index", 0)
        if index >= len(numbers):
            return exhausted
        ctx.reply.action = Dial(numbers[index], RING_SECONDS)
        return ""

    def next_volunteer(ctx: Ctx) -> str:
        ctx.slots["dial_index"] = ctx.slots.get("dial_index", 0) + 1
        return name

    return State(name, enter=dial_next, waits_for_event=True,
                 on={"event:dial_answered": connected, "event:dial_failed": next_volunteer},
                 goes_to=(exhausted, name))


def prepare_dialling(ctx: Ctx) -> None:
    """Fix who will be rung, in rota order, so a retried webhook rings the same people."""
    ctx.slots["dial_numbers"] = [v.phone for v in on_call_volunteers(ctx.db)]
    ctx.slots["dial_index"] = 0
