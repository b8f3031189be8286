"""The benchmark scripts run (synth.py writes valid, loadable, seeded synthetic evidence; each
benchmark works at a tiny size). No timing is asserted: speed lives in benchmarks/ only."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import exoreview as xr

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import bench_cache  # noqa: E402
import bench_filter  # noqa: E402
import bench_import  # noqa: E402
import bench_load  # noqa: E402
import synth  # noqa: E402

# the benchmark scripts at tiny sizes (seconds each): `make test` runs them, `make check` leaves them out
pytestmark = pytest.mark.slow


def test_synth_writes_valid_seeded_evidence(tmp_path):
    a = synth.write(60, tmp_path / "a")
    ev = xr.load(a)
    assert len(ev.studies) == 60
    tiers = set(ev.studies["tier"].astype(str))
    assert {"animal", "registered, no results"} <= tiers
    assert ev.studies["notes"].str.contains("SYNTHETIC").all()
    b = synth.write(60, tmp_path / "b")
    assert [p.read_text() for p in sorted((a / "studies").iterdir())] == [
        p.read_text() for p in sorted((b / "studies").iterdir())
    ]  # seeded: same files


def test_synth_refuses_a_folder_with_studies(tmp_path):
    synth.write(3, tmp_path / "a")
    with pytest.raises(SystemExit, match="already holds files"):
        synth.write(3, tmp_path / "a")


def test_benchmarks_run_at_tiny_sizes():
    """The benchmark scripts work (no timing is asserted: speed lives in benchmarks/ only)."""
    load = bench_load.measure(40, repeats=1)
    assert load["studies"] == 40 and load["ours_s"] > 0 and load["floor_s"] > 0 and load["yaml_s"] > 0
    filt = bench_filter.measure(40, repeats=1)
    assert filt["studies"] == 40 and filt["studies_shown"] == filt["floor_studies_shown"]
    imp = bench_import.measure(200, repeat=1)
    assert imp["records"] == imp["rispy_records"] == 200 and imp["duplicates"] > 0


def test_the_cache_benchmark_runs_at_a_tiny_size(tmp_path):
    got = bench_cache.measure_folder(synth.write(20, tmp_path / "evidence"), repeats=1)
    assert got["studies"] == 20 and all(got[k] > 0 for k in ("off_s", "first_s", "warm_s"))
