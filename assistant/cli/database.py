"""`assistant init-db [--demo]` and `assistant import FILE.yaml`."""
from __future__ import annotations

import json
from pathlib import Path

import click

from assistant.cli.context import fail, pass_config
from assistant.config import Config
from assistant.db.database import Database
from assistant.languages import Languages
from assistant.services.directory_import import DirectoryImportError, import_directory, load_file

DEMO_FILE = Path(__file__).resolve().parent.parent / "demo" / "directory.yaml"


def _import(config: Config, db: Database, path: Path, actor: str) -> dict[str, dict[str, int]]:
    data = load_file(path)
    with db.session() as session:
        summary = import_directory(session, data, region=config.organization.default_region,
                                   default_timezone=config.organization.default_timezone,
                                   languages=Languages(config).codes, actor=actor)
    return summary.as_dict()


@click.command("init-db")
@click.option("--demo", is_flag=True, help="Also load demo elders, volunteers, doctors and meals.")
@pass_config
def init_db(config: Config, demo: bool) -> None:
    """Create or upgrade the database schema (safe to run again)."""
    db = Database(config.database.url)
    try:
        db.upgrade()
        result: dict[str, object] = {"database": "ok"}
        if demo:
            result["demo"] = _import(config, db, DEMO_FILE, "cli:init-db")
    except DirectoryImportError as exc:
        fail(f"demo data: {exc.problems[0]}")
    finally:
        db.dispose()
    click.echo(json.dumps(result, ensure_ascii=False))


@click.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@pass_config
def import_file(config: Config, file: Path) -> None:
    """Import doctors, volunteers, meals and elders from FILE.yaml (all or nothing)."""
    db = Database(config.database.url)
    try:
        db.upgrade()
        result = _import(config, db, file, "cli:import")
    except DirectoryImportError as exc:
        for problem in exc.problems:
            click.echo(f"error: {problem}", err=True)
        click.echo(f"nothing imported: {len(exc.problems)} problem(s) in {file}", err=True)
        raise SystemExit(1)
    finally:
        db.dispose()
    click.echo(json.dumps(result, ensure_ascii=False))


COMMANDS = [init_db, import_file]
