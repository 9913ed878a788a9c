"""How well ``askbot ingest`` recovers the question/answer pairs of real published interviews.

    python benchmarks/ingest.py [CASES_DIR] [--split tune|report|holdout|holdout2|all] [--verbose]

Each case is a folder ``<case-id>/`` holding the transcript as published (``input.txt``, ``.md``,
``.html``, ``.vtt``, ``.srt``, ``.pdf``, ``.docx``) and ``expected.yaml``: its source URL, licence
note, style, split and the true pairs, written by reading the document (see
``ingest_cases/README.md``). The cases are split: ``split: tune`` (the default when a case names
none) may be looked at while the parser is worked on; ``split: report`` is read once, at the end,
with ``--split report``, and its figures are the ones quoted; ``split: holdout`` marks the cases
of ``ingest_holdout/`` (``python benchmarks/ingest.py benchmarks/ingest_holdout --split holdout``),
labelled after the report split had been read, read once as well; ``split: holdout2`` those of
``ingest_holdout2/`` (stop 28, by another labeller), read once too. The real command
line runs on every input (``askbot ingest INPUT -o OUT.yaml`` in a subprocess), and its output is
scored against the true pairs:

- **Questions** are matched one-to-one and in order: the largest in-order alignment of produced
  to true questions in which every aligned pair is alike. Two questions are alike when, after
  normalising, their rapidfuzz ``fuzz.ratio`` is at least 85: a stray quote, a dropped word or a
  typo fix still matches; a question glued to a second one, or to a paragraph of its answer, does
  not. Normalising makes the text plain (Unicode NFKC, HTML entities decoded and tags removed,
  markdown links ``[text](url)`` / ``[text][ref]`` reduced to their text, curly quotes and dashes
  made straight), then drops the markers ``* _ # `` `` and a leading ``Q:``/``Q.``/``Question:``/
  ``Q``/``1.`` label, collapses whitespace, strips end punctuation and folds case.
- **Precision** = produced entries aligned to a true question / produced entries.
  **Recall** = true questions aligned / true questions. A case whose ingest fails (non-zero exit,
  no file, unreadable YAML) produced nothing: recall 0, and it adds nothing to precision.
- **Whole answers** = true pairs whose aligned entry's answer, made plain as above with ``*``
  emphasis markers removed and whitespace collapsed (so markdown and HTML inputs are scored alike),
  starts with ``answer_start``, ends with ``answer_end`` and does not contain the opening of the
  next true question (the next one with other text: several panellists answering one question
  give pairs with the same question); a true pair with no aligned entry is not whole.

Totals are micro-averaged over pairs (every pair weighs the same, whichever case it is in), and
the floors of issue 21 are checked: recall >= 0.95, precision >= 0.95, whole >= 0.90. Totals per
input format follow. The exit code is 0 when all three are met, 1 when not, 2 when a case file is
malformed.
"""

from __future__ import annotations

import argparse
import html
import os
import re
import subprocess
import sys
import tempfile
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml
from rapidfuzz import fuzz

CASES = Path(__file__).resolve().parent / "ingest_cases"
INPUT_SUFFIXES = (".txt", ".md", ".html", ".htm", ".vtt", ".srt", ".pdf", ".docx")
FLOORS = {"recall": 0.95, "precision": 0.95, "whole": 0.90}
SPLITS = ("tune", "report", "holdout", "holdout2")


@dataclass(frozen=True)
class Tolerances:
    """How forgiving the comparison is; one object so that a test can tighten it without patching."""

    alike: float = 85.0
    """rapidfuzz ``ratio`` (0-100) at which two normalised questions are the same question."""
    next_question_chars: int = 60
    """How much of the next question's opening an answer must not contain."""
    next_question_min: int = 15
    """Shorter openings ("Why?") are not searched for: they occur in answers by chance."""
    timeout: float = 120.0
    """Seconds one ``askbot ingest`` run may take before it counts as failed."""


DEFAULT_TOLERANCES = Tolerances()

