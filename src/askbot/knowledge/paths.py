"""Knowledge files on disk: where they are (the bundled folder, ``$ASKBOT_KB``, folders of
``*.yaml``) and their text, read safely.

Apart from ``files`` (which parses them) because this is all a warm ``askbot ask`` needs: the
index cache finds the files and their times here and never parses YAML when its index is
current, so the parser's module is never imported on that path.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable
from typing import IO, TYPE_CHECKING

from ..errors import KnowledgeError
from ..settings import DEFAULT_LIMITS, Limits

if TYPE_CHECKING:
    from pathlib import Path

ENV_VAR = "ASKBOT_KB"


def bundled_path() -> Path:
    """The folder of knowledge files shipped with askbot.

    In a wheel they sit inside the package (``askbot/_knowledge``); in a source checkout or an
    editable install they are the repository's top-level ``knowledge/``.
    """
    from pathlib import Path

    return Path(_bundled_folder())


def _bundled_folder() -> str:
    """``bundled_path`` as a string: finding knowledge files uses ``os.path``, not ``pathlib``,
    which (with the ``urllib.parse`` and ``ipaddress`` it imports) costs ``askbot ask`` 3 ms."""
    package = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
    packaged = os.path.join(package, "_knowledge")
    if os.path.isdir(packaged):
        return packaged
    return os.path.join(os.path.dirname(os.path.dirname(package)), "knowledge")


def default_paths(environ: os._Environ[str] | dict[str, str] | None = None) -> list[str]:
    """``ASKBOT_KB`` (``os.pathsep``-separated) when set, else the bundled knowledge."""
    env = os.environ if environ is None else environ
    value = env.get(ENV_VAR, "").strip()
    if value:
        return [part for part in value.split(os.pathsep) if part]
    return [_bundled_folder()]


def expand_paths(paths: Iterable[str | os.PathLike[str]], *, skipped: list[str] | None = None) -> list[str]:
    """Files as given, folders as their regular, non-hidden ``*.yaml``/``*.yml`` files in name order.

    A knowledge folder is shared with editors and other systems, so what only looks like
    knowledge there (an editor's ``.#a.yaml`` lock, often a dangling link; a macOS ``._a.yaml``;
    any hidden file; a subfolder, FIFO or device named ``*.yaml``; a broken or looping link) is
    left out and named in ``skipped`` (the CLI shows one note) instead of refusing the folder or
    blocking on a FIFO forever. A path given by name must be a file or a folder: a FIFO or a
    device is refused at once, never opened. A file reached twice (``--kb k --kb k/a.yaml``) is
    read once, where it first comes.

    >>> expand_paths("my.yaml")
    Traceback (most recent call last):
    ...
    TypeError: paths must be a list of paths, not a single str (write ['my.yaml'])
    """
    files: list[str] = []
    for raw in _path_list(paths):
        path = _clean(os.fspath(raw))
        mode = _mode(path)
        if stat.S_ISDIR(mode):
            found, left_out = _scan(path)
            if not found:
                extra = f" (skipped: {', '.join(left_out)})" if left_out else ""
                raise KnowledgeError(f"no *.yaml knowledge files in this folder{extra}", path)
            files.extend(found)
            if skipped is not None and left_out:
                skipped.append(f"{path}: skipped {', '.join(left_out)}")
        elif stat.S_ISREG(mode):
            files.append(path)
        else:
            raise KnowledgeError(f"not a regular file ({_file_kind(mode)}); not read", path)
    unique: dict[tuple[int, int] | str, str] = {}
    for path in files:
        unique.setdefault(_identity(path), path)
    return list(unique.values())


def _clean(path: str) -> str:
    """A path as ``pathlib`` would print it: no empty or "." parts, no trailing separator ("" is
    "."), ".." kept (a link may lead anywhere). Files are named this way in answers' sources,
    messages and cache keys, however the reader typed the folder.

    >>> _clean("./kb//a.yaml"), _clean("kb/"), _clean(""), _clean("/srv/./kb/../kb")
    ('kb/a.yaml', 'kb', '.', '/srv/kb/../kb')
    """
    sep = os.sep
    parts = [part for part in path.replace(os.altsep or sep, sep).split(sep) if part not in ("", ".")]
    root = sep if path.startswith((sep, os.altsep or sep)) else ""
    return root + sep.join(parts) if parts else root or "."


def _identity(path: str) -> tuple[int, int] | str:
    """What makes two paths the same file: its device and inode (its resolved name if stat fails)."""
    try:
        found = os.stat(path)
    except OSError:
        return os.path.realpath(path)
    return (found.st_dev, found.st_ino)


def _path_list(paths: object) -> list[str | os.PathLike[str]]:
    """``paths`` as a list, refusing a lone path (its characters would be taken for paths)."""
    if isinstance(paths, str | bytes | os.PathLike):
        raise TypeError(f"paths must be a list of paths, not a single {type(paths).__name__} (write [{paths!r}])")
    if not isinstance(paths, Iterable):
        raise TypeError(f"paths must be a list of paths, not {type(paths).__name__}")
    found = list(paths)
    for item in found:
        if not isinstance(item, str | os.PathLike):
            raise TypeError(f"each path must be a str or os.PathLike, not {type(item).__name__}")
    return found


def _mode(path: str) -> int:
    """The ``st_mode`` of what a path leads to; a missing path or a link loop is an error."""
    try:
        return os.stat(path).st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise KnowledgeError("symlink loop", path) from None
        if exc.errno == errno.ENOENT:
            what = "a link to nothing" if os.path.islink(path) else "no such file or folder"
            raise KnowledgeError(what, path) from None
        raise KnowledgeError(f"cannot read: {exc.strerror or exc}", path) from None


def _scan(folder: str) -> tuple[list[str], list[str]]:
    """A folder's knowledge files, and every other ``*.yaml`` in it with why it was left out."""
    found: list[str] = []
    left_out: list[str] = []
    try:
        names = sorted(os.listdir(folder))
    except OSError as exc:
        raise KnowledgeError(f"cannot read: {exc.strerror or exc}", folder) from None
    for name in names:
        if not name.endswith((".yaml", ".yml")):
            continue
        path = os.path.join(folder, name)
        if name.startswith("."):
            left_out.append(f"{name} (hidden)")
            continue
        try:
            mode = os.stat(path).st_mode
        except OSError as exc:
            reason = {errno.ELOOP: "symlink loop", errno.ENOENT: "a link to nothing"}.get(exc.errno or 0)
            if reason is None:
                found.append(path)  # unreadable: reading it reports why, as for a named file
            else:
                left_out.append(f"{name} ({reason})")
            continue
        if stat.S_ISREG(mode):
            found.append(path)
        else:
            left_out.append(f"{name} ({_file_kind(mode)})")
    return found, left_out


