"""Knowledge files: loading, ``askbot check`` and its FILE:LINE:COL problems."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from askbot import KnowledgeError, check, load
from askbot.settings import Limits
from conftest import ROOT, SHIPPED, Run, write
from hostile import ENTRY, billion_laughs

GOOD = """source:
  title: Talk
entries:
  - id: one
    question: First?
    answer: Yes.
    follow_ups: [two]
  - id: two
    question: Second?
    answer: No.
"""


def test_shipped_knowledge_passes_check(askbot: Run) -> None:
    proc = askbot("check", str(ROOT / "knowledge"))
    assert proc.returncode == 0, proc.stdout
    assert proc.stdout == ""


def test_shipped_entries_are_curated() -> None:
    kb = load([SHIPPED])
    assert len(kb) == 9
    for entry in kb:
        assert len(entry.alternates) >= 3, entry.id
        assert entry.tags and entry.follow_ups, entry.id
    assert kb.sources[0].date == "2018-03-26"


def test_check_reports_each_problem_with_location(askbot: Run, tmp_path) -> None:
    write(tmp_path / "a.yaml", GOOD)
    bad = write(
        tmp_path / "b.yaml",
        "source:\n  title: Other\nentries:\n"
        "  - id: one\n    question: Dup?\n    answer: x\n"
        "  - id: three\n    question: ''\n    answer: y\n"
        "  - id: four\n    question: Q?\n    answer: z\n    follow_ups: [nowhere, four]\n",
    )
    proc = askbot("check", str(tmp_path))
    lines = proc.stdout.splitlines()
    assert proc.returncode == 1
    assert f"{bad}:4:5: duplicate id 'one' (first used at {tmp_path / 'a.yaml'}:4)" in lines
    assert f"{bad}:8:15: 'question' must not be empty" in lines
    assert any(line.startswith(f"{bad}:13:") and "unknown id 'nowhere'" in line for line in lines)
    assert any(line.startswith(f"{bad}:13:") and "'four' lists itself" in line for line in lines)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty file"),
        ("- just\n- a list\n", "a knowledge file is a mapping"),
        ("source:\n  title: T\nentries: []\n", "'entries' is empty"),
        ("entries:\n  - id: a\n    question: q\n    answer: a\n", "missing required 'source'"),
        (
            "source:\n  title: T\nentries:\n  - id: Bad_Id\n    question: q\n    answer: a\n",
            "must be lower-case",
        ),
        ("source:\n  title: T\nentries:\n  - id: a\n    question: q\n", "missing required 'answer'"),
        ("a: &x [1]\nb: *x\n", "anchors and aliases"),
        ("source: !!python/object/apply:os.system ['echo pwned']\n", "is not allowed"),
    ],
    ids=["empty", "list", "no-entries", "no-source", "bad-id", "no-answer", "alias", "python-tag"],
)
def test_invalid_files_raise_located_error(tmp_path, text: str, message: str) -> None:
    path = write(tmp_path / "k.yaml", text)
    with pytest.raises(KnowledgeError) as caught:
        load([path])
    assert message in str(caught.value)
    assert str(caught.value).startswith(str(path))


def test_unknown_follow_up_is_reported_but_dropped_when_loading(tmp_path) -> None:
    path = write(tmp_path / "k.yaml", GOOD.replace("[two]", "[two, ghost]"))
    assert [p.message for p in check([path])] == ["follow-up to unknown id 'ghost'"]
    assert load([path]).get("one").follow_ups == ("two",)


def test_bom_and_crlf_are_accepted(tmp_path) -> None:
    path = tmp_path / "k.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.replace("\n", "\r\n").encode())
    assert [e.id for e in load([path])] == ["one", "two"]


def test_folder_without_yaml_and_missing_path(tmp_path) -> None:
    with pytest.raises(KnowledgeError, match="no \\*.yaml"):
        load([tmp_path])
    with pytest.raises(KnowledgeError, match="no such file"):
        load([tmp_path / "nope.yaml"])


def test_python_tags_never_run_code(askbot: Run, tmp_path) -> None:
    marker = tmp_path / "pwned"
    path = write(
        tmp_path / "evil.yaml",
        f"source: !!python/object/apply:os.system ['touch {marker}']\n"
        "entries:\n  - id: a\n    question: q\n    answer: a\n",
    )
    for args in (["check", str(path)], ["ask", "--kb", str(path), "q"], ["list", "--kb", str(path)]):
        proc = askbot(*args)
        assert proc.returncode in (1, 2) and "is not allowed" in proc.stdout + proc.stderr
    assert not marker.exists()


# --- hostile and broken files: one stderr line naming the file, never a crash ----------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (billion_laughs(), "anchors and aliases"),
        ("source: {title: T, x: " + "[" * 100_000 + "]" * 100_000 + "}\n" + ENTRY, "exceeded maximum nesting depth"),
        ("source: {title: T, x: " + "[" * 900 + "]" * 900 + "}\n" + ENTRY, "nested more than 20 levels"),
        ("source:\n\ttitle: T\n" + ENTRY, "invalid YAML"),
        ("", "empty file"),
        ('source: {title: "\x07"}\n' + ENTRY, ":1:18: invalid YAML: control characters are not allowed (#x0007)"),
    ],
    ids=["alias-bomb", "deep-100k", "deep-900", "tab-indent", "empty", "raw-control-char"],
)
def test_hostile_files_are_one_located_line(askbot: Run, tmp_path, text: str, message: str) -> None:
    path = write(tmp_path / "k.yaml", text)
    asked = askbot("ask", "--kb", str(path), "is this safe")
    assert asked.returncode == 2 and asked.stdout == ""
    assert asked.stderr.startswith(f"askbot: error: {path}") and message in asked.stderr
    assert len(asked.stderr.splitlines()) == 1
    checked = askbot("check", str(path))
    assert checked.returncode == 1 and message in checked.stdout and "Traceback" not in checked.stderr


def test_tabs_inside_text_are_kept(tmp_path) -> None:
    text = 'source: {title: T}\nentries:\n  - {id: a, question: "Q\\t?", answer: "col1\\tcol2"}\n'
    path = write(tmp_path / "k.yaml", text)
    assert load([path]).get("a").answer == "col1\tcol2"


def test_file_over_the_size_limit_is_refused_unread(askbot: Run, tmp_path) -> None:
    path = tmp_path / "huge.yaml"
    filler = "# " + "x" * 1021 + "\n"
    path.write_text("source: {title: T}\n" + filler * (50 * 1024) + ENTRY, encoding="utf-8")
    assert path.stat().st_size > 50 * 1024 * 1024
    for args in (["ask", "--kb", str(path), "is this safe"], ["check", str(path)]):
        proc = askbot(*args)
        assert proc.returncode == 2 and f"{path}: file is over the limit of 20,971,520 bytes" in proc.stderr


def test_endless_device_is_refused_unread(askbot: Run) -> None:
    proc = askbot("ask", "--kb", "/dev/zero", "is this safe")
    assert proc.returncode == 2 and "/dev/zero: not a regular file (a device); not read" in proc.stderr


@pytest.mark.parametrize("command", ["ask", "check"])
def test_unreadable_and_missing_knowledge_exit_2(askbot: Run, tmp_path, command: str) -> None:
    empty_dir = tmp_path / "empty"
    empty_dir.mkdir()
    not_a_file = tmp_path / "dir"
    (not_a_file / "k.yaml").mkdir(parents=True)  # matches *.yaml but cannot be read as a file
    cases = {
        str(empty_dir): "no *.yaml knowledge files in this folder",
        str(tmp_path / "nope.yaml"): "no such file or folder",
        str(not_a_file): "no *.yaml knowledge files in this folder (skipped: k.yaml (a folder))",
    }
    for path, message in cases.items():
        args = ["ask", "--kb", path, "q"] if command == "ask" else ["check", path]
        proc = askbot(*args)
        assert proc.returncode == 2, (path, proc.stderr)
        assert len(proc.stderr.splitlines()) == 1 and message in proc.stderr


# Root reads any file: as root (CI), the child gives up root for ``nobody`` once Python and
# askbot are loaded (the interpreter may live where ``nobody`` cannot look), then runs askbot.
AS_NOBODY = """
import contextlib, io, os, sys
from askbot.app import cli
# The command once as root first: every module it imports lazily (argparse's gettext, the YAML
# parser, ...) is loaded while it can be read, wherever the checkout lies.
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    cli.main(sys.argv[1:])
if os.geteuid() == 0:
    os.setgroups([]); os.setgid(65534); os.setuid(65534)
