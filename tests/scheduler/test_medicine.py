"""Medicine reminders by call or SMS: taken, later (once), missed, and the missed-dose report."""
from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from assistant.db.models import Contact, DoseEvent, Elder, Medication, SmsOptOut
from assistant.runtime import Runtime
from assistant.services.outbound import pending_sms_reminder, record_answer
from tests.conftest import Words
from tests.scheduler.conftest import (ELDER_PHONE, MONDAY, RETRY, SON_PHONE, Harness, local,
                                      update_elder)


def add_medication(rt: Runtime, elder: Elder, channel: str, times: list[str], name: str = "Metformin") -> int:
    with rt.db.session() as session:
        medication = Medication(elder_id=elder.id, name=name, dose="500 mg", times=times, channel=channel)
        session.add(medication)
        session.flush()
        return medication.id


def doses(rt: Runtime) -> list[tuple[date, str, str]]:
    with rt.db.session() as session:
        return [(d.local_date, d.slot, d.status) for d in session.scalars(
            select(DoseEvent).order_by(DoseEvent.local_date, DoseEvent.slot))]


def answer(harness: Harness, task_id: int, what: str) -> None:
    with harness.rt.db.session() as session:
        record_answer(session, harness.rt, task_id, what, now=harness.clock.now())


def test_a_reminder_by_sms_is_marked_taken_by_a_reply(harness: Harness, elder: Elder) -> None:
    add_medication(harness.rt, elder, "sms", ["08:00"])
    harness.at(local(MONDAY, "08:00"))
    [text] = harness.outbox("sms", ELDER_PHONE)
    assert "Metformin, 500 mg" in text.body and "TAKEN" in text.body
    harness.clock.advance(120)
    with harness.rt.db.session() as session:
        task = pending_sms_reminder(session, elder.id, harness.clock.now())
        assert task is not None
        record_answer(session, harness.rt, task.id, "taken", now=harness.clock.now())
    assert doses(harness.rt) == [(MONDAY, "08:00", "taken")]
    harness.later(3 * RETRY)
    assert len(harness.outbox("sms", ELDER_PHONE)) == 1


def test_later_re_reminds_once_after_the_configured_delay(harness: Harness, elder: Elder) -> None:
    add_medication(harness.rt, elder, "call", ["12:00"])
    harness.at(local(MONDAY, "12:00"))
    task = harness.tasks("medicine")[0]
    answer(harness, task.id, "later")
    answer(harness, task.id, "later")  # a retried webhook is not a second "later"
    harness.call_status("completed", answered_by="human", duration=30)
    assert doses(harness.rt) == [(MONDAY, "12:00", "later")]
    delay = harness.rt.config.outbound.later_delay_seconds
    harness.later(delay - 1)
    assert len(harness.outbox("call")) == 1
    harness.later(1)
    assert len(harness.outbox("call", ELDER_PHONE)) == 2
    answer(harness, task.id, "later")
    harness.call_status("completed", answered_by="human", duration=30)
    harness.later(2 * delay)
    assert len(harness.outbox("call")) == 2
    assert (harness.task(task.id).status, harness.task(task.id).outcome) == ("done", "later")


@pytest.mark.parametrize(("sons_language", "reads"), [("", "en"), ("zh", "zh")])
def test_two_missed_doses_in_a_row_are_reported_to_the_contact_once_in_the_contacts_language(
        harness: Harness, elder: Elder, words: Words, sons_language: str, reads: str) -> None:
    with harness.rt.db.session() as session:
        session.scalar(select(Contact)).language = sons_language
    harness.rt.config.outbound.retry.attempts = 1
    update_elder(harness.rt, elder.id, checkin_time=None)  # the clock jumps: no check-in to miss
    add_medication(harness.rt, elder, "sms", ["08:00", "20:00"])
    harness.at(local(MONDAY, "08:00"))
    harness.later(RETRY)
    assert doses(harness.rt) == [(MONDAY, "08:00", "missed")]
    assert harness.help_requests() == []
    harness.at(local(MONDAY, "20:00"))
    harness.later(RETRY)
    [request] = harness.help_requests()
    assert (request.kind, request.severity, request.status) == ("missed_doses", "normal", "open")
    assert (request.reason, request.reason_values) == ("missed_doses", {"medications": "Metformin", "count": 2})
    [to_son] = harness.outbox("sms", SON_PHONE)
    said = words("reason.missed_doses", reads, "sms", medications="Metformin", count=2)
    assert to_son.body == words("alert.contact.missed_doses", reads, "sms", elder="Mary Jones", said=said,
                                handler="Sam Lee")
    harness.at(local(date(2024, 6, 4), "08:00"))
    harness.later(RETRY)  # a third in a row is the same streak: no second report
    assert len(harness.help_requests()) == 1


def test_doses_due_together_make_one_call(harness: Harness, elder: Elder) -> None:
    add_medication(harness.rt, elder, "call", ["08:00"])
    add_medication(harness.rt, elder, "sms", ["08:00"], name="Aspirin")
    harness.at(local(MONDAY, "08:00"))
    assert len(harness.outbox("call", ELDER_PHONE)) == 1
    task = harness.tasks("medicine")[0]
    answer(harness, task.id, "taken")
    assert [status for *_, status in doses(harness.rt)] == ["taken", "taken"]


def test_an_opted_out_elder_gets_no_sms_reminder(harness: Harness, elder: Elder) -> None:
    add_medication(harness.rt, elder, "sms", ["08:00"])
    with harness.rt.db.session() as session:
        session.add(SmsOptOut(phone=ELDER_PHONE))
    harness.at(local(MONDAY, "08:00"))
    task = harness.tasks("medicine")[0]
    assert (harness.task(task.id).status, harness.task(task.id).outcome) == ("skipped", "opted_out")
    assert harness.outbox("sms") == []


def test_taken_and_later_are_not_answers_to_a_checkin(harness: Harness, elder: Elder) -> None:
    harness.at(local(MONDAY, "09:30"))
    task = harness.tasks("checkin")[0]
    with pytest.raises(ValueError):
        answer(harness, task.id, "taken")


def test_a_dose_she_reported_taken_is_not_turned_missed_when_the_reminder_gives_up(
        harness: Harness, elder: Elder) -> None:
    from assistant.services.medication import mark_taken

    harness.rt.config.outbound.retry.attempts = 1
    update_elder(harness.rt, elder.id, checkin_time=None)
    medication_id = add_medication(harness.rt, elder, "sms", ["08:00"])
    harness.at(local(MONDAY, "08:00"))
    with harness.rt.db.session() as session:
        mark_taken(session, session.get(Medication, medication_id),
                   local(MONDAY, "08:05").astimezone(ZoneInfo("America/New_York")), source="call")
    harness.later(RETRY)
    assert doses(harness.rt) == [(MONDAY, "08:00", "taken")]
