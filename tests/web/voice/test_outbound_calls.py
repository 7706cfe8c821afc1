"""Calls the scheduler places, as the elder answers them: check-ins and reminders."""
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from assistant.db.database import Database
from assistant.clock import ManualClock
from assistant.db.models import DoseEvent, HelpRequest, OutboundTask
from assistant.runtime import Runtime
from assistant.scheduler.service import Scheduler
from tests.conftest import Words
from tests.demo import SAM, load_demo
from tests.hotline import Hotline

DAY = date(2026, 11, 30)


def at(hhmm: str, zone: str = "America/New_York") -> datetime:
    return datetime.combine(DAY, time.fromisoformat(hhmm), tzinfo=ZoneInfo(zone)).astimezone(timezone.utc)


@pytest.fixture(autouse=True)
def demo(db: Database) -> None:
    load_demo(db)


def place(runtime: Runtime, when: datetime) -> None:
    runtime.clock = ManualClock(when)
    Scheduler(runtime).tick()


def task(db: Database, kind: str) -> OutboundTask:
    """The one task of `kind` that has been placed (attempted or answered)."""
    with db.session() as session:
        return session.scalars(select(OutboundTask).where(OutboundTask.kind == kind,
                                                          OutboundTask.outcome != "")).one()


def test_a_checkin_answered_fine_is_logged_and_todays_medicines_are_mentioned(
        hotline: Hotline, runtime: Runtime, db: Database, words: Words) -> None:
    place(runtime, at("09:30"))
    call = hotline.answer_placed_call()
    assert call.says() == words("checkin.start", name="Mary Jones", part_of_day=words("part.morning"))
    call.press("1")
    schedule = words("medicine.dose", medication="Metformin", times="08:00, 20:00")
    assert call.says().startswith(f"{words('checkin.fine')} {words('medicine.schedule', schedule=schedule, options='')}")
    assert (task(db, "checkin").status, task(db, "checkin").outcome) == ("done", "fine")


def test_a_checkin_answered_with_help_dials_a_person(hotline: Hotline, runtime: Runtime, db: Database) -> None:
    place(runtime, at("09:30"))
    call = hotline.answer_placed_call().press("9")
    assert call.dialled() == SAM
    assert task(db, "checkin").outcome == "help"
    with db.session() as session:
        assert session.scalar(select(HelpRequest.severity)) == "urgent"


def test_a_medicine_reminder_call_marks_the_dose_taken(
        hotline: Hotline, runtime: Runtime, db: Database, words: Words) -> None:
    place(runtime, at("20:00"))
    call = hotline.answer_placed_call()
    assert call.says() == words("reminder.medicine", name="Mary Jones", medication="Metformin", dose="500 mg")
    call.press("1")
    assert call.says().startswith(words("medicine.taken", medication="Metformin")) and call.hung_up
    with db.session() as session:
        dose = session.scalar(select(DoseEvent))
        assert (dose.slot, dose.status) == ("20:00", "taken")


def test_later_re_reminds_once(hotline: Hotline, runtime: Runtime, db: Database) -> None:
    place(runtime, at("20:00"))
    hotline.answer_placed_call().press("2")
    reminder = task(db, "medicine")
    assert (reminder.status, reminder.outcome, reminder.payload["later"]) == ("pending", "later", True)


def test_an_answering_machine_hears_nothing_and_starts_no_conversation(
        hotline: Hotline, runtime: Runtime, db: Database) -> None:
    place(runtime, at("09:30"))
    call = hotline.answer_placed_call(answered_by="machine_start")
    assert call.hung_up and call.says() == ""
