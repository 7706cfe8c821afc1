"""A spoken answer is said back before the next question ("Lunch, tomorrow. ..."), so that a
caller knows at once what was understood; not where the reply already says it all back, not
for keys or texts, and not for help."""
from __future__ import annotations

import pytest

from tests.conftest import Words
from tests.demo import MARY, ZHANG


def test_a_spoken_request_is_said_back_before_the_next_question(converse, words: Words) -> None:
    call = converse(MARY)
    call.start()
    reply = call.say("I'd like lunch")
    assert reply.lines[0] == words("echo.heard", heard="Lunch")
    assert reply.lines[1:] and reply.expects_answer


def test_a_spoken_request_is_said_back_in_mandarin_too(converse, words: Words) -> None:
    call = converse(ZHANG)
    call.start()
    reply = call.say("我想订午饭")
    assert reply.lines[0] == words("echo.heard", "zh", heard=words("meal.lunch", "zh"))


def test_a_request_without_slots_is_said_back_by_name(converse, words: Words) -> None:
    call = converse(MARY)
    call.start()
    reply = call.say("I need to see a doctor")
    assert reply.lines[0] == words("echo.heard", heard=words("echo.book_doctor").capitalize())


def test_a_confirmation_that_reads_it_all_back_is_not_preceded_by_it(converse, words: Words) -> None:
    call = converse(MARY)
    call.start()
    reply = call.say("I would like to see my doctor tomorrow morning")
    assert not reply.lines[0].startswith(words("day.tomorrow").capitalize())


@pytest.mark.parametrize("answer", ["help", "yes", "repeat that please"])
def test_help_yes_and_repeat_are_not_said_back(converse, words: Words, answer: str) -> None:
    call = converse(MARY)
    call.start()
    first = call.say(answer).lines[0]
    assert not first.endswith(".") or not first.startswith(answer.capitalize())


def test_keys_and_texts_are_not_said_back(converse, words: Words) -> None:
    keyed = converse(MARY)
    keyed.start()
    assert keyed.press("2").lines[0] != words("echo.heard", heard="Meals")
    texted = converse(MARY, "sms")
    texted.start()
    assert not texted.say("I'd like lunch").lines[0].startswith(words("echo.heard", "en", "sms", heard="Lunch"))
