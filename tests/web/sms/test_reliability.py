"""Retried webhooks, odd input and forged requests: answered sensibly, stored once, never a crash."""
import pytest
from sqlalchemy import func, select

from assistant.channels.sms.text import segments
from assistant.db.database import Database
from assistant.db.models import HelpRequest, SmsMessage
from assistant.telephony.signatures import sign
from tests.conftest import Words
from tests.demo import MARY, MARY_SON
from tests.hotline import AUTH_TOKEN
from tests.web.sms.conftest import Texts, new_sid, reply_text


def test_a_retried_webhook_is_answered_again_but_acts_once(texts: Texts, db: Database, words: Words) -> None:
    sid = new_sid()
    first = texts.send(MARY, "HELP", sid=sid)
    again = texts.send(MARY, "HELP", sid=sid)
    assert first == again == words("help.calling", "en", "sms")
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(HelpRequest)) == 1
        assert session.scalar(select(func.count()).select_from(SmsMessage).where(
            SmsMessage.direction == "inbound")) == 1
        assert session.scalar(select(func.count()).select_from(SmsMessage).where(
            SmsMessage.purpose == "reply")) == 1
    assert len([m for m in texts.hotline.carrier.sent() if m["To"] == MARY_SON]) == 1


def test_a_retry_after_a_later_text_gets_its_own_reply(texts: Texts) -> None:
    sid = new_sid()
    first = texts.send(MARY, "MEAL", sid=sid)
    second = texts.send(MARY, "2")
    assert texts.send(MARY, "MEAL", sid=sid) == first != second


def test_every_text_and_reply_is_stored_once(texts: Texts, db: Database) -> None:
    for body in ("MEAL", "2", "2", "1", "2"):
        texts.send(MARY, body)
    with db.session() as session:
        rows = session.execute(select(SmsMessage.direction, func.count()).where(
            SmsMessage.from_number == MARY).group_by(SmsMessage.direction)).all()
        replies = session.scalar(select(func.count()).select_from(SmsMessage).where(SmsMessage.purpose == "reply"))
    assert dict(rows) == {"inbound": 5} and replies == 5


@pytest.mark.parametrize("body", ["", "   ", "x" * 1600, "x" * 5000, "🙂🙂🙂", "我🙂", "\x00\x01HELP\x7f",
                                  "<Response><Dial>+1</Dial></Response>", "%FF%FE", "1" * 40])
def test_odd_bodies_never_crash_and_replies_stay_within_three_segments(
        texts: Texts, db: Database, body: str) -> None:
    reply = texts.send(MARY, body)
    assert 1 <= segments(reply) <= 3
    with db.session() as session:
        stored = session.scalar(select(SmsMessage.body).where(SmsMessage.direction == "inbound"))
        assert len(stored) <= 1600 and "\x00" not in stored



def test_invalid_utf8_in_the_form_is_answered(texts: Texts) -> None:
    params = texts.params(MARY, "placeholder")
    raw = "&".join(f"{k}={v.replace('+', '%2B')}" for k, v in params.items() if k != "Body") + "&Body=%FF%FEhi"
    seen = {**{k: v for k, v in params.items() if k != "Body"}, "Body": "%FF%FEhi"}
    url = texts.hotline.config.public_url + "/sms/incoming"
    response = texts.hotline.client.post("/sms/incoming", data=raw.encode(),
                                         content_type="application/x-www-form-urlencoded",
                                         headers={"X-Twilio-Signature": sign(AUTH_TOKEN, url, seen)})
    assert response.status_code == 200
    assert reply_text(response)


@pytest.mark.parametrize("missing", ["MessageSid", "From"])
def test_a_text_without_sender_or_sid_is_refused(texts: Texts, db: Database, missing: str) -> None:
    params = texts.params(MARY, "HELP")
    params.pop(missing)
    assert texts.post(params).status_code == 400
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(SmsMessage)) == 0


def test_a_bad_signature_is_refused_and_changes_nothing(texts: Texts, db: Database) -> None:
    response = texts.hotline.client.post("/sms/incoming", data=texts.params(MARY, "HELP"),
                                         headers={"X-Twilio-Signature": "forged"})
    assert response.status_code == 403
    unsigned = texts.hotline.post("/sms/incoming", texts.params(MARY, "HELP"), signed=False)
    assert unsigned.status_code == 403
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(SmsMessage)) == 0
        assert session.scalar(select(func.count()).select_from(HelpRequest)) == 0
    assert texts.hotline.carrier.sent() == []


def test_the_reply_is_twiml_message(texts: Texts) -> None:
    response = texts.post(texts.params(MARY, "MENU"))
    assert response.mimetype == "text/xml"
    assert response.get_data(as_text=True).startswith('<?xml version="1.0" encoding="UTF-8"?><Response><Message>')


def test_an_empty_text_gets_the_menu(texts: Texts, words: Words) -> None:
    assert texts.send(MARY, "").endswith(words("menu.main", "en", "sms"))
