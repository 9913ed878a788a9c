"""Find the entry that answers a reader's question, or say honestly that none does.

``Matcher`` ties the parts together: ``index.build_index`` compiles the knowledge base once,
``query.Analyzer`` turns each question into weighted, typo-corrected terms, and ``scoring``
measures, ranks and judges the candidates in small steps; their docstrings say how and why. This
module adds the verdict and the follow-ups:

- a candidate's score is the confidence (0-100) that it is the answer; at or above
  ``threshold`` askbot answers; within ``suggest_below`` points under it the candidates become
  "did you mean" suggestions; when the best would clear the threshold but for a rival as good
  (a near tie), askbot asks which was meant, unless the rival asks the very same question (a
  duplicate): then the first in the files answers and the duplicates follow;
- follow-ups are the entry's curated ``follow_ups`` first, then the entries sharing most of what
  it is about, same interview first.

The names follow rapidfuzz's ``process``: the query first, everything else by keyword,
``limit`` and ``score_cutoff`` meaning the same in ``extract``, ``extract_one`` and ``match``.
"""

import math
from collections.abc import Collection, Iterable
from typing import Any, NamedTuple

from ..model import Candidate, Entry, KnowledgeBase, Match, Source
from ..settings import DEFAULT_SETTINGS, Settings
from . import scoring
from .index import Index, accumulate, build_index
from .query import Analyzer
from .sentences import Pull, SentenceModel
from .text import normalize

DEFAULT_THRESHOLD = DEFAULT_SETTINGS.threshold


class _Field(NamedTuple):
    """A question's scored candidates, best first, with what the verdict needs of them: each
    one's confidence alone, with no rival near it, and the position of the best candidate that
    does not ask the very same question as the first (a duplicate is no rival)."""

    candidates: list[Candidate]
    alone: list[float]
    rival: int | None


