"""The build stops each notebook's kernel at once (_ext/kernel_stop.py), after its outputs."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "_ext"))


def test_the_inline_client_gets_every_output_then_stops_its_kernel_at_once(tmp_path):
    import tests.no_iri_grammar  # noqa: F401 - as in the build: the IRI grammar is not compiled

    kernel_stop = pytest.importorskip("kernel_stop")
    import nbformat
    import psutil
    from myst_nb.core.config import NbParserConfig
    from myst_nb.core.execute.inline import NotebookClientInline

    kernel_stop.setup(None)
    wrapped = NotebookClientInline.start_client
    kernel_stop.setup(None)  # a second build in the same process wraps nothing more
    assert NotebookClientInline.start_client is wrapped

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell("answer = 6 * 7\nanswer")]
    path = tmp_path / "page.ipynb"
    nbformat.write(notebook, path)
    client = NotebookClientInline(
        notebook, path, NbParserConfig(), logging.getLogger("test_kernel_stop")
    )
    with client:
        assert client._client.shutdown_kernel == "immediate"
        kernel = psutil.Process(client._client.km.provisioner.process.pid)
        outputs = client.code_cell_outputs(0)[1]
        assert outputs[0]["data"]["text/plain"] == "42"
    assert not kernel.is_running() or kernel.status() == psutil.STATUS_ZOMBIE
    assert client.exec_metadata["succeeded"]
