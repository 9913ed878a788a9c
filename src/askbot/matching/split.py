"""An answer cut into sentences, each a verbatim span of it: what the sentence model embeds,
and what the chat quotes of an answer.

A reader often asks about something an answer says, not what its question asked ("how many
people came?" of an answer that gives the figure in its third sentence). A sentence model
hears that in the sentence, and loses it in a whole answer: the answer's vector is an average
of everything it says, and past 256 tokens the model reads nothing at all. So each answer is
embedded sentence by sentence.

The cut is plain: at line breaks, and after a full stop, question or exclamation mark (with
any closing quote or bracket) followed by a space and something that does not go on in lower
case. Not after an initial or an abbreviation written with a stop inside it ("J. Smith",
"U.S. policy") or without vowels ("Mr. Lee", "Dr. Ng"), which would cut a name in two; no
list of words is needed for that. A piece of fewer than ``Limits.sentence_words`` words
("Yes.", "Right.") says nothing alone and is kept with the sentence after it. Each sentence is
``text[start:end]``: nothing is rewritten, so what the model read can be shown as the answer
says it.
"""

from __future__ import annotations

import re

# An end of sentence: the stop itself (group "stop": one or more of . ! ? …, then closing quotes
# or brackets), the space after it, and a look at what follows: not a lower-case letter.
_END = re.compile(r"(?P<stop>[.!?…]+[\"'”’)\]]*)\s+(?=[^\s\w]*[^\W\d_a-z]|[^\s\w]*\d|[\"“‘(\[])")
_WORD_BEFORE = re.compile(r"(\S+)$")
_VOWEL = re.compile(r"[aeiouyAEIOUY]")


def sentence_spans(text: str, *, min_words: int = 1) -> list[tuple[int, int]]:
    """The (start, end) of each sentence of ``text``, in order, without surrounding space.

    Pieces of fewer than ``min_words`` words go with the sentence after them (the last with
    the one before).

    >>> text = "Yes. Mr. Lee came in 2019. We had 140 people!\\nIt worked."
    >>> [text[s:e] for s, e in sentence_spans(text)]
    ['Yes.', 'Mr. Lee came in 2019.', 'We had 140 people!', 'It worked.']
    >>> [text[s:e] for s, e in sentence_spans(text, min_words=2)]
    ['Yes. Mr. Lee came in 2019.', 'We had 140 people!', 'It worked.']
    >>> sentence_spans("   ")
    []
    """
    pieces: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n\r]+", text):
        start = line.start()
        for end in _ends(line.group()):
            pieces.append(_stripped(text, start, line.start() + end))
            start = line.start() + end
        pieces.append(_stripped(text, start, line.end()))
    pieces = [(s, e) for s, e in pieces if s < e]
    return _joined(text, pieces, min_words)


def _ends(line: str) -> list[int]:
    """Where sentences end in one line (just after the stop), abbreviations and initials left whole."""
    ends = []
    for found in _END.finditer(line):
        stop = found.start("stop")
        before = _WORD_BEFORE.search(line, 0, stop)
        word = before.group(1) if before else ""
        letters = word.strip("\"'“‘([")
        if line[stop] == "." and (
            (len(letters) == 1 and letters.isalpha())
            or "." in letters
            or (letters[:1].isupper() and letters.isalpha() and not _VOWEL.search(letters))
        ):
            continue
        ends.append(found.end("stop"))
    return ends


def _stripped(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _joined(text: str, pieces: list[tuple[int, int]], min_words: int) -> list[tuple[int, int]]:
    """Each piece of fewer than ``min_words`` words run on into the next one (the last into the
    one before it): the joined span still reads verbatim in ``text``."""
    joined: list[tuple[int, int]] = []
    carried: int | None = None
    for start, end in pieces:
        begin = start if carried is None else carried
        if len(text[start:end].split()) < min_words:
            carried = begin
            continue
        joined.append((begin, end))
        carried = None
    if carried is not None:
        if joined:
            joined[-1] = (joined[-1][0], pieces[-1][1])
        else:
            joined.append((carried, pieces[-1][1]))
    return joined
