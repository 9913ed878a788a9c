"""The ``askbot`` command: argparse in, one stderr line and an exit code out on any error.

Exit codes (a contract for scripts): 0 answered / clean, 1 not confident (``ask``) or problems
found (``check``), 2 usage, knowledge or output errors, 130 interrupted (143 on SIGTERM). Nothing
but the result is written to stdout, so ``askbot ask --json`` pipes straight into ``jq``.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import stat
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from typing import IO, TYPE_CHECKING, Any, NamedTuple, NoReturn

from .. import semantic
from ..conversation import render, shelf
from ..conversation.turn import Turn, decide
from ..errors import (
    EXIT_INTERRUPTED,
    EXIT_NOT_CONFIDENT,
    EXIT_OK,
    EXIT_TERMINATED,
    EXIT_USAGE,
    AskbotError,
    UsageError,
)
from ..knowledge import cache, paths
from ..knowledge.indexfile import StaleIndex
from ..matching import english
from ..matching.matcher import DEFAULT_THRESHOLD, Matcher
from ..matching.text import MAX_QUERY_CHARS
from ..model import KnowledgeBase, Source
from ..settings import DEFAULT_CONVERSATION_SETTINGS, Settings
from ..settings import DEFAULT_SETTINGS as MATCHER_SETTINGS
from ..version import __version__
from . import stdio

if TYPE_CHECKING:
    from pathlib import Path

PROG = "askbot"
INGEST_FORMATS = ("txt", "md", "html", "vtt", "srt", "pdf", "docx")  # askbot.ingest.FORMATS, without importing it
# Longest stdin line read whole in batch mode; the matcher looks at far less (MAX_QUERY_CHARS).
MAX_LINE_BYTES = 4 * 1024 * 1024
# What one read of a batch's stdin asks for (a pipe gives what it holds, up to 64 KiB).
_READ_BYTES = 64 * 1024


class _Formatter(argparse.HelpFormatter):
    """argparse's help layout, sized to the terminal as argparse does, but without ``shutil``.

    argparse makes a formatter for every argument it adds, and its default one imports
    ``shutil`` (with its compression modules) to size itself: milliseconds that every
    ``askbot ask`` would pay for a help screen it never shows.
    """

    def __init__(self, prog: str) -> None:
        super().__init__(prog, width=_columns() - 2)


def _columns() -> int:
    """``shutil.get_terminal_size().columns``: ``COLUMNS``, else standard output's width, else 80
    (a terminal that says 0, as an unsized pty does, counts as not saying)."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size().columns
        except (ValueError, OSError):
            columns = 0
    return columns if columns > 0 else 80


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line naming the problem, not a usage dump."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(**kwargs)

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


def _percent(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a number") from None
    if not 0 <= number <= 100:
        raise argparse.ArgumentTypeError(f"{value} is not between 0 and 100")
    return number


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value} is less than 1")
    return number


def _add_kb(options: argparse.ArgumentParser, default: object) -> None:
    """``--kb``, accepted before or after the command (the later one wins, not resets)."""
    options.add_argument(
        "--kb",
        action="append",
        metavar="PATH",
        default=default,
        help=f"knowledge file or folder of *.yaml (repeatable; default: ${paths.ENV_VAR} or the bundled interview)",
    )


def _add_interview(options: argparse.ArgumentParser, default: object) -> None:
    """``--interview NAME``, for the chat and ``ask``, before or after the command."""
    options.add_argument(
        "--interview",
        metavar="NAME",
        default=default,
        help="only this one of the loaded interviews (interviewee or title, fuzzy; the chat's /use all widens)",
    )


def _add_semantic(options: argparse.ArgumentParser, lexical: object, model: object) -> None:
    """``--lexical`` and ``--model``, for the chat, ``ask`` and ``index``, before or after the command."""
    options.add_argument(
        "--lexical",
        action="store_true",
        default=lexical,
        help=f"words only: no sentence model (also {semantic.SWITCH_ENV}=0)",
    )
    options.add_argument(
        "--model",
        metavar="FOLDER",
        default=model,
        help=f"the sentence model: a folder of a sentence-transformers BERT model (also ${semantic.MODEL_ENV}; "
        f"default {semantic.DEFAULT_MODEL}, from the package {semantic.MODEL_PACKAGE})",
    )


