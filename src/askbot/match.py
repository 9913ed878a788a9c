"""Find the entry that answers a reader's question, or say honestly that none does.

How a query is scored, and why:

1. *Terms.* The query is normalised and stemmed (``text.terms``), shorthand is written out,
   misspelt words are corrected to the knowledge base's own vocabulary with rapidfuzz, and words
   typed together ("blockchaintalent") are split. File-level synonyms map to one term.
2. *Index.* Every entry owns a term -> strength table built from what the file gives, each
   part weighted for what it is worth: words of the question and its alternates count most (the
   more of its phrasings use a word, the more it is that entry's word), tags less, words that only
   the answer uses least. An inverted index from term to entries narrows a query to the few
   entries that share its rarer terms, so a query costs what its terms' posting lists cost, not
   what the knowledge base's size costs.
3. *Score.* For those candidates, *coverage* is the share of the query's meaning (its terms
   weighted by rarity, function words barely counted) that the entry accounts for; a word the
   knowledge base has never seen counts fully against every entry, which is what turns "what is
   the price of bitcoin?" away. *Closeness* is rapidfuzz's similarity of the query to the entry's
   nearest phrasing. The confidence (0-100) blends the two, so it reads the same on nine entries
   and on thousands: it says how much of the question the entry answers, not how it ranks.
   A query of function words and list numbers alone would be "covered" by any entry sharing
   one of them, so its score is capped by its closeness to a phrasing of the entry that has no
   content words either ("Who are you?"): "and" or "4" never answers with confidence.
4. *Verdict.* At or above ``threshold`` askbot answers; within ``suggest_below`` points under it
   the candidates become "did you mean" suggestions; when the runner-up is within ``margin``
   points of the best, askbot asks instead of guessing.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from .model import Candidate, Entry, KnowledgeBase, Match
from .text import STOPWORDS, stem, words

DEFAULT_THRESHOLD = 35.0
DEFAULT_SUGGEST_BELOW = 10.0
DEFAULT_MARGIN = 2.0

# What each part of an entry is worth when a query term is found there (1 = the question).
PHRASING_BASE = 0.2
TAG_STRENGTH = 0.7
ANSWER_STRENGTH = 0.4
# A function word ("what", "is") weighs this much of an ordinary word; a corrected typo this much.
STOPWORD_WEIGHT = 0.2
CORRECTED_WEIGHT = 0.8
# How the confidence blends coverage and rapidfuzz closeness.
COVERAGE_SHARE = 0.6
CLOSENESS_SHARE = 0.2
POSTERIOR_SHARE = 0.2
NB_ALPHA = 0.3
NB_TEMPERATURE = 1.0
FRAC_GAIN = 3.0
# Candidates kept for rescoring, whatever ``limit`` the caller asks for (keeps results stable).
POOL = 12
# Terms in more than this share of entries are skipped when gathering candidates.
COMMON_SHARE = 0.05
MIN_TYPO_LENGTH = 4


@dataclass(frozen=True)
class _Term:
    term: str
    weight: float
    content: bool  # False for function words and list numbers: they carry no question alone


class Matcher:
    """A matcher over one knowledge base; build once, query many times.

    >>> from askbot import load
    >>> matcher = Matcher(load())
    >>> best = matcher.extract_one("why hangzhou for blockchain?")
    >>> best.entry.id, best.score >= matcher.threshold
    ('hangzhou-advantages', True)
    >>> matcher.extract_one("what is the price of bitcoin?", score_cutoff=matcher.threshold) is None
    True
    """

    def __init__(
        self,
        knowledge: KnowledgeBase,
        *,
        threshold: float = DEFAULT_THRESHOLD,
        suggest_below: float = DEFAULT_SUGGEST_BELOW,
        margin: float = DEFAULT_MARGIN,
    ) -> None:
        if not 0 <= threshold <= 100:
            raise ValueError("threshold must be between 0 and 100")
        self.knowledge = knowledge
        self.threshold = threshold
        self.suggest_below = suggest_below
        self.margin = margin
        self._entries = knowledge.entries
        self._index = {entry.id: n for n, entry in enumerate(self._entries)}
        self._canon = _synonym_map(knowledge.synonyms)
        self._phrases: dict[str, list[tuple[str, ...]]] = {}
        for key in sorted((k for k in self._canon if " " in k), key=lambda k: -len(k.split())):
            parts = tuple(key.split())
            self._phrases.setdefault(parts[0], []).append(parts)
        self._build()

    # -- building -------------------------------------------------------------------------

    def _analyze(self, text: str) -> list[str]:
        return [term for term, _ in self._canonical([stem(word) for word in words(text)])]

    def _canonical(self, stems: list[str]) -> list[tuple[str, int]]:
        """Each term with the index of the stem it starts at; synonym phrases
        ("financial technology") are merged into their group's term."""
        result: list[tuple[str, int]] = []
        i = 0
        while i < len(stems):
            for phrase in self._phrases.get(stems[i], ()):
                if tuple(stems[i : i + len(phrase)]) == phrase:
                    result.append((self._canon[" ".join(phrase)], i))
                    i += len(phrase)
                    break
            else:
                result.append((self._canon.get(stems[i], stems[i]), i))
                i += 1
        return result

    def _build(self) -> None:
        strengths: list[dict[str, float]] = []
        counts_all: list[dict[str, float]] = []
        phrasings: list[list[str]] = []
        surface: set[str] = set()
        for entry in self._entries:
            texts = (entry.question, *entry.alternates)
            table: dict[str, float] = {}
            counts: dict[str, int] = {}
            for phrasing in texts:
                for term in set(self._analyze(phrasing)):
                    counts[term] = counts.get(term, 0) + 1
                surface.update(words(phrasing))
            counts_all.append({t: float(c) for t, c in counts.items()})
            for term, count in counts.items():
                table[term] = min(1.0, PHRASING_BASE + (1 - PHRASING_BASE) * FRAC_GAIN * count / len(texts))
            for tag in entry.tags:
                surface.update(words(tag))
                for term in self._analyze(tag):
                    table[term] = max(table.get(term, 0.0), TAG_STRENGTH)
            for term in set(self._analyze(entry.answer)):
                table.setdefault(term, ANSWER_STRENGTH)
            surface.update(words(entry.answer))
            strengths.append(table)
            phrasings.append(list(dict.fromkeys(_fuzzy_form(self._analyze(t)) for t in texts)))
        postings: dict[str, list[tuple[int, float]]] = {}
        for n, table in enumerate(strengths):
            for term, strength in table.items():
                postings.setdefault(term, []).append((n, strength))
        size = len(self._entries)
        self._strengths = strengths
        vocab_size = len(postings)
        self._logp: list[dict[str, float]] = []
        self._logp_floor: list[float] = []
        for counts in counts_all:
            denom = sum(counts.values()) + NB_ALPHA * max(vocab_size, 1)
            self._logp.append({t: math.log((c + NB_ALPHA) / denom) for t, c in counts.items()})
            self._logp_floor.append(math.log(NB_ALPHA / denom))
        self._related_cache: dict[int, list[int]] = {}
        self._phrasings = phrasings
        self._postings = postings
        self._idf = {term: _idf(len(p), size) for term, p in postings.items()}
        self._unknown_idf = _idf(0, size)
        self._common = max(50, int(COMMON_SHARE * size))
        self._surface: dict[tuple[str, int], list[str]] = {}
        for word in sorted(w for w in surface if len(w) >= 3 and w.isalpha()):
            self._surface.setdefault((word[0], len(word)), []).append(word)
        self._surface_set = frozenset(surface)
        self._correct = lru_cache(maxsize=16384)(self._correct_uncached)

    # -- query analysis ---------------------------------------------------------------------

    def _query_terms(self, query: str) -> list[_Term]:
        typed: list[tuple[str, str]] = []
        for word in words(query):
            typed.extend((word, fixed) for fixed in self._correct(word).split())
        seen: dict[str, _Term] = {}
        for term, at in self._canonical([stem(fixed) for _, fixed in typed]):
            if term in seen:
                continue
            word, fixed = typed[at]
            weight = self._idf.get(term, self._unknown_idf)
            if word in STOPWORDS or fixed in STOPWORDS:
                weight *= STOPWORD_WEIGHT
            if fixed != word:
                weight *= CORRECTED_WEIGHT
            seen[term] = _Term(term, weight, _is_content(word) and _is_content(fixed))
        return list(seen.values())

    def _correct_uncached(self, word: str) -> str:
        """The word, or the knowledge base's word it is a typo of, or the two words it runs together."""
        if word in self._surface_set or stem(word) in self._postings or word in STOPWORDS:
            return word
        if len(word) < MIN_TYPO_LENGTH or not word.isalpha():
            return word
        cutoff = 80 if len(word) <= 5 else 75
        # Readers rarely mistype the first letter or miss by more than two letters; looking only
        # there keeps a typo's cost flat as the vocabulary grows.
        near = [w for size in range(len(word) - 2, len(word) + 3) for w in self._surface.get((word[0], size), ())]
        best = process.extractOne(word, near, scorer=fuzz.ratio, score_cutoff=cutoff)
        if best is not None:
            return str(best[0])
        for cut in range(3, len(word) - 2):
            left, right = word[:cut], word[cut:]
            if left in self._surface_set and right in self._surface_set:
                return f"{left} {right}"
        return word

    # -- scoring ----------------------------------------------------------------------------

    def _pool(self, query: str) -> list[Candidate]:
        """The best ``POOL`` candidates, scored; independent of any caller's ``limit``."""
        terms = self._query_terms(query)
        total = sum(t.weight for t in terms)
        if not terms or total <= 0:
            return []
        acc: dict[int, float] = {}
        for t in terms:
            posting = self._postings.get(t.term)
            if not posting or len(posting) > self._common:
                continue
            for n, strength in posting:
                acc[n] = acc.get(n, 0.0) + t.weight * strength
        if not acc:
            return []
        top = heapq.nsmallest(POOL * 2, acc.items(), key=lambda item: (-item[1], item[0]))
        fuzzy_query = _fuzzy_form([t.term for t in terms])
        known = [t.term for t in terms if t.term in self._postings]
        logliks = []
        for n, _ in top:
            logp, floor = self._logp[n], self._logp_floor[n]
            logliks.append(sum(logp.get(t, floor) for t in known))
        peak = max(logliks)
        exps = [math.exp((ll - peak) / NB_TEMPERATURE) for ll in logliks]
        norm = sum(exps)
        partial = []
        for (n, _), e in zip(top, exps, strict=True):
            table = self._strengths[n]
            coverage = sum(t.weight * table.get(t.term, 0.0) for t in terms) / total
            partial.append((COVERAGE_SHARE * coverage + POSTERIOR_SHARE * e / norm, n))
        partial.sort(key=lambda item: (-item[0], item[1]))
        # "and", "is it?", "4": any entry using those words would "cover" the query fully. Such
        # a query can only be a content-free question the entry itself asks ("who are you?").
        function_words = None if any(t.content for t in terms) else " ".join(words(query))
        # Closeness (rapidfuzz) adds at most CLOSENESS_SHARE: once a candidate cannot reach the
        # pool even with a perfect closeness, neither can any after it, so stop scoring there.
        scores: list[tuple[float, int]] = []
        for base, n in partial:
            if len(scores) >= POOL:
                kth = sorted(score for score, _ in scores)[-POOL]
                if 100 * (base + CLOSENESS_SHARE) < kth:
                    break
            closeness = _closeness(fuzzy_query, self._phrasings[n])
            score = min(100 * (base + CLOSENESS_SHARE * closeness), 100.0)
            if function_words is not None:
                score = min(score, self._function_word_closeness(function_words, n))
            score = round(score, 1)
            scores.append((score, n))
        scores.sort(key=lambda item: (-item[0], item[1]))
        return [Candidate(self._entries[n], score) for score, n in scores[:POOL]]

    def _function_word_closeness(self, query_words: str, n: int) -> float:
        """rapidfuzz ``ratio`` (0-100) of a content-free query (its words, space-joined) to the
        entry's nearest phrasing that is content-free too ("Who are you?"); 0 when every
        phrasing has content words."""
        entry = self._entries[n]
        phrasings = [
            " ".join(found)
            for found in map(words, (entry.question, *entry.alternates))
            if found and not any(_is_content(word) for word in found)
        ]
        best = process.extractOne(query_words, phrasings, scorer=fuzz.ratio, processor=None)
        return best[1] if best else 0.0

    def extract(self, query: str, *, limit: int | None = 5, score_cutoff: float | None = None) -> list[Candidate]:
        """The best candidates for ``query``, best first, like ``rapidfuzz.process.extract``.

        ``limit`` only cuts the list: the first candidate and every score are the same whatever
        it is. Candidates below ``score_cutoff`` are left out.

        >>> from askbot import load
        >>> [c.entry.id for c in Matcher(load()).extract("talent shortage", limit=1)]
        ['talent-shortage']
        """
        pool = self._pool(query)
        if score_cutoff is not None:
            pool = [c for c in pool if c.score >= score_cutoff]
        return pool if limit is None else pool[: max(limit, 0)]

    def extract_one(self, query: str, *, score_cutoff: float | None = None) -> Candidate | None:
        """The best candidate, or ``None`` when none reaches ``score_cutoff``."""
        found = self.extract(query, limit=1, score_cutoff=score_cutoff)
        return found[0] if found else None

    def match(self, query: str, *, limit: int = 3, threshold: float | None = None) -> Match:
        """askbot's verdict: the answer with its follow-ups, or suggestions when unsure.

        ``limit`` is how many follow-ups and alternatives to return.
        """
        cutoff = self.threshold if threshold is None else threshold
        pool = self._pool(query)
        best = pool[0] if pool else None
        runner_up = pool[1] if len(pool) > 1 else None
        suggestions = [c for c in pool if c.score >= cutoff - self.suggest_below]
        ambiguous = bool(
            best is not None
            and best.score >= cutoff
            and runner_up is not None
            and best.score - runner_up.score < self.margin
        )
        if best is None or best.score < cutoff or ambiguous:
            return Match(
                query=query,
                entry=None,
                score=best.score if best else 0.0,
                alternatives=tuple(suggestions[:limit]),
                ambiguous=ambiguous,
            )
        return Match(
            query=query,
            entry=best.entry,
            score=best.score,
            follow_ups=tuple(self.follow_ups(best.entry, limit=limit)),
            alternatives=tuple(suggestions[1 : limit + 1]),
        )

    # -- follow-ups ---------------------------------------------------------------------------

    def follow_ups(self, entry: Entry, *, limit: int = 3) -> list[Entry]:
        """Related entries: the curated ``follow_ups`` first, then the most related by content.

        Never the entry itself, never twice.
        """
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
        n = self._index[entry.id]
        if n not in self._related_cache:
            self._related_cache[n] = self._related_uncached(n)
        return [self._entries[other] for other in self._related_cache[n]]

    def _related_uncached(self, n: int) -> list[int]:
        # Only what the entry is *about* (question, alternates, tags) seeds the search: words its
        # answer merely mentions would make every long answer related to everything.
        acc: dict[int, float] = {}
        for term, strength in self._strengths[n].items():
            posting = self._postings[term]
            if strength <= ANSWER_STRENGTH or len(posting) > self._common:
                continue
            weight = self._idf[term] * strength
            for other, other_strength in posting:
                acc[other] = acc.get(other, 0.0) + weight * other_strength
        acc.pop(n, None)
        source = self._entries[n].source
        same = [(-score, other) for other, score in acc.items() if self._entries[other].source is source]
        ranked = heapq.nsmallest(POOL, same)
        if len(ranked) < POOL:
            others = [(-score, o) for o, score in acc.items() if self._entries[o].source is not source]
            ranked += heapq.nsmallest(POOL - len(ranked), others)
        return [other for _, other in ranked]


