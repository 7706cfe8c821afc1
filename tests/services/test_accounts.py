"""Dashboard sign-in: passwords checked, failures counted in the database and slowed down."""
from __future__ import annotations

from datetime import timedelta

import pytest

from assistant.db.base import utcnow
from assistant.db.database import Database
from assistant.db.models import SignInFailure, Volunteer
from assistant.passwords import hash_password
from assistant.services.accounts import (FREE_FAILURES_PER_EMAIL, MAX_FAILURES_PER_ADDRESS,
                                         SignInThrottled, backoff, sign_in)


@pytest.fixture
def volunteer(db: Database) -> int:
    with db.session() as session:
        person = Volunteer(name="Li", phone="+15550100102", email="li@example.org",
                           password_hash=hash_password("right password"))
        session.add(person)
        session.flush()
        return person.id


def test_the_right_password_signs_in_and_clears_past_failures(db: Database, volunteer: int) -> None:
    with db.session() as session:
        assert sign_in(session, "li@example.org", "wrong", remote_addr="10.0.0.1") is None
        signed = sign_in(session, " LI@example.org", "right password", remote_addr="10.0.0.1")
        assert signed is not None and signed.id == volunteer
        assert session.query(SignInFailure).count() == 0


def test_an_inactive_volunteer_cannot_sign_in(db: Database, volunteer: int) -> None:
    with db.session() as session:
        session.get(Volunteer, volunteer).active = False
        assert sign_in(session, "li@example.org", "right password", remote_addr="10.0.0.1") is None


def test_failures_per_email_make_the_next_try_wait_a_little_longer_each_time(db: Database,
                                                                          volunteer: int) -> None:
    now = utcnow()
    waits = [backoff(n) for n in range(FREE_FAILURES_PER_EMAIL + 4)]
    assert waits[:FREE_FAILURES_PER_EMAIL] == [timedelta(0)] * FREE_FAILURES_PER_EMAIL
    assert waits[FREE_FAILURES_PER_EMAIL:] == sorted(waits[FREE_FAILURES_PER_EMAIL:]) and waits[-1] > waits[-2]
    with db.session() as session:
        for _ in range(FREE_FAILURES_PER_EMAIL):
            sign_in(session, "li@example.org", "guess", remote_addr="10.0.0.1", now=now)
        with pytest.raises(SignInThrottled):
            sign_in(session, "li@example.org", "right password", remote_addr="10.0.0.2", now=now)
        later = now + backoff(FREE_FAILURES_PER_EMAIL)
        assert sign_in(session, "li@example.org", "right password", remote_addr="10.0.0.2", now=later)


def test_failures_from_one_address_across_emails_are_throttled(db: Database, volunteer: int) -> None:
    now = utcnow()
    with db.session() as session:
        for i in range(MAX_FAILURES_PER_ADDRESS):
            sign_in(session, f"nobody{i}@example.org", "guess", remote_addr="10.9.9.9", now=now)
        with pytest.raises(SignInThrottled):
            sign_in(session, "li@example.org", "right password", remote_addr="10.9.9.9", now=now)
