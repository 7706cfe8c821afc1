"""Orders an elder places by phone or SMS: a doctor's appointment, a meal, a purchase.

Each is stored as `requested` and the people who act on it are told at once by SMS: the
clinic (or, without one, the volunteers), the meal provider. An order from an unknown
number also opens a "new caller" follow-up, so a volunteer gets to know the caller.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant import prompts
from assistant.db.base import utcnow
from assistant.db.models import Appointment, Doctor, Elder, MealMenuItem, MealOrder, MealProvider, Purchase
from assistant.runtime import Runtime
from assistant.services import audit, help as help_service, meal_menu
from assistant.services.messaging import send_sms


def _follow_up_unknown_caller(session: Session, caller_phone: str, what: str) -> None:
    help_service.open_request(session, elder=None, caller_phone=caller_phone, kind="new_caller",
                              severity="normal", summary=what)


def request_appointment(session: Session, rt: Runtime, *, elder: Elder | None, caller_phone: str,
                        doctor_name: str | None, day: str, part_of_day: str, time: str, when_text: str,
                        call_id: int | None = None) -> Appointment:
    doctor = session.scalar(select(Doctor).where(Doctor.name == doctor_name)) if doctor_name else None
    appointment = Appointment(elder_id=elder.id if elder else None, caller_phone=caller_phone,
                              doctor_id=doctor.id if doctor else None, day=date.fromisoformat(day),
                              part_of_day=part_of_day or "", time=time or "", call_id=call_id)
    session.add(appointment)
    session.flush()
    audit.record(session, "system:hotline", "appointment.requested", "appointment", appointment.id)
    lang = elder.language if elder else rt.config.organization.default_language
    body = prompts.render(lang, "notify.appointment", "sms", org=rt.config.organization.name,
                          id=appointment.id, elder=elder.name if elder else caller_phone,
                          phone=caller_phone, doctor=doctor.name if doctor else "-", when=when_text)
    recipients = [doctor.phone] if doctor and doctor.phone else \
        [v.phone for v in help_service.on_call_volunteers(session)]
    for phone in recipients:
        send_sms(session, rt, phone, body, purpose="notify_clinic", elder_id=appointment.elder_id)
    if recipients:
        appointment.status, appointment.dispatched_at = "dispatched", utcnow()
    if elder is None:
        _follow_up_unknown_caller(session, caller_phone, f"appointment request #{appointment.id}")
    return appointment


def order_meal(session: Session, rt: Runtime, *, elder: Elder | None, caller_phone: str, meal: str,
               item_code: str, quantity: int, day: str, meal_text: str, day_text: str,
               call_id: int | None = None) -> MealOrder:
    """Store the order and send it to the provider at once (name, address, item, quantity, day)."""
    provider = session.scalar(select(MealProvider).order_by(MealProvider.id))
    item = session.scalar(select(MealMenuItem).where(MealMenuItem.code == item_code))
    order = MealOrder(elder_id=elder.id if elder else None, caller_phone=caller_phone,
                      provider_id=provider.id if provider else None, menu_item_id=item.id if item else None,
                      meal=meal, quantity=quantity, day=date.fromisoformat(day), call_id=call_id)
    session.add(order)
    session.flush()
    audit.record(session, "system:hotline", "meal_order.requested", "meal_order", order.id)
    if provider is not None:
        lang = rt.config.organization.default_language
        body = prompts.render(lang, "notify.meal", "sms", org=rt.config.organization.name, id=order.id,
                              quantity=quantity, item=meal_menu.item_name(item, lang) if item else item_code,
                              meal=meal_text, day=day_text, elder=elder.name if elder else caller_phone,
                              address=elder.address if elder else caller_phone)
        if send_sms(session, rt, provider.phone, body, purpose="notify_provider", elder_id=order.elder_id):
            order.status, order.dispatched_at = "dispatched", utcnow()
    if elder is None:
        _follow_up_unknown_caller(session, caller_phone, f"meal order #{order.id}")
    return order


def request_purchase(session: Session, *, elder: Elder, item: str, medication_id: int | None,
                     call_id: int | None = None) -> Purchase:
    """Something to buy on the elder's behalf; volunteers see it on the dashboard's Orders."""
    purchase = Purchase(elder_id=elder.id, caller_phone=elder.phone, item=item,
                        medication_id=medication_id, call_id=call_id)
    session.add(purchase)
    session.flush()
    audit.record(session, "system:hotline", "purchase.requested", "purchase", purchase.id)
    return purchase


def cancel(session: Session, kind: str, order_id: int, *, actor: str) -> bool:
    """Cancel an order that is not done yet; False when there is nothing to cancel."""
    model = {"appointment": Appointment, "meal_order": MealOrder, "purchase": Purchase}[kind]
    order = session.get(model, order_id)
    if order is None or order.status in ("done", "cancelled"):
        return False
    order.status, order.cancelled_at = "cancelled", utcnow()
    audit.record(session, actor, f"{kind}.cancelled", kind, order_id)
    return True
