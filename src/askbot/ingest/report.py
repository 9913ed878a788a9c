"""What ingest read and what it left out, gathered while it works and told on stderr.

Every removal is reported: a reader who brings their own interview must be able to see what did
not make it into the knowledge file and why, one line per kind of thing (``--verbose``: all).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Report:
    """Things dropped or skipped, by kind, in the order they were met."""

    dropped: dict[str, list[tuple[int | None, str]]] = field(default_factory=dict)

    def drop(self, kind: str, example: str, line: int | None = None) -> None:
        """Note one thing left out: ``kind`` names it ("share/ad line"), ``example`` shows it."""
        shown = example.strip()
        if len(shown) > 80:
            shown = shown[:77] + "..."
        self.dropped.setdefault(kind, []).append((line, shown))

    def lines(self, *, verbose: bool = False) -> list[str]:
        """One line per kind (count and first example), or every item when ``verbose``."""
        out = []
        for kind, items in self.dropped.items():
            if verbose:
                out += [f"dropped {kind}{_at(line)}: {shown!r}" for line, shown in items]
            else:
                line, shown = items[0]
                out.append(f"dropped {kind} x{len(items)}, first{_at(line)}: {shown!r}")
        return out


def _at(line: int | None) -> str:
    return f" at line {line}" if line else ""
