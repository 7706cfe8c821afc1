"""Read `intents/`: the registry, each language's `_common.yaml` and intent files.

Every file is validated against a small schema while its YAML nodes still carry line
numbers, so a mistake is reported as `intents/en/help.yaml:12: 'phrases' must be a
list of strings`. All problems of all files are collected and raised together as one
`IntentDataError`. Strings keep their origin (`Located.where`) so that later checks,
such as compiling a template, can name the file and line too.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from assistant.nlu.errors import IntentDataError

DEFAULT_ROOT = Path(__file__).resolve().parents[2] / "intents"
REGISTRY_FILE = "intents.yaml"
COMMON_FILE = "_common.yaml"
DANGER_FILE = "_danger.yaml"
NULL_FILE = "_null.yaml"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SLOT_NAMES = ("date", "part_of_day", "time", "meal", "doctor", "medication", "quantity")


class Located(str):
    """A string from a data file that remembers where it was written."""

    where: str

    def __new__(cls, value: str, where: str) -> "Located":
        obj = super().__new__(cls, value)
        obj.where = where
        return obj


# --- schemas -------------------------------------------------------------------------
# A spec is "str", "int", "bool", ["str"] (a list of strings), {"*": spec} (a mapping
# with any keys), or {"key": (spec, required)} (a mapping with fixed keys).
STRINGS = ["str"]
STR_INT = {"*": "int"}

REGISTRY_SCHEMA = {
    "slots": ({"*": {"description": ("str", True)}}, True),
    "intents": ({"*": {
        "description": ("str", True),
        "priority": ("int", True),
        "when_negated": ("str", False),
        "about_self": ("str", False),
        "slots": (STRINGS, True),
    }}, True),
}

INTENT_SCHEMA = {
    "language": ("str", True),
    "intent": ("str", True),
    "phrases": (STRINGS, True),
    "whole": (STRINGS, False),
    "not": (STRINGS, False),
    "examples": (STRINGS, True),
}

COMMON_SCHEMA = {
    "language": ("str", True),
    "ignore_whitespace": ("bool", True),
    "phonetic": ("str", True),
    "repeat_collapse": ("int", True),
    "doubled_words": (STRINGS, False),
    "never_repair": (STRINGS, False),
    "rewrites": ({"*": "str"}, True),
    "fillers": (STRINGS, True),
    "clause_breaks": (STRINGS, True),
    "not_clause_breaks": (STRINGS, False),
    "negations": (STRINGS, True),
    "not_negations": (STRINGS, True),
    "negation_window": ("int", True),
    "third_party": (STRINGS, True),
    "resolved": (STRINGS, True),
    "generic_names": ({"doctor": ("str", True), "medication": ("str", True)}, True),
    "titles": (STRINGS, True),
    "first_person": (STRINGS, True),
    "numbers": ({"words": (STR_INT, True), "numerals": ("str", True),
                 "ordinals": (STR_INT, True), "ordinal_suffix": ("str", True)}, True),
    "quantity": ({"units": (STRINGS, True), "forms": (STRINGS, True),
                  "phrases": (STR_INT, False)}, True),
    "meals": ({"breakfast": (STRINGS, True), "lunch": (STRINGS, True),
               "dinner": (STRINGS, True)}, True),
    "part_of_day": ({"morning": (STRINGS, True), "afternoon": (STRINGS, True),
                     "evening": (STRINGS, True)}, True),
    "greetings": (STRINGS, True),
    "choice_carriers": (STRINGS, False),
    "dates": ({"days": (STR_INT, True), "weekdays": (STR_INT, True),
               "this_week": (STRINGS, True), "next_week": (STRINGS, True),
               "weekday_forms": (STRINGS, True), "months": (STR_INT, True),
               "day_forms": (STRINGS, True)}, True),
    "times": ({"forms": (STRINGS, True)}, True),
}
DANGER_SCHEMA = {
    "language": ("str", True),
    "negations": (STRINGS, True),
    "not_negations": (STRINGS, False),
    "negation_window": ("int", True),
    "pleas": (STRINGS, True),
    "events": ({"*": STRINGS}, True),
    "body": ({"*": STRINGS}, True),
    "signs": ({"*": STRINGS}, True),
    "sign_distance": ("int", False),
    "all_clear": (STRINGS, True),
    "past": (STRINGS, True),
    "ongoing": (STRINGS, False),
    "dismissals": (STRINGS, True),
    "not": (STRINGS, False),
}
CORRECTIONS_SCHEMA = {
    "language": ("str", True),
    "intent": ("str", True),
    "examples": (STRINGS, True),
}
NULL_SCHEMA = {
    "language": ("str", True),
    "examples": (STRINGS, True),
}
PHONETIC_METHODS = ("spelling", "pinyin")


@dataclass(frozen=True)
class IntentSpec:
    """One registry entry."""

    name: str
    description: str
    priority: int
    slots: tuple[str, ...]
    when_negated: str | None
    about_self: str | None
    """None, "always" (dropped after someone else is mentioned) or "resolved"."""


@dataclass(frozen=True)
class IntentPhrases:
    """One `intents/<lang>/<intent>.yaml`."""

    intent: str
    phrases: tuple[Located, ...]
    """Templates matched anywhere in a clause: (a|b) alternatives, [x] optional, ... a gap."""
    whole: tuple[Located, ...]
    """Templates that count only when they are a whole clause ("what", "y", "中")."""
    exclude: tuple[Located, ...]
    """Templates that look like the intent but are not ("help me get ...")."""
    examples: tuple[Located, ...]
    """Whole example sentences, matched fuzzily when no phrase fits."""


@dataclass(frozen=True)
class RawLanguage:
    """A language folder as read: its `_common.yaml` settings, its `_danger.yaml` concepts,
    its intent files and the `_null.yaml` examples of what is no intent at all."""

    code: str
    common: dict[str, Any]
    danger: dict[str, Any]
    intents: dict[str, IntentPhrases]
    null_examples: tuple[Located, ...] = ()


class _Problems:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.lines.append(f"{where}: {message}")


def _where(path: Path, node: yaml.Node) -> str:
    return f"{_display(path)}:{node.start_mark.line + 1}"


def _display(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _check(node: yaml.Node, spec: Any, path: Path, label: str, problems: _Problems) -> Any:
    """Validate `node` against `spec` and return its Python value (None when invalid)."""
    where = _where(path, node)
    if spec in ("str", "int", "bool"):
        if not isinstance(node, yaml.ScalarNode):
            problems.add(where, f"{label} must be a {_kind(spec)}")
            return None
        tag = node.tag.rsplit(":", 1)[-1]
        if spec == "str" and tag in ("str", "int", "float"):
            if not node.value.strip() and label.startswith("an item"):
                problems.add(where, f"{label} must not be empty")
            return Located(node.value, where)
        if spec == "int" and tag == "int":
            return int(node.value)
        if spec == "bool" and tag == "bool":
            return node.value.lower() in ("true", "yes", "on")
        hint = " (quote yes/no/on/off to make them words)" if tag == "bool" else ""
        problems.add(where, f"{label} must be a {_kind(spec)}, not {node.value!r}{hint}")
        return None
    if isinstance(spec, list):
        if not isinstance(node, yaml.SequenceNode):
            problems.add(where, f"{label} must be a list of {_kind(spec[0])}s")
            return None
        items = [_check(item, spec[0], path, f"an item of {label}", problems)
                 for item in node.value]
        return tuple(item for item in items if item is not None)
    if not isinstance(node, yaml.MappingNode):
        problems.add(where, f"{label} must be a mapping")
        return None
    result: dict[str, Any] = {}
    for key_node, value_node in node.value:
        key = key_node.value
        if key in result:
            problems.add(_where(path, key_node), f"{key!r} is given twice in {label}")
        if "*" in spec:
            result[key] = _check(value_node, spec["*"], path, f"{label}.{key}", problems)
        elif key not in spec:
            known = ", ".join(spec)
            problems.add(_where(path, key_node), f"unknown key {key!r} in {label} (known: {known})")
        else:
            result[key] = _check(value_node, spec[key][0], path, f"'{key}'", problems)
    if "*" not in spec:
        for key, (_, required) in spec.items():
            if required and key not in result:
                problems.add(where, f"{label} lacks the required key {key!r}")
    return result


def _kind(spec: Any) -> str:
    return {"str": "string", "int": "whole number", "bool": "true or false"}.get(spec, "value")


def _read(path: Path, schema: dict[str, Any], problems: _Problems) -> dict[str, Any] | None:
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        problems.add(f"{_display(path)}{line}", f"not valid YAML: {getattr(exc, 'problem', exc)}")
        return None
    except (OSError, UnicodeDecodeError) as exc:
        problems.add(_display(path), f"cannot be read: {exc}")
        return None
    if node is None:
        problems.add(_display(path), "is empty")
        return None
    value = _check(node, schema, path, "the file", problems)
    return value if isinstance(value, dict) else None


def _registry(root: Path, problems: _Problems) -> dict[str, IntentSpec]:
    path = root / REGISTRY_FILE
    data = _read(path, REGISTRY_SCHEMA, problems)
    if not data:
        return {}
    for slot in data.get("slots") or {}:
        if slot not in SLOT_NAMES:
            problems.add(_display(path), f"slot {slot!r} is not one the matcher fills "
                                         f"({', '.join(SLOT_NAMES)})")
    specs: dict[str, IntentSpec] = {}
    for name, entry in (data.get("intents") or {}).items():
        if not entry:
            continue
        for slot in entry.get("slots") or ():
            if slot not in (data.get("slots") or {}):
                problems.add(slot.where, f"intent {name!r} takes unknown slot {slot!r}")
        specs[name] = IntentSpec(
            name=name, description=entry.get("description", ""),
            priority=entry.get("priority", 0), slots=tuple(entry.get("slots") or ()),
            when_negated=entry.get("when_negated"), about_self=entry.get("about_self"))
    for spec in specs.values():
        if spec.when_negated is not None and spec.when_negated not in specs:
            problems.add(spec.when_negated.where,  # type: ignore[attr-defined]
                         f"when_negated names unknown intent {spec.when_negated!r}")
        if spec.about_self not in (None, "always", "resolved"):
            problems.add(spec.about_self.where,  # type: ignore[union-attr]
                         f"about_self must be 'always' or 'resolved', not {spec.about_self!r}")
    return specs


def _language(folder: Path, registry: dict[str, IntentSpec],
              problems: _Problems) -> RawLanguage | None:
    code = folder.name
    common_path = folder / COMMON_FILE
    if not common_path.is_file():
        problems.add(_display(folder), f"lacks {COMMON_FILE} (the language's settings)")
        return None
    common = _read(common_path, COMMON_SCHEMA, problems)
    if common is not None:
        _check_language(common_path, common, code, problems)
        if common.get("phonetic") not in PHONETIC_METHODS:
            problems.add(_display(common_path),
                         f"phonetic must be one of {', '.join(PHONETIC_METHODS)}")
    danger = _danger(folder / DANGER_FILE, code, problems)
    null = _null_examples(folder / NULL_FILE, code, problems)
    intents: dict[str, IntentPhrases] = {}
    for path in sorted(folder.glob("*.yaml")):
        if path.name in (COMMON_FILE, DANGER_FILE, NULL_FILE):
            continue
        data = _read(path, INTENT_SCHEMA, problems)
        if data is None:
            continue
        _check_language(path, data, code, problems)
        name = data.get("intent")
        if name is None:
            continue
        if name not in registry:
            problems.add(name.where, f"intent {name!r} is not in {REGISTRY_FILE}")
            continue
        if name != path.stem:
            problems.add(name.where, f"intent {name!r} belongs in {name}.yaml, not {path.name}")
            continue
        if not data.get("phrases"):
            problems.add(_display(path), "needs at least one phrase")
        intents[name] = IntentPhrases(
            intent=name, phrases=data.get("phrases", ()), whole=data.get("whole", ()),
            exclude=data.get("not", ()), examples=data.get("examples", ()))
    for name in registry:
        if name not in intents:
            problems.add(_display(folder), f"has no {name}.yaml (every intent needs one)")
    if common is None or danger is None:
        return None
    return RawLanguage(code=code, common=common, danger=danger, intents=intents,
                       null_examples=null)


def _null_examples(path: Path, code: str, problems: _Problems) -> tuple[Located, ...]:
    """Examples of nothing the hotline does; optional."""
    if not path.is_file():
        return ()
    data = _read(path, NULL_SCHEMA, problems)
    if data is None:
        return ()
    _check_language(path, data, code, problems)
    return data.get("examples", ())


def _danger(path: Path, code: str, problems: _Problems) -> dict[str, Any] | None:
    if not path.is_file():
        problems.add(_display(path.parent), f"lacks {DANGER_FILE} (how danger is recognised)")
        return None
    danger = _read(path, DANGER_SCHEMA, problems)
    if danger is None:
        return None
    _check_language(path, danger, code, problems)
    body, signs = set(danger.get("body") or {}), set(danger.get("signs") or {})
    if body != signs:
        problems.add(_display(path), "body and signs must name the same groups "
                                     f"(only in one: {', '.join(sorted(body ^ signs))})")
    return danger


def _check_language(path: Path, data: dict[str, Any], code: str, problems: _Problems) -> None:
    language = data.get("language")
    if language is not None and language != code:
        problems.add(language.where,
                     f"language is {language!r} but the file is in the {code!r} folder")


def read_intent_files(root: Path | None = None) -> tuple[dict[str, IntentSpec],
                                                        dict[str, RawLanguage]]:
    """Read and validate everything under `root`; raise IntentDataError listing every
    problem found."""
    root = Path(root) if root is not None else DEFAULT_ROOT
    problems = _Problems()
    if not (root / REGISTRY_FILE).is_file():
        raise IntentDataError(f"{_display(root)}: no {REGISTRY_FILE} (the intent registry)")
    registry = _registry(root, problems)
    languages: dict[str, RawLanguage] = {}
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        language = _language(folder, registry, problems)
        if language is not None:
            languages[language.code] = language
    if not languages:
        problems.add(_display(root), "has no language folders")
    if problems.lines:
        raise IntentDataError("\n".join(problems.lines))
    return registry, languages


def read_corrections(folder: Path, root: Path | None = None) -> dict[str, dict[str, list[str]]]:
    """Read an export of the review queue (`<folder>/<lang>/<intent>.yaml`, as written by
    `assistant intents export-corrections`): language -> intent -> sentences. Raise
    IntentDataError listing every problem, like the intent files."""
    problems = _Problems()
    registry_path = (Path(root) if root is not None else DEFAULT_ROOT) / REGISTRY_FILE
    registry = _read(registry_path, REGISTRY_SCHEMA, problems) or {}
    known = set(registry.get("intents") or {})
    found: dict[str, dict[str, list[str]]] = {}
    for path in sorted(folder.glob("*/*.yaml")):
        data = _read(path, CORRECTIONS_SCHEMA, problems)
        if data is None:
            continue
        _check_language(path, data, path.parent.name, problems)
        intent = data.get("intent")
        if intent is None:
            continue
        if intent not in known:
            problems.add(intent.where, f"intent {intent!r} is not in {REGISTRY_FILE}")
            continue
        found.setdefault(path.parent.name, {}).setdefault(str(intent), []).extend(
            str(e) for e in data.get("examples", ()))
    if problems.lines:
        raise IntentDataError("\n".join(problems.lines))
    return found
