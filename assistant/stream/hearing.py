"""Recognition of one utterance while she speaks, off the event loop.

- **Vosk streams**: audio is fed as it arrives (in 100 ms chunks, one chunk at a time per
  call), its partial results are offered to help detection at once, and at each pause
  what it has recognised so far is judged; one recognizer serves the whole utterance and is
  finalised (about 50 ms) when her turn ends.
- **Whisper** has no partial results: at each pause the utterance so far is decoded, and
  that text is the final one unless she speaks again.
- No recognizer for her language: nothing is heard (the audio is still saved).

Blocking work runs in the recognition pool; the coroutines here only wait for it.
"""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from concurrent.futures import Executor
from dataclasses import dataclass, replace
from typing import Protocol

import numpy as np

from assistant.speech.audio import Audio
from assistant.speech.detector import voiced_seconds
from assistant.speech.recognizer import Recognizer, Transcript
from assistant.speech.vosk_engine import VoskRecognizer, VoskStream
from assistant.speech.whisper_engine import SHORT_ANSWER_SECONDS
from assistant.stream.logic import Listen
from assistant.stream.messages import SAMPLE_RATE

FEED_SECONDS = 0.1
"""Vosk is fed in chunks this long: fewer hand-offs to the pool, partials as fresh as needed."""


@dataclass(frozen=True)
class Reading:
    """One reading of what she said so far."""

    text: str
    judges_completeness: bool
    """False for a reading only help detection should see (a grammar-prompted decode)."""


class Hearing(Protocol):
    engine: str

    def add(self, pcm16: bytes, due: float | None) -> None:
        """The next frame of her speech (16-bit PCM, 8 kHz), due (monotonic) at `due` (None:
        an older frame, not timed); never blocks."""

    def so_far(self, audio: Audio) -> AsyncIterator[Reading]:
        """What she said up to now (`audio` is all of it), at a pause: readings as they come,
        the quickest to raise help first."""

    def speech_resumed(self) -> None:
        """She spoke again after the pause: what `so_far` gave is no longer all of it."""

    async def result(self, audio: Audio) -> Transcript | None:
        """The final transcript of the utterance (`audio` is all of it)."""

    async def discard(self) -> None:
        """The utterance is dropped (a key was pressed): free what recognition holds."""


class Deaf:
    """No recognizer serves the language: keys only; her audio is still kept."""

    engine = ""

    def add(self, pcm16: bytes, due: float | None) -> None:
        return None

    async def so_far(self, audio: Audio) -> AsyncIterator[Reading]:
        for reading in ():
            yield reading

    def speech_resumed(self) -> None:
        return None

    async def result(self, audio: Audio) -> Transcript | None:
        return None

    async def discard(self) -> None:
        return None


class WhisperHearing:
    """Decode at each pause; reuse that decode at the end unless she spoke again.

    The step's grammar is a prompt for a short answer (`WhisperRecognizer.transcribe`), and
    at a pause a short stretch of speech may as well be the start of a longer request:
    decoded with the grammar, "did I take..." came out "good-bye, take", a complete request
    that cut her off. So a short utterance is decoded both ways: the open decode judges
    completeness, either may raise help (a false alarm is cheaper than a miss), and the
    grammar decode is the final text of a short answer, as in record mode. The grammar decode
    goes first: the model decodes one utterance at a time, and a lone "help" is short."""

    engine = "whisper"

    def __init__(self, recognizer: Recognizer, pool: Executor, listen: Listen) -> None:
        self._recognizer, self._pool, self._listen = recognizer, pool, listen
        self._speech = 0
        """Bumped when she speaks again: a decode of less than all her speech is stale."""
        self._decodes: dict[tuple[int, bool], asyncio.Future[Transcript]] = {}

    def add(self, pcm16: bytes, due: float | None) -> None:
        return None

    def _decoding(self, audio: Audio, grammar: bool) -> asyncio.Future[Transcript]:
        key = (self._speech, grammar)
        if key not in self._decodes:
            phrases = list(self._listen.grammar) if grammar and self._listen.grammar else None
            hints = list(self._listen.hints)
            self._decodes[key] = asyncio.get_running_loop().run_in_executor(
                self._pool, lambda: self._recognizer.transcribe(audio, hints, phrases))
        return self._decodes[key]

    async def _short(self, audio: Audio) -> bool:
        """A short answer, for the grammar? (Measuring voicing takes milliseconds: not on the loop.)"""
        if not self._listen.grammar:
            return False
        voiced = await asyncio.get_running_loop().run_in_executor(self._pool, voiced_seconds, audio)
        return voiced <= SHORT_ANSWER_SECONDS

    async def so_far(self, audio: Audio) -> AsyncIterator[Reading]:
        if await self._short(audio):
            yield Reading((await asyncio.shield(self._decoding(audio, True))).text, False)
        yield Reading((await asyncio.shield(self._decoding(audio, False))).text, True)

    def speech_resumed(self) -> None:
        """Decodes of less than all her speech are not wanted any more: those still waiting
        for the model are dropped (under load they would delay every other call)."""
        self._speech += 1
        for future in self._decodes.values():
            future.cancel()
        self._decodes = {}

    async def result(self, audio: Audio) -> Transcript | None:
        return await asyncio.shield(self._decoding(audio, await self._short(audio)))

    async def discard(self) -> None:
        self.speech_resumed()


