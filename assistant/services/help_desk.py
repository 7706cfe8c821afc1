"""What a volunteer does to a help request besides acknowledging and resolving it
(those live in `services.help`, shared with the SMS `ACK`/`DONE` commands)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from assistant.db.models import HelpRequest, Volunteer
from assistant.services import audit


def assign(session: Session, request: HelpRequest, volunteer: Volunteer | None, *, actor: str) -> None:
    """Give the request to `volunteer`, or to nobody."""
    request.assigned_to_id = volunteer.id if volunteer else None
    audit.record(session, actor, "help.assigned", "help_request", request.id,
                 assigned_to=volunteer.id if volunteer else None)


def add_note(session: Session, request: HelpRequest, note: str, *, author: Volunteer, actor: str,
             now: datetime) -> None:
    """Append a dated, signed line to the request's notes."""
    stamp = now.strftime("%Y-%m-%d %H:%M UTC")
    line = f"[{stamp} {author.name}] {note.strip()}"
    request.notes = f"{request.notes}\n{line}".strip()[-4000:]
    audit.record(session, actor, "help.noted", "help_request", request.id, note=note.strip())
