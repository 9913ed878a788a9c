"""Property tests for ``askbot ingest``: any document gives entries or one clear error, and every
answer line is text of the document (answers are verbatim; only edges are trimmed), and what
it writes passes ``askbot check``."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from askbot import ingest
from askbot.errors import KnowledgeError
from askbot.knowledge import files as knowledge

WORDS = st.sampled_from("why how what the a cat dog we you I it is was because so tell me about yes no".split())
SENTENCE = st.lists(WORDS, min_size=1, max_size=12).map(" ".join)
LABEL = st.sampled_from(
    ["Q: ", "A: ", "Jane Doe: ", "JD: ", "HOST: ", "[00:01:02] Kim: ", "**", "### ", "> ", "1. ", ""]
)
END = st.sampled_from(["?", ".", "", "?**", "!"])
LINE = st.tuples(LABEL, SENTENCE, END).map("".join)
ASKS = st.tuples(st.sampled_from(["Q: ", "Jane Doe: ", "**", "### ", "1. ", "Host: ", ""]), SENTENCE).map(
    lambda parts: f"{parts[0]}{parts[1]}?{'**' if parts[0] == '**' else ''}"
)
ANSWERS = st.tuples(st.sampled_from(["A: ", "Bob Ray: ", "BR: ", ""]), SENTENCE).map(
    lambda parts: f"{parts[0]}{parts[1]}."
)
EXCHANGE = st.tuples(ASKS, st.lists(st.one_of(ANSWERS, LINE), min_size=1, max_size=4)).map(
    lambda parts: "\n\n".join([parts[0], *parts[1]])
)
DOCUMENT = st.one_of(
    st.lists(st.one_of(EXCHANGE, LINE), min_size=1, max_size=12).map("\n\n".join),
    st.lists(st.one_of(LINE, st.just("")), max_size=40).map("\n".join),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=400),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=DOCUMENT, fmt=st.sampled_from(["txt", "md", "html", "vtt", "srt", None]))
def test_any_document_gives_verbatim_entries_or_one_clear_error(document: str, fmt: str | None) -> None:
    try:
        parsed = ingest.read(document.encode("utf-8"), name="doc.txt", fmt=fmt)
    except (ingest.IngestError, KnowledgeError) as exc:
        assert "\n" not in str(exc)
        return
    assert parsed.entries
    for entry in parsed.entries:
        assert entry.question.strip() and entry.answer.strip()
        if fmt in ("txt", "md"):
            for line in entry.answer.split("\n"):
                assert line.strip() in document
    problems, kb = knowledge.loads(knowledge.dump(parsed.source, parsed.entries))
    # What ingest writes, check passes; it may warn (a transcript that asks "Why?" twice, or an
    # answer with a line such as "A: why." that a turn label could have opened).
    assert kb is not None and not [p for p in problems if p.fatal]
