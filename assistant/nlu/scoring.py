"""From normalised text to the intents it supports, and the choice among them.

Evidence is a phrase of an intent found in the text. It is then:
- dropped when a longer phrase of another intent covers it ("i'm ok" beats "ok"), or
  an exclusion of its own intent does ("help me get some supper" is not help);
- turned by a negation just before it into the registry's `when_negated` intent
  ("don't want the lunch" -> cancel), or dropped ("I don't need help");
- dropped when it reports someone else's state ("the cat's been sick").
A danger the concepts of `danger.py` find is evidence for help (a denied one, for what
denying help means: feeling_ok). The winner has the highest priority (help first; a request
beats a report beats a bare yes/no); at equal priority the last said wins, so corrections
count. A dialog step's expected intents are raised above reports and answers, never above
help, operator or a request. With no phrase at all, the intent model decides if it is sure
enough (`from_model`), else the closest example sentence, if it is close enough
(fuzz.ratio >= EXAMPLE_CUTOFF).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from rapidfuzz import fuzz, process

from assistant.nlu.classifier import IntentModel, Prediction
from assistant.nlu.training import NULL
from assistant.nlu.danger import DangerReading
from assistant.nlu.language import Language
from assistant.nlu.loader import IntentSpec
from assistant.nlu.patterns import CLAUSE

PHRASE_SCORE = 0.95
REPAIRED_SCORE = 0.8
"""A phrase found only after repairing a misheard word."""
EXAMPLE_CUTOFF = 82.0
EXPECTED_EXAMPLE_CUTOFF = 70.0
EXAMPLE_WEIGHT = 0.85
EXPECTED_BOOST = 25
EXPECTED_CEILING = 79
"""Expected intents rise to at most just below requests, operator and help."""


@dataclass(frozen=True)
class Evidence:
    intent: str
    start: int
    end: int
    priority: int
    score: float


def _overlaps(a: Evidence, b: Evidence) -> bool:
    return a.start < b.end and b.start < a.end


def _clause_start(text: str, position: int) -> int:
    return text.rfind(CLAUSE, 0, position) + 1


def _spans(pattern: re.Pattern[str] | None, text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)] if pattern is not None else []


def collect(text: str, language: Language, registry: dict[str, IntentSpec],
            changed: frozenset[str], reading: DangerReading) -> list[Evidence]:
    """All evidence for intents in normalised `text`, with the `reading` of its dangers.
    `changed` holds the words that repair put in, to score phrases resting on them lower."""
    found: list[Evidence] = []
    for name, compiled in language.intents.items():
        priority = registry[name].priority
        excluded = _spans(compiled.exclude, text)
        spans = _spans(compiled.phrases, text)
        if compiled.whole is not None:
            position = 0
            for clause in text.split(CLAUSE):
                if compiled.whole.match(clause):
                    spans.append((position, position + len(clause)))
                elif (lead := language.negation.leading(clause)) and compiled.whole.match(clause, lead):
                    spans.append((position + lead, position + len(clause)))  # "not taken"
                position += len(clause) + 1
        for start, end in spans:
            if any(s < end and start < e for s, e in excluded):
                continue
            score = REPAIRED_SCORE if _rests_on(text, start, end, changed, language) else PHRASE_SCORE
            found.append(Evidence(name, start, end, priority, score))
    kept: list[Evidence] = []
    for evidence in sorted(found, key=lambda e: e.start - e.end):
        length = evidence.end - evidence.start
        if not any(_overlaps(evidence, k) and k.intent != evidence.intent
                   and k.end - k.start > length for k in kept):
            kept.append(evidence)
    evidence = [e for e in (_negate(e, text, language, registry, kept) for e in kept)
                if e is not None and not _about_others(e, text, language, registry)]
    danger, intent = reading.current, "help"
    if danger is None:    # "I didn't fall": what denying help means, if anything
        danger, intent = reading.denied, registry["help"].when_negated
    if danger is not None and intent is not None:
        score = REPAIRED_SCORE if _rests_on(text, danger.start, danger.end, changed, language) \
            else PHRASE_SCORE
        evidence.append(Evidence(intent, danger.start, danger.end, registry[intent].priority, score))
    return evidence


def _rests_on(text: str, start: int, end: int, changed: frozenset[str], language: Language) -> bool:
    """Whether the span holds a word that repair put in."""
    return language.spaced and bool(set(text[start:end].split(" ")) & changed)


def _negate(evidence: Evidence, text: str, language: Language, registry: dict[str, IntentSpec],
            others: list[Evidence]) -> Evidence | None:
    floor = max((o.end for o in others if o.end <= evidence.start
                 and not language.negation.only(text[o.start:o.end])), default=0)
    if not language.negation.before(text, evidence.start, floor):
        return evidence
    target = registry[evidence.intent].when_negated
    if target is None:
        return None
    return replace(evidence, intent=target,
                   priority=min(evidence.priority, registry[target].priority))


def _about_others(evidence: Evidence, text: str, language: Language,
                  registry: dict[str, IntentSpec]) -> bool:
    """Whether the evidence reports someone else's state rather than the caller's."""
    rule = registry[evidence.intent].about_self
    if rule is None:
        return False
    mention = language.third_party.search(text, 0, evidence.end)
    if mention is None:
        return False
    if rule == "resolved" and not language.resolved.search(text):
        return False
    since = max(mention.end(), _clause_start(text, evidence.start))
    return language.first_person.search(text, since, evidence.end) is None


@dataclass(frozen=True)
class Choice:
    intent: str | None
    confidence: float
    runner_up: str | None
    runner_up_confidence: float


NO_CHOICE = Choice(None, 0.0, None, 0.0)


def choose(evidence: list[Evidence], expected: tuple[str, ...]) -> Choice:
    """The winning intent and the best other one."""
    if not evidence:
        return NO_CHOICE
    ranked = sorted(
        evidence, reverse=True,
        key=lambda e: (_priority(e, expected), e.start, e.score))
    best = ranked[0]
    other = next((e for e in ranked if e.intent != best.intent), None)
    if other is None:
        return Choice(best.intent, best.score, None, 0.0)
    return Choice(best.intent, best.score, other.intent, other.score)


def _priority(evidence: Evidence, expected: tuple[str, ...]) -> int:
    if evidence.intent in expected:
        return max(evidence.priority, min(evidence.priority + EXPECTED_BOOST, EXPECTED_CEILING))
    return evidence.priority


MODEL_CEILING = 0.85
"""The model's answer is never as sure as a phrase's: what it decides is read back before
the dialog acts on it."""
EXPECTED_BAR = 0.6
"""An intent the dialog step asks for is taken at this fraction of the model's bar."""