class Subcommand(NamedTuple):
    """One ``askbot`` subcommand: its name and help, the arguments it adds to its parser, and
    what runs it (as click's ``Command`` carries its callback, and the chat's ``/`` commands
    their handler): adding a row cannot fall through to another command's branch."""

    name: str
    help: str
    #: Shared option groups it accepts after its name: any of "kb", "interview", "model".
    shares: tuple[str, ...]
    arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


#: The options before the command that take a value (the command is the first word after them).
_VALUE_OPTIONS = ("--kb", "--interview", "--model")


def named_command(argv: Sequence[str]) -> str | None:
    """The subcommand ``argv`` runs, read ahead of argparse; ``None`` when it asks for help first,
    names none, or cannot be told without parsing (then every subcommand's parser is built).

    Building the seven subcommands' parsers costs a warm ``askbot ask`` a twentieth of its start;
    a line that names its command needs only that one. The reading is argparse's own: a value
    after an option that takes one (abbreviated, as argparse allows, or joined by ``=``) is no
    command, and ``--`` ends the options."""
    names = {command.name for command in SUBCOMMANDS}
    expects_value = False
    for word in argv:
        if expects_value:
            expects_value = False
        elif word in ("-h", "--help", "--"):
            return None
        elif word.startswith("--"):
            expects_value = "=" not in word and any(option.startswith(word) for option in _VALUE_OPTIONS)
        elif word.startswith("-"):
            return None  # a short option or a negative number: argparse's to read
        else:
            return word if word in names else None
    return None


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The command line: ``askbot [chat]`` and the rows of ``SUBCOMMANDS`` (only the one ``argv``
    names, when it names one: ``named_command``)."""
    parser = _Parser(
        prog=PROG,
        description="Ask a published interview a question; get the interviewee's own answer.",
        epilog="Run 'askbot' alone to chat. Exit codes: 0 ok, 1 not confident / problems found, "
        "2 usage, knowledge or output error, 130 interrupted, 143 terminated.",
    )
    _add_kb(parser, None)
    _add_interview(parser, None)
    _add_semantic(parser, False, None)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--no-color", action="store_true", help="plain text, no colours (also NO_COLOR)")
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help=f"neither read nor write the compiled index in $XDG_CACHE_HOME/askbot (also {cache.ENV_VAR}=1)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    # Given again after the command, an option overrides the one before it (SUPPRESS: no reset).
    shared: dict[str, Callable[[argparse.ArgumentParser], None]] = {
        "kb": partial(_add_kb, default=argparse.SUPPRESS),
        "interview": partial(_add_interview, default=argparse.SUPPRESS),
        "model": partial(_add_semantic, lexical=argparse.SUPPRESS, model=argparse.SUPPRESS),
    }
    named = None if argv is None else named_command(argv)
    for command in SUBCOMMANDS:
        if named is not None and command.name != named:
            continue
        sub = commands.add_parser(command.name, help=command.help)
        for name in command.shares:
            shared[name](sub)
        command.arguments(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run askbot; returns the exit code (never raises for user errors)."""
    stdio.prepare_streams()
    try:
        argv = sys.argv[1:] if argv is None else argv
        args = build_parser(argv).parse_args(argv)
        name = args.command or "chat"
        code = next(command for command in SUBCOMMANDS if command.name == name).run(args)
        sys.stdout.flush()  # here, not at exit, so a full disk is reported like any error
        return code
    except AskbotError as exc:
        print(render.safe(f"{PROG}: error: {exc}").replace("\n", " "), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except stdio.Terminated:
        return EXIT_TERMINATED
    except BrokenPipeError:
        stdio.silence_stdout()
        return EXIT_OK
    except OSError as exc:
        # Writing the result failed (a full disk, a closed descriptor): every read askbot does
        # reports its own error, so what is left here is output.
        stdio.silence_stdout()
        print(f"{PROG}: error: cannot write output: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE


def run() -> NoReturn:
    """Console-script entry point."""
    sys.exit(main())


# -- knowledge for the commands that answer -------------------------------------------------------


def _use_cache(args: argparse.Namespace, warn: Callable[[str], object] | None = None) -> bool:
    """Whether this run reads and writes the cache; with it, the English word list's copy is kept
    there too (``--no-cache`` turns both off), and ``warn`` (default: stderr) hears when it cannot."""
    if args.no_cache:
        os.environ[cache.ENV_VAR] = "1"  # the English word list's copy obeys it too
    use = not cache.disabled()
    if use:
        english.keep_list_with(partial(cache.word_frequencies, warn=warn or _warn))
    return use


def _warn(message: str) -> None:
    print(render.safe(f"{PROG}: warning: {message}"), file=sys.stderr)


def _answering(args: argparse.Namespace, use: Callable[[cache.Loaded], int]) -> int:
    """Load the knowledge and its index (from the cache when current) and ``use`` them.

    A value found damaged after the index opened drops the file; when nothing has been printed
    yet (one question, a list), ``use`` runs again on a rebuilt index."""
    # The index reads the word list as it is built: a cache folder that cannot be written is
    # said once, as the index's warning, not again for the word list's copy.
    held: list[str] = []
    use_cache = _use_cache(args, warn=held.append)
    skipped: list[str] = []
    loaded = cache.load_indexed(args.kb, MATCHER_SETTINGS, cache=use_cache, skipped=skipped)
    _note_skipped(skipped)
    if loaded.warning:
        _warn(f"{loaded.warning}; answering without it")
    else:
        for message in held:
            _warn(message)
    if use_cache:
        english.keep_list_with(partial(cache.word_frequencies, warn=_warn))
    try:
        return use(loaded)
    except StaleIndex:
        if loaded.path is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(loaded.path)
        if args.command in (None, "chat") or (args.command == "ask" and args.question == ["-"]):
            raise UsageError(f"the index cache {loaded.path} was damaged and is removed; run again") from None
        return use(cache.load_indexed(args.kb, MATCHER_SETTINGS, cache=use_cache))


def _run_chat(args: argparse.Namespace) -> int:
    def chat(loaded: cache.Loaded) -> int:
        from .chat import run_chat  # prompt_toolkit is loaded only for the chat

        model = _model(args)
        color = not args.no_color and not os.environ.get("NO_COLOR")
        load = None if model is None else partial(_semantic, loaded, model, args.kb, quiet=True)
        chosen = _interview(loaded.knowledge, args.interview)
        return run_chat(loaded.knowledge, color=color, interview=chosen, index=loaded.index, semantic=load, model=model)

    return _answering(args, chat)


def _run_ask(args: argparse.Namespace) -> int:
    def ask(loaded: cache.Loaded) -> int:
        model = _model(args)
        chosen = _interview(loaded.knowledge, args.interview)
        settings = MATCHER_SETTINGS.replace(threshold=args.threshold)
        # Loaded once, before the first question: a batch pays for the model once.
        side, matcher = None, None
        if model is not None:
            try:
                side = _semantic(loaded, model, args.kb)
            except semantic.NotEmbedded as exc:
                matcher = None if chosen is None else _one_embedded(loaded, chosen, model, settings)
                if matcher is None:
                    _warn(f"{exc}; answering by words only")
        if matcher is None:
            matcher = Matcher(loaded.knowledge, settings=settings, index=loaded.index, semantic=side)
            if chosen is not None:
                matcher = matcher.only(chosen)  # one interview's index is small enough to build
        return _ask(matcher, args.question, as_json=args.json, top=args.top, explain=args.explain)

    return _answering(args, ask)


def _run_list(args: argparse.Namespace) -> int:
    return _answering(args, lambda loaded: _list(loaded.knowledge, as_json=args.json))


def _run_export(args: argparse.Namespace) -> int:
    def export(loaded: cache.Loaded) -> int:
        chosen = _interview(loaded.knowledge, args.interview)
        sources = loaded.knowledge.sources if chosen is None else (chosen,)
        text = render.markdown(loaded.knowledge, sources)
        if args.output in (None, "-"):
            sys.stdout.write(text)
        else:
            from pathlib import Path  # here: ``ask`` never writes a file, and pathlib costs it 3 ms

            _write_new(Path(str(args.output)), text, args.force)
        return EXIT_OK

    return _answering(args, export)


def _run_check(args: argparse.Namespace) -> int:
    return _check(args.paths or args.kb or paths.default_paths())


def _run_index(args: argparse.Namespace) -> int:
    return _index(args.paths or args.kb, use_cache=_use_cache(args), model=_model(args))


def _run_ingest(args: argparse.Namespace) -> int:
    given = {key: getattr(args, key) for key in ("title", "interviewee", "interviewers", "date", "url")}
    return _ingest(
        args.transcript,
        args.output,
        force=args.force,
        fmt=args.format,
        verbose=args.verbose,
        details={key: value for key, value in given.items() if value},
        comments=args.comments,
    )


def _chat_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--no-color", action="store_true", default=argparse.SUPPRESS, help="no colours")


def _ask_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "question",
        nargs="+",
        help="the question (its words may be given unquoted: they are joined into one), "
        "or '-' to read one question per line from stdin",
    )
    parser.add_argument("--json", action="store_true", help="a JSON object (one per line with '-')")
    parser.add_argument(
        "--explain", action="store_true", help="say why: the words that matched, those that did not, any penalty"
    )
    parser.add_argument(
        "--top", type=_positive, default=3, metavar="K", help="follow-ups and suggestions to list (default 3)"
    )
    parser.add_argument(
        "--threshold",
        type=_percent,
        default=DEFAULT_THRESHOLD,
        metavar="N",
        help=f"confidence 0-100 needed to answer (default {DEFAULT_THRESHOLD:g})",
    )


def _list_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="a JSON array of {id, question, interview}")