class VoskHearing:
    """Feed Vosk as she speaks; judge its partial results; finalise at the end of her turn."""

    engine = "vosk"

    def __init__(self, recognizer: VoskRecognizer, pool: Executor, listen: Listen,
                 on_partial: Callable[[str], None], on_fed: Callable[[list[float]], None]) -> None:
        self._recognizer, self._pool, self._listen = recognizer, pool, listen
        self._on_partial, self._on_fed = on_partial, on_fed
        self._lock = asyncio.Lock()
        self._buffer = bytearray()
        self._dues: list[float] = []
        self._stream: VoskStream | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._heard = ""

    def add(self, pcm16: bytes, due: float | None) -> None:
        self._buffer += pcm16
        if due is not None:
            self._dues.append(due)
        if len(self._buffer) >= int(SAMPLE_RATE * FEED_SECONDS) * 2:
            self._flush()

    def _flush(self) -> None:
        if not self._buffer:
            return
        chunk, dues = bytes(self._buffer), self._dues
        self._buffer.clear()
        self._dues = []
        task = asyncio.get_running_loop().create_task(self._feed(chunk, dues))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _feed(self, chunk: bytes, dues: list[float]) -> None:
        loop = asyncio.get_running_loop()
        async with self._lock:
            if self._stream is None:
                grammar = list(self._listen.grammar) if self._listen.grammar else None
                self._stream = await loop.run_in_executor(
                    self._pool, lambda: self._recognizer.stream(SAMPLE_RATE, grammar))
            stream = self._stream
            heard = await loop.run_in_executor(self._pool, lambda: (stream.feed(chunk), stream.heard_so_far())[1])
        self._on_fed(dues)
        if heard and heard != self._heard:
            self._heard = heard
            self._on_partial(heard)

    async def _fed_all(self) -> None:
        self._flush()
        if self._tasks:
            await asyncio.gather(*list(self._tasks))

    async def so_far(self, audio: Audio) -> AsyncIterator[Reading]:
        await self._fed_all()
        yield Reading(self._heard, True)

    def speech_resumed(self) -> None:
        return None

    async def result(self, audio: Audio) -> Transcript | None:
        await self._fed_all()
        async with self._lock:
            stream, self._stream = self._stream, None
        if stream is None:
            return Transcript(text="", confidence=0.0, engine=self.engine, elapsed_seconds=0.0,
                              audio_seconds=audio.seconds)
        transcript = await asyncio.get_running_loop().run_in_executor(self._pool, stream.finish)
        return replace(transcript, audio_seconds=audio.seconds)

    async def discard(self) -> None:
        """Finishing gives the recognizer back to the warm pool."""
        await self.result(Audio(np.zeros(0, np.float32), SAMPLE_RATE))


def hearing_for(recognizer: Recognizer | None, pool: Executor, listen: Listen,
                on_partial: Callable[[str], None], on_fed: Callable[[list[float]], None]) -> Hearing:
    if recognizer is None:
        return Deaf()
    if isinstance(recognizer, VoskRecognizer):
        return VoskHearing(recognizer, pool, listen, on_partial, on_fed)
    return WhisperHearing(recognizer, pool, listen)


def pcm16_to_audio(pcm: bytes | bytearray) -> Audio:
    return Audio((np.frombuffer(bytes(pcm), "<i2").astype(np.float32) / 32768.0), SAMPLE_RATE)
