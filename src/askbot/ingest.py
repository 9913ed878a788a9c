"""Raw interview transcript -> knowledge model.

Transcripts come from web pages, so the parser expects noise: navigation lines before the title,
sign-in prompts after the last answer, a first answer with no ``A:`` marker, curly quotes and
numbered lists. It reads ``Q:``/``A:``, ``Q.``/``A.``, ``Question:``/``Answer:``, markdown
``**Q:**`` and speaker-labelled lines (``Interviewer:`` / ``NAME:``). Answers are kept verbatim;
everything it drops or cannot parse is reported back as a note, never silently lost.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .model import Entry, Source

# Lines web pages wrap around an article; dropped wherever they stand outside an answer.
NOISE_LINES = re.compile(
    r"^(hot search keywords|please sign in first|sign in|log ?in|register|share( this)?|"
    r"related (articles|posts|news)|advertisement|read more|subscribe.*|comments?( \(\d+\))?|"
    r"previous|next|tags?:.*|copyright.*|all rights reserved.*)$",
    re.IGNORECASE,
)
_MARK = r"(?:\*\*|__)?"
MARKER = re.compile(
    rf"^\s*{_MARK}\s*(?P<kind>Q|A|Question|Answer)\s*\d*\s*(?:[:：]|\.(?=\s)|\)(?=\s))\s*{_MARK}\s*"
    rf"(?P<rest>.*)$",
    re.IGNORECASE,
)
SPEAKER = re.compile(
    rf"^\s*{_MARK}(?P<label>[A-Z][\w.'’\-]*(?: [A-Z][\w.'’\-]*){{0,3}}){_MARK}"
    rf"\s*:\s*{_MARK}\s*(?P<rest>\S.*)$"
)
INTERVIEWER_LABELS = {
    "interviewer",
    "host",
    "moderator",
    "reporter",
    "journalist",
    "editor",
    "q",
    "question",
}
MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        1,
    )
    for name in names
}
DATE_WORDS = re.compile(r"\b([A-Z][a-z]{2,8})\.? (\d{1,2}),? (\d{4})\b")
DATE_WORDS_DMY = re.compile(r"\b(\d{1,2}) ([A-Z][a-z]{2,8}),? (\d{4})\b")
DATE_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
BYLINE = re.compile(r"^\s*(?:by|interview(?:ed)? by|written by)\s+(?P<names>.+)$", re.IGNORECASE)
INTERVIEW_WITH = re.compile(
    r"interview(?:ed)? with (?P<name>[A-Z][\w'’\-]+(?: [A-Z][\w'’\-]+){0,3})"
    r"(?:, (?P<role>[^,.]+?))?(?:,? (?:at|during) (?:the )?(?P<event>[^.]+?))?[.,]"
)
PROGRAM = re.compile(r"[“\"](?P<name>[^”\"]{2,60})[”\"] (?:column|program|programme|show|podcast|series)")
STOPWORDS = frozenset(
    "a an the of in on at to for and or is are was were be been will would can could do does did "
    "how what why when where who which whom whose there this that these those it its your you "
    "we our they their i me my about from with by as into than then so such has have had".split()
)


@dataclass
class Transcript:
    """What ``parse`` found: the source, the entries and notes on what it left out."""

    source: Source
    entries: list[Entry]
    notes: list[str] = field(default_factory=list)


@dataclass
class _Turn:
    kind: str  # "Q" or "A"
    line: int
    lines: list[str]


def parse(text: str, *, name: str = "transcript") -> Transcript:
    """Parse a transcript's text into a source and entries in interview order.

    >>> t = parse("Title\\n\\nQ: Why?\\nA: Because.\\n\\nQ: How?\\nLike this.\\n")
    >>> [(e.question, e.answer) for e in t.entries]
    [('Why?', 'Because.'), ('How?', 'Like this.')]
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    notes: list[str] = []
    turns, first_turn_line, interviewee = _turns(lines)
    if not turns:
        raise ValueError(f"{name}: found no questions (no Q:/A:, Question:/Answer: or speaker labels)")
    preamble = lines[: first_turn_line - 1]
    _strip_trailing_noise(turns[-1], notes)
    pairs = _pairs(turns, notes)
    source = _source(preamble, interviewee, notes)
    ids = _unique_ids([question for question, _ in pairs])
    entries = [
        Entry(id=entry_id, question=question, answer=answer, source=source, position=n, of=len(pairs))
        for n, (entry_id, (question, answer)) in enumerate(zip(ids, pairs, strict=True), 1)
    ]
    return Transcript(source, entries, notes)


