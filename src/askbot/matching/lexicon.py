"""General English knowledge the matcher needs beyond a knowledge file: opposites and negation,
and the kind of answer a question asks for.

A knowledge file says what an interview covers; it cannot say that "disadvantages" asks the
opposite of "advantages", or that "how many" wants a number the interview may never give. These
tables are about English, not about any interview, so they hold for the interviews people bring.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .text import STOPWORDS, normalize, stem, words

# Each row is one scale with its two ends: words at one end contradict words at the other.
# Both ends are listed as a reader would type them; lookups use their stems.
OPPOSITES: tuple[tuple[str, str], ...] = (
    (
        "advantage benefit strength merit pro upside plus asset edge attraction perk strong point",
        "disadvantage drawback downside weakness demerit con minus liability shortcoming flaw "
        "pitfall risk danger threat weak point disincentive problem challenge obstacle difficulty "
        "hurdle bottleneck barrier concern",
    ),
    ("success succeed win victory", "failure fail defeat"),
    ("optimistic hopeful confident positive bullish", "pessimistic hopeless doubtful worried negative bearish"),
    ("like love enjoy favourite favorite", "dislike hate despise"),
    ("agree support favour favor approve endorse", "disagree oppose object disapprove reject criticise criticize"),
    ("increase rise grow growth expand gain boost improve", "decrease fall decline shrink contract drop cut worsen"),
    ("easy simple", "hard difficult complicated"),
    ("good great best better", "bad worst worse terrible"),
    ("cheap inexpensive affordable", "expensive costly"),
    ("safe secure", "unsafe insecure dangerous"),
    ("legal lawful allowed permitted", "illegal unlawful banned forbidden prohibited"),
    ("right correct true", "wrong incorrect false"),
    ("start begin open launch", "stop close shut quit"),
    ("include", "exclude"),
    ("accept", "refuse"),
    ("remember", "forget"),
    ("help", "hurt harm hinder hamper"),
    ("rich wealthy", "poor"),
    ("fast quick", "slow"),
    ("surplus abundance plenty", "shortage lack scarcity shortfall deficit"),
    ("future", "past"),
    ("reason", "excuse"),
)

# Scales of ``OPPOSITES`` (by their first word) that judge: asking for their negative end asks for
# a downside, which only an entry that speaks of some trouble can answer.
_JUDGING = ("advantage", "success", "good")
# Scales whose negative end is trouble of some kind (a shortage, a danger, a worry): an entry
# standing there speaks of trouble. "past" or "decrease" are not trouble.
_TROUBLE = (*_JUDGING, "optimistic", "like", "easy", "safe", "legal", "help", "surplus")

# Prefixes that turn a word into its opposite ("disadvantage", "unsafe", "nonprofit"). The first
# kind is trusted for any word of five letters or more; the second ("in", "im", ...) only before a
# word with a listed opposite, so "install" never reads as "not stall".
NEGATING_PREFIXES = ("dis", "un", "non", "anti", "counter")
WEAK_NEGATING_PREFIXES = ("in", "im", "ir", "il")

# Patterns are kept as text and compiled on first use (``_kind_patterns`` and the others below),
# so importing askbot does not pay for questions it is never asked.

# The words one of the patterns below must start at.
_KIND_WORDS = frozenset("how what which when who whom whose where".split())
_TIME_UNITS = r"(?:years?|months?|weeks?|days?|decades?|hours?|time)\b"
_WHAT_THE = r"\b(?:what|which|in what|on what)(?:'s| is| are| was| were)?(?: the| its| their| his| her| your)? "

# The kind of answer a question asks for, read from its opening words: a question that wants a
# number, a date, a person or a place is not answered by an entry that never gives one.
QUESTION_KINDS: tuple[tuple[str, str], ...] = (
    (
        "how many",
        rf"\bhow many\b(?! {_TIME_UNITS})|\bhow (?:large|big|high|old|tall|expensive)\b"
        r"|\bhow much (?:\w+ )?(?:money|capital|funding|investment|cash|revenue|profit)\b"
        r"|\bhow much (?:does|did|will|is|was)\b"
        rf"|{_WHAT_THE}(?:percentage|number|amount|share|size|salary|price|budget|cost|figure|total)s?\b",
    ),
    # "How much do you trust ...?" asks a degree as often as an amount: only a lack of coverage.
    ("how much", rf"\bhow (?:much|often)\b(?! {_TIME_UNITS})"),
    (
        "when",
        rf"\bwhen\b|{_WHAT_THE}(?:year|date|day|month|time)\b|\bhow (?:long|soon)\b"
        rf"|\bhow (?:many|much) {_TIME_UNITS}",
    ),
    ("who", r"\bwho(?:m|se)?\b|\bwhich (?:person|people|company|companies|firm)\b"),
    ("where", r"\bwhere\b|\bwhich (?:city|cities|country|countries|place|district)\b"),
)


# A figure an answer gives: a number that is not a list marker ("2.", "3)") or a year ("2030"),
# or a number word.
_NUMBER = r"\d+(?:[.,]\d+)*"
_NUMBER_WORD = (
    r"\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|"
    r"sixty|seventy|eighty|ninety|hundreds?|thousands?|millions?|billions?|trillions?|dozens?)\b"
)
# Words that negate what follows, as ``text.words`` gives them ("don't" -> "do not").
NEGATORS = frozenset(
    "not no never none nor neither cannot dont doesnt didnt isnt arent wasnt werent wont wouldnt "
    "shouldnt couldnt cant hasnt havent hadnt aint".split()
)
# A phrasing "says not" with any of those, a contraction ("don't"), or a word that negates
# without a target of its own ("nothing", "without"): wider than what ``negated_words`` follows.
_NEGATING = sorted(NEGATORS | {"nothing", "nobody", "nowhere", "without", "against"})
_NEGATION = rf"\b(?:{'|'.join(_NEGATING)})\b|\Bn't\b"


# Compiled on first use, each group apart (``askbot ask`` compiles only what its question needs);
# a build calls them for every phrasing of every entry, where ``re``'s own cache lookup would
# cost a tenth of the time.


@lru_cache(maxsize=1)
def _kind_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((kind, re.compile(pattern)) for kind, pattern in QUESTION_KINDS)


@lru_cache(maxsize=1)
def _negation() -> re.Pattern[str]:
    return re.compile(_NEGATION)


@lru_cache(maxsize=1)
def _figures() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """A digit, a number word, and either as a whole figure."""
    figure = rf"{_NUMBER}|{_NUMBER_WORD}"
    return re.compile(r"\d"), re.compile(_NUMBER_WORD, re.IGNORECASE), re.compile(figure, re.IGNORECASE)


@lru_cache(maxsize=1)
def _poles() -> dict[str, tuple[int, int]]:
    """Stem -> (scale, end) for every word of ``OPPOSITES``."""
    poles: dict[str, tuple[int, int]] = {}
    for scale, ends in enumerate(OPPOSITES):
        for end, listed in enumerate(ends):
            for word in listed.split():
                poles.setdefault(stem(word), (scale, end))
    return poles


def pole(term: str) -> tuple[int, int] | None:
    """The (scale, end) a stemmed term stands at, or ``None`` for a word with no opposite.

    >>> pole(stem("advantages")) == pole(stem("benefit")) != pole(stem("drawbacks"))
    True
    """
    return _poles().get(term)


@lru_cache(maxsize=4096)
def opposites(term: str) -> frozenset[str]:
    """Every stem that means the opposite of ``term``: the other end of its scale, the word
    without its negating prefix, and the word with one.

    >>> stem("advantage") in opposites(stem("disadvantages")), stem("benefits") in opposites(stem("risks"))
    (True, True)
    >>> stem("vest") in opposites(stem("invest")), stem("strength") in opposites(stem("benefit"))
    (False, False)
    """
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


def is_downside(term: str) -> bool:
    """Whether a stemmed term asks for the bad side of something (a drawback, a failure, the
    worst): the negative end of an evaluative scale.

    >>> is_downside(stem("drawbacks")), is_downside(stem("closing")), is_downside(stem("benefit"))
    (True, False, False)
    """
    return _at_bad_end(term, _JUDGING)


def is_trouble(term: str) -> bool:
    """Whether a stemmed term speaks of trouble: a downside, a shortage, a danger, a worry.

    >>> is_trouble(stem("shortage")), is_trouble(stem("past")), is_trouble(stem("risks"))
    (True, False, True)
    """
    return _at_bad_end(term, _TROUBLE)


def _at_bad_end(term: str, scales: tuple[str, ...]) -> bool:
    """Whether a stemmed term stands at the negative end of one of ``scales`` (by first word)."""
    found = pole(term)
    return found is not None and found[1] == 1 and OPPOSITES[found[0]][0].split()[0] in scales


def negated(text: str) -> bool:
    """Whether a question or phrasing says "not" in any of its forms.

    >>> negated("Why not Hangzhou?"), negated("Why don't they?"), negated("Why Hangzhou?")
    (True, True, False)
    """
    return _negation().search(normalize(text)) is not None


def question_kind(text: str) -> str | None:
    """The kind of answer a question asks for ("how many", "when", "who", "where"), if it says.

    >>> question_kind("How many firms are there?"), question_kind("What year was it?")
    ('how many', 'when')
    >>> question_kind("Why Hangzhou?") is None
    True
    """
    plain = normalize(text)
    if _KIND_WORDS.isdisjoint(re.findall("[a-z]+", plain)):
        return None  # every kind's pattern opens with one of these words: "why?" compiles none
    for kind, pattern in _kind_patterns():
        if pattern.search(plain):
            return kind
    return None


def counted(answer: str, *, words_after: int = 2) -> list[str]:
    """The words an answer gives a figure for: the ``words_after`` after each number that is not
    a list marker ("2."), a year ("2030") or part of a name ("8btc"). "How many people?" is
    answered by "140 people", not by "100 points".

    >>> counted("1. Talent. 2.Policy, by 2030, says 8btc. We are 140 people and three offices.")
    ['people', 'and', 'offices']
    """
    found: list[str] = []
    digit, number_word, figure = _figures()
    if digit.search(answer) is None and number_word.search(answer) is None:
        return found
    for number in figure.finditer(answer):
        text = number.group()
        before, after = answer[number.start() - 1 : number.start()], answer[number.end() : number.end() + 2]
        is_marker = after[:1] in (".", ")") and not after[1:].isdigit()
        is_year = len(text) == 4 and text[:2] in ("19", "20")
        in_name = before.isalpha() or after[:1].isalpha()  # "8btc", "G20"
        if text[0].isdigit() and (is_marker or is_year or in_name):
            continue
        found += words(answer[number.end() : number.end() + 20 * words_after], limit=None)[:words_after]
    return found


def negated_words(text: str, *, reach: int = 1) -> list[str]:
    """What a text's negations apply to: the first ``reach`` content words after each "not"
    ("why not Hangzhou" -> hangzhou, "not enough talent" -> enough), or "" for a bare "why not?".
    A "no," that answers and a "don't know" that hedges negate nothing.

    >>> negated_words("Why not Hangzhou? There are not enough engineers; why not?")
    ['hangzhou', 'enough', '']
    >>> negated_words("No, they can't find enough staff, I don't know why", reach=3)
    ['find', 'enough', 'staff']
    """
    found = words(re.sub(r"\bno\s*(?:[,.!;:]|$)", " ", normalize(text, limit=None)), limit=None)
    result: list[str] = []
    for at, word in enumerate(found):
        if word in NEGATORS and found[at + 1 : at + 2] not in (["know"], ["mind"]):
            after = [w for w in found[at + 1 : at + 4 + reach] if w not in STOPWORDS and w not in NEGATORS]
            result.extend(after[:reach] or [""])
    return result
