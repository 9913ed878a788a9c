"""Banking77 through askbot's real loader, matcher and ``askbot ask --json -`` pipeline.

    python benchmarks/banking77.py ../shared/bench/banking77 [--matcher lexical|semantic]

Each of the 77 categories becomes one knowledge entry (its first training utterance as the
question, the rest of ``train.csv`` as alternates), written by the CLINC150 benchmark's helper;
every ``test.csv`` utterance then goes through one ``askbot ask --json -`` process at the default
threshold. Nothing is tuned here, and Banking77 has no out-of-scope queries. ``--matcher`` picks
askbot with or without its sentence model, as in ``clinc150.py``.

Printed figures:

- **top-1**: the result's ``id`` when askbot answered, else the ``id`` of its first alternative
  (the first "did you mean" choice); a query with neither counts as wrong. This is the ranking's
  first choice as a script sees it, whether or not askbot was confident.
- **answered and right**: of all queries, those askbot answered confidently with the right
  category (unconfident ones count as wrong), beside **answered** and **right when answered**
  (a confident wrong answer is the outcome a reader cannot spot).
- **1-NN in process**: ``Matcher.extract_one`` with no cutoff, the best entry whatever its score;
  it differs from top-1 only on queries whose best score is too low to yield any suggestion.
- queries per second through the CLI (including its start-up and load) and load + index time.

Issue 13's figure for askbot, "1-NN over train phrasings", is nearest to "answered and right";
top-1 and 1-NN read a little higher, since they also count the unconfident first choices.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from clinc150 import in_process, intent_id, run_askbot, write_knowledge
from readers import add_matcher_option


def read_split(path: Path) -> list[tuple[str, str]]:
    """(utterance, category) rows of a Banking77 CSV file (header ``text,category``).

    A dozen utterances hold line breaks inside their quotes; whitespace runs become one space
    so that each test query is one line of the batch.
    """
    with path.open(encoding="utf-8", newline="") as f:
        return [(" ".join(row["text"].split()), row["category"]) for row in csv.DictReader(f)]


def first_choice(answer: dict[str, Any]) -> str | None:
    """The id askbot ranks first: the answer's, else the first alternative's, else none."""
    if answer["matched"]:
        return str(answer["id"])
    alternatives = answer["alternatives"]
    return str(alternatives[0]["id"]) if alternatives else None


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("data", type=Path, help="folder holding train.csv and test.csv")
    add_matcher_option(parser)
    args = parser.parse_args()
    train = read_split(args.data / "train.csv")
    test = read_split(args.data / "test.csv")
    queries = [u for u, _ in test]
    gold = [intent_id(c) for _, c in test]

    with tempfile.TemporaryDirectory() as tmp:
        kb_path = Path(tmp) / "banking77.yaml"
        write_knowledge(train, kb_path, title="BANKING77 (PolyAI), train.csv")
        start = time.perf_counter()
        matcher = in_process(kb_path, args.matcher)
        load_s = time.perf_counter() - start
        answers, pipeline_s = run_askbot(kb_path, queries, args.matcher)

    start = time.perf_counter()
    nearest = [matcher.extract_one(q) for q in queries]
    inproc_s = time.perf_counter() - start

    n = len(test)
    top1 = sum(first_choice(a) == g for a, g in zip(answers, gold, strict=True))
    answered = [(a["id"], g) for a, g in zip(answers, gold, strict=True) if a["matched"]]
    right_answered = sum(got == g for got, g in answered)
    no_choice = sum(first_choice(a) is None for a in answers)
    one_nn = sum(c is not None and c.entry.id == g for c, g in zip(nearest, gold, strict=True))

    print(f"Banking77: {len(train)} train utterances as 77 entries, {n} test queries")
    print(f"{'top-1 (id if answered, else first alternative)':48}{top1 / n:>10.1%}")
    print(f"{'answered and right (of all queries)':48}{right_answered / n:>10.1%}")
    print(f"{'answered (confident)':48}{len(answered) / n:>10.1%}")
    print(f"{'right when answered':48}{right_answered / max(len(answered), 1):>10.1%}")
    print(f"{'no id at all (no suggestion)':48}{no_choice / n:>10.1%}")
    print(f"{'1-NN in process (extract_one, no cutoff)':48}{one_nn / n:>10.1%}")
    print(f"{'queries/s (askbot ask --json -)':48}{n / pipeline_s:>10.0f}")
    print(f"{'queries/s (in process, extract_one)':48}{n / inproc_s:>10.0f}")
    print(f"{'load + index time (s)':48}{load_s:>10.2f}")
    print(
        f"askbot {args.matcher}, threshold {matcher.threshold:g} (default);"
        f" pipeline wall time {pipeline_s:.1f}s incl. start-up"
    )
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cpus")


if __name__ == "__main__":
    main()
