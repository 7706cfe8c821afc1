"""A phone line's media stream to the hotline, as Twilio opens it: the simulator's, the tests'
and the benchmarks' caller in `voice.listen: stream` mode.

It opens the websocket with `X-Twilio-Signature` (over the stream URL, as Twilio signs it),
sends `connected` and `start` (with custom parameters), then the caller's audio as `media`
messages of 20 ms of mu-law, paced in real time (`pace=1`) or faster where the rule under
test does not depend on it; `press` sends a `dtmf` message, `hang_up` a `stop`.
`StreamedLine` drives it from synchronous code: the simulated call's phone line.
"""
from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import websockets

from assistant.speech.audio import Audio, frame_levels, mulaw_encode, read_wav, resample
from assistant.stream import messages
from assistant.stream.messages import FRAME_SECONDS, SAMPLE_RATE
from assistant.telephony.signatures import sign

_FRAME = int(SAMPLE_RATE * FRAME_SECONDS)
SILENCE = bytes([0xFF]) * _FRAME
"""20 ms of mu-law silence."""
VOICED_BELOW_PEAK_DB = 35.0
"""A frame within this many dB of the clip's loudest counts as voiced (for timing only)."""


@dataclass(frozen=True)
class Said:
    """When a `say` went out, by the caller's monotonic clock."""

    started_at: float
    speech_ended_at: float
    """When the frame holding the end of the last voiced sound was sent."""
    ended_at: float
    speech_ended_ms: int
    """The same moment in stream time (ms since the stream's first frame)."""


def mulaw_frames(audio: Audio) -> list[bytes]:
    """The audio as 20 ms mu-law frames at 8 kHz (the last one padded with silence)."""
    samples = resample(audio, SAMPLE_RATE).samples
    codes = mulaw_encode(samples).tobytes()
    codes += SILENCE[: (-len(codes)) % _FRAME]
    return [codes[i:i + _FRAME] for i in range(0, len(codes), _FRAME)]


def last_voiced_frame(audio: Audio) -> int:
    """Index of the last 20 ms frame within `VOICED_BELOW_PEAK_DB` of the loudest."""
    levels = frame_levels(resample(audio, SAMPLE_RATE), FRAME_SECONDS)
    if len(levels) == 0:
        return -1
    loud = np.flatnonzero(levels > levels.max() - VOICED_BELOW_PEAK_DB)
    return int(loud[-1]) if len(loud) else -1


class StreamCaller:
    def __init__(self, url: str, call_sid: str | None = None, *, signed_url: str = "", auth_token: str = "",
                 params: dict[str, str] | None = None, pace: float = 1.0,
                 account_sid: str = "AC" + "0" * 32) -> None:
        """`url` is where to connect; `signed_url` the `<Stream url>` Twilio was given, which
        it signs (the same unless a reverse proxy stands between)."""
        self.url, self.auth_token, self.params, self.pace = url, auth_token, params or {}, pace
        self.signed_url = signed_url or url
        self.call_sid = call_sid or f"CA{uuid.uuid4().hex}"
        self.account_sid = account_sid
        self.stream_sid = f"MZ{uuid.uuid4().hex}"
        self._socket: websockets.ClientConnection | None = None
        self._sequence = 1
        self._chunk = 0
        self._next_due: float | None = None

    async def open(self) -> "StreamCaller":
        headers = {"X-Twilio-Signature": sign(self.auth_token, self.signed_url, {})} if self.auth_token else {}
        self._socket = await websockets.connect(self.url, additional_headers=headers, open_timeout=10)
        await self._socket.send(messages.connected_message())
        await self._socket.send(messages.start_message(self.stream_sid, self.call_sid, self.account_sid,
                                                       self.params))
        return self

    async def __aenter__(self) -> "StreamCaller":
        return await self.open()

    async def __aexit__(self, *_: object) -> None:
        await self.hang_up()

    def _next_sequence(self) -> int:
        self._sequence += 1
        return self._sequence

    async def _send_frames(self, frames: list[bytes], pace: float | None = None) -> list[float]:
        """Send frames `pace` times faster than real time; the monotonic time each went out."""
        assert self._socket is not None, "open() the stream first"
        loop = asyncio.get_running_loop()
        step = FRAME_SECONDS / (pace or self.pace)
        if self._next_due is None or loop.time() - self._next_due > FRAME_SECONDS:
            # The first frame, or the caller sent nothing for a while: the line starts again now
            # (no burst of frames to catch up).
            self._next_due = loop.time()
        sent: list[float] = []
        for frame in frames:
            if self._next_due > loop.time():
                await asyncio.sleep(self._next_due - loop.time())
            self._chunk += 1
            await self._socket.send(messages.media_message(self.stream_sid, self._next_sequence(),
                                                           self._chunk, frame))
            sent.append(loop.time())
            self._next_due += step
        return sent

    async def say(self, audio: Audio | bytes) -> Said:
        """Speak a clip (an `Audio`, or WAV bytes)."""
        clip = read_wav(audio) if isinstance(audio, bytes) else audio
        first_chunk = self._chunk + 1
        sent = await self._send_frames(mulaw_frames(clip))
        last = max(0, min(len(sent) - 1, last_voiced_frame(clip)))
        return Said(started_at=sent[0], speech_ended_at=sent[last], ended_at=sent[-1],
                    speech_ended_ms=round((first_chunk + last) * FRAME_SECONDS * 1000))

    async def silence(self, seconds: float, pace: float | None = None) -> None:
        """Say nothing for `seconds` of stream time (the line still sends frames), at the
        stream's pace unless `pace` is given."""
        await self._send_frames([SILENCE] * round(seconds / FRAME_SECONDS), pace)

    async def press(self, digit: str) -> None:
        assert self._socket is not None, "open() the stream first"
        await self._socket.send(messages.dtmf_message(self.stream_sid, self._next_sequence(), digit))

    async def send_raw(self, text: str) -> None:
        """Anything at all, as a websocket text frame (for tests of bad input)."""
        assert self._socket is not None, "open() the stream first"
        await self._socket.send(text)

    async def hang_up(self) -> None:
        if self._socket is None:
            return
        try:
            await self._socket.send(messages.stop_message(self.stream_sid, self._next_sequence(),
                                                          self.call_sid, self.account_sid))
            await self._socket.close()
        except websockets.ConnectionClosed:
            pass
        self._socket = None


