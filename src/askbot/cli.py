"""The ``askbot`` command: argparse in, one stderr line and an exit code out on any error.

Exit codes (a contract for scripts): 0 answered / clean, 1 not confident (``ask``) or problems
found (``check``), 2 usage, knowledge or output errors, 130 interrupted (143 on SIGTERM). Nothing
but the result is written to stdout, so ``askbot ask --json`` pipes straight into ``jq``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, NoReturn

from . import __version__, ingest, knowledge, render, semantic, stdio
from .errors import (
    EXIT_INTERRUPTED,
    EXIT_NOT_CONFIDENT,
    EXIT_OK,
    EXIT_TERMINATED,
    EXIT_USAGE,
    AskbotError,
    UsageError,
)
from .match import DEFAULT_THRESHOLD, Matcher
from .model import KnowledgeBase
from .text import MAX_QUERY_CHARS

PROG = "askbot"
# Longest stdin line read whole in batch mode; the matcher looks at far less (MAX_QUERY_CHARS).
MAX_LINE_BYTES = 4 * 1024 * 1024


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line naming the problem, not a usage dump."""

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


def _kb_options(default: object) -> argparse.ArgumentParser:
    """``--kb``, accepted before or after the command (the later one wins, not resets)."""
    options = _Parser(add_help=False)
    options.add_argument(
        "--kb",
        action="append",
        metavar="PATH",
        default=default,
        help=f"knowledge file or folder of *.yaml (repeatable; default: ${knowledge.ENV_VAR} or the bundled interview)",
    )
    return options