def _turns(lines: list[str]) -> tuple[list[_Turn], int, str | None]:
    """Split lines into question and answer turns; marker styles win over speaker labels."""
    turns: list[_Turn] = []
    for number, line in enumerate(lines, 1):
        marker = MARKER.match(line)
        if marker:
            kind = "Q" if marker["kind"].lower().startswith("q") else "A"
            turns.append(_Turn(kind, number, [_unbold(marker["rest"])]))
        elif turns:
            turns[-1].lines.append(line)
    if any(turn.kind == "Q" for turn in turns):
        first = next(i for i, turn in enumerate(turns) if turn.kind == "Q")
        return turns[first:], turns[first].line, None
    return _speaker_turns(lines)


def _speaker_turns(lines: list[str]) -> tuple[list[_Turn], int, str | None]:
    labels = Counter(m["label"] for line in lines if (m := SPEAKER.match(line)))
    speakers = [label for label, count in labels.items() if count >= 2]
    if len(speakers) < 2:
        return [], 0, None
    asking = [s for s in speakers if s.lower() in INTERVIEWER_LABELS]
    if not asking:
        questions = Counter(m["label"] for line in lines if (m := SPEAKER.match(line)) and line.rstrip().endswith("?"))
        asking = [max(speakers, key=lambda s: (questions[s] / labels[s], labels[s]))]
    interviewer = asking[0]
    answering = max((s for s in speakers if s != interviewer), key=lambda s: labels[s])
    turns: list[_Turn] = []
    for number, line in enumerate(lines, 1):
        m = SPEAKER.match(line)
        if m and m["label"] in (interviewer, answering):
            kind = "Q" if m["label"] == interviewer else "A"
            turns.append(_Turn(kind, number, [_unbold(m["rest"])]))
        elif turns:
            turns[-1].lines.append(line)
    if not turns:
        return [], 0, None
    name = answering.title() if answering.isupper() else answering
    return turns, turns[0].line, name


def _unbold(text: str) -> str:
    return re.sub(r"(\*\*|__)\s*$", "", text).strip()


def _strip_trailing_noise(turn: _Turn, notes: list[str]) -> None:
    """Drop page furniture after the last answer: short paragraphs that are not sentences."""
    paragraphs = _paragraphs(turn.lines)
    while len(paragraphs) > 1:
        last = " ".join(paragraphs[-1]).strip()
        if NOISE_LINES.match(last) or (len(last) < 60 and not re.search(r"[.!?\"”’)]$", last)):
            notes.append(f"dropped page noise after the last answer: {last!r}")
            paragraphs.pop()
        else:
            break
    for paragraph in paragraphs[1:]:
        for line in paragraph:
            if NOISE_LINES.match(line.strip()):
                notes.append(f"dropped page noise after the last answer: {line.strip()!r}")
                paragraph.remove(line)
    turn.lines = [line for i, p in enumerate(paragraphs) for line in ([""] if i else []) + p]


def _paragraphs(lines: list[str]) -> list[list[str]]:
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            paragraphs[-1].append(line.rstrip())
        elif paragraphs[-1]:
            paragraphs.append([])
    return [p for p in paragraphs if p]


