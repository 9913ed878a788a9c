"""askbot: ask a published interview a question, get the interviewee's own answer back.

>>> from askbot import load, Matcher
>>> match = Matcher(load()).match("why hangzhou?")
>>> match.entry.id, match.entry.source.interviewee
('hangzhou-advantages', 'Wang Yuejian')

Only the knowledge model, the loader and the matcher live here; importing askbot never loads
prompt_toolkit.
"""

from __future__ import annotations

from .errors import AskbotError, KnowledgeError, UsageError
from .knowledge import Problem, bundled_path, check, load
from .match import DEFAULT_THRESHOLD, Matcher
from .model import Candidate, Entry, KnowledgeBase, Match, Source, Why
from .settings import DEFAULT_SETTINGS, Settings

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
]
__version__ = "0.1.0"
