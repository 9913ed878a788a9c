"""Raw interview -> knowledge model: ``askbot ingest``'s engine, one module per job.

``document`` decodes bytes and recognises the format; ``binary`` reads PDF and Word files,
``html`` and ``captions`` turn pages and subtitles into text, ``fetch`` brings a URL's page;
``segment`` finds turns; ``roles`` decides who asks and who answers; ``pairs`` makes
question/answer pairs; ``answers`` trims them (``noise`` knows what page and recording noise
looks like); ``metadata`` finds the source; ``ids`` names the entries.
Everything dropped or skipped goes into a ``Report``. Imported only by ``askbot ingest``
(never by ``ask`` or the chat).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..model import Entry, Source
from ..settings import DEFAULT_LIMITS
from . import answers, binary, captions, html, metadata, pairs, roles, segment
from .document import FORMATS, decode, read_bytes
from .fetch import FetchError, fetch, is_url
from .ids import prefix, unique_ids
from .report import Report

__all__ = [
    "FORMATS", "FetchError", "IngestError", "Transcript", "Report", "decode", "fetch", "is_url", "parse", "read",
    "read_bytes", "source_text",
]
# What ``details`` may set (``askbot ingest --title ...``): they win over what the document says.
DETAILS = ("title", "interviewee", "interviewers", "date", "url")


class IngestError(ValueError):
    """A document that holds no interview, or more entries than a knowledge file may hold."""


@dataclass
class Transcript:
    """What ingest found: the source, the entries, who asked and answered, and what it dropped."""

    source: Source
    entries: list[Entry]
    format: str = "txt"
    style: str = ""  # how the questions were found: "speaker labels", "bold questions", ...
    askers: list[str] = field(default_factory=list)
    answerers: list[str] = field(default_factory=list)
    report: Report = field(default_factory=Report)


def read(
    data: bytes,
    *,
    name: str = "transcript",
    fmt: str | None = None,
    details: Mapping[str, str] | None = None,
    comments: bool = False,
) -> Transcript:
    """Ingest a document's bytes: decode, recognise the format (unless ``fmt`` names it), parse.

    ``details`` (keys of ``DETAILS``) set the source's fields whatever the document says;
    ``comments`` as ``parse`` takes it.
    """
    report = Report()
    text, found = _document_text(data, name, fmt, report)
    return parse(text, name=name, fmt=found, report=report, details=details, comments=comments)


def source_text(data: bytes, *, name: str = "transcript", fmt: str | None = None) -> str:
    """The text the parser reads from a document's bytes: a PDF's or Word file's words, a page's
    article as markdown, captions as labelled turns. Every answer ingest writes is made of spans
    of this text (the tests check it on every evaluation case)."""
    report = Report()
    text, found = _document_text(data, name, fmt, report)
    return _as_text(text, found, name, report)[0]


def _document_text(data: bytes, name: str, fmt: str | None, report: Report) -> tuple[str, str]:
    try:
        document = fmt if fmt in ("pdf", "docx") else binary.kind(data)
        if document == "pdf":
            return binary.pdf_text(data, report), "pdf"
        if document == "docx":
            return binary.docx_text(data, report), "docx"
    except binary.DocumentError as exc:
        raise IngestError(f"{name}: {exc}") from None
    return decode(data, name, fmt)


def parse(
    text: str,
    *,
    name: str = "transcript",
    fmt: str = "txt",
    report: Report | None = None,
    details: Mapping[str, str] | None = None,
    comments: bool = False,
) -> Transcript:
    """Parse a transcript's text into a source and entries in interview order. ``comments``: a
    host's remark that gets a long reply is a question whoever speaks (``--comments``: a
    conversational podcast's hosts prompt as often by remarks as by questions); by default only
    with one interviewer and one interviewee.

    >>> t = parse("Title\\n\\nQ: Why?\\nA: Because.\\n\\nQ: How?\\nLike this.\\n")
    >>> [(e.question, e.answer) for e in t.entries]
    [('Why?', 'Because.'), ('How?', 'Like this.')]
    """
    report = Report() if report is None else report
    text, given = _as_text(text, fmt, name, report)
    if "title" in given:  # a page's <title>/og:title: its own heading, when it has one, wins
        given["page_title"] = given.pop("title")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    front, start = metadata.front_matter(lines, report)
    given.update(front)
    given.update({key: value for key, value in (details or {}).items() if key in DETAILS and value})
    body = lines[start:]
    attempt = None
    for turns, style in _segmentations(body, start + 1):
        # Each way of reading the turns gets its own report; the first that yields pairs is kept.
        lead = body[: turns[0].line - start - 1]
        attempt = _pair_up(
            turns, style, lead, given, name, copy.deepcopy(report), markdown=fmt == "md", comments=comments
        )
        if attempt.found:
            break
    if attempt is None:
        raise IngestError(f"{name}: found no interview (looked for {LOOKED_FOR})")
    if not attempt.found:
        raise IngestError(f"{name}: found questions but no answers to them (looked for {LOOKED_FOR})")
    turns, style, cast, found, report = attempt.turns, attempt.style, attempt.cast, attempt.found, attempt.report
    askers = [roles.display(s) for s in sorted(cast.askers, key=list(cast.names.values()).index)]
    answerers = [roles.display(s) for s in cast.answerers if s.casefold() not in roles.ANSWER_LABELS] or list(
        dict.fromkeys(p.speaker for p in found if p.speaker)  # labels that opened the answers
    )
    preamble = [(start + 1 + i, line) for i, line in enumerate(body[: turns[0].line - start - 1])]
    source = metadata.source(
        preamble,
        given,
        report,
        interviewees=answerers,
        interviewers=[a for a in askers if a.casefold() not in roles.ASKER_LABELS],
        opening=" ".join(" ".join(t.lines) for t in turns[: roles.INTRODUCTION_TURNS]),
    )
    several = len({p.speaker for p in found}) > 1
    questions = [p.question for p in found]
    ids = unique_ids(questions, prefix(source, questions, several_answerers=len(answerers) > 1))
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
    return Transcript(source, entries, fmt, style, askers, answerers, report)


def _as_text(text: str, fmt: str, name: str, report: Report) -> tuple[str, dict[str, Any]]:
    """A page's or captions' text as a transcript, and the metadata a page's head gives."""
    if fmt == "html":
        try:
            page = html.extract(text, report)
        except html.PageTooDeep as exc:
            raise IngestError(f"{name}: {exc}") from None
        return page.text, page.meta
    if fmt in ("vtt", "srt"):
        return captions.to_transcript(text, report), {}
    return text, {}


