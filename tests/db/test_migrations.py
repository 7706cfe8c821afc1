"""Alembic migrations build the whole schema on an empty SQLite file and PostgreSQL schema,
with the vocabulary checked by the database, and move older data forward."""
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import inspect, select, text, update
from sqlalchemy.exc import IntegrityError

from assistant.db.database import Database, scratch_schema
from assistant.db.models import (Base, DoseEvent, Elder, HelpRequest, MealMenuItem, MealOrder, Medication,
                                 OutboundTask)
from tests.conftest import POSTGRES_URL


def assert_at_head(db: Database) -> None:
    inspector = inspect(db.engine)
    tables = set(inspector.get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert "alembic_version" in tables
    indexes = {ix["name"] for ix in inspector.get_indexes("help_requests")}
    assert "ix_help_requests_status_severity" in indexes
    uniques = {tuple(u["column_names"]) for u in inspector.get_unique_constraints("outbound_tasks")}
    assert ("key",) in uniques


def test_migrations_upgrade_an_empty_sqlite_file_to_head(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'fresh.db'}")
    db.upgrade()
    db.upgrade()
    assert_at_head(db)
    db.dispose()


def test_migrations_upgrade_an_empty_postgresql_schema_to_head() -> None:
    with scratch_schema(POSTGRES_URL, "mig") as url:
        db = Database(url)
        try:
            db.upgrade()
            assert_at_head(db)
        finally:
            db.dispose()


def test_the_models_and_the_migrations_agree(tmp_path: Path) -> None:
    """A model change without a migration fails here: autogenerate must find nothing to do."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    db = Database(f"sqlite:///{tmp_path / 'compare.db'}")
    db.upgrade()
    with db.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    db.dispose()
    assert diff == []


@pytest.mark.parametrize(("model", "column", "value"), [
    (HelpRequest, "status", "closed"), (HelpRequest, "kind", "chat"), (HelpRequest, "severity", "mild"),
    (MealOrder, "status", "lost"), (OutboundTask, "kind", "newsletter"), (OutboundTask, "status", "gone"),
    (DoseEvent, "status", "skipped")])
def test_a_status_or_kind_outside_the_vocabulary_is_refused_by_the_database(
        db: Database, model: type, column: str, value: str) -> None:
    now = datetime.now(timezone.utc)
    with db.session() as session:
        elder = Elder(name="Mary", phone="+15550123001")
        session.add(elder)
        session.flush()
        medication = Medication(elder_id=elder.id, name="Metformin")
        session.add(medication)
        session.flush()
        row = {HelpRequest: lambda: HelpRequest(caller_phone=elder.phone),
               MealOrder: lambda: MealOrder(meal="lunch", day=now.date()),
               OutboundTask: lambda: OutboundTask(key="k", kind="checkin", due_at=now, next_attempt_at=now),
               DoseEvent: lambda: DoseEvent(medication_id=medication.id, elder_id=elder.id,
                                            local_date=now.date(), slot="08:00")}[model]()
        session.add(row)
        session.flush()
        row_id = row.id
    with pytest.raises(IntegrityError), db.session() as session:
        session.execute(update(model).where(model.id == row_id).values({column: value}))  # type: ignore[attr-defined]


def test_menu_names_in_chinese_move_to_names_per_language(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'old.db'}")
    db.upgrade("0002")
    with db.engine.begin() as connection:
        connection.execute(text("INSERT INTO meal_menu_items (code, name, name_zh, position, active) "
                                "VALUES ('standard', 'Standard', '普通餐', 0, 1), ('soft', 'Soft', '', 1, 1)"))
    db.upgrade()
    with db.session() as session:
        names = dict(session.execute(select(MealMenuItem.code, MealMenuItem.names)).tuples().all())
    db.dispose()
    assert names == {"standard": {"zh": "普通餐"}, "soft": {}}
