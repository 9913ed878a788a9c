"""An ``Index`` stored in one SQLite file and read back on demand.

Why SQLite: it is in the standard library (3 ms to import), a B-tree lookup costs microseconds,
and opening a file reads nothing but its header, so a 100,000-entry index opens as fast as a
nine-entry one and a query reads only the rows it touches: the gathered candidates' tables and
the query terms' postings. A memory-mapped array format would need our own hash table and
string heap for the term lookups that SQLite already does; pickling the whole index would read
every entry into Python objects on every start, which is what this module exists to avoid.

The layout follows ``Index``'s fields rather than naming them, so a field the matcher gains is
stored without a change here, by the shape of its value:

- a tuple with one item per entry (``entries``, ``tables``): one row per entry holding every
  such field, so scoring a candidate costs one lookup (a record such as ``EntryTables`` is stored
  as its plain fields and made again on reading); a column of plain ints or floats
  (``interview``) is one packed ``array`` instead, read whole;
- a dict (``postings``, ``idf``, ...): one row per key; lists keep their length beside them, so
  ``len(index.postings[term])`` is known without reading the list;
- a frozenset (``surface``, ``names``): one row per member;
- anything else (numbers, ``Synonyms``, the ``Settings`` it was built with): one value in the
  ``meta`` table.

Values are ``marshal``-ed (plain Python values only, fast, no code runs on load). A file that
is not a complete index of this format (cut short, grown, another format or stamp, not SQLite)
raises ``StaleIndex`` on open, and the caller rebuilds.
"""

from __future__ import annotations

import marshal
import os
import sqlite3
import zlib
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence, Set
from operator import itemgetter
from typing import Any

from ..matching.index import EntryTables, Index, Synonyms, without_gc
from ..model import Entry, KnowledgeBase, Source
from ..settings import Settings

#: Bumped whenever the layout below changes; a file of another format is rebuilt. The fields of
#: the per-entry records are part of it, so a field the matcher gains makes a new format too.
FORMAT = f"askbot-index-3 {','.join(EntryTables._fields)}"
#: Per-entry fields whose items are records: stored as plain tuples, made again on reading.
_RECORDS: dict[str, Callable[[Iterable[Any]], tuple[Any, ...]]] = {"tables": EntryTables._make}

_PER_ENTRY, _ARRAY, _KEYED, _MEMBERS, _VALUE = "per-entry", "array", "keyed", "members", "value"


class StaleIndex(Exception):
    """The file is not a complete index of this format (truncated, foreign, another version,
    a damaged value). Raised on open, or by a lookup that finds a damaged value later."""


def _pack(value: Any) -> bytes:
    """A value's ``marshal`` bytes behind their CRC-32, so a damaged byte is caught on reading
    instead of read as another number."""
    data = marshal.dumps(value)
    return zlib.crc32(data).to_bytes(4, "little") + data


def _unpack(blob: bytes) -> Any:
    """What ``_pack`` stored; ``StaleIndex`` when the bytes are not intact."""
    data = blob[4:]
    if not isinstance(blob, bytes) or zlib.crc32(data) != int.from_bytes(blob[:4], "little"):
        raise StaleIndex("damaged value")
    try:
        return marshal.loads(data)
    except (ValueError, EOFError, TypeError):
        raise StaleIndex("damaged value") from None


def _fetch(db: sqlite3.Connection, query: str, args: tuple[Any, ...]) -> tuple[Any, ...]:
    try:
        row: tuple[Any, ...] | None = db.execute(query, args).fetchone()
    except sqlite3.Error as exc:
        raise StaleIndex(f"cannot read: {exc}") from None
    if row is None:
        raise StaleIndex("a row is missing")
    return row


# -- writing -------------------------------------------------------------------------------


