"""An interview given by its URL: fetched once, within a size and a time limit.

The standard library's ``urllib`` is enough for one GET (httpx would be a dependency for a
single request). Only ``http`` and ``https`` are fetched; the body is read in chunks and the
fetch stops as soon as it passes ``Limits.max_document_bytes`` or ``Limits.fetch_seconds``
(a server that trickles bytes cannot hold it longer), so a hostile server costs bounded time
and memory. Nothing fetched is run.
"""

from __future__ import annotations

import re
import time

from ..settings import DEFAULT_LIMITS, Limits
from ..version import __version__

_URL = re.compile(r"^https?://[^\s/]+", re.IGNORECASE)
CHUNK_BYTES = 64 * 1024


class FetchError(ValueError):
    """A URL that could not be fetched whole: refused, unreachable, too slow or too large."""


def is_url(text: str) -> bool:
    """Whether an ``ingest`` argument is an http(s) URL rather than a file name.

    >>> is_url("https://example.org/interview"), is_url("interview.md")
    (True, False)
    """
    return bool(_URL.match(text))


def fetch(url: str, *, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """The body of ``url`` (redirects followed), or ``FetchError`` saying why not."""
    import urllib.error
    import urllib.request

    request = urllib.request.Request(url, headers={"User-Agent": f"askbot/{__version__} (ingest)"})
    deadline = time.monotonic() + limits.fetch_seconds
    try:
        with urllib.request.urlopen(request, timeout=limits.fetch_seconds) as response:
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > limits.max_document_bytes:
                most = limits.max_document_bytes
                raise FetchError(f"the page is {int(declared):,} bytes, over the limit of {most:,}")
            chunks: list[bytes] = []
            size = 0
            while chunk := response.read1(CHUNK_BYTES):  # what has come, so a trickle meets the deadline
                size += len(chunk)
                if size > limits.max_document_bytes:
                    raise FetchError(f"the page is over the limit of {limits.max_document_bytes:,} bytes")
                if time.monotonic() > deadline:
                    raise FetchError(f"not fetched within {limits.fetch_seconds:g} s")
                chunks.append(chunk)
    except FetchError:
        raise
    except urllib.error.HTTPError as exc:
        raise FetchError(f"the server answered {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        raise FetchError(f"cannot fetch: {exc.reason}") from None
    except TimeoutError:
        raise FetchError(f"not fetched within {limits.fetch_seconds:g} s") from None
    except (OSError, ValueError) as exc:
        raise FetchError(f"cannot fetch: {exc}") from None
    return b"".join(chunks)
