"""The knowledge model: sources, entries, knowledge bases and match results.

Standard library only, and frozen, so that a knowledge base loaded once can be shared by the
matcher, the renderers and the chat without anyone changing it behind the others' backs.

The records are ``NamedTuple``s, not dataclasses: ``askbot ask`` starts in tens of milliseconds,
and ``dataclasses`` (with the ``inspect`` it imports) and each class it builds cost more than the
rest of askbot's own imports; a tuple entry is also four times cheaper to make, which a cold
build of a large archive feels. For the same reason this module (like ``index`` and ``query``)
does without ``from __future__ import annotations``: ``NamedTuple`` compiles every string
annotation when it makes the class, a millisecond of each start for the records on its path.
"""


from collections.abc import Collection, Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import Any, NamedTuple, NoReturn


class ReadOnlyDict(dict[str, Any]):
    """A dict that refuses changes: a source's ``extra`` fields, shared by every entry of the
    interview, stay as the file gave them, and ``json.dumps`` writes them as the dict they are
    (a ``MappingProxyType`` it cannot)."""

    def _refuse(self, *args: object, **kwargs: object) -> NoReturn:
        raise TypeError("a source's extra fields are read-only")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = __ior__ = _refuse

    def __reduce__(self) -> tuple[Any, ...]:
        return (ReadOnlyDict, (dict(self),))


_NO_EXTRA: Mapping[str, Any] = ReadOnlyDict()


class Source(NamedTuple):
    """Where a set of answers comes from: the interview and who gave it.

    Two sources are equal when their contract fields are; ``extra`` (fields the file adds beyond
    the contract, kept for JSON output) is left out of equality, so a source stays hashable
    whatever values they hold.
    """

    title: str
    interviewee: str | None = None
    role: str | None = None
    interviewers: tuple[str, ...] = ()
    publisher: str | None = None
    event: str | None = None
    date: str | None = None
    url: str | None = None
    extra: Mapping[str, Any] = _NO_EXTRA

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self[:-1] == other[:-1]

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash(self[:-1])

    def __reduce__(self) -> tuple[Any, ...]:
        # Through a plain row, as the index cache stores it.
        return (Source.from_row, (self.to_row(),))

    def as_dict(self) -> dict[str, Any]:
        """The source mapping as it stands in the knowledge file (for JSON output)."""
        data: dict[str, Any] = {
            "title": self.title,
            "interviewee": self.interviewee,
            "role": self.role,
            "interviewers": list(self.interviewers),
            "publisher": self.publisher,
            "event": self.event,
            "date": self.date,
            "url": self.url,
        }
        data.update(self.extra)
        return data

    def to_row(self) -> tuple[Any, ...]:
        """The fields as plain values in order (``extra`` as a dict), for the index cache."""
        return (*self[:-1], dict(self.extra))

    @classmethod
    def from_row(cls, row: tuple[Any, ...]) -> "Source":
        """The source ``to_row`` gave."""
        if len(row) != len(cls._fields):
            raise ValueError(f"a source row has {len(cls._fields)} fields, not {len(row)}")
        return cls._make((*row[:-1], ReadOnlyDict(row[-1])))


class Entry(NamedTuple):
    """One question of an interview with the interviewee's verbatim answer.

    ``position`` and ``of`` place the entry in its interview (1-based), so a reader can be told
    "question 4 of 9" without the entry needing to know its neighbours.
    """

    id: str
    question: str
    answer: str
    source: Source
    position: int = 1
    of: int = 1
    alternates: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    follow_ups: tuple[str, ...] = ()
    path: str | None = None
    # Who gave this answer, when more than one person answers in the interview.
    speaker: str | None = None


