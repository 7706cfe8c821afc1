"""A text to the hotline, handled whole: stored once, acted on, answered (TwiML `<Message>`).

Every text is stored once, under its MessageSid, with the reply it got. Twilio retries a
webhook it got no answer to: a retry finds the text already stored and gets the same reply
again, acting on nothing. Two copies arriving at once are settled by the unique MessageSid:
the text's row is written with the first change it causes (services flush before they text
or call anyone), so the second copy fails there, before any effect, and answers the stored
reply. Writing late also keeps SQLite's single write lock free while the text is understood.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError
from twilio.twiml.messaging_response import MessagingResponse

from assistant.channels.sms.answer import answer
from assistant.db.models import HelpKind, Severity, SmsMessage
from assistant.phones import mask
from assistant.runtime import Runtime
from assistant.services import help as help_service

log = logging.getLogger(__name__)

MAX_BODY = 1600
"""Twilio's longest message; anything longer is cut."""
REPLY_SID_SUFFIX = "/reply"
"""A TwiML reply has no SID of its own here: it is stored as `<inbound SID>/reply`."""
MAX_SID = 64 - len(REPLY_SID_SUFFIX)


@dataclass(frozen=True)
class TextReceived:
    message_sid: str
    phone: str
    """The sender, E.164."""
    hotline: str
    """The number texted."""
    body: str


def clean_body(raw: str) -> str:
    """The text without control characters (PostgreSQL refuses NUL), at most MAX_BODY long."""
    return "".join(ch for ch in raw[:MAX_BODY] if ch.isprintable() or ch in "\n ").strip()


def twiml(text: str) -> str:
    response = MessagingResponse()
    if text:
        response.message(text)
    return str(response)


def receive(rt: Runtime, event: TextReceived) -> str:
    """The TwiML answer to one text (a retried text gets the reply it got the first time)."""
    started = time.perf_counter()
    try:
        text = _handle(rt, event)
    except StaleDataError:
        log.info("SMS %s from %s crossed another text from that number; answering it again",
                 event.message_sid, mask(event.phone))
        text = _handle(rt, event)
    except IntegrityError:
        log.info("SMS %s from %s arrived twice at once; answering the stored reply",
                 event.message_sid, mask(event.phone))
        with rt.db.session() as session:
            text = _stored_reply(session, event.message_sid)
    except Exception:
        log.exception("SMS %s from %s could not be handled; kept for a volunteer",
                      event.message_sid, mask(event.phone))
        text = _keep_unhandled(rt, event)
    log.debug("SMS %s from %s answered in %.0f ms", event.message_sid, mask(event.phone),
              (time.perf_counter() - started) * 1000)
    return twiml(text)


def _stored_reply(session: Session, message_sid: str) -> str:
    """The reply given to the text `message_sid` ("" if it was answered with nothing)."""
    return session.scalars(select(SmsMessage.body).where(
        SmsMessage.message_sid == message_sid + REPLY_SID_SUFFIX)).first() or ""


def _handle(rt: Runtime, event: TextReceived) -> str:
    """Store the text, act on it, store the reply; return the reply's text."""
    body = clean_body(event.body)
    with rt.db.session() as session:
        if session.scalars(select(SmsMessage.id).where(SmsMessage.message_sid == event.message_sid,
                                                        SmsMessage.direction == "inbound")).first():
            return _stored_reply(session, event.message_sid)
        inbound = SmsMessage(message_sid=event.message_sid, direction="inbound", from_number=event.phone,
                             to_number=event.hotline, body=body, purpose="inbound", status="received")
        session.add(inbound)
        with session.no_autoflush:
            result = answer(rt, session, event.phone, body, rt.clock.now())
        inbound.elder_id, inbound.intent, inbound.confidence = result.elder_id, result.intent, result.confidence
        inbound.flagged, inbound.help_request_id = result.flagged, result.help_request_id
        if result.text:
            session.add(SmsMessage(message_sid=event.message_sid + REPLY_SID_SUFFIX, direction="outbound",
                                   from_number=event.hotline, to_number=event.phone, body=result.text,
                                   purpose="reply", status="sent", elder_id=result.elder_id,
                                   help_request_id=result.help_request_id))
        return result.text


def _keep_unhandled(rt: Runtime, event: TextReceived) -> str:
    """Handling the text failed and its transaction was rolled back: store it flagged, with a
    request for a volunteer to read it, and give the sender a safe reply."""
    body = clean_body(event.body)
    with rt.db.session() as session:
        if session.scalars(select(SmsMessage.id).where(SmsMessage.message_sid == event.message_sid)).first():
            return _stored_reply(session, event.message_sid)
        text = rt.languages.render(rt.languages.detect(body) or rt.languages.default, "fault.sms", "sms")
        request = help_service.open_request(session, elder=None, caller_phone=event.phone,
                                            kind=HelpKind.REQUEST, severity=Severity.NORMAL,
                                            summary=body, reason="unhandled_text")
        session.add_all([
            SmsMessage(message_sid=event.message_sid, direction="inbound", from_number=event.phone,
                       to_number=event.hotline, body=body, purpose="inbound", status="received",
                       flagged=True, help_request_id=request.id),
            SmsMessage(message_sid=event.message_sid + REPLY_SID_SUFFIX, direction="outbound",
                       from_number=event.hotline, to_number=event.phone, body=text, purpose="reply",
                       status="sent", help_request_id=request.id)])
    return text
