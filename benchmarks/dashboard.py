"""Dashboard pages on a large database: every page must answer in <= 200 ms at p95.

Fills a fresh SQLite file and a dedicated PostgreSQL schema with 100,000 calls and 500,000
turns (plus SMS, help requests, orders, check-ins, doses and audit entries in proportion),
bulk-inserted with SQLAlchemy core, then times each page through Flask's test client as a
signed-in admin. Prints a Markdown table; exits 1 if any page misses the target.

    .venv/bin/python benchmarks/dashboard.py [--backend sqlite|postgresql|both] [--calls N]
"""
from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.config import load_config  # noqa: E402
from assistant.db.database import Database, scratch_schema  # noqa: E402
from assistant.db.models import (AuditLog, Call, Contact, DoseEvent, Elder, HelpRequest,  # noqa: E402
                                 MealMenuItem, MealOrder, Medication, OutboundTask, Purchase,
                                 SmsMessage, Turn, Volunteer, Appointment, Doctor)
from assistant.passwords import hash_password  # noqa: E402
from assistant.runtime import Runtime  # noqa: E402

POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
TARGET_MS = 200.0
TURNS_PER_CALL = 5
ELDERS = 2000
DAYS = 365
WORDS = ("doctor lunch help fell medicine tomorrow morning yes no please pain dinner "
         "appointment tablets kitchen neighbour tired fine thank you").split()
INTENTS = ("help", "book_doctor", "order_meal", "medicine_taken", "feeling_ok", "yes", "no", None)
CHUNK = 20_000


