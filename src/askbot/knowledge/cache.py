"""The compiled-index cache: knowledge files parsed and indexed once, opened in milliseconds after.

Lives in ``$XDG_CACHE_HOME/askbot/`` (default ``~/.cache/askbot``; folder mode 0700, files 0600)
and holds nothing the knowledge files do not. Three kinds of file, each written to a temporary
name and renamed into place, so two processes building at once both finish and a reader never
sees half a file:

- ``segment/KEY``: one knowledge file parsed (its entries as plain values), keyed by its text.
  A changed, added or removed file is the only one parsed again.
- ``index/PATHS-KEY.sqlite``: the matcher's ``Index`` and the entries for one set of files in
  one order (``indexfile``), keyed by every file's path and text; a new one for the same paths
  removes the one before, so an archive edited daily keeps one index, not one a day.
- ``index/PATHS-KEY.MODEL.emb``: the sentence embeddings of that index's phrasings and answer
  sentences by one model (``askbot.semantic``, ``EmbeddingFile``), named for the index, so a warm start finds them
  without reading or hashing a phrasing; removed with the index they belong to.
- ``words/KEY.sqlite``: a copy of pyspellchecker's English word counts (``word_frequencies``),
  one per installed list (two installs sharing the cache each keep theirs).
- ``stat/KEY``: a pointer from the files' paths, inodes, sizes and modification and change times
  to the index key, so a warm start reads no knowledge file at all. A file modified in the last
  two seconds gets no pointer (its next change could keep the same times, as git's "racily
  clean" rule has it), and then the content key is checked instead.

When an index is built, pointers to indexes since replaced are removed, and so are segments no
build has used and indexes (with their embeddings) no run has opened for ``_UNUSED_DAYS``: an
archive edited for years, or a folder asked once and deleted, keeps a cache the size of what is
in use now. An index opened is marked used at most once a day, so a warm start seldom writes.

Every key includes askbot's version, the size and time of each of its own modules (an edited
matcher never reads an index built by the old one) and the settings the index is built with.
Anything in the cache that is missing, cut short, corrupt or of another version is ignored
and rebuilt; a folder that cannot be written means no cache and one warning.
"""

from __future__ import annotations

import contextlib
import gc
import marshal
import os
import sqlite3
import sys
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import partial
from typing import Any, Protocol

from ..matching.index import Index, TextFacts, build_index
from ..model import KnowledgeBase
from ..settings import DEFAULT_LIMITS, DEFAULT_SETTINGS, Limits, Settings
from ..version import __version__
from .indexfile import StaleIndex, connect_read_only, open_index, write_index
from .paths import default_paths, expand_paths, read_text

try:  # the BLAKE2 module alone: hashlib would also load OpenSSL's, 2 ms of a 40 ms start
    from _blake2 import blake2b
except ImportError:  # another Python implementation
    from hashlib import blake2b

ENV_VAR = "ASKBOT_NO_CACHE"
# A file modified this recently may change again without its size or times changing.
_RACY_SECONDS = 2.0
# Parsed segments and indexes unused this long are removed when an index is next built.
_UNUSED_DAYS = 30
# An index opened is marked used when its mark is older than this (one write a day, not a run).
_USE_MARK_SECONDS = 86_400
_SEGMENT_MAGIC = b"askbot-segment-3\n"


class Loaded:
    """What ``load_indexed`` found: the knowledge, its index, and how it got them.

    ``parsed``: knowledge files parsed (0 when the index came from the cache); ``reused``: files
    whose parsed segment came from the cache; ``path``: the index file in use or written (``None``
    without a cache); ``warning``: why the cache could not be written (the caller says what it
    does instead). (Not a ``NamedTuple``: a tuple's own ``index`` method would hide the field.)
    """

    __slots__ = ("knowledge", "index", "parsed", "reused", "path", "warning")

    def __init__(
        self,
        knowledge: KnowledgeBase,
        index: Index,
        *,
        parsed: int = 0,
        reused: int = 0,
        path: str | None = None,
        warning: str | None = None,
    ) -> None:
        self.knowledge = knowledge
        self.index = index
        self.parsed = parsed
        self.reused = reused
        self.path = path
        self.warning = warning


