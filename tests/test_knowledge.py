"""Knowledge files: loading, ``askbot check`` and its FILE:LINE:COL problems."""

from __future__ import annotations

import pytest

from askbot import KnowledgeError, check, load
from conftest import ROOT, SHIPPED, Run, write

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
