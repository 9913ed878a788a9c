"""PDF and Word documents -> transcript text, within bounds a hostile file cannot break.

A PDF's text comes from pypdf (pure Python, no dependencies; chosen over pdfminer.six, which
is 9.5 MB with cryptography and charset-normalizer against pypdf's 4.3 MB, and imports in about
the same 70-80 ms). pypdf's ``Configuration`` bounds what one file may make it decompress or
walk (streams, page-tree depth and entries); a PDF that passes those still stops at
``Limits.max_file_bytes`` of text. Page furniture is removed: lines that recur at the top or
bottom of most pages ("Page 3 of 26", "March 3, 2020 Chair Powell's Press Conference FINAL"),
bare page numbers, and the line numbers a hearing or court transcript prints in its margin.

A Word document (.docx) is a zip of XML: its text is read with the standard library (zipfile,
ElementTree; 7 ms to import) rather than python-docx, which brings lxml (13 MB, 60-130 ms to
import) to do the same walk. The document part's declared size is checked before it is
inflated (a zip bomb is refused unread), and a part that declares a DTD is refused (no entity
expansion). Headings are written as markdown headings and wholly bold paragraphs in ``**``, as
``html`` does for a page, so the text parser sees the document's structure.
"""

from __future__ import annotations

import io
import itertools
import logging
import re
import zipfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ..settings import DEFAULT_LIMITS
from .report import Report

PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc, and every password-protected Office file
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# A line that recurs at a page's edge once its digits are set aside is a running header or footer.
_DIGITS = re.compile(r"\d+")
# A text that ends a sentence: a stop, question or exclamation mark or a colon, and any closing quotes.
_SENTENCE_END = re.compile(r"[.!?:][\"'”’)\]]*\s*$")
_PAGE_NUMBER = re.compile(r"^\s*(?:page\s+)?[-–]?\s*\d{1,4}\s*[-–]?\s*(?:of\s+\d{1,4})?\s*$", re.IGNORECASE)
_MARGIN_NUMBER = re.compile(r"^\s*(?P<n>\d{1,2})(?:\s+(?P<rest>.*))?$")
EDGE_LINES = 3  # lines at each end of a page where running headers and footers sit
MIN_RECURRING_SHARE = 0.5  # of the pages, for an edge line to be a running header or footer
MIN_NUMBER_COLUMN = 5  # bare rising numbers in a row, for them to be a column of line numbers
MIN_NUMBERED_SHARE = 0.6  # of a page's lines, for a leading 1, 2, 3 ... to be margin line numbers


class DocumentError(ValueError):
    """A PDF or Word file that cannot be read: encrypted, damaged, or past a limit."""


def kind(data: bytes) -> str | None:
    """``"pdf"`` or ``"docx"`` when the bytes are one, else ``None``; refuses what is neither
    but looks like an Office file (a legacy .doc, or any encrypted Office document).

    >>> kind(b"%PDF-1.7 ..."), kind(b"plain text")
    ('pdf', None)
    """
    if data[:1024].lstrip().startswith(PDF_MAGIC):
        return "pdf"
    if data.startswith(OLE_MAGIC):
        raise DocumentError(
            "an encrypted Office file or a legacy Word .doc: save it as .docx without a password, or as PDF"
        )
    if data.startswith(ZIP_MAGIC):
        return "docx"
    return None


