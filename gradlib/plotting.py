r"""Figures for the book: contours with trajectories, loss curves, layer norms and races.

Every helper takes ``ax=None`` (meaning the current axes of pyplot, as ``plt.plot`` does),
draws, labels its axes and returns the axes, so that calls can be stacked on one figure
and adjusted afterwards. Ranges come from the arguments or from the data, never from
hidden constants. Nothing here changes matplotlib's global settings: the book's look is
applied only inside ``with style():``.

Colours follow the Okabe-Ito palette, which stays distinguishable for the common forms
of colour blindness. Each optimizer keeps one colour (and line style) throughout the
book: :func:`color_for` and :func:`line_style` give it from the optimizer's name.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import matplotlib.pyplot as plt
>>> import gradlib as gl
>>> p = gl.functions.rosenbrock()
>>> traj = gl.run(gl.GD(lr=1e-3), p, p.start, steps=100)
>>> with style():
...     fig, ax = plt.subplots()
...     ax = trajectories(traj, p, ax=ax)
>>> ax.get_xlabel(), ax.get_legend().get_texts()[0].get_text()
('$x_1$', 'GD')
>>> plt.close(fig)
"""

from __future__ import annotations

import contextlib
import zlib
from collections.abc import Iterable, Mapping

import matplotlib as mpl
import numpy as np
from matplotlib import pyplot as plt
from matplotlib.animation import FuncAnimation
from matplotlib.backend_bases import FigureCanvasBase
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure

from . import _validate as check
from .functions import Problem
from .run import Trajectory

__all__ = [
    "OKABE_ITO",
    "TOL_MUTED",
    "METHOD_STYLES",
    "PALETTE",
    "BOOK_RC",
    "color_for",
    "line_style",
    "style",
    "contour_levels",
    "log_ylim",
    "PlainLogFormatter",
    "plain_log",
    "contour",
    "trajectories",
    "loss_curves",
    "layer_norms",
    "race",
    "small_multiples",
    "rate_map",
]

#: The eight colours of Okabe & Ito (2008), by name.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
}

#: Colour cycle for curves that are not optimizers (yellow last: it is faint on white).
PALETTE = [
    OKABE_ITO[k]
    for k in (
        "blue",
        "orange",
        "bluish green",
        "vermillion",
        "reddish purple",
        "sky blue",
        "black",
        "yellow",
    )
]

#: Seven more colour-blind-safe colours, from Paul Tol's "muted" scheme (Tol 2021), for the methods
#: beyond the eight of Okabe & Ito.
TOL_MUTED = {
    "indigo": "#332288",
    "cyan": "#88CCEE",
    "teal": "#44AA99",
    "green": "#117733",
    "olive": "#999933",
    "rose": "#CC6677",
    "wine": "#882255",
    "grey": "#777777",
}

#: The book's one colour and line style per method, used the same way in every chapter. Plain
#: first-order methods are solid; methods built on another (Adam's variants, averaged SGD) are
#: dashed or dotted in a colour of their own; second-order and line-search methods are dashed.
METHOD_STYLES = {
    "GD": ("#000000", "-"),  # black
    "Momentum": ("#E69F00", "-"),  # orange
    "Nesterov": ("#CC79A7", "-"),  # reddish purple
    "AdaGrad": ("#56B4E9", "-"),  # sky blue
    "RMSprop": ("#009E73", "-"),  # bluish green
    "Rprop": ("#999933", "-"),  # olive
    "Adadelta": ("#D55E00", "-"),  # vermillion
    "Adam": ("#0072B2", "-"),  # blue
    "AdaMax": ("#88CCEE", "--"),  # cyan
    "Nadam": ("#CC6677", "--"),  # rose
    "AMSGrad": ("#117733", "--"),  # green
    "AdamW": ("#332288", "--"),  # indigo
    "RAdam": ("#44AA99", "--"),  # teal
    "ASGD": ("#882255", "--"),  # wine
    "SVRG": ("#882255", ":"),  # wine, dotted
    "CG": ("#000000", "--"),  # black, dashed
    "L-BFGS": ("#777777", "--"),  # grey, dashed
    "Newton": ("#0072B2", ":"),  # blue, dotted
    "Saddle-free Newton": ("#D55E00", ":"),  # vermillion, dotted
    "Clipped": ("#000000", "-."),  # GD with gradient clipping: black, dash-dotted
    "Armijo": ("#000000", ":"),  # GD with backtracking (Armijo): black, dotted
    "Exact line search": ("#777777", "-"),  # steepest descent with exact steps: grey
}

# Other names the chapters use for the same methods.
_ALIASES = {
    "sgd": "GD",
    "nag": "Nesterov",
    "lbfgs": "L-BFGS",
    "saddle-free": "Saddle-free Newton",
    "sfn": "Saddle-free Newton",
}
_OPTIMIZER_STYLES = {name.lower(): style for name, style in METHOD_STYLES.items()}
_OPTIMIZER_STYLES.update(
    {alias: METHOD_STYLES[name] for alias, name in _ALIASES.items()}
)

