"""Speech the way a phone line delivers it: espeak-ng, then a telephone channel.

The channel is the one `../shared/eval/make_audio.sh` uses: silences trimmed, band-limited
to 300-3400 Hz, 8 kHz, levelled to -3 dBFS peak, 0.25 s lead-in and 0.35 s tail, optional
white noise, then G.711 mu-law encoded and decoded back to 16-bit PCM. Needs `espeak-ng`
and `sox` (Debian: apt-get install -y espeak-ng sox). The same inputs give the same file.
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
import wave
import zlib
from pathlib import Path

import numpy as np

RATE = 8000


def tools_missing() -> list[str]:
    """Names of the programs this module needs that are not on PATH."""
    return [tool for tool in ("espeak-ng", "sox") if shutil.which(tool) is None]


def synthesize(text: str, path: Path, voice: str = "en-us", rate: int = 140,
               noise_db: float | None = None) -> Path:
    """Speak `text` into `path`: 8 kHz mono 16-bit PCM WAV through a telephone channel.

    `voice` is an espeak-ng voice ("en-us", "en-gb+f3", "cmn", "ko"), `rate` words per
    minute, `noise_db` white noise relative to the speech's RMS level (e.g. -20), or None.
    """
    path = Path(path)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        _run("espeak-ng", "-v", voice, "-s", str(rate), "-w", str(work / "tts.wav"), text)
        _run("sox", "-R", "-D", str(work / "tts.wav"), str(work / "line.wav"),
             "silence", "1", "0.02", "0.3%", "reverse", "silence", "1", "0.02", "0.3%", "reverse",
             "sinc", "300-3400", "rate", str(RATE), "norm", "-3", "pad", "0.25", "0.35")
        if noise_db is not None:
            _add_noise(work / "line.wav", noise_db, seed=zlib.crc32(text.encode("utf-8")))
        _run("sox", "-R", "-D", str(work / "line.wav"), "-t", "wav", "-e", "mu-law", "-b", "8",
             str(work / "ulaw.wav"))
        _run("sox", "-R", "-D", str(work / "ulaw.wav"), "-t", "wav", "-e", "signed-integer",
             "-b", "16", "-c", "1", "-r", str(RATE), str(path))
    return path


def _add_noise(path: Path, noise_db: float, seed: int) -> None:
    with wave.open(str(path), "rb") as source:
        samples = np.frombuffer(source.readframes(source.getnframes()), "<i2").astype(np.float64)
    loud = samples[np.abs(samples) > 0.01 * np.abs(samples).max()]
    speech_rms = np.sqrt(np.mean(loud ** 2)) if len(loud) else 0.0
    noise = np.random.default_rng(seed).standard_normal(len(samples)) * speech_rms * 10 ** (noise_db / 20)
    mixed = np.clip(samples + noise, -32768, 32767).astype("<i2")
    with wave.open(str(path), "wb") as target:
        target.setnchannels(1)
        target.setsampwidth(2)
        target.setframerate(RATE)
        target.writeframes(mixed.tobytes())


def _run(*command: str) -> None:
    subprocess.run(command, check=True, capture_output=True)
