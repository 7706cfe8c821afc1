"""Real-time voice, measured through the hotline's own call logic.

It starts the hotline in a child process (uvicorn, the `HotlineApp` of `assistant serve`,
`voice.listen: stream`, Twilio mode against the tests' local carrier, signed webhooks and
handshakes, the demo directory). Each call is what Twilio does: the incoming-call webhook,
whose TwiML opens the media stream, then the caller's audio as mu-law frames paced in real
time (`assistant.simulator.stream.StreamCaller`). The hotline's `HotlineLogic` answers each
utterance through the dialog, and moves the call on by a REST update, which the carrier
timestamps. Every English call is Mary's (a demo elder) at the main menu.

Vosk is measured with the Korean stand-in model: no language of the hotline's is Korean, so
for it the stream server runs a stand-in for the dialog (the matcher's rules, any words
heard make a request "complete", every utterance answered by a `<Say>` update).

Measured, with Whisper tiny.en (English) and Vosk (the Korean stand-in model):
- **latency**: end of her last voiced frame (when the frame holding it was sent) -> the call
  update received at the carrier, and the server's own "decided" and "recognised" times;
- **no cut-off**: requests with a 1.5 s pause inside (Whisper): each must be one utterance;
- **help over the greeting** (Whisper): "help" said as the call starts -> `<Dial>` update;
- **concurrency**: N calls each speaking every ~6 s: frames missing or processed late (the
  server's own count), latency p95; the most calls per engine; memory per call (server RSS).

    .venv/bin/python benchmarks/voice_stream.py [--engine whisper|vosk|both] [--calls 10,20,30]
                                               [--seconds 60] [--clips N] [--complete-silence S] [EVAL_DIR]

The Korean stand-in has no matcher: for it, any words heard make a request "complete".
"""
from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import platform
import statistics
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
import wave
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from assistant.speech.audio import Audio, read_wav, trim_silence  # noqa: E402
from assistant.simulator.stream import StreamCaller  # noqa: E402
from assistant.simulator.synth import synthesize  # noqa: E402
from assistant.telephony.signatures import sign  # noqa: E402
from benchmarks.server import free_port, percentile  # noqa: E402
from tests.demo import MARY  # noqa: E402

TOKEN = "bench-token"
ACCOUNT = "AC" + "0" * 32
HELP_LINES = ["help", "help me please", "I've fallen and I can't get up", "please send somebody, I can't breathe",
              "my chest hurts, call an ambulance", "help help"]
HELP_VOICES = ["en-us", "en-gb", "en-us+f3", "en-us+m3"]
SPLIT_REQUESTS = [("I would like", "lunch tomorrow please"), ("can I see", "doctor Kim on Monday"),
                  ("I want to order", "dinner for Friday"), ("I need to book", "an appointment with doctor Patel"),
                  ("did I take", "my Amlodipine this morning"), ("could you", "remind me about my pills")]
WARM_SECONDS = 15.0
KOREAN_SENTENCES = ["안녕하세요", "네 감사합니다", "병원에 가고 싶어요", "오늘 점심을 주문하고 싶어요",
                    "약을 먹었어요", "다시 말해 주세요", "도와주세요 넘어졌어요", "내일 아침에 의사를 만나고 싶어요"]


# -- the server (child process) ------------------------------------------------------------

