"""The telephony port's two backends: the Twilio REST API (any compatible carrier) and the outbox."""
import io

import pytest
from sqlalchemy import select

from assistant.config import Config, load_config
from assistant.db.database import Database
from assistant.db.models import Call, OutboxMessage, SmsMessage
from assistant.runtime import Runtime
from assistant.services.messaging import place_call, send_sms
from assistant.telephony import RecordingNotAllowed, TelephonyError, make_telephony
from assistant.telephony.signatures import is_valid, sign
from assistant.simulator.call import SimulatedCall
from assistant.telephony.console_backend import ConsoleTelephony
from assistant.telephony.twilio_backend import TwilioTelephony
from tests.telephony.carrier import local_carrier


def twilio_config(config: Config, base_url: str) -> Config:
    return load_config(overrides={
        "database.url": config.database.url, "twilio.account_sid": "AC" + "0" * 32,
        "twilio.auth_token": "secret", "twilio.from_number": "+15550009999",
        "twilio.api_base_url": base_url, "twilio.media_hosts": ["127.0.0.1"]}, environ={})


def test_console_mode_prints_and_the_outbox_keeps_every_call_and_sms(runtime: Runtime, capsys) -> None:
    assert runtime.telephony.mode == "console"
    with runtime.db.session() as session:
        sms = send_sms(session, runtime, "+15550123009", "Mary asked for help", purpose="alert_contact")
        call = place_call(session, runtime, "+15550100101", "/voice/x", purpose="alert")
        assert sms is not None and sms.message_sid.startswith("OB")
    with runtime.db.session() as session:
        rows = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        assert [(r.kind, r.status, r.to_number) for r in rows] == [
            ("sms", "sent", "+15550123009"), ("call", "sent", "+15550100101")]
        assert session.get(SmsMessage, sms.id).message_sid == rows[0].sid
        assert session.get(Call, call.id).call_sid == rows[1].sid
    printed = capsys.readouterr().out
    assert "Mary asked for help" in printed
    assert "+15550123009" not in printed


def test_twilio_backend_talks_to_the_configured_api_base_url(config: Config) -> None:
    with local_carrier() as carrier:
        telephony = TwilioTelephony(twilio_config(config, carrier.base_url).twilio)
        assert telephony.send_sms("+15550123009", "hello").startswith("SM")
        call_sid = telephony.place_call("+15550123001", "https://h.example/voice/outbound/1",
                                        status_callback="https://h.example/status/call",
                                        machine_detection=True)
        assert call_sid.startswith("CA")
    sms, call = carrier.requests
    assert sms["form"]["Body"] == ["hello"] and sms["auth"] == "AC" + "0" * 32
    assert call["form"]["MachineDetection"] == ["Enable"]
    assert call["form"]["From"] == ["+15550009999"]


def test_carrier_errors_become_one_line_telephony_errors(config: Config) -> None:
    with local_carrier() as carrier:
        carrier.fail_with = 400
        telephony = TwilioTelephony(twilio_config(config, carrier.base_url).twilio)
        with pytest.raises(TelephonyError, match="placing a call failed"):
            telephony.place_call("+15550123001", "https://h/x", status_callback="https://h/s")


def test_recordings_are_fetched_with_basic_auth_only_from_allowed_hosts(config: Config) -> None:
    with local_carrier() as carrier:
        telephony = TwilioTelephony(twilio_config(config, carrier.base_url).twilio)
        audio = telephony.fetch_recording(f"{carrier.base_url}/2010-04-01/Accounts/AC1/Recordings/RE1")
        assert audio.startswith(b"RIFF")
        with pytest.raises(RecordingNotAllowed):
            telephony.fetch_recording("https://evil.example/2010-04-01/Accounts/AC1/Recordings/RE1")
    assert carrier.requests[0]["auth"] == "AC" + "0" * 32


def test_console_mode_reads_simulator_recordings_but_nothing_else(config: Config, db: Database) -> None:
    telephony = make_telephony(config)
    folder = config.data_dir / "simulator"
    folder.mkdir(parents=True)
    (folder / "a.wav").write_bytes(b"RIFFdata")
    assert telephony.fetch_recording(f"file://{folder / 'a.wav'}") == b"RIFFdata"
    with pytest.raises(TelephonyError):
        telephony.fetch_recording("file:///etc/passwd")
    with pytest.raises(RecordingNotAllowed):
        telephony.fetch_recording("http://127.0.0.1:1/recording")


