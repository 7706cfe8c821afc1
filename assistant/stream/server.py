"""The stream server: Twilio Media Streams over a websocket, as an ASGI application.

`assistant serve` mounts it at `STREAM_PATH` beside the Flask app (see `asgi.py`), so one
process and one URL serve a whole call. Each call is a coroutine on the worker's event loop
(no thread per call); recognition and the call logic run in the thread pools of `Workers`.

The handshake must carry a valid `X-Twilio-Signature`, computed as for webhooks over the
stream's URL (`Config.stream_url`, the `<Stream url>` Twilio was given) with no parameters,
whenever an auth token is configured; otherwise the socket is refused (HTTP 403) before a
byte of audio is read.
"""
from __future__ import annotations

import logging
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Awaitable, Callable

from assistant.runtime import Runtime
from assistant.speech.engines import recognizer_for
from assistant.speech.recognizer import Recognizer
from assistant.stream import messages
from assistant.stream.listener import CallListener, Workers
from assistant.stream.hotline_logic import HotlineLogic
from assistant.stream.logic import CallLogic
from assistant.telephony.signatures import is_valid

log = logging.getLogger(__name__)

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]

MAX_REJECTED = 50
"""A socket sending this many unusable messages is not Twilio: it is closed."""
POLICY_VIOLATION = 1008


class StreamServer:
    """An ASGI app for `websocket` scopes: one Twilio Media Stream per connection."""

    def __init__(self, runtime: Runtime, logic: CallLogic | None = None,
                 recognition_threads: int | None = None, logic_threads: int = 8) -> None:
        self.runtime = runtime
        self.logic = logic or HotlineLogic(runtime)
        # Two threads a CPU: Whisper decodes one utterance at a time whatever the threads, and
        # Vosk feeding (which releases the GIL) must not wait behind a Whisper decode.
        self.workers = Workers(
            recognition=ThreadPoolExecutor(recognition_threads or 2 * (os.cpu_count() or 1),
                                           thread_name_prefix="hearing"),
            logic=ThreadPoolExecutor(logic_threads, thread_name_prefix="call-logic"))

    def recognizer(self, lang: str) -> Recognizer | None:
        return recognizer_for(self.runtime.config, lang)

    def signed(self, scope: Scope) -> bool:
        token = self.runtime.config.twilio.auth_token
        if not token:
            return True
        headers = {name.decode("latin-1").lower(): value.decode("latin-1")
                   for name, value in scope.get("headers", [])}
        return is_valid(token, self.runtime.config.stream_url, {}, headers.get("x-twilio-signature", ""))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (await receive())["type"] != "websocket.connect":
            return
        if not self.signed(scope):
            log.warning("refused a media stream: bad or missing Twilio signature")
            await send({"type": "websocket.close", "code": POLICY_VIOLATION})
            return
        await send({"type": "websocket.accept"})
        listener: CallListener | None = None
        rejected = 0
        try:
            while True:
                event = await receive()
                if event["type"] == "websocket.disconnect":
                    break
                try:
                    message = messages.parse(event.get("text") or event.get("bytes") or b"")
                except messages.MessageError as exc:
                    rejected += 1
                    if rejected == 1:
                        log.warning("media stream: unusable message (%s)", exc)
                    if rejected >= MAX_REJECTED:
                        await send({"type": "websocket.close", "code": POLICY_VIOLATION})
                        break
                    continue
                if isinstance(message, messages.Start) and listener is None:
                    listener = await self._start(message)
                    if listener is None:
                        await send({"type": "websocket.close", "code": 1011})
                        break
                elif listener is None:
                    continue
                if listener is not None and getattr(message, "sequence", 0):
                    listener.sequence(message.sequence)  # type: ignore[union-attr]
                if isinstance(message, messages.Media) and message.track in ("inbound", "inbound_track"):
                    listener.media(message)
                elif isinstance(message, messages.Dtmf):
                    listener.dtmf(message)
                elif isinstance(message, messages.Stop):
                    break
        finally:
            if listener is not None:
                listener.stats.rejected = rejected
                await listener.finish()

    async def _start(self, start: messages.Start) -> CallListener | None:
        if start.encoding != messages.MULAW or start.sample_rate != messages.SAMPLE_RATE:
            log.warning("media stream %s: %s at %d Hz is not the telephone audio expected",
                        start.stream_sid, start.encoding, start.sample_rate)
            return None
        listener = CallListener(self.runtime.config, self.logic, self.runtime.telephony, self.workers,
                                self.recognizer, start)
        try:
            await listener.begin()
        except Exception:  # noqa: BLE001 - a fault in the call logic closes this stream only
            log.exception("media stream %s: the call logic could not start it", start.stream_sid)
            return None
        log.info("media stream %s started", start.stream_sid)
        return listener

    def close(self) -> None:
        self.workers.recognition.shutdown(wait=False, cancel_futures=True)
        self.workers.logic.shutdown(wait=True)
