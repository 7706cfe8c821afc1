"""What the intent model learns from: the intent data itself, and volunteers' corrections.

Each phrase template is said in a few ways, chosen at random from its alternatives and
placeholders ("(book|make) [an] appointment for {weekday}" -> "make appointment for friday");
each example sentence, each `_null.yaml` example (labelled NULL) and each correction exported
from the review queue (`assistant intents export-corrections`) is taken as written.
Corrections count more than the rest: they are what real callers said. Everything is
deterministic: the same data gives the same samples, in the same order.
"""
from __future__ import annotations

import random
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from assistant.nlu.loader import RawLanguage
from assistant.nlu.patterns import say

NULL = ""
"""The label of "nothing the hotline does"."""
SAYINGS_PER_TEMPLATE = 6
EXAMPLE_WEIGHT = 2
CORRECTION_WEIGHT = 3


@dataclass(frozen=True)
class Sample:
    text: str
    label: str
    """An intent name, or NULL."""
    weight: int = 1
    sentence: bool = False
    """Written as a whole sentence (an example or a correction), not made from a template:
    only these are held back for calibration, since they sound like callers."""


def _fills(common: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    return {"meal": tuple(p for v in common["meals"].values() for p in v),
            "part": tuple(p for v in common["part_of_day"].values() for p in v),
            "weekday": tuple(common["dates"]["weekdays"]),
            "day": tuple(common["dates"]["days"]),
            "number": tuple(common["numbers"]["words"]) or ("2",)}


def samples(raw: RawLanguage, corrections: Mapping[str, Sequence[str]] = {}) -> list[Sample]:
    """Every training sample of one language; `corrections` maps intents to sentences."""
    fills = _fills(raw.common)
    found: list[Sample] = []
    for name, phrases in sorted(raw.intents.items()):
        rng = random.Random(zlib.crc32(f"{raw.code}/{name}".encode()))
        for template in (*phrases.phrases, *phrases.whole):
            sayings = dict.fromkeys(say(str(template).lower(), rng, fills)
                                    for _ in range(SAYINGS_PER_TEMPLATE))
            found += [Sample(s, name) for s in sayings if s]
        found += [Sample(str(e), name, EXAMPLE_WEIGHT, True) for e in phrases.examples]
    found += [Sample(str(e), NULL, EXAMPLE_WEIGHT, True) for e in raw.null_examples]
    for name, sentences in sorted(corrections.items()):
        found += [Sample(s, name, CORRECTION_WEIGHT, True) for s in sentences]
    return found
