"""One call's media stream: frames in, utterances to the call logic, its TwiML to the carrier.

Everything here runs on the event loop and does little per frame (a table look-up to decode
mu-law, a webrtcvad decision, the turn-taking state machine); recognition, the call logic,
saving audio and the call update run in worker threads. Utterances and keys reach the call
logic one at a time, in the order they happened; while it thinks, the next utterance is
already being heard (barge-in: she may talk over any prompt).
"""
from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, TypeVar

import numpy as np
import webrtcvad

from assistant.config import Config
from assistant.speech.audio import mulaw_decode
from assistant.speech.errors import SpeechError
from assistant.speech.recognizer import Recognizer, Transcript
from assistant.stream import audio_files
from assistant.stream.hearing import Hearing, hearing_for, pcm16_to_audio
from assistant.stream.logic import Answer, CallLogic, Listen, StreamCall, StreamStats, Utterance
from assistant.stream.messages import FRAME_SECONDS, SAMPLE_RATE, Dtmf, Media, Start
from assistant.stream.turns import Ending, Event, Kind, TurnTaker
from assistant.telephony import Telephony, TelephonyError

log = logging.getLogger(__name__)
T = TypeVar("T")

LATE_SECONDS = 0.25
"""A frame processed this long after it was due is late: turn decisions would slip."""
PREROLL_SECONDS = 0.3
"""Audio kept from before her first voiced frame: recognizers drop clipped first words."""
UPDATE_RETRY_SECONDS = 0.5
_FRAME_BYTES = int(SAMPLE_RATE * FRAME_SECONDS) * 2
_MULAW_TO_PCM16 = (np.clip(mulaw_decode(np.arange(256, dtype=np.uint8)) * 32768.0, -32768, 32767)
                   .astype("<i2"))


@dataclass
class Workers:
    """The thread pools a stream server shares between its calls."""

    recognition: Executor
    """Recognizers (Vosk feeding and finalising, Whisper decoding)."""
    logic: Executor
    """The call logic, saving audio, call updates: database and network I/O."""


@dataclass
class _Speaking:
    """The utterance under way."""

    number: int
    hearing: Hearing
    listen: Listen
    started_ms: int
    started_at: datetime
    pcm: bytearray = field(default_factory=bytearray)
    pause: int = 0
    """Counts pauses: a verdict for an older pause is ignored."""
    help: bool = False


