"""Scheduler benchmark: plan a day for 10,000 elders, dispatch rate, DB queries per placed call.

    .venv/bin/python benchmarks/scheduler.py [--elders 10000] [--database-url URL]

Each elder has a check-in and two doses a day. Planning runs in a child process so its peak
RSS is its own. Dispatch uses a manual clock (no sleeping) and a counting telephony backend
(no network); queries are counted with SQLAlchemy's `before_cursor_execute` event.
"""
from __future__ import annotations

import argparse
import json
import resource
import secrets
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import event, insert, select, update

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.telephony import TelephonyError
from assistant.config import Config, load_config  # noqa: E402
from assistant.db.database import Database  # noqa: E402
from assistant.db.models import Elder, Medication, OutboundTask  # noqa: E402
from assistant.runtime import Runtime  # noqa: E402
from assistant.scheduler import planner  # noqa: E402
from assistant.clock import ManualClock  # noqa: E402
from assistant.scheduler.dispatcher import Dispatcher  # noqa: E402

START = datetime(2024, 6, 3, 12, 0, tzinfo=timezone.utc)
"""08:00 in New York: every check-in (08:30 local) is planned ahead and due within the hour."""


class CountingTelephony:
    """The telephony port without a network: counts what it is asked to do."""

    mode = "console"

    def __init__(self) -> None:
        self.calls = 0
        self.sms = 0

    def place_call(self, to: str, url: str, *, status_callback: str, machine_detection: bool = False,
                   timeout_seconds: int = 30, session: object = None) -> str:
        self.calls += 1
        return f"CA{secrets.token_hex(16)}"

    def send_sms(self, to: str, body: str, *, status_callback: str | None = None,
                 session: object = None) -> str:
        self.sms += 1
        return f"SM{secrets.token_hex(16)}"

    def fetch_recording(self, url: str) -> bytes:
        raise TelephonyError("the counting backend places calls only; it holds no recordings")

    def delete_recording(self, url: str) -> None:
        raise TelephonyError("the counting backend places calls only; it holds no recordings")

    def update_call(self, call_sid: str, twiml: str) -> None:
        raise TelephonyError("the counting backend places calls only; it moves no call on")


def config_for(url: str, **outbound: object) -> Config:
    return load_config(environ={}, overrides={"database.url": url, "speech.engine": "none",
                                              **{f"outbound.{k}": v for k, v in outbound.items()}})


def populate(db: Database, elders: int) -> None:
    db.upgrade()
    with db.session() as session:
        session.execute(insert(Elder), [
            {"name": f"Elder {n}", "phone": f"+1555{n:07d}", "timezone": "America/New_York",
             "checkin_time": "08:30", "checkin_channel": "call"} for n in range(elders)])
        ids = session.scalars(select(Elder.id)).all()
        session.execute(insert(Medication), [
            {"elder_id": elder_id, "name": "Metformin", "dose": "500 mg", "times": ["09:00", "20:00"],
             "channel": "call"} for elder_id in ids])


def plan_in_this_process(url: str) -> dict[str, float]:
    """The child: plan once (empty) and again (idempotent), report time and peak RSS."""
    config = config_for(url)
    db = Database(url)
    timings = {}
    for label in ("first", "again"):
        started = time.perf_counter()
        with db.session() as session:
            offered = planner.plan(session, config, START)
        timings[f"plan_{label}_seconds"] = round(time.perf_counter() - started, 2)
    with db.session() as session:
        tasks = len(session.scalars(select(OutboundTask.id)).all())
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {**timings, "occurrences": offered, "tasks": tasks, "peak_rss_mb": round(peak_mb, 1)}


def dispatcher_for(url: str, telephony: CountingTelephony, clock: ManualClock, **outbound: object) -> Dispatcher:
    db = Database(url)
    return Dispatcher(Runtime.build(config_for(url, **outbound), db, telephony, clock))  # type: ignore[arg-type]


def finish_calls(dispatcher: Dispatcher) -> None:
    """The simulated carrier: every placed call has ended (answered)."""
    with dispatcher.rt.db.session() as session:
        session.execute(update(OutboundTask).where(OutboundTask.status == "in_progress")
                        .values(status="done", outcome="fine"))


def measure_rate(url: str, rate: float, seconds: int) -> dict[str, float]:
    clock = ManualClock(START + timedelta(minutes=30))
    telephony = CountingTelephony()
    dispatcher = dispatcher_for(url, telephony, clock, calls_per_second=rate, max_concurrent_calls=100)
    step = 0.25
    for _ in range(int(seconds / step)):
        clock.advance(step)
        dispatcher.run(keep_lease=lambda: True)
        finish_calls(dispatcher)
    achieved = telephony.calls / seconds
    return {"configured": rate, "simulated_seconds": seconds, "calls": telephony.calls,
            "achieved": round(achieved, 3), "error_percent": round(100 * abs(achieved - rate) / rate, 2)}


def measure_queries(url: str, calls: int) -> dict[str, float]:
    """Queries issued while placing exactly `calls` check-in calls (pending tasks are reset first)."""
    clock = ManualClock(START + timedelta(hours=2))
    telephony = CountingTelephony()
    dispatcher = dispatcher_for(url, telephony, clock, calls_per_second=100, max_concurrent_calls=10_000)
    with dispatcher.rt.db.session() as session:
        session.execute(update(OutboundTask).where(OutboundTask.status == "pending")
                        .values(status="skipped"))
        ids = session.scalars(select(OutboundTask.id).where(OutboundTask.kind == "medicine")
                              .order_by(OutboundTask.id).limit(calls)).all()
        session.execute(update(OutboundTask).where(OutboundTask.id.in_(ids))
                        .values(status="pending", attempt=0, next_attempt_at=clock.now()))
    count = 0

    def counter(*_: object) -> None:
        nonlocal count
        count += 1

    event.listen(dispatcher.rt.db.engine, "before_cursor_execute", counter)
    while telephony.calls < calls:
        clock.advance(1)
        dispatcher.run(keep_lease=lambda: True)
    event.remove(dispatcher.rt.db.engine, "before_cursor_execute", counter)
    dispatcher.rt.db.dispose()
    return {"calls": telephony.calls, "queries": count, "queries_per_call": round(count / telephony.calls, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--elders", type=int, default=10_000)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--plan-child", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.plan_child:
        print(json.dumps(plan_in_this_process(args.plan_child)))
        return
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/bench.db"
        populate(Database(url), args.elders)
        child = subprocess.run([sys.executable, __file__, "--plan-child", url], check=True,
                               capture_output=True, text=True)
        results: dict[str, object] = {"elders": args.elders, "database": url.split(":")[0],
                                      "planning": json.loads(child.stdout)}
        results["rate"] = [measure_rate(url, rate, seconds) for rate, seconds in ((1, 120), (10, 60))]
        results["queries"] = [measure_queries(url, n) for n in (10, 100, 1000)]
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