#: The book's figure settings: about 700 px wide at 100 dpi, readable fonts, light grid.
BOOK_RC = {
    "figure.figsize": (7.0, 4.2),
    "figure.dpi": 100,
    "font.size": 11,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "legend.fontsize": 9.5,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": mpl.cycler(color=PALETTE),
    "lines.linewidth": 1.8,
    "legend.frameon": False,
    "image.cmap": "viridis",
}

_CONTOUR_CMAP = LinearSegmentedColormap.from_list(
    "gradlib_contour", ["#2b2b2b", "#c9c9c9"]
)


def _key(name: str) -> str:
    """The optimizer part of a label: ``"Adam (lr=0.1)"`` -> ``"adam"``."""
    text = str(name).strip().lower()
    for sep in (" ", "(", ",", ":", "["):
        text = text.split(sep)[0]
    return text


def color_for(name: str) -> str:
    """The book's colour for an optimizer, as a hex string.

    Parameters
    ----------
    name : str
        Optimizer name such as ``"Adam"``; case and anything after the first space or
        parenthesis are ignored (``"Adam (lr=0.1)"`` is Adam). An unknown name gets a
        palette colour chosen by a hash of the name, the same in every run.

    Examples
    --------
    >>> color_for("GD"), color_for("adam (lr=0.01)")
    ('#000000', '#0072B2')
    >>> color_for("Momentum") != color_for("Nesterov")
    True
    """
    return line_style(name)["color"]


def line_style(name: str) -> dict:
    """Colour and line style of an optimizer: keyword arguments for ``ax.plot``.

    Examples
    --------
    >>> line_style("AdamW")
    {'color': '#332288', 'linestyle': '--'}
    """
    key = _key(name)
    if key.startswith("saddle-free"):
        key = "saddle-free"
    elif str(name).strip().lower().startswith("exact line search"):
        key = "exact line search"
    if key in _OPTIMIZER_STYLES:
        colour, ls = _OPTIMIZER_STYLES[key]
        return {"color": colour, "linestyle": ls}
    colour = PALETTE[zlib.crc32(key.encode()) % (len(PALETTE) - 1)]
    return {"color": colour, "linestyle": "-."}


@contextlib.contextmanager
def style(**overrides):
    """Apply the book's figure settings (``BOOK_RC``) inside a ``with`` block.

    Parameters
    ----------
    **overrides
        rcParams to change on top of ``BOOK_RC`` (dots in names are written as usual in a
        dict: ``style(**{"figure.figsize": (7, 3)})``).

    Examples
    --------
    >>> import matplotlib
    >>> with style():
    ...     float(matplotlib.rcParams["font.size"])
    11.0
    """
    with mpl.rc_context({**BOOK_RC, **overrides}):
        yield


def _axes(ax):
    return plt.gca() if ax is None else ax


def _as_list(trajs) -> list:
    if isinstance(trajs, Trajectory):
        return [trajs]
    if isinstance(trajs, Mapping):
        return list(trajs.values())
    if isinstance(trajs, Iterable) and not isinstance(trajs, str | bytes):
        trajs = list(trajs)
        if trajs and all(isinstance(t, Trajectory) for t in trajs):
            return trajs
    raise check.fail(
        TypeError, "trajs", "a Trajectory or a list of Trajectory objects", trajs
    )


def _labels(labels, n: int, per: str) -> list[str]:
    """``labels`` as ``n`` strings, one per trajectory or layer."""
    labels = [str(s) for s in labels]
    if len(labels) != n:
        raise ValueError(
            f"labels must have one entry per {per} ({n}), got {len(labels)}"
        )
    return labels


def _check_problem(problem, *, dim2: bool = True) -> Problem:
    if not isinstance(problem, Problem):
        raise check.fail(TypeError, "problem", "a gradlib Problem", problem)
    if dim2 and problem.dim != 2:
        raise ValueError(
            f"problem must have 2 variables to be drawn as a contour, got dim={problem.dim}"
        )
    return problem


def _bounds(bounds, problem: Problem):
    """``((x_lo, x_hi), (y_lo, y_hi))`` as floats with ``low < high``; ``problem.bounds`` by default."""
    b = check.array(
        problem.bounds if bounds is None else bounds, "bounds", shape=(2, 2)
    )
    if not np.all(b[:, 0] < b[:, 1]):
        raise check.fail(
            ValueError, "bounds", "((x_lo, x_hi), (y_lo, y_hi)) with low < high", bounds
        )
    return tuple((float(lo), float(hi)) for lo, hi in b)


