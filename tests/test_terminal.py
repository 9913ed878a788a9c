"""The chat in a real terminal under a real shell (tmux + bash with job control).

What only a terminal shows: the mode the chat leaves the terminal in after a signal or a crash,
the toolbar erased, Ctrl-Z handing the terminal back to the shell and ``fg`` bringing the chat
back, a bracketed paste of several lines, and a shelf of two interviews as a reader sees it.
Every wait polls the screen with a generous deadline, so a loaded machine only makes it slower.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from askbot import load, semantic
from conftest import DATA, SHIPPED, large_archive

# Linux for /proc; tmux is needed, and in CI its absence fails the tests rather than hiding them.
pytestmark = pytest.mark.skipif(
    sys.platform != "linux" or (shutil.which("tmux") is None and not os.environ.get("CI")),
    reason="needs Linux and tmux",
)

CHAT = f"{sys.executable} -m askbot"
SHELF = f"{CHAT} --kb {SHIPPED} --kb {DATA / 'lena-hoffmann-2019.yaml'}"
TOOLBAR = "9 questions · /help"
# The shell prints the chat's exit code and whether the terminal is in cooked mode again.
STATUS = "echo \"rc=$? modes=$(stty -a | tr -s ' ;' '\\n' | grep -xE -- '-?(icanon|echo)' | paste -sd,)\""


class Shell:
    """An interactive bash in a detached tmux session, driven by keys and read from the screen."""

    def __init__(self, socket: Path) -> None:
        self.socket = socket

    def tmux(self, *args: str) -> str:
        done = subprocess.run(["tmux", "-S", str(self.socket), *args], capture_output=True, text=True, timeout=30)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def type(self, text: str) -> None:
        """Type a line and press Enter."""
        self.tmux("send-keys", "-l", text)
        self.tmux("send-keys", "Enter")

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", *keys)

    def paste(self, text: str) -> None:
        """Paste as a terminal does: bracketed, when the program asked for it."""
        self.tmux("set-buffer", "--", text)
        self.tmux("paste-buffer", "-p", "-d")

    def screen(self, *, history: bool = False) -> str:
        """What is on the screen (with the scrollback when ``history``), as lines."""
        return self.tmux("capture-pane", "-p", "-J", *(["-S", "-1000"] if history else []))

    def text(self, *, history: bool = False) -> str:
        """The screen with every run of spaces and line ends as one space: the chat wraps long
        lines to the terminal's width, and a phrase may be cut anywhere."""
        return " ".join(self.screen(history=history).split())

    def wait_for(self, text: str, *, timeout: float = 30, history: bool = False) -> str:
        deadline = time.monotonic() + timeout
        while True:
            shown = self.text(history=history)
            if text in shown:
                return shown
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} not on screen:\n{shown}")
            time.sleep(0.1)

    def wait_for_pattern(self, pattern: str, *, timeout: float = 30, history: bool = False) -> str:
        """The screen (as ``text`` joins it) once the regular expression ``pattern`` is found on it."""
        deadline = time.monotonic() + timeout
        while True:
            shown = self.text(history=history)
            if re.search(pattern, shown, re.DOTALL):
                return shown
            if time.monotonic() > deadline:
                raise AssertionError(f"{pattern!r} not on screen:\n{shown}")
            time.sleep(0.1)

    def ask(self, line: str, expected: str) -> str:
        """Type a line into the chat and wait for a new ``expected`` on the screen."""
        before = self.text(history=True).count(expected)
        self.type(line)
        deadline = time.monotonic() + 30
        while True:
            shown = self.text(history=True)
            if shown.count(expected) > before:
                return shown
            if time.monotonic() > deadline:
                raise AssertionError(f"{expected!r} not on screen after {line!r}:\n{shown}")
            time.sleep(0.1)

    def chat_pid(self) -> int:
        """The process the shell is running in the foreground (the chat)."""
        shell_pid = self.tmux("display-message", "-p", "#{pane_pid}").strip()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            children = Path(f"/proc/{shell_pid}/task/{shell_pid}/children").read_text().split()
            if children:
                return int(children[0])
            time.sleep(0.1)
        raise AssertionError("the shell started no chat")

    def status(self, pid: int, *, state: str = "gone") -> str:
        """Once the chat ``pid`` is gone (or stopped, ``state="T"``), run ``STATUS`` at the shell
        prompt; returns its line, e.g. ``rc=0 modes=icanon,echo``. Keys typed before the chat has
        exited would be read, and dropped, by the chat."""
        _wait_process(pid, state)
        self.type(STATUS)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            found = [line for line in self.screen().splitlines() if re.match(r"rc=\d+ modes=", line)]
            if found:
                return found[-1].strip()
            time.sleep(0.1)
        raise AssertionError(f"no status line:\n{self.screen()}")


