"""The shared evaluation set as the speech tests and `benchmarks/speech.py` use it: the
40 English telephone clips, the directory and clock they assume, and the hints a main-menu
dialog step would realistically give a recognizer."""
from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from assistant.dialog.conversations import ENGINE
from assistant.dialog.flows import REGISTRY
from assistant.dialog.hints import step_grammar, step_hints
from assistant.nlu import Directory, DirectoryEntry, load_intent_data

REPO_ROOT = Path(__file__).resolve().parents[2]
EVAL_DIR = REPO_ROOT.parent / "shared" / "eval"

# ../shared/eval/README.md: the directory and reference time the lines assume.
DIRECTORY = Directory(
    doctors=(DirectoryEntry("Dr. Sarah Kim", ("kim",)), DirectoryEntry("Dr. Raj Patel", ("patel",))),
    medications=(DirectoryEntry("Amlodipine"), DirectoryEntry("Atorvastatin")),
)
NOW = datetime(2026, 11, 23, 10, 0)


@dataclass(frozen=True)
class Clip:
    path: Path
    text: str
    intent: str | None


def eval_clips(eval_dir: Path = EVAL_DIR) -> list[Clip]:
    """The clips of `eval_dir/audio` with their labels; FileNotFoundError names the manifest."""
    manifest = eval_dir / "audio" / "manifest.tsv"
    if not manifest.is_file():
        raise FileNotFoundError(f"{manifest} is missing: the shared evaluation set sits beside the repository")
    with manifest.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [Clip(eval_dir / "audio" / row["file"], row["text"], row["intent"] or None) for row in rows]


def main_menu_hints() -> list[str]:
    """What the hotline's main-menu step gives a recognizer (the product's own hints, with
    the evaluation's directory). Never a clip's own text."""
    return step_hints(load_intent_data(), "en", ENGINE.intents_heard_at(REGISTRY["menu.main"]), DIRECTORY)


def main_menu_grammar() -> list[str]:
    """The short answers the main-menu step lists (used for utterances under a second)."""
    return step_grammar(load_intent_data(), "en", ENGINE.intents_heard_at(REGISTRY["menu.main"]))
