"""A reader's question, analysed against an index: terms, weights, typos, negation, its kind.

Readers type "waht r the advantges of hangzou", "honestly I was wondering what he thinks" and
"why not hangzhou?". Before anything is scored the question becomes terms the index knows, each
weighted by what it tells apart:

- its rarity in the knowledge base (idf), and how rare it is in English (``english.rarity``): a
  word the knowledge base never uses counts against every entry, as much as its English rarity
  says ("basically" little, "Kernighan" a lot), and a word it does use counts for less when it is
  common in English ("bit", "people");
- function words barely, a corrected typo a little less than typed right, a word of the
  preamble of a long question ("I read that ... My question is ...") less than one of the
  sentence that asks, a word of the context a follow-up leans on less than its own;
- the interviews' own names (interviewee, interviewer, publisher) not at all: every question of
  the interview shares them.

Misspelt words are corrected to the knowledge base's own vocabulary, function words to the
commonest English ones ("hwo" -> "how"), and words typed together ("blockchaintalent") split. A
real English word is never "corrected" into a different one ("mayor" stays "mayor").
"""

# No ``from __future__ import annotations``: see ``model`` (NamedTuple annotations and start-up time).


from collections.abc import Callable
from functools import lru_cache
from typing import NamedTuple

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from ..settings import Settings
from . import english, lexicon
from .index import Index, fuzzy_form, is_content, spoken_form
from .text import STOPWORDS, asked_part, stem, words

# The function words a slip of the keys turns into non-words ("hwo", "whta", "teh", "abuot"),
# by first letter: corrected only within one transposition or one letter of them.
_FUNCTION_WORDS: dict[str, tuple[str, ...]] = {}
for _word in sorted(STOPWORDS):
    if len(_word) >= 3:
        _FUNCTION_WORDS.setdefault(_word[0], ())
        _FUNCTION_WORDS[_word[0]] += (_word,)


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
    #: All its words, typos corrected, joined: how close it comes to a phrasing word for word.
    spoken: str
    #: The words joined, when none is a content word ("and", "who are you"); else ``None``.
    content_free: str | None
    #: The weight of everything the question asks.
    total: float
    #: What a word no entry uses would weigh at most: the scale of ``scoring``'s "unmatched".
    heaviest: float
    #: How many content words it has of its own, and their weight over ``heaviest``: how much
    #: the question says.
    length: int
    informative: float
    #: Content terms with the terms that mean their opposite (``lexicon.opposites``).
    opposing: tuple[tuple[QueryTerm, frozenset[str]], ...]
    #: Content terms that ask for a downside ("drawbacks", "risks").
    downsides: tuple[QueryTerm, ...]
    #: Terms the knowledge base writes as names ("Shanghai").
    names: tuple[QueryTerm, ...]
    #: Whether it says anything an entry could contradict (an opposite, a downside, a "not", a
    #: name, "how many"): most questions do not, and scoring then looks for no contradiction.
    claims: bool
    #: The question's words with typos corrected, in order: what a sentence-embedding model reads
    #: (it would take "advantges" for another word).
    corrected: str
    #: The terms' own terms and weights, in order, for scoring's sums over them.
    term_keys: tuple[str, ...]
    weights: tuple[float, ...]
    #: Each term, its weight, and whether it is a content word of the question's own that
    #: counts (not the context's, not the setting's): what ``scoring.measure`` walks.
    scored: tuple[tuple[str, float, bool], ...]


