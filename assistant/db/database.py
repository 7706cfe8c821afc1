"""The database handle: one engine and session factory per process, migrations to head."""
from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
OUTBOX_WRITTEN = "outbox_written"
"""`session.info` key a transaction sets when it writes to the outbox: its commit wakes the sender."""
CONNECT_TIMEOUT_SECONDS = 10
"""A database server that does not answer is an error after this long, not a hung request."""
PING_AFTER_IDLE_SECONDS = 5.0
"""A pooled server connection idle this long is checked before a request gets it."""


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _mark_idle(_dbapi_connection, record) -> None:  # type: ignore[no-untyped-def]
    record.info["idle_since"] = time.monotonic()


def _ping_if_idle(dbapi_connection, record, _proxy) -> None:  # type: ignore[no-untyped-def]
    """SQLAlchemy's pool_pre_ping, only for connections that sat idle.

    Pinging on every checkout cost a round trip and a fifth of the CPU of an SMS webhook.
    A connection in steady use is known to be alive; one that sat in the pool may have
    been closed by a database restart or a firewall, and is replaced before use.
    """
    if time.monotonic() - record.info.get("idle_since", 0.0) < PING_AFTER_IDLE_SECONDS:
        return
    try:
        cursor = dbapi_connection.cursor()
        cursor.execute("SELECT 1")
        cursor.close()
        dbapi_connection.rollback()
    except Exception as exc:  # noqa: BLE001 - any failure means a dead connection
        raise DisconnectionError(f"idle connection failed its check: {exc}") from exc


class Database:
    """Owns the engine. `with db.session() as s:` commits on success, rolls back on error."""

    def __init__(self, url: str, **engine_options: object) -> None:
        self.url = url
        if url.startswith("sqlite"):
            path = url.removeprefix("sqlite:///")
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            engine_options.setdefault("connect_args", {"timeout": 10, "check_same_thread": False})
        else:
            engine_options.setdefault("connect_args", {"connect_timeout": CONNECT_TIMEOUT_SECONDS})
        engine_options.setdefault("hide_parameters", True)  # bound values are health data
        self.engine: Engine = create_engine(url, **engine_options)
        if url.startswith("sqlite"):
            event.listen(self.engine, "connect", _sqlite_pragmas)
        else:
            event.listen(self.engine, "connect", _mark_idle)
            event.listen(self.engine, "checkin", _mark_idle)
            event.listen(self.engine, "checkout", _ping_if_idle)
        self.Session = sessionmaker(self.engine, expire_on_commit=False)
        self._writer = threading.RLock() if url.startswith("sqlite") else None
        self.after_outbox_commit: list[Callable[[], None]] = []
        """Called after each commit that wrote to the outbox (the outbox sender listens)."""

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction. On SQLite, transactions of this process take turns: SQLite has a
        single writer, and its busy handler polls with sleeps of up to 100 ms, which under
        concurrent webhooks turned into latency spikes; a lock queues them instead."""
        if self._writer is None:
            with self.Session.begin() as session:
                yield session
        else:
            with self._writer, self.Session.begin() as session:
                yield session
        if session.info.get(OUTBOX_WRITTEN):
            for listener in self.after_outbox_commit:
                listener()

    def upgrade(self, revision: str = "head") -> None:
        """Bring the schema to `revision` with Alembic (creates every table on an empty database)."""
        with self.engine.begin() as connection:
            cfg = AlembicConfig()
            cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, revision)

    def ping(self) -> str:
        """"ok", or the problem in one line."""
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            return "ok"
        except Exception as exc:  # noqa: BLE001 - health checks report, never raise
            return f"error: {str(exc).splitlines()[0]}"

    def dispose(self) -> None:
        self.engine.dispose()


@contextmanager
def scratch_schema(url: str, prefix: str = "scratch") -> Iterator[str]:
    """A new, empty PostgreSQL schema on `url`, dropped afterwards. Yields a URL whose
    connections use it, so tests and benchmarks never touch anyone else's tables."""
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = Database(url)
    try:
        with admin.engine.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        yield f"{url}?options=-csearch_path%3D{schema}"
    finally:
        with admin.engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()
