"""When the ladder ends without an answer: people are told, and a request stays open for them.

Everything goes through `services.help`, so a missed check-in reaches contacts and on-call
volunteers exactly as an emergency raised on the hotline does.
"""
from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.db.models import Elder, HelpRequest, Medication, OutboundTask
from assistant import prompts
from assistant.runtime import Runtime
from assistant.services.help import alert_on_open, on_call_volunteers, open_request
from assistant.services.messaging import send_sms

log = logging.getLogger(__name__)

ACTOR = "system:scheduler"
NOT_PLACED = "missed_while_down"
"""Outcome of an occurrence the scheduler could not place in time (it was not running)."""


def _handler(session: Session, rt: Runtime) -> str:
    """Who follows up, as named in the alert: the first on-call volunteer, else the organization."""
    volunteers = on_call_volunteers(session)
    return volunteers[0].name if volunteers else rt.config.organization.name


def _open_and_alert(session: Session, rt: Runtime, elder: Elder, *, kind: str, severity: str,
                    summary: str) -> HelpRequest:
    request = open_request(session, elder=elder, caller_phone=elder.phone, kind=kind, severity=severity,
                           summary=summary, actor=ACTOR)
    alert_on_open(session, rt, request, handler=_handler(session, rt))
    log.info("help request %d (%s) opened for elder %d", request.id, kind, elder.id)
    return request


def escalate_missed_checkin(session: Session, rt: Runtime, task: OutboundTask) -> HelpRequest | None:
    """Text contacts and on-call volunteers and open an urgent "missed_checkin" request."""
    elder = session.get(Elder, task.elder_id) if task.elder_id else None
    task.status = "escalated"
    if elder is None:
        return None
    if task.outcome == NOT_PLACED:
        summary = "The daily check-in call was not placed in time (the scheduler was not running)."
    else:
        summary = f"No answer to the daily check-in call after {task.attempt} attempt(s) ({task.outcome})."
    request = _open_and_alert(session, rt, elder, kind="missed_checkin", severity="urgent", summary=summary)
    task.payload = {**task.payload, "help_request_id": request.id}
    return request


def report_missed_doses(session: Session, rt: Runtime, elder: Elder, medication_ids: list[int]) -> HelpRequest:
    """Open a normal request (volunteers are alerted) and tell the contacts, which
    `alert_on_open` keeps for emergencies and missed check-ins: the policy here says they hear."""
    names = ", ".join(session.scalars(select(Medication.name).where(Medication.id.in_(medication_ids))
                                      .order_by(Medication.name)))
    streak = rt.config.outbound.missed_doses_to_report
    summary = f"{names}: {streak} doses missed in a row"
    request = _open_and_alert(session, rt, elder, kind="missed_doses", severity="normal", summary=summary)
    for contact in elder.contacts:
        body = prompts.render(elder.language, "alert.contact.missed_doses", "sms", org=rt.config.organization.name,
                              elder=elder.name, said=summary, handler=_handler(session, rt))
        send_sms(session, rt, contact.phone, body, purpose="alert_contact", elder_id=elder.id,
                 help_request_id=request.id)
    return request


def open_for_review(session: Session, task: OutboundTask, summary: str) -> HelpRequest:
    """A normal request on the dashboard for something only a person can settle."""
    elder = session.get(Elder, task.elder_id) if task.elder_id else None
    phone = elder.phone if elder else str(task.payload.get("phone", ""))
    kind = "callback" if task.kind == "callback" else "request"
    return open_request(session, elder=elder, caller_phone=phone, kind=kind, severity="normal",
                        summary=summary, actor=ACTOR)
