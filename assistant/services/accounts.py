"""Dashboard sign-in: Argon2id passwords checked, repeated failures slowed down, all audited.

Wrong passwords for one email make the next try wait a little longer each time (never a
lockout of the right password); wrong passwords from one client address over many emails are
refused for a while. The address is the client's as the configured proxies report it.

Failures are counted in the database (`SignInFailure`), not in memory, so a second web
process or a restart does not reset the count.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from assistant.db.base import utcnow
from assistant.db.models import SignInFailure, Volunteer
from assistant.passwords import hash_password, verify_password
from assistant.services import audit

THROTTLE_WINDOW = timedelta(minutes=15)
FREE_FAILURES_PER_EMAIL = 3
"""Wrong passwords for one email before each further try must wait (a typo or two is free)."""
MAX_BACKOFF = timedelta(minutes=2)
"""The longest wait between tries for one email: an attacker gets a guess a minute or two, the
volunteer who mistyped gets in as soon as she types it right after the wait."""
MAX_FAILURES_PER_ADDRESS = 30
"""Wrong passwords from one client address (over any emails) before it is refused for the window."""
_DUMMY_HASH = hash_password("not a real password")
"""Checked against when the email is unknown, so a wrong email takes as long as a wrong password."""


class SignInThrottled(Exception):
    """Too many recent failures for this email or address; try again after `retry_after`."""

    def __init__(self, retry_after: timedelta) -> None:
        super().__init__(f"retry after {retry_after}")
        self.retry_after = retry_after


def backoff(failures: int) -> timedelta:
    """The wait after `failures` recent wrong passwords for one email: 0, then 2 s doubling."""
    if failures < FREE_FAILURES_PER_EMAIL:
        return timedelta(0)
    return min(MAX_BACKOFF, timedelta(seconds=2 ** (failures - FREE_FAILURES_PER_EMAIL + 1)))


def _check_throttle(session: Session, email: str, remote_addr: str, now: datetime) -> None:
    since = now - THROTTLE_WINDOW
    count, oldest = session.execute(
        select(func.count(), func.min(SignInFailure.at))
        .where(SignInFailure.remote_addr == remote_addr, SignInFailure.at >= since)).one()
    if count >= MAX_FAILURES_PER_ADDRESS:
        raise SignInThrottled(oldest + THROTTLE_WINDOW - now)
    count, latest = session.execute(
        select(func.count(), func.max(SignInFailure.at))
        .where(SignInFailure.email == email, SignInFailure.at >= since)).one()
    wait = backoff(count)
    if wait and latest + wait > now:
        raise SignInThrottled(latest + wait - now)


def sign_in(session: Session, email: str, password: str, *, remote_addr: str,
            now: datetime | None = None) -> Volunteer | None:
    """The active volunteer with this email and password, or None; raises SignInThrottled."""
    now = now or utcnow()
    email = email.strip().lower()[:254]
    _check_throttle(session, email, remote_addr, now)
    volunteer = session.scalar(select(Volunteer).where(Volunteer.email == email))
    if volunteer is None or not volunteer.active:
        verify_password(_DUMMY_HASH, password)
        volunteer = None
    elif not verify_password(volunteer.password_hash, password):
        volunteer = None
    if volunteer is None:
        session.execute(delete(SignInFailure).where(SignInFailure.at < now - THROTTLE_WINDOW))
        session.add(SignInFailure(at=now, email=email[:254], remote_addr=remote_addr[:64]))
        audit.record(session, f"web:{remote_addr}", "auth.sign_in_failed", email=email)
        return None
    session.execute(delete(SignInFailure).where(SignInFailure.email == email))
    audit.record(session, actor_for(volunteer), "auth.signed_in", "volunteer", volunteer.id)
    return volunteer


def actor_for(volunteer: Volunteer) -> str:
    """The audit log's name for a volunteer acting in the dashboard."""
    return f"volunteer:{volunteer.id}"