def _chunks(rows: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


def _bulk(db: Database, model: type, rows: Iterator[dict[str, Any]]) -> None:
    with db.engine.begin() as connection:
        for batch in _chunks(rows):
            connection.execute(insert(model.__table__), batch)


def fill(db: Database, calls: int, now: datetime) -> None:
    """The big database: deterministic (seeded), spread over the last year."""
    rng = random.Random(8)
    start = now - timedelta(days=DAYS)

    def moment() -> datetime:
        return start + timedelta(seconds=rng.randrange(DAYS * 86400))

    def words(n: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(n))

    password = hash_password("bench-password")
    _bulk(db, Volunteer, ({"name": f"Volunteer {i}", "phone": f"+1555020{i:04d}",
                           "email": f"v{i}@example.org", "password_hash": password,
                           "role": "admin" if i == 0 else "volunteer", "on_call": i < 5,
                           "on_call_order": i, "language": "en", "active": True, "created_at": now}
                          for i in range(20)))
    _bulk(db, Doctor, ({"name": f"Dr. {i}", "clinic": "Clinic", "phone": f"+1555030{i:04d}",
                        "aliases": [], "created_at": now} for i in range(20)))
    _bulk(db, MealMenuItem, ({"code": c, "name": c, "names": {}, "position": i, "active": True}
                             for i, c in enumerate(("standard", "soft", "diabetic"))))
    _bulk(db, Elder, ({"name": f"Elder {i:05d}", "phone": f"+1555040{i:04d}", "language": "en",
                       "timezone": "America/New_York", "address": "", "doctor_id": 1 + i % 20,
                       "diet": "standard", "checkin_time": "09:30", "checkin_channel": "call",
                       "active": True, "notes": "", "created_at": now, "updated_at": now}
                      for i in range(ELDERS)))
    _bulk(db, Contact, ({"elder_id": 1 + i, "position": 0, "name": f"Son {i}",
                         "phone": f"+1555050{i:04d}", "relation": "son"} for i in range(ELDERS)))
    _bulk(db, Medication, ({"elder_id": 1 + i, "name": "Metformin", "dose": "500 mg",
                            "times": ["08:00", "20:00"], "channel": "call", "active": True}
                           for i in range(ELDERS)))
    call_times = sorted(moment() for _ in range(calls))
    call_elders = [None if rng.random() < 0.05 else rng.randrange(1, ELDERS + 1) for _ in range(calls)]
    _bulk(db, Call, ({"call_sid": f"CA{i:032d}", "direction": "inbound", "purpose": "hotline",
                      "elder_id": call_elders[i], "from_number": f"+1555040{(call_elders[i] or 9999) - 1:04d}",
                      "to_number": "+15550000000", "language": "en", "status": "completed",
                      "outcome": rng.choice(("completed", "completed", "help", "no-match")),
                      "answered_by": "", "flagged": rng.random() < 0.02, "started_at": at,
                      "ended_at": at + timedelta(seconds=90), "duration_seconds": 90}
                     for i, at in enumerate(call_times)))
    _bulk(db, Turn, ({"call_id": 1 + i // TURNS_PER_CALL, "position": i % TURNS_PER_CALL, "state": "",
                      "prompt": "How can I help?", "transcript": words(6), "digits": "",
                      "recording_path": "", "recording_sid": "", "intent": rng.choice(INTENTS),
                      "confidence": rng.random(), "engine": "vosk", "latency_ms": 300,
                      "needs_review": rng.random() < 0.03,
                      "created_at": call_times[i // TURNS_PER_CALL] + timedelta(seconds=i % TURNS_PER_CALL * 10)}
                     for i in range(calls * TURNS_PER_CALL)))
    _bulk(db, SmsMessage, ({"message_sid": f"SM{i:032d}", "direction": rng.choice(("inbound", "outbound")),
                            "elder_id": rng.randrange(1, ELDERS + 1), "from_number": "+15550400001",
                            "to_number": "+15550000000", "body": words(8), "purpose": "",
                            "status": rng.choice(("received", "delivered", "failed")),
                            "intent": rng.choice(INTENTS), "confidence": rng.random(),
                            "flagged": rng.random() < 0.02, "created_at": moment()}
                           for i in range(calls // 2)))
    _bulk(db, HelpRequest, ({"elder_id": rng.randrange(1, ELDERS + 1), "caller_phone": "+15550400001",
                             "kind": "emergency", "severity": rng.choice(("urgent", "normal")),
                             "status": "open" if i < 30 else "resolved", "summary": words(8),
                             "call_id": rng.randrange(1, calls + 1), "created_at": moment(), "notes": ""}
                            for i in range(calls // 20)))
    for model, extra in ((Appointment, lambda: {"doctor_id": rng.randrange(1, 21), "day": (now + timedelta(days=3)).date(),
                                                  "part_of_day": "morning", "time": ""}),
                         (MealOrder, lambda: {"meal": "lunch", "quantity": 1, "day": (now + timedelta(days=1)).date(),
                                              "menu_item_id": 1}),
                         (Purchase, lambda: {"item": "Metformin"})):
        _bulk(db, model, ({"elder_id": rng.randrange(1, ELDERS + 1), "caller_phone": "",
                           "status": "requested" if i < 20 else "done", "note": "", "created_at": moment(),
                           "updated_at": now, "handled_by": "Volunteer 1", **extra()}
                          for i in range(calls // 10)))
    today = now.date()
    _bulk(db, OutboundTask, ({"key": f"{e}:checkin:{d}", "kind": "checkin", "elder_id": e,
                              "due_at": now - timedelta(days=d), "next_attempt_at": now - timedelta(days=d),
                              "attempt": 1, "status": "missed" if rng.random() < 0.05 else "done",
                              "channel": "call", "call_sids": [], "outcome": "", "payload": {},
                              "created_at": now, "updated_at": now}
                             for e in range(1, ELDERS + 1) for d in range(30)))
    _bulk(db, DoseEvent, ({"medication_id": e, "elder_id": e, "local_date": today - timedelta(days=d),
                           "slot": "08:00", "status": "taken" if rng.random() < 0.9 else "missed",
                           "source": "call", "recorded_at": now}
                          for e in range(1, ELDERS + 1) for d in range(30)))
    _bulk(db, AuditLog, ({"at": moment(), "actor": f"volunteer:{rng.randrange(1, 21)}",
                          "action": rng.choice(("help.acknowledged", "help.resolved", "recording.played")),
                          "entity": "help_request", "entity_id": str(i), "details": {}}
                         for i in range(calls // 2)))


def pages(db: Database) -> dict[str, str]:
    with db.session() as session:
        elder = session.scalar(select(Call.elder_id).where(Call.elder_id.is_not(None))
                               .order_by(Call.id.desc()).limit(1))
        call = session.scalar(select(Call.id).order_by(Call.id.desc()).limit(1))
    return {"now": "/", "log": "/log", "log: words": "/log?text=doctor+lunch",
            "log: flagged or low confidence": "/log?attention=y", "log: elder": "/log?who=Elder+00042",
            "log: intent, 30 days": f"/log?intent=help&date_from={(date.today() - timedelta(days=30)).isoformat()}",
            "log: page 20": "/log?page=20", "call": f"/calls/{call}", "review": "/review",
            "review: page 50": "/review?page=50", "elders": "/elders", "elders: search": "/elders?q=0042",
            "elder profile": f"/elders/{elder}", "orders: open meals": "/orders?kind=meal",
            "orders: done appointments": "/orders?kind=appointment&status=done",
            "audit log": "/audit", "audit: action": "/audit?action=help.", "export form": "/export",
            "admin: volunteers": "/admin/volunteers", "admin: doctors": "/admin/doctors",
            "admin: meals": "/admin/meals", "admin: elder": f"/admin/elders/{elder}"}


def measure(db: Database, config_dir: Path, repeat: int) -> dict[str, tuple[float, float]]:
    from assistant.web import create_app

    config = load_config(config_dir / "config.yaml", environ={})
    app = create_app(config, Runtime.build(config, db))
    client = app.test_client()
    token = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/sign-in").get_data(as_text=True))
    assert token is not None
    signed = client.post("/sign-in", data={"csrf_token": token.group(1), "email": "v0@example.org",
                                           "password": "bench-password"})
    assert signed.status_code == 302, signed.status_code
    results = {}
    for name, path in pages(db).items():
        times = []
        for attempt in range(repeat + 2):
            began = time.perf_counter()
            response = client.get(path)
            elapsed = (time.perf_counter() - began) * 1000
            assert response.status_code == 200, (path, response.status_code)
            if attempt >= 2:
                times.append(elapsed)
        times.sort()
        results[name] = (statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)])
    return results


@contextmanager
def database(backend: str, folder: Path) -> Iterator[tuple[Database, str]]:
    if backend == "sqlite":
        url = f"sqlite:///{folder / 'bench.db'}"
        db = Database(url)
        yield db, url
        db.dispose()
        return
    with scratch_schema(POSTGRES_URL, "bench") as url:
        db = Database(url)
        try:
            yield db, url
        finally:
            db.dispose()


def run(backend: str, calls: int, repeat: int) -> dict[str, tuple[float, float]]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with database(backend, folder) as (db, url):
            (folder / "config.yaml").write_text(
                f"database: {{url: '{url}'}}\ndata_dir: '{folder}'\nspeech: {{engine: none}}\n", encoding="utf-8")
            db.upgrade()
            began = time.perf_counter()
            fill(db, calls, datetime.now(timezone.utc))
            with db.engine.begin() as connection:
                connection.execute(text("ANALYZE"))
            print(f"{backend}: filled {calls} calls, {calls * TURNS_PER_CALL} turns in "
                  f"{time.perf_counter() - began:.0f} s", file=sys.stderr)
            return measure(db, folder, repeat)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--calls", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    results = {backend: run(backend, args.calls, args.repeat) for backend in backends}
    header = " | ".join(f"{b} p50 | {b} p95" for b in backends)
    print(f"| page | {header} |")
    print("|---|" + "---:|" * (2 * len(backends)))
    slow = []
    for name in results[backends[0]]:
        cells = []
        for backend in backends:
            p50, p95 = results[backend][name]
            cells += [f"{p50:.0f} ms", f"{p95:.0f} ms"]
            if p95 > TARGET_MS:
                slow.append(f"{backend} {name}")
        print(f"| {name} | " + " | ".join(cells) + " |")
    if slow:
        print(f"over {TARGET_MS:.0f} ms at p95: {', '.join(slow)}", file=sys.stderr)
    return 1 if slow else 0


if __name__ == "__main__":
    raise SystemExit(main())
