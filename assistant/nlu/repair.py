"""Repair misheard and mistyped words against the vocabulary of the intent data.

`spelling` (languages written with spaces): a word the data never uses is replaced by
the closest word its phrases use (one edit, two for long words, same first letter:
"cancle" -> "cancel", "launch" -> "lunch"), and a word split in two by a recogniser is
joined when the join is a phrase word ("opera tor", "to morrow", "a point meant").
`pinyin` (languages read without spaces): a run of characters that sounds exactly like
a phrase word is replaced by it ("预越" -> "预约", "就命" -> "救命").
Every cutoff is explicit so that nothing is forced onto a word that is merely unknown.
"""
from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from assistant.nlu.patterns import CLAUSE
from assistant.nlu.phonetic import readings, sounds

JOIN_CUTOFF = 85.0
"""fuzz.ratio a split word's join needs against a phrase word ("goodbuy" ~ "goodbye")."""
MIN_WORD = 3
MAX_CACHE = 50_000
Spans = Iterable[tuple[int, int]]


def _protected_chars(spans: Spans) -> set[int]:
    return {i for start, end in spans for i in range(start, end)}


def _word_starts(words: list[str]) -> list[int]:
    starts, position = [], 0
    for word in words:
        starts.append(position)
        position += len(word) + 1
    return starts


class SpellingRepair:
    """Word-level repair for languages written with spaces."""

    def __init__(self, known: Iterable[str], targets: Iterable[str]) -> None:
        self.known = frozenset(known)
        self.targets = sorted(set(targets))
        self._target_set = frozenset(self.targets)
        self._by_length: dict[int, list[str]] = {}
        self._by_start: dict[tuple[str, int], list[str]] = {}
        for target in self.targets:
            self._by_length.setdefault(len(target), []).append(target)
            self._by_start.setdefault((target[0], len(target)), []).append(target)
        self._cache: dict[tuple[str, ...], str | None] = {}

    def repair(self, text: str, protected: Spans = ()) -> str:
        """`text` with repaired words; clauses, spaces and `protected` spans are kept."""
        kept = _protected_chars(protected)
        out: list[str] = []
        words = text.split(" ")
        starts = _word_starts(words)
        i = 0
        while i < len(words):
            for size in (3, 2):
                window = tuple(words[i:i + size])
                if (len(window) == size and CLAUSE not in window
                        and not kept.intersection(range(starts[i], starts[i + size - 1] + 1))
                        and (joined := self._join(window)) is not None):
                    out.append(joined)
                    i += size
                    break
            else:
                out.append(words[i] if starts[i] in kept else self._word(words[i]))
                i += 1
        return " ".join(out)

    def _cached(self, key: tuple[str, ...], compute: object) -> str | None:
        if key not in self._cache:
            if len(self._cache) > MAX_CACHE:
                self._cache.clear()
            self._cache[key] = compute()  # type: ignore[operator]
        return self._cache[key]

    def _join(self, window: tuple[str, ...]) -> str | None:
        def compute() -> str | None:
            joined = "".join(window)
            if len(joined) >= 5 and joined in self._target_set:
                return joined
            if len(joined) < 6 or all(w in self.known for w in window):
                return None
            if self._word(window[0]) != window[0]:   # one word's slip, not a split word
                return None
            if any(w.isdigit() for w in window):
                return None
            candidates = [t for size in (len(joined) - 1, len(joined), len(joined) + 1)
                          if size >= 6 for t in self._by_length.get(size, ())]
            candidates = [t for t in candidates if t[0] == joined[0]]
            best = process.extractOne(joined, candidates, scorer=fuzz.ratio,
                                      score_cutoff=JOIN_CUTOFF)
            return best[0] if best else None
        return self._cached(("join",) + window, compute)

    def _word(self, word: str) -> str:
        if word in self.known or len(word) < MIN_WORD or not word.isalpha():
            return word

        def compute() -> str | None:
            allowed = 1 if len(word) <= 7 else 2
            sizes = ([MIN_WORD + 1] if len(word) == MIN_WORD
                     else range(len(word) - allowed, len(word) + allowed + 1))
            candidates = [t for size in sizes for t in self._by_start.get((word[0], size), ())]
            close = process.extract(word, candidates, scorer=OSA.distance, score_cutoff=allowed,
                                    limit=None)
            if not close:
                return None
            letters = sorted(word)   # a slip of order ("hepl") before one of letter ("hell")
            return min(close, key=lambda c: (c[1], sorted(c[0]) != letters, c[0]))[0]
        return self._cached(("word", word), compute) or word


COMMON_READINGS = 2
"""How many of a character's readings, most common first, sound repair accepts."""


def _common_readings(char: str) -> tuple[str, ...]:
    return readings(char)[:COMMON_READINGS]


class PinyinRepair:
    """Character-level repair by sound for languages read without spaces."""

    def __init__(self, targets: Iterable[str]) -> None:
        words = {t for t in targets if 2 <= len(t) <= 6}
        self._exact = frozenset(words)
        self._by_first: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        for word in sorted(words, key=lambda w: (-len(w), w)):
            syllables = sounds(word)
            self._by_first.setdefault(syllables[0], []).append((word, syllables))
        self._lengths = sorted({len(w) for w in words}, reverse=True)

    def repair(self, text: str, protected: Spans = ()) -> str:
        """`text` with runs that sound like phrase words spelt as them; `protected`
        spans are kept."""
        kept = _protected_chars(protected)
        out: list[str] = []
        i = 0
        while i < len(text):
            if i in kept:
                out.append(text[i])
                i += 1
                continue
            step = self._exact_at(text, i)
            if step:
                out.append(text[i:i + step])
                i += step
                continue
            word = self._sounds_like(text, i, kept)
            out.append(word or text[i])
            i += len(word) if word else 1
        return "".join(out)

    def _sounds_like(self, text: str, i: int, kept: set[int]) -> str | None:
        """The longest phrase word that the characters from `i` can be read as. Only a
        character's common readings count (乐: le, yue): an input method offers characters
        by them, and rare ones would turn ordinary words into others (孩子接我, where 接 can
        be read sha, is not 孩自杀我)."""
        for reading in _common_readings(text[i]):
            for word, syllables in self._by_first.get(reading, ()):
                end = i + len(word)
                if (end <= len(text) and CLAUSE not in text[i:end]
                        and not kept.intersection(range(i, end))
                        and all(s in _common_readings(c)
                                for s, c in zip(syllables[1:], text[i + 1:end]))):
                    return word
        return None

    def _exact_at(self, text: str, i: int) -> int:
        for size in self._lengths:
            if text[i:i + size] in self._exact:
                return size
        return 0