class StreamedLine:
    """The media stream of a simulated call, for the synchronous simulator and tests: a
    `StreamCaller` on an event loop of its own thread. `connect_url` is where the stream
    server listens here; the caller signs the URL the TwiML's `<Stream>` names, as Twilio does."""

    STEP_SECONDS = 0.1
    """Silence is sent in steps this long while waiting for the hotline to answer."""

    def __init__(self, connect_url: str, *, auth_token: str = "", pace: float = 1.0,
                 wait_seconds: float = 120.0) -> None:
        self.connect_url, self.auth_token, self.pace = connect_url, auth_token, pace
        self.wait_seconds = wait_seconds
        self.caller: StreamCaller | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    @property
    def is_open(self) -> bool:
        return self.caller is not None

    def _run(self, coroutine: Any) -> Any:
        assert self._loop is not None
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(self.wait_seconds + 30)

    def open(self, call_sid: str, stream_url: str, params: dict[str, str]) -> None:
        """Twilio runs `<Start><Stream url=stream_url>`: the stream opens with `params`."""
        if self._loop is None:
            self._loop = asyncio.new_event_loop()
            self._thread = threading.Thread(target=self._loop.run_forever, name="simulated-line", daemon=True)
            self._thread.start()
        self.caller = StreamCaller(self.connect_url, call_sid, signed_url=stream_url,
                                   auth_token=self.auth_token, params=params, pace=self.pace)
        self._run(self.caller.open())

    def say(self, audio: bytes, answered: Callable[[], bool]) -> None:
        """Speak `audio`, then stay silent until `answered()` (the hotline moved the call on)."""
        assert self.caller is not None, "no media stream is open"
        self._run(self.caller.say(audio))
        self.silence(answered)

    def silence(self, answered: Callable[[], bool]) -> None:
        """Say nothing (the line still carries silence) until `answered()`."""
        assert self.caller is not None, "no media stream is open"
        caller = self.caller

        async def wait() -> None:
            deadline = asyncio.get_running_loop().time() + self.wait_seconds
            while not answered():
                if asyncio.get_running_loop().time() > deadline:
                    raise TimeoutError(f"the hotline did not answer within {self.wait_seconds:.0f} s")
                await caller.silence(self.STEP_SECONDS)
        self._run(wait())

    def close(self) -> None:
        """`<Stop><Stream>` or the end of the call: the stream stops."""
        if self.caller is not None:
            self._run(self.caller.hang_up())
            self.caller = None

    def shut(self) -> None:
        """Close the stream and stop the line's thread."""
        self.close()
        if self._loop is not None and self._thread is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=10)
            self._loop.close()
            self._loop, self._thread = None, None
