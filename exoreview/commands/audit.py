"""exoreview audit FILE [--format text|json]"""

from __future__ import annotations

import argparse
import json

HELP = ("audit a text: are its references real and on topic, do its claims say what the evidence "
        "shows, and where does it overreach?")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE", help="a UTF-8 text file (an article, a clinic page)")
    p.add_argument("--format", choices=["text", "json"], default="text")


def run(args: argparse.Namespace) -> int:
    from ..audit import audit, read_text_file
    from ..evidence import load
    from ..yamlio import display_path

    text = read_text_file(args.file)  # UsageError (exit 2) for missing, binary, non-UTF-8 files
    ev = load(args.evidence)
    findings = audit(text, ev, source=display_path(args.file))
    if args.format == "json":
        print(json.dumps(findings.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(findings.to_text())
    return 0
