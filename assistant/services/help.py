"""Help requests: open one, alert the right people at once, escalate when nobody answers.

Shared by the voice and SMS help flows and by the scheduler's missed check-ins, so an
elder's emergency reaches people the same way whichever way it was raised. Every alert is
rendered in its reader's language: a volunteer's own, a contact's (else the elder's).
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.db.models import Contact, Elder, HelpKind, HelpRequest, HelpStatus, Severity, Volunteer
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
    words = " ".join(request.summary.split())
    if len(words) > chars:
        words = words[: chars - 1] + "…"
    if not request.reason:
        return words
    return languages.render(lang, f"reason.{request.reason}", "sms", said=words, **request.reason_values)


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
