"""Edits to the directory made in the dashboard's admin pages, each one audited with what
changed (old and new values; never passwords)."""
from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from assistant.db.base import Base
from assistant.services import audit


def entity_name(obj: Base) -> str:
    """`MealMenuItem` -> "meal_menu_item": the audit log's name for a kind of record."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", type(obj).__name__).lower()


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, (date, datetime)) else value


def save(session: Session, obj: Base, values: dict[str, Any], *, actor: str,
         secret: dict[str, Any] | None = None) -> dict[str, list[Any]]:
    """Set `values` on `obj` (new or existing) and audit the changes; returns them.

    `secret` values (a password hash) are set too, but the log only says they changed.
    """
    is_new = getattr(obj, "id", None) is None
    changes = {key: [_plain(getattr(obj, key, None)), _plain(value)]
               for key, value in values.items() if is_new or getattr(obj, key) != value}
    for key, value in {**values, **(secret or {})}.items():
        setattr(obj, key, value)
    if is_new:
        session.add(obj)
    session.flush()
    if changes or secret:
        action = "created" if is_new else "updated"
        audit.record(session, actor, f"{entity_name(obj)}.{action}", entity_name(obj),
                     getattr(obj, "id", ""), changes=changes, secret_changed=sorted(secret or {}))
    return changes


def remove(session: Session, obj: Base, *, actor: str, label: str) -> None:
    """Delete `obj`, keeping in the audit log what it was."""
    audit.record(session, actor, f"{entity_name(obj)}.deleted", entity_name(obj),
                 getattr(obj, "id", ""), label=label)
    session.delete(obj)
    session.flush()
