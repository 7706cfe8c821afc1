"""Twilio's Media Streams messages, as its documentation gives them, and what is refused."""
from __future__ import annotations

import json

import numpy as np
import pytest

from assistant.speech.audio import mulaw_decode, mulaw_encode
from assistant.stream import messages
from assistant.stream.messages import Connected, Dtmf, Mark, Media, MessageError, Start, Stop

DOCUMENTED = {
    "connected": {"event": "connected", "protocol": "Call", "version": "1.0.0"},
    "start": {"event": "start", "sequenceNumber": "1", "start": {
        "accountSid": "AC" + "0" * 32, "streamSid": "MZ" + "1" * 32, "callSid": "CA" + "2" * 32,
        "tracks": ["inbound"], "customParameters": {"lang": "zh", "step": "3"},
        "mediaFormat": {"encoding": "audio/x-mulaw", "sampleRate": 8000, "channels": 1}},
        "streamSid": "MZ" + "1" * 32},
    "media": {"event": "media", "sequenceNumber": "3", "media": {
        "track": "inbound", "chunk": "1", "timestamp": "5", "payload": "no+JhoaJjpw="},
        "streamSid": "MZ" + "1" * 32},
    "dtmf": {"event": "dtmf", "streamSid": "MZ" + "1" * 32, "sequenceNumber": "5",
             "dtmf": {"track": "inbound_track", "digit": "1"}},
    "mark": {"event": "mark", "sequenceNumber": "4", "streamSid": "MZ" + "1" * 32, "mark": {"name": "my label"}},
    "stop": {"event": "stop", "sequenceNumber": "5", "streamSid": "MZ" + "1" * 32,
             "stop": {"accountSid": "AC" + "0" * 32, "callSid": "CA" + "2" * 32}},
}


def test_every_documented_message_is_understood() -> None:
    parsed = {name: messages.parse(json.dumps(body)) for name, body in DOCUMENTED.items()}
    assert parsed["connected"] == Connected("Call", "1.0.0")
    start = parsed["start"]
    assert isinstance(start, Start) and start.call_sid == "CA" + "2" * 32
    assert start.custom_parameters == {"lang": "zh", "step": "3"} and start.sample_rate == 8000
    media = parsed["media"]
    assert isinstance(media, Media) and media.sequence == 3 and media.timestamp_ms == 5
    assert media.payload == bytes.fromhex("9e8f89868689 8e9c".replace(" ", ""))
    assert parsed["dtmf"] == Dtmf("1", "inbound_track", 5)
    assert parsed["mark"] == Mark("my label", 4)
    assert parsed["stop"] == Stop("CA" + "2" * 32, 5)


def test_the_builders_write_what_the_parser_reads() -> None:
    sid, call = "MZ" + "1" * 32, "CA" + "2" * 32
    start = messages.parse(messages.start_message(sid, call, "AC1", {"lang": "en"}))
    assert isinstance(start, Start) and (start.stream_sid, start.custom_parameters) == (sid, {"lang": "en"})
    media = messages.parse(messages.media_message(sid, 7, 3, b"\xff" * 160))
    assert media == Media(sequence=7, track="inbound", chunk=3, timestamp_ms=40, payload=b"\xff" * 160)
    assert messages.parse(messages.dtmf_message(sid, 8, "#")) == Dtmf("#", "inbound_track", 8)
    assert messages.parse(messages.stop_message(sid, 9, call, "AC1")) == Stop(call, 9)


@pytest.mark.parametrize(("frame", "reason"), [
    ("not json", "not JSON"),
    ("[]", "not a JSON object"),
    ('{"event": "media", "sequenceNumber": "2", "media": {"chunk": "1", "timestamp": "0", "payload": "%%"}}',
     "not base64"),
    ('{"event": "media", "media": {"payload": ""}}', "sequenceNumber is not a number"),
    ('{"event": "start", "start": {"streamSid": "MZ1"}}', "callSid is missing"),
    ('{"event": "dtmf", "dtmf": {"digit": "12"}}', "not a key"),
    ('{"event": "stop"}', "without its 'stop' object"),
    ('{"event": "reboot"}', "unknown event"),
])
def test_anything_else_is_refused_with_one_line(frame: str, reason: str) -> None:
    with pytest.raises(MessageError, match=reason) as refused:
        messages.parse(frame)
    assert "\n" not in str(refused.value)


def test_mulaw_encoding_is_the_inverse_of_decoding() -> None:
    codes = np.arange(256, dtype=np.uint8)
    again = mulaw_encode(mulaw_decode(codes))
    assert np.array_equal(again[codes != 0x7F], codes[codes != 0x7F])   # 0x7F and 0xFF are both zero
    ramp = np.linspace(-0.9, 0.9, 1001, dtype=np.float32)
    assert np.abs(mulaw_decode(mulaw_encode(ramp)) - ramp).max() < 0.02
