"""Help requests: open one, alert the right people at once, escalate when nobody answers.

Shared by the voice and SMS help flows and by the scheduler's missed check-ins, so an
elder's emergency reaches people the same way whichever way it was raised. Every alert is
rendered in its reader's language: a volunteer's own, a contact's (else the elder's).

A frightened caller texts HELP again and again: help from a number whose request of the same
kind is still open (and at most `help.join_window_minutes` old) joins that request, and the
volunteers get one short update rather than a new alert. However it arrives, one number sets
off at most `help.alerts_per_number_per_hour` rounds of alerts; what is held back is written
on the request, which the dashboard shows at once.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assistant.db.models import (Contact, Elder, HelpKind, HelpRequest, HelpStatus, Severity, SmsMessage,
                                 Volunteer)
from assistant.languages import Languages
from assistant.runtime import Runtime
from assistant.services import audit
from assistant.services.messaging import send_sms

CONTACTS_TOLD_OF = (HelpKind.EMERGENCY, HelpKind.MISSED_CHECKIN)
"""Kinds of request an elder's family hears about at once; call-backs go to volunteers only."""
SUMMARY_CHARS = 60
"""How much of what the elder said goes into an alert, so alerts stay within a few segments."""


class HelpRequestClosed(Exception):
    """The request was already resolved (or acknowledged, for an acknowledgement)."""


def open_request(session: Session, *, elder: Elder | None, caller_phone: str,
                 kind: HelpKind = HelpKind.EMERGENCY, severity: Severity = Severity.URGENT,
                 summary: str = "", reason: str = "", reason_values: dict[str, Any] | None = None,
                 call_id: int | None = None, actor: str = "system:hotline") -> HelpRequest:
    """Open a request: `summary` is what she said; `reason` (a `reason.<name>` prompt with its
    `reason_values`) why it was opened, when her words do not say it."""
    request = HelpRequest(elder_id=elder.id if elder else None, caller_phone=caller_phone, kind=kind,
                          severity=severity, summary=summary[:2000], reason=reason,
                          reason_values=reason_values or {}, call_id=call_id)
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
               kind: HelpKind = HelpKind.EMERGENCY, severity: Severity = Severity.URGENT,
               summary: str = "", reason: str = "", reason_values: dict[str, Any] | None = None,
               call_id: int | None = None, handler: str | None, now: datetime) -> Raised:
    """Open a request and alert people (`handler` as in `alert_on_open`), or join the
    caller's open request and send one update."""
    window = timedelta(minutes=rt.config.help.join_window_minutes)
    existing = session.scalars(
        select(HelpRequest).where(HelpRequest.caller_phone == caller_phone, HelpRequest.kind == kind,
                                  HelpRequest.status != HelpStatus.RESOLVED,
                                  HelpRequest.created_at >= now - window)
        .order_by(HelpRequest.id.desc()).limit(1)).first() if caller_phone and window else None
    if existing is not None:
        _join(session, rt, existing, summary, now)
        return Raised(existing, joined=True)
    request = open_request(session, elder=elder, caller_phone=caller_phone, kind=kind, severity=severity,
                           summary=summary, reason=reason, reason_values=reason_values, call_id=call_id)
    if _alert_rounds(session, caller_phone, now) < rt.config.help.alerts_per_number_per_hour:
        alert_on_open(session, rt, request, handler=handler)
    else:
        _note(rt, request, now, "note.alerts_held")
        audit.record(session, "system:hotline", "help.alerts_held", "help_request", request.id)
    return Raised(request, joined=False)


def add_to_summary(session: Session, request_id: int, words: str) -> None:
    """More of what she said, heard after the request was opened (she went on talking)."""
    request = session.get(HelpRequest, request_id)
    if request is not None:
        request.summary = " ".join(filter(None, (request.summary, " ".join(words.split()))))[:2000]


def _note(rt: Runtime, request: HelpRequest, now: datetime, key: str, **values: Any) -> None:
    """Add the prompt `key`, in the organisation's language, to the request's notes."""
    line = rt.languages.render(rt.languages.default, key, "sms", **values)
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
    words = " ".join(summary.split())
    _note(rt, request, now, "note.asked_again", said=words or "…")
    audit.record(session, "system:hotline", "help.joined", "help_request", request.id)
    updated = session.scalar(select(func.count()).select_from(SmsMessage).where(
        SmsMessage.help_request_id == request.id, SmsMessage.purpose == "help_update")) or 0
    if updated:
        return
    for volunteer in on_call_volunteers(session):
        body = rt.languages.render(volunteer.language, "alert.volunteer.update", "sms", id=request.id,
                                   who=_who(request), phone=request.caller_phone,
                                   said=_clip(words) if words else said(rt.languages, request,
                                                                        volunteer.language))
        send_sms(session, rt, volunteer.phone, body, purpose="help_update", elder_id=request.elder_id,
                 help_request_id=request.id)


