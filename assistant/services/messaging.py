"""Outbound SMS and calls as the app records them: opt-outs respected, every message stored.

Everything the app sends goes through here (and from here through the telephony port), so
an opted-out number is never texted and every attempt, sent or failed, is visible to volunteers.
"""
from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.db.models import Call, SmsMessage, SmsOptOut
from assistant.phones import mask
from assistant.runtime import Runtime
from assistant.telephony import TelephonyError

log = logging.getLogger(__name__)


def is_opted_out(session: Session, phone: str) -> bool:
    return session.scalar(select(SmsOptOut.phone).where(SmsOptOut.phone == phone)) is not None


def send_sms(session: Session, rt: Runtime, to: str, body: str, *, purpose: str,
             elder_id: int | None = None, help_request_id: int | None = None) -> SmsMessage | None:
    """Send and store one SMS; None when the number has opted out (nothing is sent)."""
    if is_opted_out(session, to):
        log.info("not texting %s (%s): opted out", mask(to), purpose)
        return None
    message = SmsMessage(direction="outbound", to_number=to, from_number=rt.config.twilio.from_number,
                         body=body, purpose=purpose, elder_id=elder_id, help_request_id=help_request_id)
    try:
        message.message_sid = rt.telephony.send_sms(
            to, body, status_callback=f"{rt.config.public_url}/status/sms", session=session)
        message.status = "queued"
    except TelephonyError as exc:
        log.warning("SMS to %s (%s) failed: %s", mask(to), purpose, exc)
        message.status, message.flagged = "failed", True
    session.add(message)
    session.flush()
    return message


def place_call(session: Session, rt: Runtime, to: str, path: str, *, purpose: str,
               elder_id: int | None = None, machine_detection: bool = False,
               timeout_seconds: int = 30) -> Call | None:
    """Dial `to`; when answered the call runs the TwiML at `path`. None if placing failed."""
    try:
        sid = rt.telephony.place_call(
            to, f"{rt.config.public_url}{path}", status_callback=f"{rt.config.public_url}/status/call",
            machine_detection=machine_detection, timeout_seconds=timeout_seconds, session=session)
    except TelephonyError as exc:
        log.warning("call to %s (%s) failed: %s", mask(to), purpose, exc)
        return None
    call = Call(call_sid=sid, direction="outbound", purpose=purpose, elder_id=elder_id,
                to_number=to, from_number=rt.config.twilio.from_number, status="queued")
    session.add(call)
    session.flush()
    return call

