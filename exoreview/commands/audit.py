"""exoreview audit FILE [--format text|json]"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..core.evidence import load
from ..core.yamlio import display_path, os_error_line
from ..errors import UsageError

HELP = ("audit a text: are its references real and on topic, do its claims say what the evidence "
        "shows, and where does it overreach?")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE", help="a UTF-8 text file (an article, a clinic page)")
    p.add_argument("--format", choices=["text", "json"], default="text")


def run(args: argparse.Namespace) -> int:
    # the stage's modules load when the command runs: the CLI builds every command's parser at start
    from ..appraisal.audit import audit, read_text_file

    try:  # missing, unreadable, or a part of the path is a file: one line saying what to do
        with Path(args.file).open("rb"):
            pass
    except IsADirectoryError:
        pass  # read_text_file: "is a folder; give a text file"
    except OSError as err:
        raise UsageError(f"{os_error_line(err)} (FILE is the text to audit)") from None
    text = read_text_file(args.file)  # UsageError (exit 2) for folders, binary, non-UTF-8 files
    ev = load(args.evidence)
    findings = audit(text, ev, source=display_path(args.file))
    if args.format == "json":
        print(json.dumps(findings.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(findings.to_text())
    return 0
