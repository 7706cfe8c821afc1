"""A conversation driven straight through the dialog engine, at a fixed "now"."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from assistant.db.database import Database
from assistant.dialog import conversations
from assistant.dialog.model import Inbound, Reply
from assistant.runtime import Runtime
from tests.demo import load_demo

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=timezone.utc)
"""Monday 23 November 2026, 10:00 in New York (the demo elders' timezone)."""


class Conversation:
    def __init__(self, rt: Runtime, caller: str, channel: str = "voice", key: str | None = None) -> None:
        self.rt, self.caller, self.channel = rt, caller, channel
        self.key = key or f"{channel}:{caller}"
        self.reply: Reply | None = None

    def _run(self, act) -> Reply:  # type: ignore[no-untyped-def]
        with self.rt.db.session() as session:
            conv = conversations.find(session, self.key) or conversations.open_conversation(
                session, self.key, self.channel)
            self.reply = act(session, conv)
            self.state = conv.state
        return self.reply

    def start(self, kind: str = "hotline", *, elder_id: int | None = None, language: str = "",
              **slots: object) -> Reply:
        return self._run(lambda s, c: conversations.start(
            self.rt, s, c, kind=kind, channel=self.channel, caller=self.caller, now=NOW, slots=slots,
            elder_id=elder_id, language=language))

    def send(self, inbound: Inbound) -> Reply:
        return self._run(lambda s, c: conversations.answer(
            self.rt, s, c, inbound, channel=self.channel, caller=self.caller, now=NOW))

    def say(self, text: str) -> Reply:
        return self.send(Inbound(text=text))

    def press(self, digits: str) -> Reply:
        return self.send(Inbound(digits=digits))

    def silence(self) -> Reply:
        return self.send(Inbound(silence=True))

    @property
    def said(self) -> str:
        return " ".join(self.reply.lines)


@pytest.fixture
def demo(db: Database) -> None:
    load_demo(db)


@pytest.fixture
def converse(runtime: Runtime, demo: None):  # type: ignore[no-untyped-def]
    def make(caller: str, channel: str = "voice") -> Conversation:
        return Conversation(runtime, caller, channel)
    return make
