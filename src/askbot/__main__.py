"""``python -m askbot``: the same as the ``askbot`` command."""

from __future__ import annotations

from .app.cli import run

if __name__ == "__main__":
    run()
