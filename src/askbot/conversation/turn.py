"""One question's turn, decided once for every front end: a line and the conversation's state in,
the decision and the next state out.

``askbot ask`` calls ``decide`` with the empty ``State`` (a script has no conversation), the chat
with its own, and a web page would keep one per visitor: the same question gets the same decision
everywhere, and the state carries all a conversation remembers (``state.State``).

How a question is read, in order:

1. **About the interview itself** ("who interviewed him?"): answered from the source details.
2. **A repair** of the answer just shown ("no, I meant the funding one", "the other one"): what
   the reader says they meant is read without the answer they reject (nor what they name as not
   meant), first alone, then with the question it corrects as context.
3. **A compound question** ("when ... and who ...?"): each part in turn, a later part leaning on
   the answer to an earlier one ("who pays for it?").
4. **Alone**, as ``askbot ask`` reads it. A confident answer stands: a complete new question is
   never pulled back to the last topic. The answer just read, asked for again, says so ("That
   is the answer just above"), also when the words it lacks are common English ones ("would he
   take the role again?"); asked for a rarer word it has nowhere, askbot says it finds nothing
   more than that answer (``_asks_beyond``).
5. **Against the last answer**, when alone it is not confident: the matcher scores the line with
   the last question as its context (the line's words weigh more; what it negates, contradicts or
   asks the kind of is read from its own words). The turn answers only what the matcher is then
   confident in, and only an entry the line's own words support: context is topic, never
   evidence. It never answers with the entry just shown, whose own question is the context and so
   always gains: a line that comes back to it ("which company was that?") is told that askbot
   finds nothing beyond that answer, or, when it asks in the answer's words and common ones
   only ("what did they mean by research?"), pointed to it. A line that, alone, is incomplete
   (it refers back or leaves out what it asks about) and that the context cannot tie to any
   entry says so and offers the nearest ones. Such a line may ask what the interviewer asked
   next or just before: with the sentence model, its first candidate alone, when it is one of
   those, is judged with its odds raised (``_nearby``); the sentence model's reading of the
   line is then what supports it, as for any answer the model gives.
6. Otherwise the matcher's own verdict: "did you mean" or "not covered".
"""

import re
from collections.abc import Collection, Sequence
from typing import Literal, NamedTuple

from ..matching import english
from ..matching.matcher import Matcher
from ..matching.split import sentence_spans
from ..matching.text import STOPWORDS, normalize, stem, words
from ..model import Candidate, Entry, KnowledgeBase, Match, Source
from ..settings import DEFAULT_CONVERSATION_SETTINGS, ConversationSettings
from . import meta, shapes, shelf
from .meta import MetaAnswer
from .state import State

#: What a turn does with the question: answer it from the source details (a question about the
#: interview itself); ask whose answer (two or more interviews answer it about as well); answer
#: it from one entry; say it asks again for the answer just read ("again"); say nothing beyond the
#: answer just read speaks of it ("no-more"); offer "did you mean" choices; say the interview does
#: not cover it; or answer each part of a compound question ("parts").
#: (Strings, not an ``Enum``: making the class would cost every ``askbot ask`` a fifth of a
#: millisecond.)
Decision = Literal["meta", "whose", "answer", "again", "no-more", "choices", "unknown", "parts"]
#: How the line was read: on its own, against the last answer, or as a repair of it.
Reading = Literal["alone", "context", "repair"]

_EMPTY = State()
# A line break inside a paragraph (not a blank line): where a transcript wrapped a full line.
_WRAPPED = re.compile(r"(?<!\n)\n(?!\n)")
#: The highest chance a confidence is read as, so that its odds stay finite.
_SURE = 0.999


class Quote(NamedTuple):
    """A sentence of an answer, verbatim but for its white space made single, and where in it
    the word it was chosen for starts (a front end cuts a long one around it)."""

    text: str
    at: int


