"""The matcher's tunable numbers, in one frozen, keyword-only value.

Modelled on httpx's ``Limits``/``DEFAULT_LIMITS``: callers that want other numbers (a benchmark
sweeping a weight, a script with a stricter threshold) pass ``Settings(...)`` or
``DEFAULT_SETTINGS.replace(...)`` instead of patching module globals, so two matchers with
different settings can live side by side.

They are not dataclasses: importing ``dataclasses`` (and the ``inspect`` it pulls in) and building
the classes would cost ``askbot ask`` more start-up time than the rest of askbot's own modules.
``_Frozen`` gives the same contract (keyword-only, typed, frozen, compared by value, ``replace``),
and ``dataclass_transform`` tells type checkers so.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from collections.abc import Mapping
    from collections.abc import Set as AbstractSet
    from typing import Self, dataclass_transform
else:

    def dataclass_transform(**_: object) -> Any:
        """Only type checkers read it; at run time it leaves the class as it is."""
        return lambda cls: cls


@dataclass_transform(kw_only_default=True, frozen_default=True)
class _Frozen:
    """A frozen, keyword-only value whose fields are its class's annotated defaults.

    ``__init__`` takes any of them by name and calls ``_check`` on the whole, so a subclass
    validates in one place; the fields, their declared types ("int", "float") and defaults are
    read once per class, when it is defined.
    """

    _types: ClassVar[dict[str, str]] = {}

    def __init_subclass__(cls) -> None:
        # The fields of every class from _Frozen down, the base's first, as a dataclass has them;
        # a type is kept by name ("int", "float"), written as a string or not.
        types: dict[str, str] = {}
        for klass in reversed(cls.__mro__):
            for name, kind in vars(klass).get("__annotations__", {}).items():
                kind = kind if isinstance(kind, str) else getattr(kind, "__name__", repr(kind))
                if not kind.startswith("ClassVar"):
                    types[name] = kind
        cls._types = types

    def __init__(self, *args: Any, **values: Any) -> None:
        kind = type(self).__name__
        if args:
            raise TypeError(f"{kind}() takes keyword arguments only, not {len(args)} positional")
        for name in values:
            if name not in self._types:
                raise TypeError(f"{kind}() got an unexpected keyword argument '{name}'")
        for name in self._types:
            if name not in values and not hasattr(type(self), name):
                raise TypeError(f"{kind}() missing keyword argument '{name}'")
            object.__setattr__(self, name, values.get(name, getattr(type(self), name, None)))
        self._check()

    def _check(self) -> None:
        """Refuse values out of range (a subclass's job); called once the fields are set."""

    def _check_numbers(self, ranges: Mapping[str, tuple[float, float]], positive: AbstractSet[str]) -> None:
        """Refuse a field that is not a number of its declared kind ("int": a whole one) or is
        outside its range in ``ranges`` (zero or more by default; above zero when ``positive``);
        a float field given as an int becomes a float."""
        for name, declared in self._types.items():
            value = getattr(self, name)
            whole = declared == "int"
            if isinstance(value, bool) or not isinstance(value, int if whole else int | float):
                kind = "a whole number" if whole else "a number"
                raise TypeError(f"{name} must be {kind}, not {value!r}")
            low, high = ranges.get(name, (0.0, math.inf))
            if name in positive and not value > 0:
                raise ValueError(f"{name} must be above 0, not {value!r}")
            if not low <= value <= high:  # NaN fails here too
                raise ValueError(f"{name} must be from {low:g} to {high:g}, not {value!r}")
            if not whole:
                object.__setattr__(self, name, float(value))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field '{name}': {type(self).__name__} is frozen")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field '{name}': {type(self).__name__} is frozen")

    def as_dict(self) -> dict[str, Any]:
        """The fields and their values, in declaration order."""
        return {name: getattr(self, name) for name in self._types}

    def replace(self, **changes: Any) -> Self:
        """A copy with some fields changed (validated like the constructor)."""
        return type(self)(**{**self.as_dict(), **changes})

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.as_dict() == other.as_dict()

    def __hash__(self) -> int:
        # Worked out once: a matcher looks its weights up by its settings on every question.
        found: int | None = self.__dict__.get("_hash")
        if found is None:
            found = hash(tuple(self.as_dict().values()))
            object.__setattr__(self, "_hash", found)
        return found

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self.as_dict().items())})"

    def __reduce__(self) -> tuple[Any, ...]:
        # By the fields, through the constructor (and its checks); never the cached hash.
        return (_remade, (type(self), self.as_dict()))


