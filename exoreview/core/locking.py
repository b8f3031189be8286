"""One writer at a time: the lock of an evidence folder's screening log, and whole-line appends.

Every command that writes ``<evidence>/screening/`` (an import, a decision, a draft study file)
holds ``screening/.lock`` (filelock's FileLock: an OS lock, released by the operating system
when the process ends, even when it is killed) from reading the log to writing it, so that what
it checked and numbered is still true when it writes. Waiting is bounded: after
``EXOREVIEW_LOCK_TIMEOUT`` seconds (default 60) the command stops, writes nothing and says why.
The lock is re-entrant within a process (one lock object a path), so a writer may call another.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

from filelock import FileLock, Timeout

from ..errors import ExoreviewError
from .paths import VOCABULARY, screening_folder
from .yamlio import display_path

LOCK_NAME = ".lock"
TIMEOUT_ENV = "EXOREVIEW_LOCK_TIMEOUT"
DEFAULT_TIMEOUT = 60.0

F = TypeVar("F", bound=Callable[..., Any])


class LogBusy(ExoreviewError):
    """Another process held the screening log's lock for longer than the timeout."""


def lock_timeout() -> float:
    raw = os.environ.get(TIMEOUT_ENV, "")
    try:
        value = float(raw) if raw.strip() else DEFAULT_TIMEOUT
    except ValueError:
        value = DEFAULT_TIMEOUT
    return value if value >= 0 else DEFAULT_TIMEOUT


@contextmanager
def screening_lock(evidence: str | os.PathLike, *, timeout: float | None = None) -> Iterator[Path]:
    """Hold ``<evidence>/screening/.lock`` (made when missing); yields the screening folder.

    Raises :class:`LogBusy` (nothing written) when another process holds it longer than
    `timeout` seconds (default: ``$EXOREVIEW_LOCK_TIMEOUT`` or 60)."""
    folder = screening_folder(evidence)
    if not (Path(evidence) / VOCABULARY).is_file():  # not an evidence folder: the caller refuses it
        yield folder
        return
    folder.mkdir(parents=True, exist_ok=True)
    if not os.access(folder, os.W_OK):  # name the folder, not the lock file in it
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(folder))
    path = (folder / LOCK_NAME).resolve()
    wait = lock_timeout() if timeout is None else timeout
    lock = FileLock(str(path), is_singleton=True)  # one object a path: re-entrant in a process
    try:
        lock.acquire(timeout=wait)
    except Timeout:
        raise LogBusy(
            f"{display_path(path)}: another exoreview command has been writing the screening log "
            f"for {wait:g} s, so nothing was written; wait until it ends and run this command again "
            f"(set {TIMEOUT_ENV}=SECONDS to wait longer; the lock is freed when that command exits, "
            "even if it is killed)"
        ) from None
    try:
        yield folder
    finally:
        lock.release()


def under_screening_lock(func: F) -> F:
    """Decorator: run ``func(evidence, ...)`` holding the screening lock of `evidence`."""

    @wraps(func)
    def run(evidence: str | os.PathLike, *args: Any, **kwargs: Any) -> Any:
        with screening_lock(evidence):
            return func(evidence, *args, **kwargs)

    return run  # type: ignore[return-value]


def append_bytes(path: str | os.PathLike, data: bytes) -> None:
    """Append `data` (whole lines) with one ``write`` on an ``O_APPEND`` descriptor, then fsync.

    Call it holding the lock. A process killed here leaves the earlier lines as they were; at
    worst its own last line is cut short, which the next read reports."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o666)
    try:
        view = memoryview(data)
        while view:  # a regular file takes it in one write unless the disk is full
            done = os.write(fd, view)
            view = view[done:]
        os.fsync(fd)
    finally:
        os.close(fd)
