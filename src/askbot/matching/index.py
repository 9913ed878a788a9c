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
from . import english, lexicon
from .text import STOPWORDS, asked_part, sentences, stem, words

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

    #: Term -> how strongly the entry owns it (0-1): its question and alternates most (their
    #: preambles less), its tags less, its answer least.
    strengths: dict[str, float]
    #: Terms of the question, alternates and tags: what the entry is about, not what it mentions.
    about: frozenset[str]
    #: Term -> the phrasings (question, then alternates) that use it where they ask, as bits (the
    #: 63rd and later share the last bit): a paraphrase close to one alternate is found by it.
    phrased: dict[str, int]
    #: Answer term -> the sentences of the answer that hold it, as bits, likewise: a question
    #: about what was said finds the sentence that says it.
    said: dict[str, int]
    #: How many words the answer has: a word found in a short answer says more than one found in
    #: a long one (BM25's length normalisation, ``scoring``).
    length: int
    #: Name term -> how central it is to the entry's phrasings (1: the only name in every one).
    focus: dict[str, float]
    #: Whether any phrasing says "not", or the entry speaks of trouble ("risk", "worried").
    negative: bool
    #: The kinds of answer the entry's questions ask for (``lexicon.question_kind``), and those
    #: its answer gives whatever they asked (``lexicon.answer_kinds``: "when" for a time).
    kinds: frozenset[str]
    gives: frozenset[str]
    #: Terms the answer gives a figure for ("140 people": people; ``lexicon.counted``).
    counted: frozenset[str]
    #: Terms the phrasings negate ("not enough engineers": enough; "" for a bare "why not?").
    negations: frozenset[str]
    #: Naive-Bayes log-probabilities of the phrasing terms, and of a term the entry lacks.
    logp: dict[str, float]
    logp_floor: float
    #: Each phrasing's content terms, sorted and joined: what rapidfuzz compares.
    phrasings: tuple[str, ...]
    #: Each phrasing's words as written (function words too), joined: how close a question of
    #: common words comes to one ("could you tell us about yourself?").
    spoken: tuple[str, ...]
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
    #: The mean number of words an answer has.
    answer_length: float
    #: How many phrasings (questions and alternates) the entries have in all: a sentence model
    #: would embed that many and their answers' sentences, known without reading an entry.
    phrasings: int
    #: Terms with more postings than this do not gather candidates.
    common: int
    #: Terms with more postings than this do not make two entries related (follow-ups).
    rare: int
    #: Words as written in the knowledge base, for typo correction: all, and by (first letter, length).
    surface: AbstractSet[str]
    vocabulary: Mapping[tuple[str, int], tuple[str, ...]]
    #: Terms the knowledge base writes as names (capitalised mid-sentence).
    names: AbstractSet[str]
    #: Terms of the interviews' own names (interviewees, interviewers, publishers): the setting
    #: every question shares, which tells no entry from another ("what does Kernighan think?").
    setting: AbstractSet[str]
    #: Term -> how rare its commonest written form is in English (``english.rarity``): "bit" or
    #: "people" in a question say less than the knowledge base's own rarity makes them seem.
    english: Mapping[str, float]
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

    #: The words of each phrasing (the question, then the alternates), and of each one's
    #: preamble only (``text.asked_part``: the sentences before it asks; mostly empty).
    phrased: list[list[str]]
    preambles: list[list[str]]
    #: The words of each tag, and of each sentence of the answer.
    tagged: list[list[str]]
    answer: list[list[str]]
    #: Whether each phrasing says "not", and the words the phrasings negate.
    says_not: tuple[bool, ...]
    negated: list[str]
    #: The kinds of answer the phrasings ask for, those the answer gives, and the words the
    #: answer gives figures for.
    kinds: list[str]
    gives: list[str]
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
        preambles=[_shared_words(asked_part(text)[1], shared) for text in phrasings],
        tagged=[_shared_words(tag, shared) for tag in tags],
        answer=[_shared_words(sentence, shared) for sentence in sentences(answer)],
        says_not=says_not,
        negated=negated,
        kinds=sorted({kind for kind in map(lexicon.question_kind, phrasings) if kind is not None}),
        gives=lexicon.answer_kinds(answer),
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
    terms_all = [_EntryTerms.of(text, synonyms) for text in facts.entries]
    split_all = [_phrasing_counts(terms) for terms in terms_all]
    interview = _interviews(entries)
    _lean_back(split_all, facts.entries, interview)
    counts_all = [_blend(asked, scene, settings.preamble_share) for asked, scene in split_all]
    vocab = {term for counts in counts_all for term in counts}
    for terms in terms_all:
        vocab.update(terms.tagged)
        vocab.update(term for sentence in terms.answer for term in sentence)
    nb = _NaiveBayes(counts_all, max(len(vocab), 1), settings.nb_alpha)
    tables = tuple(
        _entry_tables(text, terms, split, counts, synonyms, names, nb, settings)
        for text, terms, split, counts in zip(facts.entries, terms_all, split_all, counts_all, strict=True)
    )
    del terms_all
    surface = {
        word for text in facts.entries for found in (*text.phrased, *text.tagged, *text.answer) for word in found
    }

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
        interview=interview,
        synonyms=synonyms,
        tables=tables,
        background=nb.background,
        background_floor=nb.background_floor,
        postings=postings,
        idf={term: idf(len(p), size) for term, p in postings.items()},
        unknown_idf=idf(0, size),
        answer_length=sum(t.length for t in tables) / max(size, 1),
        phrasings=sum(len(text.phrased) for text in facts.entries),
        common=max(50, int(settings.common_share * size)),
        rare=max(50, int(settings.related_share * size)),
        surface=frozenset(surface),
        vocabulary={key: tuple(found) for key, found in vocabulary.items()},
        names=names,
        setting=_setting(knowledge, synonyms),
        english=_english(surface, synonyms),
        settings=settings,
    )


