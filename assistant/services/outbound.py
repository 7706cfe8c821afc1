"""What happened to an outbound task: the elder's answer, a call's end, or silence (the ladder).

The dialog reports answers with `record_answer`; the voice channel reports the end of each
call with `on_call_ended`; the scheduler's dispatcher reports placements that failed and
replies that never came. Each moves the task along one ladder: retry within calling hours
while attempts remain, then give up as the kind requires (escalate a check-in, mark doses
missed...).
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.db.models import Call, DoseStatus, Elder, OutboundTask, TaskKind, TaskStatus
from assistant.runtime import Runtime
from assistant.services import doses, escalation
from assistant.services.calling_hours import CallingHours, zone

log = logging.getLogger(__name__)

ANSWERS = ("fine", "unwell", "help", "taken", "later", "no_response")
MEDICINE_ANSWERS = ("taken", "later")
LATE_REPLY = timedelta(hours=6)
"""How long after a reminder an SMS reply (TAKEN) is still taken to be about it."""


class UnknownTask(LookupError):
    """No outbound task has this id."""


def record_answer(session: Session, rt: Runtime, task_id: int, answer: str, *, now: datetime) -> None:
    """Record what the elder answered to task `task_id` (see ANSWERS).

    "unwell" and "help" requests are opened by the dialog; here only the task and doses change.
    A repeated answer (a retried webhook) changes nothing.
    """
    task = session.get(OutboundTask, task_id)
    if task is None:
        raise UnknownTask(task_id)
    if answer not in ANSWERS or (answer in MEDICINE_ANSWERS and task.kind != TaskKind.MEDICINE):
        raise ValueError(f"{answer!r} is not an answer to a {task.kind} task")
    if task.status != TaskStatus.IN_PROGRESS and task.outcome == answer:
        return
    if answer == "no_response":
        if task.status == TaskStatus.IN_PROGRESS:
            unanswered(session, rt, task, now, "no_response")
        return
    if answer == "later" and not task.payload.get("later"):
        task.status, task.outcome, task.attempt = TaskStatus.PENDING, "later", 0
        task.payload = {**task.payload, "later": True}
        task.next_attempt_at = now + timedelta(seconds=rt.config.outbound.later_delay_seconds)
    else:
        task.status, task.outcome = TaskStatus.DONE, answer
    if task.kind == TaskKind.MEDICINE and answer in MEDICINE_ANSWERS:
        doses.record_doses(session, task, DoseStatus(answer), task.channel, now)


def pending_sms_reminder(session: Session, elder_id: int, now: datetime, *,
                         kinds: tuple[str, ...] = (TaskKind.MEDICINE,)) -> OutboundTask | None:
    """The latest SMS reminder of `kinds` an elder's reply refers to: one still waiting for a
    reply, or one given up on in the last few hours (a late TAKEN still marks the dose)."""
    return session.scalars(
        select(OutboundTask)
        .where(OutboundTask.elder_id == elder_id, OutboundTask.channel == "sms",
               OutboundTask.kind.in_(kinds),
               OutboundTask.status.in_((TaskStatus.IN_PROGRESS, TaskStatus.RETRY, TaskStatus.MISSED,
                                        TaskStatus.ESCALATED)),
               OutboundTask.due_at.between(now - LATE_REPLY, now))
        .order_by(OutboundTask.due_at.desc(), OutboundTask.id.desc()).limit(1)).first()


def task_for_call(session: Session, call: Call) -> OutboundTask | None:
    """The in-progress task that placed `call` (its kind is the call's purpose)."""
    owner = (OutboundTask.elder_id == call.elder_id if call.elder_id is not None
             else OutboundTask.elder_id.is_(None))
    candidates = session.scalars(select(OutboundTask).where(
        owner, OutboundTask.kind == call.purpose, OutboundTask.status == TaskStatus.IN_PROGRESS))
    return next((task for task in candidates if call.call_sid in task.call_sids), None)


def on_call_ended(session: Session, rt: Runtime, call: Call, outcome: str, now: datetime) -> None:
    """A scheduler call ended with `outcome` ("answered", "machine", "busy", "no-answer"...):
    unless the dialog recorded an answer meanwhile, the task was not answered. Only the task's
    latest call counts, so a late or repeated callback changes nothing."""
    task = task_for_call(session, call)
    if task is None or task.call_sids[-1] != call.call_sid:
        return
    if outcome == "answered" and task.kind == TaskKind.CALLBACK:
        task.status, task.outcome = TaskStatus.DONE, "answered"
    else:
        unanswered(session, rt, task, now, "no_response" if outcome == "answered" else outcome)


def unanswered(session: Session, rt: Runtime, task: OutboundTask, now: datetime, outcome: str, *,
               waited: bool = False) -> None:
    """One attempt without an answer: retry after the interval (at once if the interval was
    already spent `waited` for an SMS reply) if attempts remain and the retry falls inside
    calling hours, else give up now rather than call again tomorrow."""
    task.outcome = outcome
    retry_at = now if waited else now + timedelta(seconds=rt.config.outbound.retry.interval_seconds)
    attempts = 1 if task.kind == TaskKind.CALLBACK else rt.config.outbound.retry.attempts
    if task.attempt < attempts and _may_call_at(session, rt, task, retry_at):
        task.status, task.next_attempt_at = TaskStatus.RETRY, retry_at
    else:
        give_up(session, rt, task, now)


def _may_call_at(session: Session, rt: Runtime, task: OutboundTask, at: datetime) -> bool:
    if task.channel != "call":
        return True
    elder = session.get(Elder, task.elder_id) if task.elder_id else None
    return elder is None or CallingHours(rt.config.outbound.calling_hours).allows(at, zone(elder.timezone))


def give_up(session: Session, rt: Runtime, task: OutboundTask, now: datetime) -> None:
    """No (more) attempts: what happens depends on what the task was for."""
    log.info("task %d (%s) given up: %s after %d attempt(s)", task.id, task.kind, task.outcome, task.attempt)
    if task.kind == TaskKind.CHECKIN:
        escalation.escalate_missed_checkin(session, rt, task)
        return
    task.status = TaskStatus.MISSED
    if task.kind == TaskKind.MEDICINE:
        doses.record_doses(session, task, DoseStatus.MISSED, "scheduler", now)
        reached = doses.streaks_just_reached(session, doses.medication_ids(task),
                                             rt.config.outbound.missed_doses_to_report)
        elder = session.get(Elder, task.elder_id)
        if reached and elder is not None:
            escalation.report_missed_doses(session, rt, elder, reached)
    elif task.kind == TaskKind.CALLBACK:
        escalation.open_for_review(session, task, "callback_unanswered")
