"""Fit the matcher's confidence model (the ``rank_*`` and ``confidence_*`` numbers of ``Settings``).

    pip install 'askbot[tune]'      # numpy and scipy, for this script only
    python benchmarks/fit_confidence.py --clinc150 CLINC150_DIR --banking77 BANKING77_DIR

Tune data only, never a test or report split:

- the tune half of the reader sets (``readers.py``): five interviews made into knowledge files
  by ``askbot ingest``, with their reader questions, and half the bundled interview's dev set;
- CLINC150 in the interview regime (one phrasing per intent, several seeded draws) asked its
  *val* questions and out-of-scope *val* and *train* ones, and with every training phrasing
  (its richest form) asked a sample of *val*;
- Banking77 in the interview regime, asked a held-out fifth of *train* (``oneshot.banking77``).

Two logistic regressions, as ``scoring`` uses them. The *rank* model weighs a candidate's
``scoring.FEATURES`` into a rank score: fitted on every gathered candidate of every answerable
question, right (1) or not (0), each question weighing one. The *confidence* model turns the
best candidate's rank score, its lead over the best other candidate (capped at
``confidence_lone``) and the log of the question's length into the probability that it is the
right answer: fitted on every question, the best candidate right (1) or not, out-of-scope ones
always 0. Each source weighs the same in both, whatever its size, so the few interviews count as
much as thousands of intent questions. The script prints the fitted numbers as ``Settings``
fields, and the tune split's utility at a few thresholds beside them: the threshold is the one
that maximises it.
"""

from __future__ import annotations

import argparse
import json
import math
import random
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
from scipy.optimize import minimize

from askbot import DEFAULT_SETTINGS, KnowledgeBase, Matcher
from askbot.matching import scoring
from askbot.matching.sentences import Pull
from askbot.matching.text import normalize
from askbot.model import Entry, Source
from oneshot import banking77, clinc150, intent_id
from readers import READ_SPLITS, Question, evaluate, reader_sets


class Sample(NamedTuple):
    """One question's gathered candidates: their features, which are right, and its length."""

    source: str
    #: Its knowledge base (the interview, for the reader sets), for cross-validation.
    group: str
    answerable: bool
    features: list[list[float]]
    right: list[bool]
    asked_as: list[str]
    length: int


#: (source, group, knowledge base, questions): the group is the interview, for the reader sets.
TrainingSet = tuple[str, str, KnowledgeBase, Sequence[Question]]


def training_sets(
    clinc: Path | None, banking: Path | None, draws: int, splits: Sequence[str] = ("tune",)
) -> list[TrainingSet]:
    """Every knowledge base of the training data with its questions: the reader sets of
    ``splits`` (``--splits``) and the public sets' training and validation parts."""
    found: list[TrainingSet] = []
    for split in splits:
        for reader_set in reader_sets(split):
            name = "dev set" if reader_set.name.startswith("dev set") else "interviews"
            found.append((name, f"{reader_set.name} ({split})", reader_set.knowledge, reader_set.questions))
    if clinc is not None:
        data = json.loads((clinc / "data_full.json").read_text(encoding="utf-8"))
        extra_oos = tuple(Question(frozenset(), u, "oos") for u, _ in data["oos_train"])
        for regime in clinc150(clinc, "val", list(range(draws))):
            found.append(("clinc150 one phrasing", regime.name, regime.knowledge, (*regime.questions, *extra_oos)))
        found.append(("clinc150 all phrasings", "clinc150 all", _all_phrasings(data), _sample(data, 1000)))
    if banking is not None:
        for regime in banking77(banking, "val", list(range(draws))):
            found.append(("banking77 one phrasing", regime.name, regime.knowledge, regime.questions))
    return found


def leave_out(found: list[TrainingSet], share: float, seed: int = 5) -> list[TrainingSet]:
    """Each set again with ``share`` of its entries taken out: the questions they answered are
    then out of scope, and near misses, worded like the interview and sharing its words, the
    hardest kind of question to turn away (the public sets' out-of-scope questions come from
    other domains). Learned from the data, not written as rules."""
    rng = random.Random(seed)
    held: list[TrainingSet] = []
    for name, group, knowledge, questions in found:
        gone = {entry.id for entry in knowledge if rng.random() < share}
        if not gone or len(gone) == len(knowledge):
            continue
        kept = KnowledgeBase(tuple(e for e in knowledge if e.id not in gone), knowledge.synonyms)
        asked = [q._replace(expected=q.expected - gone) if q.expected else q for q in questions]
        held.append((f"{name}, entries left out", group, kept, asked))
    return held


