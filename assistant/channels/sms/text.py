"""A dialog Reply as the text of one SMS: its sentences, then its choices ("1 Today 2 Tomorrow").

A reply should fit one segment (160 GSM-7 characters, or 70 UCS-2 code units once a single
character outside GSM-7 appears, as in Chinese) and never takes more than three. Typographic
punctuation that would force UCS-2 on an English text is written in its GSM-7 form first;
what is still too long loses its earlier sentences before it loses the question and choices.
"""
from __future__ import annotations

from assistant.dialog.model import Reply
from assistant.languages import Languages

MAX_SEGMENTS = 3
ELLIPSIS = "..."
GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
GSM7_EXTENDED = set("^{}\\[~]|€\f")
"""Characters sent as an escape plus one septet: each counts twice."""
GSM7_LOOKALIKES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-",
                                 "…": ELLIPSIS, "\u00a0": " ", "\t": " "})
SINGLE = {"gsm7": 160, "ucs2": 70}
PART = {"gsm7": 153, "ucs2": 67}
"""Characters per segment of a multi-part message (the rest carries the concatenation header)."""


def encoding(text: str) -> str:
    """"gsm7" when every character has a GSM-7 code, else "ucs2"."""
    return "gsm7" if all(ch in GSM7_BASIC or ch in GSM7_EXTENDED for ch in text) else "ucs2"


def length(text: str) -> int:
    """Length in the units segments are counted in: septets, or UTF-16 code units."""
    if encoding(text) == "gsm7":
        return sum(2 if ch in GSM7_EXTENDED else 1 for ch in text)
    return len(text.encode("utf-16-le")) // 2


def segments(text: str) -> int:
    """How many SMS segments `text` is sent as (0 for an empty text)."""
    if not text:
        return 0
    kind, units = encoding(text), length(text)
    return 1 if units <= SINGLE[kind] else -(-units // PART[kind])


def to_gsm7(text: str) -> str:
    """Curly quotes, dashes and the like as their GSM-7 forms, when that makes the whole text
    GSM-7 (so a name with an apostrophe does not halve what fits in a segment)."""
    plain = text.translate(GSM7_LOOKALIKES)
    return plain if encoding(plain) == "gsm7" else text


def capacity(kind: str, max_segments: int) -> int:
    """Units that fit in `max_segments` segments of encoding `kind`."""
    return SINGLE[kind] if max_segments == 1 else PART[kind] * max_segments


def _unit(ch: str, kind: str) -> int:
    if kind == "gsm7":
        return 2 if ch in GSM7_EXTENDED else 1
    return 2 if ord(ch) > 0xFFFF else 1


def cut(text: str, units: int, kind: str) -> str:
    """`text` cut to `units` (an ellipsis included), at a word boundary near the end if any."""
    total = 0
    for index, ch in enumerate(text):
        total += _unit(ch, kind)
        if total > units - len(ELLIPSIS):
            kept = text[:index]
            space = kept.rfind(" ")
            if space > len(kept) - 20:
                kept = kept[:space]
            return kept.rstrip() + ELLIPSIS
    return text


def choices_text(reply: Reply, languages: Languages) -> str:
    """The numbered choices as an SMS names them: "1 Today 2 Tomorrow" (`choice.item`)."""
    if not reply.read_choices:
        return ""
    return " ".join(languages.render(c.lang or reply.lang, "choice.item", "sms", key=c.key, label=c.label)
                    for c in reply.choices)


def compose(lines: list[str], question: str = "", max_segments: int = MAX_SEGMENTS) -> str:
    """Sentences then the `question` (with its choices), at most `max_segments` long: when
    too long, the sentences before the question are cut so that the question can be answered."""
    body = to_gsm7(" ".join(line.strip() for line in lines if line.strip()))
    question = to_gsm7(question.strip())
    text = " ".join(part for part in (body, question) if part)
    if segments(text) <= max_segments:
        return text
    kind = encoding(text)
    room = capacity(kind, max_segments)
    if not question:
        return cut(body, room, kind)
    if length(question) + 1 + 2 * len(ELLIPSIS) > room:
        return cut(question, room, kind)
    return f"{cut(body, room - length(question) - 1, kind)} {question}"


def render(reply: Reply, languages: Languages) -> str:
    """The SMS text for one dialog reply (empty when the reply says nothing). The last line of
    a reply that expects an answer is its question: it is kept whole, with its choices."""
    lines = [line for line in reply.lines if line.strip()]
    if not reply.expects_answer or not lines:
        return compose([*lines, choices_text(reply, languages)])
    return compose(lines[:-1], f"{lines[-1]} {choices_text(reply, languages)}")
