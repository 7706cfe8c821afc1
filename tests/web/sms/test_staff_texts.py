"""Volunteers answer alerts by text (ACK, DONE, LIST); the meal provider accepts orders (ACCEPT).
Each gets the answer in their own language (asserted as rendered prompts)."""
from datetime import date

import pytest
from sqlalchemy import select

from assistant import wording
from assistant.db.database import Database
from assistant.db.models import AuditLog, HelpRequest, MealOrder, MealProvider
from tests.conftest import Words
from tests.demo import LI, MARY, PROVIDER, SAM, ZHANG
from tests.web.sms.conftest import Texts

TODAY = date(2026, 11, 23)


def _help_from(texts: Texts, db: Database, phone: str) -> int:
    texts.send(phone, "HELP")
    with db.session() as session:
        return session.scalars(select(HelpRequest.id).order_by(HelpRequest.id.desc())).first()


def test_ack_then_done_from_the_alerted_volunteer(texts: Texts, db: Database, words: Words) -> None:
    def said(key: str, **values: object) -> str:
        return words(key, "en", "sms", **values)
    request_id = _help_from(texts, db, MARY)
    assert texts.send(SAM, f"ACK {request_id}") == said("sms.volunteer.acked", id=request_id, who="Mary Jones",
                                                        phone=MARY)
    assert texts.send(SAM, f"ack{request_id}") == said("sms.volunteer.closed", id=request_id,
                                                       status=said("sms.status.acknowledged"))
    assert texts.send(SAM, f"Done #{request_id}") == said("sms.volunteer.resolved", id=request_id)
    assert texts.send(SAM, f"DONE {request_id}") == said("sms.volunteer.closed", id=request_id,
                                                         status=said("sms.status.resolved"))
    with db.session() as session:
        request = session.get(HelpRequest, request_id)
        assert request.status == "resolved" and request.acknowledged_by.phone == SAM
        actions = session.scalars(select(AuditLog.action).where(AuditLog.actor == f"volunteer:{request.resolved_by_id}"))
        assert {"help.acknowledged", "help.resolved"} <= set(actions)


def test_a_volunteer_writing_mandarin_gets_mandarin(texts: Texts, db: Database, words: Words) -> None:
    request_id = _help_from(texts, db, ZHANG)
    assert texts.send(LI, f"ACK {request_id}") == words("sms.volunteer.acked", "zh", "sms", id=request_id,
                                                        who="张秀英", phone=ZHANG)
    assert texts.send(LI, "ACK 999") == words("sms.volunteer.no_such", "zh", "sms", id=999)


def test_list_names_open_requests_urgent_first(texts: Texts, db: Database, words: Words) -> None:
    def said(key: str, **values: object) -> str:
        return words(key, "en", "sms", **values)
    assert texts.send(SAM, "LIST") == said("sms.volunteer.none_open")
    first = _help_from(texts, db, MARY)
    second = _help_from(texts, db, ZHANG)
    texts.send(SAM, f"ACK {second}")
    items = [said("sms.volunteer.list_item", id=first, who="Mary Jones", status=said("sms.status.open")),
             said("sms.volunteer.list_item", id=second, who="张秀英", status=said("sms.status.acknowledged"))]
    assert texts.send(SAM, "list") == said("sms.volunteer.list", requests="; ".join(items))


def test_unknown_ids_and_other_words_get_a_clear_answer(texts: Texts, words: Words) -> None:
    assert texts.send(SAM, "ACK 42") == words("sms.volunteer.no_such", "en", "sms", id=42)
    usage = texts.send(SAM, "hello?")
    assert usage == words("sms.volunteer.usage", "en", "sms")
    assert texts.send(SAM, "ACK") == usage


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_provider_accepts_an_order_and_is_answered_in_its_language(
        texts: Texts, db: Database, words: Words, lang: str) -> None:
    with db.session() as session:
        session.scalar(select(MealProvider)).language = lang
    texts.send(MARY, "meal lunch tomorrow")
    texts.send(MARY, "1")
    with db.session() as session:
        order = session.scalar(select(MealOrder))
        order_id, day, item = order.id, order.day, order.menu_item.names.get(lang) or order.menu_item.name
    reply = texts.send(PROVIDER, f"ACCEPT {order_id}")
    assert reply == words("sms.provider.accepted", lang, "sms", id=order_id, quantity=1, item=item,
                          meal=words("meal.lunch", lang), day=wording.day_text(words.languages, lang, day, TODAY),
                          elder="Mary Jones", address="12 Oak St")
    assert texts.send(PROVIDER, f"accept {order_id}") == words(
        "sms.provider.closed", lang, "sms", id=order_id, status=words("sms.status.accepted", lang, "sms"))
    assert texts.send(PROVIDER, "ACCEPT 77") == words("sms.provider.no_such", lang, "sms", id=77)
    assert texts.send(PROVIDER, "thanks") == words("sms.provider.usage", lang, "sms")
    with db.session() as session:
        order = session.get(MealOrder, order_id)
        assert order.status == "accepted" and order.accepted_at is not None
        assert order.handled_by == "Eastside Meals"
        assert session.scalar(select(AuditLog.actor).where(AuditLog.action == "order.accepted")).startswith("provider:")
