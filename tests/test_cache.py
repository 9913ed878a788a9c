"""The compiled-index cache: same answers as a fresh build, rebuilt when stale, never a crash."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from askbot import KnowledgeBase, Matcher, Source, load
from askbot.knowledge import cache
from askbot.knowledge.cache import cache_folder, load_indexed
from askbot.knowledge.indexfile import StaleIndex, open_index, write_index
from askbot.matching.index import build_index
from askbot.model import Entry, Match
from askbot.settings import DEFAULT_SETTINGS, Limits
from conftest import SHIPPED, Run, write
from devset import read_devset

CLINC = Path(__file__).resolve().parents[2] / "shared" / "bench" / "clinc150" / "data_full.json"


def outcome(match: Match) -> tuple[object, ...]:
    """Everything a reader or a script sees of a verdict."""
    return (
        match.entry.id if match.entry else None,
        match.score,
        match.ambiguous,
        [(c.entry.id, c.score, c.why) for c in match.alternatives],
        [e.id for e in match.follow_ups],
        match.why,
    )


def cached_matcher(paths: list[Path] | None = None) -> tuple[Matcher, int]:
    loaded = load_indexed(paths, DEFAULT_SETTINGS)
    return Matcher(loaded.knowledge, index=loaded.index), loaded.parsed


def old(path: Path) -> Path:
    """Date a file back, as a knowledge file edited more than the racy window ago would be."""
    past = time.time() - 60
    os.utime(path, (past, past))
    return path


def folder_of_three(tmp_path: Path) -> Path:
    folder = tmp_path / "kb"
    folder.mkdir()
    text = SHIPPED.read_text(encoding="utf-8")
    for n in range(3):
        renamed = text.replace("id: ", f"id: f{n}-").replace("  - f", f"  - f{n}-f")
        old(write(folder / f"part{n}.yaml", renamed.replace("follow_ups:", "follow_ups_dropped:")))
    return folder


def test_cached_index_answers_the_dev_set_exactly_as_a_fresh_one() -> None:
    fresh = Matcher(load())
    first, parsed_first = cached_matcher()
    second, parsed_second = cached_matcher()
    assert (parsed_first, parsed_second) == (1, 0)
    assert not isinstance(second.index.entries, tuple)  # read on demand, not loaded whole
    for query in (case.query for case in read_devset()):
        expected = outcome(fresh.match(query))
        assert outcome(first.match(query)) == expected
        assert outcome(second.match(query)) == expected


@pytest.mark.skipif(not CLINC.exists(), reason=f"CLINC150 not found at {CLINC}")
def test_cached_index_answers_clinc150_exactly_as_a_fresh_one(tmp_path: Path) -> None:
    data = json.loads(CLINC.read_text(encoding="utf-8"))
    by_intent: dict[str, list[str]] = {}
    for utterance, intent in data["train"]:
        by_intent.setdefault(intent, []).append(utterance)
    source = Source(title="CLINC150")
    kb = KnowledgeBase(
        tuple(
            Entry(id=i.replace("_", "-"), question=u[0], answer=i, source=source, alternates=tuple(u[1:]))
            for i, u in by_intent.items()
        )
    )
    index = build_index(kb, DEFAULT_SETTINGS)
    write_index(kb, index, tmp_path / "clinc.sqlite", stamp="test")
    stored_kb, stored = open_index(tmp_path / "clinc.sqlite", stamp="test")
    fresh, cached = Matcher(kb, index=index), Matcher(stored_kb, index=stored)
    queries = [u for u, _ in data["test"][::9]] + [u for u, _ in data["oos_test"][::9]]
    assert len(queries) > 500
    for query in queries:
        assert outcome(cached.match(query)) == outcome(fresh.match(query))


def test_a_changed_file_is_the_only_one_parsed_again(tmp_path: Path) -> None:
    folder = folder_of_three(tmp_path)
    assert load_indexed([folder], DEFAULT_SETTINGS).parsed == 3
    assert load_indexed([folder], DEFAULT_SETTINGS).parsed == 0
    part = folder / "part1.yaml"
    old(write(part, part.read_text(encoding="utf-8").replace("What is", "What exactly is")))
    loaded = load_indexed([folder], DEFAULT_SETTINGS)
    assert (loaded.parsed, loaded.reused) == (1, 2)
    assert any(e.question.startswith("What exactly is") for e in loaded.knowledge)
    (folder / "part2.yaml").unlink()
    shutil.copy(folder / "part0.yaml", folder / "part3.yaml")  # added: same text, other ids needed
    old(write(folder / "part3.yaml", (folder / "part3.yaml").read_text(encoding="utf-8").replace("f0-", "f3-")))
    loaded = load_indexed([folder], DEFAULT_SETTINGS)
    assert (loaded.parsed, loaded.reused, len(loaded.knowledge)) == (1, 2, 27)
    fresh = Matcher(load([folder]))
    for query in (case.query for case in read_devset()[:40]):
        assert outcome(Matcher(loaded.knowledge, index=loaded.index).match(query)) == outcome(fresh.match(query))


def test_files_parsed_in_workers_index_as_a_fresh_build(tmp_path: Path) -> None:
    """A large archive is parsed, and its ``TextFacts`` read, in worker processes: the index
    built from what they send back must be the one ``build_index`` makes alone."""
    folder = folder_of_three(tmp_path)
    loaded = load_indexed([folder], DEFAULT_SETTINGS, limits=Limits(parallel_chars=0))
    assert loaded.parsed == 3
    fresh_kb = load([folder])
    fresh = build_index(fresh_kb, DEFAULT_SETTINGS)
    assert list(loaded.index.tables) == list(fresh.tables)
    assert set(loaded.index.names) == set(fresh.names) and dict(loaded.index.idf) == dict(fresh.idf)
    cached = Matcher(loaded.knowledge, index=loaded.index)
    for query in (case.query for case in read_devset()[:40]):
        assert outcome(cached.match(query)) == outcome(Matcher(fresh_kb, index=fresh).match(query))


def test_segments_unused_for_a_month_are_pruned_at_the_next_build(tmp_path: Path) -> None:
    folder = folder_of_three(tmp_path)
    part = folder / "part1.yaml"
    segments = Path(cache_folder()) / "segment"
    load_indexed([folder], DEFAULT_SETTINGS)
    old(write(part, part.read_text(encoding="utf-8").replace("What is", "What exactly is")))
    load_indexed([folder], DEFAULT_SETTINGS)
    assert len(list(segments.iterdir())) == 4  # part1's first text is still kept
    month_ago = time.time() - 40 * 86_400
    for segment in segments.iterdir():
        os.utime(segment, (month_ago, month_ago))
    old(write(part, part.read_text(encoding="utf-8").replace("What exactly is", "What really is")))
    assert load_indexed([folder], DEFAULT_SETTINGS).reused == 2
    # part0 and part2 (used: touched) and part1's new text; both of part1's older texts pruned
    assert len(list(segments.iterdir())) == 3


def test_indexes_unopened_for_a_month_are_pruned_with_their_embeddings(tmp_path: Path) -> None:
    shipped = SHIPPED.read_text(encoding="utf-8")
    asked, dropped, new = (old(write(tmp_path / f"{name}.yaml", shipped)) for name in ("asked", "dropped", "new"))
    load_indexed([asked], DEFAULT_SETTINGS)
    (first,) = index_files()
    load_indexed([dropped], DEFAULT_SETTINGS)
    (second,) = set(index_files()) - {first}
    embeddings = first.with_name(f"{first.stem}.model.emb")
    embeddings.write_bytes(b"vectors")
    two_days_ago, month_ago = time.time() - 2 * 86_400, time.time() - 40 * 86_400
    for path in (first, second, embeddings):
        os.utime(path, (month_ago, month_ago))
    os.utime(first, (two_days_ago, two_days_ago))
    assert load_indexed([asked], DEFAULT_SETTINGS).parsed == 0  # opened: marked used today
    assert first.stat().st_mtime > time.time() - 60
    load_indexed([new], DEFAULT_SETTINGS)  # a build prunes
    assert first.exists() and embeddings.exists()  # in use: kept, and so are its embeddings
    assert not second.exists()  # unopened for a month: gone
    assert load_indexed([dropped], DEFAULT_SETTINGS).path == str(second) and second.exists()  # asked again: rebuilt


def test_an_index_opened_again_the_same_day_is_not_written(tmp_path: Path) -> None:
    path = old(write(tmp_path / "kb.yaml", SHIPPED.read_text(encoding="utf-8")))
    load_indexed([path], DEFAULT_SETTINGS)
    (index,) = index_files()
    hour_ago = time.time() - 3600
    os.utime(index, (hour_ago, hour_ago))
    assert load_indexed([path], DEFAULT_SETTINGS).parsed == 0
    assert index.stat().st_mtime == pytest.approx(hour_ago)


def test_pointers_to_replaced_indexes_are_pruned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "_RACY_SECONDS", 0)  # files just written get their pointer at once
    folder = folder_of_three(tmp_path)
    pointers = Path(cache_folder()) / "stat"
    load_indexed([folder], DEFAULT_SETTINGS)
    (first,) = pointers.iterdir()
    part = folder / "part1.yaml"
    old(write(part, part.read_text(encoding="utf-8").replace("What is", "What exactly is")))
    load_indexed([folder], DEFAULT_SETTINGS)
    (second,) = pointers.iterdir()  # the first pointed to the index this build replaced
    assert second != first
    assert load_indexed([folder], DEFAULT_SETTINGS).parsed == 0


def test_a_file_edited_in_the_same_second_is_never_served_stale(tmp_path: Path) -> None:
    path = write(tmp_path / "kb.yaml", SHIPPED.read_text(encoding="utf-8"))
    load_indexed([path], DEFAULT_SETTINGS)
    write(path, path.read_text(encoding="utf-8").replace("What is “blockchain”?", "What is a ledger?"))
    assert load_indexed([path], DEFAULT_SETTINGS).knowledge.get("what-is-blockchain").question == "What is a ledger?"


def index_files() -> list[Path]:
    return sorted((Path(cache_folder()) / "index").glob("*.sqlite"))


@pytest.mark.parametrize(
    "damage",
    [
        lambda p: p.write_bytes(p.read_bytes()[: p.stat().st_size // 2]),
        lambda p: p.write_bytes(p.read_bytes() + b"\0" * 4096),
        lambda p: p.write_bytes(b"SQLite format 3\0" + os.urandom(8192)),
        lambda p: p.write_bytes(b""),
        lambda p: p.write_text("not a database"),
    ],
    ids=["truncated", "grown", "garbage", "empty", "text"],
)
def test_a_damaged_index_is_rebuilt_not_trusted(damage, askbot: Run) -> None:
    expected = askbot("ask", "--json", "why hangzhou?")
    [path] = index_files()
    damage(path)
    again = askbot("ask", "--json", "why hangzhou?")
    assert (again.returncode, again.stdout, again.stderr) == (expected.returncode, expected.stdout, "")
    assert load_indexed(None, DEFAULT_SETTINGS).parsed == 0  # rebuilt in place, whole again


def test_an_index_of_another_version_is_ignored(tmp_path: Path) -> None:
    kb = load()
    write_index(kb, build_index(kb, DEFAULT_SETTINGS), tmp_path / "x.sqlite", stamp="askbot 0.0.1")
    with pytest.raises(StaleIndex):
        open_index(tmp_path / "x.sqlite", stamp="askbot 0.1.0")


def test_damaged_segments_are_parsed_again(tmp_path: Path) -> None:
    folder = folder_of_three(tmp_path)
    load_indexed([folder], DEFAULT_SETTINGS)
    for segment in (Path(cache_folder()) / "segment").iterdir():
        segment.write_bytes(segment.read_bytes()[:-7] + b"garbage")
    for index in index_files():
        index.unlink()
    loaded = load_indexed([folder], DEFAULT_SETTINGS)
    assert (loaded.parsed, loaded.reused, len(loaded.knowledge)) == (3, 0, 27)


def test_cache_files_are_private(askbot: Run) -> None:
    assert askbot("ask", "why hangzhou?").returncode == 0
    folder = Path(cache_folder())
    assert folder.stat().st_mode & 0o777 == 0o700
    files = [p for p in folder.rglob("*") if p.is_file()]
    assert files and all(p.stat().st_mode & 0o777 == 0o600 for p in files)
    assert all(p.stat().st_mode & 0o777 == 0o700 for p in folder.rglob("*") if p.is_dir())


def test_an_unwritable_cache_folder_is_one_warning_and_a_normal_answer(askbot: Run, tmp_path: Path) -> None:
    blocker = write(tmp_path / "not-a-folder", "")
    proc = askbot("ask", "why hangzhou?", env={"XDG_CACHE_HOME": str(blocker)})
    assert proc.returncode == 0 and "Hangzhou" in proc.stdout
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("askbot: warning: cannot write the index cache in")


@pytest.mark.parametrize(("args", "env"), [(["--no-cache"], {}), ([], {"ASKBOT_NO_CACHE": "1"})], ids=["flag", "env"])
def test_no_cache_writes_nothing(args: list[str], env: dict[str, str], askbot: Run) -> None:
    proc = askbot(*args, "ask", "why hangzhou?", env=env)
    assert proc.returncode == 0 and "Hangzhou" in proc.stdout
    assert not Path(cache_folder()).exists()


def test_index_command_builds_ahead_and_says_what_it_cost(askbot: Run, tmp_path: Path) -> None:
    folder = folder_of_three(tmp_path)
    first = askbot("index", str(folder))
    assert first.returncode == 0, first.stderr
    assert "27 entries: 3 file(s) parsed, 0 reused, indexed in" in first.stderr
    assert " MB at " in first.stderr
    second = askbot("index", str(folder))
    assert "27 entries: already current in" in second.stderr
    refused = askbot("--no-cache", "index", str(folder))
    assert refused.returncode == 2 and "--no-cache" in refused.stderr


def test_concurrent_builders_leave_one_good_index(tmp_path: Path) -> None:
    folder = folder_of_three(tmp_path)
    command = [sys.executable, "-m", "askbot", "--kb", str(folder), "ask", "--json", "what is blockchain"]
    procs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(4)]
    results = [proc.communicate(timeout=60) for proc in procs]
    assert {proc.returncode for proc in procs} == {0}, results  # three copies: the first answers
    assert len({out for out, _ in results}) == 1 and all(err == b"" for _, err in results)
    assert [p.name for p in (Path(cache_folder()) / "index").iterdir()] == [index_files()[0].name]
    assert load_indexed([folder], DEFAULT_SETTINGS).parsed == 0


def test_a_value_damaged_inside_the_index_is_caught_and_the_question_answered_again(askbot: Run) -> None:
    expected = askbot("ask", "--json", "why hangzhou?")
    [path] = index_files()
    data = bytearray(path.read_bytes())
    answer = b"Strong technical foundation"
    at = data.find(answer)
    assert at > 0
    data[at : at + 6] = b"Weak  "  # same size: only the value's checksum can tell
    path.write_bytes(bytes(data))
    again = askbot("ask", "--json", "why hangzhou?")
    assert (again.returncode, again.stdout, again.stderr) == (expected.returncode, expected.stdout, "")


def test_the_english_word_list_is_read_from_its_cached_copy() -> None:
    from askbot.knowledge.cache import word_frequencies
    from askbot.matching import english

    words = ["mayor", "major", "recieve", "tallent", "talent", "blokchain", "the", "Hangzhou", "zzzz"]
    direct = english.load_list()
    word_frequencies(english.load_list)  # the first use copies the list
    copy = word_frequencies(lambda: pytest.fail("the copy should answer"))
    assert [(w in copy, copy[w]) for w in words] == [(w in direct, direct[w]) for w in words]


def test_a_warm_question_with_a_typo_never_loads_pyspellchecker(askbot: Run) -> None:
    probe = (
        "import contextlib, io, sys\nfrom askbot.app import cli\n"
        "with contextlib.redirect_stdout(io.StringIO()): cli.main(['ask', 'waht r the advantges of hangzou'])\n"
        "print('spellchecker' in sys.modules)"
    )
    runs = [subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True) for _ in "12"]
    assert [run.stdout.strip() for run in runs] == ["True", "False"]


def test_a_new_index_for_the_same_files_replaces_the_old_one(tmp_path: Path) -> None:
    path = old(write(tmp_path / "kb.yaml", SHIPPED.read_text(encoding="utf-8")))
    load_indexed([path], DEFAULT_SETTINGS)
    load_indexed(None, DEFAULT_SETTINGS)  # other files: an index of their own, kept
    first = index_files()
    old(write(path, path.read_text(encoding="utf-8").replace("What is “blockchain”?", "What is a ledger?")))
    load_indexed([path], DEFAULT_SETTINGS)
    now = index_files()
    assert len(first) == len(now) == 2 and len(set(first) & set(now)) == 1


def test_library_use_writes_no_cache(tmp_path: Path) -> None:
    """Only the command line keeps copies; a script importing askbot leaves the disk alone, even
    when a typo loads the English word list."""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    code = "from askbot import Matcher, load; print(Matcher(load()).match('who is the mayor of hangzou').score)"
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert float(done.stdout) >= 0 and not (tmp_path / "cache").exists()
