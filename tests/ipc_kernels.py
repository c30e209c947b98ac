"""A pytest plugin for the notebook stage (`-p tests.ipc_kernels`): nbval's kernels over Unix sockets.

nbval gives each kernel five TCP ports picked the way the build's kernels had them, and the
stage's two processes start kernels at the same time: a port released for one kernel can be
taken by the other process before the kernel binds it. As in the build (_ext/kernels.py), each
kernel listens on Unix sockets named after a random name of its own instead.
"""

import sys
from pathlib import Path

import nbval.kernel

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "_ext"))
from kernels import over_unix_sockets  # noqa: E402

_KernelManager = nbval.kernel.KernelManager


def _kernel_manager(*args, **kwargs):
    return over_unix_sockets(_KernelManager(*args, **kwargs))


# nbval.kernel.start_new_kernel looks the name up when it starts each kernel
nbval.kernel.KernelManager = _kernel_manager
