"""Signing in: Argon2id passwords, CSRF on the form, slowed guessing, proxies, redirects, sessions
revoked and bounded, demo passwords replaced, idle logoff, roles."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from assistant.db.base import utcnow
from assistant.db.database import Database
from assistant.db.models import AuditLog, DashboardSession, SignInFailure, Volunteer
from assistant.services.accounts import (FREE_FAILURES_PER_EMAIL, MAX_BACKOFF, MAX_FAILURES_PER_ADDRESS,
                                         SignInThrottled, backoff, sign_in)
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


def test_wrong_passwords_slow_the_next_try_but_never_lock_out_the_right_one(db: Database,
                                                                          people: People) -> None:
    start = datetime(2024, 6, 3, 14, tzinfo=timezone.utc)
    with db.session() as session:
        for n in range(5):
            assert sign_in(session, "li@example.org", "guess", remote_addr="10.0.0.1",
                           now=start + timedelta(seconds=n * 60)) is None
    last = start + timedelta(seconds=4 * 60)
    wait = backoff(5)
    assert timedelta(0) < wait <= MAX_BACKOFF
    with db.session() as session, pytest.raises(SignInThrottled):
        sign_in(session, "li@example.org", "correct horse", remote_addr="10.0.0.1", now=last + wait / 2)
    with db.session() as session:
        volunteer = sign_in(session, "li@example.org", "correct horse", remote_addr="10.0.0.1", now=last + wait)
        assert volunteer is not None and volunteer.id == people.volunteer_id


def test_quick_wrong_tries_in_the_browser_are_told_to_wait(dashboard: Dashboard, people: People) -> None:
    dashboard.get("/sign-in")
    statuses = [dashboard.post("/sign-in", {"email": "li@example.org", "password": "guess"}).status_code
                for _ in range(FREE_FAILURES_PER_EMAIL + 1)]
    assert statuses == [401] * FREE_FAILURES_PER_EMAIL + [429]


def test_one_address_guessing_many_emails_is_refused(db: Database, people: People) -> None:
    start = datetime(2024, 6, 3, 14, tzinfo=timezone.utc)
    with db.session() as session:
        for n in range(MAX_FAILURES_PER_ADDRESS):
            sign_in(session, f"nobody{n}@example.org", "guess", remote_addr="10.0.0.9",
                    now=start + timedelta(seconds=n))
    with db.session() as session, pytest.raises(SignInThrottled):
        sign_in(session, "li@example.org", "correct horse", remote_addr="10.0.0.9",
                now=start + timedelta(minutes=1))
    with db.session() as session:
        assert sign_in(session, "li@example.org", "correct horse", remote_addr="10.0.0.10",
                       now=start + timedelta(minutes=1)) is not None


@pytest.mark.parametrize(("hops", "recorded"), [(0, "127.0.0.1"), (1, "203.0.113.7")])
def test_the_client_address_comes_from_as_many_proxies_as_are_trusted(
        config, runtime, db: Database, people: People, hops: int, recorded: str) -> None:  # type: ignore[no-untyped-def]
    from assistant.web import create_app

    config.web.trusted_proxy_hops = hops
    browser = Dashboard(create_app(config, runtime).test_client())
    browser.get("/sign-in")
    browser.post("/sign-in", {"email": "li@example.org", "password": "guess"},
                 headers={"X-Forwarded-For": "198.51.100.1, 203.0.113.7"})
    with db.session() as session:
        assert session.scalars(select(SignInFailure.remote_addr)).all() == [recorded]


@pytest.mark.parametrize("target", ["/%09/evil.example", "/%0A/evil.example", "//evil.example",
                                    "/\\evil.example", "https://evil.example/", "/%5Cevil.example"])
def test_after_sign_in_only_a_path_on_this_site_is_followed(dashboard: Dashboard, people: People,
                                                            target: str) -> None:
    dashboard.get("/sign-in")
    response = dashboard.post(f"/sign-in?next={target}", {"email": "li@example.org", "password": "correct horse"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_a_session_cookie_is_worthless_after_signing_out(volunteer_dashboard: Dashboard) -> None:
    client = volunteer_dashboard.client
    stolen = client.get_cookie("session").value
    assert volunteer_dashboard.post("/sign-out").status_code == 302
    client.set_cookie("session", stolen)
    response = client.get("/")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_a_sign_in_ends_after_its_absolute_lifetime_however_active(volunteer_dashboard: Dashboard,
                                                                    db: Database) -> None:
    assert volunteer_dashboard.get("/").status_code == 200
    with db.session() as session:
        for signed_in in session.scalars(select(DashboardSession)):
            signed_in.expires_at = utcnow() - timedelta(seconds=1)
    response = volunteer_dashboard.get("/")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_a_demo_account_must_choose_its_own_password_before_anything_else(
        runner, dashboard: Dashboard, db: Database) -> None:  # type: ignore[no-untyped-def]
    from assistant.cli import cli

    assert runner.invoke(cli, ["init-db", "--demo"]).exit_code == 0
    dashboard.get("/sign-in")
    response = dashboard.post("/sign-in", {"email": "sam@example.org", "password": "change-me"})
    assert response.headers["Location"] == "/account/password"
    assert dashboard.get("/log").headers["Location"] == "/account/password"
    dashboard.get("/account/password")
    refused = dashboard.post("/account/password", {"new_password": "change-me", "confirm_password": "change-me"})
    assert refused.status_code == 200
    changed = dashboard.post("/account/password", {"new_password": "a long new secret",
                                                   "confirm_password": "a long new secret"})
    assert changed.headers["Location"] == "/"
    assert dashboard.get("/log").status_code == 200
    with db.session() as session:
        sam = session.scalars(select(Volunteer).where(Volunteer.email == "sam@example.org")).one()
        assert not sam.must_change_password
        assert "auth.password_changed" in session.scalars(select(AuditLog.action)).all()


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
