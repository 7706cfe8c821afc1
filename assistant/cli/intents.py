"""`assistant intents ...`: the matcher's data and model.

- `export-corrections [--out DIR]`: what volunteers corrected in the review queue, written as
  examples per language and intent; the model trains on them (from DATA_DIR/intent-candidates)
  and a person may move good ones into `intents/<lang>/<intent>.yaml`.
- `train [--corrections DIR]`: train the model of every language now and say how it went.
- `evaluate FILE...`: score the matcher on labelled sets (the format of `../shared/eval`).
"""
from __future__ import annotations

import json
import time
from datetime import datetime
from pathlib import Path

import click

from assistant.cli.context import IsoDateTime, fail, pass_config
from assistant.config import Config
from assistant.db.database import Database
from assistant.languages import Languages
from assistant.nlu import NluError, load_intent_data
from assistant.nlu.evaluation import EVALUATION_NOW, EVALUATION_TZ, evaluate, read_lines, set_directory
from assistant.services.review import export_candidates

FOLDER = click.Path(file_okay=False, path_type=Path)


@click.group()
def intents() -> None:
    """The matcher's data and model: learn from corrected calls, train, evaluate."""


@intents.command("export-corrections")
@click.option("--out", "out_dir", type=FOLDER, default=None,
              help="Folder to write <lang>/<intent>.yaml into (default: DATA_DIR/intent-candidates).")
@pass_config
def export_corrections(config: Config, out_dir: Path | None) -> None:
    """Write corrected turns as examples; print {"out": ..., "files": {...}}."""
    out_dir = out_dir or config.corrections_dir
    db = Database(config.database.url)
    try:
        with db.session() as session:
            written = export_candidates(session, out_dir)
    finally:
        db.dispose()
    click.echo(json.dumps({"out": str(out_dir), "files": written}, ensure_ascii=False))


@intents.command("train")
@click.option("--corrections", type=FOLDER, default=None,
              help="Exported corrections to learn from (default: DATA_DIR/intent-candidates).")
@pass_config
def train(config: Config, corrections: Path | None) -> None:
    """Train every language's model; print one JSON line per language."""
    started = time.perf_counter()
    try:
        data = load_intent_data(config.languages_dir / "intents",
                                corrections=corrections or config.corrections_dir)
    except NluError as exc:
        fail(str(exc).splitlines()[0])
    seconds = round(time.perf_counter() - started, 2)
    for lang in data.languages:
        model, calibration = data.models[lang], data.calibrations[lang]
        click.echo(json.dumps({
            "lang": lang, "labels": len(model.labels), "threshold": model.threshold,
            "held_back": calibration.held_back,
            "held_back_accuracy": round(calibration.accuracy, 3), "seconds": seconds},
            ensure_ascii=False))


@intents.command("evaluate")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--lang", default=None, help="Language of the lines (default: from the file "
                                           "name, intents_<lang>.tsv).")
@click.option("--now", type=IsoDateTime(), default=EVALUATION_NOW.isoformat(), show_default=True,
              help="Reference time for relative dates.")
@click.option("--tz", default=EVALUATION_TZ, show_default=True)
@click.option("--errors", is_flag=True, help="Also list every wrong line.")
@pass_config
def evaluate_command(config: Config, files: tuple[Path, ...], lang: str | None, now: datetime,
                     tz: str, errors: bool) -> None:
    """Score the matcher on labelled TSV files; print one JSON line per file. Doctors and
    medications are those of a directory.yaml beside the file, else the evaluation's."""
    try:
        data = Languages(config).intents
        for path in files:
            file_lang = lang or path.stem.rsplit("_", 1)[-1]
            data.language(file_lang)
            score = evaluate(read_lines(path), file_lang, directory=set_directory(path),
                             data=data, now=now, tz=tz)
            result = {"file": str(path), "lang": file_lang, **score.summary()}
            if errors:
                result["errors"] = score.errors()
            click.echo(json.dumps(result, ensure_ascii=False))
    except NluError as exc:
        fail(str(exc).splitlines()[0])


COMMANDS = [intents]
