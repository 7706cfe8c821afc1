"""Turn-taking for elders: when her utterance starts, pauses, and is over.

A pure state machine over 20 ms frames, each already judged voiced or not by the VAD: the
frames are its clock, so it behaves the same paced in real time or fed at once. The rules
(figures from `voice.stream`):

- **Start**: `min_speech_seconds` of voiced frames within a short window (a cough or a click
  is not an utterance).
- **Pause**: after `pause_decode_seconds` of silence it reports `PAUSE`: what she said so far
  is then recognised and judged; `judge(complete)` gives the verdict back.
- **End**:
  - after `complete_silence_seconds` of silence when the verdict for this pause is
    "complete" (a request the matcher understands with confidence);
  - else after `silence_seconds` of silence: older callers pause mid-sentence and are
    never cut off before that;
  - at `max_utterance_seconds`, whatever is happening (a noisy line may never fall silent);
  - at once, by `end(reason)`: help was heard, or a key was pressed.
- Speech after a pause (two voiced frames in a row; one is a blip of noise) cancels the
  pause and its verdict: the utterance goes on as one.
"""
from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass
from enum import Enum

from assistant.config import StreamTiming
from assistant.stream.messages import FRAME_SECONDS


class Ending(str, Enum):
    """Why an utterance ended."""

    COMPLETE = "complete"
    SILENCE = "silence"
    MAX_LENGTH = "max_length"
    HELP = "help"
    KEYS = "keys"
    HANGUP = "hangup"


class Kind(str, Enum):
    START = "start"
    PAUSE = "pause"
    RESUME = "resume"
    END = "end"


@dataclass(frozen=True)
class Event:
    kind: Kind
    ending: Ending | None = None
    """Set for END."""


START, PAUSE, RESUME = Event(Kind.START), Event(Kind.PAUSE), Event(Kind.RESUME)


class TurnTaker:
    """Where one caller's turn stands. Feed every frame to `push`, in order."""

    def __init__(self, timing: StreamTiming, frame_seconds: float = FRAME_SECONDS) -> None:
        self.timing = timing
        self.frame_seconds = frame_seconds
        self._needed = max(1, math.ceil(timing.min_speech_seconds / frame_seconds - 1e-9))
        self._window: deque[bool] = deque(maxlen=max(self._needed, math.ceil(self._needed * 1.5)))
        self.frame = -1
        """Index of the latest frame pushed."""
        self.start_frame: int | None = None
        """First frame of the utterance under way (None: she is not speaking)."""
        self.last_speech_frame = -1
        self._previous_voiced = False
        self._paused = False
        self._complete: bool | None = None

    @property
    def window_frames(self) -> int:
        """The frames over which the start of speech is judged."""
        return self._window.maxlen or self._needed

    @property
    def speaking(self) -> bool:
        return self.start_frame is not None

    @property
    def paused(self) -> bool:
        return self._paused

    @property
    def silence_seconds(self) -> float:
        """Silence since the utterance's last speech frame."""
        return (self.frame - self.last_speech_frame) * self.frame_seconds if self.speaking else 0.0

    def push(self, voiced: bool) -> Event | None:
        """The next frame; returns what changed, if anything."""
        self.frame += 1
        speech = voiced and self._previous_voiced
        self._previous_voiced = voiced
        if not self.speaking:
            self._window.append(voiced)
            if sum(self._window) >= self._needed:
                self.start_frame = self.frame - len(self._window) + 1
                self.last_speech_frame = self.frame
                return START
            return None
        if speech:
            self.last_speech_frame = self.frame
            if self._paused:
                self._paused, self._complete = False, None
                return RESUME
        if (self.frame + 1 - self.start_frame) * self.frame_seconds >= self.timing.max_utterance_seconds - 1e-9:
            return self.end(Ending.MAX_LENGTH)
        silence = self.silence_seconds
        if silence >= self.timing.silence_seconds - 1e-9:
            return self.end(Ending.SILENCE)
        if silence >= self.timing.complete_silence_seconds - 1e-9 and self._complete:
            return self.end(Ending.COMPLETE)
        if not self._paused and silence >= self.timing.pause_decode_seconds - 1e-9:
            self._paused = True
            return PAUSE
        return None

    def judge(self, complete: bool) -> Event | None:
        """The verdict on what she said up to the current pause (ignored once she spoke again)."""
        if not self._paused:
            return None
        self._complete = complete
        if complete and self.silence_seconds >= self.timing.complete_silence_seconds - 1e-9:
            return self.end(Ending.COMPLETE)
        return None

    def end(self, ending: Ending) -> Event:
        """End the utterance now; the next one starts afresh."""
        self.start_frame = None
        self._window.clear()
        self._paused, self._complete = False, None
        return Event(Kind.END, ending)
