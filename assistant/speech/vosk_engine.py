"""The engine for real deployments: Vosk (Kaldi) with an official model per language.

One `vosk.Model` per model folder is loaded once per process and shared by every
thread. A `KaldiRecognizer` is not thread-safe, so each stream holds its own; but an
open-vocabulary recognizer composes its decoding graph on the fly and caches what it
composed, so a fresh one decodes several times slower than one that has heard a few
utterances (and takes 0.1 s to make with a large model). Finished open-vocabulary
recognizers therefore go back to a small idle pool and serve the next stream; Vosk
rebuilds their feature pipeline after every final result, so nothing of one caller's
audio carries over to the next. Grammar recognizers are cheap and used once.

For a step that expects a short answer the recognizer is restricted
to a grammar of phrases plus "[unk]"; words the model does not know are dropped
from the grammar first (Vosk would reject the whole grammar), and when the grammar
pass hears "[unk]" an open-vocabulary pass over the same audio decides, so nothing
the caller said is lost.
"""
from __future__ import annotations

import json
import logging
import re
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Sequence

import vosk

from assistant.speech.audio import Audio, pcm16_bytes, resample
from assistant.speech.detector import has_speech
from assistant.speech.errors import ModelError
from assistant.speech.recognizer import Transcript, has_unspaced_script, join_unspaced_scripts

log = logging.getLogger(__name__)

UNKNOWN = "[unk]"
_RATES = (8000, 16000)          # rates Vosk models take natively; others are resampled
_MAX_SEGMENT_CHARS = 8          # longest word tried when splitting unspaced text
_IDLE_PER_RATE = 2              # warm open-vocabulary recognizers kept per sample rate, at least
_MAX_IDLE_PER_RATE = 32         # ... and as many as were ever in use at once, up to this
_PUNCTUATION = re.compile(r"[^\w\s'-]+")

_models: dict[Path, vosk.Model] = {}
_models_lock = threading.Lock()


def is_model_dir(folder: Path) -> bool:
    """True when `folder` looks like an unpacked Vosk model."""
    return (folder / "am" / "final.mdl").is_file() and (folder / "conf" / "model.conf").is_file()


def load_model(folder: Path) -> vosk.Model:
    """The process's one `vosk.Model` for this folder (loaded on first use)."""
    key = folder.resolve()
    with _models_lock:
        if key not in _models:
            if not is_model_dir(key):
                raise ModelError(f"{folder} is not an unpacked Vosk model (no am/final.mdl, conf/model.conf)")
            vosk.SetLogLevel(-1)
            try:
                _models[key] = vosk.Model(str(key))
            except Exception as exc:  # vosk raises a bare Exception("Failed to create a model")
                raise ModelError(f"cannot load the Vosk model in {folder}: {exc}") from None
        return _models[key]


def supports_grammar(folder: Path) -> bool:
    """Only models with a runtime graph (the "small" ones) can be restricted to a grammar."""
    return (folder / "graph" / "HCLr.fst").is_file() and (folder / "graph" / "Gr.fst").is_file()


@dataclass(frozen=True)
class StreamUpdate:
    """What a stream knows after a chunk."""

    partial: str
    """The current utterance so far (may still change)."""
    final: str | None
    """Set when Vosk detected the end of an utterance: its final text ("" if nothing)."""

    @property
    def end_of_speech(self) -> bool:
        return self.final is not None


