"""Where to send a browser back to: only ever a path on this site (no open redirects)."""
from __future__ import annotations

from urllib.parse import urlsplit

MAX_LENGTH = 2000


def local_or(target: str | None, fallback: str) -> str:
    """`target` when it is a path on this site ("/log?page=2"), else `fallback`.

    Browsers drop tabs and newlines from URLs and read a backslash as a slash, so "/\\t/evil"
    would become "//evil": any such character, or anything a parser reads as naming a host,
    sends the browser to `fallback` instead."""
    if not target or len(target) > MAX_LENGTH or not target.startswith("/"):
        return fallback
    if any(ch <= " " or ch in "\\\x7f" for ch in target) or not target.isascii():
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or target.startswith("//"):
        return fallback
    return target
