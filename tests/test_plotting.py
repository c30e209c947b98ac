"""Tests of gradlib.plotting: each helper is drawn and what it drew is checked."""

import subprocess
import sys

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_hex

import gradlib as gl
from gradlib import plotting as P
from gradlib.functions import Problem

CATALOGUE = [
    "GD",
    "Momentum",
    "Nesterov",
    "AdaGrad",
    "RMSprop",
    "Adadelta",
    "Adam",
    "AdaMax",
    "Nadam",
    "AMSGrad",
    "AdamW",
    "ASGD",
    "CG",
]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def quad():
    return gl.functions.quadratic(kappa=10.0, angle=0.5)


def _runs(problem, steps=40):
    """Three runs with different optimizer names (the classes present in this version)."""
    names = [n for n in ("GD", "Momentum", "Adam") if hasattr(gl, n)]
    runs = [
        gl.run(getattr(gl, n)(lr=0.05), problem, problem.start, steps=steps)
        for n in names
    ]
    while len(runs) < 3:  # only GD exists: name the extra runs after other optimizers
        runs.append(
            gl.run(
                gl.GD(lr=0.02 * len(runs)),
                problem,
                problem.start,
                steps=steps,
                name=["Momentum", "Adam"][len(runs) - 1],
            )
        )
    return runs


def _saddle() -> Problem:
    def f(x):
        return x[..., 0] ** 2 - x[..., 1] ** 2

    def grad(x):
        return np.stack([2 * x[..., 0], -2 * x[..., 1]], axis=-1)

    def hess(x):
        return np.broadcast_to(np.diag([2.0, -2.0]), np.shape(x)[:-1] + (2, 2))

    return Problem(
        name="saddle",
        f=f,
        grad=grad,
        hess=hess,
        dim=2,
        minimizers=np.empty((0, 2)),
        bounds=((-1.0, 1.0), (-1.0, 1.0)),
        start=np.array([1.0, 1e-3]),
    )


# --- colours and style -------------------------------------------------------------------------


def test_palette_is_okabe_ito():
    assert len(P.OKABE_ITO) == 8
    assert set(P.PALETTE) == set(P.OKABE_ITO.values())


def test_every_optimizer_has_a_fixed_distinct_style():
    styles = {n: P.line_style(n) for n in CATALOGUE}
    pairs = {(s["color"], s["linestyle"]) for s in styles.values()}
    assert len(pairs) == len(CATALOGUE)
    safe = set(P.OKABE_ITO.values()) | set(P.TOL_MUTED.values())
    assert all(s["color"] in safe for s in styles.values())
    assert P.color_for("GD") == "#000000"
    assert P.color_for("Adam (lr=0.1)") == P.color_for("adam") == P.color_for("Adam")
    assert P.color_for("SGD") == P.color_for("GD")


def test_every_optimizer_class_and_method_has_its_own_colour():
    # one colour per method: every optimizer class of gradlib is in the table, and the plain
    # first-order methods (solid lines) never share a colour, so momentum and Nesterov differ
    classes = [
        n
        for n in gl.optimizers.__all__
        if n[0].isupper() and not n.endswith("State") and n != "Optimizer"
    ]
    assert set(classes) <= set(P.METHOD_STYLES)
    solid = [c for c, ls in P.METHOD_STYLES.values() if ls == "-"]
    assert len(solid) == len(set(solid))
    assert len({P.METHOD_STYLES[n] for n in P.METHOD_STYLES}) == len(P.METHOD_STYLES)
    assert P.color_for("Momentum") != P.color_for("Nesterov")
    assert P.line_style("Saddle-free Newton (floor 1e-8)") == P.line_style(
        "saddle-free"
    )


def test_unknown_names_get_a_stable_palette_colour():
    a, b = P.line_style("MyMethod"), P.line_style("mymethod [variant]")
    assert a == b and a["linestyle"] == "-." and a["color"] in P.PALETTE


