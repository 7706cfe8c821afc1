"""What a recognizer is told to expect at a dialog step.

Whisper keeps only the first ~160 tokens of its prompt, so order matters: the directory's
names first (the words a generic model knows least), then the step's own choices, then the
phrases of each intent the step accepts, taken in turn, a few per intent.
"""
from __future__ import annotations

from collections.abc import Iterable

from assistant.dialog.model import Choice
from assistant.nlu import Directory, load_intent_data

PHRASES_PER_INTENT = 2


def step_hints(lang: str, intents: Iterable[str], directory: Directory, choices: Iterable[Choice] = (),
               per_intent: int = PHRASES_PER_INTENT) -> list[str]:
    data = load_intent_data()
    names = [entry.name for entry in (*directory.doctors, *directory.medications)]
    words = [word for choice in choices for word in (choice.label, *choice.words)]
    groups = [data.hint_phrases(lang, [intent]) for intent in dict.fromkeys(intents) if intent in data.intents]
    phrases = [group[i] for i in range(per_intent) for group in groups if i < len(group)]
    return list(dict.fromkeys([*names, *words, *phrases]))
