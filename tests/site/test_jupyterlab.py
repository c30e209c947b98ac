"""The chapters in JupyterLab, read as a reader reads them, and their explorers moved.

JupyterLab (with jupyterlab-myst) runs from the project's environment on a temporary copy of
chapters/, so the committed notebooks are never executed in place or saved with outputs.

- Reading: open a chapter, Run All, and check the rendered notebook: every Markdown cell rendered
  with no raw role or directive left (`{eval}`, `{doc}`, ```` ```{ ````, `:::{`...), every computed
  number of the prose shown, the exercises and solutions rendered, no error output; a screenshot per
  chapter is saved beside the site's (tests/artifacts/screenshots/jupyterlab-read-<chapter>.png).
- Explorer: in a chapter with an explorer, after the reading, move the explorer's slider and check
  that its plot changes (on the same run of the notebook: a chapter is executed once).

By default (the budget of `make test`) one chapter is read and its explorer moved: the first,
whose prose holds computed numbers, cross-references, exercises and an explorer, so it exercises
every check. Set SITE_LAB_ALL=1 to check every chapter and every explorer (`make lab-test`).
"""

from __future__ import annotations

import hashlib
import os

import pytest

from .checks import check_reading, move_slider
from .conftest import ROOT, SCREENSHOTS

EXPLORER_CALL = "widgets.explorer("
CHAPTERS = sorted(
    p.name
    for p in (ROOT / "chapters").glob("*.ipynb")
    if EXPLORER_CALL in p.read_text(encoding="utf-8")
)
ALL = bool(os.environ.get("SITE_LAB_ALL"))
EVERY_CHAPTER = sorted(p.name for p in (ROOT / "chapters").glob("*.ipynb"))
# By default the first chapter: reading a chapter costs about 25 s of CPU (JupyterLab in Chromium
# and the kernel; the server and two chapters took 57 CPU-s on a 2-core AVX-512 EPYC).
READ = EVERY_CHAPTER if ALL else ["01_taylor_gradient_descent.ipynb"]


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_some_chapter_has_an_explorer():
    assert CHAPTERS, f"no chapter calls gl.{EXPLORER_CALL}...)"
    assert set(CHAPTERS) & set(READ), "no chapter read in JupyterLab has an explorer"


@pytest.mark.parametrize("notebook", READ)
def test_chapter_reads_in_jupyterlab_as_on_the_site(notebook, lab_server, lab_page):
    committed = ROOT / "chapters" / notebook
    before = _digest(committed)
    report = check_reading(
        lab_page,
        lab_server.url(notebook),
        committed,
        run_timeout_s=120,
        screenshot=SCREENSHOTS / f"jupyterlab-read-{committed.stem}.png",
    )
    print(f"{notebook}: {report.seconds:.1f} s", report.timings, report.dialogs)
    assert not report.problems, "\n".join(
        [f"{notebook} in JupyterLab ({report.seconds:.1f} s):"]
        + report.problems
        + [f"(server log)\n{lab_server.log_tail(15)}"]
    )
    assert report.markdown_cells > 5
    if notebook in CHAPTERS:  # its explorer, on the notebook just run
        moved = move_slider(lab_page)
        assert not moved.problems, "\n".join(
            [f"{notebook}: the explorer in JupyterLab"] + moved.problems
        )
        assert moved.plots[0] != moved.plots[1]
    assert _digest(committed) == before, f"the committed {notebook} was modified"
    assert not lab_page.recorder.foreign, (
        f"JupyterLab asked other hosts: {lab_page.recorder.foreign}"
    )
