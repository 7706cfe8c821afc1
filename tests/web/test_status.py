"""Twilio status callbacks: signatures, parameters, SMS delivery, and calling back short hang-ups."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from assistant.clock import ManualClock
from assistant.db.models import Call, Elder, HelpRequest, OutboundTask, OutboxMessage, SmsMessage
from assistant.runtime import Runtime
from assistant.telephony.signatures import sign

TOKEN = "test-auth-token"
CALLER = "+15550123001"


@pytest.fixture
def signed(app: Flask, runtime: Runtime) -> FlaskClient:
    runtime.config.twilio.auth_token = TOKEN
    runtime.clock = ManualClock(datetime(2024, 6, 3, 14, tzinfo=timezone.utc))
    return app.test_client()


def post(client: FlaskClient, runtime: Runtime, path: str, form: dict[str, str], *, valid: bool = True):  # type: ignore[no-untyped-def]
    signature = sign(TOKEN, f"{runtime.config.public_url}{path}", form) if valid else "bogus"
    return client.post(path, data=form, headers={"X-Twilio-Signature": signature})


def add_call(runtime: Runtime, **values: object) -> None:
    with runtime.db.session() as session:
        session.add(Call(**values))


def test_a_callback_without_a_valid_signature_is_refused_and_changes_nothing(
        signed: FlaskClient, runtime: Runtime) -> None:
    add_call(runtime, call_sid="CA1", direction="outbound", purpose="checkin", status="queued")
    form = {"CallSid": "CA1", "CallStatus": "completed"}
    assert signed.post("/status/call", data=form).status_code == 403
    assert post(signed, runtime, "/status/call", form, valid=False).status_code == 403
    with runtime.db.session() as session:
        assert session.scalars(select(Call.status)).one() == "queued"
    assert post(signed, runtime, "/status/call", form).status_code == 204
    with runtime.db.session() as session:
        assert session.scalars(select(Call.status)).one() == "completed"


@pytest.mark.parametrize(("path", "form"), [
    ("/status/call", {"CallStatus": "completed"}),
    ("/status/call", {"CallSid": "CA1"}),
    ("/status/sms", {"MessageStatus": "delivered"}),
])
def test_a_callback_missing_its_sid_or_status_is_a_bad_request(
        signed: FlaskClient, runtime: Runtime, path: str, form: dict[str, str]) -> None:
    assert post(signed, runtime, path, form).status_code == 400


def test_a_call_status_records_duration_and_answering_machine(signed: FlaskClient, runtime: Runtime) -> None:
    add_call(runtime, call_sid="CA2", direction="outbound", purpose="alert", status="queued")
    form = {"CallSid": "CA2", "CallStatus": "completed", "AnsweredBy": "machine_start", "CallDuration": "12"}
    assert post(signed, runtime, "/status/call", form).status_code == 204
    with runtime.db.session() as session:
        call = session.scalars(select(Call)).one()
        assert (call.outcome, call.answered_by, call.duration_seconds) == ("machine", "machine_start", 12)
        assert call.ended_at is not None


def test_an_undelivered_sms_is_flagged_and_a_failed_alert_to_a_contact_becomes_a_call(
        signed: FlaskClient, runtime: Runtime) -> None:
    with runtime.db.session() as session:
        request = HelpRequest(kind="emergency")
        session.add(request)
        session.flush()
        session.add_all([
            SmsMessage(message_sid="SM1", direction="outbound", to_number="+15550123009",
                       purpose="alert_contact", help_request_id=request.id, status="queued"),
            SmsMessage(message_sid="SM2", direction="outbound", to_number=CALLER, purpose="medicine",
                       status="queued")])
        request_id = request.id
    for sid in ("SM1", "SM2", "SM1"):  # the repeated callback places no second call
        form = {"MessageSid": sid, "MessageStatus": "undelivered", "ErrorCode": "30003"}
        assert post(signed, runtime, "/status/sms", form).status_code == 204
    with runtime.db.session() as session:
        assert all(m.flagged and m.status == "undelivered" for m in session.scalars(select(SmsMessage)))
        [call] = session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "call")).all()
        assert call.to_number == "+15550123009"
        assert call.body.endswith(f"/voice/alert/{request_id}")


def hang_up(signed: FlaskClient, runtime: Runtime, sid: str, elder_id: int, duration: int = 3) -> None:
    add_call(runtime, call_sid=sid, direction="inbound", purpose="hotline", from_number=CALLER,
             elder_id=elder_id)
    form = {"CallSid": sid, "CallStatus": "completed", "CallDuration": str(duration)}
    assert post(signed, runtime, "/status/call", form).status_code == 204


def test_a_caller_who_hangs_up_before_the_greeting_is_called_back_at_most_three_times_a_day(
        signed: FlaskClient, runtime: Runtime) -> None:
    with runtime.db.session() as session:
        mary = Elder(name="Mary Jones", phone=CALLER, timezone="America/New_York")
        session.add(mary)
    hang_up(signed, runtime, "CA10", mary.id, duration=25)  # a real conversation: no call-back
    for n in range(4):
        hang_up(signed, runtime, f"CA2{n}", mary.id)
    with runtime.db.session() as session:
        tasks = list(session.scalars(select(OutboundTask).order_by(OutboundTask.id)))
    assert [t.key for t in tasks] == [f"{CALLER}:callback:2024-06-03:CA2{n}" for n in range(3)]
    assert all(t.kind == "callback" and t.elder_id == mary.id and t.status == "pending" for t in tasks)


def test_an_alert_sms_that_fails_is_delivered_and_fails_again_gets_one_call(
        signed: FlaskClient, runtime: Runtime) -> None:
    with runtime.db.session() as session:
        request = HelpRequest(kind="emergency")
        session.add(request)
        session.flush()
        session.add(SmsMessage(message_sid="SM9", direction="outbound", to_number="+15550123009",
                               purpose="alert_contact", help_request_id=request.id, status="queued"))
    for status in ("failed", "delivered", "failed"):
        form = {"MessageSid": "SM9", "MessageStatus": status}
        assert post(signed, runtime, "/status/sms", form).status_code == 204
    with runtime.db.session() as session:
        assert len(session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "call")).all()) == 1


@pytest.mark.parametrize(("path", "form"), [
    ("/status/call", {"CallSid": "CA3", "CallStatus": "completed", "AnsweredBy": "machine_" + "x" * 40}),
    ("/status/call", {"CallSid": "CA3", "CallStatus": "c" * 30}),
    ("/status/call", {"CallSid": "CA3", "CallStatus": "completed", "CallDuration": "9" * 30}),
    ("/status/sms", {"MessageSid": "SM3", "MessageStatus": "d" * 30}),
])
def test_over_long_status_values_are_refused_or_cut_never_a_crash(
        signed: FlaskClient, runtime: Runtime, path: str, form: dict[str, str]) -> None:
    add_call(runtime, call_sid="CA3", direction="outbound", purpose="alert", status="queued")
    with runtime.db.session() as session:
        session.add(SmsMessage(message_sid="SM3", direction="outbound", to_number=CALLER, status="queued"))
    assert post(signed, runtime, path, form).status_code in (204, 400)


def test_a_caller_who_hangs_up_after_the_greeting_without_a_word_is_called_back(
        signed: FlaskClient, runtime: Runtime) -> None:
    with runtime.db.session() as session:
        mary = Elder(name="Mary Jones", phone=CALLER, timezone="America/New_York")
        session.add(mary)
    form = {"CallSid": "CA40", "From": CALLER, "To": "+15550009999", "CallStatus": "ringing"}
    assert post(signed, runtime, "/voice/incoming", form).status_code == 200
    with runtime.db.session() as session:
        assert session.scalars(select(Call)).one().turns  # the greeting is stored as a turn
    form = {"CallSid": "CA40", "CallStatus": "completed", "CallDuration": "4"}
    assert post(signed, runtime, "/status/call", form).status_code == 204
    with runtime.db.session() as session:
        [task] = session.scalars(select(OutboundTask)).all()
        assert task.kind == "callback" and task.payload["call_sid"] == "CA40"
