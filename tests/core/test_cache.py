"""The load cache gives the same Evidence as reading the files, and any change invalidates it."""

from __future__ import annotations

import os
import shutil
import time

import pandas as pd
import pytest
from conftest import EVIDENCE, base_study, snapshot

import exoreview as xr
from exoreview.core.cache import TABLES, LazyRecords, fingerprint


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    path = tmp_path / "cache"
    monkeypatch.setenv("EXOREVIEW_CACHE", str(path))
    return path


@pytest.fixture
def evidence_copy(tmp_path):
    root = tmp_path / "evidence"
    shutil.copytree(EVIDENCE, root, ignore=shutil.ignore_patterns("dossier"))
    return root


def assert_same(a, b):
    for name in TABLES:
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), obj=name)
    assert dict(a.records) == dict(b.records)
    assert dict(a.regulatory_records) == dict(b.regulatory_records)
    assert a.vocabulary == b.vocabulary and a.root == b.root


def test_cached_load_equals_reading_the_files(cache_dir, evidence_copy, monkeypatch):
    first = xr.load(evidence_copy)
    assert list(cache_dir.rglob("complete")), "the first load writes the cache"
    second = xr.load(evidence_copy)
    assert isinstance(second.records, LazyRecords)
    monkeypatch.setenv("EXOREVIEW_CACHE", "off")
    assert_same(second, xr.load(evidence_copy))
    assert_same(first, second)
    sub = xr.Filter(cell_sources=["ADSC"]).apply(second)
    assert set(sub.records) == set(sub.studies["key"])


def test_an_edit_in_place_invalidates(cache_dir, evidence_copy):
    xr.load(evidence_copy)
    path = evidence_copy / "studies" / "ersan-2024-foreskin-msc-exo.yaml"
    text = path.read_text(encoding="utf-8")
    before = fingerprint(evidence_copy)
    path.write_text(text.replace("n_participants: 30", "n_participants: 31"), encoding="utf-8")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1))
    assert fingerprint(evidence_copy) != before
    ev = xr.load(evidence_copy)
    assert ev.studies.set_index("key").loc["ersan-2024-foreskin-msc-exo", "n_participants"] == 31


def test_a_permission_change_invalidates(cache_dir, evidence_copy):
    xr.load(evidence_copy)
    path = evidence_copy / "studies" / "ersan-2024-foreskin-msc-exo.yaml"
    before = fingerprint(evidence_copy)
    path.chmod(0o200)  # write-only: unreadable for anyone but root
    try:
        assert fingerprint(evidence_copy) != before
        if os.geteuid() != 0:  # root reads it anyway
            with pytest.raises(xr.ValidationError, match="ersan-2024-foreskin-msc-exo.yaml"):
                xr.load(evidence_copy)
    finally:
        path.chmod(0o644)


def test_added_and_removed_files_invalidate(cache_dir, evidence_copy):
    n = len(xr.load(evidence_copy).studies)
    (evidence_copy / "studies" / "doe-2021-adsc-exos.yaml").write_text(
        __import__("yaml").safe_dump(base_study()), encoding="utf-8"
    )
    assert len(xr.load(evidence_copy).studies) == n + 1
    (evidence_copy / "studies" / "doe-2021-adsc-exos.yaml").unlink()
    assert len(xr.load(evidence_copy).studies) == n


def test_invalid_evidence_is_never_cached(cache_dir, make_evidence):
    root = make_evidence({"a-2021-x.yaml": base_study("a-2021-x", year=1900)})
    for _ in range(2):
        with pytest.raises(xr.ValidationError):
            xr.load(root)
    assert not list(cache_dir.rglob("complete"))


def test_a_damaged_cache_is_rebuilt(cache_dir, evidence_copy):
    xr.load(evidence_copy)
    for f in cache_dir.rglob("studies.feather"):
        f.write_bytes(b"garbage")
    ev = xr.load(evidence_copy)
    assert len(ev.studies) == len(list((evidence_copy / "studies").glob("*.yaml")))


def test_cache_lives_outside_evidence_and_off_writes_nothing(tmp_path, evidence_copy, monkeypatch):
    before = snapshot(evidence_copy)
    monkeypatch.setenv("EXOREVIEW_CACHE", str(tmp_path / "c"))
    xr.load(evidence_copy)
    xr.load(evidence_copy)
    assert snapshot(evidence_copy) == before
    monkeypatch.setenv("EXOREVIEW_CACHE", "off")
    shutil.rmtree(tmp_path / "c")
    xr.load(evidence_copy)
    assert not (tmp_path / "c").exists()


def test_old_fingerprints_are_pruned(cache_dir, evidence_copy):
    path = evidence_copy / "studies" / "ersan-2024-foreskin-msc-exo.yaml"
    for i in range(4):
        path.write_text(path.read_text(encoding="utf-8") + f"# edit {i}\n", encoding="utf-8")
        time.sleep(0.01)
        xr.load(evidence_copy)
    kept = [p for p in next(cache_dir.iterdir()).iterdir() if (p / "complete").exists()]
    assert len(kept) <= 2
