"""The daily check-in call: "Are you all right today?" Fine -> logged, and today's medicines
and appointments mentioned; not well -> a call-back request; help -> the help flow."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from assistant.db.models import OPEN_ORDER_STATUSES, Appointment
from assistant.dialog import steps
from assistant.dialog.context import Ctx
from assistant.dialog.flows.medicine import schedule_text
from assistant.dialog.states import State
from assistant.nlu import Expectation
from assistant.services import medication as meds
from assistant.services.outbound import record_answer

SILENCES_BEFORE_GIVING_UP = 2


def greeting_values(ctx: Ctx) -> dict[str, Any]:
    hour = ctx.local_now.hour
    part = "morning" if hour < 12 else "afternoon" if hour < 18 else "evening"
    return {"part_of_day": ctx.text(f"part.{part}")}


def fine(ctx: Ctx) -> str:
    record_answer(ctx.db, ctx.rt, ctx.slots["task_id"], "fine", now=ctx.now)
    ctx.say("checkin.fine")
    elder = ctx.elder
    if meds.active_medications(elder):
        ctx.say("medicine.schedule", schedule=schedule_text(ctx), options="")
    today = ctx.local_now.date()
    upcoming = ctx.db.scalars(select(Appointment).where(
        Appointment.elder_id == elder.id, Appointment.day.in_([today, today + timedelta(days=1)]),
        Appointment.status.in_(OPEN_ORDER_STATUSES)))
    for appointment in upcoming:
        slots = {"date": appointment.day.isoformat(), "part_of_day": appointment.part_of_day,
                 "time": appointment.time}
        ctx.say("checkin.appointment", doctor=appointment.doctor.name if appointment.doctor else "",
                when=steps.spoken_when(ctx, slots))
    return "menu.anything_else"


def silence(ctx: Ctx) -> str:
    ctx.slots["silences"] = ctx.slots.get("silences", 0) + 1
    if ctx.slots["silences"] >= SILENCES_BEFORE_GIVING_UP:
        return "checkin.no_response"
    ctx.say("sorry.silence")
    return "checkin.start"


def no_response(ctx: Ctx) -> str:
    record_answer(ctx.db, ctx.rt, ctx.slots["task_id"], "no_response", now=ctx.now)
    return ""


STATES = [
    State("checkin.start", prompt="checkin.start", values=greeting_values, choices=steps.yes_no,
          read_choices=False, expect=Expectation(intents=("yes", "no", "feeling_ok", "feeling_unwell")),
          on={"yes": fine, "feeling_ok": fine, "no": "help.callback", "feeling_unwell": "help.callback"},
          timeout=silence, goes_to=("menu.anything_else", "checkin.no_response", "checkin.start"),
          confirm_unsure=True),
    State("checkin.no_response", prompt="checkin.no_response", enter=no_response, final=True),
]
