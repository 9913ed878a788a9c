"""What a reader's line in the chat means, before it is taken for a question: a pick from the
list on screen, a yes or a no, "both", "more", small talk. (What a question's own shape says,
whether it leans on the last answer, repairs it or asks two things, is ``shapes``: ``askbot
ask`` needs that, and none of this.)

Each test looks at the whole line, so a greeting or a "yes" inside a real question ("hi, what is
blockchain?") leaves it a question. Pure functions of the text: ``conversation`` decides what to
do with the answer.
"""

from __future__ import annotations

import re

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

    >>> from askbot.matching.text import words
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
