"""Dashboard fixtures: volunteers who can sign in, a helper that acts like a browser
(carrying the CSRF token), and small builders for the records the pages show."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from assistant.db.base import utcnow
from assistant.db.database import Database
from assistant.db.models import Call, Elder, HelpRequest, Turn, Volunteer
from assistant.passwords import hash_password

PASSWORD = "correct horse"
_TOKEN = re.compile(r'<meta name="csrf-token" content="([^"]+)">')


@dataclass
class People:
    admin_id: int
    volunteer_id: int


@pytest.fixture(scope="session")
def password_hash() -> str:
    """Hashed once: Argon2id is slow on purpose."""
    return hash_password(PASSWORD)


@pytest.fixture
def people(db: Database, password_hash: str) -> People:
    with db.session() as session:
        admin = Volunteer(name="Sam Admin", phone="+15550100101", email="sam@example.org",
                          password_hash=password_hash, role="admin", on_call=True)
        volunteer = Volunteer(name="Li Helper", phone="+15550100102", email="li@example.org",
                              password_hash=password_hash, on_call=True, on_call_order=1)
        session.add_all([admin, volunteer])
        session.flush()
        return People(admin.id, volunteer.id)


class Dashboard:
    """A signed-in browser: every POST carries the CSRF token a page gave it."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client
        self.token = ""

    def get(self, url: str, **kwargs: Any) -> TestResponse:
        response = self.client.get(url, **kwargs)
        if found := _TOKEN.search(response.get_data(as_text=True)):
            self.token = found.group(1)
        response.close()
        return response

    def post(self, url: str, data: dict[str, Any] | None = None, **kwargs: Any) -> TestResponse:
        if not self.token:
            self.get("/sign-in")
        return self.client.post(url, data={"csrf_token": self.token, **(data or {})}, **kwargs)

    def sign_in(self, email: str, password: str = PASSWORD) -> TestResponse:
        self.get("/sign-in")
        response = self.post("/sign-in", {"email": email, "password": password})
        self.get("/")
        return response


@pytest.fixture
def dashboard(client: FlaskClient) -> Dashboard:
    return Dashboard(client)


@pytest.fixture
def volunteer_dashboard(dashboard: Dashboard, people: People) -> Dashboard:
    assert dashboard.sign_in("li@example.org").status_code == 302
    return dashboard


@pytest.fixture
def admin_dashboard(dashboard: Dashboard, people: People) -> Dashboard:
    assert dashboard.sign_in("sam@example.org").status_code == 302
    return dashboard


def add_elder(db: Database, name: str = "Mary Jones", phone: str = "+15550123001", **values: Any) -> int:
    with db.session() as session:
        elder = Elder(name=name, phone=phone, timezone="America/New_York", checkin_time="09:30",
                      **values)
        session.add(elder)
        session.flush()
        return elder.id


def add_call(db: Database, elder_id: int | None, *turns: dict[str, Any], started_at: datetime | None = None,
             **values: Any) -> int:
    """A finished inbound call with the given turns (fields of `Turn`)."""
    with db.session() as session:
        count = session.query(Call).count()
        values = {"from_number": "+15550123001", "to_number": "+15550000000", "language": "en",
                  "status": "completed", **values}
        call = Call(call_sid=f"CA{count:032d}", elder_id=elder_id,
                    started_at=started_at or utcnow() - timedelta(minutes=5), **values)
        call.turns = [Turn(position=i, **turn) for i, turn in enumerate(turns)]
        session.add(call)
        session.flush()
        return call.id


def add_help_request(db: Database, elder_id: int | None, call_id: int | None = None,
                     **values: Any) -> int:
    with db.session() as session:
        values.setdefault("summary", "I fell in the kitchen")
        request = HelpRequest(elder_id=elder_id, caller_phone="+15550123001", call_id=call_id, **values)
        session.add(request)
        session.flush()
        return request.id


def turn_ids(db: Database, call_id: int) -> list[int]:
    with db.session() as session:
        return list(session.scalars(select(Turn.id).where(Turn.call_id == call_id).order_by(Turn.position)))
