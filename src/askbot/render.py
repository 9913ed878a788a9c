"""Match -> text for a terminal, or a JSON-ready dict for scripts. Returns strings, never prints.

Answers come from downloaded files, so text output makes control characters and terminal escape
sequences visible instead of letting them act on the reader's terminal; JSON output keeps the
text exact and lets ``json`` escape it.
"""

from __future__ import annotations

import re
from typing import Any

from .model import Candidate, Entry, Match, Source

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def safe(text: str) -> str:
    """Text with control characters (ESC, BEL, ...) shown as ``^[``-style escapes; newlines and
    tabs kept.

    >>> safe("ok\\x1b[2J\\a")
    'ok^[[2J^G'
    """
    return _CONTROL.sub(lambda m: _caret(m.group()), text)


def _caret(ch: str) -> str:
    code = ord(ch)
    if code < 0x20 or code == 0x7F:
        return "^" + chr(code ^ 0x40)
    return f"\\x{code:02x}"


def source_line(entry: Entry) -> str:
    """Who said it, where, when, and which question of how many.

    >>> from askbot.model import Source, Entry
    >>> src = Source("T", interviewee="Ann", role="CEO", publisher="Pub", date="2020-01-02")
    >>> source_line(Entry("x", "Q?", "A.", src, position=2, of=5))
    '- Ann, CEO · Pub, 2020-01-02 · question 2 of 5'
    """
    src = entry.source
    who = ", ".join(part for part in (src.interviewee, src.role) if part) or src.title
    where = ", ".join(part for part in (src.publisher or src.title, src.date) if part)
    return safe(f"- {who} · {where} · question {entry.position} of {entry.of}")


def source_details(source: Source) -> str:
    """Every field of a source, one per line (the chat's ``/source``)."""
    lines = []
    for key, value in source.as_dict().items():
        if value in (None, [], ""):
            continue
        shown = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
        lines.append(f"{key}: {shown}")
    return safe("\n".join(lines))


def answer_text(match: Match, *, several_sources: bool = False) -> str:
    """The text ``askbot ask`` prints: answer, source line, follow-ups; or an honest "no"."""
    if match.entry is None:
        return not_answered_text(match)
    entry = match.entry
    lines = [safe(entry.answer), "", source_line(entry)]
    if several_sources:
        lines.append(safe(f"  ({entry.source.title})"))
    if match.follow_ups:
        lines += ["", "Related questions:"]
        lines += [f"  {n}. {safe(f.question)}" for n, f in enumerate(match.follow_ups, 1)]
    return "\n".join(lines)


def not_answered_text(match: Match) -> str:
    """What askbot says when it is not confident enough to answer."""
    if match.ambiguous:
        head = "I am not sure which question you mean. Did you mean:"
    elif match.alternatives:
        head = "I don't know that from this interview. Did you mean:"
    else:
        head = "I don't know: the interview does not cover that."
    lines = [head]
    lines += [f"  {n}. {safe(c.entry.question)}" for n, c in enumerate(match.alternatives, 1)]
    return "\n".join(lines)


def suggestions_text(entries: list[Entry]) -> str:
    """A few questions askbot can answer, offered when it cannot answer the one asked."""
    lines = ["You can ask, for example:"]
    lines += [f"  - {safe(entry.question)}" for entry in entries]
    return "\n".join(lines)


def match_dict(match: Match) -> dict[str, Any]:
    """The ``askbot ask --json`` object (a contract: scripts depend on these keys)."""
    entry = match.entry
    return {
        "query": match.query,
        "matched": entry is not None,
        "id": entry.id if entry else None,
        "question": entry.question if entry else None,
        "answer": entry.answer if entry else None,
        "score": match.score,
        "ambiguous": match.ambiguous,
        "source": _source_dict(entry) if entry else None,
        "follow_ups": [{"id": f.id, "question": f.question} for f in match.follow_ups],
        "alternatives": [_candidate_dict(c) for c in match.alternatives],
        "why": match.why.as_dict() if match.why else None,
    }


def why_text(match: Match) -> str:
    """The ``--explain`` line: which of the reader's words the best candidate accounts for,
    which it does not, and any penalty.

    >>> from askbot.model import Why
    >>> why_text(Match("q", None, 20.0, why=Why(("talent",), ("mayor",), ())))
    'why: matched: talent; not matched: mayor'
    """
    if match.why is None:
        return "why: no entry shares a word with the question"
    return safe(f"why: {match.why}")


def error_dict(query: str, error: str) -> dict[str, Any]:
    """A batch line that could not be asked (blank, not UTF-8, ...): still one JSON object."""
    return {
        "query": query,
        "matched": False,
        "id": None,
        "question": None,
        "answer": None,
        "score": 0.0,
        "ambiguous": False,
        "source": None,
        "follow_ups": [],
        "alternatives": [],
        "why": None,
        "error": error,
    }


def _source_dict(entry: Entry) -> dict[str, Any]:
    data = entry.source.as_dict()
    data.update(position=entry.position, of=entry.of, file=entry.path)
    return data


def _candidate_dict(candidate: Candidate) -> dict[str, Any]:
    return {"id": candidate.entry.id, "question": candidate.entry.question, "score": candidate.score}
