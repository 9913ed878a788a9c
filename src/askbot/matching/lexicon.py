"""General English knowledge the matcher needs beyond a knowledge file: opposites and negation,
and the kind of answer a question asks for.

A knowledge file says what an interview covers; it cannot say that "disadvantages" asks the
opposite of "advantages", or that "how many" wants a number the interview may never give. These
tables are about English, not about any interview, so they hold for the interviews people bring.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from .text import STOPWORDS, asked_part, normalize, sentences, stem, words

# Each row is one scale with its two ends: words at one end contradict words at the other.
# Both ends are listed as a reader would type them; lookups use their stems. General English
# only: a knowledge file declares the scales of its own subject (its ``opposites``).
OPPOSITES: tuple[tuple[str, str], ...] = (
    (
        "advantage benefit strength merit pro upside plus",
        "disadvantage drawback downside weakness demerit con minus shortcoming flaw pitfall risk danger "
        "threat problem challenge obstacle difficulty",
    ),
    ("success succeed win victory", "failure fail defeat"),
    ("optimistic hopeful confident positive", "pessimistic hopeless doubtful worried negative"),
    ("like love enjoy favourite favorite", "dislike hate"),
    ("agree support favour favor approve", "disagree oppose disapprove reject"),
    ("increase rise grow growth expand gain improve", "decrease fall decline shrink drop worsen"),
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
    ("help", "hurt harm"),
    ("rich wealthy", "poor"),
    ("fast quick", "slow"),
    ("future", "past"),
)

# Scales of ``OPPOSITES`` (by their first word) that judge: asking for their negative end asks for
# a downside, which only an entry that speaks of some trouble can answer.
_JUDGING = ("advantage", "success", "good")
# Scales whose negative end is trouble of some kind (a danger, a worry): an entry standing there
# speaks of trouble. "past" or "decrease" are not trouble.
_TROUBLE = (*_JUDGING, "optimistic", "like", "easy", "safe", "legal", "help")

# Prefixes that turn a word into its opposite ("disadvantage", "unsafe", "nonprofit"). The first
# kind is trusted for any word of five letters or more; the second ("in", "im", ...) only before a
# word with a listed opposite, so "install" never reads as "not stall".
NEGATING_PREFIXES = ("dis", "un", "non", "anti", "counter")
WEAK_NEGATING_PREFIXES = ("in", "im", "ir", "il")

# The kind of answer a question asks for is read from the question word that opens its question
# sentence, perhaps after a lead-in ("can you tell me when ...", "so I was wondering who ..."):
# "how many" a figure, "when" a time, "who" a person, "where" a place. A question word later in
# a sentence opened otherwise ("Are you reaching people who ...?") starts a clause, not the
# question. A "what" or "which" asks for a time or a figure only before one of these nouns.
_KIND_WORDS = frozenset("how what which when who whom whose where".split())
_LEAD_INS = frozenset(
    """can could would will do does did you u me us tell know say explain remember recall wonder
    wondering want wanted to i was am just so and but ok okay hey hi please actually basically
    like any idea anyone someone""".split()
)
_TIME_UNITS = frozenset("year years month months week weeks day days decade decades hour hours time".split())
_TIME_NOUNS = frozenset("year date day month time decade".split())
_FIGURE_NOUNS = frozenset("number amount percentage price cost total size".split())
_MEASURES = frozenset("large big high old tall expensive far".split())
_DETERMINERS = frozenset("is are was were the its their his her your this that".split())
# What an answer that gives a time says: a year, a month or day, or how long ago or since.
_TIME_WORDS = frozenset(
    """january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday yesterday today tomorrow ago since
    until later earlier decade decades year years month months week weeks""".split()
)
# Auxiliaries whose negative opens a rhetorical question ("Isn't a Finding the President's
# decision?" asserts that it is) rather than asking about a negation.
_AUXILIARIES = frozenset("is are was were do does did can could will would should has have had".split())
# What opens a question's clause; a clause is cut at commas, semicolons, colons and dashes.
_OPENERS = _KIND_WORDS | _AUXILIARIES | {"why"}
_CLAUSE = re.compile(r"[,;:\u2013\u2014]|\s-\s")


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


# Compiled on first use: ``askbot ask`` compiles only what its question needs.


@lru_cache(maxsize=1)
def _negation() -> re.Pattern[str]:
    return re.compile(_NEGATION)


@lru_cache(maxsize=1)
def _figures() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """A digit, a number word (in lower case: searching a lowered answer is three times faster
    than a case-blind search, and every answer of a knowledge base is searched), and either as a
    whole figure."""
    figure = rf"{_NUMBER}|{_NUMBER_WORD}"
    return re.compile(r"\d"), re.compile(_NUMBER_WORD), re.compile(figure, re.IGNORECASE)


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


@lru_cache(maxsize=1)
def trouble_terms() -> frozenset[str]:
    """The stemmed terms that speak of trouble: a downside, a shortage, a danger, a worry. A set,
    because indexing asks it of every term of every answer (``isdisjoint`` answers for all of
    them at once).

    >>> [stem(word) in trouble_terms() for word in ("dangers", "past", "risks")]
    [True, False, True]
    """
    return frozenset(term for term in _poles() if _at_bad_end(term, _TROUBLE))


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


# Words by which a question points back at something named before it: a transcript's follow-up
# ("And where will they be held?") asks about the question before it.
_POINTING = frozenset("it its they them their he him his she her those these".split())
_CONTINUING = frozenset("and also".split())


def leans_back(found: Sequence[str]) -> bool:
    """Whether a question (its words) leans on the one asked before it: it opens with "and", or
    points back with a pronoun.

    >>> leans_back(["and", "where", "will", "they", "be", "held"]), leans_back(["why", "lisbon"])
    (True, False)
    """
    return bool(found) and (found[0] in _CONTINUING or not _POINTING.isdisjoint(found))


def question_kind(text: str) -> str | None:
    """The kind of answer a question asks for ("how many", "when", "who", "where"), read from
    the question word that opens its question sentence, if it says.

    >>> question_kind("How many firms are there?"), question_kind("What year was it?")
    ('how many', 'when')
    >>> question_kind("Why Hangzhou?") is None, question_kind("Are you reaching people who doubt it?") is None
    (True, True)
    >>> question_kind("I read about the summit. So do you know who ran it?")
    'who'
    >>> question_kind("Mia, where does the money come from?"), question_kind("When you left, why?")
    ('where', None)
    """
    if _KIND_WORDS.isdisjoint(words(text)):
        return None  # most questions of a knowledge base's own words: no sentence to read
    for sentence in sentences(asked_part(text)[0]):
        # The question proper is the last clause that opens with a question word: "Mia, where
        # ...?" (a name called first), "When you arrived, who was there?" (a clause set first).
        opened = None
        for clause in _CLAUSE.split(sentence):
            found = words(clause)
            at = next((n for n, word in enumerate(found) if word not in _LEAD_INS), None)
            if at is not None and found[at] in _OPENERS:
                opened = found, at
        if opened is not None and opened[0][opened[1]] in _KIND_WORDS:
            return _kind_at(*opened)
    return None


def _kind_at(found: list[str], at: int) -> str | None:
    """The kind the question word at ``at`` asks for."""
    word, after = found[at], [w for w in found[at + 1 : at + 4] if w not in _DETERMINERS]
    following = after[0] if after else ""
    if word == "how":
        if following == "many":
            unit = after[1] if len(after) > 1 else ""
            return "when" if unit in _TIME_UNITS else "how many"
        if following == "much":
            unit = after[1] if len(after) > 1 else ""
            return "when" if unit in _TIME_UNITS else None  # "how much do you trust ...": a degree
        if following in ("long", "soon"):
            return "when"
        return "how many" if following in _MEASURES else None
    if word == "when":
        return "when"
    if word in ("who", "whom", "whose"):
        return "who"
    if word == "where":
        return "where"
    if following in _TIME_NOUNS:
        return "when"
    return "how many" if following in _FIGURE_NOUNS else None


def answer_kinds(answer: str) -> list[str]:
    """The kinds of answer an answer gives, whatever its question asked: "how many" when it
    gives a figure (``counted``), "when" when it names a time, "who" and "where" when it names
    someone or somewhere (a capitalised word inside a sentence). A question about what was said
    ("How long did the review take?") is answered by an entry that asked something else.

    >>> answer_kinds("We met Ann Lee in March; 40 people came.")
    ['how many', 'when', 'who', 'where']
    """
    found: list[str] = []
    if counted(answer):
        found.append("how many")
    plain = words(answer, limit=None)
    if not _TIME_WORDS.isdisjoint(plain) or any(len(w) == 4 and w[:2] in ("19", "20") and w.isdigit() for w in plain):
        found.append("when")
    for sentence in sentences(answer):
        if any(word[:1].isupper() for word in sentence.split()[1:]):
            found += ["who", "where"]
            break
    return found


def counted(answer: str, *, words_after: int = 2) -> list[str]:
    """The words an answer gives a figure for: the ``words_after`` after each number that is not
    a list marker ("2."), a year ("2030") or part of a name ("8btc"). "How many people?" is
    answered by "140 people", not by "100 points".

    >>> counted("1. Talent. 2.Policy, by 2030, says 8btc. We are 140 people and three offices.")
    ['people', 'and', 'offices']
    """
    found: list[str] = []
    digit, number_word, figure = _figures()
    if digit.search(answer) is None and number_word.search(answer.lower()) is None:
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
    >>> negated_words("Isn't a Finding the President's decision?")
    []
    """
    result: list[str] = []
    plain = normalize(text, limit=None)
    if _negation().search(plain) is None:
        return result
    for sentence in sentences(plain):
        found = words(re.sub(r"\bno\s*(?:[,.!;:]|$)", " ", sentence), limit=None)
        for at, word in enumerate(found):
            if word not in NEGATORS or found[at + 1 : at + 2] in (["know"], ["mind"]):
                continue
            if at == 1 and found[0] in _AUXILIARIES and sentence.endswith("?"):
                continue  # "isn't it ...?", "wouldn't it ...?": rhetorical, not asking about a "not"
            after = [w for w in found[at + 1 : at + 4 + reach] if w not in STOPWORDS and w not in NEGATORS]
            result.extend(after[:reach] or [""])
    return result
