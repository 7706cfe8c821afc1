"""Calls and their turns, SMS messages, and the conversation sessions that span them."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from assistant.db.base import Base, utcnow

if TYPE_CHECKING:
    from assistant.db.models.people import Elder


class Call(Base):
    __tablename__ = "calls"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_sid: Mapped[str] = mapped_column(String(64), unique=True)
    direction: Mapped[str] = mapped_column(String(10), default="inbound")
    purpose: Mapped[str] = mapped_column(String(20), default="hotline")
    """hotline, checkin, medicine, appointment, help_dial, alert..."""
    elder_id: Mapped[int | None] = mapped_column(ForeignKey("elders.id", ondelete="SET NULL"))
    from_number: Mapped[str] = mapped_column(String(20), default="")
    to_number: Mapped[str] = mapped_column(String(20), default="")
    language: Mapped[str] = mapped_column(String(8), default="")
    status: Mapped[str] = mapped_column(String(20), default="in-progress")
    outcome: Mapped[str] = mapped_column(String(40), default="")
    answered_by: Mapped[str] = mapped_column(String(20), default="")
    flagged: Mapped[bool] = mapped_column(default=False)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    duration_seconds: Mapped[int | None]

    elder: Mapped[Elder | None] = relationship()
    turns: Mapped[list[Turn]] = relationship(back_populates="call", order_by="Turn.position",
                                             cascade="all, delete-orphan")

    __table_args__ = (Index("ix_calls_started", "started_at"),
                      Index("ix_calls_elder_started", "elder_id", "started_at"),
                      Index("ix_calls_flagged", "flagged", "started_at"))


class Turn(Base):
    """One exchange in a call: what the assistant said, and what the caller said or pressed."""

    __tablename__ = "turns"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    state: Mapped[str] = mapped_column(String(60), default="")
    prompt: Mapped[str] = mapped_column(Text, default="")
    transcript: Mapped[str] = mapped_column(Text, default="")
    digits: Mapped[str] = mapped_column(String(32), default="")
    recording_path: Mapped[str] = mapped_column(String(300), default="")
    """Relative to the data directory."""
    recording_sid: Mapped[str] = mapped_column(String(64), default="")
    intent: Mapped[str | None] = mapped_column(String(40))
    confidence: Mapped[float | None]
    engine: Mapped[str] = mapped_column(String(20), default="")
    latency_ms: Mapped[int | None]
    needs_review: Mapped[bool] = mapped_column(default=False)
    corrected_text: Mapped[str | None] = mapped_column(Text)
    corrected_intent: Mapped[str | None] = mapped_column(String(40))
    corrected_by_id: Mapped[int | None] = mapped_column(ForeignKey("volunteers.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    call: Mapped[Call] = relationship(back_populates="turns")

    __table_args__ = (Index("ix_turns_call_position", "call_id", "position"),
                      Index("ix_turns_review", "needs_review", "created_at"))


class SmsMessage(Base):
    __tablename__ = "sms_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_sid: Mapped[str | None] = mapped_column(String(64), unique=True)
    direction: Mapped[str] = mapped_column(String(10))
    elder_id: Mapped[int | None] = mapped_column(ForeignKey("elders.id", ondelete="SET NULL"))
    from_number: Mapped[str] = mapped_column(String(20), default="")
    to_number: Mapped[str] = mapped_column(String(20), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    purpose: Mapped[str] = mapped_column(String(20), default="")
    status: Mapped[str] = mapped_column(String(20), default="")
    intent: Mapped[str | None] = mapped_column(String(40))
    confidence: Mapped[float | None]
    flagged: Mapped[bool] = mapped_column(default=False)
    help_request_id: Mapped[int | None] = mapped_column(ForeignKey("help_requests.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    elder: Mapped[Elder | None] = relationship()

    __table_args__ = (Index("ix_sms_created", "created_at"),
                      Index("ix_sms_elder_created", "elder_id", "created_at"),
                      Index("ix_sms_from_created", "from_number", "created_at"))


class ConversationSession(Base):
    """Where a conversation stands: keyed by `call:<CallSid>` or `sms:<E.164 phone>`."""

    __tablename__ = "conversation_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), unique=True)
    channel: Mapped[str] = mapped_column(String(8))
    elder_id: Mapped[int | None] = mapped_column(ForeignKey("elders.id", ondelete="SET NULL"))
    language: Mapped[str] = mapped_column(String(8), default="")
    flow: Mapped[str] = mapped_column(String(40), default="")
    state: Mapped[str] = mapped_column(String(60), default="")
    slots: Mapped[dict[str, Any]] = mapped_column(default=dict)
    misunderstandings: Mapped[int] = mapped_column(default=0)
    last_prompt: Mapped[str] = mapped_column(Text, default="")
    step: Mapped[int] = mapped_column(default=0)
    """Counts answered steps; a webhook naming an older step is a retry and gets `last_response`."""
    last_response: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=0)
    """Bumped on every write, so two processes handling one conversation cannot both win."""
    ended: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    """When the conversation last moved, by the runtime's clock (an SMS thread expires after it)."""

    __mapper_args__ = {"version_id_col": version}


class SmsOptOut(Base):
    """A number that texted STOP: no SMS of any kind goes to it until it texts START."""

    __tablename__ = "sms_opt_outs"

    phone: Mapped[str] = mapped_column(String(20), primary_key=True)
    opted_out_at: Mapped[datetime] = mapped_column(default=utcnow)
    keyword: Mapped[str] = mapped_column(String(20), default="STOP")