def from_model(prediction: Prediction, model: IntentModel, expected: tuple[str, ...],
               reading: DangerReading) -> Choice:
    """The model's choice, when it is likely enough: an expected intent first, then help
    (at its lower bar, unless the danger words said were ruled out), then whatever is
    likeliest."""
    probabilities = prediction.probabilities
    candidates = [(name, EXPECTED_BAR) for name in expected]
    candidates += [("help", 1.0), (prediction.intent or NULL, 1.0)]
    for name, fraction in candidates:
        if name == NULL or (name == "help" and reading.ruled_out):
            continue
        probability = probabilities.get(name, 0.0)
        if probability >= model.bar(name) * fraction:
            return Choice(name, round(min(probability, MODEL_CEILING), 3), None, 0.0)
    return NO_CHOICE


def closest_example(text: str, language: Language, expected: tuple[str, ...]) -> Choice:
    """The intent of the example sentence nearest to `text`, if near enough."""
    flat = text.replace(CLAUSE, " ")
    best = process.extractOne(flat, language.examples, scorer=fuzz.ratio,
                              score_cutoff=EXAMPLE_CUTOFF)
    if best is None and expected:
        indexes = [i for i, name in enumerate(language.example_intents) if name in expected]
        near = process.extractOne(flat, [language.examples[i] for i in indexes],
                                  scorer=fuzz.ratio, score_cutoff=EXPECTED_EXAMPLE_CUTOFF)
        if near is not None:
            best = (near[0], near[1], indexes[near[2]])
    if best is None:
        return NO_CHOICE
    _, score, index = best
    return Choice(language.example_intents[index], round(score / 100 * EXAMPLE_WEIGHT, 3),
                  None, 0.0)
