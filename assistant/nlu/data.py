"""The loaded intent data: the registry, every compiled language and its trained model,
loaded once."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from assistant.nlu.classifier import Calibration, IntentModel, train
from assistant.nlu.errors import UnknownLanguageError
from assistant.nlu.language import Language
from assistant.nlu.loader import IntentSpec, RawLanguage, read_corrections, read_intent_files
from assistant.nlu.training import Sample, samples


@dataclass(frozen=True)
class IntentData:
    """The registry (`intents`), the compiled languages (`by_language`) and their models."""

    intents: dict[str, IntentSpec]
    by_language: dict[str, Language]
    models: dict[str, IntentModel]
    calibrations: dict[str, Calibration]
    """How each model's threshold was set, for `assistant intents train`."""

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


def _prepared_samples(raw: RawLanguage, language: Language,
                      corrections: dict[str, list[str]]) -> list[Sample]:
    """Training samples read as the matcher reads a caller: normalised and repaired."""
    return [Sample(text, s.label, s.weight, s.sentence)
            for s in samples(raw, corrections) if (text := language.prepare(s.text).text)]


@lru_cache(maxsize=4)
def _load(root: Path | None, corrections: Path | None) -> IntentData:
    registry, raw = read_intent_files(root)
    by_language = {code: Language(language) for code, language in raw.items()}
    corrected = read_corrections(corrections, root) if corrections is not None else {}
    models: dict[str, IntentModel] = {}
    calibrations: dict[str, Calibration] = {}
    for code, language in by_language.items():
        models[code], calibrations[code] = train(
            _prepared_samples(raw[code], language, corrected.get(code, {})), language.spaced)
    return IntentData(intents=registry, by_language=by_language, models=models,
                      calibrations=calibrations)


def load_intent_data(root: Path | None = None, corrections: Path | None = None) -> IntentData:
    """Read, validate and compile `intents/` (or `root`), and train each language's model
    on it and on the review queue's exported `corrections` folder, if given; cached per
    pair of folders. Raises IntentDataError naming each file, line and problem."""
    if corrections is not None and not any(Path(corrections).glob("*/*.yaml")):
        corrections = None    # nothing exported yet: the same data as without
    return _load(Path(root).resolve() if root is not None else None,
                 Path(corrections).resolve() if corrections is not None else None)