def serve(args: argparse.Namespace) -> None:
    import uvicorn
    from twilio.twiml.voice_response import VoiceResponse

    from assistant.asgi import HotlineApp
    from assistant.config import load_config
    from assistant.db.database import Database
    from assistant.runtime import Runtime
    from assistant.cli.database import DEMO_FILE
    from assistant.services.directory_import import import_directory, load_file
    from assistant.stream.hotline_logic import HotlineLogic
    from assistant.stream.logic import Answer, Listen, MatcherLogic, StreamCall, StreamStats, Utterance
    from assistant.stream.server import StreamServer
    from assistant.web import create_app
    from assistant.web.warm_up import warm_up
    from tests.speech.conftest import korean_model_dir

    folder = Path(args.folder)
    overrides: dict[str, Any] = {
        "public_url": f"http://127.0.0.1:{args.port}", "database.url": f"sqlite:///{folder / 'bench.db'}",
        "data_dir": str(folder / "data"), "twilio.account_sid": ACCOUNT, "twilio.auth_token": TOKEN,
        "twilio.from_number": "+15550009999", "twilio.api_base_url": args.carrier,
        "speech.engine": args.engine, "voice.listen": "stream"}
    if args.engine == "vosk":
        overrides["speech.vosk_models"] = {"ko": str(korean_model_dir())}
    if args.complete_silence:
        overrides["voice.stream.complete_silence_seconds"] = args.complete_silence
        overrides["voice.stream.pause_decode_seconds"] = min(0.3, args.complete_silence)
    config = load_config(overrides=overrides, environ={})
    db = Database(config.database.url)
    db.upgrade()
    with db.session() as session:
        import_directory(session, load_file(DEMO_FILE), region="US", default_timezone="America/New_York",
                         languages=("en", "zh"))
    results = (folder / "results.jsonl").open("a", buffering=1, encoding="utf-8")

    def remember(call: StreamCall, utterance: Utterance) -> None:
        results.write(json.dumps({"kind": "utterance", "call_sid": call.call_sid, **utterance.__dict__},
                                 default=str) + "\n")

    def report(call: StreamCall, stats: StreamStats) -> None:
        results.write(json.dumps({"kind": "stats", "call_sid": call.call_sid, "frames": stats.frames,
                                  "missing": stats.missing, "late": stats.late,
                                  "max_lag": stats.max_lag_seconds, "rejected": stats.rejected}) + "\n")

    class MeasuredHotline(HotlineLogic):
        def on_utterance(self, call: StreamCall, utterance: Utterance) -> Answer:
            remember(call, utterance)
            return super().on_utterance(call, utterance)

        def on_stop(self, call: StreamCall, stats: StreamStats) -> None:
            report(call, stats)

    class KoreanStandIn(MatcherLogic):
        def on_start(self, call: StreamCall) -> Listen:
            return Listen(lang="ko")

        def on_utterance(self, call: StreamCall, utterance: Utterance) -> Answer:
            remember(call, utterance)
            response = VoiceResponse()
            response.say(f"You said {utterance.text}")
            response.pause(length=60)
            return Answer(twiml=str(response))

        def is_complete(self, call: StreamCall, text: str) -> bool:
            return bool(text)

        def on_stop(self, call: StreamCall, stats: StreamStats) -> None:
            report(call, stats)

    parent = os.getppid()

    def orphaned() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(0)   # the benchmark is gone: so is its server
    threading.Thread(target=orphaned, daemon=True).start()
    runtime = Runtime.build(config, db)
    warm_up(runtime)
    logic = MeasuredHotline(runtime) if args.engine == "whisper" else KoreanStandIn("ko", 0.8)
    app = HotlineApp(create_app(config, runtime), StreamServer(runtime, logic), threads=8)
    uvicorn.run(app, host="127.0.0.1", port=args.port, ws="websockets-sansio", lifespan="on",
                log_level="warning", ws_max_size=64 * 1024)


# -- the callers (this process) ----------------------------------------------------------

@dataclass
class Spoken:
    call_sid: str
    speech_ended_at: float
    label: str


