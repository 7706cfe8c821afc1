"""What the scheduler's SMS say (from `prompts/<lang>.yaml`, in the reader's language) and whom
each task reaches."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant import wording
from assistant.db.models import (OPEN_ORDER_STATUSES, Appointment, Elder, MealMenuItem, MealOrder,
                                 MealProvider, Medication, OutboundTask, TaskKind)
from assistant.runtime import Runtime
from assistant.services.calling_hours import local_date, zone
from assistant.services.doses import medication_ids
from assistant.services.meal_menu import item_name
from assistant.services.tasks import TaskKey


def recipient(session: Session, task: OutboundTask, elder: Elder | None) -> str:
    if task.kind == TaskKind.PROVIDER_SUMMARY:
        provider = session.get(MealProvider, task.payload["provider_id"])
        return provider.phone if provider else ""
    if task.kind == TaskKind.CALLBACK:
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
    if task.kind == TaskKind.PROVIDER_SUMMARY:
        return _provider_summary(session, rt, task)
    assert elder is not None, f"task {task.id} ({task.kind}) has no elder"
    languages, lang = rt.languages, elder.language
    if task.kind == TaskKind.CHECKIN:
        hour = task.due_at.astimezone(zone(elder.timezone)).hour
        part = "morning" if hour < 12 else "afternoon" if hour < 18 else "evening"
        return languages.render(lang, "checkin.start", "sms", name=elder.name,
                                part_of_day=languages.render(lang, f"part.{part}"))
    if task.kind == TaskKind.MEDICINE:
        due = due_medications(session, task)
        return languages.render(lang, "reminder.medicine", "sms", name=elder.name,
                                medication=", ".join(m.name for m in due),
                                dose=", ".join(m.dose for m in due if m.dose))
    if task.kind == TaskKind.APPOINTMENT:
        appointment = session.get(Appointment, task.payload["appointment_id"])
        assert appointment is not None and appointment.day is not None
        today = local_date(task.due_at, zone(elder.timezone))
        return languages.render(lang, "reminder.appointment", "sms", name=elder.name,
                                doctor=appointment.doctor.name if appointment.doctor else "",
                                when=wording.when_text(languages, lang, appointment.day, today,
                                                       part_of_day=appointment.part_of_day,
                                                       time=appointment.time, channel="sms"))
    raise ValueError(f"no SMS for {task.kind} tasks")


def _provider_summary(session: Session, rt: Runtime, task: OutboundTask) -> str:
    """Tomorrow's orders for one provider, in the provider's language."""
    provider = session.get(MealProvider, task.payload["provider_id"])
    languages = rt.languages
    lang = languages.served(provider.language if provider else None)
    day = date.fromisoformat(task.payload["for_day"])
    orders = session.execute(
        select(MealOrder, Elder, MealMenuItem)
        .join(Elder, Elder.id == MealOrder.elder_id)
        .outerjoin(MealMenuItem, MealMenuItem.id == MealOrder.menu_item_id)
        .where(MealOrder.provider_id == task.payload["provider_id"], MealOrder.day == day,
               MealOrder.status.in_(OPEN_ORDER_STATUSES))
        .order_by(MealOrder.meal, Elder.name)).all()
    lines = [languages.render(lang, "scheduler.provider_summary.line", "sms", quantity=order.quantity,
                              item=item_name(item, lang) if item else "",
                              meal=wording.meal_text(languages, lang, order.meal, "sms"),
                              name=elder.name, address=elder.address, phone=elder.phone)
             for order, elder, item in orders]
    today = local_date(task.due_at, zone(rt.config.organization.default_timezone))
    return languages.render(lang, "scheduler.provider_summary", "sms",
                            day=wording.day_text(languages, lang, day, today, "sms"),
                            count=len(orders), orders="\n".join(lines))