def _export_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--output", metavar="FILE", help="write here ('-' or none: stdout)")
    parser.add_argument("--force", action="store_true", help="overwrite FILE if it exists")


def _paths_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: the knowledge in use)")


def _ingest_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "transcript", help="a .txt, .md, .html, .vtt, .srt, .pdf or .docx file, an http(s) URL, or '-' for stdin"
    )
    parser.add_argument("-o", "--output", metavar="FILE", help="write here ('-' or none: stdout)")
    parser.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    parser.add_argument(
        "--format", choices=INGEST_FORMATS, help="read as this format (default: recognised from the content)"
    )
    parser.add_argument("--verbose", action="store_true", help="list everything dropped, not one line a kind")
    parser.add_argument(
        "--comments",
        action="store_true",
        help="a host's remark that gets a long reply is a question too (conversational podcasts)",
    )
    details = parser.add_argument_group("source details (default: what the document says)")
    details.add_argument("--title", help="the interview's title")
    details.add_argument("--interviewee", metavar="NAME", help="who answers (several: comma-separated)")
    details.add_argument("--interviewers", metavar="NAMES", help="who asks, comma-separated")
    details.add_argument("--date", metavar="YYYY-MM-DD", help="when it was published")
    details.add_argument("--url", help="where it was published")


SUBCOMMANDS = (
    Subcommand("chat", "talk to the interview (the default)", ("kb", "interview", "model"), _chat_arguments, _run_chat),
    Subcommand(
        "ask",
        "answer one question, or one per stdin line with '-'",
        ("kb", "interview", "model"),
        _ask_arguments,
        _run_ask,
    ),
    Subcommand("list", "every question with its id, under its interview", ("kb",), _list_arguments, _run_list),
    Subcommand(
        "export",
        "write an interview (or each one loaded) as markdown, questions in order, answers verbatim",
        ("kb", "interview"),
        _export_arguments,
        _run_export,
    ),
    Subcommand("check", "validate knowledge files", (), _paths_arguments, _run_check),
    Subcommand(
        "index",
        "compile knowledge (and, with the sentence model, its embeddings) ahead of time",
        ("model",),
        _paths_arguments,
        _run_index,
    ),
    Subcommand("ingest", "turn a published interview into a knowledge file", (), _ingest_arguments, _run_ingest),
)


