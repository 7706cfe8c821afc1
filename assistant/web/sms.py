"""SMS webhook: `POST /sms/incoming`, answered with TwiML `<Message>` (or nothing).

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

from flask import Blueprint, Flask, Response, abort, request
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError
from twilio.twiml.messaging_response import MessagingResponse

from assistant import prompts
from assistant.db.base import utcnow
from assistant.db.models import SmsMessage
from assistant.phones import mask
from assistant.services import help as help_service
from assistant.web import runtime
from assistant.web.sms_answer import answer
from assistant.web.twilio_request import caller_number, required, twilio_webhook

log = logging.getLogger(__name__)

bp = Blueprint("sms", __name__, url_prefix="/sms")
MAX_BODY = 1600
"""Twilio's longest message; anything longer is cut."""
REPLY_SID_SUFFIX = "/reply"
"""A TwiML reply has no SID of its own here: it is stored as `<inbound SID>/reply`."""
MAX_SID = 64 - len(REPLY_SID_SUFFIX)


def clean_body(raw: str) -> str:
    """The text without control characters (PostgreSQL refuses NUL), at most MAX_BODY long."""
    return "".join(ch for ch in raw[:MAX_BODY] if ch.isprintable() or ch in "\n ").strip()


def twiml(text: str) -> Response:
    response = MessagingResponse()
    if text:
        response.message(text)
    return Response(str(response), mimetype="text/xml")


def stored_reply(session: Session, message_sid: str) -> str:
    """The reply given to the text `message_sid` ("" if it was answered with nothing)."""
    return session.scalars(select(SmsMessage.body).where(
        SmsMessage.message_sid == message_sid + REPLY_SID_SUFFIX)).first() or ""


def handle(message_sid: str, phone: str, hotline: str, body: str) -> str:
    """Store the text, act on it, store the reply; return the reply's text."""
    rt = runtime()
    with rt.db.session() as session:
        if session.scalars(select(SmsMessage.id).where(SmsMessage.message_sid == message_sid,
                                                        SmsMessage.direction == "inbound")).first():
            return stored_reply(session, message_sid)
        inbound = SmsMessage(message_sid=message_sid, direction="inbound", from_number=phone,
                             to_number=hotline, body=body, purpose="inbound", status="received")
        session.add(inbound)
        with session.no_autoflush:
            result = answer(rt, session, phone, body, utcnow())
        inbound.elder_id, inbound.intent, inbound.confidence = result.elder_id, result.intent, result.confidence
        inbound.flagged, inbound.help_request_id = result.flagged, result.help_request_id
        if result.text:
            session.add(SmsMessage(message_sid=message_sid + REPLY_SID_SUFFIX, direction="outbound",
                                   from_number=hotline, to_number=phone, body=result.text, purpose="reply",
                                   status="sent", elder_id=result.elder_id,
                                   help_request_id=result.help_request_id))
        return result.text


def keep_unhandled(message_sid: str, phone: str, hotline: str, body: str) -> str:
    """Handling the text failed and its transaction was rolled back: store it flagged, with a
    request for a volunteer to read it, and give the sender a safe reply."""
    rt = runtime()
    org = rt.config.organization
    text = prompts.render(org.default_language, "fault.sms", "sms", emergency=org.emergency_number)
    with rt.db.session() as session:
        if session.scalars(select(SmsMessage.id).where(SmsMessage.message_sid == message_sid)).first():
            return stored_reply(session, message_sid)
        request = help_service.open_request(session, elder=None, caller_phone=phone, kind="request",
                                            severity="normal", summary=body or "(empty text)")
        session.add_all([
            SmsMessage(message_sid=message_sid, direction="inbound", from_number=phone, to_number=hotline,
                       body=body, purpose="inbound", status="received", flagged=True,
                       help_request_id=request.id),
            SmsMessage(message_sid=message_sid + REPLY_SID_SUFFIX, direction="outbound", from_number=hotline,
                       to_number=phone, body=text, purpose="reply", status="sent",
                       help_request_id=request.id)])
    return text


@bp.post("/incoming")
@twilio_webhook
def incoming() -> Response:
    """A text to the hotline number."""
    message_sid = required("MessageSid", max_length=MAX_SID)
    phone = caller_number("From")
    if not phone:
        abort(400, description="missing or malformed From")
    hotline = caller_number("To") or runtime().config.twilio.from_number
    body = clean_body(request.form.get("Body", ""))
    started = time.perf_counter()
    try:
        text = handle(message_sid, phone, hotline, body)
    except StaleDataError:
        log.info("SMS %s from %s crossed another text from that number; answering it again",
                 message_sid, mask(phone))
        text = handle(message_sid, phone, hotline, body)
    except IntegrityError:
        log.info("SMS %s from %s arrived twice at once; answering the stored reply", message_sid, mask(phone))
        with runtime().db.session() as session:
            text = stored_reply(session, message_sid)
    except Exception:
        log.exception("SMS %s from %s could not be handled; kept for a volunteer", message_sid, mask(phone))
        text = keep_unhandled(message_sid, phone, hotline, body)
    log.debug("SMS %s from %s answered in %.0f ms", message_sid, mask(phone),
              (time.perf_counter() - started) * 1000)
    return twiml(text)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
