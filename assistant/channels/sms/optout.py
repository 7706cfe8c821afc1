"""Opting out of and back into SMS (STOP / START, 退订 / 订阅), as carriers require.

The opt-out is one `SmsOptOut` row per number; `messaging.send_sms` (alerts, reminders,
notifications) and the SMS webhook's replies both check it, so nothing is texted to the number
until it opts back in. Both changes are in the audit log.
"""
from __future__ import annotations

import logging

from sqlalchemy.orm import Session

from assistant.db.models import SmsOptOut
from assistant.phones import mask
from assistant.services import audit

log = logging.getLogger(__name__)


def opt_out(session: Session, phone: str, keyword: str) -> None:
    """Record that `phone` texted an opt-out `keyword` (again: nothing changes)."""
    if session.get(SmsOptOut, phone) is None:
        session.add(SmsOptOut(phone=phone, keyword=keyword[:20]))
        audit.record(session, f"sms:{phone}", "sms.opted_out", "sms_opt_out", phone, keyword=keyword[:20])
        log.info("%s opted out of SMS", mask(phone))


def opt_in(session: Session, phone: str) -> None:
    """`phone` texted START: it may be texted again."""
    opted_out = session.get(SmsOptOut, phone)
    if opted_out is not None:
        session.delete(opted_out)
        audit.record(session, f"sms:{phone}", "sms.opted_in", "sms_opt_out", phone)
        log.info("%s opted back in to SMS", mask(phone))
