"""Tests of the page checks: plant one fault on purpose and show that the check reports it.

Each fault lives on a small synthetic page (served from a temporary folder) and goes through the very
functions that test_browser.py uses on the book. A clean page is checked too, so that a check that
always fails would be caught as well. The same for the JupyterLab checks: test_jupyterlab_breakage.py.
"""

from __future__ import annotations

import base64
import re
from urllib.parse import urljoin

import pytest

from .checks import check_page, serve

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
    "nav_hidden.html": NAV.replace(
        '<a href="clean.html"', '<a style="display: none" href="clean.html"'
    )
    + "<article><h1>Hidden</h1></article>",
    # A banner over the whole window: the link is visible but a click would land on the banner.
    "nav_covered.html": NAV
    + '<div style="position: fixed; inset: 0; background: white">A banner</div>'
    + "<article><h1>Covered</h1></article>",
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


def _sidebar(browser, base, name, target):
    report = check_page(
        browser, urljoin(base, name), base.rstrip("/"), links_to=urljoin(base, target)
    )
    return report, report.failures()


def test_sidebar_link_to_the_next_page_passes(browser, synthetic):
    report, failures = _sidebar(browser, synthetic, "nav.html", "clean.html")
    assert failures == {} and report.title == "Nav", report.describe()


def test_missing_sidebar_link_is_reported(browser, synthetic):
    _, failures = _sidebar(browser, synthetic, "nav.html", "chapters/absent.html")
    assert failures == {
        "sidebar": ["no sidebar link to /chapters/absent.html on /nav.html"]
    }, failures


def test_hidden_sidebar_link_is_reported(browser, synthetic):
    _, failures = _sidebar(browser, synthetic, "nav_hidden.html", "clean.html")
    assert failures == {
        "sidebar": ["the sidebar link to /clean.html is hidden on /nav_hidden.html"]
    }, failures


def test_covered_sidebar_link_is_reported(browser, synthetic):
    _, failures = _sidebar(browser, synthetic, "nav_covered.html", "clean.html")
    found = failures.get("sidebar", [])
    assert len(found) == 1 and "cannot be clicked on /nav_covered.html" in found[0], (
        failures
    )


def test_page_without_heading_reports_no_title(browser, synthetic):
    report = check_page(
        browser, urljoin(synthetic, "raw_formula.html"), synthetic.rstrip("/")
    )
    assert report.title == "" and report.landed == urljoin(
        synthetic, "raw_formula.html"
    )
