"""Questions about the interview itself: who was interviewed, by whom, when, where, how long.

No interview answers these; the knowledge file's ``source`` mapping does. They are recognised by
their shape, not by this interview's words: every word of the question must be a function word,
a word about interviews ("interview", "published", "event", ...), a pronoun standing for the
interview or its people, or one of those people's names; and the question must have a subject
(the interview, "it", "him", a name). So "when was the interview?" is one, while "When will
Hangzhou become a fintech center?" or "Will there be more blockchain summits?" carry words of
their own and go to the matcher.
"""

from collections.abc import Callable, Sequence
from enum import Enum
from typing import NamedTuple

from ..matching.text import STOPWORDS, words
from ..model import Candidate, KnowledgeBase, Source
from ..settings import DEFAULT_CONVERSATION_SETTINGS


class Kind(str, Enum):
    """What a question about the interview asks for (the ``kind`` in ``--json``)."""

    INTERVIEWEE = "interviewee"
    INTERVIEWERS = "interviewers"
    DATE = "date"
    PUBLISHER = "publisher"
    EVENT = "event"
    COUNT = "count"
    TITLE = "title"
    #: The interviewee's job, as the file's ``role`` gives it ("what's his job?").
    ROLE = "role"
    #: When the event the interview was given at took place: the file dates the interview only.
    EVENT_DATE = "event-date"


# Words that refer to the interview or its people: a question about the interview needs one.
_SUBJECTS = frozenset(
    """interview interviews interviewed interviewer interviewers interviewee interviewees conversation article
    piece it this that he she him her they them published publication questions guest guests""".split()
)
_INTERVIEW_WORDS = _SUBJECTS | frozenset(
    """date day year month time event conference summit occasion place take took taken held happen
    happened recorded conducted many number publish publisher appear appeared source link url
    magazine site website outlet give gave given speaking talking asked asking answering
    journalist reporter host name names released come came out ran run posted printed carried
    long title titled called headline job role position occupation profession employer living""".split()
)
_ASKING_VERBS = frozenset("interviewed interviews asked asks conducted did ran led talked spoke".split())
_INTERVIEWER_NOUNS = frozenset("interviewer interviewers journalist reporter host".split())
_PUBLISHED = frozenset(
    "published publication publisher publish appear appeared source link url magazine site website outlet ran".split()
)
_FUTURE = frozenset("will shall going gonna".split())
_TITLE = frozenset("title titled called headline".split())
# "name" as a noun, after whose it is ("his name", "the name of ..."), not a verb ("what did they name you").
_NAMED_BY = frozenset("his her their its the interviewee interviewer guest host journalist reporter".split())
# A person's job: "what's his job?", "what is her role?", "what's his title?".
_ROLE = frozenset("job role position occupation profession employer living".split())
_PERSONS = frozenset("he him his she her hers they them their".split())
_EVENT = frozenset("event conference summit occasion".split())
_WHERE_HAPPENED = frozenset("place take took taken held happen happened recorded conducted given".split())
_PAST = frozenset(
    """was were did published held recorded took happened conducted done given made released interview
    interviewed interviews conversation article piece""".split()
)
# A question about the interview starts with a question word, perhaps after "can you tell me".
_WH = frozenset("who whom whose when where what which how at in during by on".split())
_LEAD_INS = frozenset("can could would you tell me do know please and so i wonder ok okay".split())
_DATE = frozenset("when date day year month time".split())


class People(NamedTuple):
    """The words of the names of those interviewed and of those who interviewed them: a name may
    stand for a pronoun ("who interviewed Wang?") and tells which of them a question is about."""

    interviewees: frozenset[str] = frozenset()
    interviewers: frozenset[str] = frozenset()

    @classmethod
    def of(cls, sources: Sequence[Source]) -> "People":
        return cls(
            frozenset(w for s in sources for w in words(s.interviewee or "")),
            frozenset(w for s in sources for name in s.interviewers for w in words(name)),
        )

    @property
    def everyone(self) -> frozenset[str]:
        return self.interviewees | self.interviewers


