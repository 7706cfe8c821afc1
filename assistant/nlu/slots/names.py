"""The `doctor` and `medication` slots: names from the directory, found even when
misheard or misspelt ("patle", "pat el", "amlo dipine", 阿斯匹林, 李大夫).

Names and the words of the text are compared by how they sound (`phonetic.sound_key`).
A window of one to a few words is a match when its key equals a name's key, or is
close to it (fuzz.ratio >= NAME_CUTOFF). Short keys ("kim") must match exactly unless a
title comes just before ("doctor kin"). The text handed on has each name replaced by
the language's generic word ("pills", 药), so intent phrases can say "took my pills".
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz, process

from assistant.nlu.model import Directory, DirectoryEntry
from assistant.nlu.patterns import CLAUSE
from assistant.nlu.phonetic import sound_key

NAME_CUTOFF = 80.0
TITLED_CUTOFF = 66.0
SHORT_KEY = 4
KINDS = ("doctor", "medication")


@dataclass(frozen=True)
class NameSettings:
    """What a language says about names (from `_common.yaml`)."""

    spaced: bool
    titles: tuple[str, ...]
    generic: tuple[tuple[str, str], ...]
    """(kind, generic word) pairs."""
    known_words: frozenset[str]
    """Words of the intent data: a window made only of them is checked for an exact
    name only, which keeps ordinary words from being taken for names."""


@dataclass(frozen=True)
class NameMatch:
    kind: str
    name: str
    start: int
    end: int


@dataclass(frozen=True)
class _Index:
    keys: tuple[str, ...]
    owners: tuple[tuple[str, str], ...]
    """(kind, canonical name) of each key."""
    sizes: tuple[int, ...]
    """Window sizes (in words or characters) worth comparing."""
    exact: dict[str, int] = field(default_factory=dict, compare=False, hash=False)
    fuzzy: dict[tuple[str, bool], tuple[float, int] | None] = field(
        default_factory=dict, compare=False, hash=False)
    """Results of earlier fuzzy look-ups: the same words come back call after call."""


def _variants(entry: DirectoryEntry, kind: str, settings: NameSettings) -> set[str]:
    said = {entry.name, *entry.aliases}
    if kind != "doctor":
        return said
    for name in list(said):
        lowered = name.lower().replace(".", " ").strip()
        for title in settings.titles:
            if settings.spaced and lowered.startswith(title + " "):
                bare = lowered[len(title):].strip()
                said.add(bare)
                said.add(bare.split()[-1])
            elif not settings.spaced and lowered.endswith(title) and len(lowered) > len(title):
                stem = lowered[:-len(title)]
                said.update(stem + other for other in settings.titles)
        if settings.spaced and " " in lowered and not any(lowered.startswith(t + " ")
                                                          for t in settings.titles):
            said.add(lowered.split()[-1])
    return said


@lru_cache(maxsize=64)
def _index(directory: Directory, settings: NameSettings) -> _Index:
    keys: list[str] = []
    owners: list[tuple[str, str]] = []
    sizes: set[int] = set()
    for kind, entries in (("doctor", directory.doctors), ("medication", directory.medications)):
        for entry in entries:
            for said in _variants(entry, kind, settings):
                key = sound_key(said, settings.spaced)
                if not key:
                    continue
                keys.append(key)
                owners.append((kind, entry.name))
                words = len(said.split()) if settings.spaced else len(key.split())
                sizes.update({words, words + 1} if settings.spaced else {words})
    exact = {key: i for i, key in reversed(list(enumerate(keys)))}
    return _Index(tuple(keys), tuple(owners), tuple(sorted(sizes)), exact)


def find_names(text: str, directory: Directory, settings: NameSettings) -> list[NameMatch]:
    """Directory names in normalised `text`, left to right, not overlapping."""
    if not directory.doctors and not directory.medications:
        return []
    index = _index(directory, settings)
    units, offsets = _units(text, settings.spaced)
    found: list[tuple[float, int, int, str, str]] = []
    for i in range(len(units)):
        for size in index.sizes:
            window = units[i:i + size]
            if len(window) < size or CLAUSE in window:
                continue
            hit = _compare(window, units[i - 1] if i else "", index, settings)
            if hit is not None:
                score, key_index = hit
                kind, name = index.owners[key_index]
                start = offsets[i]
                end = offsets[i + size - 1] + len(units[i + size - 1])
                found.append((score, start, end, kind, name))
    found.sort(key=lambda f: (-f[0], -(f[2] - f[1])))
    chosen: list[NameMatch] = []
    for _, start, end, kind, name in found:
        if all(end <= m.start or start >= m.end for m in chosen):
            chosen.append(NameMatch(kind, name, start, end))
    return sorted(chosen, key=lambda m: m.start)


def _units(text: str, spaced: bool) -> tuple[list[str], list[int]]:
    if not spaced:
        return list(text), list(range(len(text)))
    units, offsets, position = [], [], 0
    for word in text.replace(CLAUSE, f" {CLAUSE} ").split(" "):
        if word:
            position = text.index(word, position)
            units.append(word)
            offsets.append(position)
            position += len(word)
    return units, offsets


def _compare(window: list[str], before: str, index: _Index,
             settings: NameSettings) -> tuple[float, int] | None:
    joined = " ".join(window) if settings.spaced else "".join(window)
    key = sound_key(joined, settings.spaced)
    if not key:
        return None
    if key in index.exact:
        return 100.0, index.exact[key]
    if all(w in settings.known_words for w in window):
        return None
    titled = before in settings.titles
    if (key, titled) not in index.fuzzy:
        if len(index.fuzzy) > 50_000:
            index.fuzzy.clear()
        index.fuzzy[(key, titled)] = _fuzzy(key, titled, index)
    return index.fuzzy[(key, titled)]


def _fuzzy(key: str, titled: bool, index: _Index) -> tuple[float, int] | None:
    best = process.extractOne(key, index.keys, scorer=fuzz.ratio,
                              score_cutoff=TITLED_CUTOFF if titled else NAME_CUTOFF)
    if best is None:
        return None
    _, score, key_index = best
    short = len(index.keys[key_index].replace(" ", "")) <= SHORT_KEY
    if short and not titled:
        return None
    if not short and score < NAME_CUTOFF:
        return None
    return score, key_index


def replace_names(text: str, matches: list[NameMatch], settings: NameSettings) -> str:
    """`text` with each name (and a title just before a doctor's name) replaced by the
    language's generic word for its kind."""
    generic = dict(settings.generic)
    out, position = [], 0
    for match in matches:
        start = match.start
        if settings.spaced and match.kind == "doctor":
            head = text[:start].rstrip(" ")
            for title in settings.titles:
                if head.endswith(title) and (len(head) == len(title) or
                                             not head[-len(title) - 1].isalnum()):
                    start = len(head) - len(title)
                    break
        out.append(text[position:start])
        out.append(generic[match.kind])
        position = match.end
    out.append(text[position:])
    return "".join(out)
