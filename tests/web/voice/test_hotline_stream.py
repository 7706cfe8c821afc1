"""The hotline heard over a media stream (`voice.listen: stream`): the rules only streaming
has. Whisper hears espeak-ng voices over a telephone channel; the stream server is the one
`assistant serve` runs; the carrier is a local Twilio-compatible server."""
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from assistant.db.database import Database
from assistant.db.models import Turn
from tests.conftest import Words
from tests.demo import MARY, SAM, load_demo
from tests.hotline import Hotline

pytestmark = pytest.mark.speech("whisper")


@pytest.fixture
def voice_listen() -> str:
    return "stream"


@pytest.fixture
def database_url(tmp_path: Path, sqlite_template: Path) -> str:
    """SQLite only: the listening mode's rules do not depend on the database."""
    shutil.copyfile(sqlite_template, tmp_path / "assistant.db")
    return f"sqlite:///{tmp_path / 'assistant.db'}"


@pytest.fixture(autouse=True)
def demo(db: Database) -> None:
    load_demo(db)


def verbs(call) -> list[str]:  # type: ignore[no-untyped-def]
    return [element.tag for element in call.twiml.iter() if element.tag != "Response"]


def test_the_whole_call_is_streamed_and_keys_still_come_by_gather(hotline: Hotline) -> None:
    call = hotline.call(MARY)
    stream = call.verb("Stream")
    assert stream.attrib["url"] == hotline.config.stream_url and stream.attrib["name"] == "hotline"
    gather = call.verb("Gather")
    assert gather.attrib["input"] == "dtmf" and gather.attrib["numDigits"] == "1"
    assert {e.tag for e in gather} == {"Say", "Pause"} and gather[-1].tag == "Pause"
    assert int(gather[-1].attrib["length"]) >= 30
    assert call.press("2").verb("Start") is None  # one stream for the call: opened once


def test_a_spoken_answer_is_said_back_before_the_next_question(hotline: Hotline, words: Words) -> None:
    call = hotline.call(MARY).speak("I would like to order lunch")
    assert call.says().startswith(words("echo.heard", heard=words("meal.lunch").capitalize()) + " ")
    assert call.updates == 1


def test_saying_nothing_after_a_question_is_taken_as_no_answer(hotline: Hotline, db: Database,
                                                              words: Words) -> None:
    call = hotline.call(MARY).silence()
    assert call.updates == 1 and call.says().startswith(words("sorry.silence"))
    with db.session() as session:
        assert session.scalar(select(Turn.transcript).where(Turn.position == 0)) == ""


def test_help_over_the_greeting_stops_the_stream_before_dialling(hotline: Hotline, words: Words) -> None:
    call = hotline.call(MARY).speak("help")
    assert call.says() == words("help.calling") and call.dialled() == SAM
    assert verbs(call)[:4] == ["Say", "prosody", "Stop", "Stream"] and "Dial" in verbs(call)
    assert not call.line.is_open


def test_after_a_dial_the_call_is_streamed_again(hotline: Hotline, words: Words) -> None:
    call = hotline.call(MARY).press("0")
    assert call.dialled() and not call.line.is_open
    call.dial_result("no-answer")
    assert call.line.is_open and call.verb("Start") is not None