def _interview(kb: KnowledgeBase, name: str | None) -> Source | None:
    """The interview ``--interview NAME`` names, or a usage error listing those loaded."""
    if name is None:
        return None
    chosen = shelf.find(kb.sources, name)
    if chosen is None:
        loaded = "; ".join(shelf.label(source) for source in kb.sources)
        raise UsageError(f"--interview: no loaded interview matches '{name}' (loaded: {loaded})")
    return chosen


# -- ask ------------------------------------------------------------------------------------


def _model(args: argparse.Namespace) -> str | None:
    """The sentence-embedding model when the extra is installed and wanted; ``None`` for words only."""
    return semantic.wanted(lexical=args.lexical, model=args.model)


def _semantic(
    loaded: cache.Loaded, model: str, kb: Sequence[str] | None, *, quiet: bool = False
) -> semantic.Semantic:
    """The model and the knowledge's embeddings, kept beside its cached index (computed once,
    with a progress line on a terminal unless ``quiet``); a file that cannot be written warns once.

    ``semantic.NotEmbedded`` when they are not cached and there are more than
    ``Limits.embed_at_once`` texts to embed (``askbot index`` does that, not a question), saying
    the command that embeds them: with the ``--kb`` paths given and the model."""
    store = cache.embedding_file(loaded, semantic.model_key(model))
    progress = None if quiet else _progress("embedding")
    texts = loaded.index.phrasings + len(loaded.knowledge)
    try:
        side = semantic.make_semantic(
            loaded.knowledge, model, store=store, progress=progress, at_once=True, texts=texts
        )
    except semantic.NotEmbedded as exc:
        raise semantic.NotEmbedded(exc.texts, _embed_hint(store is not None, model, kb), exact=exc.exact) from None
    if store is not None and store.warning and not quiet:
        print(f"{PROG}: warning: {store.warning}; embedding again next time", file=sys.stderr)
    return side


