"""What a question's shape says before any entry is scored: whether it leans on the last answer,
whether it repairs it ("no, I meant ..."), whether it asks two things at once.

Read from the shape of English, never from a list of one interview's openings: a line leans back
when it points back (a pronoun or a demonstrative: "is it working?") or leaves out what it asks
about ("since when?", "and the fees?"); it repairs when it opens by rejecting or by saying what
was meant; it asks two things when a second question opens after "and" or a question mark.

``askbot ask`` reads every question through here (``turn.decide``), so nothing is compiled at
import: the patterns are built the first time a line needs them, and a plain question needs
none. (No ``from __future__ import annotations``, as in ``model``: a ``NamedTuple`` compiles
string annotations when the class is made, which every ``askbot ask`` would pay.)
"""

import re
from functools import cache
from typing import NamedTuple

from ..matching.text import STOPWORDS, words

# -- a question that leans on what came before ------------------------------------------------

# Words that point back to something already said ("is it working?", "who pays for that?",
# "would he take the role again?"): English's pronouns and demonstratives, a closed class.
_BACK = frozenset(
    "it its itself they them their theirs themselves that this these those there he him his she her hers same".split()
)
# A line that opens with one of these goes on from the last one ("and the fees?", "so why?").
_GOES_ON = frozenset("and but or so also plus then".split())
_ABOUT = (["what", "about"], ["how", "about"], ["what", "of"])
_PREPOSITIONS = frozenset("since until till by for from in on at with about after before during".split())
_WH_WORDS = frozenset("who whom whose what when where why which how".split())


def refers_back(found: list[str]) -> bool:
    """Whether the line points back with a pronoun or a demonstrative ("is it working?").

    >>> refers_back(words("who pays for that?")), refers_back(words("what is blockchain?"))
    (True, False)
    """
    return not _BACK.isdisjoint(found)


def elliptical(found: list[str]) -> bool:
    """Whether the line leaves out what it asks about: it goes on from the last line ("and the
    fees?", "what about students?"), asks only a question word after a preposition ("since
    when?", "in what way?"), or has no word of its own at all ("why?", "how so?").

    >>> [elliptical(words(s)) for s in ("and for students?", "since when?", "why?", "why hangzhou?")]
    [True, True, True, False]
    """
    if not found:
        return False
    if found[0] in _GOES_ON or found[:2] in _ABOUT:
        return True
    if found[0] in _PREPOSITIONS and len(found) > 1 and found[1] in _WH_WORDS:
        return True
    return all(word in STOPWORDS for word in found)


def leans_back(found: list[str]) -> bool:
    """Whether the line, alone, is incomplete: it refers back or leaves out what it asks about,
    so it is read against the last answer (``turn.decide``)."""
    return refers_back(found) or elliptical(found)


# -- repairs: "no, I meant ..." -----------------------------------------------------------------

# Words that name a question rather than its topic ("the funding one", "that bit").
_REFERENCE_WORDS = frozenset("one ones question questions answer answers bit part stuff thing things topic".split())
# Only a line opening with one of these can be a repair: "no", "nope", "nah", "wrong", "not",
# "that's not ...", "I meant ...", "rather", "instead", "the other one" (and "what I meant").
_REPAIR_OPENINGS = frozenset("no noo nope nah wrong not that i rather instead the other".split())


@cache
def _repair_patterns() -> tuple["re.Pattern[str]", ...]:
    """The patterns a possible repair is read with: its clauses (split at commas, semicolons,
    colons and dashes between words, not the hyphen of "veteran-owned"); a clause that rejects
    ("no", "wrong one", "not the mining stuff", "that's not what I asked"); what introduces what
    was meant ("I meant", "I wanted", "I was asking about"); "the other one"; words that name a
    question rather than its topic."""
    return (
        re.compile(r"\s*(?:[,;:]|\s[-\u2013\u2014]+\s*|[-\u2013\u2014]{2,})\s*"),
        re.compile(
            r"^(?:no+|nope|nah|wrong(?: one| answer| question)?|not\b(?P<rejected>.*)|"
            r"that(?:'s| is| was) (?:not|wrong)\b.*|that (?:isn't|wasn't)\b.*|(?:that's |that is )?not what i\b.*)$"
        ),
        re.compile(
            r"^(?:(?:what )?i (?:meant|mean|wanted|want|was asking(?: about| for)?|am asking(?: about| for)?|"
            r"asked(?: about| for)?|was after|was looking for)|rather|instead)\b\s*(?:was |is )?(?P<wanted>.*)$"
        ),
        re.compile(r"^(?:(?:the|that) )?other(?: one| question| answer)?(?: please)?$"),
        re.compile(rf"\b(?:{'|'.join(sorted(_REFERENCE_WORDS))})\b"),
    )


