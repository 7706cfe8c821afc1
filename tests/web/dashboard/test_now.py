"""The Now page: what needs a person, urgent first, and acting on a help request in one click."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from assistant.db.base import utcnow
from assistant.db.database import Database
from assistant.db.models import (AuditLog, HelpRequest, MealOrder, OutboundTask, SmsMessage)
from tests.web.dashboard.conftest import Dashboard, People, add_call, add_elder, add_help_request


def test_open_help_requests_show_urgent_first_with_their_waiting_time(volunteer_dashboard: Dashboard,
                                                                    db: Database) -> None:
    elder = add_elder(db)
    add_help_request(db, elder, severity="normal", kind="callback", summary="please call me",
                     created_at=utcnow() - timedelta(hours=3))
    add_help_request(db, elder, summary="I fell in the kitchen",
                     created_at=utcnow() - timedelta(minutes=12))
    page = volunteer_dashboard.get("/").get_data(as_text=True)
    assert page.index("I fell in the kitchen") < page.index("please call me")
    assert "waiting 12 min" in page and "waiting 3 h 0 min" in page


def test_missed_checkins_failed_alerts_new_callers_and_waiting_orders_are_listed(
        volunteer_dashboard: Dashboard, db: Database) -> None:
    elder = add_elder(db, name="Harold Smith")
    add_call(db, None, from_number="+15550999888", direction="inbound")
    with db.session() as session:
        session.add(OutboundTask(key=f"{elder}:checkin:today:09:30", kind="checkin", elder_id=elder,
                                 due_at=utcnow() - timedelta(hours=1),
                                 next_attempt_at=utcnow(), status="escalated"))
        session.add(SmsMessage(direction="outbound", to_number="+15550123009", body="Mary needs help",
                               status="failed", flagged=True))
        session.add(MealOrder(elder_id=elder, meal="lunch", day=utcnow().date()))
    page = volunteer_dashboard.get("/").get_data(as_text=True)
    assert "Harold Smith" in page and "escalated" in page
    assert "Mary needs help" in page
    assert "+15550999888" in page
    assert "Dispatch" in page


def test_acknowledge_then_resolve_takes_one_click_each_and_is_audited(
        volunteer_dashboard: Dashboard, people: People, db: Database) -> None:
    request_id = add_help_request(db, add_elder(db))
    assert volunteer_dashboard.post(f"/help/{request_id}/acknowledge").status_code == 302
    assert volunteer_dashboard.post(f"/help/{request_id}/resolve", {"note": "neighbour helped"}).status_code == 302
    with db.session() as session:
        request = session.get(HelpRequest, request_id)
        assert request.status == "resolved"
        assert request.acknowledged_by_id == request.resolved_by_id == people.volunteer_id
        assert "neighbour helped" in request.notes
        actions = session.scalars(select(AuditLog.action).where(AuditLog.entity == "help_request")).all()
    assert actions == ["help.acknowledged", "help.resolved"]


def test_acknowledging_a_request_someone_else_resolved_says_so(volunteer_dashboard: Dashboard,
                                                               db: Database) -> None:
    request_id = add_help_request(db, None, status="resolved")
    response = volunteer_dashboard.post(f"/help/{request_id}/acknowledge", follow_redirects=True)
    assert "already handled" in response.get_data(as_text=True)


def test_a_request_can_be_assigned_and_noted(volunteer_dashboard: Dashboard, people: People,
                                             db: Database) -> None:
    request_id = add_help_request(db, None)
    volunteer_dashboard.post(f"/help/{request_id}/assign", {"volunteer_id": people.admin_id})
    volunteer_dashboard.post(f"/help/{request_id}/note", {"note": "left a voicemail"})
    with db.session() as session:
        request = session.get(HelpRequest, request_id)
        assert request.assigned_to_id == people.admin_id
        assert "Li Helper] left a voicemail" in request.notes
        assert {"help.assigned", "help.noted"} <= set(session.scalars(select(AuditLog.action)))


def test_a_help_action_without_the_csrf_token_is_refused(volunteer_dashboard: Dashboard,
                                                         db: Database) -> None:
    request_id = add_help_request(db, None)
    response = volunteer_dashboard.client.post(f"/help/{request_id}/acknowledge")
    assert response.status_code == 400
    with db.session() as session:
        assert session.get(HelpRequest, request_id).status == "open"


def test_the_refresh_returns_only_the_board(volunteer_dashboard: Dashboard) -> None:
    page = volunteer_dashboard.get("/?auto=1").get_data(as_text=True)
    assert "<html" not in page and "Help requests" in page
