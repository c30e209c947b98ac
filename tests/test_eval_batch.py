"""The build's batched {eval} roles (_ext/eval_batch.py) give what one role at a time gives."""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "_ext"))


# Imported by the tests that use it, not at collection: the extension imports MyST-NB and
# nbformat, whose schema validator takes seconds to import, in every test process.
@pytest.fixture(scope="module")
def eval_batch():
    import tests.no_iri_grammar  # noqa: F401 - as in the build: the IRI grammar is not compiled

    return pytest.importorskip("eval_batch")


SETUP = """
import numpy as np

class Shown:
    def __repr__(self):
        return "1.5e-3"

    def _repr_html_(self):
        return "<b>1.5e-3</b>"

f64 = np.float64(0.25)
text = "plain words"
shown = Shown()
count = 7
nothing = None
"""
NAMES = ["f64", "text", "shown", "count", "nothing"]


@pytest.fixture(scope="module")
def kernel():
    from jupyter_client.manager import start_new_kernel

    manager, client = start_new_kernel(kernel_name="python3")
    try:
        client.execute_interactive(SETUP, timeout=60)
        yield client
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def _run(client, code: str) -> list[dict]:
    """The outputs of `code` executed as MyST-NB executes an {eval} name."""
    outputs = []

    def keep(msg):
        if msg["header"]["msg_type"] in ("execute_result", "error", "stream"):
            outputs.append({"output_type": msg["header"]["msg_type"], **msg["content"]})

    client.execute_interactive(code, store_history=False, output_hook=keep, timeout=60)
    return outputs


def _inline_client(kernel, notebook):
    return SimpleNamespace(
        notebook=notebook,
        nb_config=SimpleNamespace(eval_name_regex=r"^[a-zA-Z_][a-zA-Z0-9_]*$"),
        _client=SimpleNamespace(eval_expression=lambda code: _run(kernel, code)),
        _last_cell_executed=0,
    )


def _notebook(*cells):
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(s[5:])
        if s.startswith("code:")
        else nbformat.v4.new_markdown_cell(s)
        for s in cells
    ]
    return nb


def test_a_batch_gives_each_name_the_data_of_its_own_evaluation(kernel, eval_batch):
    notebook = _notebook(
        "code: pass",
        " ".join(f"{{eval}}`{n}`" for n in NAMES) + " and {eval}`undefined_name`",
    )
    client = _inline_client(kernel, notebook)

    def single(self, name):
        return [o for o in _run(kernel, name) if o["output_type"] != "stream"]

    batched = eval_batch._batched(single)
    for name in NAMES:
        alone = single(client, name)
        together = batched(client, name)
        assert [(o["output_type"], o["data"], o["metadata"]) for o in together] == [
            (o["output_type"], o["data"], o["metadata"]) for o in alone
        ], name
    assert batched(client, "nothing") == []
    # an undefined name is not in the batch: it is evaluated alone, and its error comes back
    assert batched(client, "undefined_name")[0]["output_type"] == "error"
    # the batch evaluates in a scope of its own: the user's namespace gains no names
    names = _run(kernel, "sorted(k for k in globals() if not k.startswith('_'))")
    assert "RESULT" not in names[0]["data"]["text/plain"]
    assert "_out" not in names[0]["data"]["text/plain"]


def test_the_batch_reaches_to_the_next_code_cell_only(kernel, eval_batch):
    notebook = _notebook(
        "code: a = 1",
        "A {eval}`f64` and {eval}`text`.",
        "Then {eval}`count` and {eval}`f64` again.",
        "code: count = 8",
        "After the cell: {eval}`shown`.",
    )
    assert eval_batch._names_ahead(SimpleNamespace(notebook=notebook), 1) == [
        "f64",
        "text",
        "count",
    ]
    assert eval_batch._names_ahead(SimpleNamespace(notebook=notebook), 4) == ["shown"]


def test_a_new_code_cell_starts_a_new_batch(kernel, eval_batch):
    notebook = _notebook("code: pass", "{eval}`count`", "code: pass", "{eval}`count`")
    client = _inline_client(kernel, notebook)
    batched = eval_batch._batched(lambda self, name: _run(kernel, name))
    assert batched(client, "count")[0]["data"]["text/plain"] == "7"
    _run(kernel, "count = 8")
    assert (
        batched(client, "count")[0]["data"]["text/plain"] == "7"
    )  # same stretch of prose
    client._last_cell_executed = 2
    assert batched(client, "count")[0]["data"]["text/plain"] == "8"
    _run(kernel, "count = 7")


def test_the_role_pattern_finds_every_eval_role(eval_batch):
    text = "a {eval}`x1` b {eval}`y_2`, {glue}`z` and `{eval}` alone"
    assert eval_batch._ROLE.findall(text) == ["x1", "y_2"]