class Bench:
    def __init__(self, folder: Path, engine: str, carrier: Any, complete_silence: float | None) -> None:
        self.folder, self.engine, self.carrier = folder, engine, carrier
        self.port = free_port()
        self.url = f"ws://127.0.0.1:{self.port}/voice/stream"
        log = (folder / "server.log").open("w")
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--serve", "--engine", engine, "--port", str(self.port),
             "--carrier", carrier.base_url, "--folder", str(folder),
             *(["--complete-silence", str(complete_silence)] if complete_silence else [])],
            stdout=log, stderr=subprocess.STDOUT)
        deadline = time.time() + 180
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError((folder / "server.log").read_text())
            try:
                asyncio.run(self._ping())
                return
            except OSError:
                time.sleep(0.5)
        raise RuntimeError("the stream server did not start")

    async def _ping(self) -> None:
        async with self.call("ko"):
            pass

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def results(self) -> list[dict[str, Any]]:
        path = self.folder / "results.jsonl"
        return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def wait_for_stops(self, calls: int, since: int, timeout: float = 300) -> list[dict[str, Any]]:
        """The results since `since`, once `calls` streams have reported their stats."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            new = self.results()[since:]
            if sum(r["kind"] == "stats" for r in new) >= calls:
                return new
            time.sleep(0.5)
        return self.results()[since:]

    def dial_in(self, call_sid: str) -> None:
        """Mary calls the hotline: the incoming-call webhook, whose TwiML opens the stream."""
        url = f"http://127.0.0.1:{self.port}/voice/incoming"
        params = {"CallSid": call_sid, "From": MARY, "To": "+15550009999", "AccountSid": ACCOUNT,
                  "CallStatus": "in-progress"}
        request = urllib.request.Request(url, data=urllib.parse.urlencode(params).encode(),
                                         headers={"X-Twilio-Signature": sign(TOKEN, url, params)})
        with urllib.request.urlopen(request, timeout=30) as response:
            if "<Stream" not in response.read().decode():
                raise RuntimeError("the hotline's first TwiML opens no media stream")

    @asynccontextmanager
    async def call(self, lang: str) -> AsyncIterator[StreamCaller]:
        """A call's media stream; an English call is Mary's, dialled in first."""
        caller = StreamCaller(self.url, auth_token=TOKEN, params={"lang": lang})
        if lang == "en":
            await asyncio.to_thread(self.dial_in, caller.call_sid)
        async with caller as line:
            yield line

    async def one_call(self, clips: list[tuple[str, Audio]], lang: str, lead: float = 0.5,
                       gap: float = 2.5) -> list[Spoken]:
        spoken = []
        async with self.call(lang) as line:
            await line.silence(lead)
            for label, clip in clips:
                said = await line.say(clip)
                spoken.append(Spoken(line.call_sid, said.speech_ended_at, label))
                await line.silence(gap)
        return spoken

    def update_after(self, spoken: Spoken) -> dict[str, Any] | None:
        updates = [u for u in self.carrier.updates if u["call_sid"] == spoken.call_sid
                   and float(u["at"]) > spoken.speech_ended_at]
        return min(updates, key=lambda u: float(u["at"])) if updates else None

    def latencies(self, spoken: list[Spoken]) -> list[float]:
        found = [self.update_after(s) for s in spoken]
        return [float(u["at"]) - s.speech_ended_at for s, u in zip(spoken, found) if u is not None]


def table_row(name: str, seconds: list[float], target: str = "") -> str:
    if not seconds:
        return f"| {name} | 0 | - | - | - | {target} |"
    ms = [s * 1000 for s in seconds]
    return (f"| {name} | {len(ms)} | {statistics.median(ms):.0f} | {percentile(ms, 0.95):.0f} | "
            f"{max(ms):.0f} | {target} |")


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def wav_seconds(path: Path) -> float:
    with wave.open(str(path)) as clip:
        return clip.getnframes() / clip.getframerate()


async def concurrent_calls(bench: Bench, calls: int, seconds: float, clips: list[Audio], lang: str,
                           every: float = 6.0) -> tuple[list[Spoken], float, float]:
    """`calls` callers, each saying a clip about every `every` seconds for `seconds`; returns
    what was said, the server's peak RSS seen and its CPU seconds used."""
    peak = bench.rss_mb()
    cpu_before = bench.cpu_seconds()

    async def one(index: int) -> list[Spoken]:
        """One caller: a request every `every` seconds, each in a call of its own (a request at
        the main menu, answered by the dialog), the callers out of step."""
        spoken = []
        await asyncio.sleep(0.2 + (index * every / calls) % every)
        started = time.monotonic()
        turn = 0
        while time.monotonic() - started < seconds:
            clip = clips[(index + turn) % len(clips)]
            async with bench.call(lang) as line:
                await line.silence(0.3)
                said = await line.say(clip)
                spoken.append(Spoken(line.call_sid, said.speech_ended_at, "c"))
                await line.silence(max(2.5, every - clip.seconds - 0.3))
            turn += 1
        return spoken

    async def watch(done: asyncio.Event) -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, bench.rss_mb())
            await asyncio.sleep(0.5)

    done = asyncio.Event()
    watcher = asyncio.create_task(watch(done))
    lists = await asyncio.gather(*(one(i) for i in range(calls)))
    done.set()
    await watcher
    return [s for spoken in lists for s in spoken], peak, bench.cpu_seconds() - cpu_before