def _wait_process(pid: int, state: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except FileNotFoundError:
            if state == "gone":
                return
        else:
            if stat.rsplit(")", 1)[1].split()[0] == state:
                return
        time.sleep(0.05)
    raise AssertionError(f"process {pid} did not reach {state}")


@pytest.fixture
def shell(private_home: Path) -> Iterator[Shell]:
    folder = Path(tempfile.mkdtemp(prefix="askbot-tmux-"))  # short: a socket path has a length limit
    shell = Shell(folder / "socket")
    shell.tmux("-f", "/dev/null", "new-session", "-d", "-x", "100", "-y", "30", "bash --norc --noprofile -i")
    shell.type("PS1='$ '; clear")
    try:
        yield shell
    finally:
        subprocess.run(["tmux", "-S", str(shell.socket), "kill-server"], capture_output=True, timeout=30)
        shutil.rmtree(folder, ignore_errors=True)


def _start(shell: Shell, command: str = CHAT, toolbar: str = TOOLBAR) -> int:
    shell.type(command)
    shell.wait_for(toolbar)
    return shell.chat_pid()


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGHUP, 129)], ids=["TERM", "HUP"])
def test_signal_gives_the_terminal_back(shell: Shell, signum: int, code: int) -> None:
    pid = _start(shell)
    shell.keys("-l", "half typed")
    shell.wait_for("half typed")
    os.kill(pid, signum)
    assert shell.status(pid) == f"rc={code} modes=icanon,echo"
    assert TOOLBAR not in shell.text(), "the toolbar is erased"


def test_an_exception_gives_the_terminal_back(shell: Shell, tmp_path: Path) -> None:
    script = tmp_path / "crash.py"
    script.write_text(
        "import sys\n"
        "from askbot.app import cli\n"
        "from askbot.conversation import session\n"
        "def boom(self, line):\n"
        "    raise RuntimeError('boom')\n"
        "session.Conversation.respond = boom\n"
        "sys.exit(cli.main())\n"
    )
    pid = _start(shell, f"{sys.executable} {script}")
    shell.type("why hangzhou?")
    shell.wait_for("RuntimeError: boom")
    status = shell.status(pid)
    assert status.endswith("modes=icanon,echo") and not status.startswith("rc=0 ")
    assert TOOLBAR not in shell.text()


def test_ctrl_z_suspends_and_fg_redraws(shell: Shell) -> None:
    pid = _start(shell)
    shell.keys("C-z")
    shell.wait_for("Stopped")
    assert "^Z" not in shell.text() and TOOLBAR not in shell.text()
    assert shell.status(pid, state="T") == "rc=148 modes=icanon,echo", "the shell has its terminal back"
    shell.type("clear; fg")
    shell.wait_for(TOOLBAR)
    shell.type("why would a startup pick hangzhou?")
    assert "Abundant talent reserves" in shell.wait_for("question 4 of 9")
    shell.keys("C-d")
    assert shell.status(pid) == "rc=0 modes=icanon,echo"


