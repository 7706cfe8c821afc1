"""One acting scheduler, takeover when it dies, and no call placed twice across a crash."""
from __future__ import annotations

import threading
from dataclasses import replace

import pytest

from assistant.db.models import Elder
from assistant.runtime import Runtime
from assistant.scheduler.lock import LEASE_SECONDS
from assistant.scheduler.service import Scheduler, TickResult
from assistant.telephony import Telephony
from tests.scheduler.conftest import ELDER_PHONE, MONDAY, Harness, local


def test_two_schedulers_started_at_once_only_one_acts(harness: Harness, elder: Elder) -> None:
    harness.clock.set(local(MONDAY, "09:30"))
    schedulers = [harness.scheduler, Scheduler(harness.rt, holder="scheduler-b")]
    results: list[TickResult] = []
    start = threading.Barrier(len(schedulers))

    def run(scheduler: Scheduler) -> None:
        start.wait()
        results.append(scheduler.tick())

    threads = [threading.Thread(target=run, args=(s,)) for s in schedulers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(result.acting for result in results) == [False, True]
    assert len(harness.outbox("call", ELDER_PHONE)) == 1


def test_a_second_scheduler_takes_over_when_the_first_dies(harness: Harness, elder: Elder) -> None:
    standby = Scheduler(harness.rt, holder="scheduler-b")
    assert harness.at(local(MONDAY, "09:00")).acting
    assert not standby.tick().acting
    harness.clock.advance(LEASE_SECONDS - 1)
    assert not standby.tick().acting
    harness.clock.set(local(MONDAY, "09:30"))  # the first one died without a word
    assert standby.tick().acting
    assert len(harness.outbox("call", ELDER_PHONE)) == 1
    assert not harness.tick().acting


def test_a_clean_shutdown_hands_over_at_once(harness: Harness, elder: Elder) -> None:
    standby = Scheduler(harness.rt, holder="scheduler-b")
    harness.tick()
    harness.scheduler.stop()
    assert standby.tick().acting


class Crash(BaseException):
    """The process dies: nothing after this point runs, no handler catches it."""


class DiesAfterDialling:
    """The real (console) backend, but the process dies just after the call went out."""

    def __init__(self, inner: Telephony) -> None:
        self.inner = inner
        self.mode = inner.mode

    def place_call(self, *args: object, session: object = None, **kwargs: object) -> str:
        self.inner.place_call(*args, **kwargs)  # type: ignore[arg-type]  # committed on its own: it went out
        raise Crash()


def test_a_crash_between_placing_a_call_and_recording_it_never_calls_twice(
        harness: Harness, elder: Elder, runtime: Runtime) -> None:
    doomed = Scheduler(replace(runtime, telephony=DiesAfterDialling(runtime.telephony)),  # type: ignore[arg-type]
                       holder="doomed")
    harness.clock.set(local(MONDAY, "09:30"))
    with pytest.raises(Crash):
        doomed.tick()
    [task, _] = harness.tasks("checkin")
    assert task.status == "placing" and task.call_sids == []
    assert len(harness.outbox("call", ELDER_PHONE)) == 1

    harness.later(LEASE_SECONDS + 1)  # a new scheduler takes over after the lease lapses
    harness.later(3600)
    assert len(harness.outbox("call", ELDER_PHONE)) == 1
    recovered = harness.task(task.id)
    assert (recovered.status, recovered.outcome) == ("failed", "interrupted")
    [review] = harness.help_requests()
    assert review.elder_id == elder.id and review.status == "open"
    assert (review.reason, review.reason_values) == ("interrupted", {"task": task.id})


def test_a_checkin_missed_while_down_is_placed_once_within_grace(harness: Harness, elder: Elder) -> None:
    harness.at(local(MONDAY, "09:00"))
    harness.at(local(MONDAY, "09:40"))  # down from 09:00 to 09:40; grace is 15 minutes
    assert len(harness.outbox("call", ELDER_PHONE)) == 1


def test_a_checkin_missed_beyond_grace_is_escalated_not_placed(harness: Harness, elder: Elder) -> None:
    harness.at(local(MONDAY, "09:00"))
    harness.at(local(MONDAY, "10:00"))
    assert harness.outbox("call", ELDER_PHONE) == []
    [task, _] = harness.tasks("checkin")
    assert (task.status, task.outcome) == ("escalated", "missed_while_down")
    assert [r.kind for r in harness.help_requests()] == ["missed_checkin"]
