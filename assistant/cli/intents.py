"""`assistant intents export-corrections [--out DIR]`: what volunteers corrected in the review
queue, written as candidate examples per language and intent, to be read and moved into
`intents/<lang>/<intent>.yaml` by a person."""
from __future__ import annotations

import json
from pathlib import Path

import click

from assistant.cli.context import pass_config
from assistant.config import Config
from assistant.db.database import Database
from assistant.services.review import export_candidates


@click.group()
def intents() -> None:
    """The matcher's data: learn from corrected calls."""


@intents.command("export-corrections")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder to write <lang>/<intent>.yaml into (default: DATA_DIR/intent-candidates).")
@pass_config
def export_corrections(config: Config, out_dir: Path | None) -> None:
    """Write corrected turns as candidate examples; print {"out": ..., "files": {...}}."""
    out_dir = out_dir or config.data_dir / "intent-candidates"
    db = Database(config.database.url)
    try:
        with db.session() as session:
            written = export_candidates(session, out_dir)
    finally:
        db.dispose()
    click.echo(json.dumps({"out": str(out_dir), "files": written}, ensure_ascii=False))


COMMANDS = [intents]
