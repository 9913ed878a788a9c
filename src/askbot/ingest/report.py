"""What ingest read and what it left out, gathered while it works and told on stderr.

Every removal is reported: a reader who brings their own interview must be able to see what did
not make it into the knowledge file and why, one line per kind of thing (``--verbose``: all).
Turns are counted with their words, kept or dropped, asking or answering, so the summary can say
what share of the transcript was lost, and say it loudly when much of what answerers said was.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# More than this share of the answerers' words dropped, and the report says so first and loudly:
# a tenth is where a reader would miss a whole answer (the Lenny's Podcast lost 31 turns).
LOUD_ANSWER_LOSS = 0.10
#: What an answerer says after a host's remark that asks nothing (or under a heading that is no
#: question): dropped, unless ``askbot ingest --comments`` makes such remarks questions.
REPLY_TO_REMARK = "reply to small talk, or text under a heading"
# The loud warning names ``--comments`` when the replies it would keep are this share of what was
# lost or more: then it is the remedy, not a footnote (The Changelog #400: 381 of 997 words).
COMMENTS_HINT = 1 / 3


@dataclass
class Report:
    """Things dropped or skipped, by kind, in the order they were met, and the turns' words."""

    dropped: dict[str, list[tuple[int | None, str]]] = field(default_factory=dict)
    # (role, kept) -> [turns, words]; role "Q" for askers' turns, "A" for answerers'.
    turns: dict[tuple[str, bool], list[int]] = field(default_factory=dict)
    # Answer words dropped, by the kind of drop.
    answer_loss: dict[str, int] = field(default_factory=dict)
    # Of those, the words of replies to a host's remark that ``--comments`` would keep (the remark
    # and its reply long enough to prompt, in a cast where remarks do not by default).
    remark_replies: int = 0

    def drop(self, kind: str, example: str, line: int | None = None) -> None:
        """Note one thing left out: ``kind`` names it ("share/ad line"), ``example`` shows it."""
        shown = example.strip()
        if len(shown) > 80:
            shown = shown[:77] + "..."
        self.dropped.setdefault(kind, []).append((line, shown))

    def absorb(self, other: Report) -> None:
        """Take over what ``other`` dropped: a trial's report, kept once its result is used."""
        for kind, met in other.dropped.items():
            self.dropped.setdefault(kind, []).extend(met)

    def turn(self, role: str, text: str, *, kept: bool, kind: str = "") -> None:
        """Count one speaker's turn (``role`` "Q" or "A"), kept or dropped (as ``kind``)."""
        words = len(text.split())
        counts = self.turns.setdefault((role, kept), [0, 0])
        counts[0] += 1
        counts[1] += words
        if role == "A" and not kept:
            self.answer_loss[kind] = self.answer_loss.get(kind, 0) + words

    def retract(self, role: str, text: str, *, kind: str) -> None:
        """A turn counted as kept that was dropped after all (a remark that turned out no answer)."""
        counts = self.turns.setdefault((role, True), [0, 0])
        counts[0] -= 1
        counts[1] -= len(text.split())
        self.turn(role, text, kept=False, kind=kind)

    def answer_share_dropped(self) -> float:
        """The share of answering turns' words that made it into no answer."""
        kept = self.turns.get(("A", True), [0, 0])[1]
        lost = self.turns.get(("A", False), [0, 0])[1]
        return lost / (kept + lost) if kept + lost else 0.0

    def summary(self, *, comments: bool = False) -> list[str]:
        """Kept and dropped turns with their share of the words; a warning first when more than
        ``LOUD_ANSWER_LOSS`` of the answer text was dropped, which names ``--comments`` when the
        replies it would keep are ``COMMENTS_HINT`` of that or more and the reader did not ask for
        them (``comments``)."""
        total = sum(words for _, words in self.turns.values())
        if not total:
            return []
        out = []
        share = self.answer_share_dropped()
        if share > LOUD_ANSWER_LOSS:
            kinds = ", ".join(f"{kind} {words:,} words" for kind, words in sorted(
                self.answer_loss.items(), key=lambda item: -item[1]))
            lost = self.turns.get(("A", False), [0, 0])[1]
            remarks = not comments and self.remark_replies >= COMMENTS_HINT * lost
            hint = "; --comments keeps what answers a host's remark" if remarks else ""
            out.append(
                f"WARNING: {share:.0%} of what the answerers said is in no answer ({kinds}); "
                f"check the file, and --verbose lists each dropped turn{hint}"
            )
        parts = []
        for role, name in (("Q", "asking"), ("A", "answering")):
            for kept in (True, False):
                turns, words = self.turns.get((role, kept), [0, 0])
                if turns:
                    parts.append(f"{name} {'kept' if kept else 'dropped'} {turns:,} ({words / total:.0%} of words)")
        out.append("turns: " + ", ".join(parts))
        return out

    def lines(self, *, verbose: bool = False) -> list[str]:
        """One line per kind (count and first example), or every item when ``verbose``, kinds in
        the order ingest met them; within a kind, "first" and the items go by line in the
        document, not by the order ingest met them (it trims an answer's end before it reads the
        next turn's start).

        >>> report = Report()
        >>> report.drop("timestamp line", "[12:00]", 40)
        >>> report.drop("timestamp line", "[00:10]", 3)
        >>> report.lines()
        ["dropped timestamp line x2, first at line 3: '[00:10]'"]
        """
        out = []
        for kind, met in self.dropped.items():
            items = sorted(met, key=lambda item: (item[0] is None, item[0] or 0))
            if verbose:
                out += [f"dropped {kind}{_at(line)}: {shown!r}" for line, shown in items]
            else:
                line, shown = items[0]
                out.append(f"dropped {kind} x{len(items)}, first{_at(line)}: {shown!r}")
        return out


def _at(line: int | None) -> str:
    return f" at line {line}" if line else ""
