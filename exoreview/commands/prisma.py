"""exoreview prisma [--out FILE] [--format text|json]"""

from __future__ import annotations

import argparse
import json
import sys

HELP = "the PRISMA 2020 flow counts from the screening log; --out draws the diagram (PNG, SVG, PDF)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", metavar="FILE", help="figure path; writes FILE's stem as .png, .svg and .pdf")
    p.add_argument("--format", choices=["text", "json"], default="text")


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ..screening.prisma import counts
    from ..screening.log import read_log

    c = counts(read_log(args.evidence))
    if args.out:
        import matplotlib

        matplotlib.use("Agg")
        from ..views.export import save_figure
        from ..views.prisma import flow_diagram
        from ..core.yamlio import display_path

        out = Path(args.out)
        stem = out.with_suffix("") if out.suffix.lower() in {".png", ".svg", ".pdf"} else out
        ax = flow_diagram(c)
        written = save_figure(ax, stem)
        print("wrote " + ", ".join(display_path(p) for p in written), file=sys.stderr)
    if args.format == "json":
        print(json.dumps(c.as_dict(), indent=2, ensure_ascii=False))
    else:
        print(c.describe())
    return 0
