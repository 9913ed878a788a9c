"""Scoring a question against an index, as a pipeline of small steps: gather, measure, rank, judge.

1. ``gather``: the entries sharing the question's rarer terms, found through the inverted index.
2. ``posteriors``: a naive-Bayes posterior over those candidates, from their phrasings' terms:
   which of them would most likely have been asked this way (with a share for "none of these",
   so a question in words every entry uses is not confidently any one entry's).
3. ``measure``: what the candidate has of the question (``FEATURES``), each a number a reader can
   check in ``--explain``:
   - *asked*: the share of the question's weight its question and alternates account for, each
     word by how many of them use it; *whole*: whether it is the one candidate one of whose
     phrasings holds every word of the question that counts (such a candidate is the answer
     nineteen times in twenty, however an answer elsewhere mentions the question's rarest word);
     and *phrasing*: the share its closest phrasing holds (a paraphrase close to one alternate);
   - *said*: the share its answer accounts for; *answer*: the same, each word counting by how
     many of the answer's sentences use it and how short the answer is (BM25's saturation and
     length normalisation: a word a short answer keeps coming back to is what it is about); and
     *sentence*: the share one sentence of the answer holds (a question about what the
     interviewee said finds the sentence that says it);
   - *uncovered*: the share nothing of the entry accounts for, *unmatched*: how heavy the
     heaviest such word is (a rare word no part of the entry has tells most against it), and
     *missing*: the share of the question's own content words the entry lacks, counted alike;
   - *closeness* (rapidfuzz's similarity of the question's content terms to the nearest
     phrasing's) and *spoken* (of all its words, function words too: "could you tell us about
     yourself?" is close to "Could you tell us a bit about yourself?" though few words count);
   - the *posterior* of step 2;
   - how *informative* the question is: the weight of its own words, on the scale of the
     rarest ("hangzhou" alone in an interview about Hangzhou says little);
   - what the question asks that the entry cannot be the answer to: a *kind* of answer it never
     gives ("how many", "when"), the *opposite* of what it answers, a *downside* it never speaks
     of, a *negation* it does not make, a *name* it is not about, a *figure* it never gives; and
     whether the question is *wordless* (function words or list numbers only);
4. ``best``: each candidate's *rank score*, the weighted sum of those numbers
   (``Settings.rank_*``), for the ``Settings.pool`` candidates holding most of the question's
   weight. With a sentence model, what it hears of each candidate (``HEARD``: how near the
   question is to its phrasings and to the sentences of its answer, and by how much nearer than
   to any other entry's) is weighed with that rank score and the lexical confidence into a
   second rank score (``Settings.semantic_rank_*``), for those candidates and the ones the model
   finds nearest.
5. ``judge``: each ranked candidate's confidence, the probability that it is the answer: that
   the answer is it or its best rival (a logistic function of its rank score, of how many words
   the question has and of what was measured of it, ``Settings.confidence_*``), times that it is
   it rather than the rival (a logistic function of its lead over the rival, ``pair_*``: two
   near-equal candidates are close to a coin flip, and askbot asks which was meant); with a
   sentence model, the same over the second rank score (``semantic_confidence_*``,
   ``semantic_pair_*``). The weights are fitted on data (``benchmarks/fit_confidence.py``), so a
   score reads as a probability: 70 is right about seven times in ten, on nine entries or on
   thousands.

Each score carries a ``Why``: the words that matched, those that did not, and what the question
asks that the entry cannot answer.
"""

import math
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from itertools import compress, repeat
from operator import ge, itemgetter
from typing import NamedTuple

from rapidfuzz import fuzz, process

from ..model import Why
from ..settings import Settings
from .index import EntryTables, Index, accumulate
from .query import Query
from .sentences import Pull
from .text import normalize

#: What ``measure`` finds of a candidate, in order; ``Settings.rank_<name>`` weighs each.
FEATURES = (
    "asked",
    "whole",
    "phrasing",
    "said",
    "answer",
    "sentence",
    "uncovered",
    "unmatched",
    "missing",
    "closeness",
    "spoken",
    "posterior",
    "kind",
    "opposite",
    "downside",
    "negation",
    "name",
    "figure",
    "wordless",
    "informative",
)
#: What the sentence model's ``Pull`` says of a candidate (``heard``). With a model, the two
#: models weigh ``STACKED`` (the lexical model's rank score and presence logit, then these) by
#: ``Settings.semantic_rank_<name>`` and ``semantic_confidence_<name>``.
HEARD = ("cosine", "heard_question", "heard_sentence", "question_lead", "sentence_lead", "question_top", "sentence_top")
STACKED = ("lexical_rank", "lexical_presence", *HEARD)
# A phrasing holding this share of the question's weight holds all of it that counts (function
# words weigh a fifth of a word, and a question may carry one its phrasing lacks).
_WHOLE = 0.95
_WHOLE_AT = FEATURES.index("whole")
_FLAGS = {
    "kind": "asks '{kind}', which the entry never does",
    "opposite": "'{word}' asks the opposite of what the entry answers",
    "downside": "'{word}' asks for a downside the entry does not speak of",
    "negation": "the question says 'not'; the entry does not, of that",
    "name": "the question is about '{word}', which the entry is not",
    "figure": "the question asks how many; the entry gives no such figure",
}


