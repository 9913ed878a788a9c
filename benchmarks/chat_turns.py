"""askbot's own time per chat turn: ``Conversation.respond`` from line in to reply out.

Floors (issue 10): every turn under 5 ms on the bundled interview, and under 20 ms with ten
interviews loaded. The script replays a session of the turns readers type (questions, picks by
number and ordinal, "more", "why?", "and the policy?", whose-answer replies, questions about
the interview, small talk, ``/list``, ``/use``; follow-ups read against the last answer, repairs,
compound questions, ``/read``) on a fresh conversation per repeat and reports,
per turn, the median over the repeats; the floor is checked on the slowest turn's median, so a
scheduler hiccup in one repeat does not decide it. The first conversation's slowest turn is
reported too: it pays one-time costs of the process (caches; the matcher's English word list,
which the terminal chat loads in the background while the greeting is read, ``chat.warm_up``).
Terminal drawing is prompt_toolkit's, not counted. The ten interviews are the bundled one, the
second test interview and eight copies of the bundled one under other interviewees (ids
renamed), so each is of a real interview's size.

    .venv/bin/python benchmarks/chat_turns.py [--repeats 30] [--matcher semantic]

``--matcher semantic`` times the chat with the sentence model, as ``make chat`` runs it: every
turn that matches embeds its line, about 9 ms a line on two cores (the readings of one turn, a
compound question's parts or a follow-up alone and against the last answer, in one call), so the
floors above, set for words alone, are not met with it.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from askbot import bundled_path, load
from askbot.conversation.session import Conversation
from askbot.knowledge.files import dump
from readers import add_matcher_option, matcher_for

ROOT = Path(__file__).resolve().parents[1]
SECOND = ROOT / "tests" / "data" / "lena-hoffmann-2019.yaml"

SESSION = (
    "hi askbot",
    "why would a startup pick hangzhou?",
    "1",
    "the second one",
    "more",
    "why?",
    "and who pays for that?",
    "and the policy?",
    "no, I meant the policies for companies",
    "the other one",
    "what about talent?",
    "is that the same for students?",
    "what is blockchain?",
    "both",
    "hangzhou",
    "yes",
    "2030",
    "when was the interview?",
    "who interviewed him?",
    "how many questions?",
    "what's his job?",
    "when was the interview and who interviewed him?",
    "is there a timetable for the fintech center, and what policies support companies?",
    "what is the price of bitcoin?",
    "no",
    "/list",
    "#3",
    "/read 2",
    "next",
    "/use wang",
    "is there a timetable for the fintech center?",
    "/use all",
    "who are you?",
    "ok cool",
    "waht r the advantges of hangzou",
)


def shelf_of(count: int, folder: Path) -> list[Path]:
    """``count`` interview files: the bundled one, the second test interview, then copies."""
    bundled = bundled_path() / "wang-yuejian-2018.yaml"
    paths = [bundled, SECOND]
    base = load([bundled])
    source = base.sources[0]
    for n in range(count - len(paths)):
        copy = source._replace(interviewee=f"Guest Number{n}", title=f"Interview {n} with Guest Number{n}")
        entries = [
            e._replace(id=f"copy{n}-{e.id}", source=copy, follow_ups=tuple(f"copy{n}-{f}" for f in e.follow_ups))
            for e in base
        ]
        path = folder / f"copy-{n}.yaml"
        path.write_text(dump(copy, entries, base.synonyms), encoding="utf-8")
        paths.append(path)
    return paths[:count]


def time_turns(
    paths: list[Path], repeats: int, method: str = "lexical"
) -> tuple[list[tuple[str, float]], tuple[str, float]]:
    """Per turn of ``SESSION``: the median over ``repeats`` fresh conversations, in ms; and the
    slowest turn of the first conversation, which pays the process's one-time costs (such as
    the matcher's lazily loaded English word list on the first typo)."""
    matcher = matcher_for(load(paths), method)
    samples: list[list[float]] = [[] for _ in SESSION]
    for _ in range(repeats):
        conversation = Conversation(matcher)
        conversation.greeting()
        for n, line in enumerate(SESSION):
            start = time.perf_counter()
            conversation.respond(line)
            samples[n].append((time.perf_counter() - start) * 1000)
    medians = [(line, statistics.median(times)) for line, times in zip(SESSION, samples, strict=True)]
    cold = max(((line, times[0]) for line, times in zip(SESSION, samples, strict=True)), key=lambda turn: turn[1])
    return medians, cold


def report(label: str, turns: list[tuple[str, float]], cold: tuple[str, float], floor: float) -> bool:
    worst_line, worst = max(turns, key=lambda turn: turn[1])
    typical = statistics.median(ms for _, ms in turns)
    ok = worst < floor
    print(f"{label}: median turn {typical:.2f} ms, slowest turn {worst:.2f} ms ({worst_line!r}); floor {floor:g} ms")
    print(f"  first conversation in the process: slowest turn {cold[1]:.2f} ms ({cold[0]!r})")
    print("  " + ("ok" if ok else "FAIL"))
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30)
    add_matcher_option(parser)
    parser.add_argument("--verbose", action="store_true", help="every turn's median")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        results = []
        for count, floor in ((1, 5.0), (10, 20.0)):
            turns, cold = time_turns(shelf_of(count, Path(folder)), args.repeats, args.matcher)
            results.append(report(f"{count} interview(s)", turns, cold, floor))
            if args.verbose:
                for line, ms in turns:
                    print(f"    {ms:7.2f} ms  {line}")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
