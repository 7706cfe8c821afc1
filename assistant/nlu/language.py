"""One language's data compiled for matching: normaliser, repair, phrase regexes,
example sentences, negation and third-party cues, and slot grammars."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from assistant.nlu.danger import DangerRules
from assistant.nlu.errors import IntentDataError
from assistant.nlu.loader import IntentPhrases, Located, RawLanguage
from assistant.nlu.model import Directory
from assistant.nlu.negation import Negation
from assistant.nlu.normalize import Normalizer
from assistant.nlu.patterns import CLAUSE, alternation, compile_phrases, edges, expand
from assistant.nlu.repair import PinyinRepair, SpellingRepair
from assistant.nlu.slots import SlotGrammar
from assistant.nlu.slots.names import NameMatch, NameSettings, find_names, replace_names

_SYNTAX = re.compile(r"\.\.\.|[()\[\]|{}]")


@dataclass(frozen=True)
class CompiledIntent:
    """The regexes of one intent in one language."""

    name: str
    phrases: re.Pattern[str]
    whole: re.Pattern[str] | None
    exclude: re.Pattern[str] | None
    hints: tuple[str, ...]


@dataclass(frozen=True)
class Prepared:
    """A text as the matcher reads it."""

    text: str
    """Normalised, directory names replaced by the generic word ("pills"), misspellings
    repaired; "" when nothing readable was said."""
    names: list[NameMatch]
    """The directory names found, at their places in the normalised text."""
    changed: frozenset[str]
    """Words that repair put in (a language written with spaces only)."""


class Language:
    """Everything needed to read one language, built once when the data is loaded."""

    def __init__(self, raw: RawLanguage) -> None:
        common = raw.common
        self.code = raw.code
        self.spaced = not common["ignore_whitespace"]
        self.normalizer = Normalizer(common)
        self.slots = SlotGrammar(common)
        self.negation = Negation(common["negations"], common["not_negations"],
                                 common["negation_window"], self.spaced)
        self._carriers = self._words_re(common.get("choice_carriers", ()))
        self._never_repair = self._words_re(common.get("never_repair", ()))
        self.third_party = self._words_re(common["third_party"], possessive=True)
        self.resolved = self._words_re(common["resolved"])
        self.first_person = self._words_re(common["first_person"])
        placeholders = {
            "meal": alternation(p for phrases in common["meals"].values() for p in phrases),
            "part": alternation(p for phrases in common["part_of_day"].values() for p in phrases),
            "weekday": alternation(common["dates"]["weekdays"]),
            "day": alternation(common["dates"]["days"]),
            "number": self.slots.numbers.pattern,
        }
        problems: list[str] = []
        self.intents = {name: self._compile(phrases, placeholders, problems)
                        for name, phrases in raw.intents.items()}
        self.danger = DangerRules(raw.danger, self.spaced, problems)
        if problems:
            raise IntentDataError("\n".join(problems))
        self.examples: list[str] = []
        self.example_intents: list[str] = []
        for name, phrases in raw.intents.items():
            for example in phrases.examples:
                self.examples.append(self.normalizer.normalize(example).replace(CLAUSE, " "))
                self.example_intents.append(name)
        phrase_words = self._words([*(s for p in raw.intents.values() for s in (*p.phrases, *p.whole)),
                                    *_danger_words(raw.danger)])
        slot_words = self._words(_strings(common["dates"]) + _strings(common["meals"])
                                 + _strings(common["part_of_day"]) + _strings(common["numbers"]))
        known = phrase_words | slot_words | self._words(
            [*(e for p in raw.intents.values() for e in (*p.examples, *p.exclude)),
             *_strings(common), *_strings(raw.danger)])
        self.known_words = frozenset(known)
        self.repair: SpellingRepair | PinyinRepair
        if common["phonetic"] == "spelling":
            self.repair = SpellingRepair(known, phrase_words | slot_words)
        else:
            self.repair = PinyinRepair(self._pieces(raw, common))
        self.names = NameSettings(
            spaced=self.spaced, titles=tuple(common["titles"]),
            generic=tuple(common["generic_names"].items()), known_words=self.known_words)

    def prepare(self, text: str, directory: Directory | None = None) -> Prepared:
        """`text` as the phrase rules, the danger concepts and the model read it."""
        normalized = self.normalizer.normalize(text)
        if not normalized:
            return Prepared("", [], frozenset())
        names = find_names(normalized, directory or Directory(), self.names)
        named = replace_names(normalized, names, self.names)
        kept = [m.span() for m in self._never_repair.finditer(named)]
        repaired = self.repair.repair(named, self.slots.spans(named) + kept)
        changed = frozenset(repaired.split(" ")) - frozenset(named.split(" ")) \
            if self.spaced else frozenset()
        return Prepared(repaired, names, changed)

    def strip_carriers(self, text: str) -> str:
        """`text` without the words that carry a choice ("I'll have the ... please")."""
        joiner = " " if self.spaced else ""
        return joiner.join(self._carriers.sub(" ", text).split())

    def carried(self, text: str) -> bool:
        """Whether `text` holds nothing but words that carry a choice."""
        return not self.strip_carriers(text)

    def _words_re(self, words: list[str], possessive: bool = False) -> re.Pattern[str]:
        body = alternation(words) + ("(?:'s)?" if possessive and self.spaced else "")
        return re.compile(edges(body, self.spaced))

    def _compile(self, phrases: IntentPhrases, placeholders: dict[str, str],
                 problems: list[str]) -> CompiledIntent:
        def build(templates: tuple[Located, ...], whole: bool = False) -> re.Pattern[str] | None:
            return compile_phrases(templates, self.spaced, placeholders, problems, whole=whole)
        compiled_phrases = build(phrases.phrases)
        hints = tuple(h for t in (*phrases.phrases, *phrases.whole) for h in expand(t.lower()))
        return CompiledIntent(
            name=phrases.intent, phrases=compiled_phrases or re.compile("(?!)"),
            whole=build(phrases.whole, whole=True), exclude=build(phrases.exclude),
            hints=hints)

    def _words(self, strings: Any) -> set[str]:
        words: set[str] = set()
        for text in strings:
            plain = self.normalizer.normalize(_SYNTAX.sub(" ", str(text)))
            for clause in plain.split(CLAUSE):
                words.update(clause.split(" ") if self.spaced else clause)
        words.discard("")
        return words

    def _pieces(self, raw: RawLanguage, common: dict[str, Any]) -> set[str]:
        """Literal runs of the phrases and slot words: what sound repair may restore."""
        pieces: set[str] = set()
        for phrases in raw.intents.values():
            for template in (*phrases.phrases, *phrases.whole):
                pieces.update(p for p in _SYNTAX.split(str(template)) if p.strip())
        for template in _danger_words(raw.danger):
            pieces.update(p for p in _SYNTAX.split(str(template)) if p.strip())
        pieces.update(_strings(common["dates"]) + _strings(common["meals"])
                      + _strings(common["part_of_day"]))
        return {p.strip() for p in pieces if p.strip().isalnum()}


def _danger_words(danger: dict[str, Any]) -> list[str]:
    """The templates that name a danger: their words join the repair vocabulary, so that a
    misspelt or misheard "collapsed" or 救命 is read as such."""
    return _strings([danger["pleas"], danger["events"], danger["body"], danger["signs"]])


def _strings(value: Any) -> list[str]:
    """Every string (keys and values) inside nested data."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in [str(k), *_strings(v)]]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in _strings(v)]
    return []