def contour_levels(
    Z: np.ndarray, f_min: float = float("nan"), levels: int = 30, log: bool = True
):
    r"""Contour levels for the values ``Z`` of a function on a grid.

    Parameters
    ----------
    Z : ndarray
        Function values (non-finite entries are ignored).
    f_min : float
        The minimum value when known, else ``nan``.
    levels : int
        Number of levels (at least 2).
    log : bool
        Space the levels geometrically in :math:`f - f^\star` when ``f_min`` is known;
        when it is not (a saddle, a function unbounded below), space them evenly in
        :math:`\operatorname{asinh}(f / c)`, a symmetric logarithm that is linear near 0.

    Returns
    -------
    ndarray, shape (k,)
        Increasing level values of ``f`` (``k <= levels``).

    Examples
    --------
    >>> lv = contour_levels(np.array([0.0, 1e-4, 1.0, 100.0]), f_min=0.0, levels=3)
    >>> [float(round(v, 6)) for v in lv]
    [0.0001, 0.1, 100.0]
    """
    levels = check.integer(levels, "levels", minimum=2)
    log = check.flag(log, "log")
    z = check.array(Z, "Z", finite=False, empty=True, copy=False)
    z = z[np.isfinite(z)]
    if z.size == 0:
        raise check.fail(ValueError, "Z", "an array with at least one finite value", Z)
    lo, hi = float(z.min()), float(z.max())
    if hi - lo <= 1e-300:
        return np.array([lo])
    if not log:
        return (
            np.linspace(lo, hi, levels + 2)[1:-1]
            if np.isnan(f_min)
            else np.linspace(lo, hi, levels)
        )
    if np.isfinite(f_min):
        gap = z - f_min
        top = float(gap.max())
        positive = gap[gap > 0]
        bottom = max(float(positive.min()) if positive.size else top * 1e-6, top * 1e-8)
        if top <= bottom:
            return np.array([f_min + top])
        return f_min + np.geomspace(bottom, top, levels)
    c = float(np.quantile(np.abs(z), 0.1)) or float(np.abs(z).max()) * 1e-3
    u = np.linspace(np.arcsinh(lo / c), np.arcsinh(hi / c), levels + 2)[1:-1]
    return c * np.sinh(u)


def contour(
    problem: Problem,
    ax=None,
    levels: int = 30,
    log: bool = True,
    n: int = 200,
    bounds=None,
    *,
    filled: bool = False,
    minimizers: bool = True,
    title: str | None = None,
):
    r"""Contour lines of a two-variable problem, with its known minimizers marked.

    Parameters
    ----------
    problem : Problem
        A problem with ``dim == 2``.
    ax : matplotlib Axes, optional
        Where to draw; the current axes by default.
    levels : int
        Number of contour levels.
    log : bool
        Logarithmically spaced levels of :math:`f - f^\star` (dense near the minimum, where
        the trajectories end); with no known minimum, symmetric-log levels of :math:`f`
        (see :func:`contour_levels`). ``False`` gives evenly spaced levels.
    n : int
        Grid points per axis.
    bounds : ((x_lo, x_hi), (y_lo, y_hi)), optional
        The box to draw; ``problem.bounds`` by default.
    filled : bool
        Fill between the levels as well (lighter colours farther from the minimum).
    minimizers : bool
        Mark ``problem.minimizers`` with a star.
    title : str, optional
        Axes title; ``problem.name`` by default, ``""`` for none.

    Returns
    -------
    matplotlib Axes

    Notes
    -----
    The whole grid is evaluated in one call ``problem.f(points)`` with ``points`` of shape
    ``(n, n, 2)``. The contour set is tagged with ``gid="contour"`` and the minimizer
    markers with ``gid="minimizer"`` so that later code can find them.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> import gradlib as gl
    >>> fig, ax = plt.subplots()
    >>> ax = contour(gl.functions.quadratic(kappa=4.0), ax=ax, levels=10)
    >>> [float(v) for v in ax.get_xlim()], ax.get_ylabel()
    ([-2.0, 2.0], '$x_2$')
    >>> plt.close(fig)
    """
    problem = _check_problem(problem)
    n = check.integer(n, "n", minimum=2)
    filled, minimizers = (
        check.flag(filled, "filled"),
        check.flag(minimizers, "minimizers"),
    )
    (x_lo, x_hi), (y_lo, y_hi) = _bounds(bounds, problem)
    ax = _axes(ax)
    X, Y = np.meshgrid(np.linspace(x_lo, x_hi, n), np.linspace(y_lo, y_hi, n))
    with np.errstate(all="ignore"):
        Z = np.asarray(problem.f(np.stack([X, Y], axis=-1)), dtype=float)
    lv = contour_levels(Z, problem.f_min, levels, log)
    colors = [_CONTOUR_CMAP(v) for v in np.linspace(0, 1, len(lv))]
    if filled and len(lv) > 1:
        fill = [_CONTOUR_CMAP(v, alpha=0.15) for v in np.linspace(0, 1, len(lv) - 1)]
        ax.contourf(X, Y, Z, levels=lv, colors=fill, extend="neither").set_gid(
            "contour_fill"
        )
    cs = ax.contour(X, Y, Z, levels=lv, colors=colors, linewidths=0.7)
    cs.set_gid("contour")
    if minimizers and len(problem.minimizers):
        m = np.asarray(problem.minimizers)
        ax.plot(
            m[:, 0],
            m[:, 1],
            ls="none",
            marker="*",
            ms=12,
            color=OKABE_ITO["yellow"],
            mec="black",
            mew=0.8,
            zorder=5,
            label="_minimizer",
            gid="minimizer",
        )
    ax.set_xlim(x_lo, x_hi)
    ax.set_ylim(y_lo, y_hi)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_title(problem.name if title is None else title)
    return ax


