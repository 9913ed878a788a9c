"""A saved web page -> the interview's text, with its structure written as markdown.

selectolax (lexbor) parses the page; it was measured against trafilatura and lxml/BeautifulSoup
(see README): 11 ms to import against trafilatura's 113 ms and 20 MB of dependencies, and
trafilatura flattened a small Q&A page into one paragraph and kept its comments. Main-content
extraction here is a handful of rules: scripts, styles, navigation, forms, comments, share bars,
related lists and captions are cut out by tag, role, class or id; the article (or ``<main>``) is
kept. Bold and heading questions, lists, paragraphs and table rows are written as markdown so the
text parser sees the structure. Nothing on the page is ever executed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from .report import Report

_NEVER = frozenset(
    "script style noscript template iframe object embed svg canvas form button select input textarea "
    "nav aside menu dialog video audio map head".split()
)
_BLOCKS = frozenset(
    "p div section article main header footer h1 h2 h3 h4 h5 h6 li ul ol dl dt dd blockquote pre table tr "
    "thead tbody figure figcaption hr address details summary center".split()
)
_BOLD = frozenset("b strong".split())
_ITALIC = frozenset("i em".split())
# Class/id words of page furniture; matched as whole words so "commentary" is not a comment box.
_FURNITURE = re.compile(
    r"(?:^|[\s_-])(?:comments?|share|sharing|social|related|recommended|newsletter|subscribe|subscription|"
    r"advert|advertisement|ads?|promo|sidebar|breadcrumbs?|menu|navbar|cookie|popup|modal|paywall|"
    r"more-stories|read-more|tags|author-bio|signup|footer)(?:$|[\s_-])",
    re.IGNORECASE,
)
_COMMENTS = re.compile(r"(?:^|[\s_-])comments?(?:$|[\s_-])", re.IGNORECASE)
# Share bars, related lists and ad slots are short; a container this long that carries such a
# class is the article (comment sections can be long, and always go).
MAX_FURNITURE_CHARS = 3_000
MIN_ARTICLE_SHARE = 0.3  # of the page's text, for an <article> to be the article
_CAPTION = frozenset(["figcaption"])
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
# Elements a page must close itself (no implied end tags), counted before parsing: the parser's
# time grows with the square of the nesting (100,000 nested <div>s: 13 s for 1 MB).
_NESTING_TAG = re.compile(r"<(/?)(?:div|span|section|article|table|ul|ol|blockquote|main|aside|nav)\b", re.I)
MAX_NESTING = 5_000


class PageTooDeep(ValueError):
    """A page nested deeper than any real one (``MAX_NESTING``), refused before parsing."""


@dataclass
class Page:
    """A page's interview text (markdown-ish) and the metadata its head and JSON-LD give."""

    text: str
    meta: dict[str, Any] = field(default_factory=dict)


def extract(html: str, report: Report) -> Page:
    """The interview text and metadata of a page (see the module docstring)."""
    from selectolax.lexbor import LexborHTMLParser  # only ingest needs an HTML parser

    _check_nesting(html)
    tree = LexborHTMLParser(html)
    meta = _metadata(tree)
    root = _main_content(tree)
    blocks = _Blocks(report)
    if root is not None:
        blocks.walk(root)
    return Page("\n".join(blocks.lines).strip("\n") + "\n", meta)


def _check_nesting(html: str) -> None:
    depth = 0
    for tag in _NESTING_TAG.finditer(html):
        depth = max(depth - 1, 0) if tag[1] else depth + 1
        if depth > MAX_NESTING:
            raise PageTooDeep(f"elements nested more than {MAX_NESTING:,} deep; no real page is")


def _main_content(tree: Any) -> Any:
    """The article: the ``<article>`` with the most text, unless it holds too little of the page
    to be more than a teaser card; else ``<main>``; else the body."""
    page = tree.css_first("main") or tree.css_first("[role=main]") or tree.body
    articles = tree.css("article")
    if articles and page is not None:
        largest = max(articles, key=lambda node: len(node.text(deep=True)))
        if len(largest.text(deep=True)) >= MIN_ARTICLE_SHARE * len(page.text(deep=True)):
            return largest
    return page


