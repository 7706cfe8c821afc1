"""`assistant init-db [--demo]` and `assistant import` from the command line."""
import json
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import func, select

from assistant.cli import cli
from assistant.db.database import Database
from assistant.db.models import Elder, Volunteer

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "directory.yaml"


def test_init_db_demo_loads_elders_in_both_languages_and_an_admin(runner: CliRunner, db: Database) -> None:
    result = runner.invoke(cli, ["init-db", "--demo"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["demo"]["created"]["elders"] == 3
    with db.session() as session:
        assert sorted(session.scalars(select(Elder.language))) == ["en", "en", "zh"]
        assert session.scalar(select(Volunteer.role).where(Volunteer.email == "sam@example.org")) == "admin"
    again = runner.invoke(cli, ["init-db", "--demo"])
    assert again.exit_code == 0
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Elder)) == 3


def test_import_prints_what_it_created(runner: CliRunner, db: Database) -> None:
    result = runner.invoke(cli, ["import", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["created"]["elders"] == 1


def test_import_of_a_broken_file_names_every_problem_and_imports_nothing(
        runner: CliRunner, db: Database, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "doctors: [{name: Dr. A}]\n"
        "elders:\n"
        "  - {name: Ann, phone: '12', timezone: Nowhere/Place, language: fr, doctor: Dr. B}\n"
        "  - {name: Bob, phone: '+15550100109', checkin: {time: '7 o clock'}}\n", encoding="utf-8")
    result = runner.invoke(cli, ["import", str(bad)])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 5
    assert "nothing imported: 5 problem(s)" in result.stderr
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Elder)) == 0


def test_a_bad_config_value_stops_the_cli_with_one_line_naming_the_key(
        runner: CliRunner, config_path: Path) -> None:
    config_path.write_text(config_path.read_text() + "outbound: {calling_hours: ['08:00', '9pm']}\n")
    result = runner.invoke(cli, ["serve"])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "error: bad configuration: outbound.calling_hours: '9pm' is not a time of day as HH:MM (24 h)"]