def trajectories(
    trajs,
    problem: Problem | None = None,
    ax=None,
    *,
    markers: bool | None = None,
    labels=None,
    legend: bool = True,
    contour_kwargs: dict | None = None,
):
    """Draw one or several optimizer paths in the plane, on the problem's contours.

    Parameters
    ----------
    trajs : Trajectory or list of Trajectory
        Runs on a two-variable problem (``traj.xs`` of shape ``(k + 1, 2)``).
    problem : Problem, optional
        When given, its contours are drawn first (with :func:`contour`) and the axes keep
        its bounds; otherwise the limits follow the paths.
    ax : matplotlib Axes, optional
        Where to draw; the current axes by default.
    markers : bool, optional
        Mark every iterate with a dot; by default only for paths of at most 60 points.
    labels : list of str, optional
        Legend labels; ``traj.name`` by default.
    legend : bool
        Add a legend.
    contour_kwargs : dict, optional
        Extra keyword arguments for :func:`contour`.

    Returns
    -------
    matplotlib Axes

    Notes
    -----
    Each path takes the colour and line style of its optimizer (:func:`line_style`
    applied to its label). The start is a hollow circle, the last point a filled one;
    a diverged path ends with a cross.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> import gradlib as gl
    >>> p = gl.functions.quadratic(kappa=10.0)
    >>> fig, ax = plt.subplots()
    >>> ax = trajectories([gl.run(gl.GD(lr=0.15), p, p.start, steps=30, name="GD")], p, ax=ax)
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['GD']
    >>> plt.close(fig)
    """
    trajs = _as_list(trajs)
    labels = (
        [t.name for t in trajs]
        if labels is None
        else _labels(labels, len(trajs), "trajectory")
    )
    markers = None if markers is None else check.flag(markers, "markers")
    legend = check.flag(legend, "legend")
    for t in trajs:
        if t.xs.ndim != 2 or t.xs.shape[1] != 2:
            raise ValueError(
                f"trajs must be two-dimensional paths (xs of shape (k + 1, 2)), "
                f"got xs of shape {t.xs.shape}"
            )
    ax = _axes(ax)
    if problem is not None:
        contour(problem, ax=ax, **(contour_kwargs or {}))
    else:
        ax.set_xlabel("$x_1$")
        ax.set_ylabel("$x_2$")
    for t, label in zip(trajs, labels, strict=True):
        st = line_style(label)
        dots = len(t.xs) <= 60 if markers is None else markers
        ax.plot(
            t.xs[:, 0],
            t.xs[:, 1],
            **st,
            lw=1.6,
            marker="o" if dots else None,
            ms=3,
            label=label,
            zorder=3,
        )
        ax.plot(
            *t.xs[0],
            marker="o",
            ms=7,
            mfc="white",
            mec=st["color"],
            mew=1.5,
            ls="none",
            zorder=4,
            label="_start",
            gid="start",
        )
        end = "X" if t.diverged else "o"
        ax.plot(
            *t.xs[-1],
            marker=end,
            ms=7,
            color=st["color"],
            ls="none",
            zorder=4,
            label="_end",
            gid="end",
        )
    if problem is not None:  # keep the problem's box even when a path leaves it
        (x_lo, x_hi), (y_lo, y_hi) = _bounds(
            (contour_kwargs or {}).get("bounds"), problem
        )
        ax.set_xlim(x_lo, x_hi)
        ax.set_ylim(y_lo, y_hi)
    if legend:
        ax.legend(loc="best")
    return ax


_X_LABELS = {"steps": "update number $t$", "grad_evals": "gradient evaluations"}
_Y_LABELS = {
    "f": r"$f(x_t)$",
    "gap": r"$f(x_t) - f^\star$",
    "distance": r"$\|x_t - x^\star\|$",
    "grad_norm": r"$\|g_t\|$",
}


def _reference(y: str, problem: Problem | None) -> None:
    """Check that ``problem`` knows the minimizer ``y`` is measured against (for "gap" and "distance")."""
    if y not in ("gap", "distance"):
        return
    if (
        problem is None
        or len(problem.minimizers) == 0
        or (y == "gap" and not np.isfinite(problem.f_min))
    ):
        raise ValueError(
            f"problem must have a known minimizer for y={y!r}, "
            f"got {None if problem is None else problem.name!r}"
        )


def _curve(
    t: Trajectory, x: str, y: str, problem: Problem | None, evals_per_step: float
):
    if y == "f":
        values = np.asarray(t.fs, dtype=float)
    elif y == "gap":
        values = np.asarray(t.fs, dtype=float) - problem.f_min
    elif y == "distance":
        values = problem.distance_to_minimizer(t.xs)
    else:  # grad_norm: one value per update, the gradient used in updates 1, 2, ...
        values = np.asarray(t.grad_norms, dtype=float)
    if y == "grad_norm":
        steps = np.arange(1, len(values) + 1, dtype=float)
    else:
        steps = np.asarray(t.ts, dtype=float)
    return (steps, values) if x == "steps" else (steps * evals_per_step, values)


