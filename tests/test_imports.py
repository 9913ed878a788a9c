"""What the library and ``askbot ask`` may import (as click's ``tests/test_imports.py`` does).

No prompt_toolkit outside the chat; and ``askbot ask`` on a current index cache loads only the
modules listed here (by top-level name), so a new heavy import on that path fails a test
instead of quietly slowing every scripted question.
"""

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

# Everything a warm ``askbot ask`` may load beyond what a bare ``python -c pass`` has loaded.
ALLOWED_ON_ASK = {
    # askbot and the one library it matches with
    "askbot",
    "rapidfuzz",
    "_cython_3_3_0",
    "cython_runtime",
    # the index cache
    "sqlite3",
    "_sqlite3",
    "datetime",  # sqlite3 imports it
    "_datetime",
    "marshal",
    "array",
    "_blake2",
    # the command line (argparse sizes its help to the terminal through shutil)
    "argparse",
    "gettext",
    "locale",
    "_locale",
    "shutil",
    "fnmatch",
    "bz2",
    "_bz2",
    "lzma",
    "_lzma",
    "zlib",
    "_compression",
    "signal",
    "threading",
    "errno",
    # the language: dataclasses (which imports inspect and its helpers), typing, paths, text
    "dataclasses",
    "inspect",
    "ast",
    "_ast",
    "dis",
    "opcode",
    "_opcode",
    "tokenize",
    "token",
    "linecache",
    "keyword",
    "copy",
    "enum",
    "typing",
    "_typing",
    "types",
    "collections",
    "_collections",
    "functools",
    "_functools",
    "itertools",
    "operator",
    "_operator",
    "contextlib",
    "weakref",
    "_weakrefset",
    "reprlib",
    "copyreg",
    "warnings",
    "importlib",
    "__future__",
    "pathlib",
    "ntpath",
    "urllib",
    "ipaddress",
    "re",
    "_sre",
    "heapq",
    "_heapq",
    "math",
    "unicodedata",
    "encodings",
}

ASK = """
import contextlib, io, json, sys
before = set(sys.modules)
from askbot import cli
with contextlib.redirect_stdout(io.StringIO()):
    code = cli.main(["ask", "why hangzhou?"])
print(json.dumps([code, sorted({m.split('.')[0] for m in set(sys.modules) - before})]))
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


def test_ask_on_a_current_cache_imports_only_what_it_needs() -> None:
    runs = [subprocess.run([sys.executable, "-c", ASK], capture_output=True, text=True, check=True) for _ in "12"]
    code, imported = json.loads(runs[1].stdout)  # the second run: the index is cached
    assert code == 0
    unexpected = sorted(set(imported) - ALLOWED_ON_ASK)
    assert unexpected == [], f"new imports on the 'askbot ask' path: {unexpected}"
    assert not {"yaml", "json", "spellchecker", "prompt_toolkit", "hashlib", "tempfile"} & set(imported)


INGEST_PROBE = """
import json, sys
from askbot import cli
cli.main(['ask', '--json', 'why hangzhou'])
print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] == 'selectolax' or m.startswith('askbot.ingest'))))
"""


def test_ask_never_loads_the_ingest_html_parser() -> None:
    out = subprocess.run([sys.executable, "-c", INGEST_PROBE], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []
