"""exoreview: what the published evidence really shows about exosomes / EVs for hair loss.

    >>> import exoreview as xr
    >>> ev = xr.load("evidence")
    >>> mice = xr.Filter(cell_sources=["MSC"], species=["mouse"]).apply(ev)

The package is in stages that import one way (core → appraisal, screening → views → app → cli):
see docs/architecture.md.
"""

from __future__ import annotations

from .core.evidence import Evidence, load
from .core.filters import Filter
from .core.validate import validate
from .errors import EvidenceError, ValidationError, VocabularyError

__version__ = "0.1.0"

__all__ = [
    "load",
    "validate",
    "Evidence",
    "Filter",
    "EvidenceError",
    "ValidationError",
    "VocabularyError",
    "__version__",
]
