"""Public functions refuse wrong argument types with a clear TypeError or ValueError."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from askbot import Matcher, load
from askbot.knowledge.files import check, loads

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
        (lambda: MATCHER.match("x", score_cutoff=math.nan), ValueError, "score_cutoff must be a number, not NaN"),
        (lambda: MATCHER.extract("x", limit="3"), TypeError, "limit must be an int"),
        (lambda: MATCHER.follow_ups("hangzhou-advantages"), TypeError, "entry must be an askbot.Entry, not str"),
        (lambda: Matcher(load(), index={}), TypeError, "index must be an askbot.matching.index.Index, not dict"),
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


def test_knowledge_bases_and_sources_pickle_copy_hash_and_weakref() -> None:
    """Frozen records are values: they survive pickle and copy, hash as they compare, and a
    cache may hold them weakly."""
    import copy
    import pickle
    import weakref

    kb = load()
    for again in (pickle.loads(pickle.dumps(kb)), copy.copy(kb), copy.deepcopy(kb)):
        assert again == kb and hash(again) == hash(kb)
        assert again.sources[0].extra == kb.sources[0].extra
    assert weakref.ref(kb)() is kb and {kb: 1}[copy.copy(kb)] == 1
    assert repr(kb) == "<KnowledgeBase: 9 entries from 1 interview>"


def test_settings_subclasses_keep_their_parents_fields() -> None:
    from askbot import Settings

    class Stricter(Settings):
        patience: int = 3

    stricter = Stricter(threshold=50, patience=4)
    assert (stricter.threshold, stricter.patience, stricter.replace(suggest_below=1).patience) == (50.0, 4, 4)
    with pytest.raises(TypeError, match="patience must be a whole number"):
        Stricter(patience=1.5)
    with pytest.raises(TypeError, match=r"Settings\(\) takes keyword arguments only"):
        Settings(30.0)  # type: ignore[misc]
    with pytest.raises(TypeError, match="unexpected keyword argument 'zzz'"):
        Settings(zzz=1, aaa=2)  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("values", "error", "message"),
    [
        ({"tie_margin": -1}, ValueError, "tie_margin must be from 0 to 100, not -1"),
        ({"tie_margin": math.nan}, ValueError, "tie_margin must be from 0 to 100, not nan"),
        ({"tie_margin": "10"}, TypeError, "tie_margin must be a number, not '10'"),
        ({"related": 2.5}, TypeError, "related must be a whole number, not 2.5"),
        ({"related": -1}, ValueError, "related must be from 0 to inf, not -1"),
    ],
    ids=["negative margin", "NaN margin", "text margin", "fractional related", "negative related"],
)
def test_conversation_settings_refuse_bad_values(values: dict[str, object], error: type, message: str) -> None:
    from askbot.settings import ConversationSettings

    with pytest.raises(error, match=re.escape(message)):
        ConversationSettings(**values)
    assert ConversationSettings(tie_margin=5).tie_margin == 5.0  # an int given for a float is a float
