"""Is this an English word, and how common? The typo corrector asks before "fixing" a word.

A knowledge base's own vocabulary cannot tell "mayor" (a word it lacks) from "majr" (a typo of
one it has). pyspellchecker ships an English word-frequency list in its wheel (160,000 words,
650 KB compressed, common misspellings such as "recieve" left out), which answers both questions.
Loading it takes about 0.3 s, so it is loaded on first use, and only when the matcher is about
to change a word the knowledge base does not know; questions in the knowledge base's own words
never pay for it. The command line keeps a copy in its index cache that answers a lookup in
microseconds (``keep_list_with(cache.word_frequencies)``), so only the first typo a machine ever
sees pays for the load; a library user's process never writes anything.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import lru_cache
from typing import Protocol


class _Frequencies(Protocol):
    def __contains__(self, word: str, /) -> bool: ...

    def __getitem__(self, word: str, /) -> int: ...


_keeper: Callable[[Callable[[], _Frequencies]], _Frequencies] | None = None


def keep_list_with(keeper: Callable[[Callable[[], _Frequencies]], _Frequencies]) -> None:
    """Have ``keeper(load)`` give the list from now on: an application's faster copy of it, made
    with ``load`` when it has none. The matching core itself never touches a disk for it."""
    global _keeper
    _keeper = keeper
    _frequencies.cache_clear()
    _commonest.cache_clear()


@lru_cache(maxsize=1)
def _frequencies() -> _Frequencies:
    return load_list() if _keeper is None else _keeper(load_list)


def load_list() -> _Frequencies:
    """pyspellchecker's English word counts, read from its wheel (what a keeper copies)."""
    from spellchecker import SpellChecker  # ~0.3 s with its import: only when a word is about to be corrected

    frequencies: _Frequencies = SpellChecker(language="en", distance=1).word_frequency
    return frequencies


def is_word(word: str) -> bool:
    """Whether ``word`` (lower case) is an English word.

    >>> is_word("mayor"), is_word("recieve"), is_word("blokchain")
    (True, False, False)
    """
    return word in _frequencies()


def frequency(word: str) -> int:
    """How often the list saw ``word``; 0 for a word it does not know."""
    found = _frequencies()
    return found[word] if word in found else 0


def rarity(word: str) -> float:
    """How rare ``word`` is in English: the log of how many times rarer it is than the commonest
    word ("the"), 0 for that one, about 18 for a word the list never saw.

    A question's words weigh by what they tell apart: "basically" or "honestly" in a question
    says little, a name the list has never seen says much, whether or not the interview uses it.

    >>> [round(rarity(w)) for w in ("the", "people", "basically", "hangzhou", "kernighan")]
    [0, 4, 7, 14, 18]
    """
    return math.log((_commonest() + 1) / (frequency(word) + 1))


@lru_cache(maxsize=1)
def _commonest() -> int:
    return frequency("the")


def far_rarer(word: str, other: str, ratio: float) -> bool:
    """Whether ``word`` is over ``ratio`` times rarer than ``other``: typing it was most likely a
    slip (``Settings.typo_rarity_ratio``).

    >>> [far_rarer(*pair, 10_000) for pair in (("mayor", "major"), ("vary", "very"), ("goverment", "government"))]
    [False, False, True]
    """
    return frequency(word) * ratio < frequency(other)
