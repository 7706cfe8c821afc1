"""The voice hotline driven by the keypad alone, through signed webhooks, as Twilio would.

What the caller hears is asserted by prompt key (`words`), in the caller's language."""
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from assistant import wording
from assistant.db.database import Database
from assistant.db.models import (Appointment, Call, ConversationSession, HelpRequest, MealMenuItem, MealOrder,
                                 MealProvider, SmsMessage, Turn)
from assistant.services.directory_import import import_directory
from tests.conftest import Words
from tests.demo import CLINIC_LOPEZ, LANGUAGES, LI, MARY, MARY_SON, PROVIDER, SAM, ZHANG, load_demo
from tests.hotline import Hotline

STRANGER = "+15557770000"


@pytest.fixture(autouse=True)
def demo(db: Database) -> None:
    load_demo(db)


def test_a_registered_caller_is_greeted_by_name_with_the_keys_read_out(hotline: Hotline, words: Words) -> None:
    call = hotline.call(MARY)
    assert call.says() == f"{words('menu.greeting', name='Mary Jones')} {words('menu.main')}"
    assert call.verb("Gather").attrib["numDigits"] == "1"


def test_a_mandarin_speaker_is_greeted_in_mandarin_in_a_mandarin_voice(hotline: Hotline, words: Words) -> None:
    call = hotline.call(ZHANG)
    assert call.says().startswith(words("menu.greeting", "zh", name="张秀英"))
    assert {(say.attrib["voice"], say.attrib["language"]) for say in call.twiml.iter("Say")} == {
        ("Polly.Zhiyu", "cmn-CN")}


def test_booking_a_doctor_by_keypad_only(hotline: Hotline, db: Database, words: Words) -> None:
    call = hotline.call(MARY).press("1")
    assert words("ask.day") in call.says()
    assert words("choice.item", key=2, label=words("day.tomorrow")) in call.says()
    call.press("2")
    assert words("ask.part") in call.says()
    call.press("1")
    with db.session() as session:
        conv = session.scalar(select(ConversationSession))
        assert conv.state == "book_doctor.confirm"
    call.press("1")
    assert words("book_doctor.done") in call.says()
    with db.session() as session:
        appointment = session.scalar(select(Appointment))
        assert appointment.doctor.name == "Dr. Ana Lopez" and appointment.part_of_day == "morning"
        assert appointment.status == "dispatched"
    to_clinic = [m for m in hotline.carrier.sent() if m["To"] == CLINIC_LOPEZ]
    assert len(to_clinic) == 1 and "Mary Jones" in to_clinic[0]["Body"]
    call.press("2")
    assert words("menu.goodbye") in call.says() and call.hung_up


@pytest.mark.parametrize(("caller", "lang", "elder", "item", "address"), [
    (MARY, "en", "Mary Jones", "soft", "12 Oak St"), (ZHANG, "zh", "张秀英", "standard", "88 Canal St, 3F")])
@pytest.mark.parametrize("provider_lang", LANGUAGES)
def test_a_keypad_caller_orders_two_lunches_and_the_provider_reads_2_x_in_its_language(
        hotline: Hotline, db: Database, words: Words, caller: str, lang: str, elder: str, item: str,
        address: str, provider_lang: str) -> None:
    with db.session() as session:
        session.scalar(select(MealProvider)).language = provider_lang
    call = hotline.call(caller).press("2")
    assert words("order_meal.ask_meal", lang) in call.says()
    assert words("choice.item", lang, key=2, label=words("meal.lunch", lang)) in call.says()
    call.press("2")
    assert words("order_meal.ask_quantity", lang) in call.says()
    call.press("2")
    assert words("ask.day", lang) in call.says()
    call.press("2")
    with db.session() as session:
        menu_item = session.scalar(select(MealMenuItem).where(MealMenuItem.code == item))
        names = {code: menu_item.names.get(code) or menu_item.name for code in LANGUAGES}
        tomorrow = date.fromisoformat(session.scalar(select(ConversationSession.slots))["date"])

    def when(in_lang: str, channel: str) -> str:
        return wording.day_text(words.languages, in_lang, tomorrow, tomorrow - timedelta(days=1), channel)
    assert call.says() == words("order_meal.confirm", lang, quantity=2, item=names[lang],
                                meal=words("meal.lunch", lang), when=when(lang, "keypad"))
    call.press("1")
    assert call.says().startswith(words("order_meal.done", lang, provider="Eastside Meals",
                                        when=when(lang, "keypad")))
    with db.session() as session:
        order = session.scalar(select(MealOrder))
        assert (order.meal, order.quantity, order.menu_item.code, order.status) == ("lunch", 2, item, "dispatched")
    [to_provider] = [m["Body"] for m in hotline.carrier.sent() if m["To"] == PROVIDER]
    assert to_provider == words("notify.meal", provider_lang, "sms", id=order.id, quantity=2,
                                item=names[provider_lang], meal=words("meal.lunch", provider_lang),
                                day=when(provider_lang, "sms"), elder=elder, address=address)


