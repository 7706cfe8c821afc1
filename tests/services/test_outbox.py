"""The outbox: calls and SMS are sent after the deciding transaction commits, by a sender that
a stalled or failing carrier cannot turn into a stalled hotline, and each is sent once."""
from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from assistant.db.database import Database
from assistant.db.models import HelpRequest, OutboxMessage, SmsMessage
from assistant.runtime import Runtime
from assistant.clock import ManualClock
from assistant.services.outbox_sender import MAX_ATTEMPTS, UNSURE_SECONDS
from assistant.telephony import twilio_backend
from assistant.telephony.port import TIMEOUTS
from assistant.web.dashboard import board
from tests.demo import LI, MARY, MARY_SON, SAM, load_demo
from tests.hotline import HOTLINE_NUMBER, Hotline, carrier, config_path, extra_settings, hotline  # noqa: F401
from tests.telephony.carrier import Carrier


@pytest.fixture(autouse=True)
def demo(db: Database) -> None:
    load_demo(db)


def _help_text(hotline: Hotline, sid: str = "SM" + "1" * 32) -> dict[str, str]:
    return {"MessageSid": sid, "From": MARY, "To": HOTLINE_NUMBER, "Body": "HELP"}


def _rows(db: Database) -> list[OutboxMessage]:
    with db.session() as session:
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_every_request_to_the_carrier_has_connect_and_read_timeouts(runtime: Runtime) -> None:
    assert runtime.telephony.client.http_client.timeout == TIMEOUTS  # type: ignore[attr-defined]
    assert all(seconds > 0 for seconds in TIMEOUTS)


def test_a_stalled_carrier_holds_no_webhook_and_everything_is_sent_once_it_recovers(
        hotline: Hotline, carrier: Carrier, runtime: Runtime, db: Database) -> None:
    runtime.outbox.start()
    try:
        carrier.open_gate.clear()
        answered: list[int] = []
        help_text = threading.Thread(target=lambda: answered.append(
            hotline.post("/sms/incoming", _help_text(hotline)).status_code))
        help_text.start()
        help_text.join(timeout=8)
        assert answered == [200]  # answered while the carrier still held the first alert
        other = hotline.post("/voice/incoming", {"CallSid": "CA" + "5" * 32, "From": "+15550123002",
                                                 "To": HOTLINE_NUMBER, "CallStatus": "ringing"})
        assert other.status_code == 200 and b"<Say" in other.data
        assert carrier.sent() == []
        carrier.open_gate.set()
        deadline = threading.Event()
        for _ in range(100):
            if all(row.status == "sent" for row in _rows(db)):
                break
            deadline.wait(0.1)
    finally:
        runtime.outbox.stop()
    rows = _rows(db)
    assert {row.to_number for row in rows} == {MARY_SON, SAM, LI}
    assert all(row.status == "sent" and row.attempts == 1 for row in rows)
    assert sorted(m["To"] for m in carrier.sent()) == sorted(row.to_number for row in rows)
    with db.session() as session:
        stored = session.scalars(select(SmsMessage).where(SmsMessage.purpose.like("alert%"))).all()
        assert {m.message_sid for m in stored} == {row.sid for row in rows}


def test_carrier_errors_are_retried_with_backoff_then_shown_on_the_now_page(
        hotline: Hotline, carrier: Carrier, runtime: Runtime, db: Database) -> None:
    clock = ManualClock(datetime.now(timezone.utc))
    runtime.clock = clock
    carrier.fail_with = 500
    assert hotline.post("/sms/incoming", _help_text(hotline)).status_code == 200
    first = _rows(db)
    assert all(row.status == "pending" and row.attempts == 1 and row.last_error for row in first)
    runtime.outbox.drain()
    assert all(row.attempts == 1 for row in _rows(db))  # not before its backoff
    for _ in range(MAX_ATTEMPTS):
        clock.advance(3600)
        runtime.outbox.drain()
    rows = _rows(db)
    assert all(row.status == "failed" and row.attempts == MAX_ATTEMPTS for row in rows)
    with db.session() as session:
        now_page = board.build(session, clock.now())
        assert {m.to_number for m in now_page.unsent} == {MARY_SON, SAM, LI}
        assert all(m.flagged and m.status == "failed" for m in session.scalars(
            select(SmsMessage).where(SmsMessage.purpose.like("alert%"))))
        assert session.scalars(select(HelpRequest)).one().status == "open"


def test_a_send_that_timed_out_is_settled_by_the_carriers_callback_not_sent_twice(
        hotline: Hotline, carrier: Carrier, config, db: Database,  # type: ignore[no-untyped-def]
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(twilio_backend, "TIMEOUTS", (2.0, 0.5))
    slow = Runtime.build(config, db)
    clock = ManualClock(datetime.now(timezone.utc))
    slow.clock = clock
    carrier.open_gate.clear()
    with db.session() as session:
        from assistant.services.messaging import send_sms
        send_sms(session, slow, SAM, "test alert", purpose="alert_volunteer")
    [row] = [r for r in _rows(db) if r.body == "test alert"]
    assert row.status == "unsure" and "Timeout" in row.last_error
    carrier.open_gate.set()  # the carrier took it after all
    response = hotline.post(f"/status/sms?ref={row.ref}", {"MessageSid": "SM" + "9" * 32,
                                                            "MessageStatus": "sent"})
    assert response.status_code == 204
    clock.advance(UNSURE_SECONDS + timedelta(seconds=1).total_seconds())
    slow.outbox.drain()
    [row] = [r for r in _rows(db) if r.body == "test alert"]
    assert (row.status, row.sid, row.attempts) == ("sent", "SM" + "9" * 32, 1)
