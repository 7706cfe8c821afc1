"""Calls and messages: the filtered log, one call's timeline, and recordings played (audited)."""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from assistant.config import Config
from assistant.db.base import utcnow
from assistant.db.database import Database
from assistant.db.models import AuditLog, SmsMessage
from tests.web.dashboard.conftest import Dashboard, add_call, add_elder, add_help_request, turn_ids


def _seed(db: Database) -> tuple[int, int]:
    mary = add_elder(db)
    harold = add_elder(db, name="Harold Smith", phone="+15550123002")
    booking = add_call(db, mary, {"prompt": "How can I help?", "transcript": "I want to see doctor Lopez",
                                  "intent": "book_doctor", "confidence": 0.93})
    mumble = add_call(db, harold, {"prompt": "How can I help?", "transcript": "the thing with the",
                                   "confidence": 0.2, "needs_review": True}, outcome="no-match")
    with db.session() as session:
        session.add(SmsMessage(direction="inbound", elder_id=mary, from_number="+15550123001",
                               body="LUNCH please", intent="order_meal", confidence=1.0, status="received"))
        session.add(SmsMessage(direction="inbound", from_number="+15550123001", body="old message",
                               created_at=utcnow() - timedelta(days=30)))
    return booking, mumble


def test_the_log_shows_calls_and_messages_of_the_last_week_newest_first(volunteer_dashboard: Dashboard,
                                                                        db: Database) -> None:
    _seed(db)
    page = volunteer_dashboard.get("/log").get_data(as_text=True)
    assert page.index("LUNCH please") < page.index("I want to see doctor Lopez")
    assert "old message" not in page


def test_the_log_filters_by_channel_elder_intent_outcome_attention_and_words(
        volunteer_dashboard: Dashboard, db: Database) -> None:
    _seed(db)

    def shown(query: str) -> str:
        response = volunteer_dashboard.get(f"/log?{query}")
        assert response.status_code == 200
        return response.get_data(as_text=True)

    assert "LUNCH" not in shown("channel=call") and "Lopez" in shown("channel=call")
    assert "Lopez" not in shown("channel=sms") and "LUNCH" in shown("channel=sms")
    assert "the thing" in shown("who=harold") and "Lopez" not in shown("who=harold")
    assert "Lopez" in shown("intent=book_doctor") and "LUNCH" not in shown("intent=book_doctor")
    assert "the thing" in shown("outcome=no-match") and "Lopez" not in shown("outcome=no-match")
    assert "the thing" in shown("attention=y") and "Lopez" not in shown("attention=y")
    assert "Lopez" in shown("text=DOCTOR") and "the thing" not in shown("text=DOCTOR")
    assert "old message" in shown("date_from=2000-01-01&text=old")
    assert "Nothing matches" in shown("text=100%25_sure")


def test_a_bad_filter_value_is_explained_not_crashed_on(volunteer_dashboard: Dashboard) -> None:
    assert volunteer_dashboard.get("/log?date_from=yesterday").status_code == 400


def test_a_calls_timeline_shows_each_turn_and_what_came_of_it(volunteer_dashboard: Dashboard,
                                                             db: Database) -> None:
    call = add_call(db, add_elder(db), {"prompt": "How can I help?", "transcript": "help me I fell",
                                        "intent": "help", "confidence": 0.97},
                    {"prompt": "Press 1 to confirm", "digits": "1", "intent": "yes", "confidence": 1.0})
    add_help_request(db, None, call_id=call)
    page = volunteer_dashboard.get(f"/calls/{call}").get_data(as_text=True)
    assert page.index("help me I fell") < page.index("Press 1 to confirm")
    assert "pressed 1" in page and "97%" in page
    assert "Help request #" in page


def test_a_recording_is_served_only_to_signed_in_people_and_each_play_is_audited(
        volunteer_dashboard: Dashboard, config: Config, db: Database) -> None:
    folder = config.data_dir / "recordings" / "CA1"
    folder.mkdir(parents=True)
    (folder / "turn0.wav").write_bytes(b"RIFF....WAVEfmt fake")
    call = add_call(db, None, {"transcript": "help", "recording_path": "recordings/CA1/turn0.wav"})
    turn_id = turn_ids(db, call)[0]
    response = volunteer_dashboard.get(f"/recordings/{turn_id}")
    assert response.status_code == 200 and response.mimetype == "audio/wav"
    assert response.data.startswith(b"RIFF")
    volunteer_dashboard.get(f"/recordings/{turn_id}", headers={"Range": "bytes=100-"})
    with db.session() as session:
        plays = session.scalars(select(AuditLog).where(AuditLog.action == "recording.played")).all()
    assert len(plays) == 1 and plays[0].entity_id == str(turn_id)
    volunteer_dashboard.post("/sign-out")
    assert volunteer_dashboard.get(f"/recordings/{turn_id}").status_code == 302


def test_a_recording_path_outside_the_data_directory_is_never_served(volunteer_dashboard: Dashboard,
                                                                      config: Config, tmp_path: Path,
                                                                      db: Database) -> None:
    (tmp_path / "secret.wav").write_bytes(b"RIFF secret")
    call = add_call(db, None, {"recording_path": "../secret.wav"})
    turn_id = turn_ids(db, call)[0]
    assert volunteer_dashboard.get(f"/recordings/{turn_id}").status_code == 404
