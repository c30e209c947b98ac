"""The build's kernels (_ext/kernels.py): over Unix sockets of their own, stopped at once."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "_ext"))


def test_the_inline_client_runs_over_its_own_sockets_then_stops_its_kernel_at_once(
    tmp_path,
):
    import tests.no_iri_grammar  # noqa: F401 - as in the build: the IRI grammar is not compiled

    kernels = pytest.importorskip("kernels")
    import nbformat
    import psutil
    from myst_nb.core.config import NbParserConfig
    from myst_nb.core.execute.inline import ModifiedNotebookClient, NotebookClientInline

    kernels.setup(None)
    wrapped = ModifiedNotebookClient.create_kernel_manager
    kernels.setup(None)  # a second build in the same process wraps nothing more
    assert ModifiedNotebookClient.create_kernel_manager is wrapped

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell("answer = 6 * 7\nanswer")]
    path = tmp_path / "page.ipynb"
    nbformat.write(notebook, path)
    pages = [
        NotebookClientInline(
            notebook, path, NbParserConfig(), logging.getLogger("test_kernels")
        )
        for _ in range(2)
    ]
    with pages[0] as first, pages[1] as second:
        managers = [first._client.km, second._client.km]
        for client in (first, second):
            assert client._client.shutdown_kernel == "immediate"
            assert client.code_cell_outputs(0)[1][0]["data"]["text/plain"] == "42"
        info = [m.get_connection_info() for m in managers]
        assert [i["transport"] for i in info] == ["ipc", "ipc"]
        assert info[0]["ip"] != info[1]["ip"]
        sockets = [
            f"{i['ip']}-{i[port]}"
            for i in info
            for port in ("shell_port", "iopub_port")
        ]
        assert all(Path(s).is_socket() for s in sockets)
        processes = [psutil.Process(m.provisioner.process.pid) for m in managers]
    for process in processes:
        assert not process.is_running() or process.status() == psutil.STATUS_ZOMBIE
    assert not any(Path(s).exists() for s in sockets)
    assert all(page.exec_metadata["succeeded"] for page in pages)
