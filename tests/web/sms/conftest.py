"""Texting the hotline as Twilio would: signed webhooks, replies read from the TwiML, at a
fixed "now" that a test moves on."""
from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from datetime import datetime, timezone

import pytest
from werkzeug.test import TestResponse

from assistant.clock import ManualClock
from assistant.db.database import Database
from assistant.runtime import Runtime
from tests.demo import load_demo
from tests.hotline import (HOTLINE_NUMBER, Hotline, carrier, config_path, extra_settings,  # noqa: F401
                           hotline)

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=timezone.utc)
"""Monday 23 November 2026, 10:00 in New York (the demo elders' timezone)."""


class Texts:
    """Send texts to the hotline from any number; each returns the reply's text."""

    def __init__(self, hotline: Hotline, clock: ManualClock) -> None:
        self.hotline, self.clock = hotline, clock

    def params(self, sender: str, body: str, sid: str | None = None) -> dict[str, str]:
        return {"MessageSid": sid or new_sid(), "From": sender, "To": HOTLINE_NUMBER,
                "Body": body, "AccountSid": "AC" + "0" * 32, "NumMedia": "0"}

    def post(self, params: dict[str, str]) -> TestResponse:
        return self.hotline.post("/sms/incoming", params)

    def send(self, sender: str, body: str, *, sid: str | None = None) -> str:
        response = self.post(self.params(sender, body, sid))
        assert response.status_code == 200, response.get_data(as_text=True)
        return reply_text(response)

    def wait(self, minutes: float) -> None:
        self.clock.advance(minutes * 60)


def new_sid() -> str:
    """A fresh MessageSid, never one the local carrier hands out ("SM0000...<n>")."""
    return "SM" + uuid.uuid4().hex


def reply_text(response: TestResponse) -> str:
    twiml = ET.fromstring(response.get_data(as_text=True))
    assert twiml.tag == "Response"
    messages = twiml.findall("./Message")
    assert len(messages) <= 1
    return messages[0].text or "" if messages else ""


@pytest.fixture
def texts(hotline: Hotline, runtime: Runtime) -> Texts:
    runtime.clock = ManualClock(NOW)
    return Texts(hotline, runtime.clock)


@pytest.fixture(autouse=True)
def demo(db: Database) -> None:
    load_demo(db)
