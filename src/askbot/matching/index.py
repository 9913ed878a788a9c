"""The matcher's index: everything about a knowledge base that scoring reads, built once.

``build_index`` turns a knowledge base into one frozen ``Index``. Every entry owns a
term -> strength table built from what the file gives, each part weighted for what it is worth:
words of the question and its alternates count most (the more of its phrasings use a word, the
more it is that entry's word), tags less, words that only the answer uses least. An inverted
index from term to entries narrows a query to the few entries that share its rarer terms, so a
query costs what its terms' posting lists cost, not what the knowledge base's size costs.

Beside the terms the index keeps what the entry is *about*, which scoring needs to stay honest:
the names its phrasings centre on (not the cities a question lists in passing), whether its
phrasings say "not" or stand at the negative end of a scale, and which kinds of answer (a number,
a date, a person, a place) its questions ask for.
"""

# No ``from __future__ import annotations``: see ``model`` (NamedTuple annotations and start-up time).


import functools
import gc
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from typing import Any, NamedTuple, ParamSpec, TypeVar

from ..model import Entry, KnowledgeBase
from ..settings import Settings
from . import lexicon
from .text import STOPWORDS, stem, words

# Words as written, case kept, for telling names ("Shanghai") from ordinary words.
_CASED_WORD = r"[^\W\d_]+(?:['’][^\W\d_]+)*"
_SENTENCE_ENDS = frozenset('.?!:;"“”(')
_NOTHING: frozenset[str] = frozenset()


class Synonyms(NamedTuple):
    """The knowledge base's synonym groups as terms: each synonym maps to its group's term."""

    #: Synonym (stemmed, space-joined) -> its group's term.
    canon: dict[str, str]
    #: Multi-word synonyms, longest first, by their first stem.
    phrases: dict[str, tuple[tuple[str, ...], ...]]

    @classmethod
    def from_groups(cls, groups: Iterable[Iterable[str]]) -> "Synonyms":
        """Synonyms from the groups a knowledge file lists (``[advantage, strength, ...]``)."""
        canon = synonym_map(groups)
        grouped: dict[str, list[tuple[str, ...]]] = {}
        for key in sorted((k for k in canon if " " in k), key=lambda k: -len(k.split())):
            parts = tuple(key.split())
            grouped.setdefault(parts[0], []).append(parts)
        return cls(canon, {first: tuple(found) for first, found in grouped.items()})

    def analyze(self, text: str) -> list[str]:
        """The terms of a text: stemmed words with synonyms merged into their group's term."""
        return self.terms(words(text, limit=None))

    def terms(self, found: list[str]) -> list[str]:
        """The terms of a text's ``words``."""
        if not self.phrases:  # no multi-word synonyms (most bases): one lookup a word
            canon = self.canon
            return [canon.get(s, s) for s in map(stem, found)] if canon else list(map(stem, found))
        return [term for term, _ in self.canonical([stem(word) for word in found])]

    def negated(self, texts: Iterable[str], *, reach: int = 1) -> frozenset[str]:
        """The terms the texts' negations apply to (``lexicon.negated_words``); "" stands for a
        bare negation ("why not?")."""
        return self.negated_terms([word for text in texts for word in lexicon.negated_words(text, reach=reach)])

    def negated_terms(self, negated: Sequence[str]) -> frozenset[str]:
        """``negated`` for words ``lexicon.negated_words`` already found."""
        if not negated:
            return _NOTHING
        return frozenset(term for word in negated for term in (self.terms([word]) if word else [""]))

    def canonical(self, stems: list[str]) -> list[tuple[str, int]]:
        """Each term with the index of the stem it starts at; synonym phrases
        ("financial technology") are merged into their group's term."""
        result: list[tuple[str, int]] = []
        i = 0
        while i < len(stems):
            for phrase in self.phrases.get(stems[i], ()):
                if tuple(stems[i : i + len(phrase)]) == phrase:
                    result.append((self.canon[" ".join(phrase)], i))
                    i += len(phrase)
                    break
            else:
                result.append((self.canon.get(stems[i], stems[i]), i))
                i += 1
        return result


