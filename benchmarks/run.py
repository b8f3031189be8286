"""Run every benchmark: ``python benchmarks/run.py [--quick] [--format text|json]`` (``make bench``).

Each figure is a ratio against a floor measured in the same run, on the same data, except the
report, which is wall-clock seconds for the whole meeting report on the shipped evidence.

    load_ratio    load + validate N study files (cache warm)  vs pandas.read_csv of the same facts
    filter_ratio  one dashboard filter change at N studies     vs bare pandas + matplotlib
    import_ratio  import + de-duplicate N RIS records          vs rispy's parse alone
    report_s      `exoreview report` on the shipped evidence   (seconds)

--quick uses smaller sizes (about a minute in all). What the load cache buys at realistic sizes
is measured apart, in seconds: ``python benchmarks/bench_cache.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import bench_filter
import bench_import
import bench_load
import matplotlib
import synth

ROOT = Path(__file__).resolve().parents[1]

SIZES = {"full": {"studies": 10_000, "import": 20_000}, "quick": {"studies": 5_000, "import": 5_000}}
REPEATS = {"full": {"load": 7, "filter": 5, "import": 7}, "quick": {"load": 5, "filter": 3, "import": 5}}
TARGETS = {"load_ratio": 3.0, "filter_ratio": 1.5, "import_ratio": 4.0, "report_s": 60.0}


def report_seconds(evidence: Path) -> dict:
    exe = Path(sys.executable).with_name("exoreview")
    cmd = [str(exe) if exe.exists() else sys.executable, *([] if exe.exists() else ["-m", "exoreview.cli"])]
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        done = subprocess.run(
            [*cmd, "report", "--out", tmp, "--evidence", str(evidence)],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        seconds = time.perf_counter() - t0
        figures = len(list((Path(tmp) / "figures").glob("*.png")))
    if done.returncode != 0:
        raise SystemExit(f"exoreview report failed:\n{done.stderr[-2000:]}")
    return {"report_s": round(seconds, 1), "figures": figures}


def run(quick: bool, evidence: Path = ROOT / "evidence") -> dict:
    mode = "quick" if quick else "full"
    sizes, repeats = SIZES[mode], REPEATS[mode]
    # one synthetic folder and one load cache for load and filter (the filter benchmark loads
    # the folder the load benchmark has just cached)
    with tempfile.TemporaryDirectory() as tmp:
        folder = synth.write(sizes["studies"], Path(tmp) / "evidence")
        cache = Path(tmp) / "cache"
        load = bench_load.measure(sizes["studies"], repeats=repeats["load"], folder=folder, cache=cache)
        saved = os.environ.get("EXOREVIEW_CACHE")
        os.environ["EXOREVIEW_CACHE"] = str(cache)
        try:
            filt = bench_filter.measure(sizes["studies"], repeats=repeats["filter"], folder=folder)
        finally:
            os.environ.pop("EXOREVIEW_CACHE") if saved is None else os.environ.update(EXOREVIEW_CACHE=saved)
    imp = bench_import.measure(sizes["import"], repeat=repeats["import"])
    rep = report_seconds(evidence)
    figures = {
        "load_ratio": load["ratio"],
        "filter_ratio": filt["ratio"],
        "import_ratio": round(imp["ratio"], 3),
        "report_s": rep["report_s"],
    }
    return {
        **figures,
        "targets": TARGETS,
        "ok": all(figures[k] <= TARGETS[k] for k in TARGETS),
        "quick": quick,
        "sizes": sizes,
        "details": {"load": load, "filter": filt, "import": imp, "report": rep},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes (about a minute)")
    parser.add_argument("--format", choices=["text", "json"], default="text")
    parser.add_argument(
        "--evidence",
        type=Path,
        default=ROOT / "evidence",
        help="the evidence folder the report is drawn from (default: evidence/)",
    )
    args = parser.parse_args(argv)
    matplotlib.use("Agg")
    result = run(args.quick, args.evidence)
    if args.format == "json":
        print(json.dumps(result, indent=2))
    else:
        s = result["sizes"]
        rows = [
            ("load_ratio", f"load + validate {s['studies']} files vs read_csv"),
            ("filter_ratio", f"filter change at {s['studies']} studies vs pandas+matplotlib"),
            ("import_ratio", f"import + dedupe {s['import']} records vs rispy"),
            ("report_s", "meeting report on the shipped evidence (s)"),
        ]
        for key, what in rows:
            flag = "ok" if result[key] <= TARGETS[key] else "OVER TARGET"
            print(f"{key:13} {result[key]:>8}  target <= {TARGETS[key]:<5} {flag:11} {what}")
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