def test_pasting_several_lines_answers_each_in_order(shell: Shell) -> None:
    pid = _start(shell)
    shell.paste("why would a startup pick hangzhou?\nwhen was the interview?\n\nwhen is the fintech center due?\n")
    shown = shell.wait_for("question 3 of 9", history=True)
    order = [shown.index(s) for s in ("question 4 of 9", "is dated 2018-03-26", "question 3 of 9")]
    assert order == sorted(order)
    # Each of the three pasted questions at a prompt of its own (the blank line's prompt may be
    # redrawn in place, depending on how fast the terminal reads).
    assert shown.count("ask> ") >= 3, "each pasted line is shown at a prompt of its own"
    shell.keys("C-d")
    assert shell.status(pid) == "rc=0 modes=icanon,echo"


def test_a_wrapped_paste_of_one_question_is_asked_once(shell: Shell) -> None:
    pid = _start(shell)
    shell.paste("why would a startup\npick hangzhou over\nbeijing?\n")
    # The answer, then the next prompt (bare "ask>" when it ends the screen: the capture drops
    # trailing spaces).
    shown = shell.wait_for_pattern(r"question 4 of 9.*ask>", history=True)
    assert "ask> why would a startup pick hangzhou over beijing?" in shown
    assert shown.count("ask>") == 2 and "does not cover" not in shown, "one question, not three"
    shell.keys("C-d")
    assert shell.status(pid) == "rc=0 modes=icanon,echo"


def test_keys_typed_after_bye_reach_the_shell(shell: Shell) -> None:
    pid = _start(shell)
    # One write: the chat reads "bye" and the shell command in the same chunk of input.
    shell.keys("-l", "bye\recho typed-after-bye-$((6*7))\r")
    _wait_process(pid, "gone")
    switch = Path("/proc/sys/dev/tty/legacy_tiocsti")
    forbidden = switch.exists() and switch.read_text().strip() == "0" and os.geteuid() != 0
    # Where the kernel forbids pushing input back (TIOCSTI without CAP_SYS_ADMIN), a note says so.
    shell.wait_for("were not passed on" if forbidden else "typed-after-bye-42")
    assert "Goodbye, thanks for reading." in shell.text(history=True)


def test_a_shelf_of_two_interviews(shell: Shell) -> None:
    pid = _start(shell, SHELF, toolbar="14 questions · /help")
    greeting = shell.text()
    assert "2 interviews, 14 questions" in greeting and "Lena Hoffmann: Ledgers Are Boring" in greeting
    shell.ask("what is blockchain?", "Whose answer — Wang Yuejian's or Lena Hoffmann's?")
    shown = shell.ask("2", "question 1 of 5")
    assert "A shared ledger" in shown and "1. Why did you open the lab in Tallinn? — Lena Hoffmann" in shown
    shell.ask("who interviewed her?", "Lena Hoffmann was interviewed by Tom Reyes.")
    listing = shell.ask("/list", "14. What would you tell a student who wants to work on blockchains?")
    assert "Lena Hoffmann: Ledgers Are Boring, and That Is the Point 10. What is blockchain?" in listing
    shell.ask("/use wang", "Asking only Wang Yuejian's interview")
    shell.wait_for(" Wang Yuejian · 9 questions")
    shown = shell.ask("what is blockchain?", "question 1 of 9")
    assert shown.count("Whose answer") == 1 and "Blockchain is a technology" in shown
    shell.keys("C-d")
    assert shell.status(pid) == "rc=0 modes=icanon,echo"