_PLAIN = str.maketrans(
    {**dict.fromkeys("‘’‚‛", "'"), **dict.fromkeys("“”„‟", '"'), **dict.fromkeys("–—‐‑", "-"), "\u00a0": " "}
)
_LABEL = re.compile(r"^(?:q(?:uestion)?\s*\d*\s*[:.)]|q\s|\d{1,3}\s*[.)]\s)\s*", re.IGNORECASE)
_MARKUP = re.compile(r"[*_#`]+")
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_LINK = re.compile(r"!?\[([^\]]*)\](?:\([^)\s]*(?:\s+\"[^\"]*\")?\)|\[[^\]]*\])")
_SPACE = re.compile(r"\s+")
_END_PUNCT = " .,;:!?-"


class CaseError(Exception):
    """A case folder that cannot be scored: missing input, malformed ``expected.yaml``."""


@dataclass(frozen=True)
class Pair:
    """One true interviewer question and where its answer starts and ends, verbatim."""

    question: str
    answer_start: str
    answer_end: str
    speaker: str | None = None


@dataclass(frozen=True)
class Case:
    """A published transcript and its true pairs."""

    id: str
    input: Path
    url: str
    licence: str
    style: str
    notes: str
    pairs: tuple[Pair, ...]
    split: str = "tune"

    @property
    def format(self) -> str:
        """The input's kind as its extension names it (``txt``, ``md``, ``html``, ``vtt``, ``srt``)."""
        return self.input.suffix.lstrip(".").lower()


@dataclass(frozen=True)
class Produced:
    """One entry of the knowledge file ``askbot ingest`` wrote."""

    question: str
    answer: str
    speaker: str | None = None


@dataclass(frozen=True)
class IngestRun:
    """What one ``askbot ingest`` run gave: entries, or ``None`` and the reason it failed."""

    entries: tuple[Produced, ...] | None
    error: str = ""


@dataclass(frozen=True)
class CaseScore:
    """Counts for one case; the ratios are derived so that totals can be micro-averaged."""

    case: Case
    n_true: int
    n_produced: int
    matched: int
    whole: int
    missed: tuple[str, ...] = ()
    extra: tuple[str, ...] = ()
    broken: tuple[str, ...] = ()
    error: str = ""

    @property
    def precision(self) -> float | None:
        """Share of produced entries that are true questions; ``None`` when nothing was produced."""
        return self.matched / self.n_produced if self.n_produced else None

    @property
    def recall(self) -> float:
        """Share of true questions found."""
        return self.matched / self.n_true if self.n_true else 1.0

    @property
    def whole_share(self) -> float:
        """Share of true pairs whose answer came out whole."""
        return self.whole / self.n_true if self.n_true else 1.0


# -- reading cases -------------------------------------------------------------------------------


def read_case(folder: Path) -> Case:
    """The case in ``folder``: its one ``input.*`` file and the pairs of its ``expected.yaml``."""
    inputs = sorted(p for p in folder.glob("input.*") if p.suffix.lower() in INPUT_SUFFIXES)
    if len(inputs) != 1:
        raise CaseError(f"{folder}: expected one input.* file ({', '.join(INPUT_SUFFIXES)}), found {len(inputs)}")
    expected_path = folder / "expected.yaml"
    try:
        data = yaml.safe_load(expected_path.read_text(encoding="utf-8"))
    except yaml.MarkedYAMLError as exc:
        where = f":{exc.problem_mark.line + 1}:{exc.problem_mark.column + 1}" if exc.problem_mark else ""
        raise CaseError(f"{expected_path}{where}: {exc.problem or exc.context}") from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise CaseError(f"{expected_path}: {exc}".splitlines()[0]) from None
    if not isinstance(data, dict):
        raise CaseError(f"{expected_path}: not a mapping")
    for key in ("url", "licence", "style", "pairs"):
        if key not in data:
            raise CaseError(f"{expected_path}: missing '{key}'")
    split = str(data.get("split") or "tune")
    if split not in SPLITS:
        raise CaseError(f"{expected_path}: split is {split!r}; expected one of {', '.join(SPLITS)}")
    return Case(
        id=folder.name,
        input=inputs[0],
        url=str(data["url"]),
        licence=str(data["licence"]),
        style=str(data["style"]),
        notes=str(data.get("notes") or ""),
        pairs=tuple(_read_pair(expected_path, n, raw) for n, raw in enumerate(data["pairs"] or [], 1)),
        split=split,
    )


