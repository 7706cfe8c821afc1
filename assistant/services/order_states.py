"""Orders through the 12349-style loop: requested -> dispatched -> accepted -> done, or cancelled.

Placing an order is `services.orders`; this module is what people do to it afterwards.
Each step is stamped (`<status>_at`, `handled_by`) and written to the audit log, so the
office can see who moved each order and when.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from assistant.db.base import utcnow
from assistant.db.models import Appointment, MealOrder, Purchase
from assistant.services import audit

Order = Appointment | MealOrder | Purchase
ORDER_KINDS: dict[str, type[Order]] = {"appointment": Appointment, "meal": MealOrder,
                                       "purchase": Purchase}
NEXT_STATUS = {"requested": "dispatched", "dispatched": "accepted", "accepted": "done"}
OPEN_STATUSES = tuple(NEXT_STATUS)


class OrderTransitionError(Exception):
    """The order cannot move to that status from where it is."""


def kind_of(order: Order) -> str:
    return next(kind for kind, model in ORDER_KINDS.items() if isinstance(order, model))


def move(session: Session, order: Order, to_status: str, *, actor: str, handled_by: str,
         now: datetime | None = None) -> None:
    """Move `order` one step on (or cancel it), stamping when and by whom."""
    allowed = NEXT_STATUS.get(order.status) == to_status or (
        to_status == "cancelled" and order.status in OPEN_STATUSES)
    if not allowed:
        raise OrderTransitionError(f"{order.status} -> {to_status}")
    previous = order.status
    order.status = to_status
    setattr(order, f"{to_status}_at", now or utcnow())
    order.handled_by = handled_by[:120]
    audit.record(session, actor, f"order.{to_status}", kind_of(order), order.id,
                 previous=previous)
