"""The speech detector: speech on a phone line is speech; silence, tones and noise are not."""
from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from assistant.speech.audio import Audio, read_wav
from assistant.speech.detector import has_speech, voiced_seconds
from tests.speech.evaluation import Clip

RATE = 8000


def sox_signal(tmp_path: Path, name: str, *effects: str) -> Audio:
    """A non-speech signal made by sox (`synth ...`), band-limited like a phone line."""
    path = tmp_path / f"{name}.wav"
    subprocess.run(["sox", "-R", "-D", "-n", "-r", str(RATE), "-c", "1", "-b", "16", str(path), *effects],
                   check=True, capture_output=True)
    return read_wav(path)


NOT_SPEECH = {
    "white noise": ["synth", "3", "whitenoise", "sinc", "300-3400", "vol", "0.1"],
    "pink noise": ["synth", "3", "pinknoise", "sinc", "300-3400", "vol", "0.3"],
    "brown noise": ["synth", "3", "brownnoise", "sinc", "300-3400", "vol", "0.5"],
    "loud brown rumble": ["synth", "3", "brownnoise", "vol", "0.5"],
    "faint hiss": ["synth", "3", "whitenoise", "vol", "0.0005"],
    "bursts of noise": ["synth", "0.4", "whitenoise", "sinc", "300-3400", "vol", "0.3",
                        "pad", "0", "0.4", "repeat", "3"],
    "bursts of brown noise": ["synth", "0.4", "brownnoise", "sinc", "300-3400", "vol", "0.6",
                              "pad", "0", "0.4", "repeat", "3"],
    "1 kHz tone": ["synth", "3", "sine", "1000", "vol", "0.3"],
    "dial tone": ["synth", "3", "sine", "350", "sine", "440", "remix", "-", "vol", "0.3"],
    "busy signal": ["synth", "0.5", "sine", "480", "sine", "620", "remix", "-", "pad", "0", "0.5",
                    "repeat", "2"],
    "DTMF digits": ["synth", "0.15", "sine", "697", "sine", "1209", "remix", "-", "pad", "0.1", "0.2",
                    "repeat", "5"],
    "tone sweep": ["synth", "3", "sine", "300-3000", "vol", "0.3"],
    "steady buzz": ["synth", "3", "square", "200", "sinc", "300-3400", "vol", "0.3"],
}


@pytest.mark.parametrize("name", NOT_SPEECH)
def test_noise_and_tones_are_not_speech(name: str, tmp_path: Path, telephone_tools: None) -> None:
    assert voiced_seconds(sox_signal(tmp_path, name.replace(" ", "_"), *NOT_SPEECH[name])) == 0.0


def test_full_band_brown_noise_and_a_random_walk_are_not_speech() -> None:
    rng = np.random.default_rng(7)
    walk = np.cumsum(rng.standard_normal(4 * RATE)) / 400
    leaky = np.zeros(4 * RATE)
    for i, step in enumerate(rng.standard_normal(4 * RATE)):
        leaky[i] = 0.995 * leaky[i - 1] + step
    for samples in (walk, 0.5 * leaky / np.abs(leaky).max()):
        assert voiced_seconds(Audio(np.clip(samples, -1, 1).astype(np.float32), RATE)) == 0.0


def test_digital_silence_and_an_empty_recording_are_not_speech() -> None:
    assert not has_speech(Audio(np.zeros(3 * RATE, np.float32), RATE))
    assert not has_speech(Audio(np.zeros(0, np.float32), RATE))


def test_every_evaluation_clip_is_speech(clips: list[Clip]) -> None:
    quiet = [clip.path.name for clip in clips if not has_speech(read_wav(clip.path))]
    assert quiet == []


@pytest.mark.parametrize("text, voice, noise_db", [
    ("yes", "en-us", None),
    ("no", "en-gb+f3", None),
    ("I would like to see the doctor please", "en-us+m3", -12),
    ("help", "en-gb", -20),
])
def test_short_and_noisy_speech_is_speech(text: str, voice: str, noise_db: float | None,
                                          speak: Callable[..., Path]) -> None:
    assert has_speech(read_wav(speak(text, voice=voice, noise_db=noise_db)))


def test_speech_at_16_khz_is_speech_too(clips: list[Clip]) -> None:
    from assistant.speech.audio import resample

    assert has_speech(resample(read_wav(clips[3].path), 16000))