def own_questions(found: list[TrainingSet], most: int, seed: int = 7) -> list[TrainingSet]:
    """Each set's knowledge base asked its own entries' questions, word for word: a reader who
    asks exactly what the interviewer asked must get that entry, whatever else its answer or
    another's says. Readers' questions seldom match so closely, so without these the models
    would learn little of what an exact match is worth."""
    rng = random.Random(seed)
    asked: list[TrainingSet] = []
    for name, group, knowledge, _ in found:
        entries = list(knowledge)
        chosen = rng.sample(entries, min(most, len(entries)))
        questions = [Question(frozenset({entry.id}), entry.question, "own") for entry in chosen]
        asked.append((f"{name}, own questions", group, knowledge, questions))
    return asked


def _all_phrasings(data: dict[str, Any]) -> KnowledgeBase:
    by_intent: dict[str, list[str]] = {}
    for utterance, intent in data["train"]:
        by_intent.setdefault(intent, []).append(utterance)
    source = Source(title="CLINC150")
    return KnowledgeBase(
        tuple(
            Entry(id=intent_id(i), question=u[0], answer=f"intent: {i}", source=source, alternates=tuple(u[1:]))
            for i, u in sorted(by_intent.items())
        )
    )


def _sample(data: dict[str, Any], count: int) -> tuple[Question, ...]:
    rng = random.Random(150)
    asked = rng.sample(data["val"], count)
    return tuple(
        [Question(frozenset({intent_id(i)}), u, "in") for u, i in asked]
        + [Question(frozenset(), u, "oos") for u, _ in data["oos_val"]]
    )


def samples(name: str, group: str, matcher: Matcher, questions: Sequence[Question]) -> list[Sample]:
    """Each question's gathered candidates measured in full, as ``scoring.best`` measures its pool.

    With a sentence model (``matcher.semantic``), the candidates are those it widens the field
    with too, and each row is ``scoring.STACKED``: the lexical model's rank score and presence
    logit (``Settings`` as they are) and what the model hears of the candidate."""
    index, settings, semantic = matcher.index, matcher.settings, matcher.semantic
    lexical = scoring.Model.of(settings)
    found = []
    if semantic is not None:
        matcher.prepare([question.text for question in questions])
    for question in questions:
        query = matcher._analyze(question.text)
        if not query.terms or query.total <= 0:
            found.append(Sample(name, group, question.answerable, [], [], [], 0))
            continue
        candidates = scoring.gather(query, index, settings)
        pulls: dict[int, Pull] = {}
        if semantic is not None:
            candidates, pulls = semantic.widen(query.corrected, candidates, settings)
        chances = scoring.posteriors(query, index, settings, candidates)
        rows = [
            scoring.complete(query, index, settings, scoring.measure(query, index, settings, n, chance))
            for n, chance in zip(candidates, chances, strict=True)
        ]
        scoring.unique(rows)
        if semantic is not None:
            rows = [
                [*lexical.weigh(query, row), *scoring.heard(pulls.get(n))]
                for n, row in zip(candidates, rows, strict=True)
            ]
        right = [index.entries[n].id in question.expected for n in candidates]
        asked_as = [normalize(index.entries[n].question) for n in candidates]
        found.append(Sample(name, group, question.answerable, rows, right, asked_as, query.length))
    return found


# Which way each feature may weigh: more of the question found (+1) can only speak for an entry,
# more of it missing or a contradiction (-1) only against it. Without these bounds, features
# that move together (the question's words found in its one phrasing, or in any phrasing) take
# large weights of opposite signs, which fit the data seen and nothing else.
SIGNS = {
    "asked": 1, "whole": 1, "phrasing": 1, "said": 1, "answer": 1, "sentence": 1, "uncovered": -1, "unmatched": -1,
    "missing": -1, "closeness": 1, "spoken": 1, "posterior": 1, "kind": -1, "opposite": -1, "downside": -1,
    "negation": -1, "name": -1, "figure": -1, "wordless": -1, "informative": 1,
}  # fmt: skip
# The same for ``scoring.STACKED``: the lexical scores, and the sentence model nearer the question.
SEMANTIC_SIGNS = dict.fromkeys(scoring.STACKED, 1)