class MetaAnswer(NamedTuple):
    """A reply built from source details, never from an interview's answers."""

    kind: Kind
    text: str
    sources: tuple[Source, ...]


NOBODY = People()


def kind_of(
    question: str, people: People = NOBODY, *, max_words: int = DEFAULT_CONVERSATION_SETTINGS.meta_words
) -> Kind | None:
    """What ``question`` asks about the interview, or ``None`` when it is not about the interview
    (nor when it is over ``max_words`` long: a longer line carries a question of its own).

    >>> kind_of("when was the interview?"), kind_of("who interviewed him?"), kind_of("at what event?")
    (<Kind.DATE: 'date'>, <Kind.INTERVIEWERS: 'interviewers'>, <Kind.EVENT: 'event'>)
    >>> kind_of("When will Hangzhou become a fintech center?") is None, kind_of("why?") is None
    (True, True)
    """
    found = words(question)
    if not found or len(found) > max_words:
        return None
    known = people.everyone
    if any(w not in STOPWORDS and w not in _INTERVIEW_WORDS and w not in known for w in found):
        return None
    has = set(found)
    if has & _FUTURE:
        return None  # the interview lies in the past: "How long will it take to build?" is not about it
    if not has & (_SUBJECTS | _PERSONS | known | _EVENT | _TITLE) and not {"many", "questions"} <= has:
        return None
    start = next((n for n, word in enumerate(found) if word in _WH), None)
    if start is None or not set(found[:start]) <= _LEAD_INS:
        return None  # "Will there be more summit?" asks yes or no, and about the future
    return _kind(found[start:], has, people)


def _names_someone(found: list[str]) -> bool:
    """Whether the words ask for a name: "name" (or "names") right after whose it is."""
    return any(word in ("name", "names") and found[n - 1] in _NAMED_BY for n, word in enumerate(found) if n)


def _kind(found: list[str], has: set[str], people: People) -> Kind | None:
    first = found[0]
    if ("many" in has and has & {"questions", "question"}) or found[:2] == ["how", "long"]:
        return Kind.COUNT
    person = bool(has & (_PERSONS | people.interviewees))
    if has & _ROLE or (person and has & _TITLE) or found[1:4] in (["does", "he", "do"], ["does", "she", "do"]):
        return Kind.ROLE  # "what's his title?" asks his job; "what's the title?" the interview's
    if has & _TITLE:
        return Kind.TITLE
    if has & _DATE:
        # "when was it?", not "what time is it?": the interview lies in the past.
        if not has & _PAST:
            return None
        # "when did the summit take place?" asks the event's dates, which the file does not give.
        return Kind.EVENT_DATE if has & _EVENT and not has & _SUBJECTS else Kind.DATE
    if has & _PUBLISHED:
        return Kind.PUBLISHER
    if has & _EVENT or (first == "where" and has & _WHERE_HAPPENED):
        return Kind.EVENT
    if first == "where":
        return Kind.PUBLISHER
    if _names_someone(found):  # "what's his name?", "the interviewer's name?", "the name of the article?"
        if has & _INTERVIEWER_NOUNS:
            return Kind.INTERVIEWERS
        if person or has & {"interviewee", "guest"}:
            return Kind.INTERVIEWEE
        if has & {"interview", "article", "piece", "conversation"}:
            return Kind.TITLE
    if first in ("who", "whom") or found[:2] == ["by", "whom"]:
        if has & _INTERVIEWER_NOUNS or "by" in has or (has & people.interviewers and not has & people.interviewees):
            return Kind.INTERVIEWERS
        if found[1:3] in (["did", "they"], ["did", "you"], ["do", "they"]):
            return Kind.INTERVIEWEE  # "who did they interview?"
        if len(found) > 1 and found[1] in _ASKING_VERBS:
            return Kind.INTERVIEWERS
        return Kind.INTERVIEWEE
    return None


def asked_in(candidate: Candidate | None, people: People) -> bool:
    """Whether the interview itself asks a question of that shape, as the best confident
    ``candidate`` for it shows ("When was it published?" put to an author about her book): then
    the interviewee's answer wins over the source details."""
    if candidate is None:
        return False
    return any(kind_of(text, people) is not None for text in (candidate.entry.question, *candidate.entry.alternates))


