"""One acting scheduler, takeover when it dies, and no call placed twice across a crash."""
from __future__ import annotations

import threading
from dataclasses import replace

import pytest

from assistant.db.models import Elder
from assistant.runtime import Runtime
from assistant.scheduler.lock import LEASE_SECONDS
from assistant.scheduler.service import Scheduler, TickResult
from assistant.services.outbox_sender import CLAIM_SECONDS, UNSURE_SECONDS
from assistant.telephony import Telephony
from tests.scheduler.conftest import ELDER_PHONE, MONDAY, Harness, local


def test_two_schedulers_started_at_once_only_one_acts(harness: Harness, elder: Elder) -> None:
    harness.clock.set(local(MONDAY, "09:30"))
    schedulers = [harness.scheduler, Scheduler(harness.rt, holder="scheduler-b", lease_clock=harness.clock)]
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
    standby = Scheduler(harness.rt, holder="scheduler-b", lease_clock=harness.clock)
    assert harness.at(local(MONDAY, "09:00")).acting
    assert not standby.tick().acting
    harness.clock.advance(LEASE_SECONDS - 1)
    assert not standby.tick().acting
    harness.clock.set(local(MONDAY, "09:30"))  # the first one died without a word
    assert standby.tick().acting
    assert len(harness.outbox("call", ELDER_PHONE)) == 1
    assert not harness.tick().acting


def test_a_clean_shutdown_hands_over_at_once(harness: Harness, elder: Elder) -> None:
    standby = Scheduler(harness.rt, holder="scheduler-b", lease_clock=harness.clock)
    harness.tick()
    harness.scheduler.stop()
    assert standby.tick().acting


class Crash(BaseException):
    """The process dies: nothing after this point runs, no handler catches it."""


class DiesAfterDialling:
    """The real (console) backend, counting calls; optionally the process dies just after one
    went out."""

    def __init__(self, inner: Telephony) -> None:
        self.inner = inner
        self.mode = inner.mode
        self.placed = 0
        self.dies = True

    def place_call(self, *args: object, **kwargs: object) -> str:
        sid = self.inner.place_call(*args, **kwargs)  # type: ignore[arg-type]
        self.placed += 1
        if self.dies:
            raise Crash()
        return sid


def _crash_after_the_carrier_took_the_checkin(harness: Harness, runtime: Runtime) -> DiesAfterDialling:
    runtime.telephony = carrier = DiesAfterDialling(runtime.telephony)
    harness.clock.set(local(MONDAY, "09:30"))
    with pytest.raises(Crash):
        harness.tick()
    carrier.dies = False  # the process restarts
    [row] = harness.outbox("call", ELDER_PHONE)
    assert row.status == "sending"
    return carrier


def test_a_sender_that_dies_after_the_carrier_took_a_call_never_calls_twice(
        harness: Harness, elder: Elder, runtime: Runtime) -> None:
    carrier = _crash_after_the_carrier_took_the_checkin(harness, runtime)
    harness.clock.advance(CLAIM_SECONDS + 1)
    runtime.outbox.drain()
    [row] = harness.outbox("call", ELDER_PHONE)
    assert row.status == "unsure"
    harness.clock.advance(UNSURE_SECONDS + 1)
    runtime.outbox.drain()
    [row] = harness.outbox("call", ELDER_PHONE)
    assert row.status == "failed" and "unsure" in row.last_error
    assert carrier.placed == 1


def test_the_carriers_status_callback_settles_a_call_the_sender_died_on(
        harness: Harness, elder: Elder, runtime: Runtime) -> None:
    carrier = _crash_after_the_carrier_took_the_checkin(harness, runtime)
    [row] = harness.outbox("call", ELDER_PHONE)
    response = harness.client.post(f"/status/call?ref={row.ref}",
                                   data={"CallSid": "CA" + "7" * 32, "CallStatus": "ringing"})
    assert response.status_code == 204
    [row] = harness.outbox("call", ELDER_PHONE)
    assert (row.status, row.sid) == ("sent", "CA" + "7" * 32)
    assert harness.last_call_sid() == "CA" + "7" * 32
    [task, _] = harness.tasks("checkin")
    assert task.call_sids == ["CA" + "7" * 32]
    harness.clock.advance(CLAIM_SECONDS + UNSURE_SECONDS + 2)
    runtime.outbox.drain()
    assert carrier.placed == 1


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


def test_the_lease_is_timed_by_the_database_so_a_host_whose_clock_runs_ahead_cannot_take_it(
        runtime: Runtime) -> None:
    from datetime import timedelta

    from assistant.db.base import utcnow
    from assistant.clock import ManualClock

    first = Scheduler(runtime, holder="scheduler-a")
    assert first.tick().acting
    ahead = Scheduler(replace(runtime, clock=ManualClock(utcnow() + timedelta(hours=1))), holder="scheduler-b")
    assert not ahead.tick().acting
    first.stop()
