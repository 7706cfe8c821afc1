"""`understand()`: the whole matcher, a pure function of its arguments and the data."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from assistant.nlu.data import IntentData, load_intent_data
from assistant.nlu.errors import NluError
from assistant.nlu.model import Directory, Expectation, Understanding
from assistant.nlu.scoring import Choice, choose, closest_example, collect, from_model

_EMPTY_DIRECTORY = Directory()


def local_today(now: datetime | None, tz: str | None) -> date:
    """The caller's calendar day: `now` seen in timezone `tz` (a naive `now` is already
    local time there)."""
    zone = None
    if tz:
        try:
            zone = ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError):
            raise NluError(f"unknown timezone {tz!r}") from None
    if now is None:
        return datetime.now(zone).date()
    if now.tzinfo is not None and zone is not None:
        return now.astimezone(zone).date()
    return now.date()


def understand(text: str, lang: str, *, expected: Expectation | None = None,
               directory: Directory | None = None, now: datetime | None = None,
               tz: str | None = None, data: IntentData | None = None) -> Understanding:
    """What `text`, said or typed in language `lang`, means.

    `expected` is what the current dialog step asks for; `directory` the doctors and
    medications names are matched against; `now` and `tz` resolve relative dates; `data`
    the intent data and models to read with (default: `intents/` beside the code, no
    corrections).
    Raises UnknownLanguageError for a language without data; any text, however odd,
    gives a result (intent None when nothing fits).
    """
    data = data or load_intent_data()
    language = data.language(lang)
    expected = expected or Expectation()
    directory = directory or _EMPTY_DIRECTORY
    today = local_today(now, tz)
    prepared = language.prepare(text if isinstance(text, str) else "", directory)
    if not prepared.text:
        return Understanding(None, 0.0, {}, None, 0.0, lang)
    repaired, names = prepared.text, prepared.names
    reading = language.danger.read(repaired)
    choice: Choice = choose(collect(repaired, language, data.intents, prepared.changed, reading),
                            expected.intents)
    if choice.intent is None:
        model = data.models[lang]
        choice = from_model(model.predict(repaired), model, expected.intents, reading)
    if choice.intent is None:
        choice = closest_example(repaired, language, expected.intents)
    found: dict[str, Any] = language.slots.extract(repaired, today)
    for match in names:
        found[match.kind] = match.name
    wanted = set(expected.slots)
    if choice.intent is not None:
        wanted.update(data.intents[choice.intent].slots)
    slots = {name: value for name, value in found.items() if name in wanted}
    return Understanding(choice.intent, choice.confidence, slots, choice.runner_up,
                         choice.runner_up_confidence, lang)
