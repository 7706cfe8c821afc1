"""The `time` slot: a clock time as "HH:MM" (24 h), with the part of day that fixes it
folded in ("two in the afternoon" -> 14:00, 晚上九点 -> 21:00, "10AM" -> 10:00). Forms name
the groups they fill: hour, minute, half (:30), quarter (:15), to (before the hour), am, pm,
noon (12:00)."""
from __future__ import annotations

import re
from typing import Any

from assistant.nlu.patterns import form_regex
from assistant.nlu.slots.numbers import NumberReader

LATER_PARTS = ("afternoon", "evening")


class TimeGrammar:
    """Finds a clock time in normalised text of one language."""

    def __init__(self, times: dict[str, Any], numbers: NumberReader, spaced: bool) -> None:
        placeholders = {"hour": f"(?P<hour>{numbers.pattern})", "number": numbers.pattern}
        self._numbers = numbers
        self._forms = [re.compile(form_regex(f, spaced, placeholders)) for f in times["forms"]]

    def spans(self, text: str) -> list[tuple[int, int]]:
        return [m.span() for form in self._forms for m in form.finditer(text)]

    def find(self, text: str, part_of_day: str | None) -> str | None:
        """The first clock time said (the longest reading of it), or None.
        `part_of_day` turns 8 into 20:00."""
        best: tuple[int, int, str] | None = None
        for form in self._forms:
            match = form.search(text)
            if match is None:
                continue
            value = self._resolve(match.groupdict(), part_of_day)
            key = (match.start(), -len(match.group(0)))
            if value is not None and (best is None or key < best[:2]):
                best = (*key, value)
        return best[2] if best else None

    def _resolve(self, groups: dict[str, str | None], part_of_day: str | None) -> str | None:
        if groups.get("noon"):
            return "12:00"
        hour = self._numbers.value(groups.get("hour"))
        if hour is None or not 0 <= hour <= 24:
            return None
        minute = 0
        if groups.get("minute"):
            minute_value = self._numbers.value(groups["minute"])
            if minute_value is None or not 0 <= minute_value < 60:
                return None
            minute = minute_value
        elif groups.get("half"):
            minute = 30
        elif groups.get("quarter"):
            minute = 15
        if groups.get("to"):
            hour, minute = (hour - 1) % 24, 60 - minute
        if groups.get("pm"):
            hour = hour % 12 + 12
        elif groups.get("am"):
            hour = hour % 12
        elif part_of_day in LATER_PARTS and hour < 12:
            hour += 12
        return f"{hour % 24:02d}:{minute:02d}"
