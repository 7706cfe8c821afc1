"""When the ladder ends without an answer: people are told, and a request stays open for them.

Everything goes through `services.help`, so a missed check-in reaches contacts and on-call
volunteers exactly as an emergency raised on the hotline does.
"""
from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.db.models import (Elder, HelpKind, HelpRequest, Medication, OutboundTask, Severity, TaskKind,
                                 TaskStatus)
from assistant.runtime import Runtime
from assistant.services.help import alert_on_open, contact_language, on_call_volunteers, open_request, said
from assistant.services.messaging import send_sms

log = logging.getLogger(__name__)

ACTOR = "system:scheduler"
NOT_PLACED = "missed_while_down"
"""Outcome of an occurrence the scheduler could not place in time (it was not running)."""


def _handler(session: Session) -> str | None:
    """Who follows up, as named in the alert: the first on-call volunteer (None: the organization)."""
    volunteers = on_call_volunteers(session)
    return volunteers[0].name if volunteers else None


def _open_and_alert(session: Session, rt: Runtime, elder: Elder, *, kind: HelpKind, severity: Severity,
                    reason: str, values: dict[str, Any]) -> HelpRequest:
    request = open_request(session, elder=elder, caller_phone=elder.phone, kind=kind, severity=severity,
                           reason=reason, reason_values=values, actor=ACTOR)
    alert_on_open(session, rt, request, handler=_handler(session))
    log.info("help request %d (%s) opened for elder %d", request.id, kind, elder.id)
    return request


def escalate_missed_checkin(session: Session, rt: Runtime, task: OutboundTask) -> HelpRequest | None:
    """Text contacts and on-call volunteers and open an urgent "missed_checkin" request."""
    elder = session.get(Elder, task.elder_id) if task.elder_id else None
    task.status = TaskStatus.ESCALATED
    if elder is None:
        return None
    reason, values = (("checkin_not_placed", {}) if task.outcome == NOT_PLACED
                      else ("missed_checkin", {"attempts": task.attempt}))
    request = _open_and_alert(session, rt, elder, kind=HelpKind.MISSED_CHECKIN, severity=Severity.URGENT,
                              reason=reason, values=values)
    task.payload = {**task.payload, "help_request_id": request.id}
    return request


def report_missed_doses(session: Session, rt: Runtime, elder: Elder, medication_ids: list[int]) -> HelpRequest:
    """Open a normal request (volunteers are alerted) and tell the contacts, which
    `alert_on_open` keeps for emergencies and missed check-ins: the policy here says they hear."""
    names = ", ".join(session.scalars(select(Medication.name).where(Medication.id.in_(medication_ids))
                                      .order_by(Medication.name)))
    request = _open_and_alert(session, rt, elder, kind=HelpKind.MISSED_DOSES, severity=Severity.NORMAL,
                              reason="missed_doses",
                              values={"medications": names, "count": rt.config.outbound.missed_doses_to_report})
    handler = _handler(session)
    for contact in elder.contacts:
        lang = contact_language(contact, elder)
        body = rt.languages.render(lang, "alert.contact.missed_doses", "sms", elder=elder.name,
                                   said=said(rt.languages, request, lang),
                                   handler=handler or rt.languages.organization_name(lang))
        send_sms(session, rt, contact.phone, body, purpose="alert_contact", elder_id=elder.id,
                 help_request_id=request.id)
    return request


def open_for_review(session: Session, task: OutboundTask, reason: str,
                    values: dict[str, Any] | None = None) -> HelpRequest:
    """A normal request on the dashboard for something only a person can settle (`reason`: a
    `reason.<name>` prompt, with its `values`)."""
    elder = session.get(Elder, task.elder_id) if task.elder_id else None
    phone = elder.phone if elder else str(task.payload.get("phone", ""))
    kind = HelpKind.CALLBACK if task.kind == TaskKind.CALLBACK else HelpKind.REQUEST
    return open_request(session, elder=elder, caller_phone=phone, kind=kind, severity=Severity.NORMAL,
                        reason=reason, reason_values=values, actor=ACTOR)
