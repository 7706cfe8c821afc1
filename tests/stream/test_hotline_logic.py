"""The hotline's call logic as the stream server drives it (`HotlineLogic`), event by event in
this thread: which words answer the question asked, which are only kept, and when silence is
the question's. The call itself starts and takes keys through `channels.voice.calls`, as the
webhooks do."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from assistant.channels.voice import calls
from assistant.channels.voice.calls import CallStarted, StepAnswered
from assistant.db.database import Database
from assistant.db.models import Call, ConversationSession, HelpRequest, Turn
from assistant.runtime import Runtime
from assistant.stream.hotline_logic import HotlineLogic
from assistant.stream.logic import Listen, StreamCall, Utterance
from tests.conftest import Words
from tests.demo import MARY, load_demo

pytestmark = pytest.mark.speech("whisper")
SID = "CA" + "5" * 32


@pytest.fixture(autouse=True)
def demo(db: Database) -> None:
    load_demo(db)


@pytest.fixture
def logic(runtime: Runtime) -> HotlineLogic:
    return HotlineLogic(runtime)


def stream_call(logic: HotlineLogic, runtime: Runtime) -> StreamCall:
    """Mary's call to the hotline, greeted by webhook; its stream has started."""
    calls.incoming(runtime, CallStarted(SID, MARY, "+15550009999"))
    call = StreamCall(SID, "MZ1", "AC1", {"lang": "en"}, Listen(lang="en"))
    call.listen = logic.on_start(call)
    return call


def said(text: str, step: str, *, begun: datetime | None = None, help: bool = False) -> Utterance:
    return Utterance(number=1, text=text, confidence=0.9, engine="whisper", lang="en", step=step,
                     audio_path=f"recordings/{SID}/stream-1.wav", ended_by="complete", help=help,
                     started_ms=0, started_at=begun or datetime.now(timezone.utc), speech_ended_ms=0,
                     decided_ms=0, decided_after_seconds=0.7, recognised_after_seconds=0.7)


def says(xml: str | None) -> str:
    assert xml is not None, "the call was not moved on"
    return " ".join("".join(say.itertext()) for say in ET.fromstring(xml).iter("Say"))


def test_a_question_waits_for_speech_for_its_own_length_and_then_the_no_answer_time(
        logic: HotlineLogic, runtime: Runtime) -> None:
    call = stream_call(logic, runtime)
    assert call.listen.step == "1" and call.listen.hints
    no_answer = runtime.config.voice.stream.no_answer_seconds
    # The greeting and menu take some 15 s to say at the voice's rate.
    assert no_answer + 8 < call.listen.no_answer_seconds < no_answer + 40


def test_words_answer_the_question_and_the_next_one_is_listened_for(logic: HotlineLogic, runtime: Runtime,
                                                                     words: Words) -> None:
    call = stream_call(logic, runtime)
    answer = logic.on_utterance(call, said("I would like to order lunch", call.listen.step))
    assert says(answer.twiml).startswith(words("echo.heard", heard=words("meal.lunch").capitalize()))
    assert answer.listen is not None and answer.listen.step == "2"


def test_words_begun_before_a_keys_question_answer_nothing_and_are_kept(
        logic: HotlineLogic, runtime: Runtime, db: Database) -> None:
    """She pressed 2 (meals) while already saying something: the key's webhook moved the call
    on, and her words, begun before its question was asked, must not answer it."""
    call = stream_call(logic, runtime)
    begun = datetime.now(timezone.utc) - timedelta(seconds=2)
    calls.answer(runtime, StepAnswered(SID, 1, digits="2"))
    answer = logic.on_utterance(call, said("yes please", "1", begun=begun))
    assert answer.twiml is None and answer.listen is not None and answer.listen.step == "2"
    with db.session() as session:
        assert session.scalar(select(ConversationSession.step)) == 2
        keyed = session.scalar(select(Turn).where(Turn.position == 0))
        assert (keyed.digits, keyed.transcript, keyed.needs_review) == ("2", "yes please", True)
        assert session.scalar(select(Call.flagged))


def test_words_begun_after_a_keys_question_answer_it(logic: HotlineLogic, runtime: Runtime,
                                                      db: Database) -> None:
    call = stream_call(logic, runtime)
    calls.answer(runtime, StepAnswered(SID, 1, digits="2"))
    answer = logic.on_utterance(call, said("lunch", "1"))
    assert answer.twiml is not None
    with db.session() as session:
        assert session.scalar(select(Turn.transcript).where(Turn.position == 1)) == "lunch"


def test_help_begun_before_a_keys_question_still_acts(logic: HotlineLogic, runtime: Runtime,
                                                       db: Database, words: Words) -> None:
    call = stream_call(logic, runtime)
    begun = datetime.now(timezone.utc) - timedelta(seconds=2)
    calls.answer(runtime, StepAnswered(SID, 1, digits="2"))
    answer = logic.on_utterance(call, said("help", "1", begun=begun, help=True))
    assert says(answer.twiml) == words("help.calling")


def test_help_flagged_over_a_prompt_goes_to_help_whatever_the_whole_means(
        logic: HotlineLogic, runtime: Runtime, words: Words) -> None:
    call = stream_call(logic, runtime)
    answer = logic.on_utterance(call, said("my husband is on the floor lunch", call.listen.step, help=True))
    assert says(answer.twiml) == words("help.calling")


def test_words_said_while_she_is_put_through_join_the_help_request(
        logic: HotlineLogic, runtime: Runtime, db: Database) -> None:
    call = stream_call(logic, runtime)
    logic.on_utterance(call, said("help", call.listen.step, help=True))
    answer = logic.on_utterance(call, said("I fell in the kitchen", call.listen.step))
    assert answer.twiml is None
    with db.session() as session:
        assert session.scalar(select(HelpRequest.summary)) == "help I fell in the kitchen"


def test_silence_after_a_question_a_key_answered_meanwhile_waits_again(
        logic: HotlineLogic, runtime: Runtime, db: Database) -> None:
    call = stream_call(logic, runtime)
    calls.answer(runtime, StepAnswered(SID, 1, digits="2"))
    answer = logic.on_silence(call)
    assert answer.twiml is None and answer.listen is not None and answer.listen.step == "2"
    call.listen = answer.listen
    assert logic.on_silence(call).twiml is not None
    with db.session() as session:
        assert session.scalar(select(ConversationSession.step)) == 3
