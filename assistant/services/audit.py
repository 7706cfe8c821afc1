"""Writing the audit log: every change a person (or the system on their behalf) makes."""
from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from assistant.db.models import AuditLog


def record(session: Session, actor: str, action: str, entity: str = "", entity_id: object = "",
           **details: Any) -> AuditLog:
    entry = AuditLog(actor=actor, action=action, entity=entity, entity_id=str(entity_id or ""),
                     details=details)
    session.add(entry)
    return entry
