"""A frightened elder texting HELP again and again, and a text whose handling fails: people are
told once, nothing she wrote is lost, and she always gets an answer."""
import pytest
from sqlalchemy import func, select

from assistant.db.database import Database
from assistant.db.models import HelpRequest, SmsMessage
from assistant.runtime import Runtime
from tests.demo import LI, MARY, MARY_SON, SAM
from tests.web.sms.conftest import Texts


def _alerts(texts: Texts) -> dict[str, list[str]]:
    sent: dict[str, list[str]] = {}
    for message in texts.hotline.carrier.sent():
        sent.setdefault(message["To"], []).append(message["Body"])
    return sent


def test_repeated_help_joins_the_open_request_and_volunteers_get_one_update(texts: Texts,
                                                                             db: Database) -> None:
    for _ in range(4):
        assert "help is coming" in texts.send(MARY, "HELP")
    with db.session() as session:
        [request] = session.scalars(select(HelpRequest)).all()
        assert request.notes.count("Asked again") == 3
        inbound = session.scalars(select(SmsMessage).where(SmsMessage.direction == "inbound")).all()
        assert len(inbound) == 4 and {m.help_request_id for m in inbound} == {request.id}
    alerts = _alerts(texts)
    assert len(alerts[MARY_SON]) == 1
    first, update = alerts[SAM]
    assert f"HELP #{request.id}" in first and f"#{request.id} again" in update
    assert len(alerts[LI]) == 2
    assert sum(len(bodies) for bodies in alerts.values()) == 5


def test_one_number_sets_off_a_limited_number_of_alert_rounds_an_hour(texts: Texts, db: Database,
                                                                     runtime: Runtime) -> None:
    runtime.config.help.join_window_minutes = 0
    limit = runtime.config.help.alerts_per_number_per_hour
    for _ in range(limit + 2):
        assert "help is coming" in texts.send(MARY, "HELP")
    with db.session() as session:
        requests = session.scalars(select(HelpRequest).order_by(HelpRequest.id)).all()
        assert len(requests) == limit + 2
        assert ["Alerts held back" in r.notes for r in requests] == [False] * limit + [True, True]
    assert len(_alerts(texts)[SAM]) == limit


def test_a_text_whose_handling_fails_is_kept_for_a_volunteer_and_answered_safely(
        texts: Texts, db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug in the conversation")

    monkeypatch.setattr("assistant.channels.sms.inbox.answer", broken)
    reply = texts.send(MARY, "I fell and cannot get up")
    assert "A volunteer will read your message" in reply and "911" in reply
    with db.session() as session:
        inbound = session.scalars(select(SmsMessage).where(SmsMessage.direction == "inbound")).one()
        assert inbound.body == "I fell and cannot get up" and inbound.flagged
        request = session.get(HelpRequest, inbound.help_request_id)
        assert request is not None and request.summary == "I fell and cannot get up"
        assert session.scalar(select(func.count()).select_from(SmsMessage).where(
            SmsMessage.purpose == "reply")) == 1
