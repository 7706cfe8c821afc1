"""Dose events written from reminder outcomes, and the missed-dose policy ("two in a row")."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.db.models import DoseEvent, DoseStatus, OutboundTask
from assistant.db.upsert import upsert
from assistant.services.tasks import TaskKey


def medication_ids(task: OutboundTask) -> list[int]:
    return [int(medication_id) for medication_id in task.payload.get("medication_ids", [])]


def record_doses(session: Session, task: OutboundTask, status: DoseStatus, source: str, now: datetime) -> None:
    """Set the status of every dose the medicine reminder `task` was about. A dose already
    marked taken (she rang in, or texted, to say so) is never turned into a missed one."""
    key = TaskKey.parse(task.key)
    ids = medication_ids(task)
    if status != DoseStatus.TAKEN:
        taken = set(session.scalars(select(DoseEvent.medication_id).where(
            DoseEvent.medication_id.in_(ids), DoseEvent.local_date == key.day,
            DoseEvent.slot == key.slot, DoseEvent.status == DoseStatus.TAKEN)))
        ids = [medication_id for medication_id in ids if medication_id not in taken]
    if not ids:
        return
    upsert(session, DoseEvent,
           [{"medication_id": medication_id, "elder_id": task.elder_id, "local_date": key.day,
             "slot": key.slot, "status": status, "source": source, "recorded_at": now}
            for medication_id in ids],
           ["medication_id", "local_date", "slot"], ["status", "source", "recorded_at"])


def streaks_just_reached(session: Session, ids: list[int], streak: int) -> list[int]:
    """Medications whose latest `streak` doses are all missed and the one before is not:
    reported once when the streak is reached, not again at every further missed dose."""
    reached = []
    for medication_id in ids:
        latest = session.scalars(
            select(DoseEvent.status).where(DoseEvent.medication_id == medication_id)
            .order_by(DoseEvent.local_date.desc(), DoseEvent.slot.desc()).limit(streak + 1)).all()
        if (len(latest) >= streak and all(status == DoseStatus.MISSED for status in latest[:streak])
                and (len(latest) == streak or latest[streak] != DoseStatus.MISSED)):
            reached.append(medication_id)
    return reached
