"""Reminder calls: a medicine dose ("taken" or "later"), an appointment the day before."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from assistant.db.models import Appointment, HelpKind, Medication, OutboundTask, Severity
from assistant.dialog import steps
from assistant.dialog.context import Ctx
from assistant.dialog.model import Choice
from assistant.dialog.states import State
from assistant.nlu import Expectation
from assistant.services import help as help_service
from assistant.services.outbound import record_answer


def _task(ctx: Ctx) -> OutboundTask:
    return ctx.db.get(OutboundTask, ctx.slots["task_id"])


def _medications(ctx: Ctx) -> list[Medication]:
    """The medicines due at this reminder's dose time (one call covers them all)."""
    ids = _task(ctx).payload.get("medication_ids", [])
    return list(ctx.db.scalars(select(Medication).where(Medication.id.in_(ids)).order_by(Medication.id)))


def _names(ctx: Ctx) -> str:
    return ", ".join(m.name for m in _medications(ctx))


def medicine_values(ctx: Ctx) -> dict[str, Any]:
    return {"medication": _names(ctx), "dose": ", ".join(m.dose for m in _medications(ctx) if m.dose)}


def taken_or_later(ctx: Ctx) -> list[Choice]:
    return steps.labelled(ctx, "choice", ["taken", "later"])


def taken(ctx: Ctx) -> str:
    """The scheduler records the doses of the reminder's medicines as taken."""
    record_answer(ctx.db, ctx.rt, ctx.slots["task_id"], "taken", now=ctx.now)
    ctx.say("medicine.taken", medication=_names(ctx))
    return "menu.goodbye"


def later(ctx: Ctx) -> str:
    record_answer(ctx.db, ctx.rt, ctx.slots["task_id"], "later", now=ctx.now)
    ctx.say("reminder.later")
    return "menu.goodbye"


def appointment_values(ctx: Ctx) -> dict[str, Any]:
    appointment = ctx.db.get(Appointment, _task(ctx).payload.get("appointment_id"))
    slots = {"date": appointment.day.isoformat(), "part_of_day": appointment.part_of_day,
             "time": appointment.time}
    return {"doctor": appointment.doctor.name if appointment.doctor else ctx.text("book_doctor.any_doctor"),
            "when": steps.spoken_when(ctx, slots)}


def keep(ctx: Ctx) -> str:
    record_answer(ctx.db, ctx.rt, ctx.slots["task_id"], "fine", now=ctx.now)
    ctx.say("reminder.appointment_kept")
    return "menu.goodbye"


def change(ctx: Ctx) -> str:
    help_service.open_request(ctx.db, elder=ctx.elder, caller_phone=ctx.caller, kind=HelpKind.REQUEST,
                              severity=Severity.NORMAL, summary=ctx.heard, reason="change_appointment",
                              call_id=ctx.call_id)
    record_answer(ctx.db, ctx.rt, ctx.slots["task_id"], "fine", now=ctx.now)
    ctx.say("reminder.appointment_change")
    return "menu.goodbye"


STATES = [
    State("reminder.medicine", prompt="reminder.medicine", values=medicine_values, choices=taken_or_later,
          read_choices=False, expect=Expectation(intents=("medicine_taken", "yes", "no")),
          on={"medicine_taken": taken, "taken": taken, "yes": taken, "later": later, "no": later},
          goes_to=("menu.goodbye",), confirm_unsure=True),
    State("reminder.appointment", prompt="reminder.appointment", values=appointment_values,
          choices=steps.yes_no, read_choices=False, expect=Expectation(intents=("yes", "no", "cancel")),
          on={"yes": keep, "no": change, "cancel": change}, goes_to=("menu.goodbye",),
          confirm_unsure=True),
]
