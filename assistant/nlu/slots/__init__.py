"""Slot grammars of one language: date, time, part of day, meal and quantity.

Doctor and medication names come from `slots.names`, matched against the directory.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from assistant.nlu.slots.dates import DateGrammar
from assistant.nlu.slots.numbers import NumberReader, QuantityGrammar
from assistant.nlu.slots.times import TimeGrammar
from assistant.nlu.slots.words import WordSlot


class SlotGrammar:
    """Every word-based slot of one language, built from its `_common.yaml`."""

    def __init__(self, common: dict[str, Any]) -> None:
        spaced = not common["ignore_whitespace"]
        self.numbers = NumberReader(common["numbers"])
        self.dates = DateGrammar(common["dates"], self.numbers, spaced)
        self.times = TimeGrammar(common["times"], self.numbers, spaced)
        self.quantity = QuantityGrammar(common["quantity"], self.numbers, spaced)
        self.meal = WordSlot(common["meals"], spaced)
        self.part_of_day = WordSlot(common["part_of_day"], spaced, tuple(common["greetings"]))

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where dates, times and quantities are said: repair must leave them alone
        (12月1号的 is not 12月1好的)."""
        return [span for grammar in (self.dates, self.times, self.quantity)
                for span in grammar.spans(text)]

    def extract(self, text: str, today: date) -> dict[str, Any]:
        """Slots said in normalised `text`; part_of_day only when no clock time is, and not
        when it is part of a meal's name ("evening meal", 中午的饭)."""
        slots: dict[str, Any] = {}
        found_date = self.dates.find(text, today)
        if found_date is not None:
            slots["date"] = found_date.isoformat()
        meals = self.meal.spans(text)
        part_of_day = self.part_of_day.find(text, outside=meals)   # 晚上的饭 is dinner, not evening
        time = self.times.find(text, part_of_day)
        if time is not None:
            slots["time"] = time
        elif part_of_day is not None:
            slots["part_of_day"] = part_of_day
        meal = self.meal.find(text)
        if meal is not None:
            slots["meal"] = meal
        quantity = self.quantity.find(text)
        if quantity is not None:
            slots["quantity"] = quantity
        return slots