def test_style_is_local():
    before = dict(mpl.rcParams)
    with P.style(**{"font.size": 13}):
        assert mpl.rcParams["font.size"] == 13
        assert mpl.rcParams["figure.figsize"] == [7.0, 4.2]
        fig = plt.figure()
        assert fig.get_size_inches() * fig.dpi == pytest.approx([700, 420])
    assert mpl.rcParams["font.size"] == before["font.size"]


def test_import_does_not_touch_rcparams():
    code = (
        "import matplotlib as mpl; mpl.use('Agg'); before = dict(mpl.rcParams); "
        "import gradlib.plotting; assert dict(mpl.rcParams) == before; print('ok')"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "ok"


# --- contour levels and contour ----------------------------------------------------------------


def test_levels_log_spaced_above_f_min():
    z = np.array([1.0, 1.0 + 1e-3, 11.0, 1001.0, np.inf])
    lv = P.contour_levels(z, f_min=1.0, levels=4)
    assert np.allclose(lv - 1.0, [1e-3, 1e-1, 10.0, 1000.0])
    assert np.all(np.diff(lv) > 0)


def test_levels_without_minimum_are_symmetric_log():
    z = np.linspace(-4, 4, 101)
    lv = P.contour_levels(z, levels=11)
    assert len(lv) == 11 and np.all(np.diff(lv) > 0)
    assert lv.min() < 0 < lv.max()
    assert np.allclose(lv, -lv[::-1])  # symmetric about 0
    assert np.diff(lv)[5] < np.diff(lv)[0]  # denser near 0


def test_levels_linear_and_degenerate_cases():
    z = np.linspace(0, 10, 11)
    assert np.allclose(P.contour_levels(z, 0.0, levels=3, log=False), [0, 5, 10])
    assert np.allclose(P.contour_levels(z, levels=4, log=False), [2, 4, 6, 8])
    assert np.allclose(P.contour_levels(np.ones(5), 1.0), [1.0])
    assert np.allclose(
        P.contour_levels(np.array([0.0, 0.0, 2.0]), f_min=1.0, levels=5), [2.0]
    )
    with pytest.raises(
        ValueError,
        match=r"Z must be an array with at least one finite value, got array",
    ):
        P.contour_levels(np.array([np.nan, np.inf]))
    with pytest.raises(TypeError, match="log must be True or False, got 1"):
        P.contour_levels(z, log=1)
    with pytest.raises(ValueError, match="levels must be >= 2"):
        P.contour_levels(z, levels=1)


def test_contour_draws_levels_minimizer_and_labels(quad):
    fig, ax = plt.subplots()
    assert P.contour(quad, ax=ax, levels=12) is ax
    (cs,) = [c for c in ax.collections if c.get_gid() == "contour"]
    assert len(cs.levels) == 12 and np.all(cs.levels > quad.f_min)
    assert ax.get_xlim() == quad.bounds[0] and ax.get_ylim() == quad.bounds[1]
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == (
        "$x_1$",
        "$x_2$",
        quad.name,
    )
    (star,) = [line for line in ax.get_lines() if line.get_gid() == "minimizer"]
    assert np.allclose(np.column_stack(star.get_data()), quad.minimizers)
    assert ax.get_legend() is None


def test_contour_of_a_saddle_has_negative_levels_and_no_star():
    fig, ax = plt.subplots()
    P.contour(_saddle(), ax=ax, levels=10, filled=True, title="")
    cs = next(c for c in ax.collections if c.get_gid() == "contour")
    assert cs.levels.min() < 0 < cs.levels.max()
    assert any(c.get_gid() == "contour_fill" for c in ax.collections)
    assert not [line for line in ax.get_lines() if line.get_gid() == "minimizer"]
    assert ax.get_title() == ""


def test_contour_bounds_and_errors(quad):
    fig, ax = plt.subplots()
    P.contour(
        gl.functions.rosenbrock(),
        ax=ax,
        bounds=((-1, 1), (0, 2)),
        n=50,
        log=False,
        minimizers=False,
    )
    assert ax.get_xlim() == (-1, 1) and ax.get_ylim() == (0, 2)
    with pytest.raises(
        ValueError,
        match=r"bounds must be \(\(x_lo, x_hi\), \(y_lo, y_hi\)\) with low <",
    ):
        P.contour(quad, ax=ax, bounds=((1, 0), (0, 1)))
    with pytest.raises(
        ValueError, match=r"bounds must have shape \(2, 2\), got shape \(3,\)"
    ):
        P.contour(quad, ax=ax, bounds=(1, 2, 3))
    with pytest.raises(TypeError, match="filled must be True or False"):
        P.contour(quad, ax=ax, filled="yes")
    with pytest.raises(ValueError, match="2 variables"):
        P.contour(gl.functions.quadratic(eigenvalues=[1.0, 2.0, 3.0]), ax=ax)
    with pytest.raises(TypeError, match="gradlib Problem"):
        P.contour("rosenbrock", ax=ax)


def test_contour_uses_current_axes_by_default(quad):
    fig, ax = plt.subplots()
    assert P.contour(quad, n=20) is ax


# --- trajectories --------------------------------------------------------------------------------


def test_trajectories_on_contour(quad):
    runs = _runs(quad)
    fig, ax = plt.subplots()
    assert P.trajectories(runs, quad, ax=ax) is ax
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [r.name for r in runs]
    paths = [
        line for line in ax.get_lines() if line.get_label() in {r.name for r in runs}
    ]
    assert len(paths) == 3
    for line, r in zip(paths, runs, strict=True):
        assert to_hex(line.get_color()) == P.color_for(r.name).lower()
        assert np.allclose(np.column_stack(line.get_data()), r.xs)
    starts = [line for line in ax.get_lines() if line.get_gid() == "start"]
    assert len(starts) == 3 and all(
        np.allclose(np.ravel(s.get_data()), quad.start) for s in starts
    )
    assert ax.get_xlim() == quad.bounds[0]


def test_trajectories_without_problem_and_divergence(quad):
    bad = gl.run(gl.GD(lr=0.25), quad, quad.start, steps=2000)
    assert bad.diverged
    fig, ax = plt.subplots()
    P.trajectories(bad, ax=ax, labels=["too large"], markers=False, legend=False)
    assert ax.get_legend() is None and ax.get_xlabel() == "$x_1$"
    (end,) = [line for line in ax.get_lines() if line.get_gid() == "end"]
    assert end.get_marker() == "X"
    assert not ax.collections  # no contour without a problem


def test_trajectories_keep_custom_bounds(quad):
    fig, ax = plt.subplots()
    P.trajectories(
        _runs(quad, 5),
        quad,
        ax=ax,
        contour_kwargs={"bounds": ((-5, 5), (-4, 4)), "n": 30},
    )
    assert ax.get_xlim() == (-5, 5) and ax.get_ylim() == (-4, 4)


def test_trajectories_errors(quad):
    runs = _runs(quad, 5)
    with pytest.raises(ValueError, match="one entry per trajectory"):
        P.trajectories(runs, labels=["a"])
    with pytest.raises(TypeError, match="Trajectory"):
        P.trajectories([1, 2])
    with pytest.raises(TypeError, match="Trajectory"):
        P.trajectories("GD")
    p3 = gl.functions.quadratic(eigenvalues=[1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="two-dimensional"):
        P.trajectories(gl.run(gl.GD(lr=0.1), p3, [1.0, 1.0, 1.0], steps=3))


def test_trajectories_accept_a_dict(quad):
    runs = {r.name: r for r in _runs(quad, 5)}
    fig, ax = plt.subplots()
    P.trajectories(runs, ax=ax)
    assert len(ax.get_legend().get_texts()) == 3


# --- loss curves ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "y, label",
    [
        ("f", "$f(x_t)$"),
        ("gap", r"$f(x_t) - f^\star$"),
        ("distance", r"$\|x_t - x^\star\|$"),
        ("grad_norm", r"$\|g_t\|$"),
    ],
)
def test_loss_curves_quantities(quad, y, label):
    runs = _runs(quad)
    fig, ax = plt.subplots()
    assert P.loss_curves(runs, ax=ax, y=y, problem=quad) is ax
    assert ax.get_ylabel() == label and ax.get_xlabel() == "update number $t$"
    assert ax.get_yscale() == "log"
    lines = ax.get_lines()
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [r.name for r in runs]
    r, line = runs[0], lines[0]
    expected = {
        "f": r.fs,
        "gap": r.fs - quad.f_min,
        "distance": quad.distance_to_minimizer(r.xs),
        "grad_norm": r.grad_norms,
    }[y]
    expected = np.where(expected > 0, expected, np.nan)
    assert np.allclose(line.get_ydata(), expected, equal_nan=True)
    assert line.get_xdata()[0] == (1 if y == "grad_norm" else 0)
    assert to_hex(line.get_color()) == P.color_for(r.name).lower()


def test_loss_curves_grad_evals_and_linear_axis(quad):
    r = _runs(quad, 10)[0]
    fig, ax = plt.subplots()
    P.loss_curves(r, ax=ax, x="grad_evals", evals_per_step=32, log=False, legend=False)
    assert ax.get_xlabel() == "gradient evaluations" and ax.get_yscale() == "linear"
    assert np.allclose(ax.get_lines()[0].get_xdata(), 32 * np.arange(11))
    assert ax.get_legend() is None


def test_loss_curves_symlog_for_negative_values_and_divergence():
    s = _saddle()
    r = gl.run(gl.GD(lr=0.1), s, s.start, steps=40)
    fig, ax = plt.subplots()
    P.loss_curves(r, ax=ax, y="f")
    assert ax.get_yscale() == "symlog"
    bad = gl.run(
        gl.GD(lr=2.0), gl.functions.quadratic(kappa=2.0), [1.0, 1.0], steps=5000
    )
    fig, ax = plt.subplots()
    P.loss_curves(bad, ax=ax)
    assert any(line.get_marker() == "X" for line in ax.get_lines())
    assert ax.get_ylim()[1] <= 1e250 and ax.get_yscale() == "log"
    fig.canvas.draw()  # no overflow while placing the ticks


def test_log_ylim_ignores_nonpositive_values():
    fig, ax = plt.subplots()
    ax.set_ylim(1, 2)
    P.log_ylim(ax, [0.0, -1.0, np.nan])
    assert ax.get_ylim() == (1, 2)


def test_plain_log_labels_equal_the_default_labels_without_mathtext():
    fig, (ax1, ax2) = plt.subplots(1, 2)
    for ax in (ax1, ax2):
        ax.semilogy(
            [0, 1], [3e-3, 2e-2]
        )  # less than a decade: minor ticks are labelled
    P.plain_log(ax2)
    fig.canvas.draw()
    default = [t.get_text() for t in ax1.get_yticklabels(minor=True) if t.get_text()]
    plain = [t.get_text() for t in ax2.get_yticklabels(minor=True) if t.get_text()]
    assert default and len(plain) == len(default)
    for mathtext, text in zip(default, plain, strict=True):
        assert "$" in mathtext and "$" not in text and "\\" not in text
        value = float(
            text.replace("×10", "e").translate(
                str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")
            )
        )
        assert any(np.isclose(value, v) for v in ax2.get_yticks(minor=True))
    assert not isinstance(
        ax2.xaxis.get_major_formatter(), P.PlainLogFormatter
    )  # linear
    plt.close(fig)


def test_plain_log_keeps_the_base_of_the_axis():
    fig, ax = plt.subplots()
    ax.plot([1, 2], [1, 64])
    ax.set_yscale("log", base=2)
    P.plain_log(ax)
    fig.canvas.draw()
    labels = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    assert "2⁴" in labels and "$" not in "".join(labels)
    plt.close(fig)


def test_plain_log_drops_minor_ticks_on_many_decades_and_takes_single_axes():
    fig, ax = plt.subplots()
    ax.loglog([1, 10], [1e-8, 1.0])
    P.plain_log(ax.yaxis)
    assert isinstance(ax.yaxis.get_minor_locator(), mpl.ticker.NullLocator)
    assert not isinstance(ax.xaxis.get_major_formatter(), P.PlainLogFormatter)
    P.plain_log(ax, minor=True)  # one decade on x: minor ticks kept, and labelled
    assert isinstance(ax.xaxis.get_minor_formatter(), P.PlainLogFormatter)
    plt.close(fig)


def test_loss_curves_errors(quad):
    r = _runs(quad, 3)[0]
    with pytest.raises(ValueError, match="x must be one of"):
        P.loss_curves(r, x="epochs")
    with pytest.raises(ValueError, match="y must be one of"):
        P.loss_curves(r, y="loss")
    with pytest.raises(
        ValueError, match="problem must have a known minimizer for y='gap', got None"
    ):
        P.loss_curves(r, y="gap")
    with pytest.raises(
        ValueError, match="must have a known minimizer for y='distance', got 'saddle'"
    ):
        P.loss_curves(r, y="distance", problem=_saddle())
    with pytest.raises(ValueError, match="one entry per trajectory"):
        P.loss_curves(r, labels=["a", "b"])
    with pytest.raises(ValueError, match="evals_per_step must be > 0"):
        P.loss_curves(r, evals_per_step=0)
    with pytest.raises(TypeError, match="gradlib Problem"):
        P.loss_curves(r, problem=object())


# --- layer norms ---------------------------------------------------------------------------------


def test_layer_norms_lines():
    values = {
        "sigmoid": 0.25 ** np.arange(6, 0, -1),
        "tanh": np.full(6, 0.3),
        "ReLU": np.ones(6),
    }
    fig, ax = plt.subplots()
    assert P.layer_norms(values, ax=ax) is ax
    assert len(ax.get_lines()) == 3 and ax.get_yscale() == "log"
    assert ax.get_xlabel() == "layer (1 = input side)"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == list(values)
    assert np.allclose(ax.get_lines()[0].get_xdata(), np.arange(1, 7))
    assert np.allclose(ax.get_xticks(), np.arange(1, 7))
    assert len({line.get_color() for line in ax.get_lines()}) == 3


def test_layer_norms_bars_labels_and_single_series():
    fig, ax = plt.subplots()
    P.layer_norms(
        {"a": [1.0, 2.0], "b": [3.0, 4.0]},
        ax=ax,
        kind="bar",
        labels=["W1", "W2"],
        log=False,
    )
    assert len(ax.patches) == 4 and ax.get_yscale() == "linear"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["W1", "W2"]
    fig, ax = plt.subplots()
    P.layer_norms(np.geomspace(1, 1e-5, 30), ax=ax)
    assert ax.get_legend() is None and len(ax.get_lines()) == 1


def test_layer_norms_errors():
    with pytest.raises(ValueError, match="kind must be"):
        P.layer_norms([1.0], kind="pie")
    with pytest.raises(
        ValueError, match=r"values must be a non-empty dict or an array, got \{\}"
    ):
        P.layer_norms({})
    with pytest.raises(ValueError, match="one entry per layer"):
        P.layer_norms([1.0, 2.0], labels=["W1"])
    with pytest.raises(ValueError, match="finite"):
        P.layer_norms({"x": [1.0, np.nan]})


# --- race and small multiples --------------------------------------------------------------------


@pytest.fixture(scope="module")
def race_html():
    p = gl.functions.rosenbrock()
    names = ["GD", "Momentum", "Adam"]
    rates = (1e-3, 2e-3, 5e-4)
    runs = [
        gl.run(gl.GD(lr=lr), p, p.start, steps=300, name=n)
        for lr, n in zip(rates, names, strict=True)
    ]
    anim = P.race(runs, p)
    return anim, gl.book.animation_html(anim)


def test_race_html_is_small_and_has_every_frame(race_html):
    anim, html = race_html
    assert len(html.encode()) <= 1_500_000
    assert html.count("data:image/png;base64,") == 40
    assert "checked" in html and "once" in html
    ax = anim._fig.axes[0]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "GD",
        "Momentum",
        "Adam",
    ]
    (label,) = [t for t in ax.texts if t.get_gid() == "race_label"]
    assert label.get_text() == "Rosenbrock: update t = 300"