def _remade(kind: type[_Frozen], values: dict[str, Any]) -> _Frozen:
    """A pickled ``_Frozen`` value, made again."""
    return kind(**values)


class Settings(_Frozen):
    """How the matcher weighs evidence and when it answers.

    >>> DEFAULT_SETTINGS.replace(threshold=50).threshold
    50.0
    >>> Settings(threshold=101)
    Traceback (most recent call last):
    ...
    ValueError: threshold must be from 0 to 100, not 101
    """

    #: Confidence (0-100: the calibrated probability, in percent, that the best entry is the
    #: right one) at or above which askbot answers.
    threshold: float = 55.0
    #: Candidates this many points under the threshold become "did you mean" suggestions.
    suggest_below: float = 30.0

    # What a query term found in each part of an entry is worth (1 = every phrasing uses it).
    phrasing_base: float = 0.2
    frac_gain: float = 3.0
    tag_strength: float = 0.7
    answer_strength: float = 0.4
    #: A term only in the preamble of a long question ("Hi. So, the CDC said ... Is there any
    #: chance ...?"), not in the sentences that ask, counts this share of a phrasing's use.
    preamble_share: float = 0.4

    #: A query word weighs its rarity (idf) to this power: above 1, a rare word the entry lacks
    #: outweighs several common words it has.
    rarity_power: float = 1.5
    # How much a query word counts: a function word ("what", "is") and a corrected typo weigh
    # this share of an ordinary word of the same rarity.
    stopword_weight: float = 0.2
    corrected_weight: float = 0.8
    # How rare a word is in English (``english.rarity``: 0 for "the", about 18 for a word the
    # list never saw), from common to rare: a word at ``english_common`` or more common says
    # little, one at ``english_rare`` or rarer says all its knowledge-base rarity does. A word
    # the knowledge base never uses weighs as if it were the rarest there, times where it stands
    # between the two (at least ``english_floor``); a word it does use loses ``english_share`` of
    # its weight the more common it is in English.
    english_common: float = 3.0
    english_rare: float = 12.0
    english_floor: float = 0.1
    english_share: float = 0.5
    # BM25's term saturation and answer-length normalisation, for the answer's evidence.
    bm25_k1: float = 1.2
    bm25_b: float = 0.75
    #: Additive smoothing of the naive-Bayes term probabilities.
    nb_alpha: float = 0.3
    #: Prior odds that a question was asked of none of the candidates but in the knowledge base's
    #: words at large: the posterior's share for "none of these".
    background_odds: float = 1.0

    # The confidence: a logistic model, fitted by ``benchmarks/fit_confidence.py`` on public data
    # in the interview regime and the tune half of the reader sets (never a test or report
    # split). ``rank_*`` weigh what ``scoring`` measures of a candidate into its rank score;
    # ``confidence_*`` turn that score, how many words the question has and what was measured of
    # the candidate into the probability that the answer is it or its best rival (``scoring.judge``).
    rank_bias: float = -3.4563
    rank_asked: float = 0.6638
    rank_whole: float = 0.8576
    rank_phrasing: float = 0.3262
    rank_answer: float = 0.5586
    rank_said: float = 0.83
    rank_sentence: float = 0.8145
    rank_uncovered: float = -1.3686
    rank_missing: float = -1.3471
    rank_unmatched: float = 0.0
    rank_closeness: float = 0.5767
    rank_spoken: float = 0.5844
    rank_posterior: float = 3.0998
    rank_kind: float = -0.1698
    rank_opposite: float = -0.1599
    rank_downside: float = 0.0
    rank_negation: float = -0.047
    rank_name: float = -0.2976
    rank_figure: float = 0.0
    rank_wordless: float = 0.0
    rank_informative: float = 0.5855
    confidence_bias: float = -0.8175
    confidence_score: float = 0.3448
    confidence_length: float = 0.7022
    confidence_asked: float = 0.7256
    confidence_whole: float = 0.8093
    confidence_phrasing: float = 0.0
    confidence_answer: float = 0.3842
    confidence_said: float = 0.4778
    confidence_sentence: float = 0.7427
    confidence_uncovered: float = -0.9528
    confidence_missing: float = -0.8015
    confidence_unmatched: float = 0.0
    confidence_closeness: float = 0.4236
    confidence_spoken: float = 0.8031
    confidence_posterior: float = 0.0
    confidence_kind: float = -0.2745
    confidence_opposite: float = -0.1305
    confidence_downside: float = -1.285
    confidence_negation: float = -0.8957
    confidence_name: float = -0.6675
    confidence_figure: float = -0.4795
    confidence_wordless: float = 0.0
    confidence_informative: float = 0.2495
    #: A candidate's lead over the best other counts up to this much either way (a lone
    #: candidate's lead).
    confidence_lone: float = 2.0
    # The pair model: the probability that a candidate, not its rival, is the answer, by its lead.
    pair_bias: float = 0.0041
    pair_lead: float = 2.1802
    # With the sentence model, the same two models again over ``scoring.STACKED``: the lexical
    # model's rank score and presence logit, and what the sentence model hears of a candidate
    # (``scoring.HEARD``), fitted on the lexical model (``fit_confidence.py --semantic``): the
    # rank and presence of the words alone weigh more in a model fitted on them first than in
    # one fitted on everything at once (tune utility 0.56 against 0.52 on the interviews).
    semantic_rank_bias: float = -0.7033
    semantic_rank_lexical_rank: float = 0.8613
    semantic_rank_lexical_presence: float = 0.0
    semantic_rank_cosine: float = 0.7167
    semantic_rank_heard_question: float = 0.0
    semantic_rank_heard_sentence: float = 0.0991
    semantic_rank_question_lead: float = 1.7191
    semantic_rank_sentence_lead: float = 0.8431
    semantic_rank_question_top: float = 1.5705
    semantic_rank_sentence_top: float = 1.2687
    semantic_confidence_bias: float = -0.6589
    semantic_confidence_score: float = 0.0
    semantic_confidence_length: float = -0.1342
    semantic_confidence_lexical_rank: float = 0.0
    semantic_confidence_lexical_presence: float = 0.6438
    semantic_confidence_cosine: float = 0.5222
    semantic_confidence_heard_question: float = 0.772
    semantic_confidence_heard_sentence: float = 0.9584
    semantic_confidence_question_lead: float = 1.1001
    semantic_confidence_sentence_lead: float = 1.2637
    semantic_confidence_question_top: float = 0.2686
    semantic_confidence_sentence_top: float = 0.3849
    semantic_pair_bias: float = 0.0117
    semantic_pair_lead: float = 1.6831
    #: A candidate the question contradicts (a kind of answer it never gives, the opposite or a
    #: downside of what it answers, a negation it does not make, a figure it lacks) is at most a
    #: "did you mean" (below ``threshold``, at or above ``suggest_below``): on the tune reader
    #: sets such best candidates were wrong 18 times in 28, too few for the fit to weigh them
    #: (``fit_confidence.py`` prints the table). Right ones are offered, not lost.
    contradicted_cap: float = 50.0

    #: Candidates scored in full for every query, whatever ``limit`` a caller asks for.
    pool: int = 12
    #: Candidates gathered from the inverted index for scoring, the most promising first; those
    #: past ``pool`` are scored only as far as it takes to see they cannot make it.
    gathered: int = 24
    #: Terms in more than this share of entries do not gather candidates (they still score).
    common_share: float = 0.05
    #: Terms in more than this share of entries do not make two entries related.
    related_share: float = 0.01
    #: Words shorter than this are never typo-corrected.
    min_typo_length: int = 4
    #: How close (rapidfuzz ``ratio``, 0-100) a typo must come to the knowledge base's word it is
    #: taken for; words of up to ``typo_short_length`` letters must come closer, as one slip is a
    #: larger share of them. Only words of the same first letter and within ``typo_length_slack``
    #: letters of the typo's length are compared: readers rarely slip on the first letter or by
    #: more than two, and looking only there keeps a typo's cost flat as the vocabulary grows.
    typo_cutoff: float = 75.0
    typo_cutoff_short: float = 80.0
    typo_short_length: int = 5
    typo_length_slack: int = 2
    #: An English word this many times rarer than the knowledge base's word it resembles is taken
    #: for a typo all the same: big lists carry odd forms readers mostly type by mistake. Real
    #: pairs stay far below it ("vary" is 1,600 times rarer than "very"; "mayor" 5 times rarer
    #: than "major").
    typo_rarity_ratio: float = 10_000.0
    #: A "not" in a question applies to this many content words after it ("why not hangzhou").
    negation_reach: int = 3
    #: A name at least this central to an entry's phrasings (1: the only name in every one) is
    #: what the entry is about; a name its answer speaks of counts as this central.
    central_focus: float = 0.5
    #: A name found in more than this share of the entries is the interview's setting ("Hangzhou"
    #: in an interview about Hangzhou), not a subject the question must share with the entry.
    setting_share: float = 0.5
    #: An answer gives a figure for the words right after a number, this many of them ("140
    #: people": people): "how many people?" is answered by it, not by "100 points".
    figure_words: int = 2
    #: A question asked in a context (``Matcher.match(..., context=...)``, a chat's follow-up)
    #: weighs the context's words this much of its own words'.
    context_weight: float = 0.5

    # The sentence model (``askbot.semantic``). Its closeness of a candidate (0-1): the mean
    # cosine of its phrasings nearest the question (``semantic_share``), less ``semantic_rivalry``
    # times how much nearer another entry is, put on a scale where ``semantic_floor`` is 0 and
    # ``semantic_ceiling`` 1.
    semantic_floor: float = 0.42
    semantic_ceiling: float = 0.9
    #: The sentence model speaks for the entry the question is nearest to, not for every entry
    #: on the same topic.
    semantic_rivalry: float = 2.0
    #: Entries nearest by cosine added to the lexical candidates: by their phrasings' cosine,
    #: and by the cosine of the nearest sentence of their answer (a question about what an
    #: answer says, not what its question asked).
    semantic_pool: int = 12
    semantic_answer_pool: int = 12
    #: An entry's cosine is the mean over its phrasings nearest the question, as many as this share
    #: of them (at least one): the nearest of a hundred phrasings is often near by chance (an
    #: out-of-scope question finds one), its three nearest rarely are; an entry of a question and
    #: a few alternates is judged by its nearest, as before.
    semantic_share: float = 0.03

    #: The fields that only judge a finished score: an index built with other values of them is
    #: the same index (the cache shares it, ``Matcher`` accepts it).
    VERDICT_FIELDS: ClassVar[frozenset[str]] = frozenset({"threshold", "suggest_below", "contradicted_cap"})

    def index_fields(self) -> dict[str, Any]:
        """The fields an index built with these settings depends on (all but ``VERDICT_FIELDS``),
        in declaration order: what an index records, and what a matcher must agree with."""
        return {name: value for name, value in self.as_dict().items() if name not in self.VERDICT_FIELDS}

    def _check(self) -> None:
        self._check_numbers(_RANGES, _POSITIVE)
        if self.english_common >= self.english_rare:
            raise ValueError("english_common must be below english_rare")
        if self.semantic_floor >= self.semantic_ceiling:
            raise ValueError("semantic_floor must be below semantic_ceiling")


