"""Calibrate the sentence model's knobs on tuning data only: the dev set, CLINC150 ``val``, Banking77 ``train``.

    python benchmarks/semantic_tune.py ../shared/bench [--weights 0.4,0.5] [--drags 0.2] [--rivalries 0,1]
        [--rival-drags 0,0.5] [--shares 0.03] [--floors 0.2,0.3] [--ceilings 0.7,0.8] [--thresholds 25,30,35]
        [--memo vectors.npz]

For every combination of ``Settings.semantic_weight``, ``semantic_drag``, ``semantic_rivalry``,
``semantic_rival_drag``, ``semantic_share``, ``semantic_floor`` and ``semantic_ceiling`` and each
threshold it prints, side by side:

- the dev set (bundled interview): in-scope top-1 and out-of-scope rejection;
- CLINC150 ``val``: in-scope accuracy and out-of-scope recall (knowledge from ``train``);
- Banking77 held-out ``train``: every tenth training utterance of each category is a query, the
  rest the knowledge; top-1 as ``banking77.py`` counts it (the answer, else the first suggestion).

No test split is read. Sentences (the phrasings and the questions as the model reads them, typos
corrected) are embedded once in batches (``MemoEncoder``, kept between runs with ``--memo``), so a
sweep costs what the lexical matcher costs per setting.
"""

from __future__ import annotations

import argparse
import itertools
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from askbot import DEFAULT_SETTINGS, Entry, KnowledgeBase, Matcher, Source, load
from askbot.matching.index import build_index
from askbot.matching.query import Analyzer
from askbot.semantic import DEFAULT_MODEL, Progress, load_encoder
from askbot.semantic.space import Semantic, phrasing_texts, sentence_texts
from banking77 import read_split
from clinc150 import intent_id
from devset import evaluate, read_devset


class MemoEncoder:
    """An encoder answering from vectors computed up front in batches (fast sweeps)."""

    def __init__(self, texts: Iterable[str], *, memo: Path | None = None, name: str = DEFAULT_MODEL) -> None:
        import numpy as np

        self.name = name
        self._model = load_encoder(name)
        self._vectors: dict[str, Any] = {}
        if memo is not None and memo.exists():
            stored = np.load(memo, allow_pickle=False)
            self._vectors = dict(zip(stored["texts"].tolist(), stored["vectors"], strict=True))
        unique = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if unique:
            self._vectors.update(zip(unique, self._model.encode(unique), strict=True))
            if memo is not None:
                known = list(self._vectors)
                np.savez(memo, texts=np.array(known), vectors=np.stack([self._vectors[t] for t in known]))

    def encode(self, texts: Sequence[str], *, progress: Progress | None = None) -> Any:
        import numpy as np

        missing = [t for t in texts if t not in self._vectors]
        if missing:
            self._vectors.update(zip(missing, self._model.encode(missing), strict=True))
        return np.stack([self._vectors[t] for t in texts])


def knowledge_from(pairs: Iterable[tuple[str, str]], title: str) -> KnowledgeBase:
    """One entry per intent of (utterance, intent) pairs, as the benchmarks' knowledge files hold."""
    by_intent: dict[str, list[str]] = {}
    for utterance, intent in pairs:
        by_intent.setdefault(intent_id(intent), []).append(utterance)
    source = Source(title=title)
    entries = tuple(
        Entry(id=i, question=u[0], answer=i, source=source, alternates=tuple(u[1:])) for i, u in by_intent.items()
    )
    return KnowledgeBase(entries)