@without_gc
def write_index(knowledge: KnowledgeBase, index: Index, path: str, *, stamp: str) -> None:
    """Write ``index`` (built from ``knowledge``) as a new SQLite file at ``path``.

    ``stamp`` (askbot's version and whatever else the caller keys on) is stored and must match
    on open. The file is complete only once the last statement commits; the caller writes to a
    temporary name and renames, so no reader ever sees half of one.
    """
    size = len(index.entries)
    # By identity, as the matcher compares them: two files citing equal sources stay two.
    by_identity = {id(entry.source): entry.source for entry in index.entries}
    sources = list(by_identity.values())
    source_at = {key: n for n, key in enumerate(by_identity)}
    kinds: dict[str, str] = {}
    per_entry: list[tuple[str, Sequence[Any]]] = []
    db = sqlite3.connect(path, isolation_level=None)
    try:
        db.executescript(
            """
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            BEGIN;
            CREATE TABLE meta (name TEXT PRIMARY KEY, value BLOB) WITHOUT ROWID;
            CREATE TABLE entries (n INTEGER PRIMARY KEY, value BLOB);
            CREATE TABLE keyed (field TEXT, key TEXT, length INTEGER, value BLOB,
                                PRIMARY KEY (field, key)) WITHOUT ROWID;
            CREATE TABLE members (field TEXT, key TEXT, PRIMARY KEY (field, key)) WITHOUT ROWID;
            """
        )
        meta: dict[str, Any] = {}
        for name, value in _fields(index):
            if name == "entries":
                kinds[name] = _PER_ENTRY
                per_entry.append((name, [_entry_row(entry, source_at) for entry in value]))
            elif type(value) is tuple and len(value) == size and (code := _array_code(value)):
                kinds[name] = _ARRAY
                meta[name] = (code, array(code, value).tobytes())
            elif type(value) is tuple and len(value) == size:  # not a NamedTuple such as Synonyms
                kinds[name] = _PER_ENTRY
                per_entry.append((name, [tuple(item) for item in value] if name in _RECORDS else value))
            elif isinstance(value, dict):
                kinds[name] = _KEYED
                # In key order, as the table keeps its rows: each insert then lands at the end of
                # its B-tree, where inserts in hash order each sought a page of their own (a
                # 20,000-entry index's postings took twice as long to write).
                rows = sorted(((repr(key), item) for key, item in value.items()), key=itemgetter(0))
                db.executemany(
                    "INSERT INTO keyed VALUES (?, ?, ?, ?)",
                    ((name, shown, len(item) if isinstance(item, list) else None, _pack(item)) for shown, item in rows),
                )
                meta[f"{name}.len"] = len(value)
            elif isinstance(value, frozenset):
                kinds[name] = _MEMBERS
                db.executemany("INSERT INTO members VALUES (?, ?)", ((name, key) for key in sorted(map(repr, value))))
                meta[f"{name}.len"] = len(value)
            else:
                kinds[name] = _VALUE
                meta[name] = _plain(value)
        db.executemany(
            "INSERT INTO entries VALUES (?, ?)",
            ((n, _pack(tuple(values[n] for _, values in per_entry))) for n in range(size)),
        )
        meta["per-entry"] = [name for name, _ in per_entry]
        meta["kinds"] = kinds
        meta["size"] = size
        meta["sources"] = [source.to_row() for source in sources]
        meta["synonym-groups"] = knowledge.synonyms
        meta["stamp"] = stamp
        db.executemany("INSERT INTO meta VALUES (?, ?)", ((k, _pack(v)) for k, v in meta.items()))
        # Written last: a file without it was cut short and is never trusted.
        db.execute("INSERT INTO meta VALUES ('format', ?)", (_pack(FORMAT),))
        db.execute("COMMIT")
    finally:
        db.close()


def _array_code(values: tuple[Any, ...]) -> str | None:
    """The ``array`` type of a per-entry column of plain ints or floats (read whole, 8 bytes an
    entry, as cheap to load as to look up); ``None`` for anything else, bools included."""
    kinds = set(map(type, values))
    return "q" if kinds == {int} else "d" if kinds == {float} else None


_SOURCE_AT = Entry._fields.index("source")


def _fields(index: Index) -> Iterator[tuple[str, Any]]:
    for name in Index._fields:
        yield name, getattr(index, name)


def _plain(value: Any) -> Any:
    if isinstance(value, Synonyms):
        return (value.canon, value.phrases)
    if isinstance(value, Settings):
        return value.as_dict()
    return value


def _entry_row(entry: Entry, source_at: dict[int, int]) -> tuple[Any, ...]:
    """An entry as plain values in field order, its source as a number into the source table."""
    return (*entry[:_SOURCE_AT], source_at[id(entry.source)], *entry[_SOURCE_AT + 1 :])