class _Blocks:
    """Walks the content tree (iteratively: a page may nest thousands deep) into text lines."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.lines: list[str] = []
        self.pieces: list[tuple[str, str]] = []  # text and its emphasis: "b", "i" or ""
        self.prefix = ""
        self.numbers: dict[int, int] = {}  # items seen so far in each <ol>, by the list's node id

    def walk(self, root: Any) -> None:
        stack: list[tuple[Any, str, bool]] = [(root, "", False)]
        while stack:
            node, emphasis, closing = stack.pop()
            if closing:
                self.end_list() if node.tag in ("ul", "ol") else self.flush()
                continue
            tag = node.tag
            if tag == "-text":
                self.pieces.append((node.text(deep=False), emphasis))
                continue
            if tag.startswith("-"):
                continue
            if self._dropped(node, tag):
                continue
            if tag == "br":
                self.pieces.append(("\n", emphasis))
                continue
            if tag == "hr":
                self.flush()
                self.lines += ["---", ""]
                continue
            if tag == "tr":
                self.flush()
                self._row(node)
                continue
            if tag in _BLOCKS:
                self.flush()
                self._open(node, tag)
                stack.append((node, emphasis, True))
            inner = "b" if tag in _BOLD or emphasis == "b" else "i" if tag in _ITALIC or emphasis else ""
            children = list(node.iter(include_text=True))
            for child in reversed(children):
                stack.append((child, inner, False))

    def _dropped(self, node: Any, tag: str) -> bool:
        attrs = node.attributes
        # An accordion's toggle (WAI-ARIA: <h3><button>Question?</button></h3>) holds its heading;
        # hidden or furniture ones ("Copy link", a share button) go all the same, below.
        if tag in _NEVER and not (tag == "button" and _in_heading(node)):
            kind = "navigation" if tag in ("nav", "aside", "menu") else f"<{tag}> element"
            self.report.drop(f"page {kind}", node.text(deep=True)[:60] or f"<{tag}>")
            return True
        if "hidden" in attrs or attrs.get("aria-hidden") == "true" or "display:none" in (attrs.get("style") or ""):
            return True
        if tag in _CAPTION:
            self.report.drop("photo caption", node.text(deep=True))
            return True
        label = f"{attrs.get('class') or ''} {attrs.get('id') or ''} {attrs.get('role') or ''}"
        if tag not in ("article", "main", "body", "html") and _FURNITURE.search(label):
            text = node.text(deep=True)
            if len(text) > MAX_FURNITURE_CHARS and not _COMMENTS.search(label):
                return False  # "post-body has-share-buttons": the article itself, not a share bar
            self.report.drop("page furniture (comments, share bars, related lists)", text[:60])
            return True
        return False

    def _open(self, node: Any, tag: str) -> None:
        if _is_heading(tag):
            self.prefix = "#" * int(tag[1]) + " "
        elif tag == "li":
            parent = node.parent
            if parent is not None and parent.tag == "ol":
                number = self.numbers[parent.mem_id] = self.numbers.get(parent.mem_id, 0) + 1
                self.prefix = f"{number}. "
            else:
                self.prefix = "- "

    def _row(self, node: Any) -> None:
        """A table row as one markdown line (cells of a Q&A table stay on the same row)."""
        cells = [_SPACES.sub(" ", c.text(deep=True)).strip() for c in node.iter() if c.tag in ("td", "th")]
        if any(cells):
            self.lines += ["| " + " | ".join(cells) + " |", ""]

    def flush(self) -> None:
        """End the current block: one paragraph, bold questions marked, a blank line after."""
        text = "".join(piece for piece, _ in self.pieces)
        lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
        body = "\n".join(line for line in lines if line)
        if body:
            item = self.prefix[:1] in "-0123456789" and self.prefix != ""
            self.lines += [self.prefix + _emphasis(self.pieces, body)] + ([] if item else [""])
        self.pieces, self.prefix = [], ""

    def end_list(self) -> None:
        """A list's items are one paragraph, ended by a blank line."""
        self.flush()
        if self.lines and self.lines[-1]:
            self.lines.append("")


def _is_heading(tag: str) -> bool:
    """Whether a tag is a heading's, ``h1`` to ``h6``."""
    return tag[:1] == "h" and tag[1:].isdigit()


def _in_heading(node: Any) -> bool:
    """Whether an element sits inside a heading (a button there holds the heading's text)."""
    parent = node.parent
    while parent is not None:
        if _is_heading(parent.tag):
            return True
        parent = parent.parent
    return False


def _emphasis(pieces: list[tuple[str, str]], body: str) -> str:
    """``**...**`` around a block that is all bold, or around a bold question that opens it;
    ``*...*`` around a block that is all italic (pages set questions in either)."""
    if not "".join(text for text, style in pieces if not style).strip():
        return f"**{body}**" if any(style == "b" and text.strip() for text, style in pieces) else f"*{body}*"
    bold = "".join(text for text, style in pieces if style == "b").strip()
    flat = _SPACES.sub(" ", bold.replace("\n", " "))
    first = next((style for text, style in pieces if text.strip()), "")
    if first == "b" and flat.endswith("?") and body.startswith(flat):
        return f"**{flat}**{body[len(flat):]}"
    return body


def _metadata(tree: Any) -> dict[str, Any]:
    """Title, date, author, publisher and URL from ``<title>``, meta tags and JSON-LD."""
    meta: dict[str, Any] = {}
    title = tree.css_first("title")
    if title is not None and title.text().strip():
        meta["title"] = _SPACES.sub(" ", title.text()).strip()
    names = {
        "og:title": "title", "twitter:title": "title", "og:site_name": "publisher", "og:url": "url",
        "article:published_time": "date", "datepublished": "date", "date": "date", "author": "author",
        "article:author": "author",
    }
    for node in tree.css("meta"):
        key = (node.attributes.get("property") or node.attributes.get("name") or "").lower()
        content = _SPACES.sub(" ", node.attributes.get("content") or "").strip()
        if key not in names or not content or (content.startswith("http") and names[key] != "url"):
            continue
        if names[key] == "title":  # og:title is the article's own title; <title> adds the site name
            meta["title"] = content
        else:
            meta.setdefault(names[key], content)
    canonical = tree.css_first("link[rel=canonical]")
    if canonical is not None and canonical.attributes.get("href"):
        meta.setdefault("url", canonical.attributes["href"])
    for script in tree.css('script[type="application/ld+json"]'):
        _json_ld(script.text(), meta)
    return meta


def _json_ld(text: str, meta: dict[str, Any]) -> None:
    try:
        data = json.loads(text)
    except ValueError:
        return
    items = data if isinstance(data, list) else data.get("@graph", [data]) if isinstance(data, dict) else []
    for item in items:
        if not isinstance(item, dict) or "headline" not in item and "datePublished" not in item:
            continue
        if isinstance(item.get("headline"), str):
            meta["title"] = item["headline"]
        if isinstance(item.get("datePublished"), str):
            meta["date"] = item["datePublished"]
        for key in ("author", "publisher"):
            value = item.get(key)
            value = value[0] if isinstance(value, list) and value else value
            name = value.get("name") if isinstance(value, dict) else value
            if isinstance(name, str):
                meta[key] = name
        if isinstance(item.get("url"), str):
            meta.setdefault("url", item["url"])