def _one_embedded(loaded: cache.Loaded, chosen: Source, model: str, settings: Settings) -> Matcher | None:
    """A matcher over one interview of a base too large to embed now, with the sentence model
    when that interview alone is small enough (embedded for this call, not kept); else ``None``."""
    narrowed = loaded.knowledge.only(chosen)
    try:
        side = semantic.make_semantic(narrowed, model, at_once=True)
    except semantic.NotEmbedded:
        return None
    return Matcher(narrowed, settings=settings, semantic=side)


def _embed_hint(cached: bool, model: str, kb: Sequence[str] | None) -> str:
    """What embeds a knowledge base once: ``askbot index`` with the same ``--kb`` and model."""
    import shlex  # here: only this warning needs it, not every ``askbot ask``

    if not cached:
        return f"with the index cache off (--no-cache, {cache.ENV_VAR}) they are never kept"
    command = ["askbot", *(part for path in kb or () for part in ("--kb", path))]
    if model != semantic.DEFAULT_MODEL:
        command += ["--model", model]
    return f"run {shlex.join([*command, 'index'])} once to embed them"


#: Batches from which ``askbot index`` logs its progress where stderr is no terminal (a script,
#: a log file): 100 batches of 32 texts take half a minute and more.
LOGGED_BATCHES = 100


def _progress(doing: str, *, logged: bool = False) -> Callable[[int, int], None] | None:
    """A progress line on stderr for a long embedding, redrawn in place, on a terminal. With
    ``logged``, elsewhere too, for a job of ``LOGGED_BATCHES`` or more: a line at each tenth,
    so that a script's log says how far a twenty-minute ``askbot index`` has come."""
    if not sys.stderr.isatty():
        return _logged(doing) if logged else None

    def show(done: int, total: int) -> None:
        end = "\n" if done == total else ""
        print(f"\r{PROG}: {doing}: {100 * done // total}% ({done:,}/{total:,} batches)", end=end, file=sys.stderr)
        sys.stderr.flush()

    return show


def _logged(doing: str) -> Callable[[int, int], None]:
    """``_progress``'s lines where stderr is no terminal: one at each tenth of a long job."""
    said = 0

    def log(done: int, total: int) -> None:
        nonlocal said
        tenth = 10 * done // total
        if total >= LOGGED_BATCHES and tenth > said:
            said = tenth
            print(f"{PROG}: {doing}: {10 * tenth}% ({done:,}/{total:,} batches)", file=sys.stderr, flush=True)

    return log


def _match_json(matcher: Matcher, result: dict[str, object]) -> str:
    """A result as one JSON line, saying which matcher answered (``lexical`` or ``semantic``)."""
    used = matcher.semantic
    method = {"matcher": "lexical" if used is None else "semantic", "model": None if used is None else used.model}
    return _json({**result, **method})


def _ask(matcher: Matcher, words: list[str], *, as_json: bool, top: int, explain: bool) -> int:
    if words == ["-"]:
        return _ask_batch(matcher, sys.stdin.buffer, sys.stdout, as_json=as_json, top=top, explain=explain)
    question = " ".join(words)
    _validate(question)
    text, answered = _reply(matcher, question, as_json=as_json, top=top, suggest=True, explain=explain)
    print(text)
    return EXIT_OK if answered else EXIT_NOT_CONFIDENT


