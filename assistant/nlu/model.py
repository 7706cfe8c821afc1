"""The typed values the matcher takes and returns."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Understanding:
    """What one utterance means, as far as the matcher can tell."""

    intent: str | None
    """An intent name from `intents/intents.yaml`, or None when nothing fits."""
    confidence: float
    """0..1: 1 for an exact phrase, less for fuzzy or example-only evidence, 0 for None."""
    slots: dict[str, Any]
    """Canonical slot values (date "YYYY-MM-DD", time "HH:MM", quantity int, directory
    names...), only the slots the intent (or the expectation) takes."""
    runner_up: str | None
    """The best other intent the utterance supported, if any."""
    runner_up_confidence: float
    """Confidence of `runner_up`; 0 when there is none."""
    lang: str
    """The language the text was read in."""

    def __post_init__(self) -> None:
        if not 0.0 <= self.confidence <= 1.0 or not 0.0 <= self.runner_up_confidence <= 1.0:
            raise ValueError("confidences must lie in 0..1")
        if self.intent is None and self.confidence != 0.0:
            raise ValueError("no intent means confidence 0")


@dataclass(frozen=True)
class Expectation:
    """What the current dialog step expects: its answers are favoured, nothing else is
    made unreachable (help and operator always win when said)."""

    intents: tuple[str, ...] = ()
    """Intents the step asks for, e.g. ("yes", "no")."""
    slots: tuple[str, ...] = ()
    """Slots the step asks for, e.g. ("date",): returned even when no intent is found."""


@dataclass(frozen=True)
class DirectoryEntry:
    """A doctor or medication: the canonical name and other ways of saying it."""

    name: str
    aliases: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ValueError("a directory entry needs a name")


@dataclass(frozen=True)
class Directory:
    """The names the slots `doctor` and `medication` are matched against."""

    doctors: tuple[DirectoryEntry, ...] = field(default=())
    medications: tuple[DirectoryEntry, ...] = field(default=())
