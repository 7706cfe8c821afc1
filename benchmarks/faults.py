"""Faults: a stalled carrier, workers killed mid-flow, and random input, against the real app.

    .venv/bin/python benchmarks/faults.py [--part stall|crash|fuzz|all] [--database-url URL]
        [--stall-seconds 30] [--kills 50] [--requests 2000] [--seed 14]

- stall: a real `assistant serve` (Twilio mode, signed webhooks) whose carrier API holds every
  request for --stall-seconds. Other callers' webhooks are timed (target p95 <= 200 ms), a
  caller who says help must reach the <Dial> at once, and once the carrier recovers every
  queued SMS and call must reach it exactly once (the carrier counts what it is asked).
- crash: --kills times, a worker is killed with SIGKILL at a random moment during a help text,
  a meal order or an outbound call; gunicorn starts a new worker, the interrupted webhook is
  posted again as Twilio would, and at the end: 0 help requests lost, 0 duplicate orders,
  0 duplicate calls or alerts at the carrier.
- fuzz: --requests random requests over every route of the app (webhooks signed and not,
  dashboard signed in as an admin and not), in process: 0 responses of 500 or more, and no
  webhook answered with the fault handler's TwiML.

With a PostgreSQL URL a schema of its own is created for the run and dropped after.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import signal
import string
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from sqlalchemy import func, select

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from assistant.config import load_config  # noqa: E402
from assistant.db.database import Database, scratch_schema  # noqa: E402
from assistant.db.models import HelpRequest, MealOrder, OutboxMessage, Volunteer  # noqa: E402
from assistant.passwords import hash_password  # noqa: E402
from assistant.telephony.signatures import sign  # noqa: E402
from benchmarks.server import AssistantServer, percentile  # noqa: E402

TOKEN = "bench-auth-token"
ACCOUNT = "AC" + "0" * 32
HOTLINE = "+15550009999"
MARY, HAROLD, ZHANG = "+15550123001", "+15550123002", "+15550123003"
FAULT_WORDS = ("something went wrong on our side", "我们这边出了问题")


# --- a Twilio-compatible carrier that can stall, and sends status callbacks ----------------

@dataclass
class Carrier:
    """Records what it is asked; holds each request `stall` seconds while stalled; after taking
    a message or call it posts the signed status callback the request named (retrying it a few
    times while the app is down, as a carrier does)."""

    stall: float = 0.0
    requests: list[dict[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    port: int = 0

    def handle(self, kind: str, form: dict[str, str]) -> dict[str, str]:
        if self.stall:
            time.sleep(self.stall)
        sid = ("CA" if kind == "Calls" else "SM") + uuid.uuid4().hex
        with self.lock:
            self.requests.append({"kind": kind, "sid": sid, **form})
        callback = form.get("StatusCallback", "")
        if callback:
            status = {"Calls": ("CallSid", "CallStatus", "initiated"),
                      "Messages": ("MessageSid", "MessageStatus", "sent")}[kind]
            params = {status[0]: sid, status[1]: status[2], "AccountSid": ACCOUNT}
            threading.Thread(target=_post_callback, args=(callback, params), daemon=True).start()
        return {"sid": sid, "account_sid": ACCOUNT, "status": "queued"}

    def sent(self, kind: str) -> list[dict[str, str]]:
        with self.lock:
            return [r for r in self.requests if r["kind"] == kind]


def _post_callback(url: str, params: dict[str, str]) -> None:
    parts = urlsplit(url)
    body = urlencode(params)
    headers = {"Content-Type": "application/x-www-form-urlencoded",
               "X-Twilio-Signature": sign(TOKEN, url, params)}
    for delay in (0, 1, 2, 4, 8, 15):
        time.sleep(delay)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        try:
            connection.request("POST", f"{parts.path}?{parts.query}", body=body, headers=headers)
            if connection.getresponse().status < 500:
                return
        except OSError:
            pass
        finally:
            connection.close()


@contextmanager
def running_carrier() -> Iterator[Carrier]:
    from flask import Flask, jsonify, request
    from werkzeug.serving import make_server

    carrier = Carrier()
    app = Flask("carrier")

    @app.post("/2010-04-01/Accounts/<sid>/<kind>.json")
    def create(sid: str, kind: str):  # type: ignore[no-untyped-def]
        return jsonify(carrier.handle(kind, request.form.to_dict())), 201

    server = make_server("127.0.0.1", 0, app, threaded=True)
    carrier.port = server.server_port
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield carrier
    finally:
        server.shutdown()
        thread.join()


def server_settings(carrier: Carrier) -> str:
    return (f"twilio: {{account_sid: {ACCOUNT}, auth_token: {TOKEN}, from_number: '{HOTLINE}', "
            f"api_base_url: 'http://127.0.0.1:{carrier.port}', media_hosts: [127.0.0.1]}}\n"
            "speech: {engine: none}\n")


# --- webhooks as Twilio posts them ---------------------------------------------------------

def post(server: AssistantServer, path: str, params: dict[str, str], timeout: float = 30) -> tuple[int, str]:
    url = server.public_url + path
    headers = {"Content-Type": "application/x-www-form-urlencoded",
               "X-Twilio-Signature": sign(TOKEN, url, params)}
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=timeout)
    try:
        connection.request("POST", path, body=urlencode(params), headers=headers)
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


def text(server: AssistantServer, phone: str, body: str, sid: str | None = None) -> tuple[int, str]:
    return post(server, "/sms/incoming", {"MessageSid": sid or "SM" + uuid.uuid4().hex, "From": phone,
                                          "To": HOTLINE, "Body": body, "AccountSid": ACCOUNT})


def call(server: AssistantServer, phone: str, sid: str) -> tuple[int, str]:
    return post(server, "/voice/incoming", {"CallSid": sid, "From": phone, "To": HOTLINE,
                                            "CallStatus": "ringing", "AccountSid": ACCOUNT})


def press(server: AssistantServer, sid: str, step: int, digits: str) -> tuple[int, str]:
    return post(server, f"/voice/step?s={step}", {"CallSid": sid, "Digits": digits, "AccountSid": ACCOUNT})


def queue_call(database_url: str, config_path: Path, to: str, task_id: int | None = None) -> None:
    """Write a call to the outbox as the scheduler does, from another process's point of view:
    this process never sends it; the server's outbox sender does."""
    from assistant.runtime import Runtime
    from assistant.services.messaging import place_call

    config = load_config(config_path, environ={})
    runtime = Runtime.build(config)
    runtime.db.after_outbox_commit.clear()
    with runtime.db.session() as session:
        place_call(session, runtime, to, f"/voice/outbound/{task_id or 0}", purpose="checkin",
                   machine_detection=True, task_id=task_id)
    runtime.db.dispose()


