"""The chat's turn logic, without a terminal: a line in, a reply out.

Kept apart from ``chat`` (which owns prompt_toolkit) so every conversational behaviour, picking
from the list on screen, "more", follow-ups, repairs, whose answer, questions about the interview,
small talk, ``/`` commands, is a plain function call in tests. Replies are ``render`` fragments,
the same words ``askbot ask`` prints.

What a line means is decided in this order, each step narrower than a question: a ``/``
command; a pick from the list in askbot's last reply ("2", "#2", "the second one"); the answer
to a question askbot just asked ("both", "yes"); small talk; "more"; a quote of a listed
question; and only then a question, which ``turn.decide`` reads (about the interview, a repair,
a compound question, alone, or against the last answer).

Everything the conversation remembers is one ``State`` record (``conversation.state``): a web
front end makes a ``Conversation`` per request from the visitor's state and keeps
``conversation.state`` for the next one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from ..matching.matcher import Matcher
from ..matching.text import normalize, words
from ..model import Entry, Source
from ..settings import DEFAULT_CONVERSATION_SETTINGS, ConversationSettings
from . import intents, meta, render, shelf
from .render import Fragments
from .state import Pending, State
from .turn import Turn, decide, related_questions


@dataclass
class Reply:
    """What the chat shows for one line; ``done`` ends the session; ``answers`` are the entries
    whose answers it gives (the answer just read, when it says so), for a front end or a benchmark
    to tell what was answered without reading the text."""

    fragments: Fragments
    done: bool = False
    answers: tuple[Entry, ...] = ()

    @property
    def text(self) -> str:
        """The reply as plain text (for pipes, logs and tests)."""
        return render.plain(self.fragments)


@lru_cache(maxsize=32)
def _narrowed(matcher: Matcher, source: Source) -> Matcher:
    """One interview's matcher, built once per loaded matcher and interview (``/use``): every
    conversation over the same matcher shares it, as a web front end's visitors would."""
    return matcher.only(source)