class Matcher:
    """A matcher over one knowledge base; build once, query many times.

    >>> from askbot import load
    >>> matcher = Matcher(load())
    >>> best = matcher.extract_one("why hangzhou for blockchain?")
    >>> best.entry.id, best.score >= matcher.threshold
    ('hangzhou-advantages', True)
    >>> matcher.extract_one("what is the price of bitcoin?", score_cutoff=matcher.threshold) is None
    True

    ``settings`` holds every tunable number (``Settings(threshold=50)`` for a stricter matcher).
    ``index`` is one already built for this knowledge base with settings of the same
    ``index_fields`` (``askbot.open`` keeps one between runs); without it the matcher builds its
    own. ``semantic`` is a sentence model built for this knowledge base (``askbot.semantic``, the
    optional extra), which adds its closeness to the scores.
    """

    def __init__(
        self,
        knowledge: KnowledgeBase,
        *,
        settings: Settings = DEFAULT_SETTINGS,
        index: Index | None = None,
        semantic: SentenceModel | None = None,
    ) -> None:
        if not isinstance(knowledge, KnowledgeBase):
            raise TypeError(f"Matcher needs a KnowledgeBase (from askbot.load), not {type(knowledge).__name__}")
        if not isinstance(settings, Settings):
            raise TypeError(f"settings must be an askbot.Settings, not {type(settings).__name__}")
        if index is not None:
            _check_index(index, knowledge, settings)
        if semantic is not None and semantic.size != len(knowledge):
            raise ValueError("semantic was built for another knowledge base")
        self.settings = settings
        self.knowledge = knowledge
        self.semantic = semantic
        self.index: Index = build_index(knowledge, settings) if index is None else index
        self._analyze = Analyzer(self.index, settings)
        self._related_cache: dict[int, list[int]] = {}

    def __reduce__(self) -> tuple[Any, ...]:
        # For pickle (multiprocessing): the knowledge and settings travel, and the index is built
        # again on arrival. A cached index reads from an open file, which cannot travel.
        return (_rebuilt, (self.knowledge, self.settings, self.semantic))

    def only(self, source: Source | str) -> "Matcher":
        """A matcher over one interview of this one's knowledge (the chat's ``/use``, ``askbot ask
        --interview``), with the same settings and the sentence model's rows for it; ``source``
        as ``KnowledgeBase.only`` takes it."""
        narrowed = self.knowledge.only(source)
        chosen = narrowed.sources[0] if narrowed.sources else None
        positions = [n for n, entry in enumerate(self.knowledge) if entry.source == chosen]
        semantic = None if self.semantic is None else self.semantic.subset(positions)
        return Matcher(narrowed, settings=self.settings, semantic=semantic)

    def prepare(self, queries: list[str]) -> None:
        """Embed the sentence model's side of many questions at once, before they are matched
        (``askbot ask -``): a batch costs the model far less than one question at a time. The
        model reads each question as the matcher will hand it over (typos corrected)."""
        if self.semantic is not None:
            self.semantic.prepare(self._as_heard((query, None) for query in queries))

    def remember(self, readings: Iterable[tuple[str, str | None]]) -> None:
        """Embed the sentence model's side of a few (question, context) readings together,
        about to be matched one after another in one chat turn (a compound question's parts and
        the line whole; a follow-up alone and against the last question), keeping what
        ``prepare`` embedded for a batch: two short lines in one model call cost about two
        thirds of what they cost one by one."""
        if self.semantic is not None:
            self.semantic.remember(self._as_heard(readings))

    def _as_heard(self, readings: Iterable[tuple[str, str | None]]) -> list[str]:
        """The (question, context) readings as the sentence model is handed them (typos
        corrected, the context's words after the question's), those with nothing to score left out."""
        analyzed = [
            self._analyze(_checked(query), None if context is None else _checked(context, "context"))
            for query, context in readings
        ]
        return [a.corrected for a in analyzed if a.terms and a.total > 0]

    @property
    def threshold(self) -> float:
        """The confidence (0-100) needed to answer."""
        return self.settings.threshold

    # -- scoring ----------------------------------------------------------------------------

    def _field(
        self,
        query: str,
        size: int | None,
        explain: int | None,
        context: str | None = None,
        exclude: Collection[str] = (),
    ) -> _Field:
        """The best ``size`` candidates, scored (``None``: every entry). At most
        ``Settings.pool``, the usual case, they are what the question gathers; more are scored
        on the same scale, so the first ``pool`` keep their scores whatever ``size`` is.

        Only the first ``explain`` (all for ``None``) list the words they match in ``why``: the
        others are weighed, never shown."""
        analyzed = self._analyze(_checked(query), None if context is None else _checked(context, "context"))
        if not analyzed.terms or analyzed.total <= 0:
            return _Field([], [], None)
        settings = self.settings
        candidates = scoring.gather(analyzed, self.index, settings)
        pulls: dict[int, Pull] = {}
        if self.semantic is not None:
            candidates, pulls = self.semantic.widen(analyzed.corrected, candidates, settings)
        if exclude:
            entries = self.index.entries
            candidates = [n for n in candidates if entries[n].id not in exclude]
        wanted = settings.pool if size is None or size <= settings.pool else size
        beyond: list[int] = []
        if size is None or size > settings.pool:
            gathered = set(candidates)
            beyond = [
                n for n in range(self.index.size) if n not in gathered and self.index.entries[n].id not in exclude
            ]
            wanted = len(candidates) + len(beyond) if size is None else size
        chances = scoring.posteriors(analyzed, self.index, settings, candidates, beyond)
        ranked = scoring.best(
            analyzed, self.index, settings, [*candidates, *beyond], chances, pulls, wanted, explain=explain
        )
        entries = self.index.entries
        pool = [Candidate(entries[s.position], s.score, s.why) for s in ranked]
        asked = None if not pool else normalize(pool[0].entry.question)
        rival = next((k for k in range(1, len(pool)) if normalize(pool[k].entry.question) != asked), None)
        return _Field(pool, [s.alone for s in ranked], rival)

    def _confident(self, field: _Field, cutoff: float) -> tuple[bool, bool]:
        """Whether the best candidate clears ``cutoff``, and whether it is a near tie: both it
        and its rival would clear it alone, and it is only their closeness that holds it back
        (askbot then asks which was meant)."""
        if not field.candidates:
            return False, False
        if field.candidates[0].score >= cutoff:
            return True, False
        rival = field.rival
        return False, rival is not None and field.alone[0] >= cutoff and field.alone[rival] >= cutoff

    def extract(
        self,
        query: str,
        *,
        limit: int | None = 5,
        score_cutoff: float | None = None,
        context: str | None = None,
        exclude: Collection[str] = (),
    ) -> list[Candidate]:
        """The best candidates for ``query``, best first, like ``rapidfuzz.process.extract``;
        those below ``score_cutoff`` left out.

        Up to ``Settings.pool``, the candidates are those the question gathers by its rarer
        words, at most ``limit`` of them (fewer when fewer entries share such a word), and
        ``limit`` only cuts the list: every score is the same whatever it is. A ``limit`` past
        the pool, or ``None``, scores every other entry too, on the same scale: a pass over the
        whole knowledge base, which ``match`` never makes. ``context`` as ``match`` takes it.
        ``exclude``: ids of entries to judge the others without, as if the knowledge base lacked
        them (an answer the reader has rejected is no rival to the one they meant).

        >>> from askbot import load
        >>> [c.entry.id for c in Matcher(load()).extract("talent shortage", limit=1)]
        ['talent-shortage']
        """
        shown = None if limit is None else max(_count(limit, "limit"), 0)
        pool = self._field(query, shown, shown, context, exclude).candidates
        if score_cutoff is not None:
            pool = [c for c in pool if c.score >= _number(score_cutoff, "score_cutoff")]
        return pool[:shown]

    def extract_one(self, query: str, *, score_cutoff: float | None = None) -> Candidate | None:
        """The best candidate, or ``None`` when none reaches ``score_cutoff``.

        With a ``score_cutoff``, the answer is as confident as ``match``'s: a best candidate in a
        near tie with another (where ``match`` asks which was meant) is not returned either.
        """
        field = self._field(query, 1, 1)
        if not field.candidates:
            return None
        if score_cutoff is not None and not self._confident(field, _number(score_cutoff, "score_cutoff"))[0]:
            return None
        return field.candidates[0]

    def match(
        self, query: str, *, limit: int = 3, score_cutoff: float | None = None, context: str | None = None
    ) -> Match:
        """askbot's verdict: the answer with its follow-ups, or suggestions when unsure.

        ``limit`` is how many follow-ups and alternatives to return; ``score_cutoff`` the
        confidence needed to answer (``Settings.threshold`` by default). ``context`` is text the
        question leans on (the question a chat's follow-up follows): its words add to the
        question's at ``Settings.context_weight``, while what the question negates, names or
        contradicts is read from its own words alone.
        """
        cutoff = self.threshold if score_cutoff is None else _percent(score_cutoff, "score_cutoff")
        limit = _count(limit, "limit")
        field = self._field(query, self.settings.pool, max(limit, 0) + 1, context)
        pool = field.candidates
        best = pool[0] if pool else None
        confident, ambiguous = self._confident(field, cutoff)
        suggestions = [c for c in pool if c.score >= cutoff - self.settings.suggest_below]
        why = best.why if best else None
        if best is None or not confident:
            return Match(
                query=query,
                entry=None,
                score=best.score if best else 0.0,
                alternatives=tuple(suggestions[:limit]),
                ambiguous=ambiguous,
                why=why,
            )
        return Match(
            query=query,
            entry=best.entry,
            score=best.score,
            follow_ups=tuple(self.follow_ups(best.entry, limit=limit)),
            alternatives=tuple(suggestions[1 : limit + 1]),
            why=why,
        )

    # -- follow-ups ---------------------------------------------------------------------------

    def follow_ups(self, entry: Entry, *, limit: int = 3) -> list[Entry]:
        """Related entries: the curated ``follow_ups`` first, then the most related by content.

        Never the entry itself, never twice.
        """
        if not isinstance(entry, Entry):
            raise TypeError(f"entry must be an askbot.Entry, not {type(entry).__name__}")
        limit = _count(limit, "limit")
        chosen: list[Entry] = []
        for entry_id in entry.follow_ups:
            other = self.knowledge.get(entry_id)
            if other is not None and other.id != entry.id and other not in chosen:
                chosen.append(other)
        if len(chosen) < limit:
            for other in self._related(entry):
                if other.id != entry.id and other not in chosen:
                    chosen.append(other)
                if len(chosen) >= limit:
                    break
        return chosen[: max(limit, 0)]

    def _related(self, entry: Entry) -> list[Entry]:
        """Entries sharing the most rare terms with this one, same interview first on ties."""
        n = self.index.positions[entry.id]
        if n not in self._related_cache:
            self._related_cache[n] = self._related_uncached(n)
        return [self.index.entries[other] for other in self._related_cache[n]]

    def _related_uncached(self, n: int) -> list[int]:
        # Only what the entry is *about* (question, alternates, tags) seeds the search: words its
        # answer merely mentions would make every long answer related to everything.
        totals: dict[int, float] = {}
        index = self.index
        for term, strength in index.tables[n].strengths.items():
            if strength <= self.settings.answer_strength:
                continue  # before the posting lookup: a cached index reads only the postings used
            posting = index.postings[term]
            if len(posting) <= index.rare:  # relatedness lives in the rarer words two entries share
                accumulate(totals, posting, index.idf[term] * strength)
        totals.pop(n, None)
        interview, source, pool = index.interview, index.interview[n], self.settings.pool
        ranked = scoring.top({o: total for o, total in totals.items() if interview[o] == source}, pool)
        if len(ranked) < pool:
            others = {o: total for o, total in totals.items() if interview[o] != source}
            ranked += scoring.top(others, pool - len(ranked))
        return ranked


