"""Page and recording noise, removed only at the edges of a block and always reported.

An answer is verbatim: nothing inside it is touched. What a web page or a recording wraps around
it (timestamps, share and ad lines, photo captions, stage directions, editor headings, markup) is
trimmed from its first and last lines only, one line or leading stamp at a time, and each
removal goes into the report.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .report import Report

# Lines web pages wrap around an article.
SHARE_AD = re.compile(
    r"^(hot search keywords|please sign in first|sign in|log ?in|register|share( this( article| story)?)?|"
    r"share on \w+|tweet|email|print|related( articles| posts| news| stories)?|advertisement|ad|sponsored|"
    r"read more|continue reading|(?:read more|related|see also|also read|more|recommended|watch|listen)\s*:.*|"
    r"subscribe.*|sign up.*|comments?( \(\d+\))?|previous|next|tags?:.*|"
    r"copyright.*|all rights reserved.*|©.*|story continues below.*|click here.*|listen to (this|the) .*)$",
    re.IGNORECASE,
)
CAPTION = re.compile(
    r"^(\(?(photo|image|picture|illustration|video)( credit)?s?( by)?\s*[:|/(]|"
    r"\(?(photograph|photo|image) (by|courtesy|credit)).*|.*\b(getty images|reuters/|ap photo|afp via)\b.*$",
    re.IGNORECASE,
)
_HEADING_START = re.compile(r"^#{1,6}\s")
STAMP = r"(?:\d{1,2}:)?\d{1,2}:\d\d(?:[.,]\d+)?"
# A line that is only a time: "12m 40s", "00:04:12", "[00:21:07]", "(1:02:03)".
STAMP_LINE = re.compile(rf"^[\[(]?(?:{STAMP}|(?:\d+h\s*)?\d{{1,2}}m\s*\d{{1,2}}s|\d+\s*(?:min|sec)s?)[\])]?$")
# Markup that is no text of the answer: an HTML tag or template tag on its own, an image, a
# link definition. (A horizontal rule is left to the answers: after the last one it closes the
# interview, and what follows it goes too.)
MARKUP_LINE = re.compile(
    r"^(?:<?https?://\S+>?|</?[a-zA-Z][^>]*>|\{[%{].*[%}]\}|!\[[^\]]*\]\([^)]*\)|\[[^\]]+\]:\s*\S+.*|<!--.*-->)$"
)
EDITOR_HEADING = "editor heading"
# A stamp, or a bracketed marker holding one ("[$STDOUT song 00:08:27.23]"), at a line's edge;
# markdown may escape the brackets.
_BRACKETED_STAMP = rf"\\?[\[(][^\])\n]{{0,40}}?{STAMP}\\*[\])]"
LEAD_STAMP = re.compile(rf"^\s*{_BRACKETED_STAMP}\s*")
# A bare stamp opening a line ("\\[00:11:50.11\\] Let me see"): nothing else in its brackets, not
# indented (then the line is code), so "(John 3:16) For God ..." and "(at 10:30) we met" stay.
_PARAGRAPH_STAMP = re.compile(rf"^\\?[\[(]{STAMP}\\*[\])]\s*")
#: What opens and closes a fenced code block in markdown.
FENCE = ("```", "~~~")
TRAIL_STAMP = re.compile(rf"\s*{_BRACKETED_STAMP}\s*$")
# A whole line that is a stage direction: "[laughter]", "(Inaudible.)", "[Music]".
DIRECTION_LINE = re.compile(r"^\\?[\[(][^\])]{1,40}\\?[\])]$")
# Small talk: greetings, thanks, go-aheads. "Yes." or "Right." alone is no small talk: to a
# yes/no question it is the answer.
GREETING = re.compile(
    r"^(?:(?:sure|okay|ok|yes|yeah|well|oh|great|all right|alright)[,.!]?\s+)?"
    r"(?:(?:hi|hello|hey|welcome|good (?:morning|afternoon|evening)|thanks?|thank you|thanks a lot|"
    r"my pleasure|pleasure|go ahead|fire away|you['’]re welcome|nice to (?:meet|see|be)|glad to|happy to be|"
    r"likewise|cheers|bye|goodbye)\b[^?]{0,30}|(?:how are you|can you hear me|are we live)\b.{0,20})$",
    re.IGNORECASE,
)


def is_noise_line(line: str) -> str | None:
    """The kind of noise a whole line is, or ``None`` when it may be content."""
    text = line.strip().strip("*_").strip()
    if not text:
        return None
    if STAMP_LINE.match(text):
        return "timestamp line"
    if DIRECTION_LINE.match(text):
        return "stage direction or marker"
    if SHARE_AD.match(text):
        return "share/ad/navigation line"
    if CAPTION.match(text) and len(text) < 200:
        return "photo caption"
    if _HEADING_START.match(line.strip()):
        return EDITOR_HEADING
    if MARKUP_LINE.match(line.strip()):
        return "markup line (tag, image, link)"
    return None


MAX_PROCEDURAL_WORDS = 8


def is_procedural(text: str) -> bool:
    """A greeting, thanks or go-ahead ("Hello, everyone!", "Sure, go ahead.") that is no entry.

    >>> is_procedural("Thank you so much for having me."), is_procedural("Thanks. Why did you leave?")
    (True, False)
    """
    flat = " ".join(text.split())
    return len(flat.split()) <= MAX_PROCEDURAL_WORDS and bool(GREETING.match(flat))


def trim(
    lines: list[str],
    report: Report,
    *,
    first_line: int,
    name_lines: frozenset[str] = frozenset(),
    kept: Sequence[str] = (),
) -> list[str]:
    """``lines`` without noise at either edge; blank edge lines dropped, inner lines untouched.

    ``name_lines`` are speaker names that stand alone on an answer's first line. ``kept``: the
    lines of the same answer kept before these (its earlier paragraphs), whose links a link
    definition here may serve.
    """
    start, end = 0, len(lines)
    while start < end:
        line = lines[start]
        if not line.strip():
            start += 1
            continue
        kind = is_noise_line(line) or ("speaker name line" if line.strip().strip("*_:").strip() in name_lines else None)
        if kind and not defines_a_link_used(line, [*kept, *lines[start + 1 : end]]):
            report.drop(kind, line, first_line + start)
            start += 1
            continue
        stamp = LEAD_STAMP.match(line)
        if stamp and stamp.end() < len(line):
            report.drop("inline timestamp", stamp.group(), first_line + start)
            lines = [*lines[:start], line[stamp.end() :], *lines[start + 1 :]]
        break
    while end > start:
        line = lines[end - 1]
        if not line.strip():
            end -= 1
            continue
        kind = is_noise_line(line)
        if kind and not defines_a_link_used(line, [*kept, *lines[start : end - 1]]):
            report.drop(kind, line, first_line + end - 1)
            end -= 1
            continue
        stamp = TRAIL_STAMP.search(line)
        if stamp and stamp.start() > 0:
            report.drop("inline timestamp", stamp.group(), first_line + end - 1)
            lines = [*lines[: end - 1], line[: stamp.start()]]
        break
    return [line.rstrip() for line in lines[start:end]]


# A markdown reference definition, "[label]: https://..." with an optional title, and its label.
_LINK_DEFINITION = re.compile(r"""^\s{0,3}\[([^\]]+)\]:\s*<?[^\s<>]+>?(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*$""")
# Code spans, where brackets are code ("a[i]"), not links.
_CODE_SPAN = re.compile(r"(`+).*?\1")


def defines_a_link_used(line: str, text: Sequence[str]) -> bool:
    """Whether ``line`` defines a markdown reference link that the lines ``text`` use
    ("[ripgrep][rg]", "[rg][]", "[rg]", outside code): then it is where the answer's link
    points, part of the answer, not markup around it. Labels match as markdown's do: without
    regard to case or to how much white space separates their words."""
    found = _LINK_DEFINITION.match(line)
    if found is None:
        return False
    label = r"\s+".join(map(re.escape, found.group(1).split()))
    used = re.compile(rf"\]\[\s*{label}\s*\]|\[\s*{label}\s*\](?![:(])", re.IGNORECASE)
    return any(used.search(_CODE_SPAN.sub("", other)) for other in text)


def strip_stamps(text: str) -> str:
    """A question's text without a stamp at either edge ("[10:25] True story?")."""
    lead = LEAD_STAMP.match(text)
    if lead and lead.end() < len(text):
        text = text[lead.end() :]
    trail = TRAIL_STAMP.search(text)
    return text[: trail.start()] if trail and trail.start() > 0 else text


def paragraph_stamps(lines: list[str], report: Report) -> list[str]:
    """An answer's lines with the bare stamp that opens one of its later paragraphs taken off
    ("[00:11:50] Let me see, ..."): a podcast transcript stamps the start of a paragraph now and
    then, inside one speaker's turn. That is the edge of a block, as the answer's own start is
    (``trim``). A stamp inside a sentence stays, and so does anything in a code block (fenced,
    or indented: the pattern takes no leading space)."""
    out = list(lines)
    fenced = False
    for at, line in enumerate(out):
        if line.lstrip().startswith(FENCE):
            fenced = not fenced
            continue
        if fenced or at == 0 or out[at - 1].strip() or not line.strip():
            continue
        stamp = _PARAGRAPH_STAMP.match(line)
        if stamp and stamp.end() < len(line):
            report.drop("inline timestamp", stamp.group())
            out[at] = line[stamp.end() :]
    return out
