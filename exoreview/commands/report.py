"""``exoreview report``: run every notebook headless and write the offline meeting report."""

from __future__ import annotations

import argparse
import sys

from ..core.yamlio import display_path
from ..errors import UsageError

HELP = "build the meeting report: reports/index.html (self-contained, offline) and reports/figures/"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--out",
        metavar="DIR",
        default="reports",
        help="report folder (default: reports/); never inside evidence/",
    )
    parser.add_argument(
        "--notebooks",
        metavar="DIR",
        default="notebooks",
        help="notebooks to execute, every *.ipynb in name order (default: notebooks/)",
    )
    parser.add_argument(
        "--timeout",
        metavar="SECONDS",
        type=int,
        default=300,
        help="longest a notebook cell may run (default: 300)",
    )
    parser.add_argument(
        "--since",
        metavar="REV",
        help="add a 'Since the last meeting' section: the evidence at this git revision, tag or date beside today's",
    )
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")


def run(args: argparse.Namespace) -> int:
    # the stage's modules load when the command runs: the CLI builds every command's parser at start
    from ..app.report import build

    if args.timeout <= 0:
        raise UsageError("--timeout must be a positive number of seconds")
    result = build(
        evidence=args.evidence,
        out=args.out,
        notebooks=args.notebooks,
        timeout=args.timeout,
        progress=not args.no_progress,
        since=args.since,
    )
    print(
        f"wrote {display_path(result.index)} ({len(result.notebooks)} notebooks, "
        f"{len(result.figures) // 3} figures in {display_path(result.index.parent / 'figures')})",
        file=sys.stdout,
    )
    return 0
