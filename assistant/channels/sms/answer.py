"""What the hotline answers to one text, by who sent it and what it says.

In this order: START and STOP (any sender; an opted-out number is answered nothing else),
then a volunteer's or meal provider's command, then an elder's (or unknown number's)
conversation. CANCEL with nothing to cancel is an opt-out, as carriers read it. A call for
help from an opted-out number still opens a help request and alerts volunteers and
contacts, as any other would: only the reply to that number is withheld.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.channels.sms import commands, keywords, optout, text as sms_text, thread as sms_thread
from assistant.db.models import Elder, MealProvider, Volunteer
from assistant.dialog import conversations
from assistant.runtime import Runtime
from assistant.services.messaging import is_opted_out


@dataclass
class Answer:
    text: str
    """The reply to text back; "" for none."""
    elder_id: int | None = None
    intent: str | None = None
    confidence: float | None = None
    flagged: bool = False
    """For the volunteers' review: not understood, or texted from an opted-out number."""
    help_request_id: int | None = None


def sender_language(rt: Runtime, session: Session, phone: str, text: str) -> str:
    """The elder's or volunteer's language, else the language the text is written in."""
    for model in (Elder, Volunteer):
        lang = session.scalars(select(model.language).where(model.phone == phone).limit(1)).first()
        if lang:
            return rt.languages.served(lang)
    return rt.languages.detect(text) or rt.languages.default


def _say(rt: Runtime, lang: str, key: str) -> str:
    return rt.languages.render(lang, key, "sms")


def answer(rt: Runtime, session: Session, phone: str, text: str, now: datetime) -> Answer:
    keyword = keywords.find(text, rt.languages)
    command = keyword.name if keyword is not None and not keyword.rest else ""
    if command == "start":
        optout.opt_in(session, phone)
        return Answer(_say(rt, sender_language(rt, session, phone, text), "sms.started"))
    if is_opted_out(session, phone):
        if not _asks_for_help(rt, session, phone, text, keyword):
            return Answer("", flagged=command != "stop")
        current = sms_thread.thread(rt, session, phone, now)
        return replace(_conversation(rt, session, current, phone, text, now, keyword), text="", flagged=True)
    current = sms_thread.thread(rt, session, phone, now)
    pending = None
    if command == "cancel" and not current.live:
        pending = sms_thread.pending_order(session, phone)
    if command == "stop" or (command == "cancel" and not current.live and pending is None):
        optout.opt_out(session, phone, text.strip().upper())
        conversations.end(current.conv)
        return Answer(_say(rt, sender_language(rt, session, phone, text), "sms.stopped"))
    if not current.live:  # volunteers and providers never hold a conversation
        staff = commands.parse(text)
        volunteer = session.scalars(select(Volunteer).where(Volunteer.phone == phone,
                                                             Volunteer.active.is_(True))).first()
        if volunteer is not None:
            return Answer(commands.volunteer_reply(session, rt, volunteer, staff, now))
        provider = session.scalars(select(MealProvider).where(MealProvider.phone == phone)).first()
        if provider is not None:
            return Answer(commands.provider_reply(session, rt, provider, staff, now))
    return _conversation(rt, session, current, phone, text, now, keyword,
                         slots={"last_order": pending} if pending else None)


def _conversation(rt: Runtime, session: Session, current: sms_thread.Thread, phone: str, text: str,
                  now: datetime, keyword: keywords.Keyword | None,
                  slots: dict[str, object] | None = None) -> Answer:
    reply = sms_thread.converse(rt, session, current, phone, text, now, keyword, slots=slots)
    return Answer(sms_text.render(reply, rt.languages), elder_id=current.conv.elder_id, intent=reply.intent,
                  confidence=reply.confidence, flagged=not reply.understood,
                  help_request_id=reply.help_request_id)


def _asks_for_help(rt: Runtime, session: Session, phone: str, text: str,
                   keyword: keywords.Keyword | None) -> bool:
    """HELP, SOS, 救命, 帮助, or a sentence the dialog takes as a call for help."""
    if keyword is not None and keyword.name == "help":
        return True
    return conversations.asks_for_help(rt, session, text, sender_language(rt, session, phone, text))
