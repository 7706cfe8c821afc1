"""Dates resolve in the caller's timezone, across week boundaries and DST changes."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from assistant.nlu import Expectation, NluError, understand
from assistant.nlu.understand import local_today

DATE = Expectation(slots=("date",))
MONDAY = datetime(2026, 11, 23, 10, 0)
SUNDAY_LATE = datetime(2026, 11, 29, 23, 30)


def date_of(text: str, lang: str, now: datetime, tz: str | None = "America/New_York") -> str | None:
    return understand(text, lang, expected=DATE, now=now, tz=tz).slots.get("date")


@pytest.mark.parametrize(("text", "lang", "expected"), [
    ("today", "en", "2026-11-23"), ("tomorrow", "en", "2026-11-24"),
    ("the day after tomorrow", "en", "2026-11-25"), ("Wednesday", "en", "2026-11-25"),
    ("sunday", "en", "2026-11-29"), ("monday", "en", "2026-11-30"),
    ("next Tuesday", "en", "2026-12-01"), ("tuesday next week", "en", "2026-12-01"),
    ("the 5th", "en", "2026-12-05"), ("the 30th", "en", "2026-11-30"),
    ("the 23rd", "en", "2026-11-23"), ("January the 2nd", "en", "2027-01-02"),
    ("the third of december", "en", "2026-12-03"), ("a week from today", "en", "2026-11-30"),
    ("今天", "zh", "2026-11-23"), ("明天", "zh", "2026-11-24"), ("后天", "zh", "2026-11-25"),
    ("大后天", "zh", "2026-11-26"), ("周三", "zh", "2026-11-25"), ("星期三", "zh", "2026-11-25"),
    ("礼拜三", "zh", "2026-11-25"), ("下周二", "zh", "2026-12-01"),
    ("下礼拜一", "zh", "2026-11-30"), ("5号", "zh", "2026-12-05"), ("12月1号", "zh", "2026-12-01"),
    ("十二月三号", "zh", "2026-12-03"),
])
def test_dates_from_a_monday(text: str, lang: str, expected: str) -> None:
    assert date_of(text, lang, MONDAY) == expected


@pytest.mark.parametrize(("text", "lang", "expected"), [
    ("tomorrow", "en", "2026-11-30"), ("monday", "en", "2026-11-30"),
    ("next tuesday", "en", "2026-12-01"), ("the 1st", "en", "2026-12-01"),
    ("明天", "zh", "2026-11-30"), ("下周一", "zh", "2026-11-30"), ("周日", "zh", "2026-12-06"),
])
def test_week_boundary_late_on_a_sunday(text: str, lang: str, expected: str) -> None:
    assert date_of(text, lang, SUNDAY_LATE) == expected


def test_aware_now_is_seen_in_the_callers_timezone() -> None:
    # 03:30 UTC on Monday is still Sunday evening in New York.
    now = datetime(2026, 11, 30, 3, 30, tzinfo=timezone.utc)
    assert date_of("tomorrow", "en", now) == "2026-11-30"
    assert date_of("tomorrow", "en", now, tz="Asia/Shanghai") == "2026-12-01"


def test_dst_change() -> None:
    # US clocks go forward at 02:00 on Sunday 2026-03-08. 06:30 UTC is 01:30 EST,
    # 07:30 UTC is 03:30 EDT: the same local day either side.
    before = datetime(2026, 3, 8, 6, 30, tzinfo=timezone.utc)
    after = datetime(2026, 3, 8, 7, 30, tzinfo=timezone.utc)
    assert date_of("today", "en", before) == date_of("today", "en", after) == "2026-03-08"
    assert date_of("tomorrow", "en", after) == "2026-03-09"
    assert date_of("next monday", "en", after) == "2026-03-09"
    # Late on the night clocks go back (Sunday 2026-11-01): still Sunday locally.
    assert date_of("tomorrow", "en", datetime(2026, 11, 2, 4, 30, tzinfo=timezone.utc)) == "2026-11-02"


def test_naive_now_is_local_time() -> None:
    assert local_today(datetime(2026, 11, 23, 23, 59), "Asia/Shanghai").isoformat() == "2026-11-23"


def test_unknown_timezone() -> None:
    with pytest.raises(NluError, match="Mars/Olympus"):
        understand("tomorrow", "en", now=MONDAY, tz="Mars/Olympus")
