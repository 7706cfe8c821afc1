"""Elders text the hotline: keywords in English and Mandarin, plain sentences, numbered
replies, help, expiry, and numbers the hotline does not know.

Replies are asserted as rendered prompts (`Sms`), in the sender's language, at a fixed "now"
(Monday 23 November 2026, 10:00 in New York)."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from assistant import wording
from assistant.channels.sms.text import segments
from assistant.db.database import Database
from assistant.db.models import (Appointment, DoseEvent, HelpRequest, MealOrder, OutboundTask,
                                 SmsMessage)
from tests.conftest import Words
from tests.demo import HAROLD, LI, MARY, MARY_SON, PROVIDER, SAM, ZHANG, medicine_reminder_task
from tests.web.sms.conftest import NOW, Texts

STRANGER = "+15557770000"
STRANGER_ZH = "+8613800138000"
TODAY = date(2026, 11, 23)
TOMORROW = TODAY + timedelta(days=1)
TUESDAY = TOMORROW


class Sms:
    """Prompts as an SMS renders them, by key."""

    def __init__(self, words: Words) -> None:
        self.words = words

    def __call__(self, name: str, lang: str = "en", /, **values: object) -> str:
        return self.words(name, lang, "sms", **values)

    def choices(self, lang: str, labels: list[str]) -> str:
        return " ".join(self("choice.item", lang, key=i, label=label) for i, label in enumerate(labels, 1))

    def day(self, lang: str, day: date) -> str:
        return wording.day_text(self.words.languages, lang, day, TODAY, "sms")

    def days(self, lang: str) -> str:
        labels = [wording.day_label(self.words.languages, lang, TODAY + timedelta(days=i), TODAY, "sms")
                  for i in range(7)]
        return self.choices(lang, labels)

    def meals(self, lang: str) -> str:
        return self.choices(lang, [self(f"meal.{meal}", lang) for meal in ("breakfast", "lunch", "dinner")])

    def parts(self, lang: str) -> str:
        return self.choices(lang, [self(f"part.{part}", lang) for part in ("morning", "afternoon")])

    def lunch_tomorrow(self, item: str = "Soft food") -> str:
        return self("order_meal.confirm", quantity=1, item=item, meal=self("meal.lunch"),
                    when=self.day("en", TOMORROW))


@pytest.fixture
def sms(words: Words) -> Sms:
    return Sms(words)


def harolds_medicines(s: Sms) -> str:
    return s("medicine.schedule", schedule="; ".join(
        [s("medicine.dose", medication="Amlodipine", times="09:00"),
         s("medicine.dose", medication="Atorvastatin", times="21:00")]), options=s("medicine.options"))


Expect = Callable[[Sms], str]
KEYWORDS: list[tuple[str, str, Expect]] = [
    (MARY, "MEAL", lambda s: f"{s('order_meal.ask_meal')} {s.meals('en')}"),
    (MARY, "meal lunch tomorrow", lambda s: s.lunch_tomorrow()),
    (MARY, "DOCTOR", lambda s: f"{s('ask.day')} {s.days('en')}"),
    (MARY, "DOCTOR TUE", lambda s: f"{s('ask.part')} {s.parts('en')}"),
    (MARY, "doctortue", lambda s: f"{s('ask.part')} {s.parts('en')}"),
    (HAROLD, "MEDS", harolds_medicines),
    (MARY, "TAKEN", lambda s: f"{s('medicine.taken', medication='Metformin')} {s('menu.anything_else')}"),
    (MARY, "OK", lambda s: f"{s('menu.feeling_ok')} {s('menu.anything_else')}"),
    (MARY, "CANCEL", lambda s: s("sms.stopped")),  # with nothing to cancel: an opt-out, see test_opt_out.py
    (MARY, "MENU", lambda s: f"{s('menu.greeting', name='Mary Jones')} {s('menu.main')}"),
    (MARY, "?", lambda s: f"{s('menu.greeting', name='Mary Jones')} {s('menu.main')}"),
    (MARY, "can I get lunch tomorrow", lambda s: s.lunch_tomorrow()),
    (ZHANG, "订餐", lambda s: f"{s('order_meal.ask_meal', 'zh')} {s.meals('zh')}"),
    (ZHANG, "订午饭", lambda s: f"{s('ask.day', 'zh')} {s.days('zh')}"),
    (ZHANG, "挂号", lambda s: f"{s('ask.day', 'zh')} {s.days('zh')}"),
    (ZHANG, "看病 星期二", lambda s: f"{s('ask.part', 'zh')} {s.parts('zh')}"),
    (ZHANG, "吃药", lambda s: s("medicine.schedule", "zh", schedule=s("medicine.dose", "zh", medication="阿司匹林",
                                                                      times="08:00"),
                               options=s("medicine.options", "zh"))),
    (ZHANG, "吃过了", lambda s: f"{s('medicine.taken', 'zh', medication='阿司匹林')} {s('menu.anything_else', 'zh')}"),
    (ZHANG, "好", lambda s: f"{s('menu.feeling_ok', 'zh')} {s('menu.anything_else', 'zh')}"),
    (ZHANG, "菜单", lambda s: f"{s('menu.greeting', 'zh', name='张秀英')} {s('menu.main', 'zh')}"),
]


@pytest.mark.parametrize(("sender", "text", "expected"), KEYWORDS, ids=[text for _, text, _ in KEYWORDS])
def test_keywords_and_sentences(texts: Texts, sms: Sms, sender: str, text: str, expected: Expect) -> None:
    reply = texts.send(sender, text)
    assert reply == expected(sms)
    assert segments(reply) == 1, reply


def test_a_misspelt_keyword_is_read_back_or_asked_at_once(texts: Texts, sms: Sms) -> None:
    assert texts.send(MARY, "mael") in (sms("menu.confirm_intent", what=sms("what.order_meal")),
                                        f"{sms('order_meal.ask_meal')} {sms.meals('en')}")


@pytest.mark.parametrize(("sender", "text", "lang", "said"), [
    (MARY, "HELP", "en", "help"), (MARY, "sos", "en", "help"), (MARY, "Help me", "en", "Help me"),
    (ZHANG, "救命", "zh", "救命"), (ZHANG, "帮助", "zh", "救命"),
    (MARY, "my husband has collapsed in the hall and wont wake", "en",
     "my husband has collapsed in the hall and wont wake"),
    (MARY, "hlep", "en", "hlep"), (ZHANG, "老伴晕倒了，叫不醒", "zh", "老伴晕倒了，叫不醒")])
def test_help_keywords_open_a_request_and_alert_people_as_a_call_does(
        texts: Texts, db: Database, sms: Sms, sender: str, text: str, lang: str, said: str) -> None:
    """A keyword is read as its sentence (`sms.said.help`), which the alerts quote."""
    reply = texts.send(sender, text)
    assert reply == sms("help.calling", lang)
    assert segments(reply) == 1
    with db.session() as session:
        request = session.scalar(select(HelpRequest))
        assert (request.kind, request.severity, request.status) == ("emergency", "urgent", "open")
        inbound = session.scalar(select(SmsMessage).where(SmsMessage.direction == "inbound"))
        assert inbound.help_request_id == request.id and inbound.intent == "help"
    alerted = {m["To"]: m["Body"] for m in texts.hotline.carrier.sent()}
    who = "Mary Jones" if sender == MARY else "张秀英"
    for volunteer, reads in ((SAM, "en"), (LI, "zh")):
        assert alerted[volunteer] == sms("alert.volunteer.urgent", reads, id=request.id, who=who, phone=sender,
                                         said=said)
    if sender == MARY:
        assert alerted[MARY_SON] == sms("alert.contact.emergency", elder="Mary Jones", said=said,
                                        handler="Sam Lee")


def test_a_meal_for_two_ordered_step_by_step_with_numbers(texts: Texts, db: Database, sms: Sms) -> None:
    assert texts.send(MARY, "2") == f"{sms('order_meal.ask_meal')} {sms.meals('en')}"
    assert texts.send(MARY, "2") == sms("order_meal.ask_quantity")
    assert texts.send(MARY, "2") == f"{sms('ask.day')} {sms.days('en')}"
    assert texts.send(MARY, "2") == sms("order_meal.confirm", quantity=2, item="Soft food", meal=sms("meal.lunch"),
                                        when=sms.day("en", TOMORROW))
    assert texts.send(MARY, "1").startswith(sms("order_meal.done", provider="Eastside Meals",
                                                when=sms.day("en", TOMORROW)))
    with db.session() as session:
        order = session.scalar(select(MealOrder))
        assert (order.meal, order.quantity, order.status, order.elder.name) == ("lunch", 2, "dispatched", "Mary Jones")
    assert [m["To"] for m in texts.hotline.carrier.sent()] == [PROVIDER]
    assert texts.send(MARY, "2") == sms("menu.goodbye")


def test_how_many_takes_a_number_of_meals_in_words_but_never_guesses_one(
        texts: Texts, db: Database, sms: Sms) -> None:
    texts.send(MARY, "MEAL")
    texts.send(MARY, "2")
    assert texts.send(MARY, "twelve") == f"{sms('sorry.retry')} {sms('order_meal.ask_quantity')}"
    assert texts.send(MARY, "12 meals") == f"{sms('sorry.retry')} {sms('order_meal.ask_quantity')}"
    assert texts.send(MARY, "two meals please") == f"{sms('ask.day')} {sms.days('en')}"
    texts.send(MARY, "2")
    texts.send(MARY, "1")
    with db.session() as session:
        assert session.scalar(select(MealOrder.quantity)) == 2


def test_a_doctor_booked_in_mandarin_with_a_keyword_and_numbers(texts: Texts, db: Database, sms: Sms) -> None:
    assert texts.send(ZHANG, "挂号星期二").startswith(sms("ask.part", "zh"))
    assert texts.send(ZHANG, "2") == sms("book_doctor.confirm", "zh", doctor="王医生", when=wording.when_text(
        sms.words.languages, "zh", TUESDAY, TODAY, part_of_day="afternoon", channel="sms"))
    assert texts.send(ZHANG, "1").startswith(sms("book_doctor.done", "zh"))
    with db.session() as session:
        appointment = session.scalar(select(Appointment))
        assert appointment.day == TUESDAY and appointment.part_of_day == "afternoon"


def test_a_wrong_answer_is_asked_again_and_cancel_drops_the_draft(texts: Texts, db: Database, sms: Sms) -> None:
    texts.send(MARY, "MEAL")
    assert texts.send(MARY, "purple") == f"{sms('sorry.retry')} {sms('order_meal.ask_meal')} {sms.meals('en')}"
    assert texts.send(MARY, "CANCEL") == f"{sms('menu.cancelled')} {sms('menu.anything_else')}"
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(MealOrder)) == 0
        flagged = session.scalar(select(SmsMessage).where(SmsMessage.body == "purple"))
        assert flagged.flagged


def test_cancel_after_an_order_cancels_it(texts: Texts, db: Database, sms: Sms) -> None:
    texts.send(MARY, "meal lunch tomorrow")
    texts.send(MARY, "1")
    assert texts.send(MARY, "cancel").startswith(sms("menu.cancelled"))
    with db.session() as session:
        assert session.scalar(select(MealOrder.status)) == "cancelled"


def test_a_conversation_expires_after_the_idle_time_with_a_clear_message(texts: Texts, sms: Sms) -> None:
    texts.send(MARY, "MEAL")
    texts.wait(minutes=29)
    assert texts.send(MARY, "2") == sms("order_meal.ask_quantity")
    texts.wait(minutes=31)
    assert texts.send(MARY, "2") == " ".join([sms("sms.expired"), sms("menu.greeting", name="Mary Jones"),
                                              sms("menu.main")])
    assert texts.send(MARY, "2").startswith(sms("order_meal.ask_meal"))


def test_after_expiry_words_start_afresh_and_9_still_brings_help(texts: Texts, sms: Sms) -> None:
    texts.send(MARY, "MEAL")
    texts.wait(minutes=60)
    assert texts.send(MARY, "DOCTOR").startswith(sms("ask.day"))
    texts.wait(minutes=60)
    assert texts.send(MARY, "9") == sms("help.calling")


def test_taken_answers_the_medicine_reminder_texted_earlier(texts: Texts, db: Database, sms: Sms) -> None:
    task_id = medicine_reminder_task(db, HAROLD, "sms", NOW - timedelta(minutes=10))
    texts.send(HAROLD, "TAKEN")
    with db.session() as session:
        task = session.get(OutboundTask, task_id)
        assert (task.status, task.outcome) == ("done", "taken")
        dose = session.scalar(select(DoseEvent))
        assert (dose.status, dose.slot) == ("taken", "08:00")
    assert texts.send(HAROLD, "MEDS") == harolds_medicines(sms)


def test_an_unknown_number_gets_the_menu_in_the_language_it_writes(texts: Texts, sms: Sms) -> None:
    assert texts.send(STRANGER, "hello") == f"{sms('menu.greeting_unknown')} {sms('menu.main')}"
    assert texts.send(STRANGER_ZH, "你好") == f"{sms('menu.greeting_unknown', 'zh')} {sms('menu.main', 'zh')}"


def test_an_unknown_numbers_booking_becomes_a_new_caller_follow_up(texts: Texts, db: Database, sms: Sms) -> None:
    texts.send(STRANGER, "doctor tomorrow morning")
    assert texts.send(STRANGER, "1").endswith(f"{sms('menu.new_caller')} {sms('menu.anything_else')}")
    with db.session() as session:
        request = session.scalar(select(HelpRequest))
        appointment = session.scalar(select(Appointment))
        assert appointment.caller_phone == STRANGER
        assert (request.kind, request.reason, request.reason_values) == (
            "new_caller", "new_caller.appointment", {"id": appointment.id})


def test_an_unknown_number_gets_help(texts: Texts, db: Database, sms: Sms) -> None:
    assert texts.send(STRANGER_ZH, "救命") == sms("help.calling", "zh")
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
    task_id = medicine_reminder_task(db, sender, "sms", NOW - timedelta(minutes=10))
    texts.send(sender, reply)
    with db.session() as session:
        assert session.get(OutboundTask, task_id).outcome == outcome
        assert (session.scalar(select(DoseEvent.status)) == "taken") == (outcome == "taken")
