"""Texts from the people who act on requests: volunteers (`ACK 12`, `DONE 12`, `LIST`) and
meal providers (`ACCEPT 12`). Each returns the answer to text back, in the sender's language;
every change goes through the same services as the dashboard, so it is in the audit log."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from assistant import wording
from assistant.channels.sms.keywords import normalize
from assistant.db.models import (HelpRequest, HelpStatus, MealOrder, MealProvider, OrderStatus, Severity,
                                 Volunteer)
from assistant.runtime import Runtime
from assistant.services import help as help_service
from assistant.services.calling_hours import local_date, zone
from assistant.services.meal_menu import item_name
from assistant.services.order_states import move

_COMMAND = re.compile(r"^(ack|done|list|accept)(?![a-z])\s*#?\s*(\d{1,9})?")
LIST_LENGTH = 6
"""Open requests named in a LIST answer, most urgent first (a text holds no more)."""


@dataclass(frozen=True)
class StaffCommand:
    verb: str
    """"ack", "done", "list" or "accept"."""
    number: int | None
    """The help request's or order's number, when one was given."""


def parse(text: str) -> StaffCommand | None:
    match = _COMMAND.match(normalize(text))
    if match is None:
        return None
    return StaffCommand(match.group(1), int(match.group(2)) if match.group(2) else None)


def _say(rt: Runtime, lang: str, key: str, **values: object) -> str:
    return rt.languages.render(lang, key, "sms", **values)


def _who(request: HelpRequest) -> str:
    return request.elder.name if request.elder else request.caller_phone


def volunteer_reply(session: Session, rt: Runtime, volunteer: Volunteer, command: StaffCommand | None,
                    now: datetime) -> str:
    lang, actor = volunteer.language, f"volunteer:{volunteer.id}"
    if command is None or command.verb == "accept" or (command.verb != "list" and command.number is None):
        return _say(rt, lang, "sms.volunteer.usage")
    if command.verb == "list":
        return _open_requests(session, rt, lang)
    request = session.get(HelpRequest, command.number)
    if request is None:
        return _say(rt, lang, "sms.volunteer.no_such", id=command.number)
    try:
        if command.verb == "ack":
            help_service.acknowledge(session, request, volunteer, actor=actor, now=now)
        else:
            help_service.resolve(session, request, volunteer, actor=actor, now=now)
    except help_service.HelpRequestClosed:
        return _say(rt, lang, "sms.volunteer.closed", id=request.id,
                    status=_say(rt, lang, f"sms.status.{request.status}"))
    if command.verb == "ack":
        return _say(rt, lang, "sms.volunteer.acked", id=request.id, who=_who(request),
                    phone=request.caller_phone)
    return _say(rt, lang, "sms.volunteer.resolved", id=request.id)


def _open_requests(session: Session, rt: Runtime, lang: str) -> str:
    requests = session.scalars(
        select(HelpRequest).where(HelpRequest.status.in_((HelpStatus.OPEN, HelpStatus.ACKNOWLEDGED)))
        .order_by(case((HelpRequest.severity == Severity.URGENT, 0), else_=1), HelpRequest.status.desc(),
                  HelpRequest.created_at).limit(LIST_LENGTH)).all()
    if not requests:
        return _say(rt, lang, "sms.volunteer.none_open")
    items = [_say(rt, lang, "sms.volunteer.list_item", id=r.id, who=_who(r),
                  status=_say(rt, lang, f"sms.status.{r.status}")) for r in requests]
    return _say(rt, lang, "sms.volunteer.list", requests="; ".join(items))


def provider_reply(session: Session, rt: Runtime, provider: MealProvider, command: StaffCommand | None,
                   now: datetime) -> str:
    lang = rt.languages.served(provider.language)
    if command is None or command.verb != "accept" or command.number is None:
        return _say(rt, lang, "sms.provider.usage")
    order = session.get(MealOrder, command.number)
    if order is None or order.provider_id != provider.id:
        return _say(rt, lang, "sms.provider.no_such", id=command.number)
    if order.status not in (OrderStatus.REQUESTED, OrderStatus.DISPATCHED):
        return _say(rt, lang, "sms.provider.closed", id=order.id,
                    status=_say(rt, lang, f"sms.status.{order.status}"))
    actor = f"provider:{provider.id}"
    if order.status == OrderStatus.REQUESTED:
        move(session, order, OrderStatus.DISPATCHED, actor=actor, handled_by=provider.name, now=now)
    move(session, order, OrderStatus.ACCEPTED, actor=actor, handled_by=provider.name, now=now)
    elder = order.elder
    today = local_date(now, zone(rt.config.organization.default_timezone))
    return _say(rt, lang, "sms.provider.accepted", id=order.id, quantity=order.quantity,
                item=item_name(order.menu_item, lang) if order.menu_item else "",
                meal=wording.meal_text(rt.languages, lang, order.meal, "sms"),
                day=wording.day_text(rt.languages, lang, order.day, today, "sms"),
                elder=elder.name if elder else order.caller_phone,
                address=elder.address if elder else order.caller_phone)