class Conversation:
    """One reader's conversation: a matcher, the settings and the ``State`` between lines (plus
    the lines typed, for ``/history``). ``interview`` starts it narrowed to one interview."""

    def __init__(
        self,
        matcher: Matcher,
        *,
        settings: ConversationSettings = DEFAULT_CONVERSATION_SETTINGS,
        state: State | None = None,
        interview: Source | None = None,
    ) -> None:
        self.matcher = matcher
        self.settings = settings
        self.state = state if state is not None else State()
        if interview is not None:
            self.state = self.state._replace(interview=interview.title)
        #: The lines the reader typed, oldest first (``/history``).
        self.history: list[str] = []

    # -- what the state means -----------------------------------------------------------------

    @property
    def current(self) -> Source | None:
        """The interview the conversation is narrowed to (``/use``), or ``None`` for all."""
        title = self.state.interview
        if title is None or len(self.matcher.knowledge.sources) == 1:
            return None
        return next((source for source in self.matcher.knowledge.sources if source.title == title), None)

    @property
    def active(self) -> Matcher:
        """The matcher for what the reader asks now: the interview ``/use`` chose, or all."""
        current = self.current
        return self.matcher if current is None else _narrowed(self.matcher, current)

    @property
    def last(self) -> Entry | None:
        """The answer the reader read last."""
        return None if self.state.last is None else self.matcher.knowledge.get(self.state.last)

    @property
    def listed(self) -> list[Entry]:
        """The numbered list in askbot's last reply (what a number picks from)."""
        kb = self.matcher.knowledge
        return [entry for entry in map(kb.get, self.state.listed) if entry is not None]

    @property
    def several(self) -> bool:
        """More than one interview loaded: every answer and option says whose it is."""
        return len(self.matcher.knowledge.sources) > 1

    def upgrade(self, matcher: Matcher) -> None:
        """Answer with ``matcher`` from the next line on (the chat's, once its sentence model has
        loaded in the background): the same knowledge, so the state still holds."""
        self.matcher = matcher

    # -- what the chat shows around the turns ---------------------------------------------------

    def greeting(self) -> Reply:
        """The interviews loaded (named, or counted when there are many) and how to get help."""
        kb = self.matcher.knowledge
        sources = kb.sources
        if len(sources) == 1:
            src = sources[0]
            # What the title does not say already: "Interview with Andy Hunt and Dave Thomas"
            # names them and says it is an interview.
            title = words(src.title)
            names = meta.interviewee_names(src)
            lead = "" if "interview" in title else "interview"
            if names and not all(_within(words(name), title) for name in names):
                lead = f"{lead} with {src.interviewee}".strip()
            details = ", ".join(part for part in (lead, src.date or "") if part)
            head = f"askbot: {src.title}{f' ({details})' if details else ''}, {len(kb)} questions.\n"
            lines = [("class:title", render.safe(head))]
        else:
            lines = [("class:title", f"askbot: {len(sources)} interviews, {len(kb)} questions.\n")]
            if len(sources) <= 5:
                lines += [("class:dim", f"  {render.safe(self.describe(src))}\n") for src in sources]
        tip = "Ask in your own words; /help for commands, Ctrl-D to leave.\n"
        if len(sources) > 1:
            tip = "Ask in your own words; /use NAME for one interview, /help for commands, Ctrl-D to leave.\n"
        return Reply([*lines, ("class:dim", tip)])

    def toolbar(self) -> str:
        """The bottom toolbar: which interviews are in use and what the last reply rested on."""
        sources = self.active.knowledge.sources
        names = ", ".join(shelf.label(src) for src in sources[:3]) + (" …" if len(sources) > 3 else "")
        return render.safe(f" {names} · {len(self.active.knowledge)} questions{self._last_reply()} · /help")

    def _last_reply(self) -> str:
        state = self.state
        if state.decision == "meta":
            return " · last answer from the source details"
        if state.confidence is None:
            return ""
        return f" · last match {state.confidence:.0f}/100"

    def describe(self, source: Source) -> str:
        """One line naming an interview: interviewee, title, date and size."""
        count = sum(1 for entry in self.matcher.knowledge if entry.source == source)
        when = f", {source.date}" if source.date else ""
        return f"{shelf.heading(source)}{when}, {count} questions"

    # -- one line -------------------------------------------------------------------------------

    def respond(self, line: str) -> Reply:
        """The reply to one line the reader typed; ``state`` holds the conversation after it."""
        text = line.strip()
        if not text:
            return Reply([])
        self.history.append(text)
        if text.startswith("/"):
            return self._command(text)
        plain = normalize(text)
        found = words(text)
        number = intents.pick_number(plain, listed=len(self.state.listed))
        if number is not None:
            return self._pick(number)
        reply = self._answer_to(found)
        if reply is not None:
            return reply
        talk = intents.small_talk(found)
        if talk == "who":
            # "who are you?", "what do you do?": put to askbot, unless the interview asks it too
            # and answers it with confidence (an interview's commonest first question).
            turn = decide(self.active, text, settings=self.settings, state=self.state)
            if turn.decision == "answer":
                return self._show(turn)
        if talk is not None:
            return self._small_talk(talk)
        if intents.is_more(plain):
            return self._more()
        chosen = self._option_named(text)
        if chosen is not None:
            return self._read(chosen)
        turn = decide(self.active, text, settings=self.settings, state=self.state)
        if plain.isdigit() and not self.state.listed and not turn.answered:
            # "2" with no list on screen: not a question the interview misses, a pick from nothing.
            return self._say([("", "There is no numbered list on screen; ask a question or type /list.\n")])
        return self._show(turn, elsewhere=self._elsewhere(text, turn))

    def _elsewhere(self, text: str, turn: Turn) -> Source | None:
        """Another loaded interview that answers with confidence what the one ``/use`` chose does
        not: the reader narrowed the shelf and may not remember what else it holds."""
        if self.current is None or turn.answered:
            return None
        other = decide(self.matcher, text, settings=self.settings)
        entry = other.match.entry
        return entry.source if other.decision == "answer" and entry is not None else None

    # -- replies --------------------------------------------------------------------------------

    def _show(self, turn: Turn, *, elsewhere: Source | None = None) -> Reply:
        """The reply to a question ``turn.decide`` decided; ``elsewhere``, another interview that
        answers it, is named after it."""
        self.state = turn.state
        fragments = render.reply(
            turn, several=self.several, narrowed=self.current is not None, more="/source shows them all"
        )
        if elsewhere is not None:
            note = f"{shelf.possessive(elsewhere)} interview answers it: /use all.\n"
            fragments.append(("class:dim", render.safe(note)))
        return Reply(fragments, answers=turn.answers)

    def _say(self, fragments: Fragments, *, listed: Sequence[Entry] = (), pending: Pending | None = None) -> Reply:
        """A reply that answers nothing: it shows ``listed`` (the list on screen from now on, if
        any) and perhaps asks back."""
        ids = tuple(entry.id for entry in listed)
        self.state = self.state._replace(listed=ids, pending=pending, in_order=False)
        return Reply(fragments)

    def _read(self, entry: Entry, *, note: str | None = None, in_order: bool = False) -> Reply:
        """``entry``'s answer, chosen by the reader (a number, "yes", "more", a name, ``/read``),
        with its related questions, those not read yet first."""
        matcher = self.active if entry.id in self.active.knowledge else self.matcher
        related = related_questions(matcher, entry, read=self.state.read, limit=self.settings.related)
        state = self.state.reading(entry.id, asked=entry.question)
        self.state = state._replace(
            listed=tuple(e.id for e in related),
            pending=None,
            in_order=in_order,
            decision="answer",
            confidence=100.0,
        )
        fragments = render.answer(entry, related, several=self.several)
        if note is not None:
            fragments = [("class:dim", render.safe(note) + "\n"), *fragments]
        return Reply(fragments, answers=(entry,))

    def _pick(self, number: int) -> Reply:
        listed = self.listed
        if not 1 <= number <= len(listed):
            if not listed:
                return self._say([("", "There is no numbered list on screen; ask a question or type /list.\n")])
            # The list stays the one on screen: the reader picks again.
            return Reply([("", f"Pick a number from 1 to {len(listed)}.\n")])
        return self._read(listed[number - 1])

    def _answer_to(self, found: list[str]) -> Reply | None:
        """A reply to the question askbot just asked, or ``None`` when the line is something else."""
        pending, listed = self.state.pending, self.listed
        if pending is None or not found or not listed:
            return None
        if pending == "whose":
            if intents.is_both(found):
                return self._both(listed)
            sources = [entry.source for entry in listed]
            named = shelf.find(sources, " ".join(found), score_cutoff=self.settings.name_cutoff)
            if named is not None and len(found) <= 4:
                return self._read(next(e for e in listed if e.source == named))
            return None
        if intents.is_yes(found) or intents.is_more(" ".join(found)):
            return self._read(listed[0])
        if intents.is_no(found):
            skip = {*self.state.read, *(entry.id for entry in listed)}
            offered = self.active.knowledge.sample(self.settings.suggestions, skip=skip)
            return self._say([("", "Then here is what else I can answer:\n"), *self._numbered(offered)], listed=offered)
        return None

    def _both(self, entries: list[Entry]) -> Reply:
        """Each interview's answer in turn; only the last lists related questions, so the one
        numbered list on screen is the one numbers pick from."""
        fragments: Fragments = []
        for entry in entries[:-1]:
            self.state = self.state.reading(entry.id)
            fragments += [*render.answer(entry, [], several=self.several), ("", "\n")]
        last = self._read(entries[-1])
        return Reply(fragments + last.fragments, answers=tuple(entries))

    def _more(self) -> Reply:
        """Continue: in order after ``/read``; right after a list with nothing read, its first
        item; else the next thing not read yet."""
        if self.state.in_order:
            return self._read_from(self._position() + 1)
        last = self.last
        if last is None:
            listed = self.listed
            if listed:
                return self._read(listed[0])
            offered = self.active.knowledge.sample(self.settings.suggestions, skip=self.state.read)
            return self._say([("", "Ask me something first. For example:\n"), *self._numbered(offered)], listed=offered)
        upcoming = self._next_unread(last)
        if upcoming is None:
            return self._say([("", "That was everything. Type /list to revisit a question.\n")])
        return self._read(upcoming)

    def _next_unread(self, last: Entry) -> Entry | None:
        """An unread question on screen or related to the last answer, else the next unread one
        in interview order."""
        entries = list(self.active.knowledge.entries)
        if last in entries:
            at = entries.index(last) + 1
            entries = entries[at:] + entries[:at]
        related = related_questions(self.active, last, read=self.state.read, limit=self.settings.related)
        read = set(self.state.read)
        return next((entry for entry in [*self.listed, *related, *entries] if entry.id not in read), None)

    def _position(self) -> int:
        """Where the last answer stands in ``/list``'s numbering (0 before any)."""
        entries = self.active.knowledge.entries
        last = self.last
        return next((n for n, entry in enumerate(entries, 1) if entry == last), 0)

    def _read_from(self, number: int) -> Reply:
        """``/read N``: question ``N`` of ``/list``'s numbering, then "next" goes on in order."""
        entries = self.active.knowledge.entries
        if number > len(entries):
            return self._say([("", f"That was the last question ({len(entries)}); /read 1 starts again.\n")])
        entry = entries[number - 1]
        return self._read(entry, note=f"Reading in order: {number} of {len(entries)} ('next' goes on).", in_order=True)

    def _option_named(self, text: str) -> Entry | None:
        """The numbered option the reader is quoting, even loosely ("the talent one")."""
        listed = self.listed
        if not listed or len(text) < 8:
            return None
        questions = [normalize(entry.question) for entry in listed]
        cutoff, overlap = self.settings.quote_cutoff, self.settings.quote_overlap
        best = process.extractOne(normalize(text), questions, scorer=fuzz.partial_ratio, score_cutoff=cutoff)
        if best is None or fuzz.token_set_ratio(normalize(text), best[0]) < overlap:
            return None
        return listed[best[2]]

    def _small_talk(self, talk: str) -> Reply:
        names = self._names()
        if talk == "bye":
            reply = self._say([("", "Goodbye, thanks for reading.\n")])
            return Reply(reply.fragments, done=True)
        if talk == "hello":
            return self._say([("", f"Hello! Ask me anything about the interview with {names}, or type /list.\n")])
        if talk == "thanks":
            return self._say([("", "You're welcome. Anything else about the interview?\n")])
        if talk == "ok":
            return self._say([("", "Anything else? 'more' continues, /list shows every question.\n")])
        held = [("class:dim", f"  {render.safe(self.describe(src))}\n") for src in self.matcher.knowledge.sources]
        return self._say(
            [
                (
                    "",
                    "I'm askbot: I find the interview question that means what you ask, and give back the "
                    "interviewee's own answer, word for word, with its source. I hold:\n",
                ),
                *held,
            ]
        )

    def _names(self) -> str:
        labels = [shelf.label(src) for src in self.active.knowledge.sources]
        return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} and {labels[-1]}"

    def _numbered(self, entries: Sequence[Entry]) -> Fragments:
        return render.numbered(entries, several=self.several)

    # -- commands -------------------------------------------------------------------------------

    def _command(self, text: str) -> Reply:
        name, _, argument = text.partition(" ")
        command = next((c for c in COMMANDS if name.lower() in (c.name, *c.aliases)), None)
        if command is None:
            return Reply([("", f"Unknown command {render.safe(name)}; type /help for the list.\n")])
        return command.handler(self, argument.strip())


