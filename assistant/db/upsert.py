"""INSERT ... ON CONFLICT on SQLite and PostgreSQL alike: idempotent writes without races."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def _insert(session: Session, model: type) -> Any:
    """A Core insert on the model's table: plain executemany, without the ORM's per-row work."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(model.__table__)  # type: ignore[attr-defined]


def insert_ignoring_conflicts(session: Session, model: type, rows: Sequence[dict[str, Any]],
                              conflict_columns: Sequence[str]) -> None:
    """Insert `rows` (every column given explicitly), silently keeping rows that already exist."""
    if not rows:
        return
    statement = _insert(session, model).on_conflict_do_nothing(index_elements=list(conflict_columns))
    session.execute(statement, list(rows))


def upsert(session: Session, model: type, rows: Sequence[dict[str, Any]],
           conflict_columns: Sequence[str], update_columns: Sequence[str]) -> None:
    """Insert `rows`, overwriting `update_columns` of rows that already exist."""
    if not rows:
        return
    statement = _insert(session, model)
    statement = statement.on_conflict_do_update(
        index_elements=list(conflict_columns),
        set_={column: statement.excluded[column] for column in update_columns})
    session.execute(statement, list(rows))