class VoskRecognizer:
    """Recognition with one Vosk model; share one instance across threads."""

    engine = "vosk"

    def __init__(self, model_dir: Path, lang: str) -> None:
        self.lang = lang
        self._model = load_model(model_dir)
        self._grammar_ok = supports_grammar(model_dir)
        self._knows_unknown = self._model.vosk_model_find_word(UNKNOWN) >= 0
        self._idle: dict[int, list[vosk.KaldiRecognizer]] = {}
        self._idle_lock = threading.Lock()
        self._in_use = 0
        self._peak_in_use = 0
        """Streams open at once, at most so far: a media stream server holds one per caller
        speaking, and a fresh recognizer of a large model decodes slower than real time."""

    def transcribe(self, audio: Audio, hints: Sequence[str] = (),
                   grammar: Sequence[str] | None = None) -> Transcript:
        """Recognize one utterance. Vosk takes no hints; `grammar` restricts the vocabulary.

        Audio without speech (silence, tones, noise) gives "" without decoding.
        """
        started = time.perf_counter()
        if not has_speech(audio):
            return Transcript(text="", confidence=0.0, engine=self.engine,
                              elapsed_seconds=time.perf_counter() - started,
                              audio_seconds=audio.seconds)
        if audio.rate not in _RATES:
            audio = resample(audio, 16000)
        stream = self.stream(audio.rate, grammar)
        pcm = pcm16_bytes(audio)
        step = audio.rate * 2 // 5  # 0.2 s of 16-bit samples
        for start in range(0, len(pcm), step):
            stream.feed(pcm[start:start + step])
        return replace(stream.finish(), elapsed_seconds=time.perf_counter() - started)

    def stream(self, rate: int = 8000, grammar: Sequence[str] | None = None) -> "VoskStream":
        """A streaming session for one caller: feed 16-bit PCM chunks at `rate`."""
        phrases = self.grammar_phrases(grammar) if grammar and self._grammar_ok else []
        restricted = phrases if any(phrase != UNKNOWN for phrase in phrases) else None
        grammar_recognizer = _new_recognizer(self._model, rate, restricted) if restricted is not None else None
        return VoskStream(self, rate, self._take_open(rate), grammar_recognizer)

    def _take_open(self, rate: int) -> vosk.KaldiRecognizer:
        with self._idle_lock:
            self._in_use += 1
            self._peak_in_use = max(self._peak_in_use, self._in_use)
            idle = self._idle.get(rate)
            if idle:
                return idle.pop()
        return _new_recognizer(self._model, rate, None)

    def release(self, rate: int, recognizer: vosk.KaldiRecognizer) -> None:
        """Keep a finalized open-vocabulary recognizer warm for the next stream: as many as
        were in use at once (at least `_IDLE_PER_RATE`, at most `_MAX_IDLE_PER_RATE`)."""
        with self._idle_lock:
            self._in_use -= 1
            idle = self._idle.setdefault(rate, [])
            if len(idle) < min(_MAX_IDLE_PER_RATE, max(_IDLE_PER_RATE, self._peak_in_use)):
                idle.append(recognizer)

    def grammar_phrases(self, phrases: Sequence[str]) -> list[str]:
        """The phrases reduced to words the model knows, plus "[unk]"; unknown words are logged.

        Models without an "[unk]" word (the Korean stand-in) get no catch-all: their
        grammar pass always answers with its closest phrase.
        """
        kept: list[str] = []
        dropped: list[str] = []
        for phrase in phrases:
            words: list[str] = []
            for token in _PUNCTUATION.sub(" ", phrase.lower()).split():
                pieces = self._in_vocabulary(token)
                if pieces:
                    words.extend(pieces)
                else:
                    dropped.append(token)
            if words:
                kept.append(" ".join(words))
        if dropped:
            log.info("vosk grammar (%s): dropped %d word(s) outside the model's vocabulary: %s",
                     self.lang, len(dropped), ", ".join(sorted(set(dropped))))
        return [*dict.fromkeys(kept), *([UNKNOWN] if self._knows_unknown else [])]

    def _in_vocabulary(self, token: str) -> list[str]:
        """`token` as model words: itself, or for unspaced scripts a longest-match split."""
        if self._model.vosk_model_find_word(token) >= 0:
            return [token]
        if not has_unspaced_script(token):
            return []
        pieces: list[str] = []
        start = 0
        while start < len(token):
            for end in range(min(len(token), start + _MAX_SEGMENT_CHARS), start, -1):
                if self._model.vosk_model_find_word(token[start:end]) >= 0:
                    pieces.append(token[start:end])
                    start = end
                    break
            else:
                return []
        return pieces


