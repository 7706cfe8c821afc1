"""The loaded intent data: the registry and every compiled language, loaded once."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from assistant.nlu.errors import UnknownLanguageError
from assistant.nlu.language import Language
from assistant.nlu.loader import IntentSpec, read_intent_files


@dataclass(frozen=True)
class IntentData:
    """The registry (`intents`) and the compiled languages (`by_language`)."""

    intents: dict[str, IntentSpec]
    by_language: dict[str, Language]

    @property
    def languages(self) -> tuple[str, ...]:
        """The language codes there is data for, e.g. ("en", "zh")."""
        return tuple(sorted(self.by_language))

    def language(self, code: str) -> Language:
        try:
            return self.by_language[code]
        except (KeyError, TypeError):
            known = ", ".join(self.languages)
            raise UnknownLanguageError(f"no intent data for language {code!r} "
                                       f"(known: {known})") from None

    def hint_phrases(self, lang: str, intents: Iterable[str]) -> list[str]:
        """Short phrases for the given intents, for a speech recogniser's hints or
        grammar: each phrase template expanded (no gaps), without duplicates."""
        language = self.language(lang)
        seen: dict[str, None] = {}
        for name in intents:
            compiled = language.intents.get(name)
            if compiled is None:
                raise KeyError(f"unknown intent {name!r}")
            seen.update(dict.fromkeys(compiled.hints))
        return list(seen)


@lru_cache(maxsize=4)
def _load(root: Path | None) -> IntentData:
    registry, raw = read_intent_files(root)
    return IntentData(intents=registry,
                      by_language={code: Language(language) for code, language in raw.items()})


def load_intent_data(root: Path | None = None) -> IntentData:
    """Read, validate and compile `intents/` (or `root`); cached per folder.
    Raises IntentDataError naming each file, line and problem."""
    return _load(Path(root).resolve() if root is not None else None)
