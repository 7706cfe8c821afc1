"""Medicine: what she takes today and when; "I took it" marks the dose; "I ran out" becomes
a purchase for a volunteer; "change the time" becomes a request for a coordinator."""
from __future__ import annotations

from typing import Any

from assistant.db.models import HelpKind, Medication, OrderKind, Severity
from assistant.dialog.context import Ctx
from assistant.dialog.flows.menu import begin_task
from assistant.dialog.model import Choice
from assistant.dialog.states import State
from assistant.nlu import Expectation
from assistant.services import help as help_service
from assistant.services import medication as meds
from assistant.services import orders

OPTIONS = ["taken", "ran_out", "change_time", "menu"]


def start(ctx: Ctx) -> str:
    begin_task(ctx)
    ctx.take_slots("medication")
    elder = ctx.elder
    if elder is None or not meds.active_medications(elder):
        ctx.say("medicine.none")
        return "menu.anything_else"
    if ctx.understanding is not None and ctx.understanding.intent == "medicine_taken":
        return taken(ctx)
    return "medicine.schedule"


def schedule_text(ctx: Ctx) -> str:
    doses = [ctx.text("medicine.dose", medication=m.name, times=", ".join(m.times))
             for m in meds.active_medications(ctx.elder)]
    return "; ".join(doses)


def schedule_values(ctx: Ctx) -> dict[str, Any]:
    return {"schedule": schedule_text(ctx), "options": ctx.text("medicine.options")}


def option_choices(ctx: Ctx) -> list[Choice]:
    return [Choice(str(i), value, ctx.text(f"medicine.label.{value}"))
            for i, value in enumerate(OPTIONS, 1)]


def _named_medication(ctx: Ctx) -> Medication | None:
    name = ctx.slots.get("medication")
    return next((m for m in meds.active_medications(ctx.elder) if m.name == name), None)


def taken(ctx: Ctx) -> str:
    ctx.slots["purpose"] = "taken"
    ctx.take_slots("medication")
    medication = _named_medication(ctx) or meds.due_medication(ctx.elder, ctx.local_now)
    if medication is None:
        return "medicine.which"
    ctx.slots["medication"] = medication.name
    return "medicine.mark_taken"


def ran_out(ctx: Ctx) -> str:
    ctx.slots["purpose"] = "ran_out"
    ctx.take_slots("medication")
    active = meds.active_medications(ctx.elder)
    if _named_medication(ctx) is None and len(active) > 1:
        return "medicine.which"
    ctx.slots["medication"] = (_named_medication(ctx) or active[0]).name
    return "medicine.buy"


def which_choices(ctx: Ctx) -> list[Choice]:
    return [Choice(str(i), m.name, m.name) for i, m in enumerate(meds.active_medications(ctx.elder), 1)]


def which_chosen(ctx: Ctx) -> str:
    if ctx.choice is not None:
        ctx.slots["medication"] = ctx.choice.value
    ctx.take_slots("medication")
    if _named_medication(ctx) is None:
        return "medicine.which"
    return "medicine.mark_taken" if ctx.slots.get("purpose") == "taken" else "medicine.buy"


def mark_taken(ctx: Ctx) -> str:
    medication = _named_medication(ctx)
    meds.mark_taken(ctx.db, medication, ctx.local_now, source="sms" if ctx.by_text else "call")
    ctx.say("medicine.taken", medication=medication.name)
    return "menu.anything_else"


def buy(ctx: Ctx) -> str:
    medication = _named_medication(ctx)
    purchase = orders.request_purchase(ctx.db, elder=ctx.elder, item=medication.name,
                                       medication_id=medication.id, call_id=ctx.call_id)
    ctx.slots["last_order"] = {"kind": OrderKind.PURCHASE, "id": purchase.id}
    ctx.say("medicine.ran_out", medication=medication.name)
    return "menu.anything_else"


def change_time(ctx: Ctx) -> str:
    help_service.open_request(ctx.db, elder=ctx.elder, caller_phone=ctx.caller, kind=HelpKind.REQUEST,
                              severity=Severity.NORMAL, summary=ctx.heard, reason="change_medicine_time",
                              call_id=ctx.call_id)
    ctx.say("medicine.change_time")
    return "menu.anything_else"


STATES = [
    State("medicine.start", enter=start,
          goes_to=("medicine.schedule", "medicine.which", "medicine.mark_taken", "menu.anything_else")),
    State("medicine.schedule", prompt="medicine.schedule", values=schedule_values, choices=option_choices,
          read_choices=False,
          expect=Expectation(intents=("medicine_taken",), slots=("medication",)),
          on={"medicine_taken": taken, "taken": taken, "ran_out": ran_out, "change_time": change_time,
              "menu": "menu.main", "medicine_reminder": "medicine.schedule"},
          goes_to=("medicine.which", "medicine.mark_taken", "medicine.buy", "menu.anything_else"),
          confirm_unsure=True),
    State("medicine.which", prompt="medicine.which", choices=which_choices,
          expect=Expectation(slots=("medication",)), on={"choice": which_chosen, "slots": which_chosen},
          goes_to=("medicine.which", "medicine.mark_taken", "medicine.buy"), confirm_unsure=True),
    State("medicine.mark_taken", enter=mark_taken, goes_to=("menu.anything_else",)),
    State("medicine.buy", enter=buy, goes_to=("menu.anything_else",)),
]
