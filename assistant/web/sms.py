"""SMS webhook: `POST /sms/incoming`, one text handed to `channels.sms.inbox`, whose TwiML
`<Message>` (or nothing) is the answer."""
from __future__ import annotations

from flask import Blueprint, Flask, Response, abort, request

from assistant.channels.sms.inbox import MAX_SID, TextReceived, receive
from assistant.web import runtime
from assistant.web.twilio_request import caller_number, required, twilio_webhook

bp = Blueprint("sms", __name__, url_prefix="/sms")


@bp.post("/incoming")
@twilio_webhook
def incoming() -> Response:
    """A text to the hotline number."""
    message_sid = required("MessageSid", max_length=MAX_SID)
    phone = caller_number("From")
    if not phone:
        abort(400, description="missing or malformed From")
    hotline = caller_number("To") or runtime().config.twilio.from_number
    xml = receive(runtime(), TextReceived(message_sid, phone, hotline, request.form.get("Body", "")))
    return Response(xml, mimetype="text/xml")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
