"""Raw interview -> knowledge model: ``askbot ingest``'s engine, one module per job.

``document`` decodes bytes and recognises the format; ``html`` and ``captions`` turn pages and
subtitles into text; ``segment`` finds turns; ``roles`` decides who asks and who answers;
``pairs`` makes question/answer pairs; ``noise`` trims page and recording noise from their
edges; ``metadata`` finds the source; ``ids`` names the entries. Everything dropped or skipped
goes into a ``Report``. Imported only by ``askbot ingest`` (never by ``ask`` or the chat).
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..knowledge import MAX_ENTRIES
from ..model import Entry, Source
from . import captions, html, metadata, noise, pairs, roles, segment
from .document import FORMATS, decode, read_bytes
from .ids import slug, unique_ids
from .report import Report

__all__ = ["FORMATS", "IngestError", "Transcript", "Report", "decode", "parse", "read", "read_bytes"]


class IngestError(ValueError):
    """A document that holds no interview, or more entries than a knowledge file may hold."""


@dataclass
class Transcript:
    """What ingest found: the source, the entries, who asked and answered, and what it dropped."""

    source: Source
    entries: list[Entry]
    format: str = "txt"
    style: str = ""
    askers: list[str] = field(default_factory=list)
    answerers: list[str] = field(default_factory=list)
    report: Report = field(default_factory=Report)


def read(data: bytes, *, name: str = "transcript", fmt: str | None = None) -> Transcript:
    """Ingest a document's bytes: decode, recognise the format (unless ``fmt`` names it), parse."""
    text, found = decode(data, name, fmt)
    return parse(text, name=name, fmt=found)


def parse(text: str, *, name: str = "transcript", fmt: str = "txt") -> Transcript:
    """Parse a transcript's text into a source and entries in interview order.

    >>> t = parse("Title\\n\\nQ: Why?\\nA: Because.\\n\\nQ: How?\\nLike this.\\n")
    >>> [(e.question, e.answer) for e in t.entries]
    [('Why?', 'Because.'), ('How?', 'Like this.')]
    """
    report = Report()
    given: dict[str, Any] = {}
    if fmt == "html":
        try:
            page = html.extract(text, report)
        except html.PageTooDeep as exc:
            raise IngestError(f"{name}: {exc}") from None
        text, given = page.text, page.meta
    elif fmt in ("vtt", "srt"):
        text = captions.to_transcript(text, report)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    front, start = metadata.front_matter(lines, report)
    given.update(front)
    body = lines[start:]
    turns = segment.labelled_turns(body, start + 1)
    style = ("Q/A markers" if all(t.label is None for t in turns) else "speaker labels") if turns else ""
    if not turns:
        turns, style = segment.structural_turns(body, start + 1)
    if not turns:
        raise IngestError(
            f"{name}: found no interview (looked for Q:/A: or Question:/Answer: markers, recurring speaker "
            "labels, and heading, bold, numbered or plain lines ending in '?')"
        )
    cast = roles.cast(
        [(t.label, " ".join(t.lines)) for t in turns if t.label is not None],
        interviewers=_byline_names(body[: turns[0].line - start - 1]),
        questions_marked=any(t.marker for t in turns),
    )

    def role_of(turn: segment.Turn) -> tuple[str, str | None]:
        if turn.label is None:
            return turn.role or "A", None
        who = cast.name(turn.label)
        if turn.role:
            return turn.role, roles.display(who)
        return ("Q" if who in cast.askers else "A"), roles.display(who)

    try:
        found = pairs.pairs(turns, role_of, report, limit=MAX_ENTRIES)
    except OverflowError:
        raise IngestError(f"{name}: more than {MAX_ENTRIES:,} questions; the limit is {MAX_ENTRIES:,}") from None
    found = _trimmed(found, report)
    if not found:
        raise IngestError(f"{name}: found questions but no answers to them")
    askers = [roles.display(s) for s in sorted(cast.askers, key=list(cast.names.values()).index)]
    answerers = [roles.display(s) for s in cast.answerers if s.casefold() not in roles.ANSWER_LABELS]
    preamble = [(start + 1 + i, line) for i, line in enumerate(body[: turns[0].line - start - 1])]
    source = metadata.source(
        preamble,
        given,
        report,
        interviewees=answerers,
        interviewers=[a for a in askers if a.casefold() not in roles.ASKER_LABELS],
    )
    several = len({p.speaker for p in found}) > 1
    prefix = slug(source.interviewee if len(answerers) <= 1 and source.interviewee else source.title) or (
        f"i{zlib.crc32(source.title.encode()):08x}"  # a title with no Latin letters (e.g. Chinese)
    )
    ids = unique_ids([p.question for p in found], prefix)
    entries = [
        Entry(
            id=entry_id,
            question=pair.question,
            answer="\n".join(pair.answer),
            source=source,
            position=n,
            of=len(found),
            speaker=pair.speaker if several else None,
        )
        for n, (entry_id, pair) in enumerate(zip(ids, found, strict=True), 1)
    ]
    return Transcript(source, entries, fmt, f"{style} questions" if style in segment.KINDS else style, askers,
                      answerers, report)


def _byline_names(lines: list[str]) -> list[str]:
    for line in lines:
        byline = metadata.BYLINE.match(line.strip())
        if byline:
            return metadata.names_in(byline["names"])
    return []


def _trimmed(found: list[pairs.Pair], report: Report) -> list[pairs.Pair]:
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


def _strip_recurring_labels(found: list[pairs.Pair], report: Report) -> None:
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
