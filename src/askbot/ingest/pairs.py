"""Turns -> question/answer pairs: which asker turns are questions, whose answer is whose.

An asker's turn is a question when it asks ("?"), or when it is a request long enough not to be
small talk ("Tell us about your first job."). Greetings, thanks and go-aheads are not entries;
a host's "Right." in the middle of an answer is an interjection and the answer goes on. When two
people answer one question, each gets an entry with their own ``speaker``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from . import noise
from .noise import is_procedural
from .report import Report
from .segment import REQUEST, Turn, ends_question, unmark

MIN_REQUEST_WORDS = 5
MAX_INTERJECTION_WORDS = 3  # "Right.", "Oh, okay. [laughs]": measured best against longer banter
# A second person answering the same question gets an entry of their own only with this much to
# say; "Yeah." or "Hey Adam." from a co-guest is cross-talk.
MIN_SECOND_ANSWER_WORDS = 25
MAX_UNLABELLED_QUESTION = 600
# What a host says to hand over without a "?": "I'd love to hear about ...", "maybe you can tee
# up ...", "I understand you recently visited ...", "tell us about that".
PROMPT = re.compile(
    r"\b(?:tell (?:me|us)|(?:love|like) to (?:hear|know|learn)|(?:can|could|would|will) you|maybe you(?:'d| can| could)"
    r"|walk (?:me|us)|talk (?:to us |me |us )?(?:about|through)|i (?:understand|think|know|hear|believe|gather)"
    r" (?:that )?you|curious (?:about|to)|what about|how about|(?:please )?(?:describe|explain)|fill (?:me|us) in)\b",
    re.IGNORECASE,
)
_BOLD_LEAD = re.compile(r"^(?P<question>.*?[?？])(?:\*\*|__)\s*(?P<rest>\S.*)$")


@dataclass
class Pair:
    """A question and its answer's lines, before noise is trimmed from their edges."""

    question: str
    line: int
    speaker: str | None = None
    answer: list[str] = field(default_factory=list)
    answer_line: int = 0
    asker: str | None = None


def pairs(
    turns: list[Turn],
    role_of: Callable[[Turn], tuple[str, str | None]],
    report: Report,
    *,
    limit: int,
) -> list[Pair]:
    """Pair questions with the answer turns after them; stop with ``OverflowError`` past ``limit``.

    ``role_of`` gives a turn's role (``"Q"``, ``"A"`` or ``"section"``) and its speaker's name.
    """
    done: list[Pair] = []
    current: Pair | None = None
    skipping = False  # after a greeting question ("How are you?"), its answer is no entry either

    def close() -> None:
        if current is not None and current.answer:
            if len(done) >= limit:
                raise OverflowError(limit)
            done.append(current)
        elif current is not None:
            report.drop("question with no answer", current.question, current.line)

    for turn in _unlabelled_questions(turns, role_of):
        role, who = role_of(turn)
        text = " ".join(line.strip() for line in turn.lines if line.strip())
        if role == "section":
            close()
            current, skipping = None, True
            report.drop("section that is not a question", text, turn.line)
            continue
        if role == "Q":
            question, rest = _question(turn)
            if current is not None and not current.answer and who is not None and current.asker == who:
                current.question = f"{current.question} {unmark(question)}"  # one turn, split by a stamp
                continue
            if _interjection(question) and current is not None and current.answer:
                report.drop("interviewer interjection", text, turn.line)
                continue
            if turn.label is not None and not _asks(question) and not turn.bold:
                close()
                current, skipping = None, True
                kind = "greeting or procedural line" if is_procedural(text) else "interviewer comment that asks nothing"
                report.drop(kind, text, turn.line)
                continue
            if not ends_question(question) and (len(question.split()) < MIN_REQUEST_WORDS or is_procedural(question)):
                close()
                current, skipping = None, True
                report.drop("greeting or procedural line", text, turn.line)
                continue
            close()
            current = None
            if is_procedural(question):
                report.drop("greeting or procedural exchange", text, turn.line)
                skipping = True
                continue
            skipping = False
            current = Pair(unmark(noise.strip_stamps(question)), turn.line, asker=who)
            if rest:
                current.answer, current.answer_line = rest, turn.line + 1
            continue
        if current is None:
            kind = "reply to small talk, or text under a heading" if skipping else "text before the first question"
            report.drop(kind, text, turn.line)
            continue
        if not current.answer and is_procedural(text):
            report.drop("procedural answer", text, turn.line)
            continue
        if current.answer and who is not None and current.speaker not in (None, who):
            if len(text.split()) < MIN_SECOND_ANSWER_WORDS:
                report.drop("cross-talk from another speaker", text, turn.line)
                continue
            if len(" ".join(current.answer).split()) < MIN_SECOND_ANSWER_WORDS // 2:
                # "That's a hard question." before another panellist answers: a remark, no answer.
                report.drop("remark before another speaker's answer", " ".join(current.answer), current.answer_line)
                current.answer, current.speaker = [], None
            else:
                close()
                current = Pair(current.question, current.line, asker=current.asker)
        if current.speaker is None:
            current.speaker = who
        lines = noise.trim(turn.lines, report, first_line=turn.line)
        if not lines:
            continue
        if not current.answer:
            current.answer_line = turn.line
        current.answer += ([""] if current.answer else []) + lines
    close()
    return done


