"""SMS keywords: what a text that starts with STOP, MENU, DOCTOR or 吃药 means.

The words are data (`sms.keyword.<name>` in `prompts/<lang>.yaml`), and every language's
words are recognised whoever sends them: a carrier keyword such as STOP works for everyone.
A keyword is found whatever the case or width of the characters, with a missing space
("DOCTORTUE", or any keyword of a language written without spaces: "挂号星期二") or a small
typo in a longer word ("DOCTR"). Opt-out and opt-in
words, a bare OK and a bare 帮助 count only as the whole text, so "quite unwell" never
unsubscribes and "帮助我订餐" ("help me order a meal") is not an emergency.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rapidfuzz.distance import OSA

from assistant import prompts
from assistant.languages import Languages

PREFIX = "sms.keyword."
SAID = "sms.said."
WHOLE_ONLY = frozenset({"stop", "start", "cancel", "ok", "help"})
FUZZY_MIN_LENGTH = 5
"""Shorter words must be typed exactly: "take" is a word of its own, not a typo of TAKEN."""
GLUED_MIN_LENGTH = 2
_EDGE_PUNCTUATION = " \t\r\n.,!;:。，！；：、'\"“”"


@dataclass(frozen=True)
class Keyword:
    name: str
    """The keyword's name: "stop", "menu", "doctor"... (the key after `sms.keyword.`)."""
    rest: str
    """What follows the keyword in the text ("TUE" in "DOCTOR TUE"); "" when it was all."""


def normalize(text: str) -> str:
    """Case- and width-folded, without surrounding spaces and punctuation ("？" is "?")."""
    return unicodedata.normalize("NFKC", text).casefold().strip(_EDGE_PUNCTUATION)


def table(languages: Languages) -> dict[str, str]:
    """Every keyword of every language (normalized) -> its name."""
    return _table(languages.folder, languages.codes)


@lru_cache(maxsize=8)
def _table(folder: Path, codes: tuple[str, ...]) -> dict[str, str]:
    words: dict[str, str] = {}
    for lang in codes:
        for key, variants in prompts.load(folder / "prompts" / f"{lang}.yaml").prompts.items():
            if key.startswith(PREFIX):
                for word in variants["sms"].split():
                    words[normalize(word)] = key.removeprefix(PREFIX)
    return words


def said(languages: Languages, name: str, lang: str) -> str | None:
    """The sentence keyword `name` stands for in `lang`, or None for a command."""
    return languages.file(lang).prompts.get(f"{SAID}{name}", {}).get("sms")


def find(text: str, languages: Languages) -> Keyword | None:
    """The keyword `text` starts with, or None."""
    folded = normalize(text)
    if not folded:
        return None
    words = table(languages)
    whole = re.sub(r"[\s.,!。，！]+", "", folded)
    if whole in words:
        return Keyword(words[whole], "")
    first, _, rest = folded.partition(" ")
    first = first.strip(_EDGE_PUNCTUATION)
    candidates = {word: name for word, name in words.items() if name not in WHOLE_ONLY}
    if first in candidates:
        return Keyword(candidates[first], rest.strip())
    if languages.written_unspaced(first):
        return _glued(whole, candidates, languages)
    if len(first) >= FUZZY_MIN_LENGTH:
        close = [w for w in candidates if len(w) >= FUZZY_MIN_LENGTH and OSA.distance(first, w) <= 1]
        if close:
            return Keyword(candidates[close[0]], rest.strip())
    glued = _glued(first, candidates, languages)
    return Keyword(glued.name, f"{glued.rest} {rest}".strip()) if glued else None


def _glued(text: str, candidates: dict[str, str], languages: Languages) -> Keyword | None:
    """The longest keyword `text` starts with, the rest following without a space."""
    for word in sorted(candidates, key=len, reverse=True):
        long_enough = len(word) >= (GLUED_MIN_LENGTH if languages.written_unspaced(word)
                                    else FUZZY_MIN_LENGTH - 1)
        if long_enough and text.startswith(word) and len(text) > len(word):
            return Keyword(candidates[word], text[len(word):])
    return None
