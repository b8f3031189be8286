"""Load cache hook. Loading is uncached for now; kept as one seam so a cache can be added here."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def cached_load(root: Path, build: Callable[[Path], T]) -> T:
    return build(root)
