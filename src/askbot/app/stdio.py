"""Standard streams a command-line tool can rely on: closed, full or interrupted.

Used by ``cli`` only. Python sets a stream closed at start (``>&-``) to ``None``; a blocking
write to a full pipe that a signal interrupts returns a partial count, and CPython's buffered
writer then drops the rest without an error (seen on 3.11). These helpers turn each such case
into something the CLI can report in one line, and keep every written line whole.
"""

from __future__ import annotations

import errno
import io
import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO


class Terminated(BaseException):
    """SIGTERM, raised where it cannot cut a line in half; like KeyboardInterrupt for SIGINT."""


def prepare_streams() -> None:
    """Streams askbot can always use: closed ones replaced, unencodable text escaped.

    A closed stdin reads as empty; a closed stdout fails its first write with EBADF (reported,
    exit 2). An answer with characters the output encoding lacks (``PYTHONIOENCODING=ascii``)
    gets ``\\u2019`` escapes rather than a UnicodeEncodeError.
    """
    if sys.stdin is None:
        sys.stdin = open(os.devnull, encoding="utf-8")
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")
    if sys.stdout is None:
        sys.stdout = ClosedOutput()
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")


class ClosedOutput(io.TextIOBase):
    """Stands in for a stdout that was closed before askbot started."""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, os.strerror(errno.EBADF))

    def isatty(self) -> bool:
        return False


def silence_stdout() -> None:
    """After the reader closed the pipe: point stdout at /dev/null so the exit flush is quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def write_whole(stdout: IO[str], text: str) -> None:
    """Write ``text`` and flush it, all of it, even when a signal arrives mid-write.

    For a real file descriptor the bytes go through ``os.write`` until every one is written,
    because the buffered writer would drop what a partial write left over.
    """
    try:
        fd = stdout.fileno()
    except (AttributeError, OSError, ValueError):
        stdout.write(text)
        stdout.flush()
        return
    stdout.flush()
    data = memoryview(text.encode(getattr(stdout, "encoding", None) or "utf-8", "backslashreplace"))
    while data:
        data = data[os.write(fd, data) :]


class HeldSignals:
    """SIGINT and SIGTERM handlers that hold the signal back while a write is under way.

    Inside ``held()`` a signal is kept and raised (``KeyboardInterrupt`` or ``Terminated``) once
    the write is done; anywhere else it is raised at once, so a batch waiting on stdin stops too.
    """

    SIGNALS = (signal.SIGINT, signal.SIGTERM)

    def __init__(self) -> None:
        self._holding = False
        self._pending: int | None = None

    @contextmanager
    def installed(self) -> Iterator[HeldSignals]:
        try:
            previous = {signum: signal.signal(signum, self._on_signal) for signum in self.SIGNALS}
        except ValueError:  # not the main thread, the only one that may set handlers
            previous = None
        if previous is None:
            yield self
            return
        try:
            yield self
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)

    @contextmanager
    def held(self) -> Iterator[None]:
        self._holding = True
        try:
            yield
        finally:
            self._holding = False
        if self._pending is not None:
            _raise_for(self._pending)

    def _on_signal(self, signum: int, frame: object) -> None:
        if self._holding:
            self._pending = signum
        else:
            _raise_for(signum)


def _raise_for(signum: int) -> None:
    if signum == signal.SIGTERM:
        raise Terminated
    raise KeyboardInterrupt