def log_ylim(ax, values, margin: float = 0.05):
    """Set the limits of a logarithmic vertical axis from the positive finite ``values``.

    matplotlib's own margins overflow when a diverging run reaches values near the
    largest float; here the margin is a fraction of the span in decades, and the limits
    stay within ``[1e-250, 1e250]`` (tick placement overflows beyond). Nothing changes
    when no value is positive.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> ax.set_yscale("log")
    >>> log_ylim(ax, [1e-3, 1.0, 1e305], margin=0.0)
    >>> [float(v) for v in ax.get_ylim()]
    [0.001, 1e+250]
    >>> plt.close(fig)
    """
    v = check.array(values, "values", finite=False, empty=True, copy=False)
    margin = check.nonnegative(margin, "margin")
    v = v[np.isfinite(v) & (v > 0)]
    if v.size == 0:
        return
    lo, hi = np.log10(v.min()), np.log10(v.max())
    pad = margin * max(hi - lo, 1.0)
    ax.set_ylim(10.0 ** max(lo - pad, -250.0), 10.0 ** min(hi + pad, 250.0))


_SUPERSCRIPT = str.maketrans(
    "-\u22120123456789",
    "\u207b\u207b\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079",
)


class PlainLogFormatter(mpl.ticker.LogFormatterSciNotation):
    """matplotlib's labels of a log axis ("10⁻⁴", "6×10⁻³") as plain text.

    The same ticks and the same labels as the default formatter, written with Unicode
    superscripts instead of mathtext: an axis is drawn several times faster, because no
    label goes through the math layout engine.

    Examples
    --------
    >>> PlainLogFormatter()(1e-4), PlainLogFormatter(labelOnlyBase=False)(6e-3)
    ('10⁻⁴', '6×10⁻³')
    """

    def __call__(self, x, pos=None):
        label = super().__call__(x, pos)
        label = label.replace("$\\mathdefault{", "").replace("}$", "")
        base, _, exponent = label.replace("\\times", "×").partition("^{")
        return base + exponent.rstrip("}").translate(_SUPERSCRIPT)


def plain_log(*targets, minor: bool | str = "auto"):
    """Plain-text tick labels (:class:`PlainLogFormatter`) on log-scale axes.

    Call it after the limits are set (the automatic choice of ``minor`` reads them).

    Parameters
    ----------
    *targets : Figure, Axes or Axis
        A figure (all its axes), an axes (its log-scaled x and y axes) or one axis
        (``ax.yaxis``); linear axes are left alone.
    minor : {"auto", True, False}
        Keep the minor ticks (labelled where matplotlib would label them, on an axis that
        spans less than about two decades), drop them (``False``), or drop them only on
        an axis that spans more than three decades, where they add nothing (``"auto"``).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.loglog([1, 10, 100], [1e-8, 1e-4, 1.0])
    >>> plain_log(fig)
    >>> fig.canvas.draw()
    >>> [t.get_text() for t in ax.get_yticklabels() if t.get_text()][:2]
    ['10⁻⁹', '10⁻⁸']
    >>> type(ax.yaxis.get_minor_locator()).__name__, type(ax.xaxis.get_minor_locator()).__name__
    ('NullLocator', 'LogLocator')
    >>> plt.close(fig)
    """
    if not (isinstance(minor, bool) or (isinstance(minor, str) and minor == "auto")):
        raise check.fail(ValueError, "minor", "'auto', True or False", minor)
    axes = []
    for target in targets:
        if isinstance(target, Figure):
            axes += [a for ax in target.axes for a in (ax.xaxis, ax.yaxis)]
        elif isinstance(target, mpl.axes.Axes):
            axes += [target.xaxis, target.yaxis]
        elif isinstance(target, mpl.axis.Axis):
            axes.append(target)
        else:
            raise check.fail(
                TypeError, "targets", "Figures, Axes or Axis objects", target
            )
    for axis in axes:
        if axis.get_scale() != "log":
            continue
        base = axis.get_transform().base
        axis.set_major_formatter(PlainLogFormatter(base=base))
        low, high = sorted(axis.get_view_interval())
        many = low > 0 and high > 1e3 * low
        if minor is False or (minor == "auto" and many):
            axis.set_minor_locator(mpl.ticker.NullLocator())
        else:
            axis.set_minor_formatter(PlainLogFormatter(base=base, labelOnlyBase=False))


