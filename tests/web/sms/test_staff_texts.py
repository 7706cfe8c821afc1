"""Volunteers answer alerts by text (ACK, DONE, LIST); the meal provider accepts orders (ACCEPT)."""
from sqlalchemy import select

from assistant.db.database import Database
from assistant.db.models import AuditLog, HelpRequest, MealOrder
from tests.demo import LI, MARY, PROVIDER, SAM, ZHANG
from tests.web.sms.conftest import Texts


def _help_from(texts: Texts, db: Database, phone: str) -> int:
    texts.send(phone, "HELP")
    with db.session() as session:
        return session.scalars(select(HelpRequest.id).order_by(HelpRequest.id.desc())).first()


def test_ack_then_done_from_the_alerted_volunteer(texts: Texts, db: Database) -> None:
    request_id = _help_from(texts, db, MARY)
    assert texts.send(SAM, f"ACK {request_id}") == (
        f"#{request_id} is yours: Mary Jones {MARY}. Reply DONE {request_id} when it is resolved.")
    assert texts.send(SAM, f"ack{request_id}") == f"#{request_id} is already acknowledged. Reply LIST for the open ones."
    assert texts.send(SAM, f"Done #{request_id}") == f"#{request_id} is resolved. Thank you."
    assert "already resolved" in texts.send(SAM, f"DONE {request_id}")
    with db.session() as session:
        request = session.get(HelpRequest, request_id)
        assert request.status == "resolved" and request.acknowledged_by.phone == SAM
        actions = session.scalars(select(AuditLog.action).where(AuditLog.actor == f"volunteer:{request.resolved_by_id}"))
        assert {"help.acknowledged", "help.resolved"} <= set(actions)


def test_a_volunteer_writing_mandarin_gets_mandarin(texts: Texts, db: Database) -> None:
    request_id = _help_from(texts, db, ZHANG)
    assert texts.send(LI, f"ACK {request_id}").startswith(f"#{request_id}由您接手：张秀英")
    assert texts.send(LI, "ACK 999") == "没有#999号求助。回复LIST查看待处理的求助。"


def test_list_names_open_requests_urgent_first(texts: Texts, db: Database) -> None:
    assert texts.send(SAM, "LIST") == "There are no open help requests."
    first = _help_from(texts, db, MARY)
    second = _help_from(texts, db, ZHANG)
    texts.send(SAM, f"ACK {second}")
    assert texts.send(SAM, "list") == f"Open: #{first} Mary Jones (open); #{second} 张秀英 (acknowledged)"


def test_unknown_ids_and_other_words_get_a_clear_answer(texts: Texts) -> None:
    assert texts.send(SAM, "ACK 42") == "There is no help request #42. Reply LIST for the open ones."
    usage = texts.send(SAM, "hello?")
    assert "ACK 12" in usage and "DONE 12" in usage and "LIST" in usage
    assert texts.send(SAM, "ACK") == usage


def test_the_provider_accepts_an_order(texts: Texts, db: Database) -> None:
    texts.send(MARY, "meal lunch tomorrow")
    texts.send(MARY, "1")
    with db.session() as session:
        order_id = session.scalar(select(MealOrder.id))
    reply = texts.send(PROVIDER, f"ACCEPT {order_id}")
    assert reply.startswith(f"Order #{order_id} accepted: 1 x Soft food lunch,") and "12 Oak St" in reply
    assert texts.send(PROVIDER, f"accept {order_id}") == f"Order #{order_id} is already accepted."
    assert texts.send(PROVIDER, "ACCEPT 77") == "There is no meal order #77 for you."
    assert "ACCEPT 12" in texts.send(PROVIDER, "thanks")
    with db.session() as session:
        order = session.get(MealOrder, order_id)
        assert order.status == "accepted" and order.accepted_at is not None
        assert order.handled_by == "Eastside Meals"
        assert session.scalar(select(AuditLog.actor).where(AuditLog.action == "order.accepted")).startswith("provider:")
