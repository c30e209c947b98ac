r"""Explorers for Jupyter: sliders that rerun an optimizer and redraw its path at once.

The figure is drawn with matplotlib's Agg renderer and shown as a PNG in an
``ipywidgets.Image``: this needs no extra front-end package (no ipympl), works the same
in JupyterLab and the classic notebook, and lets a test check that the picture changed.

Two entry points:

:func:`explorer`
    a problem, an optimizer, its hyperparameters, the start point and the number of
    steps; shows the path on the contour plot and the loss curve.
:func:`interactive_plot`
    any drawing function with any sliders, for the explorers of single chapters.

Both return an object with ``.controls`` (a dict of name -> widget), ``.figure`` (the
matplotlib Figure), ``.update()`` (recompute and redraw) and ``.widget`` (the container to
display; the object itself also displays as that container in a notebook).

This module imports ipywidgets; ``import gradlib`` does not import this module until
``gradlib.widgets`` is first used.

Examples
--------
>>> import gradlib as gl
>>> ex = explorer(optimizers=["GD"], steps=50)
>>> ex.controls["lr"].value = 0.002
>>> ex.trajectory.steps
50
"""

from __future__ import annotations

import dataclasses
import html
import io
import math
import numbers
from collections.abc import Callable, Mapping

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import NullFormatter

from . import _validate as check
from . import functions, plotting
from . import optimizers as _optimizers
from .functions import Problem
from .run import Trajectory, run

__all__ = [
    "InteractivePlot",
    "Explorer",
    "explorer",
    "hyperparameters",
    "interactive_plot",
    "log_slider",
]

_LAYOUT = {"width": "330px"}
_STYLE = {"description_width": "90px"}


def log_slider(
    value: float, low: float, high: float, description: str = "", **kwargs
) -> widgets.FloatLogSlider:
    """A slider whose position is the base-10 logarithm of its value (for learning rates).

    Parameters
    ----------
    value, low, high : float
        Start value and range, ``0 < low < high``; the value is clipped to the range.
    description : str
        Label shown next to the slider.
    **kwargs
        Further arguments of ``ipywidgets.FloatLogSlider`` (``continuous_update`` is False
        unless given).

    Examples
    --------
    >>> s = log_slider(0.01, 1e-4, 1.0, "lr")
    >>> s.value, s.min, s.max
    (0.01, -4.0, 0.0)
    """
    value = check.positive(value, "value")
    low = check.positive(low, "low")
    high = check.in_range(high, "high", low, low_open=True)
    kwargs.setdefault("continuous_update", False)
    return widgets.FloatLogSlider(
        value=min(max(value, low), high),
        base=10,
        min=math.log10(low),
        max=math.log10(high),
        step=0.05,
        description=description,
        readout_format=".2g",
        layout=_LAYOUT,
        style=_STYLE,
        **kwargs,
    )


def _control(name: str, spec) -> widgets.ValueWidget:
    """Turn an interact-style abbreviation into a widget."""
    if isinstance(spec, widgets.ValueWidget):
        if not spec.description:
            spec.description = name
        return spec
    common = {
        "description": name,
        "continuous_update": False,
        "layout": _LAYOUT,
        "style": _STYLE,
    }
    if isinstance(spec, bool):
        return widgets.Checkbox(value=spec, description=name)
    if (
        isinstance(spec, list | tuple)
        and spec
        and all(isinstance(v, str) for v in spec)
    ):
        return widgets.Dropdown(
            options=list(spec), description=name, layout=_LAYOUT, style=_STYLE
        )
    if (
        isinstance(spec, tuple)
        and len(spec) in (2, 3, 4)
        and all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in spec)
    ):
        low, high = spec[0], spec[1]
        if not low < high:
            raise check.fail(
                ValueError,
                name,
                "a slider (min, max[, step[, value]]) with min < max",
                spec,
            )
        if all(isinstance(v, numbers.Integral) for v in spec):
            step = spec[2] if len(spec) > 2 else 1
            value = spec[3] if len(spec) > 3 else (low + high) // 2
            return widgets.IntSlider(
                value=value, min=low, max=high, step=step, **common
            )
        step = spec[2] if len(spec) > 2 else (high - low) / 100
        value = spec[3] if len(spec) > 3 else (low + high) / 2
        return widgets.FloatSlider(
            value=value, min=low, max=high, step=step, readout_format=".3g", **common
        )
    raise check.fail(
        TypeError,
        name,
        "a widget, a (min, max[, step[, value]]) tuple, a list of strings or a bool",
        spec,
    )


