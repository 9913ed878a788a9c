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
        return hash(tuple(self.as_dict().values()))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self.as_dict().items())})"


class Settings(_Frozen):
    """How the matcher weighs evidence and when it answers.

    >>> DEFAULT_SETTINGS.replace(threshold=50).threshold
    50.0
    >>> Settings(threshold=101)
    Traceback (most recent call last):
    ...
    ValueError: threshold must be from 0 to 100, not 101
    """

    #: Confidence (0-100) at or above which askbot answers.
    threshold: float = 30.0
    #: Candidates this many points under the threshold become "did you mean" suggestions.
    suggest_below: float = 10.0
    #: A runner-up this close to the best makes askbot ask instead of guessing.
    margin: float = 2.0

    # What a query term found in each part of an entry is worth (1 = every phrasing uses it).
    phrasing_base: float = 0.2
    frac_gain: float = 3.0
    tag_strength: float = 0.7
    answer_strength: float = 0.4

    #: A query word weighs its rarity (idf) to this power: above 1, a rare word the entry lacks
    #: outweighs several common words it has.
    rarity_power: float = 1.5
    # How much a query word counts: a function word ("what", "is") and a corrected typo weigh
    # this share of an ordinary word of the same rarity.
    stopword_weight: float = 0.2
    corrected_weight: float = 0.8
    #: The weight of the kind of answer a question asks for ("how many", "when", "who", "where")
    #: when the entry never asks for that kind, as a share of the rarest word's weight.
    question_kind_weight: float = 0.5

    # How the confidence blends its three parts (they sum to 1).
    coverage_share: float = 0.6
    posterior_share: float = 0.2
    closeness_share: float = 0.2
    #: Additive smoothing of the naive-Bayes term probabilities.
    nb_alpha: float = 0.3
    #: Prior odds that a question was asked of none of the candidates but in the knowledge base's
    #: words at large: the posterior's share for "none of these".
    background_odds: float = 1.0

    #: An entry the question contradicts ("disadvantages" against "advantages", "why not" against
    #: "why") scores at most this many points under the threshold: a "did you mean" at best.
    contradiction_gap: float = 5.0

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

    # The semantic extra (``askbot.semantic``): a sentence-embedding cosine at or below the floor
    # counts 0, at the ceiling 100. Where it is above the lexical score it lifts the score by
    # ``semantic_weight`` of the difference, where below it lowers it by ``semantic_drag`` (and
    # ``semantic_rival_drag``): a strong lexical match (a keyword, a typo) keeps most of its score.
    semantic_weight: float = 0.6
    semantic_drag: float = 0.1
    semantic_floor: float = 0.42
    semantic_ceiling: float = 0.9
    #: A candidate's cosine loses this much for each unit another entry is nearer the question:
    #: the sentence model speaks for the entry the question is nearest to, not for every entry on
    #: the same topic (when the nearest is contradicted, the others gain nothing from it).
    semantic_rivalry: float = 2.0
    #: The drag grows by this much for each unit of cosine another entry is nearer the question
    #: (at most a full pull down to the closeness): a lexically strong entry keeps its score when
    #: the model hears nothing nearer, less of it when the model hears the question as another
    #: entry's. On CLINC150 val it turns away out-of-scope questions that ride on shared words
    #: (recall 82 -> 86, in-scope 90.8 -> 90.9); from 1.0 the dev set loses in-scope answers.
    semantic_rival_drag: float = 0.5
    #: Entries nearest by cosine added to the lexical candidates.
    semantic_pool: int = 12
    #: An entry's cosine is the mean over its phrasings nearest the question, as many as this share
    #: of them (at least one): the nearest of a hundred phrasings is often near by chance (an
    #: out-of-scope question finds one), its three nearest rarely are; an entry of a question and
    #: a few alternates is judged by its nearest, as before.
    semantic_share: float = 0.03

    #: The fields that only judge a finished score: an index built with other values of them is
    #: the same index (the cache shares it, ``Matcher`` accepts it).
    VERDICT_FIELDS: ClassVar[frozenset[str]] = frozenset({"threshold", "suggest_below", "margin"})

    def index_fields(self) -> dict[str, Any]:
        """The fields an index built with these settings depends on (all but ``VERDICT_FIELDS``),
        in declaration order: what an index records, and what a matcher must agree with."""
        return {name: value for name, value in self.as_dict().items() if name not in self.VERDICT_FIELDS}

    def _check(self) -> None:
        self._check_numbers(_RANGES, _POSITIVE)
        if abs(self.coverage_share + self.posterior_share + self.closeness_share - 1) > 1e-9:
            raise ValueError("coverage_share, posterior_share and closeness_share must sum to 1")
        if self.semantic_floor >= self.semantic_ceiling:
            raise ValueError("semantic_floor must be below semantic_ceiling")


