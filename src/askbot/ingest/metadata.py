"""Title, date, interviewee(s), interviewer(s), publisher and URL from what a document offers.

Sources, strongest first: markdown front matter and a page's meta tags / JSON-LD (given as a
mapping), then the text before the first question: its first line as the title, a byline
("By Jia Xiaobie & Yang Jialun", "Interviewed by Lee Kim, April 3, 2010"), the first date, and
"interview with NAME, ROLE, at EVENT".
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from typing import Any

from ..knowledge import files
from ..model import Source
from .noise import EDITOR_HEADING, is_noise_line
from .report import Report

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
DATE_WORDS = re.compile(r"\b([A-Z][a-z]{2,8})\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})\b")
DATE_WORDS_DMY = re.compile(r"\b(\d{1,2}) ([A-Z][a-z]{2,8}),? (\d{4})\b")
DATE_YMD_WORDS = re.compile(r"\b(\d{4}),? ([A-Z][a-z]{2,8})\.? (\d{1,2})(?:st|nd|rd|th)?\b")  # "2003 July 29th"
DATE_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})(?!\d)")
BYLINE = re.compile(
    r"^\s*[*_]*(?:by|interview(?:ed)? by|written by|conducted by|questions by)\s+(?P<names>.+?)[*_]*$",
    re.IGNORECASE,
)
INTERVIEW_WITH = re.compile(
    r"(?:interview(?:ed)?|(?:chatted|talked|spoke|spoken|sat down|caught up|checks? in|checked in|conversation|"
    r"Q&A|questions)) with (?P<name>[A-Z][\w'’\-]+(?: [A-Z][\w'’\-]+){0,3})"
    r"(?:, (?P<role>[^,.]+?))?(?:,? (?:at|during) (?:the )?(?P<event>[^.]+?))?[.,]"
)
PROGRAM = re.compile(r"[“\"](?P<name>[^”\"]{2,60})[”\"] (?:column|program|programme|show|podcast|series)")
_NAME = re.compile(r"^[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3}$")
_FRONT_KEYS = {
    "title": "title",
    "date": "date",
    "published": "date",
    "interviewee": "interviewee",
    "guest": "interviewee",
    "guests": "interviewee",
    "speakers": "interviewee",  # bitcointranscripts and others list the guests so
    "author": "interviewers",
    "authors": "interviewers",
    "interviewer": "interviewers",
    "interviewers": "interviewers",
    "host": "interviewers",
    "hosts": "interviewers",
    "publisher": "publisher",
    "site": "publisher",
    "url": "url",
    "link": "url",
    "role": "role",
    "event": "event",
}


def front_matter(lines: list[str], report: Report) -> tuple[dict[str, Any], int]:
    """``key: value`` pairs of a leading ``---`` block, and the index of the first line after it.

    Read as metadata only: flat keys and ``[a, b]`` or ``- item`` lists; never a question.
    """
    if not lines or lines[0].strip() != "---":
        return {}, 0
    end = next((i for i in range(1, min(len(lines), 200)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        return {}, 0
    found = _yaml_fields(lines[1:end])
    if found is None:
        found = _flat_fields(lines[1:end])
    found = {k: _unquote(v) if isinstance(v, str) else v for k, v in found.items() if v not in ("", [])}
    report.drop("front matter (read as metadata)", f"{len(found)} fields: {', '.join(found)}", 1)
    return {_FRONT_KEYS[k]: v for k, v in found.items() if k in _FRONT_KEYS}, end + 1


def _yaml_fields(lines: list[str]) -> dict[str, Any] | None:
    """The block read as YAML, as safely as a knowledge file (``files.plain_fields``): its text
    and list-of-text values, whitespace runs made one space ("...Coordinator for\\" + "\\
    Strategic ..." is one title); ``None`` when it is no YAML mapping, for ``_flat_fields`` to
    read line by line."""
    fields = files.plain_fields("\n".join(lines))
    if fields is None:
        return None
    return {
        key.lower(): [" ".join(item.split()) for item in value] if isinstance(value, list) else " ".join(value.split())
        for key, value in fields.items()
    }


def _flat_fields(lines: list[str]) -> dict[str, Any]:
    """``key: value`` lines, ``[a, b]`` and ``- item`` lists, folded and block scalars: front
    matter that YAML refuses, read as far as it goes."""
    found: dict[str, Any] = {}
    key = None
    block = False  # inside "key: >" or "key: |": indented lines are the value
    for line in lines:
        indented = line[:1] in (" ", "\t") and line.strip()
        if key and indented and (block or isinstance(found.get(key), str)) and not re.match(r"^\s*-\s", line):
            # a folded or block scalar, or a plain value that goes on: one line of text, whole
            found[key] = f"{found.get(key, '')} {line.strip()}".strip()
            continue
        block = False
        item = re.match(r"^\s*-\s+(.+)$", line)
        if item and key:
            found.setdefault(key, [])
            if isinstance(found[key], list):
                found[key].append(_unquote(item[1]))
            continue
        pair = re.match(r"^([A-Za-z_][\w-]*)\s*:\s*(.*)$", line)
        if not pair:
            continue
        key = pair[1].lower()
        value = pair[2].strip()
        if value in (">", "|", ">-", "|-", ">+", "|+"):
            block = True
            found[key] = ""
        elif value.startswith("[") and value.endswith("]"):
            found[key] = [_unquote(v) for v in value[1:-1].split(",") if v.strip()]
        elif value:
            found[key] = _unquote(value)
    return found


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def source(
    preamble: list[tuple[int, str]],
    given: Mapping[str, Any],
    report: Report,
    *,
    interviewees: list[str],
    interviewers: list[str],
    opening: str = "",
) -> Source:
    """The source of an interview (see the module docstring); ``preamble`` is numbered lines,
    ``opening`` the first turns' text, where a host says who the guest is in full. Every line
    of the preamble that is neither the title nor the byline goes into no entry: ``report``
    hears of each (page noise, or ``PREAMBLE``)."""
    counts = Counter(line.strip() for _, line in preamble if line.strip())
    kept: list[str] = []
    numbers: list[int] = []
    for number, line in preamble:
        text = line.strip()
        if not text:
            continue
        if is_noise_line(text) not in (None, EDITOR_HEADING) or counts[text] > 1:
            report.drop("page noise before the first question", text, number)
            continue
        kept.append(text)
        numbers.append(number)
    title, byline_names, byline_index = None, [], None
    for index, line in enumerate(kept):
        byline = BYLINE.match(line)
        if byline:
            byline_names = names_in(byline["names"])
            byline_index = index
            if index > 0:
                title = kept[index - 1]
            break
    prose = " ".join(kept)
    heading = next((line for line in kept if line.startswith("# ")), None)  # the page's <h1>
    if title is None:
        title = next((line for line in kept if len(line) < 200), None)
    # Given (front matter, --title) first; then the page's own heading, whole; then its <title>
    title = given.get("title") or heading or given.get("page_title") or title
    title = title.lstrip("# ").strip("*_ ") if title else None
    found = INTERVIEW_WITH.search(prose)
    role, event = given.get("role"), given.get("event")
    listed = _list(given.get("interviewee"))  # front matter's guests or speakers: full names first
    named = _full_names(f"{title} {prose} {opening}")
    # front matter's "speakers" often lists the host too: a name the askers go by is no interviewee
    guests = [n for n in listed if not any(_short_form(a, n) or a == n for a in interviewers)]
    interviewee = ", ".join(guests) or ", ".join(_fuller(n, listed, named) for n in interviewees) or None
    if found:
        if interviewee is None or _short_form(interviewee, found["name"]):
            interviewee = found["name"]
        role = role or found["role"]
        event = event or found["event"]
    if interviewee is None:
        # "Mara Quint has blown glass in the old harbour for thirty years.": the lead names them
        lead = next((m for line in kept if line != title and (m := _LEAD_NAME.match(line))), None)
        interviewee = lead["name"] if lead and not _named_in(lead["name"], byline_names) else None
    if interviewee is None:
        # "I'm Jesse Thorn. I own ...": an answer that opens the interview introduces its speaker
        introduced = _SELF_INTRODUCED.search(opening)
        interviewee = introduced["name"] if introduced else None
    if interviewee is None and title and ":" in title and _NAME.match(title.split(":", 1)[0].strip()):
        interviewee = title.split(":", 1)[0].strip()
    for index, (number, line) in enumerate(zip(numbers, kept, strict=True)):
        if index != byline_index and line.lstrip("# ").strip("*_ ") != title and any(map(str.isalnum, line)):
            # A lead paragraph ("Mark joined the team in March ..."), a dateline: no answer, read
            # for the details above, and said, so the reader knows it went into no entry.
            report.drop(PREAMBLE, line, number)
    if not title:
        title = f"Interview with {interviewee}" if interviewee else "Untitled interview"
    asked_by = _list(given.get("interviewers")) or byline_names or [_fuller(n, listed, named) for n in interviewers]
    if not asked_by and given.get("author"):
        asked_by = [str(given["author"])]
    program = PROGRAM.search(prose)
    date = _date(str(given.get("date") or "")) or _date(prose)
    if byline_index is not None and date is None:
        date = _date(kept[byline_index])
    return Source(
        title=str(title),
        interviewee=interviewee,
        role=role,
        interviewers=tuple(asked_by),
        publisher=given.get("publisher") or (program["name"] if program else None),
        event=event,
        date=date,
        url=given.get("url") or _url(kept),
    )


#: How the report names the text before the first question found that is neither the title
#: nor the byline: mostly a writer's lead, but also any exchange ingest did not take for one.
PREAMBLE = "preamble before the first question (read for the source details only)"
_URL_LINE = re.compile(
    r"(?i)\b(?:source|originally|published|first appeared|transcript|via|url|link|from)\b[^\n]{0,80}?"
    r"(?P<url>https?://[^\s)\]>\"']+)"
)
_FULL_NAME = re.compile(r"\b[A-Z][a-z][\w'’-]*(?:\s+(?:[A-Z]\.\s+)?[A-Z][a-z][\w'’-]*)+")


# A speaker who introduces themselves by full name: "I'm Jesse Thorn.", "My name is Ann Lee and".
_SELF_INTRODUCED = re.compile(
    r"\b(?:I['’]m|I am|[Mm]y name is)\s+(?P<name>[A-Z][a-z][\w'’-]*(?:\s+[A-Z][a-z][\w'’-]*)+)"
)
# A paragraph that opens with a person's full name and a verb or an apposition.
_LEAD_NAME = re.compile(r"^(?P<name>[A-Z][a-z][\w'’-]*(?:\s+[A-Z]\.)?\s+[A-Z][a-z][\w'’-]*)(?:,\s|\s+(?:is|was|has|had|"
                        r"joined|left|leads|runs|spent|started|founded|grew|works|worked|became)\b)")


def _named_in(name: str, names: list[str]) -> bool:
    return any(name.casefold() == other.casefold() for other in names)


def _url(lines: list[str]) -> str | None:
    """A URL the text before the first question gives as the interview's source."""
    for line in lines:
        found = _URL_LINE.search(line)
        if found:
            return found["url"].rstrip(".,;")
    return None


def _full_names(text: str) -> list[str]:
    """Capitalised runs of two or more words: the full names the text may give."""
    return list(dict.fromkeys(_FULL_NAME.findall(text)))


def _short_form(short: str, name: str) -> bool:
    """Whether ``short`` is ``name``'s initials, first or last name (``BK``, ``Brian``).

    >>> _short_form("BK", "Brian Kernighan"), _short_form("Brian", "Brian Kernighan"), _short_form("AB", "Ann Lee")
    (True, True, False)
    """
    words = [w for w in re.split(r"\s+", name) if w and w[0].isupper()]
    if len(words) < 2 or " " in short.strip():
        return False
    short = short.strip().rstrip(".")
    return short == "".join(w[0] for w in words) or short.casefold() in (words[0].casefold(), words[-1].casefold())


def _fuller(label: str, listed: list[str], found: list[str]) -> str:
    """A speaker's label made a full name: the first name the document lists (front matter) that
    fits it, else the one name the text gives in full that fits (``BK`` -> ``Brian Kernighan``);
    the label as it is when none fits, or several of the text's do ("Hey Stephan")."""
    for name in listed:
        if _short_form(label, name):
            return name
    fits = [name for name in found if _short_form(label, name)]
    return fits[0] if len(fits) == 1 else label


def names_in(text: str) -> list[str]:
    """The people a byline names, without dates and places.

    >>> names_in("Lee Kim, April 3, 2010"), names_in("Jia Xiaobie & Yang Jialun")
    (['Lee Kim'], ['Jia Xiaobie', 'Yang Jialun'])
    """
    parts = re.split(r"\s*(?:&|,|;|\band\b|\|)\s*", text)
    names = [part.strip(" .*_") for part in parts]
    return [name for name in names if _NAME.match(name) and not _date(name) and name.split()[0].lower() not in MONTHS]


def _one(value: Any) -> str | None:
    if isinstance(value, list):
        return ", ".join(map(str, value)) or None
    return str(value) if value else None


def _list(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    return names_in(str(value)) if value else []


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
    for match in DATE_YMD_WORDS.finditer(text):
        month = MONTHS.get(match[2].lower())
        if month:
            candidates.append((match.start(), int(match[1]), month, int(match[3])))
    for match in DATE_ISO.finditer(text):
        candidates.append((match.start(), int(match[1]), int(match[2]), int(match[3])))
    for _, year, month, day in sorted(candidates):
        if 1 <= month <= 12 and 1 <= day <= 31:
            return f"{year:04d}-{month:02d}-{day:02d}"
    return None
