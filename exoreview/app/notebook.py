"""Executing notebooks headless (tests and the meeting report).

nbclient can miss a kernel reply while Output / interactive widgets talk on the same channel
(nbclient issue 312): a cell then waits for its whole timeout. The fix measured in STACK.md is to
poll the shell channel in short slices until the real deadline; :class:`PollingClient` does that.
Every run has a finite timeout.
"""

from __future__ import annotations

import os
import queue
import re
import subprocess
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

from ..errors import ExoreviewError

DEFAULT_TIMEOUT = 300  # seconds a cell may run
EVIDENCE_ENV = "EXOREVIEW_EVIDENCE"


class NotebookError(ExoreviewError):
    """A notebook cell failed or timed out; names the notebook and the cell."""


POLL_SECONDS = 0.5


def poll_in_slices(channel: Any) -> None:
    """Make `channel.get_msg` wait in POLL_SECONDS slices until its real deadline (the nbclient
    issue 312 fix). The one copy: :class:`PollingClient` and jupyter_config/voila.py both call it."""
    original = channel.get_msg

    async def get_msg(timeout: float | None = None, **kwargs: Any) -> Any:
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            left = (
                POLL_SECONDS if deadline is None else max(0.0, min(POLL_SECONDS, deadline - time.monotonic()))
            )
            try:
                result = original(timeout=left, **kwargs)
                if hasattr(result, "__await__"):
                    result = await result
                return result
            except queue.Empty:
                if deadline is not None and time.monotonic() >= deadline:
                    raise

    channel.get_msg = get_msg


class PollingClient(NotebookClient):
    """nbclient's client with the shell channel polled in slices (see :func:`poll_in_slices`)."""

    async def async_start_new_kernel_client(self) -> Any:
        kc = await super().async_start_new_kernel_client()
        poll_in_slices(kc.shell_channel)
        return kc


def execute(
    path: str | os.PathLike,
    *,
    timeout: int = DEFAULT_TIMEOUT,
    cwd: str | os.PathLike | None = None,
    env: Mapping[str, str] | None = None,
    kernel_name: str = "python3",
):
    """Run every cell of the notebook at `path`; return the executed NotebookNode.

    `env` entries are set in this process's environment while the kernel starts (the kernel
    inherits them), e.g. ``{"EXOREVIEW_EVIDENCE": "/path/to/evidence"}``.
    """

    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    client = PollingClient(
        nb,
        timeout=timeout,
        kernel_name=kernel_name,
        resources={"metadata": {"path": str(cwd or path.parent)}},
        iopub_timeout=15,
        shell_timeout_interval=1,
    )
    saved = {k: os.environ.get(k) for k in (env or {})}
    os.environ.update(env or {})
    # the kernel's own stderr (e.g. ipykernel's "running over TCP without encryption" warning)
    # is noise here: cell errors arrive as messages. EXOREVIEW_KERNEL_STDERR=1 keeps it.
    quiet = {} if os.environ.get("EXOREVIEW_KERNEL_STDERR") else {"stderr": subprocess.DEVNULL}
    try:
        client.execute(**quiet)
    except CellExecutionError as err:
        raise NotebookError(f"{path.name}: a cell failed:\n{_error_text(str(err))}") from err
    except CellTimeoutError as err:
        raise NotebookError(f"{path.name}: a cell ran longer than {timeout} s") from err
    except DeadKernelError as err:
        raise NotebookError(f"{path.name}: the kernel died: {err}") from err
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return nb


_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _error_text(text: str, limit: int = 3000) -> str:
    """The error without terminal colour codes, cut to a readable length."""
    text = _ANSI.sub("", text)
    return text if len(text) <= limit else text[:limit] + "\n…"


def outputs(nb, output_type: str | None = None) -> list[dict]:
    """Every output of every code cell (optionally one type: stream, display_data, error...)."""
    return [
        o
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if output_type is None or o.get("output_type") == output_type
    ]


def mime_outputs(nb, mime: str) -> list[Any]:
    """Every output payload of one MIME type ('image/png', 'text/html', ...)."""
    return [o["data"][mime] for o in outputs(nb) if mime in o.get("data", {})]
