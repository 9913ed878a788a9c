"""The chat: turn logic, the prompt_toolkit session, a real pty and the piped mode."""

from __future__ import annotations

import io
import os
import pty
import select
import shutil
import stat
import sys
import time

import pytest
from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.document import Document
from prompt_toolkit.history import InMemoryHistory
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from askbot import Matcher, load
from askbot.app.chat import ChatHistory, QuestionCompleter, make_session, open_history, pasted_lines, show
from askbot.conversation.session import Conversation
from conftest import DATA, SHIPPED, Run

SHIPPED_KB, LENA_KB = SHIPPED, DATA / "lena-hoffmann-2019.yaml"


@pytest.fixture
def conversation() -> Conversation:
    return Conversation(Matcher(load()))


def test_greeting_names_interview_and_help(conversation: Conversation) -> None:
    text = conversation.greeting().text
    assert "Wang Yuejian" in text and "2018-03-26" in text and "9 questions" in text and "/help" in text
    assert len(text.strip().splitlines()) <= 2


def test_answer_then_pick_follow_up_by_number(conversation: Conversation) -> None:
    first = conversation.respond("why would a startup pick hangzhou?")
    assert "Abundant talent reserves" in first.text and "question 4 of 9" in first.text
    second = conversation.respond("1")
    assert "question 5 of 9" in second.text  # the first curated follow-up: talent shortage


def test_follow_up_picked_by_loose_text(conversation: Conversation) -> None:
    conversation.respond("why hangzhou")
    reply = conversation.respond("the special aspects of hangzhou's policy")
    assert "question 6 of 9" in reply.text


def test_more_continues(conversation: Conversation) -> None:
    conversation.respond("why hangzhou")
    shown = conversation.respond("tell me more").text
    assert "question 5 of 9" in shown
    after = conversation.respond("next")
    assert conversation.last is not None and conversation.last.id not in ("hangzhou-advantages", "talent-shortage")
    assert f"question {conversation.last.position} of 9" in after.text


@pytest.mark.parametrize(
    ("line", "expected"),
    [("hello!", "Hello!"), ("thanks", "welcome"), ("/nope", "Unknown command /nope")],
    ids=["greeting", "thanks", "unknown-command"],
)
def test_small_talk_and_commands(conversation: Conversation, line: str, expected: str) -> None:
    reply = conversation.respond(line)
    assert expected in reply.text and "Blockchain" not in reply.text


def test_not_covered_offers_questions(conversation: Conversation) -> None:
    reply = conversation.respond("what is the price of bitcoin?")
    assert "does not cover" in reply.text and "  1. " in reply.text


def test_commands(conversation: Conversation) -> None:
    assert "/list" in conversation.respond("/help").text
    listing = conversation.respond("/list").text
    assert "  9. " in listing
    assert "question 9 of 9" in conversation.respond("9").text
    assert "interviewers: Jia Xiaobie, Yang Jialun" in conversation.respond("/source").text
    assert "/list" in conversation.respond("/history").text
    assert conversation.respond("/quit").done


def test_session_reads_from_pipe_input(conversation: Conversation) -> None:
    with create_pipe_input() as pipe:
        session = make_session(conversation, InMemoryHistory(), input=pipe, output=DummyOutput())
        pipe.send_text("why hangzhou?\r")
        assert session.prompt() == "why hangzhou?"


def test_fuzzy_completion_of_questions_and_commands() -> None:
    kb = load()
    completer = QuestionCompleter([e.question for e in kb])
    found = [c.text for c in completer.get_completions(Document("talent bottle"), CompleteEvent())]
    assert found and "bottleneck" in found[0]
    commands = [c.text for c in completer.get_completions(Document("/li"), CompleteEvent())]
    assert commands == ["/list"]


def test_use_completes_the_interviews_names() -> None:
    kb = load([SHIPPED_KB, LENA_KB])
    completer = QuestionCompleter([e.question for e in kb], interviews=kb.sources)
    found = [c.text for c in completer.get_completions(Document("/use le"), CompleteEvent())]
    assert found == ["Lena Hoffmann"]
    every = [c.text for c in completer.get_completions(Document("/use "), CompleteEvent())]
    assert every == ["Wang Yuejian", "Lena Hoffmann", "all"]
    assert [c.text for c in completer.get_completions(Document("/use ledg"), CompleteEvent())] == ["Lena Hoffmann"]


