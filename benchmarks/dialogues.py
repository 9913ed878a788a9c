"""Chat dialogues (``benchmarks/dialogues/``): each one through a fresh ``Conversation``, the
object the chat uses, turn by turn; per kind, how many last turns went as expected.

A last turn is right when its reply answers from the expected entry (one of them, for ``a|b``),
where "answers from" is what the reply itself says it answers (``Reply.answers``: the answer it
quotes, or the answer just above when it says the line asks for that again). For a guard
(``expect: -``) it is right when no entry answers it: a "did you mean", "not covered", or "I find
nothing more on that than the answer just above" are right. A repair is judged on the repair turn
alone, whatever the turn it repairs got. Setup turns (all but the last) are counted apart: they
are the context the last turn is asked in. ``alone`` is what ``askbot ask`` (no conversation)
gives the same last lines, for comparison. Each kind also counts its last turns answered from
the wrong entry (the worst outcome) and those told "I find nothing more on that than the answer
just above" (pointed back).

Tune on ``--split tune`` (the default); read ``--split report`` once, at the end
(``dialogues/README.md``). ``--split holdout`` reads ``dialogues/holdout.yaml``: 64 dialogues
written later, by another writer, over seven interviews none of the others use; read it once too.
``--split holdout2`` reads ``dialogues/holdout2.yaml``, 64 more over six other interviews, read
once after ``again_rarity`` was chosen. ``--split holdout3`` reads ``dialogues/holdout3.yaml``, 56
more over the four small interviews none of the others use, read once after the interviewer's
order became a prior (``neighbour_odds``). ``--split holdout4`` reads ``dialogues/holdout4.yaml``,
56 more over the four interviews of ``interviews_holdout4/``, read once after that prior's review.

    .venv/bin/python benchmarks/dialogues.py [--split tune|report|holdout|holdout2|holdout3|holdout4]
                                             [--matcher semantic]

``--conversation NAME=VALUE`` (repeatable) runs them with a ``ConversationSettings`` field
changed, the way its number was chosen (``again_rarity``, say).

``--matcher semantic`` runs the dialogues with the sentence model, as the chat does by default
where the model is installed.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

import yaml

from askbot import Matcher, load
from askbot.conversation.session import Conversation
from askbot.conversation.turn import decide
from askbot.settings import DEFAULT_CONVERSATION_SETTINGS, ConversationSettings
from readers import add_matcher_option, matcher_for

ROOT = Path(__file__).resolve().parents[1]
DIALOGUES = ROOT / "benchmarks" / "dialogues" / "dialogues.yaml"
#: The held-out dialogues, by split: files of their own, so that tuning on ``dialogues.yaml``
#: never reads them.
HELD_OUT = {
    split: ROOT / "benchmarks" / "dialogues" / f"{split}.yaml"
    for split in ("holdout", "holdout2", "holdout3", "holdout4")
}
KINDS = ("follow-up", "switch", "guard", "repair")


def right(expect: str, answered: tuple[str, ...]) -> bool:
    """Whether a reply that answers from ``answered`` (entry ids) meets ``expect``."""
    if expect == "-":
        return not answered
    return bool(answered) and answered[0] in expect.split("|")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("tune", "report", *HELD_OUT), default="tune")
    add_matcher_option(parser)
    parser.add_argument("--verbose", action="store_true", help="list every last turn that went wrong")
    parser.add_argument(
        "--conversation",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a ConversationSettings field to change (repeatable)",
    )
    args = parser.parse_args()
    settings = _settings(args.conversation)
    source = HELD_OUT.get(args.split, DIALOGUES)
    dialogues = [d for d in yaml.safe_load(source.read_text(encoding="utf-8")) if d["split"] == args.split]
    matchers: dict[str, Matcher] = {}
    last_right: dict[str, list[bool]] = defaultdict(list)
    alone_right: dict[str, list[bool]] = defaultdict(list)
    setup_right: dict[str, list[bool]] = defaultdict(list)
    wrong: dict[str, int] = defaultdict(int)
    pointed: dict[str, int] = defaultdict(int)
    misses: list[str] = []
    for dialogue in dialogues:
        kb = dialogue["kb"]
        if kb not in matchers:
            matchers[kb] = matcher_for(load([ROOT / kb]), args.matcher)
        matcher = matchers[kb]
        conversation = Conversation(matcher, settings=settings)
        got: list[tuple[str, ...]] = []
        for turn in dialogue["turns"]:
            reply = conversation.respond(turn["ask"])
            got.append(tuple(entry.id for entry in reply.answers))
        expected = [turn["expect"] for turn in dialogue["turns"]]
        kind = dialogue["kind"]
        ok = right(expected[-1], got[-1])
        last_right[kind].append(ok)
        wrong[kind] += bool(got[-1]) and not ok
        pointed[kind] += conversation.state.decision == "no-more"
        alone = decide(matcher, dialogue["turns"][-1]["ask"], settings=settings).answers
        alone_right[kind].append(right(expected[-1], tuple(entry.id for entry in alone)))
        setup_right[kind] += [right(e, g) for e, g in zip(expected[:-1], got[:-1], strict=True)]
        if not ok:
            shown = ", ".join("|".join(g) or "-" for g in got)
            misses.append(f"  {dialogue['id']} ({kind}): got {shown}; expected {', '.join(expected)}")
    print(f"dialogues, {args.split} split, {args.matcher}: last turns answered as expected (setup turns as expected)")
    for kind in KINDS:
        results, setups, alone = last_right[kind], setup_right[kind], alone_right[kind]
        if not results:
            continue
        print(
            f"  {kind:<10} {_rate(results)}   wrong answer {wrong[kind]:>2}   pointed back {pointed[kind]:>2}"
            f"   setup {_rate(setups)}   alone (askbot ask) {_rate(alone)}"
        )
    if args.verbose and misses:
        print("misses:")
        print("\n".join(misses))
    return 0


def _settings(changes: list[str]) -> ConversationSettings:
    """The default conversation settings with ``NAME=VALUE`` changes, each value typed as the
    field's default is; a bad one ends the run with one line naming it."""
    defaults = DEFAULT_CONVERSATION_SETTINGS.as_dict()
    fields = {}
    for change in changes:
        name, _, value = change.partition("=")
        if name not in defaults or not value:
            raise SystemExit(f"dialogues.py: --conversation {change!r}: give NAME=VALUE, a ConversationSettings field")
        try:
            fields[name] = type(defaults[name])(value)
        except ValueError:
            raise SystemExit(f"dialogues.py: --conversation {change!r}: {value!r} is not a number") from None
    try:
        return DEFAULT_CONVERSATION_SETTINGS.replace(**fields)
    except (TypeError, ValueError) as exc:
        raise SystemExit(f"dialogues.py: --conversation: {exc}") from None


def _rate(results: list[bool]) -> str:
    if not results:
        return "  -"
    return f"{sum(results):>3}/{len(results):<3} {100 * sum(results) / len(results):5.1f}%"


if __name__ == "__main__":
    sys.exit(main())
