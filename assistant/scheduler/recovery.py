"""What a scheduler does when it takes the lease (at start, or over from one that died).

Two kinds of loose ends: tasks left "placing" by a crash between claiming and recording a call,
which may or may not have gone out (a person checks; they are never dialled again blindly), and
occurrences that fell due while no scheduler ran: placed once if still within
`outbound.grace_seconds`, else recorded missed (a missed check-in is escalated).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from assistant.db.models import AWAITING, Elder, OutboundTask, TaskKind, TaskStatus
from assistant.runtime import Runtime
from assistant.services import escalation, outbound
from assistant.services.calling_hours import CallingHours, zone

log = logging.getLogger(__name__)


@dataclass
class Recovered:
    interrupted: int = 0
    missed: int = 0


def recover(rt: Runtime, now: datetime) -> Recovered:
    result = Recovered()
    with rt.db.session() as session:
        for task in session.scalars(select(OutboundTask).where(OutboundTask.status == TaskStatus.PLACING)):
            log.warning("task %d (%s) was interrupted while placing: left for a person", task.id, task.kind)
            task.status, task.outcome = TaskStatus.FAILED, "interrupted"
            escalation.open_for_review(session, task, "interrupted", {"task": task.id})
            result.interrupted += 1
    grace = timedelta(seconds=rt.config.outbound.grace_seconds)
    hours = CallingHours(rt.config.outbound.calling_hours)
    with rt.db.session() as session:
        ids = session.scalars(select(OutboundTask.id).where(
            OutboundTask.status.in_(AWAITING), OutboundTask.next_attempt_at < now - grace)).all()
    for task_id in ids:
        with rt.db.session() as session:
            task = session.get(OutboundTask, task_id)
            assert task is not None
            due = task.next_attempt_at
            elder = session.get(Elder, task.elder_id) if task.elder_id else None
            if task.channel == "call" and task.kind != TaskKind.CALLBACK and elder is not None:
                due = hours.next_allowed(due, zone(elder.timezone))
            if now - due > grace:
                task.outcome = escalation.NOT_PLACED
                outbound.give_up(session, rt, task, now)
                result.missed += 1
    if result.interrupted or result.missed:
        log.warning("recovered: %d interrupted, %d missed while no scheduler ran",
                    result.interrupted, result.missed)
    return result