def wait_for_outbox(db: Database, seconds: float) -> dict[str, int]:
    """Until nothing is pending, sending or unsure (or `seconds` pass): the statuses then."""
    deadline = time.time() + seconds
    while True:
        with db.session() as session:
            counts = dict(session.execute(select(OutboxMessage.status, func.count())
                                          .group_by(OutboxMessage.status)).all())
        if not set(counts) - {"sent", "failed"} or time.time() > deadline:
            return counts
        time.sleep(1)


def duplicates_at_carrier(carrier: Carrier) -> int:
    """Requests for the same message (same To and Body) or call (same To and Url) beyond the first."""
    seen = Counter((r["kind"], r.get("To"), r.get("Body") or r.get("Url")) for r in carrier.requests)
    return sum(n - 1 for n in seen.values())


# --- stall ---------------------------------------------------------------------------------

def run_stall(folder: Path, database_url: str, stall: float) -> dict[str, object]:
    with running_carrier() as carrier:
        server = AssistantServer(folder, database_url, server_settings(carrier))
        try:
            config_path = folder / "config.yaml"
            for n in range(8):  # every worker warm, as after a few minutes of service
                call(server, f"+1555061{n:04d}", "CA" + uuid.uuid4().hex)
                text(server, f"+1555061{n:04d}", "MENU")
            carrier.stall = stall
            began = time.perf_counter()
            status, _ = text(server, MARY, "HELP")
            help_text_ms = (time.perf_counter() - began) * 1000
            assert status == 200
            began = time.perf_counter()
            call(server, ZHANG, "CA" + "1" * 32)
            status, twiml = press(server, "CA" + "1" * 32, 1, "9")
            help_dial_ms = (time.perf_counter() - began) * 1000
            reached_dial = "<Dial" in twiml
            queue_call(database_url, config_path, HAROLD)
            latencies: list[float] = []
            errors = 0
            n = 0
            while time.perf_counter() - began < stall * 0.8:
                phone = f"+1555060{n % 10000:04d}"
                started = time.perf_counter()
                if n % 2:
                    status, body = call(server, phone, "CA" + uuid.uuid4().hex)
                else:
                    status, body = text(server, phone, "MENU")
                latencies.append((time.perf_counter() - started) * 1000)
                errors += status != 200
                n += 1
                time.sleep(0.05)
            db = Database(database_url)
            try:
                queued = wait_for_outbox(db, 0)
                carrier.stall = 0.0
                final = wait_for_outbox(db, stall + 240)
                with db.session() as session:
                    rows = session.scalar(select(func.count()).select_from(OutboxMessage)) or 0
            finally:
                db.dispose()
            time.sleep(2)
            return {
                "stall_seconds": stall, "other_webhooks": len(latencies), "errors": errors,
                "p50_ms": round(percentile(latencies, 0.5), 1), "p95_ms": round(percentile(latencies, 0.95), 1),
                "max_ms": round(max(latencies), 1), "help_text_ms": round(help_text_ms, 1),
                "help_reaches_dial_ms": round(help_dial_ms, 1), "help_reached_dial": reached_dial,
                "outbox_during_stall": queued, "outbox_after_recovery": final, "outbox_rows": rows,
                "carrier_messages": len(carrier.sent("Messages")), "carrier_calls": len(carrier.sent("Calls")),
                "duplicates_at_carrier": duplicates_at_carrier(carrier),
            }
        finally:
            server.stop()


