"""The chapters in JupyterLab: run every cell, then move the explorer's slider and watch its plot change.

JupyterLab runs from the project's environment on a temporary copy of chapters/, so the committed
notebooks are never executed in place or saved with outputs. Only chapter 1 runs by default (the
budget of `make test`); set SITE_LAB_ALL=1 to check the explorer of every chapter that has one.
"""

from __future__ import annotations

import hashlib
import os

import pytest

from .checks import check_explorer
from .conftest import ROOT, SCREENSHOTS

EXPLORER_CALL = "widgets.explorer("
CHAPTERS = sorted(p.name for p in (ROOT / "chapters").glob("*.ipynb")
                  if EXPLORER_CALL in p.read_text(encoding="utf-8"))
SELECTED = CHAPTERS if os.environ.get("SITE_LAB_ALL") else CHAPTERS[:1]


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_some_chapter_has_an_explorer():
    assert CHAPTERS, f"no chapter calls gl.{EXPLORER_CALL}...)"


@pytest.mark.parametrize("notebook", SELECTED)
def test_explorer_slider_changes_the_plot(notebook, lab_server, lab_page):
    committed = ROOT / "chapters" / notebook
    before = _digest(committed)
    report = check_explorer(lab_page, lab_server.url(notebook),
                            screenshot=SCREENSHOTS / f"jupyterlab-{committed.stem}.png")
    print(report.seconds, report.timings)
    assert not report.problems, "\n".join(
        [f"{notebook} in JupyterLab ({report.seconds:.1f} s):"] + report.problems
        + [f"(server log)\n{lab_server.log_tail(15)}"])
    assert report.plots[0] != report.plots[1]
    assert _digest(committed) == before, f"the committed {notebook} was modified"
    assert not lab_page.recorder.foreign, f"JupyterLab asked other hosts: {lab_page.recorder.foreign}"