def cache_folder(environ: Mapping[str, str] | None = None) -> str:
    """``$XDG_CACHE_HOME/askbot``, or ``~/.cache/askbot`` when it is unset or not absolute."""
    env = os.environ if environ is None else environ
    base = env.get("XDG_CACHE_HOME", "")
    root = base if os.path.isabs(base) else os.path.join(env.get("HOME") or os.path.expanduser("~"), ".cache")
    return os.path.join(root, "askbot")


def disabled(environ: Mapping[str, str] | None = None) -> bool:
    """Whether ``ASKBOT_NO_CACHE`` asks for no cache (any value but empty and ``0``)."""
    env = os.environ if environ is None else environ
    return env.get(ENV_VAR, "") not in ("", "0")


def load_indexed(
    paths: Iterable[str | os.PathLike[str]] | None,
    settings: Settings,
    *,
    cache: bool = True,
    skipped: list[str] | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Loaded:
    """The knowledge in ``paths`` (as ``files.load`` takes them) and its index for ``settings``.

    With ``cache``, read from the cache when it is current, else built and written there (one
    process at a time builds a given index; the others wait, then open it). Raises
    ``KnowledgeError`` exactly as ``files.load`` does, and names what a folder holds that is not
    knowledge in ``skipped`` as it does.
    """
    if not isinstance(settings, Settings):
        raise TypeError(f"settings must be an askbot.Settings, not {type(settings).__name__}")
    found = expand_paths(default_paths() if paths is None else paths, skipped=skipped)
    if not cache:
        from .files import load_files

        kb = load_files(found, limits=limits)
        return Loaded(kb, build_index(kb, settings), parsed=len(found))
    return _Cache(cache_folder(), _stamp(settings), settings, limits).load(found)


class _Cache:
    """One run's view of the cache folder: finds, builds and writes, and turns itself off with
    one warning at the first write that fails."""

    def __init__(
        self, folder: str, stamp: str, settings: Settings = DEFAULT_SETTINGS, limits: Limits = DEFAULT_LIMITS
    ) -> None:
        self.folder = folder
        self.stamp = stamp
        self.settings = settings
        self.limits = limits
        self.warning: str | None = None

    def load(self, files: list[str]) -> Loaded:
        stats = [_stat_of(path) for path in files]
        stat_key = _key(self.stamp, stats)
        pointer = os.path.join(self.folder, "stat", stat_key)
        pointed = _read_pointer(pointer)
        found = self._open(pointed)
        if found is not None:
            return Loaded(*found, path=self._index_path(pointed))
        texts = [read_text(path, limits=self.limits) for path in files]
        # Named for the list of paths, then for their texts and this askbot: a new index for the
        # same paths replaces the one before it instead of piling up beside it.
        paths_key = _key(files)
        digests = [(path, _digest(text)) for path, text in zip(files, texts, strict=True)]
        content_key = f"{paths_key}-{_key(self.stamp, digests)}"
        found = self._open(content_key)
        parsed = reused = 0
        if found is None:
            with self._building(content_key):
                found = self._open(content_key)  # built by another process while this one waited
                if found is None:
                    kb, facts, reused = self._parse(files, texts)
                    parsed = len(files) - reused
                    index = build_index(kb, self.settings, facts)
                    path = self._index_path(content_key)
                    self.write(path, lambda temp: write_index(kb, index, temp, stamp=self.stamp))
                    if self.warning is None:
                        self._forget_older(paths_key, keep=content_key)
                        self._prune()
        if found is not None:
            kb, index = found
        if not _racy(stats):
            self.write(pointer, partial(_write_bytes, data=content_key.encode("ascii")))
        where = None if self.warning else self._index_path(content_key)
        return Loaded(kb, index, parsed=parsed, reused=reused, path=where, warning=self.warning)

    @contextlib.contextmanager
    def _building(self, key: str) -> Iterator[None]:
        """Hold the lock beside index ``key`` while it is built: of several processes asked for
        the same new index at once, one builds it and the others wait, then open it, instead of
        each spending the whole build's time and memory. Without a lock to take (a read-only
        cache, no ``fcntl``) each builds its own, as before."""
        try:
            import fcntl  # here: only a cold build needs it
        except ImportError:
            yield
            return
        lock = os.path.join(self.folder, "index", f"{key}.lock")
        try:
            os.makedirs(os.path.dirname(lock), mode=0o700, exist_ok=True)
            handle = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:
            yield
            return
        try:
            fcntl.flock(handle, fcntl.LOCK_EX)
            yield
        finally:
            _unlink(lock)
            os.close(handle)

    def _open(self, key: str | None) -> tuple[KnowledgeBase, Index] | None:
        if key is None:
            return None
        path = self._index_path(key)
        try:
            found = open_index(path, stamp=self.stamp)
        except StaleIndex:
            return None
        _mark_used(path)
        return found

    def _forget_older(self, paths_key: str, *, keep: str) -> None:
        """Remove the indexes these paths had before (older texts or askbot versions) and their
        embeddings; a process still reading one keeps its open file until it is done."""
        folder = os.path.join(self.folder, "index")
        try:
            names = os.listdir(folder)
        except OSError:
            return
        for name in names:
            if name.startswith(f"{paths_key}-") and name.endswith((".sqlite", ".emb")) and name.split(".")[0] != keep:
                _unlink(os.path.join(folder, name))

    def _prune(self) -> None:
        """Remove indexes no run has opened for ``_UNUSED_DAYS`` and embeddings whose index is
        gone, pointers to indexes since replaced, and segments no build has used for
        ``_UNUSED_DAYS`` (an archive left alone that long re-parses all its files at its next edit,
        not only the edited one)."""
        indexes = os.path.join(self.folder, "index")
        _prune(indexes, _UNUSED_DAYS, suffix=".sqlite")
        with contextlib.suppress(OSError):
            for entry in os.scandir(indexes):
                index = f"{entry.name.split('.')[0]}.sqlite"
                if entry.name.endswith(".emb") and not os.path.exists(os.path.join(indexes, index)):
                    _unlink(entry.path)
        pointers = os.path.join(self.folder, "stat")
        with contextlib.suppress(OSError):
            for entry in os.scandir(pointers):
                key = _read_pointer(entry.path)
                if key is None or not os.path.exists(self._index_path(key)):
                    _unlink(entry.path)
        _prune(os.path.join(self.folder, "segment"), _UNUSED_DAYS)

    def _index_path(self, key: str | None) -> str:
        return os.path.join(self.folder, "index", f"{key}.sqlite")

    def _parse(self, files: list[str], texts: list[str]) -> tuple[KnowledgeBase, TextFacts, int]:
        """Each file's parsed segment from the cache, or parsed now (and kept); then linked.

        A segment is the file parsed (``ParsedFile.plain``) and its ``TextFacts``: the part of
        building the index that needs no other file, done where the file is parsed. (The YAML
        parser is imported here, for a cold build only: a warm start never parses a file.)
        """
        from .files import ParsedFile, link

        segments = [os.path.join(self.folder, "segment", _key(self.stamp, [_digest(text)])) for text in texts]
        plains = [_read_segment(segment) for segment in segments]
        todo = [n for n, plain in enumerate(plains) if plain is None]
        for n, segment in enumerate(segments):
            if plains[n] is not None:
                _touch(segment)  # in use: ``_prune`` goes by the time a segment was last used
        jobs = [(texts[n], files[n]) for n in todo]
        for n, plain in zip(todo, _parse_all(jobs, self.settings, self.limits), strict=True):
            plains[n] = plain
            problems = plain[0][0]
            if not any(fatal for *_, fatal in problems):
                self.write(segments[n], partial(_write_segment, plain=plain))
        parsed = [ParsedFile.from_plain(p[0], f) for p, f in zip(plains, files, strict=True) if p]
        facts = TextFacts.joined(TextFacts.from_plain(p[1]) for p in plains if p)
        return link(parsed, limits=self.limits), facts, len(files) - len(todo)

    def write(self, path: str, write: Callable[[str], object]) -> None:
        """Write a cache file (``_write_atomically``). The first failure (a read-only or full
        disk, a folder owned by someone else) becomes the one warning and turns the cache off for
        the rest of this run."""
        if self.warning is None:
            failure = _write_atomically(self.folder, path, write)
            if failure is not None:
                self.warning = f"cannot write the index cache in {self.folder}: {failure}"


def _write_atomically(root: str, path: str, write: Callable[[str], object]) -> str | None:
    """Write a file of the cache folder ``root`` under a temporary name, then rename it into
    place, mode 0600 (folders 0700); the reason it could not, else ``None``."""
    temp: str | None = None
    try:
        os.makedirs(root, mode=0o700, exist_ok=True)
        os.chmod(root, 0o700)
        folder, name = os.path.split(path)
        os.makedirs(folder, mode=0o700, exist_ok=True)
        # A name no other process uses (pid and clock), so concurrent builders never share one.
        temp = os.path.join(folder, f".{name}.{os.getpid()}.{time.monotonic_ns()}.tmp")
        write(temp)
        os.chmod(temp, 0o600)
        os.replace(temp, path)
    except (OSError, ValueError, sqlite3.Error) as exc:
        if temp is not None:
            _unlink(temp)
        return exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    except BaseException:
        if temp is not None:
            _unlink(temp)
        raise
    return None


_EMBEDDINGS_MAGIC = b"askbot-embeddings-2\n"


def embedding_file(loaded: Loaded, model_key: str) -> EmbeddingFile | None:
    """Where the embeddings of ``loaded``'s index by the model ``model_key`` names are kept, or
    ``None`` without a cache (``--no-cache``, or a folder that could not be written)."""
    return None if loaded.path is None else EmbeddingFile.beside(loaded.path, model_key)


class EmbeddingFile:
    """One index's sentence embeddings (``semantic.EmbeddingStore``): groups of rows, each a
    float32 matrix and where each entry's rows start in it (the entries' phrasings, the
    sentences of their answers), as ``.npy`` arrays behind a magic line and a CRC-32 of all.

    A sidecar rather than a table in the index: the index is written before any model loads, is
    read by other processes meanwhile, and is never changed once renamed into place; a second
    file, written atomically the same way, keeps that rule and lets each model have its own.
    Reading CLINC150's phrasings (15,000, 23 MB) with the index it belongs to costs 35 ms
    (``benchmarks/semantic_cost.py``).
    """

    def __init__(self, path: str) -> None:
        self.path = path
        #: Why the file could not be written (the caller says what it does instead); else ``None``.
        self.warning: str | None = None

    @classmethod
    def beside(cls, index: str, model_key: str) -> EmbeddingFile:
        """The embeddings file of the index file ``index`` for the model ``model_key`` names."""
        return cls(f"{index.removesuffix('.sqlite')}.{model_key}.emb")

    def load(self, entries: int, groups: int) -> list[tuple[Any, Any]] | None:
        """The stored (matrix, starts) of each of ``groups`` groups, when the file is whole, holds
        that many and is for ``entries`` entries, each with at least one row in every group."""
        payload = _read_framed(self.path, _EMBEDDINGS_MAGIC)
        if payload is None:
            return None
        import io  # here: a base with no embeddings stored need not load numpy

        import numpy as np

        found = []
        try:
            stream = io.BytesIO(payload)
            for _ in range(groups):
                starts = np.load(stream, allow_pickle=False)
                matrix = np.load(stream, allow_pickle=False)
                found.append((matrix, starts))
            if stream.read(1):
                return None
        except (OSError, ValueError, EOFError):
            return None
        for matrix, starts in found:
            rows = len(matrix)
            if (
                starts.shape != (entries,)
                or starts.dtype != np.int64
                or matrix.ndim != 2
                or matrix.dtype != np.float32
                or (entries and (starts[0] != 0 or starts[-1] >= rows or (np.diff(starts) <= 0).any()))
            ):
                return None
        return found

    def save(self, groups: Sequence[tuple[Any, Any]]) -> None:
        """Write the (matrix, starts) groups atomically, mode 0600; a failure becomes ``warning``
        (said once)."""
        root = os.path.dirname(os.path.dirname(self.path))
        failure = _write_atomically(root, self.path, partial(_write_embeddings, groups=groups))
        if failure is not None:
            self.warning = f"cannot write the embeddings in {root}: {failure}"

    def size(self) -> int:
        """The file's size in bytes (0 when there is none)."""
        try:
            return os.stat(self.path).st_size
        except OSError:
            return 0


def _write_embeddings(path: str, groups: Sequence[tuple[Any, Any]]) -> None:
    import io

    import numpy as np

    stream = io.BytesIO()
    for matrix, starts in groups:
        np.save(stream, np.ascontiguousarray(starts, dtype=np.int64), allow_pickle=False)
        np.save(stream, np.ascontiguousarray(matrix, dtype=np.float32), allow_pickle=False)
    _write_framed(path, _EMBEDDINGS_MAGIC, stream.getbuffer())


def _parse_all(jobs: list[tuple[str, str]], settings: Settings, limits: Limits) -> Iterator[tuple[Any, ...]]:
    """Each (text, path) parsed to its plain segment values, in order; several large files, from
    ``Limits.parallel_chars`` of text, are parsed in worker processes, one a core (a folder of 20
    files of 5,000 entries: 9 s -> 5)."""
    workers = min(len(jobs), os.cpu_count() or 1)
    if workers < 2 or sum(len(text) for text, _ in jobs) < limits.parallel_chars:
        yield from (_segment(text, path, settings, limits) for text, path in jobs)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # "spawn": a fresh interpreter, whatever threads or connections this process holds. A worker
    # only parses and exits, and what it parses lives until it is sent: the cyclic collector
    # would walk it again and again for nothing (``index.without_gc``).
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=gc.disable) as pool:
        count = len(jobs)
        for blob in pool.map(_parse_to_bytes, *zip(*jobs, strict=True), [settings] * count, [limits] * count):
            yield marshal.loads(blob)


