"""The demo directory (`assistant init-db --demo`) loaded into a test database."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from assistant.cli.database import DEMO_FILE
from assistant.db.database import Database
from assistant.db.models import Elder, OutboundTask
from assistant.services.directory_import import import_directory, load_file

LANGUAGES = ("en", "zh")
"""The organization's default language first."""


def load_demo(db: Database) -> None:
    with db.session() as session:
        import_directory(session, load_file(DEMO_FILE), region="US", default_timezone="America/New_York",
                         languages=LANGUAGES)


MARY = "+15550123001"          # English, family doctor Dr. Ana Lopez, soft diet
HAROLD = "+15550123002"        # English, two medicines
ZHANG = "+15550123003"         # Mandarin, 王医生, standard diet
MARY_SON = "+15550123009"
SAM = "+15550100101"           # admin volunteer, on call first
LI = "+15550100102"            # volunteer, on call second
CLINIC_LOPEZ = "+15550100001"
PROVIDER = "+15550100201"


def medicine_reminder_task(db: Database, phone: str, channel: str, due_at: datetime) -> int:
    """A medicine reminder for all the demo elder's medicines, sent and awaiting her answer
    (as the scheduler leaves it); its id."""
    with db.session() as session:
        elder = session.scalar(select(Elder).where(Elder.phone == phone))
        task = OutboundTask(key=f"{elder.id}:medicine:{due_at.date().isoformat()}:08:00", kind="medicine",
                            elder_id=elder.id, due_at=due_at, next_attempt_at=due_at + timedelta(minutes=15),
                            status="in_progress", channel=channel,
                            payload={"medication_ids": [m.id for m in elder.medications]})
        session.add(task)
        session.flush()
        return task.id
