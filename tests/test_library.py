"""The library as a user meets it: one way in, values that pickle and serialise, no silent surprises."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

import askbot
from askbot import DEFAULT_SETTINGS, Matcher, Settings, load
from askbot.knowledge.cache import cache_folder, load_indexed
from askbot.model import Entry, KnowledgeBase, Source
from conftest import SHIPPED, Run, write


def test_open_is_the_one_way_in(tmp_path: Path) -> None:
    path = write(tmp_path / "kb.yaml", SHIPPED.read_text(encoding="utf-8"))
    opened = askbot.open(str(path))
    assert opened.match("why hangzhou?").entry.id == "hangzhou-advantages"  # type: ignore[union-attr]
    assert list((Path(cache_folder()) / "index").glob("*.sqlite")), "the compiled index is kept"
    again = askbot.open([path], settings=DEFAULT_SETTINGS.replace(threshold=99))
    assert again.match("why hangzhou?").entry is None and again.threshold == 99
    assert askbot.open(cache=False).knowledge == load()


def test_an_index_built_with_other_settings_is_refused() -> None:
    loaded = load_indexed(None, DEFAULT_SETTINGS, cache=False)
    other = DEFAULT_SETTINGS.replace(rarity_power=2.0)
    with pytest.raises(ValueError, match=r"other settings \(rarity_power\)"):
        Matcher(loaded.knowledge, index=loaded.index, settings=other)
    stricter = Matcher(loaded.knowledge, index=loaded.index, settings=DEFAULT_SETTINGS.replace(threshold=99.9))
    assert stricter.match("why hangzhou?").entry is None, "a verdict setting needs no other index"


def test_a_matcher_pickles_and_answers_the_same() -> None:
    matcher = askbot.open(settings=Settings(threshold=40))
    copy = pickle.loads(pickle.dumps(matcher))
    for question in ("why hangzhou?", "talent", "what is the price of bitcoin?", "wat r the advantges"):
        assert copy.match(question) == matcher.match(question)
    assert copy.settings == matcher.settings


def test_a_match_goes_through_json_dumps() -> None:
    match = Matcher(load()).match("why hangzhou?")
    written = json.loads(json.dumps(match))
    assert written[0] == "why hangzhou?" and written[1][0] == "hangzhou-advantages"
    source = written[1][3]
    assert source[0] == match.entry.source.title and source[-1] == dict(match.entry.source.extra)  # type: ignore[union-attr]


def test_a_source_extra_stays_read_only() -> None:
    source = load().sources[0]
    with pytest.raises(TypeError, match="read-only"):
        source.extra["title"] = "changed"  # type: ignore[index]
    assert pickle.loads(pickle.dumps(source)).extra == source.extra


def test_only_takes_an_interview_or_its_name_and_never_answers_empty(tmp_path: Path) -> None:
    second = Path(__file__).parent / "data" / "lena-hoffmann-2019.yaml"
    kb = load([SHIPPED, second])
    assert len(kb.only("Lena Hoffmann")) == len(kb.only(kb.sources[1])) == len(load([second]))
    with pytest.raises(ValueError, match="no interview here has the interviewee or title 'Nobody'"):
        kb.only("Nobody")
    with pytest.raises(ValueError, match="not an interview of this knowledge base"):
        kb.only(Source("Elsewhere"))
    with pytest.raises(TypeError, match="not int"):
        kb.only(3)  # type: ignore[arg-type]


TWINS = """\
source: {title: Hiring at a studio, interviewee: Ana Ruiz}
entries:
  - {id: hire-engineers, question: How do you hire engineers?, answer: A paid trial week.}
  - {id: hire-designers, question: How do you hire designers?, answer: From their portfolios.}
  - {id: office, question: Where is your office?, answer: In Porto.}
"""


def test_extract_one_is_as_confident_as_match(tmp_path: Path) -> None:
    """"how do you hire?" is a near tie between two entries that differ only where it says
    nothing: ``match`` asks which was meant, and ``extract_one`` with a cutoff does not pick one
    either; without a cutoff it ranks."""
    path = tmp_path / "twins.yaml"
    path.write_text(TWINS, encoding="utf-8")
    matcher = Matcher(load([path]))
    match = matcher.match("how do you hire?")
    assert match.entry is None and match.ambiguous
    assert {c.entry.id for c in match.alternatives} == {"hire-engineers", "hire-designers"}
    assert matcher.extract_one("how do you hire?", score_cutoff=matcher.threshold) is None
    assert matcher.extract_one("how do you hire?") == matcher.extract("how do you hire?", limit=1)[0]
    confident = matcher.match("how do you hire designers?")
    assert confident.entry is not None and confident.entry.id == "hire-designers"
    found = matcher.extract_one("how do you hire designers?", score_cutoff=matcher.threshold)
    assert found is not None and found.entry == confident.entry


def big_base(path: Path, size: int) -> Path:
    source = Source("Many questions")
    entries = [
        Entry(f"q{n}", f"What about topic{n} and subject{n % 97}?", f"Answer number {n}.", source) for n in range(size)
    ]
    from askbot.knowledge.files import dump

    path.write_text(dump(source, entries), encoding="utf-8")
    past = 0  # dated back, so no process takes it for a file being written
    os.utime(path, (past, past))
    return path


def test_one_builder_per_index_the_others_wait_then_open_it(tmp_path: Path) -> None:
    path = big_base(tmp_path / "many.yaml", 6000)
    probe = (
        "import sys\nfrom askbot import DEFAULT_SETTINGS\nfrom askbot.knowledge.cache import load_indexed\n"
        f"print(load_indexed([{str(path)!r}], DEFAULT_SETTINGS).parsed)\n"
    )
    runs = [subprocess.Popen([sys.executable, "-c", probe], stdout=subprocess.PIPE, text=True) for _ in range(4)]
    parsed = sorted(int(run.communicate(timeout=120)[0]) for run in runs)
    assert parsed == [0, 0, 0, 1], "one process built the index; three opened what it wrote"
    assert not list((Path(cache_folder()) / "index").glob("*.lock")), "the lock is gone once built"


def test_knowledge_base_rejects_other_entries() -> None:
    with pytest.raises(ValueError, match="duplicate entry ids: a"):
        KnowledgeBase([Entry("a", "Q?", "A.", Source("T")), Entry("a", "Q2?", "A2.", Source("T"))])


def test_a_word_list_copy_that_cannot_be_kept_is_said_once(askbot: Run, tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    done = askbot("ask", "waht r the advantges of hangzou", env={"XDG_CACHE_HOME": str(blocked / "cache")})
    assert done.returncode == 0 and "Abundant talent reserves" in done.stdout
    warnings = [line for line in done.stderr.splitlines() if "English word list" in line]
    assert len(warnings) == 1 and "each run that corrects a typo reads the whole list" in warnings[0]
