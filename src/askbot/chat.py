"""The terminal chat: the only module that imports prompt_toolkit (``cli`` imports it lazily).

One ``PromptSession`` with file history, auto-suggest and a fuzzy completer, in the manner of
litecli; the turn logic lives in ``conversation`` so this loop stays thin. When stdin or stdout
is not a terminal there is no prompt_toolkit UI at all: lines in, plain answers out.
"""

from __future__ import annotations

import os
import shutil
import sys
import textwrap
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO

from prompt_toolkit import PromptSession
from prompt_toolkit.auto_suggest import AutoSuggestFromHistory
from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document
from prompt_toolkit.formatted_text import FormattedText
from prompt_toolkit.history import FileHistory, History, InMemoryHistory
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent
from prompt_toolkit.output import ColorDepth
from prompt_toolkit.shortcuts import print_formatted_text
from prompt_toolkit.styles import Style
from rapidfuzz import fuzz, process

from .conversation import COMMANDS, Conversation
from .match import Matcher
from .model import KnowledgeBase, Source
from .render import Fragments
from .text import MAX_QUERY_CHARS, normalize

STYLE = Style.from_dict(
    {
        "title": "bold",
        "dim": "#888888",
        "option": "ansicyan",
        "prompt": "ansigreen bold",
        "bottom-toolbar": "noreverse #888888",
    }
)


def run_chat(kb: KnowledgeBase, *, color: bool = True, interview: Source | None = None) -> int:
    """Hold a conversation until Ctrl-D, ``/quit`` or the end of piped input; returns 0."""
    conversation = Conversation(Matcher(kb), current=interview)
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        return run_piped(conversation, sys.stdin, sys.stdout)
    if os.environ.get("TERM") == "dumb":
        # A terminal that understands no escape sequences: a bare input() prompt, plain text.
        return converse(conversation, lambda: input("ask> "), color=False)
    session: PromptSession[str] = make_session(conversation, open_history(sys.stderr), color=color)
    # Raw mode for the whole chat, not only while a prompt is up: keys typed while an answer
    # prints are neither echoed into it nor eaten by the terminal (a Ctrl-D typed then would
    # otherwise be taken as end-of-line by the tty driver and never reach the next prompt).
    with session.input.raw_mode():
        return converse(conversation, session.prompt, color=color)


def converse(conversation: Conversation, read: Callable[[], str], *, color: bool) -> int:
    """Greet, then answer each line ``read`` returns; Ctrl-C clears the line, EOF ends with 0."""
    show(conversation.greeting().fragments, color=color)
    while True:
        try:
            line = read()
        except KeyboardInterrupt:
            continue
        except EOFError:
            return 0
        reply = conversation.respond(line)
        show(reply.fragments, color=color)
        if reply.done:
            return 0


def run_piped(conversation: Conversation, stdin: IO[str], stdout: IO[str]) -> int:
    """Non-interactive chat: each input line gets its reply as plain text, nothing else."""
    for line in stdin:
        reply = conversation.respond(line)
        if reply.fragments:
            stdout.write(reply.text + "\n")
            stdout.flush()
        if reply.done:
            break
    return 0


def make_session(
    conversation: Conversation, history: History, *, color: bool = True, **kwargs: object
) -> PromptSession[str]:
    """The prompt: history, suggestions from it, fuzzy completion, toolbar with the last confidence."""
    kb = conversation.matcher.knowledge

    return PromptSession(
        message=[("class:prompt", "ask> ")],
        history=history,
        auto_suggest=AutoSuggestFromHistory(),
        completer=QuestionCompleter([entry.question for entry in kb]),
        complete_while_typing=False,
        bottom_toolbar=conversation.toolbar,
        key_bindings=key_bindings(),
        style=STYLE,
        color_depth=None if color else ColorDepth.DEPTH_1_BIT,
        **kwargs,  # type: ignore[arg-type]
    )


def key_bindings() -> KeyBindings:
    """The chat's keys; everything else is prompt_toolkit's Emacs defaults."""
    bindings = KeyBindings()

    @bindings.add("c-c")
    def _clear(event: KeyPressEvent) -> None:
        """Ctrl-C: clear the line and stay in the chat."""
        event.app.current_buffer.reset()

    return bindings


class QuestionCompleter(Completer):
    """Completes ``/`` commands by prefix and the interview's questions fuzzily by words."""

    def __init__(self, questions: Iterable[str]) -> None:
        self.questions = list(questions)
        self._normalized = [normalize(q) for q in self.questions]

    def get_completions(self, document: Document, complete_event: CompleteEvent) -> Iterator[Completion]:
        text = document.text_before_cursor
        if text.startswith("/"):
            for command in COMMANDS:
                if command.name.startswith(text.lower()):
                    yield Completion(command.name, -len(text), display_meta=command.help)
            return
        query = normalize(text)
        if len(query) < 3:
            return
        found = process.extract(query, self._normalized, scorer=fuzz.partial_token_set_ratio, limit=5, score_cutoff=70)
        for _, _, index in sorted(found, key=lambda f: (-f[1], f[2])):
            yield Completion(self.questions[index], -len(text))


def open_history(warn: IO[str]) -> History:
    """File history in the user's data directory (mode 0600), or in memory with one warning."""
    path = history_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.close(fd)
        os.chmod(path, 0o600)
        # FileHistory decodes with errors="replace", so a corrupt file still loads.
        return ChatHistory(path, warn)
    except OSError as exc:
        _warn_unsaved(warn, path, exc)
        return InMemoryHistory()


def _warn_unsaved(warn: IO[str], path: str | Path, exc: OSError) -> None:
    warn.write(f"askbot: warning: history not saved ({path}: {exc.strerror or exc})\n")


class ChatHistory(FileHistory):
    """prompt_toolkit's FileHistory, kept small and never able to stop the chat.

    A line longer than any question the matcher reads (a pasted article) is recalled in this
    session but not written, so the file does not grow by megabytes and later sessions do not
    search them; a write that fails mid-chat (disk full, folder removed) warns once, then
    history goes on in memory.
    """

    def __init__(self, path: Path, warn: IO[str]) -> None:
        super().__init__(str(path))
        self._warn = warn
        self._broken = False

    def store_string(self, string: str) -> None:
        if self._broken or len(string) > MAX_QUERY_CHARS:
            return
        try:
            super().store_string(string)
        except OSError as exc:
            self._broken = True
            _warn_unsaved(self._warn, str(self.filename), exc)


def history_path() -> Path:
    """``$XDG_DATA_HOME/askbot/history`` (``~/.local/share`` when unset)."""
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "askbot" / "history"


def show(fragments: Fragments, *, color: bool = True) -> None:
    """Print a reply, wrapped to the terminal width, lists kept as lists."""
    width = max(20, min(shutil.get_terminal_size((80, 24)).columns, 100) - 1)
    wrapped = [(style, wrap(text, width)) for style, text in fragments]
    if color:
        print_formatted_text(FormattedText(wrapped), style=STYLE)
    else:
        print("".join(text for _, text in wrapped))


def wrap(text: str, width: int) -> str:
    """Wrap each line on its own, so numbered list items stay on lines of their own."""
    out = []
    for line in text.split("\n"):
        indent = len(line) - len(line.lstrip())
        if len(line) <= width:
            out.append(line)
            continue
        marker = len(line) - len(line.lstrip("0123456789.) -"))
        out.append(textwrap.fill(line, width, subsequent_indent=" " * max(indent, min(marker, 4))))
    return "\n".join(out)
