"""The audit log of every change people make, sign-in bookkeeping, and the outbox."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from assistant.db.base import Base, utcnow


class AuditLog(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(160))
    """"volunteer:3", "sms:+15550100101", "cli:import", "system:scheduler"."""
    action: Mapped[str] = mapped_column(String(60))
    entity: Mapped[str] = mapped_column(String(40), default="")
    entity_id: Mapped[str] = mapped_column(String(40), default="")
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)

    __table_args__ = (Index("ix_audit_log_at", "at"), Index("ix_audit_log_entity", "entity", "entity_id"))


class SignInFailure(Base):
    """A failed dashboard sign-in, kept briefly so repeated guesses can be slowed down.

    In the database rather than in memory, so every web process sees the same count.
    """

    __tablename__ = "sign_in_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    email: Mapped[str] = mapped_column(String(254))
    remote_addr: Mapped[str] = mapped_column(String(64), default="")

    __table_args__ = (Index("ix_sign_in_failures_email", "email", "at"),
                      Index("ix_sign_in_failures_addr", "remote_addr", "at"))


OUTBOX_STATUSES = ("pending", "sending", "unsure", "sent", "failed")
"""pending: waits for the sender (or for its next retry); sending: claimed by a sender now;
unsure: the carrier may have taken it (a timeout after the request went out, or a sender
that died), settled by the carrier's status callback or sent again with the same `ref`;
sent and failed are final."""


class OutboxMessage(Base):
    """A call or SMS decided by the app: written in the transaction that decides it, sent after
    commit by the outbox sender (Twilio, or the console that only prints it)."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))
    """"sms" or "call"."""
    ref: Mapped[str] = mapped_column(String(32), unique=True)
    """Our own name for it: the idempotency key sent to the carrier, the `ref` of its status
    callbacks, and (prefixed "OB") the SID its SmsMessage or Call carries until it is sent."""
    sid: Mapped[str | None] = mapped_column(String(64), unique=True)
    """The carrier's SID, once sent."""
    to_number: Mapped[str] = mapped_column(String(20))
    from_number: Mapped[str] = mapped_column(String(20), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    """SMS text, or for a call the URL whose TwiML runs when answered."""
    params: Mapped[dict[str, Any]] = mapped_column(default=dict)
    purpose: Mapped[str] = mapped_column(String(20), default="")
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_until: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_outbox_created", "created_at"),
                      Index("ix_outbox_due", "status", "next_attempt_at"))


class DashboardSession(Base):
    """A signed-in browser. The cookie names it; signing out deletes it, so a copied cookie is
    worthless afterwards, and it ends `expires_at` at the latest however busy the volunteer."""

    __tablename__ = "dashboard_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