def first_choice(matcher: Matcher, query: str) -> str | None:
    match = matcher.match(query)
    if match.entry is not None:
        return match.entry.id
    return match.alternatives[0].entry.id if match.alternatives else None


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("bench", type=Path, help="folder holding clinc150/ and banking77/")
    parser.add_argument("--weights", default="0.5")
    parser.add_argument("--drags", default="0.5")
    parser.add_argument("--rivalries", default="0")
    parser.add_argument("--rival-drags", default="0")
    parser.add_argument("--shares", default="0")
    parser.add_argument("--floors", default="0.3")
    parser.add_argument("--ceilings", default="0.8")
    parser.add_argument("--thresholds", default="30")
    parser.add_argument("--memo", type=Path, help="keep the sentence vectors in this .npz between runs")
    args = parser.parse_args()

    clinc = json.loads((args.bench / "clinc150" / "data_full.json").read_text(encoding="utf-8"))
    clinc_kb = knowledge_from(clinc["train"], "CLINC150 train")
    clinc_in = [(u, intent_id(i)) for u, i in clinc["val"]]
    clinc_oos = [u for u, _ in clinc["oos_val"]]

    b77_train = read_split(args.bench / "banking77" / "train.csv")
    held = {i for i in range(len(b77_train)) if i % 10 == 0}
    b77_kb = knowledge_from((p for i, p in enumerate(b77_train) if i not in held), "Banking77 train minus held-out")
    b77_queries = [(b77_train[i][0], intent_id(b77_train[i][1])) for i in sorted(held)]

    bundled = load()
    dev = read_devset()
    kbs = {"dev": bundled, "clinc": clinc_kb, "b77": b77_kb}
    questions = {"dev": [c.query for c in dev], "clinc": [u for u, _ in clinc_in] + clinc_oos}
    questions["b77"] = [u for u, _ in b77_queries]
    texts = [t for kb in kbs.values() for t in [*phrasing_texts(kb)[0], *sentence_texts(kb)[0]]]
    for name, kb in kbs.items():
        analyze = Analyzer(build_index(kb, DEFAULT_SETTINGS), DEFAULT_SETTINGS)
        texts += [analyze(q).corrected for q in questions[name]]
    encoder = MemoEncoder(texts, memo=args.memo)
    sides = {name: Semantic(kb, encoder) for name, kb in kbs.items()}

    knobs = ("weights", "drags", "rivalries", "rival_drags", "shares", "floors", "ceilings")
    print(
        f"{'w':>5}{'drag':>5}{'riv':>5}{'rdrag':>6}{'share':>6}{'floor':>6}{'ceil':>6}{'thr':>5}"
        f"{'dev in':>8}{'dev out':>8}{'clinc in':>9}{'oos':>7}{'b77':>7}"
    )
    grid = itertools.product(*(map(float, getattr(args, k).split(",")) for k in knobs))
    for weight, drag, rivalry, rival_drag, share, floor, ceiling in grid:
        for threshold in map(float, args.thresholds.split(",")):
            settings = DEFAULT_SETTINGS.replace(
                semantic_weight=weight,
                semantic_drag=drag,
                semantic_rivalry=rivalry,
                semantic_rival_drag=rival_drag,
                semantic_share=share,
                semantic_floor=floor,
                semantic_ceiling=ceiling,
                threshold=threshold,
            )
            dev_result = evaluate(Matcher(bundled, settings=settings, semantic=sides["dev"]), dev)
            m = Matcher(clinc_kb, settings=settings, semantic=sides["clinc"])
            got = [m.match(u).entry for u, _ in clinc_in]
            acc = sum(e is not None and e.id == g for e, (_, g) in zip(got, clinc_in, strict=True)) / len(clinc_in)
            oos = sum(m.match(u).entry is None for u in clinc_oos) / len(clinc_oos)
            m = Matcher(b77_kb, settings=settings, semantic=sides["b77"])
            b77 = sum(first_choice(m, u) == g for u, g in b77_queries) / len(b77_queries)
            print(
                f"{weight:>5.2f}{drag:>5.2f}{rivalry:>5.2f}{rival_drag:>6.2f}{share:>6.2f}{floor:>6.2f}{ceiling:>6.2f}{threshold:>5.0f}{dev_result.in_scope.rate:>8.1%}"
                f"{dev_result.out_of_scope.rate:>8.1%}{acc:>9.1%}{oos:>7.1%}{b77:>7.1%}",
                flush=True,
            )


if __name__ == "__main__":
    main()
