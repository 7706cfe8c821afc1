"""The scheduler: one tick (lease, recovery, planning, dispatch), driven by APScheduler or a test."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from assistant.clock import Clock
from assistant.runtime import Runtime
from assistant.scheduler import planner
from assistant.scheduler.dispatcher import Dispatcher
from assistant.scheduler.lock import Lease, LeaseState, default_holder
from assistant.scheduler.recovery import recover
from assistant.services.audio_retention import purge_expired_audio

log = logging.getLogger(__name__)

PLAN_EVERY = timedelta(minutes=10)
"""New elders, medicines and appointments get their tasks within this long."""
PURGE_AUDIO_EVERY = timedelta(hours=1)
"""Callers' audio is deleted at most this long after its retention period ends."""


@dataclass
class TickResult:
    acting: bool
    planned: int = 0
    sent: int = 0
    audio_deleted: int = 0


class Scheduler:
    """All the scheduler does, one `tick()` at a time; only the lease holder acts."""

    def __init__(self, rt: Runtime, holder: str | None = None, lease_clock: Clock | None = None) -> None:
        """`lease_clock` times the lease: the database's clock unless a test drives it."""
        self.rt = rt
        self.clock = rt.clock
        self.lease = Lease(rt.db, holder or default_holder(), clock=lease_clock)
        self.dispatcher = Dispatcher(rt)
        self._planned_at: datetime | None = None
        self._purged_at: datetime | None = None

    def tick(self) -> TickResult:
        now = self.clock.now()
        state = self.lease.acquire()
        if state is None:
            self._planned_at = None
            return TickResult(acting=False)
        result = TickResult(acting=True)
        if state is LeaseState.ACQUIRED:
            log.info("scheduler %s holds the lease", self.lease.holder)
            recover(self.rt, now)
        if self._planned_at is None or now - self._planned_at >= PLAN_EVERY:
            with self.rt.db.session() as session:
                result.planned = planner.plan(session, self.rt.config, now)
            self._planned_at = now
        result.sent = self.dispatcher.run(keep_lease=self.lease.keep)
        if self._purged_at is None or now - self._purged_at >= PURGE_AUDIO_EVERY:
            result.audio_deleted = purge_expired_audio(self.rt, now)
            self._purged_at = now
        return result

    def stop(self) -> None:
        self.lease.release()
