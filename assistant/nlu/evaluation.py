"""Scoring the matcher on a labelled set: `assistant intents evaluate` and the benchmark.

A set is a TSV file as in `../shared/eval` (`text`, `intent`, `slots`; an empty intent is
null; no quoting), optionally with a `directory.yaml` beside it (doctors and medications
with aliases, as in the import format) when its lines name others than the default ones.
"""
from __future__ import annotations

import csv
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from assistant.nlu.data import IntentData
from assistant.nlu.errors import NluError
from assistant.nlu.model import Directory, DirectoryEntry, Understanding
from assistant.nlu.understand import understand

SLOT_INTENTS = frozenset({"book_doctor", "order_meal", "medicine_reminder", "medicine_taken", "cancel"})
"""Slots are labelled on these intents' lines only."""
EVALUATION_DIRECTORY = Directory(
    doctors=(DirectoryEntry("Dr. Sarah Kim", ("Kim",)), DirectoryEntry("Dr. Raj Patel", ("Patel",)),
             DirectoryEntry("李医生", ("李大夫",))),
    medications=tuple(DirectoryEntry(n) for n in ("Amlodipine", "Atorvastatin", "阿司匹林", "钙片")))
"""The names `../shared/eval` was written against."""
EVALUATION_NOW = datetime(2026, 11, 23, 10, 0)
EVALUATION_TZ = "America/New_York"


@dataclass(frozen=True)
class Line:
    text: str
    intent: str | None
    slots: dict[str, Any]


@dataclass
class Score:
    """How the matcher did on one set of one language."""

    results: list[tuple[Line, Understanding]] = field(default_factory=list)

    @property
    def correct(self) -> int:
        return sum(u.intent == line.intent for line, u in self.results)

    @property
    def slot_lines(self) -> list[tuple[Line, Understanding]]:
        return [(line, u) for line, u in self.results if line.intent in SLOT_INTENTS]

    @property
    def slots_correct(self) -> int:
        return sum(u.slots == line.slots for line, u in self.slot_lines)

    @property
    def help_missed(self) -> list[str]:
        return [line.text for line, u in self.results if line.intent == "help" and u.intent != "help"]

    @property
    def false_alarms(self) -> list[str]:
        return [line.text for line, u in self.results if line.intent != "help" and u.intent == "help"]

    def summary(self) -> dict[str, Any]:
        lines, help_lines = len(self.results), sum(line.intent == "help" for line, _ in self.results)
        slot_lines = len(self.slot_lines)
        return {"lines": lines, "intent_accuracy": round(self.correct / lines, 4) if lines else None,
                "slot_accuracy": round(self.slots_correct / slot_lines, 4) if slot_lines else None,
                "help_lines": help_lines, "help_missed": len(self.help_missed),
                "false_alarms": len(self.false_alarms)}

    def errors(self) -> list[str]:
        """One line per wrong intent or slots: `[want -> got] text` or `slots ... :: text`."""
        found = []
        for line, u in self.results:
            if u.intent != line.intent:
                found.append(f"[{line.intent} -> {u.intent}] {line.text}")
            elif line.intent in SLOT_INTENTS and u.slots != line.slots:
                found.append(f"slots {line.slots} != {u.slots} :: {line.text}")
        return found


def read_lines(path: Path) -> list[Line]:
    """The labelled lines of a TSV file; NluError names the line of a malformed one."""
    lines = []
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
            header = next(reader, None)
            if header is None or [h.strip() for h in header[:3]] != ["text", "intent", "slots"]:
                raise NluError(f"{path}:1: the header must be text, intent, slots (tab-separated)")
            for number, row in enumerate(reader, 2):
                if len(row) != 3:
                    raise NluError(f"{path}:{number}: {len(row)} fields, not 3 (tab-separated)")
                text, intent, slots = row
                try:
                    value = json.loads(slots) if slots.strip() else {}
                except json.JSONDecodeError as exc:
                    raise NluError(f"{path}:{number}: slots are not JSON ({exc.msg})") from None
                lines.append(Line(text, intent.strip() or None, value))
    except OSError as exc:
        raise NluError(f"{path}: cannot be read ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise NluError(f"{path}: not UTF-8") from None
    return lines


def read_directory(path: Path) -> Directory:
    """A set's `directory.yaml` (import format: doctors and medications with aliases)."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return Directory(**{kind: tuple(DirectoryEntry(str(e["name"]), tuple(map(str, e.get("aliases", ()))))
                                        for e in raw.get(kind, ()))
                            for kind in ("doctors", "medications")})
    except (OSError, yaml.YAMLError, KeyError, TypeError, AttributeError, ValueError) as exc:
        raise NluError(f"{path}: not a directory of doctors and medications ({exc})") from None


def set_directory(path: Path) -> Directory:
    """The directory a set was written against: its `directory.yaml`, else the default."""
    candidate = path.parent / "directory.yaml"
    return read_directory(candidate) if candidate.exists() else EVALUATION_DIRECTORY


def evaluate(lines: list[Line], lang: str, *, directory: Directory, data: IntentData | None = None,
             now: datetime = EVALUATION_NOW, tz: str = EVALUATION_TZ,
             timer: Callable[[Callable[[], Understanding]], Understanding] = lambda f: f()) -> Score:
    """Understand every line as the hotline would; `timer` wraps each call (for timing)."""
    score = Score()
    for line in lines:
        result = timer(lambda: understand(line.text, lang, directory=directory, now=now, tz=tz,
                                          data=data))
        score.results.append((line, result))
    return score
