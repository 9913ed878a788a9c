"""Turns -> question/answer pairs: which asker turns are questions, whose answer is whose.

An asker's turn is a question when it ends asking ("?") or hands over ("Tell us about your first
job.", "I'd love to hear about ..."); a host's comment that asks nothing ends the answer before
it, and what replies to it is no answer. Greetings, thanks and go-aheads are not entries; a
host's "Right." in the middle of an answer is an interjection and the answer goes on. When two
people answer one question, each gets an entry with their own ``speaker``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from . import noise
from .noise import is_procedural
from .report import REPLY_TO_REMARK, Report
from .segment import HEADING, REQUEST, Turn, ends_question, last_sentences, unmark

MIN_REQUEST_WORDS = 5
# A host's turn that asks somewhere ("?") and gets this long a reply is a question; one that
# asks nothing is a prompt when the reply is as long as an answer (PROMPT_REPLY).
MIN_REPLY_WORDS = 20
# With one interviewer and one interviewee, what the interviewer says (MIN_REQUEST_WORDS or more)
# and the interviewee answers at this length prompts, "?" or not ("Okay, so you use permutation
# importance for that."). Tune (P/R/whole): without the rule .95/.93/.88; reply 20 alone
# .94/.95/.90, 40 .94/.94/.89; reply 20 and three times the prompt's words .95/.94/.89 (twice
# .94/.94/.89, once .94/.95/.90), kept: a host's remark the guest merely reacts to stays a comment.
# In any other cast (several hosts, or guests), comments stay comments by default (all cases,
# reply 80: P .94 -> .86; this rule for every cast, tune .95/.95/.91 -> .92/.96/.90), and
# ``--comments`` asks for the rule anyway: on 145 podcast transcripts of thechangelog/transcripts
# the answerers' words dropped fall from 27% to 15%.
MIN_PROMPT_REPLY_WORDS = 20
PROMPT_REPLY_RATIO = 3  # ... and the answer says at least three times as much as the prompt
ADDRESS_WORDS = 4
# "40X?", "A year ago?": a question this short that repeats the answer's words, answered in fewer
# than MIN_REPLY_WORDS, checks what was just said; "Why?" or "Favourite tool?" is a question.
MAX_CLARIFYING_WORDS = 3  # "Yeah Jack, I would love to hear ...": a name this early addresses someone
MAX_INTERJECTION_WORDS = 3
# A host's remark that asks nothing, after which a guest goes on (the one answering, or a co-guest:
# "Go up a number." / "Yep, exactly." / the first guest again), is an aside inside the answer up to
# this length; a longer one is a comment and ends the answer. Tune (P/R/whole) with the co-guest
# counted: .95/.94/.90, against .95/.94/.89 with the same guest only (two multi-guest podcasts gain).
MAX_ASIDE_WORDS = 15
# After such an aside, an answerer's turn this short ("Yeah!", "Exactly. That's for sure.") only
# acknowledges it; the answer ended before the aside.
MAX_BACKCHANNEL_WORDS = 4
# A second person answering the same question gets an entry of their own only with this much to
# say; "Yeah." or "Hey Adam." from a co-guest is cross-talk.
MIN_SECOND_ANSWER_WORDS = 25
MAX_UNLABELLED_QUESTION = 600
# What a host says to hand over without a "?": "I'd love to hear about ...", "maybe you can tee
# up ...", "I understand you recently visited ...", "tell us about that".
PROMPT = re.compile(
    r"\b(?:tell (?:me|us)|(?:love|like|interesting|great|good|keen|fascinating|helpful|useful) to (?:hear|know|learn)"
    r"|hear (?:from you|your (?:take|thoughts|story|view))|(?:can|could|would|will) you|maybe you(?:['’]d| can| could)"
    r"|walk (?:me|us)|talk (?:to us |me |us )?(?:about|through)|i (?:understand|think|know|hear|believe|gather)"
    r" (?:that )?you|curious (?:about|to)|what about|how about|(?:please )?(?:describe|explain)|fill (?:me|us) in)\b",
    re.IGNORECASE,
)
# A sentence that asks by its first words though the transcriber put no "?" after it.
INTERROGATIVE = re.compile(
    r"^(?:(?:and|so|but|now|okay|ok|well|like),?\s+)*(?:why|what|how|when|where|who|which|whether"
    r"|(?:do|does|did|are|is|was|were|have|has|had|can|could|would|will|should) (?:you|they|we|it|there|people)\b)",
    re.IGNORECASE,
)
# "Mr. Hakim?", "Senator?", "Jane?": a name alone, asked.
_CALLING = re.compile(r"^(?:[A-Z][a-z]{0,3}\.\s+)?(?P<name>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?)\?$")
_QUOTED = re.compile(r"“[^”]*”|\"[^\"\n]*\"")
_WORDS = re.compile(r"[\w']+")
_CLOSING = re.compile(r"(?i)^(thank|thanks|bye|goodbye)\b")
# A host's remark that thanks ("All right, well, I'd like to thank you for sitting down with me")
# closes the answer, however short: it is no aside the guest goes on after.
_THANKS = re.compile(r"(?i)\bthank(?:s| you)\b")
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
    asked_by: str | None = None  # "Asked by @someone": who sent an AMA's question in


def pairs(
    turns: list[Turn],
    role_of: Callable[[Turn], tuple[str, str | None]],
    report: Report,
    *,
    limit: int,
    comments: bool = False,
) -> list[Pair]:
    """Pair questions with the answer turns after them; stop with ``OverflowError`` past ``limit``.

    ``role_of`` gives a turn's role (``"Q"``, ``"A"`` or ``"section"``) and its speaker's name.
    ``comments``: a host's remark answered at length prompts whoever speaks (``askbot ingest
    --comments``), as it always does with one interviewer and one interviewee.
    """
    split = _one_turn_each(_unlabelled_questions(_without_headings(turns, report), role_of), role_of)
    roles = [role_of(turn) for turn in split]
    texts = [" ".join(line.strip() for line in turn.lines if line.strip()) for turn in split]
    _addressed_questions(roles, texts)
    _clarifications(roles, texts)
    pairing = _Pairing(report, limit, {word.casefold() for _, who in roles if who for word in who.split()})
    askers = {who for role, who in roles if role == "Q" and who}
    one_to_one = len(askers) == 1 and len({who for role, who in roles if role == "A" and who} - askers) == 1
    pairing.remarks_prompt = comments or one_to_one
    replies = _reply_words(roles, texts)
    for index, (turn, (role, who), text, reply) in enumerate(zip(split, roles, texts, replies, strict=True)):
        if role == "section":
            pairing.end("section or break that is not a question", turn, text, None)
        elif role == "clarification":
            report.drop("clarification between a question and its answer", text, turn.line)
        elif role == "Q":
            pairing.question(turn, who, text, reply, roles[index + 1] if index + 1 < len(roles) else None)
        else:
            pairing.answer(turn, who, text)
    pairing.close()
    return pairing.done


class _Pairing:
    """One pass over the turns: the pairs done, the pair being answered, and whether the turns
    that follow answer nothing (after small talk or under a heading that is no question)."""

    def __init__(self, report: Report, limit: int, names: set[str] | None = None) -> None:
        self.report = report
        self.limit = limit
        self.done: list[Pair] = []
        self.current: Pair | None = None
        self.skipping = False
        self.after_aside = False  # the last turn was an asker's "Wow." inside the answer
        self.names = names or set()  # the words of the speakers' names, folded
        # A remark answered at length prompts: one interviewer and one interviewee speak, or the
        # reader asked for it (``--comments``).
        self.remarks_prompt = False

    def close(self) -> None:
        """Keep the pair being answered, if it has an answer."""
        current = self.current
        if current is not None and current.answer:
            if len(self.done) >= self.limit:
                raise OverflowError(self.limit)
            self.done.append(current)
        elif current is not None:
            self.report.drop("question with no answer", current.question, current.line)
        self.current = None

    def end(self, kind: str, turn: Turn, text: str, role: str | None = "Q") -> None:
        """A turn that is no question ends the answer before it; replies to it are no answer."""
        self.close()
        self.skipping = True
        self.report.drop(kind, text, turn.line)
        if role:
            self.report.turn(role, text, kept=False, kind=kind)

    def question(
        self, turn: Turn, who: str | None, text: str, reply: int = 0, following: tuple[str, str | None] | None = None
    ) -> None:
        """An asker's turn: a question, a continuation of one, an aside inside an answer, or a
        comment that ends the answer before it (``following`` is the next turn's role and speaker)."""
        question, rest = _question(turn)
        current = self.current
        if current is not None and not current.answer and who is not None and current.asker == who:
            current.question = f"{current.question} {unmark(question)}"  # one turn, split by a stamp
            self.report.turn("Q", text, kept=True)
            return
        if (
            current is not None and current.answer and following is not None and following[0] == "A"
            and following[1] not in (None, current.speaker) and len(question.split()) <= MAX_CLARIFYING_WORDS
            and ends_question(question)
        ):
            # "Any other takers?" / "Anyone else?": the same question, put to the other answerers
            self.report.drop("re-prompt of the question to another answerer", text, turn.line)
            self.report.turn("Q", text, kept=False, kind="re-prompt")
            self.close()
            self.current = Pair(current.question, current.line, asker=current.asker)
            return
        if _interjection(question) and current is not None and current.answer:
            self.report.drop("interviewer interjection", text, turn.line)
            self.report.turn("Q", text, kept=False, kind="interviewer interjection")
            self.after_aside = True
            return
        if is_procedural(question):
            self.end("greeting or procedural line", turn, text)
            return
        if reply <= MAX_BACKCHANNEL_WORDS and self._calling(question):
            # "Mr. Hakim?" / "Yes, sir.": a call for someone's attention, answered in a word
            self.end("call for attention and its short reply", turn, text)
            return
        if current is not None and reply < MIN_REPLY_WORDS and _echo(question, current.answer):
            # "40X?" / "Yes, 40X.": an echo to check what was said; neither question nor answer
            self.end("clarifying question and its short reply", turn, text)
            return
        asks = _asks(question, reply) if turn.label is not None and not turn.bold else (
            ends_question(question) or len(question.split()) >= MIN_REQUEST_WORDS or bool(REQUEST.match(question))
        )
        said = len(question.split())
        prompts = turn.label is not None and said >= MIN_REQUEST_WORDS and (
            reply >= max(MIN_PROMPT_REPLY_WORDS, PROMPT_REPLY_RATIO * said)
        )
        if not asks and self.remarks_prompt and prompts:
            # one interviewer and one interviewee, or ``--comments``: a remark answered at length prompts
            asks = True
        if not asks and reply >= MIN_REPLY_WORDS and following is not None and _hands_over(question, following):
            # "Rob, you do the tool side of things, particularly the generics, recently...": a
            # hand-over by name, answered at length. Tune (P/R/whole): .95/.95/.91 against .95/.94/.90.
            asks = True
        if not asks and who is not None and current is not None and current.answer and (
            following is not None and following[0] == "A"
        ) and said <= MAX_ASIDE_WORDS and not _THANKS.search(question):
            # "You did. We'll put the drums in post.": banter, and the same answerer goes on
            self.report.drop("interviewer aside inside an answer", text, turn.line)
            self.report.turn("Q", text, kept=False, kind="interviewer aside inside an answer")
            self.after_aside = True
            return
        if not asks:
            if prompts:
                self.report.remark_replies += reply  # what ``--comments`` would keep
            self.end("interviewer comment that asks nothing", turn, text)
            return
        self.close()
        self.skipping = False
        self.current = Pair(unmark(noise.strip_stamps(question)), turn.line, asker=who)
        self.report.turn("Q", question, kept=True)
        if rest:
            self.report.turn("A", " ".join(rest), kept=True)
            self.current.answer, self.current.answer_line = rest, turn.line + 1

    def answer(self, turn: Turn, who: str | None, text: str) -> None:
        current = self.current
        earlier = current.answer if current is not None else []
        # Trimmed first, into a report of its own, kept once the trimmed lines are used.
        trimmed = Report()
        lines = noise.trim(turn.lines, trimmed, first_line=turn.line, kept=earlier)
        if not lines:
            # Every line is page or recording noise (a page's link definitions, a share bar, a
            # stage direction): nothing an answerer said. Each line is reported, and the turn
            # changes nothing else: not who answers, nor whose answer is open, nor the words lost.
            self.report.absorb(trimmed)
            return
        if current is None:
            kind = REPLY_TO_REMARK if self.skipping else "text before the first question"
            self._drop_answer(kind, text, turn)
            return
        if not current.answer and is_procedural(text):
            self._drop_answer("procedural answer", text, turn)
            return
        after_aside, self.after_aside = self.after_aside, False
        if after_aside and current.answer and who == current.speaker and len(text.split()) <= MAX_BACKCHANNEL_WORDS:
            # "Wow." / "Yeah!": the answer was over; the answerer only acknowledges
            self._drop_answer("answerer's backchannel after an aside", text, turn)
            return
        if current.answer and who is not None and current.speaker not in (None, who):
            if len(text.split()) < MIN_SECOND_ANSWER_WORDS:
                self._drop_answer("cross-talk from another speaker", text, turn)
                return
            if len(" ".join(current.answer).split()) < MIN_SECOND_ANSWER_WORDS // 2:
                # "That's a hard question." before another panellist answers: a remark, no answer.
                remark = " ".join(current.answer)
                self.report.drop("remark before another speaker's answer", remark, turn.line)
                self.report.retract("A", remark, kind="remark before another speaker's answer")
                current.answer, current.speaker = [], None
            else:
                self.close()
                current = self.current = Pair(current.question, current.line, asker=current.asker)
        if current.speaker is None:
            current.speaker = who
        if current.answer is not earlier:  # another answer opened, or a remark taken back
            trimmed = Report()
            lines = noise.trim(turn.lines, trimmed, first_line=turn.line, kept=current.answer)
        self.report.absorb(trimmed)
        self.report.turn("A", text, kept=True)
        if not current.answer:
            current.answer_line = turn.line
        current.answer += ([""] if current.answer else []) + lines


    def _calling(self, question: str) -> bool:
        """Whether a question is only a speaker's name ("Mr. Hakim?"): a call, not a question."""
        called = _CALLING.match(question.strip())
        return called is not None and all(word.casefold() in self.names for word in called["name"].split())

    def _drop_answer(self, kind: str, text: str, turn: Turn) -> None:
        self.report.drop(kind, text, turn.line)
        self.report.turn("A", text, kept=False, kind=kind)


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
        if start == 0 or not ends_question(_unquoted(paragraph)) or len(paragraph) > MAX_UNLABELLED_QUESTION:
            out.append(turn)
            continue
        out.append(Turn(turn.label, turn.role, turn.line, lines[:start], turn.marker, turn.bold))
        out.append(Turn(None, "Q", turn.line + start, lines[start:end]))
    return out


def _without_headings(turns: list[Turn], report: Report) -> list[Turn]:
    """Labelled turns without the editor's headings set between or inside them."""
    out = []
    for turn in turns:
        headings = [line for line in turn.lines if HEADING.match(line)] if turn.label is not None else []
        for line in headings:
            report.drop("editor heading between turns", line, turn.line)
        if headings:
            lines = [line for line in turn.lines if not HEADING.match(line)]
            turn = Turn(turn.label, turn.role, turn.line, lines, turn.marker, turn.bold)
        out.append(turn)
    return out


def _one_turn_each(turns: list[Turn], role_of: Callable[[Turn], tuple[str, str | None]]) -> list[Turn]:
    """An asker's turns that follow one another (split by a heading or a timestamp) made one."""
    out: list[Turn] = []
    previous: tuple[str, str | None] | None = None
    for turn in turns:
        role = role_of(turn)
        if out and role == previous and role[0] == "Q" and role[1] is not None:
            out[-1] = Turn(out[-1].label, out[-1].role, out[-1].line, [*out[-1].lines, "", *turn.lines],
                           out[-1].marker, out[-1].bold)
            continue
        out.append(turn)
        previous = role
    return out


def _hands_over(text: str, following: tuple[str, str | None]) -> bool:
    """Whether a host's turn hands over to the answerer who speaks next by name in its last
    sentence ("..., right Alice", "Rob, you do the tool side of things ..."), without a "?"."""
    role, who = following
    first = who.split()[0] if role == "A" and who else ""
    (last,) = last_sentences(_unquoted(text), 1)
    return len(first) > 1 and re.search(rf"\b{re.escape(first)}\b", last) is not None


def _addressed_questions(roles: list[tuple[str, str | None]], texts: list[str]) -> None:
    """An answerer's turn that asks another answerer by name ("Jack, I'd love to hear how you
    found this"), who speaks next, is a question (a panel hands over; a guest asks a guest). It
    must end asking: "Review, and, Ava, you'd agree? Everyone wants features ..." is an answer."""
    for index in range(len(roles) - 1):
        (role, who), (next_role, next_who) = roles[index], roles[index + 1]
        if role != "A" or next_role != "A" or who is None or next_who is None or who == next_who:
            continue
        first = re.escape(next_who.split()[0])
        # Addressed: the name among the turn's first words, or called ("..., Jack, what do you think?")
        opening = " ".join(texts[index].split()[:ADDRESS_WORDS])
        called = re.search(rf"\b{first}\b", opening) or re.search(rf"(?:^|[,.!?]\s*)\b{first},", texts[index])
        (last,) = last_sentences(_unquoted(texts[index]), 1)
        if len(first) > 1 and called and (ends_question(last) or REQUEST.match(last) or PROMPT.search(last)):
            roles[index] = ("Q", who)


def _clarifications(roles: list[tuple[str, str | None]], texts: list[str]) -> None:
    """An answerer who first asks back ("So patent restrictions, are you talking about?"), a short
    reply of the asker's, then the same answerer answering: the exchange belongs to neither the
    question nor the answer, which starts after it."""
    for index in range(1, len(roles) - 2):
        (before, _), (role, who), (reply, _), (after, again) = roles[index - 1 : index + 3]
        if before != "Q" or role != "A" or reply != "Q" or after != "A" or who is None or again != who:
            continue
        asked_back = "?" in texts[index] and len(texts[index].split()) <= MAX_ASIDE_WORDS
        if asked_back and len(texts[index + 1].split()) <= MAX_ASIDE_WORDS and not ends_question(texts[index + 1]):
            roles[index] = ("clarification", who)
            roles[index + 1] = ("clarification", roles[index + 1][1])


def _reply_words(roles: list[tuple[str, str | None]], texts: list[str]) -> list[int]:
    """For each turn, the words the answerers say after it before an asker's next substantive
    or asking turn (an asker's "Right." in between does not end the reply). Linear: one pass from the end."""
    out = [0] * len(texts)
    following = 0
    for index in range(len(texts) - 1, -1, -1):
        out[index] = following
        role = roles[index][0]
        words = len(texts[index].split())
        if role == "A":
            following += words
        elif role == "clarification":
            continue  # an exchange inside the reply, no end of it
        elif role == "section" or words > MAX_INTERJECTION_WORDS or ends_question(texts[index]):
            following = 0  # "Why?" is short but asks: the reply before it is over
    return out


def _asks(text: str, reply: int = 0) -> bool:
    """Whether a speaker's turn asks, from what it says and what it gets: it ends asking ("?" in
    its last sentences) or requests ("Tell us about ...", "I'd love to hear ...") or opens like a
    question ("why do you think ...") in one of its last two sentences; or it asks somewhere ("?")
    and gets a reply of ``MIN_REPLY_WORDS``. A tag ("..., right?") counts as asking: read as no
    question it cost tune recall 0.93 -> 0.91, since hosts hand over with one ("You wrote it in
    1999, right?"). A "?" inside quotation marks is reported speech ("it was like, “Do you want
    to buy Bitcoin?”"), no asking."""
    text = _unquoted(text)
    if "?" in text[-200:] or "？" in text[-200:]:
        return True
    if reply >= MIN_REPLY_WORDS and ("?" in text or "？" in text):
        return True
    return any(
        REQUEST.match(sentence) or PROMPT.search(sentence) or INTERROGATIVE.match(sentence)
        for sentence in last_sentences(text, 2)
    )


def _unquoted(text: str) -> str:
    """Text with its quoted spans (“...”, "...") left out, so that a quoted question asks nothing.

    >>> _unquoted('He said, “Do you want to buy Bitcoin?”')
    'He said, '
    """
    return _QUOTED.sub("", text)


def _echo(question: str, answer: list[str]) -> bool:
    """A question of ``MAX_CLARIFYING_WORDS`` or fewer that only repeats words of the answer
    before it ("40X?" after "... it grew 40X ...") and asks no wh-question: a check, not a question."""
    words = _WORDS.findall(question.casefold())
    if not words or len(question.split()) > MAX_CLARIFYING_WORDS or INTERROGATIVE.match(question):
        return False
    said = set(_WORDS.findall(" ".join(answer).casefold()))
    return all(word in said for word in words)


def _interjection(text: str) -> bool:
    """A listener's "Right." or "Mm-hmm." inside an answer (not "Thank you.", which ends it)."""
    if len(text.split()) > MAX_INTERJECTION_WORDS or ends_question(text):
        return False
    return not _CLOSING.match(text)


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
