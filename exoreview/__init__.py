"""exoreview: what the published evidence really shows about exosomes / EVs for hair loss.

The library is import-light: heavy modules (matplotlib, widgets, nbclient) load inside the
functions that need them.

    >>> import exoreview as xr
    >>> ev = xr.load("evidence")
    >>> mice = xr.Filter(cell_sources=["MSC"], species=["mouse"]).apply(ev)
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

__all__ = ["load", "validate", "Evidence", "Filter", "EvidenceError", "ValidationError",
           "VocabularyError", "__version__"]

_LAZY = {
    "load": ("evidence", "load"), "validate": ("evidence", "validate"), "Evidence": ("evidence", "Evidence"),
    "Filter": ("filters", "Filter"), "EvidenceError": ("errors", "EvidenceError"),
    "ValidationError": ("errors", "ValidationError"), "VocabularyError": ("errors", "VocabularyError"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        value = getattr(importlib.import_module(f".{module}", __name__), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'exoreview' has no attribute {name!r}")