# Bounds of the numbers that are not just "zero or more"; ``_POSITIVE`` ones must be above zero.
_RANGES = {
    "threshold": (0.0, 100.0),
    "suggest_below": (0.0, 100.0),
    "margin": (0.0, 100.0),
    "contradiction_gap": (0.0, 100.0),
    "phrasing_base": (0.0, 1.0),
    "tag_strength": (0.0, 1.0),
    "answer_strength": (0.0, 1.0),
    "stopword_weight": (0.0, 1.0),
    "corrected_weight": (0.0, 1.0),
    "coverage_share": (0.0, 1.0),
    "posterior_share": (0.0, 1.0),
    "closeness_share": (0.0, 1.0),
    "common_share": (0.0, 1.0),
    "related_share": (0.0, 1.0),
    "semantic_weight": (0.0, 1.0),
    "semantic_drag": (0.0, 1.0),
    "semantic_floor": (0.0, 1.0),
    "semantic_ceiling": (0.0, 1.0),
    "semantic_pool": (1, math.inf),
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
_POSITIVE = frozenset({"nb_alpha", "background_odds", "rarity_power", "typo_rarity_ratio"})

DEFAULT_SETTINGS = Settings()


class ConversationSettings(_Frozen):
    """How a turn of conversation reads a line and what it shows, in the chat and ``askbot ask``
    alike (the matcher's numbers are the matcher's).

    ``tie_margin``: when the best answers of two interviews are this many points apart or less
    and both clear the threshold, askbot asks whose answer the reader wants instead of picking
    one silently; wider than the matcher's ``margin`` because two interviews asked the same
    question score close, but seldom within a point or two.
    """

    tie_margin: float = 10.0
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

    def _check(self) -> None:
        percents = ("tie_margin", "name_cutoff", "quote_cutoff", "quote_overlap")
        self._check_numbers(dict.fromkeys(percents, (0.0, 100.0)), frozenset())


DEFAULT_CONVERSATION_SETTINGS = ConversationSettings()


class Limits(_Frozen):
    """How much a knowledge file may hold before askbot refuses it, and when the index cache
    parses files in parallel: the bounds that keep a hostile or runaway file from costing
    unbounded time or memory (``askbot.knowledge``).

    A knowledge file is four lists and mappings deep (file, entries, entry, alternates); extra
    source fields may nest a little. Deeper files are refused before anything recurses over them.
    """

    max_file_bytes: int = 20 * 1024 * 1024
    #: In one file, and in all the files loaded together.
    max_entries: int = 100_000
    max_field_chars: int = 100_000
    max_depth: int = 20
    #: Values (texts, lists, mappings) in one file: a 100,000-entry file with alternates fits.
    max_nodes: int = 2_000_000
    #: Parsing files in worker processes pays for starting them from about this much text.
    parallel_chars: int = 8_000_000

    def _check(self) -> None:
        self._check_numbers({}, frozenset(name for name in self._types if name != "parallel_chars"))


DEFAULT_LIMITS = Limits()
