"""Elders text the hotline: keywords in English and Mandarin, plain sentences, numbered
replies, help, expiry, and numbers the hotline does not know."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from assistant.channels.sms import segments
from assistant.db.base import utcnow
from assistant.db.database import Database
from assistant.db.models import (Appointment, ConversationSession, DoseEvent, Elder, HelpRequest, MealOrder,
                                 OutboundTask, SmsMessage)
from tests.demo import HAROLD, LI, MARY, MARY_SON, PROVIDER, SAM, ZHANG
from tests.web.sms.conftest import Texts

STRANGER = "+15557770000"
STRANGER_ZH = "+8613800138000"


@pytest.mark.parametrize(("sender", "text", "expected"), [
    (MARY, "MEAL", "Which meal? 1 breakfast 2 lunch 3 dinner"),
    (MARY, "meal lunch tomorrow", "1 Soft food lunch, tomorrow,"),
    (MARY, "mael", "meal"),  # read back first or asked at once, as the matcher is sure
    (MARY, "DOCTOR", "Which day? 1 today 2 tomorrow"),
    (MARY, "DOCTOR TUE", "Morning or afternoon? 1 morning 2 afternoon"),
    (MARY, "doctortue", "Morning or afternoon?"),
    (HAROLD, "MEDS", "Today you take"),
    (MARY, "TAKEN", "I have noted that you took your Metformin."),
    (MARY, "OK", "I'm glad to hear that. Anything else? Reply 1 yes, 2 no."),
    (MARY, "CANCEL", None),
    (MARY, "MENU", "Hello Mary Jones, this is Community Care Line. How can I help? Reply 1 doctor"),
    (MARY, "?", "How can I help? Reply 1 doctor, 2 meal, 3 medicine, 9 help, 0 a person."),
    (MARY, "can I get lunch tomorrow", "1 Soft food lunch, tomorrow,"),
    (ZHANG, "订餐", "订哪一顿？ 1 早饭 2 午饭 3 晚饭"),
    (ZHANG, "订午饭", "哪一天？"),
    (ZHANG, "挂号", "哪一天？"),
    (ZHANG, "看病 星期二", "上午还是下午？"),
    (ZHANG, "吃药", "您今天要吃：阿司匹林"),
    (ZHANG, "吃过了", "阿司匹林"),
    (ZHANG, "好", "听到您很好"),
    (ZHANG, "菜单", "张秀英，您好！"),
])
def test_keywords_and_sentences(texts: Texts, sender: str, text: str, expected: str | None) -> None:
    reply = texts.send(sender, text)
    if expected is None:  # CANCEL with nothing to cancel: an opt-out, see test_opt_out.py
        assert "no more texts" in reply
    else:
        assert expected in reply, reply
    assert segments(reply) == 1, reply


@pytest.mark.parametrize(("sender", "text"), [(MARY, "HELP"), (MARY, "sos"), (MARY, "Help me"),
                                               (ZHANG, "救命"), (ZHANG, "帮助"),
                                               (MARY, "my husband has collapsed in the hall and wont wake"),
                                               (MARY, "hlep"), (ZHANG, "老伴晕倒了，叫不醒")])
def test_help_keywords_open_a_request_and_alert_people_as_a_call_does(
        texts: Texts, db: Database, sender: str, text: str) -> None:
    reply = texts.send(sender, text)
    assert "Community Care Line" in reply and "911" in reply
    assert segments(reply) == 1
    with db.session() as session:
        request = session.scalar(select(HelpRequest))
        assert (request.kind, request.severity, request.status) == ("emergency", "urgent", "open")
        inbound = session.scalar(select(SmsMessage).where(SmsMessage.direction == "inbound"))
        assert inbound.help_request_id == request.id and inbound.intent == "help"
    alerted = {m["To"]: m["Body"] for m in texts.hotline.carrier.sent()}
    assert {SAM, LI} <= set(alerted) and f"ACK {request.id}" in alerted[SAM]
    if sender == MARY:
        assert "Mary Jones asked for help" in alerted[MARY_SON]


def test_a_meal_ordered_step_by_step_with_numbers(texts: Texts, db: Database) -> None:
    assert texts.send(MARY, "2").startswith("Which meal?")
    assert texts.send(MARY, "2").startswith("Which day? 1 today 2 tomorrow 3 ")
    assert "Right? Reply 1 yes, 2 no." in texts.send(MARY, "2")
    assert "Your order has gone to Eastside Meals" in texts.send(MARY, "1")
    with db.session() as session:
        order = session.scalar(select(MealOrder))
        assert (order.meal, order.status, order.elder.name) == ("lunch", "dispatched", "Mary Jones")
    assert [m["To"] for m in texts.hotline.carrier.sent()] == [PROVIDER]
    assert "Goodbye" in texts.send(MARY, "2")


def test_a_doctor_booked_in_mandarin_with_a_keyword_and_numbers(texts: Texts, db: Database) -> None:
    assert "上午还是下午" in texts.send(ZHANG, "挂号星期二")
    assert "对吗？回复1对，2不对。" in texts.send(ZHANG, "2")
    assert "预约" in texts.send(ZHANG, "1")
    with db.session() as session:
        appointment = session.scalar(select(Appointment))
        assert appointment.day.weekday() == 1 and appointment.part_of_day == "afternoon"


def test_a_wrong_answer_is_asked_again_and_cancel_drops_the_draft(texts: Texts, db: Database) -> None:
    texts.send(MARY, "MEAL")
    assert texts.send(MARY, "purple").startswith("Sorry, I didn't understand. Which meal?")
    assert "I have cancelled that" in texts.send(MARY, "CANCEL")
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(MealOrder)) == 0
        flagged = session.scalar(select(SmsMessage).where(SmsMessage.body == "purple"))
        assert flagged.flagged


def test_cancel_after_an_order_cancels_it(texts: Texts, db: Database) -> None:
    texts.send(MARY, "meal lunch tomorrow")
    texts.send(MARY, "1")
    assert "I have cancelled that" in texts.send(MARY, "cancel")
    with db.session() as session:
        assert session.scalar(select(MealOrder.status)) == "cancelled"


def _age_conversation(db: Database, phone: str, minutes: int) -> None:
    with db.session() as session:
        conv = session.scalar(select(ConversationSession).where(ConversationSession.key == f"sms:{phone}"))
        conv.updated_at = utcnow() - timedelta(minutes=minutes)


def test_a_conversation_expires_after_the_idle_time_with_a_clear_message(texts: Texts, db: Database) -> None:
    texts.send(MARY, "MEAL")
    _age_conversation(db, MARY, 29)
    assert texts.send(MARY, "2").startswith("Which day?")
    _age_conversation(db, MARY, 31)
    reply = texts.send(MARY, "2")
    assert reply.startswith("That conversation timed out, so let's start again.")
    assert "Reply 1 doctor, 2 meal" in reply
    assert texts.send(MARY, "2").startswith("Which meal?")


def test_after_expiry_words_start_afresh_and_9_still_brings_help(texts: Texts, db: Database) -> None:
    texts.send(MARY, "MEAL")
    _age_conversation(db, MARY, 60)
    assert texts.send(MARY, "DOCTOR").startswith("Which day?")
    _age_conversation(db, MARY, 60)
    assert "help is coming" in texts.send(MARY, "9")


def test_taken_answers_the_medicine_reminder_texted_earlier(texts: Texts, db: Database) -> None:
    now = utcnow()
    with db.session() as session:
        harold = session.scalar(select(Elder).where(Elder.phone == HAROLD))
        medication = harold.medications[0]
        day = now.date().isoformat()
        task = OutboundTask(key=f"{harold.id}:medicine:{day}:08:00", kind="medicine", elder_id=harold.id,
                            due_at=now - timedelta(minutes=10), next_attempt_at=now + timedelta(minutes=5),
                            status="in_progress", channel="sms", payload={"medication_ids": [medication.id]})
        session.add(task)
        session.flush()
        task_id = task.id
    texts.send(HAROLD, "TAKEN")
    with db.session() as session:
        task = session.get(OutboundTask, task_id)
        assert (task.status, task.outcome) == ("done", "taken")
        dose = session.scalar(select(DoseEvent))
        assert (dose.status, dose.slot) == ("taken", "08:00")
    assert texts.send(HAROLD, "MEDS").startswith("Today you take")


def test_an_unknown_number_gets_the_menu_in_the_language_it_writes(texts: Texts) -> None:
    assert texts.send(STRANGER, "hello") == ("Hello, this is Community Care Line. How can I help? "
                                             "Reply 1 doctor, 2 meal, 3 medicine, 9 help, 0 a person.")
    assert texts.send(STRANGER_ZH, "你好").startswith("您好！这里是Community Care Line。")


def test_an_unknown_numbers_booking_becomes_a_new_caller_follow_up(texts: Texts, db: Database) -> None:
    texts.send(STRANGER, "doctor tomorrow morning")
    assert "A volunteer will call you to get to know you." in texts.send(STRANGER, "1")
    with db.session() as session:
        kinds = set(session.scalars(select(HelpRequest.kind)))
        assert kinds == {"new_caller"}
        assert session.scalar(select(Appointment.caller_phone)) == STRANGER


def test_an_unknown_number_gets_help(texts: Texts, db: Database) -> None:
    assert "911" in texts.send(STRANGER_ZH, "救命")
    with db.session() as session:
        assert session.scalar(select(HelpRequest.caller_phone)) == STRANGER_ZH


@pytest.mark.parametrize(("sender", "reply", "outcome"), [
    (HAROLD, "not taken", "later"),
    (HAROLD, "NOT TAKEN YET", "later"),
    (HAROLD, "they were taken away", ""),
    (HAROLD, "taken", "taken"),
    (ZHANG, "没吃", "later"),
    (ZHANG, "还没吃呢", "later"),
    (ZHANG, "吃过了", "taken"),
])
def test_a_texted_reminder_is_marked_taken_only_when_she_says_she_took_it(
        texts: Texts, db: Database, sender: str, reply: str, outcome: str) -> None:
    now = utcnow()
    with db.session() as session:
        elder = session.scalar(select(Elder).where(Elder.phone == sender))
        task = OutboundTask(key=f"{elder.id}:medicine:{now.date().isoformat()}:08:00", kind="medicine",
                            elder_id=elder.id, due_at=now - timedelta(minutes=10),
                            next_attempt_at=now + timedelta(minutes=5), status="in_progress", channel="sms",
                            payload={"medication_ids": [m.id for m in elder.medications]})
        session.add(task)
        session.flush()
        task_id = task.id
    texts.send(sender, reply)
    with db.session() as session:
        assert session.get(OutboundTask, task_id).outcome == outcome
        assert (session.scalar(select(DoseEvent.status)) == "taken") == (outcome == "taken")
