"""gl.show_source: the code a chapter shows is the library's own source."""

import inspect

import pytest

import gradlib as gl
from gradlib.source import source


def test_source_drops_docstrings_but_keeps_code():
    text = source(gl.Adam)
    assert "class Adam" in text
    assert '"""' not in text and "Examples" not in text
    assert "m_hat" in text or "bias" in text  # the equations are still there


def test_source_with_docstrings_is_the_file_text():
    assert source(gl.GD, docstrings=True) == inspect.getsource(gl.GD).rstrip("\n")


def test_show_source_is_markdown_naming_file_and_line():
    shown = gl.show_source(gl.GD, gl.run)
    data = shown.data
    assert data.count("```python") == 2
    line = inspect.getsourcelines(gl.GD)[1]
    assert f"gradlib/optimizers.py</code>, line {line}" in data
    assert "def run(" in data


def test_source_of_a_function():
    assert source(gl.functions.rosenbrock).startswith("def rosenbrock(")


@pytest.mark.parametrize("bad", [42, "GD", gl.GD(lr=0.1)])
def test_source_rejects_non_code(bad):
    with pytest.raises(TypeError, match="obj must be a class or a function"):
        source(bad)


def _captured(monkeypatch, module, attribute):
    calls = []
    monkeypatch.setattr(module, attribute, lambda *args, **kwargs: calls.append((args, kwargs)))
    return calls


@pytest.mark.parametrize("value", [0.125, 3, "text", [1.5, 2.5]])
@pytest.mark.parametrize("display", [False, True])
def test_glue_writes_what_myst_nb_writes(monkeypatch, value, display):
    import IPython.display
    import myst_nb.ext.glue

    ours = _captured(monkeypatch, IPython.display, "display")
    theirs = _captured(monkeypatch, myst_nb.ext.glue, "ipy_display")
    gl.glue("key", value, display=display)
    myst_nb.ext.glue.glue("key", value, display)
    assert ours == theirs and len(ours) == 1


def test_glue_turns_numpy_scalars_into_python_numbers(monkeypatch):
    import IPython.display
    import numpy as np

    calls = _captured(monkeypatch, IPython.display, "display")
    gl.glue("x", np.float64(0.5))
    (bundle,), _ = calls[0]
    assert bundle["application/papermill.record/text/plain"] == "0.5"


@pytest.mark.parametrize("bad", ["", None, 3])
def test_glue_needs_a_name(bad):
    with pytest.raises(ValueError, match="name must be a non-empty string"):
        gl.glue(bad, 1.0)
