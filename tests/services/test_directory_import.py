"""`assistant import`: the DESIGN.md format, all or nothing, every error named, re-import updates."""
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from assistant.db.database import Database
from assistant.db.models import (AuditLog, Contact, Doctor, Elder, MealMenuItem, MealProvider,
                                 Medication, Volunteer)
from assistant.passwords import verify_password
from assistant.services.directory_import import DirectoryImportError, import_directory, load_file
from tests.demo import LANGUAGES

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "directory.yaml"


def run_import(db: Database, data: object):
    with db.session() as session:
        return import_directory(session, data, region="US", default_timezone="America/New_York",
                                languages=LANGUAGES)


def counts(db: Database) -> dict[str, int]:
    with db.session() as session:
        return {model.__tablename__: session.scalar(select(func.count()).select_from(model))
                for model in (Doctor, Volunteer, MealProvider, MealMenuItem, Elder, Contact, Medication)}


def test_the_design_example_imports_every_section(db: Database) -> None:
    summary = run_import(db, load_file(EXAMPLE))
    assert summary.created["elders"] == 1 and summary.created["doctors"] == 2
    with db.session() as session:
        mary = session.scalar(select(Elder).where(Elder.name == "Mary Jones"))
        assert mary.phone == "+15550123001" and mary.timezone == "America/New_York"
        assert mary.doctor.name == "Dr. Ana Lopez"
        assert mary.checkin_time == "09:30" and mary.checkin_channel == "call"
        assert [(m.name, m.times) for m in mary.medications] == [("Metformin", ["08:00", "20:00"])]
        assert [(c.name, c.relation) for c in mary.contacts] == [("Tom Jones", "son")]
        sam = session.scalar(select(Volunteer))
        assert sam.role == "admin" and sam.on_call
        assert verify_password(sam.password_hash, "change-me")
        assert "change-me" not in sam.password_hash
        assert session.scalar(select(Doctor).where(Doctor.name == "王医生")).aliases == ["王大夫"]
        assert session.scalar(select(AuditLog)).action == "directory.import"


def test_reimporting_the_same_file_updates_instead_of_duplicating(db: Database) -> None:
    data = load_file(EXAMPLE)
    run_import(db, data)
    before = counts(db)
    data["elders"][0]["address"] = "14 Oak St"
    summary = run_import(db, data)
    assert counts(db) == before
    assert summary.created == {} and summary.updated == {"elders": 1}
    with db.session() as session:
        assert session.scalar(select(Elder.address)) == "14 Oak St"


def test_a_file_with_five_errors_is_refused_whole_and_names_all_five(db: Database) -> None:
    data = load_file(EXAMPLE)
    data["volunteers"].append({"name": "Twin", "phone": "+15550100101"})
    data["elders"][0].update(phone="12", timezone="Mars/Olympus", language="fr", doctor="Dr. Who")
    data["elders"][0]["checkin"]["time"] = "25:99"
    with pytest.raises(DirectoryImportError) as error:
        run_import(db, data)
    problems = [str(p) for p in error.value.problems]
    assert len(problems) == 6
    assert "volunteers[1] (Twin): phone: +15550100101 is already another volunteer's phone in this file" in problems
    assert any(p.startswith("elders[0] (Mary Jones): phone: '12'") for p in problems)
    assert any(p.startswith("elders[0] (Mary Jones): timezone: 'Mars/Olympus'") for p in problems)
    assert any(p.startswith("elders[0] (Mary Jones): language: 'fr' is not one of en, zh") for p in problems)
    assert any(p.startswith("elders[0] (Mary Jones): doctor: 'Dr. Who' is not a known doctor") for p in problems)
    assert any(p.startswith("elders[0] (Mary Jones): checkin.time: '25:99'") for p in problems)
    assert set(counts(db).values()) == {0}


