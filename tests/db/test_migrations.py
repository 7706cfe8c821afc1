"""Alembic migrations build the whole schema on an empty SQLite file and PostgreSQL schema."""
from pathlib import Path

from sqlalchemy import inspect

from assistant.db.database import Database, scratch_schema
from assistant.db.models import Base
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