def _pairs(turns: list[_Turn], notes: list[str]) -> list[tuple[str, str]]:
    """Pair each question with the answer text that follows it.

    A question turn may carry its answer in later paragraphs without an ``A:`` marker (the
    first answer of the bundled transcript does), so the first paragraph is the question and
    the rest is the answer.
    """
    pairs: list[tuple[str, str]] = []
    pending: tuple[str, list[str], int] | None = None
    for turn in turns:
        paragraphs = _paragraphs(turn.lines)
        if turn.kind == "Q":
            if pending:
                _close(pending, pairs, notes)
            if not paragraphs:
                notes.append(f"line {turn.line}: empty question, skipped")
                pending = None
                continue
            first = paragraphs[0]
            # The question ends at its first line ending in "?"; lines after it are answer text.
            cut = next((i + 1 for i, line in enumerate(first) if line.rstrip().endswith("?")), len(first))
            question = " ".join(part.strip() for part in first[:cut])
            rest = [first[cut:]] if first[cut:] else []
            pending = (question, ["\n".join(p) for p in rest + paragraphs[1:]], turn.line)
        elif pending:
            pending[1].append("\n\n".join("\n".join(p) for p in paragraphs))
        else:
            notes.append(f"line {turn.line}: answer with no question before it, skipped")
    if pending:
        _close(pending, pairs, notes)
    return pairs


def _close(pending: tuple[str, list[str], int], pairs: list[tuple[str, str]], notes: list[str]) -> None:
    question, parts, line = pending
    answer = "\n\n".join(part for part in parts if part.strip()).strip()
    if answer:
        pairs.append((question, answer))
    else:
        notes.append(f"line {line}: question with no answer, skipped: {question!r}")


def _source(preamble: list[str], interviewee: str | None, notes: list[str]) -> Source:
    """Title, byline, date, interviewee, role, event and programme from the text before Q1."""
    counts = Counter(line.strip() for line in preamble if line.strip())
    kept: list[tuple[int, str]] = []
    for number, line in enumerate(preamble, 1):
        stripped = line.strip()
        if not stripped:
            continue
        if NOISE_LINES.match(stripped) or counts[stripped] > 1:
            notes.append(f"line {number}: dropped page noise {stripped!r}")
            continue
        kept.append((number, stripped))
    title, interviewers = None, []
    for index, (_, line) in enumerate(kept):
        byline = BYLINE.match(line)
        if byline:
            interviewers = [n.strip() for n in re.split(r"\s*(?:&|,| and )\s*", byline["names"]) if n.strip()]
            if index > 0:
                title = kept[index - 1][1]
            break
    prose = " ".join(line for _, line in kept)
    if title is None:
        title = next((line for _, line in kept if len(line) < 200), "Untitled interview")
        if not kept:
            notes.append("no title found before the first question; using 'Untitled interview'")
    title = title.lstrip("# ").strip()
    role = event = None
    found = INTERVIEW_WITH.search(prose)
    if found:
        interviewee = interviewee or found["name"]
        role = found["role"]
        event = found["event"]
    if interviewee is None and ":" in title:
        interviewee = title.split(":", 1)[0].strip()
    program = PROGRAM.search(prose)
    return Source(
        title=title,
        interviewee=interviewee,
        role=role,
        interviewers=tuple(interviewers),
        publisher=program["name"] if program else None,
        event=event,
        date=_date(prose),
    )


def _date(text: str) -> str | None:
    """The first date the text gives, as ISO ``YYYY-MM-DD``."""
    candidates = []
    for match in DATE_WORDS.finditer(text):
        month = MONTHS.get(match[1].lower())
        if month:
            candidates.append((match.start(), int(match[3]), month, int(match[2])))
    for match in DATE_WORDS_DMY.finditer(text):
        month = MONTHS.get(match[2].lower())
        if month:
            candidates.append((match.start(), int(match[3]), month, int(match[1])))
    for match in DATE_ISO.finditer(text):
        candidates.append((match.start(), int(match[1]), int(match[2]), int(match[3])))
    for _, year, month, day in sorted(candidates):
        if 1 <= month <= 12 and 1 <= day <= 31:
            return f"{year:04d}-{month:02d}-{day:02d}"
    return None


def _unique_ids(questions: list[str]) -> list[str]:
    """Short readable ids from each question's first content words, made unique."""
    ids: list[str] = []
    for question in questions:
        words = re.findall(r"[a-z0-9]+", question.lower().replace("’", "'").replace("'s", ""))
        content = [w for w in words if w not in STOPWORDS] or words or ["question"]
        base = "-".join(content[:4])
        candidate, n = base, 2
        while candidate in ids:
            candidate, n = f"{base}-{n}", n + 1
        ids.append(candidate)
    return ids