class InteractivePlot:
    """A figure redrawn by a function of some controls; see :func:`interactive_plot`.

    Attributes
    ----------
    controls : dict of str -> ipywidgets widget
    figure : matplotlib.figure.Figure
    axes : list of matplotlib Axes
    result : object
        What the drawing function returned on the last update.
    trajectory : Trajectory or None
        ``result`` when it is a Trajectory.
    widget : ipywidgets.VBox
        Controls above the picture and a status line.
    png : bytes
        The picture currently shown.
    """

    def __init__(
        self,
        draw: Callable,
        controls: Mapping,
        *,
        ncols: int = 1,
        figsize=(7.0, 3.2),
        dpi: int = 80,
        background: Callable | None = None,
        caption: Callable | None = None,
    ):
        self._draw = check.function(draw, "draw")
        self._background_fn = (
            None if background is None else check.function(background, "background")
        )
        self._caption = None if caption is None else check.function(caption, "caption")
        ncols = check.integer(ncols, "ncols", minimum=1)
        self.controls = {name: _control(name, spec) for name, spec in controls.items()}
        self.figure = Figure(figsize=figsize, dpi=dpi, layout="constrained")
        FigureCanvasAgg(self.figure)
        self.axes = list(np.ravel(self.figure.subplots(1, ncols, squeeze=False)))
        self.result = None
        self.trajectory: Trajectory | None = None
        self._saved = None  # the picture of the background, with blitting
        self._drawn: list = []  # the artists the last call of draw added
        if self._background_fn is not None:
            self._prepare_background()
        self._build_widget()
        self.update()

    def _prepare_background(self) -> None:
        """Draw the static part once, fix the layout and the limits, and save the picture."""
        self._background_fn(self.axes[0] if len(self.axes) == 1 else self.axes)
        for ax in self.axes:
            ax.set_autoscale_on(False)  # what draw adds must not move the saved ticks
        self.figure.canvas.draw()
        self.figure.set_layout_engine("none")
        self._saved = self.figure.canvas.copy_from_bbox(self.figure.bbox)

    def _build_widget(self) -> None:
        self.image = widgets.Image(format="png")
        self.status = widgets.HTML()
        boxes = list(self.controls.values())
        columns = [widgets.VBox(boxes[i::2]) for i in range(2)]
        self.widget = widgets.VBox([widgets.HBox(columns), self.image, self.status])
        for control in self.controls.values():
            control.observe(self._on_change, names="value")

    def _on_change(self, change) -> None:
        self.update()

    @property
    def values(self) -> dict:
        """The current value of every control."""
        return {name: w.value for name, w in self.controls.items()}

    @property
    def png(self) -> bytes:
        return bytes(self.image.value)

    def _render(self) -> None:
        self.figure.canvas.draw()
        # The constrained layout found for the first picture is kept: computing it again on
        # every slider move would take most of the update's time (the axes' contents change,
        # their titles and labels rarely do).
        if self.figure.get_layout_engine() is not None:
            self.figure.set_layout_engine("none")
        self._show()

    def _show(self) -> None:
        """Encode what the canvas holds as PNG and put it in the image widget."""
        from PIL import Image  # a dependency of matplotlib

        buffer = io.BytesIO()
        rgba = np.asarray(self.figure.canvas.buffer_rgba())
        Image.fromarray(rgba).save(buffer, format="png", compress_level=1)
        self.image.value = buffer.getvalue()

    def update(self):
        """Call the drawing function with the current values and show the new picture."""
        if self._saved is None:
            for ax in self.axes:
                ax.clear()
        else:  # keep the background, remove what the last draw added
            for artist in self._drawn:
                artist.remove()
        before = {id(a) for ax in self.axes for a in ax.get_children()}
        axes = self.axes[0] if len(self.axes) == 1 else self.axes
        try:
            self.result = self._draw(axes, **self.values)
        except (TypeError, ValueError) as err:
            self.status.value = (
                f"<span style='color:#D55E00'>{type(err).__name__}: {err}</span>"
            )
            return None
        finally:
            self._drawn = [
                a for ax in self.axes for a in ax.get_children() if id(a) not in before
            ]
        self.status.value = (
            ""
            if self._caption is None
            else html.escape(str(self._caption(self.result)))
        )
        self.trajectory = self.result if isinstance(self.result, Trajectory) else None
        if self._saved is None:
            self._render()
        else:
            self._blit()
        return self.result

    def _blit(self) -> None:
        """Draw only what draw added, over the saved background."""
        canvas = self.figure.canvas
        canvas.restore_region(self._saved)
        for artist in self._drawn:
            artist.axes.draw_artist(artist)
        self._show()

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


