"""Dispatch: place what is due, paced, inside calling hours, never twice.

Crash safety comes from the order of writes. A task is claimed ("placing") in its own committed
transaction; a second one writes the call or SMS to the outbox together with the task's new
state, and the outbox sender sends it after that commit. A crash in between leaves the task in
"placing", which recovery sends to a person instead of dialling again: an elder may miss a
call, but is never called twice.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from assistant.db.models import AWAITING, Elder, OutboundTask, TaskKind, TaskStatus
from assistant.phones import mask
from assistant.runtime import Runtime
from assistant.scheduler import messages
from assistant.scheduler.pacing import TokenBucket
from assistant.services import outbound
from assistant.services.calling_hours import CallingHours, zone
from assistant.services.messaging import is_opted_out, place_call, send_sms
from assistant.services.tasks import TaskKey, needs_reply

log = logging.getLogger(__name__)

BATCH = 200
CALL_WAIT = timedelta(hours=1)
"""A call whose final status never arrived (a lost callback) counts as unanswered after this."""
ELDER_KINDS = (TaskKind.CHECKIN, TaskKind.MEDICINE, TaskKind.APPOINTMENT)


@dataclass(frozen=True)
class Verdict:
    action: str
    """"place", "skip" (with `outcome`) or "defer" (to `until`)."""
    outcome: str = ""
    until: datetime | None = None


PLACE = Verdict("place")


class Dispatcher:
    def __init__(self, rt: Runtime) -> None:
        self.rt, self.clock = rt, rt.clock
        self.hours = CallingHours(rt.config.outbound.calling_hours)
        self.bucket = TokenBucket(rt.config.outbound.calls_per_second, self.clock.now())

    def run(self, keep_lease: Callable[[], bool]) -> int:
        """One pass: expire unanswered waits, then place due tasks while the rate, the concurrency
        limit and the lease allow. Returns how many calls and SMS went out."""
        self._expire_waiting(self.clock.now())
        now = self.clock.now()
        with self.rt.db.session() as session:
            busy = session.scalar(select(func.count()).select_from(OutboundTask).where(
                OutboundTask.status.in_((TaskStatus.PLACING, TaskStatus.IN_PROGRESS)), OutboundTask.channel == "call")) or 0
            due = session.execute(
                select(OutboundTask, Elder).outerjoin(Elder, Elder.id == OutboundTask.elder_id)
                .where(OutboundTask.status.in_(AWAITING), OutboundTask.next_attempt_at <= now)
                .order_by(OutboundTask.next_attempt_at, OutboundTask.id).limit(BATCH)).all()
        sent = 0
        for task, elder in due:
            now = self.clock.now()
            is_call = task.channel == "call"
            if not self._settle(task, elder, now) or (is_call and busy >= self.rt.config.outbound.max_concurrent_calls):
                continue
            if not self.bucket.take(now) or not keep_lease():
                break
            if self._place(task, elder, now):
                sent += 1
                busy += is_call
        return sent

    def _settle(self, task: OutboundTask, elder: Elder | None, now: datetime) -> bool:
        """Skip or defer the task if it must not go out now; True if it should be placed."""
        with self.rt.db.session() as session:
            verdict = self._verdict(session, task, elder, now)
            if verdict.action == "skip":
                log.info("task %d (%s) skipped: %s", task.id, task.kind, verdict.outcome)
                session.execute(update(OutboundTask).where(OutboundTask.id == task.id)
                                .values(status=TaskStatus.SKIPPED, outcome=verdict.outcome, updated_at=now))
            elif verdict.action == "defer":
                session.execute(update(OutboundTask).where(OutboundTask.id == task.id)
                                .values(next_attempt_at=verdict.until, updated_at=now))
        return verdict.action == "place"

    def _verdict(self, session: Session, task: OutboundTask, elder: Elder | None, now: datetime) -> Verdict:
        if task.kind in ELDER_KINDS:
            if elder is None or not elder.active:
                return Verdict("skip", "inactive")
            if elder.away_until is not None and elder.away_until > now:
                return Verdict("skip", "away")
            if task.attempt == 0 and not self._still_scheduled(session, task, elder):
                return Verdict("skip", "schedule_changed")
        if task.channel == "sms" and is_opted_out(session, messages.recipient(session, task, elder)):
            return Verdict("skip", "opted_out")
        if task.channel == "call" and task.kind in ELDER_KINDS:
            assert elder is not None
            allowed = self.hours.next_allowed(now, zone(elder.timezone))
            if allowed != now:
                return Verdict("defer", until=allowed)
        return PLACE

    @staticmethod
    def _still_scheduled(session: Session, task: OutboundTask, elder: Elder) -> bool:
        if task.kind == TaskKind.CHECKIN:
            return elder.checkin_time == TaskKey.parse(task.key).slot
        if task.kind == TaskKind.MEDICINE:
            return bool(messages.due_medications(session, task))
        return messages.open_appointment(session, task) is not None

    def _place(self, task: OutboundTask, elder: Elder | None, now: datetime) -> bool:
        with self.rt.db.session() as session:
            claimed = session.execute(
                update(OutboundTask)
                .where(OutboundTask.id == task.id, OutboundTask.status == task.status,
                       OutboundTask.attempt == task.attempt)
                .values(status=TaskStatus.PLACING, attempt=task.attempt + 1, updated_at=now)).rowcount == 1
        if not claimed:
            return False
        try:
            with self.rt.db.session() as session:
                return self._deliver(session, task, elder, now)
        except Exception:
            log.exception("task %d (%s) failed while placing; left for a person", task.id, task.kind)
            with self.rt.db.session() as session:
                session.execute(update(OutboundTask).where(OutboundTask.id == task.id)
                                .values(status=TaskStatus.FAILED, outcome="error", updated_at=now))
            return False

    def _deliver(self, session: Session, task: OutboundTask, elder: Elder | None, now: datetime) -> bool:
        to = messages.recipient(session, task, elder)
        if task.channel == "call":
            sid: str | None = place_call(session, self.rt, to, f"/voice/outbound/{task.id}", purpose=task.kind,
                                         elder_id=task.elder_id, machine_detection=True,
                                         task_id=task.id).call_sid
        else:
            message = send_sms(session, self.rt, to, messages.sms_body(session, self.rt, task, elder),
                               purpose=task.kind, elder_id=task.elder_id)
            sid = message.message_sid if message else None
        if sid is None:
            fresh = session.get(OutboundTask, task.id)
            assert fresh is not None
            outbound.unanswered(session, self.rt, fresh, now, "failed")
            return False
        log.info("task %d (%s) attempt %d to %s: %s", task.id, task.kind, task.attempt + 1, mask(to), sid)
        values: dict[str, object] = {"call_sids": [*task.call_sids, sid], "updated_at": now,
                                     "status": TaskStatus.IN_PROGRESS}
        if task.channel == "call":
            values["next_attempt_at"] = now + CALL_WAIT
        elif needs_reply(task):
            values["next_attempt_at"] = now + timedelta(seconds=self.rt.config.outbound.retry.interval_seconds)
        else:
            values.update(status=TaskStatus.DONE, outcome="sent")
        session.execute(update(OutboundTask).where(OutboundTask.id == task.id).values(**values))
        return True

    def _expire_waiting(self, now: datetime) -> None:
        """Tasks whose reply (SMS) or final call status never came are unanswered attempts."""
        with self.rt.db.session() as session:
            ids = session.scalars(select(OutboundTask.id).where(
                OutboundTask.status == TaskStatus.IN_PROGRESS, OutboundTask.next_attempt_at <= now)
                .order_by(OutboundTask.next_attempt_at).limit(BATCH)).all()
        for task_id in ids:
            with self.rt.db.session() as session:
                task = session.get(OutboundTask, task_id)
                if task is not None and task.status == TaskStatus.IN_PROGRESS and task.next_attempt_at <= now:
                    sms = task.channel == "sms"
                    outbound.unanswered(session, self.rt, task, now, "no_reply" if sms else "no_status",
                                        waited=sms)
