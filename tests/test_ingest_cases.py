"""Every evaluation case (both splits): ingest makes a file or one error line, and every answer
it writes is verbatim: each paragraph a span of the document's text, whitespace aside.

Reads no expected pairs, so it is no look at the report split's scores: it checks a property
that must hold on any transcript.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from askbot import ingest

CASES = sorted(p.parent for p in (Path(__file__).parents[1] / "benchmarks" / "ingest_cases").glob("*/expected.yaml"))
_SPACE = re.compile(r"\s+")


def _input(case: Path) -> Path:
    return next(p for p in case.glob("input.*"))


def _flat(text: str) -> str:
    return _SPACE.sub("", text)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_every_answer_is_spans_of_the_source(case: Path) -> None:
    source = _input(case)
    data = source.read_bytes()
    try:
        parsed = ingest.read(data, name=source.name)
    except ingest.IngestError as exc:
        message = str(exc)
        assert "\n" not in message and message.startswith(source.name) and "looked for" in message
        return
    text = _flat(ingest.source_text(data, name=source.name))
    for entry in parsed.entries:
        at = 0
        for paragraph in entry.answer.split("\n\n"):
            found = text.find(_flat(paragraph), at)
            assert found >= 0, f"{entry.id}: not verbatim: {paragraph[:120]!r}"
            at = found
