"""Twilio Media Streams messages, as documented ("Media Streams - WebSocket Messages").

Twilio sends JSON text frames: `connected` first, then `start` (the call, the stream's
`customParameters` and media format), then `media` (base64 G.711 mu-law, 8 kHz mono, 20 ms
per frame), `dtmf` and `mark` (bidirectional streams), and `stop`. `parse` turns one frame
into one of the typed messages below, or raises `MessageError` with a one-line reason; the
`*_message` builders write the same frames (the tests' carrier and the benchmark use them).
"""
from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from typing import Any

FRAME_SECONDS = 0.02
SAMPLE_RATE = 8000
MULAW = "audio/x-mulaw"


class MessageError(ValueError):
    """A frame that is not a Media Streams message we can use; the text says why, in one line."""


@dataclass(frozen=True)
class Connected:
    protocol: str
    version: str


@dataclass(frozen=True)
class Start:
    stream_sid: str
    call_sid: str
    account_sid: str
    tracks: tuple[str, ...]
    custom_parameters: dict[str, str] = field(default_factory=dict)
    encoding: str = MULAW
    sample_rate: int = SAMPLE_RATE
    channels: int = 1


@dataclass(frozen=True)
class Media:
    sequence: int
    track: str
    chunk: int
    timestamp_ms: int
    """Milliseconds since the stream started, by Twilio's clock."""
    payload: bytes
    """Raw mu-law bytes (160 for a 20 ms frame)."""


@dataclass(frozen=True)
class Dtmf:
    digit: str
    track: str = "inbound_track"
    sequence: int = 0


@dataclass(frozen=True)
class Mark:
    name: str
    sequence: int = 0


@dataclass(frozen=True)
class Stop:
    call_sid: str
    sequence: int = 0


Message = Connected | Start | Media | Dtmf | Mark | Stop

_DIGITS = frozenset("0123456789*#ABCD")


def _text(value: Any, name: str, limit: int = 64) -> str:
    if not isinstance(value, str) or not value or len(value) > limit or not value.isprintable():
        raise MessageError(f"{name} is missing or malformed")
    return value


def _int(value: Any, name: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise MessageError(f"{name} is not a number") from None


def _sequence(data: dict[str, Any]) -> int:
    return _int(data.get("sequenceNumber", 0), "sequenceNumber")


def _section(data: dict[str, Any], name: str) -> dict[str, Any]:
    section = data.get(name)
    if not isinstance(section, dict):
        raise MessageError(f"a {name} message without its {name!r} object")
    return section


def parse(frame: str | bytes) -> Message:
    """One websocket frame as a message; MessageError for anything else."""
    try:
        data = json.loads(frame)
    except (ValueError, UnicodeDecodeError):
        raise MessageError("not JSON") from None
    if not isinstance(data, dict):
        raise MessageError("not a JSON object")
    event = data.get("event")
    if event == "media":
        media = _section(data, "media")
        try:
            payload = base64.b64decode(media.get("payload", ""), validate=True)
        except (binascii.Error, TypeError, ValueError):
            raise MessageError("media payload is not base64") from None
        return Media(sequence=_int(data.get("sequenceNumber"), "sequenceNumber"),
                     track=str(media.get("track", "inbound")), chunk=_int(media.get("chunk"), "chunk"),
                     timestamp_ms=_int(media.get("timestamp"), "timestamp"), payload=payload)
    if event == "connected":
        return Connected(protocol=str(data.get("protocol", "")), version=str(data.get("version", "")))
    if event == "start":
        start = _section(data, "start")
        params = start.get("customParameters") or {}
        media_format = start.get("mediaFormat") or {}
        if not isinstance(params, dict) or not isinstance(media_format, dict):
            raise MessageError("start: customParameters and mediaFormat must be objects")
        return Start(stream_sid=_text(start.get("streamSid") or data.get("streamSid"), "streamSid"),
                     call_sid=_text(start.get("callSid"), "callSid"),
                     account_sid=str(start.get("accountSid", "")),
                     tracks=tuple(str(t) for t in start.get("tracks") or ("inbound",)),
                     custom_parameters={str(k): str(v) for k, v in params.items()},
                     encoding=str(media_format.get("encoding", MULAW)),
                     sample_rate=_int(media_format.get("sampleRate", SAMPLE_RATE), "sampleRate"),
                     channels=_int(media_format.get("channels", 1), "channels"))
    if event == "dtmf":
        dtmf = _section(data, "dtmf")
        digit = str(dtmf.get("digit", ""))
        if len(digit) != 1 or digit not in _DIGITS:
            raise MessageError("dtmf: the digit is not a key of a phone")
        return Dtmf(digit=digit, track=str(dtmf.get("track", "inbound_track")), sequence=_sequence(data))
    if event == "mark":
        return Mark(name=str(_section(data, "mark").get("name", "")), sequence=_sequence(data))
    if event == "stop":
        return Stop(call_sid=str(_section(data, "stop").get("callSid", "")), sequence=_sequence(data))
    raise MessageError(f"unknown event {str(event)[:20]!r}")


def connected_message() -> str:
    return json.dumps({"event": "connected", "protocol": "Call", "version": "1.0.0"})


def start_message(stream_sid: str, call_sid: str, account_sid: str,
                  custom_parameters: dict[str, str] | None = None) -> str:
    return json.dumps({"event": "start", "sequenceNumber": "1", "streamSid": stream_sid, "start": {
        "streamSid": stream_sid, "accountSid": account_sid, "callSid": call_sid, "tracks": ["inbound"],
        "customParameters": custom_parameters or {},
        "mediaFormat": {"encoding": MULAW, "sampleRate": SAMPLE_RATE, "channels": 1}}})


def media_message(stream_sid: str, sequence: int, chunk: int, payload: bytes) -> str:
    return json.dumps({"event": "media", "sequenceNumber": str(sequence), "streamSid": stream_sid,
                       "media": {"track": "inbound", "chunk": str(chunk),
                                 "timestamp": str(int((chunk - 1) * FRAME_SECONDS * 1000)),
                                 "payload": base64.b64encode(payload).decode("ascii")}})


def dtmf_message(stream_sid: str, sequence: int, digit: str) -> str:
    return json.dumps({"event": "dtmf", "sequenceNumber": str(sequence), "streamSid": stream_sid,
                       "dtmf": {"track": "inbound_track", "digit": digit}})


def mark_message(stream_sid: str, sequence: int, name: str) -> str:
    return json.dumps({"event": "mark", "sequenceNumber": str(sequence), "streamSid": stream_sid,
                       "mark": {"name": name}})


def stop_message(stream_sid: str, sequence: int, call_sid: str, account_sid: str) -> str:
    return json.dumps({"event": "stop", "sequenceNumber": str(sequence), "streamSid": stream_sid,
                       "stop": {"accountSid": account_sid, "callSid": call_sid}})
