"""Conversations as the channels see them: find or open one by key, start, restart, answer
or end it. Only the dialog changes where a conversation stands (its state, flow, slots,
language, who is speaking, how often she was not understood); channels go through here.

A conversation is keyed `call:<CallSid>` or `sms:<phone>` and lives in the database, so a
restart or a second web process picks it up where it stood.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.db.models import ConversationSession
from assistant.dialog.context import Ctx
from assistant.dialog.engine import Engine
from assistant.dialog.flows import ENTRY, REGISTRY
from assistant.dialog.flows.menu import MAIN_MENU
from assistant.dialog.hints import step_grammar, step_hints
from assistant.dialog.model import Inbound, Reply
from assistant.nlu import understand
from assistant.runtime import Runtime

ENGINE = Engine(REGISTRY)


def find(session: Session, key: str) -> ConversationSession | None:
    return session.scalar(select(ConversationSession).where(ConversationSession.key == key))


def open_conversation(session: Session, key: str, channel: str) -> ConversationSession:
    conv = ConversationSession(key=key, channel=channel, slots={})
    session.add(conv)
    session.flush()
    return conv


def _ctx(rt: Runtime, session: Session, conv: ConversationSession, channel: str, caller: str,
         now: datetime, call_id: int | None, heard: str = "") -> Ctx:
    return Ctx(rt=rt, db=session, conv=conv, channel=channel, caller=caller, now=now,
               call_id=call_id, heard=heard)


def _done(conv: ConversationSession, reply: Reply, now: datetime) -> Reply:
    reply.at_menu = conv.state == MAIN_MENU and not conv.ended
    conv.updated_at = now
    return reply


def start(rt: Runtime, session: Session, conv: ConversationSession, *, kind: str, channel: str,
          caller: str, now: datetime, call_id: int | None = None, slots: dict[str, Any] | None = None,
          heard: str = "", elder_id: int | None = None, language: str = "") -> Reply:
    """Begin the conversation of `kind` (see flows.ENTRY): "hotline", "checkin", ...; with the
    elder and her language when the channel already knows them."""
    conv.slots = {**(conv.slots or {}), **(slots or {})}
    conv.ended = False
    if elder_id is not None:
        conv.elder_id = elder_id
    if language:
        conv.language = language
    reply = ENGINE.start(_ctx(rt, session, conv, channel, caller, now, call_id, heard), ENTRY[kind])
    return _done(conv, reply, now)


def restart(rt: Runtime, session: Session, conv: ConversationSession, *, kind: str, channel: str,
            caller: str, now: datetime, slots: dict[str, Any] | None = None, heard: str = "",
            elder_id: int | None = None, language: str = "") -> Reply:
    """Start afresh: whatever the conversation held (state, slots, who was speaking, her
    language, misunderstandings) is forgotten first."""
    conv.state, conv.flow, conv.slots, conv.misunderstandings = "", "", {}, 0
    conv.elder_id, conv.language = None, ""
    return start(rt, session, conv, kind=kind, channel=channel, caller=caller, now=now, slots=slots,
                 heard=heard, elder_id=elder_id, language=language)


def answer(rt: Runtime, session: Session, conv: ConversationSession, inbound: Inbound, *,
           channel: str, caller: str, now: datetime, call_id: int | None = None) -> Reply:
    return _done(conv, ENGINE.handle(_ctx(rt, session, conv, channel, caller, now, call_id), inbound), now)


def end(conv: ConversationSession) -> None:
    """The conversation is over (the number opted out): its next text starts a new one."""
    conv.ended = True


def waiting(conv: ConversationSession) -> bool:
    """A question is waiting for an answer."""
    return bool(conv.state) and not conv.ended


def asks_for_help(rt: Runtime, session: Session, text: str, lang: str) -> bool:
    """`text` is a call for help, as the dialog would take it at any step."""
    return understand(text, rt.languages.served(lang), directory=rt.names.get(session),
                      data=rt.languages.intents).intent == "help"


def expected_speech(rt: Runtime, session: Session, conv: ConversationSession) -> tuple[list[str], list[str]]:
    """What the current question expects, for the speech recognizer: (hints, grammar)."""
    if not conv.state:
        return [], []
    state = REGISTRY[conv.state]
    ctx = _ctx(rt, session, conv, conv.channel, "", rt.clock.now(), None)
    choices = state.choices(ctx) if state.choices else []
    intents = ENGINE.intents_heard_at(state)
    data = rt.languages.intents
    return (step_hints(data, ctx.lang, intents, rt.names.get(session), choices),
            step_grammar(data, ctx.lang, intents, choices))
