"""A knowledge base as the sentence model sees it: each entry's phrasings and answer sentences as
unit vectors, and, for a question, how near each entry is.

Two groups of rows, each entry's rows adjacent and in entry order (so a per-entry maximum is one
``np.maximum.reduceat``):

- *phrasings*: the entry's question and alternates: ``Pull.closeness`` from the nearest
  few, and the nearest of them is ``Pull.question``;
- *answer sentences* (``split``): the sentences of the entry's answer, at most
  ``Limits.answer_sentences`` of one answer and ``Limits.answer_rows`` in all. The nearest is
  ``Pull.answer``: a question about something an answer says finds its entry by it.

The matcher's candidates are the lexical ones plus the entries nearest by either group
(``Settings.semantic_pool``, ``semantic_answer_pool``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from threadpoolctl import ThreadpoolController

from ..matching.sentences import Pull
from ..matching.split import sentence_spans
from ..model import KnowledgeBase, Source
from ..settings import DEFAULT_LIMITS, Limits, Settings
from . import BATCH, EmbeddingStore, Encoder, Matrix, NotEmbedded, Progress, closeness

#: Questions whose embeddings a ``Semantic`` keeps beyond a prepared batch (``Semantic._rows``).
_RECENT = 16
#: The cosines are matrix products too small for OpenBLAS's threads to pay: they run on one, as
#: the encoder's do (``encoder.BertEncoder.encode`` says why).
_BLAS = ThreadpoolController()


def phrasing_texts(knowledge: KnowledgeBase) -> tuple[list[str], list[int]]:
    """Every entry's phrasings (question, then alternates) and where each entry's rows start."""
    texts: list[str] = []
    starts: list[int] = []
    for entry in knowledge:
        starts.append(len(texts))
        texts.append(entry.question)
        texts.extend(entry.alternates)
    return texts, starts


def sentence_texts(knowledge: KnowledgeBase, limits: Limits = DEFAULT_LIMITS) -> tuple[list[str], list[int]]:
    """Every entry's answer sentences, verbatim (``split.sentence_spans``), and where each entry's
    rows start. At most ``Limits.answer_sentences`` of one answer, the first ones, fewer when
    the base is so large that ``Limits.answer_rows`` would not hold them all; an answer with no
    sentence (blank) is one row as it is, so every entry has a row."""
    share = max(1, min(limits.answer_sentences, limits.answer_rows // max(len(knowledge), 1)))
    texts: list[str] = []
    starts: list[int] = []
    for entry in knowledge:
        starts.append(len(texts))
        answer = entry.answer
        spans = sentence_spans(answer, min_words=limits.sentence_words)[:share]
        if spans:
            texts.extend(answer[s:e] for s, e in spans)
        else:
            texts.append(answer)
    return texts, starts


class Semantic:
    """The semantic side of one matcher: the entries' embedded rows and the model for questions.

    Built once per knowledge base, the rows from ``store`` when it has them (then no text is
    read or embedded); ``Matcher(knowledge, semantic=Semantic(knowledge, encoder))`` uses it.
    ``embedded`` is how many texts were embedded now (0 when the store had them). With
    ``at_once``, a base the store lacks that has more than ``Limits.embed_at_once`` texts to
    embed raises ``NotEmbedded`` before any is: a caller about to answer a question does not
    wait an hour for a large archive (``askbot index`` embeds it ahead).
    """

    def __init__(
        self,
        knowledge: KnowledgeBase,
        encoder: Encoder,
        *,
        store: EmbeddingStore | None = None,
        progress: Progress | None = None,
        limits: Limits = DEFAULT_LIMITS,
        at_once: bool = False,
    ) -> None:
        self.encoder = encoder
        self.size = len(knowledge)
        self.embedded = 0
        found = store.load(self.size, 2) if store is not None else None
        if found is None:
            most = limits.embed_at_once if at_once else None
            phrasings, phrasing_starts = phrasing_texts(knowledge)
            # Every entry has one answer row at least: a base past the limit by that count is
            # refused before its answers are cut into sentences (15 s for 100,000 entries).
            if most is not None and len(phrasings) + self.size > most:
                raise NotEmbedded(len(phrasings) + self.size)
            sentences, sentence_starts = sentence_texts(knowledge, limits)
            if most is not None and len(phrasings) + len(sentences) > most:
                raise NotEmbedded(len(phrasings) + len(sentences), exact=True)
            # One call: the encoder sorts all of them by length into batches.
            rows = encoder.encode([*phrasings, *sentences], progress=progress)
            found = [
                (rows[: len(phrasings)], np.asarray(phrasing_starts, dtype=np.int64)),
                (rows[len(phrasings) :], np.asarray(sentence_starts, dtype=np.int64)),
            ]
            self.embedded = len(rows)
            if store is not None:
                store.save(found)
        (self.phrasings, self._phrasing_starts), (self.sentences, self._sentence_starts) = found
        #: Embeddings of the last few questions asked one at a time (the encoder's, so a narrowed
        #: ``subset`` shares them).
        self._recent: dict[str, Matrix] = {}
        self._prepared = _Prepared()

    @property
    def model(self) -> str:
        """The model's name as the reader gave it (or ``DEFAULT_MODEL``)."""
        return self.encoder.name

    def subset(self, positions: Sequence[int]) -> Semantic:
        """The semantic side of the entries at ``positions`` (in that order), from these rows: the
        chat's ``/use`` and ``askbot ask --interview`` narrow to one interview without embedding."""
        narrowed = object.__new__(Semantic)
        narrowed.encoder, narrowed.size, narrowed.embedded = self.encoder, len(positions), 0
        narrowed.phrasings, narrowed._phrasing_starts = _rows_of(self.phrasings, self._phrasing_starts, positions)
        narrowed.sentences, narrowed._sentence_starts = _rows_of(self.sentences, self._sentence_starts, positions)
        narrowed._recent, narrowed._prepared = self._recent, _Prepared()
        return narrowed

    def only(self, knowledge: KnowledgeBase, source: Source) -> Semantic:
        """The semantic side of ``knowledge.only(source)``, ``knowledge`` being the base this one
        was built for."""
        return self.subset([n for n, entry in enumerate(knowledge) if entry.source == source])

    def cosines(self, question: str) -> Matrix:
        """Per entry, the cosine of the question to its nearest phrasing (a float32 vector)."""
        return self._nearest(self._rows(question)[0], self._phrasing_starts)

    def answer_cosines(self, question: str) -> Matrix:
        """Per entry, the cosine of the question to the nearest sentence of its answer."""
        return self._nearest(self._rows(question)[1], self._sentence_starts)

    def prepare(self, questions: Sequence[str]) -> None:
        """Embed ``questions`` together, for the ``widen`` calls to come (``askbot ask -``); they
        are kept until the next ``prepare``. A batch is far cheaper than its questions one by
        one: the model's matrix products are larger (and spread over the encoder's workers), and
        the cosines to every row are one product for ``BATCH`` questions, which reads the rows
        from memory once (23 MB for CLINC150's 15,000 phrasings) rather than once a question."""
        fresh = list(dict.fromkeys(questions))
        self._prepared = _Prepared(fresh, self.encoder.encode(fresh) if fresh else None)

    def remember(self, questions: Sequence[str]) -> None:
        """Embed these few questions together and keep them with the last ones asked, leaving a
        prepared batch as it is: one chat turn scores a compound question's parts and then the
        line whole, and one model call for all of them costs little more than one for the
        longest (``benchmarks/chat_turns.py``). Those already at hand are not embedded again."""
        fresh = [q for q in dict.fromkeys(questions) if q not in self._recent and q not in self._prepared][-_RECENT:]
        if not fresh:
            return
        for question, vector in zip(fresh, self.encoder.encode(fresh), strict=True):
            self._keep(question, vector)

    def widen(self, question: str, candidates: list[int], settings: Settings) -> tuple[list[int], dict[int, Pull]]:
        """The lexical candidates plus the entries nearest by cosine, and the model's pull on each.

        Nearest: the ``semantic_pool`` entries with the nearest phrasing, then the
        ``semantic_answer_pool`` with the nearest answer sentence. Each ``Pull`` has the
        ``closeness`` (0-100): the mean cosine of the entry's nearest phrasings
        (``semantic_share`` of them) less ``semantic_rivalry`` times how much nearer the nearest
        candidate is; and the raw cosines and ranks ``Pull`` lists.
        """
        if self.size == 0:
            return candidates, {}
        rows, sentence_rows = self._rows(question)
        by_question = self._nearest(rows, self._phrasing_starts)
        by_answer = self._nearest(sentence_rows, self._sentence_starts)
        lexical_and_near = [*dict.fromkeys([*candidates, *_top(by_question, settings.semantic_pool)])]
        chosen = [*dict.fromkeys([*lexical_and_near, *_top(by_answer, settings.semantic_answer_pool)])]
        shared = {n: self._neighbours(rows, n, settings.semantic_share) for n in chosen}
        best = max(shared[n] for n in lexical_and_near)
        rivalry = settings.semantic_rivalry
        q_rival, a_rival = _rivals(by_question), _rivals(by_answer)
        pulls = {}
        for n in chosen:
            c = shared[n]
            pulls[n] = Pull(
                closeness(c * (1 + rivalry) - best * rivalry, settings),
                question=float(by_question[n]),
                answer=float(by_answer[n]),
                rival_question=q_rival(n),
                rival_answer=a_rival(n),
                question_rank=int(np.count_nonzero(by_question > by_question[n])),
                answer_rank=int(np.count_nonzero(by_answer > by_answer[n])),
            )
        return chosen, pulls

    def _nearest(self, rows: Matrix, starts: Matrix) -> Matrix:
        """Per entry, the highest of its rows' cosines."""
        if self.size == 0:
            return np.zeros(0, dtype=np.float32)
        return np.maximum.reduceat(rows, starts)

    def _rows(self, question: str) -> tuple[Matrix, Matrix]:
        """The question's cosine to every phrasing and to every answer sentence: from the prepared
        batch, else from its embedding (one of the last few asked, else embedded now: one line
        is scored more than once, for the verdict, the check for a question about the
        interview, the rivals of other interviews)."""
        found = self._prepared.rows(question, self.phrasings, self.sentences)
        if found is not None:
            return found
        vector = self._recent.get(question)
        if vector is None:
            vector = self.encoder.encode([question])[0]
            self._keep(question, vector)
        with _one_thread():
            return self.phrasings @ vector, self.sentences @ vector

    def _keep(self, question: str, vector: Matrix) -> None:
        """``question``'s embedding among the last ``_RECENT`` kept, the oldest dropped."""
        self._recent[question] = vector
        if len(self._recent) > _RECENT:
            del self._recent[next(iter(self._recent))]

    def _neighbours(self, rows: Matrix, n: int, share: float) -> float:
        """The mean cosine of entry ``n``'s phrasings nearest the question, ``share`` of them (at least one)."""
        end = self._phrasing_starts[n + 1] if n + 1 < self.size else len(rows)
        own = rows[self._phrasing_starts[n] : end]
        k = max(1, round(share * len(own)))
        if k == 1:
            return float(own.max())
        return float(np.partition(own, len(own) - k)[len(own) - k :].sum()) / k


