"""Directory data that every turn reads and coordinators rarely change, kept per process.

Doctor and medication names and the meal menu are read on nearly every understood turn;
reading them cost queries that made up a sixth of an SMS webhook's CPU. A cache holds
what its loader read for `ttl_seconds` per database, so a coordinator's change is seen
within that time in every process. Loaders return immutable values, never ORM objects
(those belong to the session that read them).
"""
from __future__ import annotations

import threading
import time
from typing import Callable, Generic, TypeVar

from sqlalchemy.orm import Session

T = TypeVar("T")


class ReadCache(Generic[T]):
    """`loader(session)`'s result, re-read at most every `ttl_seconds` per database."""

    def __init__(self, loader: Callable[[Session], T], ttl_seconds: float = 30.0) -> None:
        self.loader = loader
        self.ttl_seconds = ttl_seconds
        self._entries: dict[str, tuple[float, T]] = {}
        self._lock = threading.Lock()

    def get(self, session: Session) -> T:
        key = str(session.get_bind().url)
        now = time.monotonic()
        with self._lock:
            cached = self._entries.get(key)
        if cached is not None and now - cached[0] < self.ttl_seconds:
            return cached[1]
        value = self.loader(session)
        with self._lock:
            self._entries[key] = (now, value)
        return value
