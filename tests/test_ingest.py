"""``askbot ingest``: the real scraped transcript and the other common transcript styles."""

from __future__ import annotations

import pytest
import yaml

from askbot import ingest
from conftest import SHIPPED, TRANSCRIPT, Run, write


def test_ingest_reproduces_shipped_questions_and_answers(askbot: Run, tmp_path) -> None:
    out = tmp_path / "out.yaml"
    proc = askbot("ingest", str(TRANSCRIPT), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    made = yaml.safe_load(out.read_text(encoding="utf-8"))
    shipped = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    assert [(e["question"], e["answer"]) for e in made["entries"]] == [
        (e["question"], e["answer"]) for e in shipped["entries"]
    ]
    assert made["source"]["title"] == shipped["source"]["title"]
    assert made["source"]["date"] == "2018-03-26"
    assert made["source"]["interviewee"] == "Wang Yuejian"
    assert made["source"]["interviewers"] == ["Jia Xiaobie", "Yang Jialun"]
    assert "Hot search keywords" in proc.stderr and "Please sign in first" in proc.stderr
    assert askbot("check", str(out)).returncode == 0


def test_ingest_never_overwrites_without_force(askbot: Run, tmp_path) -> None:
    out = write(tmp_path / "out.yaml", "precious\n")
    proc = askbot("ingest", str(TRANSCRIPT), "-o", str(out))
    assert proc.returncode == 2 and "already exists" in proc.stderr
    assert out.read_text() == "precious\n"
    assert askbot("ingest", str(TRANSCRIPT), "-o", str(out), "--force").returncode == 0
    assert "entries:" in out.read_text()


def test_ingest_to_stdout_and_bad_input(askbot: Run, tmp_path) -> None:
    proc = askbot("ingest", str(TRANSCRIPT))
    assert proc.returncode == 0 and yaml.safe_load(proc.stdout)["entries"]
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Q: caf\xe9?\nA: yes\n".encode("latin-1"))
    bad = askbot("ingest", str(latin))
    assert bad.returncode == 2 and bad.stderr == f"askbot: error: {latin}:1:7: not UTF-8 text\n"
    endless = askbot("ingest", "/dev/zero")
    assert endless.returncode == 2 and "/dev/zero: file is over the limit" in endless.stderr
    folder = askbot("ingest", str(tmp_path))
    assert folder.returncode == 2 and f"{tmp_path}: cannot read: Is a directory" in folder.stderr
    empty = askbot("ingest", str(write(tmp_path / "e.txt", "just prose\n")))
    assert empty.returncode == 2 and "found no interview" in empty.stderr


STYLES = {
    "q-dot": "Talk\n\nQ. Why cats?\nA. They purr.\n\nQ. Why dogs?\nA. They fetch.\n",
    "question-answer": (
        "Talk\n\nQuestion: Why cats?\nAnswer: They purr.\n\nQuestion: Why dogs?\nAnswer: They fetch.\n"
    ),
    "markdown": "# Talk\n\n**Q:** Why cats?\n\n**A:** They purr.\n\n**Q: Why dogs?**\n\n**A:** They fetch.\n",
    "speakers": (
        "Talk\n\nInterviewer: Why cats?\nJANE DOE: They purr.\n\nInterviewer: Why dogs?\nJANE DOE: They fetch.\n"
    ),
}


@pytest.mark.parametrize("text", STYLES.values(), ids=STYLES.keys())
def test_transcript_styles(text: str) -> None:
    parsed = ingest.parse(text)
    assert [(e.question, e.answer) for e in parsed.entries] == [
        ("Why cats?", "They purr."),
        ("Why dogs?", "They fetch."),
    ]
    assert parsed.source.title == "Talk"


def test_speaker_style_names_interviewee() -> None:
    assert ingest.parse(STYLES["speakers"]).source.interviewee == "Jane Doe"
