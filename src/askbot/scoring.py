"""Scoring a question against an index, as a pipeline of small steps: gather, score, rank.

1. ``gather``: the entries sharing the question's rarer terms, found through the inverted index.
2. ``posteriors``: a naive-Bayes posterior over those candidates, from their phrasings' terms:
   which of them would most likely have been asked this way.
3. ``score_one``: each candidate's confidence (0-100), blending three parts so that it reads the
   same on nine entries and on thousands (it says how much of the question the entry answers,
   not how it ranks):
   - *coverage*, the share of the question's meaning (its terms weighted by rarity, function
     words barely counted) that the entry accounts for. A word the knowledge base has never seen
     counts fully against every entry, which is what turns "what is the price of bitcoin?" away.
     A name the entry mentions only in passing (one city of four listed) counts as not
     accounted for, and so does the kind of answer the question wants ("how many", "when") when
     the entry never asks for it;
   - the *posterior* of step 2;
   - *closeness*, rapidfuzz's similarity of the question's content terms to the entry's nearest
     phrasing.
   Then two caps: a question of function words or list numbers alone scores no more than its
   closeness to a phrasing of the entry that has no content words either ("Who are you?"), so
   "and" or "4" never rides on one shared word; and a question that contradicts the entry
   ("disadvantages" against "advantages", "why not" against "why") scores at most
   ``Settings.contradiction_cap``, a "did you mean" at best, never an answer.
4. ``rank``: the best ``limit``, as rapidfuzz's ``extract`` does with ``heapq.nlargest``.

Each score carries a ``Why``: the words that matched, those that did not, and any penalty.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from . import lexicon
from .index import Index
from .model import Why
from .query import Query
from .settings import Settings


@dataclass(frozen=True)
class Scored:
    """One candidate's confidence, with the entry's position in the index and the reasons."""

    position: int
    score: float
    why: Why


def gather(query: Query, index: Index, settings: Settings) -> list[int]:
    """Positions of the entries worth scoring: those sharing the question's rarer terms,
    the most promising first (at most twice the pool)."""
    acc: dict[int, float] = {}
    for t in query.terms:
        posting = index.postings.get(t.term)
        if not posting or len(posting) > index.common:
            continue
        for n, strength in posting:
            acc[n] = acc.get(n, 0.0) + t.weight * strength
    if not acc:
        # Every term is common (a base of many near-identical questions): the rarest term's
        # entries are still the right ones to score, the first in the files first.
        found = [(t, posting) for t in query.terms if (posting := index.postings.get(t.term))]
        if found:
            t, posting = min(found, key=lambda item: len(item[1]))
            acc = {n: t.weight * strength for n, strength in posting}
    best = heapq.nsmallest(settings.pool * 2, acc.items(), key=lambda item: (-item[1], item[0]))
    return [n for n, _ in best]


def posteriors(query: Query, index: Index, candidates: list[int]) -> list[float]:
    """P(entry | question terms) over the candidates, by naive Bayes on the phrasings' terms."""
    if not candidates:
        return []
    known = [t.term for t in query.terms if t.term in index.postings]
    logliks = [sum(index.logp[n].get(term, index.logp_floor[n]) for term in known) for n in candidates]
    peak = max(logliks)
    exps = [math.exp(ll - peak) for ll in logliks]
    norm = sum(exps)
    return [e / norm for e in exps]


def score_one(query: Query, index: Index, settings: Settings, n: int, posterior: float) -> Scored:
    """The confidence (0-100) that entry ``n`` answers ``query``, with its reasons."""
    table, focus = index.strengths[n], index.focus[n]
    covered = 0.0
    total = query.total
    matched: list[str] = []
    unmatched: list[str] = []
    penalties: list[str] = []
    for t in query.terms:
        strength = table.get(t.term, 0.0)
        if t.term in focus and focus[t.term] < 0.5:
            # A name one phrasing lists among others ("Beijing, Shanghai and Shenzhen have ...")
            # is what the entry compares with, not what it is about.
            strength = min(strength, settings.answer_strength * 2 * focus[t.term])
            penalties.append(f"'{t.word}' is only mentioned in passing")
        covered += t.weight * strength
        if t.content:
            (matched if strength else unmatched).append(t.shown)
    if query.kind is not None and query.kind not in index.kinds[n]:
        total += settings.question_kind_weight * index.unknown_idf
        penalties.append(f"asks '{query.kind}', which the entry never does")
    coverage = covered / total if total else 0.0
    closeness = _closeness(query.fuzzy, index.phrasings[n])
    # The posterior only says which candidate is likeliest, not that any is likely: it counts
    # in proportion to how much of the question the entry accounts for.
    blended = settings.coverage_share * coverage + settings.posterior_share * posterior
    score = min(100 * (blended + settings.closeness_share * closeness), 100.0)
    if query.content_free is not None:
        score = min(score, _content_free_closeness(query.content_free, index.content_free[n]))
    contradiction = _contradiction(query, index, n)
    if contradiction is not None and score > settings.contradiction_cap:
        score = settings.contradiction_cap
        penalties.append(contradiction)
    return Scored(n, round(score, 1), Why(tuple(matched), tuple(unmatched), tuple(penalties)))


def rank(scored: Iterable[Scored], limit: int) -> list[Scored]:
    """The ``limit`` best, best first; ties go to the entry that comes first in the files."""
    return heapq.nlargest(limit, scored, key=lambda s: (s.score, -s.position))


def _contradiction(query: Query, index: Index, n: int) -> str | None:
    """Why the question asks the opposite of what entry ``n`` answers, or ``None``."""
    about = index.about[n]
    for t in query.terms:
        if t.content and t.term not in about and not about.isdisjoint(lexicon.opposites(t.term)):
            return f"'{t.word}' asks the opposite of what the entry answers"
    if query.negated and not index.negative[n]:
        return "the question says 'not'; the entry's question does not"
    return None


def _closeness(fuzzy_query: str, phrasings: tuple[str, ...]) -> float:
    if not fuzzy_query:
        return 0.0
    best = process.extractOne(fuzzy_query, phrasings, scorer=fuzz.ratio, processor=None)
    return best[1] / 100 if best else 0.0


def _content_free_closeness(query_words: str, phrasings: tuple[str, ...]) -> float:
    """rapidfuzz ``ratio`` (0-100) of a content-free question to the entry's nearest phrasing
    that is content-free too ("Who are you?"); 0 when every phrasing has content words."""
    best = process.extractOne(query_words, phrasings, scorer=fuzz.ratio, processor=None)
    return best[1] if best else 0.0
