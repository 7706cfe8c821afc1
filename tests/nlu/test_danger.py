"""Danger recognised as concepts: who, what happened, negation, and whether it is over."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.nlu import IntentDataError, load_intent_data, understand
from assistant.nlu.loader import DEFAULT_ROOT


def concept(text: str, lang: str = "en") -> str | None:
    language = load_intent_data().language(lang)
    reading = language.danger.read(language.repair.repair(language.normalizer.normalize(text)))
    return reading.current.concept if reading.current else None


@pytest.mark.parametrize("text, expected", [
    ("I've fallen in the hall", "fall"),
    ("my husband has fallen in the hall", "fall"),
    ("she's fallen in the hall", "fall"),
    ("老伴在门厅摔倒了", "fall"),
])
def test_an_event_is_a_danger_whoever_it_happens_to(text: str, expected: str) -> None:
    assert concept(text, "zh" if "老伴" in text else "en") == expected


@pytest.mark.parametrize("text", ["my chest is so tight", "a terrible tightness across my chest",
                                  "pain right in the middle of his chest"])
def test_a_body_word_and_its_sign_are_a_danger_in_either_order(text: str) -> None:
    assert concept(text) == "chest"


@pytest.mark.parametrize("text", ["my husband won't wake-up", "someone tried a break-in last night"])
def test_a_hyphenated_compound_does_not_hide_a_danger(text: str) -> None:
    """Recognizers write "wake-up" where the concepts say "wake up" (and the other way)."""
    assert concept(text) is not None
    assert understand(text, "en").intent == "help"


def test_a_body_word_and_a_sign_far_apart_are_not() -> None:
    assert concept("my heart doctor said that at my age a little pain is normal") is None


@pytest.mark.parametrize("text", ["I didn't fall", "no blood at all", "my chest doesn't hurt",
                                  "胸口不疼了", "没摔着"])
def test_a_negated_danger_is_not_one(text: str) -> None:
    assert concept(text, "zh" if text[0] > "\u3000" else "en") is None


def test_a_denied_danger_means_she_is_all_right() -> None:
    assert understand("I didn't fall, I'm just ringing for a chat", "en").intent == "feeling_ok"


def test_a_danger_stays_when_the_all_clear_came_before_it() -> None:
    assert concept("I'm fine, but my husband has collapsed") == "collapse"


def test_a_danger_followed_by_the_all_clear_is_over() -> None:
    assert concept("I had a little fall but I'm fine now") is None


def test_a_past_time_ends_a_danger_but_since_does_not() -> None:
    assert concept("my brother had a stroke last year") is None
    assert concept("I've been on the floor since last night") == "fall"
    assert concept("I've had chest pain since last Tuesday") == "chest"


def test_a_dismissal_in_the_same_clause_ends_a_danger() -> None:
    assert concept("the smoke was only the toast") is None
    assert concept("it was only a small cut but the blood won't stop") == "bleeding"


@pytest.mark.parametrize("text", ["help", "hlep", "HEPL ME", "救命", "就命", "快来人"])
def test_the_shortest_pleas_and_their_misspellings(text: str) -> None:
    lang = "zh" if text[0] > "\u3000" else "en"
    assert understand(text, lang).intent == "help"


def test_a_plea_inside_a_request_is_not_one() -> None:
    assert understand("could you help me order some lunch", "en").intent == "order_meal"


@pytest.mark.parametrize("text", ["colapsed in the kitchen", "she is bleading badly",
                                  "就护车"])
def test_misspelt_danger_words_are_repaired(text: str) -> None:
    assert understand(text, "zh" if text[0] > "\u3000" else "en").intent == "help"


def test_sound_repair_does_not_read_rare_readings(tmp_path: Path) -> None:
    assert understand("孩子接我出去吃饭了", "zh").intent != "help"


def test_a_language_without_danger_concepts_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "intents"
    shutil.copytree(DEFAULT_ROOT, root)
    (root / "en" / "_danger.yaml").unlink()
    with pytest.raises(IntentDataError, match=r"lacks _danger.yaml"):
        load_intent_data(root)


def test_body_groups_without_signs_are_refused(tmp_path: Path) -> None:
    root = tmp_path / "intents"
    shutil.copytree(DEFAULT_ROOT, root)
    danger = root / "zh" / "_danger.yaml"
    danger.write_text(danger.read_text(encoding="utf-8").replace("  bone: [断", "  bones: [断"),
                      encoding="utf-8")
    with pytest.raises(IntentDataError, match=r"body and signs must name the same groups"):
        load_intent_data(root)
