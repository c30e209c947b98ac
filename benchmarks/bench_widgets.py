"""Time one explorer update and weigh one race animation.

Run from the repository root: ``.venv/bin/python benchmarks/bench_widgets.py``.

1. The median time of one update of ``gradlib.widgets.explorer`` (a learning-rate slider
   moved: 200 Adam updates on Rosenbrock's function recomputed, the figure redrawn and
   encoded as PNG), over 20 updates after one warm-up. Budget: 100 ms.
2. The size in bytes of the HTML of a three-optimizer race (``gradlib.plotting.race``
   with its defaults, turned into HTML by ``animation_html``). Budget: 1.5 MB.
"""

import statistics
import time

import matplotlib

matplotlib.use("Agg")

import gradlib as gl  # noqa: E402


def explorer_update_time(n: int = 20) -> float:
    names = [name for name in ("Adam", "GD") if hasattr(gl, name)]
    ex = gl.widgets.explorer(optimizer=names[0], steps=200)
    ex.controls["problem"].value = "Rosenbrock"
    lr = ex.controls["lr"]
    lr.value = 0.01  # warm-up
    times = []
    for i in range(n):
        start = time.perf_counter()
        lr.value = 0.002 * (1 + i % 10)  # every value differs from the one before
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def race_html_size() -> tuple[int, float]:
    p = gl.functions.rosenbrock()
    setups = [
        ("GD", {"lr": 1e-3}),
        ("Momentum", {"lr": 1e-3, "gamma": 0.9}),
        ("Adam", {"lr": 0.05}),
    ]
    runs = []
    for name, kw in setups:
        opt = getattr(gl, name)(**kw) if hasattr(gl, name) else gl.GD(lr=1e-3)
        runs.append(gl.run(opt, p, p.start, steps=300, name=name))
    start = time.perf_counter()
    html = gl.plotting.animation_html(gl.plotting.race(runs, p))
    return len(html.encode()), time.perf_counter() - start


if __name__ == "__main__":
    median = explorer_update_time()
    print(
        f"explorer update (recompute 200 steps + redraw), median of 20: {1000 * median:.1f} ms "
        "(budget 100 ms)"
    )
    size, seconds = race_html_size()
    print(
        f"race animation HTML, 3 optimizers, default frames: {size} bytes = {size / 1e6:.2f} MB "
        f"(budget 1.5 MB), made in {seconds:.1f} s"
    )
