"""Knowledge files: read them as YAML, validate them, write them (``paths`` finds them).

The only module that imports yaml, and only ever with PyYAML's *safe* loader and dumper. A file
is first streamed as parser events, which refuses anchors/aliases (the "billion laughs" bomb),
object tags, deep nesting and too many values before any node exists; then its node graph is
composed (never constructed into Python objects by PyYAML), so every problem can be reported as
``FILE:LINE:COL: message``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from ..errors import KnowledgeError
from ..model import Entry, KnowledgeBase, ReadOnlyDict, Source
from ..settings import DEFAULT_LIMITS, Limits
from .paths import default_paths, expand_paths, read_text


class _LazyYAML:
    """Stands in for the ``yaml`` module until the first attribute is asked for, then imports it
    and steps aside. ``askbot ask`` on a cached index never reads YAML, and PyYAML costs more to
    import than the rest of what that path needs."""

    def __getattr__(self, name: str) -> Any:
        import yaml as module

        globals()["yaml"] = module
        return getattr(module, name)


if TYPE_CHECKING:

    import yaml
else:
    yaml = _LazyYAML()


class _Mark(Protocol):
    """Where a YAML event starts: PyYAML's ``Mark`` or libyaml's (0-based)."""

    line: int
    column: int


def _loader(text: str) -> yaml.SafeLoader:
    """libyaml's C parser where PyYAML was built with it (about 10x faster), else PyYAML's own;
    both report the same marks and refuse the same things."""
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ENTRY_FIELDS = ("id", "question", "answer", "speaker", "alternates", "tags", "follow_ups")
SOURCE_FIELDS = ("title", "interviewee", "role", "interviewers", "publisher", "event", "date", "url")
FILE_FIELDS = ("source", "entries", "synonyms")


class Problem(NamedTuple):
    """One thing wrong with a knowledge file, located for an editor to jump to.

    ``fatal`` problems stop askbot from loading the file; the others (a follow-up to an unknown
    id, an unknown field) make ``askbot check`` fail but are dropped or ignored when answering.
    """

    path: str
    line: int | None
    column: int | None
    message: str
    fatal: bool = True

    def __str__(self) -> str:
        where = [self.path] + [str(n) for n in (self.line, self.column) if n is not None]
        return f"{':'.join(where)}: {self.message}"

    def as_error(self) -> KnowledgeError:
        """This problem as the exception the CLI turns into one stderr line."""
        return KnowledgeError(self.message, self.path, self.line, self.column)


def load(
    paths: Iterable[str | os.PathLike[str]] | None = None,
    *,
    skipped: list[str] | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> KnowledgeBase:
    """Load knowledge files (or folders of them) into one knowledge base.

    Raises ``KnowledgeError`` for the first fatal problem; non-fatal ones (follow-ups to unknown
    ids) are dropped, as ``askbot check`` exists to report them. Files a folder holds that are
    not knowledge (see ``expand_paths``) are named in ``skipped``. ``limits`` bound what a file
    may hold.

    >>> kb = load()
    >>> kb.get("hangzhou-advantages").position, len(kb)
    (4, 9)
    """
    return load_files(expand_paths(default_paths() if paths is None else paths, skipped=skipped), limits=limits)


def load_files(files: list[str], *, limits: Limits = DEFAULT_LIMITS) -> KnowledgeBase:
    """``load`` for files ``expand_paths`` already found."""
    return link([parse_file(read_text(path, limits=limits), path, limits=limits) for path in files], limits=limits)


def check(paths: Iterable[str | os.PathLike[str]], *, limits: Limits = DEFAULT_LIMITS) -> list[Problem]:
    """Every problem in these knowledge files, fatal or not, in file and line order.

    Missing paths and unreadable files raise ``KnowledgeError`` (they are not content problems).
    """
    return check_files(expand_paths(paths), limits=limits)


def check_files(files: list[str], *, limits: Limits = DEFAULT_LIMITS) -> list[Problem]:
    """``check`` for files ``expand_paths`` already found (expanding them again would treat a
    folder named ``x.yaml`` as a folder to search)."""
    parsed = [parse_file(read_text(path, limits=limits), path, limits=limits) for path in files]
    problems, _ = _link(parsed, limits)
    return problems


def loads(
    text: str, path: str = "<string>", *, limits: Limits = DEFAULT_LIMITS
) -> tuple[list[Problem], KnowledgeBase | None]:
    """Parse one knowledge file's text; the knowledge base is ``None`` when a problem is fatal."""
    if not isinstance(text, str) or not isinstance(path, str):
        raise TypeError(f"loads needs text and path as str, not {type(text).__name__} and {type(path).__name__}")
    return _link([parse_file(text, path, limits=limits)], limits)


