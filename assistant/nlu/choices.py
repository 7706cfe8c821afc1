"""A numbered choice said in words: "later", "the soft food please", 普通餐, "number two".

A choice is understood only from whole words, when it is (nearly) all the caller said: the
clause that holds it may add only the language's `choice_carriers` ("I'll have the ...
please", 我要…吧). So "not taken" is not "taken" (a negation reaches it), "they were taken
away" is not "taken" (other words remain), and "I don't know" is not "no" (no whole word).
A near miss of a label ("latter", "soft fud") is taken with less confidence, so the dialog
reads it back before acting on it. Two different choices said at once are no choice.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from assistant.nlu.data import IntentData, load_intent_data
from assistant.nlu.language import Language
from assistant.nlu.patterns import CLAUSE

NEAR_CUTOFF = 85.0
"""fuzz.ratio a clause needs against a label to count as a near miss of it."""
NEAR_CONFIDENCE = 0.75
MIN_NEAR_LENGTH = 4


@dataclass(frozen=True)
class Option:
    """One choice as the caller may say it."""

    value: str
    words: tuple[str, ...]
    """Its label and other ways of saying it."""
    key: str = ""
    """The key that chooses it; saying its number ("two") chooses it too."""


@dataclass(frozen=True)
class ChoiceMatch:
    value: str
    confidence: float
    """1 for whole words (or the key's number), NEAR_CONFIDENCE for a near miss."""


def match_choice(text: str, lang: str, options: Sequence[Option],
                 data: IntentData | None = None) -> ChoiceMatch | None:
    """The option `text` chooses, or None."""
    language = (data or load_intent_data()).language(lang)
    prepared = language.prepare(text)
    if not prepared.text or not options:
        return None
    found: dict[str, float] = {}
    for clause in prepared.text.split(CLAUSE):
        for option in options:
            confidence = _said_in(clause, option, language, prepared.changed)
            if confidence:
                found[option.value] = max(found.get(option.value, 0.0), confidence)
    if len(found) != 1:
        return None
    value, confidence = found.popitem()
    return ChoiceMatch(value, confidence)


def _said_in(clause: str, option: Option, language: Language, repaired: frozenset[str]) -> float:
    """How surely `clause` says `option` (0: not at all). A label found only after a
    misspelling was repaired ("latter" -> "later") is a near miss."""
    for word in option.words:
        label = language.normalizer.normalize(word).replace(CLAUSE, " ")
        if not label:
            continue
        for start in _occurrences(clause, label, language.spaced):
            rest = clause[:start] + " " + clause[start + len(label):]
            if not language.negation.before(clause, start) and language.carried(rest):
                return NEAR_CONFIDENCE if set(label.split(" ")) & repaired else 1.0
    if language.carried(clause):
        return 0.0
    bare = language.strip_carriers(clause)
    if option.key and language.slots.numbers.value(bare) == _number(option.key):
        return 1.0
    if len(bare) >= MIN_NEAR_LENGTH and not language.negation.before(clause, len(clause)):
        for word in option.words:
            label = language.normalizer.normalize(word).replace(CLAUSE, " ")
            if fuzz.ratio(bare, label) >= NEAR_CUTOFF:
                return NEAR_CONFIDENCE
    return 0.0


def _number(key: str) -> int | None:
    return int(key) if key.isdigit() else None


def _occurrences(clause: str, label: str, spaced: bool) -> list[int]:
    """Where `label` stands in `clause` as whole words (anywhere, without spaces)."""
    found, start = [], clause.find(label)
    while start >= 0:
        end = start + len(label)
        if not spaced or ((start == 0 or clause[start - 1] == " ")
                          and (end == len(clause) or clause[end] == " ")):
            found.append(start)
        start = clause.find(label, start + 1)
    return found
