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


def finish(found: list[Pair], report: Report, *, markdown: bool = False) -> list[Pair]:
    """Pairs with noise trimmed from their answers' edges; empty answers dropped (reported).

    A line that opens two or more answers and is only a name (the speaker's name on a line of
    its own) is noise; so are short paragraphs that are not sentences after the last answer,
    unless they are code in ``markdown`` (an indented or fenced block).
    """
    openers = Counter(_first_line(p.answer) for p in found)
    names = frozenset(line for line, n in openers.items() if n >= 2 and _looks_like_name(line))
    _strip_recurring_labels(found, report)
    kept = []
    for pair in found:
        trimmed = noise.trim(_without_attribution(pair, report), report, first_line=pair.answer_line, name_lines=names)
        if pair is found[-1]:
            trimmed = _without_trailing_furniture(trimmed, report, pair.answer_line, markdown=markdown)
        pair.answer = noise.paragraph_stamps(
            _collapse_blank_runs(_without_edge_rules(trimmed, report, pair.answer_line)), report
        )
        if pair.answer:
            kept.append(pair)
        else:
            report.drop("question with no answer", pair.question, pair.line)
    return kept


# "*Asked by @someone*", "Question from u/rustfan:", "— submitted by Jane": who sent a question in,
# set between an AMA's question and its answer. Metadata of the question, never answer text.
ATTRIBUTION = re.compile(
    r"^\s*(?:[-–—]\s*)?[*_]*\s*(?:asked|submitted|sent(?: in)?|question|posted)(?: by| from)\s+"
    r"(?P<who>@?[\w./@-]+(?: [A-Z][\w.-]*){0,3})\s*[:.]?\s*[*_]*\s*$",
    re.IGNORECASE,
)


def _without_attribution(pair: Pair, report: Report) -> list[str]:
    """An answer without the attribution lines that open it; who asked goes to ``pair.asked_by``."""
    lines = pair.answer
    start = 0
    while start < len(lines) and (not lines[start].strip() or ATTRIBUTION.match(lines[start])):
        found = ATTRIBUTION.match(lines[start])
        if found:
            pair.asked_by = found["who"]
            report.drop("attribution line (who sent the question in)", lines[start], pair.answer_line + start)
        start += 1
    return lines[start:] if any(ATTRIBUTION.match(line) for line in lines[:start]) else lines


_LEAD_LABEL = re.compile(
    r"^\s*(?:\*\*|__)?(?P<label>[A-Z0-9$][\w.'’$-]*(?: [A-Z][\w.'’-]*){0,3})(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*(?=\S)"
)


def _strip_recurring_labels(found: list[Pair], report: Report) -> None:
    """``DB:`` / ``**Dan Brown**:`` opening answers (``18F:`` opening questions) of a document
    whose questions were found by their structure: a label that opens two or more of them (as
    the same person: initials count) is a speaker label, not text of the answer; so is
    ``Interviewer:`` opening even one question."""
    for side in ("question", "answer"):
        heads = [_LEAD_LABEL.match(p.question if side == "question" else _first_line_raw(p.answer)) for p in found]
        names = roles.unify(m["label"] for m in heads if m)
        counts = Counter(names[m["label"]] for m in heads if m)
        for pair, head in zip(found, heads, strict=True):
            if not head:
                continue
            interviewer = side == "question" and head["label"].casefold() in roles.ASKER_LABELS
            if counts[names[head["label"]]] < 2 and not interviewer:
                continue
            report.drop(f"speaker label opening {'a question' if side == 'question' else 'an answer'}", head.group(),
                        pair.line)
            if side == "question":
                pair.question = pair.question[head.end():]
            else:
                pair.speaker = pair.speaker or roles.display(names[head["label"]])
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


_RULE = re.compile(r"^\s*(?:[-*_]\s*){3,}$")
_EDITORS_NOTE = re.compile(r"^\s*([*_])[^*_].*\1\s*$", re.DOTALL)


def _without_edge_rules(lines: list[str], report: Report, first_line: int) -> list[str]:
    """An answer without horizontal rules (or blank lines) at its start or end."""
    start, end = 0, len(lines)
    while start < end and (not lines[start].strip() or _RULE.match(lines[start])):
        if lines[start].strip():
            report.drop("horizontal rule", lines[start], first_line + start)
        start += 1
    while end > start and (not lines[end - 1].strip() or _RULE.match(lines[end - 1])):
        if lines[end - 1].strip():
            report.drop("horizontal rule", lines[end - 1], first_line + end - 1)
        end -= 1
    return lines[start:end]


def _without_trailing_furniture(lines: list[str], report: Report, first_line: int, *, markdown: bool) -> list[str]:
    """After the last answer a page goes on: a rule and what follows it (a closing note),
    an italic editor's note, short non-sentences (related links, footers). In markdown a code
    block (indented, or fenced with ``` or ~~~) is no footer: the answer that shows a command
    ends with it. (In plain text an indented line is a sign-off as often as not.)"""
    rule = next((i for i in range(len(lines) - 1, 0, -1) if _RULE.match(lines[i])), None)
    if rule is not None:
        after = " ".join(line.strip() for line in lines[rule + 1 :] if line.strip())
        report.drop("text after a rule closing the interview", after or lines[rule], first_line + rule)
        lines = _collapse_blank_runs(lines[:rule])
        while lines and not lines[-1].strip():
            lines = lines[:-1]
    end = len(lines)
    while True:
        start = end
        while start > 0 and lines[start - 1].strip():
            start -= 1
        if start == 0:
            break
        paragraph = " ".join(line.strip() for line in lines[start:end])
        if markdown and _code(lines[start:end]):
            break
        if all(noise.defines_a_link_used(line, lines[:start]) for line in lines[start:end]):
            break  # where the answer's links point ("[rg]: https://..."): part of it
        if _EDITORS_NOTE.match(paragraph):
            report.drop("editor's note after the last answer", paragraph, first_line + start)
            end = start - 1
        elif len(paragraph) < 60 and not re.search(r"[.!?\"”’)\]:;]$", paragraph):
            report.drop("page text after the last answer", paragraph, first_line + start)
            end = start - 1
        else:
            break
    return lines[:end]


def _code(block: list[str]) -> bool:
    """Whether a markdown block is code: every line indented four columns (a tab is four), or
    a line of it a fence (its closing one may be missing)."""
    fenced = any(line.lstrip().startswith(noise.FENCE) for line in block)
    return fenced or all(line.expandtabs(4)[:4].isspace() for line in block if line.strip())
