"""Orders through the 12349-style loop: requested -> dispatched -> accepted -> done, or cancelled.

Every order's life goes through here: `opened` when it is placed, `move` for each step
after (a provider accepting by SMS, a volunteer on the dashboard, the elder cancelling by
phone). Each step is stamped (`<status>_at`, `handled_by`) and written to the audit log as
`order.<status>`, so the office can see who moved each order and when.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from assistant.db.models import OPEN_ORDER_STATUSES, Order, OrderStatus, kind_of
from assistant.services import audit

NEXT_STATUS = {OrderStatus.REQUESTED: OrderStatus.DISPATCHED, OrderStatus.DISPATCHED: OrderStatus.ACCEPTED,
               OrderStatus.ACCEPTED: OrderStatus.DONE}


class OrderTransitionError(Exception):
    """The order cannot move to that status from where it is."""


def opened(session: Session, order: Order, *, actor: str) -> None:
    """A new order (status requested) is stored and audited."""
    session.add(order)
    session.flush()
    audit.record(session, actor, f"order.{OrderStatus.REQUESTED}", kind_of(order), order.id)


def move(session: Session, order: Order, to_status: OrderStatus, *, actor: str, now: datetime,
         handled_by: str | None = None) -> None:
    """Move `order` one step on (or cancel it), stamping when (and by whom, when a person or
    provider handles it)."""
    allowed = NEXT_STATUS.get(OrderStatus(order.status)) == to_status or (
        to_status == OrderStatus.CANCELLED and order.status in OPEN_ORDER_STATUSES)
    if not allowed:
        raise OrderTransitionError(f"{order.status} -> {to_status}")
    previous = order.status
    order.status = to_status
    setattr(order, f"{to_status}_at", now)
    if handled_by is not None:
        order.handled_by = handled_by[:120]
    audit.record(session, actor, f"order.{to_status}", kind_of(order), order.id, previous=previous)