def dump(source: Source, entries: Iterable[Entry], synonyms: Iterable[Iterable[str]] = ()) -> str:
    """A knowledge file's YAML text, answers as literal blocks so they stay readable."""
    data: dict[str, Any] = {"source": _source_data(source)}
    groups = [list(group) for group in synonyms]
    if groups:
        data["synonyms"] = groups
    data["entries"] = [_entry_data(entry) for entry in entries]
    return yaml.dump(data, Dumper=_block_dumper(), sort_keys=False, allow_unicode=True, width=100)


@lru_cache(maxsize=1)
def _block_dumper() -> type[yaml.SafeDumper]:
    """The safe dumper (libyaml's emitter where present: 3x faster) writing multi-line strings
    as ``|`` blocks and short word lists inline; made on first use, as PyYAML is imported."""

    class BlockDumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
        pass

    BlockDumper.add_representer(str, _represent_str)
    BlockDumper.add_representer(list, _represent_list)
    return BlockDumper


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_list(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.SequenceNode:
    """Short lists of words inline (``tags: [a, b]``), anything longer one item a line."""
    flow = all(isinstance(item, str) and len(item) <= 40 and "\n" not in item for item in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


def _source_data(source: Source) -> dict[str, Any]:
    data = source.as_dict()
    return {key: value for key, value in data.items() if value not in (None, []) or key == "url"}


def _entry_data(entry: Entry) -> dict[str, Any]:
    data: dict[str, Any] = {"id": entry.id, "question": entry.question, "answer": entry.answer}
    if entry.speaker:
        data["speaker"] = entry.speaker
    for name in ("alternates", "tags", "follow_ups"):
        values = list(getattr(entry, name))
        if values:
            data[name] = values
    return data


# --- parsing -------------------------------------------------------------------------------


class _ParsedEntry(NamedTuple):
    data: dict[str, Any]
    line: int
    column: int
    follow_up_marks: list[tuple[str, int, int]]


class ParsedFile:
    """One knowledge file parsed, before ids and follow-ups are checked across files."""

    __slots__ = ("path", "problems", "source", "entries", "synonyms")

    def __init__(
        self,
        path: str,
        problems: list[Problem],
        source: Source | None,
        entries: list[_ParsedEntry],
        synonyms: list[tuple[str, ...]],
    ) -> None:
        self.path = path
        self.problems = problems
        self.source = source
        self.entries = entries
        self.synonyms = synonyms

    def plain(self) -> tuple[Any, ...]:
        """Plain values (``marshal``-able, no path) the cache stores and ``from_plain`` restores."""
        problems = [(p.line, p.column, p.message, p.fatal) for p in self.problems]
        source = None if self.source is None else self.source.to_row()
        entries = [(e.data, e.line, e.column, e.follow_up_marks) for e in self.entries]
        return problems, source, entries, self.synonyms

    def texts(self) -> Iterator[tuple[str, tuple[str, ...], tuple[str, ...], str]]:
        """Each entry's question, alternates, tags and answer, as its ``Entry`` holds them."""
        for item in self.entries:
            data = item.data
            yield data["question"].strip(), tuple(data["alternates"]), tuple(data["tags"]), data["answer"].rstrip("\n")

    @classmethod
    def from_plain(cls, plain: tuple[Any, ...], path: str) -> ParsedFile:
        """The parsed file ``plain`` describes, as if parsed from ``path``."""
        problems, source, entries, synonyms = plain
        return cls(
            path,
            [Problem(path, *problem) for problem in problems],
            None if source is None else Source.from_row(source),
            [_ParsedEntry(*entry) for entry in entries],
            synonyms,
        )


def parse_file(text: str, path: str, *, limits: Limits = DEFAULT_LIMITS) -> ParsedFile:
    """One file's text parsed and validated on its own; ``link`` joins files into a base.

    The index cache keeps each file's result (``ParsedFile.plain``) so that a changed file in a
    folder is the only one parsed again.
    """
    return _FileParser(text, path, limits).parse()


def plain_fields(text: str, *, limits: Limits = DEFAULT_LIMITS) -> dict[str, str | list[str]] | None:
    """A small YAML mapping (a page's front matter) read as safely as a knowledge file: its
    parser events checked first (no anchor, alias or object tag; bounded depth and size), then
    composed into nodes, never constructed into Python objects. Each top-level key with its text
    as the YAML gives it (escapes and line continuations read), or its list's texts; a mapping,
    a null or a true/false value is left out. ``None`` when the text is no YAML mapping or is not
    safe to build."""
    try:
        if _FileParser(text, "", limits)._first_unsafe_event() is not None:
            return None
        loader = _loader(text)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except (yaml.YAMLError, RecursionError):
        return None
    if not isinstance(root, yaml.MappingNode):
        return None
    found: dict[str, str | list[str]] = {}
    for key, value in root.value:
        if isinstance(value, yaml.ScalarNode) and value.tag not in _NOT_TEXT:
            found[str(key.value)] = value.value
        elif isinstance(value, yaml.SequenceNode):
            found[str(key.value)] = [
                item.value for item in value.value if isinstance(item, yaml.ScalarNode) and item.tag not in _NOT_TEXT
            ]
    return found


def link(files: list[ParsedFile], *, limits: Limits = DEFAULT_LIMITS) -> KnowledgeBase:
    """The knowledge base of parsed files, or ``KnowledgeError`` for the first fatal problem
    (duplicate ids across files, the entry limit)."""
    problems, kb = _link(files, limits)
    fatal = [p for p in problems if p.fatal]
    if fatal:
        raise fatal[0].as_error()
    assert kb is not None
    return kb


class _FileParser:
    """Turns one file's YAML node graph into entries, collecting located problems."""

    def __init__(self, text: str, path: str, limits: Limits) -> None:
        self.text = text
        self.path = path
        self.limits = limits
        self.problems: list[Problem] = []

    def parse(self) -> ParsedFile:
        result = ParsedFile(self.path, self.problems, None, [], [])
        root = self._compose()
        if root is None:
            return result
        if not isinstance(root, yaml.MappingNode):
            if not self._transcript():
                self._problem(root, "a knowledge file is a mapping with 'source' and 'entries'")
            return result
        fields = self._mapping(root, FILE_FIELDS, "file")
        if "source" not in fields:
            self._problem(root, "missing required 'source' mapping")
        else:
            result.source = self._source(fields["source"])
        if "synonyms" in fields:
            result.synonyms = self._synonyms(fields["synonyms"])
        if "entries" not in fields:
            self._problem(root, "missing required 'entries' list")
        else:
            result.entries = self._entries(fields["entries"])
            self._warn_entries(result.entries, result.source)
        return result

    def _warn_entries(self, entries: list[_ParsedEntry], source: Source | None) -> None:
        """Warnings (not errors) about entries a transcript parser got wrong: a question with no
        words ("?"), the same question twice from the same speaker, and an answer holding a line
        that starts with a speaker's label (the next turn was glued on)."""
        speakers = {str(e.data["speaker"]).casefold() for e in entries if e.data.get("speaker")}
        if source is not None:
            speakers |= {name.casefold() for name in (*source.interviewers, source.interviewee or "") if name}
        seen: dict[tuple[str, str], int] = {}
        for entry in entries:
            question, answer = str(entry.data["question"]), str(entry.data["answer"])
            where = (entry.line, entry.column)
            if not _WORD.search(question):
                self._problem_at_line(where, f"question {_quoted(question)} has no words", fatal=False)
            key = (" ".join(question.casefold().split()), str(entry.data.get("speaker") or "").casefold())
            if key in seen:
                self._problem_at_line(
                    where, f"question {_quoted(question)} is also asked at line {seen[key]}", fatal=False
                )
            seen.setdefault(key, entry.line)
            own = str(entry.data.get("speaker") or "").casefold()
            for line in answer.split("\n"):
                label = _ANSWER_LABEL.match(line)
                if not label:
                    continue
                name = (label["label"] or label["label_plain"]).strip("*_ ").casefold()
                if label["bold"] or name in speakers and name != own:
                    self._problem_at_line(
                        where, f"answer holds a speaker's label {_quoted(label.group().strip())}: "
                        "another turn may have been glued on", fatal=False
                    )
                    break

    def _problem_at_line(self, where: tuple[int, int], message: str, fatal: bool = True) -> None:
        self.problems.append(Problem(self.path, where[0], where[1], message, fatal))

    def _compose(self) -> yaml.Node | None:
        try:
            unsafe = self._first_unsafe_event()
            if unsafe is not None:
                self._problem_at(*unsafe)
                return None
            loader = _loader(self.text)
            try:
                node = loader.get_single_node()
            finally:
                loader.dispose()
        except yaml.MarkedYAMLError as exc:
            if self._transcript():
                return None
            mark = exc.problem_mark or exc.context_mark
            message = " ".join(filter(None, [exc.context, exc.problem])) or "invalid YAML"
            self._problem_at(mark, f"invalid YAML: {message}")
            return None
        except yaml.reader.ReaderError as exc:
            # A character YAML forbids (a raw control character): located by its offset.
            line = self.text.count("\n", 0, exc.position) + 1
            column = exc.position - (self.text.rfind("\n", 0, exc.position) + 1) + 1
            self.problems.append(
                Problem(self.path, line, column, f"invalid YAML: {exc.reason} (#x{exc.character:04x})")
            )
            return None
        except yaml.YAMLError as exc:
            self._problem_at(None, f"invalid YAML: {exc}")
            return None
        except RecursionError:
            self._problem_at(None, "invalid YAML: nested too deeply")
            return None
        if node is None:
            self._problem_at(None, "empty file: a knowledge file needs 'source' and 'entries'")
            return None
        return node

    def _transcript(self) -> bool:
        """Whether the file is a transcript or a page given where knowledge belongs (``--kb
        interview.md``); if so the problem says how to make knowledge of it, not what YAML
        thinks of its first colon."""
        if not self.path.lower().endswith(TRANSCRIPT_SUFFIXES):
            return False
        self._problem_at(
            None,
            f"a transcript, not a knowledge file: make one with `askbot ingest {self.path} -o interview.yaml`, "
            "then use that",
        )
        return True

    def _first_unsafe_event(self) -> tuple[_Mark | None, str] | None:
        """Where the file stops being safe to build, and why; ``None`` when it is safe.

        Streams the parser's events before any node is built: an anchor or alias (the
        "billion laughs" bomb), an object tag, nesting deeper than ``Limits.max_depth``, more
        than ``max_nodes`` values or ``max_entries`` entries stop it at once, so what a 20 MB file
        can cost stays bounded (building a node costs about 300 bytes) and no tag is ever
        constructed.
        """
        loader = _loader(self.text)
        limits = self.limits
        nodes = depth = entries = 0
        top_key, at_key, in_entries = None, True, False
        try:
            while not isinstance(event := loader.get_event(), yaml.StreamEndEvent):  # type: ignore[no-untyped-call]
                if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                    return event.start_mark, "anchors and aliases (&name / *name) are not allowed"
                if isinstance(event, yaml.CollectionEndEvent):
                    depth -= 1
                    in_entries = in_entries and depth > 1
                if not isinstance(event, yaml.NodeEvent):
                    continue
                nodes += 1
                if nodes > limits.max_nodes:
                    return event.start_mark, f"more than {limits.max_nodes:,} values; the limit keeps loading bounded"
                tag = getattr(event, "tag", None)
                if tag not in _SAFE_TAGS:
                    return event.start_mark, (
                        f"YAML tag {_quoted(str(tag))} is not allowed (text, lists and mappings only)"
                    )
                if depth == 1:  # a key or a value of the file's top-level mapping
                    if at_key:
                        top_key = getattr(event, "value", None)
                    else:
                        in_entries = top_key == "entries" and isinstance(event, yaml.SequenceStartEvent)
                    at_key = not at_key
                elif depth == 2 and in_entries:
                    entries += 1
                    if entries > limits.max_entries:
                        most = limits.max_entries
                        return event.start_mark, f"more than {most:,} entries; the limit is {most:,}"
                if isinstance(event, yaml.CollectionStartEvent):
                    depth += 1
                    if depth > limits.max_depth:
                        return event.start_mark, f"nested more than {limits.max_depth} levels deep"
        finally:
            loader.dispose()
        return None

    # -- helpers that read typed values, reporting what is wrong --

    def _problem(self, node: yaml.Node, message: str, fatal: bool = True) -> None:
        self._problem_at(node.start_mark, message, fatal)

    def _problem_at(self, mark: _Mark | None, message: str, fatal: bool = True) -> None:
        line = mark.line + 1 if mark is not None else None
        column = mark.column + 1 if mark is not None else None
        self.problems.append(Problem(self.path, line, column, message, fatal))

    def _mapping(self, node: yaml.MappingNode, known: tuple[str, ...], what: str) -> dict[str, yaml.Node]:
        fields: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                self._problem(key_node, f"{what} keys must be plain names")
            elif key in fields:
                self._problem(key_node, f"duplicate key {_quoted(key)}")
            else:
                if key not in known and what != "source":
                    self._problem(key_node, f"unknown {what} field {_quoted(key)} (known: {', '.join(known)})", False)
                fields[key] = value_node
        return fields

    def _scalar(self, node: yaml.Node, name: str, required: bool = False) -> str | None:
        if not isinstance(node, yaml.ScalarNode):
            self._problem(node, f"'{name}' must be text")
            return None
        if node.tag == "tag:yaml.org,2002:null" or (node.value in ("", "~", "null") and not node.style):
            if required:
                self._problem(node, f"'{name}' must not be empty")
            return None
        value: str = node.value
        if node.tag == "tag:yaml.org,2002:timestamp" or _looks_like_date(node):
            value = _date_text(value)
        if len(value) > self.limits.max_field_chars:
            most = self.limits.max_field_chars
            self._problem(node, f"'{name}' is {len(value):,} characters; the limit is {most:,}")
            return None
        if required and not value.strip():
            self._problem(node, f"'{name}' must not be empty")
            return None
        return value

    def _text_list(self, node: yaml.Node, name: str) -> list[str]:
        if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null":
            return []
        if not isinstance(node, yaml.SequenceNode):
            self._problem(node, f"'{name}' must be a list of text")
            return []
        values = []
        for item in node.value:
            value = self._scalar(item, name, required=True)
            if value is not None:
                values.append(value)
        return values

    # -- the three parts of a file --

    def _source(self, node: yaml.Node) -> Source | None:
        if not isinstance(node, yaml.MappingNode):
            self._problem(node, "'source' must be a mapping with at least a 'title'")
            return None
        fields = self._mapping(node, SOURCE_FIELDS, "source")
        if "title" not in fields:
            self._problem(node, "'source' needs a 'title'")
            return None
        title = self._scalar(fields["title"], "title", required=True)
        values: dict[str, Any] = {}
        for name in ("interviewee", "role", "publisher", "event", "date", "url"):
            if name in fields:
                values[name] = self._scalar(fields[name], name)
        interviewers: list[str] = []
        if "interviewers" in fields:
            node_i = fields["interviewers"]
            if isinstance(node_i, yaml.ScalarNode):
                single = self._scalar(node_i, "interviewers")
                interviewers = [single] if single else []
            else:
                interviewers = self._text_list(node_i, "interviewers")
        extra = {key: _plain(value) for key, value in fields.items() if key not in SOURCE_FIELDS}
        if title is None:
            return None
        return Source(
            title=title,
            interviewers=tuple(interviewers),
            extra=ReadOnlyDict(extra),
            **values,
        )

    def _synonyms(self, node: yaml.Node) -> list[tuple[str, ...]]:
        if not isinstance(node, yaml.SequenceNode):
            self._problem(node, "'synonyms' must be a list of lists of words that mean the same")
            return []
        groups = []
        for item in node.value:
            words = self._text_list(item, "synonyms")
            if len(words) >= 2:
                groups.append(tuple(words))
            elif isinstance(item, yaml.SequenceNode):
                self._problem(item, "a synonym group needs at least two words", False)
        return groups

    def _entries(self, node: yaml.Node) -> list[_ParsedEntry]:
        if not isinstance(node, yaml.SequenceNode):
            self._problem(node, "'entries' must be a list of entries")
            return []
        if not node.value:
            self._problem(node, "'entries' is empty: a knowledge file needs at least one entry")
            return []
        entries = []
        for item in node.value:
            entry = self._entry(item)
            if entry is not None:
                entries.append(entry)
        return entries

    def _entry(self, node: yaml.Node) -> _ParsedEntry | None:
        if not isinstance(node, yaml.MappingNode):
            self._problem(node, "an entry must be a mapping with 'id', 'question' and 'answer'")
            return None
        fields = self._mapping(node, ENTRY_FIELDS, "entry")
        data: dict[str, Any] = {}
        ok = True
        for name in ("id", "question", "answer"):
            if name not in fields:
                self._problem(node, f"entry is missing required '{name}'")
                ok = False
                continue
            value = self._scalar(fields[name], name, required=True)
            if value is None:
                ok = False
            data[name] = value
        entry_id = data.get("id")
        if entry_id is not None and not ID_PATTERN.match(entry_id):
            self._problem(fields["id"], f"id {_quoted(entry_id)} must be lower-case letters, digits and '-'")
            ok = False
        data["speaker"] = self._scalar(fields["speaker"], "speaker") if "speaker" in fields else None
        for name in ("alternates", "tags"):
            data[name] = self._text_list(fields[name], name) if name in fields else []
        marks: list[tuple[str, int, int]] = []
        if "follow_ups" in fields:
            follow_node = fields["follow_ups"]
            data["follow_ups"] = self._text_list(follow_node, "follow_ups")
            items = follow_node.value if isinstance(follow_node, yaml.SequenceNode) else []
            marks = [
                (item.value, item.start_mark.line + 1, item.start_mark.column + 1)
                for item in items
                if isinstance(item, yaml.ScalarNode)
            ]
        else:
            data["follow_ups"] = []
        if not ok:
            return None
        return _ParsedEntry(data, node.start_mark.line + 1, node.start_mark.column + 1, marks)


_WORD = re.compile(r"\w")
TRANSCRIPT_SUFFIXES = (".md", ".markdown", ".txt", ".html", ".htm", ".vtt", ".srt", ".pdf", ".docx")
# A line opening with "Name:" / "**Name**:" / "<b>AB</b>:" : a speaker's label.
_ANSWER_LABEL = re.compile(
    r"^\s*(?:(?P<bold>\*\*|<b>|<strong>)(?P<label>[^*<>:\n]{1,40})(?:\*\*|</b>|</strong>)\s*:"
    r"|(?P<label_plain>[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3}):)\s"
)
# Tags a file may spell out; untagged values get their type from PyYAML's safe resolver.
_SAFE_TAGS = frozenset(
    [None, "!"]
    + [f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")]
)


# Scalars that are no text for ``plain_fields``: "null", "~", "true", "no" as YAML resolves them.
_NOT_TEXT = frozenset(f"tag:yaml.org,2002:{name}" for name in ("null", "bool"))


def _quoted(value: str, limit: int = 60) -> str:
    """A value from the file, quoted for a one-line message and cut short if it is long.

    >>> _quoted("talent"), _quoted("x" * 100, limit=5), _quoted("a\\nb")
    ("'talent'", "'xxxxx…' (100 characters)", "'a\\\\nb'")
    """
    value = value.replace("\r", "\\r").replace("\n", "\\n")  # a key may hold a line break
    if len(value) <= limit:
        return f"'{value}'"
    return f"'{value[:limit]}…' ({len(value):,} characters)"


def _looks_like_date(node: yaml.ScalarNode) -> bool:
    return not node.style and bool(re.match(r"^\d{4}-\d\d?-\d\d?", node.value))


def _date_text(value: str) -> str:
    import datetime as _dt  # only a file with a date pays for it

    try:
        return _dt.date.fromisoformat(value).isoformat()
    except ValueError:
        return value


def _plain(node: yaml.Node) -> Any:
    """A JSON-friendly value for an extra source field (scalars as text, lists, mappings)."""
    if isinstance(node, yaml.SequenceNode):
        return [_plain(item) for item in node.value]
    if isinstance(node, yaml.MappingNode):
        return {str(k.value): _plain(v) for k, v in node.value}
    return node.value


def _link(files: list[ParsedFile], limits: Limits) -> tuple[list[Problem], KnowledgeBase | None]:
    """Check ids and follow-ups across files and build the knowledge base."""
    problems = [problem for parsed in files for problem in parsed.problems]
    total = 0
    for parsed in files:
        total += len(parsed.entries)
        if total > limits.max_entries:  # a folder of many files: the limit is for the whole base
            most = limits.max_entries
            message = f"this file brings the knowledge base to {total:,} entries; the limit is {most:,}"
            return [*problems, Problem(parsed.path, None, None, message)], None
    first_seen: dict[str, tuple[str, int]] = {}
    for parsed in files:
        for item in parsed.entries:
            entry_id = item.data["id"]
            if entry_id in first_seen:
                path, line = first_seen[entry_id]
                problems.append(
                    Problem(
                        parsed.path,
                        item.line,
                        item.column,
                        f"duplicate id {_quoted(entry_id)} (first used at {path}:{line})",
                    )
                )
            else:
                first_seen[entry_id] = (parsed.path, item.line)
    for parsed in files:
        for item in parsed.entries:
            for target, line, column in item.follow_up_marks:
                if target == item.data["id"]:
                    problems.append(
                        Problem(parsed.path, line, column, f"{_quoted(target)} lists itself as a follow-up", False)
                    )
                elif target not in first_seen:
                    problems.append(
                        Problem(parsed.path, line, column, f"follow-up to unknown id {_quoted(target)}", False)
                    )
    problems.sort(key=lambda p: (p.path, p.line or 0, p.column or 0))
    if any(p.fatal for p in problems) or any(parsed.source is None for parsed in files):
        if not any(p.fatal for p in problems):
            problems.append(Problem(files[0].path, None, None, "no source"))
        return problems, None
    entries = list(_entries(files, set(first_seen)))
    if not entries:
        return [*problems, Problem("<knowledge>", None, None, "no entries loaded")], None
    synonyms = tuple(group for parsed in files for group in parsed.synonyms)
    return problems, KnowledgeBase(tuple(entries), synonyms)


def _entries(files: list[ParsedFile], known: set[str]) -> Iterator[Entry]:
    for parsed in files:
        assert parsed.source is not None
        count = len(parsed.entries)
        texts = zip(parsed.entries, parsed.texts(), strict=True)
        for position, (item, (question, alternates, tags, answer)) in enumerate(texts, 1):
            data = item.data
            follow_ups = tuple(dict.fromkeys(f for f in data["follow_ups"] if f in known and f != data["id"]))
            yield Entry(
                id=data["id"],
                question=question,
                answer=answer,
                source=parsed.source,
                position=position,
                of=count,
                alternates=alternates,
                tags=tags,
                follow_ups=follow_ups,
                path=parsed.path,
                speaker=data["speaker"],
            )