def on_call_volunteers(session: Session) -> list[Volunteer]:
    """Volunteers to dial and alert first: those on call in rota order, else every active one."""
    active = select(Volunteer).where(Volunteer.active.is_(True))
    on_call = list(session.scalars(active.where(Volunteer.on_call.is_(True))
                                   .order_by(Volunteer.on_call_order, Volunteer.id)))
    return on_call or list(session.scalars(active.order_by(Volunteer.id)))


def contact_language(contact: Contact, elder: Elder) -> str:
    return contact.language or elder.language


def said(languages: Languages, request: HelpRequest, lang: str, *, chars: int = SUMMARY_CHARS) -> str:
    """What the request is about, for a reader of `lang`: why it was opened and what she said
    (her words cut to `chars`)."""
    words = _clip(request.summary, chars)
    if not request.reason:
        return words
    return languages.render(lang, f"reason.{request.reason}", "sms", said=words, **request.reason_values)


def _clip(text: str, chars: int = SUMMARY_CHARS) -> str:
    words = " ".join(text.split())
    return words if len(words) <= chars else words[: chars - 1] + "…"


def _who(request: HelpRequest) -> str:
    return request.elder.name if request.elder else request.caller_phone


def alert_on_open(session: Session, rt: Runtime, request: HelpRequest, *, handler: str | None) -> None:
    """Text the elder's contacts (naming her, what she said, who handles it: `handler`, or the
    organization when None) and the on-call volunteers (with the request's number to acknowledge)."""
    languages = rt.languages
    elder = request.elder
    if elder is not None and request.kind in CONTACTS_TOLD_OF:
        for contact in elder.contacts:
            lang = contact_language(contact, elder)
            body = languages.render(lang, f"alert.contact.{request.kind}", "sms", elder=elder.name,
                                    said=said(languages, request, lang),
                                    handler=handler or languages.organization_name(lang))
            send_sms(session, rt, contact.phone, body, purpose="alert_contact", elder_id=elder.id,
                     help_request_id=request.id)
    for volunteer in on_call_volunteers(session):
        body = languages.render(volunteer.language, f"alert.volunteer.{request.severity}", "sms",
                                id=request.id, who=_who(request), phone=request.caller_phone,
                                said=said(languages, request, volunteer.language))
        send_sms(session, rt, volunteer.phone, body, purpose="alert_volunteer",
                 elder_id=request.elder_id, help_request_id=request.id)


def alert_everyone(session: Session, rt: Runtime, request: HelpRequest) -> None:
    """Nobody answered: every active volunteer and every contact is texted."""
    recipients: dict[str, str] = {
        v.phone: v.language for v in session.scalars(select(Volunteer).where(Volunteer.active.is_(True)))}
    if request.elder is not None:
        for contact in request.elder.contacts:
            recipients.setdefault(contact.phone, contact_language(contact, request.elder))
    for phone, lang in recipients.items():
        body = rt.languages.render(lang, "alert.unanswered", "sms", id=request.id, who=_who(request),
                                   phone=request.caller_phone, said=said(rt.languages, request, lang))
        send_sms(session, rt, phone, body, purpose="alert_unanswered", elder_id=request.elder_id,
                 help_request_id=request.id)
    audit.record(session, "system:hotline", "help.escalated", "help_request", request.id)


def alert_call(session: Session, rt: Runtime, request: HelpRequest, to: str) -> tuple[str, str]:
    """What a contact whose alert SMS failed is told by phone, and in which language."""
    elder = request.elder
    contact = next((c for c in elder.contacts if c.phone == to), None) if elder else None
    lang = contact_language(contact, elder) if contact and elder else (
        elder.language if elder else rt.languages.default)
    text = rt.languages.render(lang, "alert.call", "voice", elder=_who(request),
                               said=said(rt.languages, request, lang, chars=200))
    return text, lang


def acknowledge(session: Session, request: HelpRequest, volunteer: Volunteer, *, actor: str,
                now: datetime) -> None:
    if request.status != HelpStatus.OPEN:
        raise HelpRequestClosed(request.status)
    request.status = HelpStatus.ACKNOWLEDGED
    request.acknowledged_at = now
    request.acknowledged_by_id = volunteer.id
    request.assigned_to_id = request.assigned_to_id or volunteer.id
    audit.record(session, actor, "help.acknowledged", "help_request", request.id)


def resolve(session: Session, request: HelpRequest, volunteer: Volunteer, *, actor: str,
            now: datetime, note: str = "") -> None:
    if request.status == HelpStatus.RESOLVED:
        raise HelpRequestClosed(request.status)
    if request.acknowledged_at is None:
        request.acknowledged_at, request.acknowledged_by_id = now, volunteer.id
    request.status = HelpStatus.RESOLVED
    request.resolved_at = now
    request.resolved_by_id = volunteer.id
    if note:
        request.notes = f"{request.notes}\n{note}".strip()
    audit.record(session, actor, "help.resolved", "help_request", request.id, note=note)