sys.exit(cli.main(sys.argv[1:]))
"""


def test_file_without_read_permission() -> None:
    with tempfile.TemporaryDirectory(prefix="askbot-") as name:  # in /tmp, which nobody may enter
        folder = Path(name)
        folder.chmod(0o755)
        path = write(folder / "k.yaml", GOOD)
        path.chmod(0)
        proc = subprocess.run(
            [sys.executable, "-c", AS_NOBODY, "--no-cache", "ask", "--kb", str(path), "first"],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert (proc.returncode, proc.stderr) == (2, f"askbot: error: {path}: cannot read: Permission denied\n")


def test_duplicate_ids_within_a_file_stop_ask_and_chat(askbot: Run, tmp_path) -> None:
    path = write(tmp_path / "k.yaml", GOOD.replace("id: two", "id: one"))
    checked = askbot("check", str(path))
    assert checked.returncode == 1 and f"{path}:8:5: duplicate id 'one' (first used at {path}:4)" in checked.stdout
    for args in (["ask", "--kb", str(path), "first"], ["--kb", str(path)]):
        proc = askbot(*args, input="first\n")
        assert proc.returncode == 2 and proc.stdout == ""
        assert proc.stderr == f"askbot: error: {path}:8:5: duplicate id 'one' (first used at {path}:4)\n"


def test_values_echoed_in_errors_are_made_safe_and_short(askbot: Run, tmp_path) -> None:
    escape = write(
        tmp_path / "esc.yaml", 'source: {title: T}\nentries:\n  - {id: "bad\\e]0;pwned\\a", question: q, answer: a}\n'
    )
    proc = askbot("ask", "--kb", str(escape), "q")
    assert proc.returncode == 2 and "id 'bad^[]0;pwned^G' must be lower-case" in proc.stderr
    assert "\x1b" not in proc.stderr and "\x07" not in proc.stderr
    long = write(tmp_path / "long.yaml", GOOD.replace("id: two", "id: Two" + "x" * 50_000))
    proc = askbot("check", str(long))
    assert proc.returncode == 1 and "(50,003 characters) must be lower-case" in proc.stdout
    assert max(len(line) for line in proc.stdout.splitlines()) < 300


def test_entry_limit_holds_across_files(tmp_path) -> None:
    write(tmp_path / "a.yaml", GOOD)
    late = write(tmp_path / "b.yaml", GOOD.replace("one", "three").replace("two", "four"))
    with pytest.raises(KnowledgeError, match="brings the knowledge base to 4 entries; the limit is 3") as caught:
        load([tmp_path], limits=Limits(max_entries=3))
    assert caught.value.path == str(late)


def test_value_count_is_capped_before_building(tmp_path) -> None:
    path = write(tmp_path / "k.yaml", "source: {title: T, x: [" + "a, " * 60 + "a]}\n" + ENTRY)
    with pytest.raises(KnowledgeError, match="more than 50 values") as caught:
        load([path], limits=Limits(max_nodes=50))
    # values 1-7: the file, "source", its mapping, "title", "T", "x", the list; the 51st is item 44
    assert (caught.value.line, caught.value.column) == (1, len("source: {title: T, x: [") + 1 + 3 * 43)
    assert len(load([path], limits=Limits(max_nodes=100))) == 1


def test_entry_count_is_capped_while_parsing(tmp_path) -> None:
    three = GOOD + "  - id: three\n    question: Third?\n    answer: Maybe.\n"
    with pytest.raises(KnowledgeError, match="more than 2 entries") as caught:
        load([write(tmp_path / "k.yaml", three)], limits=Limits(max_entries=2))
    assert (caught.value.line, caught.value.column) == (11, 5)
    nested = "source: {title: T, entries: [a, b, c]}\nentries:\n  - {id: a, question: q, answer: a}\n"
    assert len(load([write(tmp_path / "n.yaml", nested)])) == 1  # only the top-level list counts


def test_a_file_given_twice_is_read_once(askbot: Run, tmp_path) -> None:
    path = write(tmp_path / "k.yaml", GOOD)
    proc = askbot("--kb", str(tmp_path), "--kb", str(path), "ask", "--json", "first")
    assert proc.returncode in (0, 1) and proc.stderr == "", proc.stderr
    assert askbot("check", str(tmp_path), str(path)).returncode == 0


def test_plain_fields_read_front_matter_as_safely_as_a_knowledge_file() -> None:
    from askbot.knowledge.files import plain_fields

    text = 'title: "A long title\\\n  \\ over two lines"\ndate: 2024-01-12\ndraft: false\ntags: [a, b]\nnotes: ~\n'
    assert plain_fields(text) == {"title": "A long title over two lines", "date": "2024-01-12", "tags": ["a", "b"]}
    assert plain_fields("a: &x [1, 2]\nb: *x\n") is None, "anchors and aliases are refused"
    assert plain_fields("title: !!python/object:os.system x\n") is None, "no object tag is built"
    assert plain_fields("just a line") is None
