"""Words an elder hears or reads, and alerts people receive: `prompts/<lang>.yaml`.

An entry is a string used on every channel, or a mapping with `voice` and `sms` variants
(a voice prompt says "press 2", an SMS says "reply 2") and optionally `keypad`, the voice
wording for callers whose language no speech engine serves ("press 1" without "say yes").
Placeholders are `str.format` fields.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from assistant.config import REPO_ROOT

PROMPTS_DIR = REPO_ROOT / "prompts"
CHANNELS = ("voice", "sms", "keypad")
REQUIRED = ("voice", "sms")


class PromptError(Exception):
    """A prompt file or key is missing or malformed."""


@lru_cache(maxsize=None)
def load(lang: str, directory: Path = PROMPTS_DIR) -> dict[str, dict[str, str]]:
    path = directory / f"{lang}.yaml"
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError:
        raise PromptError(f"no prompts for language {lang!r} ({path} is missing)") from None
    if not isinstance(raw, dict) or raw.get("language") != lang or not isinstance(raw.get("prompts"), dict):
        raise PromptError(f"{path}: needs `language: {lang}` and a `prompts:` mapping")
    table: dict[str, dict[str, str]] = {}
    for key, entry in raw["prompts"].items():
        if isinstance(entry, str):
            table[key] = {channel: entry for channel in CHANNELS}
        elif isinstance(entry, dict) and set(REQUIRED) <= set(entry) <= set(CHANNELS):
            table[key] = {channel: str(entry.get(channel, entry["voice"])) for channel in CHANNELS}
        else:
            raise PromptError(f"{path}: prompt {key!r} must be a string, or have voice and sms "
                              "(and optionally keypad)")
    return table


def languages(directory: Path = PROMPTS_DIR) -> list[str]:
    return sorted(path.stem for path in directory.glob("*.yaml"))


def render(lang: str, name: str, channel: str = "voice", /, **values: Any) -> str:
    """The prompt `name` in `lang` for `channel`, with its placeholders filled."""
    try:
        template = load(lang)[name][channel]
    except KeyError:
        raise PromptError(f"prompt {name!r} is missing for {lang}/{channel}") from None
    return template.format(**values)
