"""SMS webhook throughput against a real `assistant serve` (console mode, demo data, signed).

8 senders, each its own phone number and thread with its own HTTP connection, text the
hotline as fast as it answers: keywords, plain sentences and numbered replies that book,
order and ask for the menu. Targets: >= 100 inbound SMS/s, p95 answer time <= 100 ms, and
every text stored exactly once (its MessageSid counted in the database; a few are re-posted
as Twilio's retries would be).

    .venv/bin/python benchmarks/sms.py [--senders 8] [--texts 100] [--database-url URL]

With a PostgreSQL URL (postgresql+psycopg://postgres@127.0.0.1:5432/test), a schema of its
own is created for the run and dropped after.
"""
from __future__ import annotations

import argparse
from contextlib import nullcontext
import http.client
import os
import platform
import re
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import func, select

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from assistant.db.database import Database, scratch_schema  # noqa: E402
from benchmarks.server import AssistantServer, percentile  # noqa: E402
from assistant.db.models import SmsMessage  # noqa: E402
from assistant.telephony.signatures import sign  # noqa: E402

TOKEN = "bench-auth-token"
HOTLINE = "+15550009999"
SCRIPT = ["hello", "MEAL LUNCH TOMORROW", "1", "2", "DOCTOR TUE", "2", "1", "1", "MENU", "3",
          "can I get dinner on friday", "2", "?", "OK", "2", "订午饭 明天", "2"]
"""One sender's texts, repeated: menus, keywords, sentences and numbered answers."""
RETRY_EVERY = 20
"""Every 20th text is posted twice with the same MessageSid, as a Twilio retry."""


def sender(server: AssistantServer, phone: str, texts: int, latencies: list[float], sids: list[str],
           errors: list[str], start: threading.Barrier) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    url = server.public_url + "/sms/incoming"
    start.wait()
    for n in range(texts):
        params = {"MessageSid": "SM" + uuid.uuid4().hex, "From": phone, "To": HOTLINE,
                  "Body": SCRIPT[n % len(SCRIPT)], "AccountSid": "AC" + "0" * 32, "NumMedia": "0"}
        headers = {"Content-Type": "application/x-www-form-urlencoded",
                   "X-Twilio-Signature": sign(TOKEN, url, params)}
        for _ in range(2 if n % RETRY_EVERY == RETRY_EVERY - 1 else 1):
            began = time.perf_counter()
            connection.request("POST", "/sms/incoming", body=urlencode(params), headers=headers)
            response = connection.getresponse()
            body = response.read()
            latencies.append(time.perf_counter() - began)
            if response.status != 200 or b"<Message>" not in body:
                errors.append(f"{response.status} for {params['Body']!r}: {body[:120]!r}")
        sids.append(params["MessageSid"])
    connection.close()


def run(database_url: str, senders: int, texts: int, serve_options: list[str]) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as folder:
        server = AssistantServer(Path(folder), database_url.replace("{folder}", folder),
                                 f"speech: {{engine: none}}\ntwilio: {{auth_token: {TOKEN}}}\n", serve_options)
        try:
            latencies: list[float] = []
            sids: list[str] = []
            errors: list[str] = []
            barrier = threading.Barrier(senders + 1)
            phones = [f"+1555080{n:04d}" for n in range(senders)]
            threads = [threading.Thread(target=sender, args=(server, phone, texts, latencies, sids, errors, barrier))
                       for phone in phones]
            for thread in threads:
                thread.start()
            barrier.wait()
            began, cpu_before = time.perf_counter(), server.cpu_seconds()
            for thread in threads:
                thread.join()
            elapsed, server_cpu = time.perf_counter() - began, server.cpu_seconds() - cpu_before
        finally:
            server.stop()
            problems = [line for line in server.log.read_text().splitlines() if SERVER_FAULT.search(line)]
        db = Database(database_url.replace("{folder}", folder))
        with db.session() as session:
            stored = dict(session.execute(
                select(SmsMessage.message_sid, func.count()).where(SmsMessage.direction == "inbound")
                .group_by(SmsMessage.message_sid)).all())
            replies = session.scalar(select(func.count()).select_from(SmsMessage).where(SmsMessage.purpose == "reply"))
        db.dispose()
    ms = [s * 1000 for s in latencies]
    once = all(stored.get(sid) == 1 for sid in sids) and len(stored) == len(sids) == replies
    return {"requests": len(ms), "texts": len(sids), "seconds": elapsed, "per_second": len(ms) / elapsed,
            "server_cpu_ms": 1000 * server_cpu / len(ms),
            "p50": statistics.median(ms), "p95": percentile(ms, 0.95), "max": max(ms),
            "stored_once": once, "stored": len(stored), "replies": replies, "errors": errors[:5] + problems[:5]}


SERVER_FAULT = re.compile(r"\b(ERROR|CRITICAL)\b|Traceback")
"""A server log line that reports a fault (gunicorn's INFO "Error while closing socket" at
shutdown does not)."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--senders", type=int, default=8)
    parser.add_argument("--texts", type=int, default=100, help="texts per sender")
    parser.add_argument("--database-url", default="sqlite:///{folder}/bench.db")
    parser.add_argument("--workers", type=int, help="`assistant serve --workers` (default: its own choice)")
    parser.add_argument("--threads", type=int, help="`assistant serve --threads`")
    args = parser.parse_args()
    serve_options = [*(["--workers", str(args.workers)] if args.workers else []),
                     *(["--threads", str(args.threads)] if args.threads else [])]
    postgres = args.database_url.startswith("postgresql")
    with scratch_schema(args.database_url, "bench_sms") if postgres else nullcontext(args.database_url) as url:
        result = run(url, args.senders, args.texts, serve_options)
    backend = "PostgreSQL" if postgres else "SQLite"
    print(f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(f"| {backend} | {args.senders} | {result['requests']} | {result['per_second']:.0f}/s | "
          f"{result['p50']:.0f} | {result['p95']:.0f} | {result['max']:.0f} | "
          f"{'yes' if result['stored_once'] else 'NO'} ({result['stored']} texts, {result['replies']} replies) | "
          f"{result['server_cpu_ms']:.1f} ms |")
    if result["errors"]:
        print("errors:", *result["errors"], sep="\n  ")
    ok = result["per_second"] >= 100 and result["p95"] <= 100 and result["stored_once"] and not result["errors"]
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