def interactive_plot(
    draw: Callable,
    *,
    ncols: int = 1,
    figsize=(7.0, 3.2),
    dpi: int = 80,
    background: Callable | None = None,
    caption: Callable | None = None,
    **controls,
) -> InteractivePlot:
    """A figure with sliders: ``draw(ax, **values)`` is called again whenever a control moves.

    Parameters
    ----------
    draw : callable
        ``draw(ax, **values)`` draws on cleared axes (a list of axes when ``ncols > 1``)
        and may return a result, kept as ``.result`` (and as ``.trajectory`` when it is a
        Trajectory). A ``TypeError`` or ``ValueError`` it raises is shown under the figure
        instead of the picture changing.
    ncols : int
        Number of panels side by side.
    figsize, dpi
        Size of the figure (the default is about 560 px wide).
    background : callable, optional
        ``background(ax)`` draws once what does not depend on the controls (contours, axis
        labels, limits, titles). The picture is then saved, the axes' limits are frozen, and
        each update draws only the artists ``draw`` adds, on top of it (blitting): a slider
        move then costs the computation and a few lines, not a whole figure. Without it,
        ``draw`` gets cleared axes and the whole figure is redrawn.
    caption : callable, optional
        ``caption(result)`` returns a line of text shown under the picture after each
        update (the number of steps taken, say). Unlike text drawn in the figure, it is
        not rendered into the picture glyph by glyph on every update.
    **controls
        One per keyword argument of ``draw``: a widget (for instance :func:`log_slider`),
        ``(min, max)``, ``(min, max, step)`` or ``(min, max, step, value)`` for a slider
        (integer slider when all are integers), a list of strings for a drop-down, or a
        bool for a check box.

    Returns
    -------
    InteractivePlot

    Examples
    --------
    >>> import numpy as np
    >>> def ewma(ax, beta):
    ...     t = np.arange(1, 51)
    ...     ax.plot(t, (1 - beta) * beta ** (50 - t))
    ...     ax.set_xlabel("$i$")
    ...     ax.set_ylabel("weight")
    >>> plot = interactive_plot(ewma, beta=(0.5, 0.99, 0.01, 0.9))
    >>> before = plot.png
    >>> plot.controls["beta"].value = 0.8
    >>> plot.png != before
    True
    """
    return InteractivePlot(
        draw,
        controls,
        ncols=ncols,
        figsize=figsize,
        dpi=dpi,
        background=background,
        caption=caption,
    )


# --- the optimizer explorer -------------------------------------------------------------------

_DECAYS = ("gamma", "beta", "beta1", "beta2", "rho")


