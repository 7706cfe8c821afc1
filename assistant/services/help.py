"""Help requests: open one, alert the right people at once, escalate when nobody answers.

Shared by the voice and SMS help flows and by the scheduler's missed check-ins, so an
elder's emergency reaches people the same way whichever way it was raised.

A frightened caller texts HELP again and again: help from a number whose request of the same
kind is still open (and at most `help.join_window_minutes` old) joins that request, and the
volunteers get one short update rather than a new alert. However it arrives, one number sets
off at most `help.alerts_per_number_per_hour` rounds of alerts; what is held back is written
on the request, which the dashboard shows at once.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assistant import prompts
from assistant.db.base import utcnow
from assistant.db.models import Elder, HelpRequest, SmsMessage, Volunteer
from assistant.runtime import Runtime
from assistant.services import audit
from assistant.services.messaging import send_sms

CONTACTS_TOLD_OF = ("emergency", "missed_checkin")
"""Kinds of request an elder's family hears about at once; call-backs go to volunteers only."""
SUMMARY_CHARS = 60
"""How much of what the elder said goes into an alert, so alerts stay within a few segments."""


class HelpRequestClosed(Exception):
    """The request was already resolved (or acknowledged, for an acknowledgement)."""


def open_request(session: Session, *, elder: Elder | None, caller_phone: str, kind: str = "emergency",
                 severity: str = "urgent", summary: str = "", call_id: int | None = None,
                 actor: str = "system:hotline") -> HelpRequest:
    request = HelpRequest(elder_id=elder.id if elder else None, caller_phone=caller_phone, kind=kind,
                          severity=severity, summary=summary[:2000], call_id=call_id)
    session.add(request)
    session.flush()
    audit.record(session, actor, "help.opened", "help_request", request.id, kind=kind, severity=severity)
    return request


@dataclass(frozen=True)
class Raised:
    request: HelpRequest
    joined: bool
    """True when the help joined a request already open for this number."""


def raise_help(session: Session, rt: Runtime, *, elder: Elder | None, caller_phone: str,
               kind: str = "emergency", severity: str = "urgent", summary: str = "",
               call_id: int | None = None, handler: str, now: datetime | None = None) -> Raised:
    """Open a request and alert people, or join the caller's open request and send one update."""
    now = now or utcnow()
    window = timedelta(minutes=rt.config.help.join_window_minutes)
    existing = session.scalars(
        select(HelpRequest).where(HelpRequest.caller_phone == caller_phone, HelpRequest.kind == kind,
                                  HelpRequest.status != "resolved", HelpRequest.created_at >= now - window)
        .order_by(HelpRequest.id.desc()).limit(1)).first() if caller_phone and window else None
    if existing is not None:
        _join(session, rt, existing, summary, now)
        return Raised(existing, joined=True)
    request = open_request(session, elder=elder, caller_phone=caller_phone, kind=kind, severity=severity,
                           summary=summary, call_id=call_id)
    if _alert_rounds(session, caller_phone, now) < rt.config.help.alerts_per_number_per_hour:
        alert_on_open(session, rt, request, handler=handler)
    else:
        _note(request, now, "Alerts held back: this number set off too many in the last hour.")
        audit.record(session, "system:hotline", "help.alerts_held", "help_request", request.id)
    return Raised(request, joined=False)


def _note(request: HelpRequest, now: datetime, line: str) -> None:
    request.notes = f"{request.notes}\n[{now.strftime('%Y-%m-%d %H:%M UTC')}] {line}".strip()[-4000:]


def _alert_rounds(session: Session, phone: str, now: datetime) -> int:
    """Requests from `phone` whose volunteers were alerted or updated in the last hour."""
    if not phone:
        return 0
    return session.scalar(
        select(func.count(func.distinct(SmsMessage.help_request_id)))
        .join(HelpRequest, HelpRequest.id == SmsMessage.help_request_id)
        .where(HelpRequest.caller_phone == phone, SmsMessage.created_at >= now - timedelta(hours=1),
               SmsMessage.purpose.in_(("alert_volunteer", "help_update")))) or 0


