"""Pausing Python's cyclic garbage collector around bulk work that builds many small objects.

Reading a 20,000-record export allocates a few million dicts, lists and strings, none of them in
a reference cycle; the collector still walks them all, again and again, as the heap grows (about
a third of the import time). Reference counting frees them as usual while the collector is
paused; anything cyclic is collected when it resumes. Nested uses are safe.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