class _Prepared:
    """Questions embedded ahead (``Semantic.prepare``), and their cosines to the rows, worked out
    ``BATCH`` questions at a time as they are asked, in order: a batch's cosines are one matrix
    product, and memory holds one batch's (``BATCH`` x rows), not every prepared question's."""

    def __init__(self, questions: Sequence[str] = (), vectors: Matrix = None) -> None:
        self._where = {question: n for n, question in enumerate(questions)}
        self._vectors = vectors
        self._block = -1
        self._cosines: tuple[Matrix, Matrix] = (None, None)

    def __contains__(self, question: object) -> bool:
        return question in self._where

    def rows(self, question: str, phrasings: Matrix, sentences: Matrix) -> tuple[Matrix, Matrix] | None:
        """The question's cosines to ``phrasings`` and ``sentences`` if it was prepared; else ``None``."""
        n = self._where.get(question)
        if n is None:
            return None
        block, row = divmod(n, BATCH)
        if block != self._block:
            vectors = self._vectors[block * BATCH : (block + 1) * BATCH]
            with _one_thread():
                self._block, self._cosines = block, (vectors @ phrasings.T, vectors @ sentences.T)
        return self._cosines[0][row], self._cosines[1][row]


def _one_thread() -> Any:
    """The BLAS library held to one thread while in the block."""
    return _BLAS.limit(limits=1, user_api="blas")