class Analyzer:
    """Turns questions into ``Query`` values for one index; remembers its typo corrections."""

    def __init__(self, index: Index, settings: Settings) -> None:
        self.index = index
        self.settings = settings
        self.correct = lru_cache(maxsize=16384)(self._correct)
        self.rarity: Callable[[str], float] = lru_cache(maxsize=16384)(english.rarity)

    def __call__(self, text: str, context: str | None = None) -> Query:
        """The question ``text``, and with ``context`` (the question a reader's follow-up leans
        on: "since when?" after "why did hangzhou pick blockchain?") that context's terms too,
        weighing ``Settings.context_weight`` of their own. What the question negates, contradicts,
        names or asks for comes from its own words only: context adds topic, never a claim."""
        asked, preamble = asked_part(text)
        found = words(text)
        typed = self._typed(found)
        seen: dict[str, QueryTerm] = {}
        self._add_terms(seen, self._typed(words(asked)) if preamble else typed, 1.0, from_context=False)
        if preamble:
            self._add_terms(seen, self._typed(words(preamble)), self.settings.preamble_share, from_context=False)
        own = [t for t in seen.values() if t.content and t.weight > 0]
        corrected = " ".join(fixed for _, fixed in typed)
        if context:
            around = self._typed(words(context))
            self._add_terms(seen, around, self.settings.context_weight, from_context=True)
            corrected = f"{corrected} {' '.join(fixed for _, fixed in around)}"
        index, settings = self.index, self.settings
        terms = tuple(seen.values())
        content = [t for t in terms if t.content and t.weight > 0]
        negations = index.synonyms.negated([text], reach=settings.negation_reach)
        opposing = tuple((t, found) for t, found in ((t, lexicon.opposites(t.term)) for t in own) if found)
        downsides = tuple(t for t in own if lexicon.is_downside(t.term))
        names = tuple(t for t in terms if t.term in index.names and t.weight > 0 and not t.from_context)
        kind = lexicon.question_kind(text) if own else None
        return Query(
            text=text,
            terms=terms,
            kind=kind,
            negations=negations,
            negated_opposites=frozenset().union(*(lexicon.opposites(term) for term in negations if term)),
            fuzzy=fuzzy_form(t.term for t in terms),
            spoken=spoken_form(fixed for _, fixed in typed),
            content_free=None if content else " ".join(found),
            total=sum(t.weight for t in terms),
            heaviest=index.unknown_idf**settings.rarity_power,
            length=len(own),
            informative=sum(t.weight for t in own) / index.unknown_idf**settings.rarity_power,
            opposing=opposing,
            downsides=downsides,
            names=names,
            claims=bool(opposing or downsides or negations or names or kind == "how many"),
            corrected=corrected,
            term_keys=tuple(t.term for t in terms),
            weights=tuple(t.weight for t in terms),
            scored=tuple((t.term, t.weight, t.content and t.weight > 0 and not t.from_context) for t in terms),
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
        """Weigh each new term of ``typed`` (``_weight``, times ``share``) into ``seen``; a term
        already there keeps its weight."""
        index = self.index
        for term, at in index.synonyms.canonical([stem(fixed) for _, fixed in typed]):
            if term in seen:
                continue
            word, fixed = typed[at]
            content = is_content(word) and is_content(fixed)
            weight = 0.0 if term in index.setting else self._weight(term, word, fixed) * share
            seen[term] = QueryTerm(term, word, fixed, weight, content, from_context)

    def _weight(self, term: str, word: str, fixed: str) -> float:
        """What one word of a question counts for (see the module's docstring)."""
        index, settings = self.index, self.settings
        known = index.idf.get(term)
        rarity: float
        if known is None:
            rarity = index.unknown_idf**settings.rarity_power
            weight = rarity * max(self._english_share(self.rarity(fixed)), settings.english_floor)
        else:
            share = settings.english_share
            rarity = known**settings.rarity_power
            found = index.english.get(term)
            weight = rarity if found is None else rarity * (1 - share + share * self._english_share(found))
        if word in STOPWORDS or fixed in STOPWORDS:
            weight *= settings.stopword_weight
        if fixed != word:
            weight *= settings.corrected_weight
        return weight

    def _english_share(self, rarity: float) -> float:
        """Where an English rarity stands from ``english_common`` (0) to ``english_rare`` (1)."""
        low, high = self.settings.english_common, self.settings.english_rare
        return min(max((rarity - low) / (high - low), 0.0), 1.0)

    def _correct(self, word: str) -> str:
        """The word, or the knowledge base's word it is a typo of, or the function word it is a
        slip for, or the two words it runs together."""
        index = self.index
        if word in index.surface or stem(word) in index.postings or word in STOPWORDS:
            return word
        settings = self.settings
        if not word.isalpha():
            return word
        slip = self._function_word(word)
        if slip is not None:
            return slip
        if len(word) < settings.min_typo_length:
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

    def _function_word(self, word: str) -> str | None:
        """The function word a short non-word is a slip for ("hwo", "teh", "whta", "abuot"): one
        transposition or one letter away, same first letter, and not itself English."""
        if len(word) > 6:
            return None
        near = _FUNCTION_WORDS.get(word[0], ())
        best = process.extractOne(word, near, scorer=OSA.distance, score_cutoff=1)
        if best is None or english.is_word(word):
            return None
        return str(best[0])

    def _split(self, word: str) -> str | None:
        """Two knowledge-base words typed together ("blockchaintalent"), if that is what it is."""
        for cut in range(3, len(word) - 2):
            left, right = word[:cut], word[cut:]
            if left in self.index.surface and right in self.index.surface:
                return f"{left} {right}"
        return None