def _reply(
    matcher: Matcher, question: str, *, as_json: bool, top: int, suggest: bool, explain: bool
) -> tuple[str, bool]:
    """One question's output (the chat's wording, or a JSON line) and whether it was answered.

    The turn is decided as the chat decides it (``turn.decide``), from an empty conversation;
    with no conversation to ask back in, a tie between interviews is shown as the best answer and
    who else answers it. ``explain`` adds the ``why:`` line.
    """
    settings = DEFAULT_CONVERSATION_SETTINGS.replace(related=top, suggestions=top)
    turn = decide(matcher, question, settings=settings)
    if as_json:
        return _match_json(matcher, _turn_dict(turn)), turn.answered
    several = len(matcher.knowledge.sources) > 1
    match = turn.match
    if turn.decision == "whose":
        text = render.answer_text(match, several_sources=several)
        others = [entry for entry in turn.rivals if match.entry is None or entry.source != match.entry.source]
        if match.entry is not None and others:
            text += "\n" + render.plain(render.also_answered(others)).rstrip("\n")
    else:
        shown = turn if suggest else turn._replace(suggestions=())
        text = render.plain(render.reply(shown, several=several)).rstrip("\n")
    if explain:
        meta = turn.decision == "meta"
        text += "\nwhy: a question about the interview itself, answered from its source details" if meta else ""
        text += "" if meta else "\n" + render.why_text(match)
    return text, turn.answered


def _turn_dict(turn: Turn) -> dict[str, object]:
    """The ``--json`` object of a turn; for a compound question, the first part answered (as the
    line's own, ``query`` the whole line) and every part's object under ``parts`` (else null)."""

    def one(part: Turn) -> dict[str, object]:
        if part.meta is not None:
            return render.meta_dict(part.match.query, part.meta)
        return render.match_dict(part.match)

    if turn.decision != "parts":
        return {**one(turn), "parts": None}
    first = next(part for part in turn.parts if part.answered)
    return {**one(first), "query": turn.match.query, "parts": [one(part) for part in turn.parts]}


def _json(value: object) -> str:
    """One line of JSON: UTF-8 as is, ``\\u`` escapes when stdout cannot encode it."""
    import json  # only --json pays for it

    encoding = (getattr(sys.stdout, "encoding", None) or "utf-8").replace("_", "-").lower()
    return json.dumps(value, ensure_ascii=encoding not in ("utf-8", "utf8"))


def _validate(question: str) -> None:
    if not question.strip():
        raise UsageError("the question is empty")
    if "\x00" in question:
        raise UsageError("the question contains a NUL byte")
    try:
        question.encode("utf-8")
    except UnicodeEncodeError as exc:  # argv bytes that were not UTF-8 arrive as lone surrogates
        raise UsageError(f"the question is not UTF-8 (byte {len(question[: exc.start].encode()) + 1})") from None


def _ask_batch(matcher: Matcher, stdin: IO[bytes], stdout: IO[str], *, as_json: bool, top: int, explain: bool) -> int:
    """One answer per input line, in order, each written and flushed whole.

    The lines that have arrived together (all of a file, a pipe's backlog; at most
    ``semantic.PREPARED`` at a time) are embedded together before they are answered: the
    sentence model costs a batch far less than the same questions one by one. A line typed or
    sent alone is answered as soon as it arrives: nothing waits for lines that have not come.

    Ctrl-C (or SIGTERM, as ``timeout`` sends) stops the batch at once while it reads or
    matches, but never inside a write: a reader of the output sees only complete lines, then
    the exit code 130 (143).
    """
    with stdio.HeldSignals().installed() as signals:
        for arrived in _arrived(stdin):
            for start in range(0, len(arrived), semantic.PREPARED):
                lines = [_decode(raw) for raw in arrived[start : start + semantic.PREPARED]]
                matcher.prepare([shown for shown, problem in lines if problem is None])
                for shown, problem in lines:
                    if problem is None:
                        text, _ = _reply(matcher, shown, as_json=as_json, top=top, suggest=False, explain=explain)
                        out = text + "\n" if as_json else f"> {_echo(shown)}\n{text}\n\n"
                    elif as_json:
                        out = _match_json(matcher, render.error_dict(shown, problem)) + "\n"
                    else:
                        out = f"> {_echo(shown)}\nerror: {problem}\n\n"
                    with signals.held():
                        stdio.write_whole(stdout, out)
    return EXIT_OK


def _echo(question: str) -> str:
    """A batch question as its answer is headed in text mode: cut where the matcher stops reading
    (a pasted 10 MB line is not printed back whole), control characters made visible."""
    cut = question if len(question) <= MAX_QUERY_CHARS else question[:MAX_QUERY_CHARS] + "…"
    return render.safe(cut)


