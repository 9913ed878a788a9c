"""One question's turn, decided once for every front end: a question about the interview, a
tie between interviews, an answer, a "did you mean", or "not covered".

``askbot ask`` and the chat both call ``decide`` and only render what it returns, so the two
cannot drift apart: the same question gets the same decision in a script and in a chat (the chat
adds what only a conversation has, such as the answer just shown). Any later front end (a web
page) does the same.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Literal, NamedTuple

from ..matching.matcher import Matcher
from ..matching.text import words
from ..model import Entry, Match, Source
from ..settings import DEFAULT_CONVERSATION_SETTINGS, ConversationSettings
from . import meta, shelf

#: What a turn does with the question: answer it from the source details (a question about the
#: interview itself); ask whose answer (two or more interviews answer it about as well); answer
#: it from one entry; offer "did you mean" choices; or say the interview does not cover it.
#: (Strings, not an ``Enum``: making the class would cost every ``askbot ask`` a fifth of a
#: millisecond.)
Decision = Literal["meta", "whose", "answer", "choices", "unknown"]


class Turn(NamedTuple):
    """One question's decision and what a front end needs to show it."""

    decision: Decision
    #: The matcher's verdict (for "meta" too, where the interview did not ask the question).
    match: Match
    #: The reply from the source details, for "meta".
    meta: meta.MetaAnswer | None = None
    #: The best entry of each interview that answers about as well as the best, for "whose".
    rivals: tuple[Entry, ...] = ()
    #: Questions to offer instead, for "unknown".
    suggestions: tuple[Entry, ...] = ()

    @property
    def answered(self) -> bool:
        """Whether the reader got an answer (the exit code of ``askbot ask``)."""
        return self.decision == "meta" or self.match.entry is not None


def decide(
    matcher: Matcher,
    question: str,
    *,
    settings: ConversationSettings = DEFAULT_CONVERSATION_SETTINGS,
    last: Entry | None = None,
    seen: Collection[str] = (),
) -> Turn:
    """The turn for ``question`` put to ``matcher``'s knowledge.

    ``last`` is the answer the reader read last, if any: a question about "the interview" is
    then about its interview. ``seen`` are ids not to suggest again.
    """
    kb = matcher.knowledge
    people = meta.People.of(kb.sources)
    kind = meta.kind_of(question, people, max_words=settings.meta_words)
    if kind is not None and not meta.asked_in(matcher.extract_one(question, score_cutoff=matcher.threshold), people):
        match = Match(query=question, entry=None, score=100.0)
        return Turn("meta", match, meta=meta.answer(kind, _about(kb.sources, question, kind, last), kb))
    match = matcher.match(question, limit=settings.related)
    if len(kb.sources) > 1:
        candidates = matcher.extract(question, limit=10)
        floor = matcher.threshold - matcher.settings.suggest_below
        rivals = shelf.rivals(candidates, threshold=matcher.threshold, margin=settings.tie_margin, floor=floor)
        if rivals:
            return Turn("whose", match, rivals=tuple(rivals))
    if match.entry is not None:
        return Turn("answer", match)
    if match.alternatives:
        return Turn("choices", match)
    return Turn("unknown", match, suggestions=tuple(kb.sample(settings.suggestions, skip=seen)))


def _about(sources: Sequence[Source], question: str, kind: meta.Kind, last: Entry | None) -> Sequence[Source]:
    """Which interviews a question about "the interview" means: the one it names, else the one
    the reader just read an answer of (a count asks about all), else all of them."""
    if len(sources) == 1:
        return sources
    named = shelf.named_in(sources, words(question))
    if named is not None:
        return (named,)
    if last is not None and kind is not meta.Kind.COUNT:
        return (last.source,)
    return sources
