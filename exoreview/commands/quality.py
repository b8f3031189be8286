"""exoreview quality [--format text|json] [--tool TOOL]"""

from __future__ import annotations

import argparse
import json

from ..core.evidence import load
from ..core.rob_tools import TOOLS

HELP = "risk of bias (RoB 2, ROBINS-I, JBI, SYRCLE) and EV reporting (MISEV items) of every study"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--format",
        choices=["text", "json"],
        default="text",
        help="text: one line a study; json: the full item tables",
    )
    p.add_argument("--tool", choices=list(TOOLS), help="only studies assessed with this tool")


def run(args: argparse.Namespace) -> int:
    # the stage's modules load when the command runs: the CLI builds every command's parser at start
    from ..appraisal.quality import summary, to_json

    ev = load(args.evidence)
    if args.format == "json":
        rows = [r for r in to_json(ev) if not args.tool or r["rob_tool"] == args.tool]
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    df = summary(ev)
    if args.tool:
        df = df[df["rob_tool"] == args.tool]
    for r in df.itertuples():
        rob = (
            f"{r.rob_tool}: {r.rob_overall}"
            if isinstance(r.rob_overall, str)
            else (
                f"{r.rob_tool}: "
                + (
                    "not assessable (" + str(r.extraction_level) + " only)"
                    if "not assessable" in str(r.rob_note)
                    else "not yet assessed"
                )
                if isinstance(r.rob_tool, str)
                else "no tool (" + str(r.rob_note).split(":")[0] + ")"
            )
        )
        ev_part = f"EV {r.ev_shown}"
        flags = f"  [{r.ev_flags}]" if isinstance(r.ev_flags, str) else ""
        print(f"{r.study:<48} {str(r.design):<31} {rob:<34} {ev_part}{flags}")
    assessed = df["rob_overall"].notna().sum()
    with_tool = df["rob_tool"].notna().sum()
    full = int((df["extraction_level"] == "full text").sum())
    print(
        f"{len(df)} studies ({full} read in full text); {assessed} of {with_tool} with a fitting tool "
        f"assessed (risk of bias needs the methods section); EV reporting scored for "
        f"{int(df['ev_score'].notna().sum())} (score / items assessed; items not extracted are not counted)"
    )
    return 0
