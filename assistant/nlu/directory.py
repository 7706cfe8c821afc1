"""The names directory read from the database."""
from __future__ import annotations

import threading
import time

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


class DirectoryCache:
    """The directory, re-read at most every `ttl_seconds` per database.

    Every understood turn needs the names; reading them costs two queries. A coordinator's
    change (a new doctor, an alias) is heard within `ttl_seconds`, in every process.
    """

    def __init__(self, ttl_seconds: float = 30.0) -> None:
        self.ttl_seconds = ttl_seconds
        self._entries: dict[str, tuple[float, Directory]] = {}
        self._lock = threading.Lock()

    def get(self, session: Session) -> Directory:
        key = str(session.get_bind().url)
        now = time.monotonic()
        with self._lock:
            cached = self._entries.get(key)
        if cached is not None and now - cached[0] < self.ttl_seconds:
            return cached[1]
        directory = directory_from_db(session)
        with self._lock:
            self._entries[key] = (now, directory)
        return directory
