"""What the scheduler's SMS say (from `prompts/<lang>.yaml`) and whom each task reaches."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant import prompts
from assistant.db.models import (Appointment, Elder, MealMenuItem, MealOrder, MealProvider, Medication,
                                 OutboundTask)
from assistant.runtime import Runtime
from assistant.scheduler.calling_hours import zone
from assistant.scheduler.doses import medication_ids
from assistant.scheduler.planner import OPEN_ORDER_STATUSES
from assistant.scheduler.tasks import (APPOINTMENT, CALLBACK, CHECKIN, MEDICINE, PROVIDER_SUMMARY,
                                       TaskKey)


def recipient(session: Session, task: OutboundTask, elder: Elder | None) -> str:
    if task.kind == PROVIDER_SUMMARY:
        provider = session.get(MealProvider, task.payload["provider_id"])
        return provider.phone if provider else ""
    if task.kind == CALLBACK:
        return str(task.payload["phone"])
    return elder.phone if elder else ""


def due_medications(session: Session, task: OutboundTask) -> list[Medication]:
    """The task's medicines still taken at its slot (a schedule may change after planning)."""
    hhmm = TaskKey.parse(task.key).slot
    return [medication for medication in session.scalars(
        select(Medication).where(Medication.id.in_(medication_ids(task)), Medication.active.is_(True))
        .order_by(Medication.id)) if hhmm in medication.times]


def open_appointment(session: Session, task: OutboundTask) -> Appointment | None:
    appointment = session.get(Appointment, task.payload["appointment_id"])
    return appointment if appointment is not None and appointment.status in OPEN_ORDER_STATUSES else None


def sms_body(session: Session, rt: Runtime, task: OutboundTask, elder: Elder | None) -> str:
    """The SMS twin of the dialog's opening prompt for the task (the dialog's own keys, so a
    reply is read by the same SMS flow), or the provider's order summary."""
    if task.kind == PROVIDER_SUMMARY:
        return _provider_summary(session, rt, task)
    assert elder is not None, f"task {task.id} ({task.kind}) has no elder"
    lang, org = elder.language, rt.config.organization.name
    if task.kind == CHECKIN:
        hour = task.due_at.astimezone(zone(elder.timezone)).hour
        part = "morning" if hour < 12 else "afternoon" if hour < 18 else "evening"
        return prompts.render(lang, "checkin.start", "sms", name=elder.name, org=org,
                              part_of_day=prompts.render(lang, f"part.{part}"))
    if task.kind == MEDICINE:
        due = due_medications(session, task)
        return prompts.render(lang, "reminder.medicine", "sms", name=elder.name, org=org,
                              medication=", ".join(m.name for m in due),
                              dose=", ".join(m.dose for m in due if m.dose))
    if task.kind == APPOINTMENT:
        appointment = session.get(Appointment, task.payload["appointment_id"])
        assert appointment is not None
        return prompts.render(lang, "reminder.appointment", "sms", name=elder.name, org=org,
                              doctor=appointment.doctor.name if appointment.doctor else "",
                              when=_tomorrow(lang, appointment))
    raise ValueError(f"no SMS for {task.kind} tasks")


def _tomorrow(lang: str, appointment: Appointment) -> str:
    day = prompts.render(lang, "day.tomorrow")
    if appointment.time:
        return prompts.render(lang, "when.time", day=day, time=appointment.time)
    if appointment.part_of_day:
        return prompts.render(lang, "when.part", day=day,
                              part=prompts.render(lang, f"part.{appointment.part_of_day}"))
    return day


def _provider_summary(session: Session, rt: Runtime, task: OutboundTask) -> str:
    lang = rt.config.organization.default_language
    day = date.fromisoformat(task.payload["for_day"])
    orders = session.execute(
        select(MealOrder, Elder, MealMenuItem)
        .join(Elder, Elder.id == MealOrder.elder_id)
        .outerjoin(MealMenuItem, MealMenuItem.id == MealOrder.menu_item_id)
        .where(MealOrder.provider_id == task.payload["provider_id"], MealOrder.day == day,
               MealOrder.status.in_(OPEN_ORDER_STATUSES))
        .order_by(MealOrder.meal, Elder.name)).all()
    lines = [prompts.render(lang, "scheduler.provider_summary.line", "sms", quantity=order.quantity,
                            item=_item_name(item, lang), meal=prompts.render(lang, f"meal.{order.meal}"),
                            name=elder.name, address=elder.address, phone=elder.phone)
             for order, elder, item in orders]
    return prompts.render(lang, "scheduler.provider_summary", "sms", org=rt.config.organization.name,
                          day=day.isoformat(), count=len(orders), orders="\n".join(lines))


def _item_name(item: MealMenuItem | None, lang: str) -> str:
    if item is None:
        return ""
    return item.name_zh if lang == "zh" and item.name_zh else item.name
