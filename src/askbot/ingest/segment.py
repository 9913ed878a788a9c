"""Transcript lines -> turns: who speaks (a label, a ``Q``/``A`` marker) or, in a transcript
without labels, which blocks are questions (headings, bold lines, numbered or bare "?" lines).

Labels are trusted from the whole transcript, not line by line: a marker or a speaker label
counts only when it recurs, so a ``Question:`` line inside one answer, or a ``Note:`` line, does
not turn the file into one bogus entry. Unlabelled lines in a labelled transcript continue the
turn before them. Time is linear in the number of lines.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .noise import STAMP
from .roles import ANSWER_LABELS, ASKER_LABELS, BREAK_LABELS, base_label, unify

_B = r"(?:\*\*|__)?"
MARKER = re.compile(
    rf"^\s*{_B}\s*(?P<kind>Q|A|[Qq]uestion|[Aa]nswer|QUESTION|ANSWER|\?)\s*\d*(?:\s*\((?P<who>[^()\n]{{1,40}})\))?\s*{_B}\s*"
    rf"(?:[:：]|\.(?=\s)|[-–—](?=\s)){_B}\s*"
    rf"(?P<rest>.*)$"
)
# Press briefings write a reporter's question as "Q Will the talks resume?" (no colon).
PRESS_Q = re.compile(r"^\s*Q\s+(?P<rest>[A-Z\"“‘'(].*)$")
_NAME_WORD = r"(?:[A-Z][\w.'’-]*|\d{1,3}(?!\d|:\d)|de|da|del|van|von|der|la|le|bin|al|el|di)"
_STAMPED = rf"(?:[\[(]\s*{STAMP}\s*[\])]|{STAMP})"
SPEAKER = re.compile(
    rf"^\s*(?:\\?{_STAMPED}\\?\s*[-–]?\s*)?{_B}(?P<label>(?:[A-Z$][\w.'’$-]*(?:[ \t]+{_NAME_WORD}){{0,4}}"
    rf"|[a-z][\w.-]{{1,24}})(?:[ \t]*\|[ \t]*[^:|\n]{{1,60}})?){_B}[ \t]*(?:{_STAMPED})?[ \t]*{_B}[ \t]*[:：]"
    rf"[ \t]*{_B}[ \t]*(?:{_STAMPED}[ \t]*$)?(?P<rest>.*)$"
)
# Otter.ai's export: the name and a time on a line of their own, the words below ("Jane Doe  0:03").
STAMPED_NAME = re.compile(rf"^\s*(?P<label>[A-Z][\w.'’-]*(?:[ \t]+{_NAME_WORD}){{0,4}})[ \t]+{_STAMPED}\s*(?P<rest>)$")
# The Congressional Record's style: "Mr. SULLIVAN. What is it, counsel?" (the name in capitals).
RECORD_SPEAKER = re.compile(
    r"^\s*(?P<label>(?:(?i:Mr|Mrs|Ms|Dr|Chairman|Chairwoman|Senator|Representative|Judge|General|Admiral)\.?\s+)?"
    r"[A-Z][A-Z'’-]+(?:\s+[A-Z][A-Z'’-]+)?)\.\s+(?P<rest>[A-Z\"“(].*)$"
)
HEADING = re.compile(r"^\s{0,3}(?P<hashes>#{1,6})\s+(?P<text>.+?)\s*#*\s*$")
BOLD = re.compile(r"^\s*(?:\*\*|__)(?P<text>[^*_].*?)(?:\*\*|__)\s*(?P<rest>.*)$", re.DOTALL)
ITALIC = re.compile(r"^\s*(?P<mark>[*_])(?P<text>[^*_\s][^*_]*?)(?P=mark)\s*$", re.DOTALL)
# An interviewer's request that asks without "?": "Tell me more about ...", "Describe ...", "Let’s begin
# with ..." (typographic apostrophes too, as published pages write them).
REQUEST = re.compile(
    r"^(?:(?:so|and|now|ok(?:ay)?|well|finally|lastly),?\s+)?(?:(?:can|could|would) you\s+)?(?:please\s+)?"
    r"(?:tell|describe|explain|talk|walk|share|give|take|paint|introduce|elaborate|expand|say|help)\b"
    r"|^(?:(?:i['’]?d|i would|would|we['’]?d) (?:love|like) to (?:hear|know|learn)|(?:love|curious) to hear"
    r"|i['’]?m curious|i wonder|let['’]?s talk|let['’]?s (?:start|begin)|let['’]?s get into|i['’]?m wondering)\b",
    re.IGNORECASE,
)
QUOTED = re.compile(r"^\s*>\s?")
# Where a sentence of a turn ends, for its last sentences (a turn's "?" is looked for apart).
SENTENCE_END = re.compile(r"(?<=[.!…])\s+")
NUMBERED = re.compile(r"^\s*(?:\d{1,3}[.)]|\(\d{1,3}\))\s+(?P<text>.+)$")
_QUESTION_END = re.compile(r"[?？][\"”’')\]*_]*\s*$")
_FULL_NAME = re.compile(
    r"^(?:(?:mr|mrs|ms|dr|prof|professor|senator|sen|rep|representative|chairman|chairwoman|chair|judge|"
    r"justice|secretary|general|governor|mayor)\.?\s+\S+|[A-Z][a-z]+(?:\s+[A-Z][\w.'’-]+)+)$",
    re.IGNORECASE,
)
_BOLD_PROMPT = re.compile(r"^\s*(?:\*\*|__)[^*_:]{1,80}:\s*[^*_\s]")
MAX_QUESTION_CHARS = 600
MIN_NAMED_TURNS = 3
KINDS = ("heading", "emphasised", "numbered", "bare")  # bold, italic or quoted lines are "emphasised"


@dataclass
class Turn:
    """One speaker's turn, or one question or answer block; ``lines`` as written."""

    label: str | None
    role: str | None  # "Q", "A", or None when the cast decides from ``label``
    line: int
    lines: list[str] = field(default_factory=list)
    # Asked by a "Q:"-style marker or an interviewer's label ("Host:"): the roles are given, and
    # the answer may follow in the same turn without "A:".
    marker: bool = False
    bold: bool = False  # "**MK: I'm interested in ...**": a written Q&A sets its prompts in bold


