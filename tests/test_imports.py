"""The library and ``askbot ask`` must not load prompt_toolkit (as click's test_imports does)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

PROBE = """
import json, sys
{code}
print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] == 'prompt_toolkit')))
"""


@pytest.mark.parametrize(
    "code",
    [
        "import askbot; askbot.Matcher(askbot.load()).match('why hangzhou')",
        "from askbot import cli; cli.main(['ask', '--json', 'why hangzhou'])",
    ],
    ids=["library", "ask"],
)
def test_prompt_toolkit_not_imported(code: str) -> None:
    out = subprocess.run([sys.executable, "-c", PROBE.format(code=code)], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


INGEST_PROBE = """
import json, sys
from askbot import cli
cli.main(['ask', '--json', 'why hangzhou'])
print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] == 'selectolax' or m.startswith('askbot.ingest'))))
"""


def test_ask_never_loads_the_ingest_html_parser() -> None:
    out = subprocess.run([sys.executable, "-c", INGEST_PROBE], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []
