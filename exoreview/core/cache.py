"""The load cache: the tables built from an evidence folder, reused while no file has changed.

Loading parses every YAML file and checks it; reading the built tables back is several times
faster (benchmarks/README.md gives the figures), which is what the dashboard and the notebooks
feel each time they load. The key is a fingerprint of every file ``load`` reads (name, size,
modification time, inode and permissions of vocabulary.yaml, schema.yaml and each file of
studies/, regulatory/ and claims/) plus the bytes of exoreview's own modules, so any edit to the
evidence (or a file made unreadable), or to the code that turns it into tables, misses the cache.
Only a folder that validated is ever stored.

Tables are stored as Feather (Arrow) files, records as JSON read on first use; no pickle. The
cache lives outside the evidence folder: ``$EXOREVIEW_CACHE`` (``off`` disables it), else
``$XDG_CACHE_HOME/exoreview``, else ``~/.cache/exoreview``. Each fingerprint is written to a
temporary folder renamed into place when complete, so a reader never sees half a cache; a
damaged or unreadable cache is ignored (and rebuilt), never an error.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from .paths import RECORD_FOLDERS, SCHEMA, VOCABULARY, YAML_SUFFIXES

FORMAT = "3"
TABLES = (
    "studies",
    "outcomes",
    "arms",
    "models",
    "tags",
    "mechanisms",
    "regulatory",
    "claims",
    "claim_links",
)
RECORDS = ("records", "regulatory_records", "claim_records")
KEEP = 2  # fingerprints kept per evidence folder


def cache_root() -> Path | None:
    env = os.environ.get("EXOREVIEW_CACHE")
    if env is not None:
        return None if env.strip().lower() in {"", "off", "0", "no", "false"} else Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "exoreview"


@lru_cache(maxsize=1)
def _code_fingerprint() -> str:
    h = hashlib.blake2b(digest_size=16)
    h.update(FORMAT.encode())
    package = Path(__file__).resolve().parent.parent
    for path in sorted(package.rglob("*.py")):
        h.update(str(path.relative_to(package)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def fingerprint(root: Path) -> str:
    """Changes whenever a file that ``load`` reads changes, appears, disappears, or has its
    permissions changed (a file made unreadable must not load from the cache). OSError when a
    folder cannot be listed or a file cannot be stat'ed."""
    h = hashlib.blake2b(digest_size=16)
    h.update(_code_fingerprint().encode())
    for name in (VOCABULARY, SCHEMA):
        _stat_into(h, root / name)
    for folder, _kind in RECORD_FOLDERS:
        path = root / folder
        if not path.is_dir():
            h.update(f"-{folder}".encode())
            continue
        h.update(f"{folder}\n".encode())
        # one scandir a folder, no Path a file: this is most of a warm load at thousands of studies
        with os.scandir(path) as found:
            entries = sorted(
                (
                    e
                    for e in found
                    if os.path.splitext(e.name)[1] in YAML_SUFFIXES and not e.name.startswith(".")
                ),
                key=lambda e: e.name,
            )
        for entry in entries:
            _stat_into(h, entry.name, entry.stat)
    return h.hexdigest()


def _stat_into(h: Any, name: str | Path, stat: Any = None) -> None:
    if isinstance(name, Path):
        stat = name.stat
        name = name.name
    try:
        st = stat()
    except FileNotFoundError:
        h.update(f"{name}:missing".encode())
        return
    h.update(f"{name}:{st.st_size}:{st.st_mtime_ns}:{st.st_ino}:{st.st_mode}".encode())


class LazyRecords(Mapping):
    """Validated records read from the cache's JSON on first use (optionally restricted to keys):
    most uses of a loaded Evidence read only its tables."""

    def __init__(self, path: Path, keys: frozenset[str] | None = None, data: dict | None = None):
        self._path = path
        self._keys = keys
        self._data = data

    def _all(self) -> dict:
        if self._data is None:
            data = json.loads(self._path.read_text(encoding="utf-8"))
            self._data = data if self._keys is None else {k: v for k, v in data.items() if k in self._keys}
        return self._data

    def __getitem__(self, key: str) -> Any:
        return self._all()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())

    def restricted(self, keys: set[str]) -> LazyRecords:
        if self._data is not None:
            return LazyRecords(
                self._path, frozenset(keys), {k: v for k, v in self._data.items() if k in keys}
            )
        base = frozenset(keys) if self._keys is None else self._keys & frozenset(keys)
        return LazyRecords(self._path, base)


def _place(root: Path) -> tuple[Path, str] | None:
    """(folder of this evidence folder's cache, fingerprint), or None when caching is off or the
    folder cannot be fingerprinted (``load`` then reads the files and reports what is wrong)."""
    base = cache_root()
    if base is None or not root.is_dir():
        return None
    try:
        fp = fingerprint(root)
    except OSError:
        return None
    return base / hashlib.blake2b(str(root.resolve()).encode(), digest_size=12).hexdigest(), fp


def read(root: Path) -> tuple[dict[str, pd.DataFrame], dict[str, LazyRecords], dict] | None:
    """(tables, records, vocabulary data) stored for the folder as it is now, or None."""
    place = _place(root)
    if place is None:
        return None
    target = place[0] / place[1]
    if not (target / "complete").is_file():
        return None
    try:
        meta = json.loads((target / "meta.json").read_text(encoding="utf-8"))
        tables = {name: pd.read_feather(target / f"{name}.feather") for name in TABLES}
        for name, dtypes in meta["dtypes"].items():  # feather keeps most dtypes; restore the rest
            df = tables[name]
            for col, dtype in dtypes.items():
                if dtype == "category":
                    cats = df[col].cat.categories
                    if str(cats.dtype) != "string":
                        df[col] = pd.Categorical.from_codes(
                            df[col].cat.codes, categories=pd.Index(cats, dtype="string")
                        )
                elif str(df[col].dtype) != dtype:
                    df[col] = df[col].astype(dtype)
    except Exception:  # noqa: BLE001 - a damaged cache is never fatal: the files are read instead
        shutil.rmtree(target, ignore_errors=True)
        return None
    records = {name: LazyRecords(target / f"{name}.json") for name in RECORDS}
    return tables, records, meta["vocabulary"]


def write(
    root: Path, tables: Mapping[str, pd.DataFrame], records: Mapping[str, Mapping[str, Any]], vocabulary: dict
) -> None:
    """Store what ``load`` built; a cache that cannot be written (read-only disk) is skipped."""
    place = _place(root)
    if place is None:
        return
    folder, fp = place
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=folder))
    except OSError:
        return
    try:
        dtypes = {}
        for name, df in tables.items():
            df.reset_index(drop=True).to_feather(tmp / f"{name}.feather", compression="uncompressed")
            dtypes[name] = {c: str(t) for c, t in df.dtypes.items()}
        for name, recs in records.items():
            (tmp / f"{name}.json").write_text(json.dumps(dict(recs)), encoding="utf-8")
        meta = {"root": str(root.resolve()), "dtypes": dtypes, "vocabulary": vocabulary}
        (tmp / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
        (tmp / "complete").write_text(fp, encoding="utf-8")
        os.rename(tmp, folder / fp)
    except (OSError, ValueError, TypeError):  # a read-only or full disk, a table Arrow cannot hold,
        shutil.rmtree(tmp, ignore_errors=True)  # or another process finished the same fingerprint
        return
    old = sorted(
        (p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".") and p.name != fp),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for stale in old[KEEP - 1 :]:
        shutil.rmtree(stale, ignore_errors=True)
