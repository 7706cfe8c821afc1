"""`speech.engine` per language: Vosk where a model is present, else Whisper for English,
else keypad only."""
from __future__ import annotations

from pathlib import Path

from assistant.config import Config
from assistant.speech.engines import KEYPAD, choose_engine, engines_by_language, recognizer_for
from tests.speech.conftest import korean_model_dir

LANGUAGES = ("en", "zh")


def config_with(engine: str = "auto", **vosk_models: str) -> Config:
    return Config.model_validate({"speech": {"engine": engine, "vosk_models": vosk_models}})


def test_out_of_the_box_english_is_whisper_and_chinese_is_keypad() -> None:
    assert engines_by_language(config_with(), LANGUAGES) == {"en": "whisper", "zh": KEYPAD}


def test_a_present_vosk_model_wins_for_its_language() -> None:
    config = config_with(zh=str(korean_model_dir()))
    assert engines_by_language(config, LANGUAGES) == {"en": "whisper", "zh": "vosk"}


def test_a_configured_but_missing_model_falls_back_and_says_why(tmp_path: Path) -> None:
    config = config_with(en=str(tmp_path / "gone"), zh=str(tmp_path / "gone"))
    assert engines_by_language(config, LANGUAGES) == {"en": "whisper", "zh": KEYPAD}
    assert choose_engine(config, "en", "vosk") == choose_engine(config, "en", "vosk")
    assert "no Vosk model in" in choose_engine(config, "en", "vosk").reason


def test_engine_none_is_keypad_everywhere_and_has_no_recognizer() -> None:
    config = config_with("none", en=str(korean_model_dir()))
    assert engines_by_language(config, LANGUAGES) == {"en": KEYPAD, "zh": KEYPAD}
    assert recognizer_for(config, "en") is None


def test_engine_whisper_never_picks_vosk() -> None:
    config = config_with("whisper", en=str(korean_model_dir()), zh=str(korean_model_dir()))
    assert engines_by_language(config, LANGUAGES) == {"en": "whisper", "zh": KEYPAD}
    assert "English-only" in choose_engine(config, "zh").reason


def test_recognizers_are_shared_per_process() -> None:
    config = config_with(zh=str(korean_model_dir()))
    first, second = recognizer_for(config, "zh"), recognizer_for(config, "zh")
    assert first is second and first is not None and first.engine == "vosk"
    assert recognizer_for(config_with(), "zh") is None
