"""Conversations as the channels see them: find or open one by key, start it, answer it.

A conversation is keyed `call:<CallSid>` or `sms:<phone>` and lives in the database, so a
restart or a second web process picks it up where it stood.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.db.models import ConversationSession
from assistant.dialog.context import Ctx
from assistant.dialog.engine import Engine
from assistant.dialog.flows import ENTRY, REGISTRY
from assistant.dialog.hints import step_grammar, step_hints
from assistant.dialog.model import Inbound, Reply
from assistant.runtime import Runtime

ENGINE = Engine(REGISTRY)


def find(session: Session, key: str) -> ConversationSession | None:
    return session.scalar(select(ConversationSession).where(ConversationSession.key == key))


def open_conversation(session: Session, key: str, channel: str, *, elder_id: int | None = None,
                      language: str = "") -> ConversationSession:
    conv = ConversationSession(key=key, channel=channel, elder_id=elder_id, language=language,
                               slots={})
    session.add(conv)
    session.flush()
    return conv


def _ctx(rt: Runtime, session: Session, conv: ConversationSession, channel: str, caller: str,
         now: datetime, call_id: int | None, heard: str = "") -> Ctx:
    return Ctx(rt=rt, db=session, conv=conv, channel=channel, caller=caller, now=now,
               call_id=call_id, heard=heard)


def start(rt: Runtime, session: Session, conv: ConversationSession, *, kind: str, channel: str,
          caller: str, now: datetime, call_id: int | None = None, slots: dict[str, Any] | None = None,
          heard: str = "") -> Reply:
    """Begin the conversation of `kind` (see flows.ENTRY): "hotline", "checkin", ..."""
    conv.slots = {**(conv.slots or {}), **(slots or {})}
    conv.ended = False
    return ENGINE.start(_ctx(rt, session, conv, channel, caller, now, call_id, heard), ENTRY[kind])


def answer(rt: Runtime, session: Session, conv: ConversationSession, inbound: Inbound, *,
           channel: str, caller: str, now: datetime, call_id: int | None = None) -> Reply:
    return ENGINE.handle(_ctx(rt, session, conv, channel, caller, now, call_id), inbound)


def expected_speech(rt: Runtime, session: Session, conv: ConversationSession) -> tuple[list[str], list[str]]:
    """What the current question expects, for the speech recognizer: (hints, grammar)."""
    if not conv.state:
        return [], []
    state = REGISTRY[conv.state]
    ctx = _ctx(rt, session, conv, conv.channel, "", datetime.now(timezone.utc), None)
    choices = state.choices(ctx) if state.choices else []
    intents = ENGINE.intents_heard_at(state)
    return (step_hints(ctx.lang, intents, rt.names.get(session), choices),
            step_grammar(ctx.lang, intents, choices))
