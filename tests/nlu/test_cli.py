"""`assistant parse`: one JSON object per utterance, errors as one line and exit 2."""
from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from assistant.cli import cli
from assistant.db.database import Database
from assistant.db.models import Doctor, Elder, Medication

NOW = ["--now", "2026-11-23T10:00"]


def _seed(db: Database) -> None:
    with db.session() as session:
        session.add(Doctor(name="Dr. Raj Patel", aliases=["Patel"]))
        elder = Elder(name="Ann", phone="+15550100001")
        elder.medications = [Medication(name="Amlodipine")]
        session.add(elder)


def test_parse_one_text_with_names_from_the_database(runner: CliRunner, db: Database) -> None:
    _seed(db)
    result = runner.invoke(cli, ["parse", "--lang", "en", *NOW, "can i see dr patle tmrw afternoon"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {
        "intent": "book_doctor", "confidence": 0.95, "lang": "en", "runner_up": None,
        "slots": {"date": "2026-11-24", "part_of_day": "afternoon", "doctor": "Dr. Raj Patel"}}


def test_parse_reads_stdin_one_json_per_line(runner: CliRunner, db: Database) -> None:
    _seed(db)
    lines = ["yes", "took my amlodipine", "", "我想订明天的午饭"] * 500
    result = runner.invoke(cli, ["parse", "--lang", "en", *NOW], input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.output.splitlines()]
    assert len(out) == len(lines)
    assert [o["intent"] for o in out[:3]] == ["yes", "medicine_taken", None]


def test_parse_uses_the_timezone_option(runner: CliRunner, db: Database) -> None:
    result = runner.invoke(cli, ["parse", "--lang", "zh", "--now", "2026-11-29T16:30:00+00:00",
                                 "--tz", "Asia/Shanghai", "明天的午饭"])
    # 16:30 UTC on Sunday is already Monday 00:30 in Shanghai.
    assert json.loads(result.output)["slots"] == {"date": "2026-12-01", "meal": "lunch"}


def test_bad_now_and_unknown_language_exit_2(runner: CliRunner, db: Database) -> None:
    bad_now = runner.invoke(cli, ["parse", "--now", "yesterday", "hi"])
    assert bad_now.exit_code == 2 and "--now" in bad_now.output
    unknown = runner.invoke(cli, ["parse", "--lang", "fr", "bonjour"])
    assert unknown.exit_code == 2 and "'fr'" in unknown.output


def test_missing_database_gives_an_empty_directory(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(f"database: {{url: 'sqlite:///{tmp_path}/none.db'}}\ndata_dir: {tmp_path}\n"
                      "speech: {engine: none}\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--config", str(config), "parse", "--lang", "en", *NOW,
                                      "book dr patel"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["slots"] == {}
    assert "warning: no database" in result.stderr
    assert not (tmp_path / "none.db").exists()
