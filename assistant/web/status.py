"""Twilio status callbacks: `POST /status/call` and `POST /status/sms`.

A call's final status drives the scheduler's retry ladder; a hotline caller who hangs up before
the greeting is called back; an SMS that could not be delivered is flagged, and an alert to a
contact that failed is tried again as a call (once, however the statuses arrive). A callback
carrying the outbox's `?ref=` also settles an outbox row the sender was unsure about.
"""
from __future__ import annotations

import logging
from datetime import datetime

from flask import Blueprint, Flask, current_app, request
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.db.models import Call, SmsMessage
from assistant.phones import mask
from assistant.scheduler import callbacks, outcomes
from assistant.scheduler.clock import Clock, SystemClock
from assistant.services.messaging import place_call
from assistant.services.outbox import provisional_sid, settle_from_callback
from assistant.web import runtime
from assistant.web.twilio_request import required, twilio_webhook

log = logging.getLogger(__name__)

bp = Blueprint("status", __name__, url_prefix="/status")

FINAL_CALL_STATUSES = ("completed", "busy", "no-answer", "failed", "canceled")
FAILED_SMS_STATUSES = ("failed", "undelivered")
CLOCK_EXTENSION = "clock"
"""`app.extensions[CLOCK_EXTENSION]`: the clock retries are timed by (tests set a manual one)."""


def _clock() -> Clock:
    return current_app.extensions.get(CLOCK_EXTENSION) or SystemClock()


def call_outcome(status: str, answered_by: str) -> str:
    """"answered", "machine" (an answering machine or fax), or Twilio's status for unanswered calls."""
    if status != "completed":
        return status
    return "machine" if answered_by.startswith("machine") or answered_by == "fax" else "answered"


def _outbox_ref() -> str:
    """The `?ref=` the outbox sender put in the callback URL ("" for callbacks without one)."""
    ref = request.args.get("ref", "")
    return ref if len(ref) == 32 and ref.isalnum() else ""


def _settle(session: Session, sid: str, now: datetime) -> list[str]:
    """Record the outbox row sent if the sender could not (a timeout, a crash); the SIDs the
    message or call may be stored under."""
    ref = _outbox_ref()
    if not ref:
        return [sid]
    settle_from_callback(session, ref, sid, now)
    return [sid, provisional_sid(ref)]


@bp.post("/call")
@twilio_webhook
def call_status() -> ResponseReturnValue:
    sid = required("CallSid")
    status = required("CallStatus", max_length=20)
    rt = runtime()
    now = _clock().now()
    with rt.db.session() as session:
        sids = _settle(session, sid, now)
        call = session.scalars(select(Call).where(Call.call_sid.in_(sids))).first()
        if call is None:
            log.info("status %s for an unknown call %s", status, sid)
            return "", 204
        call.status = status
        call.answered_by = request.form.get("AnsweredBy", call.answered_by)[:20]
        duration = request.form.get("CallDuration", "")
        if duration.isdigit() and len(duration) < 9:
            call.duration_seconds = int(duration)
        if status in FINAL_CALL_STATUSES:
            outcome = call_outcome(status, call.answered_by)
            call.ended_at = call.ended_at or now
            call.outcome = call.outcome or outcome
            if call.direction == "outbound":
                outcomes.on_call_ended(session, rt, call, outcome, now)
            else:
                callbacks.after_inbound_call(session, rt.config, call, now)
    return "", 204


@bp.post("/sms")
@twilio_webhook
def sms_status() -> ResponseReturnValue:
    sid = required("MessageSid")
    status = required("MessageStatus", max_length=20)
    rt = runtime()
    with rt.db.session() as session:
        sids = _settle(session, sid, _clock().now())
        message = session.scalars(select(SmsMessage).where(SmsMessage.message_sid.in_(sids))).first()
        if message is None:
            log.info("status %s for an unknown message %s", status, sid)
            return "", 204
        first_failure = status in FAILED_SMS_STATUSES and not message.flagged
        message.status = status
        if first_failure:
            message.flagged = True
            log.warning("SMS %s to %s (%s) %s, error %s", sid, mask(message.to_number), message.purpose,
                        status, request.form.get("ErrorCode", "-")[:10])
            if message.purpose == "alert_contact" and message.help_request_id is not None:
                place_call(session, rt, message.to_number, f"/voice/alert/{message.help_request_id}",
                           purpose="alert", elder_id=message.elder_id)
    return "", 204


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
