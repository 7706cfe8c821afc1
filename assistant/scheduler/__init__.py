"""Outbound calls and SMS: daily check-ins, medicine and appointment reminders, retries, escalation.

The database is the source of truth (one `OutboundTask` per occurrence); APScheduler only
provides the heartbeat that calls `Scheduler.tick()`. Run it inside `assistant serve`
(`start_in_process`) or as `assistant worker`; the lease in `lock.py` keeps it to one acting
scheduler however many processes start one.
"""
from __future__ import annotations

import logging
from datetime import datetime, timezone

from apscheduler.schedulers.background import BackgroundScheduler

from assistant.runtime import Runtime
from assistant.scheduler.service import Scheduler

log = logging.getLogger(__name__)

TICK_SECONDS = 1.0


class SchedulerHandle:
    """A running in-process scheduler; `shutdown()` stops it and hands the lease over at once."""

    def __init__(self, scheduler: Scheduler, background: BackgroundScheduler) -> None:
        self.scheduler = scheduler
        self._background = background

    def shutdown(self) -> None:
        self._background.shutdown(wait=True)
        self.scheduler.stop()


def start_in_process(runtime: Runtime) -> SchedulerHandle:
    """Tick the scheduler every second on a background thread (one tick at a time)."""
    scheduler = Scheduler(runtime)
    background = BackgroundScheduler(timezone=timezone.utc)
    background.add_job(scheduler.tick, "interval", seconds=TICK_SECONDS, id="outbound-tick",
                       max_instances=1, coalesce=True, next_run_time=datetime.now(timezone.utc))
    background.start()
    log.info("scheduler started (%s)", scheduler.lease.holder)
    return SchedulerHandle(scheduler, background)


__all__ = ["Scheduler", "SchedulerHandle", "start_in_process"]
