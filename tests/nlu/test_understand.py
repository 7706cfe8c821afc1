"""The matcher's contract: safety first, expectation bias, bad input never crashes."""
from __future__ import annotations

import pytest

from assistant.nlu import Expectation, UnknownLanguageError, Understanding, understand

YES_NO = Expectation(intents=("yes", "no"))


@pytest.mark.parametrize(("text", "lang"), [
    ("I fell, and I also wanted to order lunch", "en"),
    ("could you book me a doctor, I've got chest pain", "en"),
    ("yes, and please send an ambulance", "en"),
    ("我想订午饭，但是我摔倒了起不来", "zh"),
])
def test_help_wins_over_anything_else(text: str, lang: str) -> None:
    assert understand(text, lang).intent == "help"


@pytest.mark.parametrize(("text", "lang"), [
    ("I don't need help, I'm fine", "en"), ("no need for an ambulance, I'm ok", "en"),
    ("it's not an emergency", "en"), ("I didn't fall, I'm fine", "en"),
    ("我不需要救护车", "zh"), ("不用叫救护车，我没事", "zh"),
])
def test_negated_help_is_never_help(text: str, lang: str) -> None:
    assert understand(text, lang).intent != "help"


def test_expectation_biases_towards_expected_answers() -> None:
    assert understand("yes, I'm fine", "en").intent == "feeling_ok"
    assert understand("yes, I'm fine", "en", expected=YES_NO).intent == "yes"


@pytest.mark.parametrize("text", ["help", "I want to talk to a person", "I've fallen"])
def test_expectation_never_hides_help_or_operator(text: str) -> None:
    assert understand(text, "en", expected=YES_NO).intent in ("help", "operator")


def test_expected_slot_is_returned_without_an_intent() -> None:
    result = understand("Thursday", "en", expected=Expectation(slots=("date",)))
    assert result.intent is None and "date" in result.slots


def test_expectation_lowers_the_bar_for_expected_examples() -> None:
    assert understand("yes that's the one I want", "en", expected=YES_NO).intent == "yes"


def test_result_carries_a_runner_up() -> None:
    result = understand("yes I'd like lunch tomorrow", "en")
    assert result.intent == "order_meal" and result.runner_up == "yes"
    assert 0 < result.runner_up_confidence <= 1


@pytest.mark.parametrize("text", [
    "", "   ", "\n\t", "x" * 10_000, "help " * 3000, "🙂🎉👍", "\x00\x07\x1b[31m", "hello 你好 مرحبا",
    "？？？？？？", "$$$###", "0" * 5000,
])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_bad_input_gives_a_result(text: str, lang: str) -> None:
    result = understand(text, lang)
    assert isinstance(result, Understanding) and result.lang == lang
    assert 0.0 <= result.confidence <= 1.0


def test_empty_text_has_no_intent() -> None:
    assert understand("", "en") == Understanding(None, 0.0, {}, None, 0.0, "en")


def test_unknown_language_raises() -> None:
    with pytest.raises(UnknownLanguageError):
        understand("hello", "fr")
