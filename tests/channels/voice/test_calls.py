"""A call as plain events, without Flask: what a media-stream worker thread does with a call
is what the webhooks do. Retried events get the same TwiML and change nothing."""
from __future__ import annotations

import threading
import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select

from assistant.channels.voice import calls
from assistant.channels.voice.calls import CallStarted, StepAnswered
from assistant.db.database import Database
from assistant.db.models import Call, ConversationSession, HelpRequest, Turn
from assistant.dialog.model import Inbound
from assistant.runtime import Runtime
from assistant.services.recordings import Heard
from tests.conftest import Words
from tests.demo import MARY, load_demo

HOTLINE = "+15550009999"


@pytest.fixture(autouse=True)
def demo(db: Database) -> None:
    load_demo(db)


def step_of(xml: str) -> int:
    """The step number the TwiML's action URL carries."""
    twiml = ET.fromstring(xml)
    action = next(element.attrib["action"] for element in twiml.iter() if "action" in element.attrib)
    return int(parse_qs(urlsplit(action).query)["s"][0])


def says(xml: str) -> str:
    return " ".join("".join(say.itertext()) for say in ET.fromstring(xml).iter("Say"))


def test_a_call_runs_on_events_alone_and_a_retry_changes_nothing(runtime: Runtime, db: Database,
                                                                 words: Words) -> None:
    started = CallStarted("CA" + "1" * 32, MARY, HOTLINE)
    greeting = calls.incoming(runtime, started)
    assert calls.incoming(runtime, started) == greeting
    step = step_of(greeting)
    pressed = StepAnswered(started.call_sid, step, digits="9")
    answer = calls.answer(runtime, pressed)
    assert calls.answer(runtime, pressed) == answer
    assert says(answer) == words("help.calling")
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(HelpRequest)) == 1
        assert session.scalar(select(func.count()).select_from(Call)) == 1


def test_a_turn_heard_elsewhere_is_taken_from_a_worker_thread(runtime: Runtime, db: Database) -> None:
    """A media-stream worker recognises speech itself and hands the dialog the words."""
    started = CallStarted("CA" + "2" * 32, MARY, HOTLINE)
    step = step_of(calls.incoming(runtime, started))
    now = calls.listening(runtime, started.call_sid)
    assert now is not None and now.step == step and now.lang == "en" and now.hints
    answers: list[str] = []
    heard = Heard(text="I would like lunch tomorrow", confidence=0.9, engine="stream")
    worker = threading.Thread(target=lambda: answers.append(calls.take_turn(
        runtime, started.call_sid, step, Inbound(text=heard.text, speech_confidence=heard.confidence), heard)))
    worker.start()
    worker.join()
    assert step_of(answers[0]) == step + 1
    with db.session() as session:
        assert session.scalar(select(ConversationSession.state)) == "order_meal.confirm"
        turn = session.scalar(select(Turn).where(Turn.position == 0))
        assert (turn.transcript, turn.engine) == ("I would like lunch tomorrow", "stream")


def test_an_event_for_an_unknown_task_or_request_is_refused(runtime: Runtime) -> None:
    with pytest.raises(calls.UnknownCall):
        calls.outbound(runtime, 999, CallStarted("CA" + "3" * 32, HOTLINE, MARY))
    with pytest.raises(calls.UnknownCall):
        calls.alert(runtime, 999, MARY)