def given(kind: Kind, sources: Sequence[Source]) -> bool:
    """Whether the source details of ``sources`` hold what ``kind`` asks, for at least one of
    them. A count and a title they always hold; an event's dates they answer by what they hold
    (the event, the interview's date): "when did the summit take place?" is told the interview
    gives no dates for it, not served an answer that speaks of the summit."""
    if kind not in _SENTENCES:
        return True
    value = _SENTENCES[kind][0]
    return any(value(source) for source in sources)


def answer(kind: Kind, sources: Sequence[Source], kb: KnowledgeBase) -> MetaAnswer:
    """One sentence per interview in ``sources``, from its source details alone."""
    lines = [_sentence(kind, source, kb) for source in sources]
    if kind is Kind.COUNT and len(sources) > 1:
        lines.append(f"{len(kb)} questions in all.")
    return MetaAnswer(kind, "\n".join(lines), tuple(sources))


def _sentence(kind: Kind, source: Source, kb: KnowledgeBase) -> str:
    title = f"“{source.title}”"
    if kind is Kind.COUNT:
        return f"{title} has {sum(1 for entry in kb if entry.source == source)} questions."
    names = interviewee_names(source)
    if kind is Kind.TITLE:
        who = f"with {_and(names)} " if names else ""
        return f"The interview {who}is titled {title}."
    if kind is Kind.EVENT_DATE:
        event = _event(source)
        if not event:
            return f"{title} names no event; it is dated {source.date}." if source.date else f"{title} names no event."
        dated = f"; the interview is dated {source.date}" if source.date else ""
        return f"{title} gives no dates for the {event} itself{dated}."
    value, said, missing = _SENTENCES[kind]
    found = value(source)
    whose = "their" if len(names) > 1 else f"{names[0]}'s" if names else "the interviewee's"
    if not found:
        return missing.format(title=title, whose=whose)
    several = len(names) > 1  # a briefing's "Mr. Bates, Mr. Kirby": "were interviewed"
    was, is_ = ("were", "are") if several else ("was", "is")
    return said.format(title=title, who=_and(names) or "The interviewee", value=found, was=was, is_=is_)


def interviewee_names(source: Source) -> list[str]:
    """The interviewees ``source.interviewee`` lists (ingest joins several with commas)."""
    return [name.strip() for name in (source.interviewee or "").split(",") if name.strip()]


def _interviewee(source: Source) -> str:
    names = interviewee_names(source)
    role = f", {source.role}," if source.role else ""
    return f"{_and(names)}{role}" if names else ""


def _published(source: Source) -> str:
    parts = (f"by {source.publisher}" if source.publisher else "", f"at {source.url}" if source.url else "")
    return " ".join(part for part in parts if part)


def _event(source: Source) -> str:
    return (source.event or "").removeprefix("the ").removeprefix("The ")


# Per kind: what of the source answers it, the sentence saying so, the sentence when it is absent.
_SENTENCES: dict[Kind, tuple[Callable[[Source], str], str, str]] = {
    Kind.INTERVIEWEE: (_interviewee, "{value} {was} interviewed in {title}.", "{title} does not name its interviewee."),
    Kind.INTERVIEWERS: (
        lambda source: _and(source.interviewers) if source.interviewers else "",
        "{who} {was} interviewed by {value}.",
        "{title} does not name its interviewers.",
    ),
    Kind.DATE: (lambda source: source.date or "", "{title} is dated {value}.", "{title} gives no date."),
    Kind.PUBLISHER: (_published, "{title} was published {value}.", "{title} does not say where it was published."),
    Kind.EVENT: (_event, "{who} {was} interviewed at the {value}.", "{title} names no event."),
    Kind.ROLE: (lambda source: source.role or "", "{who} {is_} {value}.", "{title} does not give {whose} role."),
}


def _and(names: Sequence[str]) -> str:
    """``A``, ``A and B``, ``A, B and C``."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