class Scored(NamedTuple):
    """One candidate: its position in the index, its confidence (0-100), and why."""

    position: int
    score: float
    why: Why
    #: Its rank score, and the probability it would have alone, with no rival near it.
    rank: float = 0.0
    alone: float = 0.0


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
    """P(entry | question terms) over the candidates of each interview, by naive Bayes on the
    phrasings' terms (an interview's entries compete with each other, not with another
    interview's asking the same); then, for each entry of ``beyond`` (outside the field the
    question gathered, which a caller asking for every candidate wants scored too), its
    likelihood on the same scale (at most 1), so the candidates' own posteriors do not change with
    how many more are scored."""
    if not candidates:
        return [0.0] * len(beyond)
    known = [term for term in query.term_keys if term in index.postings]
    tables = [index.tables[n] for n in (*candidates, *beyond)]
    logliks = [sum(map(t.logp.get, known, repeat(t.logp_floor, len(known)))) for t in tables]
    background = sum(index.background.get(term, index.background_floor) for term in known)
    background += math.log(settings.background_odds)
    interview = index.interview
    groups: dict[int, list[float]] = {}
    for n, ll in zip(candidates, logliks, strict=False):
        groups.setdefault(interview[n], []).append(ll)
    scale: dict[int, tuple[float, float]] = {}
    for group, field in groups.items():
        peak = max(*field, background)
        scale[group] = peak, sum(math.exp(ll - peak) for ll in field) + math.exp(background - peak)
    found = []
    for n, ll in zip((*candidates, *beyond), logliks, strict=True):
        peak, norm = scale.get(interview[n], (max(ll, background), 1.0 + math.exp(background - max(ll, background))))
        found.append(min(math.exp(ll - peak) / norm, 1.0))
    return found


class Measured(NamedTuple):
    """What ``measure`` found of one candidate: ``FEATURES`` so far (the dear ones 0 until
    ``complete``), and each answer term's sentences as bits with its weight."""

    n: int
    found: list[float]
    sentences: list[tuple[int, float]]


def measure(query: Query, index: Index, settings: Settings, n: int, posterior: float) -> Measured:
    """The cheap ``FEATURES`` of candidate ``n``: what gathering ranks the field by."""
    tables = index.tables[n]
    total = query.total or 1.0
    asked = said = answer = covered = unmatched = 0.0
    missing = 0
    masks: list[tuple[int, float]] = []
    phrasings: list[tuple[int, float]] = []
    strengths, about, spoken_in, phrased = tables.strengths, tables.about, tables.said, tables.phrased
    k1 = settings.bm25_k1
    norm = k1 * (1 - settings.bm25_b + settings.bm25_b * tables.length / (index.answer_length or 1.0))
    for term, weight, own in query.scored:
        strength = strengths.get(term)
        if strength is None:
            if own:
                missing += 1
                if weight > unmatched:
                    unmatched = weight
            continue
        covered += weight
        if term in about:
            asked += weight * strength
            uses = phrased.get(term)
            if uses:
                phrasings.append((uses, weight))
        bits = spoken_in.get(term)
        if bits:
            said += weight
            often = bits.bit_count()
            answer += weight * often / (often + norm)
            masks.append((bits, weight))
    phrasing = _heaviest_part(phrasings) / total
    found = [
        asked / total,
        float(phrasing >= _WHOLE and query.length > 0),
        phrasing,
        said / total,
        answer / total,
        0.0,
        1.0 - covered / total,
        unmatched / query.heaviest,
        missing / query.length if query.length else 0.0,
        0.0,
        0.0,
        posterior,
        float(query.kind is not None and query.kind not in tables.kinds and query.kind not in tables.gives),
        *[0.0] * 6,
        query.informative,
    ]
    return Measured(n, found, masks)