def test_replies_readers_type(shell: Shell) -> None:
    pid = _start(shell)
    for line, expected in [
        ("hi askbot", "Hello! Ask me anything about the interview with Wang Yuejian"),
        ("the government", "Did you mean"),
        ("yes", "question 2 of 9"),
        ("the second one", "question 8 of 9"),
        ("who interviewed him?", "interviewed by Jia Xiaobie and Yang Jialun"),
        ("why would a startup pick hangzhou?", "question 4 of 9"),
        ("why?", "I find nothing more on that than Wang Yuejian's answer just above"),
        ("2030", "by 2030"),
    ]:
        shell.ask(line, expected)
    shell.type("thanks, bye")
    assert shell.status(pid) == "rc=0 modes=icanon,echo"


# -- the sentence model, loaded in the background ----------------------------------------------

needs_extra = pytest.mark.skipif(
    not semantic.installed(), reason=f"the model is not installed ({semantic.INSTALL_MODEL})"
)
SEMANTIC_CHAT = f"ASKBOT_SEMANTIC=1 {CHAT}"


@needs_extra
def test_chat_starts_lexical_and_turns_semantic_once_the_model_loads(shell: Shell) -> None:
    # The prompt is up while the model loads: the toolbar says so, and questions are answered by words.
    _start(shell, SEMANTIC_CHAT, f"lexical · loading {semantic.DEFAULT_MODEL}…")
    shell.wait_for(f"semantic · {semantic.DEFAULT_MODEL}", timeout=120)
    # "is the summit going to happen again next year": a paraphrase only the sentence model answers.
    answer = load().get("more-summits")
    assert answer is not None
    shell.ask("is the summit going to happen again next year", " ".join(answer.answer.split()[:6]))
    assert "warning" not in shell.text(history=True)


@needs_extra
def test_a_model_that_fails_to_load_says_so_once_and_the_chat_stays_lexical(shell: Shell) -> None:
    pid = _start(shell, f"{SEMANTIC_CHAT} --model /nonexistent/model", "lexical · /nonexistent/model failed to load")
    shell.wait_for("answering by words only")
    shell.ask("why hangzhou?", "Hangzhou")
    shown = shell.text(history=True)
    assert shown.count("answering by words only") == 1 and "Traceback" not in shown
    assert "lexical · " in shown
    shell.keys("C-d")
    assert shell.status(pid).startswith("rc=0")


@needs_extra
def test_a_base_too_large_to_embed_now_is_answered_by_words_and_says_so(shell: Shell, tmp_path: Path) -> None:
    archive, texts = large_archive(tmp_path)
    pid = _start(shell, f"{SEMANTIC_CHAT} --kb {archive}", f"lexical · {semantic.DEFAULT_MODEL}: run askbot index")
    shell.wait_for(f"{texts:,}+ questions and answer sentences")
    shell.ask("what about topic 17?", "Answer 17.")
    shown = shell.text(history=True)
    assert shown.count("answering by words only") == 1 and "Traceback" not in shown
    shell.keys("C-d")
    assert shell.status(pid).startswith("rc=0")


def test_a_long_question_in_a_list_is_cut_in_its_middle_and_still_picked(shell: Shell, tmp_path: Path) -> None:
    long = " ".join(["As we said on the other episodes, this show celebrates the web platform and the robots"] * 6)
    kb = tmp_path / "host.yaml"
    kb.write_text(
        "source: {title: Meet the host, interviewee: Rachel White}\n"
        "entries:\n"
        "  - id: robots\n    question: What robots do you build?\n    answer: A robot cat that feeds itself.\n"
        f"  - id: show\n    question: '{long} ... so tell us about the robots and the last one ends here.'\n"
        "    answer: The show is about the robots we build.\n",
        encoding="utf-8",
    )
    _start(shell, f"{CHAT} --kb {kb}", "2 questions · /help")
    shown = shell.ask("what robots do you build?", "Related questions")
    assert "Related questions: 1. As we said" in shown and "…" in shown
    assert shown.count("celebrates the web platform") < 6, "the long question is cut"
    assert "the last one ends here" in shown, "cut in its middle: a host's turn asks at its end"
    assert "The show is about the robots we build." in shell.ask("1", "The show is about")
