"""Outbound SMS and calls as the app records them: opt-outs respected, every message stored.

Everything the app sends goes through here: the message (SmsMessage or Call) and its outbox
row are written in the caller's transaction, and the outbox sender sends them after it
commits. So an opted-out number is never texted, every attempt is visible to volunteers, and
no transaction waits on the carrier.
"""
from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.db.models import Call, SmsMessage, SmsOptOut
from assistant.phones import mask
from assistant.runtime import Runtime
from assistant.services.outbox import enqueue, provisional_sid

log = logging.getLogger(__name__)


def is_opted_out(session: Session, phone: str) -> bool:
    return session.scalar(select(SmsOptOut.phone).where(SmsOptOut.phone == phone)) is not None


def send_sms(session: Session, rt: Runtime, to: str, body: str, *, purpose: str,
             elder_id: int | None = None, help_request_id: int | None = None) -> SmsMessage | None:
    """Store one SMS and queue it for sending; None when the number has opted out."""
    if is_opted_out(session, to):
        log.info("not texting %s (%s): opted out", mask(to), purpose)
        return None
    row = enqueue(session, kind="sms", to=to, from_number=rt.config.twilio.from_number, body=body,
                  purpose=purpose)
    message = SmsMessage(direction="outbound", message_sid=provisional_sid(row.ref), to_number=to,
                         from_number=rt.config.twilio.from_number, body=body, purpose=purpose,
                         status="pending", elder_id=elder_id, help_request_id=help_request_id)
    session.add(message)
    session.flush()
    return message


def place_call(session: Session, rt: Runtime, to: str, path: str, *, purpose: str,
               elder_id: int | None = None, machine_detection: bool = False,
               timeout_seconds: int = 30, task_id: int | None = None) -> Call:
    """Store one call and queue it for dialling; when answered it runs the TwiML at `path`.
    `task_id` names the outbound task it is an attempt of."""
    params: dict[str, object] = {"machine_detection": machine_detection, "timeout": timeout_seconds}
    if task_id is not None:
        params["task_id"] = task_id
    row = enqueue(session, kind="call", to=to, from_number=rt.config.twilio.from_number,
                  body=f"{rt.config.public_url}{path}", purpose=purpose, params=params)
    call = Call(call_sid=provisional_sid(row.ref), direction="outbound", purpose=purpose, elder_id=elder_id,
                to_number=to, from_number=rt.config.twilio.from_number, status="queued")
    session.add(call)
    session.flush()
    return call
