"""The one interface every speech engine offers, and the transcript it returns."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol, Sequence

from assistant.speech.audio import Audio


@dataclass(frozen=True)
class Transcript:
    """What a recognizer heard in one utterance."""

    text: str
    """The words, or "" when there was no speech (never invented words)."""
    confidence: float
    """0-1, the engine's own estimate; 0 for an empty transcript."""
    engine: str
    """"vosk" or "whisper"."""
    elapsed_seconds: float
    """Wall time spent recognizing."""
    audio_seconds: float
    """Length of the audio recognized."""

    def __post_init__(self) -> None:
        if not 0.0 <= self.confidence <= 1.0:
            raise ValueError(f"confidence {self.confidence} is outside 0-1")

    @property
    def real_time_factor(self) -> float:
        return self.elapsed_seconds / self.audio_seconds if self.audio_seconds else 0.0


class Recognizer(Protocol):
    """Speech to text for one language. Implementations are safe to share across threads."""

    engine: str
    lang: str

    def transcribe(self, audio: Audio, hints: Sequence[str] = (),
                   grammar: Sequence[str] | None = None) -> Transcript:
        """Recognize one utterance.

        `hints` are phrases the dialog step expects and names from the directory: they
        bias recognition but do not restrict it. `grammar`, for a step with a short
        expected answer (yes/no, digits, menu words), lists every phrase that answer
        may be; engines that cannot restrict their vocabulary treat it as more hints.
        """
        ...


_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_SPACE_BETWEEN_CJK = re.compile(f"(?<=[{_CJK}]) +(?=[{_CJK}])")


def join_unspaced_scripts(text: str) -> str:
    """Remove the spaces an engine puts between Chinese or Japanese words ("我 要" -> "我要")."""
    return _SPACE_BETWEEN_CJK.sub("", text)


def has_unspaced_script(word: str) -> bool:
    """True for a word in a script written without spaces (Han, kana)."""
    return re.search(f"[{_CJK}]", word) is not None
