"""Property tests: any question is safe to ask, and any accepted file is answered from verbatim.

Hypothesis generates the inputs no one thinks to write by hand: lone surrogates, combining
marks, control characters, huge pastes, knowledge files with odd but valid text.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from askbot import KnowledgeError, Matcher, check, load
from askbot.conversation.render import answer_text, match_dict, safe
from askbot.knowledge.files import ID_PATTERN

MATCHER = Matcher(load())
VOCABULARY = sorted({word for entry in MATCHER.knowledge for word in entry.question.split()})

# Every code point, surrogates and controls included: what a library caller may pass.
ANY_CHAR = st.characters(exclude_categories=())
questions = st.one_of(
    st.text(ANY_CHAR, max_size=300),
    st.lists(st.sampled_from(VOCABULARY), max_size=30).map(" ".join),
    st.lists(st.one_of(st.sampled_from(VOCABULARY), st.text(ANY_CHAR, max_size=5)), max_size=40).map(" ".join),
    st.text(ANY_CHAR, min_size=5_000, max_size=20_000),
)

# Slow enough to fail a regression (a full scan, a quadratic step), far above a normal query.
BOUND_SECONDS = 0.5


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(question=questions, limit=st.integers(min_value=1, max_value=10))
def test_any_question_gets_a_match_or_none_quickly_and_the_same_twice(question: str, limit: int) -> None:
    start = time.perf_counter()
    first = MATCHER.match(question, limit=limit)
    elapsed = time.perf_counter() - start
    assert elapsed < BOUND_SECONDS, f"{elapsed:.3f}s for {question[:80]!r}"
    again = MATCHER.match(question, limit=limit)
    assert (first.entry, first.score, first.alternatives, first.follow_ups) == (
        again.entry,
        again.score,
        again.alternatives,
        again.follow_ups,
    )
    assert 0 <= first.score <= 100
    assert len(first.follow_ups) <= limit and len(first.alternatives) <= limit
    best = MATCHER.extract_one(question)
    assert best is None or (0 <= best.score <= 100 and best.entry.id in MATCHER.knowledge)
    json.dumps(match_dict(first))
    answer_text(first)


text_field = st.text(
    st.characters(exclude_categories=("Cs",), exclude_characters="\x00"),
    min_size=1,
    max_size=200,
).filter(str.strip)
entry_ids = st.from_regex(ID_PATTERN, fullmatch=True).filter(lambda s: len(s) <= 30)
entries = st.lists(
    st.fixed_dictionaries(
        {"id": entry_ids, "question": text_field, "answer": text_field},
        optional={"alternates": st.lists(text_field, max_size=3), "tags": st.lists(text_field, max_size=3)},
    ),
    min_size=1,
    max_size=8,
    unique_by=lambda entry: entry["id"],
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(items=entries, title=text_field)
@example(items=[{"id": "x", "question": "?!", "answer": "…"}], title="T")  # no words: once a ZeroDivisionError
def test_every_answer_from_an_accepted_file_is_verbatim(tmp_path: Path, items: list[dict], title: str) -> None:
    path = tmp_path / "generated.yaml"
    path.write_text(yaml.safe_dump({"source": {"title": title}, "entries": items}, allow_unicode=True), "utf-8")
    if any(problem.fatal for problem in check([path])):
        return  # check refused it (say, a field that is only whitespace once YAML has read it)
    written = {item["id"]: item["answer"] for item in yaml.safe_load(path.read_text(encoding="utf-8"))["entries"]}
    matcher = Matcher(load([path]))
    for item in items:
        for question in (item["question"], *item.get("alternates", ())):
            match = matcher.match(question)
            if match.entry is None:
                continue
            assert match.entry.answer == written[match.entry.id].rstrip("\n")
            assert match_dict(match)["answer"] == match.entry.answer
            assert answer_text(match).split("\n", 1)[1].startswith(safe(match.entry.answer))


YAML_PIECES = st.sampled_from(
    [
        "source:",
        "entries:",
        "  - ",
        "id: a",
        "question: q",
        "answer: x",
        "title: T",
        "{",
        "}",
        "[",
        "]",
        ": ",
        "\n",
        "  ",
        "\t",
        "&a ",
        "*a",
        "!!python/object:os.system ",
        "!!str ",
        "|\n",
        ">-\n",
        '"\\e[2J"',
        "'",
        "#",
        "---\n",
        "...\n",
        "%YAML 1.1\n",
        "? ",
        ",",
        "\ufeff",
        "\x85",
        "\x07",
        "~",
        "null",
        "2018-03-26",
        "follow_ups: [a]",
    ]
)
hostile_files = st.one_of(
    st.binary(max_size=3000),
    st.lists(YAML_PIECES, max_size=80).map("".join).map(lambda text: text.encode("utf-8")),
    st.text(ANY_CHAR, max_size=500).map(lambda text: text.encode("utf-8", "surrogatepass")),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=hostile_files)
def test_any_bytes_as_a_knowledge_file_load_or_one_located_error(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.yaml"
    path.write_bytes(data)
    try:
        kb = load([path])
    except KnowledgeError as exc:
        assert str(exc).startswith(str(path)) and "\n" not in exc.message
    else:
        assert len(kb) >= 1 and all(entry.answer for entry in kb)
    try:
        problems = check([path])
    except KnowledgeError as exc:  # unreadable or not UTF-8: not a content problem
        assert "not UTF-8" in exc.message
    else:
        assert all(problem.path == str(path) and "\n" not in problem.message for problem in problems)


@pytest.mark.parametrize("question", ["", " ", "\x00", "\ud800", "\u0301" * 10_000, "a" * 1_000_000])
def test_edge_questions_are_not_answered(question: str) -> None:
    """Nothing a reader could mean: no answer, no suggestion, and no error."""
    match = MATCHER.match(question)
    assert (match.entry, match.alternatives, match.query) == (None, (), question)
