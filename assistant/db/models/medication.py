"""Medicines an elder takes, their dose times, and what happened at each dose."""
from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from assistant.db.base import Base, one_of, utcnow

if TYPE_CHECKING:
    from assistant.db.models.people import Elder



class DoseStatus(StrEnum):
    PENDING = "pending"
    TAKEN = "taken"
    MISSED = "missed"
    LATER = "later"


class Medication(Base):
    __tablename__ = "medications"

    id: Mapped[int] = mapped_column(primary_key=True)
    elder_id: Mapped[int] = mapped_column(ForeignKey("elders.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120), index=True)
    dose: Mapped[str] = mapped_column(String(60), default="")
    times: Mapped[list[str]] = mapped_column(default=list)
    """Local dose times "HH:MM", in the elder's timezone."""
    channel: Mapped[str] = mapped_column(String(8), default="call")
    active: Mapped[bool] = mapped_column(default=True)

    elder: Mapped[Elder] = relationship(back_populates="medications")

    __table_args__ = (UniqueConstraint("elder_id", "name"),)


class DoseEvent(Base):
    """One scheduled dose on one local day: taken, missed, or re-reminded later."""

    __tablename__ = "dose_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    medication_id: Mapped[int] = mapped_column(ForeignKey("medications.id", ondelete="CASCADE"))
    elder_id: Mapped[int] = mapped_column(ForeignKey("elders.id", ondelete="CASCADE"))
    local_date: Mapped[date]
    slot: Mapped[str] = mapped_column(String(5))
    status: Mapped[str] = mapped_column(String(10), default=DoseStatus.PENDING)
    source: Mapped[str] = mapped_column(String(16), default="")
    """How the status was learned: call, sms, volunteer, scheduler."""
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    medication: Mapped[Medication] = relationship()

    __table_args__ = (UniqueConstraint("medication_id", "local_date", "slot"),
                      Index("ix_dose_events_elder_date", "elder_id", "local_date"),
                      one_of("status", DoseStatus))
