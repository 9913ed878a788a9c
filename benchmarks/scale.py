"""Latency and memory of one query on synthetic knowledge bases of growing size.

    python benchmarks/scale.py [--sizes 100 1000 10000 100000] [--queries 400]

Each size runs in its own process (so peak memory is that size's own): a synthetic knowledge
base (question + 3 alternates + a 40-word answer per entry, words drawn Zipf-like from a 30,000
word vocabulary) is built, indexed, then asked reader-like queries (a question's words shuffled,
some dropped, one in five with a typo). Beside it, in the same run, plain
``rapidfuzz.process.extractOne`` over every question and alternate. Prints median and p99
latency per query and the peak resident memory.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import time

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
    weights = [1 / (rank + 1) for rank in range(len(vocab))]

    def sentence(n: int) -> str:
        return " ".join(rng.choices(vocab, weights, k=n))

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1_000, 10_000, 100_000])
    parser.add_argument("--queries", type=int, default=400)
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


if __name__ == "__main__":
    main()