class CallListener:
    def __init__(self, config: Config, logic: CallLogic, telephony: Telephony, workers: Workers,
                 recognizer_for: Callable[[str], Recognizer | None], start: Start) -> None:
        self.config, self.logic, self.telephony, self.workers = config, logic, telephony, workers
        self._recognizer_for = recognizer_for
        timing = config.voice.stream
        self.call = StreamCall(call_sid=start.call_sid, stream_sid=start.stream_sid,
                               account_sid=start.account_sid, params=dict(start.custom_parameters),
                               listen=Listen(lang=config.organization.default_language))
        self._vad = webrtcvad.Vad(timing.vad_aggressiveness)
        self._turns = TurnTaker(timing)
        self._preroll: deque[bytes] = deque(maxlen=round(PREROLL_SECONDS / FRAME_SECONDS)
                                            + self._turns.window_frames)
        self._pending_pcm = bytearray()
        self._speaking: _Speaking | None = None
        self._utterances = 0
        self._last_speech_at = 0.0
        self._queue: asyncio.Queue[tuple[str, Any] | None] = asyncio.Queue()
        self._tasks: set[asyncio.Task[Any]] = set()
        self._decider: asyncio.Task[None] | None = None
        self._clock_origin: float | None = None
        self._last_sequence: int | None = None
        self._recognizers: dict[str, Recognizer | None] = {}
        self._no_answer_frame: int | None = None
        """The frame at which, if she has not begun to speak, the question is unanswered."""
        self.stats = StreamStats()

    # -- lifecycle ---------------------------------------------------------------------

    async def begin(self) -> None:
        """Ask the call logic what to listen for; raises what `on_start` raised."""
        loop = asyncio.get_running_loop()
        self._listen(await loop.run_in_executor(self.workers.logic, self.logic.on_start, self.call))
        await self._load_recognizer(self.call.listen.lang)
        self._decider = loop.create_task(self._decide())

    def _listen(self, listen: Listen) -> None:
        """Listen for `listen` from now on; its no-answer wait counts in stream time from now."""
        self.call.listen = listen
        self._no_answer_frame = (None if listen.no_answer_seconds is None
                                 else self._turns.frame + round(listen.no_answer_seconds / FRAME_SECONDS))

    async def _load_recognizer(self, lang: str) -> None:
        """Loading a model takes seconds: never on the event loop (warm_up loads them at start)."""
        if lang not in self._recognizers:
            self._recognizers[lang] = await asyncio.get_running_loop().run_in_executor(
                self.workers.recognition, self._recognizer, lang)

    async def finish(self) -> None:
        """The stream stopped or the socket closed: whatever she was saying is taken as an
        utterance (nothing said is lost), the call logic hears the rest, then `on_stop`."""
        if self._speaking is not None:
            self._end(Event(Kind.END, Ending.HANGUP))
        await self._queue.put(None)
        if self._decider is not None:
            await self._decider
        if self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
        await self._in_logic_pool(self.logic.on_stop, None, self.call, self.stats)

    # -- frames --------------------------------------------------------------------------

    def sequence(self, number: int) -> None:
        """Twilio numbers every message of a stream: a gap is a lost message."""
        if self._last_sequence is not None and number > self._last_sequence + 1:
            self.stats.missing += number - self._last_sequence - 1
        self._last_sequence = max(number, self._last_sequence or 0)

    def media(self, media: Media) -> None:
        now = time.monotonic()
        origin = now - media.timestamp_ms / 1000
        self._clock_origin = origin if self._clock_origin is None else min(self._clock_origin, origin)
        due = self._clock_origin + media.timestamp_ms / 1000
        self._pending_pcm += _MULAW_TO_PCM16[np.frombuffer(media.payload, np.uint8)].tobytes()
        frames = 0
        while len(self._pending_pcm) >= _FRAME_BYTES:
            frame = bytes(self._pending_pcm[:_FRAME_BYTES])
            del self._pending_pcm[:_FRAME_BYTES]
            self._frame(frame, due + frames * FRAME_SECONDS, now)
            frames += 1
        self._lag(time.monotonic() - due)

    def _lag(self, lag: float) -> None:
        self.stats.frames += 1
        self.stats.max_lag_seconds = max(self.stats.max_lag_seconds, lag)
        self.stats.late += lag > LATE_SECONDS

    def _fed(self, dues: list[float]) -> None:
        """Frames due at `dues` reached the recognizer just now."""
        now = time.monotonic()
        for due in dues:
            if now - due > LATE_SECONDS:
                self.stats.late += 1
                self.stats.max_lag_seconds = max(self.stats.max_lag_seconds, now - due)

    def _frame(self, frame: bytes, due: float, now: float) -> None:
        self._preroll.append(frame)
        event = self._turns.push(self._vad.is_speech(frame, SAMPLE_RATE))
        if self._turns.speaking and self._turns.last_speech_frame == self._turns.frame:
            self._last_speech_at = now
        if event is not None and event.kind is Kind.START:
            self._no_answer_frame = None
            self._begin_utterance()
        elif self._speaking is not None:
            self._speaking.pcm += frame
            self._speaking.hearing.add(frame, due)
        if event is not None and event.kind is not Kind.START:
            self._on_event(event)
        if self._no_answer_frame is not None and self._turns.frame >= self._no_answer_frame \
                and self._speaking is None:
            self._no_answer_frame = None
            self._queue.put_nowait(("silence", None))

    def _begin_utterance(self) -> None:
        self._utterances += 1
        listen = self.call.listen
        number = self._utterances
        hearing = hearing_for(self._recognizers.get(listen.lang), self.workers.recognition, listen,
                              on_partial=lambda text: self._spawn(self._check_partial(number, text)),
                              on_fed=self._fed)
        first_frame = self._turns.frame - len(self._preroll) + 1
        self._speaking = _Speaking(number=number, hearing=hearing, listen=listen,
                                   started_ms=round(first_frame * FRAME_SECONDS * 1000),
                                   started_at=datetime.now(timezone.utc)
                                   - timedelta(seconds=(self._turns.frame - first_frame) * FRAME_SECONDS))
        for frame in self._preroll:
            self._speaking.pcm += frame
            hearing.add(frame, None)

    def _recognizer(self, lang: str) -> Recognizer | None:
        try:
            return self._recognizer_for(lang)
        except SpeechError as exc:
            log.error("stream %s: no recognizer for %s: %s", self.call.stream_sid, lang, exc)
            return None

    def _on_event(self, event: Event) -> None:
        speaking = self._speaking
        if speaking is None:
            return
        if event.kind is Kind.PAUSE:
            speaking.pause += 1
            self._spawn(self._judge_pause(speaking, speaking.pause))
        elif event.kind is Kind.RESUME:
            speaking.pause += 1
            speaking.hearing.speech_resumed()
        elif event.kind is Kind.END:
            self._end(event)

    # -- deciding ------------------------------------------------------------------------

    async def _judge_pause(self, speaking: _Speaking, pause: int) -> None:
        lang = speaking.listen.lang
        try:
            async for reading in speaking.hearing.so_far(pcm16_to_audio(speaking.pcm)):
                if not reading.text:
                    continue
                text = reading.text
                help_heard, complete = await self._in_logic_pool(
                    lambda: (self.logic.is_help(text, lang),
                             reading.judges_completeness and self.logic.is_complete(self.call, text)),
                    (False, False))
                if self._speaking is not speaking:
                    return
                if help_heard:
                    speaking.help = True
                    self._end(self._turns.end(Ending.HELP))
                    return
                if reading.judges_completeness and speaking.pause == pause:
                    event = self._turns.judge(complete)
                    if event is not None:
                        self._end(event)
        except SpeechError as exc:
            log.warning("stream %s: recognition failed at a pause: %s", self.call.stream_sid, exc)

    async def _check_partial(self, number: int, text: str) -> None:
        speaking = self._speaking
        if speaking is None or speaking.number != number or speaking.help:
            return
        if await self._in_logic_pool(self.logic.is_help, False, text, speaking.listen.lang):
            if self._speaking is speaking and not speaking.help:
                speaking.help = True
                self._end(self._turns.end(Ending.HELP))

    def _end(self, event: Event) -> None:
        speaking, self._speaking = self._speaking, None
        if speaking is None:
            return
        if self._turns.speaking:
            self._turns.end(event.ending or Ending.HANGUP)
        ended = time.monotonic()
        speech_ended_ms = round((self._turns.last_speech_frame + 1) * FRAME_SECONDS * 1000)
        decided_ms = round((self._turns.frame + 1) * FRAME_SECONDS * 1000)
        decided_after = ended - self._last_speech_at if self._last_speech_at else 0.0
        task = self._spawn(self._utterance(speaking, event.ending or Ending.HANGUP,
                                           (speech_ended_ms, decided_ms), decided_after, self._last_speech_at))
        self.stats.utterances += 1
        self._queue.put_nowait(("utterance", task))

    async def _utterance(self, speaking: _Speaking, ending: Ending, stream_times: tuple[int, int],
                         decided_after: float, last_speech_at: float) -> Utterance:
        audio = pcm16_to_audio(speaking.pcm)
        loop = asyncio.get_running_loop()
        saving = loop.run_in_executor(self.workers.logic, audio_files.save_utterance, self.config,
                                      self.call.call_sid, speaking.number, bytes(speaking.pcm))
        problem = ""
        transcript: Transcript | None = None
        try:
            transcript = await speaking.hearing.result(audio)
        except SpeechError as exc:
            problem = str(exc)
            log.warning("stream %s: recognition failed: %s", self.call.stream_sid, exc)
        recognised_after = time.monotonic() - last_speech_at if last_speech_at else 0.0
        if transcript is not None and transcript.text and not speaking.help:
            speaking.help = await self._in_logic_pool(self.logic.is_help, False, transcript.text,
                                                      speaking.listen.lang)
        try:
            path = await saving
        except OSError as exc:
            path = ""
            problem = problem or f"the audio could not be saved: {exc.strerror or exc}"
            log.error("stream %s: utterance %d not saved: %s", self.call.stream_sid, speaking.number,
                      exc.strerror or exc)
        return Utterance(
            number=speaking.number, text=transcript.text if transcript else "",
            confidence=transcript.confidence if transcript else 0.0, engine=speaking.hearing.engine,
            lang=speaking.listen.lang, step=speaking.listen.step, audio_path=path, ended_by=ending.value, help=speaking.help,
            started_ms=speaking.started_ms, started_at=speaking.started_at, speech_ended_ms=stream_times[0], decided_ms=stream_times[1],
            decided_after_seconds=decided_after, recognised_after_seconds=recognised_after,
            problem=problem)

    def dtmf(self, dtmf: Dtmf) -> None:
        """Keys act at once: the utterance under way is dropped, the key goes to the logic."""
        if self._speaking is not None:
            log.info("stream %s: key %s pressed while she spoke; the speech is dropped",
                     self.call.stream_sid, dtmf.digit)
            self._spawn(self._speaking.hearing.discard())
            self._speaking = None
            self._turns.end(Ending.KEYS)
        self._queue.put_nowait(("dtmf", dtmf.digit))

    async def _decide(self) -> None:
        """The one consumer of events for this call: the call logic sees them in order."""
        while (item := await self._queue.get()) is not None:
            kind, value = item
            if kind == "utterance":
                utterance: Utterance = await value
                answer = await self._in_logic_pool(self.logic.on_utterance, Answer(), self.call, utterance)
            elif kind == "silence":
                answer = await self._in_logic_pool(self.logic.on_silence, Answer(), self.call)
            else:
                answer = await self._in_logic_pool(self.logic.on_dtmf, Answer(), self.call, value)
            if answer.listen is not None:
                await self._load_recognizer(answer.listen.lang)
                self._listen(answer.listen)
            if answer.twiml:
                await self._update_call(answer.twiml)

    async def _update_call(self, twiml: str) -> None:
        loop = asyncio.get_running_loop()
        for attempt in (1, 2):
            try:
                await loop.run_in_executor(self.workers.logic, self.telephony.update_call,
                                           self.call.call_sid, twiml)
                return
            except TelephonyError as exc:
                log.warning("stream %s: call update failed (attempt %d): %s", self.call.stream_sid,
                            attempt, exc)
                await asyncio.sleep(UPDATE_RETRY_SECONDS)

    # -- helpers -------------------------------------------------------------------------

    async def _in_logic_pool(self, function: Callable[..., T], default: T, *args: Any) -> T:
        """Run a call-logic method in a worker thread; a fault is logged and gives `default`."""
        try:
            return await asyncio.get_running_loop().run_in_executor(self.workers.logic, function, *args)
        except Exception:  # noqa: BLE001 - the call logic must not take the stream down
            log.exception("stream %s: the call logic failed", self.call.stream_sid)
            return default

    def _spawn(self, coroutine: Any) -> asyncio.Task[Any]:
        task = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task
