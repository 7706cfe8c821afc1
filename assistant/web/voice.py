"""Voice webhooks: the hotline number, each step of a call, and answered outbound calls.

Every TwiML action URL carries the step it answers (`?s=N`). Twilio retries webhooks: a
request for a step already answered gets the same TwiML again and changes nothing, so a
retry never books twice or dials twice.
"""
from __future__ import annotations

import logging
import time

from flask import Blueprint, Flask, Response, abort, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import Session
from twilio.twiml.voice_response import VoiceResponse
from werkzeug.exceptions import HTTPException

from assistant import prompts
from assistant.channels import voice as voice_channel
from assistant.db.base import utcnow
from assistant.db.models import Call, ConversationSession, Elder, HelpRequest, OutboundTask, Turn
from assistant.dialog import conversations
from assistant.dialog.model import Inbound, Reply
from assistant.services.help import on_call_volunteers
from assistant.services.recordings import Heard, hear
from assistant.speech.engines import recognizer_for
from assistant.web import runtime
from assistant.web.twilio_request import caller_number, required, twilio_webhook

log = logging.getLogger(__name__)
bp = Blueprint("voice", __name__, url_prefix="/voice")
REVIEW_BELOW = 0.6
"""Turns understood with less confidence than this go to the volunteers' review queue."""
MACHINE = ("machine_start", "machine_end_beep", "machine_end_silence", "machine_end_other", "fax")


def _channel(conv: ConversationSession) -> str:
    """"voice" where a speech engine serves the caller's language, else "keypad"."""
    lang = conv.language or runtime().config.organization.default_language
    return "voice" if recognizer_for(runtime().config, lang) is not None else "keypad"


def _twiml(xml: str) -> Response:
    return Response(xml, mimetype="text/xml")


def _respond(session: Session, conv: ConversationSession, call: Call, reply: Reply,
             answered: Turn | None, started: float) -> Response:
    """Render the reply for the next step and remember it for retries. The call log gets a
    turn per question: what the assistant said, then (filled in at the next step) what the
    caller said or pressed, what it was understood as, and how long the answer took."""
    rt = runtime()
    conv.step += 1
    step_url = f"{rt.config.public_url}{url_for('voice.step')}?s={conv.step}"
    speech = recognizer_for(rt.config, reply.lang) is not None
    xml = voice_channel.render(reply, rt.config, step_url=step_url, speech=speech)
    conv.last_response = xml
    if answered is not None:
        answered.intent, answered.confidence = reply.intent, reply.confidence
        unsure = not reply.understood or (reply.confidence is not None and reply.confidence < REVIEW_BELOW)
        answered.needs_review = answered.needs_review or (
            unsure and bool(answered.transcript or answered.recording_path))
        answered.latency_ms = int((time.perf_counter() - started) * 1000)
        call.flagged = call.flagged or answered.needs_review
    if reply.ends:
        call.outcome = call.outcome or conv.state
    session.add(Turn(call_id=call.id, position=conv.step - 1, state=conv.state,
                     prompt=" ".join(voice_channel.spoken_lines(reply))))
    return _twiml(xml)


def _start_call(*, purpose: str, kind: str, elder_id: int | None = None,
                slots: dict[str, object] | None = None, direction: str = "inbound") -> Response:
    rt = runtime()
    call_sid = required("CallSid")
    caller = caller_number("To" if direction == "outbound" else "From")
    started = time.perf_counter()
    with rt.db.session() as session:
        existing = conversations.find(session, f"call:{call_sid}")
        if existing is not None:
            return _twiml(existing.last_response)
        call = session.scalar(select(Call).where(Call.call_sid == call_sid))
        if call is None:
            call = Call(call_sid=call_sid, direction=direction, purpose=purpose, elder_id=elder_id,
                        from_number=caller_number("From"), to_number=caller_number("To"))
            session.add(call)
            session.flush()
        call.status = "in-progress"
        conv = conversations.open_conversation(session, f"call:{call_sid}", "voice", elder_id=elder_id)
        languages = {e.language for e in session.scalars(select(Elder).where(
            Elder.id == elder_id if elder_id is not None else Elder.phone == caller))}
        if len(languages) == 1:
            conv.language = languages.pop()
        reply = conversations.start(rt, session, conv, kind=kind, channel=_channel(conv), caller=caller,
                                    now=utcnow(), call_id=call.id, slots=slots)
        call.elder_id, call.language = conv.elder_id, conv.language
        return _respond(session, conv, call, reply, None, started)


@bp.post("/incoming")
@twilio_webhook
def incoming() -> Response:
    """A call to the hotline number."""
    return _start_call(purpose="hotline", kind="hotline")


@bp.post("/outbound/<int:task_id>")
@twilio_webhook
def outbound(task_id: int) -> Response:
    """An outbound call placed by the scheduler has been answered."""
    rt = runtime()
    if request.form.get("AnsweredBy", "") in MACHINE:
        response = VoiceResponse()
        response.hangup()
        return _twiml(str(response))
    with rt.db.session() as session:
        task = session.get(OutboundTask, task_id)
        if task is None:
            abort(404, "no such outbound task")
        kind, elder_id = task.kind, task.elder_id
    return _start_call(purpose=kind, kind=kind, elder_id=elder_id, slots={"task_id": task_id},
                       direction="outbound")


