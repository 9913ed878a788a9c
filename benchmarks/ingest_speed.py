"""How long ``askbot ingest`` takes on N short repeated Q/A pairs (issue 12: 100,000 pairs in well
under a minute; past the 100,000-entry limit it stops while parsing).

    python benchmarks/ingest_speed.py [N ...]     # default: 4000 100000 150000
"""

from __future__ import annotations

import sys
import time

from askbot import ingest


def main(argv: list[str]) -> int:
    for count in [int(a) for a in argv] or [4_000, 100_000, 150_000]:
        text = "Interview\n\n" + "Q: Why did you start?\nA: Because it was fun.\n\n" * count
        started = time.perf_counter()
        try:
            found = f"{len(ingest.parse(text).entries):,} entries"
        except ingest.IngestError as exc:
            found = f"stopped: {exc}"
        print(f"{count:>8,} pairs ({len(text) / 1e6:5.1f} MB): {time.perf_counter() - started:6.2f} s, {found}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
