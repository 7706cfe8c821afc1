"""Twilio's reports on a call (its status callback): how it ended, and what follows.

A call's final status drives the scheduler's retry ladder for the task that placed it; a
hotline caller who hangs up before the greeting is called back. A callback carrying the
outbox's reference also settles an outbox row the sender was unsure about.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import select

from assistant.db.models import Call
from assistant.runtime import Runtime
from assistant.services import callbacks, outbound
from assistant.services.outbox import settled_sids

log = logging.getLogger(__name__)

FINAL_CALL_STATUSES = ("completed", "busy", "no-answer", "failed", "canceled")


@dataclass(frozen=True)
class CallStatus:
    call_sid: str
    status: str
    answered_by: str | None = None
    duration_seconds: int | None = None
    outbox_ref: str = ""
    """The outbox row the call was sent from, when the callback URL named it."""


def call_outcome(status: str, answered_by: str) -> str:
    """"answered", "machine" (an answering machine or fax), or Twilio's status for unanswered calls."""
    if status != "completed":
        return status
    return "machine" if answered_by.startswith("machine") or answered_by == "fax" else "answered"


def call_status(rt: Runtime, event: CallStatus) -> None:
    now = rt.clock.now()
    with rt.db.session() as session:
        sids = settled_sids(session, event.call_sid, event.outbox_ref, now)
        call = session.scalars(select(Call).where(Call.call_sid.in_(sids))).first()
        if call is None:
            log.info("status %s for an unknown call %s", event.status, event.call_sid)
            return
        call.status = event.status
        if event.answered_by is not None:
            call.answered_by = event.answered_by
        if event.duration_seconds is not None:
            call.duration_seconds = event.duration_seconds
        if event.status in FINAL_CALL_STATUSES:
            outcome = call_outcome(event.status, call.answered_by)
            call.ended_at = call.ended_at or now
            call.outcome = call.outcome or outcome
            if call.direction == "outbound":
                outbound.on_call_ended(session, rt, call, outcome, now)
            else:
                callbacks.after_inbound_call(session, rt.config, call, now)