_SENTENCE, _CLOSENESS, _SPOKEN = FEATURES.index("sentence"), FEATURES.index("closeness"), FEATURES.index("spoken")
_WORDLESS = FEATURES.index("wordless")
_CONTRADICTIONS = tuple((name, FEATURES.index(name)) for name in ("opposite", "downside", "negation", "name", "figure"))
_FLAGGED = tuple((name, FEATURES.index(name)) for name in _FLAGS)
# The flags that cap a confidence (``Settings.contradicted_cap``); a *name* the entry is not
# about is only weighed: readers name people and places an answer speaks of in passing.
_CAPPED = tuple(at for name, at in _FLAGGED if name != "name")
_capped = itemgetter(*_CAPPED)


def complete(query: Query, index: Index, settings: Settings, measured: Measured) -> list[float]:
    """All ``FEATURES`` of a measured candidate: the cheap ones, and the sentence of the answer
    that holds most of the question, how close its terms and its words come to a phrasing's
    (rapidfuzz, over every phrasing: the dearest of all), and what it asks that the entry
    cannot answer."""
    tables = index.tables[measured.n]
    found = list(measured.found)
    found[_SENTENCE] = _heaviest_part(measured.sentences) / (query.total or 1.0)
    found[_CLOSENESS] = _closeness(query.fuzzy, tables.phrasings)
    found[_SPOKEN] = _closeness(query.spoken, tables.spoken)
    flags = _contradictions(query, index, settings, tables)
    for name, at in _CONTRADICTIONS:
        found[at] = float(name in flags)
    found[_WORDLESS] = float(query.content_free is not None)
    return found


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
    """The ``limit`` best candidates, ranked and judged, best first.

    The ``limit`` candidates holding most of the question's weight are measured (``measure``,
    ``complete``), with those the sentence model finds nearest when there is one (``semantic``:
    its ``Pull`` on each candidate it widened the field with), then ranked by rank score and
    judged (``judge``). The words matched and not are listed only for the first ``explain`` of
    them (all by default): a verdict weighs twelve candidates but shows its reader four.
    """
    field = candidates
    if len(candidates) > limit:
        # The field to measure: the ``limit`` candidates gathering found most promising (it
        # lists them so, by the question's rarer terms they hold).
        field = candidates[:limit]
        if semantic:
            near = [n for n in candidates if _near(semantic.get(n), settings)]
            field = list(dict.fromkeys([*field, *near]))
    chance_of = dict(zip(candidates, chances, strict=True))
    measured = [complete(query, index, settings, measure(query, index, settings, n, chance_of[n])) for n in field]
    unique(measured)
    lexical = Model.of(settings)
    ranked = [(*lexical.weigh(query, found), n, found) for n, found in zip(field, measured, strict=True)]
    model = lexical
    if semantic:
        model = Model.of(settings, semantic=True)
        ranked = [
            (*model.weigh(query, [rank, logit, *heard(semantic.get(n))]), n, found) for rank, logit, n, found in ranked
        ]
    ranked.sort(key=lambda item: (-item[0], item[2]))
    judged = judge(query, index, settings, ranked, model.pair)[:limit]
    shown = len(judged) if explain is None else explain
    for at, s in enumerate(judged[:shown]):
        judged[at] = Scored(s.position, s.score, _reasons(query, index, s.position, s.why.penalties), s.rank, s.alone)
    return judged


class Model(NamedTuple):
    """The fitted weights of the rank and confidence models, in the order of the features they
    weigh: ``FEATURES`` by words alone, ``STACKED`` with a sentence model (``Settings``'
    ``rank_*``, ``confidence_*``, ``pair_*`` fields, or their ``semantic_`` twins)."""

    rank: tuple[float, ...]
    rank_bias: float
    presence: tuple[float, ...]
    presence_bias: float
    presence_score: float
    presence_length: float
    #: The pair model's (bias, weight of the lead).
    pair: tuple[float, float]

    @staticmethod
    @lru_cache(maxsize=8)
    def of(settings: Settings, *, semantic: bool = False) -> "Model":
        """The model of these settings, with or without a sentence model."""
        prefix, names = ("semantic_", STACKED) if semantic else ("", FEATURES)

        def field(name: str) -> float:
            return float(getattr(settings, prefix + name))

        return Model(
            tuple(field(f"rank_{name}") for name in names),
            field("rank_bias"),
            tuple(field(f"confidence_{name}") for name in names),
            field("confidence_bias"),
            field("confidence_score"),
            field("confidence_length"),
            (field("pair_bias"), field("pair_lead")),
        )

    def weigh(self, query: Query, found: Sequence[float]) -> tuple[float, float]:
        """A measured candidate's rank score, and the logit of its presence (``judge``)."""
        rank = _dot(self.rank, found) + self.rank_bias
        base = self.presence_bias + self.presence_length * math.log1p(query.length)
        return rank, base + self.presence_score * rank + _dot(self.presence, found)


