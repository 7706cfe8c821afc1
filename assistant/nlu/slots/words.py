"""Slots said with a fixed word list: `meal` and `part_of_day`."""
from __future__ import annotations

import re

from assistant.nlu.patterns import alternation, edges


class WordSlot:
    """Maps any of a set of phrases to its canonical value; the last one said counts."""

    def __init__(self, values: dict[str, tuple[str, ...]], spaced: bool,
                 ignore: tuple[str, ...] = ()) -> None:
        self._value = {phrase: value for value, phrases in values.items() for phrase in phrases}
        self._re = re.compile(edges(alternation(self._value), spaced))
        self._ignore = re.compile(edges(alternation(ignore), spaced)) if ignore else None

    def find(self, text: str) -> str | None:
        if self._ignore is not None:
            text = self._ignore.sub(" ", text)
        found = self._re.findall(text)
        return self._value[found[-1]] if found else None