# --- crash safety --------------------------------------------------------------------------

def wait_for_worker(server: AssistantServer, old: set[int], seconds: float = 60) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        workers = set(server.worker_pids())
        if workers and not workers & old:
            connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=2)
            try:
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    return
            except OSError:
                pass
            finally:
                connection.close()
        time.sleep(0.1)
    raise RuntimeError("no new worker after a kill")


def as_twilio(server: AssistantServer, attempt, *args: str) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    """Post, and post again (same parameters) until answered: Twilio's retry, an elder's redial."""
    for _ in range(20):
        try:
            status, body = attempt(server, *args)
            if status < 500:
                return status, body
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{attempt.__name__}{args} never answered")


MEAL_STEPS = ["MEAL", "2", "2", "1", "1"]
"""A new caller orders lunch: meal, menu, day, confirm."""


def run_crash(folder: Path, database_url: str, kills: int, seed: int) -> dict[str, object]:
    rng = random.Random(seed)
    flows: Counter[str] = Counter()
    help_phones: list[str] = []
    meal_phones: list[str] = []
    call_phones: list[str] = []
    with running_carrier() as carrier:
        server = AssistantServer(folder, database_url, server_settings(carrier), ["--workers", "1"])
        try:
            for n in range(kills):
                flow = ("help", "meal", "call")[n % 3]
                flows[flow] += 1
                phone = f"+1555070{n:04d}"
                victims = set(server.worker_pids())
                delay = rng.uniform(0, {"help": 0.25, "meal": 0.15, "call": 1.5}[flow])
                steps: list[tuple] = []  # type: ignore[type-arg]
                if flow == "help":
                    help_phones.append(phone)
                    steps = [(text, phone, "HELP", "SM" + uuid.uuid4().hex)]
                elif flow == "meal":
                    meal_phones.append(phone)
                    steps = [(text, phone, body, "SM" + uuid.uuid4().hex) for body in MEAL_STEPS]
                else:
                    call_phones.append(phone)
                killed_at = rng.randrange(len(steps)) if steps else 0
                for index, step in enumerate(steps[:killed_at]):
                    as_twilio(server, *step)
                killer = threading.Timer(delay, lambda: [os.kill(pid, signal.SIGKILL) for pid in victims])
                killer.start()
                if steps:
                    try:
                        steps[killed_at][0](server, *steps[killed_at][1:])
                    except OSError:
                        pass
                else:
                    queue_call(database_url, folder / "config.yaml", phone)
                killer.join()
                wait_for_worker(server, victims)
                for step in steps[killed_at:]:
                    as_twilio(server, *step)
            db = Database(database_url)
            try:
                outbox = wait_for_outbox(db, 300)
                with db.session() as session:
                    helped = dict(session.execute(select(HelpRequest.caller_phone, func.count())
                                                  .where(HelpRequest.kind == "emergency")
                                                  .group_by(HelpRequest.caller_phone)).all())
                    orders = dict(session.execute(select(MealOrder.caller_phone, func.count())
                                                  .group_by(MealOrder.caller_phone)).all())
            finally:
                db.dispose()
            time.sleep(2)
            called = Counter(r["To"] for r in carrier.sent("Calls"))
            return {
                "kills": kills, "flows": dict(flows), "outbox": outbox,
                "help_requests_lost": sum(1 for p in help_phones if not helped.get(p)),
                "duplicate_help_requests": sum(max(0, helped.get(p, 0) - 1) for p in help_phones),
                "orders_lost": sum(1 for p in meal_phones if not orders.get(p)),
                "duplicate_orders": sum(max(0, orders.get(p, 0) - 1) for p in meal_phones),
                "calls_not_placed": sum(1 for p in call_phones if not called.get(p)),
                "duplicate_calls_or_alerts": duplicates_at_carrier(carrier),
                "carrier_messages": len(carrier.sent("Messages")), "carrier_calls": len(carrier.sent("Calls")),
            }
        finally:
            server.stop()


