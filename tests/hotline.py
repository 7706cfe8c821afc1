"""Test helpers for the hotline's webhooks: signed requests as Twilio sends them, a phone
call driven step by step through its TwiML, and real synthesized speech for what is said.

Import the fixtures into a conftest.py: `from tests.hotline import carrier, config_path, hotline`.
"""
from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from assistant.config import ENV_OVERRIDES, Config
from assistant.telephony.signatures import sign
from tests.audio_synth import synthesize
from tests.conftest import write_config
from tests.telephony.carrier import Carrier, local_carrier

AUTH_TOKEN = "test-auth-token"
HOTLINE_NUMBER = "+15550009999"
_sids = itertools.count(1)


@pytest.fixture
def carrier() -> Iterator[Carrier]:
    with local_carrier() as running:
        yield running


@pytest.fixture
def config_path(tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch,
                carrier: Carrier, request: pytest.FixtureRequest) -> Path:
    """Twilio mode against the local carrier: signed webhooks, real REST requests."""
    for variable in ENV_OVERRIDES:
        monkeypatch.delenv(variable, raising=False)
    engine = request.node.get_closest_marker("speech")
    path = write_config(tmp_path, database_url, **{
        "twilio.account_sid": "AC" + "0" * 32, "twilio.auth_token": AUTH_TOKEN,
        "twilio.from_number": HOTLINE_NUMBER, "twilio.api_base_url": carrier.base_url,
        "twilio.media_hosts": ["127.0.0.1"], "public_url": "https://hotline.example.org",
        "speech.engine": engine.args[0] if engine else "none"})
    monkeypatch.setenv("ASSISTANT_CONFIG", str(path))
    return path


class Hotline:
    def __init__(self, client: FlaskClient, config: Config, carrier: Carrier, folder: Path) -> None:
        self.client, self.config, self.carrier, self.folder = client, config, carrier, folder

    def post(self, url: str, params: dict[str, str], *, signed: bool = True) -> TestResponse:
        """POST like Twilio: to a path or a full public URL, signed over public_url + path."""
        if url.startswith("/"):
            url = self.config.public_url + url
        headers = {"X-Twilio-Signature": sign(AUTH_TOKEN, url, params)} if signed else {}
        parts = urlsplit(url)
        return self.client.post(parts.path + (f"?{parts.query}" if parts.query else ""), data=params,
                                headers=headers)

    def call(self, from_number: str, *, call_sid: str | None = None) -> PhoneCall:
        call = PhoneCall(self, call_sid or f"CA{next(_sids):032d}", from_number)
        call.answer(self.post("/voice/incoming", call.params()))
        return call


class PhoneCall:
    """One call: the latest TwiML, and the caller's moves (speak, press, stay silent)."""

    def __init__(self, hotline: Hotline, call_sid: str, caller: str) -> None:
        self.hotline, self.call_sid, self.caller = hotline, call_sid, caller
        self.twiml: ET.Element | None = None
        self.transcript: list[str] = []

    def params(self, **extra: str) -> dict[str, str]:
        return {"CallSid": self.call_sid, "From": self.caller, "To": HOTLINE_NUMBER,
                "AccountSid": "AC" + "0" * 32, "CallStatus": "in-progress", **extra}

    def answer(self, response: TestResponse) -> PhoneCall:
        assert response.status_code == 200, response.get_data(as_text=True)
        self.twiml = ET.fromstring(response.get_data(as_text=True))
        self.transcript.append(self.says())
        return self

    def says(self) -> str:
        """Everything the assistant says in the latest TwiML."""
        return " ".join("".join(say.itertext()).strip() for say in self.twiml.iter("Say"))

    def verb(self, name: str) -> ET.Element | None:
        return next(iter(self.twiml.iter(name)), None)

    @property
    def hung_up(self) -> bool:
        return self.verb("Hangup") is not None

    def _action(self) -> str:
        for name in ("Record", "Gather"):
            element = self.verb(name)
            if element is not None:
                return element.attrib["action"]
        raise AssertionError(f"the assistant is not waiting for an answer: {self.says()!r}")

    def press(self, digits: str) -> PhoneCall:
        return self.answer(self.hotline.post(self._action(), self.params(Digits=digits)))

    def speak(self, text: str, voice: str = "en-us", noise_db: float | None = None) -> PhoneCall:
        """Say `text` in a synthesized voice over a telephone channel, as a recording."""
        wav = self.hotline.folder / f"said-{next(_sids)}.wav"
        synthesize(text, wav, voice=voice, noise_db=noise_db)
        url = self.hotline.carrier.add_recording(wav.read_bytes())
        return self.answer(self.hotline.post(self._action(), self.params(
            RecordingUrl=url, RecordingSid=url.rsplit("/", 1)[1], RecordingDuration="3")))

    def silence(self) -> PhoneCall:
        return self.answer(self.hotline.post(self.verb("Redirect").text, self.params()))

    def dial_result(self, status: str) -> PhoneCall:
        return self.answer(self.hotline.post(self.verb("Dial").attrib["action"],
                                             self.params(DialCallStatus=status)))

    def dialled(self) -> str:
        return self.verb("Dial").find("Number").text


@pytest.fixture
def hotline(client: FlaskClient, config: Config, carrier: Carrier, tmp_path: Path) -> Hotline:
    return Hotline(client, config, carrier, tmp_path)
