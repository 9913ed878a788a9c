"""General English knowledge the matcher needs beyond a knowledge file: opposites and negation,
and the kind of answer a question asks for.

A knowledge file says what an interview covers; it cannot say that "disadvantages" asks the
opposite of "advantages", or that "how many" wants a number the interview may never give. These
tables are about English, not about any interview, so they hold for the interviews people bring.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .text import normalize, stem

# Each row is one scale with its two ends: words at one end contradict words at the other.
# Both ends are listed as a reader would type them; lookups use their stems.
OPPOSITES: tuple[tuple[str, str], ...] = (
    (
        "advantage benefit strength merit pro upside plus asset edge attraction perk strong point",
        "disadvantage drawback downside weakness demerit con minus liability shortcoming flaw "
        "pitfall risk danger threat weak point disincentive",
    ),
    ("success succeed win victory", "failure fail lose loss defeat"),
    ("optimistic hopeful confident positive bullish", "pessimistic hopeless doubtful worried negative bearish"),
    ("like love enjoy favourite favorite", "dislike hate despise"),
    ("agree support favour favor approve endorse", "disagree oppose object disapprove reject criticise criticize"),
    ("increase rise grow growth expand gain boost", "decrease fall decline shrink contract drop cut"),
    ("easy simple", "hard difficult complicated"),
    ("good great best better", "bad poor worst worse terrible"),
    ("cheap inexpensive affordable", "expensive costly"),
    ("safe secure", "unsafe insecure dangerous"),
    ("legal lawful allowed permitted", "illegal unlawful banned forbidden prohibited"),
    ("right correct true", "wrong incorrect false"),
    ("start begin open launch", "stop end close shut quit"),
    ("include", "exclude"),
    ("accept", "refuse"),
    ("remember", "forget"),
    ("help", "hurt harm hinder"),
    ("rich wealthy", "poor"),
    ("fast quick", "slow"),
    ("surplus abundance plenty", "shortage lack scarcity shortfall deficit"),
    ("future", "past"),
    ("reason", "excuse"),
)

# Prefixes that turn a word into its opposite ("disadvantage", "unsafe", "nonprofit"). The first
# kind is trusted for any word of five letters or more; the second ("in", "im", ...) only before a
# word with a listed opposite, so "install" never reads as "not stall".
NEGATING_PREFIXES = ("dis", "un", "non", "anti", "counter")
WEAK_NEGATING_PREFIXES = ("in", "im", "ir", "il")

# Words that negate what follows. Contractions are matched on the normalised text, before
# ``words`` drops their endings ("don't" -> "don").
_NEGATION = re.compile(
    r"\b(?:not|no|never|none|nor|neither|nothing|nobody|nowhere|without|cannot|against|dont|doesnt|didnt"
    r"|isnt|arent|wasnt|werent|wont|wouldnt|shouldnt|couldnt|cant|hasnt|havent|hadnt|aint)\b|\Bn't\b"
)

# The kind of answer a question asks for, read from its opening words: a question that wants a
# number, a date, a person or a place is not answered by an entry that never gives one.
QUESTION_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("how many", re.compile(r"\bhow (?:many|much)\b|\bwhat (?:percentage|number|amount|share)\b")),
    ("when", re.compile(r"\bwhen\b|\bwhat (?:year|date|day|month|time)\b|\bhow long\b|\bhow soon\b")),
    ("who", re.compile(r"\bwho(?:m|se)?\b|\bwhich (?:person|people|company|companies|firm)\b")),
    ("where", re.compile(r"\bwhere\b|\bwhich (?:city|cities|country|countries|place|district)\b")),
)


@lru_cache(maxsize=1)
def _poles() -> dict[str, tuple[int, int]]:
    """Stem -> (scale, end) for every word of ``OPPOSITES``."""
    poles: dict[str, tuple[int, int]] = {}
    for scale, ends in enumerate(OPPOSITES):
        for end, words in enumerate(ends):
            for word in words.split():
                poles.setdefault(stem(word), (scale, end))
    return poles


def pole(term: str) -> tuple[int, int] | None:
    """The (scale, end) a stemmed term stands at, or ``None`` for a word with no opposite.

    >>> pole(stem("advantages")) == pole(stem("benefit")) != pole(stem("drawbacks"))
    True
    """
    return _poles().get(term)


def opposes(term: str, other: str) -> bool:
    """Whether two stemmed terms mean opposite things: ends of one scale, or ``dis``+``other``.

    >>> opposes(stem("disadvantages"), stem("advantage")), opposes(stem("risks"), stem("benefits"))
    (True, True)
    >>> opposes(stem("invest"), stem("vest")), opposes(stem("benefit"), stem("strength"))
    (False, False)
    """
    return other in opposites(term)


@lru_cache(maxsize=4096)
def opposites(term: str) -> frozenset[str]:
    """Every stem that means the opposite of ``term``: the other end of its scale, the word
    without its negating prefix, and the word with one."""
    found: set[str] = set()
    mine = pole(term)
    if mine is not None:
        found.update(t for t, (scale, end) in _poles().items() if scale == mine[0] and end != mine[1])
    for prefix in NEGATING_PREFIXES + WEAK_NEGATING_PREFIXES:
        strong = prefix in NEGATING_PREFIXES
        base = term[len(prefix) :]
        if term.startswith(prefix) and base and ((strong and len(base) >= 5) or pole(base) is not None):
            found.add(base)
        if (strong and len(term) >= 5) or mine is not None:
            found.add(prefix + term)
    return frozenset(found)


def negated(text: str) -> bool:
    """Whether a question or phrasing says "not" in any of its forms.

    >>> negated("Why not Hangzhou?"), negated("Why don't they?"), negated("Why Hangzhou?")
    (True, True, False)
    """
    return _NEGATION.search(normalize(text)) is not None


def question_kind(text: str) -> str | None:
    """The kind of answer a question asks for ("how many", "when", "who", "where"), if it says.

    >>> question_kind("How many firms are there?"), question_kind("What year was it?")
    ('how many', 'when')
    >>> question_kind("Why Hangzhou?") is None
    True
    """
    plain = normalize(text)
    for kind, pattern in QUESTION_KINDS:
        if pattern.search(plain):
            return kind
    return None
