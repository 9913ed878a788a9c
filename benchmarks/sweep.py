"""Sweep the matcher's settings on the tune split, and read the report split once for the choice.

    python benchmarks/sweep.py --grid rarity_power=1,1.5,2 --grid answer_strength=0.3,0.4,0.5
    python benchmarks/sweep.py --grid threshold=25,30,35 --report threshold=30

Every combination of the ``--grid`` values (any ``askbot.Settings`` fields) is scored on the
tune split of the reader sets (``readers.py``: five interviews as ``askbot ingest`` makes them,
and half the bundled interview's dev set): answerable questions answered right, out-of-scope
questions rejected, confident wrong answers, and the mean utility (+1 right or rejected, 0
withheld, -2 wrong) it ranks them by. This is how every number in ``Settings`` that scores or
judges a question is chosen: the best combination on the tune split, read on the report split
once (``--report NAME=VALUE ...``), and the figures from that read are the ones to quote.
"""

from __future__ import annotations

import argparse
import itertools
from collections.abc import Sequence
from typing import Any

from askbot import DEFAULT_SETTINGS, Matcher, Settings
from readers import ReaderSet, Tally, evaluate, reader_sets, row


def parse_values(text: str) -> tuple[str, list[Any]]:
    """``name=v1,v2`` -> the field and its values, typed as the field's default is."""
    name, _, values = text.partition("=")
    if name not in DEFAULT_SETTINGS.as_dict() or not values:
        raise SystemExit(f"sweep.py: {text!r}: give NAME=V1,V2,... for a field of askbot.Settings")
    kind = type(getattr(DEFAULT_SETTINGS, name))
    return name, [kind(value) for value in values.split(",")]


def score(settings: Settings, sets: Sequence[ReaderSet]) -> Tally:
    """All the sets' questions, each set under a matcher with these settings."""
    total = Tally()
    for reader_set in sets:
        total.merge(evaluate(Matcher(reader_set.knowledge, settings=settings), reader_set.questions))
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--grid", action="append", default=[], metavar="NAME=V1,V2", help="values to try")
    parser.add_argument("--report", nargs="+", metavar="NAME=VALUE", help="read the report split for these settings")
    args = parser.parse_args()
    if args.report:
        chosen = dict(parse_values(item) for item in args.report)
        settings = DEFAULT_SETTINGS.replace(**{name: values[0] for name, values in chosen.items()})
        print(f"report split, {chosen}:")
        print(row("all report sets", score(settings, reader_sets("report"))))
        return
    grid = [parse_values(item) for item in args.grid]
    tune = reader_sets("tune")
    results = []
    for values in itertools.product(*(v for _, v in grid)):
        changes = {name: value for (name, _), value in zip(grid, values, strict=True)}
        try:
            settings = DEFAULT_SETTINGS.replace(**changes)
        except (TypeError, ValueError) as exc:
            print(f"skipped {changes}: {exc}")
            continue
        results.append((changes, score(settings, tune)))
    results.sort(key=lambda item: -item[1].utility)
    for changes, tally in results:
        label = ", ".join(f"{k}={v}" for k, v in changes.items()) or "defaults"
        print(row(label[:36], tally))


if __name__ == "__main__":
    main()
