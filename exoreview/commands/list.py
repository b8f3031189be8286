"""exoreview list [filters] [--format table|csv|json] [--out FILE]"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from typing import Any

import pandas as pd

from ..core.evidence import Evidence, load
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


# the full record of a study in --format json and csv, in this order
RECORD_FIELDS = (
    "key",
    "title",
    "authors",
    "journal",
    "year",
    "volume",
    "issue",
    "pages",
    "doi",
    "pmid",
    "registry_id",
    "citation",
    "design",
    "tier",
    "models",
    "species",
    "condition",
    "cell_source",
    "vesicle_term",
    "n_participants",
    "n_animals",
    "outcome_summary",
    "outcomes",
    "extraction_level",
    "citation_status",
    "confidence",
    "publication_status",
    "file",
)
# table columns read as they are (display values derived by the loader, once)
FROM_TABLE = frozenset(
    {
        "citation",
        "tier",
        "outcome_summary",
        "extraction_level",
        "citation_status",
        "file",
        "n_participants",
        "n_animals",
    }
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
        rows = full_records(sub)
        print(
            json.dumps(
                {"filter": spec.describe(), "count": len(rows), "studies": rows}, indent=2, ensure_ascii=False
            )
        )
    elif args.format == "csv":
        rows = pd.DataFrame([_flat(r) for r in full_records(sub)], columns=list(RECORD_FIELDS))
        rows = rows.astype({c: "Int64" for c in ("year", "n_participants", "n_animals")})
        sys.stdout.write(neutralized(rows).to_csv(index=False))
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


def full_records(ev: Evidence) -> list[dict[str, Any]]:
    """One dict a study (in the table's order): citation fields, coded fields as vocabulary keys,
    models as {model, species, detail}, outcomes as {outcome, measure, direction, timepoint}, and the
    loader's derived columns (tier, citation status, extraction level)."""
    table = json.loads(ev.studies.to_json(orient="records"))
    outcomes: dict[str, list[dict[str, Any]]] = {}
    for o in json.loads(
        ev.outcomes[["study", "outcome", "measure", "direction", "timepoint"]].to_json(orient="records")
    ):
        outcomes.setdefault(o.pop("study"), []).append(o)
    out = []
    for row in table:
        rec = ev.records[row["key"]]
        full: dict[str, Any] = {}
        for name in RECORD_FIELDS:
            if name in FROM_TABLE:
                full[name] = row.get(name)
            elif name == "outcomes":
                full[name] = outcomes.get(row["key"], [])
            elif name == "models":
                full[name] = [
                    {"model": m.get("model"), "species": m.get("species"), "detail": m.get("detail")}
                    for m in rec.get("models") or []
                ]
            elif name == "species":
                full[name] = list(dict.fromkeys(m.get("species") for m in rec.get("models") or []))
            else:
                value = rec.get(name)
                full[name] = list(value) if isinstance(value, (list, tuple)) else value
        out.append(full)
    return out


def _flat(rec: dict[str, Any]) -> dict[str, Any]:
    """A full record as one CSV row: lists joined with '; ', models as 'model (species)',
    outcomes by name (their summary is the outcome_summary column)."""
    flat = dict(rec)
    flat["models"] = "; ".join(f"{m['model']} ({m['species']})" for m in rec["models"])
    flat["outcomes"] = "; ".join(dict.fromkeys(o["outcome"] for o in rec["outcomes"]))
    for name, value in flat.items():
        if isinstance(value, list):
            flat[name] = "; ".join(str(v) for v in value)
    return flat
