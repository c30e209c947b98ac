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