def heard(pull: Pull | None) -> list[float]:
    """``HEARD`` of a candidate, from the sentence model's ``Pull`` on it (all 0 without one)."""
    if pull is None:
        return [0.0] * len(HEARD)
    return [
        pull.closeness / 100,
        pull.question,
        pull.answer,
        pull.question - pull.rival_question,
        pull.answer - pull.rival_answer,
        float(pull.question_rank == 0),
        float(pull.answer_rank == 0),
    ]


def _near(pull: Pull | None, settings: Settings) -> bool:
    """Whether the sentence model found the candidate among the nearest (``Semantic.widen``)."""
    return pull is not None and (
        pull.question_rank < settings.semantic_pool or pull.answer_rank < settings.semantic_answer_pool
    )


def unique(field: list[list[float]]) -> None:
    """Keep *whole* only where one candidate of the field has it (``measure`` sets it for each)."""
    holders = [found for found in field if found[_WHOLE_AT]]
    if len(holders) > 1:
        for found in holders:
            found[_WHOLE_AT] = 0.0


def judge(
    query: Query,
    index: Index,
    settings: Settings,
    ranked: list[tuple[float, float, int, list[float]]],
    pair: tuple[float, float],
) -> list[Scored]:
    """Each ranked candidate's confidence (0-100), as the product of two fitted probabilities:

    - that the answer is this candidate or the best other (the *presence*: a logistic model of
      its rank score, the question's length and what was measured of it, ``confidence_*``,
      given here as its logit);
    - that it is this one rather than the other (the *pair*: a logistic model of its lead in
      rank score over that rival, ``pair`` as (bias, weight)): two near-equal candidates are
      close to a coin flip, whatever either has of the question, which no sum of the two could say.

    The rival is the best other candidate of its interview that asks another question: two
    entries asking the same (duplicates) are no doubt about the answer, and two interviews
    answering alike are a question of whose answer (``conversation.turn``), not of which.
    """
    lone, cap = settings.confidence_lone, settings.contradicted_cap / 100
    pair_bias, pair_lead = pair
    judged = []
    interview = index.interview
    leaders: dict[int, list[tuple[float, str]]] = {}  # each interview's first two, asking apart
    asked_as = []
    for rank, _, n, _ in ranked:
        mine = _asked_as(index, n)
        asked_as.append(mine)
        found_there = leaders.setdefault(interview[n], [])
        if len(found_there) < 2 and all(other != mine for _, other in found_there):
            found_there.append((rank, mine))
    for at, (rank, logit, n, found) in enumerate(ranked):
        rival = next((r for r, other in leaders[interview[n]] if other != asked_as[at]), None)
        lead = lone if rival is None else max(min(rank - rival, lone), -lone)
        presence = _logistic(logit)
        chance = presence * _logistic(pair_bias + pair_lead * lead)
        unrivalled = presence * _logistic(pair_bias + pair_lead * lone)
        if query.content_free is not None:
            # A question of function words alone ("and", "what is it?") carries no question: it
            # is answered by an entry asked in such words too ("Who are you?"), as closely.
            chance = unrivalled = _closeness(query.content_free, index.tables[n].content_free)
        if any(_capped(found)):
            chance, unrivalled = min(chance, cap), min(unrivalled, cap)
        penalties = tuple(_said(name, query, index, n) for name, k in _FLAGGED if found[k])
        judged.append(Scored(n, round(100 * chance, 1), Why(penalties=penalties), rank, 100 * unrivalled))
    return judged


def _asked_as(index: Index, n: int) -> str:
    """An entry's question as the duplicate check compares it (as ``Matcher`` does)."""
    return _normalized(index.entries[n].question)


# Questions are judged again and again: their normalized form is kept (a string's hash is cached,
# so a lookup costs less than normalizing anew).
_normalized = lru_cache(maxsize=1 << 16)(normalize)


def _said(flag: str, query: Query, index: Index, n: int) -> str:
    """The penalty line for a flag, naming the word it is about."""
    word = ""
    if flag == "opposite":
        word = next((t.word for t, _ in query.opposing), "")
    elif flag == "downside":
        word = next((t.word for t in query.downsides), "")
    elif flag == "name":
        word = next((t.word for t in query.names), "")
    return _FLAGS[flag].format(kind=query.kind, word=word)


