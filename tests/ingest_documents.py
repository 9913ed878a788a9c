"""Builders of real PDF and Word files for the ingest tests: well-formed ones and hostile ones.

Written here byte by byte (a PDF's objects and cross-reference table; a .docx's zip parts) so the
tests need no writer library and can make exactly the damage they test.
"""

from __future__ import annotations

import io
import zipfile
import zlib


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def page_content(lines: list[str]) -> bytes:
    """A page's content stream showing ``lines`` top to bottom in Helvetica."""
    shown = " T* ".join(f"({_escape(line)}) Tj" for line in lines)
    return f"BT /F1 10 Tf 14 TL 60 780 Td {shown} ET".encode("latin-1")


def pdf(pages: list[list[str]], *, pages_tree: bytes | None = None, extra: list[bytes] = (),  # type: ignore[assignment]
        filtered: dict[int, bytes] | None = None) -> bytes:
    """A PDF with one page per list of lines. ``pages_tree`` replaces the /Pages object (object
    2); ``extra`` objects are appended; ``filtered`` gives a page's content as a raw Flate stream."""
    count = len(pages)
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(count))
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        pages_tree or f"<< /Type /Pages /Kids [{kids}] /Count {count} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for index, lines in enumerate(pages):
        number = 4 + 2 * index
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 842] /Resources << /Font << /F1 3 0 R >> >> "
            f"/Contents {number + 1} 0 R >>".encode()
        )
        raw = (filtered or {}).get(index)
        if raw is not None:
            objects.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(raw) + raw + b"\nendstream")
        else:
            content = page_content(lines)
            objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    objects += list(extra)
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def flate_of_zeros(size: int) -> bytes:
    """``size`` zero bytes deflated, made in chunks (a bomb costs the test little memory)."""
    packer = zlib.compressobj(9)
    chunk = b"\0" * (1 << 20)
    parts = [packer.compress(chunk) for _ in range(size // len(chunk))]
    return b"".join(parts) + packer.flush()


_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def docx_paragraph(text: str, *, bold: bool = False, style: str | None = None) -> str:
    """One ``<w:p>`` of a Word document."""
    props = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    run_props = "<w:rPr><w:b/></w:rPr>" if bold else ""
    safe = text.replace("&", "&amp;").replace("<", "&lt;")
    return f'<w:p>{props}<w:r>{run_props}<w:t xml:space="preserve">{safe}</w:t></w:r></w:p>'


def docx(paragraphs: list[str], *, document: bytes | None = None) -> bytes:
    """A .docx whose body is ``paragraphs`` (from ``docx_paragraph``), or ``document`` as given."""
    body = document or (f'<?xml version="1.0" encoding="UTF-8"?><w:document {_W}><w:body>'
                        + "".join(paragraphs) + "</w:body></w:document>").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _TYPES)
        archive.writestr("word/document.xml", body)
    return out.getvalue()


def docx_bomb(size: int) -> bytes:
    """A .docx whose document part inflates to ``size`` bytes of spaces (written in chunks)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _TYPES)
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            chunk = b" " * (1 << 20)
            for _ in range(size // len(chunk)):
                part.write(chunk)
    return out.getvalue()
