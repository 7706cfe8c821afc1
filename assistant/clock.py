"""The one clock: injectable, so tests and benchmarks drive time without sleeping (`Runtime.clock`)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Protocol

from sqlalchemy import text

from assistant.db.database import Database


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(timezone.utc)


class DatabaseClock:
    """The database server's time: the one clock every scheduler host shares, so a host whose
    own clock runs ahead cannot think a live lease has lapsed."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def now(self) -> datetime:
        with self.db.engine.connect() as connection:
            value = connection.execute(text("SELECT CURRENT_TIMESTAMP")).scalar_one()
        if isinstance(value, str):  # SQLite: "YYYY-MM-DD HH:MM:SS" in UTC
            value = datetime.fromisoformat(value)
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


class ManualClock:
    """A clock that moves only when told to."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("ManualClock needs a timezone-aware start")
        self._now = start.astimezone(timezone.utc)

    def now(self) -> datetime:
        return self._now

    def advance(self, seconds: float) -> datetime:
        self._now += timedelta(seconds=seconds)
        return self._now

    def set(self, when: datetime) -> datetime:
        self._now = when.astimezone(timezone.utc)
        return self._now
