"""Order state transitions: one step at a time, stamped, audited."""
from __future__ import annotations

from datetime import datetime, timezone


import pytest

from assistant.db.database import Database
from assistant.db.models import AuditLog, OrderStatus, Purchase
from assistant.services.order_states import OrderTransitionError, move

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=timezone.utc)


def test_a_purchase_moves_through_every_state_and_each_step_is_stamped(db: Database) -> None:
    with db.session() as session:
        order = Purchase(item="Metformin")
        session.add(order)
        session.flush()
        for status in ("dispatched", "accepted", "done"):
            move(session, order, OrderStatus(status), actor="volunteer:1", handled_by="Li", now=NOW)
        assert order.dispatched_at and order.accepted_at and order.done_at and order.handled_by == "Li"
        assert [e.action for e in session.query(AuditLog).order_by(AuditLog.id)] == [
            "order.dispatched", "order.accepted", "order.done"]


@pytest.mark.parametrize(("start", "to"), [("requested", "accepted"), ("done", "cancelled"),
                                           ("cancelled", "dispatched"), ("requested", "requested")])
def test_an_order_cannot_skip_go_back_or_leave_a_final_state(db: Database, start: str, to: str) -> None:
    with db.session() as session:
        order = Purchase(item="x", status=start)
        session.add(order)
        session.flush()
        with pytest.raises(OrderTransitionError):
            move(session, order, OrderStatus(to), actor="volunteer:1", handled_by="Li", now=NOW)