class Turn(NamedTuple):
    """One question's decision, what a front end needs to show it, and the state after it."""

    decision: Decision
    #: The matcher's verdict (for "meta" too, where the interview did not ask the question); for
    #: a compound question, the verdict on the line as a whole (``askbot ask --json``'s fields).
    match: Match
    #: The reply from the source details, for "meta".
    meta: MetaAnswer | None = None
    #: The best entry of each interview that answers about as well as the best, for "whose".
    rivals: tuple[Entry, ...] = ()
    #: Questions to offer instead, for "unknown".
    suggestions: tuple[Entry, ...] = ()
    #: Related questions to list after an answer, those not read yet first.
    related: tuple[Entry, ...] = ()
    reading: Reading = "alone"
    #: The answer the line was read against ("context") or that it rejects ("repair").
    leaned_on: Entry | None = None
    #: Each part's turn, for "parts".
    parts: tuple["Turn", ...] = ()
    #: For "again" and "no-more": the sentence of the answer just read that holds most of what
    #: the line asks (``closest_sentence``), so the reader need not look for it.
    quote: Quote | None = None
    #: The conversation after this turn.
    state: State = _EMPTY

    @property
    def answered(self) -> bool:
        """Whether the reader got an answer (the exit code of ``askbot ask``)."""
        if self.decision == "parts":
            return any(part.answered for part in self.parts)
        return self.decision == "meta" or self.match.entry is not None

    @property
    def answers(self) -> tuple[Entry, ...]:
        """The entries whose answers this turn gives, in order (the answer just read, for "again")."""
        if self.decision == "parts":
            return tuple(entry for part in self.parts for entry in part.answers)
        return () if self.match.entry is None else (self.match.entry,)

    @property
    def listed(self) -> tuple[Entry, ...]:
        """The numbered list the reply shows (a number picks from it), perhaps none."""
        if self.decision == "whose":
            return self.rivals
        if self.decision == "choices":
            return tuple(candidate.entry for candidate in self.match.alternatives)
        if self.decision == "unknown":
            return self.suggestions
        if self.decision == "parts":  # one list on screen: the related questions of the last answer
            answered = [part for part in self.parts if part.answers]
            return answered[-1].related if answered else ()
        return self.related


def decide(
    matcher: Matcher,
    question: str,
    *,
    settings: ConversationSettings = DEFAULT_CONVERSATION_SETTINGS,
    state: State = _EMPTY,
) -> Turn:
    """The turn for ``question`` put to ``matcher``'s knowledge in the conversation ``state``
    (the empty one for a question asked on its own, as ``askbot ask`` asks it)."""
    pieces = shapes.parts(question)
    if len(pieces) > 1:
        compound = _compound(matcher, question, pieces, settings, state)
        if compound is not None:
            return compound
    return _single(matcher, question, settings, state, ask_whose=True)


def _single(matcher: Matcher, question: str, settings: ConversationSettings, state: State, *, ask_whose: bool) -> Turn:
    """One question's turn, read in the module's order; ``ask_whose`` unless it is a part of a
    compound question (one question back to the reader at a time)."""
    kb = matcher.knowledge
    last = kb.get(state.last) if state.last is not None else None
    people = meta.People.of(kb.sources)
    kind = meta.kind_of(question, people, max_words=settings.meta_words)
    # Source details that do not hold what is asked ("what is her job?" of a file with no role)
    # give way to the interview's confident answer to a question of its own that asks it ("Tell
    # us about your job"), not to an answer that only mentions a job.
    lacking: Turn | None = None
    if kind is not None and not meta.asked_in(matcher.extract_one(question, score_cutoff=matcher.threshold), people):
        about = _about(kb.sources, question, kind, last)
        reply = meta.answer(kind, about, kb)
        turn = Turn("meta", Match(query=question, entry=None, score=100.0), meta=reply)
        if meta.given(kind, about):
            return _after(turn, state, question)
        lacking = turn
    if state.asked is not None:
        fix = shapes.repair(normalize(question))
        if fix is not None:
            # The answer shown last, or offered again under "Did you mean" (not the other choices:
            # "no, I meant the timetable" may name one of them).
            shown = state.decision in ("answer", "again", "no-more")
            offered = state.decision == "choices" and last is not None and last.id in state.listed
            rejected = last if shown or offered else None
            return _after(_repair(matcher, question, fix, settings, state, rejected), state, question)
    if last is not None and shapes.leans_back(words(question)):
        # Likely read against the last answer too: the model embeds both readings at once.
        matcher.remember([(question, None), (question, last.question)])
    alone = matcher.match(question, limit=settings.related)
    if lacking is not None and (alone.entry is None or not _asks_it(question, alone.entry)):
        return _after(lacking, state, question)
    if ask_whose and len(kb.sources) > 1:
        candidates = matcher.extract(question, limit=10)
        floor = matcher.threshold - matcher.settings.suggest_below
        rivals = shelf.rivals(candidates, threshold=matcher.threshold, margin=settings.tie_margin, floor=floor)
        if rivals:
            return _after(Turn("whose", alone, rivals=tuple(rivals)), state, question)
    if alone.entry is not None:
        return _after(_answer(matcher, alone, settings, state), state, question)
    if last is not None:
        leaning = _against(matcher, question, alone, last, settings, state)
        if leaning is not None:
            return _after(leaning, state, question)
    return _after(_unsure(alone, kb, settings, state), state, question)