def _setting(knowledge: KnowledgeBase, synonyms: Synonyms) -> frozenset[str]:
    """The terms of every interviewee's, interviewer's and publisher's name."""
    named: set[str] = set()
    for source in knowledge.sources:
        for name in (source.interviewee, source.publisher, *source.interviewers):
            if name:
                named.update(term for term in synonyms.analyze(name) if term not in STOPWORDS)
    return frozenset(named)


def _english(surface: AbstractSet[str], synonyms: Synonyms) -> dict[str, float]:
    """Each term's English rarity: that of its commonest written form in the knowledge base."""
    commonest: dict[str, float] = {}
    for word in surface:
        if word.isalpha():
            found = english.rarity(word)
            for term in synonyms.terms([word]):
                if found < commonest.get(term, math.inf):
                    commonest[term] = found
    return commonest


class _EntryTerms(NamedTuple):
    """An entry's ``EntryText`` as terms (synonyms merged), worked out once for every table
    that reads them: each phrasing's, each preamble's, the tags', and each answer sentence's."""

    phrased: list[list[str]]
    preambles: list[list[str]]
    tagged: list[str]
    answer: list[list[str]]

    @classmethod
    def of(cls, text: EntryText, synonyms: Synonyms) -> "_EntryTerms":
        """The terms of ``text``."""
        terms = synonyms.terms
        return cls(
            [terms(found) for found in text.phrased],
            [terms(found) for found in text.preambles],
            [term for found in text.tagged for term in terms(found)],
            [terms(sentence) for sentence in text.answer],
        )


def _phrasing_counts(terms: _EntryTerms) -> tuple[dict[str, int], dict[str, int]]:
    """In how many of an entry's phrasings each term appears where the phrasing asks, and in how
    many only in its preamble (``asked_part``)."""
    asked: dict[str, int] = {}
    scene: dict[str, int] = {}
    for found, preamble in zip(terms.phrased, terms.preambles, strict=True):
        asking, setting = _asking(found, preamble)
        for term in asking:
            asked[term] = asked.get(term, 0) + 1
        for term in setting:
            scene[term] = scene.get(term, 0) + 1
    return asked, scene


def _lean_back(
    split_all: list[tuple[dict[str, int], dict[str, int]]], texts: list[EntryText], interview: Sequence[int]
) -> None:
    """A question leaning on the one before it (``lexicon.leans_back``: "And where will they be
    held?") takes that question's terms as its preamble's: a reader asks "where are the talks
    held?", naming what the transcript's question only points at."""
    for n in range(len(split_all) - 1, 0, -1):
        if interview[n] != interview[n - 1] or not texts[n].phrased or not lexicon.leans_back(texts[n].phrased[0]):
            continue
        asked, scene = split_all[n]
        for term in split_all[n - 1][0]:
            if term not in asked:
                scene[term] = max(scene.get(term, 0), 1)


def _asking(found: list[str], preamble: list[str]) -> tuple[set[str], set[str]]:
    """A phrasing's terms where it asks, and those only in its preamble (both given as terms)."""
    if not preamble:
        return set(found), set()
    terms = Counter(found)
    before = Counter(preamble)
    setting = {term for term, times in terms.items() if before[term] >= times}
    return set(terms) - setting, setting


def _blend(asked: dict[str, int], scene: dict[str, int], share: float) -> dict[str, float]:
    """The phrasing counts naive Bayes reads: a preamble's term counts ``share`` of one."""
    counts: dict[str, float] = {term: float(n) for term, n in asked.items()}
    for term, n in scene.items():
        counts[term] = counts.get(term, 0.0) + share * n
    return counts