LOOKED_FOR = (
    "Q:/A: or Question:/Answer: markers, recurring speaker labels, heading, bold, numbered or plain lines "
    "ending in '?', and one question answered under people's name headings"
)


def _segmentations(body: list[str], first: int) -> Iterator[tuple[list[segment.Turn], str]]:
    """The ways of reading a transcript's turns, strongest first: labels or markers, then question
    blocks, then one question answered under name headings. Each is tried only when the one
    before it made no pair, so a page whose labels are no interview still gets read."""
    turns = segment.labelled_turns(body, first)
    if turns:
        yield turns, "Q/A markers" if all(t.label is None for t in turns) else "speaker labels"
    turns, kind = segment.structural_turns(body, first)
    if turns:
        yield segment.labelled_answers(turns), f"{kind} questions"
    turns = segment.roundup_turns(body, first)
    if turns:
        yield turns, "one question, answered under each person's heading"


@dataclass
class _Attempt:
    """One way of reading the turns, and the pairs it made."""

    turns: list[segment.Turn]
    style: str
    cast: roles.Cast
    found: list[pairs.Pair]
    report: Report


def _pair_up(
    turns: list[segment.Turn],
    style: str,
    lead: list[str],
    given: dict[str, Any],
    name: str,
    report: Report,
    *,
    markdown: bool,
    comments: bool,
) -> _Attempt:
    """Cast the speakers of ``turns`` and pair their questions and answers (``markdown``: the
    transcript is a markdown file, whose indented and fenced blocks are code; ``comments`` as
    ``parse`` takes it)."""
    cast = roles.cast(
        [(t.label, " ".join(t.lines)) for t in turns if t.label is not None and t.role != "section"],
        interviewers=_byline_names(lead),
        interviewees=_names(given.get("interviewee")),
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
        found = pairs.pairs(turns, role_of, report, limit=DEFAULT_LIMITS.max_entries, comments=comments)
    except OverflowError:
        most = DEFAULT_LIMITS.max_entries
        raise IngestError(f"{name}: more than {most:,} questions; the limit is {most:,}") from None
    return _Attempt(turns, style, cast, answers.finish(found, report, markdown=markdown), report)


def _names(value: Any) -> list[str]:
    """Names given as a list or one text (front matter ``speakers: [A, B]`` or ``guest: A``)."""
    if isinstance(value, list):
        return [str(v) for v in value]
    return metadata.names_in(str(value)) if value else []


def _byline_names(lines: list[str]) -> list[str]:
    for line in lines:
        byline = metadata.BYLINE.match(line.strip())
        if byline:
            return metadata.names_in(byline["names"])
    return []
