"""Turn the templates of the data files into regular expressions.

Two kinds of template exist:
- *phrases* (intent files): plain words with `(a|b)` alternatives, `[x]` optional parts,
  `...` a short gap, and `{meal}`-style placeholders: "(book|make) [an] appointment".
- *forms* (`_common.yaml` slot grammars): regular expressions with `{placeholders}`.

In a language whose words are separated by spaces a match must start and end at word
edges; in a language read without spaces (`ignore_whitespace`) it may start anywhere.
The normaliser leaves exactly one space between words and `|` between clauses, so a
space in a template is one space, and nothing matches across clauses.
"""
from __future__ import annotations

import random
import re
from collections.abc import Iterable, Mapping, Sequence

CLAUSE = "|"
GAP_WORDS = 3
GAP_CHARS = 4


def alternation(words: Iterable[str]) -> str:
    """A non-capturing regex alternation of literal words, longest first."""
    unique = sorted({w for w in words if w}, key=lambda w: (-len(w), w))
    return "(?:" + "|".join(re.escape(w) for w in unique) + ")" if unique else "(?!)"


def edges(body: str, spaced: bool) -> str:
    """Anchor `body` at word edges when words are separated by spaces."""
    return rf"(?<![\w'-]){body}(?![\w'-])" if spaced else body


def _split_top(text: str, sep: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, char in enumerate(text):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == sep and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def _closing(text: str, start: int) -> int:
    opener, closer = text[start], {"(": ")", "[": "]"}[text[start]]
    depth = 0
    for i in range(start, len(text)):
        if text[i] == opener:
            depth += 1
        elif text[i] == closer:
            depth -= 1
            if depth == 0:
                return i
    raise ValueError(f"unbalanced {opener!r}")


def _phrase_body(text: str, spaced: bool, placeholders: Mapping[str, str]) -> str:
    out: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if text.startswith("...", i):
            if spaced:
                word = rf"[^ {re.escape(CLAUSE)}]+"
                if text[i + 3:i + 4] == " ":      # "a ... b": up to N words, each with its space
                    out.append(rf"(?:{word} ){{0,{GAP_WORDS}}}")
                    i += 4
                    continue
                if out and out[-1] == " ":         # "a ...": the gap ends the phrase
                    out.pop()
                out.append(rf"(?: {word}){{0,{GAP_WORDS}}}")
                i += 3
                continue
            out.append(rf"[^{re.escape(CLAUSE)}]{{0,{GAP_CHARS}}}?")
            i += 3
            continue
        if char in "([":
            end = _closing(text, i)
            inner = "|".join(_phrase_body(part.strip() if spaced else part, spaced, placeholders)
                             for part in _split_top(text[i + 1:end], "|"))
            if char == "(":
                out.append(f"(?:{inner})")
            elif spaced and out and out[-1] == " ":     # "a [b] c": the space goes with b
                out.pop()
                out.append(f"(?: (?:{inner}))?")
            elif spaced and text[end + 1:end + 2] == " ":  # "[a] b" at the start
                out.append(f"(?:(?:{inner}) )?")
                end += 1
            else:
                out.append(f"(?:{inner})?")
            i = end + 1
            continue
        if char in ")]":
            raise ValueError(f"unbalanced {char!r}")
        if char == "{":
            end = text.find("}", i)
            name = text[i + 1:end] if end > 0 else ""
            if name not in placeholders:
                raise ValueError(f"unknown placeholder {{{name}}} (known: "
                                 + ", ".join("{%s}" % p for p in placeholders) + ")")
            out.append(placeholders[name])
            i = end + 1
            continue
        out.append(" " if char == " " else re.escape(char))
        i += 1
    return "".join(out)


def phrase_regex(template: str, spaced: bool, placeholders: Mapping[str, str]) -> str:
    """The regex source of one phrase template; ValueError says what is wrong."""
    text = " ".join(template.split()) if spaced else "".join(template.split())
    if not text:
        raise ValueError("empty phrase")
    if ")?" in text:
        raise ValueError("write an optional part as [x], not (x)?")
    return edges(_phrase_body(text, spaced, placeholders), spaced)


def compile_phrases(templates: Iterable[str], spaced: bool, placeholders: Mapping[str, str],
                    problems: list[str], *, whole: bool = False) -> re.Pattern[str] | None:
    """One regex for all phrase `templates` (longest first); None when there are none.
    `whole` anchors it to the end of the text matched. A template that does not compile
    is reported in `problems`, named by its `where` (a `Located` string) when it has one."""
    sources: list[tuple[str, str]] = []
    for template in sorted(templates, key=len, reverse=True):
        try:
            sources.append((template, phrase_regex(template.lower(), spaced, placeholders)))
        except ValueError as exc:
            problems.append(f"{_where(template)}phrase {str(template)!r}: {exc}")
    if not sources:
        return None
    body = "|".join(f"(?:{source})" for _, source in sources)
    try:
        return re.compile(f"(?:{body})$" if whole else body)
    except re.error:   # find the culprit: compile one by one
        for template, source in sources:
            try:
                re.compile(source)
            except re.error as exc:
                problems.append(f"{_where(template)}phrase {str(template)!r}: {exc}")
        return None


def _where(template: str) -> str:
    where = getattr(template, "where", "")
    return f"{where}: " if where else ""


def form_regex(template: str, spaced: bool, placeholders: Mapping[str, str]) -> str:
    """The regex source of one slot form: `{name}` replaced, the rest kept as regex."""
    def substitute(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in placeholders:
            raise ValueError(f"unknown placeholder {{{name}}} (known: "
                             + ", ".join("{%s}" % p for p in placeholders) + ")")
        return placeholders[name]
    body = re.sub(r"\{([a-z_]+)\}", substitute, template)
    re.compile(body)
    return edges(body, spaced)


def expand(template: str, limit: int = 8) -> list[str]:
    """Plain phrases a template can be said as (no gaps, no placeholders), at most
    `limit`; used as speech-recogniser hints."""
    if "..." in template or "{" in template:
        return []
    try:
        return _expand(template, limit)
    except ValueError:   # reported where the template is compiled
        return []


def _expand(template: str, limit: int) -> list[str]:
    results = [""]
    i = 0
    while i < len(template):
        char = template[i]
        if char in "([":
            end = _closing(template, i)
            options = [o.strip() for o in _split_top(template[i + 1:end], "|")]
            choices = [alt for option in options for alt in _expand(option, limit)]
            if char == "[":
                choices.append("")
            results = [r + c for r in results for c in choices][:limit]
            i = end + 1
        else:
            results = [r + char for r in results]
            i += 1
    return [" ".join(r.split()) for r in results if r.strip()][:limit]


def say(template: str, rng: random.Random, fills: Mapping[str, Sequence[str]]) -> str:
    """One way of saying a phrase template: an alternative of each (a|b), an optional [x]
    or not, a value for each {placeholder}; a gap (...) says nothing."""
    out: list[str] = []
    i = 0
    while i < len(template):
        char = template[i]
        if template.startswith("...", i):
            i += 3
        elif char in "([":
            end = _closing(template, i)
            options = [o.strip() for o in _split_top(template[i + 1:end], "|")]
            if char == "[":
                options.append("")
            out.append(say(rng.choice(options), rng, fills))
            i = end + 1
        elif char == "{":
            end = template.find("}", i)
            out.append(rng.choice(fills.get(template[i + 1:end], ("",))))
            i = end + 1
        else:
            out.append(char)
            i += 1
    return " ".join("".join(out).split())
