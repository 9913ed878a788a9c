"""Who is who in a labelled transcript: one person under several labels, and who asks.

Decided from the whole transcript, not from the first lines: a label that is the initials, the
first or the last name of a fuller label (``JD``, ``Jane``, ``MS. DOE`` for ``Jane Doe``) is the
same person; a pipe adds a show or company (``Anna | Some Podcast``) that is not part of the
name. Askers are the speakers whose turns are questions (by share of turns holding a "?", then
by shorter turns, then by who speaks first), plus any named as interviewer by their label or the
byline; everyone else answers. Any number of hosts and guests is allowed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .noise import is_procedural

ASKER_LABELS = frozenset(
    "q question interviewer host co-host cohost moderator reporter journalist editor presenter anchor "
    "audience caller questioner".split()
)
ANSWER_LABELS = frozenset(["a", "answer"])
_TITLES = re.compile(r"^(?:mr|mrs|ms|miss|dr|prof|sen|rep|gen|adm|amb|sir|dame)\.?\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Cast:
    """Canonical names for the labels, and who among them asks."""

    names: dict[str, str]
    askers: frozenset[str]
    answerers: tuple[str, ...]

    def name(self, label: str) -> str:
        """The canonical name for a label as written."""
        return self.names.get(label, label)


def base_label(label: str) -> str:
    """A label without a pipe suffix, bold markers or extra spaces.

    >>> base_label("Anna | Some Podcast")
    'Anna'
    """
    return " ".join(label.split("|", 1)[0].strip("*_ ").split())


def display(name: str) -> str:
    """A name as it should be shown: ``JANE DOE`` -> ``Jane Doe``; ``JD`` stays."""
    if name.isupper() and " " in name or name.isupper() and len(name) > 3:
        return " ".join(word.capitalize() for word in name.split())
    return name


def unify(labels: Iterable[str]) -> dict[str, str]:
    """Map each label to the fullest label naming the same person.

    >>> unify(["Jane Doe", "JD", "Bob Smith", "MR. SMITH", "Anna | Pod", "Anna"])["JD"]
    'Jane Doe'
    """
    labels = list(dict.fromkeys(labels))
    bases = {label: base_label(label) for label in labels}
    full = [b for b in dict.fromkeys(bases.values()) if len(_TITLES.sub("", b).split()) >= 2]
    names: dict[str, str] = {}
    for label, base in bases.items():
        if base in full:
            names[label] = base
            continue
        matches = [f for f in full if _same_person(base, f)]
        names[label] = matches[0] if len(matches) == 1 else base
    return names


def _same_person(short: str, full: str) -> bool:
    words = _TITLES.sub("", full).split()
    short_words = _TITLES.sub("", short).split()
    if not short_words:
        return False
    if len(short_words) == 1:
        word = short_words[0].rstrip(".").casefold()
        initials = "".join(w[0] for w in words).casefold()
        return word == initials or word in (words[0].casefold(), words[-1].casefold())
    return False


def cast(
    turns: Sequence[tuple[str, str]], *, interviewers: Iterable[str] = (), questions_marked: bool = False
) -> Cast:
    """Decide names and roles from ``(label, text)`` turns in transcript order.

    With ``questions_marked`` (a press briefing's ``Q`` lines ask), named speakers answer unless
    their label or the byline says they interview.
    """
    names = unify(label for label, _ in turns)
    count: dict[str, int] = {}
    asked: dict[str, int] = {}
    words: dict[str, int] = {}
    for label, text in turns:
        who = names[label]
        count.setdefault(who, 0)
        asked.setdefault(who, 0)
        words.setdefault(who, 0)
        if len(text.split()) < 4 or is_procedural(text):
            continue  # "Right.", "Thank you, Jane.": says nothing about who asks
        count[who] += 1
        asked[who] += "?" in text
        words[who] += len(text.split())
    speakers = list(count)  # first to speak first
    for who in speakers:
        count[who] = max(count[who], 1)
    named = {n.casefold() for n in interviewers}
    askers = {s for s in speakers if s.casefold() in ASKER_LABELS or s.casefold() in named}
    answer_labelled = {s for s in speakers if s.casefold() in ANSWER_LABELS}
    if not askers and not questions_marked:
        def asking(s: str) -> tuple[float, float, int]:
            return (asked[s] / count[s], -words[s] / count[s], -speakers.index(s))

        best = max((s for s in speakers if s not in answer_labelled), key=asking, default=None)
        if best is not None:
            askers.add(best)
            ratio = asked[best] / count[best]
            length = words[best] / count[best]
            for s in speakers:
                if s in answer_labelled or s == best:
                    continue
                mine = asked[s] / count[s]
                if mine >= 0.5 and mine >= 0.7 * ratio and words[s] / count[s] <= 2 * length:
                    askers.add(s)
    if len(askers) == len(speakers) and len(speakers) > 1:
        # Everyone asks: the one with the longest turns answers.
        askers.discard(max(speakers, key=lambda s: words[s] / count[s]))
    answerers = tuple(s for s in speakers if s not in askers)
    return Cast(names, frozenset(askers), answerers)