def _answer(
    matcher: Matcher,
    match: Match,
    settings: ConversationSettings,
    state: State,
    *,
    reading: Reading = "alone",
    leaned_on: Entry | None = None,
) -> Turn:
    """An answer from ``match.entry``; "again" when it is the answer the reader just read and
    holds what the line asks; "no-more" when the line asks it for a word it has nowhere that is
    not a common one (``_asks_beyond``: "which consensus method does her lab use?" right after
    the answer about her lab): the reader has read that answer and wants what it does not say."""
    entry = match.entry
    assert entry is not None
    related = related_questions(matcher, entry, read=state.read, limit=settings.related)
    if entry.id != state.last:
        return Turn("answer", match, related=related, reading=reading, leaned_on=leaned_on)
    quote = closest_sentence(match.query, entry, rarity=settings.again_rarity)
    if match.why is not None and _asks_beyond(match.why.unmatched, settings):
        no_more = match._replace(entry=None)
        return Turn("no-more", no_more, related=related, reading=reading, leaned_on=entry, quote=quote)
    return Turn("again", match, related=related, reading=reading, leaned_on=leaned_on, quote=quote)


def _unsure(match: Match, kb: KnowledgeBase, settings: ConversationSettings, state: State) -> Turn:
    """ "Did you mean" when the matcher has suggestions, else "not covered" with a spread of
    questions the reader has not read."""
    if match.alternatives:
        return Turn("choices", match)
    return Turn("unknown", match, suggestions=tuple(kb.sample(settings.suggestions, skip=state.read)))


def _against(
    matcher: Matcher, question: str, alone: Match, last: Entry, settings: ConversationSettings, state: State
) -> Turn | None:
    """The line read against the last answer, or ``None`` when the matcher's verdict on it
    alone stands (a complete question the context does not make clear).

    Only entries the line's own words point at count, and only one the line alone makes at least
    a "did you mean" is answered: the context is topic, never evidence. The entry just read gains
    most from it (its own question is the context), so with none of the line's words it is passed
    over like any other ("and students?" after the companies' support is about students'
    support). When it is still the best, or the line has no word of its own ("why?"), the line is
    about that answer, and nothing is answered in its place: askbot points to it when the words it
    lacks are common ones ("what did they mean by research?"), and otherwise says it finds nothing
    more than it. A line with no word it lacks goes the second way, unlike one the entry answers
    alone (``_answer``): its words are the answer's, yet alone they did not make it confident, so
    it asks for a detail the answer leaves out ("which company was that at?"). One exception,
    with the sentence model: a line that leans back and alone put a question asked near that
    answer first is judged with the interviewer's order as a prior (``_nearby``), whatever the
    context reading chose.
    """
    scored = matcher.extract(question, limit=matcher.settings.pool, context=last.question)
    supported = [candidate for candidate in scored if candidate.why.matched]
    best = _confident(supported, matcher)
    band = matcher.threshold - matcher.settings.suggest_below
    # Context lifts only what the line alone makes at least a "did you mean".
    nearly = {candidate.entry.id for candidate in alone.alternatives}
    if best is None and alone.ambiguous and supported and supported[0].entry.id in nearly:
        # The line alone is a near tie of entries it would each be answered by (the matcher
        # asks which was meant): which one is what the context settles.
        best = supported[0]
    found = words(question)
    leaning, wordless = shapes.leans_back(found), all(word in STOPWORDS for word in found)
    chosen = best if best is not None and best.entry != last and best.entry.id in nearly else None
    if chosen is None and leaning and not wordless and matcher.semantic is not None:
        chosen = _nearby(matcher, alone, last, settings)
    if chosen is not None:
        match = Match(
            query=question,
            entry=chosen.entry,
            score=chosen.score,
            follow_ups=tuple(matcher.follow_ups(chosen.entry, limit=settings.related)),
            why=chosen.why,
        )
        return _answer(matcher, match, settings, state, reading="context", leaned_on=last)
    if not leaning:
        return None
    asked = best if best is not None and best.entry == last else None
    if asked is not None and asked.why.unmatched and not _asks_beyond(asked.why.unmatched, settings):
        # "what does he mean by patterns?": what the answer just read says, asked in common words
        again = Match(query=question, entry=last, score=asked.score, why=asked.why)
        return _answer(matcher, again, settings, state, reading="context", leaned_on=last)
    if asked is not None or wordless:  # "why?"
        related = related_questions(matcher, last, read=state.read, limit=settings.related)
        quote = closest_sentence(question, last, rarity=settings.again_rarity)
        return Turn("no-more", alone, related=related, reading="context", leaned_on=last, quote=quote)
    near = [candidate for candidate in supported if candidate.score >= band]
    nearest = _merged((near, alone.alternatives), skip={last.id}, limit=settings.related)
    unsure = _unsure(alone._replace(alternatives=nearest), matcher.knowledge, settings, state)
    return unsure._replace(reading="context", leaned_on=last)