def _hyper_widget(name: str, default):
    """A control for one hyperparameter, chosen by its name and default value."""
    if isinstance(default, bool):
        return widgets.Checkbox(value=default, description=name)
    if name in ("lr", "eta"):
        return log_slider(float(default), 1e-4, 10.0, name)
    if name in ("eps", "epsilon"):
        return log_slider(float(default), 1e-12, 1.0, name)
    if name in _DECAYS:
        return widgets.FloatSlider(
            value=default,
            min=0.0,
            max=0.999,
            step=0.001,
            description=name,
            readout_format=".3f",
            continuous_update=False,
            layout=_LAYOUT,
            style=_STYLE,
        )
    if isinstance(default, numbers.Integral):
        return widgets.IntSlider(
            value=default,
            min=0,
            max=max(10, 4 * default),
            description=name,
            continuous_update=False,
            layout=_LAYOUT,
            style=_STYLE,
        )
    if default > 0:
        return log_slider(
            float(default), float(default) / 1e3, float(default) * 1e3, name
        )
    return widgets.FloatSlider(
        value=default,
        min=0.0,
        max=1.0,
        step=0.01,
        description=name,
        continuous_update=False,
        layout=_LAYOUT,
        style=_STYLE,
    )


def hyperparameters(cls) -> dict:
    """Name -> default value of the numeric and boolean hyperparameters of an optimizer class.

    Fields without a default get one from a table of usual values (``lr=0.01``,
    ``gamma=0.9``, ``beta2=0.999``, ...) when the name is known.

    Examples
    --------
    >>> import gradlib as gl
    >>> hyperparameters(gl.GD)
    {'lr': 0.1}
    """
    out = {}
    for field in dataclasses.fields(_optimizer_class(cls, "cls")):
        default = field.default
        if default is dataclasses.MISSING:
            default = _FALLBACK.get(field.name, dataclasses.MISSING)
        if isinstance(default, numbers.Real) and (
            isinstance(default, bool) or math.isfinite(default)
        ):
            out[field.name] = default
    return out


_FALLBACK = {
    "lr": 0.01,
    "gamma": 0.9,
    "beta": 0.9,
    "beta1": 0.9,
    "beta2": 0.999,
    "rho": 0.9,
    "eps": 1e-8,
}


def _catalogue() -> dict:
    """Every optimizer class gradlib exports, by name."""
    out = {}
    for name in _optimizers.__all__:
        obj = getattr(_optimizers, name)
        if (
            isinstance(obj, type)
            and issubclass(obj, _optimizers.Optimizer)
            and obj is not _optimizers.Optimizer
            and dataclasses.is_dataclass(obj)
        ):
            out[name] = obj
    return out


def _default_problems() -> dict:
    """The two-variable problems of gradlib.functions that the explorer offers by default."""
    problems = [
        functions.quadratic(kappa=10.0, angle=math.pi / 6),
        functions.rosenbrock(),
        functions.saddle(),
        functions.himmelblau(),
        functions.beale(),
    ]
    return {p.name: p for p in problems}


def _problems(problem) -> dict:
    if problem is None:
        return _default_problems()
    if isinstance(problem, Problem):
        problem = [problem]
    if not isinstance(problem, Mapping):
        problem = {plotting._check_problem(p).name: p for p in problem}
    for p in problem.values():
        plotting._check_problem(p)
    if not problem:
        raise check.fail(
            ValueError, "problem", "at least one two-variable Problem", problem
        )
    return dict(problem)


def _optimizer_class(cls, name: str) -> type:
    """``cls`` if it is an optimizer class: a dataclass whose fields are the hyperparameters."""
    if not (isinstance(cls, type) and dataclasses.is_dataclass(cls)):
        raise check.fail(TypeError, name, "an optimizer class (a dataclass)", cls)
    return cls


