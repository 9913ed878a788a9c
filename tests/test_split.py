"""Answers cut into sentences for the sentence model: verbatim spans, nothing lost, names kept whole."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from askbot.matching.split import sentence_spans


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We came. We saw! Did we win? Yes, we did.", ["We came.", "We saw!", "Did we win?", "Yes, we did."]),
        ("He said “go.” Then he left.", ["He said “go.”", "Then he left."]),
        (
            "J. R. Smith met Dr. Ng in the U.S. in May. It rained.",
            ["J. R. Smith met Dr. Ng in the U.S. in May.", "It rained."],
        ),
        ("Prices rose 3.5 percent. In 2019 they fell.", ["Prices rose 3.5 percent.", "In 2019 they fell."]),
        ("first line without a stop\nsecond line", ["first line without a stop", "second line"]),
        ("It was e.g. small, i.e. cheap. Next one.", ["It was e.g. small, i.e. cheap.", "Next one."]),
        ("Wait... what happened next?", ["Wait... what happened next?"]),
    ],
    ids=["stops", "closing-quote", "initials-and-abbreviations", "decimals-and-figures", "lines", "latin", "ellipsis"],
)
def test_sentences(text: str, expected: list[str]) -> None:
    assert [text[s:e] for s, e in sentence_spans(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Yes. Right. We had 140 people there. Thanks for asking me that.",
            ["Yes. Right. We had 140 people there.", "Thanks for asking me that."],
        ),
        ("It was a long day. Sure.", ["It was a long day. Sure."]),
        ("Yes. No.", ["Yes. No."]),
    ],
    ids=["before", "last", "all-short"],
)
def test_short_pieces_go_with_the_next_sentence(text: str, expected: list[str]) -> None:
    assert [text[s:e] for s, e in sentence_spans(text, min_words=3)] == expected


@given(st.text(alphabet=st.sampled_from(list("ab. !?\n“”'()Mr3")), max_size=200), st.integers(1, 4))
def test_spans_are_verbatim_ordered_and_lose_nothing(text: str, min_words: int) -> None:
    spans = sentence_spans(text, min_words=min_words)
    ends = [0]
    for start, end in spans:
        assert ends[-1] <= start < end <= len(text)
        assert text[start:end] == text[start:end].strip()
        ends.append(end)
    kept = "".join(text[s:e] for s, e in spans)
    assert "".join(kept.split()) == "".join(text.split())
    if len(spans) > 1:
        assert all(len(text[s:e].split()) >= min_words for s, e in spans)
