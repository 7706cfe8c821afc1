"""Bring what a caller said or typed to one canonical written form.

The result is lower case, NFKC (full-width characters folded), free of emoji and
control characters, with SMS/ASR spellings rewritten, filler words (unless they are all
that was said: 嗯嗯 is an answer) and stutters (but not words said twice on purpose: "night
night") removed, and clauses separated by `|` (at punctuation and at words such as "but").
Words are separated by one space, or by nothing in a language read without spaces.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any

from assistant.nlu.patterns import CLAUSE, alternation, edges

MAX_CHARS = 600
"""Only the start of a longer text is read: enough for any spoken turn or SMS, and it
keeps the matcher's time bounded."""

_KEEP_PUNCT = "'-"
_DIGIT_SEPARATOR = re.compile(r"(?<=\d)[.:：](?=\d)")
_SPACES = re.compile(r"\s+")
_CLAUSES = re.compile(r"\s*\|[\s|]*")
_BETWEEN_ASCII = re.compile(r"(?<=[a-z0-9])\s+(?=[a-z0-9])")


def _char_class(char: str) -> str:
    """'w' word character, ' ' space, '|' clause break, '' dropped."""
    if char.isalnum() or char in _KEEP_PUNCT or char == ":":
        return "w"
    if char.isspace():
        return " "
    category = unicodedata.category(char)
    if category.startswith("P"):
        return CLAUSE
    return " " if category.startswith(("S", "C", "Z", "M")) else ""


def _only_marks(text: str) -> str:
    """A text of question or exclamation marks alone ("??") means something: keep it."""
    marks = "".join(c for c in text if c in "?!")
    return marks[:5]


class Normalizer:
    """Normalisation settings of one language (from its `_common.yaml`)."""

    def __init__(self, common: dict[str, Any]) -> None:
        self.spaced = not common["ignore_whitespace"]
        self.repeat_collapse = common["repeat_collapse"]
        self._doubled = frozenset(common.get("doubled_words", ()))
        rewrites = {k.lower(): v.lower() for k, v in common["rewrites"].items()}
        self._rewrites = rewrites
        self._rewrite_re = re.compile(self._edged(alternation(rewrites))) if rewrites else None
        self._fillers = re.compile(self._edged(alternation(common["fillers"])))
        self._breaks = re.compile(
            "(?P<keep>" + self._edged(alternation(common.get("not_clause_breaks", ()))) + ")|"
            + self._edged(alternation(common["clause_breaks"])))

    def _edged(self, body: str) -> str:
        return edges(body, self.spaced)

    def normalize(self, text: str) -> str:
        """The canonical form of `text`; "" when nothing readable is left."""
        text = unicodedata.normalize("NFKC", text[:MAX_CHARS]).lower()
        text = text.replace("\u2019", "'").replace("\u2018", "'")
        text = _DIGIT_SEPARATOR.sub(":", text)
        if not any(c.isalnum() for c in text):
            return _only_marks(text)
        if self._rewrite_re is not None:
            text = self._rewrite_re.sub(lambda m: self._rewrites[m.group(0)], text)
        text = "".join(c if (kind := _char_class(c)) == "w" else kind for c in text)
        unfilled = self._fillers.sub(" ", text)
        if any(c.isalnum() for c in unfilled):   # what is only a filler says something: 嗯嗯, eh?
            text = unfilled
        text = self._breaks.sub(lambda m: m.group(0) if m.group("keep") else f"{CLAUSE}{m.group(0)}",
                                text)
        if self.spaced:
            text = _SPACES.sub(" ", text)
        else:
            text = _BETWEEN_ASCII.sub("\x00", text)
            text = _SPACES.sub("", text).replace("\x00", " ")
        clauses = [self._collapse(c.strip(" '-")) for c in _CLAUSES.split(text)]
        return CLAUSE.join(c for c in clauses if c)

    def _collapse(self, clause: str) -> str:
        """Remove stutters: a word said `repeat_collapse` times or more in a row ("yes
        yes", 对对对, but not 谢谢), and a unit of 2-3 words said twice ("i can't i can't")."""
        units = clause.split(" ") if self.spaced else list(clause)
        out: list[str] = []
        i = 0
        while i < len(units):
            run = 1
            while i + run < len(units) and units[i + run] == units[i]:
                run += 1
            if run == 2 and units[i] in self._doubled:
                out.extend(units[i:i + 2])
            else:
                out.extend(units[i:i + 1] if run >= self.repeat_collapse else units[i:i + run])
            i += run
        for size in (2, 3):
            j = 0
            while j + 2 * size <= len(out):
                if out[j:j + size] == out[j + size:j + 2 * size]:
                    del out[j + size:j + 2 * size]
                else:
                    j += 1
        return (" " if self.spaced else "").join(out)
