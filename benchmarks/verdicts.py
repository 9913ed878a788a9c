"""Dump every verdict askbot gives on a fixed set of questions, to compare two versions of the code.

    python benchmarks/verdicts.py OUT.jsonl [--clinc150 ../shared/bench/clinc150]
    diff <(python benchmarks/verdicts.py /dev/stdout) before.jsonl

A refactoring that should change no answer (moving modules, renaming records) is checked by
dumping before and after and comparing: for each question, ``match`` (the entry, score,
ambiguity, alternatives with their scores, follow-ups, and the reasons) and ``extract(limit=5)``,
on the bundled interview's dev set, a synthetic 10,000-entry base (``scale.build``) and, when
given, CLINC150's validation questions against its training phrasings; and the JSON lines
``askbot ask --json -`` prints for the dev set on the bundled interview alone and beside a second
interview (which exercises the questions about the interview and the cross-interview ties).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import askbot
from askbot import Matcher
from devset import read_devset
from scale import build, queries

ROOT = Path(__file__).resolve().parent.parent
SECOND = ROOT / "tests" / "data" / "lena-hoffmann-2019.yaml"


def verdict(matcher: Matcher, question: str) -> dict[str, Any]:
    """What ``match`` and ``extract`` say of one question, as plain values."""
    match = matcher.match(question)
    return {
        "q": question,
        "entry": match.entry.id if match.entry else None,
        "score": match.score,
        "ambiguous": match.ambiguous,
        "alternatives": [(c.entry.id, c.score) for c in match.alternatives],
        "follow_ups": [e.id for e in match.follow_ups],
        "why": str(match.why) if match.why else None,
        "extract": [(c.entry.id, c.score, str(c.why)) for c in matcher.extract(question, limit=5)],
    }


def clinc150(folder: Path) -> Iterator[dict[str, Any]]:
    from clinc150 import intent_id, write_knowledge

    data = json.loads((folder / "data_full.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "clinc150.yaml"
        write_knowledge(data["train"], path, title="CLINC150")
        matcher = Matcher(askbot.load([path]))
    asked = [u for u, _ in data["val"]][::4] + [u for u, _ in data["oos_val"]][::2]
    assert intent_id("a_b") == "a-b"
    for question in asked:
        yield {"set": "clinc150-val", **verdict(matcher, question)}


def cli_lines(questions: list[str], *kb: Path) -> list[str]:
    """``askbot ask --json -`` over the questions, with these knowledge files (none: the bundled one)."""
    paths = [arg for path in kb for arg in ("--kb", str(path))]
    proc = subprocess.run(
        [sys.executable, "-m", "askbot", "--no-cache", "ask", "--json", "--lexical", *paths, "-"],
        input="\n".join(questions) + "\n",
        capture_output=True,
        text=True,
        check=True,
    )
    return proc.stdout.splitlines()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="where to write the JSON lines")
    parser.add_argument("--clinc150", type=Path, help="folder holding CLINC150's data_full.json")
    args = parser.parse_args()
    asked = [case.query for case in read_devset()]
    bundled = Matcher(askbot.load())
    rows: list[dict[str, Any]] = [{"set": "dev", **verdict(bundled, q)} for q in asked]
    kb, _ = build(10_000)
    synthetic = Matcher(kb)
    rows += [{"set": "synthetic-10k", **verdict(synthetic, q)} for q in queries(kb, 400)]
    if args.clinc150:
        rows += list(clinc150(args.clinc150))
    bundled_path = askbot.bundled_path()
    for name, paths in (("cli-bundled", (bundled_path,)), ("cli-two", (bundled_path, SECOND))):
        rows += [{"set": name, "line": json.loads(line)} for line in cli_lines(asked, *paths)]
    with args.out.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
    print(f"{len(rows)} verdicts written to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
