"""Help requests: an emergency, a missed check-in, a call-back wanted. Open until a person acts."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from assistant.db.base import Base, one_of, utcnow

if TYPE_CHECKING:
    from assistant.db.models.people import Elder, Volunteer


class HelpStatus(StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"


class Severity(StrEnum):
    URGENT = "urgent"
    NORMAL = "normal"


class HelpKind(StrEnum):
    EMERGENCY = "emergency"
    CALLBACK = "callback"
    """She is not well, or asked for a person by text: call her back."""
    MISSED_CHECKIN = "missed_checkin"
    VOICE_MESSAGE = "voice_message"
    NEW_CALLER = "new_caller"
    FAILED_ALERT = "failed_alert"
    MISSED_DOSES = "missed_doses"
    REQUEST = "request"
    """Something only a person can settle: change a time, check a call that may not have gone out."""


class HelpRequest(Base):
    __tablename__ = "help_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    elder_id: Mapped[int | None] = mapped_column(ForeignKey("elders.id", ondelete="SET NULL"))
    caller_phone: Mapped[str] = mapped_column(String(20), default="")
    kind: Mapped[str] = mapped_column(String(20), default=HelpKind.EMERGENCY)
    severity: Mapped[str] = mapped_column(String(10), default=Severity.URGENT)
    status: Mapped[str] = mapped_column(String(14), default=HelpStatus.OPEN)
    summary: Mapped[str] = mapped_column(String(2000), default="")
    """What the elder said, in her words, for the people alerted."""
    reason: Mapped[str] = mapped_column(String(40), default="")
    """Why the request was opened, as a prompt (`reason.<reason>` in prompts/<lang>.yaml), so
    each reader gets it in her own language; "" when her words say it all."""
    reason_values: Mapped[dict[str, Any]] = mapped_column(default=dict)
    """The placeholders of the reason's prompt."""
    call_id: Mapped[int | None] = mapped_column(ForeignKey("calls.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("volunteers.id", ondelete="SET NULL"))
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("volunteers.id", ondelete="SET NULL"))
    resolved_at: Mapped[datetime | None]
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("volunteers.id", ondelete="SET NULL"))
    notes: Mapped[str] = mapped_column(String(4000), default="")

    elder: Mapped[Elder | None] = relationship()
    assigned_to: Mapped[Volunteer | None] = relationship(foreign_keys=[assigned_to_id])
    acknowledged_by: Mapped[Volunteer | None] = relationship(foreign_keys=[acknowledged_by_id])
    resolved_by: Mapped[Volunteer | None] = relationship(foreign_keys=[resolved_by_id])

    __table_args__ = (Index("ix_help_requests_status_severity", "status", "severity", "created_at"),
                      Index("ix_help_requests_elder", "elder_id", "created_at"),
                      one_of("kind", HelpKind), one_of("severity", Severity), one_of("status", HelpStatus))