# Bounds of the numbers that are not just "zero or more"; ``_POSITIVE`` ones must be above zero.
_RANGES = {
    "threshold": (0.0, 100.0),
    "suggest_below": (0.0, 100.0),
    "contradicted_cap": (0.0, 100.0),
    "phrasing_base": (0.0, 1.0),
    "tag_strength": (0.0, 1.0),
    "answer_strength": (0.0, 1.0),
    "stopword_weight": (0.0, 1.0),
    "corrected_weight": (0.0, 1.0),
    "preamble_share": (0.0, 1.0),
    "english_floor": (0.0, 1.0),
    "english_share": (0.0, 1.0),
    "bm25_b": (0.0, 1.0),
    "common_share": (0.0, 1.0),
    "related_share": (0.0, 1.0),
    "semantic_floor": (0.0, 1.0),
    "semantic_ceiling": (0.0, 1.0),
    "semantic_pool": (1, math.inf),
    "semantic_answer_pool": (0, math.inf),
    "semantic_share": (0.0, 1.0),
    "pool": (1, math.inf),
    "gathered": (1, math.inf),
    "min_typo_length": (1, math.inf),
    "typo_cutoff": (0.0, 100.0),
    "typo_cutoff_short": (0.0, 100.0),
    "central_focus": (0.0, 1.0),
    "setting_share": (0.0, 1.0),
    "context_weight": (0.0, 1.0),
}
# The logistic model's coefficients take any sign.
_RANGES.update(
    {
        name: (-math.inf, math.inf)
        for name in Settings._types
        if name.startswith(("rank_", "confidence_", "semantic_rank_", "semantic_confidence_"))
    }
)
_RANGES["confidence_lone"] = (0.0, math.inf)
_RANGES.update(pair_bias=(-math.inf, math.inf), pair_lead=(0.0, math.inf))
_RANGES.update(semantic_pair_bias=(-math.inf, math.inf), semantic_pair_lead=(0.0, math.inf))
_POSITIVE = frozenset({"nb_alpha", "background_odds", "rarity_power", "typo_rarity_ratio"})

