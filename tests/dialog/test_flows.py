"""The conversations themselves, channel-agnostic: what is understood, asked, read back, done."""
from sqlalchemy import func, select

from assistant.db.database import Database
from assistant.db.models import Appointment, DoseEvent, HelpRequest, MealOrder, Purchase
from tests.demo import HAROLD, MARY, ZHANG


def test_a_booking_said_in_one_breath_goes_straight_to_the_read_back(converse) -> None:
    mary = converse(MARY)
    mary.start()
    mary.say("I'd like to see Dr Kim on Wednesday afternoon please")
    assert mary.state == "book_doctor.confirm"
    assert mary.said.startswith("Dr. Sarah Kim, Wednesday the 25th, in the afternoon. Is that right?")


def test_the_family_doctor_is_the_default_and_missing_slots_are_asked_for(converse) -> None:
    mary = converse(MARY)
    mary.start()
    mary.say("I need to book a doctor's appointment")
    assert mary.state == "book_doctor.ask_day"
    assert [c.label for c in mary.reply.choices][:3] == ["today", "tomorrow", "Wednesday"]
    mary.say("tomorrow")
    assert mary.state == "book_doctor.ask_part"
    mary.say("in the morning")
    assert mary.said == "Dr. Ana Lopez, tomorrow, Tuesday the 24th, in the morning. Is that right? Say yes or press 1. Say no or press 2."


def test_a_correction_at_the_read_back_changes_the_booking_and_reads_it_back_again(converse, db: Database) -> None:
    mary = converse(MARY)
    mary.start()
    mary.say("can I see the doctor tomorrow afternoon")
    mary.say("no, make it Thursday")
    assert mary.state == "book_doctor.confirm" and "Thursday the 26th, in the afternoon" in mary.said
    mary.say("yes")
    with db.session() as session:
        assert session.scalar(select(Appointment.day)).isoformat() == "2026-11-26"


def test_cancel_during_a_booking_drops_it_and_after_a_booking_cancels_it(converse, db: Database) -> None:
    mary = converse(MARY)
    mary.start()
    mary.say("I want lunch tomorrow")
    mary.say("cancel")
    assert "I have cancelled that" in mary.said
    mary.say("yes")
    mary.say("I want lunch tomorrow")
    mary.say("yes")
    mary.say("oh cancel that please")
    assert "I have cancelled that" in mary.said
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


def test_feeling_unwell_opens_a_non_urgent_call_back(converse, db: Database) -> None:
    mary = converse(MARY)
    mary.start()
    mary.say("I've had a bad cold all week and I'm not feeling too good")
    assert "A volunteer will call you back today" in mary.said
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


def test_the_misunderstanding_ladder_goes_retry_then_keypad_then_a_person(converse) -> None:
    mary = converse(MARY)
    mary.start()
    mary.say("the weather has been lovely lately")
    assert mary.said.startswith("Sorry, I didn't understand.") and not mary.reply.understood
    mary.say("my grandson visited on sunday")
    assert "You can also use the keys on your phone." in mary.said
    mary.say("the television is broken")
    assert mary.state == "operator.dialing"


def test_medicines_are_listed_and_a_dose_can_be_marked_taken(converse, db: Database) -> None:
    harold = converse(HAROLD)
    harold.start()
    harold.press("3")
    assert "Today you take Amlodipine at 09:00; Atorvastatin at 21:00." in harold.said
    harold.say("I took my amlodipine")
    assert "you took your Amlodipine" in harold.said
    with db.session() as session:
        dose = session.scalar(select(DoseEvent))
        assert (dose.slot, dose.status, dose.local_date.isoformat()) == ("09:00", "taken", "2026-11-23")


def test_running_out_becomes_a_purchase_for_a_volunteer(converse, db: Database) -> None:
    harold = converse(HAROLD)
    harold.start()
    harold.press("3")
    harold.press("2")
    assert harold.state == "medicine.which"
    harold.press("2")
    assert "buy more Atorvastatin" in harold.said
    with db.session() as session:
        assert session.scalar(select(Purchase.item)) == "Atorvastatin"


def test_a_mandarin_booking_by_words(converse) -> None:
    zhang = converse(ZHANG)
    zhang.start()
    zhang.say("我想明天上午去看王大夫")
    assert zhang.said.startswith("王医生，明天，11月24日星期二上午。对吗？")


def test_sms_replies_are_worded_for_reading(converse) -> None:
    mary = converse(MARY, channel="sms")
    mary.start()
    assert "Reply 1 doctor, 2 meal, 3 medicine, 9 help, 0 a person." in mary.said
    mary.say("DOCTOR TUE")
    assert mary.said.endswith("Right? Reply 1 yes, 2 no.") or mary.state == "book_doctor.ask_part"


def test_goodbye_ends_the_conversation(converse) -> None:
    mary = converse(MARY)
    mary.start()
    mary.say("that's all, goodbye dear")
    assert mary.reply.ends and "Goodbye" in mary.said


def test_an_unsure_understanding_is_read_back_before_anything_is_done(converse) -> None:
    mary = converse(MARY)
    mary.start()
    mary.say("please put me doun for super on sunday")
    assert mary.state == "menu.main"
    assert mary.said.startswith("I think you want to order a meal. Is that right?")
    mary.say("yes")
    assert mary.state == "order_meal.confirm" and "dinner, Sunday the 29th" in mary.said


def test_an_unsure_understanding_denied_asks_again(converse) -> None:
    mary = converse(MARY)
    mary.start()
    mary.say("please put me doun for super on sunday")
    mary.press("2")
    assert mary.state == "menu.main" and mary.said.startswith("Sorry, I didn't understand.")
