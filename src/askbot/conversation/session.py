"""The chat's turn logic, without a terminal: a line in, a reply out.

Kept apart from ``chat`` (which owns prompt_toolkit) so every conversational behaviour, picking
from the list on screen, "tell me more", "why?", whose answer, questions about the interview,
small talk, ``/`` commands, is a plain function call in tests. Replies are ``render`` fragments,
the same words ``askbot ask`` prints.

What a line means is decided in this order, each step narrower than a question: a ``/``
command; a pick from the list on screen ("2", "#2", "the second one"); the answer to a question
askbot just asked ("both", "yes"); small talk; a question about the interview itself; "more";
a quote of a listed question; a short follow-up that leans on the last answer ("why?", "and the
policy?"); and only then a question for the matcher.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

from rapidfuzz import fuzz, process

from ..matching.matcher import Matcher
from ..matching.text import normalize, words
from ..model import Entry, Source
from ..settings import DEFAULT_CONVERSATION_SETTINGS, ConversationSettings
from . import intents, render, shelf
from .render import Fragments
from .turn import Turn, decide


@dataclass
class Reply:
    """What the chat shows for one line; ``done`` ends the session."""

    fragments: Fragments
    done: bool = False

    @property
    def text(self) -> str:
        """The reply as plain text (for pipes, logs and tests)."""
        return render.plain(self.fragments)


class Pending(Enum):
    """A question askbot has just asked, which the reader's next line may answer."""

    CHOICES = "did you mean"
    WHOSE = "whose answer"


# -- the conversation -------------------------------------------------------------------------