@dataclass(frozen=True)
class Command:
    """A ``/`` command: its names, the line ``/help`` shows and what it does (as litecli's
    ``register_special_command`` rows carry their handler, so a row cannot fall through)."""

    name: str
    aliases: tuple[str, ...]
    help: str
    handler: Callable[[Conversation, str], Reply]


def _help(conversation: Conversation, argument: str) -> Reply:
    lines = [("", f"  {c.name:<9} {c.help}\n") for c in COMMANDS]
    tips = (
        "Ask in your own words. Type a number to pick from the list in the last reply; 'more' or "
        "'next' continues; a follow-up such as 'since when?' or 'who pays for that?' leans on the "
        "last answer; 'no, I meant ...' or 'the other one' corrects it.\n"
    )
    return conversation._say([("", "Commands:\n"), *lines, ("class:dim", tips)])


def _list(conversation: Conversation, argument: str) -> Reply:
    kb = conversation.active.knowledge
    entries = list(kb.entries)
    if not conversation.several:
        return conversation._say(render.numbered(entries), listed=entries)
    fragments: Fragments = []
    for source in kb.sources:
        first = next(n for n, entry in enumerate(kb.entries, 1) if entry.source == source)
        mine = [entry for entry in kb.entries if entry.source == source]
        fragments.append(("class:dim", render.safe(shelf.heading(source)) + "\n"))
        fragments += render.numbered(mine, start=first)
    return conversation._say(fragments, listed=entries)


