"""What the sentence model costs where a reader feels it, beside the lexical matcher: the floors
of issue 22 for turning it on by default.

    python benchmarks/semantic_cost.py [--clinc150 ../shared/bench/clinc150] [--runs 3]

Run in askbot's venv with the model installed (``.venv/bin/python``). Prints:

- the installed size of the sentence model's stack beyond the lexical install (floor: 220 MB):
  the files of every distribution numpy, tokenizers, threadpoolctl and the model
  package bring, less those the lexical dependencies already bring;
- for the bundled interview (and CLINC150's 150 intents, 15,000 phrasings, with ``--clinc150``),
  ``askbot ask QUESTION`` wall time, whole process: lexical (``--lexical``) and semantic, each
  cold (an empty cache folder: the index built and, for semantic, every phrasing and answer
  sentence embedded) and warm (the median of ``--runs`` calls with the cache in place; floor
  for the bundled interview: 0.5 s);
- the in-process time per question (the dev set's questions, median; floor: 15 ms), lexical
  and semantic;
- with ``--clinc150``, questions a second through one ``askbot ask --json -`` on CLINC150's
  *test* queries (in scope and out of scope, 5,500; floor: 200), lexical and semantic, warm.
  Only the time is read: no answer is compared with a label;
- how fast the model embeds an interview's texts (the phrasings and answer sentences of every
  reader-set interview in ``benchmarks/interviews*/``), and so how long ``Limits.embed_at_once``
  texts keep a question waiting: the most ``askbot ask`` and the chat embed before answering;
- how the stored embeddings are read on a warm start, three ways measured on the same matrix:
  ``EmbeddingFile`` (the sidecar askbot uses, found by the index's key), the same matrix as a
  blob in a SQLite table, and a ``.npy`` keyed by a hash of every phrasing (which must read
  each entry of the compiled index to build the key).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from askbot import DEFAULT_SETTINGS, Matcher, load, semantic
from askbot.knowledge import cache
from askbot.semantic.space import phrasing_texts, sentence_texts
from askbot.settings import DEFAULT_LIMITS
from clinc150 import write_knowledge
from devset import read_devset
from semantic_runtimes import size_beyond_lexical

QUESTION = "is the summit going to happen again next year"


def ask_wall(kb: Path, folder: Path, *switches: str, stdin: str | None = None) -> float:
    """Seconds for one ``askbot ask`` process with ``folder`` as its cache home: one question,
    or with ``stdin`` the lines of a batch (``--json -``)."""
    env = {**os.environ, "XDG_CACHE_HOME": str(folder), "ASKBOT_SEMANTIC": "1"}
    asked = ["--json", "-"] if stdin is not None else [QUESTION]
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "askbot", "ask", "--kb", str(kb), *switches, *asked],
        env=env,
        input=stdin,
        text=True,
        capture_output=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    assert proc.returncode in (0, 1), proc.stderr  # answered, or not confident
    return elapsed


def batch_rate(kb: Path, queries: list[str]) -> dict[str, float]:
    """Questions a second through one ``askbot ask --json -`` (warm: the cache built first)."""
    found = {}
    for name, switches in (("lexical", ("--lexical",)), ("semantic", ())):
        with tempfile.TemporaryDirectory() as tmp:
            ask_wall(kb, Path(tmp), *switches)
            found[name] = len(queries) / ask_wall(kb, Path(tmp), *switches, stdin="\n".join(queries) + "\n")
    return found


def starts(kb: Path, runs: int) -> dict[str, tuple[float, float]]:
    """(cold, warm median) seconds of ``askbot ask``, lexical and semantic."""
    found = {}
    for name, switches in (("lexical", ("--lexical",)), ("semantic", ())):
        with tempfile.TemporaryDirectory() as tmp:
            cold = ask_wall(kb, Path(tmp), *switches)
            warm = statistics.median(ask_wall(kb, Path(tmp), *switches) for _ in range(runs))
        found[name] = (cold, warm)
    return found


def per_query_ms(kb: Path) -> dict[str, float]:
    """Median in-process milliseconds per dev-set question, lexical and semantic."""
    questions = [case.query for case in read_devset()]
    knowledge = load([kb])
    matchers = {
        "lexical": Matcher(knowledge),
        "semantic": Matcher(knowledge, semantic=semantic.make_semantic(knowledge, semantic.DEFAULT_MODEL)),
    }
    found = {}
    for name, matcher in matchers.items():
        times = []
        for question in questions:
            start = time.perf_counter()
            matcher.match(question)
            times.append(time.perf_counter() - start)
        found[name] = statistics.median(times) * 1000
    return found


def storage(kb: Path, runs: int) -> dict[str, float]:
    """Median milliseconds to get the stored matrix on a warm start, three ways."""
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["XDG_CACHE_HOME"] = tmp
        loaded = cache.load_indexed([kb], DEFAULT_SETTINGS)
        key = semantic.model_key(semantic.DEFAULT_MODEL)
        store = cache.embedding_file(loaded, key)
        assert store is not None
        side = semantic.make_semantic(loaded.knowledge, semantic.DEFAULT_MODEL, store=store)
        matrix = side.phrasings
        db_path = Path(tmp) / "blob.sqlite"
        db = sqlite3.connect(db_path)
        db.execute("CREATE TABLE embeddings (model TEXT PRIMARY KEY, value BLOB)")
        db.execute("INSERT INTO embeddings VALUES (?, ?)", (key, matrix.tobytes()))
        db.commit()
        db.close()
        npy = Path(tmp) / "by-phrasings.npy"
        np.save(npy, matrix)

        def sidecar() -> None:
            fresh = cache.load_indexed([kb], DEFAULT_SETTINGS)
            found = cache.embedding_file(fresh, key)
            assert found is not None and found.load(len(fresh.knowledge), 2) is not None

        def blob() -> None:
            connection = sqlite3.connect(f"{db_path.as_uri()}?mode=ro", uri=True)
            (value,) = connection.execute("SELECT value FROM embeddings WHERE model = ?", (key,)).fetchone()
            np.frombuffer(value, dtype=np.float32).reshape(matrix.shape)
            connection.close()

        def by_phrasings() -> None:
            fresh = cache.load_indexed([kb], DEFAULT_SETTINGS)
            texts, _ = phrasing_texts(fresh.knowledge)
            digest = hashlib.sha256(semantic.DEFAULT_MODEL.encode())
            for text in texts:
                digest.update(text.encode() + b"\0")
            np.load(npy)

        found = {}
        ways = {"sidecar (askbot)": sidecar, "SQLite blob": blob, ".npy by phrasing hash": by_phrasings}
        for name, way in ways.items():
            times = []
            for _ in range(runs):
                start = time.perf_counter()
                way()
                times.append(time.perf_counter() - start)
            found[name] = statistics.median(times) * 1000
        found["MB"] = store.size() / 1e6
    return found


def embedding_rate() -> tuple[int, float]:
    """The reader-set interviews' texts, and how many of them the model embeds a second."""
    interviews = load(sorted(Path(__file__).resolve().parent.glob("interviews*/*.yaml")))
    texts = phrasing_texts(interviews)[0] + sentence_texts(interviews)[0]
    encoder = semantic.load_encoder()
    start = time.perf_counter()
    encoder.encode(texts)
    return len(texts), len(texts) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--clinc150", type=Path, help="folder holding data_full.json")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    size, packages = size_beyond_lexical("numpy")
    print(f"installed beyond the lexical install: {size:.0f} MB ({', '.join(packages)})")
    count, rate = embedding_rate()
    most = DEFAULT_LIMITS.embed_at_once
    print(f"embedding {count:,} interview texts: {rate:.0f} a second; embed_at_once ({most:,}): {most / rate:.0f} s")
    bases = {"bundled interview": Path(__file__).resolve().parents[1] / "knowledge" / "wang-yuejian-2018.yaml"}
    with tempfile.TemporaryDirectory() as tmp:
        if args.clinc150:
            data = json.loads((args.clinc150 / "data_full.json").read_text(encoding="utf-8"))
            bases["CLINC150 train"] = Path(tmp) / "clinc150.yaml"
            write_knowledge(data["train"], bases["CLINC150 train"], title="CLINC150 train")
            queries = [u for u, _ in data["test"]] + [u for u, _ in data["oos_test"]]
            for method, rate in batch_rate(bases["CLINC150 train"], queries).items():
                print(f"CLINC150 test, {len(queries):,} queries, askbot ask --json -, {method:<9} {rate:6.0f} q/s")
        for name, kb in bases.items():
            print(f"{name}:")
            for method, (cold, warm) in starts(kb, args.runs).items():
                print(f"  askbot ask, {method:<9} cold {cold:6.2f} s   warm {warm:6.2f} s")
            if name == "bundled interview":
                for method, ms in per_query_ms(kb).items():
                    print(f"  per question in process, {method:<9} {ms:6.2f} ms (median over the dev set)")
            found = storage(kb, args.runs)
            print(f"  stored embeddings: {found.pop('MB'):.1f} MB; read on a warm start:")
            for way, ms in found.items():
                print(f"    {way:<24} {ms:8.1f} ms")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cpus")


if __name__ == "__main__":
    main()
