"""Days, times of day and meals as words in a reader's language, from `prompts/<lang>.yaml`.

The same words whoever reads them: the elder hears "tomorrow, Tuesday the 24th", her meal
provider reads "明天，11月24日星期二" when that is the provider's language.
"""
from __future__ import annotations

from datetime import date

from assistant.languages import Languages


def day_label(languages: Languages, lang: str, day: date, today: date, channel: str = "voice") -> str:
    """"today", "tomorrow" or the weekday."""
    offset = (day - today).days
    if offset == 0:
        return languages.render(lang, "day.today", channel)
    if offset == 1:
        return languages.render(lang, "day.tomorrow", channel)
    return languages.render(lang, f"weekday.{day.weekday()}", channel)


def _ordinal_key(day: date) -> str:
    if 11 <= day.day % 100 <= 13:
        return "ordinal.other"
    return {1: "ordinal.1", 2: "ordinal.2", 3: "ordinal.3"}.get(day.day % 10, "ordinal.other")


def day_text(languages: Languages, lang: str, day: date, today: date, channel: str = "voice") -> str:
    """"tomorrow, Tuesday the 24th" / "明天，11月24日星期二"; relative words only for today and
    tomorrow."""
    values = {"weekday": languages.render(lang, f"weekday.{day.weekday()}", channel), "day": day.day,
              "month": day.month, "suffix": languages.render(lang, _ordinal_key(day), channel)}
    if (day - today).days in (0, 1):
        return languages.render(lang, "date.near", channel,
                                relative=day_label(languages, lang, day, today, channel), **values)
    return languages.render(lang, "date.far", channel, **values)


def when_text(languages: Languages, lang: str, day: date, today: date, *, part_of_day: str = "",
              time: str = "", channel: str = "voice") -> str:
    """The day with its clock time or part of the day: "tomorrow, Tuesday the 24th, in the morning"."""
    spoken = day_text(languages, lang, day, today, channel)
    if time:
        return languages.render(lang, "when.time", channel, day=spoken, time=time)
    if part_of_day:
        return languages.render(lang, "when.part", channel, day=spoken,
                                part=languages.render(lang, f"part.{part_of_day}", channel))
    return spoken


def meal_text(languages: Languages, lang: str, meal: str, channel: str = "voice") -> str:
    return languages.render(lang, f"meal.{meal}", channel)
