"""askbot: ask a published interview a question, get the interviewee's own answer back.

>>> import askbot
>>> match = askbot.open(cache=False).match("why hangzhou?")
>>> match.entry.id, match.entry.source.interviewee
('hangzhou-advantages', 'Wang Yuejian')

``open`` is the one way in; the names below are the records it answers with and the pieces it is
made of (``load`` and ``Matcher``, for a knowledge base built in code). Importing askbot never
loads prompt_toolkit, YAML or a sentence model.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .errors import AskbotError, KnowledgeError, UsageError
from .knowledge.paths import bundled_path
from .matching.matcher import DEFAULT_THRESHOLD, Matcher
from .model import Candidate, Entry, KnowledgeBase, Match, Source, Why
from .settings import DEFAULT_SETTINGS, Settings
from .version import __version__ as __version__

if TYPE_CHECKING:
    from .knowledge.files import Problem, check, load

# Read on first use (PEP 562): the YAML loader's module is the costliest askbot imports, and a
# warm ``askbot ask`` never parses a file.
_LAZY = {"Problem", "check", "load"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from .knowledge import files

        return getattr(files, name)
    raise AttributeError(f"module 'askbot' has no attribute {name!r}")


def open(
    paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str] | None = None,
    *,
    settings: Settings = DEFAULT_SETTINGS,
    cache: bool = True,
) -> Matcher:
    """A matcher over the knowledge in ``paths`` (files or folders of ``*.yaml``; by default
    ``$ASKBOT_KB`` or the bundled interview).

    With ``cache`` (the default), the compiled index is kept in ``$XDG_CACHE_HOME/askbot`` as
    ``askbot`` keeps it, so a large archive opens in milliseconds the second time; without it
    nothing is written. Raises ``KnowledgeError`` for a file that cannot be read.
    """
    from .knowledge.cache import load_indexed  # the cache's modules only for a caller who opens

    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    loaded = load_indexed(paths, settings, cache=cache)
    return Matcher(loaded.knowledge, settings=settings, index=loaded.index)


__all__ = [
    "DEFAULT_SETTINGS",
    "DEFAULT_THRESHOLD",
    "AskbotError",
    "Candidate",
    "Entry",
    "KnowledgeBase",
    "KnowledgeError",
    "Match",
    "Matcher",
    "Problem",
    "Settings",
    "Source",
    "UsageError",
    "Why",
    "bundled_path",
    "check",
    "load",
    "open",
]
