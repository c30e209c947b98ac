"""Declare the extensions that are safe to read in parallel but do not say so.

Sphinx reads documents in parallel (``-j``) only when every extension declares
``parallel_read_safe``. Three of the book's extensions declare nothing, so Sphinx would read
(and, with MyST-NB's inline mode, execute) the notebooks one after another:

- ``sphinx_multitoc_numbering`` only replaces the toctree collector's section numbering, which
  Sphinx runs in the main process after the parallel reads are merged;
- ``sphinx_jupyterbook_latex`` acts in the LaTeX builder only;
- ``sphinx-mathjax-offline`` copies MathJax's files into the output when the builder starts.

Sphinx also cuts the documents into a few chunks of about ten, one process per chunk, in the
order of their names: one process then executes ten chapters while the other idles. The build
instead hands out one document at a time, the notebooks first and the longer before the shorter,
so that a process that finishes takes the next one.

tests/site/test_static_site.py checks that every chapter of the parallel build carries the number
of its place in _toc.yml, on its title and on its sections.
"""

import os

import sphinx.builders

SAFE = (
    "sphinx_multitoc_numbering",
    "sphinx_jupyterbook_latex",
    "sphinx-mathjax-offline",
)


def _declare(app, config):
    for name in SAFE:
        extension = app.extensions.get(name)
        if extension is not None and extension.parallel_read_safe is None:
            extension.parallel_read_safe = True
        if extension is not None and extension.parallel_write_safe is None:
            extension.parallel_write_safe = True


def _one_at_a_time(app):
    def cost(docname):
        path = app.env.doc2path(docname)
        size = os.path.getsize(path) if os.path.exists(path) else 0
        return (str(path).endswith(".ipynb"), size)

    def chunks(arguments, nproc, maxbatch=10):
        return [[name] for name in sorted(arguments, key=cost, reverse=True)]

    return chunks


def _schedule(app):
    sphinx.builders.make_chunks = _one_at_a_time(app)


def setup(app):
    app.connect("config-inited", _declare)
    app.connect("builder-inited", _schedule)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
