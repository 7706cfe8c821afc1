"""A phone call, one event at a time: it starts, the caller answers a step, an action ends.

Plain functions of an event returning TwiML as a string: no Flask, no request object, so a
webhook view and a media-stream worker thread run the same call logic. Every TwiML action URL
carries the step it answers (`?s=N`). Twilio retries webhooks: an event for a step already
answered gets the same TwiML again and changes nothing, so a retry never books or dials twice.
Recordings are fetched and recognised between two transactions, never inside one.
"""
from __future__ import annotations

import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.channels.voice import twiml
from assistant.channels.voice.turns import log_answer, log_question
from assistant.db.models import Call, ConversationSession, Elder, HelpRequest, OutboundTask, Turn
from assistant.dialog import conversations
from assistant.dialog.model import Inbound, Reply
from assistant.runtime import Runtime
from assistant.services.help import add_to_summary, alert_call, on_call_volunteers
from assistant.services.recordings import Heard, hear
from assistant.speech.engines import recognizer_for

INCOMING_PATH = "/voice/incoming"
STEP_PATH = "/voice/step"
MACHINE = ("machine_start", "machine_end_beep", "machine_end_silence", "machine_end_other", "fax")
"""What Twilio's answering-machine detection reports for anything but a person."""


class UnknownCall(LookupError):
    """The event names an outbound task or help request that does not exist."""


@dataclass(frozen=True)
class CallStarted:
    call_sid: str
    from_number: str
    """E.164, or "" for a withheld number."""
    to_number: str
    answered_by: str = ""
    """Twilio's answering-machine detection result, for calls the hotline placed."""


@dataclass(frozen=True)
class StepAnswered:
    """What happened at step `step` of call `call_sid`."""

    call_sid: str
    step: int
    digits: str = ""
    recording_url: str = ""
    recording_sid: str = ""
    silence: bool = False
    """Nothing was said or pressed before the timeout."""
    action: str = ""
    """"dial" or "message" when a `<Dial>` or a voice message ended."""
    dial_status: str = ""


def incoming(rt: Runtime, event: CallStarted) -> str:
    """A call to the hotline number."""
    return _start(rt, event, kind="hotline", direction="inbound")


def outbound(rt: Runtime, task_id: int, event: CallStarted) -> str:
    """A call the scheduler placed for task `task_id` was answered (by a person, or a machine:
    then it hangs up and the task's ladder goes on)."""
    if event.answered_by in MACHINE:
        return twiml.hang_up()
    with rt.db.session() as session:
        task = session.get(OutboundTask, task_id)
        if task is None:
            raise UnknownCall(f"no outbound task {task_id}")
        kind, elder_id = task.kind, task.elder_id
    return _start(rt, event, kind=kind, direction="outbound", elder_id=elder_id, slots={"task_id": task_id})


def alert(rt: Runtime, request_id: int, to: str) -> str:
    """A call to a contact whose alert SMS could not be delivered: say it twice, then hang up."""
    with rt.db.session() as session:
        request = session.get(HelpRequest, request_id)
        if request is None:
            raise UnknownCall(f"no help request {request_id}")
        text, lang = alert_call(session, rt, request, to)
    return twiml.render(Reply(lines=[text, text], lang=lang), rt.languages, rt.config, step_url="", speech=False)


def answer(rt: Runtime, event: StepAnswered) -> str:
    """The caller answered (or stayed silent at, or an action ended) step `event.step`."""
    started = time.perf_counter()
    with rt.db.session() as session:
        conv = conversations.find(session, f"call:{event.call_sid}")
        if conv is None:
            return twiml.redirect(f"{rt.config.public_url}{INCOMING_PATH}")
        if event.step != conv.step:
            return conv.last_response
        hints, grammar = conversations.expected_speech(rt, session, conv)
        lang = rt.languages.served(conv.language)
    heard = Heard()
    if event.recording_url and event.action != "dial":
        heard = hear(rt, event.recording_url, folder=event.call_sid, name=f"step-{event.step}", lang=lang,
                     hints=hints, grammar=grammar)
    return take_turn(rt, event.call_sid, event.step, _inbound(event, heard), heard,
                     recording_sid=event.recording_sid, started=started, open_stream=bool(event.action))


