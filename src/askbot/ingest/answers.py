"""Answers made final: noise trimmed from their edges, speaker labels and name lines that open
them removed, page text after the last one dropped. Every removal is reported; the text in
between is never touched.
"""

from __future__ import annotations

import re
from collections import Counter

from . import noise, roles
from .pairs import Pair
from .report import Report


def finish(found: list[Pair], report: Report) -> list[Pair]:
    """Pairs with noise trimmed from their answers' edges; empty answers dropped (reported).

    A line that opens two or more answers and is only a name (the speaker's name on a line of
    its own) is noise; so are short paragraphs that are not sentences after the last answer.
    """
    openers = Counter(_first_line(p.answer) for p in found)
    names = frozenset(line for line, n in openers.items() if n >= 2 and _looks_like_name(line))
    _strip_recurring_labels(found, report)
    kept = []
    for pair in found:
        trimmed = noise.trim(pair.answer, report, first_line=pair.answer_line, name_lines=names)
        pair.answer = _collapse_blank_runs(trimmed)
        if pair is found[-1]:
            pair.answer = _without_trailing_furniture(pair.answer, report, pair.answer_line)
        if pair.answer:
            kept.append(pair)
        else:
            report.drop("question with no answer", pair.question, pair.line)
    return kept


_LEAD_LABEL = re.compile(
    r"^\s*(?:\*\*|__)?(?P<label>[A-Z0-9$][\w.'’$-]*(?: [A-Z][\w.'’-]*){0,3})(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*(?=\S)"
)


def _strip_recurring_labels(found: list[Pair], report: Report) -> None:
    """``DB:`` / ``**Dan Brown**:`` opening answers (``18F:`` opening questions) of a document
    whose questions were found by their structure: a label that opens two or more of them (as
    the same person: initials count) is a speaker label, not text of the answer."""
    for side in ("question", "answer"):
        heads = [_LEAD_LABEL.match(p.question if side == "question" else _first_line_raw(p.answer)) for p in found]
        names = roles.unify(m["label"] for m in heads if m)
        counts = Counter(names[m["label"]] for m in heads if m)
        for pair, head in zip(found, heads, strict=True):
            if not head or counts[names[head["label"]]] < 2:
                continue
            report.drop(f"speaker label opening {'a question' if side == 'question' else 'an answer'}", head.group(),
                        pair.line)
            if side == "question":
                pair.question = pair.question[head.end():]
            else:
                index = next(i for i, line in enumerate(pair.answer) if line.strip())
                pair.answer = [*pair.answer[:index], pair.answer[index][head.end():], *pair.answer[index + 1:]]


def _first_line_raw(lines: list[str]) -> str:
    return next((line for line in lines if line.strip()), "")


def _first_line(lines: list[str]) -> str:
    return next((line.strip().strip("*_:").strip() for line in lines if line.strip()), "")


def _looks_like_name(line: str) -> bool:
    return 0 < len(line.split()) <= 4 and bool(re.match(r"^[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*)*$", line))


def _collapse_blank_runs(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        if line.strip() or (out and out[-1].strip()):
            out.append(line if line.strip() else "")
    return out


def _without_trailing_furniture(lines: list[str], report: Report, first_line: int) -> list[str]:
    """After the last answer a page goes on (related links, footers): short non-sentences."""
    end = len(lines)
    while True:
        start = end
        while start > 0 and lines[start - 1].strip():
            start -= 1
        if start == 0:
            break
        paragraph = " ".join(line.strip() for line in lines[start:end])
        if len(paragraph) < 60 and not re.search(r"[.!?\"”’)\]:;]$", paragraph):
            report.drop("page text after the last answer", paragraph, first_line + start)
            end = start - 1
        else:
            break
    return lines[:end]
