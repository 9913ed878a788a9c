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
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from .noise import is_procedural

ASKER_LABELS = frozenset(
    "q question interviewer host co-host cohost moderator reporter journalist editor presenter anchor "
    "audience caller questioner".split()
)
ANSWER_LABELS = frozenset(["a", "answer"])
# Labels of what is nobody's turn: a sponsor break, a jingle, music.
BREAK_LABELS = frozenset("break jingle music intro outro sponsor ad advertisement".split())
# Forms of address any speaker may carry: unlike "Senator" or "Chairman", they tell no role.
HONORIFICS = frozenset("mr mrs ms miss mx dr prof sir dame madam mme mister".split())
CLEARLY_MORE_QUESTIONS = 0.3  # difference in the share of turns that end asking
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
    """A name as it should be shown: ``JANE DOE`` -> ``Jane Doe``, ``Mr. HAKIM`` -> ``Mr. Hakim``;
    initials (``JD``) stay.

    >>> display("JANE DOE"), display("Mr. HAKIM"), display("JD"), display("Chairman INOUYE")
    ('Jane Doe', 'Mr. Hakim', 'JD', 'Chairman Inouye')
    """
    if name.isupper() and " " in name or name.isupper() and len(name) > 3:
        return " ".join(word.capitalize() for word in name.split())
    return " ".join(word.capitalize() if word.isupper() and len(word) > 3 else word for word in name.split())


def unify(labels: Iterable[str]) -> dict[str, str]:
    """Map each label to the fullest label naming the same person (in linear time: a short form
    is looked up by initials, first and last name, never compared with every full name).

    >>> unify(["Jane Doe", "JD", "Bob Smith", "MR. SMITH", "Anna | Pod", "Anna"])["JD"]
    'Jane Doe'
    """
    bases = {label: base_label(label) for label in dict.fromkeys(labels)}
    full = {b for b in bases.values() if len(_TITLES.sub("", b).split()) >= 2}
    by_short_form: dict[str, set[str]] = {}
    for name in full:
        words = _TITLES.sub("", name).split()
        for form in {"".join(w[0] for w in words), words[0], words[-1]}:
            by_short_form.setdefault(form.casefold(), set()).add(name)
    names: dict[str, str] = {}
    for label, base in bases.items():
        short = _TITLES.sub("", base).split()
        matches = by_short_form.get(short[0].rstrip(".").casefold(), set()) if len(short) == 1 else set()
        names[label] = base if base in full or len(matches) != 1 else next(iter(matches))
    return names


def cast(
    turns: Sequence[tuple[str, str]],
    *,
    interviewers: Iterable[str] = (),
    interviewees: Iterable[str] = (),
    questions_marked: bool = False,
) -> Cast:
    """Decide names and roles from ``(label, text)`` turns in transcript order.

    ``interviewers`` (a byline) ask; ``interviewees`` (a front matter's guests or speakers) are
    not taken for hosts. With ``questions_marked`` (a press briefing's ``Q`` lines ask), named speakers answer
    unless their label or the byline says they interview.
    """
    names = unify(label for label, _ in turns)
    guests = [*interviewees, *introduced([(names[label], text) for label, text in turns[:INTRODUCTION_TURNS]])]
    count, asked, words = _evidence(turns, names, brief=False)
    if sum(1 for n in words.values() if n) < 2:
        # One-word answers ("Curiosity."): the brief turns are all the evidence there is
        count, asked, words = _evidence(turns, names, brief=True)
    speakers = list(count)  # first to speak first
    for who in speakers:
        count[who] = max(count[who], 1)
    named = {n.casefold() for n in interviewers}
    askers = {s for s in speakers if s.casefold() in ASKER_LABELS or s.casefold() in named}
    if not askers and not questions_marked:
        askers = _askers_by_turns([(names[label], text) for label, text in turns], count, asked, words)
        # A guest the document names does not ask, unless that leaves no one asking (the list
        # named the host too).
        askers = {s for s in askers if not _named(s, guests)} or askers
        askers |= _colleagues(askers, speakers)
    if askers and len(askers) == len(speakers) and len(speakers) > 1:
        # Everyone asks: the one with the longest turns answers.
        askers.discard(max(speakers, key=lambda s: words[s] / count[s]))
    answerers = tuple(s for s in speakers if s not in askers)
    return Cast(names, frozenset(askers), answerers)


INTRODUCTION_TURNS = 6  # the opening turns, where a host says who the guests are
_INTRODUCING = re.compile(
    r"(?:joined (?:today |again |here )?by|welcome (?:back )?(?:to the show )?"
    r"|our guests? (?:today |this week )?(?:is|are)?|with us (?:today |this week )?(?:is|are)"
    r"|(?:talking|speaking|chatting|sitting down) (?:today )?(?:to|with)"
    r"|here with|(?:we|i) have|interview(?:ing)?|introduce)\s",
    re.IGNORECASE,
)
_CAPITALISED = re.compile(r"\b[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)*")
_COHOST = re.compile(r"co-?hosts?|my (?:friend and )?(?:partner|colleague)", re.IGNORECASE)


