"""One language's words and settings: `prompts/<lang>.yaml`.

A file holds the language's settings (how it names itself, the script that shows a text is
written in it, the voice Twilio reads it with) and its prompts. A prompt is a string used on
every channel, or a mapping with `voice` and `sms` variants (a voice prompt says "press 2",
an SMS says "reply 2") and optionally `keypad`, the voice wording for callers whose language
no speech engine serves ("press 1" without "say yes"). Placeholders are `str.format` fields.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

CHANNELS = ("voice", "sms", "keypad")
REQUIRED = ("voice", "sms")
SETTINGS = ("name", "script", "voice", "vosk_model")


class PromptError(Exception):
    """A prompt file or key is missing or malformed."""


@dataclass(frozen=True)
class Voice:
    """How Twilio's `<Say>` reads a language: a TTS voice and its language code."""

    voice: str
    language: str


@dataclass(frozen=True)
class PromptFile:
    code: str
    name: str
    """How the language names itself ("English", "中文"), for a caller choosing one."""
    script: re.Pattern[str] | None
    """Characters only this language's texts are written in; None when it shares its script."""
    voice: Voice
    vosk_model: str
    """The official Vosk model to install for it ("" if none is known)."""
    prompts: dict[str, dict[str, str]]

    def template(self, key: str, channel: str) -> str:
        try:
            return self.prompts[key][channel]
        except KeyError:
            raise PromptError(f"prompt {key!r} is missing for {self.code}/{channel}") from None


def available(folder: Path) -> tuple[str, ...]:
    """The languages `folder` has data for: each `prompts/<lang>.yaml` with an `intents/<lang>/`."""
    return tuple(sorted(path.stem for path in (folder / "prompts").glob("*.yaml")
                        if (folder / "intents" / path.stem).is_dir()))


@lru_cache(maxsize=None)
def load(path: Path) -> PromptFile:
    """Read and check `prompts/<lang>.yaml`; raise PromptError naming the file and the problem."""
    lang = path.stem
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError:
        raise PromptError(f"no prompts for language {lang!r} ({path} is missing)") from None
    except yaml.YAMLError as exc:
        raise PromptError(f"{path}: not valid YAML ({str(exc).splitlines()[0]})") from None
    if not isinstance(raw, dict) or raw.get("language") != lang or not isinstance(raw.get("prompts"), dict):
        raise PromptError(f"{path}: needs `language: {lang}` and a `prompts:` mapping")
    unknown = set(raw) - {"language", "prompts", *SETTINGS}
    if unknown:
        raise PromptError(f"{path}: unknown setting {sorted(unknown)[0]!r} (known: {', '.join(SETTINGS)})")
    voice = raw.get("voice")
    if not isinstance(voice, dict) or not isinstance(voice.get("voice"), str) \
            or not isinstance(voice.get("language"), str):
        raise PromptError(f"{path}: needs `voice: {{voice: ..., language: ...}}` (the Twilio <Say> voice)")
    try:
        script = re.compile(raw["script"]) if raw.get("script") else None
    except re.error as exc:
        raise PromptError(f"{path}: script is not a regular expression ({exc})") from None
    table: dict[str, dict[str, str]] = {}
    for key, entry in raw["prompts"].items():
        if isinstance(entry, str):
            table[key] = {channel: entry for channel in CHANNELS}
        elif isinstance(entry, dict) and set(REQUIRED) <= set(entry) <= set(CHANNELS):
            table[key] = {channel: str(entry.get(channel, entry["voice"])) for channel in CHANNELS}
        else:
            raise PromptError(f"{path}: prompt {key!r} must be a string, or have voice and sms "
                              "(and optionally keypad)")
    return PromptFile(code=lang, name=str(raw.get("name") or lang), script=script,
                      voice=Voice(voice["voice"], voice["language"]),
                      vosk_model=str(raw.get("vosk_model") or ""), prompts=table)


def render(file: PromptFile, key: str, channel: str, values: dict[str, Any]) -> str:
    """The prompt `key` of `file` for `channel`, with its placeholders filled."""
    template = file.template(key, channel)
    try:
        return template.format(**values)
    except (KeyError, IndexError) as exc:
        raise PromptError(f"prompt {key!r} ({file.code}/{channel}) needs a value for {exc}") from None
