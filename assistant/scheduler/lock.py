"""A lease in the database so that exactly one scheduler acts, whatever the number of processes.

The holder renews `expires_at` while it runs; when it dies the lease lapses and the next
scheduler to ask takes over. Times are the database server's (`DatabaseClock`), not each
host's own, so clock skew between hosts cannot hand a live lease to a second scheduler. Both
steps are single conditional statements, so two schedulers asking at the same moment cannot
both win, on SQLite or PostgreSQL.
"""
from __future__ import annotations

import os
import socket
import uuid
from datetime import datetime, timedelta
from enum import Enum

from sqlalchemy import case, or_, update

from assistant.db.database import Database
from assistant.db.models import SchedulerLock
from assistant.clock import Clock, DatabaseClock
from assistant.db.upsert import insert_ignoring_conflicts

LOCK_NAME = "outbound"
LEASE_SECONDS = 30


class LeaseState(Enum):
    ACQUIRED = "acquired"
    """Newly taken (at start, or over from a holder that died): recover before acting."""
    HELD = "held"


def default_holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class Lease:
    def __init__(self, db: Database, holder: str, name: str = LOCK_NAME,
                 seconds: int = LEASE_SECONDS, clock: Clock | None = None) -> None:
        self.db, self.holder, self.name = db, holder, name
        self.clock = clock or DatabaseClock(db)
        self.ttl = timedelta(seconds=seconds)
        self._expires_at: datetime | None = None

    def acquire(self) -> LeaseState | None:
        """Take or renew the lease; None when another live scheduler holds it."""
        now = self.clock.now()
        had_it = self.holds(now)
        if had_it and self._expires_at - now > self.ttl / 2:  # type: ignore[operator]
            return LeaseState.HELD
        expires_at = now + self.ttl
        with self.db.session() as session:
            insert_ignoring_conflicts(
                session, SchedulerLock,
                [{"name": self.name, "holder": self.holder, "expires_at": expires_at, "acquired_at": now}],
                ["name"])
            taken = session.execute(
                update(SchedulerLock)
                .where(SchedulerLock.name == self.name,
                       or_(SchedulerLock.holder == self.holder, SchedulerLock.expires_at < now))
                .values(holder=self.holder, expires_at=expires_at,
                        acquired_at=case((SchedulerLock.holder == self.holder, SchedulerLock.acquired_at),
                                         else_=now))
                .execution_options(synchronize_session=False)).rowcount == 1
        self._expires_at = expires_at if taken else None
        if not taken:
            return None
        return LeaseState.HELD if had_it else LeaseState.ACQUIRED

    def keep(self) -> bool:
        """Still ours (renewing it if half spent)? Checked before every outside effect."""
        return self.acquire() is not None

    def holds(self, now: datetime) -> bool:
        return self._expires_at is not None and self._expires_at > now

    def release(self) -> None:
        """Let the next scheduler take over at once (on a clean shutdown)."""
        if self._expires_at is None:
            return
        with self.db.session() as session:
            session.execute(update(SchedulerLock)
                            .where(SchedulerLock.name == self.name, SchedulerLock.holder == self.holder)
                            .values(expires_at=self._expires_at - self.ttl * 2)
                            .execution_options(synchronize_session=False))
        self._expires_at = None
