"""What hostile input costs: wall time and peak memory of ``askbot`` refusing or answering it.

    python benchmarks/hostile.py

Each case runs the real command line in its own process, so the peak resident memory printed
is that case's own. The floor it shows: every case ends in well under a second with the exit
code the README promises, and none grows memory with the size of the attack.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import IO

ENTRY = "entries:\n  - id: a\n    question: Is this safe?\n    answer: Yes.\n"


def billion_laughs(levels: int = 9) -> str:
    lines = ['lol0: &lol0 "lol"']
    lines += [f"lol{n}: &lol{n} [{', '.join([f'*lol{n - 1}'] * 10)}]" for n in range(1, levels + 1)]
    return "\n".join(lines) + f"\nsource: {{title: T, bomb: *lol{levels}}}\n" + ENTRY


def write_cases(folder: Path) -> list[tuple[str, list[str], bytes | None, int]]:
    """(name, askbot arguments, stdin, expected exit code) for every case."""
    bomb = folder / "bomb.yaml"
    bomb.write_text(billion_laughs(), encoding="utf-8")
    deep = folder / "deep.yaml"
    deep.write_text("source: {title: T, x: " + "[" * 1_000_000 + "]" * 1_000_000 + "}\n" + ENTRY, encoding="utf-8")
    huge = folder / "huge.yaml"
    with huge.open("w", encoding="utf-8") as out:
        out.write("source: {title: T}\n")
        line = "# " + "x" * 1021 + "\n"
        for _ in range(50 * 1024):
            out.write(line)
        out.write(ENTRY)
    many = folder / "many.yaml"
    with many.open("w", encoding="utf-8") as out:
        out.write("source: {title: T}\nentries:\n")
        for n in range(100_001):
            out.write(f"  - {{id: e{n}, question: q, answer: a}}\n")
    tiny = folder / "tiny-values.yaml"
    with tiny.open("w", encoding="utf-8") as out:  # in pieces: a child's peak RSS counts its parent's
        out.write("source: {title: T, x: [")
        for _ in range(9_000):
            out.write("a," * 1_000)
        out.write("a]}\n" + ENTRY)
    one_mb = ("talent " * 150_000 + "\n").encode()
    return [
        ("alias bomb (10^9 nodes if expanded)", ["ask", "--kb", str(bomb), "is this safe"], None, 2),
        ("nesting 1,000,000 deep", ["ask", "--kb", str(deep), "is this safe"], None, 2),
        ("50 MB file", ["ask", "--kb", str(huge), "is this safe"], None, 2),
        ("/dev/zero as a knowledge file", ["ask", "--kb", "/dev/zero", "is this safe"], None, 2),
        ("100,001 entries", ["ask", "--kb", str(many), "is this safe"], None, 2),
        ("9,000,000 one-letter values (18 MB)", ["ask", "--kb", str(tiny), "is this safe"], None, 2),
        ("a 1 MB question line (batch)", ["ask", "--json", "-"], one_mb, 0),
        ("a 100 kB question (argv)", ["ask", "talent shortage " * 7_000], None, 0),
        ("10,000 blank and NUL lines (batch)", ["ask", "--json", "-"], b"\n\x00\n" * 5_000, 0),
    ]


def run_case(args: list[str], stdin: bytes | None) -> tuple[float, float, int, int]:
    """Wall seconds, peak RSS in MB, exit code and stdout line count of one askbot run."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "askbot", *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert proc.stdin is not None and proc.stdout is not None
    feeder = threading.Thread(target=_feed, args=(proc.stdin, stdin or b""))
    feeder.start()
    out = proc.stdout.read()
    feeder.join()
    _, status, usage = os.wait4(proc.pid, 0)  # wait4, not wait: it reports this child's peak
    proc.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - start
    return elapsed, usage.ru_maxrss / 1024, proc.returncode, len(out.splitlines())


def _feed(stream: IO[bytes], data: bytes) -> None:
    with stream:
        stream.write(data)


def main() -> None:
    with tempfile.TemporaryDirectory() as name:
        cases = write_cases(Path(name))
        print(f"{'case':40}{'exit':>6}{'wall s':>9}{'peak MB':>9}{'lines':>7}")
        for label, args, stdin, expected in [("baseline: ask why hangzhou", ["ask", "why hangzhou"], None, 0), *cases]:
            elapsed, peak, code, lines = run_case(args, stdin)
            flag = "" if code == expected else f"  (expected exit {expected})"
            print(f"{label:40}{code:>6}{elapsed:>9.2f}{peak:>9.0f}{lines:>7}{flag}")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cpus")


if __name__ == "__main__":
    main()
