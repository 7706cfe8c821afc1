"""An elder's SMS thread: one conversation per phone number (`sms:<E.164>`), held by the same
dialog flows as a call, turn by turn, one text at a time.

A text that starts a conversation is acted on at once: it is the first answer to the hotline's
main menu ("MEAL LUNCH TOMORROW" asks no more than it must), or to the check-in or medicine
reminder texted to the elder a little earlier (so "1" or TAKEN answers it). A keyword with a
sentence (`sms.said.*`) is read as that sentence; MENU starts again from the main menu. A
conversation idle longer than `sms.session_idle_minutes` is over: a bare number sent after
it answers nothing, and the elder is told so and shown the menu.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.channels.sms import keywords
from assistant.db.models import OPEN_ORDER_STATUSES, ORDER_MODELS, ConversationSession, Elder, OutboundTask
from assistant.dialog import conversations
from assistant.dialog.engine import GLOBAL_KEYS
from assistant.dialog.model import Inbound, Reply
from assistant.languages import Languages
from assistant.runtime import Runtime
from assistant.services.outbound import pending_sms_reminder
from assistant.services.tasks import REPLY_KINDS

START_ONLY = frozenset({"ok"})
"""Keywords read as their sentence only when they start a conversation: within one, a bare
OK answers the question asked ("yes"), not "I'm fine"."""


@dataclass(frozen=True)
class Thread:
    """Where a phone number's conversation stands when a text arrives."""

    conv: ConversationSession
    live: bool
    """A question is waiting for this text."""
    expired: bool
    """A question was waiting, but too long ago."""


def thread(rt: Runtime, session: Session, phone: str, now: datetime) -> Thread:
    conv = conversations.find(session, f"sms:{phone}")
    if conv is None:
        return Thread(conversations.open_conversation(session, f"sms:{phone}", "sms"), False, False)
    waiting = conversations.waiting(conv)
    fresh = conv.updated_at > now - timedelta(minutes=rt.config.sms.session_idle_minutes)
    return Thread(conv, waiting and fresh, waiting and not fresh)


def pending_order(session: Session, phone: str) -> dict[str, object] | None:
    """The newest order from this phone that is not done or cancelled, as `last_order` slots."""
    newest: tuple[datetime, dict[str, object]] | None = None
    for kind, model in ORDER_MODELS.items():
        order = session.scalars(select(model).outerjoin(Elder, Elder.id == model.elder_id)
                                .where((model.caller_phone == phone) | (Elder.phone == phone),
                                       model.status.in_(OPEN_ORDER_STATUSES))
                                .order_by(model.created_at.desc()).limit(1)).first()
        if order is not None and (newest is None or order.created_at > newest[0]):
            newest = (order.created_at, {"kind": kind, "id": order.id})
    return newest[1] if newest else None


def _inbound(languages: Languages, text: str, keyword: keywords.Keyword | None, lang: str, *,
             starting: bool) -> Inbound:
    """The text as the engine reads it: a bare number is a key, a keyword its sentence."""
    if text.strip().isdigit():
        return Inbound(digits=text.strip())
    if keyword is not None and (starting or keyword.name not in START_ONLY):
        sentence = keywords.said(languages, keyword.name, lang)
        if sentence:
            return Inbound(text=f"{sentence} {keyword.rest}".strip())
    return Inbound(text=text)


def converse(rt: Runtime, session: Session, current: Thread, phone: str, text: str, now: datetime,
             keyword: keywords.Keyword | None, slots: dict[str, object] | None = None) -> Reply:
    """The dialog's answer to one text from `phone` (an elder, or a number not yet known) in
    the `current` thread of that number."""
    conv = current.conv
    restart = partial(conversations.restart, rt, session, conv, channel="sms", caller=phone, now=now, heard=text)
    answer = partial(conversations.answer, rt, session, conv, channel="sms", caller=phone, now=now)
    read = partial(_inbound, rt.languages, text, keyword)
    menu = keyword is not None and keyword.name == "menu"
    if current.live and not menu:
        return answer(read(rt.languages.served(conv.language), starting=False))
    task = None if menu else _pending_task(session, phone, now)
    if task is not None:
        elder = session.get(Elder, task.elder_id)
        restart(kind=task.kind, slots={"task_id": task.id}, elder_id=task.elder_id, language=elder.language)
        return answer(read(elder.language, starting=True))
    opening = restart(kind="hotline", slots=slots)
    stale_key = current.expired and text.strip().isdigit() and text.strip()[:1] not in GLOBAL_KEYS
    if stale_key:
        opening.lines.insert(0, rt.languages.render(opening.lang, "sms.expired", "sms"))
    if menu or stale_key or not text.strip():
        return opening
    reply = answer(read(opening.lang, starting=True))
    if not reply.understood and reply.at_menu:
        return restart(kind="hotline", slots=slots)  # a first text that asks for nothing known: greet, show the menu
    return reply


def _pending_task(session: Session, phone: str, now: datetime) -> OutboundTask | None:
    """The check-in or medicine reminder texted to the elder on this phone that awaits a reply."""
    elders = session.scalars(select(Elder.id).where(Elder.phone == phone, Elder.active.is_(True))).all()
    if len(elders) != 1:
        return None
    return pending_sms_reminder(session, elders[0], now, kinds=REPLY_KINDS)
