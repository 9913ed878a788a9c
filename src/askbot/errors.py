"""Errors a user can cause, each knowing its exit code and its one-line message.

In the manner of click's exceptions: the CLI catches ``AskbotError`` once and prints
``str(error)``, so no command needs its own error plumbing and no traceback reaches a user.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_NOT_CONFIDENT = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT
EXIT_TERMINATED = 143  # 128 + SIGTERM


class AskbotError(Exception):
    """A problem the user can fix; ``exit_code`` is what the CLI exits with."""

    exit_code = EXIT_USAGE


class UsageError(AskbotError):
    """A bad option, argument or question."""


class KnowledgeError(AskbotError):
    """A knowledge file that cannot be read or is not a valid knowledge file.

    ``path``, ``line`` and ``column`` (1-based) locate the problem so editors can jump to it.
    """

    def __init__(
        self, message: str, path: str | None = None, line: int | None = None, column: int | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.column = column

    def __str__(self) -> str:
        where = [str(part) for part in (self.path, self.line, self.column) if part is not None]
        return ":".join([*where, " " + self.message]) if where else self.message