def _dot(coefficients: Sequence[float], found: Sequence[float]) -> float:
    return sum(map(float.__mul__, coefficients, found))


def _logistic(x: float) -> float:
    if x < -40:
        return 0.0
    return 1.0 / (1.0 + math.exp(-x))


def _heaviest_part(masks: list[tuple[int, float]]) -> float:
    """The heaviest weight one part (an answer sentence, a phrasing) holds of the question's
    terms, given each term's parts as bits and its weight.

    The heaviest set of terms whose parts still share a bit, found heaviest terms first and
    pruned as soon as what is left cannot beat the best so far: a question has a few terms, an
    entry of a hundred phrasings up to 63 bits, and walking the bits one by one cost most of a
    query's time there.

    >>> _heaviest_part([(0b011, 2.0), (0b110, 1.0), (0b100, 5.0)])
    6.0
    """
    if len(masks) < 3:  # most questions: no search needed
        if len(masks) == 2:
            (one, first), (two, second) = masks
            return first + second if one & two else max(first, second)
        return masks[0][1] if masks else 0.0
    ordered = sorted(masks, key=lambda item: -item[1])
    size = len(ordered)
    left = [0.0] * (size + 1)
    for at in range(size - 1, -1, -1):
        left[at] = left[at + 1] + ordered[at][1]
    heaviest = 0.0
    stack = [(0, -1, 0.0)]
    while stack:
        at, shared, weight = stack.pop()
        if weight > heaviest:
            heaviest = weight
        if at == size or weight + left[at] <= heaviest:
            continue
        bits, more = ordered[at]
        stack.append((at + 1, shared, weight))
        if shared & bits:
            stack.append((at + 1, shared & bits, weight + more))  # popped first: heaviest first
    return heaviest


def _reasons(query: Query, index: Index, n: int, penalties: tuple[str, ...]) -> Why:
    """The words of the question entry ``n`` accounts for and those it does not, as typed."""
    table = index.tables[n].strengths
    matched: list[str] = []
    unmatched: list[str] = []
    for t in query.terms:
        if t.content and not t.from_context and t.weight > 0:
            (matched if table.get(t.term) else unmatched).append(t.shown)
    return Why(tuple(matched), tuple(unmatched), penalties)


def rank(scored: Iterable[Scored], limit: int) -> list[Scored]:
    """The ``limit`` best, best first; ties go to the entry that comes first in the files."""
    return sorted(scored, key=lambda s: (-s.score, s.position))[:limit]


def _contradictions(query: Query, index: Index, settings: Settings, tables: EntryTables) -> set[str]:
    """What the question asks that the entry cannot be the answer to: the opposite of what it
    answers, a downside it never speaks of, a "not" it never says, a name it is not about, or a
    figure it never gives."""
    found: set[str] = set()
    if not query.claims:
        return found
    about, focus = tables.about, tables.focus
    if any(t.term not in about and not about.isdisjoint(opposite) for t, opposite in query.opposing):
        found.add("opposite")
    if not tables.negative and any(t.term not in about for t in query.downsides):
        found.add("downside")
    # "Why not Hangzhou?" is not answered by "Why Hangzhou?": what the question negates, the
    # entry's question must negate too, when it asks about it at all ("does not decrease" asks
    # what "increase" answers); a bare "why not?" needs an entry that says "why not" too.
    negated = {term for term in query.negations if not term or term in about}
    if negated and negated.isdisjoint(tables.negations) and about.isdisjoint(query.negated_opposites):
        found.add("negation")
    # A name most entries mention ("Hangzhou" in an interview about Hangzhou) is the setting, not
    # a subject; any other name the question gives must be one the entry centres on.
    if query.names and not any(focus.get(t.term, 0.0) >= settings.central_focus for t in query.names):
        if any(len(index.postings[t.term]) <= settings.setting_share * index.size for t in query.names):
            found.add("name")
    if query.kind == "how many" and query.kind not in tables.kinds:
        if not any(t.term in tables.counted for t in query.terms if t.content):
            found.add("figure")
    return found


def _closeness(fuzzy_query: str, phrasings: tuple[str, ...]) -> float:
    if not fuzzy_query:
        return 0.0
    best_found = process.extractOne(fuzzy_query, phrasings, scorer=fuzz.ratio, processor=None)
    return best_found[1] / 100 if best_found else 0.0