def loss_curves(
    trajs,
    ax=None,
    x: str = "steps",
    y: str = "f",
    problem: Problem | None = None,
    log: bool = True,
    *,
    labels=None,
    evals_per_step: float = 1.0,
    legend: bool = True,
):
    r"""Progress of one or several runs against the update number or the gradient evaluations.

    Parameters
    ----------
    trajs : Trajectory or list of Trajectory
        The runs.
    ax : matplotlib Axes, optional
        Where to draw; the current axes by default.
    x : {"steps", "grad_evals"}
        Horizontal axis: update number :math:`t`, or gradient evaluations (taken from a
        ``grad_evals`` array on the trajectory when it has one, else ``t * evals_per_step``).
    y : {"f", "gap", "distance", "grad_norm"}
        Vertical axis: :math:`f(x_t)`, :math:`f(x_t) - f^\star`, :math:`\|x_t - x^\star\|`
        (both need ``problem``) or the gradient norm :math:`\|g_t\|`.
    problem : Problem, optional
        Supplies :math:`f^\star` and :math:`x^\star`.
    log : bool
        Logarithmic vertical axis (a symmetric-log axis when ``y="f"`` takes values
        :math:`\le 0`); values :math:`\le 0` cannot sit on a log axis and are left out.
    labels : list of str, optional
        Legend labels; ``traj.name`` by default.
    evals_per_step : float
        Gradient evaluations per update for ``x="grad_evals"`` (for instance the batch size
        when one evaluation means one example).
    legend : bool
        Add a legend.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> import gradlib as gl
    >>> p = gl.functions.quadratic(kappa=10.0)
    >>> fig, ax = plt.subplots()
    >>> ax = loss_curves(gl.run(gl.GD(lr=0.1), p, p.start, steps=50), ax=ax, y="gap", problem=p)
    >>> ax.get_xlabel(), ax.get_ylabel(), ax.get_yscale()
    ('update number $t$', '$f(x_t) - f^\\star$', 'log')
    >>> plt.close(fig)
    """
    x = check.choice(x, "x", tuple(_X_LABELS))
    y = check.choice(y, "y", tuple(_Y_LABELS))
    evals_per_step = check.positive(evals_per_step, "evals_per_step")
    log, legend = check.flag(log, "log"), check.flag(legend, "legend")
    _reference(y, None if problem is None else _check_problem(problem, dim2=False))
    trajs = _as_list(trajs)
    labels = (
        [t.name for t in trajs]
        if labels is None
        else _labels(labels, len(trajs), "trajectory")
    )
    ax = _axes(ax)
    curves = [_curve(t, x, y, problem, evals_per_step) for t in trajs]
    nonpositive = any(np.any(v[np.isfinite(v)] <= 0) for _, v in curves)
    symlog = log and y == "f" and nonpositive
    for (u, v), t, label in zip(curves, trajs, labels, strict=True):
        if log and not symlog:
            v = np.where(v > 0, v, np.nan)
        (line,) = ax.plot(u, v, **line_style(label), label=label)
        if t.diverged and len(u):
            ax.plot(
                u[-1],
                v[-1],
                marker="X",
                ms=8,
                color=line.get_color(),
                ls="none",
                label="_diverged",
            )
    if symlog:
        ax.set_yscale("symlog", linthresh=1e-3)
    elif log:
        log_ylim(
            ax, np.concatenate([v for _, v in curves])
        )  # before the scale: no overflow in autoscaling
        ax.set_yscale("log")
    ax.set_xlabel(_X_LABELS[x])
    ax.set_ylabel(_Y_LABELS[y])
    if legend:
        ax.legend(loc="best")
    return ax


def layer_norms(
    values,
    ax=None,
    labels=None,
    log: bool = True,
    *,
    kind: str = "line",
    ylabel: str = r"gradient norm $\|\partial L / \partial W_\ell\|$",
):
    """Per-layer norms, one curve (or one group of bars) per network.

    Parameters
    ----------
    values : dict of str -> array_like, or array_like
        For each network (for instance ``"sigmoid"``, ``"ReLU"``), one value per layer,
        ordered from the input side. A single array is drawn without a legend.
    ax : matplotlib Axes, optional
        Where to draw; the current axes by default.
    labels : list of str, optional
        Tick labels of the layers (``"W1"``, ``"W2"``, ...); the layer numbers by default.
    log : bool
        Logarithmic vertical axis: vanishing gradients shrink geometrically with depth.
    kind : {"line", "bar"}
        Lines with markers, or grouped bars.
    ylabel : str
        Label of the vertical axis.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> fig, ax = plt.subplots()
    >>> ax = layer_norms({"sigmoid": [1e-4, 1e-3, 1e-2], "ReLU": [0.5, 0.6, 0.5]}, ax=ax)
    >>> ax.get_xlabel(), len(ax.get_lines())
    ('layer (1 = input side)', 2)
    >>> plt.close(fig)
    """
    kind = check.choice(kind, "kind", ("line", "bar"))
    log = check.flag(log, "log")
    single = not isinstance(values, Mapping)
    series = {"": values} if single else dict(values)
    if not series:
        raise check.fail(ValueError, "values", "a non-empty dict or an array", values)
    arrays = {str(k): check.vector(v, f"values[{k!r}]") for k, v in series.items()}
    n_layers = max(len(v) for v in arrays.values())
    ax = _axes(ax)
    width = 0.8 / len(arrays)
    for i, (name, v) in enumerate(arrays.items()):
        layer = np.arange(1, len(v) + 1)
        colour = PALETTE[i % len(PALETTE)]
        label = "_nolegend_" if single else name
        if kind == "line":
            ax.plot(layer, v, marker="o", color=colour, label=label)
        else:
            ax.bar(
                layer - 0.4 + width * (i + 0.5),
                v,
                width=width,
                color=colour,
                label=label,
            )
    ticks = np.arange(1, n_layers + 1)
    if labels is not None:
        ax.set_xticks(ticks, _labels(labels, n_layers, "layer"))
    elif n_layers <= 20:
        ax.set_xticks(ticks)
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("layer (1 = input side)")
    ax.set_ylabel(ylabel)
    if not single:
        ax.legend(loc="best")
    return ax