def test_race_draws_heads_and_trails(quad):
    runs = _runs(quad, 30)
    anim = P.race(runs, quad, frames=4, trail=5, title="")
    html = gl.book.animation_html(anim, colors=None, default_mode="loop")
    assert html.count("data:image/png;base64,") == 4
    ax = anim._fig.axes[0]
    trails = [
        line for line in ax.get_lines() if line.get_label() in {r.name for r in runs}
    ]
    assert all(
        len(line.get_xdata()) == 6 for line in trails
    )  # the last 5 updates and the head
    heads = [line for line in ax.get_lines() if line.get_label() == "_head"]
    assert np.allclose(np.ravel(heads[0].get_data()), runs[0].xs[-1])
    assert ax.texts[0].get_text() == "update t = 30"
    assert not plt.get_fignums()  # the animation's figure is not a pyplot figure


def test_race_errors(quad):
    runs = _runs(quad, 3)
    with pytest.raises(ValueError, match="frames must be >= 1, got 0"):
        P.race(runs, quad, frames=0)
    with pytest.raises(ValueError, match="trail must be >= 1, got 0"):
        P.race(runs, quad, trail=0)
    with pytest.raises(TypeError, match="dpi must be an integer, got 72.5"):
        P.race(runs, quad, dpi=72.5)
    with pytest.raises(ValueError, match=r"problem must have 2 variables"):
        P.race(runs, gl.functions.quadratic(eigenvalues=[1.0, 2.0, 3.0]))