DEFAULT_SETTINGS = Settings()


class ConversationSettings(_Frozen):
    """How a turn of conversation reads a line and what it shows, in the chat and ``askbot ask``
    alike (the matcher's numbers are the matcher's).

    ``tie_margin``: when the best answers of two interviews are this many points apart or less
    (the best clearing the threshold, the other at least a "did you mean"), askbot asks whose
    answer the reader wants instead of picking one silently. Each interview's confidence is
    judged on its own answer's words, so two interviews asked the very same question stand
    20-odd points apart as often as not.
    """

    tie_margin: float = 25.0
    #: Related questions listed after an answer, and "did you mean" suggestions.
    related: int = 3
    #: Questions offered when the interview does not cover what was asked.
    suggestions: int = 3
    #: A question about the interview itself ("when was it published?") is short: longer lines
    #: carry a question of their own.
    meta_words: int = 12
    #: How close (rapidfuzz ``WRatio``) a name must come to an interviewee or a title.
    name_cutoff: float = 70.0
    #: A line quoting a listed question: how much of it must match one (``partial_ratio``) and
    #: how many of its words the question must share (``token_set_ratio``).
    quote_cutoff: float = 90.0
    quote_overlap: float = 60.0
    #: A line that comes back to the answer just read, asking with words that answer does not
    #: have, asks for more than it says ("which consensus method does her lab use?": "I find
    #: nothing more on that than the answer just above") when one of those words is at least
    #: this rare in English (``english.rarity``); when all are commoner ("would he take the role
    #: again?", or "what does he mean by patterns?" after an answer about patterns, which lacks
    #: only "mean") it asks about what the answer says: "That is the answer just above".
    #: Chosen on the dialogues already read (tune, report, holdout) with
    #: ``benchmarks/dialogues.py --conversation again_rarity=X`` for X from 4 to 8: 6 is the
    #: highest that keeps every guard (follow-ups 29 -> 36 of 83 with the sentence model, 23 ->
    #: 29 with words alone; 6.5 loses a guard). 0 asks for more at any missing word.
    again_rarity: float = 6.0
    #: A line that leans back ("how are they tackling that?") and that askbot is not confident
    #: of alone may ask what the interviewer asked next or just before: with the sentence model,
    #: the line's first candidate alone, when it is one of the ``neighbours`` questions either
    #: side of the answer just read, has its odds multiplied by ``neighbour_odds``
    #: (``turn._nearby``). Chosen on the tune dialogues with ``benchmarks/dialogues.py
    #: --conversation neighbours=N --conversation neighbour_odds=K`` for N in 1, 2 and K in 1.5,
    #: 2, 2.5, 3, 4: N=2, K=2 answers the most follow-ups that keeps every tune guard with
    #: either matcher (follow-ups 13 -> 18 of 30 with the model, 10 -> 12 with words alone). On
    #: the dialogues already read (report, holdout, holdout2, holdout3), K=2 against K=1 gave
    #: the model 3 more right and 1 more wrong, words alone 2 more right and 3 more wrong: so it
    #: is used with the model only. ``neighbour_odds=1`` (or ``neighbours=0``) turns it off.
    neighbours: int = 2
    neighbour_odds: float = 2.0

    def _check(self) -> None:
        percents = ("tie_margin", "name_cutoff", "quote_cutoff", "quote_overlap")
        ranges = {**dict.fromkeys(percents, (0.0, 100.0)), "neighbour_odds": (1.0, 1000.0)}
        self._check_numbers(ranges, frozenset())


