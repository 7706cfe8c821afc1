"""Twilio's reports on a text the hotline sent (its status callback): an SMS that could not be
delivered is flagged for the volunteers, and an alert to a contact that failed is tried
again as a call, once. A callback carrying the outbox's reference also settles an outbox row
the sender was unsure about."""
from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import select

from assistant.db.models import SmsMessage
from assistant.phones import mask
from assistant.runtime import Runtime
from assistant.services.messaging import place_call
from assistant.services.outbox import settled_sids

log = logging.getLogger(__name__)

FAILED_SMS_STATUSES = ("failed", "undelivered")
ALERT_CALL_PATH = "/voice/alert/{request_id}"


@dataclass(frozen=True)
class MessageStatus:
    message_sid: str
    status: str
    error_code: str = ""
    outbox_ref: str = ""
    """The outbox row the text was sent from, when the callback URL named it."""


def message_status(rt: Runtime, event: MessageStatus) -> None:
    with rt.db.session() as session:
        sids = settled_sids(session, event.message_sid, event.outbox_ref, rt.clock.now())
        message = session.scalars(select(SmsMessage).where(SmsMessage.message_sid.in_(sids))).first()
        if message is None:
            log.info("status %s for an unknown message %s", event.status, event.message_sid)
            return
        first_failure = event.status in FAILED_SMS_STATUSES and not message.flagged
        message.status = event.status
        if first_failure:   # once, however the statuses arrive (failed, delivered, failed)
            message.flagged = True
            log.warning("SMS %s to %s (%s) %s, error %s", event.message_sid, mask(message.to_number),
                        message.purpose, event.status, event.error_code or "-")
            if message.purpose == "alert_contact" and message.help_request_id is not None:
                place_call(session, rt, message.to_number,
                           ALERT_CALL_PATH.format(request_id=message.help_request_id),
                           purpose="alert", elder_id=message.elder_id)
