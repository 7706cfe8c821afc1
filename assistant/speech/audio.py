"""Audio as the recognizers need it: read WAV, convert, resample, measure, trim.

Everything is numpy (Python 3.13 removed `audioop`). An `Audio` holds mono float32
samples in [-1, 1] at one sample rate; engines convert it to what they eat
(`resample` to 16 kHz for Whisper, `pcm16_bytes` for Vosk).
"""
from __future__ import annotations

import math
import os
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.speech.errors import AudioError

LEVEL_FLOOR_DBFS = -100.0
"""What `level_dbfs` reports for digital silence (16-bit audio bottoms out near -96)."""

_PCM, _FLOAT, _ALAW, _MULAW, _EXTENSIBLE = 1, 3, 6, 7, 0xFFFE
_STREAMED_SIZE = 0xFFFFFFFF  # some writers never go back to fill in the data size


@dataclass(frozen=True, eq=False)
class Audio:
    """Mono audio: float32 samples in [-1, 1] at `rate` samples per second."""

    samples: np.ndarray
    rate: int

    def __post_init__(self) -> None:
        if self.samples.ndim != 1 or self.samples.dtype != np.float32:
            raise ValueError("Audio.samples must be a one-dimensional float32 array")
        if self.rate <= 0:
            raise ValueError("Audio.rate must be positive")

    @property
    def seconds(self) -> float:
        return len(self.samples) / self.rate


def read_wav(source: str | os.PathLike[str] | bytes) -> Audio:
    """Read a WAV file (a path, or its bytes) into mono float32 at the file's own rate.

    Accepts PCM 8/16/24/32-bit, float, G.711 mu-law and A-law, any channel count
    (averaged to mono). Raises `AudioError` with a one-line reason otherwise.
    """
    if isinstance(source, bytes):
        data = source
    else:
        try:
            data = Path(source).read_bytes()
        except OSError as exc:
            raise AudioError(f"cannot read the file ({exc.strerror or exc})") from None
    return _decode_wav(data)


def _decode_wav(data: bytes) -> Audio:
    if not data:
        raise AudioError("empty file, not a WAV file")
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise AudioError("not a WAV file (no RIFF/WAVE header)")
    fmt: tuple[int, int, int, int, int] | None = None
    pos = 12
    while pos + 8 <= len(data):
        chunk_id, size = data[pos:pos + 4], struct.unpack_from("<I", data, pos + 4)[0]
        body = pos + 8
        if chunk_id == b"fmt ":
            fmt = _parse_fmt(data[body:body + size])
        elif chunk_id == b"data":
            if fmt is None:
                raise AudioError("malformed WAV file: the data chunk comes before the fmt chunk")
            if size == _STREAMED_SIZE:
                size = len(data) - body
            if body + size > len(data):
                raise AudioError(f"truncated WAV file: the data chunk declares {size} bytes "
                                 f"but only {len(data) - body} are present")
            return _samples(data[body:body + size], *fmt)
        pos = body + size + (size & 1)
    if fmt is None:
        raise AudioError("truncated or malformed WAV file: no fmt chunk")
    raise AudioError("truncated WAV file: no data chunk")


def _parse_fmt(body: bytes) -> tuple[int, int, int, int, int]:
    """Return (format code, channels, rate, block align, bits per sample)."""
    if len(body) < 16:
        raise AudioError("truncated WAV file: the fmt chunk is incomplete")
    code, channels, rate, _, block_align, bits = struct.unpack_from("<HHIIHH", body)
    if code == _EXTENSIBLE and len(body) >= 26:
        code = struct.unpack_from("<H", body, 24)[0]  # first two bytes of the sub-format GUID
    if channels == 0 or rate == 0 or block_align == 0:
        raise AudioError("malformed WAV file: zero channels, rate or block size")
    return code, channels, rate, block_align, bits


def _samples(raw: bytes, code: int, channels: int, rate: int, block_align: int,
             bits: int) -> Audio:
    if len(raw) % block_align:
        raise AudioError("truncated WAV file: the data ends inside a sample frame")
    width = block_align // channels
    if code == _PCM and bits <= 8 and width == 1:
        values = (np.frombuffer(raw, np.uint8).astype(np.float32) - 128.0) / 128.0
    elif code == _PCM and width == 2:
        values = np.frombuffer(raw, "<i2").astype(np.float32) / 32768.0
    elif code == _PCM and width == 3:
        triples = np.frombuffer(raw, np.uint8).reshape(-1, 3).astype(np.int32)
        ints = triples[:, 0] | (triples[:, 1] << 8) | (triples[:, 2] << 16)
        values = (np.where(ints >= 1 << 23, ints - (1 << 24), ints) / float(1 << 23)).astype(np.float32)
    elif code == _PCM and width == 4:
        values = (np.frombuffer(raw, "<i4") / float(1 << 31)).astype(np.float32)
    elif code == _FLOAT and width in (4, 8):
        values = np.clip(np.frombuffer(raw, "<f4" if width == 4 else "<f8"), -1, 1).astype(np.float32)
    elif code == _MULAW and width == 1:
        values = mulaw_decode(np.frombuffer(raw, np.uint8))
    elif code == _ALAW and width == 1:
        values = alaw_decode(np.frombuffer(raw, np.uint8))
    else:
        raise AudioError(f"unsupported WAV encoding (format code {code}, {bits} bits per sample)")
    if channels > 1:
        values = values.reshape(-1, channels).mean(axis=1, dtype=np.float32)
    return Audio(np.ascontiguousarray(values, dtype=np.float32), rate)