def pdf_text(data: bytes, report: Report) -> str:
    """A PDF's text, page by page, with running headers, footers and margin numbers removed."""
    import pypdf  # only ingest reads PDFs
    from pypdf.errors import FileNotDecryptedError, LimitReachedError, PyPdfError

    with _quiet_pypdf():
        try:
            reader = pypdf.PdfReader(io.BytesIO(data))
            if reader.is_encrypted and not reader.decrypt(""):
                raise DocumentError("an encrypted PDF that needs a password: save an unlocked copy")
            pages = []
            size = 0
            for page in reader.pages:
                # pypdf writes some PDFs' word spaces as tabs; whitespace is no part of the words
                text = (page.extract_text() or "").replace("\t", " ")
                size += len(text)
                if size > DEFAULT_LIMITS.max_file_bytes:
                    raise DocumentError(f"its text is over the limit of {DEFAULT_LIMITS.max_file_bytes:,} characters")
                pages.append(text)
        except DocumentError:
            raise
        except FileNotDecryptedError:
            raise DocumentError("an encrypted PDF that needs a password: save an unlocked copy") from None
        except LimitReachedError as exc:
            raise DocumentError(f"a PDF past a safety limit ({exc})") from None
        except RecursionError:
            raise DocumentError("a PDF whose objects refer to themselves without end") from None
        except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError) as exc:
            raise DocumentError(f"a damaged PDF ({type(exc).__name__}: {str(exc)[:80]})") from None
    if not "".join(pages).strip():
        raise DocumentError("a PDF with no text (scanned pages need OCR first)")
    return _joined(_page_lines(pages, report)) + "\n"


@contextmanager
def _quiet_pypdf() -> Iterator[None]:
    """pypdf reports what it repairs in a damaged file as log warnings ("EOF marker not found");
    with no logging set up, Python prints them on stderr, a stray line beside askbot's own one-line
    error or before a good result. While a PDF is read they go nowhere."""
    logger = logging.getLogger("pypdf")
    handler, propagate = logging.NullHandler(), logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def _joined(pages: list[str]) -> str:
    """The pages' texts as one, a page break no paragraph break: a sentence that runs on over it
    ("that's" at the foot of one page, "going to depend" at the head of the next) stays one
    paragraph, though a removed running header leaves blank lines at the page's top. A blank
    line at the break is kept only after a sentence's end, where it may be the document's own
    paragraph break (a question opening the next page). Pages with no text left add nothing."""
    out = ""
    trailing_blank = False
    for page in pages:
        text = page.strip("\n")
        if not text.strip():
            continue
        if out:
            blank = trailing_blank or page.startswith("\n")
            out += "\n\n" if blank and _SENTENCE_END.search(out) else "\n"
        out += text
        trailing_blank = page.endswith("\n")
    return out


def _page_lines(pages: list[str], report: Report) -> list[str]:
    """Each page's text without its running header/footer lines and margin line numbers."""
    split = [[line.rstrip() for line in page.split("\n")] for page in pages]
    edges: Counter[str] = Counter()
    for lines in split:
        kept = [line for line in lines if line.strip()]
        edges.update({_DIGITS.sub("#", line.strip()) for line in kept[:EDGE_LINES] + kept[-EDGE_LINES:]})
    recurring = {
        line
        for line, n in edges.items()
        if n >= 2 and n >= MIN_RECURRING_SHARE * len(split) and not line.endswith(":")  # "Dan:" speaks
    }
    out = []
    for lines in split:
        kept = []
        for index, line in enumerate(lines):
            at_edge = index < EDGE_LINES + 2 or index >= len(lines) - EDGE_LINES - 2
            if at_edge and (_DIGITS.sub("#", line.strip()) in recurring or _PAGE_NUMBER.match(line)):
                if line.strip():
                    report.drop("page header, footer or number", line)
                continue
            kept.append(line)
        out.append("\n".join(_without_margin_numbers(kept, report)))
    return out


def _without_margin_numbers(lines: list[str], report: Report) -> list[str]:
    """Lines without the 1, 2, 3 ... a hearing transcript prints before each line of a page,
    or prints as a column that the text comes out after (a run of bare rising numbers)."""
    lines = _without_number_columns(lines, report)
    numbered = [(i, m) for i, line in enumerate(lines) if (m := _MARGIN_NUMBER.match(line))]
    written = [line for line in lines if line.strip()]
    rising = sum(1 for (_, a), (_, b) in itertools.pairwise(numbered) if int(b["n"]) == int(a["n"]) + 1)
    if not written or rising + 1 < MIN_NUMBERED_SHARE * len(written):
        return lines
    report.drop("margin line numbers", f"{len(numbered)} on a page")
    out = list(lines)
    for index, match in numbered:
        out[index] = match["rest"] or ""
    return out