class KnowledgeBase:
    """All loaded entries, in file order then interview order, with file-level synonyms.

    ``entries`` is a tuple when loaded from files; ``on_demand`` makes one whose entries are read
    only when asked for (from the index cache), so a large archive costs nothing to open.
    Immutable: the attributes cannot be set once made.
    """

    __slots__ = ("entries", "synonyms", "_positions", "_sources", "__weakref__")

    entries: Sequence[Entry]
    synonyms: tuple[tuple[str, ...], ...]
    # Id -> position, and the distinct sources once asked for.
    _positions: Mapping[str, int]
    _sources: tuple[Source, ...] | None

    def __init__(self, entries: Sequence[Entry], synonyms: tuple[tuple[str, ...], ...] = ()) -> None:
        entries = tuple(entries)
        positions = {entry.id: n for n, entry in enumerate(entries)}
        if len(positions) != len(entries):
            seen: set[str] = set()
            dupes = sorted({e.id for e in entries if e.id in seen or seen.add(e.id)})  # type: ignore[func-returns-value]
            raise ValueError(f"duplicate entry ids: {', '.join(dupes)}")
        self._set(entries, synonyms, MappingProxyType(positions), None)

    def _set(
        self,
        entries: Sequence[Entry],
        synonyms: tuple[tuple[str, ...], ...],
        positions: Mapping[str, int],
        sources: tuple[Source, ...] | None,
    ) -> None:
        values = {"entries": entries, "synonyms": synonyms, "_positions": positions, "_sources": sources}
        for name, value in values.items():
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field '{name}': a KnowledgeBase is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field '{name}': a KnowledgeBase is immutable")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, KnowledgeBase):
            return NotImplemented
        return tuple(self.entries) == tuple(other.entries) and self.synonyms == other.synonyms

    def __hash__(self) -> int:
        # Equal bases have as many entries and the same synonyms; reading every entry (perhaps
        # from the cache, on demand) to hash it would cost more than the collisions.
        return hash((len(self.entries), self.synonyms))

    def __reduce__(self) -> tuple[type["KnowledgeBase"], tuple[tuple[Entry, ...], tuple[tuple[str, ...], ...]]]:
        # For pickle and copy: rebuilt through the constructor, as slots cannot be set directly.
        return (KnowledgeBase, (tuple(self.entries), self.synonyms))

    def __repr__(self) -> str:
        count, interviews = len(self.entries), len(self.sources)
        entries = "1 entry" if count == 1 else f"{count} entries"
        return f"<KnowledgeBase: {entries} from {interviews} interview{'' if interviews == 1 else 's'}>"

    @classmethod
    def on_demand(
        cls,
        entries: Sequence[Entry],
        positions: Mapping[str, int],
        sources: tuple[Source, ...],
        synonyms: tuple[tuple[str, ...], ...] = (),
    ) -> "KnowledgeBase":
        """A knowledge base over entries read on demand, already checked when it was compiled:
        ``positions`` maps each id to its place in ``entries``, ``sources`` lists the distinct ones."""
        kb = object.__new__(cls)
        kb._set(entries, synonyms, positions, sources)
        return kb

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self._positions

    def get(self, entry_id: str) -> Entry | None:
        """The entry with this id, or ``None``."""
        n = self._positions.get(entry_id)
        return None if n is None else self.entries[n]

    def sample(self, count: int, *, skip: Collection[str] = ()) -> list[Entry]:
        """``count`` entries spread evenly over the base, avoiding ids in ``skip`` while any remain.

        What askbot offers when it cannot answer: a spread shows the range of what it can. Works
        on positions, so an on-demand base reads only the entries it returns.
        """
        skipped = {self._positions[entry_id] for entry_id in skip if entry_id in self._positions}
        kept = [n for n in range(len(self.entries)) if n not in skipped] or list(range(len(self.entries)))
        if len(kept) > count:
            step = len(kept) / count
            kept = [kept[int(i * step)] for i in range(count)]
        return [self.entries[n] for n in kept]

    @property
    def sources(self) -> tuple[Source, ...]:
        """The distinct sources, in load order."""
        if self._sources is None:
            object.__setattr__(self, "_sources", tuple(dict.fromkeys(entry.source for entry in self.entries)))
        assert self._sources is not None
        return self._sources


    def only(self, source: "Source | str") -> "KnowledgeBase":
        """The entries of one interview, with the synonyms: the chat's ``/use`` narrows to it.

        ``source`` is one of ``sources``, or its interviewee or title (any case); anything else
        is refused (``ValueError``), never answered with an empty base.

        >>> from askbot import load
        >>> len(load().only("wang yuejian"))
        9
        """
        if isinstance(source, str):
            wanted = source.casefold()
            named = [s for s in self.sources if wanted in (s.title.casefold(), (s.interviewee or "").casefold())]
            if not named:
                known = "; ".join(s.interviewee or s.title for s in self.sources)
                raise ValueError(f"no interview here has the interviewee or title {source!r} (here: {known})")
            source = named[0]
        elif not isinstance(source, Source):
            raise TypeError(f"only needs a Source or a name, not {type(source).__name__}")
        elif source not in self.sources:
            raise ValueError(f"{source.title!r} is not an interview of this knowledge base")
        return KnowledgeBase(tuple(e for e in self.entries if e.source == source), self.synonyms)


class Why(NamedTuple):
    """Why an entry got its score: the reader's words it accounts for, those it does not, and
    any penalty. Words are shown as typed ("advantges->advantages" when corrected)."""

    matched: tuple[str, ...] = ()
    unmatched: tuple[str, ...] = ()
    penalties: tuple[str, ...] = ()

    def __str__(self) -> str:
        parts = [
            f"matched: {', '.join(self.matched) or '-'}",
            f"not matched: {', '.join(self.unmatched) or '-'}",
        ]
        parts += [f"penalty: {penalty}" for penalty in self.penalties]
        return "; ".join(parts)

    def as_dict(self) -> dict[str, list[str]]:
        """The ``why`` object of ``--json`` output."""
        return {"matched": list(self.matched), "unmatched": list(self.unmatched), "penalties": list(self.penalties)}


class Candidate(NamedTuple):
    """An entry with the confidence (0-100) that it answers the query, and why."""

    entry: Entry
    score: float
    why: Why = Why()


class Match(NamedTuple):
    """The matcher's verdict on one query.

    ``entry`` is ``None`` when askbot is not confident; ``alternatives`` then holds the
    "did you mean" suggestions. ``ambiguous`` is set when the top candidates are too close to
    pick one without asking.
    """

    query: str
    entry: Entry | None
    score: float
    follow_ups: tuple[Entry, ...] = ()
    alternatives: tuple[Candidate, ...] = ()
    ambiguous: bool = False
    #: Why the best candidate got its score (``None`` when there was no candidate at all).
    why: Why | None = None

    @property
    def matched(self) -> bool:
        """Whether askbot is confident enough to answer."""
        return self.entry is not None
