"""Load + validate N study files, against pandas reading the same facts from one CSV.

``python benchmarks/bench_load.py [N]`` (default 10,000 synthetic studies from synth.py).

The floor is ``pandas.read_csv`` of one CSV holding every fact of every study, one row a study
(the studies table plus each study's outcomes and models as JSON text), written from the same
data in the same run. Ours is ``exoreview.load`` with its cache warm (files unchanged since the
last load; the cache still checks every file). Target: warm ratio <= 3.

Beside it (not a target): the cold load (parse + validate every file, then write the cache) and
``cold_ratio``, the cold load against reading every study file with libyaml alone (``yaml_s``),
the least a load without the cache must do.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import synth
import yaml

import exoreview as xr

TARGET = 3.0


def _timed_in_turn(fns, repeats: int) -> list[list[float]]:
    """Seconds of each call of each function, the functions called in turn each repeat."""
    out = [[] for _ in fns]
    for _ in range(repeats):
        for fn, times in zip(fns, out):
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
    return out


def measure(
    n: int = 10_000, *, repeats: int = 7, folder: str | Path | None = None, cache: str | Path | None = None
) -> dict:
    """Time a warm load of `n` synthetic studies (or of `folder`, already written by synth.py)
    against read_csv of the same facts; returns a dict. `cache`: the load cache folder (default
    a new temporary one; it must not hold this folder's cache yet, or the cold load is warm)."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(folder) if folder else synth.write(n, Path(tmp) / "evidence")
        saved = os.environ.get("EXOREVIEW_CACHE")
        os.environ["EXOREVIEW_CACHE"] = str(cache or Path(tmp) / "cache")
        try:
            t0 = time.perf_counter()
            ev = xr.load(root)  # cold: parse, validate, build, write the cache
            cold = time.perf_counter() - t0
            facts = ev.studies.copy()
            recs = ev.records
            facts["outcomes_json"] = [json.dumps(recs[k]["outcomes"]) for k in facts["key"]]
            facts["models_json"] = [json.dumps(recs[k]["models"]) for k in facts["key"]]
            csv = Path(tmp) / "facts.csv"
            facts.to_csv(csv, index=False)
            # warm loads and the floor in turn, so a noisy minute falls on both
            warm, floor = _timed_in_turn([lambda: xr.load(root), lambda: pd.read_csv(csv)], repeats)
            t0 = time.perf_counter()
            _read_yaml_files(root)
            yaml_s = time.perf_counter() - t0
        finally:
            if saved is None:
                os.environ.pop("EXOREVIEW_CACHE", None)
            else:
                os.environ["EXOREVIEW_CACHE"] = saved
    ours_s, floor_s = statistics.median(warm), statistics.median(floor)
    return {
        "benchmark": "load + validate",
        "studies": len(ev.studies),
        "cold_load_s": round(cold, 3),
        "ours_s": round(ours_s, 4),
        "floor_s": round(floor_s, 4),
        "ratio": round(ours_s / floor_s, 3),
        "target": TARGET,
        "ok": ours_s / floor_s <= TARGET,
        "repeats": repeats,
        "yaml_s": round(yaml_s, 3),
        "cold_ratio": round(cold / yaml_s, 2),
    }


def _read_yaml_files(root: Path) -> int:
    """Parse every study file with libyaml (the C loader when present), nothing more."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    n = 0
    for path in sorted((root / "studies").glob("*.yaml")):
        n += bool(yaml.load(path.read_text(encoding="utf-8"), Loader=loader))
    return n


if __name__ == "__main__":
    print(json.dumps(measure(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000), indent=2))
