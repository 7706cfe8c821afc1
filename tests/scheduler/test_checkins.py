"""Daily check-in calls: answered, unanswered through the ladder, machines, skips, escalation."""
from __future__ import annotations

from assistant.db.models import Elder
from assistant.services.outbound import record_answer
from tests.conftest import Words
from tests.scheduler.conftest import (ELDER_PHONE, MONDAY, RETRY, SON_PHONE, VOLUNTEER_PHONE, Harness,
                                      local, update_elder)


def answer(harness: Harness, task_id: int, what: str) -> None:
    with harness.rt.db.session() as session:
        record_answer(session, harness.rt, task_id, what, now=harness.clock.now())


def test_a_checkin_is_called_at_its_local_time_and_answered_fine(harness: Harness, elder: Elder) -> None:
    harness.at(local(MONDAY, "09:29"))
    assert harness.outbox("call") == []
    harness.at(local(MONDAY, "09:30"))
    [call] = harness.outbox("call", ELDER_PHONE)
    [task, _tomorrow] = harness.tasks("checkin")
    assert call.body == f"{harness.rt.config.public_url}/voice/outbound/{task.id}"
    assert call.params["machine_detection"] is True
    assert harness.task(task.id).status == "in_progress"

    answer(harness, task.id, "fine")
    harness.call_status("completed", answered_by="human", duration=40)
    harness.later(3 * 3600)

    assert (harness.task(task.id).status, harness.task(task.id).outcome) == ("done", "fine")
    assert len(harness.outbox("call")) == 1
    assert harness.help_requests() == []


def test_a_checkin_answered_help_ends_the_task_without_retrying(harness: Harness, elder: Elder) -> None:
    harness.at(local(MONDAY, "09:30"))
    task = harness.tasks("checkin")[0]
    answer(harness, task.id, "help")
    answer(harness, task.id, "help")  # a retried webhook changes nothing
    harness.call_status("completed", answered_by="human", duration=25)
    harness.later(2 * RETRY)
    assert (harness.task(task.id).status, harness.task(task.id).outcome) == ("done", "help")
    assert len(harness.outbox("call")) == 1


def test_an_unanswered_checkin_is_retried_then_escalated_to_contacts_and_volunteers(
        harness: Harness, elder: Elder) -> None:
    harness.at(local(MONDAY, "09:30"))
    task = harness.tasks("checkin")[0]
    for status in ("no-answer", "busy"):
        harness.call_status(status)
        assert harness.task(task.id).status == "retry"
        harness.later(RETRY - 1)
        assert len(harness.outbox("call")) == len(harness.task(task.id).call_sids)
        harness.later(1)
    assert len(harness.outbox("call", ELDER_PHONE)) == 3
    harness.call_status("failed")

    done = harness.task(task.id)
    assert (done.status, done.attempt, len(done.call_sids)) == ("escalated", 3, 3)
    [request] = harness.help_requests()
    assert (request.kind, request.severity, request.status) == ("missed_checkin", "urgent", "open")
    assert done.payload["help_request_id"] == request.id
    [to_son] = harness.outbox("sms", SON_PHONE)
    assert "Mary Jones did not answer" in to_son.body
    [to_volunteer] = harness.outbox("sms", VOLUNTEER_PHONE)
    assert f"ACK {request.id}" in to_volunteer.body
    harness.later(3 * RETRY)
    assert len(harness.outbox("call")) == 3


def test_an_answering_machine_counts_as_no_answer(harness: Harness, elder: Elder) -> None:
    harness.at(local(MONDAY, "09:30"))
    task = harness.tasks("checkin")[0]
    harness.call_status("completed", answered_by="machine_end_beep", duration=20)
    assert (harness.task(task.id).status, harness.task(task.id).outcome) == ("retry", "machine")
    harness.later(RETRY)
    assert len(harness.outbox("call", ELDER_PHONE)) == 2


def test_answered_without_an_answer_is_retried(harness: Harness, elder: Elder) -> None:
    harness.at(local(MONDAY, "09:30"))
    task = harness.tasks("checkin")[0]
    answer(harness, task.id, "no_response")
    harness.call_status("completed", answered_by="human", duration=30)
    assert (harness.task(task.id).status, harness.task(task.id).attempt) == ("retry", 1)


def test_a_lost_status_callback_counts_as_unanswered_after_an_hour(harness: Harness, elder: Elder) -> None:
    harness.at(local(MONDAY, "09:30"))
    task = harness.tasks("checkin")[0]
    harness.later(3600)
    assert (harness.task(task.id).status, harness.task(task.id).outcome) == ("retry", "no_status")


def test_an_away_elder_is_not_called(harness: Harness, elder: Elder) -> None:
    update_elder(harness.rt, elder.id, away_until=local(MONDAY, "12:00"))
    harness.at(local(MONDAY, "09:30"))
    task = harness.tasks("checkin")[0]
    assert (harness.task(task.id).status, harness.task(task.id).outcome) == ("skipped", "away")
    harness.later(3600)
    assert harness.outbox("call") == [] and harness.help_requests() == []


def test_an_inactive_elder_is_not_called_nor_planned(harness: Harness, elder: Elder) -> None:
    harness.at(local(MONDAY, "09:00"))
    update_elder(harness.rt, elder.id, active=False)
    harness.at(local(MONDAY, "09:30"))
    assert harness.tasks("checkin")[0].outcome == "inactive"
    assert harness.outbox("call") == []


def test_a_changed_checkin_time_is_not_called_at_the_old_time(harness: Harness, elder: Elder) -> None:
    harness.at(local(MONDAY, "09:00"))
    update_elder(harness.rt, elder.id, checkin_time="10:00")
    harness.at(local(MONDAY, "09:30"))
    assert harness.outbox("call") == []
    harness.later(10 * 60)  # replanned within PLAN_EVERY
    harness.at(local(MONDAY, "10:00"))
    assert len(harness.outbox("call")) == 1


def test_an_sms_checkin_waits_for_a_reply_then_retries(harness: Harness, elder: Elder, words: Words) -> None:
    update_elder(harness.rt, elder.id, checkin_channel="sms")
    harness.at(local(MONDAY, "09:30"))
    [text] = harness.outbox("sms", ELDER_PHONE)
    assert text.body == words("checkin.start", "en", "sms", name="Mary Jones", part_of_day=words("part.morning"))
    harness.later(RETRY)
    assert len(harness.outbox("sms", ELDER_PHONE)) == 2
