"""Elders' profiles with their 30 days at a glance, and orders moving through their states."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from assistant.db.base import utcnow
from assistant.db.database import Database
from assistant.db.models import (AuditLog, Contact, DoseEvent, Elder, MealOrder, Medication,
                                 OutboundTask, SmsOptOut)
from tests.web.dashboard.conftest import Dashboard, add_elder


def test_the_elders_list_finds_by_name_or_phone(volunteer_dashboard: Dashboard, db: Database) -> None:
    add_elder(db)
    add_elder(db, name="Harold Smith", phone="+15550123002")
    assert "Harold" not in volunteer_dashboard.get("/elders?q=mary").get_data(as_text=True)
    assert "Harold" in volunteer_dashboard.get("/elders?q=3002").get_data(as_text=True)


def test_a_profile_shows_contacts_medicines_opt_out_and_thirty_days(volunteer_dashboard: Dashboard,
                                                                     db: Database) -> None:
    elder_id = add_elder(db)
    zone = ZoneInfo("America/New_York")
    today = datetime.now(zone).date()
    with db.session() as session:
        session.add(Contact(elder_id=elder_id, name="Tom Jones", phone="+15550123009", relation="son"))
        medication = Medication(elder_id=elder_id, name="Metformin", dose="500 mg", times=["08:00", "20:00"])
        session.add(medication)
        session.add(SmsOptOut(phone="+15550123001"))
        session.flush()
        for days_ago, status in ((1, "done"), (2, "missed")):
            due = datetime.combine(today - timedelta(days=days_ago), datetime.min.time(), zone) + timedelta(hours=9)
            session.add(OutboundTask(key=f"{elder_id}:checkin:{days_ago}", kind="checkin", elder_id=elder_id,
                                     due_at=due, next_attempt_at=due, status=status))
        for slot, status in (("08:00", "taken"), ("20:00", "missed")):
            session.add(DoseEvent(medication_id=medication.id, elder_id=elder_id,
                                  local_date=today - timedelta(days=1), slot=slot, status=status))
    page = volunteer_dashboard.get(f"/elders/{elder_id}").get_data(as_text=True)
    assert "Tom Jones" in page and "Metformin" in page and "08:00, 20:00" in page
    assert "Opted out" in page
    assert "Check-ins answered: 1 of 2. Doses taken: 1 of 2." in page
    assert page.count('class="day bad"') == 2 and page.count("✓") >= 1


def test_an_order_moves_requested_dispatched_accepted_done_with_who_and_when(
        volunteer_dashboard: Dashboard, db: Database) -> None:
    with db.session() as session:
        order = MealOrder(elder_id=add_elder(db), meal="lunch", day=date.today())
        session.add(order)
        session.flush()
        order_id = order.id
    for status in ("dispatched", "accepted", "done"):
        assert volunteer_dashboard.post(f"/orders/meal/{order_id}/{status}").status_code == 302
    with db.session() as session:
        order = session.get(MealOrder, order_id)
        assert order.status == "done" and order.handled_by == "Li Helper"
        assert order.dispatched_at and order.accepted_at and order.done_at
        actions = session.scalars(select(AuditLog.action).where(AuditLog.entity == "meal")
                                  .order_by(AuditLog.id)).all()
    assert actions == ["order.dispatched", "order.accepted", "order.done"]
    assert "Li Helper" in volunteer_dashboard.get("/orders?kind=meal&status=done").get_data(as_text=True)


def test_an_order_cannot_skip_a_step_or_be_cancelled_when_done(volunteer_dashboard: Dashboard,
                                                               db: Database) -> None:
    with db.session() as session:
        order = MealOrder(meal="lunch", day=date.today(), status="done", done_at=utcnow())
        session.add(order)
        session.flush()
        order_id = order.id
    response = volunteer_dashboard.post(f"/orders/meal/{order_id}/cancelled", follow_redirects=True)
    assert "cannot move" in response.get_data(as_text=True)
    with db.session() as session:
        assert session.get(MealOrder, order_id).status == "done"


def test_every_orders_tab_and_status_filter_answers(volunteer_dashboard: Dashboard) -> None:
    for kind in ("appointment", "meal", "purchase"):
        for status in ("open", "all", "cancelled"):
            assert volunteer_dashboard.get(f"/orders?kind={kind}&status={status}").status_code == 200
    assert volunteer_dashboard.get("/orders?kind=pizza").status_code == 400


def test_the_profile_of_an_unknown_elder_is_not_found(volunteer_dashboard: Dashboard) -> None:
    assert volunteer_dashboard.get("/elders/999").status_code == 404


def test_elder_records_are_unchanged_by_viewing(volunteer_dashboard: Dashboard, db: Database) -> None:
    elder_id = add_elder(db)
    volunteer_dashboard.get(f"/elders/{elder_id}")
    with db.session() as session:
        assert session.get(Elder, elder_id).name == "Mary Jones"
        assert session.scalars(select(AuditLog.action).where(AuditLog.action != "auth.signed_in")).all() == []