def _file_kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_text(path: str | os.PathLike[str], stream: IO[bytes] | None = None, *, limits: Limits = DEFAULT_LIMITS) -> str:
    """A file's text (or ``stream``'s, named ``path``), refusing what is too big, unreadable or
    not UTF-8 (a BOM is fine). Knowledge files and ``askbot ingest`` transcripts both come here.
    """
    most = limits.max_file_bytes
    try:
        if stream is None:
            with open(path, "rb") as opened:
                data = _read_limited(opened, most)
        else:
            data = _read_limited(stream, most)
    except OSError as exc:
        raise KnowledgeError(f"cannot read: {exc.strerror or exc}", str(path)) from None
    if len(data) > most:
        raise KnowledgeError(f"file is over the limit of {most:,} bytes", str(path))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if data.startswith((b"%PDF-", b"PK\x03\x04")):
            raise KnowledgeError(
                f"a PDF or Word document, not a knowledge file: make one with `askbot ingest {path} -o interview.yaml`",
                str(path),
            ) from None
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise KnowledgeError("not UTF-8 text", str(path), line, column) from None


def _read_limited(stream: IO[bytes], most: int) -> bytes:
    """At most one byte past the limit: /dev/zero, a pipe or stdin report no size up front."""
    return stream.read(most + 1)
