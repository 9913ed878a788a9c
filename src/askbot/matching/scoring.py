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
   With the semantic extra, the sentence-embedding closeness (a ``Pull``, 0-100) pulls the
   score towards itself (``Settings.semantic_weight`` up, the pull's ``drag`` down), before the
   caps, so it never lifts a contradiction or a question of function words over them. Then two
   caps: a question of function words or list numbers alone scores no more than its closeness
   to a phrasing of the entry that has no content words either ("Who are you?"), so "and" or
   "4" never rides on one shared word; and a question that contradicts the entry
   ("disadvantages" against "advantages", "why not" against "why") scores at most
   ``Settings.contradiction_gap`` points under the threshold: a "did you mean" at best.
4. ``rank``: the best ``limit``, as rapidfuzz's ``extract`` does with ``heapq.nlargest``;
   ``best`` scores and ranks in one pass, leaving unfinished a candidate that cannot make it.

Each score carries a ``Why``: the words that matched, those that did not, and any penalty.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Mapping, Sequence
from itertools import compress, repeat
from operator import ge, itemgetter, mul
from typing import NamedTuple

from rapidfuzz import fuzz, process

from ..model import Why
from ..settings import Settings
from .index import Index, accumulate
from .query import Query
from .sentences import Pull


class Scored(NamedTuple):
    """One candidate's confidence, with the entry's position in the index and the reasons."""

    position: int
    score: float
    why: Why


def gather(query: Query, index: Index, settings: Settings) -> list[int]:
    """Positions of the entries worth scoring: those sharing the question's rarer terms,
    the most promising first (at most ``Settings.gathered``)."""
    totals: dict[int, float] = {}
    for t in query.terms:
        posting = index.postings.get(t.term)
        if posting and len(posting) <= index.common:
            accumulate(totals, posting, t.weight)
    if not totals:
        # Every term is common (a base of many near-identical questions): the rarest term's
        # entries are still the right ones to score, the first in the files first.
        found = [(t, posting) for t in query.terms if (posting := index.postings.get(t.term))]
        if found:
            t, posting = min(found, key=lambda item: len(item[1]))
            accumulate(totals, posting, t.weight)
    return top(totals, settings.gathered)


def top(totals: Mapping[int, float], limit: int) -> list[int]:
    """The ``limit`` positions with the highest totals, highest first, the first in the files
    first on ties: what ``heapq.nsmallest`` of ``(-total, position)`` gives, in C loops. The
    cut-off total comes from sorting bare floats; only the totals at or above it are sorted by
    position, then (stably) by total."""
    cutoff = sorted(totals.values(), reverse=True)[limit - 1] if len(totals) > limit else -math.inf
    chosen = sorted(compress(totals.items(), map(ge, totals.values(), repeat(cutoff))))
    chosen.sort(key=itemgetter(1), reverse=True)
    return [n for n, _ in chosen[:limit]]


def posteriors(
    query: Query, index: Index, settings: Settings, candidates: list[int], beyond: Sequence[int] = ()
) -> list[float]:
    """P(entry | question terms) over the candidates, by naive Bayes on the phrasings' terms;
    then, for each entry of ``beyond`` (outside the field the question gathered, which a caller
    asking for every candidate wants scored too), its likelihood on the same scale (at most 1),
    so the candidates' own posteriors do not change with how many more are scored."""
    if not candidates:
        return [0.0] * len(beyond)
    known = [term for term in query.term_keys if term in index.postings]
    tables = [index.tables[n] for n in (*candidates, *beyond)]
    logliks = [sum(map(t.logp.get, known, repeat(t.logp_floor, len(known)))) for t in tables]
    background = sum(index.background.get(term, index.background_floor) for term in known)
    background += math.log(settings.background_odds)
    field = logliks[: len(candidates)]
    peak = max(*field, background)
    norm = sum(math.exp(ll - peak) for ll in field) + math.exp(background - peak)
    return [min(math.exp(ll - peak) / norm, 1.0) for ll in logliks]


def score_one(
    query: Query, index: Index, settings: Settings, n: int, posterior: float, semantic: Pull | None = None
) -> Scored:
    """The confidence (0-100) that entry ``n`` answers ``query``, with its reasons; ``semantic`` is
    the sentence model's pull on the entry when the semantic extra is in use."""
    score, kind_missing = _before_penalties(query, index, settings, n, posterior, semantic)
    final, penalties = _with_penalties(query, index, settings, n, score, kind_missing)
    return Scored(n, final, _reasons(query, index, n, penalties))


def best(
    query: Query,
    index: Index,
    settings: Settings,
    candidates: list[int],
    chances: list[float],
    semantic: Mapping[int, Pull],
    limit: int,
    *,
    explain: int | None = None,
) -> list[Scored]:
    """``rank`` of ``score_one`` over the candidates, without finishing hopeless ones.

    Penalties only lower a score, so a candidate whose score before them rounds below the
    ``limit``-th best finished so far cannot be among the best: its contradiction checks are
    skipped (a third of the candidates, on a large knowledge base). The words matched and not
    are listed only for the best, once they are known, and only for the first ``explain`` of
    them (all by default): the others' ``Why`` holds their penalties alone. A verdict weighs
    twelve candidates but shows its reader four.
    """
    finished: list[Scored] = []
    floor: list[float] = []  # the best ``limit`` finished scores, a min-heap
    for n, chance in zip(candidates, chances, strict=True):
        score, kind_missing = _before_penalties(query, index, settings, n, chance, semantic.get(n))
        if len(floor) >= limit and round(score, 1) < floor[0]:
            continue
        final, penalties = _with_penalties(query, index, settings, n, score, kind_missing)
        finished.append(Scored(n, final, Why(penalties=penalties)))
        if len(floor) < limit:
            heapq.heappush(floor, final)
        elif final > floor[0]:
            heapq.heapreplace(floor, final)
    ranked = rank(finished, limit)
    shown = len(ranked) if explain is None else explain
    for at, s in enumerate(ranked[:shown]):
        ranked[at] = s._replace(why=_reasons(query, index, s.position, s.why.penalties))
    return ranked


def _before_penalties(
    query: Query, index: Index, settings: Settings, n: int, posterior: float, semantic: Pull | None
) -> tuple[float, bool]:
    """Entry ``n``'s score before the caps, and whether it never asks the question's kind."""
    tables = index.tables[n]
    strengths = map(tables.strengths.get, query.term_keys, repeat(0.0, len(query.term_keys)))
    covered = sum(map(mul, query.weights, strengths))
    total = query.total
    kind_missing = query.kind is not None and query.kind not in tables.kinds
    if kind_missing:
        total += settings.question_kind_weight * index.unknown_idf**settings.rarity_power
    coverage = covered / total if total else 0.0
    closeness = _closeness(query.fuzzy, tables.phrasings)
    # The posterior has a "none of these" share (``posteriors``), so a question in words every
    # entry uses is not confidently any one entry's.
    blended = settings.coverage_share * coverage + settings.posterior_share * posterior
    score = min(100 * (blended + settings.closeness_share * closeness), 100.0)
    # A sentence model hears "how many startups moved here?" much like "why move here?": its
    # closeness lifts only an entry that asks the kind of answer the question wants.
    if semantic is not None and (semantic.closeness < score or not kind_missing):
        pull = settings.semantic_weight if semantic.closeness > score else semantic.drag
        score += pull * (semantic.closeness - score)
    return score, kind_missing


def _with_penalties(
    query: Query, index: Index, settings: Settings, n: int, score: float, kind_missing: bool
) -> tuple[float, tuple[str, ...]]:
    """The caps on a score (a question of function words, a contradiction), rounded, and the
    penalties said."""
    penalties: list[str] = []
    if kind_missing:
        penalties.append(f"asks '{query.kind}', which the entry never does")
    if query.content_free is not None:
        score = min(score, _content_free_closeness(query.content_free, index.tables[n].content_free))
    cap = settings.threshold - settings.contradiction_gap
    # A score at or under the cap is what a contradiction would leave it: no need to look for one.
    contradiction = _contradiction(query, index, settings, n) if score > cap else None
    if contradiction is not None:
        score = max(cap, 0.0)
        penalties.append(contradiction)
    return round(score, 1), tuple(penalties)


def _reasons(query: Query, index: Index, n: int, penalties: tuple[str, ...]) -> Why:
    """The words of the question entry ``n`` accounts for and those it does not, as typed."""
    table = index.tables[n].strengths
    matched: list[str] = []
    unmatched: list[str] = []
    for t in query.terms:
        if t.content and not t.from_context:
            (matched if table.get(t.term) else unmatched).append(t.shown)
    return Why(tuple(matched), tuple(unmatched), penalties)


def rank(scored: Iterable[Scored], limit: int) -> list[Scored]:
    """The ``limit`` best, best first; ties go to the entry that comes first in the files."""
    return heapq.nlargest(limit, scored, key=lambda s: (s.score, -s.position))


def _contradiction(query: Query, index: Index, settings: Settings, n: int) -> str | None:
    """Why the question asks something entry ``n`` cannot be the answer to, or ``None``: the
    opposite of what it answers, a downside it never speaks of, a name it is not about, a "not"
    it never says, or a figure it never gives."""
    tables = index.tables[n]
    about, focus = tables.about, tables.focus
    for t, opposite in query.opposing:
        if t.term not in about and not about.isdisjoint(opposite):
            return f"'{t.word}' asks the opposite of what the entry answers"
    if not tables.negative:
        for t in query.downsides:
            if t.term not in about:
                return f"'{t.word}' asks for a downside the entry does not speak of"
    # "Why not Hangzhou?" is not answered by an entry that says "not enough engineers": the
    # entry must negate what the question negates.
    if query.negations and query.negations.isdisjoint(tables.negations):
        # "does not decrease" asks what "increase" answers: not-X is the opposite of X.
        if about.isdisjoint(query.negated_opposites):
            return "the question says 'not'; the entry does not, of that"
    # A name most entries mention ("Hangzhou" in an interview about Hangzhou) is the setting, not
    # a subject; any other name the question gives must be one the entry centres on.
    if query.names and not any(focus.get(t.term, 0.0) >= settings.central_focus for t in query.names):
        for t in query.names:
            if len(index.postings[t.term]) <= settings.setting_share * index.size:
                return f"the question is about '{t.word}', which the entry is not"
    if query.kind == "how many" and query.kind not in tables.kinds:
        if not any(t.term in tables.counted for t in query.terms if t.content):
            return "the question asks how many; the entry gives no such figure"
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