def _read_pair(path: Path, number: int, raw: object) -> Pair:
    fields = ("question", "answer_start", "answer_end")
    if not isinstance(raw, dict) or not all(isinstance(raw.get(k), str) and raw[k].strip() for k in fields):
        raise CaseError(f"{path}: pair {number} needs non-empty question, answer_start and answer_end")
    speaker = raw.get("speaker")
    return Pair(raw["question"], raw["answer_start"], raw["answer_end"], None if speaker is None else str(speaker))


def read_cases(root: Path, split: str = "all") -> list[Case]:
    """Every case folder under ``root`` (folders holding an ``expected.yaml``) of ``split``
    (``"all"``: every split), by id."""
    cases = [read_case(p.parent) for p in sorted(root.glob("*/expected.yaml"))]
    return [case for case in cases if split in ("all", case.split)]


# -- running ingest --------------------------------------------------------------------------------


def askbot_command() -> list[str]:
    """The ``askbot`` installed next to this Python, else ``python -m askbot``."""
    script = Path(sys.executable).with_name("askbot")
    return [str(script)] if script.exists() else [sys.executable, "-m", "askbot"]


def run_ingest(
    source: Path, *, command: Sequence[str] | None = None, tolerances: Tolerances = DEFAULT_TOLERANCES
) -> IngestRun:
    """Run ``askbot ingest SOURCE -o OUT`` in a subprocess and read back what it wrote."""
    with tempfile.TemporaryDirectory(prefix="askbot-ingest-bench-") as tmp:
        out = Path(tmp) / "out.yaml"
        argv = [*(command or askbot_command()), "ingest", str(source), "-o", str(out)]
        env = {**os.environ, "NO_COLOR": "1"}
        try:
            done = subprocess.run(argv, capture_output=True, text=True, timeout=tolerances.timeout, env=env)
        except subprocess.TimeoutExpired:
            return IngestRun(None, f"timed out after {tolerances.timeout:.0f} s")
        if done.returncode != 0 or not out.exists():
            last = (done.stderr.strip().splitlines() or ["(no message)"])[-1].replace(str(source), source.name)
            return IngestRun(None, f"exit {done.returncode}: {last}")
        try:
            data = yaml.safe_load(out.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, yaml.YAMLError) as exc:
            return IngestRun(None, f"unreadable output: {exc}".splitlines()[0])
    entries = data.get("entries") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        return IngestRun(None, "output has no 'entries' list")
    return IngestRun(tuple(_produced(e) for e in entries if isinstance(e, dict)))


def _produced(entry: dict[str, object]) -> Produced:
    speaker = entry.get("speaker")
    return Produced(str(entry.get("question") or ""), str(entry.get("answer") or ""), str(speaker) if speaker else None)


# -- scoring ---------------------------------------------------------------------------------------


def plain_text(text: str) -> str:
    """Text as a reader sees it: entities decoded, tags and link targets gone, quotes and dashes plain.

    >>> plain_text("<p>Read [the “FAQ”](https://x.org) &amp; more</p>")
    'Read the "FAQ" & more'
    """
    text = html.unescape(unicodedata.normalize("NFKC", text))
    return _LINK.sub(r"\1", _TAG.sub("", text)).translate(_PLAIN)


def normalise_question(text: str) -> str:
    """A question as compared: plain, no markup or ``Q:`` label, case and spacing folded.

    >>> normalise_question("**Q: Why did you  leave “Acme”?**")
    'why did you leave "acme"'
    """
    text = _LABEL.sub("", _MARKUP.sub("", plain_text(text)).strip())
    return _SPACE.sub(" ", text).strip(_END_PUNCT).casefold()


