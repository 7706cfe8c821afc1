"""The voice hotline with real speech: espeak-ng voices over a telephone channel, recognised
by the out-of-the-box engine (Whisper tiny.en), understood, and answered."""
import pytest
from sqlalchemy import select

from assistant.db.database import Database
from assistant.db.models import Appointment, HelpRequest, Turn
from tests.conftest import Words
from tests.demo import MARY, SAM, load_demo
from tests.hotline import Hotline

pytestmark = pytest.mark.speech("whisper")


@pytest.fixture(autouse=True)
def demo(db: Database) -> None:
    load_demo(db)


def test_a_spoken_request_is_recorded_recognised_and_read_back(hotline: Hotline, db: Database,
                                                                words: Words) -> None:
    call = hotline.call(MARY)
    if hotline.stream_url:
        assert call.verb("Stream").attrib["url"] == "wss://hotline.example.org/voice/stream"
        assert call.verb("Gather").attrib["input"] == "dtmf" and call.verb("Record") is None
    else:
        assert call.verb("Record").attrib["finishOnKey"] == "0123456789*#"
    assert call.verb("Redirect").text.endswith("&silence=1")
    call.speak("I would like to see my doctor tomorrow morning please")
    assert call.says().startswith(f"Dr. Ana Lopez, {words('day.tomorrow')}")
    call.speak("yes that's right")
    assert call.says().startswith(words("book_doctor.done", "en", "voice"))
    with db.session() as session:
        assert session.scalar(select(Appointment.part_of_day)) == "morning"
        turn = session.scalar(select(Turn).where(Turn.position == 0))
        assert turn.prompt.startswith(words("menu.greeting", name="Mary Jones")) and turn.latency_ms is not None
        assert turn.intent == "book_doctor" and turn.engine == "whisper"
        assert "doctor" in turn.transcript.lower()
        kept = hotline.config.data_dir / turn.recording_path
        assert kept.read_bytes().startswith(b"RIFF") and kept.stat().st_mode & 0o077 == 0
    # Stored here; the carrier's copies are deleted, or (streaming) never made: audio does
    # not stay with a third party.
    assert hotline.carrier.recordings == {}
    assert len([r for r in hotline.carrier.requests if str(r["path"]).endswith(".json")
                and "/Recordings/" in str(r["path"])]) == (0 if hotline.stream_url else 2)


def test_help_said_in_the_middle_of_a_booking_dials_a_person_at_once(hotline: Hotline, db: Database,
                                                                    words: Words) -> None:
    call = hotline.call(MARY).press("1")
    call.speak("help me I have fallen and I can't get up", voice="en-us+f3")
    assert call.says() == words("help.calling", "en", "voice") and call.dialled() == SAM
    with db.session() as session:
        assert "fallen" in session.scalar(select(HelpRequest.summary)).lower()


def test_an_emergency_told_about_someone_else_dials_a_person_on_the_first_turn(
        hotline: Hotline, db: Database, words: Words) -> None:
    call = hotline.call(MARY)
    call.speak("my wife collapsed in the hallway and she isn't responding", voice="en-gb+m3")
    assert call.says() == words("help.calling", "en", "voice") and call.dialled() == SAM
    with db.session() as session:
        assert session.scalar(select(HelpRequest.kind)) == "emergency"


def test_a_noisy_recording_that_cannot_be_understood_is_kept_and_flagged(hotline: Hotline, db: Database,
                                                                        words: Words) -> None:
    call = hotline.call(MARY)
    call.speak("blue giraffes umbrella", noise_db=-20)
    assert call.says().startswith(words("sorry.retry"))
    with db.session() as session:
        turn = session.scalar(select(Turn).where(Turn.position == 0))
        assert turn.needs_review and turn.recording_path
