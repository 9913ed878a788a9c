"""Shared fixtures: run the real ``askbot`` in a subprocess, with a private home."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings

from askbot.settings import DEFAULT_LIMITS

# CI runs the property tests on a fixed seed, so a run there is repeatable; locally they explore.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
TRANSCRIPT = DATA / "wang-yuejian-2018.txt"
SHIPPED = ROOT / "knowledge" / "wang-yuejian-2018.yaml"

Run = Callable[..., subprocess.CompletedProcess]


@pytest.fixture(autouse=True)
def private_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point HOME, XDG_DATA_HOME and XDG_CACHE_HOME at a temp folder so no test touches the real
    home (and each test starts with an empty index cache).

    The lexical matcher is pinned (``ASKBOT_SEMANTIC=0``) so the suite means the same in a venv
    with the sentence model or without it; ``test_semantic.py`` turns it back on where it tests it.
    """
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.delenv("ASKBOT_NO_CACHE", raising=False)
    monkeypatch.setenv("ASKBOT_SEMANTIC", "0")
    monkeypatch.delenv("ASKBOT_MODEL", raising=False)
    monkeypatch.delenv("ASKBOT_KB", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return home


@pytest.fixture
def askbot() -> Run:
    """Run ``python -m askbot ARGS`` and capture its output (bytes in, text out)."""

    def run(
        *args: str, input: str | bytes | None = None, env: dict[str, str] | None = None, cwd: Path | None = None
    ):
        data = input.encode() if isinstance(input, str) else input
        proc = subprocess.run(
            [sys.executable, "-m", "askbot", *args],
            input=data,
            capture_output=True,
            env={**os.environ, **(env or {})},
            timeout=60,
            cwd=cwd,
        )
        proc.stdout = proc.stdout.decode("utf-8")
        proc.stderr = proc.stderr.decode("utf-8")
        return proc

    return run


def write(path: Path, text: str) -> Path:
    """Write a test file and return its path."""
    path.write_text(text, encoding="utf-8")
    return path


def large_archive(folder: Path) -> tuple[Path, int]:
    """A knowledge file past ``Limits.embed_at_once`` by its phrasings alone (so askbot refuses
    to embed it before its answers are cut into sentences), and the texts it is refused at:
    entry ``eN`` asks "What about topic N?" and answers "Answer N."."""
    count = DEFAULT_LIMITS.embed_at_once // 4 + 1
    lines = ["source:", "  title: an archive", "entries:"]
    for n in range(count):
        alternates = ", ".join(f'"phrasing {k} of entry {n}"' for k in range(3))
        lines += [f"- id: e{n}", f'  question: "What about topic {n}?"', f'  answer: "Answer {n}."']
        lines.append(f"  alternates: [{alternates}]")
    return write(folder / "archive.yaml", "\n".join(lines) + "\n"), 5 * count
