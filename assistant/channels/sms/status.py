"""Twilio's reports on a text the hotline sent (its status callback): an SMS that could not be
delivered is flagged for the volunteers, and an alert to a contact that failed is tried
again as a call."""
from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import select

from assistant.db.models import SmsMessage
from assistant.phones import mask
from assistant.runtime import Runtime
from assistant.services.messaging import place_call

log = logging.getLogger(__name__)

FAILED_SMS_STATUSES = ("failed", "undelivered")
ALERT_CALL_PATH = "/voice/alert/{request_id}"


@dataclass(frozen=True)
class MessageStatus:
    message_sid: str
    status: str
    error_code: str = ""


def message_status(rt: Runtime, event: MessageStatus) -> None:
    with rt.db.session() as session:
        message = session.scalars(select(SmsMessage).where(SmsMessage.message_sid == event.message_sid)).first()
        if message is None:
            log.info("status %s for an unknown message %s", event.status, event.message_sid)
            return
        newly_failed = event.status in FAILED_SMS_STATUSES and message.status not in FAILED_SMS_STATUSES
        message.status = event.status
        if newly_failed:
            message.flagged = True
            log.warning("SMS %s to %s (%s) %s, error %s", event.message_sid, mask(message.to_number),
                        message.purpose, event.status, event.error_code or "-")
            if message.purpose == "alert_contact" and message.help_request_id is not None:
                place_call(session, rt, message.to_number,
                           ALERT_CALL_PATH.format(request_id=message.help_request_id),
                           purpose="alert", elder_id=message.elder_id)
