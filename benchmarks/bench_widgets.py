"""Time every explorer and interactive plot the chapters create (recompute and redraw).

Run from the repository root: ``.venv/bin/python benchmarks/bench_widgets.py [chapters ...]``.

Each chapter's code cells are executed in one namespace, as a kernel would run them (with
matplotlib's Agg backend); every ``gradlib.widgets`` explorer or interactive plot that exists
afterwards is measured. Its main control (the first slider, the learning rate where there is
one) is moved through 20 values spread over its range after one warm-up move, and each move is
timed from the new value to the new picture: the recomputation, the redraw and the PNG
encoding that the widget shows. The table gives the median and the worst of the 20 updates
(budget: a median of 50 ms).
"""

from __future__ import annotations

import contextlib
import io
import json
import statistics
import sys
import time
import types
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BUDGET_MS = 50.0


def _code_cells(path: Path) -> list[str]:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]


def explorers(path: Path) -> list[tuple[str, object]]:
    """Execute a chapter's code; return every interactive plot it created, by variable name."""
    import gradlib as gl

    # outside IPython: rich display and line magics (%config ...) are no-ops
    shell = types.SimpleNamespace(run_line_magic=lambda *args, **kwargs: None)
    namespace: dict = {
        "__name__": "__main__",
        "display": lambda *args, **kwargs: None,
        "get_ipython": lambda: shell,
    }
    found: dict[int, tuple[str, object]] = {}
    with contextlib.redirect_stdout(io.StringIO()):
        for source in _code_cells(path):
            source = "\n".join(
                line
                for line in source.splitlines()
                if not line.lstrip().startswith(("%", "!"))
            )
            exec(compile(source, str(path), "exec"), namespace)  # noqa: S102 - the book's own code
            for name, value in list(namespace.items()):
                if (
                    isinstance(value, gl.widgets.InteractivePlot)
                    and id(value) not in found
                ):
                    found[id(value)] = (name, value)
    matplotlib.pyplot.close("all")
    return list(found.values())


def _main_control(plot):
    import ipywidgets as widgets

    sliders = [
        (n, c)
        for n, c in plot.controls.items()
        if isinstance(
            c, widgets.FloatSlider | widgets.IntSlider | widgets.FloatLogSlider
        )
    ]
    if not sliders:
        return None, None
    for name, control in sliders:
        if name.lower() in ("lr", "eta", "learning rate", "η"):
            return name, control
    return sliders[0]


def _values(control, n: int) -> list:
    low, high = control.min, control.max
    values = np.linspace(low, high, n + 2)[1:-1]
    if type(control).__name__ == "FloatLogSlider":  # min and max are exponents
        values = control.base**values
    if type(control).__name__ == "IntSlider":
        values = np.unique(np.round(values).astype(int))
    current = control.value
    return [v for v in values.tolist() if v != current][:n]


def time_updates(plot, n: int = 20) -> tuple[str, float, float]:
    name, control = _main_control(plot)
    if control is None:
        return "(no slider)", float("nan"), float("nan")
    values = _values(control, n + 1)
    control.value = values[-1]  # warm-up
    times = []
    for value in values[:n]:
        start = time.perf_counter()
        control.value = (
            value  # the observer recomputes, redraws and encodes the picture
        )
        times.append(time.perf_counter() - start)
    return name, 1000 * statistics.median(times), 1000 * max(times)


def main(paths: list[Path]) -> int:
    rows = []
    for path in paths:
        for variable, plot in explorers(path):
            control, median, worst = time_updates(plot)
            rows.append(
                (
                    path.stem,
                    f"{variable} ({type(plot).__name__})",
                    control,
                    median,
                    worst,
                )
            )
    width = max(len(r[1]) for r in rows) if rows else 10
    print(
        f"{'chapter':<34} {'explorer':<{width}} {'control':<10} {'median ms':>9} {'worst ms':>9}"
    )
    for chapter, name, control, median, worst in rows:
        flag = "" if median <= BUDGET_MS else f"  over the {BUDGET_MS:.0f} ms budget"
        print(
            f"{chapter:<34} {name:<{width}} {control:<10} {median:9.1f} {worst:9.1f}{flag}"
        )
    slow = [r for r in rows if not r[3] <= BUDGET_MS]
    print(
        f"{len(rows)} explorers; {len(slow)} over budget; slowest median "
        f"{max((r[3] for r in rows), default=float('nan')):.1f} ms"
    )
    return 1 if slow else 0


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "notebooks",
        nargs="*",
        type=Path,
        help="chapter notebooks to measure (default: every notebook in chapters/)",
    )
    args = parser.parse_args()
    missing = [str(p) for p in args.notebooks if not p.is_file()]
    if missing:
        parser.error(f"no such notebook: {', '.join(missing)}")
    sys.exit(main(args.notebooks or sorted((ROOT / "chapters").glob("*.ipynb"))))