@bp.post("/alert/<int:request_id>")
@twilio_webhook
def alert(request_id: int) -> Response:
    """A call to a contact whose alert SMS could not be delivered: say it, then hang up."""
    rt = runtime()
    with rt.db.session() as session:
        help_request = session.get(HelpRequest, request_id)
        if help_request is None:
            abort(404, "no such help request")
        lang = help_request.elder.language if help_request.elder else rt.config.organization.default_language
        text = prompts.render(lang, "alert.call", "voice", org=rt.config.organization.name,
                              elder=help_request.elder.name if help_request.elder else help_request.caller_phone,
                              said=help_request.summary[:200], emergency=rt.config.organization.emergency_number)
    reply = Reply(lines=[text, text], lang=lang)
    return _twiml(voice_channel.render(reply, rt.config, step_url="", speech=False))


def _inbound(conv: ConversationSession, call_sid: str, hints: list[str],
             grammar: list[str]) -> tuple[Inbound, Heard]:
    """What the caller did: an action's result, silence, keys, or words in a recording."""
    event = request.args.get("event", "")
    if event == "dial":
        answered = request.form.get("DialCallStatus", "") == "completed"
        return Inbound(event="dial_answered" if answered else "dial_failed"), Heard()
    rt = runtime()
    recording_url = request.form.get("RecordingUrl", "")
    heard = Heard()
    if recording_url:
        heard = hear(rt, recording_url, folder=call_sid, name=f"step-{conv.step}", lang=conv.language or
                     rt.config.organization.default_language, hints=hints, grammar=grammar)
    if event == "message":
        return Inbound(event="message_recorded", text=heard.text), heard
    digits = request.form.get("Digits", "").strip()
    if digits and digits != "hangup":
        return Inbound(digits=digits[:8]), heard
    if request.args.get("silence") or not (heard.text or heard.path):
        return Inbound(silence=True), heard
    if not heard.text:
        return Inbound(text="", speech_confidence=0.0), heard
    return Inbound(text=heard.text, speech_confidence=heard.confidence), heard


@bp.post("/step")
@twilio_webhook
def step() -> Response:
    """The caller answered (or stayed silent) at step `s` of her call."""
    rt = runtime()
    call_sid = required("CallSid")
    expected_step = request.args.get("s", type=int)
    if expected_step is None:
        abort(400, "missing step")
    started = time.perf_counter()
    with rt.db.session() as session:
        conv = conversations.find(session, f"call:{call_sid}")
        if conv is None:
            response = VoiceResponse()
            response.redirect(f"{rt.config.public_url}{url_for('voice.incoming')}")
            return _twiml(str(response))
        if expected_step != conv.step:
            return _twiml(conv.last_response)
        expected = conversations.expected_speech(rt, session, conv)
    inbound, heard = _inbound(conv, call_sid, *expected)
    with rt.db.session() as session:
        conv = conversations.find(session, f"call:{call_sid}")
        if expected_step != conv.step:
            return _twiml(conv.last_response)
        call = session.scalar(select(Call).where(Call.call_sid == call_sid))
        reply = conversations.answer(rt, session, conv, inbound, channel=_channel(conv),
                                     caller=call.from_number if call.direction == "inbound" else call.to_number,
                                     now=utcnow(), call_id=call.id)
        call.elder_id, call.language = conv.elder_id, conv.language
        answered = session.scalars(select(Turn).where(Turn.call_id == call.id)
                                   .order_by(Turn.position.desc()).limit(1)).first()
        if answered is not None:
            answered.transcript, answered.digits, answered.engine = heard.text, inbound.digits, heard.engine
            answered.recording_path = heard.path
            answered.recording_sid = request.form.get("RecordingSid", "")[:64]
            answered.needs_review = bool(heard.problem) or (
                bool(heard.path) and not heard.text and not inbound.digits)
        return _respond(session, conv, call, reply, answered, started)


@bp.errorhandler(Exception)
def unexpected(error: Exception) -> Response:
    """A fault mid-call must not leave an elder with Twilio's "application error": apologise
    and put her through to the first on-call volunteer (or give the emergency number)."""
    if isinstance(error, HTTPException):
        return error  # type: ignore[return-value]
    log.exception("voice webhook failed on %s", request.path)
    rt = runtime()
    lang = rt.config.organization.default_language
    org = rt.config.organization
    response = VoiceResponse()
    try:
        with rt.db.session() as session:
            volunteers = on_call_volunteers(session)
            number = volunteers[0].phone if volunteers else ""
    except Exception:  # noqa: BLE001 - the database itself may be what failed
        number = ""
    spoken = rt.config.voice.languages[lang]
    response.say(prompts.render(lang, "fault.connecting" if number else "fault.emergency", "voice",
                                org=org.name, emergency=org.emergency_number),
                 voice=spoken.voice, language=spoken.language)
    if number:
        response.dial(caller_id=rt.config.twilio.from_number or None).number(number)
    return _twiml(str(response))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
