"""Text normalising for matching: one canonical form for case, quotes, accents, word endings.

Readers type "Hangzhou’s", "HANGZHOUS" and "hangzhou's"; "develop", "developing" and
"development". Everything the matcher compares goes through ``normalize`` and ``terms`` so that
these meet, while the knowledge file keeps the interviewee's words untouched.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Longer than any real question; a 1 MB paste is cut here before any work is done on it.
MAX_QUERY_CHARS = 1000

_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "′": "'", "“": '"', "”": '"', "„": '"'})
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_POSSESSIVE = re.compile(r"'(s|re|ve|ll|d|m|t)$")
# "don't" is "do not", not the name "Don": the negation stays a word of its own.
_NOT = {"can't": "can not", "won't": "will not", "shan't": "shall not", "ain't": "is not"}

STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further
    had has have having he her here hers herself him himself his i if in into is it its itself
    just me more most my myself no nor not now of off on once only or other our ours ourselves out
    over own same she should so some such than that the their theirs them themselves then there
    these they this those through to too under until up very was we were what when where which
    while who whom why will with would you your yours yourself yourselves how let please tell
    know want like get go s t re ve ll d m im dont does doesnt isnt arent wasnt also may might
    shall must us one thing things many much exactly really actually basically even still ever
    quite rather simply currently hey hi hello ok okay yeah yep yes gonna wanna gotta kinda sorta
    um uh hmm wondering wonder guess anyway anyways honestly literally stuff whatever maybe
    perhaps""".split()
)

# Chat shorthand a reader types into a terminal, written out before matching.
SHORTHAND = {
    "u": "you",
    "r": "are",
    "ur": "your",
    "y": "why",
    "wat": "what",
    "wht": "what",
    "abt": "about",
    "govt": "government",
    "gov": "government",
    "pls": "please",
    "plz": "please",
    "thx": "thanks",
    "b4": "before",
    "2day": "today",
    "tmrw": "tomorrow",
    "cuz": "because",
    "bc": "because",
    "hw": "how",
    "whats": "what is",
    "hows": "how is",
    "whos": "who is",
    "wheres": "where is",
}
_SHORTHAND_WORDS = frozenset(SHORTHAND)

# (suffix, replacement) tried longest first; a stem keeps at least three letters.
_SUFFIXES = (
    ("izations", "ize"),
    ("ization", "ize"),
    ("ational", "ate"),
    ("fulness", "ful"),
    ("iveness", "ive"),
    ("ousness", "ous"),
    ("ements", ""),
    ("ement", ""),
    ("ments", ""),
    ("ment", ""),
    ("ences", "ent"),
    ("ence", "ent"),
    ("ances", "anc"),
    ("ance", "anc"),
    ("ities", ""),
    ("ity", ""),
    ("ings", ""),
    ("ing", ""),
    ("ied", "y"),
    ("ies", "y"),
    ("edly", ""),
    ("ed", ""),
    ("ers", ""),
    ("er", ""),
    ("ly", ""),
    ("ial", ""),
    ("sses", "ss"),
    ("ss", "ss"),
    ("es", ""),
    ("s", ""),
)
_KEEP = frozenset("news bus gas lens its this his has was is does yes us plus less series".split())


def normalize(text: str, *, limit: int | None = MAX_QUERY_CHARS) -> str:
    """Lower-case, accent-free, straight-quoted text of at most ``limit`` characters (a reader's
    question is cut at ``MAX_QUERY_CHARS``; the knowledge base's own text is read whole).

    >>> normalize("  Hangzhou’s “Café”  ")
    'hangzhou\\'s "cafe"'
    """
    text = text[:limit]
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text.translate(_QUOTES))
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.casefold().split())


def words(text: str, *, limit: int | None = MAX_QUERY_CHARS) -> list[str]:
    """The words of normalised text, possessives and contractions dropped, shorthand expanded.

    >>> words("What's Hangzhou's plan? r u sure")
    ['what', 'hangzhou', 'plan', 'are', 'you', 'sure']
    >>> words("Don't they? Won't you?")
    ['do', 'not', 'they', 'will', 'not', 'you']
    """
    text = normalize(text, limit=limit)
    found: list[str] = _WORD.findall(text)
    if "'" not in text and _SHORTHAND_WORDS.isdisjoint(found):
        return found  # most texts: nothing to drop, split or expand, no per-word work
    result: list[str] = []
    for word in found:
        if word.endswith("n't"):
            result.extend(_NOT.get(word, word[:-3] + " not").split())
            continue
        word = _POSSESSIVE.sub("", word).replace("'", "")
        if word:
            result.extend(SHORTHAND.get(word, word).split())
    return result


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light suffix-stripping stem: enough for plural, tense and -ment/-ence variants.

    >>> [stem(w) for w in ("develop", "developing", "development", "developed")]
    ['develop', 'develop', 'develop', 'develop']
    >>> stem("policies") == stem("policy"), stem("confidence") == stem("confident")
    (True, True)
    """
    if len(word) <= 3 or word in _KEEP or not word.isalpha():
        return word
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)] + replacement
            break
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiouls":
        word = word[:-1]
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    return word


def terms(text: str) -> list[str]:
    """Stemmed words of ``text`` in order (duplicates kept)."""
    return [stem(word) for word in words(text)]


# A sentence ends at ".", "!" or "?" (and any closing quotes or brackets) before white space, or
# at a line break; "e.g. this" or "3.5" stay whole, as no white space follows their dot.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+|\n+")


def sentences(text: str) -> list[str]:
    """The sentences of a text, as written, empty ones left out.

    >>> sentences("Hi. So, the CDC said July 1st. Is that early?\\nYes!")
    ['Hi.', 'So, the CDC said July 1st.', 'Is that early?', 'Yes!']
    """
    return [part.strip() for part in _SENTENCE_END.split(text) if part.strip()]


def sentence_starts(text: str) -> list[int]:
    """Where each sentence of ``text`` starts (the first at 0), as ``sentences`` splits it: a
    slice from one of these keeps the text as written, closing quotes included.

    >>> sentence_starts('He said "We stop." Is it fine?')
    [0, 19]
    """
    return [0, *(found.end() for found in _SENTENCE_END.finditer(text) if found.end() < len(text))]


def asked_part(text: str) -> tuple[str, str]:
    """A question split into what it asks and its preamble: the sentences that end with a
    question mark, and the rest. A host's long question ("Hi. So, the CDC said ... Is there any
    chance he would move his timeline up?") asks in its question sentences; the sentences before
    them set the scene. A turn with no question mark (a request: "Tell us about your work.") asks
    in all of it.

    >>> asked_part("Hi. So, the CDC said July 1st. Is that early?")
    ('Is that early?', 'Hi. So, the CDC said July 1st.')
    >>> asked_part("Tell us about your work.")
    ('Tell us about your work.', '')
    """
    if "?" not in text:
        return text, ""
    found = sentences(text)
    asks = [sentence.rstrip("\"')]”’ ").endswith("?") for sentence in found]
    if not any(asks) or all(asks):
        return text, ""
    asked = " ".join(sentence for sentence, asking in zip(found, asks, strict=True) if asking)
    return asked, " ".join(sentence for sentence, asking in zip(found, asks, strict=True) if not asking)