def _parse_to_bytes(text: str, path: str, settings: Settings, limits: Limits) -> bytes:
    """A worker's side of ``_parse_all``: marshal is far quicker than pickle on these values."""
    return marshal.dumps(_segment(text, path, settings, limits))


def _segment(text: str, path: str, settings: Settings, limits: Limits) -> tuple[Any, ...]:
    """One file's segment: parsed (``ParsedFile.plain``), and its ``TextFacts`` as plain values."""
    from .files import parse_file

    parsed = parse_file(text, path, limits=limits)
    facts = TextFacts.of(parsed.texts(), settings)
    return parsed.plain(), facts.plain()


class WordCounts(Protocol):
    """How often an English word list saw each word (pyspellchecker's ``WordFrequency``)."""

    def __contains__(self, word: str) -> bool: ...

    def __getitem__(self, word: str) -> int: ...


def word_frequencies(load: Callable[[], WordCounts], *, warn: Callable[[str], object] | None = None) -> WordCounts:
    """pyspellchecker's English word counts, from a SQLite copy in the cache when there is one
    (a lookup costs microseconds; loading the list costs 0.3 s); else ``load()``, copied for the
    next time. Keyed by the list file's size and time, so an upgraded pyspellchecker is copied anew.

    A copy that cannot be made (a full disk, a read-only folder) is not tried where it cannot
    fit, and ``warn`` is told why: every run then pays the 0.3 s, and the reader should know.
    """
    source = _word_list_file()
    if disabled() or source is None:
        return load()
    folder = cache_folder()
    path = os.path.join(folder, "words", f"{_key(__version__, _stat_of(source))}.sqlite")
    try:
        return _WordTable(path)
    except StaleIndex:
        pass
    counts = load()
    dictionary = getattr(counts, "dictionary", None)
    if isinstance(dictionary, Mapping):
        if _room(folder) < _WORD_LIST_BYTES:
            failure: str | None = "no room"
        else:
            failure = _write_atomically(folder, path, partial(_write_words, counts=dictionary))
        if failure is not None and warn is not None:
            warn(
                f"cannot keep a copy of the English word list in {folder}: {failure}; "
                "each run that corrects a typo reads the whole list (0.3 s)"
            )
    return counts