def _rebuilt(knowledge: KnowledgeBase, settings: Settings, semantic: SentenceModel | None) -> Matcher:
    """A pickled ``Matcher``, made again (``Matcher.__reduce__``)."""
    return Matcher(knowledge, settings=settings, semantic=semantic)


def _check_index(index: Index, knowledge: KnowledgeBase, settings: Settings) -> None:
    """Refuse an index that is not this knowledge base's, or not what these settings build: it
    would score with one set of weights against tables made with another."""
    if not isinstance(index, Index):
        raise TypeError(f"index must be an askbot.matching.index.Index, not {type(index).__name__}")
    if (
        len(index.entries) != len(knowledge.entries)
        or (index.entries and index.entries[0].id != knowledge.entries[0].id)
        or (index.entries and index.entries[-1].id != knowledge.entries[-1].id)
    ):
        raise ValueError("index was built for another knowledge base")
    built, wanted = index.settings.index_fields(), settings.index_fields()
    if built != wanted:
        differ = ", ".join(name for name in wanted if built.get(name) != wanted[name])
        raise ValueError(f"index was built with other settings ({differ}); build it with these, or pass none")


def _checked(query: object, name: str = "query") -> str:
    if not isinstance(query, str):
        raise TypeError(f"{name} must be a str, not {type(query).__name__}")
    return query


def _number(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{name} must be a number, not {type(value).__name__}")
    if math.isnan(value):
        raise ValueError(f"{name} must be a number, not NaN")
    return float(value)


def _percent(value: object, name: str) -> float:
    value = _number(value, name)
    if not 0 <= value <= 100:
        raise ValueError(f"{name} must be from 0 to 100, not {value!r}")
    return float(value)


def _count(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    return value