@pytest.mark.parametrize(
    ("pasted", "asked"),
    [
        ("why would a startup\npick hangzhou over\nbeijing?", ["why would a startup pick hangzhou over beijing?"]),
        ("why hangzhou?\nwhen was the interview?\n2", ["why hangzhou?", "when was the interview?", "2"]),
        ("What is blockchain?\nWho interviewed him?", ["What is blockchain?", "Who interviewed him?"]),
        ("why hangzhou?\r\nwhat is blockchain?\r\n", ["why hangzhou?", "what is blockchain?", ""]),
    ],
    ids=["wrapped", "several", "capitalised", "crlf"],
)
def test_a_paste_is_split_into_questions_but_a_wrapped_one_stays_whole(pasted: str, asked: list[str]) -> None:
    assert pasted_lines(pasted) == asked


@pytest.mark.parametrize("columns", [40, 60, 100])
def test_a_long_listed_question_keeps_its_end_and_whose_answer_it_is_on_any_width(
    capsys, monkeypatch, columns: int
) -> None:
    from askbot.conversation.render import numbered
    from askbot.model import Entry, Source

    monkeypatch.setenv("COLUMNS", str(columns))
    asked = "We are here to celebrate twenty years of the book and its new edition. " * 5 + "How has it held up?"
    both = [Entry(n, asked, "A.", Source("T"), speaker=who) for n, who in (("a", "Ann Lee"), ("b", "Bo Diaz"))]
    show(numbered(both), color=False)
    shown = capsys.readouterr().out
    items = shown.split("  2. ")
    assert len(items) == 2 and all(len(item.rstrip().splitlines()) <= 3 for item in items), shown
    assert "How has it held up? (Ann Lee's answer)" in " ".join(items[0].split()), shown
    assert "How has it held up? (Bo Diaz's answer)" in " ".join(items[1].split()), shown