def _without_number_columns(lines: list[str], report: Report) -> list[str]:
    out: list[str] = []
    run: list[str] = []
    for line in [*lines, ""]:
        text = line.strip()
        if text.isdigit() and (not run or int(text) == int(run[-1]) + 1):
            run.append(text)
            continue
        if len(run) >= MIN_NUMBER_COLUMN:
            report.drop("margin line numbers", f"{run[0]}-{run[-1]}")
        else:
            out += run
        run = [text] if text.isdigit() else []
        if not run:
            out.append(line)
    return out[:-1]


def docx_text(data: bytes, report: Report) -> str:
    """A Word document's paragraphs as markdown-ish text (headings, bold paragraphs, tables)."""
    from xml.etree import ElementTree

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            try:
                info = archive.getinfo("word/document.xml")
            except KeyError:
                raise DocumentError("a zip file that is not a Word document (no word/document.xml)") from None
            if info.file_size > DEFAULT_LIMITS.max_file_bytes:
                raise DocumentError(
                    f"its text part inflates to {info.file_size:,} bytes, over the limit of "
                    f"{DEFAULT_LIMITS.max_file_bytes:,}"
                )
            with archive.open(info) as part:
                xml = part.read(DEFAULT_LIMITS.max_file_bytes + 1)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError) as exc:
        raise DocumentError(f"a damaged Word document ({str(exc)[:80]})") from None
    if len(xml) > DEFAULT_LIMITS.max_file_bytes:
        raise DocumentError(f"its text part is over the limit of {DEFAULT_LIMITS.max_file_bytes:,} bytes")
    if b"<!DOCTYPE" in xml[:4096] or b"<!ENTITY" in xml:
        raise DocumentError("a Word document whose XML declares entities; no real one does")
    try:
        root = ElementTree.fromstring(xml)
    except ElementTree.ParseError as exc:
        raise DocumentError(f"a damaged Word document (its XML: {exc})") from None
    body = root.find(f"{_W}body")
    lines: list[str] = []
    for block in body if body is not None else []:
        if block.tag == f"{_W}p":
            text = _paragraph(block)
            if text.strip():
                lines += [text, ""]
        elif block.tag == f"{_W}tbl":
            for row in block.iter(f"{_W}tr"):
                cells = [" ".join(_plain(p) for p in cell.iter(f"{_W}p")).strip() for cell in row.iter(f"{_W}tc")]
                if any(cells):
                    lines += ["| " + " | ".join(cells) + " |", ""]
    if not lines:
        raise DocumentError("a Word document with no text")
    return "\n".join(lines)


def _plain(paragraph: Any) -> str:
    """A paragraph's text: runs, tabs and line breaks, no markup."""
    parts = []
    for node in paragraph.iter():
        if node.tag == f"{_W}t" and node.text:
            parts.append(node.text)
        elif node.tag == f"{_W}tab":
            parts.append("\t")
        elif node.tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
    return "".join(parts)


def _paragraph(paragraph: Any) -> str:
    """One paragraph as markdown: ``# `` for a heading style, ``**...**`` when all of it is bold,
    or around a bold question that opens it."""
    style = paragraph.find(f"{_W}pPr/{_W}pStyle")
    name = (style.get(f"{_W}val") or "") if style is not None else ""
    text = _plain(paragraph).strip()
    level = re.match(r"(?i)^(?:heading\s*(\d)|title)$", name)
    if level and text:
        return "#" * int(level[1] or 1) + " " + text.replace("\n", " ")
    runs = []
    for run in paragraph.iter(f"{_W}r"):
        words = "".join(t.text or "" for t in run.iter(f"{_W}t"))
        bold = run.find(f"{_W}rPr/{_W}b")
        runs.append((words, bold is not None and bold.get(f"{_W}val") not in ("0", "false")))
    bold_text = "".join(words for words, bold in runs if bold).strip()
    plain_text = "".join(words for words, bold in runs if not bold).strip()
    if bold_text and not plain_text:
        return f"**{text}**"
    leading = next((bold for words, bold in runs if words.strip()), False)
    if leading and bold_text.endswith("?") and text.startswith(bold_text):
        return f"**{bold_text}**{text[len(bold_text):]}"
    return text