def _arrived(stream: IO[bytes]) -> Iterator[list[bytes]]:
    """The lines of a byte stream, in lists of those that arrived together: each list is what one
    read returned (``read1``: what is buffered or waiting in the pipe, never more than that).
    Line ends are dropped; an over-long line keeps its first ``MAX_LINE_BYTES`` (cut before a
    UTF-8 character split by the cut) and counts as one line."""
    read = getattr(stream, "read1", stream.read)
    line = bytearray()
    while True:
        chunk = read(_READ_BYTES)
        if not chunk:
            if line:
                yield [_line_of(line)]
            return
        *ended, rest = chunk.split(b"\n")
        arrived = []
        for piece in ended:
            line += piece[: max(MAX_LINE_BYTES - len(line), 0)]
            arrived.append(_line_of(line))
            line.clear()
        line += rest[: max(MAX_LINE_BYTES - len(line), 0)]
        if arrived:
            yield arrived


def _line_of(data: bytearray) -> bytes:
    """A line as read, without its line end; when cut at ``MAX_LINE_BYTES``, without the first
    bytes of a UTF-8 character the cut left incomplete."""
    end = len(data)
    if end >= MAX_LINE_BYTES:
        tail = 0  # continuation bytes (0b10xxxxxx) at the end, after the character's first byte
        while tail < min(end, 3) and data[end - 1 - tail] & 0xC0 == 0x80:
            tail += 1
        first = data[end - 1 - tail] if end > tail else 0
        length = 4 if first >= 0xF0 else 3 if first >= 0xE0 else 2 if first >= 0xC0 else 1
        if length > tail + 1:
            end -= tail + 1
    return bytes(data[:end]).rstrip(b"\r\n")


