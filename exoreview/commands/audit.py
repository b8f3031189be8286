"""exoreview audit FILE [--format text|json]"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..core.evidence import load
from ..core.yamlio import display_path, os_error_line
from ..errors import UsageError

HELP = (
    "audit a text: are its references real and on topic, do its claims say what the evidence "
    "shows, and where does it overreach?"
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "file", metavar="FILE", help="a text to audit: a UTF-8 .txt file, a saved web page (.html) or a PDF"
    )
    p.add_argument("--format", choices=["text", "json"], default="text")


def run(args: argparse.Namespace) -> int:
    # the stage's modules load when the command runs: the CLI builds every command's parser at start
    from ..appraisal.audit import audit
    from ..appraisal.texts import read_text

    try:  # missing, unreadable, or a part of the path is a file: one line saying what to do
        with Path(args.file).open("rb"):
            pass
    except IsADirectoryError:
        pass  # read_text says: "is a folder; give a text file ..."
    except OSError as err:
        raise UsageError(f"{os_error_line(err)} (FILE is the text to audit)") from None
    text = read_text(args.file)  # UsageError (exit 2): folders, binary, non-UTF-8, empty, encrypted, no text
    ev = load(args.evidence)
    findings = audit(text, ev, source=display_path(args.file))
    if args.format == "json":
        print(json.dumps(findings.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(findings.to_text())
    return 0
