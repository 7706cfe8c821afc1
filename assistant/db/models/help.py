"""Help requests: an emergency, a missed check-in, a call-back wanted. Open until a person acts."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from assistant.db.base import Base, utcnow

if TYPE_CHECKING:
    from assistant.db.models.people import Elder, Volunteer

HELP_STATUSES = ("open", "acknowledged", "resolved")
HELP_SEVERITIES = ("urgent", "normal")
HELP_KINDS = ("emergency", "callback", "missed_checkin", "voice_message", "new_caller",
              "failed_alert", "missed_doses", "request")


class HelpRequest(Base):
    __tablename__ = "help_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    elder_id: Mapped[int | None] = mapped_column(ForeignKey("elders.id", ondelete="SET NULL"))
    caller_phone: Mapped[str] = mapped_column(String(20), default="")
    kind: Mapped[str] = mapped_column(String(20), default="emergency")
    severity: Mapped[str] = mapped_column(String(10), default="urgent")
    status: Mapped[str] = mapped_column(String(14), default="open")
    summary: Mapped[str] = mapped_column(String(2000), default="")
    """What the elder said (or why the request was opened), for the people alerted."""
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
                      Index("ix_help_requests_elder", "elder_id", "created_at"))
