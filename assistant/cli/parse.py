"""`assistant parse`: what the NLU makes of a line, as JSON (one line in, one object out)."""
from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import click
from sqlalchemy.exc import SQLAlchemyError

from assistant.cli.context import IsoDateTime, fail, pass_config
from assistant.config import Config
from assistant.db.database import Database
from assistant.languages import Languages
from assistant.nlu import Directory, NluError, Understanding, understand
from assistant.nlu.directory import directory_from_db


def _directory(url: str) -> Directory:
    """Doctor and medication names from the database; an empty directory (said once on
    stderr) when there is no database or no tables yet."""
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        click.echo(f"warning: no database at {url}; doctors and medications will not be "
                   "recognised", err=True)
        return Directory()
    db = Database(url)
    try:
        with db.session() as session:
            return directory_from_db(session)
    except SQLAlchemyError as exc:
        reason = str(exc).splitlines()[0]
        click.echo(f"warning: no names directory ({reason}); doctors and medications "
                   "will not be recognised", err=True)
        return Directory()
    finally:
        db.dispose()


def _as_json(result: Understanding) -> str:
    payload: dict[str, Any] = {
        "intent": result.intent, "confidence": round(result.confidence, 3),
        "slots": result.slots, "lang": result.lang,
        "runner_up": result.runner_up,
    }
    return json.dumps(payload, ensure_ascii=False)


@click.command("parse")
@click.option("--lang", default=None, help="Language code (default: the organisation's).")
@click.option("--now", type=IsoDateTime(), default=None,
              help="Reference time for relative dates (default: now).")
@click.option("--tz", default=None, metavar="IANA",
              help="The caller's timezone (default: the organisation's).")
@click.argument("text", required=False)
@pass_config
def parse(config: Config, lang: str | None, now: datetime | None, tz: str | None,
          text: str | None) -> None:
    """Print the intent and slots of TEXT as JSON; without TEXT, of each stdin line."""
    lang = lang or config.organization.default_language
    tz = tz or config.organization.default_timezone
    try:
        data = Languages(config).intents
        data.language(lang)   # raises UnknownLanguageError with the known languages
        directory = _directory(config.database.url)
        lines = [text] if text is not None else (line.rstrip("\r\n") for line in sys.stdin)
        for line in lines:
            click.echo(_as_json(understand(line, lang, directory=directory, now=now, tz=tz, data=data)))
    except NluError as exc:
        fail(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)


COMMANDS = [parse]