# --- fuzzing -------------------------------------------------------------------------------

NASTY = ["", " ", "0", "-1", "1e9", "99999999999999999999", "9223372036854775808", "2147483648",
         "NaN", "null", "None", "true", "\x00", "a\x00b", "%00", "\r\n", "../../etc/passwd", "<script>",
         "' OR 1=1 --", "😀" * 50, "救命", "x" * 5000, "9999-12-31", "0001-01-01", "2024-02-30",
         "12:99", "+1555", "+15550123001", "anonymous", "machine_start" * 5, "completed", "failed",
         "http://127.0.0.1:1\\@api.twilio.com/x", "file:///etc/passwd", "https://evil.example/r",
         "HELP", "STOP", "START", "ACK 1", "DONE 99999999999999", "#", "*", "9", "1234567890" * 10]
FIELDS = ["CallSid", "MessageSid", "From", "To", "Body", "Digits", "CallStatus", "MessageStatus",
          "AnsweredBy", "CallDuration", "RecordingUrl", "RecordingSid", "DialCallStatus", "ErrorCode",
          "email", "password", "note", "q", "text", "who", "date_from", "date_to", "page", "intent",
          "volunteer_id", "name", "phone", "lang", "next", "status", "kind", "new_password",
          "confirm_password", "times", "language", "timezone", "checkin_time", "quantity", "code"]


