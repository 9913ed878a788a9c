"""What a reader's line means, before it is taken for a question: a pick from the list on
screen, a yes or a no, "both", "more", small talk, a repair of the last answer; and, for a
question, whether it leans on what came before and whether it asks two things at once.

Each test looks at the whole line, so a greeting or a "yes" inside a real question ("hi, what is
blockchain?") leaves it a question. Whether a line leans on the last answer is read from its
shape, never from a list of openings: it points back (a pronoun: "is it working?"), or it leaves
out what it asks about ("since when?", "and the fees?"). Pure functions of the text:
``conversation`` decides what to do with the answer.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from ..matching.text import STOPWORDS, words

_ORDINALS = {
    word: n for n, word in enumerate("first second third fourth fifth sixth seventh eighth ninth tenth".split(), 1)
}
_CARDINALS = {word: n for n, word in enumerate("one two three four five six seven eight nine ten".split(), 1)}
_BARE_NUMBER = re.compile(r"^(\d+)$")
_MARKED_NUMBER = re.compile(
    r"^(?:(?:#|no\.?|num(?:ber)?|option|choice|item|question|pick)\s*(\d+|[a-z]+)|(\d+)[.)])[\s.!]*$"
)
_ORDINAL = re.compile(
    r"^(?:the\s+)?(?:(\d+)(?:st|nd|rd|th)|([a-z]+))(?:\s+(?:one|option|choice|question|answer))?(?:\s+please)?[\s.!]*$"
)
# "More", alone or about what was just said ("tell me more about that"): more about anything
# else is a question ("tell me more about the talent policy").
_MORE = re.compile(
    r"^(?:(?:can|could|would) you )?(?:tell me more|say more|more|next|go on|continue|and\??|what else\??|"
    r"keep going)(?: (?:about|on) (?:that|it|this|them|those|these|him|her|the same))?(?: please)?[\s!.,?]*$"
)

_YES = frozenset("yes yeah yep yup sure ok okay y right correct exactly please that one the first go ahead".split())
_YES_CORE = frozenset("yes yeah yep yup sure ok okay y right correct exactly".split())
_NO = frozenset("no nope nah neither none not n really thanks thank you of them".split())
_NO_CORE = frozenset("no nope nah neither none".split())
_BOTH = frozenset("both all either each".split())

_GREET_CORE = frozenset("hi hello hey hiya howdy greetings yo morning afternoon evening hallo hola".split())
_GREET = _GREET_CORE | frozenset("good there askbot bot all everyone folks again you friend".split())
_BYE_CORE = frozenset("bye goodbye farewell later cya quit exit goodnight night".split())
_THANKS_CORE = frozenset("thanks thank thx ty cheers".split())
_ACK_CORE = frozenset("ok okay cool great nice awesome perfect alright fine interesting wow k noted good".split())
_CHATTER = frozenset(
    "you very much so a lot it i see that is makes sense really for now then all take care have day and bye ya".split()
)
_WHO_ARE_YOU = frozenset(
    {
        ("who", "are", "you"),
        ("what", "are", "you"),
        ("who", "is", "askbot"),
        ("what", "is", "askbot"),
        ("what", "can", "you", "do"),
        ("what", "do", "you", "do"),
        ("what", "do", "you", "know"),
        ("who", "am", "i", "talking", "to"),
    }
)


def pick_number(plain: str, *, listed: int) -> int | None:
    """The item of a list of ``listed`` items a line picks, or ``None`` when it is not a pick.

    A bare number outside the list is a question ("2030"), not a pick; a marked one ("#7",
    "option 7") is a pick out of range, returned as is for the chat to say so.

    >>> [pick_number(s, listed=3) for s in ("2", "2.", "#2", "option 2", "the second one", "2030", "two")]
    [2, 2, 2, 2, 2, None, None]
    """
    bare = _BARE_NUMBER.match(plain)
    if bare:
        number = int(bare.group(1))
        return number if 1 <= number <= listed else None
    marked = _MARKED_NUMBER.match(plain)
    if marked:
        token = marked.group(1) or marked.group(2)
        if token.isdigit():
            return int(token)
        return _CARDINALS.get(token) or _ORDINALS.get(token)
    ordinal = _ORDINAL.match(plain)
    if ordinal:
        if ordinal.group(1):
            return int(ordinal.group(1))
        if ordinal.group(2) == "last":
            return listed or None
        return _ORDINALS.get(ordinal.group(2))
    return None


def small_talk(found: list[str]) -> str | None:
    """``"bye"``, ``"hello"``, ``"thanks"``, ``"ok"`` or ``"who"`` when a line is small talk.

    Every word must belong to small talk, so "hi, what is blockchain?" stays a question.

    >>> [small_talk(words(s)) for s in ("thanks, bye", "see you later", "hi askbot", "ok cool", "who are you?")]
    ['bye', 'bye', 'hello', 'ok', 'who']
    """
    if not found:
        return None
    has = set(found)
    if tuple(found) in _WHO_ARE_YOU:
        return "who"
    talk = _GREET | _BYE_CORE | _THANKS_CORE | _ACK_CORE | _CHATTER | {"see", "that"}
    if not has <= talk:
        return None
    see_you = found[:2] in (["see", "you"], ["see", "ya"])
    if has & _BYE_CORE or see_you or found in (["that", "all"], ["that", "is", "all"]):
        return "bye"
    if has & _GREET_CORE and has <= _GREET:
        return "hello"
    if has & _THANKS_CORE:
        return "thanks"
    if has & _ACK_CORE:
        return "ok"
    return None


def is_more(plain: str) -> bool:
    """Whether the line asks to go on ("more", "next", "tell me more") from where the reader is."""
    return _MORE.match(plain) is not None


def is_yes(found: list[str]) -> bool:
    """Whether the line says yes ("yeah", "sure", "yes please"), as to "Did you mean"."""
    has = set(found)
    return bool(has <= _YES and has & _YES_CORE)


def is_no(found: list[str]) -> bool:
    """Whether the line says no ("nope", "neither of them")."""
    has = set(found)
    return bool(has <= _NO and has & _NO_CORE)


def is_both(found: list[str]) -> bool:
    """Whether the line says both ("all of them", "both answers please"), as to "Whose answer"."""
    has = set(found)
    return bool(has <= _BOTH | {"of", "them", "the", "answers", "please", "two"} and has & _BOTH)


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

# Clauses of a line: split at commas, semicolons, colons and dashes between words (not the
# hyphen of "veteran-owned").
_CLAUSES = re.compile(r"\s*(?:[,;:]|\s[-\u2013\u2014]+\s*|[-\u2013\u2014]{2,})\s*")
# A clause that rejects what was shown: "no", "nope", "wrong (one)", "not that one", "not the
# mining stuff", "that's not what I asked", "that isn't it".
_REJECTS = re.compile(
    r"^(?:no+|nope|nah|wrong(?: one| answer| question)?|not\b(?P<rejected>.*)|"
    r"that(?:'s| is| was) (?:not|wrong)\b.*|that (?:isn't|wasn't)\b.*|(?:that's |that is )?not what i\b.*)$"
)
# What introduces what the reader meant instead ("I meant", "I wanted", "I was asking about").
_MEANT = re.compile(
    r"^(?:(?:what )?i (?:meant|mean|wanted|want|was asking(?: about| for)?|am asking(?: about| for)?|"
    r"asked(?: about| for)?|was after|was looking for)|rather|instead)\b\s*(?:was |is )?(?P<wanted>.*)$"
)
_OTHER = re.compile(r"^(?:(?:the|that) )?other(?: one| question| answer)?(?: please)?$")
# Words that name a question rather than its topic ("the funding one", "that bit").
_REFERENCE_WORDS = frozenset("one ones question questions answer answers bit part stuff thing things topic".split())
_REFERENCE = re.compile(rf"\b(?:{'|'.join(sorted(_REFERENCE_WORDS))})\b")


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
    clauses = [clause.strip(" .!?") for clause in _CLAUSES.split(plain.strip())]
    clauses = [clause for clause in clauses if clause]
    if not clauses:
        return None
    first = _REJECTS.match(clauses[0])
    if first is None and _MEANT.match(clauses[0]) is None:
        return None if _OTHER.match(" ".join(clauses)) is None else Repair("")
    named = _topic(first.group("rejected") or "") if first is not None else []
    if first is not None and len(clauses) == 1 and first.group("rejected"):
        return None if named else Repair("")  # "not enough engineers?" asks; "not that one" rejects
    wanted: list[str] = []
    rejected: list[str] = []
    for n, clause in enumerate(clauses):
        rejects = _REJECTS.match(clause)
        if rejects is not None and (n == 0 or rejects.group("rejected") is not None):
            rejected += _topic(rejects.group("rejected") or "")
            continue
        meant = _MEANT.match(clause)
        text = meant.group("wanted") if meant is not None else clause
        if _OTHER.match(text) is None:
            wanted.append(text)
    return Repair(" ".join(_REFERENCE.sub(" ", " ".join(wanted)).split()), " ".join(rejected), shown=not named)


def _topic(text: str) -> list[str]:
    """The words of a phrase that name a topic: "the mining stuff" -> ``["mining"]``."""
    return [word for word in words(text) if word not in STOPWORDS and word not in _REFERENCE_WORDS]


# -- compound questions: "when ... and who ...?" -----------------------------------------------

# Where one question ends and another begins: after a question mark, or at an "and" that opens
# a new question (a question word or an auxiliary verb follows it).
_QUESTION_END = re.compile(r"(?<=\?)\s+")
_OPENS_QUESTION = (
    r"(?=(?:who|whom|whose|what|when|where|why|which|how|is|are|was|were|do|does|did|can|could|will|would|"
    r"has|have|had|should)\b)"
)
_AND_ASKS = re.compile(r",?\s+(?:and|but|also)\s+" + _OPENS_QUESTION, re.IGNORECASE)
_LEADING_AND = re.compile(r"^(?:and|but|also|so)\s+" + _OPENS_QUESTION, re.IGNORECASE)


def parts(text: str) -> list[str]:
    """The questions a line asks, in order: one, or each part of a compound question.

    >>> parts("when was the center planned and who will pay for it?")
    ['when was the center planned', 'who will pay for it?']
    >>> parts("why hangzhou? and what is blockchain?"), parts("what are the pros and cons?")
    (['why hangzhou?', 'what is blockchain?'], ['what are the pros and cons?'])
    """
    found = [piece for sentence in _QUESTION_END.split(text.strip()) for piece in _AND_ASKS.split(sentence)]
    found = [_LEADING_AND.sub("", piece.strip()) for piece in found if piece.strip()]
    asks = [piece for piece in found if len(words(piece)) >= 2]
    return asks if len(asks) > 1 and len(asks) == len(found) else [text]