class Repair(NamedTuple):
    """A line that rejects an answer and says what the reader meant instead."""

    #: What the reader meant ("how her lab recruits people"); empty for "the other one".
    wanted: str
    #: What they name as not meant ("not career tips": "career tips"), if anything.
    rejected: str = ""
    #: Whether they reject the answer just shown ("no", "wrong one", "I meant ..."), not only
    #: what they name ("not the talent shortage, I meant the talent policy").
    shown: bool = True


def repair(plain: str) -> Repair | None:
    """The repair ``plain`` (normalised) makes, or ``None`` when it is not one: it opens by
    rejecting ("no", "wrong one", "not the mining stuff", "that's not what I asked") or by
    saying what was meant ("I meant ..."), or it asks for "the other one".

    >>> repair("no, i meant how her lab recruits people, not career tips")
    Repair(wanted='how her lab recruits people', rejected='career tips', shown=True)
    >>> repair("not the mining stuff - i wanted her basic definition of a blockchain")
    Repair(wanted='her basic definition of a blockchain', rejected='mining', shown=False)
    >>> repair("wrong one, i wanted the funding question")
    Repair(wanted='the funding', rejected='', shown=True)
    >>> repair("the other one"), repair("not enough engineers?"), repair("what is blockchain?")
    (Repair(wanted='', rejected='', shown=True), None, None)
    """
    opening = words(plain[:40])[:2]
    if not opening or (opening[0] not in _REPAIR_OPENINGS and opening != ["what", "i"]):
        return None  # most questions: no pattern compiled, no clause split
    splitter, rejecting, meaning, other, reference = _repair_patterns()
    clauses = [clause.strip(" .!?") for clause in splitter.split(plain.strip())]
    clauses = [clause for clause in clauses if clause]
    if not clauses:
        return None
    first = rejecting.match(clauses[0])
    if first is None and meaning.match(clauses[0]) is None:
        return None if other.match(" ".join(clauses)) is None else Repair("")
    named = _topic(first.group("rejected") or "") if first is not None else []
    if first is not None and len(clauses) == 1 and first.group("rejected"):
        return None if named else Repair("")  # "not enough engineers?" asks; "not that one" rejects
    wanted: list[str] = []
    rejected: list[str] = []
    for n, clause in enumerate(clauses):
        rejects = rejecting.match(clause)
        if rejects is not None and (n == 0 or rejects.group("rejected") is not None):
            rejected += _topic(rejects.group("rejected") or "")
            continue
        meant = meaning.match(clause)
        text = meant.group("wanted") if meant is not None else clause
        if other.match(text) is None:
            wanted.append(text)
    what = " ".join(reference.sub(" ", " ".join(wanted)).split())
    return Repair(what, " ".join(rejected), shown=not named)


def _topic(text: str) -> list[str]:
    """The words of a phrase that name a topic: "the mining stuff" -> ``["mining"]``."""
    return [word for word in words(text) if word not in STOPWORDS and word not in _REFERENCE_WORDS]


# -- compound questions: "when ... and who ...?" -----------------------------------------------

_SPLITS = (" and ", " but ", " also ")


@cache
def _part_patterns() -> tuple["re.Pattern[str]", "re.Pattern[str]", "re.Pattern[str]"]:
    """Where one question ends and another begins: after a question mark, or at an "and" that
    opens a new question (a question word or an auxiliary verb follows it)."""
    opens = (
        r"(?=(?:who|whom|whose|what|when|where|why|which|how|is|are|was|were|do|does|did|can|could|will|would|"
        r"has|have|had|should)\b)"
    )
    return (
        re.compile(r"(?<=\?)\s+"),
        re.compile(r",?\s+(?:and|but|also)\s+" + opens, re.IGNORECASE),
        re.compile(r"^(?:and|but|also|so)\s+" + opens, re.IGNORECASE),
    )


def parts(text: str) -> list[str]:
    """The questions a line asks, in order: one, or each part of a compound question.

    >>> parts("when was the center planned and who will pay for it?")
    ['when was the center planned', 'who will pay for it?']
    >>> parts("why hangzhou? and what is blockchain?"), parts("what are the pros and cons?")
    (['why hangzhou?', 'what is blockchain?'], ['what are the pros and cons?'])
    """
    folded = text.strip().casefold()
    if "?" not in folded[:-1] and not any(split in folded for split in _SPLITS):
        return [text]  # most questions: one part, no pattern compiled
    question_end, and_asks, leading_and = _part_patterns()
    found = [piece for sentence in question_end.split(text.strip()) for piece in and_asks.split(sentence)]
    found = [leading_and.sub("", piece.strip()) for piece in found if piece.strip()]
    asks = [piece for piece in found if len(words(piece)) >= 2]
    return asks if len(asks) > 1 and len(asks) == len(found) else [text]