def run_engine(engine: str, args: argparse.Namespace, folder: Path, carrier: Any) -> None:
    from tests.speech.evaluation import eval_clips

    lang = "en" if engine == "whisper" else "ko"
    bench = Bench(folder, engine, carrier, args.complete_silence)
    try:
        if engine == "whisper":
            clips = [(c.path.name, read_wav(c.path)) for c in eval_clips(Path(args.eval_dir))
                     if wav_seconds(c.path) <= 5.0]
        else:
            clips = [(s, read_wav(synthesize(s, folder / f"ko{i}.wav", voice="ko")))
                     for i, s in enumerate(KOREAN_SENTENCES)]
        clips = clips[:args.clips] if args.clips else clips
        asyncio.run(bench.one_call(clips[:3], lang, gap=2.5))          # warm up
        rss_idle = bench.rss_mb()
        print(f"\n### {engine}: one call at a time (load average before: {load_average()})\n")
        print("| measure | n | p50 ms | p95 ms | max ms | target |")
        print("|---|---:|---:|---:|---:|---|")
        spoken: list[Spoken] = []
        for label, clip in clips:
            spoken += asyncio.run(bench.one_call([(label, clip)], lang))
        by_call = {r["call_sid"]: r for r in bench.results() if r["kind"] == "utterance"}
        answered = [by_call[s.call_sid] for s in spoken if s.call_sid in by_call]
        target = "p95 <= 1.0 s" if engine == "whisper" else "p95 <= 0.6 s"
        print(table_row(f"last voiced frame sent -> call update at the carrier ({len(clips)} clips)",
                        bench.latencies(spoken), target))
        for ending in ("complete", "help", "silence"):
            ended = {r["call_sid"] for r in answered if r["ended_by"] == ending}
            print(table_row(f"... of which turns ended by {ending!r}",
                            bench.latencies([s for s in spoken if s.call_sid in ended])))
        print(table_row("server: last voiced frame -> end of turn decided",
                        [r["decided_after_seconds"] for r in answered]))
        print(table_row("server: last voiced frame -> final text",
                        [r["recognised_after_seconds"] for r in answered]))
        endings = statistics.multimode([r["ended_by"] for r in answered]) if answered else []
        counts = {e: sum(r["ended_by"] == e for r in answered) for e in ("complete", "silence", "help", "max_length")}
        print(f"\nTurns ended by: {counts} (most: {endings}).")
        labels = {s.call_sid: s.label for s in spoken}
        for r in answered:
            if r["ended_by"] == "silence":
                print(f"- waited for the long silence: {labels[r['call_sid']]} heard as {r['text']!r}")
        if engine == "whisper":
            run_cut_off_and_help(bench, folder)
        print(f"\n### {engine}: concurrent calls, each speaking about every 6 s for {args.seconds:.0f} s\n")
        print("| calls | utterances | latency p50 ms | p95 ms | max ms | understood: n, p50 / p95 ms | frames "
              "| missing | late | max lag ms | server RSS MB (idle {:.0f}) | per call MB | server CPU % "
              "| load average after |".format(rss_idle))
        print("|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---|")
        for calls in args.calls:
            # Unmeasured: as many callers for a while first, as a server that has been serving
            # them (each Vosk recognizer of a large model is slow until warm).
            before = len(bench.results())
            asyncio.run(concurrent_calls(bench, calls, WARM_SECONDS, [c for _, c in clips], lang))
            bench.wait_for_stops(calls, before)
            before = len(bench.results())
            said, peak, cpu = asyncio.run(concurrent_calls(bench, calls, args.seconds, [c for _, c in clips], lang))
            new = bench.wait_for_stops(calls, before)
            stats = [r for r in new if r["kind"] == "stats"]
            late = bench.latencies(said)
            ms = [x * 1000 for x in late] or [0.0]
            fast = {r["call_sid"] for r in new if r["kind"] == "utterance" and r["ended_by"] in ("complete", "help")}
            understood = [x * 1000 for x in bench.latencies([s for s in said if s.call_sid in fast])] or [0.0]
            print(f"| {calls} | {len(said)} | {statistics.median(ms):.0f} | {percentile(ms, 0.95):.0f} | "
                  f"{max(ms):.0f} | {len(fast)}, {statistics.median(understood):.0f} / "
                  f"{percentile(understood, 0.95):.0f} | {sum(s['frames'] for s in stats)} | {sum(s['missing'] for s in stats)} | "
                  f"{sum(s['late'] for s in stats)} | {max([s['max_lag'] for s in stats] or [0]) * 1000:.0f} | "
                  f"{peak:.0f} | {(peak - rss_idle) / calls:.1f} | {100 * cpu / args.seconds:.0f} | {load_average()} |")
    finally:
        bench.stop()