# What a copy of the word list takes on disk, with room to spare.
_WORD_LIST_BYTES = 8 * 1024 * 1024


def _room(folder: str) -> int:
    """Bytes free for an unprivileged writer where ``folder`` is (or would be made)."""
    while not os.path.isdir(folder) and os.path.dirname(folder) != folder:
        folder = os.path.dirname(folder)
    try:
        found = os.statvfs(folder)
    except (OSError, AttributeError):  # no statvfs (Windows): try the write, which says
        return _WORD_LIST_BYTES
    return found.f_bavail * found.f_frsize


def _word_list_file() -> str | None:
    """pyspellchecker's English list, found without importing pyspellchecker (40 ms)."""
    from importlib.util import find_spec

    spec = find_spec("spellchecker")
    if spec is None or spec.origin is None:
        return None
    found = os.path.join(os.path.dirname(spec.origin), "resources", "en.json.gz")
    return found if os.path.exists(found) else None


def _write_words(path: str, counts: Mapping[str, int]) -> None:
    db = sqlite3.connect(path, isolation_level=None)
    try:
        db.executescript(
            "PRAGMA journal_mode = OFF; BEGIN;"
            "CREATE TABLE words (word TEXT PRIMARY KEY, n INTEGER, crc INTEGER) WITHOUT ROWID;"
        )
        db.executemany(
            "INSERT INTO words VALUES (?, ?, ?)", ((w, n, _word_crc(w, n)) for w, n in sorted(counts.items()) if w)
        )
        db.execute("INSERT INTO words VALUES ('', -1, ?)", (_word_crc("", -1),))  # written last: complete
        db.execute("COMMIT")
    finally:
        db.close()


