"""Intent benchmark: the matcher over the labelled development set.

    .venv/bin/python benchmarks/intents.py [EVAL_DIR] [--errors]

EVAL_DIR holds intents_en.tsv and intents_zh.tsv (default: ../shared/eval beside the
repository), and may hold a directory.yaml (doctors and medications with aliases, in the
import format) when its lines were written against other names than ../shared/eval's.
Reports accuracy per language and intent, confusion pairs, exact slot matches on
slot-bearing lines, help false negatives, negated-help false positives, parse latency and
data load time. The reference time is the evaluation's.
"""
from __future__ import annotations

import argparse
import csv
import json
import re
import statistics
import sys
import time
from collections import Counter
from datetime import datetime
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

NOW = datetime(2026, 11, 23, 10, 0)
TZ = "America/New_York"
SLOT_INTENTS = {"book_doctor", "order_meal", "medicine_reminder", "medicine_taken", "cancel"}
NEGATED_HELP = {
    "en": re.compile(r"\b(don't|do not|didn't|did not|no|not|never|nothing's|nothing|isn't|wasn't|"
                     r"haven't|hasn't|nobody's)\b.{0,25}\b(help|ambulance|emergency|fall|fell|fallen|"
                     r"floor|hurt|bleeding|blood|breath|breathe|chest|heart|fire|smoke|gas|intruder|"
                     r"burglar|stroke)"),
    "zh": re.compile(r"(不用|不要|不需要|没|别|不).{0,4}(救命|救护车|急救|帮忙|摔|跌|血|喘|胸|心口|"
                     r"火|烟|煤气|疼|痛|中风)"),
}
"""A line that is not help and denies a danger ("I didn't fall", 没摔着)."""


def read_tsv(path: Path) -> list[tuple[str, str | None, dict]]:
    rows = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(reader)
        for text, intent, slots in reader:
            rows.append((text, intent or None, json.loads(slots) if slots else {}))
    return rows


def read_directory(path: Path, directory_type, entry_type):
    """The eval set's directory.yaml, or the names of ../shared/eval."""
    if not path.exists():
        return directory_type(
            doctors=(entry_type("Dr. Sarah Kim", ("Kim",)), entry_type("Dr. Raj Patel", ("Patel",)),
                     entry_type("李医生", ("李大夫",))),
            medications=tuple(entry_type(n) for n in ("Amlodipine", "Atorvastatin", "阿司匹林", "钙片")))
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return directory_type(**{
        kind: tuple(entry_type(e["name"], tuple(e.get("aliases", ()))) for e in raw.get(kind, ()))
        for kind in ("doctors", "medications")})


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_dir", nargs="?", default=str(REPO.parent / "shared" / "eval"))
    parser.add_argument("--errors", action="store_true", help="list every wrong line")
    args = parser.parse_args()

    started = time.perf_counter()
    from assistant.nlu import Directory, DirectoryEntry, load_intent_data, understand
    imported = time.perf_counter()
    load_intent_data()
    loaded = time.perf_counter()
    directory = read_directory(Path(args.eval_dir) / "directory.yaml", Directory, DirectoryEntry)

    latencies: list[float] = []
    cpu_times: list[float] = []
    total_ok = 0
    total = 0
    for lang in ("en", "zh"):
        rows = read_tsv(Path(args.eval_dir) / f"intents_{lang}.tsv")
        for text, _, _ in rows[:20]:   # warm caches as a running server would be
            understand(text, lang, directory=directory, now=NOW, tz=TZ)
        correct = Counter()
        seen = Counter()
        confusion = Counter()
        slot_ok = slot_n = 0
        help_fn: list[str] = []
        negated_fp: list[str] = []
        false_alarms = negated = 0
        errors: list[str] = []
        for text, intent, slots in rows:
            t0, c0 = time.perf_counter(), time.thread_time()
            result = understand(text, lang, directory=directory, now=NOW, tz=TZ)
            latencies.append((time.perf_counter() - t0) * 1000)
            cpu_times.append((time.thread_time() - c0) * 1000)
            seen[intent] += 1
            if result.intent == intent:
                correct[intent] += 1
            else:
                confusion[(intent, result.intent)] += 1
                errors.append(f"  [{intent} -> {result.intent}] {text}")
            if intent == "help" and result.intent != "help":
                help_fn.append(text)
            denies = intent != "help" and NEGATED_HELP[lang].search(text.lower()) is not None
            negated += denies
            if intent != "help" and result.intent == "help":
                false_alarms += 1
                if denies:
                    negated_fp.append(text)
            if intent in SLOT_INTENTS:
                slot_n += 1
                if result.slots == slots:
                    slot_ok += 1
                elif args.errors:
                    errors.append(f"  slots {slots} != {result.slots} :: {text}")
        n = sum(seen.values())
        ok = sum(correct.values())
        total += n
        total_ok += ok
        print(f"\n## {lang}: intent accuracy {ok}/{n} = {ok / n:.1%}; "
              f"slot exact match {slot_ok}/{slot_n} = {slot_ok / slot_n:.1%}")
        print(f"help false negatives: {len(help_fn)}/{seen['help']}; negated-help false positives: "
              f"{len(negated_fp)}/{negated}; false alarms (other lines taken as help): "
              f"{false_alarms}/{n - seen['help']}")
        for text in help_fn + negated_fp:
            print(f"  ! {text}")
        print("| intent | correct | lines | accuracy |\n|---|---:|---:|---:|")
        for intent in sorted(seen, key=lambda i: (i is None, i or "")):
            print(f"| {intent or '(null)'} | {correct[intent]} | {seen[intent]} "
                  f"| {correct[intent] / seen[intent]:.0%} |")
        if confusion:
            print("confusions (expected -> got):",
                  ", ".join(f"{a or 'null'}->{b or 'null'} x{c}" for (a, b), c in confusion.most_common()))
        if args.errors:
            print("\n".join(errors))
    print(f"\n## overall {total_ok}/{total} = {total_ok / total:.1%}")
    print(f"parse latency ms: p50 {percentile(latencies, 50):.2f}  p95 {percentile(latencies, 95):.2f}"
          f"  p99 {percentile(latencies, 99):.2f}  max {max(latencies):.2f}  (n={len(latencies)})")
    print(f"parse CPU time ms: p50 {percentile(cpu_times, 50):.2f}  p95 {percentile(cpu_times, 95):.2f}"
          f"  p99 {percentile(cpu_times, 99):.2f}  (excludes waiting for a busy CPU)")
    print(f"data load: {(loaded - imported) * 1000:.0f} ms (imports before it: "
          f"{(imported - started) * 1000:.0f} ms); mean {statistics.mean(latencies):.2f} ms/line")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
