"""Numbers said as digits, words ("two", "a couple of") or numerals (两, 十二), and the
`quantity` slot built on them ("two dinners", "LUNCH FOR 2", 两片)."""
from __future__ import annotations

import re
import warnings
from typing import Any

from assistant.nlu.patterns import alternation, form_regex

with warnings.catch_warnings():   # cn2an's dependency proclaims its own deprecations
    warnings.simplefilter("ignore")
    import cn2an


class NumberReader:
    """Reads one number token of a language."""

    def __init__(self, numbers: dict[str, Any]) -> None:
        self.words: dict[str, int] = dict(numbers["words"])
        self.ordinals: dict[str, int] = dict(numbers["ordinals"])
        self.numerals: str = numbers["numerals"]
        suffix = numbers["ordinal_suffix"]
        parts = [r"\d{1,4}", alternation(self.words)] if self.words else [r"\d{1,4}"]
        if self.numerals:
            parts.append(f"[{re.escape(self.numerals)}]+")
        self.pattern = "(?:" + "|".join(parts) + ")"
        """Regex source of one number."""
        ordinal_parts = []
        if suffix:
            ordinal_parts.append(rf"\d{{1,2}}{suffix}")
        if self.ordinals:
            ordinal_parts.append(alternation(self.ordinals))
        self.ordinal_pattern = "(?:" + "|".join(ordinal_parts) + ")" if ordinal_parts else "(?!)"
        """Regex source of one ordinal ("3rd", "third"); never matches if the language has none."""
        self._suffix = re.compile(suffix + "$") if suffix else None

    def value(self, token: str | None) -> int | None:
        """The integer a number or ordinal token says, or None."""
        if not token:
            return None
        token = token.strip()
        if token.isdigit():
            return int(token)
        if token in self.words:
            return self.words[token]
        if token in self.ordinals:
            return self.ordinals[token]
        if self._suffix is not None and self._suffix.search(token):
            stem = self._suffix.sub("", token)
            return int(stem) if stem.isdigit() else None
        if self.numerals and all(c in self.numerals for c in token):
            spoken = "".join(cn2an.an2cn(str(self.words[c])) if c in self.words else c
                             for c in token)
            try:
                return int(cn2an.cn2an(spoken, "smart"))
            except (ValueError, KeyError):
                return None
        return None


class QuantityGrammar:
    """How many portions or pills: a number next to a unit word ("two dinners", "lunch x2",
    两份), or a phrase that means a number ("for me and my husband", 我们俩)."""

    def __init__(self, quantity: dict[str, Any], numbers: NumberReader, spaced: bool) -> None:
        placeholders = {"n": f"(?P<n>{numbers.pattern})",
                        "unit": f"(?P<unit>{alternation(quantity['units'])})"}
        self._numbers = numbers
        self._forms = [re.compile(form_regex(f, spaced, placeholders)) for f in quantity["forms"]]
        self._phrases = [(re.compile(form_regex(p, spaced, {})), n)
                         for p, n in quantity.get("phrases", {}).items()]

    def spans(self, text: str) -> list[tuple[int, int]]:
        return [m.span() for form in (*self._forms, *(p for p, _ in self._phrases))
                for m in form.finditer(text)]

    def find(self, text: str) -> int | None:
        for form in self._forms:
            match = form.search(text)
            if match:
                value = self._numbers.value(match.group("n"))
                if value is not None and 0 < value <= 50:
                    return value
        return next((n for phrase, n in self._phrases if phrase.search(text)), None)
