"""Never confidently wrong: opposites, negation, names, figures and real words, on an interview
that is not the bundled one, and each scoring step on its own."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from askbot import DEFAULT_SETTINGS, Matcher, Settings, bundled_path, load
from askbot.matching.index import build_index
from askbot.matching.query import Analyzer
from askbot.matching.scoring import FEATURES, best, complete, gather, measure, posteriors

INTERVIEW = """\
source: {title: "Working from Lisbon", interviewee: Rita Alves}
entries:
  - id: remote-benefits
    question: What are the benefits of remote work for your team?
    answer: People choose their hours, and we hire from anywhere.
    alternates: [Why do you like remote work?, What does remote work give your team?]
  - id: why-lisbon
    question: Why did you move the company to Lisbon?
    answer: The light, the people and the time zone.
    alternates: [Why Lisbon?, What made Lisbon the right choice?]
  - id: other-cities
    question: Madrid, Berlin, Porto and Prague all courted startups. What set Lisbon apart for you?
    answer: Lisbon answered our emails first.
  - id: team-size
    question: How big is the team now?
    answer: We are 140 people in nine countries.
    alternates: [How many people work at the company?]
  - id: hiring-process
    question: How do you hire engineers?
    answer: A paid trial week, then a conversation with the whole team.
    alternates: [What is your hiring process for engineers?]
  - id: office-return
    question: Will you ever go back to an office?
    answer: Only for the yearly meetup.
