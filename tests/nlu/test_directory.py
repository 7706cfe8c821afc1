"""directory_from_db: doctors with aliases, distinct active medication names."""
from __future__ import annotations

from assistant.db.database import Database
from assistant.db.models import Doctor, Elder, Medication
from assistant.nlu import Directory, DirectoryEntry
from assistant.nlu.directory import directory_from_db


def test_directory_from_db(db: Database) -> None:
    with db.session() as session:
        session.add_all([Doctor(name="Dr. Raj Patel", aliases=["Patel"]), Doctor(name="李医生", aliases=["李大夫"])])
        ann = Elder(name="Ann", phone="+15550100001")
        bob = Elder(name="Bob", phone="+15550100002")
        ann.medications = [Medication(name="Amlodipine"), Medication(name="Old pill", active=False)]
        bob.medications = [Medication(name="Amlodipine"), Medication(name="钙片")]
        session.add_all([ann, bob])
    with db.session() as session:
        directory = directory_from_db(session)
    assert directory == Directory(
        doctors=(DirectoryEntry("Dr. Raj Patel", ("Patel",)), DirectoryEntry("李医生", ("李大夫",))),
        medications=(DirectoryEntry("Amlodipine"), DirectoryEntry("钙片")))
