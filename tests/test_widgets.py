"""Tests of gradlib.widgets: the explorers are driven from Python as the front end would drive them."""

import dataclasses
import subprocess
import sys
import time

import ipywidgets as widgets
import numpy as np
import pytest

import gradlib as gl
from gradlib import widgets as W
from gradlib.functions import Problem

PNG = b"\x89PNG\r\n\x1a\n"
CATALOGUE = list(W._catalogue())


def _direct(ex):
    """The same run as the explorer's, built from the controls' values without the explorer."""
    name = ex.controls["optimizer"].value
    cls = getattr(gl, name)
    kwargs = {k: ex.controls[k].value for k in W.hyperparameters(cls)}
    x0 = [ex.controls["x0_1"].value, ex.controls["x0_2"].value]
    return gl.run(cls(**kwargs), ex.problem, x0, steps=ex.controls["steps"].value)


def _saddle() -> Problem:
    return Problem(
        name="saddle",
        f=lambda x: x[..., 0] ** 2 - x[..., 1] ** 2,
        grad=lambda x: np.stack([2 * x[..., 0], -2 * x[..., 1]], axis=-1),
        hess=lambda x: np.broadcast_to(np.diag([2.0, -2.0]), np.shape(x)[:-1] + (2, 2)),
        dim=2,
        minimizers=np.empty((0, 2)),
        bounds=((-1.0, 1.0), (-1.0, 1.0)),
        start=np.array([1.0, 1e-3]),
    )


@pytest.fixture(scope="module")
def ex():
    return W.explorer()