"""


@pytest.fixture(scope="module")
def interview(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("kb") / "lisbon.yaml"
    path.write_text(INTERVIEW, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def matcher(interview: Path) -> Matcher:
    return Matcher(load([interview]))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("what are the advantages of remote work", "remote-benefits"),
        ("why lisbon", "why-lisbon"),
        ("how many people are on the team", "team-size"),
        ("how do you hire enginers", "hiring-process"),
        ("what set lisbon apart from the other cities", "other-cities"),
    ],
    ids=["synonym-free-paraphrase", "keywords", "figure-given", "typo", "names-it-centres-on"],
)
def test_still_answers_what_it_covers(matcher: Matcher, query: str, expected: str) -> None:
    match = matcher.match(query)
    assert match.entry is not None and match.entry.id == expected, match.why


@pytest.mark.parametrize(
    ("query", "opposite_of"),
    [
        ("what are the drawbacks of remote work for your team", "remote-benefits"),
        ("what are the disadvantages of remote work", "remote-benefits"),
        ("what are the risks of remote work", "remote-benefits"),
        ("why not lisbon", "why-lisbon"),
        ("why didn't you move the company to lisbon", "why-lisbon"),
    ],
    ids=["drawbacks", "dis-prefix", "risks", "why-not", "didnt"],
)
def test_the_opposite_question_is_a_did_you_mean_at_most(matcher: Matcher, query: str, opposite_of: str) -> None:
    match = matcher.match(query)
    assert match.entry is None, f"answered {match.entry} for {query!r}"
    assert match.score < matcher.threshold
    assert match.why is not None and match.why.penalties


def test_a_name_listed_in_passing_is_not_the_subject(matcher: Matcher) -> None:
    match = matcher.match("tell me about porto")
    assert match.entry is None
    assert match.why is not None and any("porto" in penalty for penalty in match.why.penalties)


def test_how_many_needs_an_answer_with_a_figure(matcher: Matcher) -> None:
    assert matcher.match("how many engineers do you hire each year").entry is None
    found = matcher.match("how many people work at the company")
    assert found.entry is not None and found.entry.id == "team-size"


def test_a_real_word_is_not_corrected_into_another(matcher: Matcher) -> None:
    analyze = Analyzer(matcher.index, matcher.settings)
    assert analyze.correct("compnay") == "company"  # not a word: a typo of the interview's own
    assert analyze.correct("lisbn") == "lisbon"  # names stay correctable targets
    assert analyze.correct("counted") == "counted"  # a word, though one letter from "courted"
    match = matcher.match("which startups counted")
    assert match.why is not None and "counted" in match.why.unmatched


def test_why_names_matched_and_unmatched_words(matcher: Matcher) -> None:
    match = matcher.match("why did you move the company to lisbon and not to mars")
    assert match.why is not None
    assert {"move", "company", "lisbon"} <= set(match.why.matched)
    assert "mars" in match.why.unmatched


def test_settings_are_passed_not_patched(interview: Path) -> None:
    kb = load([interview])
    strict = Matcher(kb, settings=DEFAULT_SETTINGS.replace(threshold=99))
    assert strict.threshold == 99 and strict.match("why lisbon").entry is None
    assert Matcher(kb).match("why lisbon").entry is not None
    assert Matcher(kb).match("why lisbon", score_cutoff=99).entry is None


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"threshold": math.nan}, ValueError),
        ({"threshold": 101}, ValueError),
        ({"english_common": 0.9, "english_rare": 0.1}, ValueError),
        ({"pool": 0}, ValueError),
        ({"pool": 1.5}, TypeError),
        ({"background_odds": 0}, ValueError),
        ({"pair_lead": -5}, ValueError),
        ({"rarity_power": "x"}, TypeError),
    ],
    ids=["nan", "over-100", "bounds-crossed", "empty-pool", "fractional-pool", "zero-odds", "negative", "str"],
)
def test_settings_refuse_nonsense(changes: dict[str, object], error: type[Exception]) -> None:
    with pytest.raises(error):
        Settings(**changes)  # type: ignore[arg-type]


def test_an_index_of_another_knowledge_base_is_refused(interview: Path) -> None:
    with pytest.raises(ValueError, match="another knowledge base"):
        Matcher(load(), index=Matcher(load([interview])).index)


def test_settings_are_keyword_only() -> None:
    with pytest.raises(TypeError):
        Settings(30.0)  # type: ignore[call-arg]


@pytest.mark.parametrize("query", [None, b"why lisbon", 42])
def test_match_refuses_what_is_not_text(matcher: Matcher, query: object) -> None:
    with pytest.raises(TypeError, match="query must be a str"):
        matcher.match(query)  # type: ignore[arg-type]


def test_match_refuses_a_nan_cutoff(matcher: Matcher) -> None:
    with pytest.raises(ValueError, match="score_cutoff"):
        matcher.match("why lisbon", score_cutoff=math.nan)


def test_each_step_alone(interview: Path) -> None:
    """gather -> posteriors -> measure -> best, as the matcher runs them."""
    index = build_index(load([interview]), DEFAULT_SETTINGS)
    query = Analyzer(index, DEFAULT_SETTINGS)("why did you move to lisbon")
    candidates = gather(query, index, DEFAULT_SETTINGS)
    positions = {entry.id: n for n, entry in enumerate(index.entries)}
    assert positions["why-lisbon"] in candidates and positions["team-size"] not in candidates
    chances = posteriors(query, index, DEFAULT_SETTINGS, candidates)
    assert 0 < sum(chances) <= 1 and max(chances) == chances[candidates.index(positions["why-lisbon"])]
    at = candidates.index(positions["why-lisbon"])
    found = complete(
        query, index, DEFAULT_SETTINGS, measure(query, index, DEFAULT_SETTINGS, candidates[at], chances[at])
    )
    assert len(found) == len(FEATURES) and found[FEATURES.index("asked")] > 0.5
    judged = best(query, index, DEFAULT_SETTINGS, candidates, chances, {}, len(candidates))
    assert judged[0].position == positions["why-lisbon"] and judged[0].score >= DEFAULT_SETTINGS.threshold
    assert all(0 <= s.score <= 100 for s in judged)
    assert [s.rank for s in judged] == sorted((s.rank for s in judged), reverse=True)


def test_a_rival_near_the_best_lowers_its_confidence(interview: Path) -> None:
    """The confidence is the presence times the pair: with its rival removed from the field, the
    same candidate is judged as if alone (``Scored.alone``), never lower."""
    kb = load([bundled_path(), Path(__file__).parent / "data" / "lena-hoffmann-2019.yaml"])
    index = build_index(kb, DEFAULT_SETTINGS)
    analyze = Analyzer(index, DEFAULT_SETTINGS)
    questions = [text for entry in index.entries for text in (entry.question, *entry.alternates)]
    questions += [" ".join(text.split()[1:]) for text in questions]
    for question in questions:
        query = analyze(question)
        candidates = gather(query, index, DEFAULT_SETTINGS)
        if not candidates:
            continue
        chances = posteriors(query, index, DEFAULT_SETTINGS, candidates)
        judged = best(query, index, DEFAULT_SETTINGS, candidates, chances, {}, 12, explain=1)
        lead = judged[0]
        assert lead.score <= lead.alone + 0.05, question
        assert all(not s.why.matched for s in judged[1:]), question
