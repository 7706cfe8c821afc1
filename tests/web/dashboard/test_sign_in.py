"""Signing in: Argon2id passwords, CSRF on the form, throttled guessing, idle logoff, roles."""
from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from assistant.db.database import Database
from assistant.db.models import AuditLog
from assistant.services.accounts import MAX_FAILURES_PER_EMAIL
from tests.web.dashboard.conftest import Dashboard, People


def test_a_page_asks_for_sign_in_first(client: FlaskClient) -> None:
    response = client.get("/log")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in?next=/log")


def test_a_volunteer_signs_in_and_lands_where_they_were_going(dashboard: Dashboard, people: People,
                                                              db: Database) -> None:
    dashboard.get("/sign-in?next=/review")
    response = dashboard.client.post("/sign-in?next=/review", data={
        "csrf_token": dashboard.token, "email": "LI@example.org ", "password": "correct horse"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/review"
    assert "Li Helper" in dashboard.get("/").get_data(as_text=True)
    with db.session() as session:
        assert session.scalar(select(AuditLog.action).where(AuditLog.actor == f"volunteer:{people.volunteer_id}")) == "auth.signed_in"


def test_the_session_cookie_is_httponly_and_samesite_lax(dashboard: Dashboard, people: People) -> None:
    dashboard.get("/sign-in")
    response = dashboard.post("/sign-in", {"email": "li@example.org", "password": "correct horse"})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_the_cookie_is_secure_when_the_public_url_is_https(config, runtime) -> None:  # type: ignore[no-untyped-def]
    from assistant.web import create_app

    config.public_url = "https://care.example.org"
    assert create_app(config, runtime).config["SESSION_COOKIE_SECURE"] is True


def test_a_wrong_password_is_refused_and_audited(dashboard: Dashboard, people: People, db: Database) -> None:
    dashboard.get("/sign-in")
    response = dashboard.post("/sign-in", {"email": "li@example.org", "password": "wrong"})
    assert response.status_code == 401
    assert "do not match" in response.get_data(as_text=True)
    with db.session() as session:
        assert "auth.sign_in_failed" in session.scalars(select(AuditLog.action)).all()


def test_repeated_failures_are_throttled_even_with_the_right_password(dashboard: Dashboard,
                                                                      people: People) -> None:
    dashboard.get("/sign-in")
    for _ in range(MAX_FAILURES_PER_EMAIL):
        assert dashboard.post("/sign-in", {"email": "li@example.org", "password": "guess"}).status_code == 401
    response = dashboard.post("/sign-in", {"email": "li@example.org", "password": "correct horse"})
    assert response.status_code == 429
    assert "Too many tries" in response.get_data(as_text=True)


def test_a_sign_in_form_without_its_csrf_token_is_refused(client: FlaskClient, people: People) -> None:
    response = client.post("/sign-in", data={"email": "li@example.org", "password": "correct horse"})
    assert response.status_code == 400


def test_a_volunteer_is_signed_out_after_idle_time(volunteer_dashboard: Dashboard) -> None:
    with volunteer_dashboard.client.session_transaction() as session:
        session["seen"] -= 31 * 60
    response = volunteer_dashboard.get("/")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_the_now_page_refreshing_itself_does_not_count_as_activity(volunteer_dashboard: Dashboard) -> None:
    with volunteer_dashboard.client.session_transaction() as session:
        session["seen"] -= 20 * 60
        seen = session["seen"]
    assert volunteer_dashboard.get("/?auto=1").status_code == 200
    with volunteer_dashboard.client.session_transaction() as session:
        assert session["seen"] == seen


def test_signing_out_ends_the_session(volunteer_dashboard: Dashboard) -> None:
    assert volunteer_dashboard.post("/sign-out").status_code == 302
    assert volunteer_dashboard.get("/").status_code == 302


def test_a_volunteer_cannot_reach_admin_pages(volunteer_dashboard: Dashboard) -> None:
    for url in ("/admin/volunteers", "/admin/doctors", "/admin/meals", "/admin/elders/new", "/audit"):
        assert volunteer_dashboard.get(url).status_code == 403, url


def test_an_admin_reaches_admin_pages(admin_dashboard: Dashboard) -> None:
    for url in ("/admin/volunteers", "/admin/doctors", "/admin/meals", "/admin/elders/new", "/audit"):
        assert admin_dashboard.get(url).status_code == 200, url


def test_the_webhooks_are_not_subject_to_the_dashboards_csrf_check(app: Flask) -> None:
    assert app.config["WTF_CSRF_CHECK_DEFAULT"] is False