def normalise_answer(text: str) -> str:
    """An answer as compared: plain, ``*`` emphasis removed, whitespace collapsed.

    >>> normalise_answer("We *never*\\n\\nsaid “that”.")
    'We never said "that".'
    """
    return _SPACE.sub(" ", plain_text(text).replace("*", "")).strip()


def alike(true_question: str, produced_question: str, *, tolerances: Tolerances = DEFAULT_TOLERANCES) -> bool:
    """Whether a produced question is the true one (see the module docstring)."""
    return _alike_normalised(normalise_question(true_question), normalise_question(produced_question), tolerances)


def _alike_normalised(true_question: str, produced_question: str, tolerances: Tolerances) -> bool:
    return bool(true_question) and fuzz.ratio(true_question, produced_question) >= tolerances.alike


def align(
    truth: Sequence[str], produced: Sequence[str], *, tolerances: Tolerances = DEFAULT_TOLERANCES
) -> list[tuple[int, int]]:
    """The largest one-to-one, in-order set of (true index, produced index) pairs that are alike.

    A longest-common-subsequence table over the two question lists, with "alike" as equality.

    >>> align(["Why?", "How so?", "When"], ["intro", "why", "when?"])
    [(0, 1), (2, 2)]
    """
    produced_normalised = [normalise_question(p) for p in produced]
    ok = [[_alike_normalised(t, p, tolerances) for p in produced_normalised] for t in map(normalise_question, truth)]
    rows, cols = len(truth), len(produced)
    best = [[0] * (cols + 1) for _ in range(rows + 1)]
    for i in range(rows - 1, -1, -1):
        for j in range(cols - 1, -1, -1):
            best[i][j] = best[i + 1][j + 1] + 1 if ok[i][j] else max(best[i + 1][j], best[i][j + 1])
    pairs, i, j = [], 0, 0
    while i < rows and j < cols:
        if ok[i][j] and best[i][j] == best[i + 1][j + 1] + 1:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif best[i + 1][j] >= best[i][j + 1]:
            i += 1
        else:
            j += 1
    return pairs


def answer_is_whole(
    pair: Pair, answer: str, next_question: str | None, *, tolerances: Tolerances = DEFAULT_TOLERANCES
) -> bool:
    """Starts with ``answer_start``, ends with ``answer_end``, holds nothing of the next question."""
    text = normalise_answer(answer)
    if not (text.startswith(normalise_answer(pair.answer_start)) and text.endswith(normalise_answer(pair.answer_end))):
        return False
    if next_question is None:
        return True
    opening = normalise_answer(next_question)[: tolerances.next_question_chars]
    return len(opening) < tolerances.next_question_min or opening.casefold() not in text.casefold()


def score_case(case: Case, run: IngestRun | None = None, *, tolerances: Tolerances = DEFAULT_TOLERANCES) -> CaseScore:
    """Precision, recall and whole answers of one ingest run (by default a fresh one) against the case."""
    if run is None:
        run = run_ingest(case.input, tolerances=tolerances)
    if run.entries is None:
        return CaseScore(case, len(case.pairs), 0, 0, 0, missed=tuple(p.question for p in case.pairs), error=run.error)
    produced = run.entries
    aligned = dict(align([p.question for p in case.pairs], [e.question for e in produced], tolerances=tolerances))
    whole, broken = 0, []
    for i, pair in enumerate(case.pairs):
        if i not in aligned:
            continue
        following = next((p.question for p in case.pairs[i + 1 :] if p.question != pair.question), None)
        answer = produced[aligned[i]].answer
        if answer_is_whole(pair, answer, following, tolerances=tolerances):
            whole += 1
        else:
            broken.append(f"{pair.question[:60]!r}: {_clip(answer)}")
    used = set(aligned.values())
    return CaseScore(
        case,
        n_true=len(case.pairs),
        n_produced=len(produced),
        matched=len(aligned),
        whole=whole,
        missed=tuple(p.question for i, p in enumerate(case.pairs) if i not in aligned),
        extra=tuple(e.question for j, e in enumerate(produced) if j not in used),
        broken=tuple(broken),
    )