class Model(NamedTuple):
    """Which model is fitted: its features, their signs, and its ``Settings`` fields' prefix."""

    features: tuple[str, ...]
    signs: dict[str, int]
    prefix: str


LEXICAL = Model(scoring.FEATURES, SIGNS, "")
SEMANTIC = Model(scoring.STACKED, SEMANTIC_SIGNS, "semantic_")

#: How strongly the weights are pulled towards 0: an L2 penalty per unit of total sample weight,
#: for the rank model (``--rank-penalty``) and for the presence and pair models (``--penalty``).
DEFAULT_PENALTY = 0.001


class Penalties(NamedTuple):
    """The L2 penalties: the rank model's orders the candidates, so a strong one reorders them;
    the confidence's (presence and pair) only spreads or narrows the probabilities."""

    rank: float
    confidence: float


def logistic(
    rows: np.ndarray, labels: np.ndarray, weights: np.ndarray, signs: list[int], penalty: float
) -> tuple[np.ndarray, float]:
    """A weighted logistic regression whose coefficients keep the given signs (0: either),
    fitted by L-BFGS-B with an L2 ``penalty``: coefficients, then the intercept."""
    weights = weights / weights.sum()
    ys = labels.astype(float)

    def loss(params: np.ndarray) -> tuple[float, np.ndarray]:
        coef, bias = params[:-1], params[-1]
        z = rows @ coef + bias
        p = 1 / (1 + np.exp(-np.clip(z, -30, 30)))
        eps = 1e-12
        value = -np.sum(weights * (ys * np.log(p + eps) + (1 - ys) * np.log(1 - p + eps))) + penalty * coef @ coef
        grad_z = weights * (p - ys)
        return value, np.append(rows.T @ grad_z + 2 * penalty * coef, grad_z.sum())

    bounds = [(0, None) if sign > 0 else (None, 0) if sign < 0 else (None, None) for sign in signs] + [(None, None)]
    found = minimize(loss, np.zeros(rows.shape[1] + 1), jac=True, method="L-BFGS-B", bounds=bounds)
    return found.x[:-1], float(found.x[-1])


def fit_rank(data: list[Sample], readers: float, model: Model, penalty: float) -> tuple[np.ndarray, float]:
    """The rank model's weights (in the model's features' order) and bias."""
    rows, labels, weights = [], [], []
    per_source = _per_source((s for s in data if any(s.right)), readers)
    for sample in data:
        if not any(sample.right):
            continue
        share = per_source[sample.source] / len(sample.features)
        rows += sample.features
        labels += sample.right
        weights += [share] * len(sample.features)
    signs = [model.signs[name] for name in model.features]
    return logistic(np.array(rows), np.array(labels), np.array(weights), signs, penalty)


class Top(NamedTuple):
    """A question's best candidate, as ``scoring.judge`` sees it: the presence model's inputs
    (its rank score, the log of the question's length, its features), its lead over its rival,
    whether it is right, and whether the rival is."""

    source: str
    row: list[float]
    lead: float
    right: bool
    rival_right: bool


def tops(data: list[Sample], coef: np.ndarray, bias: float, lone: float) -> list[Top]:
    """Each question's best candidate; a question nothing was gathered for is left out (askbot
    cannot answer it)."""
    found = []
    for sample in data:
        if not sample.features:
            continue
        scores = [float(np.dot(coef, row) + bias) for row in sample.features]
        best = max(range(len(scores)), key=lambda k: scores[k])
        others = [k for k in range(len(scores)) if k != best and sample.asked_as[k] != sample.asked_as[best]]
        rival = max(others, key=lambda k: scores[k]) if others else None
        lead = lone if rival is None else min(scores[best] - scores[rival], lone)
        row = [scores[best], math.log1p(sample.length), *sample.features[best]]
        found.append(Top(sample.source, row, lead, sample.right[best], rival is not None and sample.right[rival]))
    return found


