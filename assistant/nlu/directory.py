"""The names directory read from the database."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.db.models import Doctor, Medication
from assistant.nlu.model import Directory, DirectoryEntry


def directory_from_db(session: Session) -> Directory:
    """Every doctor (with aliases) and every distinct active medication name."""
    doctors = tuple(
        DirectoryEntry(doctor.name, tuple(a for a in (doctor.aliases or ()) if a and a.strip()))
        for doctor in session.scalars(select(Doctor).order_by(Doctor.name)))
    names = session.scalars(select(Medication.name).where(Medication.active.is_(True))
                            .distinct().order_by(Medication.name))
    medications = tuple(DirectoryEntry(name) for name in names if name and name.strip())
    return Directory(doctors=doctors, medications=medications)