def ends_question(text: str) -> bool:
    """Whether a line or block ends in a question mark (quotes, brackets and markup allowed)."""
    return bool(_QUESTION_END.search(text))


def labelled_turns(lines: list[str], first: int) -> list[Turn]:
    """Turns started by recurring markers or speaker labels; ``[]`` when there are none."""
    found: list[tuple[int, str, str, str | None]] = []  # (index, label, rest, role)
    for index, line in enumerate(lines):
        marker = MARKER.match(line)
        if marker:
            kind = "Q" if marker["kind"][0] in "Qq?" else "A"  # "**?**: ..." asks, as pages set it
            # "A (Niko):" names who answers; "Q (u/rustfan):" who asks, which is no speaker here
            found.append((index, marker["who"] if kind == "A" and marker["who"] else kind, marker["rest"], kind))
            continue
        press = PRESS_Q.match(line)
        if press:
            found.append((index, "Q", press["rest"], "Q"))
            continue
        speaker = STAMPED_NAME.match(line) or SPEAKER.match(line) or RECORD_SPEAKER.match(line)
        if speaker and len(speaker["label"]) <= 80 and not speaker["rest"].startswith("//"):
            found.append((index, speaker["label"], speaker["rest"], None))
    names = unify(label for _, label, _, role in found if role is None)
    counts = Counter(names[label] for _, label, _, role in found if role is None)
    kinds = Counter(role for _, _, _, role in found if role)
    markers = kinds["Q"] >= 2 or kinds["Q"] == kinds["A"] == 1 and not counts
    qa_only = markers and kinds["A"] >= 1
    speakers = {label for label, n in counts.items() if n >= 2}
    if not markers and len(speakers) < 2:
        # A short exchange where each speaks once: an interviewer label and full names ("Host:",
        # "Gloria Zhao:") on three or more lines are turns; "The Ledger:" or "Note:" once is none.
        named = speakers | {label for label in counts if _FULL_NAME.match(label) or label.casefold() in ASKER_LABELS}
        asking = any(label.casefold() in ASKER_LABELS for label in named)
        if not asking or len(named) < 2 or sum(counts[label] for label in named) < MIN_NAMED_TURNS:
            return []
        speakers = named
    if len(speakers) >= 2:
        # In a labelled transcript, a full name speaking once ("Senator Black:") is a speaker too.
        speakers |= {label for label, n in counts.items() if n == 1 and _FULL_NAME.match(label)}
        speakers |= {label for label in counts if label.casefold() in BREAK_LABELS}
    turns: list[Turn] = []
    at = 0
    for index, label, rest, role in found:
        if role is not None:
            if not markers or (role == "A" and not qa_only):
                continue
        elif qa_only or names[label] not in speakers:
            continue
        if turns:
            turns[-1].lines += lines[at:index]
        known = base_label(label).casefold()
        if role is None and known in ASKER_LABELS:
            role = "Q"
        elif role is None and known in ANSWER_LABELS:
            role = "A"
        elif role is None and known in BREAK_LABELS:
            role = "section"  # "**Break:** [24:40]": the answer before it ends here
        shown = None if role and label in ("Q", "A") else label
        turns.append(Turn(shown, role, first + index, [rest], role == "Q", bool(_BOLD_PROMPT.match(lines[index]))))
        at = index + 1
    if turns:
        turns[-1].lines += lines[at:]
    return turns