def mulaw_decode(codes: np.ndarray) -> np.ndarray:
    """G.711 mu-law bytes -> float32 samples (as Twilio media streams carry them)."""
    inverted = ~codes.astype(np.int32) & 0xFF
    exponent = (inverted >> 4) & 0x07
    magnitude = (((inverted & 0x0F) << 3) + 0x84) << exponent
    linear = np.where(inverted & 0x80, 0x84 - magnitude, magnitude - 0x84)
    return (linear / 32768.0).astype(np.float32)


def mulaw_encode(samples: np.ndarray) -> np.ndarray:
    """float32 samples in [-1, 1] -> G.711 mu-law bytes (what a phone line sends)."""
    pcm = np.clip(np.asarray(samples, np.float64) * 32768.0, -32768, 32767).astype(np.int32)
    sign = np.where(pcm < 0, 0x80, 0)
    magnitude = np.minimum(np.abs(pcm), 32635) + 0x84
    exponent = np.clip(np.floor(np.log2(magnitude)).astype(np.int32) - 7, 0, 7)
    mantissa = (magnitude >> (exponent + 3)) & 0x0F
    return (~(sign | (exponent << 4) | mantissa) & 0xFF).astype(np.uint8)


def alaw_decode(codes: np.ndarray) -> np.ndarray:
    """G.711 A-law bytes -> float32 samples."""
    toggled = codes.astype(np.int32) ^ 0x55
    exponent = (toggled >> 4) & 0x07
    mantissa = toggled & 0x0F
    magnitude = np.where(exponent == 0, (mantissa << 4) + 8,
                         ((mantissa << 4) + 0x108) << np.maximum(exponent - 1, 0))
    linear = np.where(toggled & 0x80, magnitude, -magnitude)
    return (linear / 32768.0).astype(np.float32)


def pcm16_bytes(audio: Audio) -> bytes:
    """Little-endian 16-bit PCM, as Vosk takes it."""
    return (np.clip(audio.samples, -1.0, 32767 / 32768) * 32768.0).astype("<i2").tobytes()


def resample(audio: Audio, rate: int) -> Audio:
    """Band-limited resampling to `rate` (Kaiser-windowed sinc, polyphase).

    Good to about -70 dB, which is far below telephone noise; 8 kHz -> 16 kHz for an
    8-second clip takes a few milliseconds.
    """
    if rate == audio.rate or len(audio.samples) == 0:
        return audio if rate == audio.rate else Audio(audio.samples, rate)
    divisor = math.gcd(rate, audio.rate)
    up, down = rate // divisor, audio.rate // divisor
    cutoff = min(1.0, up / down) * 0.94      # of the input's Nyquist frequency
    half = int(math.ceil(16 / cutoff))       # filter half-width in input samples
    taps = np.arange(-half + 1, half + 1)
    phases = np.arange(up) / up              # fractional offset of each output phase
    offsets = taps[None, :] - phases[:, None]
    window = np.i0(8.0 * np.sqrt(np.clip(1 - (offsets / half) ** 2, 0, None))) / np.i0(8.0)
    table = (cutoff * np.sinc(cutoff * offsets) * window).astype(np.float32)
    padded = np.concatenate([np.zeros(half, np.float32), audio.samples, np.zeros(half, np.float32)])
    count = (len(audio.samples) * up) // down
    out = np.empty(count, np.float32)
    block = 32768
    for start in range(0, count, block):
        n = np.arange(start, min(start + block, count), dtype=np.int64)
        base, phase = (n * down) // up, (n * down) % up
        out[start:start + len(n)] = (padded[base[:, None] + taps[None, :] + half] * table[phase]).sum(axis=1)
    return Audio(out, rate)


def frame_view(samples: np.ndarray, size: int, hop: int) -> np.ndarray:
    """Overlapping frames as a (count, size) view; empty when shorter than one frame."""
    if len(samples) < size:
        return np.empty((0, size), samples.dtype)
    return np.lib.stride_tricks.sliding_window_view(samples, size)[::hop]


def _decibels(power: np.ndarray | float) -> np.ndarray:
    return np.maximum(10 * np.log10(np.maximum(power, 1e-30)), LEVEL_FLOOR_DBFS)


def level_dbfs(audio: Audio) -> float:
    """RMS level in dB relative to full scale (a full-scale sine is -3 dBFS)."""
    if len(audio.samples) == 0:
        return LEVEL_FLOOR_DBFS
    return float(_decibels(np.mean(np.square(audio.samples, dtype=np.float64))))


def frame_levels(audio: Audio, frame_seconds: float = 0.02) -> np.ndarray:
    """RMS level (dBFS) of consecutive non-overlapping frames."""
    size = max(1, int(audio.rate * frame_seconds))
    frames = frame_view(audio.samples, size, size)
    return _decibels(np.mean(np.square(frames, dtype=np.float64), axis=1))


def trim_silence(audio: Audio, pad_seconds: float = 0.15) -> Audio:
    """Cut leading and trailing quiet, keeping `pad_seconds` around the loud part.

    "Quiet" is relative to the recording: 6 dB over its noise floor (the 10th
    percentile of 20 ms frame levels) and within 40 dB of its loudest frame, and
    never louder than -60 dBFS. An all-quiet recording trims to nothing.
    """
    levels = frame_levels(audio)
    if len(levels) == 0:
        return audio
    threshold = max(float(np.percentile(levels, 10)) + 6, float(levels.max()) - 40, -60.0)
    loud = np.flatnonzero(levels > threshold)
    if len(loud) == 0:
        return Audio(audio.samples[:0], audio.rate)
    frame = int(audio.rate * 0.02)
    pad = int(audio.rate * pad_seconds)
    start = max(0, loud[0] * frame - pad)
    end = min(len(audio.samples), (loud[-1] + 1) * frame + pad)
    return Audio(audio.samples[start:end], audio.rate)