# -- reading -------------------------------------------------------------------------------


def connect_read_only(path: str) -> sqlite3.Connection:
    """Open a cache file read-only and immutable (no locks or journal: it is never written in
    place, only replaced), once its pages are seen to fill it exactly: else it was cut short.

    Raises ``sqlite3.Error``, ``OSError`` or ``ValueError`` when it cannot be used.
    """
    db = sqlite3.connect(f"{_uri(path)}?mode=ro&immutable=1", uri=True, check_same_thread=False)
    try:
        (pages,) = db.execute("PRAGMA page_count").fetchone()
        (page_size,) = db.execute("PRAGMA page_size").fetchone()
        if pages * page_size != os.stat(path).st_size:
            raise ValueError("cut short or grown since it was written")
    except BaseException:
        db.close()
        raise
    return db


def _uri(path: str) -> str:
    """A file's ``file:`` URI, for SQLite's flags; "%", "?" and "#" in a name would otherwise end
    or garble it. Built by hand on POSIX, where ``pathlib`` would cost ``askbot ask`` 3 ms."""
    if os.sep != "/":  # drive letters and backslashes: pathlib knows the rules
        from pathlib import Path

        return Path(path).absolute().as_uri()
    return "file://" + os.path.abspath(path).replace("%", "%25").replace("?", "%3f").replace("#", "%23")


def open_index(path: str, *, stamp: str) -> tuple[KnowledgeBase, Index]:
    """The knowledge base and index stored at ``path``, entries and tables read on demand.

    Raises ``StaleIndex`` when the file is missing, unreadable, cut short, corrupt or written
    for another ``stamp``; never returns a partial index.
    """
    try:
        db = connect_read_only(path)
        meta = {name: _unpack(value) for name, value in db.execute("SELECT name, value FROM meta")}
    except (sqlite3.Error, OSError, ValueError, EOFError, TypeError, StaleIndex) as exc:
        raise StaleIndex(str(exc)) from None
    if meta.get("format") != FORMAT or meta.get("stamp") != stamp:
        db.close()
        raise StaleIndex("another format or version")
    rows = _Rows(db, meta["size"], [Source.from_row(row) for row in meta["sources"]])
    fields: dict[str, Any] = {}
    for name, kind in meta["kinds"].items():
        if name == "entries":
            fields[name] = _Entries(rows, meta["per-entry"].index(name))
        elif kind == _PER_ENTRY and name in _RECORDS:
            fields[name] = _Records(rows, meta["per-entry"].index(name), _RECORDS[name])
        elif kind == _PER_ENTRY:
            fields[name] = _Column(rows, meta["per-entry"].index(name))
        elif kind == _ARRAY:
            fields[name] = array(*meta[name])
        elif kind == _KEYED:
            fields[name] = _Keyed(db, name, meta[f"{name}.len"])
        elif kind == _MEMBERS:
            fields[name] = _Members(db, name, meta[f"{name}.len"])
        elif name == "synonyms":
            fields[name] = Synonyms(*meta[name])
        elif name == "settings":
            fields[name] = Settings(**meta[name])
        else:
            fields[name] = meta[name]
    try:
        index = Index(**fields)
    except TypeError as exc:  # a field added or removed since the file was written
        raise StaleIndex(str(exc)) from None
    sources = tuple(dict.fromkeys(rows.sources))
    return KnowledgeBase.on_demand(index.entries, index.positions, sources, meta["synonym-groups"]), index


class _Rows:
    """Each entry's per-entry values, read with one lookup the first time any is asked for."""

    def __init__(self, db: sqlite3.Connection, size: int, sources: list[Source]) -> None:
        self.db = db
        self.size = size
        self.sources = sources
        self.read: dict[int, tuple[Any, ...]] = {}

    def __call__(self, n: int) -> tuple[Any, ...]:
        found = self.read.get(n)
        if found is None:
            if not 0 <= n < self.size:
                raise IndexError(n)
            (blob,) = _fetch(self.db, "SELECT value FROM entries WHERE n = ?", (n,))
            found = self.read[n] = _unpack(blob)
        return found



