"""The conversations themselves, channel-agnostic: what is understood, asked, read back, done."""
from datetime import date

import pytest
from sqlalchemy import func, select

from assistant import wording
from assistant.db.database import Database
from assistant.db.models import Appointment, DoseEvent, HelpRequest, MealOrder, Purchase
from tests.conftest import Words
from tests.demo import HAROLD, MARY, ZHANG

TODAY, TUESDAY, WEDNESDAY, THURSDAY, SUNDAY = (date(2026, 11, day) for day in (23, 24, 25, 26, 29))


class Said:
    """What the caller hears, by prompt key, on the voice channel (or `channel`)."""

    def __init__(self, words: Words) -> None:
        self.words = words

    def __call__(self, name: str, lang: str = "en", /, channel: str = "voice", **values: object) -> str:
        return self.words(name, lang, channel, **values)

    def when(self, day: date, part: str = "", lang: str = "en") -> str:
        return wording.when_text(self.words.languages, lang, day, TODAY, part_of_day=part)


@pytest.fixture
def said(words: Words) -> Said:
    return Said(words)


def test_a_booking_said_in_one_breath_goes_straight_to_the_read_back(converse, said: Said) -> None:
    mary = converse(MARY)
    mary.start()
    mary.say("I'd like to see Dr Kim on Wednesday afternoon please")
    assert mary.state == "book_doctor.confirm"
    assert mary.said == said("book_doctor.confirm", doctor="Dr. Sarah Kim", when=said.when(WEDNESDAY, "afternoon"))


def test_the_family_doctor_is_the_default_and_missing_slots_are_asked_for(converse, said: Said) -> None:
    mary = converse(MARY)
    mary.start()
    mary.say("I need to book a doctor's appointment")
    assert mary.state == "book_doctor.ask_day"
    assert [c.label for c in mary.reply.choices][:3] == [said("day.today"), said("day.tomorrow"), said("weekday.2")]
    mary.say("tomorrow")
    assert mary.state == "book_doctor.ask_part"
    mary.say("in the morning")
    assert mary.said == said("book_doctor.confirm", doctor="Dr. Ana Lopez", when=said.when(TUESDAY, "morning"))


def test_a_correction_at_the_read_back_changes_the_booking_and_reads_it_back_again(
        converse, db: Database, said: Said) -> None:
    mary = converse(MARY)
    mary.start()
    mary.say("can I see the doctor tomorrow afternoon")
    mary.say("no, make it Thursday")
    assert mary.state == "book_doctor.confirm" and said.when(THURSDAY, "afternoon") in mary.said
    mary.say("yes")
    with db.session() as session:
        assert session.scalar(select(Appointment.day)).isoformat() == "2026-11-26"


def test_cancel_during_a_booking_drops_it_and_after_a_booking_cancels_it(converse, db: Database, said: Said) -> None:
    mary = converse(MARY)
    mary.start()
    mary.say("I want lunch tomorrow")
    mary.say("cancel")
    assert said("menu.cancelled") in mary.said
    mary.say("yes")
    mary.say("I want lunch tomorrow")
    mary.say("yes")
    mary.say("oh cancel that please")
    assert said("menu.cancelled") in mary.said
    with db.session() as session:
        assert session.scalar(select(MealOrder.status)) == "cancelled"


def test_help_is_heard_at_any_step_and_wins_over_everything_else(converse, db: Database) -> None:
    mary = converse(MARY)
    mary.start()
    mary.say("I'd like lunch on Friday")
    mary.say("I fell and I can't get up, and I also wanted to order lunch")
    assert mary.state == "help.dialing" and mary.reply.action is not None
    with db.session() as session:
        assert session.scalar(select(HelpRequest.severity)) == "urgent"


def test_saying_you_dont_need_help_is_not_an_emergency(converse, db: Database) -> None:
    mary = converse(MARY)
    mary.start()
    mary.say("I don't need help, I'm fine")
    assert mary.state == "menu.anything_else"
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(HelpRequest)) == 0


