"""Repository hygiene: committed notebooks are clean and the table of contents matches the files.

These checks run first in `make test`; each failure names the offending file.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "chapters").glob("*.ipynb")) + sorted(
    (ROOT / "appendices").glob("*.ipynb")
)


def toc_files() -> list[str]:
    """Every `file:` entry of _toc.yml (the root page included), without suffix."""
    text = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    files = re.findall(r"^\s*-?\s*file:\s*(\S+)\s*$", text, flags=re.MULTILINE)
    root = re.search(r"^root:\s*(\S+)\s*$", text, flags=re.MULTILINE)
    return ([root.group(1)] if root else []) + files


def source_of(entry: str) -> Path | None:
    for suffix in (".ipynb", ".md"):
        path = ROOT / (entry + suffix)
        if path.exists():
            return path
    return None


def test_there_are_chapters():
    assert NOTEBOOKS, "chapters/ holds no notebook"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_clean(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    problems = []
    kernelspec = nb.get("metadata", {}).get("kernelspec", {})
    if kernelspec.get("language") != "python" or kernelspec.get("name") != "python3":
        problems.append(
            f"kernelspec must be Python 3 (name 'python3'), got {kernelspec}"
        )
    if "widgets" in nb.get("metadata", {}):
        problems.append("stores widget state in its metadata")
    for index, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code":
            continue
        if cell.get("outputs"):
            problems.append(f"cell {index} has outputs")
        if cell.get("execution_count") is not None:
            problems.append(f"cell {index} has an execution count")
    assert not problems, f"{path.relative_to(ROOT)}: " + "; ".join(problems)


def test_every_toc_entry_exists():
    missing = [entry for entry in toc_files() if source_of(entry) is None]
    assert not missing, f"_toc.yml lists files that do not exist: {missing}"


def test_every_chapter_is_in_the_toc():
    listed = set(toc_files())
    unlisted = [
        str(p.relative_to(ROOT))
        for p in NOTEBOOKS
        if str(p.relative_to(ROOT).with_suffix("")) not in listed
    ]
    assert not unlisted, f"notebooks missing from _toc.yml: {unlisted}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_imports_only_allowed_packages(path):
    allowed = {"gradlib", "numpy", "matplotlib", "ipywidgets", "myst_nb", "IPython"}
    import sys

    nb = json.loads(path.read_text(encoding="utf-8"))
    bad = set()
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        for match in re.finditer(
            r"^\s*(?:from|import)\s+([A-Za-z_][\w]*)", source, flags=re.MULTILINE
        ):
            name = match.group(1)
            if name not in allowed and name not in sys.stdlib_module_names:
                bad.add(name)
    assert not bad, (
        f"{path.name} imports packages outside the book's stack: {sorted(bad)}"
    )


def test_bibliography_entries_are_all_cited():
    bib = (ROOT / "references.bib").read_text(encoding="utf-8")
    keys = re.findall(r"^@\w+\{([^,]+),", bib, flags=re.MULTILINE)
    pages = [
        p
        for p in ROOT.glob("**/*")
        if p.suffix in {".md", ".ipynb"}
        and not any(part in {".venv", "_build", "node_modules"} for part in p.parts)
    ]
    text = "\n".join(p.read_text(encoding="utf-8") for p in pages)
    cited = set()
    for group in re.findall(r"\{cite(?::[pt])?\}`([^`]+)`", text):
        cited.update(key.strip() for key in group.split(","))
    unused = sorted(set(keys) - cited)
    missing = sorted(cited - set(keys))
    assert not missing, f"cited but not in references.bib: {missing}"
    assert not unused, f"in references.bib but never cited: {unused}"


CHAPTERS = [p for p in NOTEBOOKS if re.match(r"\d\d_", p.name)]


def _cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


HIDDEN = {
    "remove-input",
    "remove-output",
}  # hidden on the site, executed in MyST-NB's inline mode
WIDGET = re.compile(r"gl\.widgets\.")
MAX_LINE = 88  # the width of a code box on the site and in JupyterLab


def _visible(cell) -> bool:
    tags = set(cell.get("metadata", {}).get("tags", []))
    return not (HIDDEN <= tags or "remove-cell" in tags)


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_chapter_has_the_shape_of_the_book(path):
    """The chapter checklist of the design, as far as it can be read from the notebook itself."""
    cells = _cells(path)
    code = [c for c in cells if c["cell_type"] == "code"]
    sources = ["".join(c["source"]) for c in code]
    tags = [set(c.get("metadata", {}).get("tags", [])) for c in code]
    text = "\n".join(
        "".join(c["source"]) for c in cells if c["cell_type"] == "markdown"
    )
    problems = []
    evals = len(re.findall(r"\{eval\}`", text))
    if evals < 3:
        problems.append(
            f"{evals} computed numbers in the prose ({{eval}} roles; at least 3)"
        )
    assert_cells = sum(
        HIDDEN <= t and re.search(r"^\s*assert\b", s, re.MULTILINE) is not None
        for s, t in zip(sources, tags, strict=True)
    )
    if assert_cells < 3:
        problems.append(f"{assert_cells} hidden assert cells (at least 3)")
    if not any(
        "remove-cell" in t and WIDGET.search(s)
        for s, t in zip(sources, tags, strict=True)
    ):
        problems.append("no explorer widget in a cell removed from the site")
    if not any(
        "gl.book.scrubber(" in s
        and _visible(c)
        or "gl.book.scrubber(" in s
        and "remove-input" in t
        for c, s, t in zip(code, sources, tags, strict=True)
    ):
        problems.append("no static explorer (gl.book.scrubber) shown on the site")
    if not any("gl.book.show_source(" in s for s in sources):
        problems.append("does not show gradlib's source with gl.book.show_source")
    problems += _prose_problems(text)
    assert not problems, f"{path.name}: " + "; ".join(problems)


SECTIONS = (
    "## Question",
    "## Idea and math",
    "## The code",
    "## Experiments",
    "## Explore",
    "## Exercises",
    "## Takeaways",
)


def _prose_problems(text: str) -> list[str]:
    """The parts of the chapter checklist that live in its Markdown."""
    problems = []
    exercises = len(re.findall(r"^:::\{exercise\}", text, re.MULTILINE))
    solutions = len(
        re.findall(r"^:::\{solution\}.*\n:class: dropdown", text, re.MULTILINE)
    )
    if exercises < 2 or solutions < exercises:
        problems.append(
            f"{exercises} exercises with {solutions} folding solutions (at least 2 each)"
        )
    for heading in SECTIONS:
        if not re.search(rf"^{re.escape(heading)}", text, re.MULTILINE):
            problems.append(f"missing section {heading!r}")
    if "{cite:" not in text:
        problems.append("cites nothing from the bibliography")
    if "Source notes" not in text:
        problems.append("does not name the section of the notes it covers")
    return problems


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_visible_code_is_the_idea_not_the_bookkeeping(path):
    """What a reader sees: no bookkeeping in visible cells, hidden cells folded in JupyterLab too."""
    problems = []
    for index, cell in enumerate(_cells(path)):
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        tags = set(cell.get("metadata", {}).get("tags", []))
        if "remove-cell" in tags and not WIDGET.search(source):
            problems.append(
                f"cell {index} is tagged remove-cell, which inline execution skips: use "
                "remove-input + remove-output (or keep remove-cell for a Jupyter-only widget)"
            )
        if HIDDEN <= tags and not cell.get("metadata", {}).get("jupyter", {}).get(
            "source_hidden"
        ):
            problems.append(
                f"cell {index} is hidden on the site but not collapsed in JupyterLab "
                "(metadata jupyter.source_hidden)"
            )
        if not _visible(cell) or "remove-input" in tags or "hide-input" in tags:
            continue
        if re.search(r"\bglue\(|\bgl\.book\.fmt\(|\bfmt\(", source):
            problems.append(
                f"visible cell {index} formats numbers for the prose (bookkeeping): hide it"
            )
        if re.search(r"^\s*assert\b", source, re.MULTILINE):
            problems.append(
                f"visible cell {index} contains an assert: move it to a hidden cell"
            )
        long = [line for line in source.splitlines() if len(line) > MAX_LINE]
        if long:
            problems.append(
                f"visible cell {index} has {len(long)} line(s) longer than {MAX_LINE} characters"
            )
    assert not problems, f"{path.name}: " + "; ".join(problems)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_hand_written_training_loop(path):
    """The one loop is gl.run: a chapter may write its own loop only to teach a variant of the loop.

    Such a cell says so in a comment starting with ``# A loop of its own:``.
    """
    problems = []
    for index, cell in enumerate(_cells(path)):
        source = "".join(cell["source"])
        if (
            cell["cell_type"] == "code"
            and re.search(r"\.step\(", source)
            and re.search(r"^\s*(for|while)\b", source, re.MULTILINE)
        ):
            if "# A loop of its own:" not in source:
                problems.append(
                    f"cell {index} calls .step( in a loop: use gl.run, or say why not"
                )
    assert not problems, f"{path.name}: " + "; ".join(problems)
