"""How well askbot tells questions about the interview itself from questions for the interview.

A question about the interview ("when was the interview?") is answered from its source details;
one taken for it by mistake would never reach the matcher, so the figure that matters most is
how many ordinary questions are taken for meta questions (false positives). Counted on:

- the dev set's ``meta`` rows (recall: those the source details can answer) and all its other
  rows (false positives);
- every question and alternate of the bundled interview and the second test interview;
- optionally the CLINC150 and Banking77 questions (none is about an interview):
  ``--clinc150 ../shared/bench/clinc150 --banking77 ../shared/bench/banking77``.

    .venv/bin/python benchmarks/meta_questions.py [--clinc150 DIR] [--banking77 DIR]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Iterable
from pathlib import Path

from askbot import bundled_path, load
from askbot.conversation.meta import People, kind_of

ROOT = Path(__file__).resolve().parents[1]
DEVSET = ROOT / "tests" / "data" / "devset.tsv"
SECOND = ROOT / "tests" / "data" / "lena-hoffmann-2019.yaml"


def devset_rows() -> list[tuple[str, str]]:
    """(query, kind) of every dev-set row."""
    rows = []
    for line in DEVSET.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            _, query, kind = line.split("\t")
            rows.append((query, kind))
    return rows


def taken(questions: Iterable[str], people: People) -> list[str]:
    return [q for q in questions if kind_of(q, people) is not None]


def show(label: str, questions: list[str], found: list[str], *, wanted: bool) -> None:
    what = "recognised" if wanted else "taken for meta questions"
    print(f"{label}: {len(found)} of {len(questions)} {what}")
    for question in found[:10] if not wanted else []:
        print(f"    {question!r}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clinc150", type=Path, help="folder with data_full.json")
    parser.add_argument("--banking77", type=Path, help="folder with train.csv and test.csv")
    args = parser.parse_args()
    kb = load([bundled_path() / "wang-yuejian-2018.yaml", SECOND])
    people = People.of(kb.sources)
    rows = devset_rows()
    meta_rows = [q for q, kind in rows if kind == "meta"]
    other_rows = [q for q, kind in rows if kind != "meta"]
    show("dev set, meta rows", meta_rows, taken(meta_rows, people), wanted=True)
    missed = sorted(set(meta_rows) - set(taken(meta_rows, people)))
    print("    not recognised (no source field answers them): " + "; ".join(repr(q) for q in missed))
    show("dev set, other rows", other_rows, taken(other_rows, people), wanted=False)
    phrasings = [text for entry in kb for text in (entry.question, *entry.alternates)]
    show("interview questions and alternates", phrasings, taken(phrasings, people), wanted=False)
    if args.clinc150:
        data = json.loads((args.clinc150 / "data_full.json").read_text(encoding="utf-8"))
        questions = [q for split in data.values() for q, _ in split]
        show("CLINC150 (all splits)", questions, taken(questions, people), wanted=False)
    if args.banking77:
        questions = []
        for name in ("train.csv", "test.csv"):
            with open(args.banking77 / name, newline="", encoding="utf-8") as handle:
                questions += [row["text"] for row in csv.DictReader(handle)]
        show("Banking77 (train and test)", questions, taken(questions, people), wanted=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