def structural_turns(lines: list[str], first: int) -> tuple[list[Turn], str]:
    """Question blocks and the answer blocks after them, in a transcript without labels.

    The strongest kind of question the document uses wins: headings ending in "?", then bold
    (or italic) lines, then numbered lines ending in "?", then bare short lines ending in "?".
    Returns the turns and the kind used (``""`` when none recurs).
    """
    blocks = _question_lines_apart(_blocks(lines))
    kinds: dict[str, list[int]] = {kind: [] for kind in KINDS}
    for number, (_, text) in enumerate(blocks):
        kind = _question_kind(text)
        if kind:
            kinds[kind].append(number)
    order = list(kinds)
    chosen = next((kind for kind in order if len(kinds[kind]) >= 2), "")
    if not chosen:
        return [], ""
    # The chosen kind, and the odd question of a stronger kind (one bold question in a page of
    # bare ones); once bold questions are the style, a bold line that asks without "?" is one too.
    questions = {n for kind in order[: order.index(chosen) + 1] for n in kinds[kind]}
    if chosen == "emphasised":
        questions |= {n for n, (_, text) in enumerate(blocks) if _bold_request(text)}
    turns: list[Turn] = []
    for number, (index, text) in enumerate(blocks):
        if number in questions:
            turns.append(Turn(None, "Q", first + index, [_question_text(text)]))
            bold = BOLD.match(text)
            if chosen == "emphasised" and bold and bold["rest"].strip():
                turns.append(Turn(None, "A", first + index, [bold["rest"].strip()]))
        elif turns and chosen == "heading" and HEADING.match(text):
            turns.append(Turn(None, "section", first + index, text.split("\n")))
        elif turns:
            turns.append(Turn(None, "A", first + index, text.split("\n")))
    return turns, chosen


