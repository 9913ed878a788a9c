"""CLINC150 and Banking77 in the interview regime: one phrasing per intent, as an ingested interview has.

    python benchmarks/oneshot.py --clinc150 CLINC150_DIR --banking77 BANKING77_DIR            # val (tune)
    python benchmarks/oneshot.py --clinc150 CLINC150_DIR --banking77 BANKING77_DIR --split test   # once, at the end

An interview made by ``askbot ingest`` has one phrasing per question and no alternates; these
public sets, cut down to one training phrasing per intent, ask the matcher the same thing with
thousands of questions. Each intent becomes one entry whose question is either a phrasing drawn
at random from its training utterances (``--draws`` seeded draws, averaged) or its longest
training utterance (the ``longest`` row). Asked: CLINC150's ``val`` (tune) or ``test`` in-scope
and out-of-scope questions; Banking77 has no validation split or out-of-scope questions, so its
``val`` is a seeded fifth of ``train`` held out from the phrasings (20 a category), its ``test``
the test file.

Printed per set: answered right (a confident answer from the right intent), the best candidate
right (the first of ``extract``, confident or not: how good the ranking is), out-of-scope
rejected, and confident wrong answers.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import statistics
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

from askbot import KnowledgeBase, Matcher, Settings
from askbot.model import Entry, Source
from readers import Question, Tally, add_matcher_option, evaluate

DRAWS = 5


class Regime(NamedTuple):
    """One cut-down data set: its knowledge base and the questions of one split."""

    name: str
    knowledge: KnowledgeBase
    questions: tuple[Question, ...]


def intent_id(intent: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in intent.lower()).strip("-")


def one_phrasing(by_intent: dict[str, list[str]], pick: str | int, title: str) -> KnowledgeBase:
    """One entry per intent: the phrasing drawn with seed ``pick``, or the longest (``"longest"``)."""
    source = Source(title=title)
    rng = random.Random(pick)
    entries = []
    for intent, utterances in sorted(by_intent.items()):
        question = max(utterances, key=len) if pick == "longest" else rng.choice(utterances)
        entries.append(Entry(id=intent_id(intent), question=question, answer=f"intent: {intent}", source=source))
    return KnowledgeBase(tuple(entries))


def clinc150(folder: Path, split: str, picks: list[str | int]) -> Iterator[Regime]:
    """CLINC150 with one phrasing per intent, asked its ``split`` questions (in scope and out)."""
    data = json.loads((folder / "data_full.json").read_text(encoding="utf-8"))
    by_intent: dict[str, list[str]] = {}
    for utterance, intent in data["train"]:
        by_intent.setdefault(intent, []).append(utterance)
    questions = tuple(
        [Question(frozenset({intent_id(i)}), u, "in") for u, i in data[split]]
        + [Question(frozenset(), u, "oos") for u, _ in data[f"oos_{split}"]]
    )
    for pick in picks:
        yield Regime(f"clinc150 {pick}", one_phrasing(by_intent, pick, "CLINC150"), questions)


def read_banking(path: Path) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return [(" ".join(row["text"].split()), row["category"]) for row in csv.DictReader(f)]


def banking77(folder: Path, split: str, picks: list[str | int]) -> Iterator[Regime]:
    """Banking77 with one phrasing per category; ``val`` asks a held-out fifth of ``train``."""
    train = read_banking(folder / "train.csv")
    by_intent: dict[str, list[str]] = {}
    for utterance, intent in train:
        by_intent.setdefault(intent, []).append(utterance)
    if split == "val":
        rng = random.Random(77)
        asked: list[tuple[str, str]] = []
        for intent, utterances in sorted(by_intent.items()):
            held = rng.sample(utterances, min(20, len(utterances) // 5))
            asked += [(u, intent) for u in held]
            by_intent[intent] = [u for u in utterances if u not in held]
    else:
        asked = read_banking(folder / "test.csv")
    questions = tuple(Question(frozenset({intent_id(i)}), u, "in") for u, i in asked)
    for pick in picks:
        yield Regime(f"banking77 {pick}", one_phrasing(by_intent, pick, "Banking77"), questions)


def best_right(matcher: Matcher, questions: tuple[Question, ...]) -> float:
    """The share of answerable questions whose best candidate, confident or not, is right."""
    answerable = [q for q in questions if q.answerable]
    right = 0
    for question in answerable:
        best = matcher.extract_one(question.text)
        right += best is not None and best.entry.id in question.expected
    return right / len(answerable) if answerable else 0.0


def measure(regime: Regime, settings: Settings, encoder: Any = None) -> tuple[Tally, float]:
    """A regime's tally and best-candidate rate; with ``encoder``, through the sentence model
    (the questions embedded in batches first, as ``askbot ask -`` does)."""
    side = None
    if encoder is not None:
        from askbot.semantic import Semantic

        side = Semantic(regime.knowledge, encoder)
    matcher = Matcher(regime.knowledge, settings=settings, semantic=side)
    matcher.prepare([question.text for question in regime.questions])
    return evaluate(matcher, regime.questions), best_right(matcher, regime.questions)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--clinc150", type=Path, help="folder holding CLINC150's data_full.json")
    parser.add_argument("--banking77", type=Path, help="folder holding Banking77's train.csv and test.csv")
    parser.add_argument("--split", default="val", choices=["val", "test"], help="val to tune, test once at the end")
    parser.add_argument("--draws", type=int, default=DRAWS, help="seeded draws of the phrasing (averaged)")
    add_matcher_option(parser)
    args = parser.parse_args()
    encoder = None
    if args.matcher == "semantic":
        from askbot.semantic import DEFAULT_MODEL, load_encoder

        encoder = load_encoder(DEFAULT_MODEL)
    picks: list[str | int] = list(range(args.draws))
    sets: list[tuple[str, Iterator[Regime]]] = []
    if args.clinc150:
        sets.append(("CLINC150", clinc150(args.clinc150, args.split, picks)))
        sets.append(("CLINC150 longest", clinc150(args.clinc150, args.split, ["longest"])))
    if args.banking77:
        sets.append(("Banking77", banking77(args.banking77, args.split, picks)))
        sets.append(("Banking77 longest", banking77(args.banking77, args.split, ["longest"])))
    settings = Settings()
    print(f"{args.matcher}, one phrasing per intent, {args.split} questions, {args.draws} seeded draws (mean, min-max)")
    print(f"{'set':<20}{'answered right':>24}{'best candidate right':>24}{'oos rejected':>24}{'wrong/q':>9}")
    for name, regimes in sets:
        rows = [measure(regime, settings, encoder) for regime in regimes]
        right = [t.rates()[0] for t, _ in rows]
        best = [b for _, b in rows]
        rejected = [t.rates()[2] for t, _ in rows]
        wrong = [(t.wrong + t.oos_answered) / t.total for t, _ in rows]
        print(
            f"{name:<20}{_spread(right):>24}{_spread(best):>24}"
            f"{_spread(rejected) if rows[0][0].out_of_scope else '-':>24}{statistics.mean(wrong):>9.3f}"
        )


def _spread(values: list[float]) -> str:
    mean = statistics.mean(values)
    return f"{mean:.1%}" if len(values) == 1 else f"{mean:.1%} ({min(values):.1%}-{max(values):.1%})"


if __name__ == "__main__":
    main()
