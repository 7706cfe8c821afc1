"""The audit log of every change people make, and the console-mode outbox."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, String, Text
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


class OutboxMessage(Base):
    """A call or SMS the console telephony backend 'sent': stored and printed, never dialled."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))
    sid: Mapped[str] = mapped_column(String(64), unique=True)
    to_number: Mapped[str] = mapped_column(String(20))
    from_number: Mapped[str] = mapped_column(String(20), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    """SMS text, or for a call the URL whose TwiML would run when answered."""
    params: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_outbox_created", "created_at"),)
