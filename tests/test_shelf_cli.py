"""Several interviews and questions about them from scripts: real ``askbot`` subprocesses."""

from __future__ import annotations

import json
import os

import pytest
import yaml

from conftest import DATA, SHIPPED, Run, write

SECOND = str(DATA / "lena-hoffmann-2019.yaml")
SHELF = ["--kb", str(SHIPPED), "--kb", SECOND]


def test_json_results_carry_their_interview(askbot: Run) -> None:
    proc = askbot("ask", *SHELF, "--json", "how do you hire engineers?")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    lena = {"title": "Lena Hoffmann: Ledgers Are Boring, and That Is the Point", "interviewee": "Lena Hoffmann"}
    assert data["interview"] == lena and data["meta"] is None
    assert all(f["interview"] == lena for f in data["follow_ups"])
    assert all(set(a["interview"]) == {"title", "interviewee"} for a in data["alternatives"])


def test_ambiguous_alternatives_name_their_interviews(askbot: Run) -> None:
    proc = askbot("ask", *SHELF, "--json", "--threshold", "90", "what is blockchain?")
    data = json.loads(proc.stdout)
    names = {a["interview"]["interviewee"] for a in data["alternatives"]}
    assert {"Wang Yuejian", "Lena Hoffmann"} <= names
    text = askbot("ask", *SHELF, "--threshold", "90", "what is blockchain?").stdout
    assert "What is blockchain? — Lena Hoffmann" in text and "What is “blockchain”? — Wang Yuejian" in text


def test_ask_names_the_other_interview_that_answers_about_as_well(askbot: Run) -> None:
    proc = askbot("ask", *SHELF, "what is blockchain?")
    assert proc.returncode == 0 and proc.stdout.startswith("Q: What is “blockchain”?\nBlockchain is a technology")
    assert proc.stdout.rstrip().endswith(
        "Also answered in the interview with Lena Hoffmann (--interview NAME to choose)."
    )
    alone = askbot("ask", *SHELF, "how do you hire engineers?").stdout
    assert "Also answered" not in alone


@pytest.mark.parametrize("name", ["lena", "Hoffmann", "ledgers are boring"])
def test_interview_option_narrows_ask(askbot: Run, name: str) -> None:
    proc = askbot("ask", *SHELF, "--interview", name, "what is blockchain?")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("Q: What is blockchain?\nA shared ledger") and "question 1 of 5" in proc.stdout


def test_interview_option_narrows_a_batch(askbot: Run) -> None:
    proc = askbot("ask", *SHELF, "--interview", "wang", "--json", "-", input="what is blockchain?\nhow do you hire?\n")
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert proc.returncode == 0 and len(lines) == 2
    assert lines[0]["id"] == "what-is-blockchain"
    assert all(a["interview"]["interviewee"] == "Wang Yuejian" for line in lines for a in line["alternatives"])


def test_unknown_interview_is_a_one_line_usage_error(askbot: Run) -> None:
    proc = askbot("ask", *SHELF, "--interview", "zzzz", "what is blockchain?")
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.splitlines() == [
        "askbot: error: --interview: no loaded interview matches 'zzzz' (loaded: Wang Yuejian; Lena Hoffmann)"
    ]


def test_meta_question_in_ask_is_marked_and_exits_0(askbot: Run) -> None:
    proc = askbot("ask", "when was the interview?")
    assert proc.returncode == 0, proc.stderr
    assert "is dated 2018-03-26" in proc.stdout and "from the source details" in proc.stdout
    assert "question " not in proc.stdout.replace("questions", "")


def test_meta_question_with_explain_says_why(askbot: Run) -> None:
    proc = askbot("ask", "--explain", "at what event?")
    assert proc.stdout.rstrip().endswith("why: a question about the interview itself, answered from its source details")


def test_meta_question_in_json_says_it_is_meta(askbot: Run) -> None:
    data = json.loads(askbot("ask", "--json", "who interviewed him?").stdout)
    assert data["matched"] is True and data["answer"] is None and data["id"] is None
    assert data["meta"]["kind"] == "interviewers" and "Jia Xiaobie and Yang Jialun" in data["meta"]["text"]
    assert data["meta"]["sources"][0]["interviewers"] == ["Jia Xiaobie", "Yang Jialun"]
    assert data["interview"]["interviewee"] == "Wang Yuejian"