def test_small_multiples_trajectories(quad):
    panels = {
        f"lr = {lr}": gl.run(gl.GD(lr=lr), quad, quad.start, steps=10)
        for lr in (0.05, 0.1, 0.15, 0.2)
    }
    fig = P.small_multiples(panels, quad, ncols=3)
    assert [ax.get_title() for ax in fig.axes] == list(panels)
    assert fig.axes[0].get_legend() is not None and fig.axes[1].get_legend() is None
    assert fig.axes[1].get_ylabel() == "" and fig.axes[3].get_xlabel() == "$x_1$"


def test_small_multiples_loss_and_errors(quad):
    runs = _runs(quad, 20)
    fig = P.small_multiples({"a": runs, "b": runs[:1]}, quad, kind="loss", y="gap")
    assert len(fig.axes) == 2 and fig.axes[0].get_yscale() == "log"
    assert len(fig.axes[0].get_lines()) == 3
    with pytest.raises(ValueError, match="kind must be"):
        P.small_multiples({"a": runs}, kind="bars")
    with pytest.raises(TypeError, match="non-empty dict"):
        P.small_multiples([])


def test_rate_map_colours_rates_and_greys_out_divergence():
    h = np.linspace(0.1, 3.0, 30)
    g = np.array([0.0, 0.5, 0.9])
    rates = np.vstack([np.abs(1 - h), np.full_like(h, np.nan), np.full_like(h, 0.3)])
    fig, ax = plt.subplots()
    assert P.rate_map(h, g, rates, ax=ax) is ax
    layers = {m.get_gid(): m for m in ax.collections}
    shown = np.ma.filled(layers["rates"].get_array(), np.nan).reshape(rates.shape)
    grey = np.ma.filled(layers["diverged"].get_array(), np.nan).reshape(rates.shape)
    # a cell is either coloured (rate < 1) or grey (rate >= 1 or not finite), never both
    assert np.array_equal(np.isnan(shown), ~np.isnan(grey))
    assert np.all(np.isnan(shown[1])) and np.allclose(shown[2], 0.3)
    assert np.array_equal(np.isnan(shown[0]), np.abs(1 - h) >= 1)
    assert layers["rates"].get_clim() == (0, 1) and len(fig.axes) == 2  # colour bar
    fig2, ax2 = plt.subplots()
    P.rate_map(h, g, rates, ax=ax2, colorbar=False)
    assert len(fig2.axes) == 1
    with pytest.raises(ValueError, match=r"rates must have shape \(3, 30\)"):
        P.rate_map(h, g, rates.T)
    with pytest.raises(ValueError, match="x must be finite"):
        P.rate_map(np.full(30, np.nan), g, rates)