def _clip(answer: str, width: int = 50) -> str:
    text = normalise_answer(answer)
    if len(text) <= 2 * width + 5:
        return repr(text)
    return f"{text[:width]!r} ... {text[-width:]!r}"


# -- report ----------------------------------------------------------------------------------------


def totals(scores: Sequence[CaseScore]) -> dict[str, float]:
    """Micro-averaged precision, recall and whole-answer share over all pairs of all cases."""
    n_true = sum(s.n_true for s in scores)
    n_produced = sum(s.n_produced for s in scores)
    matched = sum(s.matched for s in scores)
    return {
        "precision": matched / n_produced if n_produced else 0.0,
        "recall": matched / n_true if n_true else 0.0,
        "whole": sum(s.whole for s in scores) / n_true if n_true else 0.0,
    }


def _ratio(value: float | None) -> str:
    return "   -" if value is None else f"{value:4.2f}"


def report(scores: Sequence[CaseScore], *, verbose: bool) -> bool:
    """Print one line per case, the totals and the floors; whether every floor is met."""
    width = max([len(s.case.id) for s in scores] + [4])
    print(f"{'case':<{width}}  {'style':<22} {'fmt':<4}    P     R  whole  true  prod")
    for s in scores:
        print(
            f"{s.case.id:<{width}}  {s.case.style:<22} {s.case.format:<4} {_ratio(s.precision)}  "
            f"{_ratio(s.recall)}  {_ratio(s.whole_share)}  {s.n_true:4d}  {s.n_produced:4d}"
            + (f"  FAILED ({s.error})" if s.error else "")
        )
        if verbose:
            _details(s)
    total = totals(scores)
    n_true = sum(s.n_true for s in scores)
    n_produced = sum(s.n_produced for s in scores)
    print(
        f"{'TOTAL':<{width}}  {f'{len(scores)} cases':<22} {'':<4} {total['precision']:4.2f}  "
        f"{total['recall']:4.2f}  {total['whole']:4.2f}  {n_true:4d}  {n_produced:4d}"
    )
    formats = sorted({s.case.format for s in scores})
    for fmt in formats:
        some = [s for s in scores if s.case.format == fmt]
        part = totals(some)
        print(
            f"{'  ' + fmt:<{width}}  {f'{len(some)} cases':<22} {'':<4} {part['precision']:4.2f}  "
            f"{part['recall']:4.2f}  {part['whole']:4.2f}  {sum(s.n_true for s in some):4d}  "
            f"{sum(s.n_produced for s in some):4d}"
        )
    met = {name: total[name] >= floor for name, floor in FLOORS.items()}
    print("floors: " + ", ".join(f"{n} >= {f:.2f} {'met' if met[n] else 'NOT met'}" for n, f in FLOORS.items()))
    return all(met.values())


def _details(score: CaseScore) -> None:
    for label, items in (("missed", score.missed), ("extra", score.extra), ("broken answer", score.broken)):
        for item in items:
            print(f"    {label}: {item if label == 'broken answer' else repr(item[:100])}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("cases", nargs="?", type=Path, default=CASES, help="folder of case folders")
    parser.add_argument(
        "--split",
        choices=(*SPLITS, "all"),
        default="tune",
        help="which cases to score (default: tune; read report once, at the end)",
    )
    parser.add_argument("--verbose", action="store_true", help="list missed/extra questions and broken answers")
    args = parser.parse_args(argv)
    try:
        cases = read_cases(args.cases, args.split)
    except CaseError as exc:
        print(f"ingest benchmark: {exc}", file=sys.stderr)
        return 2
    if not cases:
        print(f"ingest benchmark: {args.cases}: no {args.split} case folders (*/expected.yaml)", file=sys.stderr)
        return 2
    command = askbot_command()
    scores = [score_case(case, run_ingest(case.input, command=command)) for case in cases]
    return 0 if report(scores, verbose=args.verbose) else 1


if __name__ == "__main__":
    sys.exit(main())
