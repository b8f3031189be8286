"""exoreview effects [--format text|json]"""

from __future__ import annotations

import argparse
import json
import math
from typing import Any

import pandas as pd

from ..core.evidence import load

HELP = (
    "effect sizes computed from the numbers studies report (two-arm mean differences and Hedges' g, "
    "single-arm changes), what could not be computed and why, and the pooled comparable groups"
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=["text", "json"], default="text")


def run(args: argparse.Namespace) -> int:
    # the stage's modules load when the command runs: the CLI builds every command's parser at start
    from ..appraisal.effects import studies_without_numbers, study_effects
    from ..appraisal.pooling import pool_comparable

    ev = load(args.evidence)
    effects, skipped = study_effects(ev)
    syntheses = pool_comparable(effects)
    missing = studies_without_numbers(ev, effects, skipped)
    if args.format == "json":
        print(
            json.dumps(
                {
                    "effects": _records(effects),
                    "not_computed": _records(skipped),
                    "syntheses": [s.to_dict() for s in syntheses],
                    "studies_without_numbers": _records(missing),
                    "counts": {
                        "studies_with_effects": int(effects["study"].nunique()),
                        "effects": len(effects),
                        "not_computed": len(skipped),
                        "pooled_groups": sum(1 for s in syntheses if s.pooled is not None),
                        "studies_without_numbers": len(missing),
                    },
                },
                indent=2,
                ensure_ascii=False,
                default=str,
            )
        )
        return 0
    print(f"EFFECTS ({effects['study'].nunique()} studies)")
    for e in effects.itertuples():
        conv = f" [{e.conversion}]" if isinstance(e.conversion, str) else ""
        print(
            f"  {e.label}: {e.outcome}, {e.kind} ({e.design}, {e.evidence}, n {e.n}): {e.estimate:.2f} "
            f"(95% CI {e.ci_low:.2f} to {e.ci_high:.2f}) {e.unit if isinstance(e.unit, str) else ''}{conv}"
        )
    print(f"\nNOT COMPUTED ({len(skipped)})")
    for s in skipped.itertuples():
        print(f"  {s.study}: {s.outcome}: {s.reason} ({s.numbers})")
    print("\nPOOLED")
    for s in syntheses:
        print(f"  {s.describe()}")
    if not syntheses:
        print("  nothing to pool: no comparable group of two or more studies")
    print(f"\nNO NUMBERS ({len(missing)} primary studies)")
    for level, grp in missing.groupby("extraction_level"):
        print(f"  {level}: {len(grp)}: " + ", ".join(grp["study"]))
    return 0


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in r.items()}
        for r in df.astype(object).where(df.notna(), None).to_dict("records")
    ]
