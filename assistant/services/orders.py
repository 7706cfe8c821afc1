"""Orders an elder places by phone or SMS: a doctor's appointment, a meal, a purchase.

Each is stored as `requested` and the people who act on it are told at once by SMS, each in
their own language: the clinic (or, without one, the on-call volunteers), the meal provider.
An order from an unknown number also opens a "new caller" follow-up, so a volunteer gets to
know the caller.
"""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant import wording
from assistant.db.models import (ORDER_MODELS, Appointment, Doctor, Elder, HelpKind, MealMenuItem, MealOrder,
                                 MealProvider, Order, OrderKind, OrderStatus, Purchase, Severity)
from assistant.runtime import Runtime
from assistant.services import help as help_service
from assistant.services.meal_menu import item_name
from assistant.services.messaging import send_sms
from assistant.services.order_states import OrderTransitionError, move, opened

HOTLINE = "system:hotline"


def _follow_up_unknown_caller(session: Session, caller_phone: str, kind: OrderKind, order_id: int) -> None:
    help_service.open_request(session, elder=None, caller_phone=caller_phone, kind=HelpKind.NEW_CALLER,
                              severity=Severity.NORMAL, reason=f"new_caller.{kind}",
                              reason_values={"id": order_id})


def _today(rt: Runtime, elder: Elder | None, now: datetime) -> date:
    """The day "today" and "tomorrow" are counted from in a notification."""
    return now.astimezone(ZoneInfo(elder.timezone if elder else rt.config.organization.default_timezone)).date()


def request_appointment(session: Session, rt: Runtime, *, elder: Elder | None, caller_phone: str,
                        doctor_name: str | None, day: str, part_of_day: str, time: str, now: datetime,
                        call_id: int | None = None) -> Appointment:
    doctor = session.scalar(select(Doctor).where(Doctor.name == doctor_name)) if doctor_name else None
    appointment = Appointment(elder_id=elder.id if elder else None, caller_phone=caller_phone,
                              doctor_id=doctor.id if doctor else None, day=date.fromisoformat(day),
                              part_of_day=part_of_day or "", time=time or "", call_id=call_id)
    opened(session, appointment, actor=HOTLINE)
    if doctor and doctor.phone:
        recipients = [(doctor.phone, doctor.language)]
    else:
        recipients = [(v.phone, v.language) for v in help_service.on_call_volunteers(session)]
    languages, today = rt.languages, _today(rt, elder, now)
    for phone, lang in recipients:
        when = wording.when_text(languages, lang, appointment.day, today, part_of_day=appointment.part_of_day,
                                 time=appointment.time, channel="sms")
        body = languages.render(lang, "notify.appointment", "sms", id=appointment.id,
                                elder=elder.name if elder else caller_phone, phone=caller_phone,
                                doctor=doctor.name if doctor else "-", when=when)
        send_sms(session, rt, phone, body, purpose="notify_clinic", elder_id=appointment.elder_id)
    if recipients:
        move(session, appointment, OrderStatus.DISPATCHED, actor=HOTLINE, now=now)
    if elder is None:
        _follow_up_unknown_caller(session, caller_phone, OrderKind.APPOINTMENT, appointment.id)
    return appointment


def order_meal(session: Session, rt: Runtime, *, elder: Elder | None, caller_phone: str, meal: str,
               item_code: str, quantity: int, day: str, now: datetime, call_id: int | None = None) -> MealOrder:
    """Store the order and send it to the provider at once (name, address, item, quantity, day),
    in the provider's language."""
    provider = session.scalar(select(MealProvider).order_by(MealProvider.id))
    item = session.scalar(select(MealMenuItem).where(MealMenuItem.code == item_code))
    order = MealOrder(elder_id=elder.id if elder else None, caller_phone=caller_phone,
                      provider_id=provider.id if provider else None, menu_item_id=item.id if item else None,
                      meal=meal, quantity=quantity, day=date.fromisoformat(day), call_id=call_id)
    opened(session, order, actor=HOTLINE)
    if provider is not None:
        languages = rt.languages
        lang = languages.served(provider.language)
        body = languages.render(lang, "notify.meal", "sms", id=order.id, quantity=quantity,
                                item=item_name(item, lang) if item else item_code,
                                meal=wording.meal_text(languages, lang, meal, "sms"),
                                day=wording.day_text(languages, lang, order.day, _today(rt, elder, now), "sms"),
                                elder=elder.name if elder else caller_phone,
                                address=elder.address if elder else caller_phone)
        if send_sms(session, rt, provider.phone, body, purpose="notify_provider", elder_id=order.elder_id):
            move(session, order, OrderStatus.DISPATCHED, actor=HOTLINE, now=now)
    if elder is None:
        _follow_up_unknown_caller(session, caller_phone, OrderKind.MEAL, order.id)
    return order


def request_purchase(session: Session, *, elder: Elder, item: str, medication_id: int | None,
                     call_id: int | None = None) -> Purchase:
    """Something to buy on the elder's behalf; volunteers see it on the dashboard's Orders."""
    purchase = Purchase(elder_id=elder.id, caller_phone=elder.phone, item=item,
                        medication_id=medication_id, call_id=call_id)
    opened(session, purchase, actor=HOTLINE)
    return purchase


def cancel(session: Session, kind: OrderKind, order_id: int, *, actor: str, now: datetime) -> bool:
    """Cancel an order that is not done yet; False when there is nothing to cancel."""
    order: Order | None = session.get(ORDER_MODELS[kind], order_id)
    if order is None:
        return False
    try:
        move(session, order, OrderStatus.CANCELLED, actor=actor, now=now)
    except OrderTransitionError:
        return False
    return True
