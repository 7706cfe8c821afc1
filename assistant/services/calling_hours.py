"""Local times of day in an elder's timezone, and the calling window, DST-safe.

A wall-clock time is turned into an instant with zoneinfo's PEP 495 rules: in the spring-forward
gap (02:30 that never happens) it lands as many minutes after the gap as it was into it; in the
autumn overlap it takes the first occurrence. So a daily time is never skipped nor doubled.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

from assistant.config import parse_hhmm


@lru_cache(maxsize=512)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def local_instant(day: date, hhmm: str, tz: ZoneInfo) -> datetime:
    """The UTC instant of wall-clock `hhmm` on `day` in `tz`."""
    return datetime.combine(day, parse_hhmm(hhmm), tzinfo=tz).astimezone(timezone.utc)


def local_date(at: datetime, tz: ZoneInfo) -> date:
    return at.astimezone(tz).date()


class CallingHours:
    """The daily window ("08:00", "21:00") during which elders may be called, in their own time."""

    def __init__(self, hours: tuple[str, str]) -> None:
        self.start, self.end = hours
        self._start: time = parse_hhmm(self.start)
        self._end: time = parse_hhmm(self.end)

    def allows(self, at: datetime, tz: ZoneInfo) -> bool:
        return self._start <= at.astimezone(tz).time() < self._end

    def next_allowed(self, at: datetime, tz: ZoneInfo) -> datetime:
        """`at` if inside the window, else the start of the next window (tomorrow's after the end)."""
        if self.allows(at, tz):
            return at
        local = at.astimezone(tz)
        day = local.date() if local.time() < self._start else local.date() + timedelta(days=1)
        return local_instant(day, self.start, tz)