def _word_crc(word: str, n: int) -> int:
    return zlib.crc32(f"{word}\t{n}".encode("utf-8", "surrogatepass"))


class _WordTable:
    """The cached word counts; ``StaleIndex`` on open when the copy is missing or incomplete."""

    def __init__(self, path: str) -> None:
        self.read: dict[str, int] = {}
        try:
            self.db = connect_read_only(path)
            if self._count("") != -1:
                raise StaleIndex("incomplete word list")
        except (sqlite3.Error, OSError, ValueError) as exc:
            raise StaleIndex(str(exc)) from None

    def _count(self, word: str) -> int:
        """How often the list saw ``word`` (spelt as pyspellchecker keys it); 0 when never."""
        key = word.lower()
        found = self.read.get(key)
        if found is None:
            row = self.db.execute("SELECT n, crc FROM words WHERE word = ?", (key,)).fetchone()
            if row is not None and row[1] != _word_crc(key, row[0]):
                raise StaleIndex("damaged word list")
            found = self.read[key] = 0 if row is None else row[0]
        return found

    def __contains__(self, word: str) -> bool:
        return self._count(word) != 0

    def __getitem__(self, word: str) -> int:
        return self._count(word)


def _stamp(settings: Settings) -> str:
    """askbot's version, its modules' sizes and times, and the settings the index depends on."""
    code: list[tuple[str, int, int]] = []
    _modules(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "", code)
    code.sort()
    built_with = sorted(settings.index_fields().items())
    return _key(f"{__version__} {sys.version_info[:2]}", [code, built_with])