def test_meta_question_in_a_batch_and_interview_questions_stay_answers(askbot: Run) -> None:
    lines = "how many questions?\nWill there be more blockchain summits?\nWhen will Hangzhou become a fintech center?\n"
    out = [json.loads(line) for line in askbot("ask", "--json", "-", input=lines).stdout.splitlines()]
    assert out[0]["meta"]["kind"] == "count" and "9 questions" in out[0]["meta"]["text"]
    assert [o["id"] for o in out[1:]] == ["more-summits", "fintech-center-timetable"]
    assert out[1]["meta"] is None


def test_chat_and_ask_say_each_thing_the_same_way(askbot: Run) -> None:
    for question in ("why hangzhou?", "hangzhou", "what is the price of bitcoin?", "who was interviewed?"):
        asked = askbot("ask", question).stdout.strip()
        chatted = askbot(input=question + "\n").stdout.strip()
        if "You could ask" in asked:  # suggestions are a sample; the wording must match
            asked, chatted = asked.split("\n", 1)[0], chatted.split("\n", 1)[0]
        marker = "(from the source details, not an answer given in the interview"
        if marker in asked:  # only the chat, which has /source, points to it
            assert asked.endswith(marker + ")") and chatted.endswith(marker + "; /source shows them all)")
            asked, chatted = asked.split("\n", 1)[0], chatted.split("\n", 1)[0]
        assert asked == chatted, question


def test_piped_chat_with_two_interviews_and_interview_option(askbot: Run) -> None:
    proc = askbot(
        *SHELF, "chat", "--interview", "lena", input="what is blockchain?\n/use all\nwhat is blockchain?\n2\n"
    )
    assert proc.returncode == 0, proc.stderr
    first, rest = proc.stdout.split("Asking all 2 interviews.", 1)
    assert first.startswith("Q: What is blockchain?\nA shared ledger")
    assert "Whose answer — Wang Yuejian's or Lena Hoffmann's?" in rest and rest.rstrip().endswith("— Lena Hoffmann")


# -- knowledge folders --------------------------------------------------------------------------


@pytest.fixture
def messy_folder(tmp_path):
    """A knowledge folder as editors and other systems leave it."""
    folder = tmp_path / "kb"
    folder.mkdir()
    (folder / "a.yaml").write_bytes(SHIPPED.read_bytes())
    os.symlink("user@host.1234:1700000000", folder / ".#a.yaml")  # an Emacs lock: a dangling link
    write(folder / "._a.yaml", "\x00\x05\x16\x07 mac resource fork")
    write(folder / ".hidden.yaml", "source: {title: Hidden}\nentries: [{id: h, question: Hidden?, answer: H.}]\n")
    (folder / "sub.yaml").mkdir()
    os.mkfifo(folder / "pipe.yaml")
    os.symlink("loop.yaml", folder / "loop.yaml")
    os.symlink("gone.yaml", folder / "broken.yaml")
    write(folder / "notes.txt", "not knowledge")
    return folder


@pytest.mark.parametrize("command", ["ask", "check"])
def test_folder_reads_only_regular_visible_yaml_and_names_the_rest(askbot: Run, messy_folder, command: str) -> None:
    args = ["ask", "--kb", str(messy_folder), "why hangzhou?"] if command == "ask" else ["check", str(messy_folder)]
    proc = askbot(*args)  # a FIFO opened for reading would block here until the 60 s timeout
    assert proc.returncode == 0, proc.stderr
    note = [line for line in proc.stderr.splitlines() if "note" in line]
    assert note == [
        f"askbot: note: {messy_folder}: skipped .#a.yaml (hidden), ._a.yaml (hidden), .hidden.yaml (hidden), "
        "broken.yaml (a link to nothing), loop.yaml (symlink loop), pipe.yaml (a FIFO), sub.yaml (a folder)"
    ]
    if command == "ask":
        assert "question 4 of 9" in proc.stdout