def test_pressing_9_opens_help_alerts_people_in_their_languages_and_dials_volunteers_in_turn(
        hotline: Hotline, db: Database, words: Words) -> None:
    call = hotline.call(MARY).press("9")
    assert words("help.calling") in call.says()
    assert call.dialled() == SAM
    with db.session() as session:
        request = session.scalar(select(HelpRequest))
        assert (request.status, request.severity, request.kind) == ("open", "urgent", "emergency")
    texts = {m["To"]: m["Body"] for m in hotline.carrier.sent()}
    pressed = {lang: words("reason.pressed_key", lang, "sms") for lang in LANGUAGES}
    assert texts[MARY_SON] == words("alert.contact.emergency", "en", "sms", elder="Mary Jones",
                                    said=pressed["en"], handler="Sam Lee")
    assert texts[SAM] == words("alert.volunteer.urgent", "en", "sms", id=request.id, who="Mary Jones",
                               phone=MARY, said=pressed["en"])
    assert texts[LI] == words("alert.volunteer.urgent", "zh", "sms", id=request.id, who="Mary Jones",
                              phone=MARY, said=pressed["zh"])
    call.dial_result("no-answer")
    assert call.dialled() == LI
    call.dial_result("busy")
    assert call.says() == words("help.nobody") and call.hung_up
    with db.session() as session:
        assert session.scalar(select(HelpRequest.status)) == "open"
        unanswered = session.scalars(select(SmsMessage).where(SmsMessage.purpose == "alert_unanswered"))
        bodies = {m.to_number: m.body for m in unanswered}
    assert bodies == {phone: words("alert.unanswered", lang, "sms", id=request.id, who="Mary Jones", phone=MARY,
                                   said=pressed[lang])
                      for phone, lang in ((SAM, "en"), (LI, "zh"), (MARY_SON, "en"))}


def test_help_answered_by_a_volunteer_ends_the_call(hotline: Hotline) -> None:
    call = hotline.call(MARY).press("9").dial_result("completed")
    assert call.hung_up


def test_three_silences_bring_a_person_to_the_line(hotline: Hotline, db: Database, words: Words) -> None:
    call = hotline.call(MARY).silence()
    assert call.says().startswith(words("sorry.silence"))
    call.silence()
    assert words("sorry.keypad") in call.says()
    call.silence()
    assert call.says().startswith(words("sorry.person")) and call.dialled() == SAM
    with db.session() as session:
        turns = session.scalars(select(Turn).order_by(Turn.position)).all()
        assert [t.position for t in turns] == [0, 1, 2, 3]
        assert turns[0].prompt.startswith(words("menu.greeting", name="Mary Jones"))
        assert turns[3].prompt.startswith(words("sorry.person"))
        assert not any(t.needs_review for t in turns), "silence is not something to listen to"


def test_no_volunteer_answering_an_operator_call_takes_a_voice_message(
        hotline: Hotline, db: Database, words: Words) -> None:
    call = hotline.call(MARY).press("0")
    assert words("operator.connecting") in call.says()
    call.dial_result("no-answer").dial_result("no-answer")
    assert words("operator.message") in call.says()
    call.play(b"RIFF....WAVE")
    assert words("operator.message_saved") in call.says() and call.hung_up
    with db.session() as session:
        request = session.scalar(select(HelpRequest))
        assert (request.kind, request.severity) == ("voice_message", "normal")
        assert session.scalar(select(Turn).where(Turn.recording_path != "")).needs_review


def test_an_unknown_caller_hears_each_language_offered_in_its_own_voice(hotline: Hotline, words: Words) -> None:
    call = hotline.call(STRANGER)
    says = [("".join(say.itertext()), say.attrib["voice"], say.attrib["language"]) for say in call.twiml.iter("Say")]
    assert says == [(words("language.choose"), "Polly.Joanna", "en-US"),
                    (words("choice.item", "en", key=1, label="English"), "Polly.Joanna", "en-US"),
                    (words("choice.item", "zh", key=2, label="中文"), "Polly.Zhiyu", "cmn-CN")]
    call.press("2")
    assert call.says() == f"{words('menu.greeting_unknown', 'zh')} {words('menu.main', 'zh')}"


def test_a_shared_phone_asks_who_is_speaking(hotline: Hotline, db: Database, words: Words) -> None:
    with db.session() as session:
        import_directory(session, {"elders": [{"name": "Bill Jones", "phone": MARY}]}, region="US",
                         default_timezone="America/New_York", languages=LANGUAGES)
    call = hotline.call(MARY)
    assert words("menu.who") in call.says()
    assert words("choice.item", key=1, label="Mary Jones") in call.says()
    assert words("choice.item", key=2, label="Bill Jones") in call.says()
    assert words("menu.greeting", name="Bill Jones") in call.press("2").says()


def test_a_retried_webhook_is_answered_again_but_acts_once(hotline: Hotline, db: Database) -> None:
    call = hotline.call(MARY)
    first_start = ET.tostring(call.twiml, encoding="unicode")
    retried_start = hotline.post("/voice/incoming", call.params())
    assert ET.tostring(ET.fromstring(retried_start.get_data(as_text=True)), encoding="unicode") == first_start
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


def test_a_withheld_number_is_served_as_an_unknown_caller(hotline: Hotline, words: Words) -> None:
    call = hotline.call("anonymous")
    assert call.says().startswith(words("language.choose"))
    assert call.press("1").says().startswith(words("menu.greeting_unknown"))


def test_where_no_speech_engine_serves_the_language_prompts_ask_for_keys_only(hotline: Hotline, words: Words) -> None:
    says = hotline.call(ZHANG).says()
    assert words("menu.main", "zh", "keypad") in says and words("menu.main", "zh", "voice") not in says


def test_a_fault_mid_call_puts_the_caller_through_to_a_volunteer(hotline: Hotline, db: Database, words: Words) -> None:
    call = hotline.call(MARY)
    with db.session() as session:
        session.scalar(select(ConversationSession)).state = "menu.removed_in_an_upgrade"
    call.press("1")
    assert call.says() == words("fault.connecting") and call.dialled() == SAM