def test_doctors_already_in_the_database_can_be_named_by_later_imports(db: Database) -> None:
    run_import(db, {"doctors": [{"name": "Dr. Raj Patel"}]})
    run_import(db, {"elders": [{"name": "Ann", "phone": "5550123077", "doctor": "Dr. Raj Patel"}]})
    with db.session() as session:
        assert session.scalar(select(Elder.phone)) == "+15550123077"


@pytest.mark.parametrize(("data", "message"), [
    ([1, 2], "file: top level: must be a mapping"),
    ({"elders": {"name": "x"}}, "elders: section: must be a list of entries"),
    ({"elders": ["Mary"]}, "elders[0]: entry: must be a mapping of fields"),
    ({"pets": []}, "file: pets: is not a known section"),
    ({"volunteers": [{"name": "V", "phone": "+15550100109", "role": "boss"}]}, "role: 'boss' is not one of"),
    ({"elders": [{"name": "E", "phone": "+15550100109", "medications": [{"name": "X", "times": "08:00"}]}]},
     "elders[0] (E).medications[0]: times: must be a list"),
])
def test_malformed_entries_are_named_not_crashed_on(db: Database, data: object, message: str) -> None:
    with pytest.raises(DirectoryImportError) as error:
        run_import(db, data)
    assert any(message in str(p) for p in error.value.problems), error.value.problems


def test_an_unreadable_or_invalid_yaml_file_is_one_problem(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("elders:\n  - name: [unclosed\n", encoding="utf-8")
    with pytest.raises(DirectoryImportError) as error:
        load_file(broken)
    assert "line" in error.value.problems[0].field
    with pytest.raises(DirectoryImportError):
        load_file(tmp_path / "missing.yaml")


def test_a_shared_landline_can_belong_to_two_elders(db: Database) -> None:
    run_import(db, {"elders": [{"name": "Mary", "phone": "+15550123001"},
                               {"name": "Bill", "phone": "+15550123001"}]})
    assert counts(db)["elders"] == 2


def test_import_round_trips_through_yaml_dump(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "dir.yaml"
    path.write_text(yaml.safe_dump(load_file(EXAMPLE), allow_unicode=True), encoding="utf-8")
    run_import(db, load_file(path))
    assert counts(db)["doctors"] == 2


def test_names_per_language_and_the_language_each_person_reads(db: Database) -> None:
    run_import(db, {
        "doctors": [{"name": "王医生", "language": "zh"}],
        "meals": {"provider": {"name": "Eastside Meals", "phone": "+15550100201", "language": "zh"},
                  "menu": [{"code": "standard", "name": "Standard", "names": {"zh": "普通餐"}},
                           {"code": "soft", "name": "Soft food", "name_zh": "软食"}]},
        "elders": [{"name": "Mary Jones", "phone": "+15550123001",
                    "contacts": [{"name": "Tom", "phone": "+15550123009"},
                                 {"name": "Wei", "phone": "+15550123019", "language": "zh"}]}]})
    with db.session() as session:
        assert dict(session.execute(select(MealMenuItem.code, MealMenuItem.names)).tuples().all()) == {
            "standard": {"zh": "普通餐"}, "soft": {"zh": "软食"}}
        assert session.scalar(select(MealProvider.language)) == "zh"
        assert session.scalar(select(Doctor.language)) == "zh"
        assert dict(session.execute(select(Contact.name, Contact.language)).tuples().all()) == {"Tom": "", "Wei": "zh"}
        assert session.scalar(select(Elder.language)) == "en"


def test_a_name_or_a_reader_in_a_language_not_spoken_here_is_refused(db: Database) -> None:
    with pytest.raises(DirectoryImportError) as error:
        run_import(db, {"meals": {"provider": {"name": "P", "phone": "+15550100201", "language": "fr"},
                                  "menu": [{"code": "standard", "name": "Standard", "names": {"fr": "Normal"}}]}})
    assert [str(p) for p in error.value.problems] == [
        "meals.provider: language: 'fr' is not one of en, zh",
        "meals.menu[0] (Standard): names: 'fr' is not one of en, zh"]