def _freeze_background(fig: Figure, ax, keep: list) -> None:
    """Render everything in ``fig`` but the artists ``keep`` once, as an image behind ``ax``.

    The static parts of an animation (contours, ticks, labels, legend) are then drawn as
    one picture per frame instead of being laid out again, which makes frames several
    times cheaper. The original artists stay in ``ax`` (hidden) so they can be inspected.
    """
    canvas = FigureCanvasAgg(fig)
    for artist in keep:
        artist.set_visible(False)
    canvas.draw()
    background = np.asarray(canvas.buffer_rgba()).copy()
    for artist in ax.get_children():
        artist.set_visible(artist in keep)
    back = fig.add_axes((0, 0, 1, 1), zorder=-1)
    back.imshow(background, extent=(0, 1, 0, 1), aspect="auto", interpolation="nearest")
    back.set_axis_off()
    FigureCanvasBase(
        fig
    )  # its draw_idle does nothing: frames are drawn only when saved


def race(
    trajs,
    problem: Problem,
    frames: int = 40,
    interval: int = 100,
    *,
    figsize=(4.6, 3.6),
    dpi: int = 72,
    trail: int | None = None,
    levels: int = 20,
    title: str | None = None,
):
    """An animation of several optimizers moving on the same contour plot.

    Parameters
    ----------
    trajs : list of Trajectory
        The runs, all on ``problem``.
    problem : Problem
        A two-variable problem; its contours are the background.
    frames : int
        Number of frames (at most one per update); the runs are sampled at evenly spaced
        update numbers, so a long run is shown at the same length as a short one.
    interval : int
        Milliseconds between frames.
    figsize, dpi
        Size of the (small) figure: the frames are embedded as images in the page.
    trail : int, optional
        Show only the last ``trail`` updates behind each head; the whole path by default.
    levels : int
        Number of contour levels.
    title : str, optional
        Prefix of the label above the plot; the problem's name by default. The update
        number is appended (a text with ``gid="race_label"``).

    Returns
    -------
    matplotlib.animation.FuncAnimation
        Its figure is not registered with pyplot (no stray static copy in a notebook);
        turn it into HTML with :func:`gradlib.book.animation_html`.

    Examples
    --------
    >>> import gradlib as gl
    >>> p = gl.functions.quadratic(kappa=10.0)
    >>> anim = race([gl.run(gl.GD(lr=0.15), p, p.start, steps=40)], p, frames=5)
    >>> gl.book.animation_html(anim).count("data:image/png") >= 5
    True
    """
    trajs = _as_list(trajs)
    problem = _check_problem(problem)
    frames = check.integer(frames, "frames", minimum=1)
    interval = check.integer(interval, "interval", minimum=1)
    if trail is not None:
        trail = check.integer(trail, "trail", minimum=1)
    dpi = check.integer(dpi, "dpi", minimum=1)
    figsize = tuple(check.array(figsize, "figsize", shape=(2,)))
    fig = Figure(figsize=figsize, dpi=dpi, layout="constrained")
    ax = fig.add_subplot()
    contour(problem, ax=ax, levels=levels, n=120, title="")
    prefix = problem.name if title is None else title
    trails, heads = [], []
    for t in trajs:
        st = line_style(t.name)
        ax.plot(
            *t.xs[0],
            marker="o",
            ms=6,
            mfc="white",
            mec=st["color"],
            ls="none",
            label="_start",
        )
        trails.append(ax.plot([], [], **st, lw=1.5, label=t.name)[0])
        heads.append(
            ax.plot(
                [], [], marker="o", ms=7, color=st["color"], ls="none", label="_head"
            )[0]
        )
    ax.legend(loc="upper right", fontsize=7)
    label = ax.text(
        0.5,
        1.02,
        "",
        transform=ax.transAxes,
        ha="center",
        va="bottom",
        fontsize=9,
        gid="race_label",
    )
    longest = max(t.steps for t in trajs)
    ticks = np.unique(
        np.round(np.linspace(0, longest, frames)).astype(int)
    )  # fewer for short runs

    def draw(i):
        k = int(ticks[i])
        for t, line, head in zip(trajs, trails, heads, strict=True):
            j = min(k, t.steps)
            lo = 0 if trail is None else max(0, j - trail)
            line.set_data(t.xs[lo : j + 1, 0], t.xs[lo : j + 1, 1])
            head.set_data([t.xs[j, 0]], [t.xs[j, 1]])
        label.set_text(f"{prefix}: update t = {k}" if prefix else f"update t = {k}")
        return [*trails, *heads, label]

    draw(0)
    fig.draw_without_rendering()  # lay the figure out once, then keep it fixed for every frame
    fig.set_layout_engine("none")
    _freeze_background(fig, ax, keep=[*trails, *heads, label])
    return FuncAnimation(
        fig, draw, frames=len(ticks), interval=interval, blit=False, repeat=False
    )


