"""Clock times, with the part of day folded in."""
from __future__ import annotations

from datetime import datetime

import pytest

from assistant.nlu import Expectation, understand

TIME = Expectation(slots=("time", "part_of_day"))


@pytest.mark.parametrize(("text", "lang", "expected"), [
    ("8 pm", "en", {"time": "20:00"}), ("at 10am", "en", {"time": "10:00"}),
    ("half past seven", "en", {"time": "07:30"}),
    ("half past seven in the evening", "en", {"time": "19:30"}),
    ("quarter to nine", "en", {"time": "08:45"}), ("two in the afternoon", "en", {"time": "14:00"}),
    ("nine o'clock at night", "en", {"time": "21:00"}), ("at 14:30", "en", {"time": "14:30"}),
    ("in the morning", "en", {"part_of_day": "morning"}),
    ("good morning", "en", {}),
    ("晚上八点", "zh", {"time": "20:00"}), ("八点半", "zh", {"time": "08:30"}),
    ("下午两点半", "zh", {"time": "14:30"}), ("上午十点", "zh", {"time": "10:00"}),
    ("下午", "zh", {"part_of_day": "afternoon"}), ("早一点", "zh", {}),
])
def test_times(text: str, lang: str, expected: dict[str, str]) -> None:
    result = understand(text, lang, expected=TIME, now=datetime(2026, 11, 23, 10))
    assert result.slots == expected
