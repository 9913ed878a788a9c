"""How long ``askbot ingest`` takes on big transcripts (issue 12: 100,000 pairs in well under a
minute; past the 100,000-entry limit it stops while parsing).

    python benchmarks/ingest_speed.py [N ...]     # default: 4000 100000 150000

For each N: N short repeated Q/A pairs; N lines with N different ``Label:`` prefixes (every
label a new "speaker"); N pairs as a web page of bold questions.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

from askbot import ingest

PAIR = "Q: Why did you start?\nA: Because it was fun.\n\n"
PAGE_PAIR = "<p><strong>Why did you start?</strong></p><p>Because it was fun.</p>"
DOCUMENTS: dict[str, Callable[[int], tuple[str, str]]] = {
    "Q/A pairs": lambda n: ("txt", "Interview\n\n" + PAIR * n),
    "distinct labels": lambda n: (
        "txt",
        "Talk\n\n" + "".join(f"Code Number{i}: value {i}\n" for i in range(n)) + "\n" + PAIR * 2,
    ),
    "page pairs": lambda n: ("html", f"<html><body><article>{PAGE_PAIR * n}</article></body></html>"),
}


def main(argv: list[str]) -> int:
    for count in [int(a) for a in argv] or [4_000, 100_000, 150_000]:
        for kind, make in DOCUMENTS.items():
            fmt, text = make(count)
            started = time.perf_counter()
            try:
                found = f"{len(ingest.parse(text, fmt=fmt).entries):,} entries"
            except ingest.IngestError as exc:
                found = f"stopped: {exc}"
            seconds = time.perf_counter() - started
            print(f"{count:>8,} {kind:<16} ({len(text) / 1e6:5.1f} MB): {seconds:6.2f} s, {found}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
