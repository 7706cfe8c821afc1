"""The outbox: calls and SMS the app decided on, written in the deciding transaction.

`enqueue` adds a row to the caller's open transaction, so the decision and the message commit
together or not at all. Once the transaction commits, the database tells the outbox sender
(`services.outbox_sender`), which sends through the telephony port; nothing is sent while a
transaction is open. Each row carries our own `ref`: its SmsMessage or Call is stored under
the provisional SID "OB<ref>" until the carrier's SID is known, and the carrier's status
callbacks carry `?ref=` so they find the row even before the sender has recorded the SID.
"""
from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from assistant.db.base import utcnow
from assistant.db.database import OUTBOX_WRITTEN
from assistant.db.models import Call, OutboundTask, OutboxMessage, SmsMessage

PROVISIONAL_PREFIX = "OB"


def provisional_sid(ref: str) -> str:
    return PROVISIONAL_PREFIX + ref


def enqueue(session: Session, *, kind: str, to: str, from_number: str, body: str, purpose: str,
            params: dict[str, Any] | None = None) -> OutboxMessage:
    """A call or SMS to send once `session` commits."""
    row = OutboxMessage(kind=kind, ref=secrets.token_hex(16), to_number=to, from_number=from_number,
                        body=body, purpose=purpose[:20], params=params or {}, status="pending",
                        next_attempt_at=utcnow())
    session.add(row)
    session.info[OUTBOX_WRITTEN] = True
    return row


def record_sent(session: Session, row_id: int, sid: str, now: datetime) -> bool:
    """Mark the row sent under the carrier's `sid` and give its message or call that SID.
    True only for the one caller that made the change, however many report it."""
    row = session.get(OutboxMessage, row_id)
    if row is None:
        return False
    done = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == row_id, OutboxMessage.status.in_(("pending", "sending", "unsure")))
        .values(status="sent", sid=sid, sent_at=now, claimed_until=None, last_error="")
        .execution_options(synchronize_session=False)).rowcount == 1
    if not done:
        return False
    provisional = provisional_sid(row.ref)
    if row.kind == "sms":
        session.execute(update(SmsMessage).where(SmsMessage.message_sid == provisional)
                        .values(message_sid=sid, status="queued").execution_options(synchronize_session=False))
        return True
    session.execute(update(Call).where(Call.call_sid == provisional)
                    .values(call_sid=sid).execution_options(synchronize_session=False))
    task_id = row.params.get("task_id")
    task = session.get(OutboundTask, task_id) if task_id else None
    if task is not None and provisional in task.call_sids:
        task.call_sids = [sid if s == provisional else s for s in task.call_sids]
    return True


def record_failed(session: Session, row: OutboxMessage, error: str, now: datetime, *,
                  surely_unsent: bool = True) -> None:
    """Give up on the row: its SMS or call is flagged failed for volunteers. A scheduler call
    that `surely_unsent` counts as unanswered at the scheduler's next tick; one that may have
    gone out waits for its status as any placed call does."""
    row.status, row.last_error, row.claimed_until = "failed", error[:200], None
    provisional = provisional_sid(row.ref)
    if row.kind == "sms":
        session.execute(update(SmsMessage).where(SmsMessage.message_sid == provisional)
                        .values(status="failed", flagged=True).execution_options(synchronize_session=False))
        return
    session.execute(update(Call).where(Call.call_sid == provisional)
                    .values(status="failed", outcome="not_placed", flagged=True, ended_at=now)
                    .execution_options(synchronize_session=False))
    task_id = row.params.get("task_id")
    if task_id and surely_unsent:
        session.execute(update(OutboundTask)
                        .where(OutboundTask.id == task_id, OutboundTask.status == "in_progress")
                        .values(next_attempt_at=now).execution_options(synchronize_session=False))


def settle_from_callback(session: Session, ref: str, sid: str, now: datetime) -> None:
    """A status callback for `ref` proves the carrier took it: record it sent (if not yet)."""
    row_id = session.scalar(select(OutboxMessage.id).where(OutboxMessage.ref == ref))
    if row_id is not None and sid:
        record_sent(session, row_id, sid, now)


def settled_sids(session: Session, sid: str, ref: str, now: datetime) -> list[str]:
    """The SIDs a message or call a status callback reports on may be stored under: its
    carrier SID, and (when the callback names its outbox row `ref`) the provisional one it
    had until the sender recorded the SID, which this records if the sender could not (a
    timeout, a crash)."""
    if not ref:
        return [sid]
    settle_from_callback(session, ref, sid, now)
    return [sid, provisional_sid(ref)]