def _nearby(matcher: Matcher, alone: Match, last: Entry, settings: ConversationSettings) -> Candidate | None:
    """The line's best candidate alone, with its odds multiplied by ``neighbour_odds`` (the
    score it is answered with), when it is one of the ``neighbours`` questions either side of
    ``last`` in the same interview and then clears the threshold; else ``None``.

    Only with the sentence model: words alone, whose confidence in the "did you mean" band is
    coarser, gained answers from it on the dialogues nobody tuned on at the cost of more wrong
    ones (``ConversationSettings.neighbour_odds`` says how it was measured).

    The matcher's confidence is a chance for a line asked with no conversation, every entry
    alike beforehand. A reader who just read one answer and asks a line that leans back asks,
    more often than not, what the interviewer asked next or just before (an interview is a
    conversation too): that is a prior on those entries, and Bayes' rule raises their odds by a
    factor. Only the line's own first choice is raised, so the prior settles what a near miss
    meant and never outranks what the line chose: not when that is the answer just read, nor
    another speaker's answer to the same question (no question the interviewer asked next), nor
    one the matcher flags as contradicting the line (a negation, an opposite, another figure).
    """
    candidate = alone.alternatives[0] if alone.alternatives else None
    if candidate is None or candidate.entry.id == last.id or candidate.why.penalties:
        return None
    entry = candidate.entry
    if entry.source is not last.source or abs(entry.position - last.position) > settings.neighbours:
        return None
    if normalize(entry.question) == normalize(last.question):
        return None
    chance = min(candidate.score / 100, _SURE)
    odds = settings.neighbour_odds * chance / (1.0 - chance)
    raised = 100 * odds / (1.0 + odds)
    return candidate._replace(score=round(raised, 1)) if raised >= matcher.threshold else None


