"""Dev-set figures for the bundled interview: top-1 in scope and out-of-scope rejection, by kind.

    python benchmarks/devset.py [--strip-alternates] [--threshold N] [--verbose] [--matcher lexical|semantic]
                                [--split tune|report]

``tests/data/devset.tsv`` holds reader questions, each with its expected entry id (``-`` when
the interview does not cover it) and a kind: how it is phrased when in scope (``paraphrase``,
``keywords``, ``typo``), or why it is out of scope (``negation``, ``names``, ``real-word``,
``numbers``, ``meta`` ...). Per kind the table shows the rate the floors are set on and how many
questions got a confident *wrong* answer, the outcome a reader cannot tell from a right one.

The same figures gate ``tests/test_matcher.py``; ``--strip-alternates`` measures how far the
matcher generalises on phrasings nobody wrote into the knowledge file. ``--split`` takes one half
(``readers.dev_split``): tune on one, read the other once.
"""

from __future__ import annotations

import argparse
import dataclasses
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from askbot import DEFAULT_SETTINGS, KnowledgeBase, Matcher, load
from readers import SPLITS, add_matcher_option, dev_split, matcher_for
from readers import Question as ReaderQuestion

ROOT = Path(__file__).resolve().parents[1]
DEVSET = ROOT / "tests" / "data" / "devset.tsv"
OUT_OF_SCOPE = "-"


class Case(NamedTuple):
    """One dev-set question: the entry that should answer it (None: none should) and its kind."""

    expected: str | None
    query: str
    kind: str


class Miss(NamedTuple):
    """A question the matcher got wrong: what it answered (None: nothing) and with what score."""

    case: Case
    got: str | None
    score: float


@dataclasses.dataclass(frozen=True)
class Tally:
    """How one slice of the dev set went.

    ``right`` counts in-scope questions answered with the expected entry, or out-of-scope ones
    rejected; ``wrong_answers`` counts confident answers with any other entry.
    """

    kind: str
    in_scope: bool
    total: int
    right: int
    wrong_answers: int

    @property
    def rate(self) -> float:
        return self.right / self.total if self.total else 0.0


@dataclasses.dataclass(frozen=True)
class Result:
    """Figures for a whole dev-set run: in scope, out of scope, per kind, and every miss."""

    in_scope: Tally
    out_of_scope: Tally
    by_kind: tuple[Tally, ...]
    misses: tuple[Miss, ...]


def read_devset(path: Path = DEVSET) -> list[Case]:
    """The dev set's cases; ``#`` lines and blank lines are comments.

    A row is ``expected<TAB>query<TAB>kind``; a malformed one raises ``ValueError`` naming
    ``FILE:LINE`` so a hand edit gone wrong is found at once.
    """
    cases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 3 or not all(f.strip() for f in fields):
            raise ValueError(f"{path}:{number}: expected 3 tab-separated fields (expected, query, kind)")
        expected, query, kind = fields
        cases.append(Case(None if expected == OUT_OF_SCOPE else expected, query, kind))
    return cases


def strip_alternates(kb: KnowledgeBase) -> KnowledgeBase:
    """The same knowledge without the hand-written alternates."""
    return KnowledgeBase(tuple(e._replace(alternates=()) for e in kb.entries), kb.synonyms)


def tally(kind: str, in_scope: bool, outcomes: Iterable[tuple[Case, str | None]]) -> Tally:
    """Count right answers and confident wrong answers among (case, answered id) pairs."""
    total = right = wrong = 0
    for case, got in outcomes:
        total += 1
        right += got == case.expected
        wrong += got is not None and got != case.expected
    return Tally(kind, in_scope, total, right, wrong)


def evaluate(matcher: Matcher, cases: list[Case]) -> Result:
    """Match every case once and tally the outcomes overall and per kind."""
    outcomes: list[tuple[Case, str | None]] = []
    misses = []
    for case in cases:
        match = matcher.match(case.query)
        got = match.entry.id if match.entry else None
        outcomes.append((case, got))
        if got != case.expected:
            misses.append(Miss(case, got, match.score))
    kinds = sorted({(c.expected is None, c.kind) for c in cases})
    return Result(
        in_scope=tally("in scope", True, (o for o in outcomes if o[0].expected is not None)),
        out_of_scope=tally("out of scope", False, (o for o in outcomes if o[0].expected is None)),
        by_kind=tuple(
            tally(kind, not oos, (o for o in outcomes if o[0].kind == kind and (o[0].expected is None) == oos))
            for oos, kind in kinds
        ),
        misses=tuple(misses),
    )


def table(result: Result) -> str:
    """The per-kind table, in-scope kinds first, then the two totals."""
    header = f"{'kind':<14}{'scope':<8}{'n':>5}{'right':>8}{'wrong answers':>15}"
    rows = [header, "-" * len(header)]
    for t in (*result.by_kind, result.in_scope, result.out_of_scope):
        if t is result.in_scope:
            rows.append("-" * len(header))
        scope = "in" if t.in_scope else "out"
        rows.append(f"{t.kind:<14}{scope:<8}{t.total:>5}{t.rate:>8.1%}{t.wrong_answers:>15}")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--strip-alternates", action="store_true", help="drop the knowledge file's alternates")
    parser.add_argument("--threshold", type=float, default=None, help="answer at or above this score")
    parser.add_argument("--verbose", action="store_true", help="list every miss")
    add_matcher_option(parser)
    parser.add_argument("--split", choices=SPLITS, help="only this half of the dev set (default: all of it)")
    args = parser.parse_args()
    kb = load()
    if args.strip_alternates:
        kb = strip_alternates(kb)
    settings = DEFAULT_SETTINGS if args.threshold is None else DEFAULT_SETTINGS.replace(threshold=args.threshold)
    matcher = matcher_for(kb, args.matcher, settings)
    cases = read_devset()
    if args.split:
        cases = [c for c in cases if dev_split(ReaderQuestion(frozenset(), c.query, c.kind)) == args.split]
    result = evaluate(matcher, cases)
    label = f"{args.matcher}, " + ("alternates stripped" if args.strip_alternates else "as shipped")
    label += f", {args.split} half" if args.split else ""
    print(
        f"{label}, threshold {matcher.threshold:g}: top-1 in scope {result.in_scope.rate:.1%} "
        f"of {result.in_scope.total}, out of scope rejected {result.out_of_scope.rate:.1%} "
        f"of {result.out_of_scope.total}"
    )
    print(table(result))
    if args.verbose:
        print(f"\nmisses ({len(result.misses)}): query, kind, expected -> got (score)")
        for miss in result.misses:
            expected = miss.case.expected or OUT_OF_SCOPE
            got = miss.got or OUT_OF_SCOPE
            print(f"  {miss.case.query!r} [{miss.case.kind}]: {expected} -> {got} ({miss.score:.1f})")


if __name__ == "__main__":
    main()
