"""Shared fixtures: a clean database per test on SQLite and on PostgreSQL, the app, the CLI.

Every test that asks for `db` (or anything built on it) runs twice: once on a real SQLite
file and once on the local PostgreSQL server, each migrated by Alembic to head.
"""
from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from assistant.config import ENV_OVERRIDES, Config, load_config
from assistant.db.database import Database, scratch_schema
from assistant.db.models import Base
from assistant.languages import Languages
from assistant.runtime import Runtime

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_EVAL = REPO_ROOT.parent / "shared" / "eval"


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    db = Database(f"sqlite:///{path}")
    db.upgrade()
    db.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_schema_url() -> Iterator[str]:
    with scratch_schema(POSTGRES_URL, "test") as url:
        db = Database(url)
        db.upgrade()
        db.dispose()
        yield url


def _truncate_all(url: str) -> None:
    db = Database(url)
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with db.engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    db.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        path = tmp_path / "assistant.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("postgres_schema_url")
    _truncate_all(url)
    return url


def write_config(tmp_path: Path, database_url: str, **settings: object) -> Path:
    """A config file in tmp_path; `settings` are dotted keys such as `twilio.auth_token`."""
    raw: dict[str, object] = {"database": {"url": database_url}, "data_dir": str(tmp_path / "data"),
                              "speech": {"engine": "none"}}
    for dotted, value in settings.items():
        node = raw
        *parents, last = dotted.split(".")
        for key in parents:
            node = node.setdefault(key, {})  # type: ignore[assignment]
        node[last] = value  # type: ignore[index]
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def voice_listen() -> str:
    """`voice.listen` for a hotline in Twilio mode (`tests.hotline`); the conversation tests
    run in both modes."""
    return "record"


@pytest.fixture
def config_path(tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    for variable in ENV_OVERRIDES:
        monkeypatch.delenv(variable, raising=False)
    path = write_config(tmp_path, database_url)
    monkeypatch.setenv("ASSISTANT_CONFIG", str(path))
    return path


@pytest.fixture
def config(config_path: Path) -> Config:
    return load_config(config_path, environ={})


@pytest.fixture
def db(config: Config) -> Iterator[Database]:
    database = Database(config.database.url)
    yield database
    database.dispose()


@pytest.fixture
def runtime(config: Config, db: Database) -> Runtime:
    return Runtime.build(config, db)


@pytest.fixture
def app(config: Config, runtime: Runtime) -> Flask:
    from assistant.web import create_app

    flask_app = create_app(config, runtime)
    flask_app.config.update(TESTING=True)
    return flask_app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


class Words:
    """Prompts as rendered, so tests assert what was said by its key, not by its wording:
    `words("ask.day")`, `words("choice.item", "zh", key=2, label=words("meal.lunch", "zh"))`."""

    def __init__(self, languages: Languages) -> None:
        self.languages = languages

    def __call__(self, key: str, lang: str = "en", channel: str = "keypad", /, **values: object) -> str:
        return self.languages.render(lang, key, channel, **values)


@pytest.fixture
def words(runtime: Runtime) -> Words:
    return Words(runtime.languages)


@pytest.fixture
def runner(config_path: Path) -> CliRunner:
    """Invoke with `runner.invoke(cli, [...])`; the CLI reads the test config via ASSISTANT_CONFIG."""
    return CliRunner()
