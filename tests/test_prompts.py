"""Every prompt file loads; every language says the same things with the same blanks; and no
text a person reads or hears is written in Python: the code names prompts, the words are in
`prompts/<lang>.yaml` (checked on the code itself, with `ast`)."""
from __future__ import annotations

import ast
import re
import string
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant import prompts
from assistant.config import REPO_ROOT, Config
from assistant.dialog.flows import REGISTRY
from assistant.languages import Languages

LANGUAGES = Languages(Config())
CODE = REPO_ROOT / "assistant"
DATE_FIELDS = {"relative", "weekday", "day", "month", "suffix"}
"""Dates are written differently per language: each may use any of these blanks."""
KEY_ARGUMENT = {"say": 0, "text": 0, "render": 1}
"""Calls that name a prompt (`ctx.say(key)`, `languages.render(lang, key)`): which argument."""
SPOKEN_BY = ("dialog", "channels", "scheduler", "services")
"""Packages whose words reach elders, volunteers, contacts, clinics and providers."""
NOT_SPOKEN = {"dialog/diagrams.py": "draws the flows for developers",
              "services/directory_import.py": "its problems are the coordinator's report from `assistant import`",
              "services/accounts.py": "dashboard sign-in, worded by the dashboard's catalogs",
              "services/review.py": "writes candidate intent files for developers",
              "services/recordings.py": "its problems are diagnostics, never said or sent"}
SENTENCE = re.compile(r"[A-Za-z]{2,}[,;:!?]?\s+[A-Za-z]{2,}|[\u3400-\u9fff]")
QUIET = re.compile(r"^(log\.\w+|audit\.record|super\(\)\.__init__)$")
"""Calls whose strings are for logs, the audit trail or exceptions, not for people."""


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def keys() -> set[str]:
    return set(LANGUAGES.file(LANGUAGES.default).prompts)


def test_the_languages_are_the_prompt_files_with_intent_folders() -> None:
    assert set(LANGUAGES.codes) == {path.stem for path in (REPO_ROOT / "prompts").glob("*.yaml")}
    assert {"en", "zh"} <= set(LANGUAGES.codes) and LANGUAGES.codes[0] == "en"


@pytest.mark.parametrize("lang", LANGUAGES.codes)
def test_every_language_has_the_same_keys_and_placeholders_as_the_default(lang: str) -> None:
    default, other = LANGUAGES.file(LANGUAGES.default).prompts, LANGUAGES.file(lang).prompts
    assert set(other) == set(default)
    for key, variants in default.items():
        for channel, template in variants.items():
            if key.startswith("date."):
                assert fields(other[key][channel]) <= DATE_FIELDS, (lang, key, channel)
            else:
                assert fields(other[key][channel]) == fields(template), (lang, key, channel)


@pytest.mark.parametrize("lang", LANGUAGES.codes)
def test_every_language_names_itself_and_has_a_voice(lang: str) -> None:
    file = LANGUAGES.file(lang)
    assert file.name and file.voice.voice and file.voice.language


@pytest.mark.parametrize("lang", LANGUAGES.codes)
def test_every_prompt_a_state_says_exists(lang: str) -> None:
    table = LANGUAGES.file(lang).prompts
    missing = {s.prompt for s in REGISTRY.states.values() if s.prompt and s.prompt not in table}
    assert missing == set()


@pytest.mark.parametrize("lang", LANGUAGES.codes)
def test_sms_wording_never_asks_to_press_a_key(lang: str) -> None:
    press = {"en": "press ", "zh": "请按"}.get(lang, "press ")
    assert [k for k, v in LANGUAGES.file(lang).prompts.items() if press in v["sms"].lower()] == []


def test_a_missing_or_malformed_prompt_file_or_key_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(prompts.PromptError, match="no prompts for language 'xx'"):
        prompts.load(tmp_path / "xx.yaml")
    (tmp_path / "yy.yaml").write_text("language: yy\nprompts: {}\n", encoding="utf-8")
    with pytest.raises(prompts.PromptError, match="needs `voice: "):
        prompts.load(tmp_path / "yy.yaml")
    with pytest.raises(prompts.PromptError, match="prompt 'no.such.key' is missing"):
        LANGUAGES.render("en", "no.such.key")


def _modules() -> Iterator[tuple[str, ast.Module]]:
    for package in SPOKEN_BY:
        for path in sorted((CODE / package).rglob("*.py")):
            name = str(path.relative_to(CODE))
            if name not in NOT_SPOKEN:
                yield name, ast.parse(path.read_text(encoding="utf-8"))


def _named_keys(tree: ast.Module) -> Iterator[tuple[int, str, bool]]:
    """(line, key, whole) for every prompt a call names: whole keys, or f-string prefixes."""
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        position = KEY_ARGUMENT.get(node.func.attr)
        if position is None or len(node.args) <= position:
            continue
        argument = node.args[position]
        if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
            yield node.lineno, argument.value, True
        elif isinstance(argument, ast.JoinedStr) and isinstance(argument.values[0], ast.Constant):
            yield node.lineno, str(argument.values[0].value), False


def test_every_prompt_the_code_names_exists() -> None:
    known = keys()
    missing = [f"{name}:{line}: {key}" for name, tree in _modules() for line, key, whole in _named_keys(tree)
               if (key not in known if whole else not any(k.startswith(key) for k in known))]
    assert missing == []


def test_every_reason_a_help_request_is_opened_for_is_a_prompt() -> None:
    known = {key.removeprefix("reason.") for key in keys() if key.startswith("reason.")}
    named = [(name, node.lineno, keyword.value) for name, tree in _modules() for node in ast.walk(tree)
             if isinstance(node, ast.Call) for keyword in node.keywords if keyword.arg == "reason"]
    assert named, "the check found no reason= at all"
    for name, line, value in named:
        if isinstance(value, ast.Constant):
            assert value.value == "" or value.value in known, f"{name}:{line}"
        elif isinstance(value, ast.JoinedStr):
            prefix = str(value.values[0].value) if isinstance(value.values[0], ast.Constant) else ""
            assert prefix and any(k.startswith(prefix) for k in known), f"{name}:{line}"


def _quiet(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    """The string is a docstring, or goes to a log, the audit trail, an exception or an assert."""
    parent = parents.get(node)
    if isinstance(parent, ast.Expr):
        return True
    while parent is not None and not isinstance(parent, ast.stmt):
        if isinstance(parent, ast.Call) and QUIET.match(ast.unparse(parent.func)):
            return True
        parent = parents.get(parent)
    return isinstance(parent, (ast.Raise, ast.Assert))


def test_no_sentence_a_person_reads_or_hears_is_written_in_python() -> None:
    found = []
    for name, tree in _modules():
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and SENTENCE.search(node.value) \
                    and not _quiet(node, parents):
                found.append(f"{name}:{node.lineno}: {node.value[:60]!r}")
    assert found == [], "words for people belong in prompts/<lang>.yaml"
