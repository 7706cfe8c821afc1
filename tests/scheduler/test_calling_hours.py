"""Calls only inside calling hours in the elder's own time, across midnight and DST changes."""
from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from assistant.db.models import Elder
from assistant.services.calling_hours import CallingHours, local_instant
from tests.scheduler.conftest import ELDER_PHONE, MONDAY, NEW_YORK, RETRY, Harness, local, update_elder

HOURS = CallingHours(("08:00", "21:00"))
SHANGHAI = ZoneInfo("Asia/Shanghai")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def test_a_time_inside_the_window_is_kept() -> None:
    assert HOURS.next_allowed(utc(2024, 6, 3, 14), NEW_YORK) == utc(2024, 6, 3, 14)


def test_before_the_window_waits_for_its_start_the_same_day() -> None:
    assert HOURS.next_allowed(utc(2024, 6, 3, 10), NEW_YORK) == local(date(2024, 6, 3), "08:00")


def test_after_the_window_waits_for_tomorrows_start_across_midnight() -> None:
    late = local(date(2024, 6, 3), "22:30")
    assert late.date() == date(2024, 6, 4)  # already tomorrow in UTC
    assert HOURS.next_allowed(late, NEW_YORK) == local(date(2024, 6, 4), "08:00")


def test_the_window_is_the_elders_own_not_the_servers() -> None:
    assert HOURS.allows(utc(2024, 6, 3, 1), SHANGHAI)  # 09:00 in Shanghai
    assert not HOURS.allows(utc(2024, 6, 3, 1), NEW_YORK)  # 21:00 in New York


@pytest.mark.parametrize(("evening", "morning_utc"), [
    (date(2024, 3, 9), utc(2024, 3, 10, 12)),  # clocks go forward overnight: 08:00 EDT
    (date(2024, 11, 2), utc(2024, 11, 3, 13)),  # clocks go back overnight: 08:00 EST
])
def test_deferral_across_a_dst_change_lands_on_local_eight(evening: date, morning_utc: datetime) -> None:
    assert HOURS.next_allowed(local(evening, "22:00"), NEW_YORK) == morning_utc


def test_a_time_in_the_spring_gap_happens_once_just_after_it() -> None:
    assert local_instant(date(2024, 3, 10), "02:30", NEW_YORK) == utc(2024, 3, 10, 7, 30)  # 03:30 EDT


def test_a_checkin_due_at_night_is_deferred_to_the_morning_and_placed_then(
        harness: Harness, elder: Elder) -> None:
    update_elder(harness.rt, elder.id, checkin_time="22:30")
    harness.at(local(MONDAY, "22:30"))
    [task, _] = harness.tasks("checkin")
    assert harness.outbox("call") == []
    tuesday = date(2024, 6, 4)
    assert harness.task(task.id).next_attempt_at == local(tuesday, "08:00")
    harness.at(local(tuesday, "07:59"))
    assert harness.outbox("call") == []
    harness.at(local(tuesday, "08:00"))
    assert len(harness.outbox("call", ELDER_PHONE)) == 1


def test_a_checkin_deferred_over_the_dst_night_is_placed_at_local_eight(
        harness: Harness, elder: Elder) -> None:
    update_elder(harness.rt, elder.id, checkin_time="22:30")
    saturday, sunday = date(2024, 3, 9), date(2024, 3, 10)
    harness.at(local(saturday, "22:30"))
    harness.at(utc(2024, 3, 10, 11, 59))  # 07:59 EDT (it would be 08:00 without the change)
    assert harness.outbox("call") == []
    harness.at(local(sunday, "08:00"))
    assert len(harness.outbox("call", ELDER_PHONE)) == 1


def test_a_retry_that_would_fall_after_hours_escalates_at_once(harness: Harness, elder: Elder) -> None:
    update_elder(harness.rt, elder.id, checkin_time="20:55")
    harness.at(local(MONDAY, "20:55"))
    harness.call_status("no-answer")
    task = harness.tasks("checkin")[0]
    assert harness.task(task.id).status == "escalated"
    harness.later(12 * 3600)
    assert len(harness.outbox("call", ELDER_PHONE)) == 1
    assert RETRY == harness.rt.config.outbound.retry.interval_seconds
