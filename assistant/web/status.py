"""Twilio status callbacks: `POST /status/call` and `POST /status/sms`, handed to the channels.

Values are bounded here (a status is a short word, a duration a few digits), and the
outbox's `?ref=` (set on every call and SMS the hotline sends) is passed on so that the
callback can settle a send the outbox was unsure about.
"""
from __future__ import annotations

from flask import Blueprint, Flask, request
from flask.typing import ResponseReturnValue

from assistant.channels.sms.status import MessageStatus, message_status
from assistant.channels.voice.status import CallStatus, call_status
from assistant.web import runtime
from assistant.web.twilio_request import required, twilio_webhook

bp = Blueprint("status", __name__, url_prefix="/status")
STATUS_CHARS = 20


def _outbox_ref() -> str:
    """The `?ref=` the outbox sender put in the callback URL ("" for callbacks without one)."""
    ref = request.args.get("ref", "")
    return ref if len(ref) == 32 and ref.isalnum() else ""


@bp.post("/call")
@twilio_webhook
def call() -> ResponseReturnValue:
    duration = request.form.get("CallDuration", "")
    answered_by = request.form.get("AnsweredBy")
    call_status(runtime(), CallStatus(
        required("CallSid"), required("CallStatus", max_length=STATUS_CHARS),
        answered_by=answered_by[:STATUS_CHARS] if answered_by is not None else None,
        duration_seconds=int(duration) if duration.isdigit() and len(duration) < 9 else None,
        outbox_ref=_outbox_ref()))
    return "", 204


@bp.post("/sms")
@twilio_webhook
def sms() -> ResponseReturnValue:
    message_status(runtime(), MessageStatus(
        required("MessageSid"), required("MessageStatus", max_length=STATUS_CHARS),
        request.form.get("ErrorCode", "")[:10], outbox_ref=_outbox_ref()))
    return "", 204


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