def confidence_parts(
    top: Top, presence: tuple[np.ndarray, float], pair: tuple[np.ndarray, float]
) -> tuple[float, float]:
    """``scoring.judge``'s probability that a best candidate is the answer, as its two factors:
    the presence model's logit and the pair model's probability (their product, once the logit
    is turned into a probability, is the confidence)."""
    (weights, bias), (lead_weight, lead_bias) = presence, pair
    return float(np.dot(weights, top.row)) + bias, _logistic(float(lead_weight[0]) * top.lead + lead_bias)


def _logistic(x: float) -> float:
    return 1 / (1 + math.exp(-max(min(x, 30.0), -30.0)))


def rank_accuracy(data: list[Sample], coef: np.ndarray, bias: float) -> list[tuple[str, float, int]]:
    """Per source, the share of answerable questions whose best-ranked candidate is right."""
    right: dict[str, list[bool]] = {}
    for sample in data:
        if not sample.answerable:
            continue
        hit = False
        if sample.features:
            scores = [float(np.dot(coef, row) + bias) for row in sample.features]
            hit = sample.right[max(range(len(scores)), key=lambda k: scores[k])]
        right.setdefault(sample.source, []).append(hit)
    return [(source, sum(hits) / len(hits), len(hits)) for source, hits in right.items()]


def cross_validate(
    data: list[Sample],
    readers: float,
    lone: float,
    model: Model,
    penalties: Penalties,
    threshold: float,
    shift: float,
) -> None:
    """Fit without each tune interview in turn and judge its questions: how the models do on an
    interview they never saw, the way to choose ``--readers``, ``--penalty`` and ``--shift``.

    Printed: the utility at several thresholds (with ``shift``), then at ``threshold`` (the one
    ``Settings`` holds, which the lexical and the stacked model share) with the presence logit
    shifted by several amounts: the shift that is best there is the one to fit with."""
    folds = sorted({s.group for s in data if s.source == "interviews"})
    outcomes: list[tuple[float, float, bool, bool]] = []  # (presence logit, pair, answerable, best right)
    for fold in folds:
        train = [s for s in data if s.group != fold]
        coef, bias = fit_rank(train, readers, model, penalties.rank)
        presence, pair = fit_confidence(tops(train, coef, bias, lone), readers, model, penalties.confidence)
        test = [s for s in data if s.group == fold and s.source == "interviews"]
        for sample in test:
            if not sample.features:
                outcomes.append((-math.inf, 0.0, sample.answerable, False))
                continue
            (top,) = tops([sample], coef, bias, lone)
            outcomes.append((*confidence_parts(top, presence, pair), sample.answerable, top.right))
    answerable = sum(1 for *_, a, _ in outcomes if a)
    oos = len(outcomes) - answerable

    def line(cut: float, by: float) -> str:
        judged = [(_logistic(logit + by) * pair if logit > -math.inf else 0.0, a, r) for logit, pair, a, r in outcomes]
        right = sum(1 for p, a, r in judged if a and r and p >= cut)
        wrong = sum(1 for p, a, r in judged if p >= cut and not (a and r))
        rejected = sum(1 for p, a, _ in judged if not a and p < cut)
        utility = (right - 2 * wrong + rejected) / len(judged)
        return (
            f"answered right {right / answerable:.1%}, out of scope rejected {rejected / max(oos, 1):.1%}, "
            f"wrong answers {wrong}, utility {utility:.3f}"
        )

    print(f"# left-out interviews ({len(folds)} folds): {answerable} answerable, {oos} out of scope")
    for cut in (0.3, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7):
        print(f"  threshold {cut:.0%}, shift {shift:+.1f}: {line(cut, shift)}")
    for by in np.arange(-0.2, 1.21, 0.1):
        print(f"  threshold {threshold:.0%}, shift {by:+.1f}: {line(threshold, float(by))}")


def fit_confidence(
    best: list[Top], readers: float, model: Model, penalty: float
) -> tuple[tuple[np.ndarray, float], tuple[np.ndarray, float]]:
    """The presence model (is the answer the best candidate or its rival?), fitted on every
    question, and the pair model (is it the best rather than the rival, by the lead?), fitted on
    those whose answer is one of the two, each pair seen both ways round."""
    per_source = _per_source(best, readers)
    rows = np.array([top.row for top in best])
    present = np.array([top.right or top.rival_right for top in best])
    weights = np.array([per_source[top.source] for top in best])
    signs = [1, 0, *(model.signs[name] for name in model.features)]  # rank score; length either way
    presence = logistic(rows, present, weights, signs, penalty)
    pairs = [top for top in best if top.right or top.rival_right]
    leads = np.array([[top.lead] for top in pairs] + [[-top.lead] for top in pairs])
    won = np.array([top.right for top in pairs] + [top.rival_right for top in pairs])
    pair_weights = np.array([per_source[top.source] for top in pairs] * 2)
    return presence, logistic(leads, won, pair_weights, [1], penalty)


