"""``askbot ask``, ``list`` and the command line's contract, through a real subprocess."""

from __future__ import annotations

import json

import pytest
import yaml

from conftest import SHIPPED, Run, write


def shipped_entries() -> list[dict]:
    return yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))["entries"]


def test_ask_answers_with_source_and_follow_ups(askbot: Run) -> None:
    proc = askbot("ask", "why hangzhou?")
    advantages = next(e for e in shipped_entries() if e["id"] == "hangzhou-advantages")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(advantages["answer"].rstrip("\n"))
    assert "- Wang Yuejian, Director of the Hangzhou Financial Office" in proc.stdout
    assert "question 4 of 9" in proc.stdout
    assert "Related questions:\n  1. " in proc.stdout
    assert proc.stderr == ""


def test_ask_json_contract(askbot: Run) -> None:
    proc = askbot("ask", "--json", "hangzhou talent policy")
    data = json.loads(proc.stdout)
    assert proc.returncode == 0
    assert data["matched"] is True and data["id"] == "talent-policy"
    assert set(data) >= {
        "query",
        "matched",
        "id",
        "question",
        "answer",
        "score",
        "source",
        "follow_ups",
        "alternatives",
    }
    assert 0 <= data["score"] <= 100
    assert data["source"]["position"] == 6 and data["source"]["of"] == 9
    assert data["source"]["interviewee"] == "Wang Yuejian"
    ids = [f["id"] for f in data["follow_ups"]]
    assert ids and "talent-policy" not in ids and len(ids) == len(set(ids))


def test_ask_not_confident_exits_1_with_suggestions(askbot: Run) -> None:
    proc = askbot("ask", "what is the price of bitcoin?")
    assert proc.returncode == 1
    assert "don't know" in proc.stdout
    questions = [e["question"] for e in shipped_entries()]
    assert any(q in proc.stdout for q in questions)


def test_ask_json_not_matched_has_nulls_and_alternatives(askbot: Run) -> None:
    proc = askbot("ask", "--json", "hangzhou")
    data = json.loads(proc.stdout)
    assert proc.returncode == 1
    assert data["matched"] is False and data["id"] is None and data["answer"] is None
    assert data["alternatives"], "suggestions are still listed"


@pytest.mark.parametrize("top", ["1", "2", "5"])
def test_first_answer_and_score_do_not_depend_on_top(askbot: Run, top: str) -> None:
    base = json.loads(askbot("ask", "--json", "talent shortage").stdout)
    other = json.loads(askbot("ask", "--json", "--top", top, "talent shortage").stdout)
    assert (other["id"], other["score"]) == (base["id"], base["score"])
    assert len(other["follow_ups"]) <= int(top)


def test_threshold_option(askbot: Run) -> None:
    assert askbot("ask", "--threshold", "100", "talent shortage").returncode == 1
    assert askbot("ask", "--threshold", "0", "talent shortage").returncode == 0


def test_batch_json_one_line_per_input_line(askbot: Run) -> None:
    lines = b"why hangzhou?\n\n   \nwhat is the price of bitcoin?\n\xff\xfe bad bytes\ntalent shortage\n"
    proc = askbot("ask", "--json", "-", input=lines)
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert proc.returncode == 0, proc.stderr
    assert len(out) == 6
    assert out[0]["id"] == "hangzhou-advantages"
    assert out[1]["error"] == "empty question" and out[2]["matched"] is False
    assert out[3]["matched"] is False and "error" not in out[3]
    assert "not UTF-8" in out[4]["error"]
    assert out[5]["id"] == "talent-shortage"


def test_batch_huge_line_is_answered(askbot: Run) -> None:
    proc = askbot("ask", "--json", "-", input=("talent " * 200_000 + "\nwhy hangzhou\n").encode())
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert proc.returncode == 0 and len(out) == 2
    assert out[1]["id"] == "hangzhou-advantages"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ask", "   "], "the question is empty"),
        (["ask", "--bogus", "x"], "unrecognized arguments: --bogus"),
        (["ask", "--threshold", "120", "x"], "not between 0 and 100"),
        (["ask", "--top", "0", "x"], "less than 1"),
        (["--kb", "/no/such/file.yaml", "ask", "x"], "/no/such/file.yaml: no such file or folder"),
    ],
    ids=["blank", "unknown-option", "threshold", "top", "missing-kb"],
)
def test_usage_errors_are_one_line_exit_2(askbot: Run, args: list[str], message: str) -> None:
    proc = askbot(*args)
    assert proc.returncode == 2
    assert message in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr
    assert proc.stdout == ""


def test_bad_yaml_names_file_line_and_column(askbot: Run, tmp_path) -> None:
    bad = write(tmp_path / "bad.yaml", "source:\n  title: x\nentries:\n  - id: a\n    question: [unclosed\n")
    proc = askbot("ask", "--kb", str(bad), "hello there")
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"askbot: error: {bad}:")
    assert "invalid YAML" in proc.stderr and len(proc.stderr.splitlines()) == 1


def test_not_utf8_knowledge_file(askbot: Run, tmp_path) -> None:
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes("source:\n  title: caf\xe9\n".encode("latin-1"))
    proc = askbot("ask", "--kb", str(bad), "x")
    assert proc.returncode == 2 and f"{bad}:2:" in proc.stderr and "not UTF-8" in proc.stderr


def test_kb_folder_and_env_variable(askbot: Run, tmp_path) -> None:
    write(
        tmp_path / "mini.yaml",
        "source: {title: Mini talk, interviewee: Ann}\n"
        "entries:\n  - id: cats\n    question: Do you like cats?\n    answer: Very much.\n",
    )
    by_option = askbot("ask", "--kb", str(tmp_path), "do you like cats")
    by_env = askbot("ask", "do you like cats", env={"ASKBOT_KB": str(tmp_path)})
    for proc in (by_option, by_env):
        assert proc.returncode == 0 and proc.stdout.startswith("Very much.")
        assert "- Ann · Mini talk · question 1 of 1" in proc.stdout


def test_list_prints_every_question_with_id(askbot: Run) -> None:
    proc = askbot("list")
    assert proc.returncode == 0
    for entry in shipped_entries():
        assert any(line.startswith(entry["id"]) and entry["question"] in line for line in proc.stdout.splitlines())


def test_python_dash_m_and_version(askbot: Run) -> None:
    proc = askbot("--version")
    assert proc.returncode == 0 and proc.stdout.startswith("askbot ")


def test_closed_stdout_is_quiet(tmp_path) -> None:
    import subprocess
    import sys

    cmd = f"yes 'why hangzhou' | head -2000 | {sys.executable} -m askbot ask --json - | head -1"
    proc = subprocess.run(["bash", "-c", cmd], capture_output=True, text=True, timeout=60)
    assert json.loads(proc.stdout)["id"] == "hangzhou-advantages"
    assert "Traceback" not in proc.stderr and "BrokenPipe" not in proc.stderr
