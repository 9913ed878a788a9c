"""Reader question sets and how askbot does on them: the shared core of the matching benchmarks.

A *reader set* is one knowledge base and questions readers put to it, each with the entry (or
entries, ``a|b``) that answers it or ``-`` when the interview does not: the ten interviews of
``benchmarks/interviews/`` (knowledge files made by ``askbot ingest``, questions written by
someone who had not seen askbot run on them) and the bundled interview's dev set
(``tests/data/devset.tsv``).

Every set is split into a *tune* part and a *report* part. Tune on the tune part; read the
report part once, at the end. The *holdout* split is three more interviews
(``benchmarks/interviews_holdout/``), written after the report part had been read, and read once
too; it has no dev-set half. *holdout2* is four more (``benchmarks/interviews_holdout2/``),
written after the holdout had been read, read once as well; *holdout3* four more again
(``benchmarks/interviews_holdout3/``), written after holdout2 had been read, and *holdout4* four
more (``benchmarks/interviews_holdout4/``, written with ``dialogues/holdout4.yaml``): neither
read yet, kept for the next changes to matching. ``READ_SPLITS`` are those already read and reported, which a
fit may use (``fit_confidence.py --splits``). The interviews split by interview
(``SPLIT``, as their README says); the dev set by question, by a hash of its text
(``dev_split``), so neither part is chosen by looking at how askbot does.

``evaluate`` asks a matcher every question once and counts what a reader would see:

- an answerable question *answered right* (the expected entry), or *wrong* (a confident answer
  from another entry: the worst outcome, as the reader cannot tell it from a right one), or
  neither (a "did you mean" or "not covered");
- an out-of-scope question *rejected* (no confident answer) or answered wrongly;
- ``utility``: +1 a right answer or a rejection, 0 a withheld answer, -2 a wrong answer: one
  number to tune on, which makes a confident wrong answer cost more than a right answer gains.
"""

from __future__ import annotations

import argparse
import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from askbot import DEFAULT_SETTINGS, Matcher, Settings, load
from askbot.model import KnowledgeBase

ROOT = Path(__file__).resolve().parents[1]
INTERVIEWS = ROOT / "benchmarks" / "interviews"
HOLDOUT = ROOT / "benchmarks" / "interviews_holdout"
#: Held-out sets by split name: folders of interviews whose every ``.tsv`` is read.
HELD_OUT = {
    "holdout": HOLDOUT,
    "holdout2": ROOT / "benchmarks" / "interviews_holdout2",
    "holdout3": ROOT / "benchmarks" / "interviews_holdout3",
    "holdout4": ROOT / "benchmarks" / "interviews_holdout4",
}
DEVSET = ROOT / "tests" / "data" / "devset.tsv"
OUT_OF_SCOPE = "-"
SPLITS = ("tune", "report")
#: The interviews' splits: the two halves, and the held-out interviews (no dev-set half).
INTERVIEW_SPLITS = (*SPLITS, *HELD_OUT)
#: The splits already read once and reported: fair to fit on now; the others are still to be read.
READ_SPLITS = ("tune", "report", "holdout", "holdout2")
# The interviews' split, fixed before anything was run on them (benchmarks/interviews/README.md).
SPLIT = {
    "tune": (
        "18f-kaitlin-devine",
        "wh-psaki-gaggle-2021-04-30",
        "chaincode-podcast-carl-dong",
        "irancontra-poindexter-hearing",
        "bitcoin-adam-back-stark-2017",
    ),
    "report": (
        "18f-amanda-weaver",
        "18f-cloud-gov-faq",
        "wh-kirby-gaggle-2024-01-12",
        "changelog-466-stdout",
        "canada-senate-antonopoulos-2014",
    ),
}
# What a reader's outcome is worth (``utility``).
RIGHT, WITHHELD, WRONG = 1.0, 0.0, -2.0


class Question(NamedTuple):
    """A reader's question: the entries that answer it (empty: none should), its text, its kind."""

    expected: frozenset[str]
    text: str
    kind: str

    @property
    def answerable(self) -> bool:
        return bool(self.expected)


class ReaderSet(NamedTuple):
    """A knowledge base and the questions of one split put to it."""

    name: str
    knowledge: KnowledgeBase
    questions: tuple[Question, ...]


def add_matcher_option(parser: argparse.ArgumentParser) -> None:
    """``--matcher lexical|semantic``, shared by the benchmarks."""
    parser.add_argument(
        "--matcher",
        default="lexical",
        choices=["lexical", "semantic"],
        help="askbot without or with its sentence model",
    )


def matcher_for(knowledge: KnowledgeBase, method: str, settings: Settings = DEFAULT_SETTINGS) -> Matcher:
    """The matcher ``--matcher`` names over ``knowledge``, in this process: words alone, or with
    the sentence model (imported only then, so a lexical run needs no numpy)."""
    side = None
    if method == "semantic":
        from askbot.semantic import DEFAULT_MODEL, make_semantic

        side = make_semantic(knowledge, DEFAULT_MODEL)
    return Matcher(knowledge, settings=settings, semantic=side)