def run_cut_off_and_help(bench: Bench, folder: Path) -> None:
    before = len(bench.results())
    whole = 0
    for i, (start, rest) in enumerate(SPLIT_REQUESTS):
        first = trim_silence(read_wav(synthesize(start, folder / f"split{i}a.wav")), pad_seconds=0.02)
        second = trim_silence(read_wav(synthesize(rest, folder / f"split{i}b.wav")), pad_seconds=0.02)

        async def call() -> str:
            async with bench.call("en") as line:
                await line.silence(0.5)
                await line.say(first)
                await line.silence(1.5)
                await line.say(second)
                await line.silence(2.5)
            return line.call_sid
        sid = asyncio.run(call())
        heard = [r for r in bench.results()[before:] if r["kind"] == "utterance" and r["call_sid"] == sid]
        whole += len(heard) == 1
        if len(heard) != 1:
            print(f"- cut off: {start!r} / {rest!r} became {[r['text'] for r in heard]}")
    print(f"\nNo cut-off: {whole}/{len(SPLIT_REQUESTS)} requests with a 1.5 s pause inside were taken as one "
          "utterance (target: all).\n")
    spoken: list[Spoken] = []
    dialled = 0
    for i, line_text in enumerate(HELP_LINES * 2):
        voice = HELP_VOICES[i % len(HELP_VOICES)]
        clip = read_wav(synthesize(line_text, folder / f"help{i}.wav", voice=voice))
        said = asyncio.run(bench.one_call([(line_text, clip)], "en", lead=0.3))
        spoken += said
        update = bench.update_after(said[0])
        if update is not None and "<Dial" in str(update["twiml"]):
            dialled += 1
        else:
            heard = [r["text"] for r in bench.results()
                     if r["kind"] == "utterance" and r["call_sid"] == said[0].call_sid]
            print(f"- not dialled: {voice} {line_text!r} heard as {heard}")
    print("| measure | n | p50 ms | p95 ms | max ms | target |")
    print("|---|---:|---:|---:|---:|---|")
    print(table_row(f"help said as the call starts -> `<Dial>` update ({dialled}/{len(spoken)} dialled)",
                    bench.latencies(spoken), "within 2 s"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("eval_dir", nargs="?", default=str(REPO.parent / "shared" / "eval"))
    parser.add_argument("--engine", choices=["whisper", "vosk", "both"], default="both")
    parser.add_argument("--calls", default="10,20,30", help="concurrent calls to try, comma-separated")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--clips", type=int, default=0, help="use only this many clips (a quick run)")
    parser.add_argument("--complete-silence", type=float,
                        help="voice.stream.complete_silence_seconds for the server (default: config's 0.7)")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--carrier", help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args)
        return
    args.calls = [int(n) for n in args.calls.split(",") if n]
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))   # `finally` stops the server
    from tests.telephony.carrier import local_carrier

    logging.getLogger("werkzeug").setLevel(logging.WARNING)   # the carrier's request lines
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}; "
          f"date: {time.strftime('%Y-%m-%d %H:%M')}; load average at start: {load_average()}; "
          f"complete_silence_seconds: {args.complete_silence or 'default (0.7)'}")
    engines = ["whisper", "vosk"] if args.engine == "both" else [args.engine]
    for engine in engines:
        with tempfile.TemporaryDirectory() as tmp, local_carrier() as carrier:
            run_engine(engine, args, Path(tmp), carrier)


if __name__ == "__main__":
    main()