SETTINGS = Path(__file__).resolve().parents[1] / "src" / "askbot" / "settings.py"


def write_settings(fitted: dict[str, float]) -> None:
    """Replace the defaults of these ``Settings`` fields in ``settings.py`` (one line each)."""
    lines = SETTINGS.read_text(encoding="utf-8").splitlines(keepends=True)
    for at, line in enumerate(lines):
        name = line.strip().split(":")[0]
        if name in fitted and line.startswith(f"    {name}: float = "):
            lines[at] = f"    {name}: float = {fitted[name]}\n"
    SETTINGS.write_text("".join(lines), encoding="utf-8")


# The reader sets' sources, which weigh ``--readers`` times a public set.
READERS = {"interviews", "dev set"}


def _per_source(items: Iterable[Any], readers: float) -> dict[str, float]:
    """Each source's weight per item, so every source weighs the same in all (the reader sets
    ``readers`` times as much)."""
    counts: dict[str, int] = {}
    for item in items:
        source = item.source
        counts[source] = counts.get(source, 0) + 1
    return {source: (readers if source.split(",")[0] in READERS else 1.0) / count for source, count in counts.items()}


def flag_table(best: list[Top], sources: set[str]) -> list[tuple[str, int, int]]:
    """Per contradiction flag, how many of the given sources' best candidates it marks are right
    and wrong: the evidence for ``Settings.contradicted_cap``, which makes such a candidate a
    "did you mean" at most (too few carry a flag for the fit to weigh them)."""
    at = {
        name: scoring.FEATURES.index(name) + 2
        for name in ("kind", "opposite", "downside", "negation", "name", "figure")
    }
    counts = []
    for name, k in at.items():
        marked = [top.right for top in best if top.source in sources and top.row[k]]
        counts.append((name, sum(marked), len(marked) - sum(marked)))
    return counts


