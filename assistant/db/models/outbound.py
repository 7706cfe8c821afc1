"""The scheduler's source of truth: one task per occurrence, and the single-scheduler lock."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from assistant.db.base import Base, one_of, utcnow


class TaskKind(StrEnum):
    CHECKIN = "checkin"
    MEDICINE = "medicine"
    APPOINTMENT = "appointment_reminder"
    PROVIDER_SUMMARY = "provider_summary"
    CALLBACK = "callback"
    """Calling back a hotline caller who hung up before the greeting."""


class TaskStatus(StrEnum):
    PENDING = "pending"
    PLACING = "placing"
    """Claimed by the dispatcher; the call or SMS may or may not have gone out yet."""
    IN_PROGRESS = "in_progress"
    RETRY = "retry"
    DONE = "done"
    MISSED = "missed"
    ESCALATED = "escalated"
    SKIPPED = "skipped"
    FAILED = "failed"


AWAITING = (TaskStatus.PENDING, TaskStatus.RETRY)
"""Statuses of a task waiting for its next attempt."""


class OutboundTask(Base):
    __tablename__ = "outbound_tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(160), unique=True)
    """One occurrence: "<elder id>:<kind>:<local date>:<slot>"; placing it twice is impossible."""
    kind: Mapped[str] = mapped_column(String(24))
    """A TaskKind."""
    elder_id: Mapped[int | None] = mapped_column(ForeignKey("elders.id", ondelete="CASCADE"))
    due_at: Mapped[datetime]
    next_attempt_at: Mapped[datetime]
    attempt: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(String(16), default=TaskStatus.PENDING)
    channel: Mapped[str] = mapped_column(String(8), default="call")
    call_sids: Mapped[list[str]] = mapped_column(default=list)
    outcome: Mapped[str] = mapped_column(String(40), default="")
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (Index("ix_outbound_tasks_due", "status", "next_attempt_at"),
                      Index("ix_outbound_tasks_elder", "elder_id", "due_at"),
                      one_of("kind", TaskKind), one_of("status", TaskStatus))


class SchedulerLock(Base):
    """A lease: the scheduler holding it renews `expires_at`; another takes over once it lapses."""

    __tablename__ = "scheduler_lock"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str] = mapped_column(String(120))
    expires_at: Mapped[datetime]
    acquired_at: Mapped[datetime] = mapped_column(default=utcnow)