@dataclass
class Conversation:
    """One reader's session: what they have seen, the list on screen, the interview in use."""

    matcher: Matcher
    settings: ConversationSettings = DEFAULT_CONVERSATION_SETTINGS
    current: Source | None = None
    options: list[Entry] = field(default_factory=list)
    pending: Pending | None = None
    last: Entry | None = None
    last_score: float | None = None
    asked: list[str] = field(default_factory=list)
    shown: set[str] = field(default_factory=set)
    _narrowed: dict[Source, Matcher] = field(default_factory=dict, init=False, repr=False)

    @property
    def active(self) -> Matcher:
        """The matcher for what the reader asks now: the interview ``/use`` chose, or all."""
        if self.current is None or len(self.matcher.knowledge.sources) == 1:
            return self.matcher
        if self.current not in self._narrowed:
            self._narrowed[self.current] = self.matcher.only(self.current)
        return self._narrowed[self.current]

    def upgrade(self, matcher: Matcher) -> None:
        """Answer with ``matcher`` from the next line on (the chat's, once its sentence model has
        loaded in the background); one interview's matchers are narrowed from it anew."""
        self.matcher = matcher
        self._narrowed = {}

    @property
    def several(self) -> bool:
        """More than one interview loaded: every answer and option says whose it is."""
        return len(self.matcher.knowledge.sources) > 1

    def greeting(self) -> Reply:
        """The interviews loaded (named, or counted when there are many) and how to get help."""
        kb = self.matcher.knowledge
        sources = kb.sources
        if len(sources) == 1:
            src = sources[0]
            when = f", {src.date}" if src.date else ""
            who = f" with {src.interviewee}" if src.interviewee else ""
            head = f"askbot: {src.title} (interview{who}{when}), {len(kb)} questions.\n"
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
        """The bottom toolbar: which interviews are in use and the last match's confidence."""
        sources = self.active.knowledge.sources
        names = ", ".join(shelf.label(src) for src in sources[:3]) + (" …" if len(sources) > 3 else "")
        score = f" · last match {self.last_score:.0f}/100" if self.last_score is not None else ""
        return render.safe(f" {names} · {len(self.active.knowledge)} questions{score} · /help")

    def respond(self, line: str) -> Reply:
        """The reply to one line the reader typed."""
        text = line.strip()
        if not text:
            return Reply([])
        self.asked.append(text)
        pending, self.pending = self.pending, None
        if text.startswith("/"):
            return self._command(text)
        plain = normalize(text)
        found = words(text)
        number = intents.pick_number(plain, listed=len(self.options))
        if number is not None:
            return self._pick(number)
        reply = self._answer_to(pending, found)
        if reply is not None:
            return reply
        talk = intents.small_talk(found)
        if talk is not None:
            return self._small_talk(talk)
        turn = decide(self.active, text, settings=self.settings, last=self.last, seen=self.shown)
        if turn.decision == "meta":
            return self._meta(turn)
        if intents.is_more(plain):
            return self._more()
        chosen = self._option_named(text)
        if chosen is not None:
            return self._answer(chosen, 100.0)
        topic = intents.follow_on_topic(plain, max_words=self.settings.follow_on_words)
        if topic is not None and self.last is not None:
            return self._follow_on(text, topic)
        return self._show(turn)

    # -- turns --------------------------------------------------------------------------------

    def _show(self, turn: Turn) -> Reply:
        """The reply to a question the matcher decided (``turn.decide``)."""
        match = turn.match
        self.last_score = match.score
        if turn.decision == "whose":
            self.options, self.pending = list(turn.rivals), Pending.WHOSE
            return Reply(render.whose(self.options))
        if match.entry is not None:
            if match.entry == self.last:
                return self._seen_already()
            return self._answer(match.entry, match.score)
        if turn.decision == "choices":
            self.options, self.pending = [c.entry for c in match.alternatives], Pending.CHOICES
            return Reply(render.did_you_mean(self.options, ambiguous=match.ambiguous, several=self.several))
        self.options = list(turn.suggestions)
        narrowed = self.current is not None
        return Reply(render.not_covered(self.options, several=self.several, narrowed=narrowed))

    def _answer(self, entry: Entry, score: float) -> Reply:
        self.last, self.last_score = entry, score
        self.shown.add(entry.id)
        self.options = self._follow_ups(entry)
        return Reply(render.answer(entry, self.options, several=self.several))

    def _follow_ups(self, entry: Entry) -> list[Entry]:
        """Related questions, the same interview's first (a reader follows one conversation)."""
        limit = self.settings.related
        matcher = self.active if entry.id in self.active.knowledge else self.matcher
        found = matcher.follow_ups(entry, limit=limit * 2)
        return sorted(found, key=lambda other: other.source != entry.source)[:limit]

    def _pick(self, number: int) -> Reply:
        if not 1 <= number <= len(self.options):
            if not self.options:
                return Reply([("", "There is no numbered list on screen; ask a question or type /list.\n")])
            return Reply([("", f"Pick a number from 1 to {len(self.options)}.\n")])
        return self._answer(self.options[number - 1], 100.0)

    def _answer_to(self, pending: Pending | None, found: list[str]) -> Reply | None:
        """A reply to the question askbot just asked, or ``None`` when the line is something else."""
        if pending is None or not found:
            return None
        if pending is Pending.WHOSE:
            if intents.is_both(found):
                return self._both(list(self.options))
            sources = [entry.source for entry in self.options]
            named = shelf.find(sources, " ".join(found), score_cutoff=self.settings.name_cutoff)
            if named is not None and len(found) <= 4:
                return self._answer(next(e for e in self.options if e.source == named), 100.0)
            return None
        if intents.is_yes(found) or intents.is_more(" ".join(found)):
            return self._answer(self.options[0], 100.0)
        if intents.is_no(found):
            skip = {*self.shown, *(entry.id for entry in self.options)}
            self.options = self.active.knowledge.sample(self.settings.suggestions, skip=skip)
            return Reply([("", "Then here is what else I can answer:\n"), *self._numbered(self.options)])
        return None

    def _both(self, entries: list[Entry]) -> Reply:
        """Each interview's answer in turn; only the last lists related questions, so the one
        numbered list on screen is the one numbers pick from."""
        fragments: Fragments = []
        for entry in entries[:-1]:
            self.shown.add(entry.id)
            fragments += [*render.answer(entry, [], several=self.several), ("", "\n")]
        return Reply(fragments + self._answer(entries[-1], 100.0).fragments)

    def _seen_already(self) -> Reply:
        """The reader asked again what they have just read: say so, and move on."""
        assert self.last is not None
        last = self.last
        note = render.safe(
            f"That is {shelf.possessive(last.source)} answer just above (question {last.position} of {last.of})."
        )
        upcoming = self._next_unseen()
        if upcoming is None:
            return Reply([("", note + " You have read everything else too; /list shows it all.\n")])
        reply = self._answer(upcoming, 100.0)
        return Reply([("class:dim", note + " The next one you have not read:\n"), *reply.fragments])

    def _follow_on(self, text: str, topic: list[str]) -> Reply:
        """A short line leaning on the last answer: its own topic if it names one, else the last."""
        assert self.last is not None
        if not topic:
            return self._seen_already()
        matcher = self.active
        alone = matcher.match(text, limit=self.settings.related)
        if alone.entry is not None and alone.entry != self.last:
            self.last_score = alone.score
            return self._answer(alone.entry, alone.score)
        floor = matcher.threshold - matcher.settings.suggest_below  # as close as a "did you mean"
        for candidate in matcher.extract(f"{' '.join(topic)} {self.last.question}", limit=5):
            if candidate.entry != self.last and candidate.score >= floor:
                self.last_score = candidate.score
                return self._answer(candidate.entry, candidate.score)
        return self._seen_already()

    def _next_unseen(self) -> Entry | None:
        """An unread follow-up of the last answer, else the next unread question in order."""
        entries = list(self.active.knowledge.entries)
        ahead: list[Entry] = []
        if self.last is not None:
            ahead = [*self.options, *self._follow_ups(self.last)]
            if self.last in entries:
                at = entries.index(self.last) + 1
                entries = entries[at:] + entries[:at]
        return next((entry for entry in [*ahead, *entries] if entry.id not in self.shown), None)

    def _more(self) -> Reply:
        """Continue: right after a list, its first item; else the next thing not read yet."""
        if self.last is None:
            if self.options:
                return self._answer(self.options[0], 100.0)
            self.options = self._suggestions()
            return Reply([("", "Ask me something first. For example:\n"), *self._numbered(self.options)])
        upcoming = self._next_unseen()
        if upcoming is None:
            return Reply([("", "That was everything. Type /list to revisit a question.\n")])
        return self._answer(upcoming, 100.0)

    def _option_named(self, text: str) -> Entry | None:
        """The numbered option the reader is quoting, even loosely ("the talent one")."""
        if not self.options or len(text) < 8:
            return None
        questions = [normalize(entry.question) for entry in self.options]
        cutoff, overlap = self.settings.quote_cutoff, self.settings.quote_overlap
        best = process.extractOne(normalize(text), questions, scorer=fuzz.partial_ratio, score_cutoff=cutoff)
        if best is None or fuzz.token_set_ratio(normalize(text), best[0]) < overlap:
            return None
        return self.options[best[2]]

    def _small_talk(self, talk: str) -> Reply:
        names = self._names()
        if talk == "bye":
            return Reply([("", "Goodbye, thanks for reading.\n")], done=True)
        if talk == "hello":
            return Reply([("", f"Hello! Ask me anything about the interview with {names}, or type /list.\n")])
        if talk == "thanks":
            return Reply([("", "You're welcome. Anything else about the interview?\n")])
        if talk == "ok":
            return Reply([("", "Anything else? 'more' continues, /list shows every question.\n")])
        held = [("class:dim", f"  {render.safe(self.describe(src))}\n") for src in self.matcher.knowledge.sources]
        return Reply(
            [
                (
                    "",
                    "I'm askbot: I find the interview question that means what you ask, and give back the "
                    "interviewee's own answer, word for word, with its source. I hold:\n",
                ),
                *held,
            ]
        )

    def _meta(self, turn: Turn) -> Reply:
        """A question about the interview itself, answered from the source details."""
        assert turn.meta is not None
        return Reply(render.meta_answer(turn.meta, more="/source shows them all"))

    def _names(self) -> str:
        labels = [shelf.label(src) for src in self.active.knowledge.sources]
        return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} and {labels[-1]}"

    def describe(self, source: Source) -> str:
        """One line naming an interview: interviewee, title, date and size."""
        count = sum(1 for entry in self.matcher.knowledge if entry.source == source)
        when = f", {source.date}" if source.date else ""
        return f"{shelf.heading(source)}{when}, {count} questions"

    def _suggestions(self) -> list[Entry]:
        return self.active.knowledge.sample(self.settings.suggestions, skip=self.shown)

    def _numbered(self, entries: list[Entry]) -> Fragments:
        return render.numbered(entries, several=self.several)

    # -- commands -----------------------------------------------------------------------------

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
        "Ask in your own words. Type a number to pick from the list on screen; 'more' or 'next' "
        "continues from the last answer; 'why?' or 'and the policy?' follow it up.\n"
    )
    return Reply([("", "Commands:\n"), *lines, ("class:dim", tips)])


