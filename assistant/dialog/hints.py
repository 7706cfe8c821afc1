"""What a recognizer is told to expect at a dialog step.

Whisper keeps only the first ~160 tokens of its prompt, so order matters: the directory's
names first (the words a generic model knows least), then the step's own choices, then the
phrases of each intent the step accepts, taken in turn (one per intent by default: on the
evaluation clips a longer prompt costs decode time and leaks its own words into the text).

Some words are never hinted, because Whisper writes a hinted word into unclear speech:
- "help": a dose report came out ending in "..., help", a false emergency; it hears the
  alarm words well enough unprompted;
- "yes" and "no" (as intents or as choices): prompted with "yes, no", a caller's "yes that's
  right" came out as "Yes, no, try it." and was taken for a no.
"""
from __future__ import annotations

from collections.abc import Iterable

from assistant.dialog.model import Choice
from assistant.nlu import Directory, IntentData

PHRASES_PER_INTENT = 1
UNHINTED = frozenset({"help", "yes", "no"})


GRAMMAR_WORDS = 1
"""A grammar entry is a short answer: at most this many words."""
GRAMMAR_PER_INTENT = 3


def step_grammar(data: IntentData, lang: str, intents: Iterable[str], choices: Iterable[Choice] = ()) -> list[str]:
    """The short answers a step expects (its choices, its intents' one-word phrases, and help,
    which is always heard), for a recognizer's grammar mode. Help belongs here even though it
    is never hinted: a grammar is only used for an utterance too short to be anything else.
    Yes and no stay out, as in hints: Whisper turned "yes that's right" into "yes, nope"."""
    labels = [word for choice in choices if choice.value not in UNHINTED
              for word in (choice.label, *choice.words)]
    groups = [[p for p in data.hint_phrases(lang, [intent]) if len(p.split()) <= GRAMMAR_WORDS]
              for intent in dict.fromkeys(("help", *intents))
              if intent in data.intents and intent not in UNHINTED - {"help"}]
    phrases = [group[i] for i in range(GRAMMAR_PER_INTENT) for group in groups if i < len(group)]
    return list(dict.fromkeys([*labels, *phrases]))


def step_hints(data: IntentData, lang: str, intents: Iterable[str], directory: Directory,
               choices: Iterable[Choice] = (), per_intent: int = PHRASES_PER_INTENT) -> list[str]:
    names = [entry.name for entry in (*directory.doctors, *directory.medications)]
    words = [word for choice in choices if choice.value not in UNHINTED
             for word in (choice.label, *choice.words)]
    groups = [data.hint_phrases(lang, [intent]) for intent in dict.fromkeys(intents)
              if intent in data.intents and intent not in UNHINTED]
    phrases = [group[i] for i in range(per_intent) for group in groups if i < len(group)]
    return list(dict.fromkeys([*names, *words, *phrases]))