def _use(conversation: Conversation, argument: str) -> Reply:
    sources = conversation.matcher.knowledge.sources
    if argument.lower() in ("all", "*"):
        conversation.state = conversation.state._replace(interview=None)
        return conversation._say([("", f"Asking all {len(sources)} interviews.\n")])
    chosen = shelf.find(sources, argument, score_cutoff=conversation.settings.name_cutoff) if argument else None
    if chosen is None:
        head = f"No interview matches {render.safe(argument)!r}. " if argument else ""
        listing = [("class:dim", f"  {render.safe(conversation.describe(src))}\n") for src in sources]
        usage = f"{head}Type /use NAME (interviewee or title) or /use all. Loaded:\n"
        return conversation._say([("", usage), *listing])
    state = conversation.state._replace(interview=chosen.title)
    last = conversation.last
    if last is not None and last.source != chosen:
        state = state._replace(last=None, asked=None)  # "why?" or "more" now lean on this interview, not the other
    conversation.state = state
    narrowed = f"Asking only {shelf.possessive(chosen)} interview ({chosen.title}); /use all to ask every one.\n"
    return conversation._say([("", render.safe(narrowed))])


def _read(conversation: Conversation, argument: str) -> Reply:
    if not argument:
        return conversation._read_from(conversation._position() + 1 if conversation.state.in_order else 1)
    count = len(conversation.active.knowledge)
    if not argument.isdigit() or not 1 <= int(argument) <= count:
        return conversation._say([("", f"/read takes a question number from 1 to {count} (/list shows them).\n")])
    return conversation._read_from(int(argument))