def test_signatures_follow_twilios_scheme() -> None:
    params = {"CallSid": "CA1", "From": "+15550123001"}
    signature = sign("secret", "https://h.example/voice/incoming", params)
    assert is_valid("secret", "https://h.example/voice/incoming", params, signature)
    assert not is_valid("secret", "https://h.example/voice/incoming", {**params, "From": "+1"}, signature)
    assert not is_valid("other", "https://h.example/voice/incoming", params, signature)
    assert not is_valid("secret", "https://h.example/voice/incoming", params, "")


def test_a_live_call_is_updated_with_new_twiml_over_rest(config: Config) -> None:
    with local_carrier() as carrier:
        telephony = TwilioTelephony(twilio_config(config, carrier.base_url).twilio)
        telephony.update_call("CA" + "1" * 32, "<Response><Say>Lunch, tomorrow.</Say></Response>")
        [update] = carrier.wait_for_update(1)
    assert update["call_sid"] == "CA" + "1" * 32
    assert update["twiml"] == "<Response><Say>Lunch, tomorrow.</Say></Response>"
    assert carrier.requests[0]["path"] == f"/2010-04-01/Accounts/AC{'0' * 32}/Calls/CA{'1' * 32}.json"
    assert carrier.requests[0]["auth"] == "AC" + "0" * 32


def test_a_call_update_to_a_carrier_that_does_not_answer_fails_in_one_line(config: Config) -> None:
    telephony = TwilioTelephony(twilio_config(config, "http://127.0.0.1:1").twilio)
    with pytest.raises(TelephonyError, match="updating a call failed: ConnectionError"):
        telephony.update_call("CA1", "<Response/>")


def test_recordings_are_deleted_at_the_carrier_and_one_already_gone_is_fine(config: Config) -> None:
    with local_carrier() as carrier:
        telephony = TwilioTelephony(twilio_config(config, carrier.base_url).twilio)
        url = carrier.add_recording(b"RIFF....WAVE")
        telephony.delete_recording(url)
        assert carrier.recordings == {}
        telephony.delete_recording(url)
        with pytest.raises(RecordingNotAllowed):
            telephony.delete_recording("https://evil.example/2010-04-01/Accounts/AC1/Recordings/RE1")
    assert [r["path"].rsplit("/", 1)[-1] for r in carrier.requests] == [url.rsplit("/", 1)[-1] + ".json"] * 2


def test_console_mode_prints_call_updates_or_tells_the_simulators_phone(config: Config) -> None:
    told: list[tuple[str, str]] = []
    printed = io.StringIO()
    ConsoleTelephony(config, out=printed).update_call("CA1", "<Response><Hangup/></Response>")
    assert printed.getvalue() == "[update] call CA1: <Response><Hangup/></Response>\n"
    followed = ConsoleTelephony(config, out=printed, on_update=lambda sid, twiml: told.append((sid, twiml)))
    followed.update_call("CA2", "<Response><Hangup/></Response>")
    assert told == [("CA2", "<Response><Hangup/></Response>")]
    assert "CA2" not in printed.getvalue()


def test_console_mode_deletes_the_simulators_copy_of_a_recording(config: Config, db: Database) -> None:
    telephony = make_telephony(config)
    folder = config.data_dir / "simulator"
    folder.mkdir(parents=True)
    (folder / "a.wav").write_bytes(b"RIFFdata")
    telephony.delete_recording(f"file://{folder / 'a.wav'}")
    assert not (folder / "a.wav").exists()
    with pytest.raises(TelephonyError):
        telephony.delete_recording("file:///etc/passwd")


def test_a_console_call_update_moves_the_simulated_phone_on(config: Config, db: Database, client) -> None:  # type: ignore[no-untyped-def]
    def post(url: str, params: dict[str, str]) -> tuple[int, str]:
        response = client.post(url.removeprefix(config.public_url), data=params)
        return response.status_code, response.get_data(as_text=True)

    phone = SimulatedCall(post, lambda audio: "", caller="+15550123001", hotline_number="+15550009999")
    phone.dial_in(f"{config.public_url}/voice/incoming")
    telephony = ConsoleTelephony(config, on_update=phone.follow)
    telephony.update_call("CA-another-call", "<Response><Hangup/></Response>")
    assert not phone.hung_up
    telephony.update_call(phone.call_sid, "<Response><Say>Lunch, tomorrow.</Say><Hangup/></Response>")
    assert phone.says() == "Lunch, tomorrow." and phone.hung_up
