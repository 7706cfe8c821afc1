"""The review queue: a not-understood turn is corrected, stored, and exported for intents/."""
from __future__ import annotations

import json
from pathlib import Path

import yaml
from click.testing import CliRunner
from sqlalchemy import select

from assistant.cli import cli
from assistant.db.database import Database
from assistant.db.models import AuditLog, Turn
from tests.web.dashboard.conftest import Dashboard, People, add_call, add_elder, turn_ids


def test_a_not_understood_turn_is_corrected_and_leaves_the_queue(volunteer_dashboard: Dashboard,
                                                                  people: People, db: Database) -> None:
    call = add_call(db, add_elder(db), {"prompt": "How can I help?", "transcript": "I need a dock tor",
                                        "confidence": 0.3, "needs_review": True})
    turn_id = turn_ids(db, call)[0]
    assert "I need a dock tor" in volunteer_dashboard.get("/review").get_data(as_text=True)
    response = volunteer_dashboard.post(f"/review/{turn_id}", {
        f"turn{turn_id}-text": "I need a doctor", f"turn{turn_id}-intent": "book_doctor"})
    assert response.status_code == 302
    with db.session() as session:
        turn = session.get(Turn, turn_id)
        assert (turn.corrected_text, turn.corrected_intent, turn.corrected_by_id, turn.needs_review) == (
            "I need a doctor", "book_doctor", people.volunteer_id, False)
        assert session.scalar(select(AuditLog.action).where(AuditLog.entity == "turn")) == "turn.corrected"
    assert "I need a dock tor" not in volunteer_dashboard.get("/review").get_data(as_text=True)


def test_an_unknown_intent_is_refused(volunteer_dashboard: Dashboard, db: Database) -> None:
    turn_id = turn_ids(db, add_call(db, None, {"transcript": "hm", "needs_review": True}))[0]
    volunteer_dashboard.post(f"/review/{turn_id}", {f"turn{turn_id}-text": "hm", f"turn{turn_id}-intent": "dance"})
    with db.session() as session:
        assert session.get(Turn, turn_id).needs_review is True


def test_corrections_export_as_candidate_examples_per_language_and_intent(
        runner: CliRunner, db: Database, tmp_path: Path) -> None:
    add_call(db, None, {"transcript": "dock tor", "corrected_text": "I need a doctor",
                        "corrected_intent": "book_doctor"},
             {"transcript": "noise", "corrected_text": "", "corrected_intent": None})
    add_call(db, None, {"transcript": "x", "corrected_text": "我要看医生", "corrected_intent": "book_doctor"},
             language="zh")
    result = runner.invoke(cli, ["intents", "export-corrections", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert '"en/book_doctor.yaml": 1' in result.output
    english = yaml.safe_load((tmp_path / "out" / "en" / "book_doctor.yaml").read_text(encoding="utf-8"))
    assert english == {"language": "en", "intent": "book_doctor", "examples": ["I need a doctor"]}
    chinese = yaml.safe_load((tmp_path / "out" / "zh" / "book_doctor.yaml").read_text(encoding="utf-8"))
    assert chinese["examples"] == ["我要看医生"]


def test_exported_corrections_teach_the_intent_model_what_it_missed(runner: CliRunner,
                                                                    db: Database) -> None:
    said = "could the lass from the council give us a tinkle"
    before = json.loads(runner.invoke(cli, ["parse", "--lang", "en", said]).output)
    assert before["intent"] != "operator"
    add_call(db, None, {"transcript": said, "corrected_text": said, "corrected_intent": "operator"})
    assert runner.invoke(cli, ["intents", "export-corrections"]).exit_code == 0
    trained = runner.invoke(cli, ["intents", "train"])
    assert trained.exit_code == 0, trained.output
    after = json.loads(runner.invoke(cli, ["parse", "--lang", "en", said]).output)
    assert after["intent"] == "operator"
    assert after["confidence"] < 0.9   # the model's answer is read back before it acts
