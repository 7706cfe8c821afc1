"""A token bucket: at most `rate` placements a second on average, bursts of at most one second's worth."""
from __future__ import annotations

from datetime import datetime


class TokenBucket:
    def __init__(self, rate: float, now: datetime) -> None:
        self.rate = rate
        self.capacity = max(1.0, rate)
        self.tokens = self.capacity
        self._last = now

    def take(self, now: datetime) -> bool:
        """Spend one token if there is one."""
        elapsed = max(0.0, (now - self._last).total_seconds())
        self.tokens = min(self.capacity, self.tokens + elapsed * self.rate)
        self._last = max(self._last, now)
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True