def test_named_fifo_device_and_link_loop_are_refused_at_once(askbot: Run, messy_folder) -> None:
    cases = {
        messy_folder / "pipe.yaml": "not a regular file (a FIFO); not read",
        messy_folder / "loop.yaml": "symlink loop",
        messy_folder / "broken.yaml": "a link to nothing",
    }
    for path, message in cases.items():
        for args in (["ask", "--kb", str(path), "q"], ["check", str(path)]):
            proc = askbot(*args)
            assert proc.returncode == 2 and proc.stderr == f"askbot: error: {path}: {message}\n", args


def test_readme_ingest_example_does_not_write_into_the_bundled_folder() -> None:
    readme = (SHIPPED.parents[1] / "README.md").read_text(encoding="utf-8")
    examples = [line for line in readme.splitlines() if line.startswith("askbot ingest")]
    assert examples and not any("knowledge/" in line.split("-o", 1)[-1] for line in examples)


def test_ask_leaves_a_meta_shaped_interview_question_to_the_interview(askbot: Run, tmp_path) -> None:
    path = write(
        tmp_path / "author.yaml",
        "source: {title: On her novel, interviewee: Ann Smith, date: '2021-02-03'}\n"
        "entries:\n  - id: published\n    question: When was it published?\n    answer: In the spring of 1999.\n",
    )
    answered = askbot("ask", "--kb", str(path), "when was it published?").stdout
    assert answered.startswith("Q: When was it published?\nIn the spring of 1999.")
    assert "is dated 2021-02-03" in askbot("ask", "--kb", str(path), "when was the interview?").stdout


# -- list and export --------------------------------------------------------------------------------


def test_list_puts_each_interviews_questions_under_its_name(askbot: Run) -> None:
    proc = askbot("list", *SHELF)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    wang = lines.index("# Wang Yuejian: The Future Of Blockchain In Hangzhou Is Bright (9 questions)")
    lena = lines.index("# Lena Hoffmann: Ledgers Are Boring, and That Is the Point (5 questions)")
    assert wang == 0 and lena == wang + 9 + 2 and lines[lena + 1].startswith("hoffmann-what-is-blockchain ")
    items = json.loads(askbot("list", *SHELF, "--json").stdout)
    assert {item["interview"]["interviewee"] for item in items} == {"Wang Yuejian", "Lena Hoffmann"}
    alone = askbot("list").stdout
    assert alone.startswith("what-is-blockchain") and "#" not in alone, "one interview needs no label"


def test_export_writes_an_interview_as_markdown_in_order(askbot: Run, tmp_path) -> None:
    proc = askbot("export", *SHELF, "--interview", "lena")
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout
    title = "# Lena Hoffmann: Ledgers Are Boring, and That Is the Point"
    assert text.startswith(f"{title}\n\nLena Hoffmann, Head of Research")
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings[0] == "## 1. What is blockchain?" and len(headings) == 5 and headings[-1].startswith("## 5. ")
    lena = {entry["question"]: entry["answer"] for entry in _entries(SECOND)}
    for question, answer in lena.items():
        assert f"{question}\n\n{answer.strip()}\n" in text, "answers verbatim, under their questions"
    assert "Wang Yuejian" not in text


def test_export_to_a_file_refuses_to_overwrite_without_force(askbot: Run, tmp_path) -> None:
    out = tmp_path / "wang.md"
    first = askbot("export", "-o", str(out))
    assert first.returncode == 0 and first.stdout == "" and out.read_text(encoding="utf-8").startswith("# Wang Yuejian")
    again = askbot("export", "-o", str(out))
    assert again.returncode == 2
    assert again.stderr == f"askbot: error: {out}: already exists (use --force to overwrite)\n"
    assert askbot("export", "-o", str(out), "--force").returncode == 0
    both = askbot("export", *SHELF).stdout
    assert both.count("\n# ") == 1 and both.index("# Wang") < both.index("# Lena"), "each interview, in load order"


def _entries(path: str) -> list[dict]:
    with open(path, encoding="utf-8") as file:
        return yaml.safe_load(file)["entries"]
