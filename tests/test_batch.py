"""``askbot ask -`` reads its lines as they arrive: whole lines, in order, nothing held back."""

from __future__ import annotations

import json

from conftest import Run


def test_an_over_long_line_is_cut_between_characters_not_inside_one(askbot: Run) -> None:
    """A line past the 4 MiB read whole is cut there; a character the cut would split is dropped
    whole, so the line is still UTF-8 and is answered."""
    line = "why hangzhou? " + "€" * 2_000_000  # 6 MB, three bytes a character: the cut splits one
    proc = askbot("ask", "--json", "-", input=(line + "\ntalent shortage\n").encode())
    out = [json.loads(row) for row in proc.stdout.splitlines()]
    assert proc.returncode == 0 and len(out) == 2
    assert "error" not in out[0] and out[0]["query"].startswith("why hangzhou? €€")
    assert out[1]["id"] == "talent-shortage"


def test_a_last_line_without_a_line_end_is_answered(askbot: Run) -> None:
    proc = askbot("ask", "--json", "-", input=b"why hangzhou?\r\ntalent shortage")
    assert [json.loads(row)["id"] for row in proc.stdout.splitlines()] == ["hangzhou-advantages", "talent-shortage"]


def test_many_lines_in_one_read_each_get_their_answer_in_order(askbot: Run) -> None:
    questions = ["why hangzhou?", "talent shortage", "what is the price of bitcoin?"] * 100
    proc = askbot("ask", "--json", "-", input="\n".join(questions) + "\n")
    out = [json.loads(row) for row in proc.stdout.splitlines()]
    assert proc.returncode == 0 and [o["query"] for o in out] == questions
    assert [o["id"] for o in out[:3]] == ["hangzhou-advantages", "talent-shortage", None]