def test_import_gradlib_does_not_import_ipywidgets():
    code = (
        "import sys, gradlib; assert 'ipywidgets' not in sys.modules; "
        "assert 'gradlib.widgets' not in sys.modules; gradlib.plotting; "
        "assert 'ipywidgets' not in sys.modules; gradlib.widgets; assert 'ipywidgets' in sys.modules; "
        "print('ok')"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "ok"


def test_explorer_parts(ex):
    assert {"problem", "optimizer", "lr", "x0_1", "x0_2", "steps"} <= set(ex.controls)
    assert isinstance(ex.widget, widgets.VBox)
    assert ex.png.startswith(PNG)
    assert ex.figure.axes[0].get_xlabel() == "$x_1$"
    assert ex.figure.axes[1].get_xlabel() == "update number $t$"
    assert isinstance(ex.controls["lr"], widgets.FloatLogSlider)
    assert set(ex.controls["optimizer"].options) == set(CATALOGUE)
    assert "application/vnd.jupyter.widget-view+json" in ex._repr_mimebundle_()


def test_moving_the_learning_rate_redraws_and_matches_run(ex):
    ex.controls["optimizer"].value = "GD"
    before_png, before_path = ex.png, ex._path.get_xydata().copy()
    ex.controls["lr"].value = 0.02
    assert ex.png != before_png
    assert not np.array_equal(ex._path.get_xydata(), before_path)
    ref = _direct(ex)
    assert np.array_equal(ex.trajectory.xs, ref.xs)
    assert np.allclose(ex._path.get_xydata(), ref.xs)
    assert np.allclose(ex._loss.get_xdata(), np.arange(len(ref.fs)))


@pytest.mark.parametrize("name", CATALOGUE)
def test_every_optimizer_shows_its_own_hyperparameters(ex, name):
    if (
        ex.controls["optimizer"].value == name and len(CATALOGUE) > 1
    ):  # choose it anew: defaults are reset
        ex.controls["optimizer"].value = next(n for n in CATALOGUE if n != name)
    ex.controls["optimizer"].value = name
    own = W.hyperparameters(getattr(gl, name))
    shown = {k for k, w in ex._hyper.items() if w.layout.display != "none"}
    assert shown == set(own)
    for (
        k,
        default,
    ) in own.items():  # reset to the optimizer's defaults (clipped to the slider)
        w = ex.controls[k]
        if isinstance(w, widgets.Checkbox):
            assert w.value is default
        elif isinstance(w, widgets.FloatLogSlider):
            assert w.value == pytest.approx(
                min(max(default, 10**w.min), 10**w.max), rel=1e-9
            )
        else:
            assert w.value == pytest.approx(min(max(default, w.min), w.max))
    assert np.array_equal(ex.trajectory.xs, _direct(ex).xs)
    assert ex.trajectory.name == name
    assert ex._path.get_color() == gl.plotting.color_for(name)
    decays = [k for k in own if k in ("gamma", "beta1", "rho")]
    if decays:
        before = ex.trajectory.xs
        ex.controls[decays[0]].value = 0.5
        assert not np.array_equal(ex.trajectory.xs, before)
        assert np.array_equal(ex.trajectory.xs, _direct(ex).xs)


def test_problem_start_and_steps(ex):
    ex.controls["optimizer"].value = "GD"
    ex.controls["problem"].value = "Rosenbrock"
    p = gl.functions.rosenbrock()
    assert (ex.controls["x0_1"].value, ex.controls["x0_2"].value) == tuple(p.start)
    assert (ex.controls["x0_1"].min, ex.controls["x0_1"].max) == p.bounds[0]
    assert ex.figure.axes[0].get_xlim() == p.bounds[0]
    assert ex.figure.axes[0].get_title() == "Rosenbrock"
    assert ex.figure.axes[1].get_title() == "loss: GD"
    ex.controls["lr"].value = 1e-3
    ex.controls["x0_1"].value = 0.5
    assert ex.trajectory.xs[0, 0] == 0.5
    ex.controls["x0_1"].value, ex.controls["x0_2"].value = (
        1.0,
        1.0,
    )  # start at the minimizer: f - f* = 0
    assert ex.trajectory.fs[0] == 0.0
    ex.controls["steps"].value = 37
    assert ex.trajectory.steps == 37
    assert np.array_equal(ex.trajectory.xs, _direct(ex).xs)
    assert ex.figure.axes[1].get_xlim() == (0, 37)


def test_divergence_is_shown(ex):
    ex.controls["problem"].value = ex.controls["problem"].options[0]
    ex.controls["optimizer"].value = "GD"
    ex.controls["steps"].value = 1000
    ex.controls["lr"].value = 10.0
    assert ex.trajectory.diverged
    assert ex._end.get_marker() == "X"
    assert "diverged" in ex.status.value
    assert ex.figure.axes[1].get_ylim()[1] <= 1e250


def test_one_update_is_fast(ex):
    ex.controls["optimizer"].value = "GD"
    ex.controls["steps"].value = 200
    times = []
    for i in range(5):
        start = time.perf_counter()
        ex.controls["lr"].value = 0.01 + 0.01 * i
        times.append(time.perf_counter() - start)
    assert (
        np.median(times) < 0.5
    )  # the budget is 0.1 s; benchmarks/bench_widgets.py measures it


def test_saddle_problem_custom_optimizer_and_invalid_settings():
    @dataclasses.dataclass(frozen=True)
    class Picky(gl.GD):
        limit: float = 0.5
        lr: float = dataclasses.field(
            default=dataclasses.MISSING
        )  # no default: the fallback is used
        kind: str = "plain"  # not numeric: no control

        def __post_init__(self):
            super().__post_init__()
            if self.limit > 1:
                raise ValueError(f"limit must be <= 1, got {self.limit}")

    e = W.explorer(problem=[_saddle()], optimizers={"Picky": Picky})
    assert set(e.controls) == {
        "problem",
        "optimizer",
        "limit",
        "lr",
        "x0_1",
        "x0_2",
        "steps",
    }
    assert e.controls["lr"].value == W._FALLBACK["lr"]
    assert e.figure.axes[1].get_yscale() == "symlog"
    assert e.figure.axes[1].get_ylabel() == "$f(x_t)$"
    e.controls["steps"].value = 1000
    e.controls["lr"].value = 0.6  # runs away along x_2 until f overflows
    assert e.trajectory.diverged and e.trajectory.fs.min() < -1e200
    assert e.figure.axes[1].get_ylim()[0] >= -1.1e250
    before = e.png
    e.controls["limit"].value = 5.0
    assert "limit must be" in e.status.value and e.png == before
    assert e.update() is None


def test_explorer_arguments():
    p = gl.functions.quadratic(kappa=3.0)
    e = W.explorer(problem=p, optimizers=[gl.GD], optimizer="GD", steps=10)
    assert e.controls["problem"].options == (p.name,) and e.trajectory.steps == 10
    with pytest.raises(
        ValueError, match=r"optimizers\[1\] must be one of 'GD', .*, got 'Adamant'"
    ):
        W.explorer(optimizers=["GD", "Adamant"])
    with pytest.raises(
        TypeError, match=r"optimizers\['f'\] must be an optimizer class \(a dataclass\)"
    ):
        W.explorer(optimizers={"f": len})
    with pytest.raises(
        ValueError, match=r"optimizers must be at least one optimizer, got \[\]"
    ):
        W.explorer(optimizers=[])
    with pytest.raises(
        ValueError, match=r"problem must be at least one two-variable Problem, got \{\}"
    ):
        W.explorer(problem={})
    with pytest.raises(
        TypeError, match="problem must be a gradlib Problem, got 'Rosenbrock'"
    ):
        W.explorer(problem=["Rosenbrock"])
    with pytest.raises(ValueError, match="optimizer must be one of"):
        W.explorer(optimizers=["GD"], optimizer="Adam")
    with pytest.raises(ValueError, match="2 variables"):
        W.explorer(problem=gl.functions.quadratic(eigenvalues=[1.0, 2.0, 3.0]))
    with pytest.raises(ValueError, match="max_steps must be >= 50"):
        W.explorer(steps=50, max_steps=10)


def test_hyperparameter_widgets():
    assert isinstance(W._hyper_widget("eps_inside", False), widgets.Checkbox)
    assert isinstance(W._hyper_widget("eps", 1e-8), widgets.FloatLogSlider)
    assert isinstance(W._hyper_widget("beta2", 0.999), widgets.FloatSlider)
    assert isinstance(W._hyper_widget("n_iter", 3), widgets.IntSlider)
    zero = W._hyper_widget("weight_decay", 0.0)
    assert isinstance(zero, widgets.FloatSlider) and zero.max == 1.0
    t0 = W._hyper_widget("t0", 1e6)
    assert isinstance(t0, widgets.FloatLogSlider) and t0.value == pytest.approx(1e6)
    with pytest.raises(
        TypeError,
        match=r"cls must be an optimizer class \(a dataclass\), got GD\(lr=0\.1\)",
    ):
        W.hyperparameters(gl.GD())


# --- interactive_plot ----------------------------------------------------------------------------


def test_interactive_plot_ewma():
    calls = []

    def draw(ax, beta, n, kind, corrected):
        calls.append((beta, n, kind, corrected))
        t = np.arange(1, n + 1)
        w = (1 - beta) * beta ** (n - t)
        ax.plot(t, w / (1 - beta**n) if corrected else w)
        ax.set_xlabel("$i$")
        return float(w.sum())

    plot = W.interactive_plot(
        draw, beta=(0.5, 0.99, 0.01, 0.9), n=(10, 100), kind=["a", "b"], corrected=False
    )
    assert set(plot.controls) == {"beta", "n", "kind", "corrected"}
    assert (
        isinstance(plot.controls["n"], widgets.IntSlider)
        and plot.controls["n"].value == 55
    )
    assert isinstance(plot.controls["kind"], widgets.Dropdown)
    assert isinstance(plot.controls["corrected"], widgets.Checkbox)
    assert plot.result == pytest.approx(1 - 0.9**55)
    before, line = plot.png, plot.axes[0].get_lines()[0].get_ydata().copy()
    plot.controls["beta"].value = 0.7
    assert plot.png != before and plot.result == pytest.approx(1 - 0.7**55)
    assert not np.array_equal(plot.axes[0].get_lines()[0].get_ydata(), line)
    assert len(plot.axes[0].get_lines()) == 1  # the axes are cleared before each call
    plot.controls["corrected"].value = True
    assert calls[-1] == (0.7, 55, "a", True)
    assert plot.values == {"beta": 0.7, "n": 55, "kind": "a", "corrected": True}
    assert plot.trajectory is None


def test_interactive_plot_with_widgets_panels_and_errors():
    p = gl.functions.quadratic(kappa=10.0)

    def draw(axes, lr, steps):
        traj = gl.run(gl.GD(lr=lr), p, p.start, steps=steps)
        gl.plotting.trajectories(traj, p, ax=axes[0])
        gl.plotting.loss_curves(traj, ax=axes[1], y="gap", problem=p)
        return traj

    lr = W.log_slider(0.1, 1e-3, 1.0)
    steps = widgets.IntSlider(value=20, min=1, max=100, description="updates")
    plot = W.interactive_plot(draw, ncols=2, lr=lr, steps=steps)
    assert lr.description == "lr" and steps.description == "updates"
    assert np.array_equal(
        plot.trajectory.xs, gl.run(gl.GD(lr=0.1), p, p.start, steps=20).xs
    )
    steps.value = 5
    assert plot.trajectory.steps == 5
    before = plot.png

    def bad(ax, x):
        raise ValueError("x is wrong")

    broken = W.interactive_plot(bad, x=(0.0, 1.0))
    assert "x is wrong" in broken.status.value and broken.png == b""
    assert plot.png == before
    with pytest.raises(TypeError, match="draw must be callable"):
        W.interactive_plot(None, x=(0.0, 1.0))
    with pytest.raises(
        TypeError,
        match=r"lr must be a widget, a \(min, max\[, step\[, value\]\]\) tuple, ",
    ):
        W.interactive_plot(draw, lr="fast")
    with pytest.raises(
        ValueError,
        match=r"lr must be a slider \(min, max\[, step\[, value\]\]\) with min <",
    ):
        W.interactive_plot(draw, lr=(1.0, 0.0))
    with pytest.raises(ValueError, match="high must be > 1, got 0.5"):
        W.log_slider(0.1, 1.0, 0.5)
    with pytest.raises(TypeError, match="ncols must be an integer"):
        W.interactive_plot(draw, ncols=2.0, lr=lr)
    with pytest.raises(ValueError, match="value must be > 0"):
        W.log_slider(0.0, 1e-3, 1.0)


def test_interactive_plot_with_a_background_redraws_only_what_draw_adds():
    q = gl.functions.quadratic(kappa=10.0)
    calls = []

    def background(ax):
        calls.append("background")
        gl.plotting.contour(q, ax=ax, n=40)

    def draw(ax, lr):
        traj = gl.run(gl.GD(lr=lr), q, q.start, steps=20)
        ax.plot(traj.xs[:, 0], traj.xs[:, 1], color="k")
        return traj

    plot = gl.widgets.interactive_plot(
        draw, background=background, lr=(0.01, 0.19, 0.01, 0.05)
    )
    ax = plot.axes[0]
    limits, n_artists, first = ax.get_xlim(), len(ax.get_children()), plot.png
    plot.controls["lr"].value = 0.15
    assert plot.png != first and calls == ["background"]  # the background is drawn once
    assert len(ax.get_children()) == n_artists  # the old path was removed, not piled up
    assert ax.get_xlim() == limits and plot.trajectory.steps == 20
    plot.controls["lr"].value = 0.05
    assert plot.png == first  # the same settings give the same picture
    with pytest.raises(TypeError, match="background must be callable"):
        gl.widgets.interactive_plot(draw, background=3, lr=(0.01, 0.19))


def test_interactive_plot_caption_goes_under_the_picture_and_is_escaped():
    def draw(ax, steps):
        ax.plot(range(steps))
        return steps

    plot = gl.widgets.interactive_plot(
        draw, caption=lambda n: f"{n} steps <b>", steps=(1, 9, 1, 3)
    )
    assert plot.status.value == "3 steps &lt;b&gt;"
    plot.controls["steps"].value = 7
    assert plot.result == 7 and plot.status.value == "7 steps &lt;b&gt;"
    with pytest.raises(TypeError, match="caption must be callable"):
        gl.widgets.interactive_plot(draw, caption="steps", steps=(1, 9))
