"""The languages the hotline speaks, as data: which they are, how each names itself and is
spoken, which script gives one away, and the organization's name in each."""
from __future__ import annotations

from pathlib import Path

import pytest

from assistant.config import Config, SpokenLanguage, load_config
from assistant.languages import Languages


def languages(**settings: object) -> Languages:
    return Languages(Config.model_validate(settings))


def test_the_default_language_comes_first_then_the_others() -> None:
    assert languages().codes == ("en", "zh")
    assert languages(organization={"default_language": "zh"}).codes == ("zh", "en")


def test_each_language_names_itself_and_speaks_with_its_own_voice() -> None:
    spoken = languages()
    assert (spoken.name("en"), spoken.name("zh")) == ("English", "中文")
    assert (spoken.voice("zh").voice, spoken.voice("zh").language) == ("Polly.Zhiyu", "cmn-CN")


def test_the_configuration_may_give_a_language_another_voice() -> None:
    spoken = Languages(Config(voice={"languages": {"zh": SpokenLanguage(voice="Google.cmn-CN-Standard-A",
                                                                        language="cmn-CN")}}))
    assert spoken.voice("zh").voice == "Google.cmn-CN-Standard-A"
    assert spoken.voice("en").voice == "Polly.Joanna"


def test_a_text_gives_its_language_away_only_by_a_script_of_its_own() -> None:
    spoken = languages()
    assert spoken.detect("我要订餐") == "zh"
    assert spoken.detect("lunch please") is None
    assert spoken.written_unspaced("挂号") and not spoken.written_unspaced("doctor")


def test_a_language_not_spoken_here_is_read_as_the_default() -> None:
    spoken = languages()
    assert spoken.served("fr") == "en" and spoken.served("") == "en" and spoken.served("zh") == "zh"
    assert spoken.render("fr", "day.tomorrow") == spoken.render("en", "day.tomorrow")


def test_the_organization_is_named_in_each_readers_language() -> None:
    spoken = languages(organization={"name": "Community Care Line", "names": {"zh": "关爱热线"}})
    assert spoken.render("zh", "menu.greeting_unknown") == "您好！这里是关爱热线。"
    assert "Community Care Line" in spoken.render("en", "menu.greeting_unknown")


def test_a_languages_dir_holds_the_languages_spoken(tmp_path: Path) -> None:
    folder = tmp_path / "languages"
    (folder / "intents" / "en").mkdir(parents=True)
    (folder / "prompts").mkdir()
    (folder / "prompts" / "en.yaml").write_text("language: en\n", encoding="utf-8")
    (folder / "prompts" / "fr.yaml").write_text("language: fr\n", encoding="utf-8")  # no intents/fr/
    config = tmp_path / "config.yaml"
    config.write_text("languages_dir: languages\n", encoding="utf-8")
    assert load_config(config, environ={}).languages_dir == folder


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_each_language_offers_its_official_vosk_model(lang: str) -> None:
    assert languages().file(lang).vosk_model.startswith("vosk-model-")