class EntryTables(NamedTuple):
    """What scoring reads of one entry, built once by ``build_index``."""

    #: Term -> how strongly the entry owns it (0-1).
    strengths: dict[str, float]
    #: Terms of the question, alternates and tags: what the entry is about, not what it mentions.
    about: frozenset[str]
    #: Name term -> how central it is to the entry's phrasings (1: the only name in every one).
    focus: dict[str, float]
    #: Whether any phrasing says "not" or speaks of trouble ("shortage", "risk", "worried").
    negative: bool
    #: The kinds of answer the entry's questions ask for (``lexicon.QUESTION_KINDS``).
    kinds: frozenset[str]
    #: Terms the answer gives a figure for ("140 people": people; ``lexicon.counted``).
    counted: frozenset[str]
    #: Terms the phrasings negate ("not enough engineers": enough; "" for a bare "why not?").
    negations: frozenset[str]
    #: Naive-Bayes log-probabilities of the phrasing terms, and of a term the entry lacks.
    logp: dict[str, float]
    logp_floor: float
    #: Each phrasing's content terms, sorted and joined: what rapidfuzz compares.
    phrasings: tuple[str, ...]
    #: Phrasings without a content word ("Who are you?"), words joined.
    content_free: tuple[str, ...]


class Index(NamedTuple):
    """A knowledge base compiled for matching. Built by ``build_index``; never changed after.

    ``tables`` holds one ``EntryTables`` per entry, indexed by the entry's position in
    ``entries``; the rest are tables of the whole base. Built, they are exactly that; read from
    the index cache (``askbot.knowledge.indexfile``), they are read-only views of the same shapes
    that read what they are asked for on demand.
    """

    entries: Sequence[Entry]
    #: Entry id -> position.
    positions: Mapping[str, int]
    #: Which interview each entry comes from (its ``Source``, numbered in load order): follow-ups
    #: prefer the same interview without reading every candidate entry.
    interview: Sequence[int]
    synonyms: Synonyms
    tables: Sequence[EntryTables]
    #: The naive-Bayes log-probabilities of all phrasings of all entries pooled: how likely the
    #: words are anyway.
    background: Mapping[str, float]
    background_floor: float
    #: Term -> [(entry position, strength)], in entry order.
    postings: Mapping[str, Sequence[tuple[int, float]]]
    idf: Mapping[str, float]
    unknown_idf: float
    #: Terms with more postings than this do not gather candidates.
    common: int
    #: Terms with more postings than this do not make two entries related (follow-ups).
    rare: int
    #: Words as written in the knowledge base, for typo correction: all, and by (first letter, length).
    surface: AbstractSet[str]
    vocabulary: Mapping[tuple[str, int], tuple[str, ...]]
    #: Terms the knowledge base writes as names (capitalised mid-sentence).
    names: AbstractSet[str]
    #: The settings it was built with: a matcher with other ``Settings.index_fields`` refuses it.
    settings: Settings

    @property
    def size(self) -> int:
        """How many entries."""
        return len(self.entries)


_P = ParamSpec("_P")
_R = TypeVar("_R")