def _modules(folder: str, prefix: str, found: list[tuple[str, int, int]]) -> None:
    """Every module of askbot's tree (each package's folder, not ``__pycache__`` or the bundled
    knowledge), as (path, size, modification time): an edit to any of them is a new stamp."""
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            name = entry.name
            if name.endswith(".py") and not name.startswith("."):  # not an editor's lock file
                with contextlib.suppress(OSError):
                    st = entry.stat()
                    found.append((prefix + name, st.st_size, st.st_mtime_ns))
            elif not name.startswith((".", "_")) and entry.is_dir():
                _modules(entry.path, f"{prefix}{name}/", found)


def _key(*parts: object) -> str:
    return blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def _digest(text: str) -> str:
    return blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _stat_of(path: str) -> tuple[str, int, int, int, int]:
    try:
        st = os.stat(path)
    except OSError:
        return (path, -1, -1, -1, -1)
    return (path, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def _racy(stats: list[tuple[str, int, int, int, int]]) -> bool:
    now = time.time_ns()
    return any(st[1] < 0 or now - max(st[3], st[4]) < _RACY_SECONDS * 1e9 for st in stats)


def _read_pointer(path: str) -> str | None:
    try:
        with open(path, "rb") as f:
            key = f.read(100).decode("ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    paths_key, _, content = key.partition("-")
    return key if len(paths_key) == len(content) == 32 and paths_key.isalnum() and content.isalnum() else None


def _write_segment(path: str, plain: Any) -> None:
    _write_framed(path, _SEGMENT_MAGIC, marshal.dumps(plain))


def _write_framed(path: str, magic: bytes, payload: bytes | memoryview) -> None:
    """``payload`` behind ``magic`` and its CRC-32, which ``_read_framed`` checks: a damaged or
    cut-short file is made again, never read as other values."""
    with open(path, "wb") as f:
        f.write(magic + zlib.crc32(payload).to_bytes(4, "little"))
        f.write(payload)


def _read_framed(path: str, magic: bytes) -> memoryview | None:
    """What ``_write_framed`` stored, or ``None`` when missing, unreadable or not intact."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return None
    head = len(magic)
    payload = memoryview(data)[head + 4 :]
    if data[:head] != magic or zlib.crc32(payload) != int.from_bytes(data[head : head + 4], "little"):
        return None
    return payload


def _write_bytes(path: str, data: bytes) -> None:
    with open(path, "wb") as f:
        f.write(data)


def _touch(path: str) -> None:
    with contextlib.suppress(OSError):  # a read-only cache: nothing is pruned from it either
        os.utime(path)


def _mark_used(path: str) -> None:
    """``_touch`` an index unless it was marked (or written) within ``_USE_MARK_SECONDS``."""
    with contextlib.suppress(OSError):
        if os.stat(path).st_mtime < time.time() - _USE_MARK_SECONDS:
            _touch(path)


def _prune(folder: str, days: float, *, suffix: str = "") -> None:
    """Remove the files of a cache folder (those ending in ``suffix``) not written or used
    (``_touch``) for ``days``. A pruned file that was still wanted costs only the time to make
    it again; a process reading it keeps its open file until it is done."""
    cutoff = time.time() - days * 86_400
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        with contextlib.suppress(OSError):
            if entry.name.endswith(suffix) and entry.is_file(follow_symlinks=False) and entry.stat().st_mtime < cutoff:
                os.unlink(entry.path)


def _unlink(path: str) -> None:
    """Remove a file if it is there (another process may have removed it first)."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def _read_segment(path: str) -> tuple[Any, ...] | None:
    """A segment's plain values, or ``None`` when missing, unreadable or not intact."""
    payload = _read_framed(path, _SEGMENT_MAGIC)
    if payload is None:
        return None
    try:
        plain = marshal.loads(payload)
    except (ValueError, EOFError, TypeError):
        return None
    return plain if isinstance(plain, tuple) and len(plain) == 2 else None
