"""`jupyter-book build` with Sphinx's parallel reading: both cores execute notebooks.

Jupyter Book 1's command line has no option for Sphinx's ``-j``; this wrapper runs the very same
command (``_config.yml``, ``_toc.yml`` and every flag unchanged) with ``build_sphinx(jobs=N)``.
With MyST-NB's inline execution each notebook is executed while Sphinx reads it, so N reading
processes execute N notebooks at once. N comes from BOOK_JOBS (default: the number of CPUs, at
most 2 on the project's machines). Usage: ``python scripts/build_book.py build . --all -W -n``.
"""

import functools
import gc
import os
import sys

# jsonschema imports rfc3987_syntax, when installed, for one optional format check; that module
# compiles a grammar for about 2 s at import. Nothing the build validates uses the format, so
# the import is declined (jsonschema then skips that one check).
sys.modules.setdefault("rfc3987_syntax", None)

import jupyter_book.cli.main as cli  # noqa: E402
import jupyter_book.sphinx  # noqa: E402

# The build holds the whole book as millions of small objects that live until it ends, and it
# unpickles every document's tree at least twice (to number the figures, then to write the page).
# With Python's default thresholds the cyclic collector runs every 700 allocations and walks that
# heap again and again: unpickling the trees took five times as long as with it switched off.
# Collecting every 50,000 allocations keeps the cost of a collection small beside the work.
gc.set_threshold(50_000, 20, 20)

jobs = int(os.environ.get("BOOK_JOBS", min(2, os.cpu_count() or 1)))
if jobs > 1:
    # N kernels already use N cores: a BLAS that starts threads of its own in every kernel
    # (OpenBLAS's threads wait by spinning) halves the speed of both
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, "1")
# `jupyter-book build` imports build_sphinx from this module when it runs
jupyter_book.sphinx.build_sphinx = functools.partial(
    jupyter_book.sphinx.build_sphinx, jobs=jobs
)

if __name__ == "__main__":
    # The build keeps the whole book in memory; tearing the interpreter down frees it object by
    # object (seconds). Every file is written and closed when the command returns, so the process
    # ends at once with the command's exit status.
    try:
        cli.main()
    except SystemExit as done:
        status = done.code
        if status is not None and not isinstance(status, int):
            print(status, file=sys.stderr)
            status = 1
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status or 0)