def _new_recognizer(model: vosk.Model, rate: int, grammar: list[str] | None) -> vosk.KaldiRecognizer:
    if grammar is None:
        recognizer = vosk.KaldiRecognizer(model, float(rate))
    else:
        recognizer = vosk.KaldiRecognizer(model, float(rate), json.dumps(grammar, ensure_ascii=False))
    recognizer.SetWords(True)
    return recognizer


class VoskStream:
    """One caller's audio as it arrives. Not thread-safe: one stream per call.

    With a grammar, an open-vocabulary recognizer listens to the same chunks, so the
    fallback for "[unk]" costs no second pass after the caller stops.
    """

    def __init__(self, owner: VoskRecognizer, rate: int, open_recognizer: vosk.KaldiRecognizer,
                 grammar_recognizer: vosk.KaldiRecognizer | None) -> None:
        self.rate = rate
        self._owner = owner
        self._open = open_recognizer
        self._grammar = grammar_recognizer
        self._finals: list[tuple[str, float]] = []
        self._samples = 0
        self._started = time.perf_counter()
        self._finished = False

    def feed(self, pcm16: bytes) -> StreamUpdate:
        """Add a chunk of 16-bit little-endian PCM; say whether an utterance just ended."""
        self._samples += len(pcm16) // 2
        open_ended = self._open.AcceptWaveform(pcm16)
        grammar_ended = bool(self._grammar is not None and self._grammar.AcceptWaveform(pcm16))
        if not (open_ended or grammar_ended):
            return StreamUpdate(partial=self._partial(self._grammar or self._open), final=None)
        # Either recognizer's end of utterance closes both, so their answers line up.
        final = self._closing(open_ended, grammar_ended)
        self._finals.append(final)
        return StreamUpdate(partial="", final=final[0])

    def heard_so_far(self) -> str:
        """Everything recognised so far, finished segments and the current partial result."""
        return " ".join(text for text in [*(text for text, _ in self._finals),
                                          self._partial(self._grammar or self._open)] if text)

    def finish(self) -> Transcript:
        """End the stream: the transcript of everything fed, utterances joined. Call it once."""
        if self._finished:
            raise RuntimeError("this Vosk stream is already finished")
        self._finished = True
        for recognizer in (self._open, self._grammar):
            if recognizer is not None:
                # Vosk finalizes (and clears the caller's audio) only a running recognizer:
                # after an end of utterance an empty chunk makes it running again.
                recognizer.AcceptWaveform(b"")
        heard = [(text, conf) for text, conf in [*self._finals, self._closing(False, False)] if text]
        self._finals = []
        self._owner.release(self.rate, self._open)
        text = " ".join(text for text, _ in heard)
        confidence = sum(conf for _, conf in heard) / len(heard) if heard else 0.0
        return Transcript(text=text, confidence=confidence, engine=self._owner.engine,
                          elapsed_seconds=time.perf_counter() - self._started,
                          audio_seconds=self._samples / self.rate)

    def _closing(self, open_ended: bool, grammar_ended: bool) -> tuple[str, float]:
        """The current utterance's final text and confidence (Result at an endpoint, else flushed)."""
        heard = self._parse(self._open.Result() if open_ended else self._open.FinalResult())
        if self._grammar is None:
            return heard
        restricted = self._parse(self._grammar.Result() if grammar_ended else self._grammar.FinalResult())
        return self._choose(restricted, heard)

    @staticmethod
    def _choose(grammar: tuple[str, float], open_vocabulary: tuple[str, float]) -> tuple[str, float]:
        """The grammar's answer unless it heard nothing it knows: then the open pass."""
        words = grammar[0].split()
        if words and UNKNOWN not in words:
            return grammar
        return open_vocabulary

    @staticmethod
    def _partial(recognizer: vosk.KaldiRecognizer) -> str:
        return join_unspaced_scripts(json.loads(recognizer.PartialResult()).get("partial", ""))

    @staticmethod
    def _parse(result: str) -> tuple[str, float]:
        parsed = json.loads(result)
        words = parsed.get("result", [])
        confidence = sum(w.get("conf", 0.0) for w in words) / len(words) if words else 0.0
        return join_unspaced_scripts(parsed.get("text", "").strip()), min(1.0, confidence)
