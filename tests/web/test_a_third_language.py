"""A new language is data, not code: a third language, added as a folder of data beside the
shipped ones, is offered to callers, spoken in its own voice, and serves a keypad call and an
SMS conversation end to end, without a line of code changed.

The language here is a pseudo-language, "xx": English wrapped in ⟦ ⟧, so that every word the
hotline says in it can be told from English; its intent data is English's, relabelled. It gets
a voice of its own (Polly.Lucia, es-ES) so that the TwiML shows which language each sentence
is in."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from assistant.config import REPO_ROOT
from assistant.db.database import Database
from assistant.db.models import ConversationSession, Elder, MealOrder
from assistant.services.directory_import import import_directory
from tests.conftest import Words
from tests.demo import LANGUAGES, PROVIDER, load_demo
from tests.hotline import carrier, config_path, hotline  # noqa: F401  (fixtures)
from tests.hotline import Hotline
from tests.web.sms.conftest import Texts

XX = "xx"
ADA = "+15550123077"
VOICE = {"voice": "Polly.Lucia", "language": "es-ES"}
UNTRANSLATED = re.compile(r"^sms\.(keyword|said)\.")
"""Keywords and the sentences they stand for stay English: the intent data is English's."""


def pseudo(template: str) -> str:
    return f"⟦{template}⟧"


def add_pseudo_language(folder: Path) -> None:
    """Copy the shipped languages into `folder`, then add "xx" beside them."""
    shutil.copytree(REPO_ROOT / "intents", folder / "intents")
    shutil.copytree(REPO_ROOT / "prompts", folder / "prompts")
    shutil.copytree(folder / "intents" / "en", folder / "intents" / XX)
    for path in (folder / "intents" / XX).glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"^language: en$", f"language: {XX}", text, flags=re.M), encoding="utf-8")
    english = yaml.safe_load((REPO_ROOT / "prompts" / "en.yaml").read_text(encoding="utf-8"))
    prompts = {key: entry if UNTRANSLATED.match(key) else
               (pseudo(entry) if isinstance(entry, str) else {channel: pseudo(text) for channel, text in entry.items()})
               for key, entry in english["prompts"].items()}
    data = {"language": XX, "name": "Pseudo", "script": "", "voice": VOICE, "prompts": prompts}
    (folder / "prompts" / f"{XX}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


@pytest.fixture
def extra_settings(tmp_path: Path) -> dict[str, object]:
    folder = tmp_path / "languages"
    add_pseudo_language(folder)
    return {"languages_dir": str(folder)}


@pytest.fixture(autouse=True)
def ada(db: Database) -> None:
    """The demo directory, and Ada, who speaks xx."""
    load_demo(db)
    with db.session() as session:
        import_directory(session, {"elders": [{"name": "Ada", "phone": ADA, "language": XX,
                                               "address": "1 Pseudo Lane"}]},
                         region="US", default_timezone="America/New_York", languages=(*LANGUAGES, XX))


def test_the_third_language_is_offered_in_its_own_voice(hotline: Hotline, words: Words) -> None:
    call = hotline.call("+15557770000")
    offers = [("".join(say.itertext()), say.attrib["voice"], say.attrib["language"])
              for say in call.twiml.iter("Say")][1:]
    key = words.languages.codes.index(XX) + 1
    assert len(offers) == 3
    assert (words("choice.item", XX, key=key, label="Pseudo"), VOICE["voice"], VOICE["language"]) in offers
    assert call.press(str(key)).says().startswith(words("menu.greeting_unknown", XX))


def test_a_keypad_call_in_the_third_language_orders_two_lunches(
        hotline: Hotline, db: Database, words: Words) -> None:
    call = hotline.call(ADA)
    assert call.says() == f"{words('menu.greeting', XX, name='Ada')} {words('menu.main', XX)}"
    assert {(say.attrib["voice"], say.attrib["language"]) for say in call.twiml.iter("Say")} == {
        (VOICE["voice"], VOICE["language"])}
    assert words("order_meal.ask_meal", XX) in call.press("2").says()
    assert words("order_meal.ask_item", XX) in call.press("2").says()
    assert call.press("1").says() == words("order_meal.ask_quantity", XX)
    assert words("ask.day", XX) in call.press("2").says()
    call.press("2")
    with db.session() as session:
        assert session.scalar(select(ConversationSession.state)) == "order_meal.confirm"
    assert call.says().startswith("⟦2 ")
    assert call.press("1").says().startswith("⟦")
    with db.session() as session:
        order = session.scalar(select(MealOrder))
        assert (order.quantity, order.meal, order.elder.name) == (2, "lunch", "Ada")
    [to_provider] = [m["Body"] for m in hotline.carrier.sent() if m["To"] == PROVIDER]
    assert "2 x Standard" in to_provider and not to_provider.startswith("⟦"), "the provider reads its own language"


def test_an_sms_conversation_in_the_third_language(hotline: Hotline, db: Database, words: Words,
                                                   runtime) -> None:  # type: ignore[no-untyped-def]
    texts = Texts(hotline, runtime.clock)  # type: ignore[arg-type]

    def sms(name: str, /, **values: object) -> str:
        return words(name, XX, "sms", **values)
    meals = " ".join(sms("choice.item", key=i, label=sms(f"meal.{meal}"))
                     for i, meal in enumerate(("breakfast", "lunch", "dinner"), 1))
    assert texts.send(ADA, "MENU") == f"{sms('menu.greeting', name='Ada')} {sms('menu.main')}"
    assert texts.send(ADA, "MEAL") == f"{sms('order_meal.ask_meal')} {meals}"
    assert texts.send(ADA, "I need help") == sms("help.calling")
    with db.session() as session:
        assert session.scalar(select(Elder.language).where(Elder.phone == ADA)) == XX
