"""How the build starts and stops the notebooks' kernels: over Unix sockets, and stopped at once.

- **Unix sockets, not TCP.** jupyter_client gives a kernel five TCP ports by asking the system
  for free ports and releasing them for the kernel to bind. The build's two reading processes
  start kernels at the same time, and a port released by one can be handed to the other before
  its kernel has bound it: the kernel then fails with "Address already in use" and the build
  stops ("Kernel died before replying to kernel_info"). A kernel of the build listens on Unix
  sockets named after a random name of its own instead (jupyter_client's ``ipc`` transport),
  which no other kernel can take; the kernels also no longer warn that they run over
  unencrypted TCP.
- **Stopped at once.** MyST-NB stops each kernel as nbclient does by default: it asks the kernel
  to shut down and waits until the process has exited, 0.3-0.4 s per notebook in which the
  reading process has nothing to do. When the page has been read every output and every
  ``{eval}`` value has been received, and the kernel holds nothing that the build needs, so it
  is stopped at once (nbclient's ``shutdown_kernel="immediate"``, as nbval stops its kernels).

benchmarks/bench_book.py times the chapters with kernels started and stopped the same way, and
the notebook stage of the tests starts nbval's kernels over Unix sockets too (tests/ipc_kernels.py).
"""

import os
import tempfile
import uuid


def over_unix_sockets(manager):
    """Have a kernel manager that has not started its kernel yet talk to it over Unix sockets
    of a name of their own (removed when the kernel is stopped). Not on Windows, which has no
    ipc transport in ZeroMQ: there the kernel keeps its TCP ports."""
    if os.name != "posix":
        return manager
    manager.transport = "ipc"
    manager.ip = os.path.join(tempfile.gettempdir(), f"kernel-{uuid.uuid4().hex}")
    return manager


def prepared(client):
    """Prepare an nbclient client before it starts its kernel: Unix sockets, stopped at once."""
    if client.km is None:
        client.km = client.create_kernel_manager()
    over_unix_sockets(client.km)
    client.shutdown_kernel = "immediate"
    return client


def _preparing(create_kernel_manager):
    def wrapped(self):
        self.km = create_kernel_manager(self)
        return prepared(self).km

    wrapped.__prepares_kernels__ = True
    return wrapped


def setup(app):
    # imported here: the tests' notebook stage imports this module without MyST-NB
    from myst_nb.core.execute.inline import ModifiedNotebookClient

    method = ModifiedNotebookClient.create_kernel_manager
    if not hasattr(method, "__prepares_kernels__"):
        ModifiedNotebookClient.create_kernel_manager = _preparing(method)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
