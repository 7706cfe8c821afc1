"""The voice hotline driven by the keypad alone, through signed webhooks, as Twilio would."""
import pytest
from sqlalchemy import func, select

from assistant.db.database import Database
from assistant.db.models import Appointment, Call, ConversationSession, HelpRequest, MealOrder, SmsMessage, Turn
from tests.demo import CLINIC_LOPEZ, LI, MARY, MARY_SON, PROVIDER, SAM, ZHANG, load_demo
from tests.hotline import Hotline


@pytest.fixture(autouse=True)
def demo(db: Database) -> None:
    load_demo(db)


def test_a_registered_caller_is_greeted_by_name_with_the_keys_read_out(hotline: Hotline) -> None:
    call = hotline.call(MARY)
    assert "Hello Mary Jones" in call.says()
    assert "Press 1 for a doctor, 2 for meals, 3 for medicine, 9 for help, or 0 for a person." in call.says()
    assert "You can say" not in call.says()
    assert call.verb("Gather").attrib["numDigits"] == "1"


def test_a_mandarin_speaker_is_greeted_in_mandarin(hotline: Hotline) -> None:
    assert "张秀英，您好" in hotline.call(ZHANG).says()


def test_booking_a_doctor_by_keypad_only(hotline: Hotline, db: Database) -> None:
    call = hotline.call(MARY).press("1")
    assert "Which day would you like?" in call.says() and "Press 2 for tomorrow." in call.says()
    call.press("2")
    assert "Morning or afternoon?" in call.says()
    call.press("1")
    assert call.says().startswith("Dr. Ana Lopez, tomorrow, ") and "in the morning. Is that right?" in call.says()
    call.press("1")
    assert "I have asked for that appointment" in call.says()
    with db.session() as session:
        appointment = session.scalar(select(Appointment))
        assert appointment.doctor.name == "Dr. Ana Lopez" and appointment.part_of_day == "morning"
        assert appointment.status == "dispatched"
    to_clinic = [m for m in hotline.carrier.sent() if m["To"] == CLINIC_LOPEZ]
    assert len(to_clinic) == 1 and "Mary Jones" in to_clinic[0]["Body"]
    call.press("2")
    assert "Goodbye" in call.says() and call.hung_up


def test_a_meal_order_in_mandarin_by_keypad(hotline: Hotline, db: Database) -> None:
    call = hotline.call(ZHANG).press("2")
    assert "您要订哪一顿？" in call.says() and "午饭请按2。" in call.says()
    call.press("2").press("2")
    assert call.says().startswith("1份普通餐午饭，明天，")
    call.press("1")
    assert "订单已经发给Eastside Meals" in call.says()
    with db.session() as session:
        order = session.scalar(select(MealOrder))
        assert (order.meal, order.quantity, order.menu_item.code) == ("lunch", 1, "standard")
    to_provider = [m for m in hotline.carrier.sent() if m["To"] == PROVIDER]
    assert len(to_provider) == 1 and "张秀英" in to_provider[0]["Body"] and "88 Canal St" in to_provider[0]["Body"]


def test_pressing_9_opens_help_alerts_people_and_dials_on_call_volunteers_in_turn(
        hotline: Hotline, db: Database) -> None:
    call = hotline.call(MARY).press("9")
    assert "I am calling a volunteer for you right now" in call.says()
    assert call.dialled() == SAM
    with db.session() as session:
        request = session.scalar(select(HelpRequest))
        assert (request.status, request.severity, request.kind) == ("open", "urgent", "emergency")
    texts = {m["To"]: m["Body"] for m in hotline.carrier.sent()}
    assert "Mary Jones asked for help" in texts[MARY_SON] and "Sam Lee is handling it" in texts[MARY_SON]
    assert f"Reply ACK {request.id}" in texts[SAM] and "(pressed 9 for help)" in texts[SAM]
    assert f"回复ACK {request.id}" in texts[LI]
    call.dial_result("no-answer")
    assert call.dialled() == LI
    call.dial_result("busy")
    assert "I could not reach a volunteer" in call.says() and "call 911" in call.says()
    assert call.hung_up
    with db.session() as session:
        assert session.scalar(select(HelpRequest.status)) == "open"
        unanswered = session.scalars(select(SmsMessage).where(SmsMessage.purpose == "alert_unanswered"))
        assert {m.to_number for m in unanswered} == {SAM, LI, MARY_SON}


def test_help_answered_by_a_volunteer_ends_the_call(hotline: Hotline) -> None:
    call = hotline.call(MARY).press("9").dial_result("completed")
    assert call.hung_up


