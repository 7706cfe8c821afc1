"""Rendering a dialog Reply as one SMS: choices, GSM-7 or UCS-2 segments, at most three."""
import pytest

from assistant.channels.sms import text as sms
from assistant.config import Config
from assistant.dialog.model import Choice, Reply
from assistant.languages import Languages

LANGUAGES = Languages(Config())


@pytest.mark.parametrize(("text", "kind", "count"), [
    ("", "gsm7", 0),
    ("a" * 160, "gsm7", 1),
    ("a" * 161, "gsm7", 2),
    ("a" * 306, "gsm7", 2),
    ("a" * 307, "gsm7", 3),
    ("{" * 80, "gsm7", 1),          # extension characters take two septets
    ("{" * 81, "gsm7", 2),
    ("您" * 70, "ucs2", 1),
    ("您" * 71, "ucs2", 2),
    ("a" * 159 + "您", "ucs2", 3),  # one Chinese character turns the whole text into UCS-2
    ("🙂" * 35, "ucs2", 1),         # an emoji is two UTF-16 code units
    ("🙂" * 36, "ucs2", 2),
])
def test_segments_are_counted_as_carriers_count_them(text: str, kind: str, count: int) -> None:
    assert sms.encoding(text) == kind
    assert sms.segments(text) == count


def test_typographic_punctuation_does_not_force_ucs2() -> None:
    assert sms.compose(["It’s “fine” – really…"]) == 'It\'s "fine" - really...'
    assert sms.compose(["王医生 – 明天"]) == "王医生 – 明天"


def test_choices_are_numbered_on_one_line() -> None:
    reply = Reply(lines=["Which day?"], choices=[Choice("1", "2025-11-24", "today"),
                                                 Choice("2", "2025-11-25", "tomorrow"),
                                                 Choice("3", "2025-11-26", "Wednesday")],
                  expects_answer=True, lang="en")
    assert sms.render(reply, LANGUAGES) == "Which day? 1 today 2 tomorrow 3 Wednesday"


def test_choices_the_prompt_already_names_are_not_repeated() -> None:
    reply = Reply(lines=["Right? Reply 1 yes, 2 no."], choices=[Choice("1", "yes", "yes")],
                  read_choices=False, expects_answer=True)
    assert sms.render(reply, LANGUAGES) == "Right? Reply 1 yes, 2 no."


@pytest.mark.parametrize("filler", ["Your medicines today: " + "Metformin at 08:00; " * 40,
                                    "您今天要吃：" + "阿司匹林，08:00；" * 40])
def test_a_long_reply_is_cut_to_three_segments_keeping_its_question(filler: str) -> None:
    reply = Reply(lines=[filler, "Which one?"], choices=[Choice("1", "a", "Metformin")],
                  expects_answer=True, lang="en")
    text = sms.render(reply, LANGUAGES)
    assert sms.segments(text) == 3
    assert text.endswith("... Which one? 1 Metformin")


def test_a_long_statement_is_cut_at_a_word() -> None:
    text = sms.render(Reply(lines=["word " * 200]), LANGUAGES)
    assert sms.segments(text) == 3 and text.endswith("word...")
