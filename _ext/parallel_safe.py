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
so that a process that finishes takes the next one. (Sphinx starts the first N chunks in the
order given and the waiting ones last-in first-out, so the list is built for that order.) Pages
are written the same way by N processes, each of which also resolves and indexes its own pages
(``_write_parallel``): in Sphinx's own scheme the main process does that serial part of every
page while N - 1 processes only translate the pages into HTML.

Every reading process sends the whole environment back to the main process, which unpickles it
before it starts the next document; the environment must therefore stay small. Two extensions
make it large, and the build trims what they keep before the environment is sent:

- sphinx-exercise keeps every exercise and solution node in ``env.sphinx_exercise_registry``
  with a reference to its whole document (a 1.4 MB page per exercise: 8 of the 11 MB of the
  environment); it needs only the node itself (type, label, title), so a copy without the
  reference is kept;
- MyST-NB keeps the ipywidgets state of each executed notebook to embed in the page (50-160 kB
  of JSON per chapter) although no widget is rendered on the site (``nb_ipywidgets_js: {}``:
  the explorers are Jupyter-only cells); it is dropped.

tests/site/test_static_site.py checks that every chapter of the parallel build carries the number
of its place in _toc.yml, on its title and on its sections.
"""

import os

import sphinx.builders
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.util import logging
from sphinx.util.build_phase import BuildPhase
from sphinx.util.display import status_iterator

logger = logging.getLogger(__name__)

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


def _in_task_order(names, nproc):
    """One document per task, so that Sphinx's parallel tasks start them in the order of `names`:
    the first nproc start at once, the waiting ones are started last-in first-out."""
    tasks = [[name] for name in names]
    return tasks[:nproc] + tasks[nproc:][::-1]


def _one_at_a_time(app):
    def cost(docname):
        # executed notebooks first (the longer first), then pages that import the library
        # for its API reference, then the rest; the size stands for the time within a kind
        path = str(app.env.doc2path(docname))
        if not os.path.exists(path):
            return (0, 0)
        size = os.path.getsize(path)
        if path.endswith(".ipynb"):
            return (2, size)
        with open(path, encoding="utf-8") as text:
            return (1 if "automodule::" in text.read() else 0, size)

    def chunks(arguments, nproc, maxbatch=10):
        return _in_task_order(sorted(arguments, key=cost, reverse=True), nproc)

    return chunks


def _detached(node):
    """A copy of ``node`` and its children that does not refer to the whole document."""
    copy = node.deepcopy()
    for sub in copy.findall():
        sub._document = None
    return copy


def _trim(app, doctree):
    env = app.env
    for entry in getattr(env, "sphinx_exercise_registry", {}).values():
        if entry.get("docname") == env.docname and entry.get("node") is not None:
            entry["node"] = _detached(entry["node"])
    metadata = getattr(env, "nb_metadata", {}).get(env.docname, {})
    metadata.get("js_files", {}).pop("ipywidgets_state", None)


def _schedule(app):
    sphinx.builders.make_chunks = _one_at_a_time(app)
    if isinstance(app.builder, StandaloneHTMLBuilder):
        app.builder._write_parallel = _write_parallel.__get__(app.builder)


# The search index's per-document tables (sphinx.search.IndexBuilder, Sphinx 7.4): the word
# tables map a word to the set of documents that contain it, the others map a document to its
# entries.
_WORD_TABLES = ("_mapping", "_title_mapping")
_DOC_TABLES = ("_titles", "_filenames", "_all_titles", "_index_entries")


def _empty_tables(indexer):
    if indexer is not None:
        for table in _WORD_TABLES + _DOC_TABLES:
            setattr(indexer, table, {})


def _tables(indexer):
    if indexer is None:
        return {}
    return {table: getattr(indexer, table) for table in _WORD_TABLES + _DOC_TABLES}


def _merge_tables(indexer, tables):
    if indexer is None:
        return
    for table in _WORD_TABLES:
        mine = getattr(indexer, table)
        for word, names in tables[table].items():
            mine.setdefault(word, set()).update(names)
    for table in _DOC_TABLES:
        getattr(indexer, table).update(tables[table])


def _write_parallel(self, docnames, nproc):
    """Write the pages with N processes that each resolve, index and write their documents.

    Sphinx's own parallel writing keeps the main process busy with the serial part of every
    page (loading its doctree, the post-transforms that resolve references, the search index)
    and hands only the HTML translation to N - 1 writers, which wait for it. Here every
    writing process does all of it for its documents and sends back what the main process
    must know: the page's entries in the search index and the images the page uses (copied
    once at the end). Warnings are sent back too (Sphinx's parallel tasks replay each
    process's log in the main process), so `-W` still fails the build.

    Sphinx writes the first document alone in the main process before the others start (to
    warm its caches, inherited by the forked writers); the smallest is taken for that. The
    others go out one per task, the largest first, so that the two processes finish together.
    """
    from sphinx.util.parallel import ParallelTasks

    def size(docname):
        path = os.path.join(self.env.doctreedir, f"{docname}.doctree")
        return os.path.getsize(path) if os.path.exists(path) else float("inf")

    def write_one(docname):
        self.app.phase = BuildPhase.RESOLVING
        doctree = self.env.get_and_resolve_doctree(docname, self)
        self.app.phase = BuildPhase.WRITING
        self.write_doc_serialized(docname, doctree)
        self.write_doc(docname, doctree)

    def write_process(docs):
        known_images = set(self.images)
        _empty_tables(self.indexer)  # this process's own tables, sent back whole
        for docname in docs:
            write_one(docname)
        images = {k: v for k, v in self.images.items() if k not in known_images}
        return _tables(self.indexer), images

    def merge(docs, result):
        tables, images = result
        self.images.update(images)
        _merge_tables(self.indexer, tables)
        next(progress)

    nproc = max(nproc, self.app.parallel)
    docnames = sorted(docnames, key=size)
    write_one(docnames[0])
    chunks = _in_task_order(docnames[:0:-1], nproc)  # the others, the largest first
    progress = status_iterator(
        chunks, "writing output... ", "darkgreen", len(chunks), self.app.verbosity
    )
    tasks = ParallelTasks(nproc)
    for chunk in chunks:
        tasks.add_task(write_process, chunk, merge)
    tasks.join()
    logger.info("")


def setup(app):
    app.connect("config-inited", _declare)
    app.connect("builder-inited", _schedule)
    # after the extensions' own handlers
    app.connect("doctree-read", _trim, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