def test_headings_and_history_items_stay_on_one_line(capsys, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    conversation = Conversation(Matcher(load()))
    long_question = "talent " * 700
    conversation.respond(long_question)
    reply = conversation.respond("why would a startup pick hangzhou?")
    show(reply.fragments, color=False)
    show(conversation.respond("/history").fragments, color=False)
    lines = capsys.readouterr().out.splitlines()
    heading = next(line for line in lines if line.startswith("Q: "))
    assert len(heading) <= 59 and "…" in heading, "cut to the screen's width"
    assert heading.startswith("Q: What are") and heading.endswith("in Hangzhou?"), "cut in the middle: it asks last"
    item = next(line for line in lines if line.startswith("  1. talent talent"))
    assert len(item) == 59 and item.endswith("…"), "cut to the screen, not 4,900 characters over 80 lines"


def test_history_file_is_private(private_home) -> None:
    open_history(sys.stderr)
    path = private_home / "data" / "askbot" / "history"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_piped_chat(askbot: Run) -> None:
    proc = askbot(input="hello\nwhy hangzhou?\n1\nwhat is the price of bitcoin?\n")
    assert proc.returncode == 0, proc.stderr
    assert "Hello!" in proc.stdout and "question 4 of 9" in proc.stdout and "question 5 of 9" in proc.stdout
    assert "does not cover" in proc.stdout
    assert "\x1b" not in proc.stdout and "ask>" not in proc.stdout


def _read_until(fd: int, needle: bytes, buffer: bytearray, timeout: float = 20) -> bytes:
    deadline = time.monotonic() + timeout
    while needle not in buffer:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise AssertionError(f"{needle!r} not seen; screen so far: {bytes(buffer)[-2000:]!r}")
        ready, _, _ = select.select([fd], [], [], remaining)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            buffer.extend(chunk)
    # Keep what came after the needle: the next wait may be for it (a prompt in the same chunk).
    end = buffer.find(needle) + len(needle) if needle in buffer else len(buffer)
    seen = bytes(buffer[:end])
    del buffer[:end]
    return seen


def _spawn_chat(**env: str) -> tuple[int, int]:
    """``askbot`` on a new pty with ``env`` added; returns the child's pid and the pty's fd."""
    pid, fd = pty.fork()
    if pid == 0:
        os.environ.update(env)
        os.execv(sys.executable, [sys.executable, "-m", "askbot"])
    return pid, fd


def _end_chat(pid: int, fd: int) -> int:
    """Ctrl-D, then the chat's exit status."""
    os.write(fd, b"\x04")
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    assert os.WIFEXITED(status), status
    return os.WEXITSTATUS(status)


def test_dumb_terminal_gets_plain_prompt(private_home) -> None:
    pid, fd = _spawn_chat(TERM="dumb")
    screen = bytearray()
    _read_until(fd, b"ask>", screen)
    os.write(fd, b"why hangzhou\r")
    shown = _read_until(fd, b"question 4 of 9", screen)
    assert b"\x1b" not in shown
    _read_until(fd, b"ask>", screen)
    assert _end_chat(pid, fd) == 0


def test_chat_on_a_real_pty(private_home) -> None:
    pid, fd = _spawn_chat(TERM="xterm", COLUMNS="100", LINES="40")
    screen = bytearray()
    _read_until(fd, b"ask>", screen)
    os.write(fd, b"why would a startup pick hangzhou?\r")
    shown = _read_until(fd, b"question 4 of 9", screen)
    assert b"Abundant talent reserves" in shown
    _read_until(fd, b"ask>", screen)
    os.write(fd, b"1\r")
    shown = _read_until(fd, b"question 5 of 9", screen)
    assert b"Establish more training facilities" in shown
    _read_until(fd, b"ask>", screen)
    os.write(fd, b"some half typed line")
    _read_until(fd, b"some half typed line", screen)
    # Ctrl-C clears the line in place (prompt_toolkit redraws only the buffer, so the prompt
    # text is not printed again); what is typed next is a fresh question, answered as such.
    os.write(fd, b"\x03")
    os.write(fd, b"what is the timetable for the fintech center?\r")
    shown = _read_until(fd, b"question 3 of 9", screen)
    assert b"by 2030" in shown
    _read_until(fd, b"ask>", screen)
    assert _end_chat(pid, fd) == 0
    history = (private_home / "data" / "askbot" / "history").read_text()
    assert "why would a startup pick hangzhou?" in history and "some half typed line" not in history
    assert "\nwhat is the timetable for the fintech center?" in history.replace("+", "\n")


def test_chat_without_a_writable_data_folder_warns_once(tmp_path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be\n")
    pid, fd = _spawn_chat(TERM="xterm", XDG_DATA_HOME=str(blocker))
    screen = bytearray()
    shown = _read_until(fd, b"ask>", screen)
    assert shown.count(b"askbot: warning: history not saved") == 1 and b"Not a directory" in shown
    os.write(fd, b"why hangzhou\r")
    assert b"Abundant talent reserves" in _read_until(fd, b"question 4 of 9", screen)
    _read_until(fd, b"ask>", screen)
    assert _end_chat(pid, fd) == 0
    assert blocker.read_text() == "a file where the data folder should be\n"


def test_corrupt_history_file_is_kept_and_the_chat_starts(private_home) -> None:
    history = private_home / "data" / "askbot" / "history"
    history.parent.mkdir(parents=True)
    garbage = b"\xff\xfe\x00 not utf-8\n+\xc3\x28 broken\n# 2020 no plus sign\n\x1b[2J\n+old question\n"
    history.write_bytes(garbage)
    pid, fd = _spawn_chat(TERM="xterm")
    screen = bytearray()
    _read_until(fd, b"ask>", screen)
    os.write(fd, b"why hangzhou\r")
    assert b"Abundant talent reserves" in _read_until(fd, b"question 4 of 9", screen)
    _read_until(fd, b"ask>", screen)
    assert _end_chat(pid, fd) == 0
    data = history.read_bytes()
    assert data.startswith(garbage) and b"+why hangzhou\n" in data[len(garbage) :]


def test_history_skips_pasted_articles_and_survives_a_failing_disk(tmp_path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    warnings = io.StringIO()
    history = ChatHistory(folder / "history", warnings)
    history.append_string("why hangzhou?")
    history.append_string("talent " * 1_000)
    saved = (folder / "history").read_text()
    assert "+why hangzhou?" in saved and "talent talent" not in saved
    assert history.get_strings()[-1].startswith("talent talent"), "still recalled in this session"
    shutil.rmtree(folder)
    history.append_string("after the folder went away")
    history.append_string("and again")
    assert warnings.getvalue().count("askbot: warning: history not saved") == 1
    assert history.get_strings()[-2:] == ["after the folder went away", "and again"]


def test_ctrl_d_typed_while_an_answer_prints_ends_the_chat(private_home) -> None:
    """Between prompts the terminal stays raw, so the tty driver cannot swallow the Ctrl-D."""
    pid, fd = _spawn_chat(TERM="xterm")
    screen = bytearray()
    _read_until(fd, b"ask>", screen)
    os.write(fd, b"why would a startup pick hangzhou?\r")
    _read_until(fd, b"question 4 of 9", screen)  # the follow-ups and the next prompt are still to come
    os.write(fd, b"\x04")
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if select.select([fd], [], [], 0.2)[0]:
            try:
                os.read(fd, 65536)
            except OSError:
                pass
    else:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        raise AssertionError("the chat ignored a Ctrl-D typed while it was answering")
    os.close(fd)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
