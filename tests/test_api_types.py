"""Public functions refuse wrong argument types with a clear TypeError or ValueError."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import pytest

from askbot import Matcher, load
from askbot.knowledge import check, loads

MATCHER = Matcher(load())


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: load("my.yaml"), TypeError, "not a single str (write ['my.yaml'])"),
        (lambda: load(Path("my.yaml")), TypeError, "not a single PosixPath"),
        (lambda: check("knowledge"), TypeError, "not a single str"),
        (lambda: load(42), TypeError, "not int"),
        (lambda: load([None]), TypeError, "each path must be a str or os.PathLike, not NoneType"),
        (lambda: loads(b"source: {}"), TypeError, "not bytes"),
        (lambda: MATCHER.match(None), TypeError, "query must be a str, not NoneType"),
        (lambda: MATCHER.match(b"x"), TypeError, "query must be a str, not bytes"),
        (lambda: MATCHER.match("x", threshold=math.nan), ValueError, "threshold must be a number, not NaN"),
        (lambda: MATCHER.extract("x", limit="3"), TypeError, "limit must be an int"),
        (lambda: MATCHER.follow_ups("hangzhou-advantages"), TypeError, "entry must be an askbot.Entry, not str"),
        (lambda: Matcher(load(), index={}), TypeError, "index must be an askbot.index.Index, not dict"),
    ],
    ids=[
        "load-str",
        "load-path",
        "check-str",
        "load-int",
        "load-none-item",
        "loads-bytes",
        "match-none",
        "match-bytes",
        "match-nan",
        "extract-limit-str",
        "follow-ups-id",
        "matcher-index-dict",
    ],
)
def test_wrong_argument_types_are_refused_clearly(call: Callable[[], object], error: type, message: str) -> None:
    with pytest.raises(error) as raised:
        call()
    assert message in str(raised.value)
