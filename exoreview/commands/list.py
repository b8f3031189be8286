"""exoreview list [filters] [--format table|csv|json] [--out FILE]"""

from __future__ import annotations

import argparse
import json
import shutil
import sys

from ..core.evidence import load
from ..core.filters import FIELDS, Filter
from ..core.values import neutralized

HELP = "list the studies a filter keeps (the same Filter the notebooks use)"

COLUMNS = (
    "key",
    "year",
    "citation",
    "cell_source",
    "vesicle_term",
    "tier",
    "species",
    "n_participants",
    "n_animals",
    "condition",
    "citation_status",
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    for f in FIELDS:
        if f.kind == "terms":
            p.add_argument(f.flag, dest=f.name, action="append", metavar="TERM", help=f.help)
        elif f.kind == "level":
            p.add_argument(f.flag, dest=f.name, metavar="DESIGN", help=f.help)
        elif f.kind == "year":
            p.add_argument(f.flag, dest=f.name, type=_year, metavar="N", help=f.help)
        elif f.kind == "text":
            p.add_argument(f.flag, dest=f.name, metavar="WORDS", help=f.help)
        else:
            p.add_argument(f.flag, dest=f.name, action="store_false", help=f.help)
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.add_argument("--out", metavar="FILE", help="also write the table (.csv, .xlsx or .html)")


def _year(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a year; write it like 2021") from None


def filter_from_args(args: argparse.Namespace):
    return Filter(
        **{f.name: getattr(args, f.name) for f in FIELDS if getattr(args, f.name, None) is not None}
    )


def run(args: argparse.Namespace) -> int:
    ev = load(args.evidence)
    spec = filter_from_args(args).resolved(ev.vocabulary)
    sub = spec.apply(ev)
    table = sub.studies[list(COLUMNS)]
    if args.out:
        # the stage's modules load when the command runs: the CLI builds every command's parser at start
        from ..views.export import write_table

        path = write_table(sub.studies, args.out, caption=f"exoreview studies: {spec.describe()}")
        print(f"wrote {path} ({len(sub.studies)} studies)", file=sys.stderr)
    if args.format == "json":
        rows = json.loads(table.to_json(orient="records"))
        print(
            json.dumps(
                {"filter": spec.describe(), "count": len(rows), "studies": rows}, indent=2, ensure_ascii=False
            )
        )
    elif args.format == "csv":
        sys.stdout.write(neutralized(table).to_csv(index=False))
    else:
        print(_text_table(table))
        print(f"{len(table)} of {len(ev.studies)} studies · {spec.describe()}")
    return 0


def _text_table(df) -> str:
    width = shutil.get_terminal_size((160, 20)).columns
    show = df[["key", "year", "cell_source", "tier", "species"]].astype(object).fillna("")
    cols = list(show.columns)
    widths = {c: min(max([len(c)] + [len(str(v)) for v in show[c]]), 34) for c in cols}
    lines = ["  ".join(c.ljust(widths[c]) for c in cols)]
    for row in show.itertuples(index=False):
        lines.append("  ".join(_cut(str(v), widths[c]).ljust(widths[c]) for c, v in zip(cols, row)))
    return "\n".join(line[:width] for line in lines)


def _cut(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"