DEFAULT_CONVERSATION_SETTINGS = ConversationSettings()


class Limits(_Frozen):
    """How much a knowledge file may hold before askbot refuses it, and when the index cache
    parses files in parallel: the bounds that keep a hostile or runaway file from costing
    unbounded time or memory (``askbot.knowledge``).

    A knowledge file is four lists and mappings deep (file, entries, entry, alternates); extra
    source fields may nest a little. Deeper files are refused before anything recurses over them.
    """

    max_file_bytes: int = 20 * 1024 * 1024
    #: A PDF or Word file ``askbot ingest`` reads (images make them large; their text must
    #: still fit ``max_file_bytes``).
    max_document_bytes: int = 100 * 1024 * 1024
    #: ``askbot ingest URL``: the whole fetch, connecting included, in seconds.
    fetch_seconds: float = 30.0
    #: In one file, and in all the files loaded together.
    max_entries: int = 100_000
    max_field_chars: int = 100_000
    max_depth: int = 20
    #: Values (texts, lists, mappings) in one file: a 100,000-entry file with alternates fits.
    max_nodes: int = 2_000_000
    #: Parsing files in worker processes pays for starting them from about this much text.
    parallel_chars: int = 8_000_000
    #: The sentence model embeds each answer sentence by sentence (``askbot.matching.split``):
    #: at most this many sentences of one answer (the first ones: an answer opens with its
    #: gist; the longest answer of the ten interviews in ``benchmarks/interviews`` has 38) ...
    answer_sentences: int = 64
    #: ... and at most this many answer sentences in all, each answer's share cut alike when a
    #: base has more (200,000 rows of 384 floats are 300 MB in memory and in the cache file).
    answer_rows: int = 200_000
    #: A piece of fewer words ("Yes.", "Right.") says nothing alone: it goes with the next sentence.
    sentence_words: int = 3
    #: The texts (phrasings and answer sentences) ``askbot ask`` and the chat embed before they
    #: answer, when the cache has no embeddings of the knowledge: a minute and a half on two
    #: cores (``benchmarks/semantic_cost.py`` prints the rate: 223-232 texts a second on the
    #: reader-set interviews), which a folder of a hundred interviews or CLINC150's 15,000
    #: phrasings stays under. A larger base is answered by words alone, with one line saying
    #: so, until ``askbot index`` embeds it once: 100,000 entries are 300,000 texts, 20 minutes.
    embed_at_once: int = 20_000

    def _check(self) -> None:
        self._check_numbers({}, frozenset(name for name in self._types if name != "parallel_chars"))


DEFAULT_LIMITS = Limits()
