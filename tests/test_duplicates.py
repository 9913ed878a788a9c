"""Degenerate knowledge: many identical or near-identical questions still answer the exact one."""

from __future__ import annotations

from askbot import KnowledgeBase, Matcher, Source
from askbot.model import Entry

SOURCE = Source(title="duplicates")
QUESTION = "What is the plan for Hangzhou blockchain talent?"


def base(questions: list[str]) -> KnowledgeBase:
    entries = [Entry(id=f"e{n}", question=q, answer=f"Answer {n}.", source=SOURCE) for n, q in enumerate(questions)]
    other = Entry(id="summit", question="Where is the summit held?", answer="In Hangzhou.", source=SOURCE)
    return KnowledgeBase((*entries, other))


def test_identical_questions_answer_the_first_and_list_the_duplicates() -> None:
    match = Matcher(base([QUESTION] * 3000)).match(QUESTION, limit=3)
    assert match.entry is not None and match.entry.id == "e0"
    assert not match.ambiguous
    assert [c.entry.id for c in match.alternatives] == ["e1", "e2", "e3"]
    assert Matcher(base([QUESTION] * 3000)).match("where is the summit held").entry.id == "summit"


def test_near_identical_questions_never_answer_another_confidently() -> None:
    """Three thousand questions a number apart: the exact one answers, or askbot asks which was
    meant with the exact one offered; never another one confidently (an answer elsewhere that
    mentions the number is no reason to be sure)."""
    questions = [f"What did the office report in year {1000 + n}?" for n in range(3000)]
    matcher = Matcher(base(questions))
    for n in (0, 1234, 2999):
        match = matcher.match(f"what did the office report in year {1000 + n}")
        offered = [c.entry.id for c in match.alternatives]
        assert (match.entry is not None and match.entry.id == f"e{n}") or (match.entry is None and f"e{n}" in offered)

