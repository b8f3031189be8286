"""exoreview changes --since REV [--format text|json]"""

from __future__ import annotations

import argparse
import json

HELP = (
    "what changed in the evidence since a git revision, tag or date: studies and regulatory records added, "
    "removed and changed, and every claim graded then (today's rules) beside now"
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--since",
        metavar="REV",
        required=True,
        help="a git revision or tag, or a date YYYY-MM-DD (the last commit before it)",
    )
    p.add_argument("--format", choices=["text", "json"], default="text")


def run(args: argparse.Namespace) -> int:
    # the stage's modules load when the command runs: the CLI builds every command's parser at start
    from ..app.changes import compare

    result = compare(args.evidence, args.since)
    if args.format == "json":
        print(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(result.to_text())
    return 0