def _repair(
    matcher: Matcher,
    question: str,
    fix: shapes.Repair,
    settings: ConversationSettings,
    state: State,
    last: Entry | None,
) -> Turn:
    """What the reader meant instead of what they reject: ``fix.wanted`` with the question it
    corrects ("the one for companies" after "what are the city's policies?"), then alone; for
    "the other one", that question again. What they reject (the
    answer just shown, ``last``, unless they name only something else: "not the talent
    shortage, I meant the talent policy"; and what ``fix.rejected`` names) is never the answer,
    nor do its words count for what they want."""
    band = matcher.threshold - matcher.settings.suggest_below
    skip = {last.id} if fix.shown and last is not None else set()
    if fix.rejected:
        named = matcher.extract(fix.rejected, limit=1)
        skip.update(candidate.entry.id for candidate in named if candidate.score >= band)
    asked = state.asked or ""
    wanted = [word for word in words(fix.wanted) if word not in STOPWORDS]
    readings = [(fix.wanted, asked), (fix.wanted, None)] if wanted else [(asked, None)]
    matcher.remember(readings)
    near: list[Candidate] = []
    for text, context in readings:
        found = matcher.extract(text, limit=matcher.settings.pool, context=context, exclude=skip)
        best = _confident(found, matcher)
        if best is not None:
            match = Match(
                query=question,
                entry=best.entry,
                score=best.score,
                follow_ups=tuple(matcher.follow_ups(best.entry, limit=settings.related)),
                alternatives=tuple(c for c in found[1:] if c.score >= band)[: settings.related],
                why=best.why,
            )
            return _answer(matcher, match, settings, state, reading="repair", leaned_on=last)
        near += [c for c in found if c.score >= band]
    nearest = _merged((sorted(near, key=lambda c: -c.score),), skip=skip, limit=settings.related)
    best_score = max((c.score for c in near), default=0.0)
    unsure = _unsure(Match(question, None, best_score, alternatives=nearest), matcher.knowledge, settings, state)
    return unsure._replace(reading="repair", leaned_on=last)


def closest_sentence(question: str, entry: Entry, *, rarity: float) -> Quote | None:
    """The sentence of ``entry``'s answer (verbatim, its white space made single) that shares
    the most of what ``question`` asks, and where the rarest word they share starts in it.

    A shared word weighs its English rarity (``english.rarity``: "veteran" tells more than
    "people"), and a sentence is quoted only for one at least ``rarity`` rare, the bar at which a
    word asks about something in particular (``ConversationSettings.again_rarity``). The words
    of the entry's own question do not count: they tell the entry, not one of its sentences. A
    wrapped line is no sentence end, an initial or "Mr." is none either (``split``); an answer
    of one sentence is not quoted, the reader has just read it whole.

    >>> from askbot.model import Entry, Source
    >>> answer = "People here are kind. Mr. Lee said veterans get priority,\\nand (they do.)"
    >>> entry = Entry("e", "Who can search?", answer, Source("T"))
    >>> closest_sentence("do veterans like the people there?", entry, rarity=6.0)
    Quote(text='Mr. Lee said veterans get priority, and (they do.)', at=13)
    >>> closest_sentence("who can search, then?", entry, rarity=6.0) is None
    True
    """
    asked = _asked_terms(entry)
    weights: dict[str, float] = {}
    for word in words(question):
        term = stem(word)
        if word not in STOPWORDS and term not in asked:
            weights[term] = max(weights.get(term, 0.0), english.rarity(word))
    text = _WRAPPED.sub(" ", entry.answer)  # as long as the answer: the spans hold in both
    spans = sentence_spans(text)
    best: Quote | None = None
    weight = 0.0
    for start, end in spans if len(spans) > 1 else ():
        sentence = " ".join(text[start:end].split())
        found = {stem(word): word for word in words(sentence, limit=None)}
        shared = [term for term in found if term in weights]
        total = sum(weights[term] for term in shared)
        rarest = max(shared, key=weights.__getitem__, default=None)
        if rarest is not None and total > weight and weights[rarest] >= rarity:
            best, weight = Quote(sentence, max(sentence.lower().find(found[rarest]), 0)), total
    return best


def _asks_beyond(unmatched: Sequence[str], settings: ConversationSettings) -> bool:
    """Whether words the answer just read does not have ask for more than it says: one of them
    is at least ``again_rarity`` rare in English. "mean", "take" or "yet" only put a question
    about what it says ("would he take the role again?"); "consensus" or "exercises" ask for a
    thing it does not name. A corrected word ("ledgr->ledger", as ``Why`` shows it) counts as
    what it was corrected to."""
    return any(english.rarity(word.rpartition("->")[2]) >= settings.again_rarity for word in unmatched)


def _asks_it(question: str, entry: Entry) -> bool:
    """Whether the entry's own question (or an alternate) has every content word of ``question``:
    the interview asks it too ("Tell us about your job." for "what is her job?")."""
    wanted = {stem(word) for word in words(question) if word not in STOPWORDS}
    return wanted <= _asked_terms(entry)