def take_turn(rt: Runtime, call_sid: str, step: int, inbound: Inbound, heard: Heard = Heard(), *,
              recording_sid: str = "", started: float | None = None, open_stream: bool = False) -> str:
    """The dialog's answer to one turn of a call (keys, words heard by whichever recognizer,
    silence, an action's result) as TwiML, with the turn logged. A turn for a step already
    answered gets that step's TwiML again. `open_stream`: the call comes back from a dial or
    a voice message, whose media stream was stopped."""
    started = time.perf_counter() if started is None else started
    with rt.db.session() as session:
        conv = conversations.find(session, f"call:{call_sid}")
        if conv is None:
            return twiml.redirect(f"{rt.config.public_url}{INCOMING_PATH}")
        if step != conv.step:
            return conv.last_response
        call = session.scalar(select(Call).where(Call.call_sid == call_sid))
        reply = conversations.answer(rt, session, conv, inbound, channel=_channel(rt, conv),
                                     caller=call.from_number if call.direction == "inbound" else call.to_number,
                                     now=rt.clock.now(), call_id=call.id)
        call.elder_id, call.language = conv.elder_id, conv.language
        answered = log_answer(session, call, inbound, heard, recording_sid)
        return _respond(rt, session, conv, call, reply, answered, started, open_stream=open_stream)


@dataclass(frozen=True)
class Listening:
    """Where a live call stands, for the media stream hearing it."""

    step: int
    """The step an answer now answers (`StepAnswered.step`)."""
    lang: str
    hints: list[str]
    grammar: list[str]
    asked_at: datetime | None
    """When the current question was asked (None: no question yet)."""
    waits_for_speech: bool
    """A spoken answer is awaited (not a dial, a voice message, a keypad-only step, the end)."""
    question_seconds: float
    """About how long the current question takes to say (`twiml.spoken_seconds`)."""


def listening(rt: Runtime, call_sid: str) -> Listening | None:
    """What call `call_sid` now waits for; None when it has no conversation or has ended."""
    with rt.db.session() as session:
        conv = conversations.find(session, f"call:{call_sid}")
        if conv is None or conv.ended:
            return None
        hints, grammar = conversations.expected_speech(rt, session, conv)
        asked_at = session.scalar(select(Turn.created_at).join(Call).where(Call.call_sid == call_sid)
                                  .order_by(Turn.position.desc()).limit(1))
        asked = ET.fromstring(conv.last_response) if conv.last_response else None
        waits = asked is not None and twiml.waits_for_speech(asked)
        return Listening(step=conv.step, lang=rt.languages.served(conv.language), hints=hints, grammar=grammar,
                         asked_at=asked_at, waits_for_speech=waits,
                         question_seconds=twiml.spoken_seconds(asked, rt.config) if asked is not None and waits
                         else 0.0)


def keep_words(rt: Runtime, call_sid: str, heard: Heard, *, earlier_question: bool) -> None:
    """Words that answer nothing (said while she is being put through, or to a question a key
    answered meanwhile: `earlier_question`) are kept with the turn they were said at, flagged
    for a volunteer; while a help request this call opened is handled, its summary gets them."""
    with rt.db.session() as session:
        call = session.scalar(select(Call).where(Call.call_sid == call_sid))
        if call is None:
            return
        turn = session.scalars(select(Turn).where(Turn.call_id == call.id).order_by(Turn.position.desc())
                               .offset(1 if earlier_question else 0).limit(1)).first()
        if turn is not None:
            turn.transcript = " ".join(filter(None, (turn.transcript, heard.text)))
            if not turn.recording_path:
                turn.recording_path, turn.engine = heard.path, heard.engine
            turn.needs_review = call.flagged = True
        conv = conversations.find(session, f"call:{call_sid}")
        request_id = (conv.slots or {}).get("help_request_id") if conv is not None else None
        if request_id is not None and heard.text and not earlier_question:
            add_to_summary(session, request_id, heard.text)


