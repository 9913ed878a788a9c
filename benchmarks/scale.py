"""Cost of a question on synthetic knowledge bases of growing size: in process and through the CLI.

    python benchmarks/scale.py [--sizes 100 1000 10000 100000] [--queries 400] [--runs 7]

A synthetic knowledge base (question + 3 alternates + a 40-word answer per entry, words drawn
Zipf-like from a 30,000 word vocabulary) is asked reader-like queries (a question's words
shuffled, some dropped, one in five with a typo).

In process (each size in its own process, so peak memory is that size's own): the base is
indexed, then queried; beside it, plain ``rapidfuzz.process.extractOne`` over every question and
alternate. Printed: index time, median and p99 latency per query, peak resident memory.

Through the CLI: the base is written as YAML files of 5,000 entries, then ``askbot ask --kb
FOLDER QUESTION`` runs as a whole process with an empty index cache (cold: parse, index, write
the cache) and then ``--runs`` more times (warm: open the cache), each timed wall to wall with
its own peak memory (``wait4``). The same for the bundled interview and for ``python -c "import
rapidfuzz.process, yaml"``, the floor a Python command line on these libraries starts from.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rapidfuzz import process

from askbot import Matcher, Source
from askbot.model import Entry, KnowledgeBase

SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ten",
    "ra",
    "shu",
    "vo",
    "pel",
    "dan",
    "ri",
    "zo",
    "gu",
    "fen",
    "tar",
    "ob",
    "ne",
]


def vocabulary(size: int, rng: random.Random) -> list[str]:
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def build(size: int, seed: int = 7) -> tuple[KnowledgeBase, list[str]]:
    rng = random.Random(seed)
    vocab = vocabulary(30_000, rng)
    # Cumulative once: ``choices(weights=...)`` would sum 30,000 weights on every call.
    cumulative = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(vocab))))

    def sentence(n: int) -> str:
        return " ".join(rng.choices(vocab, cum_weights=cumulative, k=n))

    source = Source(title="synthetic")
    entries = []
    for n in range(size):
        words = sentence(rng.randint(6, 10)).split()
        alternates = tuple(" ".join(rng.sample(words, len(words) - 2) + [sentence(2)]) for _ in range(3))
        entries.append(
            Entry(
                id=f"e{n}",
                question=" ".join(words) + "?",
                answer=sentence(40),
                source=source,
                alternates=alternates,
            )
        )
    return KnowledgeBase(tuple(entries)), []


def queries(kb: KnowledgeBase, count: int, seed: int = 11) -> list[str]:
    rng = random.Random(seed)
    result = []
    for _ in range(count):
        words = rng.choice(kb.entries).question.rstrip("?").split()
        rng.shuffle(words)
        words = words[: max(3, len(words) - rng.randint(0, 2))]
        if rng.random() < 0.2:
            i = rng.randrange(len(words))
            w = words[i]
            j = rng.randrange(1, len(w))
            words[i] = w[:j] + w[j + 1 :]
        result.append(" ".join(words))
    return result


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def measure(size: int, count: int) -> dict[str, float]:
    kb, _ = build(size)
    start = time.perf_counter()
    matcher = Matcher(kb)
    index_s = time.perf_counter() - start
    asked = queries(kb, count)
    for q in asked[:20]:
        matcher.match(q)
    times = []
    for q in asked:
        t = time.perf_counter()
        matcher.match(q)
        times.append(time.perf_counter() - t)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    choices = [p for e in kb.entries for p in (e.question, *e.alternates)]
    base_n = max(10, min(count, 2_000_000 // len(choices)))
    base_times = []
    for q in asked[:base_n]:
        t = time.perf_counter()
        process.extractOne(q, choices)
        base_times.append(time.perf_counter() - t)
    return {
        "size": size,
        "index_s": index_s,
        "p50_ms": statistics.median(times) * 1000,
        "p99_ms": percentile(times, 0.99) * 1000,
        "peak_rss_mb": rss_mb,
        "base_p50_ms": statistics.median(base_times) * 1000,
        "base_p99_ms": percentile(base_times, 0.99) * 1000,
    }


def write_folder(kb: KnowledgeBase, folder: Path, per_file: int = 5_000) -> None:
    """The base as knowledge files of ``per_file`` entries (JSON strings are YAML scalars, and
    far quicker to write than askbot's block-style dumper)."""
    entries = kb.entries
    for start in range(0, len(entries), per_file):
        lines = ["source:", "  title: synthetic", "entries:"]
        for entry in entries[start : start + per_file]:
            lines += [
                f"- id: {entry.id}",
                f"  question: {json.dumps(entry.question)}",
                f"  answer: {json.dumps(entry.answer)}",
                f"  alternates: {json.dumps(list(entry.alternates))}",
            ]
        (folder / f"part{start // per_file:03d}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system, the process and its workers) and peak
    resident MB of one whole process. CPU time barely moves when other work shares the machine;
    wall time does."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed: {proc.stderr.read().decode() if proc.stderr else ''}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    workers = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    cpu = max(usage.ru_utime + usage.ru_stime, workers)
    return elapsed, cpu, usage.ru_maxrss / 1024


def cold_and_warm(command: list[str], runs: int, cache: Path | None) -> dict[str, float]:
    """One run on an empty cache (or none), then ``runs`` more: their median and best."""
    env = {**os.environ}
    # Measured as installed: pip compiles bytecode on install, so a process that may not write
    # it would time CPython compiling askbot's sources on every start instead of askbot.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if cache is not None:
        env["XDG_CACHE_HOME"] = str(cache)
        env.pop("ASKBOT_NO_CACHE", None)
    cold = timed(command, env)
    warm = [timed(command, env) for _ in range(runs)]
    return {
        "cold_s": cold[0],
        "cold_cpu": cold[1],
        "cold_mb": cold[2],
        "warm_ms": statistics.median(w[0] for w in warm) * 1000,
        "warm_min_ms": min(w[0] for w in warm) * 1000,
        "warm_cpu_ms": statistics.median(w[1] for w in warm) * 1000,
        "warm_mb": max(w[2] for w in warm),
    }


def measure_cli(sizes: list[int], runs: int) -> None:
    script = Path(sys.executable).with_name("askbot")
    askbot = [str(script)] if script.exists() else [sys.executable, "-m", "askbot"]
    question = "why hangzhou for blockchain?"
    base = cold_and_warm([sys.executable, "-c", "import rapidfuzz.process, yaml"], runs, None)
    print(f"\n{'askbot ask, whole process':>26} {'cold s':>7} {'cpu s':>6} {'MB':>5} |", end="")
    print(f" {'warm ms':>7} {'best':>5} {'cpu ms':>6} {'MB':>4} {'x bundled':>9} {'(cpu)':>5}")
    print(f"{'import rapidfuzz, yaml':>26} {'':>7} {'':>6} {'':>5} |", end="")
    print(f" {base['warm_ms']:>7.0f} {base['warm_min_ms']:>5.0f} {base['warm_cpu_ms']:>6.0f} {base['warm_mb']:>4.0f}")
    with tempfile.TemporaryDirectory() as tmp:
        bundled = cold_and_warm([*askbot, "ask", question], runs, Path(tmp) / "cache-bundled")
        rows = [("bundled interview (9)", bundled)]
        for size in sizes:
            kb, _ = build(size)
            folder = Path(tmp) / f"kb{size}"
            folder.mkdir()
            write_folder(kb, folder)
            asked = queries(kb, 1)[0]
            del kb
            command = [*askbot, "--kb", str(folder), "ask", asked]
            rows.append((f"{size:,}", cold_and_warm(command, runs, Path(tmp) / f"cache{size}")))
            shutil.rmtree(folder)
            shutil.rmtree(Path(tmp) / f"cache{size}")
        for name, r in rows:
            print(
                f"{name:>26} {r['cold_s']:>7.2f} {r['cold_cpu']:>6.2f} {r['cold_mb']:>5.0f} |"
                f" {r['warm_ms']:>7.0f} {r['warm_min_ms']:>5.0f} {r['warm_cpu_ms']:>6.0f} {r['warm_mb']:>4.0f}"
                f" {r['warm_ms'] / bundled['warm_ms']:>9.2f} {r['warm_cpu_ms'] / bundled['warm_cpu_ms']:>5.2f}",
                flush=True,
            )
    print(
        f"bundled warm / import rapidfuzz, yaml: {bundled['warm_ms'] / base['warm_ms']:.2f}x wall,"
        f" {bundled['warm_cpu_ms'] / base['warm_cpu_ms']:.2f}x cpu,"
        f" {bundled['warm_min_ms'] / base['warm_min_ms']:.2f}x best"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1_000, 10_000, 100_000])
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--runs", type=int, default=7, help="warm runs per size through the CLI")
    parser.add_argument("--no-cli", action="store_true", help="only the in-process figures")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.queries)))
        return
    head = f"{'entries':>8} {'index s':>8} {'p50 ms':>8} {'p99 ms':>8} {'peak MB':>8}"
    print(f"{head} | {'extractOne p50':>14} {'p99 ms':>8}")
    for size in args.sizes:
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(size), "--queries", str(args.queries)],
            capture_output=True,
            text=True,
            check=True,
        )
        r = json.loads(out.stdout)
        print(
            f"{r['size']:>8} {r['index_s']:>8.2f} {r['p50_ms']:>8.3f} {r['p99_ms']:>8.3f}"
            f" {r['peak_rss_mb']:>8.0f} | {r['base_p50_ms']:>14.2f} {r['base_p99_ms']:>8.2f}",
            flush=True,
        )
    if not args.no_cli:
        measure_cli(args.sizes, args.runs)


if __name__ == "__main__":
    main()
