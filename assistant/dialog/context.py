"""The context a state's handlers work with: who is talking, what was said, what to answer."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from assistant.db.models import ConversationSession, Elder
from assistant.dialog.model import Choice, Reply
from assistant.nlu import Understanding
from assistant.runtime import Runtime
from assistant.services.meal_menu import MenuEntry


@dataclass
class Ctx:
    rt: Runtime
    db: Session
    conv: ConversationSession
    channel: str
    """"voice", "keypad" (a call in a language no speech engine serves) or "sms": decides how
    prompts are worded ("say yes or press 1", "press 1", "reply 1")."""
    caller: str
    """The elder's phone number (E.164), whichever way the conversation started."""
    now: datetime
    call_id: int | None = None
    """The call this conversation is part of (None for SMS), linked from what it creates."""
    reply: Reply = field(default_factory=Reply)
    slots: dict[str, Any] = field(default_factory=dict)
    understanding: Understanding | None = None
    choice: Choice | None = None
    sureness: float = 1.0
    """How surely this turn's answer was understood (1 for keys and phrases; less for the
    intent model's answer or a misspelt choice)."""
    heard: str = ""
    """What the caller said or typed this turn, verbatim."""
    came_from: str = ""
    """The state the conversation was in when this turn arrived."""

    @property
    def by_text(self) -> bool:
        return self.channel == "sms"

    @property
    def lang(self) -> str:
        return self.rt.languages.served(self.conv.language)

    _elder: Elder | None = field(default=None, repr=False)

    @property
    def elder(self) -> Elder | None:
        """Who is speaking, once known. Kept here: the session's identity map holds objects
        only weakly, and prompts ask for the elder many times a turn."""
        if self.conv.elder_id is None:
            return None
        if self._elder is None or self._elder.id != self.conv.elder_id:
            self._elder = self.db.get(Elder, self.conv.elder_id)
        return self._elder

    @property
    def menu(self) -> tuple[MenuEntry, ...]:
        return self.rt.menu.get(self.db)

    @property
    def timezone(self) -> ZoneInfo:
        elder = self.elder
        return ZoneInfo(elder.timezone if elder else self.rt.config.organization.default_timezone)

    @property
    def local_now(self) -> datetime:
        return self.now.astimezone(self.timezone)

    @property
    def today(self) -> date:
        return self.local_now.date()

    def text(self, name: str, /, **values: Any) -> str:
        """The prompt `name` in the caller's language, worded for her channel."""
        elder = self.elder
        return self.rt.languages.render(self.lang, name, self.channel,
                                        **{"name": elder.name if elder else "", **values})

    def say(self, name: str, /, **values: Any) -> None:
        self.reply.lines.append(self.text(name, **values))

    def take_slots(self, *names: str) -> None:
        """Copy the named slots the caller just gave into the conversation's slots."""
        if self.understanding is None:
            return
        for name in names:
            if name in self.understanding.slots:
                self.slots[name] = self.understanding.slots[name]
