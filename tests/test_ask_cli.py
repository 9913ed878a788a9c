"""``askbot ask``, ``list`` and the command line's contract, through a real subprocess."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest
import yaml

from conftest import SHIPPED, Run, write


def shipped_entries() -> list[dict]:
    return yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))["entries"]


def test_ask_answers_with_source_and_follow_ups(askbot: Run) -> None:
    proc = askbot("ask", "why hangzhou?")
    advantages = next(e for e in shipped_entries() if e["id"] == "hangzhou-advantages")
    assert proc.returncode == 0, proc.stderr
    heading, answer = proc.stdout.split("\n", 1)
    assert heading == f"Q: {advantages['question']}", "the answer is headed by the question it answers"
    assert answer.startswith(advantages["answer"].rstrip("\n"))
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


def test_explain_says_which_words_matched_and_why_not(askbot: Run) -> None:
    proc = askbot("ask", "--explain", "what are the disadvantages of hangzhou?")
    assert proc.returncode == 1, proc.stdout
    why = proc.stdout.splitlines()[-1]
    assert why.startswith("why: matched: hangzhou; not matched: disadvantages; penalty: ")
    data = json.loads(askbot("ask", "--json", "who is the mayor of hangzhou?").stdout)
    assert data["matched"] is False and "mayor" in data["why"]["unmatched"]
    assert "hangzhou" in data["why"]["matched"]
    batch = askbot("ask", "--explain", "-", input=b"talent shortage\n").stdout
    assert "\nwhy: matched: talent, shortage; not matched: -\n" in batch


def test_ask_not_confident_exits_1_with_suggestions(askbot: Run) -> None:
    proc = askbot("ask", "what is the price of bitcoin?")
    assert proc.returncode == 1
    assert "don't know" in proc.stdout
    questions = [e["question"] for e in shipped_entries()]
    assert any(q in proc.stdout for q in questions)


def test_ask_json_not_matched_has_nulls_and_alternatives(askbot: Run) -> None:
    proc = askbot("ask", "--json", "--threshold", "99.9", "why hangzhou?")
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


def test_batch_text_echoes_a_huge_line_cut(askbot: Run) -> None:
    proc = askbot("ask", "-", input=("talent shortage " * 700_000 + "\n").encode())
    head = proc.stdout.splitlines()[0]
    assert proc.returncode == 0 and head.startswith("> talent shortage talent") and head.endswith("…")
    assert len(head) == len("> ") + 1000 + 1 and "Hangzhou" in proc.stdout


def test_direction_overrides_in_answers_are_shown_not_obeyed(askbot: Run, tmp_path: Path) -> None:
    kb = write(
        tmp_path / "rtl.yaml",
        'source: {title: T}\nentries:\n  - {id: rtl, question: "Which file?", answer: "invoice\\u202Efdp.exe"}\n',
    )
    shown = askbot("ask", "--kb", str(kb), "which file")
    assert shown.stdout.startswith("Q: Which file?\ninvoice\\u202efdp.exe\n") and "\u202e" not in shown.stdout
    data = json.loads(askbot("ask", "--json", "--kb", str(kb), "which file").stdout)
    assert data["answer"] == "invoice\u202efdp.exe"


def test_a_long_host_question_answered_by_two_guests_is_listed_short_and_by_answerer(
    askbot: Run, tmp_path: Path
) -> None:
    scene = "We are here to celebrate twenty years of the book, and the new edition is out in beta now. " * 4
    asked = f"{scene}So how has the book stood the test of time?"
    kb = write(
        tmp_path / "two.yaml",
        yaml.safe_dump(
            {
                "source": {"title": "Two guests", "interviewee": "Ann Lee, Bo Diaz"},
                "entries": [
                    {"id": "ann", "question": asked, "answer": "It is a book on people.", "speaker": "Ann Lee"},
                    {"id": "bo", "question": asked, "answer": "We updated the examples.", "speaker": "Bo Diaz"},
                ],
            }
        ),
    )
    shown = askbot("ask", "--kb", str(kb), "how has the book stood the test of time? is it about people?")
    assert shown.stdout.startswith(f"Q: {asked}\nIt is a book on people."), "the answer's own heading is whole"
    listed = next(line for line in shown.stdout.splitlines() if line.startswith("  1. "))
    assert listed.endswith("So how has the book stood the test of time? (Bo Diaz's answer)"), listed
    assert "…" in listed and len(listed) < len(asked), "cut in its middle, its question kept"
    data = json.loads(askbot("ask", "--json", "--kb", str(kb), "has the book stood the test of time? people").stdout)
    assert asked in [item["question"] for item in data["follow_ups"]], "scripts get it whole"


def test_every_subcommand_row_is_in_the_help_and_runs(askbot: Run) -> None:
    from askbot.app.cli import SUBCOMMANDS

    top = askbot("--help")
    for command in SUBCOMMANDS:
        assert command.name in top.stdout
        own = askbot(command.name, "--help")
        assert own.returncode == 0 and own.stdout.startswith(f"usage: askbot {command.name}"), command.name
    assert askbot("list").stdout.startswith("what-is-blockchain")
    assert askbot("check").stderr == "askbot check: 1 file(s) ok\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ask", "   "], "the question is empty"),
        (["ask", "why \udcff hangzhou"], "the question is not UTF-8 (byte 5)"),
        (["ask", "--bogus", "x"], "unrecognized arguments: --bogus"),
        (["ask", "--threshold", "120", "x"], "not between 0 and 100"),
        (["ask", "--top", "0", "x"], "less than 1"),
        (["--kb", "/no/such/file.yaml", "ask", "x"], "/no/such/file.yaml: no such file or folder"),
    ],
    ids=["blank", "not-utf8", "unknown-option", "threshold", "top", "missing-kb"],
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
        assert proc.returncode == 0 and proc.stdout.startswith("Q: Do you like cats?\nVery much.")
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
    cmd = f"yes 'why hangzhou' | head -2000 | {sys.executable} -m askbot ask --json - | head -1"
    proc = subprocess.run(["bash", "-c", cmd], capture_output=True, text=True, timeout=60)
    assert json.loads(proc.stdout)["id"] == "hangzhou-advantages"
    assert "Traceback" not in proc.stderr and "BrokenPipe" not in proc.stderr


# --- hostile answers and odd questions -------------------------------------------------------

ESCAPES = "Clear\\e[2J, title\\e]0;pwned\\a, bell\\a, CSI\\x9b31m, erase\\e[1K done."


@pytest.fixture
def escape_kb(tmp_path):
    return write(
        tmp_path / "esc.yaml",
        'source: {title: "Escapes\\e[31m", interviewee: Eve}\nentries:\n'
        f'  - id: esc\n    question: "What do escapes\\e[5m do?"\n    answer: "{ESCAPES}"\n',
    )


def test_escape_sequences_in_answers_never_reach_the_terminal(askbot: Run, escape_kb) -> None:
    exact = yaml.safe_load(escape_kb.read_text(encoding="utf-8"))["entries"][0]["answer"]
    assert "\x1b[2J" in exact and "\x07" in exact and "\x9b" in exact
    for args, stdin in [
        (["ask", "--kb", str(escape_kb), "what do escapes do"], None),
        (["ask", "--kb", str(escape_kb), "-"], "what do escapes do\n"),
        (["list", "--kb", str(escape_kb)], None),
        (["--kb", str(escape_kb)], "what do escapes do\n/source\n"),
    ]:
        proc = askbot(*args, input=stdin)
        assert proc.returncode == 0, (args, proc.stderr)
        assert not set(proc.stdout) & {"\x1b", "\x07", "\x9b"}, args
        assert "^[" in proc.stdout
    shown = askbot("ask", "--kb", str(escape_kb), "what do escapes do").stdout
    heading, answer = shown.split("\n", 1)
    assert heading == "Q: What do escapes^[[5m do?"
    assert answer.startswith("Clear^[[2J, title^[]0;pwned^G, bell^G, CSI\\x9b31m, erase^[[1K done.\n")
    data = json.loads(askbot("ask", "--json", "--kb", str(escape_kb), "what do escapes do").stdout)
    assert data["answer"] == exact and data["source"]["title"] == "Escapes\x1b[31m"


@pytest.mark.parametrize(
    "question",
    [
        "ما هي مزايا هانغتشو؟",
        "why hángzhou\u0301\u0302",
        "why hangzhou 😀🚀",
        "?!?! ... ;;",
        "\u200f\u202e\u2066",
        "ﷺ" * 5000,
    ],
    ids=["rtl", "combining", "emoji", "punctuation", "bidi-controls", "expanding"],
)
def test_odd_questions_get_an_answer_or_an_honest_no(askbot: Run, question: str) -> None:
    proc = askbot("ask", "--json", question)
    data = json.loads(proc.stdout)
    assert proc.returncode in (0, 1) and proc.stderr == ""
    assert data["query"] == question and (data["answer"] is None) == (proc.returncode == 1)
    if "hangzhou" in question or "hángzhou" in question:
        assert data["id"] == "hangzhou-advantages"
    text = askbot("ask", question)
    assert text.returncode == proc.returncode and text.stderr == ""


def test_batch_nul_and_odd_lines_each_get_one_line(askbot: Run) -> None:
    lines = ["why\x00 hangzhou", "ما هي", "😀", "...", "why hángzhou"]
    proc = askbot("ask", "--json", "-", input="\n".join(lines))
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert proc.returncode == 0 and len(out) == len(lines)
    assert out[0]["error"] == "contains a NUL byte" and out[0]["query"] == "why hangzhou"
    assert [o["matched"] for o in out[1:]] == [False, False, False, True]


def test_output_encoding_without_unicode_is_escaped_not_a_crash(askbot: Run) -> None:
    text = askbot("ask", "why hangzhou", env={"PYTHONIOENCODING": "ascii"})
    assert text.returncode == 0 and "Last year\\u2019s" in text.stdout and text.stderr == ""
    data = askbot("ask", "--json", "why hangzhou 😀", env={"PYTHONIOENCODING": "ascii"})
    assert json.loads(data.stdout)["query"] == "why hangzhou 😀"


# --- closed and full outputs, Ctrl-C ---------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "stdin"),
    [(["ask", "why hangzhou"], None), (["ask", "--json", "-"], "why hangzhou\n"), ([], "why hangzhou\n")],
    ids=["ask", "batch", "chat"],
)
def test_closed_or_full_stdout_is_one_error_line(args: list[str], stdin: str | None) -> None:
    for redirect, message in ((">&-", "Bad file descriptor"), (">/dev/full", "No space left on device")):
        command = " ".join([sys.executable, "-m", "askbot", *(f"'{a}'" for a in args), redirect])
        proc = subprocess.run(["bash", "-c", command], input=stdin, capture_output=True, text=True, timeout=60)
        assert proc.returncode == 2, (redirect, proc.stderr)
        assert proc.stderr == f"askbot: error: cannot write output: {message}\n"


def test_closed_stdin_reads_as_empty(askbot: Run) -> None:
    for args in ("ask --json -", ""):
        proc = subprocess.run(
            ["bash", "-c", f"{sys.executable} -m askbot {args} <&-"], capture_output=True, text=True, timeout=60
        )
        assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "")


def test_piped_chat_reader_going_away_is_quiet() -> None:
    cmd = f"yes 'why hangzhou' | head -500 | {sys.executable} -m askbot | head -1; exit ${{PIPESTATUS[2]}}"
    proc = subprocess.run(["bash", "-c", cmd], capture_output=True, text=True, timeout=60)
    assert proc.stdout.startswith("Q: What are the advantages") and (proc.returncode, proc.stderr) == (0, "")


def _start_batch(*args: str) -> subprocess.Popen:
    """``askbot ask --json ARGS -`` with unbuffered pipes: the test reads the raw descriptor."""
    return subprocess.Popen(
        [sys.executable, "-m", "askbot", "ask", "--json", *args, "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        bufsize=0,
    )


def _read_line(fd: int) -> tuple[bytes, bytes]:
    """The first line from a raw descriptor, and whatever came after it in the same reads."""
    data = b""
    while b"\n" not in data:
        chunk = os.read(fd, 65536)
        if not chunk:
            break
        data += chunk
    line, _, rest = data.partition(b"\n")
    return line, rest


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 65536):
        chunks.append(chunk)
    return b"".join(chunks)


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["ctrl-c", "term"])
def test_ctrl_c_while_writing_a_long_answer_leaves_whole_lines(tmp_path, signum: int, code: int) -> None:
    """The reader is slow: an answer fills the pipe, the signal lands mid-write, the line still ends."""
    long = write(
        tmp_path / "long.yaml",
        "source: {title: T}\nentries:\n  - id: long\n    question: the long answer please\n"
        f"    answer: {'word ' * 19_000}\n",
    )
    with _start_batch("--kb", str(long)) as proc:
        assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
        proc.stdin.write(b"the long answer please\n" * 20)
        fd = proc.stdout.fileno()
        first, rest = _read_line(fd)
        capacity = fcntl.fcntl(fd, fcntl.F_GETPIPE_SZ)
        assert len(first) > capacity, "each answer is longer than the pipe holds"
        deadline = time.monotonic() + 30
        while _bytes_waiting(fd) < capacity:  # full: askbot is blocked in the middle of a write
            assert time.monotonic() < deadline, "the pipe never filled"
            time.sleep(0.01)
        proc.send_signal(signum)
        out = first + b"\n" + rest + _read_all(fd)
        assert proc.wait(timeout=30) == code and proc.stderr.read() == b""
    lines = out.split(b"\n")
    assert lines[-1] == b"", "the output ends with a whole line"
    assert 2 <= len(lines) - 1 < 20, "the interrupted answer was finished, and nothing after it"
    assert all(json.loads(line) == json.loads(first) for line in lines[:-1])


def _bytes_waiting(fd: int) -> int:
    return struct.unpack("i", fcntl.ioctl(fd, termios.FIONREAD, b"\0\0\0\0"))[0]


def test_ctrl_c_while_waiting_for_input_stops_at_once() -> None:
    with _start_batch() as proc:
        assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
        proc.stdin.write(b"why hangzhou\n")
        line, rest = _read_line(proc.stdout.fileno())
        assert json.loads(line)["id"] == "hangzhou-advantages" and rest == b""
        proc.send_signal(signal.SIGINT)  # askbot now waits on its open stdin
        assert proc.wait(timeout=10) == 130
        assert (proc.stdout.read(), proc.stderr.read()) == (b"", b"")


def test_a_knowledge_folder_is_named_as_pathlib_would_however_typed(askbot: Run, tmp_path: Path) -> None:
    folder = tmp_path / "kb"
    folder.mkdir()
    shutil.copy(SHIPPED, folder / SHIPPED.name)
    for typed in ("./kb/", "kb//", "./kb/."):
        proc = askbot("ask", "--json", "--kb", typed, "why hangzhou", cwd=tmp_path)
        assert json.loads(proc.stdout)["source"]["file"] == f"kb/{SHIPPED.name}", typed


def test_help_is_wrapped_at_80_columns_when_the_terminal_says_0(askbot: Run) -> None:
    usage = askbot("ask", "--help", env={"COLUMNS": "0"}).stdout.splitlines()
    assert max(map(len, usage)) <= 80 and "[--kb PATH] [--interview NAME]" in usage[0]


@pytest.mark.parametrize(
    "argv",
    [
        ["ask", "why hangzhou?"],
        ["--kb", "ask", "list"],
        ["--k=knowledge", "--no-color", "ask", "--interview", "list", "-"],
        ["--interv", "ask", "chat", "--lexical"],
        ["--model", "export", "index", "knowledge"],
        ["ingest", "talk.md", "--title", "ask"],
        ["--no-cache", "check", "--", "ask"],
    ],
)
def test_a_named_command_parses_as_the_whole_command_line_does(argv: list[str]) -> None:
    """Only the named command's parser is built for a line that names one: it must read the line
    exactly as the parser of every command does, options' values named like commands included."""
    from askbot.app import cli

    assert cli.named_command(argv) in {command.name for command in cli.SUBCOMMANDS}
    assert cli.build_parser(argv).parse_args(argv) == cli.build_parser().parse_args(argv)


def test_every_top_level_option_that_takes_a_value_is_read_ahead_of_argparse() -> None:
    """``named_command`` keeps its own list of the options before the command that take a value
    (reading them from argparse at start-up would cost the parser it saves): the list must be the
    parser's own, so a new option cannot make ``askbot --new VALUE ask`` build the wrong parser."""
    import argparse

    from askbot.app import cli

    parser = cli.build_parser()
    taking_values = {
        option
        for action in parser._actions
        if action.nargs != 0 and not isinstance(action, argparse._SubParsersAction)
        for option in action.option_strings
        if option.startswith("--")
    }
    assert taking_values == set(cli._VALUE_OPTIONS)


@pytest.mark.parametrize("argv", [["-h", "ask"], ["--", "ask"], ["bogus"], [], ["--kb", "x"]])
def test_a_line_that_names_no_command_gets_every_parser(argv: list[str]) -> None:
    from askbot.app import cli

    assert cli.named_command(argv) is None
