"""SMS keywords, read from the prompt files: forgiving of case, spacing and small typos, but
never reading an ordinary word as an opt-out."""
import pytest

from assistant.channels.sms.keywords import Keyword, find, said
from assistant.config import Config
from assistant.languages import Languages

LANGUAGES = Languages(Config())


@pytest.mark.parametrize(("text", "name", "rest"), [
    ("STOP", "stop", ""), ("stop.", "stop", ""), (" Stop all ", "stop", ""), ("STOPALL", "stop", ""),
    ("unsubscribe", "stop", ""), ("End", "stop", ""), ("QUIT", "stop", ""), ("退订", "stop", ""),
    ("START", "start", ""), ("订阅", "start", ""), ("CANCEL", "cancel", ""),
    ("MENU", "menu", ""), ("menu please", "menu", "please"), ("?", "menu", ""), ("？", "menu", ""),
    ("菜单", "menu", ""), ("OK", "ok", ""), ("好", "ok", ""),
    ("DOCTOR", "doctor", ""), ("DOCTOR TUE", "doctor", "tue"), ("doctortue", "doctor", "tue"),
    ("Doctr tue", "doctor", "tue"), ("ＤＯＣＴＯＲ", "doctor", ""),
    ("挂号", "doctor", ""), ("看病", "doctor", ""), ("挂号星期二", "doctor", "星期二"),
    ("MEDS", "meds", ""), ("meds!", "meds", ""), ("吃药", "meds", ""),
    ("TAKEN", "taken", ""), ("Takne", "taken", ""), ("吃过了", "taken", ""),
    ("HELP", "help", ""), ("sos", "help", ""), ("帮助", "help", ""), ("救命", "help", ""),
])
def test_keywords(text: str, name: str, rest: str) -> None:
    assert find(text, LANGUAGES) == Keyword(name, rest)


@pytest.mark.parametrize("text", ["", "   ", "quite unwell", "endurance", "stop by tomorrow please",
                                  "OK thanks", "take my pills", "好的我要订餐", "帮助我订餐", "can I get lunch tomorrow",
                                  "🙂🙂"])
def test_ordinary_texts_are_no_keyword(text: str) -> None:
    keyword = find(text, LANGUAGES)
    assert keyword is None or keyword.name not in ("stop", "start", "cancel", "ok", "help")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_intent_keywords_have_a_sentence_and_commands_none(lang: str) -> None:
    assert all(said(LANGUAGES, name, lang) for name in ("ok", "doctor", "meds", "taken", "help"))
    assert not any(said(LANGUAGES, name, lang) for name in ("stop", "start", "cancel", "menu"))
