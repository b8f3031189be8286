"""Voilà configuration for `make dashboard` and the browser test (JUPYTER_CONFIG_DIR=jupyter_config).

Installs the shell-channel polling fix for nbclient issue 312 (see STACK.md and
exoreview/app/notebook.py): Voilà's executor is built on nbclient and can miss a kernel reply while
widgets talk on the same channel, so a cell would wait for its whole timeout. Polling the shell
channel in 0.5 s slices until the real deadline avoids that; the one copy of that patch is
exoreview.app.notebook.poll_in_slices. Every cell also gets a finite timeout.
"""

from voila.execute import VoilaExecutor

from exoreview.app.notebook import poll_in_slices

c = get_config()  # noqa: F821  (provided by the traitlets config loader)
c.VoilaExecutor.timeout = 120
c.VoilaConfiguration.strip_sources = True
c.VoilaConfiguration.show_tracebacks = False

if not getattr(VoilaExecutor, "_exoreview_polling", False):
    _start = VoilaExecutor.async_start_new_kernel_client

    async def async_start_new_kernel_client(self):
        kc = await _start(self)
        poll_in_slices(kc.shell_channel)
        return kc

    VoilaExecutor.async_start_new_kernel_client = async_start_new_kernel_client
    VoilaExecutor._exoreview_polling = True