def _optimizer_classes(optimizers) -> dict:
    catalogue = _catalogue()
    if optimizers is None:
        return catalogue
    if isinstance(optimizers, Mapping):
        items = dict(optimizers)
    else:
        items = {}
        for i, o in enumerate(optimizers):
            if isinstance(o, str):
                items[o] = catalogue[
                    check.choice(o, f"optimizers[{i}]", tuple(catalogue))
                ]
            else:
                items[getattr(o, "__name__", str(o))] = o
    if not items:
        raise check.fail(ValueError, "optimizers", "at least one optimizer", optimizers)
    return {
        name: _optimizer_class(cls, f"optimizers[{name!r}]")
        for name, cls in items.items()
    }


class Explorer(InteractivePlot):
    """An optimizer on a test problem, with every setting on a control; see :func:`explorer`.

    Attributes
    ----------
    controls : dict of str -> widget
        ``"problem"``, ``"optimizer"``, one per hyperparameter of any listed optimizer
        (only those of the chosen one are shown), ``"x0_1"``, ``"x0_2"`` and ``"steps"``.
    figure : matplotlib.figure.Figure
        Left: the path on the contour plot; right: the loss curve.
    trajectory : Trajectory
        The last run.
    problem : Problem
        The problem currently chosen.
    optimizer : Optimizer
        The optimizer of the last run.
    """

    def __init__(
        self,
        problems: dict,
        optimizers: dict,
        *,
        optimizer: str | None = None,
        steps: int = 200,
        max_steps: int = 1000,
        figsize=(8.4, 3.4),
        dpi: int = 80,
    ):
        steps = check.integer(steps, "steps", minimum=1)
        max_steps = check.integer(max_steps, "max_steps", minimum=steps)
        self._problems, self._classes = problems, optimizers
        first = (
            next(iter(optimizers))
            if optimizer is None
            else check.choice(optimizer, "optimizer", tuple(optimizers))
        )
        self._busy = False
        self._shown = (None, None, None, None)
        controls = {
            "problem": widgets.Dropdown(
                options=list(problems),
                description="problem",
                layout=_LAYOUT,
                style=_STYLE,
            ),
            "optimizer": widgets.Dropdown(
                options=list(optimizers),
                value=first,
                description="optimizer",
                layout=_LAYOUT,
                style=_STYLE,
            ),
        }
        self._hyper = {}
        for cls in optimizers.values():
            for name, default in hyperparameters(cls).items():
                if name not in self._hyper:
                    self._hyper[name] = controls[name] = _hyper_widget(name, default)
        for i in (1, 2):
            controls[f"x0_{i}"] = widgets.FloatSlider(
                description=f"x0_{i}",
                continuous_update=False,
                readout_format=".2f",
                layout=_LAYOUT,
                style=_STYLE,
            )
        controls["steps"] = widgets.IntSlider(
            value=steps,
            min=1,
            max=max_steps,
            description="steps",
            continuous_update=False,
            layout=_LAYOUT,
            style=_STYLE,
        )
        self.controls = controls
        self.figure = Figure(figsize=figsize, dpi=dpi)
        FigureCanvasAgg(self.figure)
        self.axes = list(self.figure.subplots(1, 2))
        self.figure.subplots_adjust(
            left=0.08, right=0.98, bottom=0.15, top=0.9, wspace=0.28
        )
        self.result = self.trajectory = self.optimizer = None
        self._build_widget()
        self._set_start(self.problem)
        self._set_defaults(self._classes[first])
        self.update()

    # the problem and the optimizer currently chosen
    @property
    def problem(self) -> Problem:
        return self._problems[self.controls["problem"].value]

    def _set_start(self, problem: Problem) -> None:
        self._busy = True
        try:
            for i, (low, high) in enumerate(problem.bounds):
                s = self.controls[f"x0_{i + 1}"]
                s.min, s.max = (
                    -1e300,
                    1e300,
                )  # widen first so that no bound clips the new ones
                s.min, s.max, s.step = float(low), float(high), (high - low) / 200
                s.value = float(np.clip(problem.start[i], low, high))
        finally:
            self._busy = False

    def _set_defaults(self, cls) -> None:
        own = hyperparameters(cls)
        self._busy = True
        try:
            for name, w in self._hyper.items():
                w.layout.display = None if name in own else "none"
                if name in own:
                    w.value = own[name]
        finally:
            self._busy = False

    def _on_change(self, change) -> None:
        if self._busy:
            return
        if change["owner"] is self.controls["problem"]:
            self._set_start(self.problem)
        elif change["owner"] is self.controls["optimizer"]:
            self._set_defaults(self._classes[change["new"]])
        self.update()

    def settings(self) -> dict:
        """The arguments of the run the controls describe: ``opt``, ``problem``, ``x0``, ``steps``."""
        name = self.controls["optimizer"].value
        cls = self._classes[name]
        kwargs = {k: self._hyper[k].value for k in hyperparameters(cls)}
        x0 = np.array([self.controls["x0_1"].value, self.controls["x0_2"].value])
        steps = self.controls["steps"].value
        return {"opt": cls(**kwargs), "problem": self.problem, "x0": x0, "steps": steps}

    def _draw_background(
        self, problem: Problem, name: str, steps: int, f0: float
    ) -> None:
        """Draw what changes only with the problem, the optimizer or the number of steps.

        Contours, both axes with their ticks and labels, and the loss plot's limits are drawn
        once and saved as a picture; an update then draws only the path and the loss curve on
        top of it (blitting), which keeps a slider move within a few tens of milliseconds.
        """
        left, right = self.axes
        left.clear()
        right.clear()
        plotting.contour(problem, ax=left, levels=25, n=150)
        left.title.set_fontsize(10)
        self._path = left.plot([], [], lw=1.5, marker="o", ms=2, zorder=3)[0]
        self._start = left.plot(
            [], [], marker="o", ms=7, mfc="white", mew=1.5, ls="none", zorder=4
        )[0]
        self._end = left.plot([], [], marker="o", ms=7, ls="none", zorder=4)[0]
        self._gap = np.isfinite(problem.f_min)
        self._loss = right.plot([], [], lw=1.5)[0]
        right.set_xlabel("update number $t$")
        right.set_ylabel(r"$f(x_t) - f^\star$" if self._gap else "$f(x_t)$")
        right.set_title(f"loss: {name}", fontsize=10)
        right.set_xlim(0, max(1, steps))
        # Fixed limits around the starting value: 2 decades of room above (a diverging run
        # leaves the picture at the top), 14 below for the gap to the minimum.
        if self._gap:
            top = math.ceil(math.log10(max(f0, 1e-300))) + 2
            right.set_yscale("log")
            right.set_ylim(10.0 ** (top - 16), 10.0**top)
            plotting.plain_log(
                right, minor=False
            )  # no mathtext: drawn several times faster
        else:
            top = 10.0 ** (math.ceil(math.log10(abs(f0) + 1.0)) + 2)
            right.set_yscale("symlog", linthresh=1e-2)
            right.set_ylim(-top, top)
            right.yaxis.set_minor_formatter(
                NullFormatter()
            )  # labelled minor ticks are slow
        for artist in (self._path, self._start, self._end, self._loss):
            artist.set_animated(True)
        self.figure.canvas.draw()
        self._background = self.figure.canvas.copy_from_bbox(self.figure.bbox)
        self._shown = (problem, name, steps, f0)

    def _render(self) -> None:
        canvas, (left, right) = self.figure.canvas, self.axes
        canvas.restore_region(self._background)
        for artist in (self._path, self._start, self._end):
            left.draw_artist(artist)
        right.draw_artist(self._loss)
        self._show()

    def update(self):
        """Run the optimizer with the current settings and redraw the path and the loss curve.

        Returns the new Trajectory, or None when the settings are invalid (the reason is shown
        under the figure and the picture stays as it was).
        """
        try:
            args = self.settings()
        except (TypeError, ValueError) as err:
            self.status.value = (
                f"<span style='color:#D55E00'>{type(err).__name__}: {err}</span>"
            )
            return None
        problem, name = args["problem"], self.controls["optimizer"].value
        traj = run(
            args["opt"], problem, args["x0"], steps=args["steps"], name=name, loss=False
        )
        # the values of the loss curve in one call on all iterates (the test problems take
        # batches of points), not one call per update inside the loop
        with np.errstate(all="ignore"):
            fs = np.asarray(problem.f(traj.xs), dtype=float)
        traj = dataclasses.replace(traj, fs=fs)
        self.optimizer, self.trajectory, self.result = args["opt"], traj, traj
        f0 = (
            float(traj.fs[0] - problem.f_min)
            if np.isfinite(problem.f_min)
            else float(traj.fs[0])
        )
        if self._shown[:3] != (problem, name, args["steps"]) or self._shown[3] != f0:
            self._draw_background(problem, name, args["steps"], f0)
        st = plotting.line_style(name)
        xs = traj.xs
        self._path.set_data(xs[:, 0], xs[:, 1])
        self._path.set(**st, marker="o" if len(xs) <= 60 else "None")
        self._start.set_data([xs[0, 0]], [xs[0, 1]])
        self._start.set_markeredgecolor(st["color"])
        self._end.set_data([xs[-1, 0]], [xs[-1, 1]])
        self._end.set(color=st["color"], marker="X" if traj.diverged else "o")
        y = traj.fs - problem.f_min if self._gap else traj.fs
        if self._gap:
            y = np.where(y > 0, y, np.nan)
        self._loss.set_data(traj.ts, np.clip(y, -1e300, 1e300))
        self._loss.set(**st)
        verdict = (
            f"diverged at update {traj.diverged_at}"
            if traj.diverged
            else f"{traj.steps} updates"
        )
        self.status.value = f"{name}: {verdict}, f(x) = {traj.f:.4g}"
        self._render()
        return traj


