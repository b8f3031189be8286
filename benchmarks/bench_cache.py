"""What the load cache buys at realistic sizes: seconds of ``exoreview.load``, cold and warm.

    python benchmarks/bench_cache.py [--evidence DIR] [N ...]
                                   # default: the shipped evidence/, 500 and 2000 synthetic studies

For each folder (the shipped ``evidence/``, then N synthetic studies from synth.py):

* ``off_s``: the load without a cache (``EXOREVIEW_CACHE=off``): every file parsed and validated;
* ``first_s``: the first load with an empty cache (the same, plus writing the cache);
* ``warm_s``: a load with the cache written and no file changed (every file still checked);

each timed in a new Python process, as a notebook or ``exoreview`` starts (``import exoreview``
not counted; what the load itself imports is), median of `repeats` (the cache's key includes the
package's code: a warm load that missed because the code changed meanwhile is run again); and ``off_in_process_s`` /
``warm_in_process_s``, the same loads repeated in one process (a dashboard reloading). Seconds, not
ratios: the question is how long a user waits.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import synth

ROOT = Path(__file__).resolve().parents[1]
SIZES = (500, 2000)

# one load in a new process: the seconds of xr.load alone, the studies, and whether the load found
# the cache written before it started (a warm load that missed is timed again)
_ONE_LOAD = """
import sys, time
from pathlib import Path
import exoreview as xr
from exoreview.core import cache
started = time.time()
t0 = time.perf_counter()
ev = xr.load(sys.argv[1])
seconds = time.perf_counter() - t0
place = cache._place(Path(sys.argv[1]))
done = place and place[0] / place[1] / "complete"
hit = bool(done) and done.is_file() and done.stat().st_mtime < started
print(seconds, len(ev.studies), int(hit))
"""

# repeated loads in one process
_IN_PROCESS = """
import sys, time, statistics
import exoreview as xr
xr.load(sys.argv[1])
times = []
for _ in range(int(sys.argv[2])):
    t0 = time.perf_counter()
    xr.load(sys.argv[1])
    times.append(time.perf_counter() - t0)
print(statistics.median(times))
"""


def _run(script: str, folder: Path, cache: str, *args: str) -> list[str]:
    env = {**os.environ, "EXOREVIEW_CACHE": cache}
    done = subprocess.run(
        [sys.executable, "-c", script, str(folder), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.split()


def measure_folder(folder: Path, *, repeats: int = 3) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        off = [float(_run(_ONE_LOAD, folder, "off")[0]) for _ in range(repeats)]
        first, warm = [], []
        for i in range(repeats):
            cache = str(Path(tmp) / f"cache{i}")
            seconds, studies, _hit = _run(_ONE_LOAD, folder, cache)
            first.append(float(seconds))
            for _attempt in range(3):  # the package's code changed in between: the cache missed
                seconds, _studies, hit = _run(_ONE_LOAD, folder, cache)
                if hit == "1":
                    break
            warm.append(float(seconds))
        off_in = float(_run(_IN_PROCESS, folder, "off", str(repeats))[0])
        warm_in = float(_run(_IN_PROCESS, folder, str(Path(tmp) / "cache0"), str(repeats))[0])
    return {
        "studies": int(studies),
        "off_s": round(statistics.median(off), 3),
        "first_s": round(statistics.median(first), 3),
        "warm_s": round(statistics.median(warm), 3),
        "off_in_process_s": round(off_in, 3),
        "warm_in_process_s": round(warm_in, 3),
        "repeats": repeats,
    }


def measure(sizes: tuple[int, ...] = SIZES, *, repeats: int = 3, evidence: Path = ROOT / "evidence") -> dict:
    out = {"shipped": measure_folder(evidence, repeats=repeats)}
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            out[str(n)] = measure_folder(synth.write(n, Path(tmp) / "evidence"), repeats=repeats)
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=list(SIZES), help="synthetic studies")
    parser.add_argument("--evidence", type=Path, default=ROOT / "evidence", help="the real evidence folder")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    print(json.dumps(measure(tuple(args.sizes), repeats=args.repeats, evidence=args.evidence), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