class _NaiveBayes:
    """The smoothed term probabilities of ``scoring.posteriors``: of each entry's phrasings, and
    of all entries' phrasings pooled (how likely the words are anyway)."""

    def __init__(self, counts_all: list[dict[str, float]], vocab_size: int, alpha: float) -> None:
        self.vocab_size = vocab_size
        self.alpha = alpha
        pooled: dict[str, float] = {}
        for counts in counts_all:
            for term, count in counts.items():
                pooled[term] = pooled.get(term, 0.0) + count
        denom = sum(pooled.values()) + alpha * vocab_size
        self.background = {t: math.log((c + alpha) / denom) for t, c in pooled.items()}
        self.background_floor = math.log(alpha / denom)

    def entry(self, counts: dict[str, float]) -> tuple[dict[str, float], float]:
        """One entry's log-probabilities of its terms, and of a term it lacks."""
        denom = sum(counts.values()) + self.alpha * self.vocab_size
        return {t: math.log((c + self.alpha) / denom) for t, c in counts.items()}, math.log(self.alpha / denom)


def _entry_tables(
    text: EntryText,
    terms: _EntryTerms,
    split: tuple[dict[str, int], dict[str, int]],
    counts: dict[str, float],
    synonyms: Synonyms,
    names: frozenset[str],
    nb: _NaiveBayes,
    settings: Settings,
) -> EntryTables:
    """One entry's ``EntryTables``: each part of it weighted for what it is worth."""
    analyzed, tag_terms = terms.phrased, terms.tagged
    said = _bits(terms.answer)
    phrasings = zip(terms.phrased, terms.preambles, strict=True)
    phrased = _bits(_asking(found, before)[0] for found, before in phrasings)
    every = len(text.phrased)
    base, gain = settings.phrasing_base, settings.frac_gain
    asked, scene = split

    def owned(n: int) -> float:
        """How strongly a term the entry's phrasings use ``n`` times owns it."""
        return min(1.0, base + (1 - base) * gain * n / every)

    strengths = {term: settings.preamble_share * owned(n) for term, n in scene.items()}
    for term, n in asked.items():
        strengths[term] = max(strengths.get(term, 0.0), owned(n))
    for term in tag_terms:
        strengths[term] = max(strengths.get(term, 0.0), settings.tag_strength)
    for term in said:
        strengths.setdefault(term, settings.answer_strength)
    logp, logp_floor = nb.entry(counts)
    trouble = lexicon.trouble_terms()
    return EntryTables(
        strengths=strengths,
        about=frozenset(counts) | frozenset(tag_terms),
        phrased=phrased,
        said=said,
        length=sum(map(len, text.answer)),
        focus=_focus(analyzed, names, names.intersection(said), settings.central_focus),
        negative=any(text.says_not) or not (trouble.isdisjoint(counts) and trouble.isdisjoint(said)),
        kinds=frozenset(text.kinds),
        gives=frozenset(text.gives),
        counted=frozenset(synonyms.terms(text.figures)),
        negations=synonyms.negated_terms(text.negated),
        logp=logp,
        logp_floor=logp_floor,
        phrasings=tuple(dict.fromkeys(fuzzy_form(terms) for terms in analyzed)),
        spoken=tuple(dict.fromkeys(spoken_form(found) for found in text.phrased)),
        content_free=tuple(" ".join(found) for found in text.phrased if found and not any(map(is_content, found))),
    )


def _bits(parts: Iterable[Iterable[str]]) -> dict[str, int]:
    """Term -> the parts (sentences, phrasings) that hold it, as bits; the 63rd part and later
    share the last bit, so the numbers stay small."""
    found: dict[str, int] = {}
    for at, terms in enumerate(parts):
        bit = 1 << min(at, 62)
        for term in terms:
            found[term] = found.get(term, 0) | bit
    return found


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
    """Content terms but numbers, sorted and joined: the form rapidfuzz compares.

    Function words would only add noise, and numbers are not typed close: "1000" is no slip for
    "2000" (they count when found whole, as any term does). Sorting once here lets plain
    ``fuzz.ratio`` do what ``token_sort_ratio`` does without re-sorting every phrasing on every
    query.
    """
    return " ".join(sorted(t for t in terms if t not in STOPWORDS and not t.isdigit()))


def spoken_form(found: Iterable[str]) -> str:
    """Words but numbers, in order and joined: how close a question comes to a phrasing word for
    word, function words too (numbers count when found whole, ``fuzzy_form``)."""
    return " ".join(word for word in found if not word.isdigit())


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
