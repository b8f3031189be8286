"""A load cache: the built tables of an evidence folder, reused while no file has changed.

The cache key is a fingerprint of every file ``load`` reads (name, size, modification time,
inode and permissions of vocabulary.yaml, schema.yaml and each file of studies/, regulatory/ and
claims/) plus the bytes of exoreview's own modules, so any edit to the evidence (or a file made
unreadable), or to the code that turns it into tables, invalidates it. Nothing is cached for a folder that does not validate.

Tables are stored as Feather (Arrow) files, records as JSON; no pickle. The cache lives outside
the evidence folder: ``$EXOREVIEW_CACHE`` (``off`` disables it), else ``$XDG_CACHE_HOME/exoreview``,
else ``~/.cache/exoreview``. Each fingerprint is written to a temporary folder that is renamed
into place when complete, so a reader never sees half a cache; a broken cache is ignored and
rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from array import array
from collections.abc import Callable, Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

FORMAT = "1"
TABLES = ("studies", "outcomes", "models", "tags", "mechanisms", "regulatory", "claims", "claim_links")
RECORDS = ("records", "regulatory_records", "claim_records")
_READ = ("vocabulary.yaml", "schema.yaml")
_FOLDERS = ("studies", "regulatory", "claims")
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
    package = Path(__file__).resolve().parent
    for path in sorted(package.glob("*.py")):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def fingerprint(root: Path) -> str:
    """Changes whenever a file that ``load`` reads changes (or appears, or disappears, or has
    its permissions changed: a file made unreadable must not load from the cache)."""
    h = hashlib.blake2b(digest_size=16)
    h.update(_code_fingerprint().encode())
    for name in _READ:
        _stat_into(h, root / name)
    for folder in _FOLDERS:
        path = root / folder
        if not path.is_dir():
            h.update(f"-{folder}".encode())
            continue
        names = sorted(n for n in os.listdir(path)
                       if n.endswith((".yaml", ".yml")) and not n.startswith("."))
        fd = os.open(path, os.O_RDONLY)
        try:
            stat = os.stat
            numbers = array("q")
            for name in names:
                st = stat(name, dir_fd=fd)
                numbers.extend((st.st_size, st.st_mtime_ns, st.st_ino, st.st_mode))
        finally:
            os.close(fd)
        h.update(f"{folder}\n".encode())
        h.update("\n".join(names).encode())
        h.update(numbers.tobytes())
    return h.hexdigest()


def _stat_into(h: Any, path: Path) -> None:
    try:
        st = path.stat()
        h.update(f"{path.name}:{st.st_size}:{st.st_mtime_ns}:{st.st_ino}:{st.st_mode}".encode())
    except OSError:
        h.update(f"{path.name}:missing".encode())


class LazyRecords(Mapping):
    """Validated records read from the cache's JSON on first use (optionally restricted to keys)."""

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
            return LazyRecords(self._path, frozenset(keys),
                               {k: v for k, v in self._data.items() if k in keys})
        base = frozenset(keys) if self._keys is None else self._keys & frozenset(keys)
        return LazyRecords(self._path, base)


def cached_load(root: Path, build: Callable[[Path], Any]) -> Any:
    """``build(root)``, or the cached result of an earlier build of the same files."""
    base = cache_root()
    if base is None or not root.is_dir():
        return build(root)
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return build(root)
    folder = base / hashlib.blake2b(str(root.resolve()).encode(), digest_size=12).hexdigest()
    fp = fingerprint(root)
    target = folder / fp
    if (target / "complete").is_file():
        try:
            return _read(target, root)
        except Exception:  # a damaged cache is never fatal: rebuild it
            shutil.rmtree(target, ignore_errors=True)
    evidence = build(root)
    try:
        _write(evidence, folder, fp)
    except Exception:
        pass  # caching is an optimisation; a read-only disk must not break loading
    return evidence


def _read(target: Path, root: Path) -> Any:
    import pandas as pd

    from .evidence import Evidence
    from .vocab import Vocabulary

    meta = json.loads((target / "meta.json").read_text(encoding="utf-8"))
    tables = {name: pd.read_feather(target / f"{name}.feather") for name in TABLES}
    for name, dtypes in meta["dtypes"].items():  # feather keeps most dtypes; restore the rest
        df = tables[name]
        for col, dtype in dtypes.items():
            if dtype == "category":
                cats = df[col].cat.categories
                if str(cats.dtype) != "string":
                    df[col] = pd.Categorical.from_codes(df[col].cat.codes,
                                                        categories=pd.Index(cats, dtype="string"))
            elif str(df[col].dtype) != dtype:
                df[col] = df[col].astype(dtype)
    vocab, _ = Vocabulary.from_data(meta["vocabulary"], check=False)  # validated when cached
    records = {name: LazyRecords(target / f"{name}.json") for name in RECORDS}
    return Evidence(**tables, vocabulary=vocab, **records, root=str(root.resolve()))


def _write(evidence: Any, folder: Path, fp: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=folder))
    try:
        dtypes = {}
        for name in TABLES:
            df = getattr(evidence, name)
            df.reset_index(drop=True).to_feather(tmp / f"{name}.feather", compression="uncompressed")
            dtypes[name] = {c: str(t) for c, t in df.dtypes.items()}
        for name in RECORDS:
            (tmp / f"{name}.json").write_text(json.dumps(dict(getattr(evidence, name))), encoding="utf-8")
        meta = {"root": evidence.root, "dtypes": dtypes,
                "vocabulary": _vocabulary_data(evidence.vocabulary)}
        (tmp / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
        (tmp / "complete").write_text(fp, encoding="utf-8")
        try:
            os.rename(tmp, folder / fp)
        except OSError:  # another process finished the same fingerprint first
            shutil.rmtree(tmp, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = sorted((p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")
                  and p.name != fp), key=lambda p: p.stat().st_mtime, reverse=True)
    for stale in old[KEEP - 1:]:
        shutil.rmtree(stale, ignore_errors=True)


def _vocabulary_data(vocab: Any) -> dict:
    out: dict[str, Any] = {}
    for name, facet in vocab.facets.items():
        terms = {}
        for key, term in facet.terms.items():
            entry: dict[str, Any] = {"label": term.label, "synonyms": list(term.synonyms), **term.attrs}
            if term.parent:
                entry["parent"] = term.parent
            terms[key] = entry
        out[name] = {"description": facet.description, "terms": terms}
    return out


def is_lazy(records: Any) -> bool:
    return isinstance(records, LazyRecords)


__all__ = ["cached_load", "fingerprint", "cache_root", "LazyRecords", "is_lazy"]
