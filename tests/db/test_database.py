"""The database handle: a pooled PostgreSQL connection is checked only after it sat idle."""
from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from assistant.db import database as database_module
from assistant.db.database import Database
from tests.conftest import POSTGRES_URL


def _backend_pid(db: Database) -> int:
    with db.session() as session:
        return session.scalar(text("SELECT pg_backend_pid()"))


def _terminate(pid: int) -> None:
    admin = Database(POSTGRES_URL)
    with admin.engine.begin() as connection:
        connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    admin.dispose()


def test_a_connection_closed_by_the_server_while_idle_is_replaced_before_use(
        postgres_schema_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    db = Database(postgres_schema_url, pool_size=1, max_overflow=0)
    first = _backend_pid(db)
    _terminate(first)  # as a database restart would
    monkeypatch.setattr(database_module, "PING_AFTER_IDLE_SECONDS", 0.0)
    assert _backend_pid(db) != first
    db.dispose()


def test_a_connection_used_moments_ago_is_trusted_and_a_dead_one_costs_one_request(
        postgres_schema_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(database_module, "PING_AFTER_IDLE_SECONDS", 3600.0)
    db = Database(postgres_schema_url, pool_size=1, max_overflow=0)
    first = _backend_pid(db)
    _terminate(first)
    with pytest.raises(OperationalError):  # no round trip spent checking it
        _backend_pid(db)
    assert _backend_pid(db) != first  # the pool noticed and reconnected
    db.dispose()


def test_bound_values_never_reach_error_messages_or_logs(db) -> None:  # type: ignore[no-untyped-def]
    import pytest
    from sqlalchemy.exc import IntegrityError

    from assistant.db.models import Volunteer

    assert db.engine.hide_parameters
    with db.session() as session:
        session.add(Volunteer(name="A", phone="+15550199999"))
    with pytest.raises(IntegrityError) as failure:
        with db.session() as session:
            session.add(Volunteer(name="Secret Name", phone="+15550199999"))
    assert "Secret Name" not in str(failure.value)  # (PostgreSQL itself names the duplicate key)
    assert "parameters hidden" in str(failure.value)
