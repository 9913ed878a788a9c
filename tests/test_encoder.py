"""askbot's numpy encoder gives sentence-transformers' vectors, without torch.

The reference vectors were computed once by sentence-transformers on the same model files
(``benchmarks/semantic_reference.py``, which says how) and stored in ``tests/data``; this test
needs neither torch nor sentence-transformers. Skipped where the model package is not installed.
"""

from __future__ import annotations

import json

import pytest

from askbot import semantic
from conftest import DATA

pytestmark = pytest.mark.skipif(
    not semantic.installed(), reason=f"the model is not installed ({semantic.INSTALL_MODEL})"
)

REFERENCE = json.loads((DATA / "minilm-reference.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def encoder() -> semantic.Encoder:
    return semantic.load_encoder()


def test_a_thousand_vectors_match_sentence_transformers(encoder: semantic.Encoder) -> None:
    import numpy as np

    texts = REFERENCE["texts"]
    expected = np.load(DATA / "minilm-reference.npy").astype(np.float32)
    assert REFERENCE["model"] == encoder.name == semantic.DEFAULT_MODEL and len(texts) == len(expected) == 1000
    found = encoder.encode(texts)
    cosines = (found * expected).sum(axis=1) / np.linalg.norm(expected, axis=1)
    worst = int(cosines.argmin())
    assert cosines[worst] >= 0.999, (texts[worst], cosines[worst])
    assert np.allclose(np.linalg.norm(found, axis=1), 1, atol=1e-5)


def test_a_text_embeds_alike_alone_and_in_a_batch_of_other_lengths(encoder: semantic.Encoder) -> None:
    """Padding in a batch is masked out: a short question beside a long answer keeps its vector."""
    import numpy as np

    texts = REFERENCE["texts"][:40]
    together = encoder.encode(texts)
    alone = np.stack([encoder.encode([text])[0] for text in texts])
    assert np.allclose(together, alone, atol=1e-5)


def test_no_texts_is_an_empty_matrix(encoder: semantic.Encoder) -> None:
    assert encoder.encode([]).shape == (0, 384)
