"""CLINC150 through askbot's real loader, matcher and ``askbot ask --json -`` pipeline.

    python benchmarks/clinc150.py ../shared/bench/clinc150 [--split test|val] [--matcher lexical|semantic]

Each intent becomes one ordinary knowledge entry (id = intent with ``_`` -> ``-``, question =
its first training utterance, alternates = the rest) in a YAML file written with askbot's own
dumper. Nothing is tuned here: askbot runs at its default threshold. Beside it, in the same run,
plain ``rapidfuzz.process.extractOne`` over all training phrasings (its default scorer, WRatio)
as the baseline. Printed: in-scope accuracy on ``test``, out-of-scope recall on ``oos_test``,
queries per second, and load time. ``--matcher semantic`` runs askbot with its sentence model
(it must be installed; the JSON of every answer is checked to say so), ``lexical`` (the default)
with ``--lexical``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from rapidfuzz import process

from askbot import DEFAULT_SETTINGS, Matcher, Source
from askbot.knowledge import cache
from askbot.knowledge import files as knowledge
from askbot.model import Entry
from askbot.semantic import DEFAULT_MODEL, make_semantic, model_key
from readers import add_matcher_option


def intent_id(intent: str) -> str:
    """An intent name as a knowledge id: ``Refund_not_showing_up`` -> ``refund-not-showing-up``,
    ``reverted_card_payment?`` -> ``reverted-card-payment`` (ids are lower-case words and ``-``)."""
    return re.sub(r"[^a-z0-9]+", "-", intent.lower()).strip("-")


def write_knowledge(train: Iterable[tuple[str, str]], path: Path, *, title: str) -> None:
    """Write a knowledge file with one entry per intent of the (utterance, intent) pairs.

    The intent's first utterance is its question and the rest its alternates; askbot's own
    dumper writes the file, so the benchmark goes through the real loader.
    """
    by_intent: dict[str, list[str]] = {}
    for utterance, intent in train:
        by_intent.setdefault(intent, []).append(utterance)
    source = Source(title=title)
    entries = [
        Entry(
            id=intent_id(i),
            question=u[0],
            answer=f"intent: {i}",
            source=source,
            alternates=tuple(u[1:]),
        )
        for i, u in by_intent.items()
    ]
    path.write_text(knowledge.dump(source, entries), encoding="utf-8")


def in_process(kb_path: Path, method: str) -> Matcher:
    """The matcher ``askbot ask`` builds for ``--matcher``, in this process; the semantic one with
    the embeddings kept beside the compiled index, as ``askbot ask`` keeps them (so the run of
    ``askbot ask`` after it starts warm)."""
    if method != "semantic":
        return Matcher(knowledge.load([kb_path]))
    loaded = cache.load_indexed([kb_path], DEFAULT_SETTINGS)
    store = cache.embedding_file(loaded, model_key(DEFAULT_MODEL))
    side = make_semantic(loaded.knowledge, DEFAULT_MODEL, store=store)
    return Matcher(loaded.knowledge, index=loaded.index, semantic=side)


def run_askbot(kb_path: Path, queries: list[str], method: str = "lexical") -> tuple[list[dict[str, Any]], float]:
    """All queries through one ``askbot ask --json -`` process; returns answers and wall time."""
    start = time.perf_counter()
    switch = ["--lexical"] if method == "lexical" else []
    proc = subprocess.run(
        [sys.executable, "-m", "askbot", "ask", "--json", *switch, "--kb", str(kb_path), "-"],
        input="\n".join(queries) + "\n",
        capture_output=True,
        text=True,
        check=True,
    )
    elapsed = time.perf_counter() - start
    answers = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(answers) == len(queries), (len(answers), len(queries))
    assert all(a["matcher"] == method for a in answers), f"askbot did not use the {method} matcher"
    return answers, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="folder holding data_full.json")
    parser.add_argument("--split", default="test", choices=["test", "val"], help="evaluate on this split")
    add_matcher_option(parser)
    args = parser.parse_args()
    data = json.loads((args.data / "data_full.json").read_text(encoding="utf-8"))
    in_scope = [(u, intent_id(i)) for u, i in data[args.split]]
    oos = [u for u, _ in data[f"oos_{args.split}"]]
    queries = [u for u, _ in in_scope] + oos

    with tempfile.TemporaryDirectory() as tmp:
        kb_path = Path(tmp) / "clinc150.yaml"
        write_knowledge(data["train"], kb_path, title="CLINC150 (oos-eval), data_full.json train split")
        start = time.perf_counter()
        matcher = in_process(kb_path, args.matcher)
        load_s = time.perf_counter() - start
        answers, pipeline_s = run_askbot(kb_path, queries, args.matcher)
        start = time.perf_counter()
        second = [matcher.match(q) for q in queries[:2000]]
        inproc_qps = len(second) / (time.perf_counter() - start)
        threshold = matcher.threshold

    got = [a["id"] if a["matched"] else None for a in answers]
    right = sum(g == gold for g, (_, gold) in zip(got, in_scope, strict=False))
    turned_away = sum(g is None for g in got[len(in_scope) :])
    acc, recall = right / len(in_scope), turned_away / len(oos)

    phrasings = [u for u, _ in data["train"]]
    labels = [intent_id(i) for _, i in data["train"]]
    start = time.perf_counter()
    base = [process.extractOne(q, phrasings) for q in queries]
    base_s = time.perf_counter() - start
    base_acc = sum(labels[b[2]] == gold for b, (_, gold) in zip(base, in_scope, strict=False)) / len(in_scope)

    print(f"CLINC150 data_full, split {args.split}: {len(in_scope)} in-scope, {len(oos)} out-of-scope queries")
    print(f"{'':34}{'askbot':>14}{'extractOne':>14}")
    print(f"{'in-scope accuracy':34}{acc:>14.1%}{base_acc:>14.1%}")
    print(f"{'out-of-scope recall':34}{recall:>14.1%}{0:>14.1%}")
    # The counts behind the rounded rates: a floor of 90% is 4,050 of 4,500, and 89.96% prints 90.0%.
    counts = f"{right:,} of {len(in_scope):,} right, {turned_away:,} of {len(oos):,} turned away"
    print(f"{'  counts':34}{counts:>28}")
    print(f"{'queries/s (askbot ask --json -)':34}{len(queries) / pipeline_s:>14.0f}{len(queries) / base_s:>14.0f}")
    print(f"{'queries/s (in process)':34}{inproc_qps:>14.0f}{len(queries) / base_s:>14.0f}")
    print(f"{'load + index time (s)':34}{load_s:>14.2f}{'-':>14}")
    print(
        f"askbot {args.matcher}, threshold {threshold:g} (default);"
        f" pipeline wall time {pipeline_s:.1f}s incl. start-up"
    )
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cpus")


if __name__ == "__main__":
    main()
