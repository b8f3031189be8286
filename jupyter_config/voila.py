"""Voilà configuration for `make dashboard` and the browser test (JUPYTER_CONFIG_DIR=jupyter_config).

Installs the shell-channel polling fix for nbclient issue 312 (see STACK.md and
exoreview/notebook.py): Voilà's executor is built on nbclient and can miss a kernel reply while
widgets talk on the same channel, so a cell would wait for its whole timeout. Polling the shell
channel in 0.5 s slices until the real deadline avoids that. Every cell also gets a finite timeout.
"""

import queue
import time

from voila.execute import VoilaExecutor

c = get_config()  # noqa: F821  (provided by the traitlets config loader)
c.VoilaExecutor.timeout = 120
c.VoilaConfiguration.strip_sources = True
c.VoilaConfiguration.show_tracebacks = False

_POLL = 0.5


def _polling(channel):
    original = channel.get_msg

    async def get_msg(timeout=None, **kwargs):
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            left = _POLL if deadline is None else max(0.0, min(_POLL, deadline - time.monotonic()))
            try:
                result = original(timeout=left, **kwargs)
                if hasattr(result, "__await__"):
                    result = await result
                return result
            except queue.Empty:
                if deadline is not None and time.monotonic() >= deadline:
                    raise

    return get_msg


if not getattr(VoilaExecutor, "_exoreview_polling", False):
    _start = VoilaExecutor.async_start_new_kernel_client

    async def async_start_new_kernel_client(self):
        kc = await _start(self)
        kc.shell_channel.get_msg = _polling(kc.shell_channel)
        return kc

    VoilaExecutor.async_start_new_kernel_client = async_start_new_kernel_client
    VoilaExecutor._exoreview_polling = True
