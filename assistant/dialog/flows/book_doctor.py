"""Book a doctor: her family doctor unless she names one, a day and part of day, read back
and confirmed; then the request is stored and the clinic (or the volunteers) told."""
from __future__ import annotations

from typing import Any

from assistant.db.models import OrderKind
from assistant.dialog import steps
from assistant.dialog.context import Ctx
from assistant.dialog.flows.menu import begin_task
from assistant.dialog.states import State
from assistant.nlu import Expectation
from assistant.services import orders

SLOTS = ("doctor", "date", "part_of_day", "time")


def start(ctx: Ctx) -> str:
    begin_task(ctx)
    ctx.take_slots(*SLOTS)
    elder = ctx.elder
    if "doctor" not in ctx.slots and elder is not None and elder.doctor is not None:
        ctx.slots["doctor"] = elder.doctor.name
    return route(ctx)


def route(ctx: Ctx) -> str:
    if "date" not in ctx.slots:
        return "book_doctor.ask_day"
    if "part_of_day" not in ctx.slots and "time" not in ctx.slots:
        return "book_doctor.ask_part"
    return "book_doctor.confirm"


def confirm_values(ctx: Ctx) -> dict[str, Any]:
    return {"doctor": ctx.slots.get("doctor") or ctx.text("book_doctor.any_doctor"),
            "when": steps.spoken_when(ctx, ctx.slots)}


def correct(ctx: Ctx) -> str:
    ctx.take_slots(*SLOTS)
    if ctx.understanding and ("time" in ctx.understanding.slots or "part_of_day" in ctx.understanding.slots):
        ctx.slots.pop("time" if "part_of_day" in ctx.understanding.slots else "part_of_day", None)
    return route(ctx)


def book(ctx: Ctx) -> str:
    appointment = orders.request_appointment(
        ctx.db, ctx.rt, elder=ctx.elder, caller_phone=ctx.caller, doctor_name=ctx.slots.get("doctor"),
        day=ctx.slots["date"], part_of_day=ctx.slots.get("part_of_day", ""),
        time=ctx.slots.get("time", ""), now=ctx.now, call_id=ctx.call_id)
    ctx.slots["last_order"] = {"kind": OrderKind.APPOINTMENT, "id": appointment.id}
    ctx.say("book_doctor.done")
    if ctx.elder is None:
        ctx.say("menu.new_caller")
    return "menu.anything_else"


ROUTES = ("book_doctor.ask_day", "book_doctor.ask_part", "book_doctor.confirm")

STATES = [
    State("book_doctor.start", enter=start, goes_to=ROUTES),
    State("book_doctor.route", enter=route, goes_to=ROUTES),
    steps.ask_day("book_doctor", "book_doctor.route"),
    steps.ask_part_of_day("book_doctor", "book_doctor.route"),
    State("book_doctor.confirm", prompt="book_doctor.confirm", values=confirm_values, choices=steps.yes_no, read_choices=False,
          expect=Expectation(intents=("yes", "no"), slots=SLOTS),
          on={"yes": book, "slots": correct, "book_doctor": correct,
              "no": steps.start_over(SLOTS, ("date", "part_of_day", "time"), correct=correct, route=route)},
          goes_to=("menu.anything_else", *ROUTES), confirm_unsure=True),
]