class _Memo:
    """An encoder that embeds each text once: the tune sets ask the same questions of several
    knowledge bases (seeded draws, entries left out)."""

    def __init__(self, encoder: Any) -> None:
        self.encoder, self.name = encoder, encoder.name
        self.rows: dict[str, Any] = {}

    def encode(self, texts: Sequence[str], *, progress: Any = None) -> Any:
        fresh = [text for text in dict.fromkeys(texts) if text not in self.rows]
        if fresh:
            self.rows.update(zip(fresh, self.encoder.encode(fresh, progress=progress), strict=True))
        return np.stack([self.rows[text] for text in texts]) if texts else np.zeros((0, 384), dtype=np.float32)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--clinc150", type=Path, help="folder holding CLINC150's data_full.json")
    parser.add_argument("--banking77", type=Path, help="folder holding Banking77's train.csv")
    parser.add_argument("--draws", type=int, default=3, help="seeded one-phrasing draws of each public set")
    parser.add_argument(
        "--splits",
        nargs="+",
        default=["tune"],
        choices=READ_SPLITS,
        help="the reader sets to fit on: tune, and splits already read and reported",
    )
    parser.add_argument("--threshold", type=float, help="also set Settings.threshold to this")
    parser.add_argument("--leave-out", type=float, default=0.2, help="share of entries taken out for near misses")
    parser.add_argument("--readers", type=float, default=1.0, help="weight of the reader sets beside a public set")
    parser.add_argument("--cross-validate", action="store_true", help="leave each tune interview out in turn")
    parser.add_argument("--write", action="store_true", help="write the fitted numbers into src/askbot/settings.py")
    parser.add_argument(
        "--penalty", type=float, default=DEFAULT_PENALTY, help="the L2 penalty on the presence and pair models' weights"
    )
    parser.add_argument(
        "--rank-penalty", type=float, default=DEFAULT_PENALTY, help="the L2 penalty on the rank model's weights"
    )
    parser.add_argument(
        "--shift",
        type=float,
        default=0.0,
        help="added to the fitted presence model's bias, so that the threshold both models share suits this one",
    )
    parser.add_argument("--own", type=int, default=100, help="entries of each set asked their own question")
    parser.add_argument(
        "--semantic", action="store_true", help="fit the sentence model's stacked model (semantic_*) on the lexical one"
    )
    args = parser.parse_args()
    penalties = Penalties(args.rank_penalty, args.penalty)
    base = DEFAULT_SETTINGS
    model = SEMANTIC if args.semantic else LEXICAL
    encoder = None
    if args.semantic:
        from askbot.semantic import DEFAULT_MODEL, load_encoder

        encoder = _Memo(load_encoder(DEFAULT_MODEL))
    sides: dict[int, Any] = {}

    def matcher(knowledge: KnowledgeBase, settings: Any) -> Matcher:
        if encoder is None:
            return Matcher(knowledge, settings=settings)
        if id(knowledge) not in sides:
            from askbot.semantic import Semantic

            sides[id(knowledge)] = Semantic(knowledge, encoder)
        return Matcher(knowledge, settings=settings, semantic=sides[id(knowledge)])

    data: list[Sample] = []
    sets = training_sets(args.clinc150, args.banking77, args.draws, list(dict.fromkeys(args.splits)))
    sets += leave_out(sets, args.leave_out) + own_questions(sets, args.own)
    for name, group, knowledge, questions in sets:
        data += samples(name, group, matcher(knowledge, base), questions)
    if args.cross_validate:
        cross_validate(data, args.readers, base.confidence_lone, model, penalties, base.threshold / 100, args.shift)
        return
    coef, bias = fit_rank(data, args.readers, model, penalties.rank)
    best = tops(data, coef, bias, base.confidence_lone)
    print("# the rank model's best candidate right, answerable questions (training data):")
    for source, rate, count in rank_accuracy(data, coef, bias):
        print(f"  {source}: {rate:.1%} of {count}")
    if model is LEXICAL:
        print("# best candidates a contradiction marks, reader sets (training data): right / wrong")
        readers = {name for name, *_ in sets if name.startswith("interviews")}
        for name, right, wrong in flag_table(best, readers):
            print(f"  {name}: {right} / {wrong}")
    (conf, conf_bias), (lead_weight, lead_bias) = fit_confidence(best, args.readers, model, penalties.confidence)
    prefix = model.prefix
    fitted: dict[str, float] = {f"{prefix}rank_bias": round(bias, 4)}
    fitted.update({f"{prefix}rank_{name}": round(float(c), 4) for name, c in zip(model.features, coef, strict=True)})
    fitted.update(
        {
            f"{prefix}confidence_bias": round(conf_bias + args.shift, 4),
            f"{prefix}confidence_score": round(float(conf[0]), 4),
            f"{prefix}confidence_length": round(float(conf[1]), 4),
            f"{prefix}pair_bias": round(lead_bias, 4),
            f"{prefix}pair_lead": round(float(lead_weight[0]), 4),
        }
    )
    named = zip(model.features, conf[2:], strict=True)
    fitted.update({f"{prefix}confidence_{name}": round(float(c), 4) for name, c in named})
    if args.threshold is not None:
        fitted["threshold"] = args.threshold
    print("# fitted:")
    for name, value in fitted.items():
        print(f"    {name}: float = {value}")
    if args.write:
        write_settings(fitted)
    settings = base.replace(**fitted)
    print("\n# training data's utility by threshold (right +1, withheld 0, wrong -2):")
    for threshold in (30, 40, 50, 55, 60, 70):
        by_source: dict[str, list[float]] = {}
        for name, _, knowledge, questions in sets:
            tally = evaluate(matcher(knowledge, settings.replace(threshold=threshold)), questions)
            right, _, rejected = tally.rates()
            by_source.setdefault(name, []).append(tally.utility / max(tally.total, 1))
            by_source.setdefault(f"{name} right", []).append(right)
            by_source.setdefault(f"{name} rejected", []).append(rejected)
        shown = ", ".join(f"{k} {sum(v) / len(v):.3f}" for k, v in by_source.items())
        print(f"  threshold {threshold}: {shown}")


if __name__ == "__main__":
    main()
