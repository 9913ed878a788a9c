"""Dev-set figures for the bundled interview: top-1 in scope and out-of-scope rejection.

    python benchmarks/devset.py [--strip-alternates] [--threshold N] [--verbose]

The same figures gate the regression test ``tests/test_devset.py``; ``--strip-alternates``
measures how far the matcher generalises on phrasings nobody wrote into the knowledge file.
"""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path

from askbot import KnowledgeBase, Matcher, load

ROOT = Path(__file__).resolve().parents[1]
DEVSET = ROOT / "tests" / "data" / "devset.tsv"


def read_devset(path: Path = DEVSET) -> list[tuple[str | None, str]]:
    """(expected id or None for out of scope, query) pairs."""
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            expected, query = line.split("\t", 1)
            cases.append((None if expected == "-" else expected, query))
    return cases


def strip_alternates(kb: KnowledgeBase) -> KnowledgeBase:
    """The same knowledge without the hand-written alternates."""
    return KnowledgeBase(tuple(dataclasses.replace(e, alternates=()) for e in kb.entries), kb.synonyms)


def evaluate(matcher: Matcher, cases: list[tuple[str | None, str]]) -> dict[str, object]:
    """In-scope top-1 accuracy (answered with the right entry) and out-of-scope rejection."""
    right = rejected = 0
    misses = []
    in_scope = [c for c in cases if c[0] is not None]
    out_scope = [c for c in cases if c[0] is None]
    for expected, query in cases:
        match = matcher.match(query)
        got = match.entry.id if match.entry else None
        if expected is None:
            rejected += got is None
        else:
            right += got == expected
        if got != expected:
            misses.append((query, expected, got, match.score))
    return {
        "in_scope": right / len(in_scope),
        "out_of_scope_rejected": rejected / len(out_scope),
        "n_in": len(in_scope),
        "n_out": len(out_scope),
        "misses": misses,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strip-alternates", action="store_true")
    parser.add_argument("--threshold", type=float, default=None)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    kb = load()
    if args.strip_alternates:
        kb = strip_alternates(kb)
    kwargs = {} if args.threshold is None else {"threshold": args.threshold}
    result = evaluate(Matcher(kb, **kwargs), read_devset())
    label = "alternates stripped" if args.strip_alternates else "as shipped"
    print(
        f"{label}: top-1 in scope {result['in_scope']:.1%} of {result['n_in']}, "
        f"out of scope rejected {result['out_of_scope_rejected']:.1%} of {result['n_out']}"
    )
    if args.verbose:
        for query, expected, got, score in result["misses"]:  # type: ignore[union-attr]
            print(f"  {query!r}: expected {expected}, got {got} ({score})")


if __name__ == "__main__":
    main()
