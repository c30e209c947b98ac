"""Tests of the browser checks: plant one fault on purpose and show that the check reports it.

Each fault lives on a small synthetic page (served from a temporary folder) or in a small temporary
notebook (opened in the same JupyterLab as the chapters), and goes through the very functions that
test_browser.py and test_jupyterlab.py use on the book. A clean page and a working widget are checked
too, so that a check that always fails would be caught as well.
"""

from __future__ import annotations

import base64
import re
from urllib.parse import urljoin

import pytest

from .checks import (
    check_navigation,
    check_page,
    dialog_problems,
    move_slider,
    run_notebook,
    serve,
)
from .conftest import SCREENSHOTS, log_dialogs

# A 1x1 PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)

NAV = '<nav class="bd-docs-nav"><a href="clean.html">Clean</a> <a href="nav.html">Nav</a></nav>'
PAGES = {
    "clean.html": NAV + "<article><h1>Clean</h1><p>Nothing wrong here.</p>"
    '<img src="dot.png" alt="a dot"></article>',
    "raw_formula.html": "<p>The loss is $$f(x) = x^2$$ and its gradient "
    '<span class="math">\\(2x\\)</span>.</p>',
    "external_script.html": '<p>Loads a script from a CDN.</p><script src="https://example.com/x.js"></script>',
    "broken_image.html": '<p>A figure that is not there.</p><img src="_images/missing.png" alt="a plot">',
    "image_without_alt.html": '<p>A figure without a description.</p><img src="dot.png">',
    "script_error.html": "<p>A script that throws.</p><script>throw new Error('deliberate');</script>",
    "nav.html": NAV + "<article><h1>Nav</h1></article>",
}


def _html(body: str) -> str:
    head = "<meta charset='utf-8'><title>synthetic</title>"
    return (
        f"<!DOCTYPE html><html lang='en'><head>{head}</head><body>{body}</body></html>"
    )


def _animation(frames_differ: bool) -> str:
    """A matplotlib `to_jshtml` player with three frames (all identical if not `frames_differ`)."""
    import matplotlib.pyplot as plt
    from matplotlib.animation import FuncAnimation

    fig, ax = plt.subplots(figsize=(2, 1.5), dpi=40)
    (line,) = ax.plot([0, 1], [0, 0])
    ax.set_ylim(0, 3)

    def draw(k):
        line.set_ydata([0, k if frames_differ else 1])
        return (line,)

    html = FuncAnimation(fig, draw, frames=3, interval=120).to_jshtml(
        default_mode="loop"
    )
    plt.close(fig)
    return html


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    root = tmp_path_factory.mktemp("synthetic")
    (root / "dot.png").write_bytes(PNG)
    for name, body in PAGES.items():
        (root / name).write_text(_html(body), encoding="utf-8")
    moving, frozen = _animation(True), _animation(False)
    # matplotlib's player links Font Awesome 4 from a CDN; the book must drop that link (its theme
    # ships Font Awesome itself), and the checks must notice if it does not.
    cdn = re.search(r'<link[^>]*href="https://[^"]*font-awesome[^"]*"[^>]*>', moving)
    assert cdn, "matplotlib no longer links Font Awesome from a CDN: update this test"
    (root / "animation_cdn.html").write_text(
        _html(moving.replace("<img id=", '<img alt="x" id='))
    )
    moving, frozen = moving.replace(cdn.group(0), ""), frozen.replace(cdn.group(0), "")
    # The player's <img> carries no alt text; a page must add one (as the book should).
    with_alt = moving.replace("<img id=", '<img alt="animated descent path" id=')
    (root / "animation.html").write_text(_html(with_alt), encoding="utf-8")
    (root / "animation_no_alt.html").write_text(_html(moving), encoding="utf-8")
    (root / "animation_frozen.html").write_text(
        _html(frozen.replace("<img id=", '<img alt="frozen" id=')), encoding="utf-8"
    )
    with serve(root) as base:
        yield base


def _check(browser, base, name):
    return check_page(browser, urljoin(base, name), base.rstrip("/")).failures()


def test_a_clean_page_passes(browser, synthetic):
    assert _check(browser, synthetic, "clean.html") == {}


def test_raw_formula_is_reported(browser, synthetic):
    failures = _check(browser, synthetic, "raw_formula.html")
    found = "\n".join(failures.get("math", []))
    assert "formula not typeset" in found and "raw display math $$" in found, failures


def test_external_script_is_reported(browser, synthetic):
    failures = _check(browser, synthetic, "external_script.html")
    assert failures.get("requests to other hosts") == ["https://example.com/x.js"], (
        failures
    )


def test_broken_image_is_reported(browser, synthetic):
    failures = _check(browser, synthetic, "broken_image.html")
    assert any("did not load" in p for p in failures.get("images", [])), failures
    assert any(
        "missing.png (HTTP 404)" in p for p in failures.get("failed requests", [])
    ), failures


def test_image_without_alt_text_is_reported(browser, synthetic):
    failures = _check(browser, synthetic, "image_without_alt.html")
    assert (
        list(failures) == ["images"] and "without alt text" in failures["images"][0]
    ), failures


def test_script_error_is_reported(browser, synthetic):
    failures = _check(browser, synthetic, "script_error.html")
    assert any("deliberate" in p for p in failures.get("console errors", [])), failures


def test_working_animation_passes(browser, synthetic):
    report = check_page(
        browser, urljoin(synthetic, "animation.html"), synthetic.rstrip("/")
    )
    assert report.animations == 1 and report.failures() == {}, report.describe()


def test_animation_without_alt_text_is_reported(browser, synthetic):
    failures = _check(browser, synthetic, "animation_no_alt.html")
    assert (
        list(failures) == ["images"] and "without alt text" in failures["images"][0]
    ), failures


def test_animation_that_does_not_move_is_reported(browser, synthetic):
    found = _check(browser, synthetic, "animation_frozen.html").get("animations", [])
    assert any("did not change the displayed image" in p for p in found), found
    assert any("'Play' did not advance" in p for p in found), found


def test_animation_loading_a_cdn_stylesheet_is_reported(browser, synthetic):
    failures = _check(browser, synthetic, "animation_cdn.html")
    assert any(
        "font-awesome" in u for u in failures.get("requests to other hosts", [])
    ), failures


def test_missing_sidebar_link_is_reported(browser, synthetic):
    reached, problems = check_navigation(
        browser, synthetic, "nav.html", ["clean", "chapters/absent"]
    )
    assert reached == ["clean"]
    assert problems == ["no sidebar link to chapters/absent on /clean.html"], problems
    reached, problems = check_navigation(
        browser, synthetic, "nav.html", ["clean", "nav"]
    )
    assert reached == ["clean", "nav"] and problems == [], problems


# --------------------------------------------------------------------------------------------
# A widget whose callback raises, in JupyterLab

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
    import nbformat  # here, not at collection: its schema validator is slow to import

    nb = nbformat.v4.new_notebook(
        metadata={
            "kernelspec": {
                "name": "python3",
                "display_name": "Python 3",
                "language": "python",
            }
        }
    )
    nb.cells = [nbformat.v4.new_code_cell(source.strip()) for source in WIDGETS]
    nbformat.write(nb, lab_server.root / "synthetic_widgets.ipynb")
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
