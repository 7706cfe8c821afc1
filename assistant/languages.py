"""The languages the hotline speaks, from data alone.

A language is a folder `intents/<lang>/` (what callers may say) and a file
`prompts/<lang>.yaml` (what they hear and read, and the language's settings), both under
`languages_dir`. Adding one needs no code: the language menu, the voices, script detection
and every message follow the data.
"""
from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path
from typing import Any

from assistant import prompts
from assistant.config import Config
from assistant.nlu import IntentData, load_intent_data
from assistant.prompts import PromptFile, Voice


class Languages:
    """Every language's prompts and settings, rendered with the organization's own names."""

    def __init__(self, config: Config) -> None:
        self.folder: Path = config.languages_dir
        self.default: str = config.organization.default_language
        found = prompts.available(self.folder)
        self.codes: tuple[str, ...] = (self.default, *(code for code in found if code != self.default))
        """The default language first, then the others in order of their codes."""
        self._files = {code: prompts.load(self.folder / "prompts" / f"{code}.yaml") for code in self.codes}
        self._organization = config.organization
        self._corrections = config.corrections_dir
        self._voices = {code: Voice(spoken.voice, spoken.language)
                        for code, spoken in config.voice.languages.items()}

    def served(self, lang: str | None) -> str:
        """`lang` if the hotline speaks it, else the default language."""
        return lang if lang in self._files else self.default

    def file(self, lang: str | None) -> PromptFile:
        return self._files[self.served(lang)]

    def render(self, lang: str | None, key: str, channel: str = "voice", /, **values: Any) -> str:
        """The prompt `key` in `lang` (the default language if it is not spoken here) for
        `channel`; `{org}` and `{emergency}` are filled in unless given."""
        file = self.file(lang)
        common = {"org": self.organization_name(file.code),
                  "emergency": self._organization.emergency_number}
        return prompts.render(file, key, channel, {**common, **values})

    def organization_name(self, lang: str | None) -> str:
        return self._organization.names.get(self.served(lang)) or self._organization.name

    def name(self, lang: str) -> str:
        """How `lang` names itself ("English", "中文")."""
        return self.file(lang).name

    def voice(self, lang: str | None) -> Voice:
        """The Twilio voice for `lang`: `voice.languages.<lang>` in the config, else the language's own."""
        code = self.served(lang)
        return self._voices.get(code) or self._files[code].voice

    def detect(self, text: str) -> str | None:
        """The language `text` is written in, when its script shows it (Chinese characters);
        None when the script is shared (English, Spanish...)."""
        return next((code for code, file in self._files.items() if file.script and file.script.search(text)),
                    None)

    def written_unspaced(self, word: str) -> bool:
        """`word` starts with the script of a language written without spaces between words."""
        return any(script.match(word) for script in self._unspaced_scripts)

    @cached_property
    def _unspaced_scripts(self) -> tuple[re.Pattern[str], ...]:
        return tuple(file.script for code, file in self._files.items()
                     if file.script is not None and not self.intents.language(code).spaced)

    @cached_property
    def intents(self) -> IntentData:
        """What callers may say, in every language, with each language's intent model trained
        on it and on the volunteers' exported corrections (loaded once per pair of folders)."""
        return load_intent_data(self.folder / "intents", corrections=self._corrections)
