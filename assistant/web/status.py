"""Twilio status callbacks: `POST /status/call` and `POST /status/sms`, handed to the channels."""
from __future__ import annotations

from flask import Blueprint, Flask, request
from flask.typing import ResponseReturnValue

from assistant.channels.sms.status import MessageStatus, message_status
from assistant.channels.voice.status import CallStatus, call_status
from assistant.web import runtime
from assistant.web.twilio_request import required, twilio_webhook

bp = Blueprint("status", __name__, url_prefix="/status")


@bp.post("/call")
@twilio_webhook
def call() -> ResponseReturnValue:
    duration = request.form.get("CallDuration", "")
    call_status(runtime(), CallStatus(required("CallSid"), required("CallStatus"),
                                      answered_by=request.form.get("AnsweredBy"),
                                      duration_seconds=int(duration) if duration.isdigit() else None))
    return "", 204


@bp.post("/sms")
@twilio_webhook
def sms() -> ResponseReturnValue:
    message_status(runtime(), MessageStatus(required("MessageSid"), required("MessageStatus"),
                                            request.form.get("ErrorCode", "")))
    return "", 204


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