def build_parser() -> argparse.ArgumentParser:
    """The whole command line: ``askbot [chat]``, ``ask``, ``list``, ``check``, ``ingest``."""
    kb = _kb_options(argparse.SUPPRESS)
    parser = _Parser(
        prog=PROG,
        description="Ask a published interview a question; get the interviewee's own answer.",
        epilog="Run 'askbot' alone to chat. Exit codes: 0 ok, 1 not confident / problems found, "
        "2 usage, knowledge or output error, 130 interrupted, 143 terminated.",
        parents=[_kb_options(None)],
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--no-color", action="store_true", help="plain text, no colours (also NO_COLOR)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    chat = commands.add_parser("chat", parents=[kb], help="talk to the interview (the default)")
    chat.add_argument("--no-color", action="store_true", default=argparse.SUPPRESS, help="no colours")

    ask = commands.add_parser("ask", parents=[kb], help="answer one question, or one per stdin line with '-'")
    ask.add_argument("question", nargs="+", help="the question, or '-' to read one per line from stdin")
    ask.add_argument("--json", action="store_true", help="one JSON object per question")
    ask.add_argument(
        "--explain", action="store_true", help="say why: the words that matched, those that did not, any penalty"
    )
    ask.add_argument(
        "--top", type=_positive, default=3, metavar="K", help="follow-ups and suggestions to list (default 3)"
    )
    ask.add_argument(
        "--threshold",
        type=_percent,
        default=DEFAULT_THRESHOLD,
        metavar="N",
        help=f"confidence 0-100 needed to answer (default {DEFAULT_THRESHOLD:g})",
    )
    ask.add_argument(
        "--lexical",
        action="store_true",
        help=f"words only: no sentence embeddings even with askbot[semantic] installed (also {semantic.SWITCH_ENV}=0)",
    )
    ask.add_argument(
        "--model",
        metavar="NAME_OR_PATH",
        help=f"sentence-transformers model for askbot[semantic] (also ${semantic.MODEL_ENV}; "
        f"default {semantic.DEFAULT_MODEL}, shipped with the extra)",
    )

    listing = commands.add_parser("list", parents=[kb], help="every question with its id")
    listing.add_argument("--json", action="store_true", help="a JSON array of {id, question}")

    check = commands.add_parser("check", help="validate knowledge files")
    check.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: the knowledge in use)")

    ingest_cmd = commands.add_parser("ingest", help="turn a raw Q/A transcript into a knowledge file")
    ingest_cmd.add_argument("transcript", help="the transcript text file ('-' for stdin)")
    ingest_cmd.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    ingest_cmd.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run askbot; returns the exit code (never raises for user errors)."""
    stdio.prepare_streams()
    try:
        args = build_parser().parse_args(argv)
        code = _dispatch(args)
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


def _dispatch(args: argparse.Namespace) -> int:
    command = args.command or "chat"
    if command == "check":
        return _check(args.paths or args.kb or knowledge.default_paths())
    if command == "ingest":
        return _ingest(args.transcript, args.output, args.force)
    kb = knowledge.load(args.kb)
    if command == "list":
        return _list(kb, as_json=args.json)
    if command == "ask":
        matcher = Matcher(kb, threshold=args.threshold, semantic=_semantic(kb, args))
        return _ask(matcher, args.question, as_json=args.json, top=args.top, explain=args.explain)
    from .chat import run_chat  # prompt_toolkit is loaded only for the chat

    return run_chat(kb, color=not args.no_color and not os.environ.get("NO_COLOR"))


# -- ask ------------------------------------------------------------------------------------


def _semantic(kb: KnowledgeBase, args: argparse.Namespace) -> semantic.Semantic | None:
    """The sentence-embedding side when the extra is installed and wanted; ``None`` for words only."""
    model = semantic.wanted(lexical=args.lexical, model=args.model)
    if model is None:
        return None
    return semantic.make_semantic(kb, model, progress=sys.stderr.isatty())


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
    match = matcher.match(question, limit=top)
    several = len(matcher.knowledge.sources) > 1
    if as_json:
        print(_match_json(matcher, render.match_dict(match)))
    else:
        print(render.answer_text(match, several_sources=several))
        if not match.matched and not match.alternatives:
            print(render.suggestions_text(matcher.knowledge.sample(top)))
        if explain:
            print(render.why_text(match))
    return EXIT_OK if match.matched else EXIT_NOT_CONFIDENT


def _json(value: object) -> str:
    """One line of JSON: UTF-8 as is, ``\\u`` escapes when stdout cannot encode it."""
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


def _ask_batch(
    matcher: Matcher, stdin: IO[bytes], stdout: IO[str], *, as_json: bool, top: int, explain: bool
) -> int:
    """One answer per input line, in order, each written and flushed whole.

    Ctrl-C (or SIGTERM, as ``timeout`` sends) stops the batch at once while it reads or
    matches, but never inside a write: a reader of the output sees only complete lines, then
    the exit code 130 (143).
    """
    with stdio.HeldSignals().installed() as signals:
        for raw in _lines(stdin):
            shown, problem = _decode(raw)
            if problem is None:
                match = matcher.match(shown, limit=top)
                if as_json:
                    out = _match_json(matcher, render.match_dict(match)) + "\n"
                else:
                    why = f"\n{render.why_text(match)}" if explain else ""
                    out = f"> {render.safe(shown)}\n{render.answer_text(match)}{why}\n\n"
            elif as_json:
                out = _match_json(matcher, render.error_dict(shown, problem)) + "\n"
            else:
                out = f"> {render.safe(shown)}\nerror: {problem}\n\n"
            with signals.held():
                stdio.write_whole(stdout, out)
    return EXIT_OK


def _lines(stream: IO[bytes]) -> Iterator[bytes]:
    """Lines of a byte stream; an over-long line is read in pieces and counted as one line."""
    while True:
        line = stream.readline(MAX_LINE_BYTES)
        if not line:
            return
        while not line.endswith(b"\n"):
            more = stream.readline(MAX_LINE_BYTES)
            if not more:
                break
            if len(line) < MAX_LINE_BYTES:
                line += more
            elif more.endswith(b"\n"):
                line += b"\n"
        yield line.rstrip(b"\r\n")


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
    if as_json:
        print(_json([{"id": e.id, "question": e.question} for e in kb]))
        return EXIT_OK
    width = max(len(entry.id) for entry in kb)
    for entry in kb:
        print(f"{entry.id:<{width}}  {render.safe(entry.question)}")
    return EXIT_OK


def _check(paths: Sequence[str]) -> int:
    files = knowledge.expand_paths(paths)
    problems = knowledge.check_files(files)
    for problem in problems:
        print(render.safe(str(problem)))
    if problems:
        print(f"{PROG} check: {len(problems)} problem(s) in {len(files)} file(s)", file=sys.stderr)
        return EXIT_NOT_CONFIDENT
    print(f"{PROG} check: {len(files)} file(s) ok", file=sys.stderr)
    return EXIT_OK


def _ingest(transcript: str, output: str | None, force: bool) -> int:
    if transcript == "-":
        name = "<stdin>"
        text = knowledge.read_text(name, sys.stdin.buffer)
    else:
        name = transcript
        text = knowledge.read_text(transcript)
    try:
        parsed = ingest.parse(text, name=name)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    for note in parsed.notes:
        print(f"{PROG} ingest: {name}: {note}", file=sys.stderr)
    yaml_text = knowledge.dump(parsed.source, parsed.entries)
    problems, _ = knowledge.loads(yaml_text, output or "<output>")
    if any(p.fatal for p in problems):
        raise UsageError(f"ingest produced an invalid knowledge file: {problems[0]}")
    if output is None:
        sys.stdout.write(yaml_text)
    else:
        _write_new(Path(output), yaml_text, force)
    print(f"{PROG} ingest: {len(parsed.entries)} questions from {name}", file=sys.stderr)
    return EXIT_OK


def _write_new(path: Path, text: str, force: bool) -> None:
    """Write a file, refusing to replace one without ``--force`` (and never half-writing it)."""
    if path.exists() and not force:
        raise UsageError(f"{path}: already exists (use --force to overwrite)")
    temp = path.with_name(f".{path.name}.tmp")
    try:
        temp.write_text(text, encoding="utf-8")
        temp.replace(path)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise UsageError(f"{path}: cannot write: {exc.strerror or exc}") from None
