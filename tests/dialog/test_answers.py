"""Answers said in words at a step that acts: whole words only, negation heard, and an
answer understood without certainty read back before anything is done."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from assistant.db.database import Database
from assistant.db.models import Elder, OutboundTask
from tests.conftest import Words
from tests.demo import MARY, ZHANG, medicine_reminder_task
from tests.dialog.conftest import NOW


def _reminder(converse, db: Database, phone: str):  # type: ignore[no-untyped-def]
    """A medicine reminder call to the demo elder on `phone`, at its question."""
    task_id = medicine_reminder_task(db, phone, "call", NOW - timedelta(minutes=1))
    with db.session() as session:
        elder = session.scalar(select(Elder).where(Elder.phone == phone))
        elder_id, language = elder.id, elder.language
    call = converse(phone)
    call.start(kind="medicine", elder_id=elder_id, language=language, task_id=task_id)
    assert call.state == "reminder.medicine"
    return call, task_id


def _outcome(db: Database, task_id: int) -> str | None:
    with db.session() as session:
        return session.get(OutboundTask, task_id).outcome or None


@pytest.mark.parametrize(("phone", "answer", "outcome"), [
    (MARY, "not taken", "later"),
    (MARY, "I haven't taken it yet", "later"),
    (MARY, "no, not yet", "later"),
    (MARY, "taken", "taken"),
    (MARY, "yes I've taken them", "taken"),
    (ZHANG, "没吃", "later"),
    (ZHANG, "还没吃呢", "later"),
    (ZHANG, "吃了", "taken"),
    (ZHANG, "已经吃过了", "taken"),
])
def test_a_dose_is_recorded_taken_only_when_she_says_she_took_it(converse, db: Database, phone: str,
                                                                 answer: str, outcome: str) -> None:
    call, task_id = _reminder(converse, db, phone)
    call.say(answer)
    assert _outcome(db, task_id) == outcome


@pytest.mark.parametrize("answer", ["they were taken away", "the nurse has taken them to the chemist"])
def test_words_that_merely_hold_a_choice_do_not_choose_it(converse, db: Database, answer: str) -> None:
    call, task_id = _reminder(converse, db, MARY)
    call.say(answer)
    assert _outcome(db, task_id) is None
    assert call.state == "reminder.medicine" and not call.reply.ends


def test_i_dont_know_is_not_no(converse) -> None:
    mary = converse(MARY)
    mary.start()
    mary.say("I'm fine")
    assert mary.state == "menu.anything_else"
    mary.say("I don't know")
    assert mary.state == "menu.anything_else" and not mary.reply.ends


def test_a_misspelt_choice_is_read_back_and_acts_only_when_confirmed(converse, db: Database,
                                                                     words: Words) -> None:
    call, task_id = _reminder(converse, db, MARY)
    call.say("latter")
    assert call.said == words("confirm.heard", "en", "voice", heard=words("choice.later"))
    assert _outcome(db, task_id) is None and [c.value for c in call.reply.choices] == ["yes", "no"]
    call.press("1")
    assert _outcome(db, task_id) == "later"


def test_a_read_back_denied_asks_the_question_again(converse, db: Database, words: Words) -> None:
    call, task_id = _reminder(converse, db, MARY)
    call.say("latter")
    call.say("no")
    assert call.state == "reminder.medicine" and call.said.startswith(words("sorry.retry"))
    assert _outcome(db, task_id) is None
    call.press("1")
    assert _outcome(db, task_id) == "taken"


def test_another_answer_to_a_read_back_answers_the_question(converse, db: Database) -> None:
    call, task_id = _reminder(converse, db, MARY)
    call.say("latter")
    call.say("taken")
    assert _outcome(db, task_id) == "taken"


def test_help_during_a_read_back_is_help_at_once(converse, db: Database) -> None:
    call, _ = _reminder(converse, db, MARY)
    call.say("latter")
    call.say("I've fallen")
    assert call.state.startswith("help.")
