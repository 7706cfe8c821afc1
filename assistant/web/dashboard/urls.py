"""Where to send a browser back to: only ever a path on this site (no open redirects)."""
from __future__ import annotations


def local_or(target: str | None, fallback: str) -> str:
    """`target` when it is a path on this site ("/log?page=2"), else `fallback`."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return fallback
