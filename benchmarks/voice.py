"""Voice hotline latency against a real `assistant serve` (console mode, demo data).

Measures, over HTTP with the simulator's caller:
- webhook answer time without recognition (keypad steps): target p95 <= 50 ms;
- a spoken turn (recording fetched from the local simulator folder, recognised by the
  out-of-the-box engine, understood, answered), utterances up to 5 s: target p95 <= 1.2 s;
- "help" said: the TwiML that dials a person, from the recording being posted: p95 <= 1.5 s.

    .venv/bin/python benchmarks/voice.py [--calls 60] [--database-url URL] [--workers N] [EVAL_DIR]

The database is a temporary SQLite file unless a PostgreSQL URL is given (a schema of its
own is then created and dropped after). With several workers each webhook of a call may
reach any of them.
"""
from __future__ import annotations

import argparse
import csv
from contextlib import nullcontext
import os
import platform
import statistics
import sys
import tempfile
import time
import wave
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from assistant.simulator.call import SimulatedCall  # noqa: E402
from assistant.simulator.synth import synthesize  # noqa: E402
from assistant.db.database import scratch_schema  # noqa: E402
from benchmarks.server import AssistantServer, percentile  # noqa: E402

MARY = "+15550123001"
HELP_LINES = ["help", "help me please", "I've fallen and I can't get up", "please send somebody, I can't breathe",
              "my chest hurts, call an ambulance", "help help"]
HELP_VOICES = ["en-us", "en-gb", "en-us+f3", "en-us+m3"]


def summary(name: str, seconds: list[float]) -> str:
    ms = [s * 1000 for s in seconds]
    return (f"| {name} | {len(ms)} | {statistics.median(ms):.0f} | {percentile(ms, 0.95):.0f} | "
            f"{max(ms):.0f} |")


class TimedCaller:
    """The simulator's caller over real HTTP, timing every webhook answer."""

    def __init__(self, server: AssistantServer, folder: Path) -> None:
        self.server = server
        self.http = requests.Session()
        self.last = 0.0
        self.inbox = folder / "data" / "simulator"
        self.inbox.mkdir(parents=True, exist_ok=True)

    def post(self, url: str, params: dict[str, str]) -> tuple[int, str]:
        started = time.perf_counter()
        response = self.http.post(url, data=params, timeout=30)
        self.last = time.perf_counter() - started
        return response.status_code, response.text

    def store(self, audio: bytes) -> str:
        path = self.inbox / f"{time.monotonic_ns()}.wav"
        path.write_bytes(audio)
        return path.resolve().as_uri()

    def call(self) -> SimulatedCall:
        call = SimulatedCall(self.post, self.store, caller=MARY, hotline_number="+15550000000")
        return call.dial_in(f"{self.server.public_url}/voice/incoming")


def clip_seconds(path: Path) -> float:
    with wave.open(str(path)) as clip:
        return clip.getnframes() / clip.getframerate()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("eval_dir", nargs="?", default=str(REPO.parent / "shared" / "eval"))
    parser.add_argument("--calls", type=int, default=60)
    parser.add_argument("--database-url", default="sqlite:///bench.db")
    parser.add_argument("--workers", type=int, help="`assistant serve --workers` (default: its own choice)")
    args = parser.parse_args()
    postgres = args.database_url.startswith("postgresql")
    serve_options = ["--workers", str(args.workers)] if args.workers else []
    with (scratch_schema(args.database_url, "bench_voice") if postgres else nullcontext(args.database_url) as url,
          tempfile.TemporaryDirectory() as tmp):
        # The record path: <Record> answers posted as recordings (voice_stream.py measures streams).
        server = AssistantServer(Path(tmp), url, "voice: {listen: record}\n", serve_options=serve_options)
        caller = TimedCaller(server, Path(tmp))
        try:
            caller.call()  # warm up: load the speech model and the intent data
            keypad: list[float] = []
            for _ in range(args.calls):
                call = caller.call()
                keypad.append(caller.last)
                for key in ("1", "2", "1", "2"):
                    call.press(key)
                    keypad.append(caller.last)
            spoken: list[float] = []
            with open(Path(args.eval_dir) / "audio" / "manifest.tsv", encoding="utf-8") as manifest:
                rows = list(csv.DictReader(manifest, delimiter="\t", quoting=csv.QUOTE_NONE))
            clips = [Path(args.eval_dir) / "audio" / r["file"] for r in rows]
            clips = [c for c in clips if clip_seconds(c) <= 5.0]
            for clip in clips:
                caller.call().play(clip.read_bytes())
                spoken.append(caller.last)
            help_times: list[float] = []
            dialled, missed = 0, []
            for i, line in enumerate(HELP_LINES * 2):
                wav = synthesize(line, Path(tmp) / f"help-{i}.wav", voice=HELP_VOICES[i % len(HELP_VOICES)])
                call = caller.call().play(wav.read_bytes())
                help_times.append(caller.last)
                dialled += call.dialled() is not None
                if call.dialled() is None:
                    missed.append(f"{HELP_VOICES[i % len(HELP_VOICES)]} {line!r}: the assistant said {call.says()[:60]!r}")
        finally:
            server.stop()
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(f"date: {time.strftime('%Y-%m-%d')}")
    print("| measure | n | p50 ms | p95 ms | max ms |")
    print("|---|---:|---:|---:|---:|")
    print(summary("keypad webhook answer (no recognition)", keypad))
    print(summary(f"spoken turn, clips <= 5 s ({len(clips)} eval clips)", spoken))
    print(summary(f"help said -> TwiML dialling a person ({dialled}/{len(help_times)} dialled)", help_times))
    for line in missed:
        print(f"- not dialled: {line}")


if __name__ == "__main__":
    main()
