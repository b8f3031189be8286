"""exoreview validate [DIR]"""

from __future__ import annotations

import argparse
import json
import sys

from ..core.validate import validate

HELP = "check every evidence file; print a summary, or every problem as path:line: field: message"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("dir", nargs="?", metavar="DIR", help="evidence folder (same as --evidence)")
    p.add_argument("--format", choices=["text", "json"], default="text")


def run(args: argparse.Namespace) -> int:
    report = validate(args.dir or args.evidence)
    if args.format == "json":
        print(
            json.dumps(
                {
                    "valid": report.ok,
                    "counts": report.counts,
                    "incomplete_citations": report.incomplete,
                    "problems": [
                        {
                            "path": p.path,
                            "line": p.line,
                            "field": p.field,
                            "code": p.code,
                            "message": p.message,
                        }
                        for p in report.problems
                    ],
                },
                indent=2,
            )
        )
        return 0 if report.ok else 1
    for problem in report.problems:
        print(problem, file=sys.stderr)
    print(report.summary(), file=sys.stdout if report.ok else sys.stderr)
    return 0 if report.ok else 1