class _Column(Sequence[Any]):
    """One per-entry field of every entry, as a read-only sequence indexed by position."""

    def __init__(self, rows: _Rows, at: int) -> None:
        self.rows = rows
        self.at = at

    def __len__(self) -> int:
        return self.rows.size

    def __getitem__(self, n: Any) -> Any:
        if isinstance(n, slice):
            return [self[i] for i in range(*n.indices(len(self)))]
        if n < 0:
            n += self.rows.size
        return self.rows(n)[self.at]


class _Records(_Column):
    """A per-entry field of records (``EntryTables``), each made once from its stored fields."""

    def __init__(self, rows: _Rows, at: int, make: Callable[[Iterable[Any]], tuple[Any, ...]]) -> None:
        super().__init__(rows, at)
        self.make = make
        self.made: dict[int, Any] = {}

    def __getitem__(self, n: Any) -> Any:
        if isinstance(n, slice):
            return [self[i] for i in range(*n.indices(len(self)))]
        if n < 0:
            n += self.rows.size
        found = self.made.get(n)
        if found is None:
            found = self.made[n] = self.make(self.rows(n)[self.at])
        return found


class _Entries(_Column):
    """The entries themselves, made once each from their stored fields, sharing one ``Source``
    object per interview (the matcher compares sources by identity)."""

    def __init__(self, rows: _Rows, at: int) -> None:
        super().__init__(rows, at)
        self.made: dict[int, Entry] = {}

    def __getitem__(self, n: Any) -> Any:
        if isinstance(n, slice):
            return [self[i] for i in range(*n.indices(len(self)))]
        if n < 0:
            n += self.rows.size
        entry = self.made.get(n)
        if entry is None:
            fields = list(self.rows(n)[self.at])
            fields[_SOURCE_AT] = self.rows.sources[fields[_SOURCE_AT]]
            entry = self.made[n] = Entry(*fields)
        return entry


class _Table:
    """One field's rows in the ``keyed`` or ``members`` table, looked up (and kept) on demand."""

    table = ""

    def __init__(self, db: sqlite3.Connection, field: str, size: int) -> None:
        self.db = db
        self.field = field
        self.size = size
        self.read: dict[Any, Any] = {}

    def _row(self, columns: str, key: object) -> tuple[Any, ...] | None:
        query = f"SELECT {columns} FROM {self.table} WHERE field = ? AND key = ?"
        try:
            found: tuple[Any, ...] | None = self.db.execute(query, (self.field, repr(key))).fetchone()
        except sqlite3.Error as exc:
            raise StaleIndex(f"cannot read: {exc}") from None
        return found

    def __len__(self) -> int:
        return self.size

    def __iter__(self) -> Iterator[Any]:
        from ast import literal_eval  # only a caller listing every key pays for it

        for (key,) in self.db.execute(f"SELECT key FROM {self.table} WHERE field = ?", (self.field,)):
            yield literal_eval(key)


class _Keyed(_Table, Mapping[Any, Any]):
    """A dict field."""

    table = "keyed"

    def __getitem__(self, key: Any) -> Any:
        try:
            found = self.read[key]
        except KeyError:
            row = self._row("length, value", key)
            found = self.read[key] = _MISSING if row is None else _value(*row)
        if found is _MISSING:
            raise KeyError(key)
        return found


_MISSING = object()


def _value(length: int | None, blob: bytes) -> Any:
    return _unpack(blob) if length is None else _List(length, blob)


class _List(Sequence[Any]):
    """A stored list whose length is known before its items are read: scoring skips a common
    term's long posting list by its length alone."""

    def __init__(self, length: int, blob: bytes) -> None:
        self.length = length
        self.blob: bytes | None = blob
        self.items: list[Any] = []

    def _items(self) -> list[Any]:
        if self.blob is not None:
            self.items, self.blob = _unpack(self.blob), None
        return self.items

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, n: Any) -> Any:
        return self._items()[n]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._items())


class _Members(_Table, Set[Any]):
    """A frozenset field."""

    table = "members"

    def __contains__(self, key: object) -> bool:
        found = self.read.get(key)
        if found is None:
            found = self.read[key] = self._row("1", key) is not None
        return bool(found)
