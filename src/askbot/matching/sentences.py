"""The small interface a sentence model plugs into: what the matcher asks of one, and what it gets.

The matcher reads words; a sentence-embedding model (``askbot.semantic``) hears a question as a
whole. The matcher defines here what it needs from such a model and never imports one, so
matching runs, and is tested, without numpy or a model installed, and another model (a
different runtime, a stand-in in tests) plugs in by implementing ``SentenceModel``.
"""

from collections.abc import Sequence
from typing import NamedTuple, Protocol

from ..settings import Settings


class Pull(NamedTuple):
    """What the sentence model says of one candidate, which ``scoring.heard`` turns into features.

    ``closeness`` (0-100): the question's closeness to the entry's phrasings, on an absolute
    scale (``Settings.semantic_floor``/``semantic_ceiling``), less a rivalry discount. The rest
    are the raw cosines (-1 to 1), each the nearest of its kind: to the entry's phrasings (its
    question and alternates), to the sentences of its answer, and the same two for the nearest
    *other* entry (so ``question - rival_question`` is the margin by which the model sides with
    this entry, below 0 when it hears the question as another's). ``question_rank`` and
    ``answer_rank`` are the entry's places among all entries by those cosines (0: the nearest).
    """

    closeness: float
    question: float = 0.0
    answer: float = 0.0
    rival_question: float = 0.0
    rival_answer: float = 0.0
    question_rank: int = 0
    answer_rank: int = 0


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
        the question (by its phrasings, ``Settings.semantic_pool`` of them, and by the sentences
        of its answer, ``Settings.semantic_answer_pool``), and its ``Pull`` on each of them."""
        ...

    def prepare(self, questions: Sequence[str]) -> None:
        """Embed these questions together, ahead of the ``widen`` calls that will ask for them:
        a batch of questions costs far less embedded at once than one by one."""
        ...

    def remember(self, questions: Sequence[str]) -> None:
        """Embed these few questions together, to be asked one after another soon (a compound
        question's parts and the line whole), without dropping a batch ``prepare`` made."""
        ...

    def subset(self, positions: Sequence[int]) -> "SentenceModel":
        """The same model over the entries at ``positions`` only, in that order (one interview of
        several), without embedding anything again."""
        ...