def _blocks(lines: list[str]) -> list[tuple[int, str]]:
    """Paragraphs (and heading lines, which end a paragraph) with their first line's index."""
    blocks: list[tuple[int, str]] = []
    current: list[str] = []
    start = 0
    for index, line in enumerate(lines + [""]):
        if not line.strip() or HEADING.match(line):
            if current:
                blocks.append((start, "\n".join(current)))
                current = []
            if line.strip():
                blocks.append((index, line.rstrip()))
            continue
        if not current:
            start = index
        current.append(line.rstrip())
    return blocks


def _question_lines_apart(blocks: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Blocks whose first line is a question with its answer right under it, no blank line
    between ("How much does it cost?" / "It depends on ..."), split in two; only when two or more
    blocks open so, so one rhetorical question in an answer changes nothing."""
    opening = [n for n, (_, text) in enumerate(blocks) if _asks_first(text)]
    if len(opening) < 2:
        return blocks
    out: list[tuple[int, str]] = []
    for number, (index, text) in enumerate(blocks):
        if number in opening:
            first, rest = text.split("\n", 1)
            out += [(index, first), (index + 1, rest)]
        else:
            out.append((index, text))
    return out


def _asks_first(block: str) -> bool:
    first, _, rest = block.partition("\n")
    plain = not (HEADING.match(first) or BOLD.match(first) or ITALIC.match(first) or QUOTED.match(first))
    return bool(rest.strip()) and plain and len(first) <= MAX_QUESTION_CHARS and ends_question(first)


def _question_kind(block: str) -> str | None:
    if len(block) > MAX_QUESTION_CHARS:
        return None
    heading = HEADING.match(block)
    if heading:
        text = heading["text"].strip("*_ ")
        return "heading" if ends_question(text) or _request(text) else None
    bold = BOLD.match(block)
    if bold and bold["text"].count("\n") < 4 and (ends_question(bold["text"]) or _request(bold["text"])):
        return "emphasised"
    italic = ITALIC.match(block)
    if italic and italic["text"].count("\n") < 4 and ends_question(italic["text"]):
        return "emphasised"  # set off the same way, in italics
    if QUOTED.match(block) and block.count("\n") < 4 and ends_question(block):
        return "emphasised"  # or as a markdown quote
    if not ends_question(block) or block.count("\n") > 2:
        return None
    return "numbered" if NUMBERED.match(block) else "bare"


def _request(text: str) -> bool:
    """A request of four words or more ("Tell us about yourself"), in one of its last two
    sentences ("Thanks for joining us. Let's start with your background."); a heading "Talk" is none."""
    return len(text.split()) >= 4 and any(REQUEST.match(sentence) for sentence in last_sentences(text, 2))


def last_sentences(text: str, count: int) -> list[str]:
    """The last ``count`` sentences of ``text`` (``SENTENCE_END``)."""
    return SENTENCE_END.split(text.strip())[-count:]


def _bold_request(block: str) -> bool:
    """A whole bold line of five words or more ("**Tell us about your first job.**")."""
    bold = BOLD.match(block)
    return bool(bold and not bold["rest"].strip() and block.count("\n") < 4 and len(bold["text"].split()) >= 5)


def _question_text(block: str) -> str:
    """A question block's text without its heading, bold or list markup."""
    text = " ".join(QUOTED.sub("", part).strip() for part in block.split("\n"))
    heading = HEADING.match(text)
    if heading:
        text = heading["text"]
    bold = BOLD.match(text)
    if bold:
        text = bold["text"]
    numbered = NUMBERED.match(text)
    if numbered:
        text = numbered["text"]
    return unmark(text)


def unmark(text: str) -> str:
    """Text without surrounding bold/italic markers or a leading ``Q:``-style label.

    >>> unmark("**Q: Why did you leave?**")
    'Why did you leave?'
    """
    text = text.strip().strip("*_").strip()
    marker = MARKER.match(text)
    if marker and marker["kind"][0] in "Qq":
        text = marker["rest"]
    return text.strip().strip("*_").strip()


# "## Julie Strothman, Product Designer": a heading that is a person's name (and their role).
PERSON_HEADING = re.compile(
    r"^\s{0,3}#{1,6}\s+(?:\*\*|__)?(?P<name>[A-Z][\w.'’-]+(?:[ \t]+[A-Z][\w.'’-]+){1,3})(?:\*\*|__)?"
    r"\s*(?:(?:,|[-–—|:])\s*(?P<role>[^#\n]{1,80}))?\s*$"
)
_QUOTED_QUESTION = re.compile(r"[“\"](?P<question>[^”\"\n]{3,300}\?)[”\"]")
_ASKING_SENTENCE = re.compile(r"(?:^|(?<=[.!?:]\s))(?P<question>[A-Z][^.!?\n]{2,200}\?)")


def roundup_turns(lines: list[str], first: int) -> list[Turn]:
    """One question put to several people, each answering under a heading with their name ("We
    asked the team: 'What did you learn?'" / "## Julie Strothman, Product Designer" / her answer).

    The question is the quoted question the text before the first such heading asks, or its last
    sentence ending in "?"; ``[]`` unless two or more name headings follow a question.
    """
    heads = [(index, found["name"]) for index, line in enumerate(lines) if (found := PERSON_HEADING.match(line))]
    if len(heads) < 2:
        return []
    lead = [(index, line) for index, line in enumerate(lines[: heads[0][0]]) if line.strip()]
    asked = [
        (index, found["question"])
        for index, line in lead
        for found in [*_QUOTED_QUESTION.finditer(line)] or [*_ASKING_SENTENCE.finditer(line)]
    ]
    if not asked:
        return []
    index, question = asked[-1]
    turns = []
    ends = [head for head, _ in heads[1:]] + [len(lines)]
    for (head, name), end in zip(heads, ends, strict=True):
        # the question again before each answer: every person's answer is a pair, however short
        turns.append(Turn(None, "Q", first + index, [question]))
        turns.append(Turn(name, "A", first + head + 1, lines[head + 1 : end]))
    return turns


def labelled_answers(turns: list[Turn]) -> list[Turn]:
    """Answer blocks under structural questions split where a recurring speaker label starts a
    line ("## How do you test?" / "**Mat:** ..." / "**Johnny:** ..."): several hosts answering
    an AMA's heading questions each get their own answer, with their name."""
    found: list[tuple[int, int, str, str]] = []  # (turn, line, label, rest)
    for number, turn in enumerate(turns):
        if turn.role != "A":
            continue
        for index, line in enumerate(turn.lines):
            speaker = SPEAKER.match(line)
            if speaker and len(speaker["label"]) <= 80:
                found.append((number, index, speaker["label"], speaker["rest"]))
    names = unify(label for _, _, label, _ in found)
    counts = Counter(names[label] for _, _, label, _ in found)
    cuts: dict[int, list[tuple[int, str, str]]] = {}
    if not any(n >= 2 for n in counts.values()):
        return turns
    for number, index, label, rest in found:
        # a label that recurs, or a full name once beside one that does ("**Jon Calhoun:**")
        if counts[names[label]] >= 2 or _FULL_NAME.match(base_label(label)):
            cuts.setdefault(number, []).append((index, label, rest))
    if len({names[label] for marks in cuts.values() for _, label, _ in marks}) < 2:
        return turns
    out: list[Turn] = []
    for number, turn in enumerate(turns):
        marks = cuts.get(number)
        if not marks:
            out.append(turn)
            continue
        if any(line.strip() for line in turn.lines[: marks[0][0]]):
            out.append(Turn(None, "A", turn.line, turn.lines[: marks[0][0]]))
        ends = [index for index, _, _ in marks[1:]] + [len(turn.lines)]
        for (index, label, rest), end in zip(marks, ends, strict=True):
            out.append(Turn(label, "A", turn.line + index, [rest, *turn.lines[index + 1 : end]]))
    return out
