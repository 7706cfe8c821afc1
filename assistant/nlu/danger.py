"""Whether a caller may be describing an emergency, recognised as concepts, not sentences.

The concepts of a language are in `intents/<lang>/_danger.yaml`:
- an *event* (a fall, a collapse, no breath, bleeding, fire, gas, an intruder, an overdose)
  is a danger whoever it happens to: "I fell", "Frank's collapsed", 老伴晕过去了;
- a *body* word with one of its *signs* a few words away, in either order, is one too:
  "my chest is tight", "pain in his chest", 嘴有点歪;
- a *plea* that makes up a whole clause is one: "help", "somebody come", 救命.
An event or a body sign stops counting when a negation comes just before it ("I didn't
fall", "no blood"), when a dismissal follows it in its clause ("the smoke was only the
toast"), or when the caller says, later on, that it is over: an *all clear* ("I'm fine
now") or a *past* time ("last week", but not "since last week"). A plea always counts.

Recall comes first: the words are broad on purpose, and the matcher reads the text after
misspellings have been repaired against a vocabulary that includes them ("colapsed",
就命). A false alarm costs a volunteer a minute; a miss can cost a life.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from assistant.nlu.negation import Negation
from assistant.nlu.patterns import CLAUSE, compile_phrases

SIGN_DISTANCE = {True: 6, False: 6}
"""How far apart a body word and its sign may be: words (spaced languages) or characters."""
_NEVER = re.compile("(?!)")


@dataclass(frozen=True)
class Danger:
    """One thing said that may be an emergency."""

    concept: str
    """"plea", an event group ("fall", "fire", ...) or a body group ("chest", ...)."""
    start: int
    end: int


@dataclass(frozen=True)
class DangerReading:
    current: Danger | None = None
    """A danger the caller may be in now: she is put through to a person."""
    denied: Danger | None = None
    """A danger she said did not happen ("I didn't fall"), when none is current."""
    ruled_out: bool = False
    """Danger words were said, and every one was denied, dismissed, over or not a danger
    ("the smoke alarm wants a battery"): nothing else should take them for one."""


class DangerRules:
    """The danger concepts of one language, compiled once."""

    def __init__(self, raw: dict[str, Any], spaced: bool, problems: list[str]) -> None:
        def build(templates: Any, *, whole: bool = False) -> re.Pattern[str]:
            return compile_phrases(templates or (), spaced, {}, problems, whole=whole) or _NEVER

        self.spaced = spaced
        self.negation = Negation(raw["negations"], raw.get("not_negations", ()),
                                 raw["negation_window"], spaced)
        self.pleas = build(raw["pleas"], whole=True)
        self.events = {name: build(templates) for name, templates in raw["events"].items()}
        self.body = {name: build(words) for name, words in raw["body"].items()}
        self.signs = {name: build(words) for name, words in raw["signs"].items()}
        self.sign_distance = raw.get("sign_distance", SIGN_DISTANCE[spaced])
        self.all_clear = build(raw["all_clear"])
        self.past = build(raw["past"])
        self.ongoing = build(raw.get("ongoing", ()))
        self.dismissals = build(raw["dismissals"])
        self.excluded = build(raw.get("not", ()))

    def read(self, text: str) -> DangerReading:
        """The dangers said in normalised `text`: the first still current, else the first
        the caller denied."""
        denied = None
        candidates, excluded = self._candidates(text)
        if "-" in text:   # "won't wake-up": a hyphenated compound never hides a danger
            more, also_excluded = self._candidates(text.replace("-", " "))
            candidates += more
            excluded += also_excluded
        for danger in sorted(candidates, key=lambda d: d.start):
            if danger.concept == "plea":
                return DangerReading(current=danger)
            if self._negated(text, danger):
                denied = denied or danger
            elif self._current(text, danger):
                return DangerReading(current=danger)
        return DangerReading(denied=denied, ruled_out=bool(candidates or excluded))

    def _candidates(self, text: str) -> tuple[list[Danger], list[tuple[int, int]]]:
        """Every danger said, and the spans of what looks like one but is not."""
        found: list[Danger] = []
        position = 0
        for clause in text.split(CLAUSE):
            if self.pleas.match(clause):
                found.append(Danger("plea", position, position + len(clause)))
            position += len(clause) + 1
        excluded = [m.span() for m in self.excluded.finditer(text)]

        def kept(span: tuple[int, int]) -> bool:
            return not any(s <= span[0] and span[1] <= e for s, e in excluded)

        for name, pattern in self.events.items():
            found += [Danger(name, *m.span()) for m in pattern.finditer(text) if kept(m.span())]
        for name, body in self.body.items():
            signs = [m.span() for m in self.signs[name].finditer(text) if kept(m.span())]
            for match in body.finditer(text):
                if kept(match.span()):
                    found += [Danger(name, min(match.start(), s), max(match.end(), e))
                              for s, e in signs if self._near(text, match.span(), (s, e))]
        return found, excluded

    def _near(self, text: str, a: tuple[int, int], b: tuple[int, int]) -> bool:
        """Whether two spans lie in one clause, at most `sign_distance` apart."""
        (_, first_end), (second_start, _) = sorted((a, b))
        if second_start < first_end:
            return False
        between = text[first_end:second_start]
        if CLAUSE in between:
            return False
        gap = len(between.split()) if self.spaced else len(between)
        return gap <= self.sign_distance

    def _current(self, text: str, danger: Danger) -> bool:
        """Not dismissed, and not over: nothing said after it makes it so."""
        clause_end = text.find(CLAUSE, danger.end)
        rest_of_clause = text[danger.end:clause_end if clause_end >= 0 else len(text)]
        if self.dismissals.search(rest_of_clause):
            return False
        later = text[danger.end:]
        if self.all_clear.search(later):
            return False
        return not any(not self._after_ongoing(text, danger.end + m.start())
                       for m in self.past.finditer(later))

    def _negated(self, text: str, danger: Danger) -> bool:
        """A negation before the danger, or, for a body and its sign, before the second of
        the two ("my chest doesn't hurt", 胸口不疼了)."""
        if self.negation.before(text, danger.start):
            return True
        return danger.concept in self.body and any(
            self.negation.before(text, m.start())
            for m in self.signs[danger.concept].finditer(text, danger.start, danger.end)
            if m.start() > danger.start)

    def _after_ongoing(self, text: str, position: int) -> bool:
        """Whether the past time at `position` is where something ongoing began ("since
        last week", 从上周): then it is not over."""
        before = text[max(0, position - 12):position].rstrip()
        return any(m.end() == len(before) for m in self.ongoing.finditer(before))
