"""Bytes in, text and its format out: size and binary checks, encodings, format sniffing.

The format is recognised from the content; a file's extension only breaks ties, so a page saved
as ``.txt`` is still read as HTML and a transcript named ``.html`` as text.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path
from typing import IO

from ..errors import KnowledgeError
from ..settings import DEFAULT_LIMITS

FORMATS = ("txt", "md", "html", "vtt", "srt", "pdf", "docx")
_BY_SUFFIX = {".txt": "txt", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".vtt": "vtt",
              ".srt": "srt",
              ".pdf": "pdf", ".docx": "docx"}
_DECLARED = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_HTML_START = re.compile(r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE | re.DOTALL)
_HTML_TAGS = re.compile(r"</(?:p|div|li|td|h[1-6]|table|section|article)>|<br\s*/?>", re.IGNORECASE)
_SRT_START = re.compile(r"^\s*\d+\s*\n\s*\d{1,2}:\d\d:\d\d[,.]\d{1,3}\s*-->")
_MARKDOWN = re.compile(r"^(?:#{1,6} |\*\*|__|---\s*$)", re.MULTILINE)
_SNIFF_CHARS = 65_536


def read_bytes(name: str, stream: IO[bytes] | None = None) -> bytes:
    """A transcript's bytes, refusing what is unreadable or over the limit unread: a PDF or Word
    file may be ``Limits.max_document_bytes`` (images make them large), text ``max_file_bytes``
    (so ``/dev/zero`` costs no more than that)."""
    limit = DEFAULT_LIMITS.max_file_bytes
    try:
        opened = open(name, "rb") if stream is None else stream  # noqa: SIM115 -- closed below
        try:
            data = opened.read(limit + 1)
            if data.startswith((b"%PDF-", b"PK\x03\x04")) and len(data) > limit:
                limit = max(limit, DEFAULT_LIMITS.max_document_bytes)
                data += opened.read(limit + 1 - len(data))
        finally:
            if stream is None:
                opened.close()
    except OSError as exc:
        raise KnowledgeError(f"cannot read: {exc.strerror or exc}", name) from None
    if len(data) > limit:
        raise KnowledgeError(f"file is over the limit of {limit:,} bytes", name)
    return data


def decode(data: bytes, name: str, fmt: str | None = None) -> tuple[str, str]:
    """``(text, format)``: the text decoded as its BOM or HTML ``<meta charset>`` says, and the
    format named by ``fmt``, else recognised from the content, else hinted by the extension.

    Text that is not HTML must be UTF-8 (the error names line and column) or carry a UTF-16 BOM;
    a page may declare any encoding Python knows (cp1252, GB18030, Shift_JIS ...), and one that
    declares none and is not UTF-8 is read as cp1252, as browsers do.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16", errors="replace")
    elif b"\x00" in data[:8192]:
        raise KnowledgeError("a binary file, not a transcript (it holds NUL bytes)", name)
    elif _HTML_TAGS.search(data[:_SNIFF_CHARS].decode("latin-1")):
        text = _page_text(data)
    else:
        text = _decode_as(data, name, "utf-8-sig")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, fmt or sniff(text, Path(name).suffix.lower())


def sniff(text: str, suffix: str = "") -> str:
    """The format the content shows; the extension decides only between text and markdown.

    >>> sniff("WEBVTT\\n\\n00:01.000 --> 00:02.000\\n<v Ann>Hi"), sniff("<!DOCTYPE html><p>x</p>")
    ('vtt', 'html')
    """
    head = text[:_SNIFF_CHARS].lstrip("\ufeff")
    if head.lstrip().startswith("WEBVTT"):
        return "vtt"
    if _SRT_START.match(head):
        return "srt"
    if _HTML_START.match(head) or len(_HTML_TAGS.findall(head)) >= 3:
        return "html"
    hinted = _BY_SUFFIX.get(suffix)
    if hinted in ("txt", "md"):
        return hinted
    return "md" if len(_MARKDOWN.findall(head)) >= 2 else "txt"


def _page_text(data: bytes) -> str:
    """A page's text in the encoding it declares (what cannot be decoded shows as U+FFFD)."""
    declared = _declared_encoding(data)
    if declared:
        return data.decode(declared, errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _declared_encoding(data: bytes) -> str | None:
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    found = _DECLARED.search(data[:4096])
    if not found:
        return None
    try:
        name = codecs.lookup(found[1].decode("ascii")).name
    except LookupError:
        return None
    # Browsers read a page labelled Latin-1 (or GB2312) as its superset; so must we.
    return {"iso8859-1": "cp1252", "ascii": "cp1252", "gb2312": "gb18030", "gbk": "gb18030"}.get(name, name)


def _decode_as(data: bytes, name: str, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise KnowledgeError("not UTF-8 text", name, line, column) from None