def small_multiples(
    panels,
    problem: Problem | None = None,
    *,
    kind: str = "trajectories",
    ncols: int = 3,
    panel_size=(2.5, 2.2),
    sharey: bool = True,
    **kwargs,
):
    """A grid of small panels: the same plot for several settings, a static stand-in for a slider.

    Parameters
    ----------
    panels : dict of str -> Trajectory or list of Trajectory
        One panel per entry; the key is the panel's title (for instance ``"lr = 0.1"``).
    problem : Problem, optional
        Passed to :func:`trajectories` or :func:`loss_curves`.
    kind : {"trajectories", "loss"}
        What each panel shows.
    ncols : int
        Panels per row.
    panel_size : (float, float)
        Width and height of one panel in inches.
    sharey : bool
        Share the vertical axis between panels (for ``kind="loss"``).
    **kwargs
        Passed on to the plotting function of each panel.

    Returns
    -------
    matplotlib Figure
        The axes are ``fig.axes``; only the first panel has a legend, and unused cells of
        the grid are removed.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> import gradlib as gl
    >>> p = gl.functions.quadratic(kappa=10.0)
    >>> runs = {f"lr = {lr}": gl.run(gl.GD(lr=lr), p, p.start, steps=20) for lr in (0.05, 0.1, 0.19)}
    >>> fig = small_multiples(runs, p)
    >>> [ax.get_title() for ax in fig.axes]
    ['lr = 0.05', 'lr = 0.1', 'lr = 0.19']
    >>> plt.close(fig)
    """
    kind = check.choice(kind, "kind", ("trajectories", "loss"))
    if not isinstance(panels, Mapping) or not panels:
        raise check.fail(
            TypeError,
            "panels",
            "a non-empty dict mapping a title to trajectories",
            panels,
        )
    ncols = check.integer(ncols, "ncols", minimum=1)
    panel_size = check.array(panel_size, "panel_size", shape=(2,))
    sharey = check.flag(sharey, "sharey")
    ncols = min(ncols, len(panels))
    nrows = -(-len(panels) // ncols)
    fig, axes = plt.subplots(
        nrows,
        ncols,
        squeeze=False,
        layout="constrained",
        figsize=(panel_size[0] * ncols, panel_size[1] * nrows),
        sharex=True,
        sharey=sharey if kind == "loss" else False,
    )
    flat = axes.ravel()
    for i, (name, trajs) in enumerate(panels.items()):
        ax = flat[i]
        if kind == "trajectories":
            trajectories(trajs, problem, ax=ax, legend=i == 0, **kwargs)
        else:
            loss_curves(trajs, ax=ax, problem=problem, legend=i == 0, **kwargs)
        ax.set_title(str(name), fontsize=10)
        if i % ncols:
            ax.set_ylabel("")
        if i < len(panels) - ncols:
            ax.set_xlabel("")
    for ax in flat[len(panels) :]:
        ax.remove()
    return fig


def rate_map(
    x,
    y,
    rates,
    ax=None,
    *,
    colorbar: bool = True,
    label: str = "measured rate per step",
):
    r"""Convergence rates over a grid of two hyperparameters, diverged cells in grey.

    The picture of a stability region: for every pair ``(x[j], y[i])`` the per-step rate
    ``rates[i, j]`` (the factor by which an error shrinks per update) is coloured on a
    fixed scale from 0 (fastest) to 1; a rate of 1 or more, or a non-finite one, means the
    run did not converge there and the cell is grey.

    Parameters
    ----------
    x : array_like, shape (nx,)
        Values along the horizontal axis (for example :math:`\eta\lambda`).
    y : array_like, shape (ny,)
        Values along the vertical axis (for example :math:`\gamma`).
    rates : array_like, shape (ny, nx)
        The measured (or computed) rates; ``nan`` and ``inf`` count as diverged.
    ax : matplotlib Axes, optional
        Where to draw; the current axes by default.
    colorbar : bool
        Add a colour bar for the rates next to ``ax``.
    label : str
        Label of the colour bar.

    Returns
    -------
    matplotlib Axes
        The two colour layers carry ``gid="rates"`` and ``gid="diverged"``. Axis labels
        are left to the caller, who knows what ``x`` and ``y`` are.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> h = np.linspace(0.1, 3.0, 30)
    >>> fig, ax = plt.subplots()
    >>> ax = rate_map(h, [0.0, 0.5], [np.abs(1 - h), np.abs(1 - h) ** 0.5])
    >>> sorted(m.get_gid() for m in ax.collections)
    ['diverged', 'rates']
    >>> plt.close(fig)
    """
    x = check.vector(x, "x")
    y = check.vector(y, "y")
    rates = check.array(rates, "rates", shape=(y.size, x.size), finite=False)
    colorbar = check.flag(colorbar, "colorbar")
    label = check.string(label, "label")
    ax = _axes(ax)
    X, Y = np.meshgrid(x, y)
    with np.errstate(invalid="ignore"):
        converged = np.isfinite(rates) & (rates < 1)
    image = ax.pcolormesh(
        X,
        Y,
        np.where(converged, rates, np.nan),
        cmap="viridis",
        vmin=0,
        vmax=1,
        shading="nearest",
    )
    image.set_gid("rates")
    grey = ax.pcolormesh(
        X,
        Y,
        np.where(converged, np.nan, 1.0),
        cmap="Greys",
        vmin=0,
        vmax=2,
        shading="nearest",
    )
    grey.set_gid("diverged")
    if colorbar:
        ax.figure.colorbar(image, ax=ax, label=label)
    return ax
