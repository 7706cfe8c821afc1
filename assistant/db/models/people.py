"""People: elders and their contacts, volunteers, doctors."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from assistant.db.base import Base, utcnow

if TYPE_CHECKING:
    from assistant.db.models.medication import Medication


class Doctor(Base):
    __tablename__ = "doctors"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    clinic: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(20), default="")
    aliases: Mapped[list[str]] = mapped_column(default=list)
    language: Mapped[str] = mapped_column(String(8), default="")
    """The language the clinic is written to in; "" for the organization's."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Elder(Base):
    __tablename__ = "elders"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str] = mapped_column(String(20), index=True)
    """E.164. Not unique: a landline may be shared by two elders (the call asks who speaks)."""
    language: Mapped[str] = mapped_column(String(8), default="en")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    address: Mapped[str] = mapped_column(String(300), default="")
    doctor_id: Mapped[int | None] = mapped_column(ForeignKey("doctors.id", ondelete="SET NULL"))
    diet: Mapped[str] = mapped_column(String(40), default="")
    """A meal menu code (standard, soft, diabetic...) used as the default when ordering."""
    checkin_time: Mapped[str | None] = mapped_column(String(5))
    checkin_channel: Mapped[str] = mapped_column(String(8), default="call")
    active: Mapped[bool] = mapped_column(default=True)
    away_until: Mapped[datetime | None]
    notes: Mapped[str] = mapped_column(String(2000), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    doctor: Mapped[Doctor | None] = relationship()
    contacts: Mapped[list[Contact]] = relationship(
        back_populates="elder", order_by="Contact.position", cascade="all, delete-orphan")
    medications: Mapped[list[Medication]] = relationship(
        back_populates="elder", order_by="Medication.id", cascade="all, delete-orphan")

    __table_args__ = (UniqueConstraint("phone", "name"), Index("ix_elders_active", "active"))


class Contact(Base):
    """A family member or neighbour to tell when something is wrong, in order of `position`."""

    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    elder_id: Mapped[int] = mapped_column(ForeignKey("elders.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str] = mapped_column(String(20), index=True)
    relation: Mapped[str] = mapped_column(String(40), default="")
    language: Mapped[str] = mapped_column(String(8), default="")
    """The language alerts reach this contact in; "" for the elder's."""

    elder: Mapped[Elder] = relationship(back_populates="contacts")


class Volunteer(Base):
    __tablename__ = "volunteers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str] = mapped_column(String(20), unique=True)
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255), default="")
    must_change_password: Mapped[bool] = mapped_column(default=False)
    """Set for demo and imported passwords: the first sign-in leads to the change-password page."""
    role: Mapped[str] = mapped_column(String(16), default="volunteer")
    on_call: Mapped[bool] = mapped_column(default=False)
    on_call_order: Mapped[int] = mapped_column(default=0)
    language: Mapped[str] = mapped_column(String(8), default="en")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_volunteers_on_call", "on_call", "on_call_order"),)