def _unlabelled_questions(turns: list[Turn], role_of: Callable[[Turn], tuple[str, str | None]]) -> list[Turn]:
    """Turns with an unlabelled question split off: a paragraph ending in "?" that closes one
    answerer's turn when the same answerer speaks next (a hearing's follow-up questions often
    carry no label)."""
    out: list[Turn] = []
    for turn, following in zip(turns, [*turns[1:], None], strict=True):
        role, who = role_of(turn)
        if following is None or role != "A" or who is None or role_of(following) != (role, who):
            out.append(turn)
            continue
        lines = turn.lines
        end = len(lines)
        while end and not lines[end - 1].strip():
            end -= 1
        start = end
        while start and lines[start - 1].strip():
            start -= 1
        paragraph = " ".join(line.strip() for line in lines[start:end])
        if start == 0 or not ends_question(paragraph) or len(paragraph) > MAX_UNLABELLED_QUESTION:
            out.append(turn)
            continue
        out.append(Turn(turn.label, turn.role, turn.line, lines[:start], turn.marker, turn.bold))
        out.append(Turn(None, "Q", turn.line + start, lines[start:end]))
    return out


def _asks(text: str) -> bool:
    """Whether a speaker's turn asks: it ends asking ("?" in its last sentences) or requests
    ("Tell us about ...", "I'd love to hear ...") in one of its last two sentences."""
    if "?" in text[-200:] or "？" in text[-200:]:
        return True
    sentences = re.split(r"(?<=[.!…])\s+", text.strip())
    return any(REQUEST.match(sentence) or PROMPT.search(sentence) for sentence in sentences[-2:])


def _interjection(text: str) -> bool:
    """A listener's "Right." or "Mm-hmm." inside an answer (not "Thank you.", which ends it)."""
    if len(text.split()) > MAX_INTERJECTION_WORDS or ends_question(text):
        return False
    return not re.match(r"(?i)^(thank|thanks|bye|goodbye)\b", text)


def _question(turn: Turn) -> tuple[str, list[str]]:
    """A question turn's question, and answer lines it carries (a ``Q:`` turn with no ``A:``).

    A marker turn's question ends at its first line ending in "?"; what follows is answer text
    (the first answer of the bundled transcript has no ``A:``). A speaker's turn is all question.
    """
    lines = turn.lines
    if not turn.marker:
        return " ".join(line.strip() for line in lines if line.strip()), []
    bold_lead = _BOLD_LEAD.match(lines[0]) if lines else None
    if bold_lead:  # "**Q: Why?** Because." on one line
        return bold_lead["question"], [bold_lead["rest"], *lines[1:]]
    first_blank = next((i for i, line in enumerate(lines) if not line.strip()), len(lines))
    cut = max((i + 1 for i, line in enumerate(lines[:first_blank]) if ends_question(line)), default=first_blank)
    question = " ".join(line.strip() for line in lines[:cut] if line.strip())
    rest = lines[cut:]
    while rest and not rest[0].strip():
        rest = rest[1:]
    return question, rest
