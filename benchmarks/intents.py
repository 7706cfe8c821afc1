"""Intent benchmark: the matcher over labelled sets, and how long it takes.

    .venv/bin/python benchmarks/intents.py [EVAL_DIR...] [--errors] [--sealed]

Each EVAL_DIR holds intents_en.tsv and intents_zh.tsv (default: ../shared/eval beside the
repository) and may hold a directory.yaml (doctors and medications with aliases) when its
lines name others than ../shared/eval's. The reference time is the evaluation's. Reports, per
set and language: intent accuracy per intent, confusion pairs, exact slot matches on
slot-bearing lines, help lines missed, false alarms (other lines taken as help) and among
them negated help (a line denying a danger); then parse latency, data load and model
training time. --sealed prints aggregate figures only, for a holdout set nobody may read.
"""
from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

NEGATED_HELP = {
    "en": re.compile(r"\b(don't|do not|didn't|did not|no|not|never|nothing's|nothing|isn't|wasn't|"
                     r"haven't|hasn't|nobody's)\b.{0,25}\b(help|ambulance|emergency|fall|fell|fallen|"
                     r"floor|hurt|bleeding|blood|breath|breathe|chest|heart|fire|smoke|gas|intruder|"
                     r"burglar|stroke)"),
    "zh": re.compile(r"(不用|不要|不需要|没|别|不).{0,4}(救命|救护车|急救|帮忙|摔|跌|血|喘|胸|心口|"
                     r"火|烟|煤气|疼|痛|中风)"),
}
"""A line that is not help and denies a danger ("I didn't fall", 没摔着)."""


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def report(name: str, lang: str, score, show_errors: bool, sealed: bool = False) -> None:
    from assistant.nlu.evaluation import SLOT_INTENTS  # noqa: F401 - documents what slots count
    summary = score.summary()
    lines, help_lines = summary["lines"], summary["help_lines"]
    negated = [line.text for line, _ in score.results
               if line.intent != "help" and NEGATED_HELP[lang].search(line.text.lower())]
    negated_fp = [t for t in score.false_alarms if t in set(negated)]
    print(f"\n## {name} {lang}: intent accuracy {score.correct}/{lines} = {score.correct / lines:.1%}; "
          f"slot exact match {score.slots_correct}/{len(score.slot_lines)} = "
          f"{score.slots_correct / max(1, len(score.slot_lines)):.1%}")
    print(f"help lines missed: {len(score.help_missed)}/{help_lines}; false alarms: "
          f"{len(score.false_alarms)}/{lines - help_lines}; negated help taken as help: "
          f"{len(negated_fp)}/{len(negated)}")
    if not sealed:
        for text in score.help_missed + score.false_alarms:
            print(f"  ! {text}")
    seen, correct, confusion = Counter(), Counter(), Counter()
    for line, result in score.results:
        seen[line.intent] += 1
        if result.intent == line.intent:
            correct[line.intent] += 1
        else:
            confusion[(line.intent, result.intent)] += 1
    print("| intent | correct | lines | accuracy |\n|---|---:|---:|---:|")
    for intent in sorted(seen, key=lambda i: (i is None, i or "")):
        print(f"| {intent or '(null)'} | {correct[intent]} | {seen[intent]} "
              f"| {correct[intent] / seen[intent]:.0%} |")
    if confusion:
        print("confusions (expected -> got):",
              ", ".join(f"{a or 'null'}->{b or 'null'} x{c}" for (a, b), c in confusion.most_common()))
    if show_errors:
        print("\n".join(f"  {e}" for e in score.errors()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_dirs", nargs="*", default=[str(REPO.parent / "shared" / "eval")])
    parser.add_argument("--errors", action="store_true", help="list every wrong line")
    parser.add_argument("--sealed", action="store_true",
                        help="print aggregate figures only, never a line of a set (for a holdout set)")
    args = parser.parse_args()

    started = time.perf_counter()
    from assistant.nlu.data import _load
    from assistant.nlu.evaluation import evaluate, read_lines, set_directory
    from assistant.nlu.language import Language
    from assistant.nlu.loader import read_intent_files
    imported = time.perf_counter()
    registry, raw = read_intent_files()
    languages = {code: Language(language) for code, language in raw.items()}
    compiled = time.perf_counter()
    data = _load(None, None)
    trained = time.perf_counter()

    latencies: list[float] = []
    cpu_times: list[float] = []

    def timed(call):
        t0, c0 = time.perf_counter(), time.thread_time()
        result = call()
        latencies.append((time.perf_counter() - t0) * 1000)
        cpu_times.append((time.thread_time() - c0) * 1000)
        return result

    for eval_dir in map(Path, args.eval_dirs):
        for lang in ("en", "zh"):
            path = eval_dir / f"intents_{lang}.tsv"
            lines = read_lines(path)
            evaluate(lines[:20], lang, directory=set_directory(path), data=data)   # warm caches
            score = evaluate(lines, lang, directory=set_directory(path), data=data, timer=timed)
            report(eval_dir.name, lang, score, args.errors and not args.sealed, sealed=args.sealed)
    print(f"\nparse latency ms: p50 {percentile(latencies, 50):.2f}  p95 {percentile(latencies, 95):.2f}"
          f"  p99 {percentile(latencies, 99):.2f}  max {max(latencies):.2f}  (n={len(latencies)})")
    print(f"parse CPU time ms: p50 {percentile(cpu_times, 50):.2f}  p95 {percentile(cpu_times, 95):.2f}"
          f"  p99 {percentile(cpu_times, 99):.2f}  (excludes waiting for a busy CPU)")
    print(f"imports {(imported - started) * 1000:.0f} ms; data read and compiled "
          f"{(compiled - imported) * 1000:.0f} ms ({len(languages)} languages); load and model "
          f"training {(trained - compiled) * 1000:.0f} ms; mean {statistics.mean(latencies):.2f} ms/line")
    for lang, calibration in data.calibrations.items():
        print(f"model {lang}: threshold {data.models[lang].threshold} (held back "
              f"{calibration.held_back} sentences, accuracy {calibration.accuracy:.1%})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
