"""Voice webhooks: each request becomes one event for `channels.voice.calls`, whose TwiML is
the answer. Parsing and the signature check happen here; nothing else does."""
from __future__ import annotations

import logging

from flask import Blueprint, Flask, Response, abort, request
from werkzeug.exceptions import HTTPException

from assistant.channels.voice import calls
from assistant.channels.voice.calls import CallStarted, StepAnswered, UnknownCall
from assistant.web import runtime
from assistant.web.twilio_request import caller_number, required, twilio_webhook

log = logging.getLogger(__name__)
bp = Blueprint("voice", __name__)


def _twiml(xml: str) -> Response:
    return Response(xml, mimetype="text/xml")


def _started() -> CallStarted:
    return CallStarted(required("CallSid"), caller_number("From"), caller_number("To"),
                       answered_by=request.form.get("AnsweredBy", ""))


@bp.post(calls.INCOMING_PATH)
@twilio_webhook
def incoming() -> Response:
    """A call to the hotline number."""
    return _twiml(calls.incoming(runtime(), _started()))


@bp.post("/voice/outbound/<int:task_id>")
@twilio_webhook
def outbound(task_id: int) -> Response:
    """An outbound call placed by the scheduler has been answered."""
    try:
        return _twiml(calls.outbound(runtime(), task_id, _started()))
    except UnknownCall as exc:
        abort(404, str(exc))


@bp.post("/voice/alert/<int:request_id>")
@twilio_webhook
def alert(request_id: int) -> Response:
    """A call to a contact whose alert SMS could not be delivered."""
    try:
        return _twiml(calls.alert(runtime(), request_id, caller_number("To")))
    except UnknownCall as exc:
        abort(404, str(exc))


@bp.post(calls.STEP_PATH)
@twilio_webhook
def step() -> Response:
    """The caller answered (or stayed silent) at step `s` of her call."""
    call_sid = required("CallSid")
    expected_step = request.args.get("s", type=int)
    if expected_step is None:
        abort(400, "missing step")
    return _twiml(calls.answer(runtime(), StepAnswered(
        call_sid, expected_step, digits=request.form.get("Digits", ""),
        recording_url=request.form.get("RecordingUrl", ""), recording_sid=request.form.get("RecordingSid", ""),
        silence=bool(request.args.get("silence")), action=request.args.get("event", ""),
        dial_status=request.form.get("DialCallStatus", ""))))


@bp.errorhandler(Exception)
def unexpected(error: Exception) -> Response:
    """A fault mid-call: the caller is put through to a person, never left with an error."""
    if isinstance(error, HTTPException):
        return error  # type: ignore[return-value]
    log.exception("voice webhook failed on %s", request.path)
    return _twiml(calls.fault(runtime()))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
