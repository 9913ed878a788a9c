"""The terminal chat: the only module that imports prompt_toolkit (``cli`` imports it lazily).

One ``PromptSession`` with file history, auto-suggest and a fuzzy completer, in the manner of
litecli; the turn logic lives in ``conversation`` so this loop stays thin. When stdin or stdout
is not a terminal there is no prompt_toolkit UI at all: lines in, plain answers out.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import signal
import sys
import termios
import textwrap
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import IO

from prompt_toolkit import PromptSession
from prompt_toolkit.application import Application, get_app_or_none, run_in_terminal
from prompt_toolkit.application.current import set_app
from prompt_toolkit.auto_suggest import AutoSuggestFromHistory
from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document
from prompt_toolkit.formatted_text import FormattedText
from prompt_toolkit.history import FileHistory, History, InMemoryHistory
from prompt_toolkit.input import Input
from prompt_toolkit.input.typeahead import get_typeahead
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent
from prompt_toolkit.keys import Keys
from prompt_toolkit.output import ColorDepth
from prompt_toolkit.shortcuts import print_formatted_text
from prompt_toolkit.styles import Style
from rapidfuzz import fuzz, process

from ..conversation import shelf
from ..conversation.render import Fragments, shortened
from ..conversation.session import COMMANDS, Conversation
from ..matching import english
from ..matching.index import Index
from ..matching.matcher import Matcher
from ..matching.sentences import SentenceModel
from ..matching.text import MAX_QUERY_CHARS, normalize
from ..model import KnowledgeBase, Source
from ..semantic import NotEmbedded

STYLE = Style.from_dict(
    {
        "title": "bold",
        "dim": "#888888",
        "heading": "#888888 italic",
        "option": "ansicyan",
        "prompt": "ansigreen bold",
        "bottom-toolbar": "noreverse #888888",
    }
)


def run_chat(
    kb: KnowledgeBase,
    *,
    color: bool = True,
    interview: Source | None = None,
    index: Index | None = None,
    semantic: Callable[[], SentenceModel] | None = None,
    model: str | None = None,
) -> int:
    """Hold a conversation until Ctrl-D, ``/quit`` or the end of piped input; returns 0.

    On a terminal, SIGTERM and SIGHUP end the chat with 143 and 129 like a shell program, after
    the terminal is given back: its mode restored and the toolbar cleared. ``index`` is the
    knowledge base's index when the caller has it (from the cache). ``semantic`` loads the
    sentence model ``model`` names (``askbot.semantic``): on a terminal in the background while
    the chat answers by words (``BackgroundModel``), else before the first line.
    """
    conversation = Conversation(Matcher(kb, index=index), interview=interview)
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        if semantic is not None:  # piped: every line answered the same way, the model loaded once
            try:
                conversation.upgrade(Matcher(kb, index=index, semantic=semantic()))
            except NotEmbedded as exc:
                print(_words_only(str(exc)), file=sys.stderr, flush=True)
        return run_piped(conversation, sys.stdin, sys.stdout)
    warm_up()
    background = None
    if semantic is not None:
        name = model or "the sentence model"
        background = BackgroundModel(name, semantic, lambda side: Matcher(kb, index=index, semantic=side))
    if os.environ.get("TERM") == "dumb":
        # A terminal that understands no escape sequences: a bare input() prompt, plain text.
        if background is not None:
            background.start(None)
        return converse(conversation, _upgrading(conversation, background, lambda: input("ask> ")), color=False)
    pasted: deque[str] = deque()
    session: PromptSession[str] = make_session(
        conversation, open_history(sys.stderr), color=color, pasted=pasted, background=background
    )
    if background is not None:
        background.start(session.app)
    received: list[int] = []
    try:
        with stopped_by_signals(received), session.input.raw_mode():
            # Raw mode for the whole chat, not only while a prompt is up: keys typed while an
            # answer prints are neither echoed into it nor eaten by the terminal (a Ctrl-D typed
            # then would otherwise be taken as end-of-line by the tty driver).
            read = _upgrading(conversation, background, lambda: _read(session, pasted))
            code = converse(conversation, read, color=color)
        hand_back_typeahead(session.input, sys.stdin)
        return code
    except Stopped as stop:
        return 128 + stop.signum
    except OSError:
        if received:  # a real hangup: the terminal is gone, so cleaning it up failed
            return 128 + received[0]
        raise


def warm_up() -> None:
    """Load the matcher's English word list in the background while the reader reads the
    greeting: loaded on first use it would make the first question with a word the interview
    lacks take a quarter of a second instead of a fraction of a millisecond."""
    threading.Thread(target=english.frequency, args=("the",), name="askbot-warm-up", daemon=True).start()


def _words_only(problem: str) -> str:
    """The warning that the sentence model is not used, and why: said once, piped or not."""
    return f"askbot: warning: {problem}; answering by words only"


class BackgroundModel:
    """The chat's sentence model, loaded in a thread while the reader reads the greeting and the
    chat answers by words; the toolbar says which it answers with (``status``).

    Only the loading runs in the thread: the main thread installs the finished matcher between
    two lines (``ready``), so a turn never sees two matchers. A model that fails to load says so
    once, above the prompt, and the chat stays lexical.
    """

    def __init__(
        self, model: str, load: Callable[[], SentenceModel], matcher: Callable[[SentenceModel], Matcher]
    ) -> None:
        self.model = model
        self._load = load
        self._matcher = matcher
        self._loaded: Matcher | None = None
        self._installed = False
        self.problem: str | None = None
        #: Whether the problem is a knowledge base too large to embed now (``NotEmbedded``).
        self.unembedded = False
        self._notices: deque[str] = deque()

    def start(self, app: Application[str] | None) -> None:
        """Start loading; ``app`` (the prompt's) is redrawn when it is done."""
        threading.Thread(target=self._run, args=(app,), name="askbot-model", daemon=True).start()

    def _run(self, app: Application[str] | None) -> None:
        try:
            self._loaded = self._matcher(self._load())
        except Exception as exc:  # any failure (a broken model, torch, a full disk) leaves the chat lexical
            self.problem = " ".join(str(exc).split())[:300] or type(exc).__name__
            self.unembedded = isinstance(exc, NotEmbedded)
            self._notices.append(_words_only(self.problem))
            if app is not None and app.loop is not None and app.is_running:
                app.loop.call_soon_threadsafe(self._show_notices, app)
        if app is not None:
            app.invalidate()  # thread-safe: the toolbar is drawn again with the new status

    def _show_notices(self, app: Application[str]) -> None:
        """In the prompt's event loop: print the notices above the prompt, which is drawn again."""
        if app.is_running:
            with set_app(app):
                run_in_terminal(self.flush)

    def flush(self) -> None:
        """Print the notices not yet shown (each once), on stderr."""
        while self._notices:
            print(self._notices.popleft(), file=sys.stderr, flush=True)

    def ready(self) -> Matcher | None:
        """The semantic matcher the first time it is asked for after loading; else ``None``."""
        if self._loaded is None or self._installed:
            return None
        self._installed = True
        return self._loaded

    def status(self) -> str:
        """What the chat answers with: "lexical · loading MODEL…", "semantic · MODEL", or the failure."""
        if self._loaded is not None:
            return f"semantic · {self.model}"
        if self.unembedded:
            return f"lexical · {self.model}: run askbot index"
        if self.problem is not None:
            return f"lexical · {self.model} failed to load"
        return f"lexical · loading {self.model}…"


def _upgrading(
    conversation: Conversation, background: BackgroundModel | None, read: Callable[[], str]
) -> Callable[[], str]:
    """``read``, after which the background model's matcher (once loaded) answers the line read;
    a failure not yet shown is printed before the prompt."""
    if background is None:
        return read

    def upgraded() -> str:
        background.flush()
        line = read()
        matcher = background.ready()
        if matcher is not None:
            conversation.upgrade(matcher)
        return line

    return upgraded


def _read(session: PromptSession[str], pasted: deque[str]) -> str:
    """The next line: one left over from a paste of several (shown at the prompt, as if typed),
    else what the reader types."""
    if pasted:
        return session.prompt(default=pasted.popleft(), accept_default=True)
    return session.prompt()


def hand_back_typeahead(terminal: Input, stdin: IO[str]) -> None:
    """Keys typed after the line that ended the chat ("bye", then at once a shell command) were
    read with it, into prompt_toolkit's type-ahead: push them back into the terminal's input for
    the shell, as if the chat had never read them (``TIOCSTI``; where the kernel forbids it, say
    so once instead of losing them silently)."""
    typed = "".join(key.data for key in get_typeahead(terminal)).encode("utf-8", "surrogateescape")
    if not typed:
        return
    try:
        for byte in typed:
            fcntl.ioctl(stdin.fileno(), termios.TIOCSTI, bytes([byte]))
    except OSError as exc:
        reason = exc.strerror or exc
        print(f"askbot: note: keys typed after the chat ended were not passed on ({reason})", file=sys.stderr)


class Stopped(BaseException):
    """The chat was told to stop by a signal (SIGTERM, SIGHUP); the exit code is 128 + signum."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@contextmanager
def stopped_by_signals(received: list[int]) -> Iterator[None]:
    """SIGTERM and SIGHUP raise ``Stopped`` where the chat can clean up after itself.

    While a prompt is up, prompt_toolkit's own event loop is told to end the prompt with that
    exception, so it erases the toolbar and leaves raw mode as on any exit; between prompts the
    exception is raised at once and the ``raw_mode`` context restores the terminal. Each signal
    is also noted in ``received``.
    """

    def stop(signum: int, frame: object) -> None:
        received.append(signum)
        app = get_app_or_none()
        if app is not None and app.is_running and app.loop is not None and app.future and not app.future.done():
            app.loop.call_soon_threadsafe(partial(_exit_app, app, Stopped(signum)))
        else:
            raise Stopped(signum)

    previous = {signum: signal.signal(signum, stop) for signum in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _exit_app(app: Application[str], stop: Stopped) -> None:
    if app.is_running and app.future and not app.future.done():
        app.exit(exception=stop)


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
    conversation: Conversation,
    history: History,
    *,
    color: bool = True,
    pasted: deque[str] | None = None,
    background: BackgroundModel | None = None,
    **kwargs: object,
) -> PromptSession[str]:
    """The prompt: history, suggestions from it, fuzzy completion, toolbar with the last confidence
    (and, with a ``background`` model, which matcher answers).

    Lines after the first of a multi-line paste go to ``pasted``, for the caller to answer next.
    """
    kb = conversation.matcher.knowledge
    toolbar = conversation.toolbar
    if background is not None:
        toolbar = lambda: f" {background.status()} ·{conversation.toolbar()}"  # noqa: E731

    return PromptSession(
        message=[("class:prompt", "ask> ")],
        history=history,
        auto_suggest=AutoSuggestFromHistory(),
        completer=QuestionCompleter([entry.question for entry in kb], interviews=kb.sources),
        complete_while_typing=False,
        bottom_toolbar=toolbar,
        key_bindings=key_bindings(deque() if pasted is None else pasted),
        style=STYLE,
        color_depth=None if color else ColorDepth.DEPTH_1_BIT,
        **kwargs,  # type: ignore[arg-type]
    )


def key_bindings(pasted: deque[str]) -> KeyBindings:
    """The chat's keys; everything else is prompt_toolkit's Emacs defaults."""
    bindings = KeyBindings()

    @bindings.add("c-c")
    def _clear(event: KeyPressEvent) -> None:
        """Ctrl-C: clear the line and stay in the chat."""
        event.app.current_buffer.reset()

    @bindings.add("c-z")
    def _suspend(event: KeyPressEvent) -> None:
        """Ctrl-Z: suspend to the shell like any program; ``fg`` brings the chat back, redrawn."""
        event.app.suspend_to_background()

    @bindings.add(Keys.BracketedPaste)
    def _paste(event: KeyPressEvent) -> None:
        """A paste of several lines: the first is asked now, the rest queued, each as if typed; a
        question the page or terminal wrapped over lines stays one question."""
        lines = pasted_lines(event.data)
        event.current_buffer.insert_text(lines[0])
        if len(lines) > 1:
            pasted.extend(line for line in lines[1:] if line.strip())
            event.current_buffer.validate_and_handle()

    return bindings


def pasted_lines(data: str) -> list[str]:
    """The lines of a paste, each a question, except that a line wrapped by the page or terminal
    it was copied from (it stops mid-sentence and the next goes on in lower case) is joined to
    the next.

    >>> pasted_lines("why would a startup\\npick hangzhou over\\nbeijing?\\nwhen was it?\\n2")
    ['why would a startup pick hangzhou over beijing?', 'when was it?', '2']
    """
    lines: list[str] = []
    for line in data.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        before, start = (lines[-1].rstrip() if lines else ""), line.lstrip()
        if before and start[:1].islower() and before[-1] not in ".?!:;\"”)":
            lines[-1] = f"{before} {start}"
        else:
            lines.append(line)
    return lines


class QuestionCompleter(Completer):
    """Completes ``/`` commands by prefix, interview names after ``/use``, and the interview's
    questions fuzzily by words."""

    def __init__(self, questions: Iterable[str], *, interviews: Iterable[Source] = ()) -> None:
        self.questions = list(questions)
        self._normalized = [normalize(q) for q in self.questions]
        self.interviews = list(interviews)

    def get_completions(self, document: Document, complete_event: CompleteEvent) -> Iterator[Completion]:
        text = document.text_before_cursor
        name, space, argument = text.partition(" ")
        if space and name.lower() in ("/use", "/interview"):
            yield from self._interviews(argument)
            return
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

    def _interviews(self, typed: str) -> Iterator[Completion]:
        """The interviews ``/use`` can name (by interviewee or title; any word of it may start
        what is typed), then ``all``."""
        wanted = typed.strip().casefold()
        for source in self.interviews:
            label = shelf.label(source)
            names = f"{label} {source.title}".casefold().split()
            if not wanted or any(word.startswith(wanted) for word in names) or label.casefold().startswith(wanted):
                yield Completion(label, -len(typed), display_meta=source.title)
        if "all".startswith(wanted):
            yield Completion("all", -len(typed), display_meta="every interview loaded")


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


# Styles of lines that stay one line, cut at the screen's edge: a /history item (a pasted article
# stays one line). A heading stays one line too, cut in its middle (``_fitted``).
ONE_LINE = frozenset({"class:line"})
# A numbered choice ("Related questions", "Did you mean") shows at most this many screen lines:
# an ingested host's question can run to a paragraph, and three of them would push the answer off
# the screen; the number picks it all the same, and ``askbot ask`` and ``--json`` print it whole.
OPTION_LINES = 3
# Characters a wrapped line may leave empty at its end (a word that did not fit), allowed for when
# an item is cut to what ``OPTION_LINES`` lines hold.
_WRAP_SLACK = 8
_ITEM = re.compile(r"^(\s*\d+\.\s)(.*)$")


def show(fragments: Fragments, *, color: bool = True) -> None:
    """Print a reply, wrapped to the terminal width, lists kept as lists, headings on one line."""
    width = max(20, min(shutil.get_terminal_size((80, 24)).columns, 100) - 1)
    wrapped = [(style, _fitted(style, text, width)) for style, text in fragments]
    if color:
        print_formatted_text(FormattedText(wrapped), style=STYLE)
    else:
        print("".join(text for _, text in wrapped))


def _fitted(style: str, text: str, width: int) -> str:
    """A fragment's text for the screen: a heading cut to one line and a numbered choice to at
    most ``OPTION_LINES``, both in their middle (a host's long question asks at its end, and an
    item ends with whose answer it is: ``render.shortened``); a /history item cut at its end;
    anything else wrapped whole."""
    if style == "class:heading":
        return "\n".join(shortened(line, width) if line else line for line in text.split("\n"))
    if style in ONE_LINE:
        return fit(text, width)
    if style == "class:option":
        return wrap(_items_cut(text, width), width, OPTION_LINES)
    return wrap(text, width)


def _items_cut(text: str, width: int) -> str:
    """Each numbered item of ``text`` cut in its middle to about what ``OPTION_LINES`` lines of
    ``width`` hold once wrapped (continuation lines are indented four)."""
    lines = []
    for line in text.split("\n"):
        found = _ITEM.match(line)
        if found is None:
            lines.append(line)
            continue
        number, body = found.groups()
        room = OPTION_LINES * (width - 4 - _WRAP_SLACK) - (len(number) - 4)
        lines.append(number + shortened(body, room))
    return "\n".join(lines)


def fit(text: str, width: int) -> str:
    """Each line of ``text`` cut to ``width`` characters, the cut marked with "…".

    >>> fit("  1. " + "word " * 30 + "\\n", 20)
    '  1. word word word…\\n'
    """
    return "\n".join(line if len(line) <= width else line[: width - 1] + "…" for line in text.split("\n"))


def wrap(text: str, width: int, max_lines: int | None = None) -> str:
    """Wrap each line on its own, so numbered list items stay on lines of their own; a line that
    would take more than ``max_lines`` is cut there, the cut marked with "…".

    >>> print(wrap("  1. " + "word " * 12, 24, max_lines=2))
      1. word word word word
        word word word …
    """
    out = []
    for line in text.split("\n"):
        indent = len(line) - len(line.lstrip())
        if len(line) <= width:
            out.append(line)
            continue
        marker = len(line) - len(line.lstrip("0123456789.) -"))
        hanging = " " * max(indent, min(marker, 4))
        out.append(textwrap.fill(line, width, subsequent_indent=hanging, max_lines=max_lines, placeholder=" …"))
    return "\n".join(out)