def read_questions(path: Path) -> list[Question]:
    """The questions of a ``expected<TAB>question<TAB>kind`` file; ``#`` lines are comments.

    A malformed row raises ``ValueError`` naming ``FILE:LINE``.
    """
    found = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 3 or not all(f.strip() for f in fields):
            raise ValueError(f"{path}:{number}: expected 3 tab-separated fields (expected, question, kind)")
        expected, text, kind = fields
        ids = frozenset() if expected == OUT_OF_SCOPE else frozenset(expected.split("|"))
        found.append(Question(ids, text, kind))
    return found


def dev_split(question: Question) -> str:
    """The dev set's split of a question: by a hash of its text, half and half."""
    return SPLITS[hashlib.blake2b(question.text.encode(), digest_size=2).digest()[0] % 2]


def interview_sets(split: str) -> Iterator[ReaderSet]:
    """The interviews of one split, each with all its questions."""
    if split in HELD_OUT:
        folder = HELD_OUT[split]
        names = tuple(sorted(path.stem for path in folder.glob("*.tsv")))
    else:
        folder, names = INTERVIEWS, SPLIT[split]
    for name in names:
        yield ReaderSet(name, load([folder / f"{name}.yaml"]), tuple(read_questions(folder / f"{name}.tsv")))


def dev_set(split: str, knowledge: KnowledgeBase | None = None) -> ReaderSet:
    """The bundled interview's dev-set questions of one split."""
    questions = tuple(q for q in read_questions(DEVSET) if dev_split(q) == split)
    return ReaderSet("dev set (bundled)", knowledge or load(), questions)


def reader_sets(split: str) -> list[ReaderSet]:
    """Every reader set of one split: the interviews, then the dev set (none in the holdout)."""
    return [*interview_sets(split)] if split in HELD_OUT else [*interview_sets(split), dev_set(split)]


@dataclass
class Tally:
    """How askbot did on some questions."""

    answerable: int = 0
    right: int = 0
    wrong: int = 0
    content: int = 0
    content_right: int = 0
    out_of_scope: int = 0
    rejected: int = 0
    oos_answered: int = 0
    utility: float = 0.0
    misses: list[tuple[Question, str | None, float]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.answerable + self.out_of_scope

    def add(self, question: Question, got: str | None, score: float) -> None:
        """Count one question and what askbot answered (``None``: no confident answer)."""
        if question.answerable:
            self.answerable += 1
            hit = got in question.expected
            self.right += hit
            self.wrong += got is not None and not hit
            if question.kind == "content":
                self.content += 1
                self.content_right += hit
            self.utility += RIGHT if hit else WITHHELD if got is None else WRONG
            ok = hit
        else:
            self.out_of_scope += 1
            self.rejected += got is None
            self.oos_answered += got is not None
            self.utility += RIGHT if got is None else WRONG
            ok = got is None
        if not ok:
            self.misses.append((question, got, score))

    def merge(self, other: Tally) -> None:
        for name in ("answerable", "right", "wrong", "content", "content_right", "out_of_scope", "rejected"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.oos_answered += other.oos_answered
        self.utility += other.utility
        self.misses += other.misses

    def rates(self) -> tuple[float, float, float]:
        """Answerable answered right, about the answer's content answered right, out of scope rejected."""
        return (
            _rate(self.right, self.answerable),
            _rate(self.content_right, self.content),
            _rate(self.rejected, self.out_of_scope),
        )


def _rate(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def evaluate(matcher: Matcher, questions: Iterable[Question]) -> Tally:
    """Ask every question once and count the outcomes."""
    tally = Tally()
    for question in questions:
        match = matcher.match(question.text)
        tally.add(question, match.entry.id if match.entry else None, match.score)
    return tally


def header() -> str:
    return f"{'set':<36}{'n':>5}{'answered right':>16}{'content':>10}{'oos rejected':>14}{'wrong':>7}{'utility':>9}"


def row(name: str, tally: Tally) -> str:
    right, content, rejected = tally.rates()
    wrong = tally.wrong + tally.oos_answered
    mean = tally.utility / tally.total if tally.total else 0.0
    return f"{name:<36}{tally.total:>5}{right:>16.1%}{content:>10.1%}{rejected:>14.1%}{wrong:>7}{mean:>9.3f}"


def table(results: Sequence[tuple[str, Tally]]) -> str:
    """One row per set, then the interviews' total (the dev set apart: it is one interview)."""
    lines = [header(), "-" * len(header())]
    total = Tally()
    for name, tally in results:
        lines.append(row(name, tally))
        if not name.startswith("dev set"):
            total.merge(tally)
    lines += ["-" * len(header()), row("interviews, all", total)]
    return "\n".join(lines)
