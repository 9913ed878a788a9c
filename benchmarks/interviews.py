"""How askbot answers readers of interviews it was never tuned on: the interviews and the dev set.

    python benchmarks/interviews.py                       # the tune split (develop against it)
    python benchmarks/interviews.py --split report        # read once, at the end
    python benchmarks/interviews.py --split holdout       # interviews_holdout/, read once too
    python benchmarks/interviews.py --split holdout2      # interviews_holdout2/, read once too
    python benchmarks/interviews.py --split holdout3      # interviews_holdout3/, not read yet
    python benchmarks/interviews.py --split holdout4      # interviews_holdout4/, not read yet
    python benchmarks/interviews.py --verbose             # ... with every miss

Each interview of ``benchmarks/interviews/`` is a knowledge file as ``askbot ingest`` made it,
with reader questions written before askbot ran on them; ``readers.py`` says how they are split
and counted. Printed per set: answerable questions answered right, those about what the answer
says answered right, out-of-scope questions rejected, confident wrong answers (in scope and out),
and the mean utility the sweeps tune on. ``--matcher semantic`` uses the sentence model.
"""

from __future__ import annotations

import argparse

from readers import INTERVIEW_SPLITS, add_matcher_option, evaluate, matcher_for, reader_sets, table


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--split", default="tune", choices=INTERVIEW_SPLITS, help="which part (default: tune)")
    parser.add_argument("--verbose", action="store_true", help="list every miss")
    add_matcher_option(parser)
    args = parser.parse_args()
    results = []
    for reader_set in reader_sets(args.split):
        tally = evaluate(matcher_for(reader_set.knowledge, args.matcher), reader_set.questions)
        results.append((reader_set.name, tally))
    print(f"askbot {args.matcher}, {args.split} split")
    print(table(results))
    if args.verbose:
        for name, tally in results:
            print(f"\n{name}: {len(tally.misses)} misses (expected -> got, score, kind)")
            for question, got, score in tally.misses:
                expected = "|".join(sorted(question.expected)) or "-"
                print(f"  {question.text!r}: {expected} -> {got or '-'} ({score:.1f}) [{question.kind}]")


if __name__ == "__main__":
    main()
