"""What every page carries and what no input can do: headers against framing, sniffing and
caching; ids, pages and dates out of range; NUL characters (PostgreSQL refuses them)."""
from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from assistant.db.database import Database
from tests.web.dashboard.conftest import Dashboard, add_elder, add_help_request


def test_pages_forbid_framing_sniffing_foreign_code_and_caching(volunteer_dashboard: Dashboard) -> None:
    for url in ("/", "/log", "/sign-in"):
        headers = volunteer_dashboard.get(url).headers
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert "default-src 'self'" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["Cache-Control"] == "no-store"
        assert "Strict-Transport-Security" not in headers


def test_an_https_site_asks_browsers_to_stay_on_https(config, runtime) -> None:  # type: ignore[no-untyped-def]
    from assistant.web import create_app

    config.public_url = "https://care.example.org"
    response = create_app(config, runtime).test_client().get("/sign-in")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


@pytest.mark.parametrize("url", ["/elders/99999999999999999999", "/calls/9223372036854775808",
                                 "/recordings/2147483648", "/elders/2147483648"])
def test_ids_too_large_for_any_table_are_not_found(volunteer_dashboard: Dashboard, url: str) -> None:
    assert volunteer_dashboard.get(url).status_code == 404


@pytest.mark.parametrize("url", ["/review?page=99999999999999999999", "/elders?page=9223372036854775807",
                                 "/log?page=99999999999999999999", "/elders?page=-5"])
def test_absurd_page_numbers_are_answered_not_crashed(volunteer_dashboard: Dashboard, url: str) -> None:
    assert volunteer_dashboard.get(url).status_code in (200, 400)


@pytest.mark.parametrize("url", ["/log?date_to=9999-12-31", "/log?date_from=0001-01-01",
                                 "/export?kind=calls&date_from=2024-01-01&date_to=9999-12-31"])
def test_dates_out_of_range_are_a_clear_400(volunteer_dashboard: Dashboard, url: str) -> None:
    response = volunteer_dashboard.get(url)
    assert response.status_code == 400
    assert "between 2000 and 2100" in response.get_data(as_text=True)


def test_nul_characters_are_refused_before_they_reach_the_database(
        volunteer_dashboard: Dashboard, db: Database, client: FlaskClient) -> None:
    elder_id = add_elder(db)
    request_id = add_help_request(db, elder_id)
    assert volunteer_dashboard.get("/log?text=fell%00down").status_code == 400
    assert volunteer_dashboard.get("/elders?q=Ma%00ry").status_code == 400
    note = volunteer_dashboard.post(f"/help/{request_id}/note", {"note": "called\x00her"})
    assert note.status_code == 400
    volunteer_dashboard.post("/sign-out")
    volunteer_dashboard.get("/sign-in")
    response = volunteer_dashboard.post("/sign-in", {"email": "li@exam\x00ple.org", "password": "x"})
    assert response.status_code == 400
