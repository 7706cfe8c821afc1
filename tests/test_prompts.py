"""Every prompt file loads, and every language says the same things with the same blanks."""
import string

import pytest

from assistant import prompts
from assistant.dialog.flows import REGISTRY

LANGUAGES = prompts.languages()
DATE_FIELDS = {"relative", "weekday", "day", "month", "suffix"}
"""Dates are written differently per language: each may use any of these blanks."""


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_there_are_prompts_for_english_and_mandarin() -> None:
    assert {"en", "zh"} <= set(LANGUAGES)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_language_has_the_same_keys_and_placeholders_as_english(lang: str) -> None:
    english, other = prompts.load("en"), prompts.load(lang)
    assert set(other) == set(english)
    for key, variants in english.items():
        for channel, template in variants.items():
            if key.startswith("date."):
                assert fields(other[key][channel]) <= DATE_FIELDS, (lang, key, channel)
            else:
                assert fields(other[key][channel]) == fields(template), (lang, key, channel)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_prompt_a_state_says_exists(lang: str) -> None:
    table = prompts.load(lang)
    missing = {s.prompt for s in REGISTRY.states.values() if s.prompt and s.prompt not in table}
    assert missing == set()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_sms_wording_never_asks_to_press_a_key(lang: str) -> None:
    press = {"en": "press ", "zh": "请按"}.get(lang, "press ")
    assert [k for k, v in prompts.load(lang).items() if press in v["sms"].lower()] == []


def test_a_missing_prompt_file_or_key_is_a_clear_error(tmp_path) -> None:
    with pytest.raises(prompts.PromptError, match="no prompts for language 'xx'"):
        prompts.load("xx", tmp_path)
    with pytest.raises(prompts.PromptError, match="prompt 'no.such.key' is missing"):
        prompts.render("en", "no.such.key")
