"""Entry ids: readable, unique within the file, and unlikely to collide with another interview's.

Each id is a short slug of the interviewee (or the title) and a checksum of the interview,
followed by the question's first content words, so two interviews ingested separately can be
loaded together.
"""

from __future__ import annotations

import re
import unicodedata
import zlib

from ..model import Source

STOPWORDS = frozenset(
    "a an the of in on at to for and or is are was were be been will would can could do does did "
    "how what why when where who which whom whose there this that these those it its your you "
    "we our they their i me my about from with by as into than then so such has have had".split()
)
MAX_WORDS = 4


def slug(text: str, words: int = 2) -> str:
    """The first ``words`` content words of ``text``, lower-case and joined by ``-``.

    >>> slug("Wang Yuejian"), slug("The Future of Blockchain", 3)
    ('wang-yuejian', 'future-blockchain')
    """
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    found = re.findall(r"[a-z0-9]+", re.sub(r"'[a-z]+\b", "", plain.lower().replace("’", "'")))
    content = [w for w in found if w not in STOPWORDS] or found
    return "-".join(content[:words])


def unique_ids(questions: list[str], prefix: str) -> list[str]:
    """One id per question, ``PREFIX-first-content-words``, numbered when repeated (linear time)."""
    ids: list[str] = []
    used: set[str] = set()
    next_number: dict[str, int] = {}
    for question in questions:
        base = "-".join(part for part in (prefix, slug(question, MAX_WORDS) or "question") if part)
        candidate = base
        while candidate in used:
            number = next_number.get(base, 2)
            next_number[base] = number + 1
            candidate = f"{base}-{number}"
        used.add(candidate)
        ids.append(candidate)
    return ids


def prefix(source: Source, questions: list[str], *, several_answerers: bool) -> str:
    """The interviewee's slug (the title's for a panel) and a short checksum of the interview
    (title, date and questions), so that ids differ from any other interview's: two interviews
    of one person, or two without a title, still get ids of their own.

    >>> prefix(Source("T", interviewee="Wang Yuejian", date="2018"), ["Why?"], several_answerers=False)
    'wang-yuejian-452c'
    """
    named = source.interviewee if source.interviewee and not several_answerers else source.title
    checksum = zlib.crc32("\n".join([source.title, source.date or "", *questions]).encode())
    return "-".join(part for part in (slug(named), f"{checksum & 0xFFFF:04x}") if part)