def explorer(
    problem=None,
    optimizers=None,
    *,
    optimizer: str | None = None,
    steps: int = 200,
    max_steps: int = 1000,
    figsize=(8.4, 3.4),
    dpi: int = 80,
) -> Explorer:
    """An optimizer explorer: choose a problem and an optimizer, move its hyperparameters.

    Parameters
    ----------
    problem : Problem, list of Problem or dict of str -> Problem, optional
        Two-variable problems for the drop-down; by default an ill-conditioned quadratic,
        Rosenbrock's function and the other 2-D problems of ``gradlib.functions``.
    optimizers : list of str or classes, or dict of str -> class, optional
        Optimizer classes for the drop-down; by default every optimizer of gradlib.
    optimizer : str, optional
        The one chosen at the start (the first by default).
    steps, max_steps : int
        Initial number of updates and the end of its slider.
    figsize, dpi
        Size of the figure (the default is about 670 px wide).

    Returns
    -------
    Explorer
        Display it (last line of a cell) to get the controls and the picture.

    Notes
    -----
    The hyperparameters are found from the optimizer's dataclass fields, so any optimizer
    class added to gradlib appears with its own sliders: the learning rate ``lr`` (and
    ``eps``) on a logarithmic slider, the decay rates ``gamma``, ``beta1``, ``beta2``,
    ``rho`` on ``[0, 0.999]``. Choosing another optimizer resets them to its defaults;
    choosing another problem moves the start to that problem's usual starting point.
    One update reruns the optimizer and redraws only the path and the loss curve: the
    contours are computed once per problem.

    Examples
    --------
    >>> import gradlib as gl
    >>> ex = explorer(optimizers=["GD"], steps=20)
    >>> ex.controls["lr"].value = 1e-3
    >>> ref = gl.run(gl.GD(lr=1e-3), ex.problem, ex.trajectory.xs[0], steps=20)
    >>> bool(np.array_equal(ex.trajectory.xs, ref.xs))
    True
    """
    return Explorer(
        _problems(problem),
        _optimizer_classes(optimizers),
        optimizer=optimizer,
        steps=steps,
        max_steps=max_steps,
        figsize=figsize,
        dpi=dpi,
    )