def _source(conversation: Conversation, argument: str) -> Reply:
    sources = conversation.active.knowledge.sources
    return conversation._say([("", render.source_details(src) + "\n\n") for src in sources])


def _history(conversation: Conversation, argument: str) -> Reply:
    earlier = conversation.history[:-1]
    if not earlier:
        return conversation._say([("", "Nothing asked yet.\n")])
    # One line each, however long the line typed (a pasted article): the chat cuts it to the screen.
    lines = [("class:line", f"  {n}. {render.safe(' '.join(q.split()))}\n") for n, q in enumerate(earlier, 1)]
    return conversation._say(lines)


def _quit(conversation: Conversation, argument: str) -> Reply:
    reply = conversation._say([("", "Goodbye.\n")])
    return Reply(reply.fragments, done=True)


COMMANDS = (
    Command("/help", ("/?", "/h"), "show this help", _help),
    Command("/list", ("/questions", "/ls"), "every question, numbered; type a number to ask it", _list),
    Command("/read", (), "/read N reads the interview in order from question N; 'next' goes on", _read),
    Command("/use", ("/interview",), "/use NAME asks one interview only; /use all asks every one", _use),
    Command("/source", ("/about",), "the interview's full source details", _source),
    Command("/history", (), "what you asked in this session", _history),
    Command("/quit", ("/exit", "/q"), "leave (Ctrl-D works too)", _quit),
)


def _within(part: list[str], whole: list[str]) -> bool:
    """Whether the words ``part`` occur together, in order, in ``whole``.

    >>> _within(["ann"], ["annual", "report"]), _within(["dave", "thomas"], ["with", "dave", "thomas"])
    (False, True)
    """
    size = len(part)
    return size > 0 and any(whole[at : at + size] == part for at in range(len(whole) - size + 1))
