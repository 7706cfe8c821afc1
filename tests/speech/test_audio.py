"""Reading WAV as phone lines deliver it, converting, measuring and trimming."""
from __future__ import annotations

import struct
import subprocess
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from assistant.speech.audio import (
    LEVEL_FLOOR_DBFS, Audio, level_dbfs, pcm16_bytes, read_wav, resample, trim_silence,
)
from assistant.speech.errors import AudioError
from tests.speech.evaluation import Clip


def wav_bytes(samples: bytes, rate: int = 8000, channels: int = 1, bits: int = 16,
              code: int = 1) -> bytes:
    """A minimal RIFF/WAVE file around raw sample bytes."""
    block = channels * bits // 8
    fmt = struct.pack("<HHIIHH", code, channels, rate, rate * block, block, bits)
    return (b"RIFF" + struct.pack("<I", 4 + 8 + len(fmt) + 8 + len(samples)) + b"WAVE"
            + b"fmt " + struct.pack("<I", len(fmt)) + fmt
            + b"data" + struct.pack("<I", len(samples)) + samples)


def sine(freq: float = 440.0, seconds: float = 1.0, rate: int = 8000, amplitude: float = 0.5) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (amplitude * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def sox(*args: str | Path) -> None:
    subprocess.run(["sox", "-R", "-D", *map(str, args)], check=True, capture_output=True)


def test_reads_twilio_8khz_16bit_pcm_at_its_own_rate(clips: list[Clip]) -> None:
    audio = read_wav(clips[0].path)
    assert audio.rate == 8000
    assert audio.samples.dtype == np.float32
    assert 1.0 < audio.seconds < 10.0
    assert np.abs(audio.samples).max() <= 1.0


def test_mu_law_and_a_law_decode_exactly_as_sox_does(clips: list[Clip], tmp_path: Path,
                                                     telephone_tools: None) -> None:
    for encoding in ("mu-law", "a-law"):
        coded, decoded = tmp_path / f"{encoding}.wav", tmp_path / f"{encoding}-pcm.wav"
        sox(clips[1].path, "-t", "wav", "-e", encoding, "-b", "8", coded)
        sox(coded, "-t", "wav", "-e", "signed-integer", "-b", "16", decoded)
        assert np.array_equal(read_wav(coded).samples, read_wav(decoded).samples), encoding


def test_stereo_is_averaged_to_mono() -> None:
    left, right = sine(440), sine(440, amplitude=0.1)
    interleaved = np.stack([left, right], axis=1).reshape(-1)
    audio = read_wav(wav_bytes((interleaved * 32768).astype("<i2").tobytes(), channels=2))
    assert len(audio.samples) == len(left)
    assert np.allclose(audio.samples, (left + right) / 2, atol=1e-4)


def test_24_bit_8_bit_and_float_wav_read_as_the_same_signal() -> None:
    signal = sine(300, amplitude=0.4)
    ints24 = np.round(signal * (1 << 23)).astype(np.int32)
    packed24 = np.stack([ints24 & 0xFF, (ints24 >> 8) & 0xFF, (ints24 >> 16) & 0xFF], 1).astype(np.uint8)
    variants = {
        "24-bit": wav_bytes(packed24.tobytes(), bits=24),
        "8-bit": wav_bytes((np.round(signal * 128) + 128).astype(np.uint8).tobytes(), bits=8),
        "float": wav_bytes(signal.astype("<f4").tobytes(), bits=32, code=3),
    }
    for name, data in variants.items():
        assert np.allclose(read_wav(data).samples, signal, atol=1 / 100), name


def test_resampling_8k_to_16k_matches_sox(clips: list[Clip], tmp_path: Path,
                                         telephone_tools: None) -> None:
    wide = tmp_path / "16k.wav"
    sox(clips[2].path, "-r", "16000", wide)
    ours, theirs = resample(read_wav(clips[2].path), 16000), read_wav(wide)
    assert ours.rate == 16000 and abs(len(ours.samples) - len(theirs.samples)) <= 1
    n = min(len(ours.samples), len(theirs.samples))
    error = ours.samples[100:n - 100] - theirs.samples[100:n - 100]
    assert np.sqrt(np.mean(error ** 2)) < 1e-3


def test_resampling_44k1_down_to_8k_keeps_the_band_and_removes_what_aliases() -> None:
    rate = 44100
    t = np.arange(rate) / rate
    low, high = np.sin(2 * np.pi * 1000 * t), np.sin(2 * np.pi * 6000 * t)  # 6 kHz cannot survive 8 kHz
    down = resample(Audio((0.4 * low + 0.4 * high).astype(np.float32), rate), 8000)
    spectrum = np.abs(np.fft.rfft(down.samples))
    freqs = np.fft.rfftfreq(len(down.samples), 1 / 8000)
    assert abs(freqs[spectrum.argmax()] - 1000) < 2
    alias = spectrum[np.abs(freqs - 2000) < 5].max()  # where 6 kHz would fold to
    assert alias < spectrum.max() / 1000


def test_level_of_a_full_scale_sine_is_minus_3_dbfs_and_silence_sits_on_the_floor() -> None:
    assert level_dbfs(Audio(sine(amplitude=1.0), 8000)) == pytest.approx(-3.01, abs=0.05)
    assert level_dbfs(Audio(sine(amplitude=0.1), 8000)) == pytest.approx(-23.01, abs=0.05)
    assert level_dbfs(Audio(np.zeros(800, np.float32), 8000)) == LEVEL_FLOOR_DBFS


def test_trim_keeps_the_speech_and_a_little_air_around_it(speak: Callable[..., Path]) -> None:
    audio = read_wav(speak("good morning"))
    padded = Audio(np.concatenate([np.zeros(16000, np.float32), audio.samples,
                                   np.zeros(16000, np.float32)]), audio.rate)
    trimmed = trim_silence(padded, pad_seconds=0.1)
    assert audio.seconds - 0.6 < trimmed.seconds < audio.seconds + 0.3
    assert level_dbfs(trimmed) > level_dbfs(padded)


def test_trim_of_silence_leaves_nothing() -> None:
    assert trim_silence(Audio(np.zeros(8000, np.float32), 8000)).seconds == 0


def test_pcm16_bytes_round_trip() -> None:
    signal = sine(amplitude=0.9)
    again = read_wav(wav_bytes(pcm16_bytes(Audio(signal, 8000))))
    assert np.abs(again.samples - signal).max() <= 1 / 32768


@pytest.mark.parametrize("data, message", [
    (b"", "empty file"),
    (b"hello, this is not audio at all", "not a WAV file"),
    (b"ID3\x04\x00" + bytes(200), "not a WAV file"),
])
def test_non_wav_input_gives_one_clear_line(data: bytes, message: str) -> None:
    with pytest.raises(AudioError, match=message) as caught:
        read_wav(data)
    assert "\n" not in str(caught.value)


def test_truncated_wav_names_what_is_missing(clips: list[Clip]) -> None:
    whole = clips[0].path.read_bytes()
    with pytest.raises(AudioError, match=r"truncated WAV file: the data chunk declares \d+ bytes"):
        read_wav(whole[:len(whole) // 2])
    with pytest.raises(AudioError, match="truncated"):
        read_wav(whole[:30])


def test_unsupported_encoding_is_named(tmp_path: Path, clips: list[Clip],
                                      telephone_tools: None) -> None:
    adpcm = tmp_path / "adpcm.wav"
    sox(clips[0].path, "-t", "wav", "-e", "ms-adpcm", adpcm)
    with pytest.raises(AudioError, match="unsupported WAV encoding"):
        read_wav(adpcm)


def test_missing_file_is_an_audio_error(tmp_path: Path) -> None:
    with pytest.raises(AudioError, match="cannot read the file"):
        read_wav(tmp_path / "nowhere.wav")
