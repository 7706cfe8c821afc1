"""Test helpers for the hotline's webhooks: signed requests as Twilio sends them, a phone
call driven step by step through its TwiML, and real synthesized speech for what is said.

Import the fixtures into a conftest.py:
`from tests.hotline import carrier, config_path, extra_settings, hotline`.
"""
from __future__ import annotations

import functools
import itertools
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from assistant.config import ENV_OVERRIDES, STREAM_PATH, Config
from assistant.runtime import Runtime
from assistant.simulator.call import SimulatedCall
from assistant.simulator.server import serving
from assistant.simulator.stream import StreamedLine
from assistant.stream.server import StreamServer
from assistant.telephony.signatures import sign
from assistant.simulator.synth import synthesize
from tests.conftest import write_config
from tests.telephony.carrier import Carrier, local_carrier

AUTH_TOKEN = "test-auth-token"
STREAM_PACE = 4.0
"""Conversation tests send a streamed caller's audio this many times faster than real time:
turn-taking runs on the stream's own clock, so what they test does not depend on it."""
HOTLINE_NUMBER = "+15550009999"
_sids = itertools.count(1)


@pytest.fixture
def carrier() -> Iterator[Carrier]:
    with local_carrier() as running:
        yield running


@pytest.fixture
def extra_settings() -> dict[str, object]:
    """More configuration for the hotline under test (dotted keys); a test module overrides it."""
    return {}


@pytest.fixture
def config_path(tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch, carrier: Carrier,
                request: pytest.FixtureRequest, extra_settings: dict[str, object], voice_listen: str) -> Path:
    """Twilio mode against the local carrier: signed webhooks, real REST requests."""
    for variable in ENV_OVERRIDES:
        monkeypatch.delenv(variable, raising=False)
    engine = request.node.get_closest_marker("speech")
    path = write_config(tmp_path, database_url, **{
        "twilio.account_sid": "AC" + "0" * 32, "twilio.auth_token": AUTH_TOKEN,
        "twilio.from_number": HOTLINE_NUMBER, "twilio.api_base_url": carrier.base_url,
        "twilio.media_hosts": ["127.0.0.1"], "public_url": "https://hotline.example.org",
        "speech.engine": engine.args[0] if engine else "none", "voice.listen": voice_listen,
        **extra_settings})
    monkeypatch.setenv("ASSISTANT_CONFIG", str(path))
    return path


class Hotline:
    def __init__(self, client: FlaskClient, config: Config, carrier: Carrier, folder: Path,
                 stream_url: str = "") -> None:
        self.client, self.config, self.carrier, self.folder = client, config, carrier, folder
        self.stream_url = stream_url
        """Where the hotline's stream server listens (stream mode), "" for none."""
        self.phones: list[PhoneCall] = []

    def post(self, url: str, params: dict[str, str], *, signed: bool = True) -> TestResponse:
        """POST like Twilio: to a path or a full public URL, signed over public_url + path."""
        if url.startswith("/"):
            url = self.config.public_url + url
        headers = {"X-Twilio-Signature": sign(AUTH_TOKEN, url, params)} if signed else {}
        parts = urlsplit(url)
        return self.client.post(parts.path + (f"?{parts.query}" if parts.query else ""), data=params,
                                headers=headers)

    def _phone(self, caller: str, callee: str, call_sid: str | None) -> PhoneCall:
        def post(url: str, params: dict[str, str]) -> tuple[int, str]:
            response = self.post(url, params)
            return response.status_code, response.get_data(as_text=True)

        line = StreamedLine(self.stream_url, auth_token=AUTH_TOKEN, pace=STREAM_PACE) if self.stream_url else None
        call = PhoneCall(post, self.carrier.add_recording, caller=caller, hotline_number=callee,
                         call_sid=call_sid, line=line)
        call.folder = self.folder
        self.carrier.followers.append(call.follow)
        self.phones.append(call)
        return call

    def call(self, from_number: str, *, call_sid: str | None = None) -> PhoneCall:
        """An elder calls the hotline."""
        return self._phone(from_number, HOTLINE_NUMBER, call_sid).dial_in("/voice/incoming")

    def answer_placed_call(self, index: int = -1, answered_by: str = "human") -> PhoneCall:
        """The elder picks up a call the hotline placed (the carrier's `index`th call)."""
        placed = self.carrier.sent("Calls")[index]
        sid = self.carrier.requests[[i for i, r in enumerate(self.carrier.requests)
                                     if str(r["path"]).endswith("/Calls.json")][index]]["sid"]
        call = self._phone(HOTLINE_NUMBER, placed["To"], str(sid))
        call.params = functools.partial(call.params, AnsweredBy=answered_by)  # type: ignore[method-assign]
        return call.dial_in(placed["Url"])


class PhoneCall(SimulatedCall):
    """A simulated call that can also speak: synthesized speech over a telephone channel."""

    folder: Path

    def speak(self, text: str, voice: str = "en-us", noise_db: float | None = None) -> PhoneCall:
        wav = self.folder / f"said-{next(_sids)}.wav"
        synthesize(text, wav, voice=voice, noise_db=noise_db)
        return self.play(wav.read_bytes())


@pytest.fixture
def hotline(client: FlaskClient, app: Flask, runtime: Runtime, config: Config, carrier: Carrier,
            tmp_path: Path) -> Iterator[Hotline]:
    """The hotline's webhooks; in stream mode its stream server too, which each call's line
    connects to when its TwiML starts a stream."""
    if config.voice.listen != "stream":
        yield Hotline(client, config, carrier, tmp_path)
        return
    with serving(app, StreamServer(runtime)) as port:
        hotline = Hotline(client, config, carrier, tmp_path, f"ws://127.0.0.1:{port}{STREAM_PATH}")
        try:
            yield hotline
        finally:
            for phone in hotline.phones:
                phone.hang_up()