def _list(conversation: Conversation, argument: str) -> Reply:
    kb = conversation.active.knowledge
    conversation.options = list(kb.entries)
    if not conversation.several:
        return Reply(render.numbered(conversation.options))
    fragments: Fragments = []
    for source in kb.sources:
        first = next(n for n, entry in enumerate(kb.entries, 1) if entry.source == source)
        entries = [entry for entry in kb.entries if entry.source == source]
        fragments.append(("class:dim", render.safe(shelf.heading(source)) + "\n"))
        fragments += render.numbered(entries, start=first)
    return Reply(fragments)


def _use(conversation: Conversation, argument: str) -> Reply:
    sources = conversation.matcher.knowledge.sources
    conversation.options = []  # the list on screen belonged to the interviews asked before
    if argument.lower() in ("all", "*"):
        conversation.current = None
        return Reply([("", f"Asking all {len(sources)} interviews.\n")])
    chosen = shelf.find(sources, argument, score_cutoff=conversation.settings.name_cutoff) if argument else None
    if chosen is None:
        head = f"No interview matches {render.safe(argument)!r}. " if argument else ""
        listing = [("class:dim", f"  {render.safe(conversation.describe(src))}\n") for src in sources]
        return Reply([("", f"{head}Type /use NAME (interviewee or title) or /use all. Loaded:\n"), *listing])
    conversation.current = chosen
    if conversation.last is not None and conversation.last.source != chosen:
        conversation.last = None  # "why?" or "more" now lean on this interview, not the other
    narrowed = f"Asking only {shelf.possessive(chosen)} interview ({chosen.title}); /use all to ask every one.\n"
    return Reply([("", render.safe(narrowed))])


def _source(conversation: Conversation, argument: str) -> Reply:
    sources = conversation.active.knowledge.sources
    return Reply([("", render.source_details(src) + "\n\n") for src in sources])


def _history(conversation: Conversation, argument: str) -> Reply:
    earlier = conversation.asked[:-1]
    if not earlier:
        return Reply([("", "Nothing asked yet.\n")])
    return Reply([("", f"  {n}. {render.safe(q)}\n") for n, q in enumerate(earlier, 1)])


def _quit(conversation: Conversation, argument: str) -> Reply:
    return Reply([("", "Goodbye.\n")], done=True)


COMMANDS = (
    Command("/help", ("/?", "/h"), "show this help", _help),
    Command("/list", ("/questions", "/ls"), "every question, numbered; type a number to ask it", _list),
    Command("/use", ("/interview",), "/use NAME asks one interview only; /use all asks every one", _use),
    Command("/source", ("/about",), "the interview's full source details", _source),
    Command("/history", (), "what you asked in this session", _history),
    Command("/quit", ("/exit", "/q"), "leave (Ctrl-D works too)", _quit),
)
