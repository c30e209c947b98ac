"""Stop a notebook's kernel at once when its page has been read.

MyST-NB's inline execution stops each notebook's kernel as nbclient does by default: it asks
the kernel to shut down and waits until the process has exited, 0.3-0.4 s per notebook in
which the reading process has nothing to do. By then every output and every ``{eval}`` value
has been received, and the kernel holds nothing that the build needs, so the build stops it at
once instead (nbclient's ``shutdown_kernel="immediate"``, as nbval stops its kernels).
benchmarks/bench_book.py times each chapter with its kernel stopped the same way.
"""

from myst_nb.core.execute.inline import NotebookClientInline


def _stopping_at_once(start_client):
    def wrapped(self):
        start_client(self)
        self._client.shutdown_kernel = "immediate"

    wrapped.__stops_at_once__ = True
    return wrapped


def setup(app):
    if not hasattr(NotebookClientInline.start_client, "__stops_at_once__"):
        NotebookClientInline.start_client = _stopping_at_once(
            NotebookClientInline.start_client
        )
    return {"parallel_read_safe": True, "parallel_write_safe": True}
