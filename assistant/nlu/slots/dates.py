"""The `date` slot: relative days, weekdays and days of the month, resolved against the
caller's local "today".

Rules (the evaluation's labelling rules): a bare weekday is the coming one (a week
ahead when it is today's name); "next" or 下 with a weekday is that day of next calendar
week (Monday to Sunday); a day of the month that has passed this month is next month's;
a month and day that have passed this year are next year's. The last date said counts.
"""
from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from assistant.nlu.patterns import alternation, form_regex
from assistant.nlu.slots.numbers import NumberReader


class DateGrammar:
    """Finds and resolves dates in normalised text of one language."""

    def __init__(self, dates: dict[str, Any], numbers: NumberReader, spaced: bool) -> None:
        self._days: dict[str, int] = dict(dates["days"])
        self._weekdays: dict[str, int] = dict(dates["weekdays"])
        self._months: dict[str, int] = dict(dates["months"])
        self._numbers = numbers
        month_words = alternation(self._months) if self._months else "(?!)"
        placeholders = {
            "weekday": f"(?P<weekday>{alternation(self._weekdays)})",
            "next": f"(?P<next>{alternation(dates['next_week'])})",
            "this": f"(?P<this>{alternation(dates['this_week'])})",
            "month": f"(?P<month>{month_words})",
            "day": f"(?P<day>{numbers.ordinal_pattern})",
            "dayn": f"(?P<day>{numbers.ordinal_pattern}|{numbers.pattern})",
            "number": numbers.pattern,
        }
        forms = [form_regex(alternation(self._days), spaced, {})]
        forms += [form_regex(f, spaced, placeholders) for f in dates["day_forms"]]
        forms += [form_regex(f, spaced, placeholders) for f in dates["weekday_forms"]]
        self._forms = [re.compile(f) for f in forms]

    def spans(self, text: str) -> list[tuple[int, int]]:
        return [m.span() for form in self._forms for m in form.finditer(text)]

    def find(self, text: str, today: date) -> date | None:
        """The last date said in `text`, or None."""
        found: list[tuple[int, int, date]] = []
        for form in self._forms:
            for match in form.finditer(text):
                resolved = self._resolve(match, today)
                if resolved is not None:
                    found.append((match.start(), -len(match.group(0)), resolved))
        if not found:
            return None
        # Longest match at a position wins; among positions, the last one said.
        found.sort()
        chosen: list[tuple[int, int, date]] = []
        for start, neg_len, value in found:
            if chosen and start < chosen[-1][0] - chosen[-1][1]:
                continue
            chosen.append((start, neg_len, value))
        return chosen[-1][2]

    def _resolve(self, match: re.Match[str], today: date) -> date | None:
        groups = match.groupdict()
        text = match.group(0)
        if not groups:
            return today + timedelta(days=self._days[text])
        if groups.get("weekday"):
            weekday = self._weekdays[groups["weekday"]]
            if groups.get("next"):
                monday = today - timedelta(days=today.weekday())
                return monday + timedelta(days=7 + weekday)
            ahead = (weekday - today.weekday()) % 7
            if ahead == 0 and not groups.get("this"):
                ahead = 7
            return today + timedelta(days=ahead)
        day = self._numbers.value(groups.get("day"))
        if day is None or not 1 <= day <= 31:
            return None
        month_word = groups.get("month")
        if month_word:
            month = self._months.get(month_word) or self._numbers.value(month_word)
            if month is None or not 1 <= month <= 12:
                return None
            return _month_day(today, month, day)
        return _day_of_month(today, day)


def _month_day(today: date, month: int, day: int) -> date | None:
    for year in (today.year, today.year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate >= today:
            return candidate
    return None


def _day_of_month(today: date, day: int) -> date | None:
    year, month = today.year, today.month
    for _ in range(3):
        try:
            candidate = date(year, month, day)
            if candidate >= today:
                return candidate
        except ValueError:
            pass
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return None
