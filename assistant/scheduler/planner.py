"""Planning: one outbound task per occurrence for today and tomorrow, in each elder's own days.

Idempotent: every occurrence has a unique key and rows are inserted with ON CONFLICT DO
NOTHING, so planning again (every few minutes, from any process) adds only what is new.
Occurrences already past the grace period when first planned (an elder added at 10:00 whose
check-in is at 09:30) are not created: they were never missed, they never existed.
"""
from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from itertools import groupby
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.config import Config
from assistant.db.models import OPEN_ORDER_STATUSES, Appointment, Elder, MealProvider, Medication, OutboundTask, TaskKind
from assistant.db.upsert import insert_ignoring_conflicts
from assistant.services.calling_hours import local_date, local_instant, zone
from assistant.services.tasks import TaskKey, chunks, task_row

log = logging.getLogger(__name__)

PLAN_DAYS = 2
INSERT_CHUNK = 1000


def plan(session: Session, config: Config, now: datetime) -> int:
    """Create the missing tasks of today and tomorrow; returns how many occurrences were offered."""
    earliest = now - timedelta(seconds=config.outbound.grace_seconds)
    rows = (row for source in (_checkins(session, now), _medicines(session, now),
                               _appointments(session, config, now), _provider_summaries(session, config, now))
            for row in source if row["due_at"] >= earliest)
    offered = 0
    for chunk in chunks(rows, INSERT_CHUNK):
        insert_ignoring_conflicts(session, OutboundTask, chunk, ["key"])
        offered += len(chunk)
    return offered


def _days(now: datetime, tz: ZoneInfo) -> list[date]:
    today = local_date(now, tz)
    return [today + timedelta(days=n) for n in range(PLAN_DAYS)]


def _zone(name: str, elder_id: int) -> ZoneInfo | None:
    try:
        return zone(name)
    except (ZoneInfoNotFoundError, ValueError):
        log.warning("elder %d has an unknown time zone %r: nothing planned", elder_id, name)
        return None


def _checkins(session: Session, now: datetime) -> Iterator[dict[str, Any]]:
    query = select(Elder.id, Elder.timezone, Elder.checkin_time, Elder.checkin_channel).where(
        Elder.active.is_(True), Elder.checkin_time.is_not(None))
    for elder_id, tz_name, hhmm, channel in session.execute(query):
        if (tz := _zone(tz_name, elder_id)) is None:
            continue
        for day in _days(now, tz):
            yield task_row(TaskKey(str(elder_id), TaskKind.CHECKIN, day, hhmm), elder_id=elder_id,
                           due_at=local_instant(day, hhmm, tz), channel=channel, payload={}, now=now)


def _medicines(session: Session, now: datetime) -> Iterator[dict[str, Any]]:
    """One reminder per elder and dose time, naming every medicine due then: never two calls at once."""
    query = (select(Medication.elder_id, Elder.timezone, Medication.id, Medication.times, Medication.channel)
             .join(Elder, Elder.id == Medication.elder_id)
             .where(Elder.active.is_(True), Medication.active.is_(True))
             .order_by(Medication.elder_id, Medication.id))
    for (elder_id, tz_name), medications in groupby(session.execute(query), key=lambda row: row[:2]):
        if (tz := _zone(tz_name, elder_id)) is None:
            continue
        by_time: dict[str, list[tuple[int, str]]] = {}
        for *_, medication_id, times, channel in medications:
            for hhmm in times:
                by_time.setdefault(hhmm, []).append((medication_id, channel))
        for day in _days(now, tz):
            for hhmm, due in by_time.items():
                channel = "call" if any(ch == "call" for _, ch in due) else "sms"
                yield task_row(TaskKey(str(elder_id), TaskKind.MEDICINE, day, hhmm), elder_id=elder_id,
                               due_at=local_instant(day, hhmm, tz), channel=channel,
                               payload={"medication_ids": [medication_id for medication_id, _ in due]},
                               now=now)


def _appointments(session: Session, config: Config, now: datetime) -> Iterator[dict[str, Any]]:
    """A reminder the day before, at `outbound.appointment_reminder_time` in the elder's time."""
    utc_today = now.date()
    query = (select(Appointment.id, Appointment.elder_id, Appointment.day, Elder.timezone,
                    Elder.checkin_channel)
             .join(Elder, Elder.id == Appointment.elder_id)
             .where(Elder.active.is_(True), Appointment.status.in_(OPEN_ORDER_STATUSES),
                    Appointment.day.between(utc_today, utc_today + timedelta(days=PLAN_DAYS + 1))))
    hhmm = config.outbound.appointment_reminder_time
    for appointment_id, elder_id, day, tz_name, channel in session.execute(query):
        if (tz := _zone(tz_name, elder_id)) is None or day - timedelta(days=1) not in _days(now, tz):
            continue
        eve = day - timedelta(days=1)
        yield task_row(TaskKey(str(elder_id), TaskKind.APPOINTMENT, eve, f"a{appointment_id}"), elder_id=elder_id,
                       due_at=local_instant(eve, hhmm, tz), channel=channel,
                       payload={"appointment_id": appointment_id}, now=now)


def _provider_summaries(session: Session, config: Config, now: datetime) -> Iterator[dict[str, Any]]:
    tz = zone(config.organization.default_timezone)
    hhmm = config.outbound.provider_summary_time
    for provider_id in session.scalars(select(MealProvider.id)):
        for day in _days(now, tz):
            yield task_row(TaskKey(f"provider{provider_id}", TaskKind.PROVIDER_SUMMARY, day, hhmm), elder_id=None,
                           due_at=local_instant(day, hhmm, tz), channel="sms",
                           payload={"provider_id": provider_id, "for_day": (day + timedelta(days=1)).isoformat()},
                           now=now)
