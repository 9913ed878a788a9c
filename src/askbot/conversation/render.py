"""Match -> text for a terminal, or a JSON-ready dict for scripts. Returns strings, never prints.

Answers come from downloaded files, so text output makes control characters and terminal escape
sequences visible instead of letting them act on the reader's terminal; JSON output keeps the
text exact and lets ``json`` escape it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from ..matching.text import normalize, sentence_starts
from ..model import Candidate, Entry, KnowledgeBase, Match, Source
from . import shelf
from .meta import MetaAnswer
from .turn import Turn

# What a reply is made of: (style, text) pairs, the shape prompt_toolkit prints; joined, the
# plain text a pipe or ``askbot ask`` prints. The chat and ``ask`` share every wording.
Fragments = list[tuple[str, str]]

#: A question in a numbered list ("Related questions", "Did you mean") is shown in at most this
#: many characters (``shortened``): an ingested host's turn can run to a paragraph that asks in
#: its last sentence, and three of them would bury the list. The number picks it all the same;
#: the answer's heading in ``askbot ask`` and ``--json`` give it whole. (The chat cuts it again
#: to what its screen lines hold.)
LISTED_CHARS = 200
#: The sentence of the answer just above that a line asks about is quoted whole up to this many
#: characters (four lines of a wide terminal: most sentences of a spoken answer, whole), and cut
#: around its word past it: a transcript's paragraph with no stop is one "sentence".
QUOTED_CHARS = 2 * LISTED_CHARS

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# The bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069), which would make the
# text around them read in another order than it is written. A table, not more of the pattern:
# a character class reaching past U+00FF costs the pattern five times its compile time, which
# every ``askbot ask`` would pay.
_BIDI = {code: f"\\u{code:04x}" for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def safe(text: str) -> str:
    """Text with control characters (ESC, BEL, ...) shown as ``^[``-style escapes and direction
    overrides as ``\\u202e``; newlines and tabs kept.

    >>> safe("ok\\x1b[2J\\a"), safe("abc\\u202edef")
    ('ok^[[2J^G', 'abc\\\\u202edef')
    """
    if not text.isascii():
        text = text.translate(_BIDI)
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
    if entry.speaker and entry.speaker != src.interviewee:
        who = entry.speaker
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


def plain(fragments: Fragments) -> str:
    """Fragments as the text a pipe or ``askbot ask`` prints."""
    return "".join(text for _, text in fragments)


def heading(entry: Entry) -> Fragments:
    """The interview question an answer answers, on one line, above it: after "why?", "more" or a
    number the reader still sees what is being answered. (The chat cuts it to the terminal's width.)

    >>> from askbot.model import Source, Entry
    >>> heading(Entry("x", "Why\\n Hangzhou?", "A.", Source("T")))
    [('class:heading', 'Q: Why Hangzhou?\\n')]
    """
    return [("class:heading", safe("Q: " + " ".join(entry.question.split())) + "\n")]


def answer(entry: Entry, follow_ups: Sequence[Entry], *, several: bool = False) -> Fragments:
    """An interview answer: the question it answers, the verbatim text, its source line, then
    related questions."""
    fragments: Fragments = [
        *heading(entry),
        ("class:answer", safe(entry.answer) + "\n"),
        ("class:dim", source_line(entry) + "\n"),
    ]
    return fragments + related(follow_ups, several=several, shown=entry)


def related(entries: Sequence[Entry], *, several: bool = False, shown: Entry | None = None) -> Fragments:
    """The numbered "Related questions" after an answer (none, nothing shown); ``shown``, the
    entry answered above them."""
    if not entries:
        return []
    return [("class:dim", "Related questions:\n"), *numbered(entries, several=several, shown=shown)]


def numbered(
    entries: Sequence[Entry], *, several: bool = False, start: int = 1, shown: Entry | None = None
) -> Fragments:
    """A numbered list of questions (``shortened``), each with its interviewee when several
    interviews are loaded, and with who answers it when the list, or the answer ``shown`` above
    it, has the same question twice: two guests answering one host's question are two entries.

    >>> from askbot.model import Source, Entry
    >>> same = "What changed?"
    >>> both = [Entry("a", same, "A.", Source("T"), speaker="Ann"), Entry("b", same, "B.", Source("T"), speaker="Bo")]
    >>> print(plain(numbered(both)), end="")
      1. What changed? (Ann's answer)
      2. What changed? (Bo's answer)
    """
    listed = [*entries, *([shown] if shown else [])]
    asked = [normalize(entry.question) for entry in listed]
    speakers: dict[str, set[str | None]] = {}
    for question, entry in zip(asked, listed, strict=True):
        speakers.setdefault(question, set()).add(entry.speaker)
    lines: Fragments = []
    for n, (question, entry) in enumerate(zip(asked, entries, strict=False), start):
        shown_as = shortened(safe(entry.question), LISTED_CHARS)
        whose_answer = safe(f" ({entry.speaker}'s answer)") if entry.speaker and len(speakers[question]) > 1 else ""
        lines.append(("class:option", f"  {n}. {shown_as}{whose_answer}{_whose(entry, several)}\n"))
    return lines


def shortened(question: str, limit: int) -> str:
    """``question`` on one line, in at most ``limit`` characters when it is longer: its opening
    words, "…", and as many of its last sentences as fit in two thirds of the room (a host's long
    turn sets the scene first and asks last), or its last words when its last sentence alone is
    longer than that. Both parts are the question's own text, cut between words.

    >>> shortened("Hi. So, the CDC said July 1st, a long way off. Is that early?", 44)
    'Hi. So, the CDC said July … Is that early?'
    >>> shortened("Given all that happened with the regulators last year, what would you tell a student?", 60)
    'Given all that … year, what would you tell a student?'
    """
    flat = " ".join(question.split())
    if len(flat) <= limit:
        return flat
    if limit < 5:
        return flat[:limit]
    room = limit - 3  # " … "
    keep = room * 2 // 3
    tail_at = next((at for at in sentence_starts(flat) if at and len(flat) - at <= keep), None)
    if tail_at is None:
        tail_at = _word_start(flat, len(flat) - keep)
    tail = flat[tail_at:]
    return f"{_word_end(flat, room - len(tail))} … {tail}"


def _word_start(text: str, at: int) -> int:
    """The first place at or after ``at`` where a word of ``text`` starts (``at`` when none does)."""
    if text[at - 1] == " ":
        return at
    space = text.find(" ", at)
    return space + 1 if 0 <= space < len(text) - 1 else at


def _word_end(text: str, at: int) -> str:
    """``text`` up to ``at``, back to the end of its last whole word (cut there when it has none)."""
    if at >= len(text) or text[at] == " ":
        return text[:at].rstrip()
    whole = text[:at].rsplit(" ", 1)[0]
    return whole.rstrip() if " " in text[:at] else text[:at]


def _whose(entry: Entry, several: bool) -> str:
    return safe(f" — {shelf.label(entry.source)}") if several else ""


def did_you_mean(entries: Sequence[Entry], *, ambiguous: bool, several: bool = False) -> Fragments:
    """askbot's "did you mean" list, when it is not sure enough to answer."""
    head = "I'm not sure which question you mean." if ambiguous else "I'm not sure the interview covers that."
    return [("", f"{head} Did you mean:\n"), *numbered(entries, several=several)]


def not_covered(suggestions: Sequence[Entry], *, several: bool = False, narrowed: bool = False) -> Fragments:
    """The honest "no", with a few questions askbot can answer instead; ``narrowed`` when the
    question was put to one of several interviews."""
    what = "the interviews do not" if several and not narrowed else "the interview does not"
    if not suggestions:
        return [("", f"I don't know: {what} cover that.\n")]
    return [("", f"I don't know: {what} cover that. You could ask:\n"), *numbered(suggestions, several=several)]


def whose(entries: Sequence[Entry]) -> Fragments:
    """The question askbot asks when two interviews both answer: whose answer?"""
    names = [shelf.possessive(entry.source) for entry in entries]
    choice = " or ".join([", ".join(names[:-1]), names[-1]])
    return [
        ("", safe(f"Whose answer — {choice}? Type a name, a number or “both”.\n")),
        *numbered(entries, several=True),
    ]


def also_answered(entries: Sequence[Entry]) -> Fragments:
    """After an answer from one interview: which others answer the question about as well."""
    names = ", ".join(shelf.label(entry.source) for entry in entries)
    return [("class:dim", safe(f"Also answered in the interview with {names} (--interview NAME to choose).\n"))]


def meta_answer(meta: MetaAnswer, *, more: str = "") -> Fragments:
    """A reply about the interview itself, marked as coming from its source details; ``more``
    says where the rest of them are (the chat's ``/source``)."""
    where = f"; {more}" if more else ""
    return [
        ("class:meta", safe(meta.text) + "\n"),
        ("class:dim", f"(from the source details, not an answer given in the interview{where})\n"),
    ]


def reply(turn: Turn, *, several: bool = False, narrowed: bool = False, more: str = "") -> Fragments:
    """What a turn says (``turn.decide``), in the chat and ``askbot ask`` alike: ``several`` when
    more than one interview is loaded, ``narrowed`` when the question was put to one of them;
    ``more`` says where more source details are (a meta answer's last line)."""
    decision, match = turn.decision, turn.match
    if decision == "meta":
        assert turn.meta is not None
        return meta_answer(turn.meta, more=more)
    if decision == "whose":
        return whose(turn.rivals)
    if decision == "parts":
        return _parts(turn, several=several)
    if decision == "answer" and match.entry is not None:
        return answer(match.entry, turn.related, several=several)
    if decision in ("again", "no-more"):
        return _above(turn, several=several)
    listed = turn.listed
    if turn.reading == "context" and turn.leaned_on is not None:
        where = f"the answer just above ({_place(turn.leaned_on)}) or to another question"
        if decision == "choices":
            return [("", f"I couldn't tie that to {where}. Did you mean:\n"), *numbered(listed, several=several)]
        head = f"I couldn't tie that to {where}, and the interview does not seem to cover it."
        return _offer(head, listed, several=several)
    if turn.reading == "repair":
        if decision == "choices":
            return [("", "Then did you mean:\n"), *numbered(listed, several=several)]
        return _offer("I find no other question for that.", listed, several=several)
    if decision == "choices":
        return did_you_mean(listed, ambiguous=match.ambiguous, several=several)
    return not_covered(listed, several=several, narrowed=narrowed)


def _above(turn: Turn, *, several: bool) -> Fragments:
    """The line asks again for the answer just read ("again"), or comes back to it and nothing
    else speaks of it ("no-more"): say which answer, never serve another in its place."""
    entry = turn.match.entry if turn.decision == "again" else turn.leaned_on
    assert entry is not None
    whose_answer = f"{shelf.possessive(entry.source)} answer just above ({_place(entry)})"
    if turn.decision == "again":
        head = f"That is {whose_answer}."
    else:
        head = f"I find nothing more on that than {whose_answer}."
    said = "It says" if turn.decision == "again" else "The nearest it comes"
    return [
        ("", safe(head) + "\n"),
        *heading(entry),
        *_quoted(turn, said),
        *related(turn.related, several=several, shown=entry),
    ]


def _quoted(turn: Turn, said: str) -> Fragments:
    """The sentence of the answer just above that the line asks about (``Turn.quote``), after
    ``said``; one longer than ``QUOTED_CHARS`` is cut around the word it was chosen for, marked
    "…" where cut, so a transcript's paragraph with no stop does not fill the screen again."""
    if turn.quote is None:
        return []
    return [("class:answer", safe(f"{said}: “{around(turn.quote.text, turn.quote.at, QUOTED_CHARS)}”") + "\n")]


def around(text: str, at: int, limit: int) -> str:
    """``text`` cut to about ``limit`` characters around position ``at``, at spaces, "…" where cut.

    >>> around("one two three four five six seven", 14, 12)
    '… three four …'
    >>> around("short", 0, 12)
    'short'
    """
    if len(text) <= limit:
        return text
    start = max(0, min(at - limit // 2, len(text) - limit))
    end = start + limit
    if start and not text[start - 1].isspace():
        start = text.find(" ", start) + 1 or start
    if end < len(text):
        end = text.rfind(" ", start, end) if " " in text[start:end] else end
    return f"{'… ' if start else ''}{text[start:end].strip()}{' …' if end < len(text) else ''}"


def _parts(turn: Turn, *, several: bool) -> Fragments:
    """Each part of a compound question answered in turn; one related list, at the end."""
    fragments: Fragments = []
    for n, part in enumerate(turn.parts):
        if n:
            fragments.append(("", "\n"))
        entry = part.match.entry
        if part.decision == "meta" and part.meta is not None:
            fragments += meta_answer(part.meta)
        elif part.decision == "again" and entry is not None:
            fragments += [("", f"“{safe(part.match.query)}”: the answer just above.\n"), *_quoted(part, "It says")]
        elif part.decision == "answer" and entry is not None:
            fragments += answer(entry, (), several=several)
        else:
            fragments += [("", f"“{safe(part.match.query)}”: I'm not sure the interview covers that.\n")]
    return fragments + related(turn.listed, several=several)


def _place(entry: Entry) -> str:
    return f"question {entry.position} of {entry.of}"


def _offer(head: str, entries: Sequence[Entry], *, several: bool) -> Fragments:
    if not entries:
        return [("", head + "\n")]
    return [("", f"{head} You could ask:\n"), *numbered(entries, several=several)]


def answer_text(match: Match, *, several_sources: bool = False) -> str:
    """The matcher's verdict as ``askbot ask`` prints it when it picks the best of several
    interviews' answers: the same words as the chat, without colour."""
    if match.entry is not None:
        fragments = answer(match.entry, match.follow_ups, several=several_sources)
    elif match.alternatives:
        entries = [c.entry for c in match.alternatives]
        fragments = did_you_mean(entries, ambiguous=match.ambiguous, several=several_sources)
    else:
        fragments = not_covered((), several=several_sources)
    return plain(fragments).rstrip("\n")


def markdown(kb: KnowledgeBase, sources: Sequence[Source]) -> str:
    """Interviews as markdown (``askbot export``): each one's title and source details, then every
    question in interview order as a heading with its answer below it, word for word.

    Control characters are made visible as everywhere askbot shows text (``safe``); nothing
    else is changed, so markdown an answer holds (an ingested page's links) stays markdown.
    """
    blocks: list[str] = []
    for source in sources:
        lines = [f"# {_one_line(source.title)}", ""]
        details = _details(source)
        if details:
            lines += [details, ""]
        for entry in (entry for entry in kb if entry.source == source):
            lines += [f"## {entry.position}. {_one_line(entry.question)}", ""]
            if entry.speaker and entry.speaker != source.interviewee:
                lines += [f"*{_one_line(entry.speaker)}:*", ""]
            lines += [safe(entry.answer.strip("\n")), ""]
        blocks.append("\n".join(lines))
    return "\n".join(blocks)


def _details(source: Source) -> str:
    """Who was interviewed, by whom, where and when, as one line."""
    who = ", ".join(part for part in (source.interviewee, source.role) if part)
    by = f"interviewed by {' and '.join(source.interviewers)}" if source.interviewers else ""
    where = ", ".join(part for part in (source.publisher, source.date) if part)
    parts = [part for part in (who, by, where, source.event, f"<{source.url}>" if source.url else "") if part]
    return safe(" · ".join(" ".join(part.split()) for part in parts))


def _one_line(text: str) -> str:
    return safe(" ".join(text.split()))


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
        "follow_ups": [
            {"id": f.id, "question": f.question, "interview": interview_dict(f.source)} for f in match.follow_ups
        ],
        "alternatives": [_candidate_dict(c) for c in match.alternatives],
        "interview": interview_dict(entry.source) if entry else None,
        "meta": None,
        "why": match.why.as_dict() if match.why else None,
    }


def meta_dict(query: str, meta: MetaAnswer) -> dict[str, Any]:
    """The ``--json`` object for a question about the interview itself.

    Answered (``matched`` true, exit 0) but not from the interview: ``id``, ``question`` and
    ``answer`` stay null, as no interview answer was given; ``meta`` holds what was asked
    (``kind``), the reply and the full source details it came from.
    """
    data = error_dict(query, "")
    del data["error"]
    data.update(
        matched=True,
        score=100.0,
        interview=interview_dict(meta.sources[0]) if len(meta.sources) == 1 else None,
        meta={"kind": meta.kind.value, "text": meta.text, "sources": [s.as_dict() for s in meta.sources]},
    )
    return data


def interview_dict(source: Source) -> dict[str, Any]:
    """Which interview a result comes from, as ``--json`` names it."""
    return {"title": source.title, "interviewee": source.interviewee}


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
        "interview": None,
        "meta": None,
        "why": None,
        "error": error,
    }


def _source_dict(entry: Entry) -> dict[str, Any]:
    data = entry.source.as_dict()
    data.update(position=entry.position, of=entry.of, file=entry.path, speaker=entry.speaker)
    return data


def _candidate_dict(candidate: Candidate) -> dict[str, Any]:
    entry = candidate.entry
    return {
        "id": entry.id,
        "question": entry.question,
        "score": candidate.score,
        "interview": interview_dict(entry.source),
    }
