"""What elders ask for: doctor's appointments, meals, purchases on their behalf.

Every order moves through the 12349-style loop: requested -> dispatched -> accepted -> done,
or cancelled; each change is stamped with who and when (and written to the audit log).
"""
from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from assistant.db.base import Base, one_of, utcnow

if TYPE_CHECKING:
    from assistant.db.models.people import Doctor, Elder


class OrderStatus(StrEnum):
    REQUESTED = "requested"
    DISPATCHED = "dispatched"
    ACCEPTED = "accepted"
    DONE = "done"
    CANCELLED = "cancelled"


OPEN_ORDER_STATUSES = (OrderStatus.REQUESTED, OrderStatus.DISPATCHED, OrderStatus.ACCEPTED)
"""An order somebody still has to act on (it may still be cancelled)."""


class OrderKind(StrEnum):
    """The kinds of order, as URLs, slots and the audit log name them."""

    APPOINTMENT = "appointment"
    MEAL = "meal"
    PURCHASE = "purchase"


class _OrderColumns:
    """Columns every kind of order shares."""

    id: Mapped[int] = mapped_column(primary_key=True)
    elder_id: Mapped[int | None] = mapped_column(ForeignKey("elders.id", ondelete="SET NULL"))
    caller_phone: Mapped[str] = mapped_column(String(20), default="")
    """Who asked, kept for orders from unknown numbers ("new caller" follow-ups)."""
    status: Mapped[str] = mapped_column(String(16), default=OrderStatus.REQUESTED)
    call_id: Mapped[int | None] = mapped_column(ForeignKey("calls.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(String(2000), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    dispatched_at: Mapped[datetime | None]
    accepted_at: Mapped[datetime | None]
    done_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    handled_by: Mapped[str] = mapped_column(String(120), default="")


class Appointment(_OrderColumns, Base):
    __tablename__ = "appointments"

    doctor_id: Mapped[int | None] = mapped_column(ForeignKey("doctors.id", ondelete="SET NULL"))
    day: Mapped[date | None]
    part_of_day: Mapped[str] = mapped_column(String(16), default="")
    time: Mapped[str] = mapped_column(String(5), default="")

    elder: Mapped[Elder | None] = relationship()
    doctor: Mapped[Doctor | None] = relationship()

    __table_args__ = (Index("ix_appointments_status_day", "status", "day"),
                      Index("ix_appointments_elder", "elder_id", "created_at"),
                      one_of("status", OrderStatus))


class MealProvider(Base):
    __tablename__ = "meal_providers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    phone: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(8), default="")
    """The language its orders and summaries are written in; "" for the organization's."""


class MealMenuItem(Base):
    __tablename__ = "meal_menu_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    """The name in the organization's default language."""
    names: Mapped[dict[str, str]] = mapped_column(default=dict)
    """The name in other languages: {"zh": "普通餐"}."""
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)


class MealOrder(_OrderColumns, Base):
    __tablename__ = "meal_orders"

    provider_id: Mapped[int | None] = mapped_column(ForeignKey("meal_providers.id", ondelete="SET NULL"))
    menu_item_id: Mapped[int | None] = mapped_column(ForeignKey("meal_menu_items.id", ondelete="SET NULL"))
    meal: Mapped[str] = mapped_column(String(16))
    quantity: Mapped[int] = mapped_column(default=1)
    day: Mapped[date]

    elder: Mapped[Elder | None] = relationship()
    provider: Mapped[MealProvider | None] = relationship()
    menu_item: Mapped[MealMenuItem | None] = relationship()

    __table_args__ = (Index("ix_meal_orders_status_day", "status", "day"),
                      Index("ix_meal_orders_elder", "elder_id", "created_at"),
                      one_of("status", OrderStatus))


class Purchase(_OrderColumns, Base):
    """Something bought on an elder's behalf, such as medicine she ran out of."""

    __tablename__ = "purchases"

    item: Mapped[str] = mapped_column(String(200))
    medication_id: Mapped[int | None] = mapped_column(ForeignKey("medications.id", ondelete="SET NULL"))

    elder: Mapped[Elder | None] = relationship()

    __table_args__ = (Index("ix_purchases_status", "status", "created_at"), one_of("status", OrderStatus))


Order = Appointment | MealOrder | Purchase
ORDER_MODELS: dict[OrderKind, type[Order]] = {OrderKind.APPOINTMENT: Appointment, OrderKind.MEAL: MealOrder,
                                      OrderKind.PURCHASE: Purchase}
"""The one map from an order kind to its model."""


def kind_of(order: Order) -> OrderKind:
    return next(kind for kind, model in ORDER_MODELS.items() if isinstance(order, model))
