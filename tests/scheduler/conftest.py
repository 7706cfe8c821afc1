"""A scheduler driven by a manual clock, on the real database, app and console telephony."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from assistant.clock import ManualClock
from assistant.db.models import Call, Contact, Elder, HelpRequest, OutboundTask, OutboxMessage, Volunteer
from assistant.runtime import Runtime
from assistant.scheduler.service import Scheduler, TickResult

NEW_YORK = ZoneInfo("America/New_York")
MONDAY = date(2024, 6, 3)
ELDER_PHONE, SON_PHONE, VOLUNTEER_PHONE = "+15550123001", "+15550123009", "+15550100101"


def local(day: date, hhmm: str, tz: ZoneInfo = NEW_YORK) -> datetime:
    hours, minutes = map(int, hhmm.split(":"))
    return datetime.combine(day, time(hours, minutes), tzinfo=tz).astimezone(timezone.utc)


@dataclass
class Harness:
    rt: Runtime
    clock: ManualClock
    client: FlaskClient
    scheduler: Scheduler

    def tick(self) -> TickResult:
        return self.scheduler.tick()

    def at(self, when: datetime) -> TickResult:
        self.clock.set(when)
        return self.tick()

    def later(self, seconds: float) -> TickResult:
        self.clock.advance(seconds)
        return self.tick()

    def outbox(self, kind: str, to: str | None = None) -> list[OutboxMessage]:
        with self.rt.db.session() as session:
            query = select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id)
            if to:
                query = query.where(OutboxMessage.to_number == to)
            return list(session.scalars(query))

    def tasks(self, kind: str) -> list[OutboundTask]:
        with self.rt.db.session() as session:
            return list(session.scalars(select(OutboundTask).where(OutboundTask.kind == kind)
                                        .order_by(OutboundTask.due_at)))

    def task(self, task_id: int) -> OutboundTask:
        with self.rt.db.session() as session:
            task = session.get(OutboundTask, task_id)
            assert task is not None
            return task

    def help_requests(self) -> list[HelpRequest]:
        with self.rt.db.session() as session:
            return list(session.scalars(select(HelpRequest).order_by(HelpRequest.id)))

    def last_call_sid(self) -> str:
        with self.rt.db.session() as session:
            return session.scalars(select(Call.call_sid).order_by(Call.id.desc())).first() or ""

    def call_status(self, status: str, *, answered_by: str = "", duration: int = 0, sid: str = "") -> None:
        form = {"CallSid": sid or self.last_call_sid(), "CallStatus": status,
                "CallDuration": str(duration)}
        if answered_by:
            form["AnsweredBy"] = answered_by
        assert self.client.post("/status/call", data=form).status_code == 204


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(local(MONDAY, "06:00"))


@pytest.fixture
def harness(runtime: Runtime, clock: ManualClock, app: Flask, client: FlaskClient) -> Harness:
    runtime.clock = clock
    return Harness(runtime, clock, client, Scheduler(runtime, holder="scheduler-a", lease_clock=clock))


@pytest.fixture
def elder(runtime: Runtime) -> Elder:
    """Mary, alone, in New York: a check-in at 09:30 by call, a son, and an on-call volunteer."""
    with runtime.db.session() as session:
        mary = Elder(name="Mary Jones", phone=ELDER_PHONE, language="en", timezone="America/New_York",
                     checkin_time="09:30", checkin_channel="call",
                     contacts=[Contact(name="Tom Jones", phone=SON_PHONE, relation="son")])
        session.add_all([mary, Volunteer(name="Sam Lee", phone=VOLUNTEER_PHONE, on_call=True)])
    return mary


def update_elder(rt: Runtime, elder_id: int, **values: object) -> None:
    with rt.db.session() as session:
        row = session.get(Elder, elder_id)
        assert row is not None
        for name, value in values.items():
            setattr(row, name, value)


RETRY = 600
"""outbound.retry.interval_seconds by default."""
