"""An elder's medicines today: what and when, and marking a dose taken."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.db.base import utcnow
from assistant.db.models import DoseEvent, Elder, Medication


def active_medications(elder: Elder) -> list[Medication]:
    return [m for m in elder.medications if m.active]


def _minutes_from(slot: str, local_now: datetime) -> int:
    return abs(int(slot[:2]) * 60 + int(slot[3:]) - (local_now.hour * 60 + local_now.minute))


def nearest_slot(medication: Medication, local_now: datetime) -> str | None:
    """The dose time closest to now, which a "taken" most likely refers to."""
    if not medication.times:
        return None
    return min(medication.times, key=lambda slot: _minutes_from(slot, local_now))


def due_medication(elder: Elder, local_now: datetime) -> Medication | None:
    """The medicine whose dose time is nearest now, when the elder did not say which."""
    meds = [m for m in active_medications(elder) if m.times]
    if not meds:
        return None
    return min(meds, key=lambda m: _minutes_from(nearest_slot(m, local_now) or "00:00", local_now))


def mark_taken(session: Session, medication: Medication, local_now: datetime, *, source: str,
               slot: str | None = None) -> DoseEvent | None:
    slot = slot or nearest_slot(medication, local_now)
    if slot is None:
        return None
    event = session.scalar(select(DoseEvent).where(DoseEvent.medication_id == medication.id,
                                                   DoseEvent.local_date == local_now.date(),
                                                   DoseEvent.slot == slot))
    if event is None:
        event = DoseEvent(medication_id=medication.id, elder_id=medication.elder_id,
                          local_date=local_now.date(), slot=slot)
        session.add(event)
    event.status, event.source, event.recorded_at = "taken", source, utcnow()
    session.flush()
    return event
