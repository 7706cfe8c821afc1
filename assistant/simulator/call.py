"""A phone call driven through the hotline's TwiML: the simulator's and the tests' caller.

The caller reads each TwiML response and answers the way Twilio would on her behalf: keys
pressed during a `<Record>` or `<Gather>`, a recording posted to the `<Record>` action, the
`<Redirect>` followed on silence, the `<Dial>` action posted with the dial's result.

With a `StreamedLine` (`voice.listen: stream`) it also runs `<Start><Stream>` and
`<Stop><Stream>`: while a stream is open, what she says goes through it as audio, and the
call moves on when the hotline updates it (`follow`, told by the carrier or the console).
"""
from __future__ import annotations

import itertools
import threading
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable

from assistant.channels.voice.twiml import waits_for_speech
from assistant.simulator.stream import StreamedLine

Post = Callable[[str, dict[str, str]], tuple[int, str]]
"""POST form parameters to a full public URL; returns (status code, body)."""
Store = Callable[[bytes], str]
"""Make a recording available; returns the RecordingUrl Twilio would post."""

_sids = itertools.count(1)


class WebhookError(Exception):
    """The hotline answered a webhook with an error status."""


class SimulatedCall:
    def __init__(self, post: Post, store: Store, *, caller: str, hotline_number: str,
                 call_sid: str | None = None, line: StreamedLine | None = None) -> None:
        self.post, self.store = post, store
        self.caller, self.hotline_number = caller, hotline_number
        self.call_sid = call_sid or f"CA{uuid.uuid4().hex}"
        self.twiml: ET.Element | None = None
        self.line = line
        self.updates = 0
        """Call updates followed so far."""
        self._lock = threading.Lock()

    def params(self, **extra: str) -> dict[str, str]:
        return {"CallSid": self.call_sid, "From": self.caller, "To": self.hotline_number,
                "AccountSid": "AC" + "0" * 32, "CallStatus": "in-progress", **extra}

    def dial_in(self, incoming_url: str) -> SimulatedCall:
        return self._send(incoming_url, self.params())

    def _send(self, url: str, params: dict[str, str]) -> SimulatedCall:
        status, body = self.post(url, params)
        if status != 200:
            raise WebhookError(f"{url} answered {status}: {body[:200]}")
        self._run(ET.fromstring(body))
        return self

    def follow(self, call_sid: str, twiml: str) -> None:
        """A REST update of this call (`Telephony.update_call`): the phone now runs `twiml`."""
        if call_sid == self.call_sid:
            with self._lock:
                self.updates += 1
                self.twiml = ET.fromstring(twiml)

    def _run(self, twiml: ET.Element) -> None:
        """The phone now runs `twiml`: its media stream starts or stops first, as Twilio's would."""
        with self._lock:
            self.twiml = twiml
        if self.line is None:
            return
        stop = next(iter(twiml.iter("Stop")), None)
        if stop is not None and stop.find("Stream") is not None or self.hung_up:
            self.line.close()
        start = next(iter(twiml.iter("Start")), None)
        stream = start.find("Stream") if start is not None else None
        if stream is not None and not self.line.is_open:
            params = {p.attrib["name"]: p.attrib.get("value", "") for p in stream.iter("Parameter")}
            self.line.open(self.call_sid, stream.attrib["url"], params)

    @property
    def streaming(self) -> bool:
        """A stream is open and the current TwiML waits for her to speak (not for keys only)."""
        return self.line is not None and self.line.is_open and waits_for_speech(self.twiml)

    def _through_line(self, speak: Callable[[Callable[[], bool]], None]) -> SimulatedCall:
        """Speak (or stay silent) on the stream until the hotline updates the call."""
        before = self.updates
        speak(lambda: self.updates > before)
        self._run(self.twiml)
        return self

    def says(self) -> str:
        """Everything the assistant says in the latest TwiML."""
        return " ".join("".join(say.itertext()).strip() for say in self.twiml.iter("Say"))

    def verb(self, name: str) -> ET.Element | None:
        return next(iter(self.twiml.iter(name)), None)

    @property
    def hung_up(self) -> bool:
        return self.verb("Hangup") is not None or not any(
            self.verb(name) is not None for name in ("Record", "Gather", "Dial", "Redirect"))

    def dialled(self) -> str | None:
        dial = self.verb("Dial")
        return dial.find("Number").text if dial is not None else None

    def _action(self) -> str:
        for name in ("Record", "Gather"):
            element = self.verb(name)
            if element is not None:
                return element.attrib["action"]
        raise WebhookError(f"the assistant is not waiting for an answer: {self.says()!r}")

    def press(self, digits: str) -> SimulatedCall:
        return self._send(self._action(), self.params(Digits=digits))

    def play(self, wav: bytes) -> SimulatedCall:
        """Say something: `wav` is what the caller's recording holds (or, streaming, what
        goes down the line)."""
        if self.streaming:
            return self._through_line(lambda answered: self.line.say(wav, answered))
        url = self.store(wav)
        return self._send(self._action(), self.params(
            RecordingUrl=url, RecordingSid=f"RE{next(_sids):032d}", RecordingDuration="3"))

    def silence(self) -> SimulatedCall:
        """Say nothing: streaming, until the hotline takes the question as unanswered; else as
        Twilio does when a `<Record>` or `<Gather>` times out."""
        if self.streaming:
            return self._through_line(self.line.silence)
        return self._send(self.verb("Redirect").text, self.params())

    def hang_up(self) -> None:
        if self.line is not None:
            self.line.shut()

    def dial_result(self, status: str) -> SimulatedCall:
        return self._send(self.verb("Dial").attrib["action"], self.params(DialCallStatus=status))
