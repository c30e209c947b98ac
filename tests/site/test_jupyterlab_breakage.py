"""Tests of the JupyterLab checks: plant one fault on purpose and show that the check reports it.

A small temporary notebook with three widgets (one working, two whose callback raises) is opened in
the same JupyterLab as the chapters (so these tests run in the process that runs test_jupyterlab.py)
and goes through the very functions that test_jupyterlab.py uses on the book. The working widget is
checked too, so that a check that always fails would be caught as well.
"""

from __future__ import annotations

import json

import pytest

from .checks import dialog_problems, move_slider, run_notebook
from .conftest import SCREENSHOTS, log_dialogs

WIDGETS = [
    """
import io

import ipywidgets as widgets
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt


def render(lr):
    fig, ax = plt.subplots(figsize=(3, 2), dpi=50)
    ax.plot([0, 1], [0, lr])
    ax.set_ylim(0, 1)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return buffer.getvalue()


def make_widget(description, fail=False, show_errors=False):
    slider = widgets.FloatSlider(value=0.1, min=0.0, max=1.0, step=0.05, description=description)
    image = widgets.Image(value=render(slider.value), format="png")
    out = widgets.Output()

    def redraw(lr):
        if fail:
            raise RuntimeError("deliberate failure in the widget callback")
        image.value = render(lr)

    def on_change(change):
        if show_errors:
            with out:
                redraw(change["new"])
        else:
            redraw(change["new"])

    slider.observe(on_change, names="value")
    return widgets.VBox([slider, image, out])
""",
    'make_widget("working")',
    'make_widget("raising", fail=True)',
    'make_widget("raising-shown", fail=True, show_errors=True)',
]


@pytest.fixture(scope="module")
def widget_notebook(lab_server, browser):
    """One notebook with a working widget and two whose callback raises, run once in JupyterLab."""
    # Written as nbformat 4.5 JSON directly: importing nbformat compiles its schema validator's
    # IRI grammar (about 2 s) for a notebook of three code cells.
    notebook = {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {
            "kernelspec": {
                "name": "python3",
                "display_name": "Python 3",
                "language": "python",
            }
        },
        "cells": [
            {
                "cell_type": "code",
                "id": f"widget-{k}",
                "metadata": {},
                "execution_count": None,
                "outputs": [],
                "source": source.strip(),
            }
            for k, source in enumerate(WIDGETS)
        ],
    }
    path = lab_server.root / "synthetic_widgets.ipynb"
    path.write_text(json.dumps(notebook, indent=1), encoding="utf-8")
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    report = run_notebook(
        page, lab_server.url("synthetic_widgets.ipynb"), run_timeout_s=30
    )
    print(
        "synthetic notebook:", round(report.seconds, 1), report.timings, report.dialogs
    )
    assert not report.problems, report.problems
    yield page
    log_dialogs("synthetic notebook", page.lab_dialogs)
    page.screenshot(path=str(SCREENSHOTS / "jupyterlab-synthetic_widgets.png"))
    context.close()


def test_working_widget_passes(widget_notebook):
    report = move_slider(widget_notebook, "^working$")
    assert not report.problems, report.problems
    assert report.values[0] != report.values[1] and report.plots[0] != report.plots[1]


def test_widget_callback_that_raises_is_reported(widget_notebook):
    report = move_slider(widget_notebook, "^raising$", wait_s=3)
    assert report.values[0] != report.values[1], "the slider must have moved"
    assert report.problems == [
        f"moving 'raising' from {report.values[0]} to {report.values[1]} did not change the plot"
    ]


def test_widget_callback_error_shown_in_an_output_is_reported(widget_notebook):
    report = move_slider(widget_notebook, "^raising-shown$", wait_s=3)
    assert any("did not change the plot" in p for p in report.problems), report.problems
    assert any(
        "error output after moving the slider" in p and "deliberate failure" in p
        for p in report.problems
    ), report.problems


def test_a_dialog_over_the_notebook_is_accepted_and_recorded(widget_notebook):
    """A dialog covers the notebook and swallows clicks: it is accepted and recorded, not waited on."""
    page = widget_notebook
    before = len(page.lab_dialogs)
    page.locator(".lm-MenuBar-item", has_text="Kernel").first.click()
    page.locator(".lm-Menu-item[data-command='kernelmenu:change']").click()
    page.wait_for_function(
        "() => document.querySelector('.jp-Dialog') !== null", timeout=10000
    )
    # The next click on the notebook must go through (the dialog is accepted first).
    page.locator(
        ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell .jp-InputPrompt"
    ).first.click(timeout=10000)
    assert page.locator(".jp-Dialog").count() == 0
    new = page.lab_dialogs[before:]
    assert len(new) == 1 and new[0].startswith("Select Kernel"), new
    assert dialog_problems(new) == []
    del page.lab_dialogs[
        before:
    ]  # opened on purpose: not one to report at the end of the run


def test_failure_dialogs_are_told_apart():
    assert dialog_problems(["Select Kernel: Select kernel for: x.ipynb"]) == []
    assert dialog_problems(
        ["Kernel Restarting: The kernel for x.ipynb appears to have died."]
    ) == [
        "JupyterLab showed a failure dialog: Kernel Restarting: "
        "The kernel for x.ipynb appears to have died."
    ]
    assert (
        len(
            dialog_problems(
                ["Error Starting Kernel: ...", "Server unavailable or unreachable: ..."]
            )
        )
        == 2
    )