def _idf(df: int, size: int) -> float:
    """Rarity of a term found in ``df`` of ``size`` entries; never-seen terms weigh most."""
    return math.log(1 + (size + 1) / (df + 0.5))


def _is_content(word: str) -> bool:
    """Whether a word can carry a question: not a function word, not a list number ("1", "12")."""
    return word not in STOPWORDS and not (len(word) <= 2 and word.isdigit())


def _fuzzy_form(terms: Iterable[str]) -> str:
    """Content terms, sorted and joined: the form rapidfuzz compares.

    Function words would only add noise; sorting once here lets plain ``fuzz.ratio`` do what
    ``token_sort_ratio`` does without re-sorting every phrasing on every query.
    """
    return " ".join(sorted(t for t in terms if t not in STOPWORDS))


def _closeness(query: str, phrasings: list[str]) -> float:
    if not query:
        return 0.0
    best = process.extractOne(query, phrasings, scorer=fuzz.ratio, processor=None)
    return best[1] / 100 if best else 0.0


def _synonym_map(groups: Iterable[Iterable[str]]) -> dict[str, str]:
    """Each synonym's stemmed form -> the stem of its group's first word."""
    canon: dict[str, str] = {}
    for group in groups:
        stems = [" ".join(stem(w) for w in words(item)) for item in group]
        stems = [s for s in stems if s]
        if not stems:
            continue
        head = stems[0].replace(" ", "_")
        for s in stems:
            if s != head:
                canon.setdefault(s, head)
    return canon