def test_feeling_unwell_opens_a_non_urgent_call_back(converse, db: Database, said: Said) -> None:
    mary = converse(MARY)
    mary.start()
    mary.say("I've had a bad cold all week and I'm not feeling too good")
    assert said("help.callback") in mary.said
    with db.session() as session:
        request = session.scalar(select(HelpRequest))
        assert (request.kind, request.severity) == ("callback", "normal")


def test_repeat_says_the_last_question_again_more_slowly(converse) -> None:
    mary = converse(MARY)
    mary.start()
    question = mary.reply.lines[-1]
    mary.press("*")
    assert mary.reply.slow and mary.reply.lines == [question]
    mary.say("sorry what was that")
    assert mary.reply.slow


def test_the_misunderstanding_ladder_goes_retry_then_keypad_then_a_person(converse, said: Said) -> None:
    mary = converse(MARY)
    mary.start()
    mary.say("the weather has been lovely lately")
    assert mary.said.startswith(said("sorry.retry")) and not mary.reply.understood
    mary.say("my grandson visited on sunday")
    assert said("sorry.keypad") in mary.said
    mary.say("the television is broken")
    assert mary.state == "operator.dialing"


def test_medicines_are_listed_and_a_dose_can_be_marked_taken(converse, db: Database, said: Said) -> None:
    harold = converse(HAROLD)
    harold.start()
    harold.press("3")
    schedule = "; ".join([said("medicine.dose", medication="Amlodipine", times="09:00"),
                          said("medicine.dose", medication="Atorvastatin", times="21:00")])
    assert harold.said == said("medicine.schedule", schedule=schedule, options=said("medicine.options"))
    harold.say("I took my amlodipine")
    assert said("medicine.taken", medication="Amlodipine") in harold.said
    with db.session() as session:
        dose = session.scalar(select(DoseEvent))
        assert (dose.slot, dose.status, dose.local_date.isoformat()) == ("09:00", "taken", "2026-11-23")


def test_running_out_becomes_a_purchase_for_a_volunteer(converse, db: Database, said: Said) -> None:
    harold = converse(HAROLD)
    harold.start()
    harold.press("3")
    harold.press("2")
    assert harold.state == "medicine.which"
    harold.press("2")
    assert said("medicine.ran_out", medication="Atorvastatin") in harold.said
    with db.session() as session:
        assert session.scalar(select(Purchase.item)) == "Atorvastatin"


def test_a_mandarin_booking_by_words(converse, said: Said) -> None:
    zhang = converse(ZHANG)
    zhang.start()
    zhang.say("我想明天上午去看王大夫")
    assert zhang.said == said("book_doctor.confirm", "zh", doctor="王医生", when=said.when(TUESDAY, "morning", "zh"))


def test_sms_replies_are_worded_for_reading(converse, said: Said) -> None:
    mary = converse(MARY, channel="sms")
    mary.start()
    assert said("menu.main", channel="sms") in mary.said
    mary.say("DOCTOR TUE")
    assert mary.state == "book_doctor.ask_part" and mary.said == said("ask.part", channel="sms")


def test_goodbye_ends_the_conversation(converse, said: Said) -> None:
    mary = converse(MARY)
    mary.start()
    mary.say("that's all, goodbye dear")
    assert mary.reply.ends and mary.said == said("menu.goodbye")


def test_an_unsure_understanding_is_read_back_before_anything_is_done(converse, said: Said) -> None:
    mary = converse(MARY)
    mary.start()
    mary.say("please put me doun for super on sunday")
    assert mary.state == "menu.main"
    assert mary.said == said("menu.confirm_intent", what=said("what.order_meal"))
    mary.say("yes")
    assert mary.state == "order_meal.confirm"
    assert mary.said == said("order_meal.confirm", quantity=1, item="Soft food", meal=said("meal.dinner"),
                             when=said.when(SUNDAY))


def test_an_unsure_understanding_denied_asks_again(converse, said: Said) -> None:
    mary = converse(MARY)
    mary.start()
    mary.say("please put me doun for super on sunday")
    mary.press("2")
    assert mary.state == "menu.main" and mary.said.startswith(said("sorry.retry"))