def without_gc(build: Callable[_P, _R]) -> Callable[_P, _R]:
    """``build`` with the cyclic garbage collector paused while it runs.

    Building an index (and writing one, ``indexfile``) makes millions of small tuples, dicts
    and lists that all live on and form no cycles: every collection their allocation sets off
    walks them all again for nothing, a fifth to a quarter of the time (Mercurial's
    ``util.nogc`` pauses it for the same reason). The collector is left as it was found, also
    when another thread paused it first.
    """

    @functools.wraps(build)
    def paused(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        if not gc.isenabled():
            return build(*args, **kwargs)
        gc.disable()
        try:
            return build(*args, **kwargs)
        finally:
            gc.enable()

    return paused


class EntryText(NamedTuple):
    """What an index reads from one entry's text, before synonyms (``TextFacts``)."""

    #: The words of each phrasing (the question, then the alternates), of each tag, of the answer.
    phrased: list[list[str]]
    tagged: list[list[str]]
    answer: list[str]
    #: Whether each phrasing says "not", and the words the phrasings negate.
    says_not: tuple[bool, ...]
    negated: list[str]
    #: The kinds of answer the phrasings ask for, and the words the answer gives figures for.
    kinds: list[str]
    figures: list[str]


class TextFacts(NamedTuple):
    """What an index reads from the text of the knowledge, before synonyms: an ``EntryText`` per
    entry, and the words written capitalised mid-sentence or in lower case (``_names``).

    It depends on no other file, so the index cache computes it where it parses each file (in
    worker processes, for a large archive) and keeps it with the file's parsed segment
    (``plain`` and ``from_plain``: tuples of plain values, which ``marshal`` stores);
    ``build_index`` then does only what needs the whole knowledge base.
    """

    entries: list[EntryText]
    capital: set[str]
    lower: set[str]

    @classmethod
    @without_gc
    def of(cls, texts: Iterable[tuple[str, Sequence[str], Sequence[str], str]], settings: Settings) -> "TextFacts":
        """The facts of entries given as (question, alternates, tags, answer), as ``Entry`` holds them."""
        facts = cls([], set(), set())
        shared: dict[str, str] = {}
        for question, alternates, tags, answer in texts:
            phrasings = (question, *alternates)
            facts.entries.append(_entry_text(phrasings, tags, answer, shared, settings))
            for text in (*phrasings, answer):
                _cased_words(text, facts.capital, facts.lower)
        return facts

    @classmethod
    def joined(cls, parts: Iterable["TextFacts"]) -> "TextFacts":
        """One knowledge base's facts from its files', in file order."""
        joined = cls([], set(), set())
        for part in parts:
            joined.entries.extend(part.entries)
            joined.capital.update(part.capital)
            joined.lower.update(part.lower)
        return joined

    def plain(self) -> tuple[list[tuple[Any, ...]], set[str], set[str]]:
        """The facts as plain tuples, lists and sets, for ``marshal``."""
        return [tuple(entry) for entry in self.entries], self.capital, self.lower

    @classmethod
    def from_plain(cls, plain: tuple[list[tuple[Any, ...]], set[str], set[str]]) -> "TextFacts":
        """The facts ``plain`` gave."""
        entries, capital, lower = plain
        return cls([EntryText._make(entry) for entry in entries], capital, lower)


def _shared_words(text: str, shared: dict[str, str]) -> list[str]:
    """The text's ``words``, each one string object however often the facts hold it: ``marshal``
    then stores a repeated word once, and a large archive's facts take a third of the memory.
    (A dict of the facts' own, not ``sys.intern``: interned strings never die in Python 3.12.)"""
    return [shared.setdefault(word, word) for word in words(text, limit=None)]


def _entry_text(
    phrasings: tuple[str, ...], tags: Sequence[str], answer: str, shared: dict[str, str], settings: Settings
) -> EntryText:
    says_not = tuple(lexicon.negated(text) for text in phrasings)
    negated = [word for text, no in zip(phrasings, says_not, strict=True) if no for word in lexicon.negated_words(text)]
    return EntryText(
        phrased=[_shared_words(text, shared) for text in phrasings],
        tagged=[_shared_words(tag, shared) for tag in tags],
        answer=_shared_words(answer, shared),
        says_not=says_not,
        negated=negated,
        kinds=sorted({kind for kind in map(lexicon.question_kind, phrasings) if kind is not None}),
        figures=lexicon.counted(answer, words_after=settings.figure_words),
    )


@without_gc
def build_index(knowledge: KnowledgeBase, settings: Settings, facts: TextFacts | None = None) -> Index:
    """Compile a knowledge base for matching; linear in the size of its text.

    ``facts`` are its ``TextFacts`` when the caller has them (the index cache, from its parsed
    segments); else they are read from the entries here.
    """
    synonyms = Synonyms.from_groups(knowledge.synonyms)
    entries = knowledge.entries
    if facts is None:
        facts = TextFacts.of(((e.question, e.alternates, e.tags, e.answer) for e in entries), settings)
    if len(facts.entries) != len(entries):
        raise ValueError(f"facts for {len(facts.entries)} entries, not {len(entries)}")
    names = _names(facts, synonyms)
    counts_all = [_phrasing_counts(text, synonyms) for text in facts.entries]
    vocab = {term for counts in counts_all for term in counts}
    for text in facts.entries:
        vocab.update(term for found in text.tagged for term in synonyms.terms(found))
        vocab.update(synonyms.terms(text.answer))
    nb = _NaiveBayes(counts_all, max(len(vocab), 1), settings.nb_alpha)
    tables = tuple(
        _entry_tables(text, counts, synonyms, names, nb, settings)
        for text, counts in zip(facts.entries, counts_all, strict=True)
    )
    surface = {word for text in facts.entries for found in (*text.phrased, *text.tagged, text.answer) for word in found}

    positions_of: defaultdict[str, list[int]] = defaultdict(list)
    strengths_of: defaultdict[str, list[float]] = defaultdict(list)
    for n, entry_tables in enumerate(tables):
        for term, strength in entry_tables.strengths.items():
            positions_of[term].append(n)
            strengths_of[term].append(strength)
    # A posting's pairs are made together, so they lie together in memory: a query reads
    # postings end to end, and pairs made entry by entry, scattered among every other term's,
    # made gathering candidates two to three times slower on a large knowledge base.
    postings = {term: list(zip(found, strengths_of[term], strict=True)) for term, found in positions_of.items()}
    del positions_of, strengths_of
    size = len(entries)
    vocabulary: dict[tuple[str, int], list[str]] = {}
    for word in sorted(w for w in surface if len(w) >= 3 and w.isalpha()):
        vocabulary.setdefault((word[0], len(word)), []).append(word)
    return Index(
        entries=entries,
        positions={entry.id: n for n, entry in enumerate(entries)},
        interview=_interviews(entries),
        synonyms=synonyms,
        tables=tables,
        background=nb.background,
        background_floor=nb.background_floor,
        postings=postings,
        idf={term: idf(len(p), size) for term, p in postings.items()},
        unknown_idf=idf(0, size),
        common=max(50, int(settings.common_share * size)),
        rare=max(50, int(settings.related_share * size)),
        surface=frozenset(surface),
        vocabulary={key: tuple(found) for key, found in vocabulary.items()},
        names=names,
        settings=settings,
    )


def _phrasing_counts(text: EntryText, synonyms: Synonyms) -> Counter[str]:
    """In how many of an entry's phrasings each term appears."""
    counts: Counter[str] = Counter()
    for found in text.phrased:
        counts.update(set(synonyms.terms(found)))
    return counts


class _NaiveBayes:
    """The smoothed term probabilities of ``scoring.posteriors``: of each entry's phrasings, and
    of all entries' phrasings pooled (how likely the words are anyway)."""

    def __init__(self, counts_all: list[Counter[str]], vocab_size: int, alpha: float) -> None:
        self.vocab_size = vocab_size
        self.alpha = alpha
        pooled: Counter[str] = Counter()
        for counts in counts_all:
            pooled.update(counts)
        denom = sum(pooled.values()) + alpha * vocab_size
        self.background = {t: math.log((c + alpha) / denom) for t, c in pooled.items()}
        self.background_floor = math.log(alpha / denom)

    def entry(self, counts: Counter[str]) -> tuple[dict[str, float], float]:
        """One entry's log-probabilities of its terms, and of a term it lacks."""
        denom = sum(counts.values()) + self.alpha * self.vocab_size
        return {t: math.log((c + self.alpha) / denom) for t, c in counts.items()}, math.log(self.alpha / denom)


def _entry_tables(
    text: EntryText,
    counts: Counter[str],
    synonyms: Synonyms,
    names: frozenset[str],
    nb: _NaiveBayes,
    settings: Settings,
) -> EntryTables:
    """One entry's ``EntryTables``: each part of it weighted for what it is worth."""
    analyzed = [synonyms.terms(found) for found in text.phrased]
    tag_terms = [term for found in text.tagged for term in synonyms.terms(found)]
    answer_terms = frozenset(synonyms.terms(text.answer))
    every = len(text.phrased)
    base, gain = settings.phrasing_base, settings.frac_gain
    strengths = {term: min(1.0, base + (1 - base) * gain * n / every) for term, n in counts.items()}
    for term in tag_terms:
        strengths[term] = max(strengths.get(term, 0.0), settings.tag_strength)
    for term in answer_terms:
        strengths.setdefault(term, settings.answer_strength)
    logp, logp_floor = nb.entry(counts)
    return EntryTables(
        strengths=strengths,
        about=frozenset(counts) | frozenset(tag_terms),
        focus=_focus(analyzed, names, names & answer_terms, settings.central_focus),
        negative=any(text.says_not) or any(map(lexicon.is_trouble, counts)),
        kinds=frozenset(text.kinds),
        counted=frozenset(synonyms.terms(text.figures)),
        negations=synonyms.negated_terms(text.negated),
        logp=logp,
        logp_floor=logp_floor,
        phrasings=tuple(dict.fromkeys(fuzzy_form(terms) for terms in analyzed)),
        content_free=tuple(" ".join(found) for found in text.phrased if found and not any(map(is_content, found))),
    )


def _interviews(entries: Sequence[Entry]) -> tuple[int, ...]:
    """Each entry's source as a number; sources are told apart as the matcher does, by identity."""
    numbers: dict[int, int] = {}
    return tuple(numbers.setdefault(id(entry.source), len(numbers)) for entry in entries)


def _names(facts: TextFacts, synonyms: Synonyms) -> frozenset[str]:
    """Terms the knowledge base always writes capitalised, at least once mid-sentence: names.

    "Global" in "Global Blockchain Summit" is not one when the same file also writes "global"."""
    lower_terms = {term for word in facts.lower for term in synonyms.analyze(word)}
    capital_terms = {term for word in facts.capital for term in synonyms.analyze(word)}
    return frozenset(term for term in capital_terms - lower_terms if term not in STOPWORDS)


def _cased_words(text: str, capital: set[str], lower: set[str]) -> None:
    """Add the text's words written in lower case to ``lower``, and those written with one
    capital, not opening a sentence, to ``capital`` (``_names`` decides)."""
    for found in re.finditer(_CASED_WORD, text):
        word = found.group()
        if word[0].islower():
            lower.add(word)
        elif sum(ch.isupper() for ch in word) == 1 and not _starts_sentence(text, found.start()):
            capital.add(word)


def _starts_sentence(text: str, at: int) -> bool:
    """Whether the word at ``at`` opens the text or a sentence (so its capital says nothing)."""
    before = at - 1
    while before >= 0 and text[before].isspace():
        before -= 1
    return before < 0 or text[before] in _SENTENCE_ENDS


def _focus(
    analyzed: list[list[str]], names: frozenset[str], answered: frozenset[str], central: float
) -> dict[str, float]:
    """How central each name is to an entry: the mean, over its phrasings, of one over the number
    of names in that phrasing; a name the answer speaks of counts as ``central`` at least. A city
    one question lists among four others scores 0.2 where it appears."""
    totals: dict[str, float] = {}
    for terms in analyzed:
        present = names.intersection(terms)
        for name in present:
            totals[name] = totals.get(name, 0.0) + 1 / len(present)
    focus = {name: total / len(analyzed) for name, total in totals.items()}
    for name in answered:
        focus[name] = max(focus.get(name, 0.0), central)
    return focus


def accumulate(totals: dict[int, float], posting: Sequence[tuple[int, float]], weight: float) -> None:
    """Add ``weight`` times each entry's strength in ``posting`` to its total: how gathering a
    question's candidates and an entry's related entries sum the postings they walk.

    A plain loop: ``map``/``zip`` into ``dict.update`` measured twice as slow.
    """
    get = totals.get
    for n, strength in posting:
        totals[n] = get(n, 0.0) + weight * strength


def idf(df: int, size: int) -> float:
    """Rarity of a term found in ``df`` of ``size`` entries; never-seen terms weigh most."""
    return math.log(1 + (size + 1) / (df + 0.5))


def is_content(word: str) -> bool:
    """Whether a word can carry a question: not a function word, not a list number ("1", "12")."""
    return word not in STOPWORDS and not (len(word) <= 2 and word.isdigit())


def fuzzy_form(terms: Iterable[str]) -> str:
    """Content terms, sorted and joined: the form rapidfuzz compares.

    Function words would only add noise; sorting once here lets plain ``fuzz.ratio`` do what
    ``token_sort_ratio`` does without re-sorting every phrasing on every query.
    """
    return " ".join(sorted(t for t in terms if t not in STOPWORDS))


def synonym_map(groups: Iterable[Iterable[str]]) -> dict[str, str]:
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
