"""Data-driven tests: tests/nlu/data/<lang>/<intent>.yaml, one pytest per file.

Each file lists sentences with the intent and slots they must give. Known failures
are listed too, and the test fails when one of them starts passing, so the list of
what the matcher cannot do yet never goes stale.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from assistant.nlu import Directory, DirectoryEntry, load_intent_data, understand

DATA = Path(__file__).parent / "data"
NOW = datetime(2026, 11, 23, 10, 0)   # a Monday
TZ = "America/New_York"
DIRECTORY = Directory(
    doctors=(DirectoryEntry("Dr. Sarah Kim", ("Kim",)), DirectoryEntry("Dr. Raj Patel", ("Patel",)),
             DirectoryEntry("李医生", ("李大夫",))),
    medications=tuple(DirectoryEntry(n) for n in ("Amlodipine", "Atorvastatin", "阿司匹林", "钙片")))
FILES = sorted(DATA.glob("*/*.yaml"))


def _cases(entries: list[dict[str, Any]]) -> list[tuple[str, str | None, dict[str, Any]]]:
    return [(sentence, entry["intent"], entry.get("slots", {}))
            for entry in entries for sentence in entry["sentences"]]


def _mismatch(sentence: str, lang: str, intent: str | None, slots: dict[str, Any]) -> str | None:
    result = understand(sentence, lang, directory=DIRECTORY, now=NOW, tz=TZ)
    if result.intent != intent or (intent is not None and result.slots != slots):
        return f"{sentence!r}: got {result.intent} {result.slots}, want {intent} {slots}"
    return None


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_sentences(path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    lang = path.parent.name
    assert data["language"] == lang, f"{path}: language header is not {lang!r}"
    assert data["intent"] == (None if path.stem == "null" else path.stem)
    failures = [m for case in _cases(data["tests"]) if (m := _mismatch(case[0], lang, *case[1:]))]
    assert not failures, "\n".join(failures)
    fixed = [sentence for sentence, intent, slots in _cases(data.get("known_failures", []))
             if _mismatch(sentence, lang, intent, slots) is None]
    assert not fixed, f"known failures now pass, move them to tests: {fixed}"


@pytest.mark.parametrize("lang", load_intent_data().languages)
def test_every_intent_has_a_test_file(lang: str) -> None:
    tested = {p.stem for p in (DATA / lang).glob("*.yaml")}
    assert set(load_intent_data().intents) | {"null"} <= tested
