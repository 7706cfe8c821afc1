"""Whether a negation reaches a phrase: a negation word among the few words (or
characters) just before it, in the same clause ("I didn't fall", 没摔着). Words that hold a
negation but deny nothing ("not only", 不小心, 能不能) are taken out first."""
from __future__ import annotations

import re
from collections.abc import Iterable

from assistant.nlu.patterns import CLAUSE, alternation, edges


class Negation:
    def __init__(self, words: Iterable[str], exceptions: Iterable[str], window: int,
                 spaced: bool) -> None:
        self._words = re.compile(edges(alternation(words), spaced))
        self._exceptions = re.compile(edges(alternation(exceptions), spaced))
        self.window = window
        """Words (or characters, in a language read without spaces) a negation reaches."""
        self.spaced = spaced

    def before(self, text: str, position: int, floor: int = 0) -> bool:
        """Whether a negation comes just before `position` of normalised `text`, after
        `floor` (the end of a phrase before it, which keeps its own negation: the 不 of
        不舒服 does not reach 头疼 in 不舒服头疼)."""
        start = max(text.rfind(CLAUSE, 0, position) + 1, floor)
        before = self._exceptions.sub("_", text[start:position])
        if self.spaced:
            window = " ".join(before.split()[-self.window - 1:])
        else:
            window = before[-self.window:]
        return self._words.search(window) is not None

    def leading(self, clause: str) -> int:
        """How many characters of `clause` a negation it starts with takes ("not " in
        "not taken"), so that a whole-clause phrase can be found after it; 0 if none."""
        match = self._words.match(clause)
        if match is None or self._exceptions.match(clause):
            return 0
        return len(clause) - len(clause[match.end():].lstrip())

    def only(self, text: str) -> bool:
        """Whether `text` is nothing but a negation word ("没有", "not")."""
        return self._words.fullmatch(text) is not None