def introduced(turns: Sequence[tuple[str, str]]) -> list[str]:
    """Names another speaker introduces in the opening turns ("We're joined by Andy Hunt and
    Dave Thomas", "Welcome, Jack"): the guests, whoever then asks a rhetorical question. A co-host
    introduced as one is no guest.

    >>> introduced([("Jerod Santo", "Today we're joined by Andy Hunt and Dave Thomas. Thanks!")])
    ['Andy Hunt', 'Dave Thomas']
    """
    found: list[str] = []
    for speaker, text in turns:
        for cue in _INTRODUCING.finditer(text):
            sentence = re.split(r"(?<=[.!?])\s", text[cue.end() : cue.end() + 200], maxsplit=1)[0]
            if _COHOST.search(sentence):
                continue
            found += [name for name in _CAPITALISED.findall(sentence) if not _named(name, [speaker])]
    return list(dict.fromkeys(found))


def _colleagues(askers: set[str], speakers: Sequence[str]) -> set[str]:
    """Speakers whose title ("Senator Black" beside "Senator Greene") more askers than answerers
    share: the other questioners of a hearing's panel, however little each of them says."""

    def title(name: str) -> str | None:
        words = name.split()
        first = words[0].rstrip(".").casefold() if len(words) >= 2 else None
        return None if first in HONORIFICS else first  # "Mr." is on both sides of a hearing

    asking = Counter(title(s) for s in askers)
    answering = Counter(title(s) for s in speakers if s not in askers)
    return {s for s in speakers if title(s) is not None and asking[title(s)] > answering[title(s)]}


def _evidence(
    turns: Sequence[tuple[str, str]], names: dict[str, str], *, brief: bool
) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """Per speaker: substantive turns, those that end asking, and words. A brief turn ("Right.",
    under four words) counts only with ``brief`` or when it asks ("Why C?"); a procedural one
    ("Thank you, Jane.") never says who asks."""
    count: dict[str, int] = {}
    asked: dict[str, int] = {}
    words: dict[str, int] = {}
    for label, text in turns:
        who = names[label]
        count.setdefault(who, 0)
        asked.setdefault(who, 0)
        words.setdefault(who, 0)
        if not brief and len(text.split()) < 4 and not text.rstrip().endswith("?") or is_procedural(text):
            continue
        count[who] += 1
        asked[who] += "?" in text[-200:]  # a host's turn ends by asking; a guest's may ask on the way
        words[who] += len(text.split())
    return count, asked, words


def _named(speaker: str, names: Iterable[str]) -> bool:
    """Whether a speaker is one of ``names``: the same name, or its first or last word."""
    words = _TITLES.sub("", speaker).casefold().split()
    for name in names:
        parts = _TITLES.sub("", name).casefold().split()
        if words and parts and (words == parts or len(words) == 1 and words[0] in (parts[0], parts[-1])):
            return True
    return False


def _askers_by_turns(
    turns: Sequence[tuple[str, str]], count: dict[str, int], asked: dict[str, int], words: dict[str, int]
) -> set[str]:
    """Who asks, from substantive turns: the one who says most answers. With two people the
    other asks, unless the one who says most clearly asks more often. With more, anyone who asks
    more often than they do is a host, and so is anyone who never speaks first after a question
    but reacts to the guest (a co-host commenting); panellists who answer first stay answerers.
    A silent co-guest who only says "Hey." is neither."""
    talking = [s for s in count if words[s]]
    if len(talking) < 2:
        return set()
    def ratio(s: str) -> float:
        return asked[s] / count[s]

    main = max(talking, key=lambda s: (words[s], -ratio(s)))
    if len(talking) == 2:
        # The one who clearly asks more often; else the one who says less.
        other = next(s for s in talking if s != main)
        return {main if ratio(main) - ratio(other) >= CLEARLY_MORE_QUESTIONS else other}

    def length(s: str) -> float:
        return words[s] / count[s]

    askers = {
        s
        for s in talking
        if s != main and (ratio(s) > ratio(main) or ratio(s) == ratio(main) > 0 and length(s) < length(main))
    }
    if not askers and ratio(main) > 0:
        askers = {main}  # the one who talks most also asks most: a host with brief guests
    first_after_question: dict[str, int] = {}
    after_main: dict[str, int] = {}
    for (who, text), (nxt, _) in pairwise(turns):
        if who in askers and "?" in text[-200:] and nxt not in askers:
            first_after_question[nxt] = first_after_question.get(nxt, 0) + 1
        if who == main:
            after_main[nxt] = after_main.get(nxt, 0) + 1
    if askers:
        # A co-host reacts to the guest and never answers first; a panellist answers after
        # another panellist, not after the guest who talks most.
        askers |= {
            s
            for s in talking
            if s not in askers and s != main and not first_after_question.get(s) and 2 * after_main.get(s, 0) > count[s]
        }
    return askers
