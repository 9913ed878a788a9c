"""The small interface a sentence model plugs into: what the matcher asks of one, and what it gets.

The matcher reads words; a sentence-embedding model (``askbot.semantic``, the optional extra)
hears a question as a whole. The matcher defines here what it needs from such a model and never
imports one, so matching runs, and is tested, without numpy or a model installed, and another
model (a different runtime, a stand-in in tests) plugs in by implementing ``SentenceModel``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple, Protocol

from ..settings import Settings


class Pull(NamedTuple):
    """What the sentence model says of one candidate: its closeness to the question (0-100),
    and how much of the way down to it a score above it is pulled."""

    closeness: float
    drag: float


class SentenceModel(Protocol):
    """A sentence model built for one knowledge base's entries, in their order."""

    #: How many entries it was built for (the matcher refuses one built for another base).
    size: int

    @property
    def model(self) -> str:
        """The model's name, as ``--json`` reports it."""
        ...

    def widen(self, question: str, candidates: list[int], settings: Settings) -> tuple[list[int], dict[int, Pull]]:
        """The lexical ``candidates`` (entry positions) plus the entries the model finds nearest
        the question, and its ``Pull`` on each of them."""
        ...

    def subset(self, positions: Sequence[int]) -> SentenceModel:
        """The same model over the entries at ``positions`` only, in that order (one interview of
        several), without embedding anything again."""
        ...
