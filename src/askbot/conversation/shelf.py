"""Several interviews loaded at once: naming them, finding one by name, telling their answers apart.

A reader tells interviews apart by who was interviewed, so that is the label everywhere (the
title when a file names no interviewee). ``/use NAME`` in the chat and ``--interview NAME`` for
scripts both come through ``find``, so they accept the same names.
"""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz, process, utils

from ..model import Candidate, Entry, Source
from ..settings import DEFAULT_CONVERSATION_SETTINGS


def label(source: Source) -> str:
    """What a reader calls an interview: the interviewee, else the title."""
    return source.interviewee or source.title


def heading(source: Source) -> str:
    """The interviewee and the title, without the name twice when the title starts with it.

    >>> heading(Source("Wang Yuejian: The Future", interviewee="Wang Yuejian"))
    'Wang Yuejian: The Future'
    >>> heading(Source("Ledgers", interviewee="Ann"))
    'Ann: Ledgers'
    """
    name = label(source)
    return source.title if source.title.startswith(name) else f"{name}: {source.title}"


def possessive(source: Source) -> str:
    """``Wang Yuejian's``; a name ending in s gets a bare apostrophe."""
    name = label(source)
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def find(
    sources: Sequence[Source], name: str, *, score_cutoff: float = DEFAULT_CONVERSATION_SETTINGS.name_cutoff
) -> Source | None:
    """The interview whose interviewee or title ``name`` means (fuzzy, case-blind: rapidfuzz
    ``WRatio`` at least ``score_cutoff``, ``ConversationSettings.name_cutoff``), or ``None``.

    >>> a = Source("The Future Is Bright", interviewee="Wang Yuejian")
    >>> b = Source("Ledgers", interviewee="Lena Hoffmann")
    >>> find([a, b], "wang").interviewee, find([a, b], "hoffman").interviewee, find([a, b], "zzz")
    ('Wang Yuejian', 'Lena Hoffmann', None)
    """
    choices = {n: [label(s), s.title] for n, s in enumerate(sources)}
    flat = [(n, text) for n, texts in choices.items() for text in texts]
    best = process.extractOne(
        name, [text for _, text in flat], scorer=fuzz.WRatio, processor=utils.default_process, score_cutoff=score_cutoff
    )
    return None if best is None else sources[flat[best[2]][0]]


def named_in(sources: Sequence[Source], words: Sequence[str]) -> Source | None:
    """The one interview whose interviewee a reader's words name ("who interviewed Lena?")."""
    found = [s for s in sources if s.interviewee and set(s.interviewee.lower().split()) & set(words)]
    return found[0] if len(found) == 1 else None


def rivals(candidates: Sequence[Candidate], *, threshold: float, margin: float, floor: float) -> list[Entry]:
    """The best entry of each interview that answers about as well as the overall best.

    Empty unless the best clears ``threshold`` and another interview's best is within ``margin``
    of it and at least ``floor`` (a "did you mean" at worst): a question two interviews both
    answer. Confidences are probabilities that an answer is right, and each interview's is
    judged on its own answer's words, so two interviews asked the same question can stand
    apart by more than a point or two.
    """
    if not candidates or candidates[0].score < threshold:
        return []
    best: dict[Source, Entry] = {}
    for candidate in candidates:
        if candidate.score >= floor and candidates[0].score - candidate.score <= margin:
            best.setdefault(candidate.entry.source, candidate.entry)
    return list(best.values()) if len(best) > 1 else []
