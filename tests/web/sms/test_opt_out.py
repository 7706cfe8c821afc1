"""STOP and START: once a number opts out, nothing of any kind is texted to it until START."""
import pytest
from sqlalchemy import func, select

from assistant.db.database import Database
from assistant.db.models import AuditLog, HelpRequest, MealOrder, SmsMessage, SmsOptOut
from tests.conftest import Words
from tests.demo import MARY, MARY_SON, SAM, ZHANG
from tests.web.sms.conftest import Texts


@pytest.mark.parametrize("word", ["STOP", "stop", "StopAll", "UNSUBSCRIBE", "END", "quit", "退订"])
def test_opt_out_words_are_recorded_and_confirmed_once(texts: Texts, db: Database, words: Words,
                                                       word: str) -> None:
    reply = texts.send(MARY, word)
    assert reply == words("sms.stopped", "en", "sms")
    with db.session() as session:
        assert session.get(SmsOptOut, MARY) is not None
        assert session.scalar(select(AuditLog.action).where(AuditLog.action == "sms.opted_out"))
    assert texts.send(MARY, "MENU") == ""
    assert texts.send(MARY, word) == ""


def test_the_confirmation_follows_the_elders_language(texts: Texts, words: Words) -> None:
    assert texts.send(ZHANG, "STOP") == words("sms.stopped", "zh", "sms")


def test_cancel_is_an_opt_out_only_when_nothing_is_pending(texts: Texts, db: Database, words: Words) -> None:
    texts.send(MARY, "meal lunch tomorrow")
    texts.send(MARY, "1")
    texts.send(MARY, "2")  # goodbye: the conversation is over, the order is still open
    assert texts.send(MARY, "CANCEL").startswith(words("menu.cancelled", "en", "sms"))
    with db.session() as session:
        assert session.get(SmsOptOut, MARY) is None
    texts.send(MARY, "2")
    assert texts.send(MARY, "CANCEL") == words("sms.stopped", "en", "sms")


def test_an_opted_out_elders_help_alerts_volunteers_but_never_texts_her(texts: Texts, db: Database) -> None:
    texts.send(MARY_SON, "STOP")
    texts.send(MARY, "HELP")
    with db.session() as session:
        request = session.scalar(select(HelpRequest))
        contact_texts = session.scalar(select(func.count()).select_from(SmsMessage).where(
            SmsMessage.to_number == MARY_SON, SmsMessage.purpose != "reply"))
    assert request is not None and contact_texts == 0
    sent_to = [m["To"] for m in texts.hotline.carrier.sent()]
    assert SAM in sent_to and MARY_SON not in sent_to


def test_texts_from_an_opted_out_number_are_kept_and_flagged_unanswered(texts: Texts, db: Database) -> None:
    texts.send(MARY, "STOP")
    assert texts.send(MARY, "救命") == ""
    with db.session() as session:
        message = session.scalar(select(SmsMessage).where(SmsMessage.body == "救命"))
        assert message.flagged
        assert session.scalar(select(func.count()).select_from(SmsMessage).where(
            SmsMessage.direction == "outbound", SmsMessage.to_number == MARY)) == 1  # the confirmation


@pytest.mark.parametrize("plea", ["SOS", "救命", "I fell and I can't get up"])
def test_an_opted_out_elder_who_asks_for_help_still_reaches_a_person(texts: Texts, db: Database,
                                                                    plea: str) -> None:
    texts.send(MARY, "STOP")
    assert texts.send(MARY, plea) == ""  # nothing of any kind is texted to her
    with db.session() as session:
        request = session.scalar(select(HelpRequest))
        message = session.scalar(select(SmsMessage).where(SmsMessage.body == plea))
        to_mary = session.scalar(select(func.count()).select_from(SmsMessage).where(
            SmsMessage.direction == "outbound", SmsMessage.to_number == MARY))
    assert request is not None and request.caller_phone == MARY
    assert message.flagged and message.help_request_id == request.id
    assert to_mary == 1  # the STOP confirmation
    sent = {m["To"]: m["Body"] for m in texts.hotline.carrier.sent()}
    assert f"ACK {request.id}" in sent[SAM] and MARY_SON in sent and MARY not in sent


def test_an_opted_out_number_asking_for_anything_else_gets_nothing_done(texts: Texts, db: Database) -> None:
    texts.send(MARY, "STOP")
    assert texts.send(MARY, "MEAL LUNCH TOMORROW") == ""
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(MealOrder)) == 0
        assert session.scalar(select(func.count()).select_from(HelpRequest)) == 0


@pytest.mark.parametrize("word", ["START", "start", "订阅"])
def test_start_opts_back_in(texts: Texts, db: Database, words: Words, word: str) -> None:
    texts.send(MARY, "STOP")
    assert texts.send(MARY, word) == words("sms.started", "en", "sms")  # her language, whatever the word
    with db.session() as session:
        assert session.get(SmsOptOut, MARY) is None
        assert session.scalar(select(AuditLog.action).where(AuditLog.action == "sms.opted_in"))
    assert texts.send(MARY, "MENU").startswith(words("menu.greeting", "en", "sms", name="Mary Jones"))


def test_the_scheduler_skips_an_opted_out_number(texts: Texts, db: Database, runtime) -> None:
    from assistant.services.messaging import send_sms
    texts.send(MARY, "STOP")
    with db.session() as session:
        assert send_sms(session, runtime, MARY, "reminder", purpose="medicine") is None
    assert MARY not in [m["To"] for m in texts.hotline.carrier.sent()]