def test_three_silences_bring_a_person_to_the_line(hotline: Hotline, db: Database) -> None:
    call = hotline.call(MARY).silence()
    assert "Sorry, I didn't hear anything." in call.says()
    call.silence()
    assert "You can also use the keys on your phone." in call.says()
    call.silence()
    assert "Let me get a person to help you." in call.says() and call.dialled() == SAM
    with db.session() as session:
        turns = session.scalars(select(Turn).order_by(Turn.position)).all()
        assert [t.position for t in turns] == [0, 1, 2, 3]
        assert turns[0].prompt.startswith("Hello Mary Jones") and turns[3].prompt.startswith("Let me get")
        assert not any(t.needs_review for t in turns), "silence is not something to listen to"


def test_no_volunteer_answering_an_operator_call_takes_a_voice_message(hotline: Hotline, db: Database) -> None:
    call = hotline.call(MARY).press("0")
    assert "connect you to a person" in call.says()
    call.dial_result("no-answer").dial_result("no-answer")
    assert "leave a message after the tone" in call.says()
    call.play(b"RIFF....WAVE")
    assert "A volunteer will listen to your message" in call.says() and call.hung_up
    with db.session() as session:
        request = session.scalar(select(HelpRequest))
        assert (request.kind, request.severity) == ("voice_message", "normal")
        assert session.scalar(select(Turn).where(Turn.recording_path != "")).needs_review


def test_an_unknown_caller_chooses_a_language_and_gets_the_same_menu(hotline: Hotline) -> None:
    call = hotline.call("+15557770000")
    assert "For English, press 1." in call.says() and "中文服务，请按2" in call.says()
    call.press("2")
    assert "您好！这里是Community Care Line" in call.says() and "需要帮助请按9" in call.says()


def test_a_shared_phone_asks_who_is_speaking(hotline: Hotline, db: Database) -> None:
    from assistant.services.directory_import import import_directory
    with db.session() as session:
        import_directory(session, {"elders": [{"name": "Bill Jones", "phone": MARY}]}, region="US",
                         default_timezone="America/New_York")
    call = hotline.call(MARY)
    assert "Who is speaking, please?" in call.says()
    assert "Press 1 for Mary Jones." in call.says() and "Press 2 for Bill Jones." in call.says()
    assert "Hello Bill Jones" in call.press("2").says()


def test_a_retried_webhook_is_answered_again_but_acts_once(hotline: Hotline, db: Database) -> None:
    call = hotline.call(MARY)
    retried_start = hotline.post("/voice/incoming", call.params())
    assert "Hello Mary Jones" in retried_start.get_data(as_text=True)
    action = call.verb("Gather").attrib["action"]
    first = hotline.post(action, call.params(Digits="9")).get_data(as_text=True)
    again = hotline.post(action, call.params(Digits="9")).get_data(as_text=True)
    assert first == again
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(HelpRequest)) == 1
    assert len([m for m in hotline.carrier.sent() if m["To"] == MARY_SON]) == 1
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Call)) == 1


def test_a_request_with_a_bad_signature_is_refused_and_changes_nothing(hotline: Hotline, db: Database) -> None:
    params = {"CallSid": "CA" + "9" * 32, "From": MARY, "To": "+15550009999"}
    response = hotline.client.post("/voice/incoming", data=params, headers={"X-Twilio-Signature": "forged"})
    assert response.status_code == 403
    assert hotline.post("/voice/incoming", params, signed=False).status_code == 403
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Call)) == 0


@pytest.mark.parametrize(("path", "params"), [
    ("/voice/incoming", {"From": MARY}),
    ("/voice/incoming", {"CallSid": "CA\x00bad", "From": MARY}),
    ("/voice/step", {"CallSid": "CA1", "Digits": "1"}),
])
def test_malformed_parameters_are_answered_400_and_change_nothing(
        hotline: Hotline, db: Database, path: str, params: dict[str, str]) -> None:
    assert hotline.post(path, params).status_code == 400
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Call)) == 0


def test_a_withheld_number_is_served_as_an_unknown_caller(hotline: Hotline) -> None:
    call = hotline.call("anonymous")
    assert "For English, press 1." in call.says()
    assert "Hello, this is Community Care Line" in call.press("1").says()


def test_where_no_speech_engine_serves_the_language_prompts_ask_for_keys_only(hotline: Hotline) -> None:
    says = hotline.call(ZHANG).says()
    assert "看医生请按1" in says and "您可以说" not in says


def test_a_fault_mid_call_puts_the_caller_through_to_a_volunteer(hotline: Hotline, db: Database) -> None:
    call = hotline.call(MARY)
    with db.session() as session:
        session.scalar(select(ConversationSession)).state = "menu.removed_in_an_upgrade"
    call.press("1")
    assert "something went wrong on our side" in call.says() and call.dialled() == SAM