def _asked_terms(entry: Entry) -> set[str]:
    """The stems of every word the entry's question and alternates ask with."""
    return {stem(word) for text in (entry.question, *entry.alternates) for word in words(text, limit=None)}


def _confident(candidates: Sequence[Candidate], matcher: Matcher) -> Candidate | None:
    """The best of ``candidates`` (best first) when the matcher would answer with it: at or
    above its threshold (a confidence that already weighs how near a rival comes)."""
    if not candidates or candidates[0].score < matcher.threshold:
        return None
    return candidates[0]


def _merged(lists: Sequence[Sequence[Candidate]], *, skip: Collection[str], limit: int) -> tuple[Candidate, ...]:
    """The candidates of ``lists`` in order, each entry once, none in ``skip``, at most ``limit``."""
    seen = set(skip)
    merged: list[Candidate] = []
    for candidates in lists:
        for candidate in candidates:
            if candidate.entry.id not in seen:
                seen.add(candidate.entry.id)
                merged.append(candidate)
    return tuple(merged[:limit])


def _compound(
    matcher: Matcher, question: str, pieces: Sequence[str], settings: ConversationSettings, state: State
) -> Turn | None:
    """Each part of a compound question in turn, a later one leaning on an earlier one's answer;
    ``None`` (read the line whole) when no part is answered, or all from the same entry."""
    # One model call for the line whole (its verdict), each part, and the first part against the
    # last answer (a later part leans on an earlier one's, not known yet).
    last = matcher.knowledge.get(state.last) if state.last is not None else None
    leaning = [(pieces[0], last.question)] if last is not None else []
    matcher.remember([*((text, None) for text in (question, *pieces)), *leaning])
    turns: list[Turn] = []
    current = state
    for piece in pieces:
        turn = _single(matcher, piece, settings, current, ask_whose=False)
        turns.append(turn)
        current = turn.state
    answered = [turn for turn in turns if turn.answered]
    same = len(answered) == len(turns) and len({turn.answers for turn in answered}) == 1 and answered[0].answers
    if not answered or same:
        return None
    whole = matcher.match(question, limit=settings.related)
    compound = Turn("parts", whole, parts=tuple(turns))
    final = current._replace(decision="parts", pending=None, listed=_ids(compound.listed))
    return compound._replace(state=final)


def related_questions(
    matcher: Matcher, entry: Entry, *, read: Collection[str] = (), limit: int = 3
) -> tuple[Entry, ...]:
    """The related questions to list after ``entry``'s answer: those not ``read`` first, then the
    same interview's first (a reader follows one conversation), at most ``limit``."""
    found = matcher.follow_ups(entry, limit=limit + len(read))
    return tuple(sorted(found, key=lambda other: (other.id in read, other.source != entry.source))[:limit])


def _after(turn: Turn, state: State, question: str) -> Turn:
    """``turn`` with the conversation's state after it: what was read, the list on screen (the
    one this reply shows, else none), what askbot asks back, how sure it was."""
    after = state._replace(pending=None, in_order=False, decision=turn.decision, listed=_ids(turn.listed))
    decision, match = turn.decision, turn.match
    if decision == "meta":
        return turn._replace(state=after._replace(confidence=None))
    after = after._replace(confidence=match.score, asked=question)
    if decision in ("answer", "again") and match.entry is not None:
        after = after.reading(match.entry.id, asked=question)._replace(listed=_ids(turn.listed))
    elif decision == "whose":
        after = after._replace(pending="whose")
    elif decision == "choices":
        after = after._replace(pending="choices")
    elif decision == "no-more":
        after = after._replace(confidence=None)
    return turn._replace(state=after)


def _ids(entries: Sequence[Entry]) -> tuple[str, ...]:
    return tuple(entry.id for entry in entries)


def _about(sources: Sequence[Source], question: str, kind: meta.Kind, last: Entry | None) -> Sequence[Source]:
    """Which interviews a question about "the interview" means: the one it names, else the one
    the reader just read an answer of (a count asks about all), else all of them."""
    if len(sources) == 1:
        return sources
    named = shelf.named_in(sources, words(question))
    if named is not None:
        return (named,)
    if last is not None and kind is not meta.Kind.COUNT:
        return (last.source,)
    return sources
