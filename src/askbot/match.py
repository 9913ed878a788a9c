"""Find the entry that answers a reader's question, or say honestly that none does.

``Matcher`` ties the parts together: ``index.build_index`` compiles the knowledge base once,
``query.Analyzer`` turns each question into weighted, typo-corrected terms, and ``scoring`` scores
the candidates in small steps (gather, posterior, score each, rank); their docstrings say how and
why. This module adds the verdict and the follow-ups:

- at or above ``threshold`` askbot answers; within ``suggest_below`` points under it the
  candidates become "did you mean" suggestions; when the runner-up is within ``margin`` points of
  the best, askbot asks instead of guessing (all three in ``Settings``), unless it asks the very
  same question (a duplicate): then the first in the files answers and the duplicates follow;
- follow-ups are the entry's curated ``follow_ups`` first, then the entries sharing most of what
  it is about, same interview first.
"""

from __future__ import annotations

import math

from . import scoring
from .index import Index, accumulate, build_index
from .model import Candidate, Entry, KnowledgeBase, Match
from .query import Analyzer
from .semantic import Semantic
from .settings import DEFAULT_SETTINGS, Settings
from .text import normalize

DEFAULT_THRESHOLD = DEFAULT_SETTINGS.threshold


class Matcher:
    """A matcher over one knowledge base; build once, query many times.

    >>> from askbot import load
    >>> matcher = Matcher(load())
    >>> best = matcher.extract_one("why hangzhou for blockchain?")
    >>> best.entry.id, best.score >= matcher.threshold
    ('hangzhou-advantages', True)
    >>> matcher.extract_one("what is the price of bitcoin?", score_cutoff=matcher.threshold) is None
    True

    ``settings`` holds every tunable number; ``threshold``, ``suggest_below`` and ``margin`` are
    shortcuts for replacing those three (``Matcher(kb, threshold=50)``). ``index`` is one already
    built for this knowledge base with these settings (``askbot.cache.load_indexed`` keeps them
    between runs); without it the matcher builds its own. ``semantic`` (from ``askbot.semantic``,
    the optional extra) adds sentence-embedding closeness to the scores.
    """

    def __init__(
        self,
        knowledge: KnowledgeBase,
        *,
        settings: Settings = DEFAULT_SETTINGS,
        threshold: float | None = None,
        suggest_below: float | None = None,
        margin: float | None = None,
        index: Index | None = None,
        semantic: Semantic | None = None,
    ) -> None:
        if not isinstance(knowledge, KnowledgeBase):
            raise TypeError(f"Matcher needs a KnowledgeBase (from askbot.load), not {type(knowledge).__name__}")
        if not isinstance(settings, Settings):
            raise TypeError(f"settings must be an askbot.Settings, not {type(settings).__name__}")
        if index is not None and not isinstance(index, Index):
            raise TypeError(f"index must be an askbot.index.Index, not {type(index).__name__}")
        if index is not None and (
            len(index.entries) != len(knowledge.entries)
            or (index.entries and index.entries[0].id != knowledge.entries[0].id)
            or (index.entries and index.entries[-1].id != knowledge.entries[-1].id)
        ):
            raise ValueError("index was built for another knowledge base")
        overrides = {"threshold": threshold, "suggest_below": suggest_below, "margin": margin}
        changes = {name: value for name, value in overrides.items() if value is not None}
        self.settings = settings.replace(**changes) if changes else settings
        self.knowledge = knowledge
        if semantic is not None and semantic.size != len(knowledge):
            raise ValueError("semantic was built for another knowledge base")
        self.semantic = semantic
        self.index: Index = build_index(knowledge, self.settings) if index is None else index
        self._analyze = Analyzer(self.index, self.settings)
        self._related_cache: dict[int, list[int]] = {}

    @property
    def threshold(self) -> float:
        """The confidence (0-100) needed to answer."""
        return self.settings.threshold

    @property
    def margin(self) -> float:
        """How close a runner-up makes askbot ask instead of answering."""
        return self.settings.margin

    # -- scoring ----------------------------------------------------------------------------

    def _pool(self, query: str, explain: int | None) -> tuple[list[Candidate], list[float | None]]:
        """The best ``Settings.pool`` candidates, scored; independent of any caller's ``limit``;
        and beside each its sentence-embedding closeness (``None`` without the semantic extra).

        Only the first ``explain`` (all for ``None``) list the words they match in ``why``: the
        others are weighed, never shown."""
        analyzed = self._analyze(_checked(query))
        if not analyzed.terms or analyzed.total <= 0:
            return [], []
        candidates = scoring.gather(analyzed, self.index, self.settings)
        pulls: dict[int, scoring.Pull] = {}
        if self.semantic is not None:
            candidates, pulls = self.semantic.widen(analyzed.corrected, candidates, self.settings)
        chances = scoring.posteriors(analyzed, self.index, self.settings, candidates)
        ranked = scoring.best(
            analyzed, self.index, self.settings, candidates, chances, pulls, self.settings.pool, explain=explain
        )
        entries = self.index.entries
        pool = [Candidate(entries[s.position], s.score, s.why) for s in ranked]
        return pool, [pulls[s.position].closeness if s.position in pulls else None for s in ranked]

    def extract(self, query: str, *, limit: int | None = 5, score_cutoff: float | None = None) -> list[Candidate]:
        """The best candidates for ``query``, best first, like ``rapidfuzz.process.extract``.

        ``limit`` only cuts the list: the first candidate and every score are the same whatever
        it is. Candidates below ``score_cutoff`` are left out.

        >>> from askbot import load
        >>> [c.entry.id for c in Matcher(load()).extract("talent shortage", limit=1)]
        ['talent-shortage']
        """
        shown = None if limit is None else max(_count(limit, "limit"), 0)
        pool, _ = self._pool(query, shown)
        if score_cutoff is not None:
            pool = [c for c in pool if c.score >= _number(score_cutoff, "score_cutoff")]
        return pool[:shown]

    def extract_one(self, query: str, *, score_cutoff: float | None = None) -> Candidate | None:
        """The best candidate, or ``None`` when none reaches ``score_cutoff``."""
        found = self.extract(query, limit=1, score_cutoff=score_cutoff)
        return found[0] if found else None

    def match(self, query: str, *, limit: int = 3, threshold: float | None = None) -> Match:
        """askbot's verdict: the answer with its follow-ups, or suggestions when unsure.

        ``limit`` is how many follow-ups and alternatives to return.
        """
        cutoff = self.threshold if threshold is None else _percent(threshold, "threshold")
        limit = _count(limit, "limit")
        pool, nearness = self._pool(query, max(limit, 0) + 1)  # the best and ``limit`` alternatives are shown
        best = pool[0] if pool else None
        # Entries asking the very same question are duplicates, not rivals: the first in the
        # files answers and the others are listed after it.
        asked = None if best is None else normalize(best.entry.question)
        second = next((k for k in range(1, len(pool)) if normalize(pool[k].entry.question) != asked), None)
        runner_up = None if second is None else pool[second]
        suggestions = [c for c in pool if c.score >= cutoff - self.settings.suggest_below]
        ambiguous = bool(
            best is not None
            and best.score >= cutoff
            and runner_up is not None
            and best.score - runner_up.score < self.settings.margin
            and not _nearer(nearness[0], nearness[second] if second is not None else None)
        )
        why = best.why if best else None
        if best is None or best.score < cutoff or ambiguous:
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
        for term, strength in index.strengths[n].items():
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


def _nearer(best: float | None, runner_up: float | None) -> bool:
    """Whether the sentence model puts the best candidate nearer the question than the runner-up.

    A runner-up a hair below on the blended score makes askbot ask, unless the model, which
    heard the question as a whole, clearly sides with the best: then the near tie is the
    lexical side's doubt alone, and asking would turn away an answer both sides agree on.
    Without the extra (``None``), or when the model rates both alike, askbot asks as before.
    """
    return best is not None and runner_up is not None and best > runner_up


def _checked(query: object) -> str:
    if not isinstance(query, str):
        raise TypeError(f"query must be a str, not {type(query).__name__}")
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
