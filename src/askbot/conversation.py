"""The chat's turn logic, without a terminal: a line in, a reply out.

Kept apart from ``chat`` (which owns prompt_toolkit) so every conversational behaviour, picking a
follow-up by number, "tell me more", greetings, ``/`` commands, is a plain function call in tests.
A reply is a list of ``(style, text)`` fragments, the shape prompt_toolkit prints, and plain
strings to a pipe.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from . import render
from .match import Matcher
from .model import Entry, Match
from .text import normalize

Fragments = list[tuple[str, str]]

GREETING = re.compile(
    r"^(hi|hello|hey|hiya|howdy|good (morning|afternoon|evening)|greetings|yo)\b[\s!.,]*(there)?[\s!.]*$"
)
THANKS = re.compile(
    r"^(thanks?( you)?( very much| so much| a lot)?|thx|ty|cheers|great|nice|cool|ok(ay)?|got it)[\s!.,]*$"
)
GOODBYE = re.compile(r"^(bye|goodbye|good bye|see (you|ya)|farewell|quit|exit|that'?s all)[\s!.,]*$")
MORE = re.compile(r"^(tell me more|more|next|go on|continue|and\??|what else\??|keep going)[\s!.,?]*$")


@dataclass(frozen=True)
class Command:
    """A ``/`` command: its name, other names and the one line ``/help`` shows."""

    name: str
    aliases: tuple[str, ...]
    help: str


COMMANDS = (
    Command("/help", ("/?", "/h"), "show this help"),
    Command("/list", ("/questions", "/ls"), "every question, numbered; type a number to ask it"),
    Command("/source", ("/about",), "the interview's full source details"),
    Command("/history", (), "what you asked in this session"),
    Command("/quit", ("/exit", "/q"), "leave (Ctrl-D works too)"),
)


@dataclass
class Reply:
    """What the chat shows for one line; ``done`` ends the session."""

    fragments: Fragments
    done: bool = False

    @property
    def text(self) -> str:
        """The reply as plain text (for pipes, logs and tests)."""
        return "".join(text for _, text in self.fragments)


@dataclass
class Conversation:
    """One reader's session with a matcher: remembers the last answer and the numbered options."""

    matcher: Matcher
    options: list[Entry] = field(default_factory=list)
    last: Entry | None = None
    last_score: float | None = None
    asked: list[str] = field(default_factory=list)
    shown: set[str] = field(default_factory=set)

    def greeting(self) -> Reply:
        """One or two lines naming the interview, its size and how to get help."""
        kb = self.matcher.knowledge
        sources = kb.sources
        if len(sources) == 1:
            src = sources[0]
            when = f", {src.date}" if src.date else ""
            who = f" with {src.interviewee}" if src.interviewee else ""
            head = f"askbot: {src.title} (interview{who}{when}), {len(kb)} questions."
        else:
            head = f"askbot: {len(sources)} interviews, {len(kb)} questions."
        return Reply(
            [
                ("class:title", render.safe(head) + "\n"),
                ("class:dim", "Ask in your own words; /help for commands, Ctrl-D to leave.\n"),
            ]
        )

    def respond(self, line: str) -> Reply:
        """The reply to one line the reader typed."""
        text = line.strip()
        if not text:
            return Reply([])
        self.asked.append(text)
        if text.startswith("/"):
            return self._command(text)
        plain = normalize(text)
        if plain.isdigit():
            return self._pick(int(plain))
        if GOODBYE.match(plain):
            return Reply([("", "Goodbye, thanks for reading.\n")], done=True)
        if GREETING.match(plain):
            return Reply([("", "Hello! Ask me anything about the interview, or type /list to see its questions.\n")])
        if THANKS.match(plain):
            return Reply([("", "You're welcome. Anything else about the interview?\n")])
        if MORE.match(plain):
            return self._more()
        chosen = self._option_named(text)
        if chosen is not None:
            return self._answer_entry(chosen, 100.0)
        return self._ask(text)

    # -- turns --------------------------------------------------------------------------------

    def _ask(self, text: str) -> Reply:
        match: Match = self.matcher.match(text)
        self.last_score = match.score
        if match.entry is not None:
            return self._answer(match)
        if match.alternatives:
            self.options = [c.entry for c in match.alternatives]
            head = "I'm not sure which you mean." if match.ambiguous else "I'm not sure I have that."
            return Reply([("", f"{head} Did you mean:\n"), *self._numbered(self.options)])
        self.options = self._suggestions()
        return Reply(
            [
                ("", "The interview does not cover that. You could ask:\n"),
                *self._numbered(self.options),
            ]
        )

    def _answer(self, match: Match) -> Reply:
        assert match.entry is not None
        entry = match.entry
        self.last = entry
        self.shown.add(entry.id)
        self.options = list(match.follow_ups)
        several = len(self.matcher.knowledge.sources) > 1
        fragments: Fragments = [("class:answer", render.safe(entry.answer) + "\n")]
        source = render.source_line(entry)
        if several:
            source += f" · {render.safe(entry.source.title)}"
        fragments.append(("class:dim", source + "\n"))
        if self.options:
            fragments.append(("class:dim", "Related:\n"))
            fragments.extend(self._numbered(self.options))
        return Reply(fragments)

    def _answer_entry(self, entry: Entry, score: float) -> Reply:
        follow_ups = self.matcher.follow_ups(entry)
        self.last_score = score
        return self._answer(Match(query=entry.question, entry=entry, score=score, follow_ups=tuple(follow_ups)))

    def _pick(self, number: int) -> Reply:
        if not self.options:
            return Reply([("", "There is no numbered list to pick from yet; ask a question or type /list.\n")])
        if not 1 <= number <= len(self.options):
            return Reply([("", f"Pick a number from 1 to {len(self.options)}.\n")])
        return self._answer_entry(self.options[number - 1], 100.0)

    def _more(self) -> Reply:
        """Continue: an unread follow-up of the last answer, else the next question in order."""
        if self.last is None:
            if self.options:
                return self._answer_entry(self.options[0], 100.0)
            self.options = self._suggestions()
            return Reply([("", "Ask me something first. For example:\n"), *self._numbered(self.options)])
        for entry in [*self.options, *self.matcher.follow_ups(self.last)]:
            if entry.id not in self.shown:
                return self._answer_entry(entry, 100.0)
        entries = list(self.matcher.knowledge.entries)
        after = entries[entries.index(self.last) + 1 :] + entries
        for entry in after:
            if entry.id not in self.shown:
                return self._answer_entry(entry, 100.0)
        return Reply([("", "That was everything in the interview. Type /list to revisit a question.\n")])

    def _option_named(self, text: str) -> Entry | None:
        """The numbered option the reader is quoting, even loosely ("the talent one")."""
        if not self.options or len(text) < 8:
            return None
        questions = [normalize(entry.question) for entry in self.options]
        best = process.extractOne(normalize(text), questions, scorer=fuzz.partial_ratio, score_cutoff=90)
        if best is None or fuzz.token_set_ratio(normalize(text), best[0]) < 60:
            return None
        return self.options[best[2]]

    def _suggestions(self) -> list[Entry]:
        return self.matcher.knowledge.sample(3, skip=self.shown)

    def _numbered(self, entries: list[Entry]) -> Fragments:
        return [("class:option", f"  {n}. {render.safe(e.question)}\n") for n, e in enumerate(entries, 1)]

    # -- commands -----------------------------------------------------------------------------

    def _command(self, text: str) -> Reply:
        name = text.split()[0].lower()
        command = next((c for c in COMMANDS if name == c.name or name in c.aliases), None)
        if command is None:
            return Reply([("", f"Unknown command {render.safe(name)}; type /help for the list.\n")])
        if command.name == "/help":
            lines = [f"  {c.name:<9} {c.help}\n" for c in COMMANDS]
            tips = (
                "Ask in your own words. Type a number to pick from the last list; 'more' or "
                "'next' continues from the last answer.\n"
            )
            return Reply([("", "Commands:\n"), *[("", line) for line in lines], ("class:dim", tips)])
        if command.name == "/list":
            self.options = list(self.matcher.knowledge.entries)
            return Reply(self._numbered(self.options))
        if command.name == "/source":
            sources = self.matcher.knowledge.sources
            return Reply([("", render.source_details(src) + "\n\n") for src in sources])
        if command.name == "/history":
            earlier = self.asked[:-1]
            if not earlier:
                return Reply([("", "Nothing asked yet.\n")])
            return Reply([("", f"  {n}. {render.safe(q)}\n") for n, q in enumerate(earlier, 1)])
        return Reply([("", "Goodbye.\n")], done=True)
