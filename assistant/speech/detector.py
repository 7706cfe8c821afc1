"""Decide from the audio itself whether anyone spoke.

Whisper writes words on silence and noise, so its input is checked here first. A
frame (32 ms at 8 kHz, 16 ms hop, telephone band 250-3500 Hz only) counts as speech
when it is
- **louder than the recording's own floor** (6 dB over its 10th-percentile frame,
  and over -55 dBFS): steady noise of any colour, hum and dial tone never rise
  above themselves;
- **voiced**: after the spectrum is flattened (divided by its own envelope, smoothed
  over 480 Hz, so only harmonic fine structure is left), the autocorrelation peaks at
  a pitch period (80-400 Hz) — white, pink and brown noise and clicks are not
  periodic, and flattening stops low-heavy noise from looking periodic;
- **not a tone**: less than 85% of the band's energy sits in the two strongest
  spectral peaks — sine tones, DTMF, busy and ring-back signals do.
A recording has speech when such frames add up to `MIN_VOICED_SECONDS`.
"""
from __future__ import annotations

import numpy as np

from assistant.speech.audio import Audio, frame_view, resample

MIN_VOICED_SECONDS = 0.15
"""A short "yes" has about 0.3 s of voiced speech; noise and tones have none."""

_RATE, _FRAME, _HOP, _FFT = 8000, 256, 128, 512
_BAND = (250.0, 3500.0)
_FLOOR_MARGIN_DB, _MIN_LEVEL_DBFS = 6.0, -55.0
_MIN_VOICING, _MAX_TONALITY = 0.5, 0.85
_PITCH_LAGS = slice(_RATE // 400, _RATE // 80 + 1)
_PEAK_HALF_WIDTH = 4  # FFT bins (15.6 Hz each) either side of a spectral peak
_ENVELOPE_BINS = 31   # 480 Hz: wider than the spacing of a voice's harmonics


def voiced_seconds(audio: Audio) -> float:
    """Seconds of voiced, non-tonal sound above the recording's noise floor."""
    samples = resample(audio, _RATE).samples if audio.rate != _RATE else audio.samples
    frames = frame_view(samples, _FRAME, _HOP).astype(np.float64)
    if len(frames) == 0:
        return 0.0
    levels = 10 * np.log10(np.mean(frames ** 2, axis=1) + 1e-12)
    loud = levels > max(float(np.percentile(levels, 10)) + _FLOOR_MARGIN_DB, _MIN_LEVEL_DBFS)
    if not loud.any():
        return 0.0
    window = np.hanning(_FRAME)
    power = np.abs(np.fft.rfft(frames[loud] * window, _FFT, axis=1)) ** 2
    freqs = np.fft.rfftfreq(_FFT, 1 / _RATE)
    power[:, (freqs < _BAND[0]) | (freqs > _BAND[1])] = 0.0
    speech = (_voicing(_flatten(power), window) > _MIN_VOICING) & (_tonality(power) < _MAX_TONALITY)
    return float(speech.sum()) * _HOP / _RATE


def has_speech(audio: Audio) -> bool:
    """True when the recording holds at least `MIN_VOICED_SECONDS` of speech-like sound."""
    return voiced_seconds(audio) >= MIN_VOICED_SECONDS


def _flatten(power: np.ndarray) -> np.ndarray:
    """Each frame's spectrum divided by its moving average over `_ENVELOPE_BINS` bins."""
    padded = np.pad(power, ((0, 0), (_ENVELOPE_BINS // 2, _ENVELOPE_BINS // 2)), mode="edge")
    sums = np.cumsum(padded, axis=1)
    sums = np.concatenate([np.zeros((len(power), 1)), sums], axis=1)
    envelope = (sums[:, _ENVELOPE_BINS:] - sums[:, :-_ENVELOPE_BINS]) / _ENVELOPE_BINS
    return np.where(power > 0, power / np.maximum(envelope, 1e-20), 0.0)


def _voicing(power: np.ndarray, window: np.ndarray) -> np.ndarray:
    """Highest normalised autocorrelation at a pitch lag, corrected for the window's taper."""
    autocorr = np.fft.irfft(power, _FFT, axis=1)[:, :_PITCH_LAGS.stop]
    taper = np.correlate(window, window, "full")[_FRAME - 1:_FRAME - 1 + _PITCH_LAGS.stop]
    normalised = autocorr / np.maximum(autocorr[:, :1], 1e-20) / (taper / taper[0])
    return normalised[:, _PITCH_LAGS].max(axis=1)


def _tonality(power: np.ndarray) -> np.ndarray:
    """Share of in-band energy in the two strongest spectral peaks."""
    total = power.sum(axis=1) + 1e-20
    remaining = power.copy()
    bins = np.arange(power.shape[1])
    peaks = np.zeros(len(power))
    for _ in range(2):
        centre = remaining.argmax(axis=1)
        around = np.abs(bins[None, :] - centre[:, None]) <= _PEAK_HALF_WIDTH
        peaks += np.where(around, remaining, 0.0).sum(axis=1)
        remaining[around] = 0.0
    return peaks / total
