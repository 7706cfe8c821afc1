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

    def find(self, text: str, outside: list[tuple[int, int]] = ()) -> str | None:
        """The last value said, not counting what lies within the `outside` spans."""
        spans = self.spans(text)
        kept = [(start, end) for start, end in spans
                if not any(s <= start and end <= e for s, e in outside)]
        return self._value[text[kept[-1][0]:kept[-1][1]]] if kept else None

    def spans(self, text: str) -> list[tuple[int, int]]:
        if self._ignore is not None:
            text = self._ignore.sub(lambda m: " " * len(m.group(0)), text)
        return [m.span() for m in self._re.finditer(text)]