def _value(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.45:
        return rng.choice(NASTY)
    if roll < 0.7:
        return str(rng.choice([rng.randint(-5, 50), rng.randint(0, 2**70)]))
    return "".join(rng.choice(string.printable + "王医生救命") for _ in range(rng.randint(0, 40)))


def plausible(rng: random.Random) -> dict[str, str]:
    """What Twilio or a browser would send, for most requests to start from."""
    phone = rng.choice([MARY, HAROLD, ZHANG, "+15550100101", "+15550100201", "+15557770000"])
    return {"CallSid": "CA" + str(rng.randint(1, 5)) * 32, "MessageSid": "SM" + uuid.uuid4().hex,
            "From": phone, "To": HOTLINE, "AccountSid": ACCOUNT,
            "Body": rng.choice(["HELP", "MEAL", "2", "1", "MENU", "ACK 1", "DONE 2", "LIST", "STOP", "救命"]),
            "Digits": rng.choice(["1", "2", "9", "0", "*", "#", "12"]),
            "CallStatus": rng.choice(["ringing", "in-progress", "completed", "no-answer", "busy"]),
            "MessageStatus": rng.choice(["sent", "delivered", "failed", "undelivered"]),
            "CallDuration": str(rng.randint(0, 90))}


def run_fuzz(folder: Path, database_url: str, requests: int, seed: int) -> dict[str, object]:
    from assistant.runtime import Runtime
    from assistant.telephony.console_backend import ConsoleTelephony
    from assistant.web import create_app
    from tests.demo import load_demo

    rng = random.Random(seed)
    config_file = folder / "config.yaml"
    config_file.write_text(f"public_url: http://127.0.0.1:5000\ndatabase: {{url: '{database_url}'}}\n"
                           f"data_dir: data\nspeech: {{engine: none}}\n"
                           f"twilio: {{auth_token: {TOKEN}, media_hosts: [127.0.0.1]}}\n", encoding="utf-8")
    config = load_config(config_file, environ={})
    db = Database(config.database.url)
    db.upgrade()
    load_demo(db)
    with db.session() as session:
        for volunteer in session.scalars(select(Volunteer)):
            volunteer.password_hash, volunteer.must_change_password = hash_password("fuzz password"), False
    devnull = open(os.devnull, "w")
    runtime = Runtime.build(config, db, ConsoleTelephony(config, out=devnull))
    app = create_app(config, runtime)
    app.config.update(WTF_CSRF_ENABLED=True)
    rules = [r for r in app.url_map.iter_rules() if r.endpoint != "static" and "static" not in r.endpoint]
    anonymous, signed_in = app.test_client(), app.test_client()
    page = signed_in.get("/sign-in").get_data(as_text=True)
    token = page.split('name="csrf-token" content="')[1].split('"')[0]
    assert signed_in.post("/sign-in", data={"csrf_token": token, "email": "sam@example.org",
                                            "password": "fuzz password"}).status_code == 302
    outcomes: Counter[int] = Counter()
    failures: list[str] = []
    faults = 0
    by_kind: Counter[str] = Counter()
    hooks = [r for r in rules if r.rule.startswith(("/voice", "/sms", "/status"))]
    pages = [r for r in rules if r not in hooks]
    for n in range(requests):
        rule = rng.choice(hooks if rng.random() < 0.5 else pages)
        values = {arg: str(rng.choice([1, 2, 3, rng.randint(0, 10**6), 2**31, 2**63, 10**25]))
                  for arg in rule.arguments}
        if "kind" in rule.arguments:
            values["kind"] = rng.choice(["appointment", "meal_order", "purchase", "calls", "x"])
        try:
            path = app.url_map.bind("127.0.0.1:5000").build(rule.endpoint, values)
        except Exception:  # noqa: BLE001 - a rule that cannot be built with these values
            path = rule.rule
        form = dict(plausible(rng)) if rng.random() < 0.7 else {}
        form.update({name: _value(rng) for name in rng.sample(FIELDS, rng.randint(0, 6))})
        query = {name: _value(rng) for name in rng.sample(FIELDS, rng.randint(0, 3))}
        full = path + ("?" + urlencode(query) if query else "")
        webhook = path.startswith(("/voice", "/sms", "/status"))
        method = "POST" if "POST" in (rule.methods or ()) and (webhook or rng.random() < 0.7) else "GET"
        if method not in (rule.methods or ()):
            method = next(iter(rule.methods - {"HEAD", "OPTIONS"}))  # type: ignore[operator]
        headers = {}
        client = anonymous
        if webhook:
            if rng.random() < 0.8:
                headers["X-Twilio-Signature"] = sign(TOKEN, config.public_url + full, form)
            by_kind["webhook signed" if headers else "webhook unsigned"] += 1
        else:
            client = signed_in if rng.random() < 0.75 else anonymous
            if method == "POST" and rng.random() < 0.85:
                form["csrf_token"] = token
            by_kind["dashboard signed in" if client is signed_in else "dashboard anonymous"] += 1
        response = client.open(full, method=method, data=form, headers=headers)
        outcomes[response.status_code] += 1
        body = response.get_data(as_text=True)
        if response.status_code >= 500:
            failures.append(f"{method} {full[:120]} {sorted(form)} -> {response.status_code}")
        if webhook and any(words in body for words in FAULT_WORDS):
            faults += 1
            failures.append(f"fault TwiML: {method} {full[:120]} {sorted(form)}")
        if client is signed_in and response.status_code == 302 and "/sign-in" in response.headers.get("Location", ""):
            page = signed_in.get("/sign-in").get_data(as_text=True)
            token = page.split('name="csrf-token" content="')[1].split('"')[0]
            signed_in.post("/sign-in", data={"csrf_token": token, "email": "sam@example.org",
                                             "password": "fuzz password"})
    devnull.close()
    db.dispose()
    return {"requests": requests, "routes": len(rules), "by_kind": dict(by_kind),
            "statuses": dict(sorted(outcomes.items())), "responses_500_or_more": sum(
                count for status, count in outcomes.items() if status >= 500),
            "webhooks_answered_with_fault_twiml": faults, "failures": failures[:20]}


# --- main ----------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=["stall", "crash", "fuzz", "all"], default="all")
    parser.add_argument("--database-url", default="")
    parser.add_argument("--stall-seconds", type=float, default=30.0)
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    parts = ["stall", "crash", "fuzz"] if args.part == "all" else [args.part]
    results: dict[str, object] = {"machine": f"{platform.machine()}, {os.cpu_count()} CPUs",
                                  "load_average": os.getloadavg()}
    for part in parts:
        with tempfile.TemporaryDirectory() as scratch:
            folder = Path(scratch)
            scope = scratch_schema(args.database_url, "faults") if args.database_url else \
                nullcontext(f"sqlite:///{folder / 'assistant.db'}")
            with scope as url:
                started = time.perf_counter()
                if part == "stall":
                    result = run_stall(folder, url, args.stall_seconds)
                elif part == "crash":
                    result = run_crash(folder, url, args.kills, args.seed)
                else:
                    result = run_fuzz(folder, url, args.requests, args.seed)
                result["database"] = "postgresql" if args.database_url else "sqlite"
                result["seconds"] = round(time.perf_counter() - started, 1)
                results[part] = result
                print(json.dumps({part: result}, ensure_ascii=False), flush=True)
    results["load_average_after"] = os.getloadavg()
    print(json.dumps(results, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
