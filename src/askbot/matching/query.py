"""A reader's question, analysed against an index: terms, weights, typos, negation, its kind.

Readers type "waht r the advantges of hangzou" and "why not hangzhou?". Before anything is
scored the question becomes terms the index knows, each weighted by rarity (function words barely
counted), misspelt words corrected to the knowledge base's own vocabulary, words typed together
("blockchaintalent") split. A real English word is never "corrected" into a different one
("mayor" stays "mayor", and so counts against every entry that does not use it).
"""

# No ``from __future__ import annotations``: see ``model`` (NamedTuple annotations and start-up time).


from functools import lru_cache
from typing import NamedTuple

from rapidfuzz import fuzz, process

from ..settings import Settings
from . import english, lexicon
from .index import Index, fuzzy_form, is_content
from .text import STOPWORDS, stem, words


class QueryTerm(NamedTuple):
    """One term of a question, with the word the reader typed and what it was corrected to."""

    term: str
    word: str
    fixed: str
    weight: float
    #: False for function words and list numbers: they carry no question alone.
    content: bool
    #: Whether it comes from the context a question was asked in (``Analyzer``), not its own words.
    from_context: bool = False

    @property
    def shown(self) -> str:
        """The word as an explanation shows it: "advantges->advantages" when corrected."""
        return self.word if self.fixed == self.word else f"{self.word}->{self.fixed}"


class Query(NamedTuple):
    """A question ready to score against one index."""

    text: str
    terms: tuple[QueryTerm, ...]
    #: The kind of answer it asks for ("how many", "when", "who", "where"), if it says.
    kind: str | None
    #: The terms it negates, the first three after each "not" ("why not Hangzhou": hangzhou; ""
    #: for a bare "why not?"). An entry answers a negated question only if its own first
    #: negated term is among them ("can't find enough staff" against "not enough engineers").
    negations: frozenset[str]
    #: The opposites of what it negates: "does not decrease" asks what "increase" answers.
    negated_opposites: frozenset[str]
    #: Content terms sorted and joined, for rapidfuzz closeness.
    fuzzy: str
    #: The words joined, when none is a content word ("and", "who are you"); else ``None``.
    content_free: str | None
    #: The weight of everything the question asks.
    total: float
    #: Content terms with the terms that mean their opposite (``lexicon.opposites``).
    opposing: tuple[tuple[QueryTerm, frozenset[str]], ...]
    #: Content terms that ask for a downside ("drawbacks", "risks").
    downsides: tuple[QueryTerm, ...]
    #: Terms the knowledge base writes as names ("Shanghai").
    names: tuple[QueryTerm, ...]
    #: The question's words with typos corrected, in order: what a sentence-embedding model reads
    #: (it would take "advantges" for another word).
    corrected: str
    #: The terms' own terms and weights, in order, for scoring's sums over them.
    term_keys: tuple[str, ...]
    weights: tuple[float, ...]


class Analyzer:
    """Turns questions into ``Query`` values for one index; remembers its typo corrections."""

    def __init__(self, index: Index, settings: Settings) -> None:
        self.index = index
        self.settings = settings
        self.correct = lru_cache(maxsize=16384)(self._correct)

    def __call__(self, text: str, context: str | None = None) -> Query:
        """The question ``text``, and with ``context`` (the question a reader's follow-up leans
        on: "since when?" after "why did hangzhou pick blockchain?") that context's terms too,
        weighing ``Settings.context_weight`` of their own. What the question negates, contradicts,
        names or asks for comes from its own words only: context adds topic, never a claim."""
        found = words(text)
        typed = self._typed(found)
        seen: dict[str, QueryTerm] = {}
        self._add_terms(seen, typed, 1.0, from_context=False)
        own = [t for t in seen.values() if t.content]
        corrected = " ".join(fixed for _, fixed in typed)
        if context:
            around = self._typed(words(context))
            self._add_terms(seen, around, self.settings.context_weight, from_context=True)
            corrected = f"{corrected} {' '.join(fixed for _, fixed in around)}"
        index, settings = self.index, self.settings
        terms = tuple(seen.values())
        content = [t for t in terms if t.content]
        negations = index.synonyms.negated([text], reach=settings.negation_reach)
        opposing = ((t, lexicon.opposites(t.term)) for t in own)
        return Query(
            text=text,
            terms=terms,
            kind=lexicon.question_kind(text) if own else None,
            negations=negations,
            negated_opposites=frozenset().union(*(lexicon.opposites(term) for term in negations if term)),
            fuzzy=fuzzy_form(t.term for t in terms),
            content_free=None if content else " ".join(found),
            total=sum(t.weight for t in terms),
            opposing=tuple((t, found) for t, found in opposing if found),
            downsides=tuple(t for t in own if lexicon.is_downside(t.term)),
            names=tuple(t for t in terms if t.term in index.names and not t.from_context),
            corrected=corrected,
            term_keys=tuple(t.term for t in terms),
            weights=tuple(t.weight for t in terms),
        )

    def _typed(self, found: list[str]) -> list[tuple[str, str]]:
        """Each word as typed with the word (or words) it is taken for."""
        typed: list[tuple[str, str]] = []
        for word in found:
            typed.extend((word, fixed) for fixed in self.correct(word).split())
        return typed

    def _add_terms(
        self, seen: dict[str, QueryTerm], typed: list[tuple[str, str]], share: float, *, from_context: bool
    ) -> None:
        """Weigh each new term of ``typed`` (its rarity, less for a function word or a corrected
        typo, times ``share``) into ``seen``; a term already there keeps its weight."""
        index, settings = self.index, self.settings
        for term, at in index.synonyms.canonical([stem(fixed) for _, fixed in typed]):
            if term in seen:
                continue
            word, fixed = typed[at]
            weight = index.idf.get(term, index.unknown_idf) ** settings.rarity_power
            if word in STOPWORDS or fixed in STOPWORDS:
                weight *= settings.stopword_weight
            if fixed != word:
                weight *= settings.corrected_weight
            content = is_content(word) and is_content(fixed)
            seen[term] = QueryTerm(term, word, fixed, weight * share, content, from_context)

    def _correct(self, word: str) -> str:
        """The word, or the knowledge base's word it is a typo of, or the two words it runs together."""
        index = self.index
        if word in index.surface or stem(word) in index.postings or word in STOPWORDS:
            return word
        settings = self.settings
        if len(word) < settings.min_typo_length or not word.isalpha():
            return word
        cutoff = settings.typo_cutoff_short if len(word) <= settings.typo_short_length else settings.typo_cutoff
        slack = settings.typo_length_slack
        sizes = range(len(word) - slack, len(word) + slack + 1)
        near = [w for size in sizes for w in index.vocabulary.get((word[0], size), ())]
        best = process.extractOne(word, near, scorer=fuzz.ratio, score_cutoff=cutoff)
        candidate = str(best[0]) if best is not None else self._split(word)
        if candidate is None:
            return word
        # Only now, with a change on the table, is the English list worth loading.
        if english.is_word(word):
            if " " in candidate or not english.far_rarer(word, candidate, settings.typo_rarity_ratio):
                return word
        return candidate

    def _split(self, word: str) -> str | None:
        """Two knowledge-base words typed together ("blockchaintalent"), if that is what it is."""
        for cut in range(3, len(word) - 2):
            left, right = word[:cut], word[cut:]
            if left in self.index.surface and right in self.index.surface:
                return f"{left} {right}"
        return None