def _rows_of(matrix: Matrix, starts: Matrix, positions: Sequence[int]) -> tuple[Matrix, Matrix]:
    """The rows of the entries at ``positions``, in that order, and where each one's start."""
    bounds = [*starts.tolist(), len(matrix)]
    pieces = [np.arange(bounds[n], bounds[n + 1]) for n in positions]
    rows = np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.int64)
    return matrix[rows], np.cumsum([0, *(len(p) for p in pieces[:-1])], dtype=np.int64)


def _top(cosines: Matrix, count: int) -> list[int]:
    """The ``count`` entries of highest cosine, highest first (the first in the files on ties)."""
    if count <= 0:
        return []
    if count < len(cosines):
        cut = np.argpartition(-cosines, count - 1)[:count]
        threshold = cosines[cut].min()
        cut = np.flatnonzero(cosines >= threshold)
    else:
        cut = np.arange(len(cosines))
    ordered = cut[np.argsort(-cosines[cut], kind="stable")]
    return [int(n) for n in ordered[:count]]


def _rivals(cosines: Matrix) -> Callable[[int], float]:
    """For an entry, the highest cosine among the *other* entries (-1 when there is none)."""
    if len(cosines) < 2:
        return lambda n: -1.0
    first, second = np.argpartition(-cosines, 1)[:2]
    if cosines[second] > cosines[first]:
        first, second = second, first
    top, runner_up = float(cosines[first]), float(cosines[second])
    return lambda n: runner_up if n == first else top