def _join(session: Session, rt: Runtime, request: HelpRequest, summary: str, now: datetime) -> None:
    """The caller asked again: noted on the request; the volunteers hear it once."""
    said = " ".join(summary.split())
    _note(request, now, f"Asked again: {said}" if said else "Asked again.")
    audit.record(session, "system:hotline", "help.joined", "help_request", request.id)
    updated = session.scalar(select(func.count()).select_from(SmsMessage).where(
        SmsMessage.help_request_id == request.id, SmsMessage.purpose == "help_update")) or 0
    if updated:
        return
    org = rt.config.organization.name
    for volunteer in on_call_volunteers(session):
        body = prompts.render(volunteer.language, "alert.volunteer.update", "sms", org=org, id=request.id,
                              who=_who(request), phone=request.caller_phone,
                              said=_clip(said or request.summary))
        send_sms(session, rt, volunteer.phone, body, purpose="help_update", elder_id=request.elder_id,
                 help_request_id=request.id)


def on_call_volunteers(session: Session) -> list[Volunteer]:
    """Volunteers to dial and alert first: those on call in rota order, else every active one."""
    active = select(Volunteer).where(Volunteer.active.is_(True))
    on_call = list(session.scalars(active.where(Volunteer.on_call.is_(True))
                                   .order_by(Volunteer.on_call_order, Volunteer.id)))
    return on_call or list(session.scalars(active.order_by(Volunteer.id)))


def _who(request: HelpRequest) -> str:
    return request.elder.name if request.elder else request.caller_phone


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SUMMARY_CHARS else text[: SUMMARY_CHARS - 1] + "…"


def _said(request: HelpRequest) -> str:
    return _clip(request.summary)


def alert_on_open(session: Session, rt: Runtime, request: HelpRequest, *, handler: str) -> None:
    """Text the elder's contacts (naming her, what she said, who handles it) and the on-call
    volunteers (with the request's number to acknowledge)."""
    org = rt.config.organization.name
    elder = request.elder
    if elder is not None and request.kind in CONTACTS_TOLD_OF:
        for contact in elder.contacts:
            body = prompts.render(elder.language, f"alert.contact.{request.kind}", "sms", org=org,
                                  elder=elder.name, said=_said(request), handler=handler)
            send_sms(session, rt, contact.phone, body, purpose="alert_contact", elder_id=elder.id,
                     help_request_id=request.id)
    for volunteer in on_call_volunteers(session):
        body = prompts.render(volunteer.language, f"alert.volunteer.{request.severity}", "sms", org=org,
                              id=request.id, who=_who(request), phone=request.caller_phone,
                              said=_said(request))
        send_sms(session, rt, volunteer.phone, body, purpose="alert_volunteer",
                 elder_id=request.elder_id, help_request_id=request.id)


def alert_everyone(session: Session, rt: Runtime, request: HelpRequest) -> None:
    """Nobody answered: every active volunteer and every contact is texted."""
    org = rt.config.organization.name
    recipients: list[tuple[str, str]] = [
        (v.phone, v.language) for v in session.scalars(select(Volunteer).where(Volunteer.active.is_(True)))]
    if request.elder is not None:
        recipients += [(c.phone, request.elder.language) for c in request.elder.contacts]
    for phone, lang in dict(recipients).items():
        body = prompts.render(lang, "alert.unanswered", "sms", org=org, id=request.id,
                              who=_who(request), phone=request.caller_phone, said=_said(request))
        send_sms(session, rt, phone, body, purpose="alert_unanswered", elder_id=request.elder_id,
                 help_request_id=request.id)
    audit.record(session, "system:hotline", "help.escalated", "help_request", request.id)


def acknowledge(session: Session, request: HelpRequest, volunteer: Volunteer, *, actor: str,
                now: datetime | None = None) -> None:
    if request.status != "open":
        raise HelpRequestClosed(request.status)
    request.status = "acknowledged"
    request.acknowledged_at = now or utcnow()
    request.acknowledged_by_id = volunteer.id
    request.assigned_to_id = request.assigned_to_id or volunteer.id
    audit.record(session, actor, "help.acknowledged", "help_request", request.id)


def resolve(session: Session, request: HelpRequest, volunteer: Volunteer, *, actor: str,
            note: str = "", now: datetime | None = None) -> None:
    if request.status == "resolved":
        raise HelpRequestClosed(request.status)
    if request.acknowledged_at is None:
        request.acknowledged_at, request.acknowledged_by_id = now or utcnow(), volunteer.id
    request.status = "resolved"
    request.resolved_at = now or utcnow()
    request.resolved_by_id = volunteer.id
    if note:
        request.notes = f"{request.notes}\n{note}".strip()
    audit.record(session, actor, "help.resolved", "help_request", request.id, note=note)