def _decode(raw: bytes) -> tuple[str, str | None]:
    """The line as text (cut to what the matcher reads) and what is wrong with it, if anything."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return raw.decode("utf-8", "replace")[:MAX_QUERY_CHARS], f"not UTF-8 (byte {exc.start + 1})"
    if "\x00" in text:
        return text.replace("\x00", "")[:MAX_QUERY_CHARS], "contains a NUL byte"
    if not text.strip():
        return text, "empty question"
    return text, None


# -- list, check, ingest ----------------------------------------------------------------------


def _list(kb: KnowledgeBase, *, as_json: bool) -> int:
    """Every question with its id; with several interviews, under a line naming each."""
    if as_json:
        print(_json([{"id": e.id, "question": e.question, "interview": render.interview_dict(e.source)} for e in kb]))
        return EXIT_OK
    width = max(len(entry.id) for entry in kb)
    several = len(kb.sources) > 1
    for n, source in enumerate(kb.sources):
        entries = [entry for entry in kb if entry.source == source]
        if several:
            gap = "\n" if n else ""
            print(render.safe(f"{gap}# {shelf.heading(source)} ({len(entries)} questions)"))
        for entry in entries:
            print(f"{entry.id:<{width}}  {render.safe(entry.question)}")
    return EXIT_OK


def _note_skipped(skipped: list[str]) -> None:
    """One line on stderr per folder naming what in it looked like knowledge but was not read."""
    for line in skipped:
        print(render.safe(f"{PROG}: note: {line}"), file=sys.stderr)


def _check(targets: Sequence[str]) -> int:
    from ..knowledge import files  # the YAML parser: only for the commands that parse

    skipped: list[str] = []
    found = paths.expand_paths(targets, skipped=skipped)
    _note_skipped(skipped)
    problems = files.check_files(found)
    for problem in problems:
        print(render.safe(str(problem)))
    if problems:
        print(f"{PROG} check: {len(problems)} problem(s) in {len(found)} file(s)", file=sys.stderr)
        return EXIT_NOT_CONFIDENT
    print(f"{PROG} check: {len(found)} file(s) ok", file=sys.stderr)
    return EXIT_OK


def _index(targets: Sequence[str] | None, *, use_cache: bool, model: str | None) -> int:
    """Build (or find current) the cached index for these paths, and with ``model`` the phrasings'
    embeddings, and say what each cost."""
    if not use_cache:
        raise UsageError("'index' writes the cache; it cannot run with --no-cache or ASKBOT_NO_CACHE")
    start = time.perf_counter()
    loaded = cache.load_indexed(targets, MATCHER_SETTINGS)
    seconds = time.perf_counter() - start
    if loaded.warning or loaded.path is None:
        print(f"{PROG}: error: {loaded.warning or 'no cache file was written'}; no index was built", file=sys.stderr)
        return EXIT_USAGE
    size = os.stat(loaded.path).st_size
    files = loaded.parsed + loaded.reused
    if files == 0:
        what = "already current"
    else:
        what = f"{loaded.parsed} file(s) parsed, {loaded.reused} reused, indexed"
    report = f"{PROG} index: {len(loaded.knowledge):,} entries: {what} in {seconds:.2f} s; {size / 1e6:.1f} MB"
    if model is not None:
        start = time.perf_counter()
        store = cache.EmbeddingFile.beside(loaded.path, semantic.model_key(model))
        done = "already current"
        if store.load(len(loaded.knowledge), 2) is None:  # only then is the model loaded
            progress = _progress("embedding", logged=True)
            side = semantic.make_semantic(loaded.knowledge, model, store=store, progress=progress)
            if store.warning:
                print(f"{PROG}: error: {store.warning}; no embeddings were stored", file=sys.stderr)
                return EXIT_USAGE
            done = (
                f"{len(side.phrasings):,} phrasings and {len(side.sentences):,} answer sentences embedded"
                " (the model load included)"
            )
        report += (
            f"; embeddings by {render.safe(model)}: {done} in {time.perf_counter() - start:.2f} s,"
            f" {store.size() / 1e6:.1f} MB"
        )
    print(f"{report} at {render.safe(str(loaded.path))}", file=sys.stderr)
    return EXIT_OK


def _ingest(
    transcript: str,
    output: str | None,
    *,
    force: bool,
    fmt: str | None,
    verbose: bool,
    details: dict[str, str] | None = None,
    comments: bool = False,
) -> int:
    """Read a document (a file, stdin or a URL), report what was read and dropped, write the
    knowledge file whole or not at all."""
    from .. import ingest  # the HTML parser and the ingest rules load only for this command
    from ..knowledge import files

    details = dict(details or {})
    if ingest.is_url(transcript):
        name = transcript
        try:
            data = ingest.fetch(transcript)
        except ingest.FetchError as exc:
            raise UsageError(f"{transcript}: {exc}") from None
        details.setdefault("url", transcript)
    else:
        name = "<stdin>" if transcript == "-" else transcript
        data = ingest.read_bytes(name, sys.stdin.buffer if transcript == "-" else None)
    try:
        parsed = ingest.read(data, name=name, fmt=fmt, details=details, comments=comments)
    except ingest.IngestError as exc:
        raise UsageError(str(exc)) from None
    yaml_text = files.dump(parsed.source, parsed.entries)
    to_stdout = output in (None, "-")
    problems, _ = files.loads(yaml_text, "<stdout>" if to_stdout else str(output))
    if any(p.fatal for p in problems):
        raise UsageError(f"ingest produced an invalid knowledge file: {problems[0]}")
    if to_stdout:
        sys.stdout.write(yaml_text)
    else:
        from pathlib import Path  # here: ``ask`` never writes a file, and pathlib costs it 3 ms

        _write_new(Path(str(output)), yaml_text, force)
    who = f"asked by {', '.join(parsed.askers) or 'the interviewer'}"
    answered = f"answered by {', '.join(parsed.answerers) or parsed.source.interviewee or 'the interviewee'}"
    count = len(parsed.entries)
    summary = f"{count} question{'' if count == 1 else 's'} ({parsed.format}, {parsed.style}; {who}; {answered})"
    warnings = [f"warning: {p}" for p in problems if not p.fatal]  # what `askbot check` would say
    for line in [summary, *parsed.report.summary(comments=comments), *warnings, *parsed.report.lines(verbose=verbose)]:
        print(render.safe(f"{PROG} ingest: {name}: {line}"), file=sys.stderr)
    return EXIT_OK


def _write_new(path: Path, text: str, force: bool) -> None:
    """Write a file, refusing to replace one without ``--force`` (and never half-writing it).

    Only a regular file is ever replaced: a folder, a device, a FIFO or a symlink at ``path`` is
    refused even with ``--force``, so ``-o /dev/full`` or ``-o link.yaml`` never destroys one.
    """
    try:
        found = path.lstat()
    except FileNotFoundError:
        found = None
    except OSError as exc:
        raise UsageError(f"{path}: cannot write: {exc.strerror or exc}") from None
    if found is not None:
        if not stat.S_ISREG(found.st_mode):
            raise UsageError(f"{path}: not a regular file; refusing to replace it (give a file name)")
        if not force:
            raise UsageError(f"{path}: already exists (use --force to overwrite)")
    if not path.name or path.name in (".", ".."):
        raise UsageError(f"{path}: not a file name")
    temp = path.with_name(f".{path.name}.tmp")
    try:
        temp.write_text(text, encoding="utf-8")
        temp.replace(path)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise UsageError(f"{path}: cannot write: {exc.strerror or exc}") from None
