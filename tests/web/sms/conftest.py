"""Texting the hotline as Twilio would: signed webhooks, replies read from the TwiML."""
from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET

import pytest
from werkzeug.test import TestResponse

from assistant.db.database import Database
from tests.demo import load_demo
from tests.hotline import HOTLINE_NUMBER, Hotline, carrier, config_path, hotline  # noqa: F401  (fixtures)


class Texts:
    """Send texts to the hotline from any number; each returns the reply's text."""

    def __init__(self, hotline: Hotline) -> None:
        self.hotline = hotline

    def params(self, sender: str, body: str, sid: str | None = None) -> dict[str, str]:
        return {"MessageSid": sid or new_sid(), "From": sender, "To": HOTLINE_NUMBER,
                "Body": body, "AccountSid": "AC" + "0" * 32, "NumMedia": "0"}

    def post(self, params: dict[str, str]) -> TestResponse:
        return self.hotline.post("/sms/incoming", params)

    def send(self, sender: str, body: str, *, sid: str | None = None) -> str:
        response = self.post(self.params(sender, body, sid))
        assert response.status_code == 200, response.get_data(as_text=True)
        return reply_text(response)


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
def texts(hotline: Hotline) -> Texts:
    return Texts(hotline)


@pytest.fixture(autouse=True)
def demo(db: Database) -> None:
    load_demo(db)
