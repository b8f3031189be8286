"""exoreview prisma [--out FILE] [--format text|json]"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..core.yamlio import display_path
from ..errors import ValidationError

HELP = (
    "the PRISMA 2020 flow counts from the search and screening log, and where every study of the evidence base "
    "came from; --out draws the diagram (PNG, SVG, PDF)"
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", metavar="FILE", help="figure path; writes FILE's stem as .png, .svg and .pdf")
    p.add_argument("--format", choices=["text", "json"], default="text")


def run(args: argparse.Namespace) -> int:
    # the stage's modules load when the command runs: the CLI builds every command's parser at start
    from ..core.evidence import load
    from ..screening.log import read_log
    from ..screening.prisma import counts
    from ..screening.searches import read_searches

    log, searches = read_log(args.evidence), read_searches(args.evidence)
    try:
        evidence = load(args.evidence)
    except ValidationError as err:  # a curator's drafts are still being filled: count the flow without them
        evidence = None
        print(
            f"note: the evidence base does not validate ({len(err.problems)} problems; `exoreview validate` "
            "lists them), so its studies are not placed in the diagram",
            file=sys.stderr,
        )
    c = counts(log, evidence, searches)
    if args.out:
        # the stage's modules load when the command runs: the CLI builds every command's parser at start
        import matplotlib

        matplotlib.use("Agg")
        # the stage's modules load when the command runs: the CLI builds every command's parser at start
        from ..views.export import save_figure
        from ..views.prisma import flow_diagram

        out = Path(args.out)
        stem = out.with_suffix("") if out.suffix.lower() in {".png", ".svg", ".pdf"} else out
        ax = flow_diagram(c)
        written = save_figure(ax, stem)
        print("wrote " + ", ".join(display_path(p) for p in written), file=sys.stderr)
    if args.format == "json":
        print(json.dumps(c.as_dict(), indent=2, ensure_ascii=False))
    else:
        print(c.describe())
        for problem in c.check():  # the boxes must add up and records and study files point at each other
            print(f"check: {problem}")
    return 0
