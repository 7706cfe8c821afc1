"""The intent data loads, and broken data is reported by file, line and problem."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.nlu import IntentDataError, UnknownLanguageError, load_intent_data
from assistant.nlu.loader import DEFAULT_ROOT


@pytest.fixture
def intents_copy(tmp_path: Path) -> Path:
    root = tmp_path / "intents"
    shutil.copytree(DEFAULT_ROOT, root)
    return root


def _error(root: Path) -> str:
    with pytest.raises(IntentDataError) as caught:
        load_intent_data(root)
    return str(caught.value)


def test_every_file_loads_for_every_registered_intent() -> None:
    data = load_intent_data()
    assert data.languages == ("en", "zh")
    for lang in data.languages:
        assert set(data.language(lang).intents) == set(data.intents)


def test_loading_is_cached() -> None:
    assert load_intent_data() is load_intent_data()


def test_unknown_language() -> None:
    with pytest.raises(UnknownLanguageError, match="'fr'.*en, zh"):
        load_intent_data().language("fr")


def test_hint_phrases_are_short_plain_phrases() -> None:
    hints = load_intent_data().hint_phrases("en", ["yes", "no"])
    assert "yes" in hints and "no" in hints
    assert all("..." not in h and "(" not in h and "{" not in h for h in hints)
    assert "是的" in load_intent_data().hint_phrases("zh", ["yes"])


def test_language_header_must_match_folder(intents_copy: Path) -> None:
    path = intents_copy / "en" / "yes.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("language: en", "language: zh"),
                    encoding="utf-8")
    message = _error(intents_copy)
    assert "en/yes.yaml:1: language is 'zh' but the file is in the 'en' folder" in message


def test_unknown_intent_and_wrong_file_name(intents_copy: Path) -> None:
    (intents_copy / "en" / "dance.yaml").write_text(
        "language: en\nintent: dance\nphrases: [dance]\nexamples: [let's dance]\n", encoding="utf-8")
    assert "en/dance.yaml:2: intent 'dance' is not in intents.yaml" in _error(intents_copy)


def test_missing_intent_file(intents_copy: Path) -> None:
    (intents_copy / "zh" / "goodbye.yaml").unlink()
    assert "has no goodbye.yaml" in _error(intents_copy)


def test_wrong_types_and_unknown_keys_name_the_line(intents_copy: Path) -> None:
    (intents_copy / "en" / "no.yaml").write_text(
        "language: en\nintent: \"no\"\nphrases: nope\nexample: [x]\n", encoding="utf-8")
    message = _error(intents_copy)
    assert "en/no.yaml:3: 'phrases' must be a list of strings" in message
    assert "en/no.yaml:4: unknown key 'example'" in message
    assert "lacks the required key 'examples'" in message


def test_unquoted_yes_is_explained(intents_copy: Path) -> None:
    path = intents_copy / "en" / "yes.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('intent: "yes"', "intent: yes"),
                    encoding="utf-8")
    assert "quote yes/no" in _error(intents_copy)


def test_bad_phrase_syntax_names_the_phrase(intents_copy: Path) -> None:
    path = intents_copy / "en" / "cancel.yaml"
    text = path.read_text(encoding="utf-8").replace("  - scratch that\n", "  - scratch (that\n")
    path.write_text(text, encoding="utf-8")
    message = _error(intents_copy)
    assert "en/cancel.yaml:" in message and "'scratch (that'" in message and "unbalanced" in message


def test_invalid_yaml(intents_copy: Path) -> None:
    (intents_copy / "zh" / "no.yaml").write_text("language: zh\nintent: [\n", encoding="utf-8")
    assert "zh/no.yaml:3: not valid YAML" in _error(intents_copy)


def test_adding_a_language_is_adding_a_folder(intents_copy: Path) -> None:
    shutil.copytree(intents_copy / "en", intents_copy / "xx")
    for path in (intents_copy / "xx").glob("*.yaml"):
        path.write_text(path.read_text(encoding="utf-8").replace("language: en", "language: xx"),
                        encoding="utf-8")
    data = load_intent_data(intents_copy)
    assert "xx" in data.languages