def fault(rt: Runtime) -> str:
    """A fault mid-call must not leave an elder with Twilio's "application error": apologise
    and put her through to the first on-call volunteer (or give the emergency number)."""
    try:
        with rt.db.session() as session:
            volunteers = on_call_volunteers(session)
            number = volunteers[0].phone if volunteers else ""
    except Exception:  # noqa: BLE001 - the database itself may be what failed
        number = ""
    lang = rt.languages.default
    text = rt.languages.render(lang, "fault.connecting" if number else "fault.emergency")
    return twiml.say_and_dial(rt.languages, rt.config, lang, text, number)


def _start(rt: Runtime, event: CallStarted, *, kind: str, direction: str, elder_id: int | None = None,
           slots: dict[str, object] | None = None) -> str:
    caller = event.to_number if direction == "outbound" else event.from_number
    started = time.perf_counter()
    with rt.db.session() as session:
        existing = conversations.find(session, f"call:{event.call_sid}")
        if existing is not None:
            return existing.last_response
        call = session.scalar(select(Call).where(Call.call_sid == event.call_sid))
        if call is None:
            call = Call(call_sid=event.call_sid, direction=direction, purpose=kind, elder_id=elder_id,
                        from_number=event.from_number, to_number=event.to_number)
            session.add(call)
            session.flush()
        call.status = "in-progress"
        conv = conversations.open_conversation(session, f"call:{event.call_sid}", "voice")
        language = _callers_language(session, caller, elder_id)
        reply = conversations.start(rt, session, conv, kind=kind, channel=_channel(rt, conv, language),
                                    caller=caller, now=rt.clock.now(), call_id=call.id, slots=slots,
                                    elder_id=elder_id, language=language)
        call.elder_id, call.language = conv.elder_id, conv.language
        return _respond(rt, session, conv, call, reply, None, started, open_stream=True)


def _callers_language(session: Session, caller: str, elder_id: int | None) -> str:
    """The language of the elder called, or of everyone on the calling phone if they share
    one; "" when it is not known before she says who she is."""
    languages = set(session.scalars(select(Elder.language).where(
        Elder.id == elder_id if elder_id is not None else Elder.phone == caller)))
    return languages.pop() if len(languages) == 1 else ""


def _channel(rt: Runtime, conv: ConversationSession, language: str = "") -> str:
    """"voice" where a speech engine serves the caller's language, else "keypad"."""
    lang = rt.languages.served(language or conv.language)
    return "voice" if recognizer_for(rt.config, lang) is not None else "keypad"


def _inbound(event: StepAnswered, heard: Heard) -> Inbound:
    """What the caller did: an action's result, silence, keys, or words in a recording."""
    if event.action == "dial":
        return Inbound(event="dial_answered" if event.dial_status == "completed" else "dial_failed")
    if event.action == "message":
        return Inbound(event="message_recorded", text=heard.text)
    digits = event.digits.strip()
    if digits and digits != "hangup":
        return Inbound(digits=digits[:8])
    if event.silence or not (heard.text or heard.path):
        return Inbound(silence=True)
    if not heard.text:
        return Inbound(text="", speech_confidence=0.0)
    return Inbound(text=heard.text, speech_confidence=heard.confidence)


def _respond(rt: Runtime, session: Session, conv: ConversationSession, call: Call, reply: Reply,
             answered: Turn | None, started: float, *, open_stream: bool = False) -> str:
    """Render the reply for the next step, remember it for retries, and log the question."""
    conv.step += 1
    step_url = f"{rt.config.public_url}{STEP_PATH}?s={conv.step}"
    speech = recognizer_for(rt.config, reply.lang) is not None
    xml = twiml.render(reply, rt.languages, rt.config, step_url=step_url, speech=speech, open_stream=open_stream)
    conv.last_response = xml
    log_question(session, call, conv.step - 1, conv.state, reply, answered,
                 [text for text, _ in twiml.spoken_lines(reply, rt.languages)], started)
    if reply.ends:
        call.outcome = call.outcome or conv.state
    return xml
