r"""Fair comparisons of methods: every contender tuned on a grid, over seeds, never on an edge.

A sentence such as "Adam beats momentum here" is only as good as the momentum it was
compared with. :func:`race` tunes each contender's hyperparameters on its own grid, with
the same budget and the same seeds for everyone, and refuses a winner that sits on the edge
of its grid: a grid whose best value is its largest learning rate says only that the grid
stopped too early. Extensible grids (:class:`LogGrid`, :class:`DecayGrid`) grow by one point
at a time in the direction of the edge until the best value is inside them.

Example
-------
>>> import gradlib as gl
>>> q = gl.functions.quadratic(kappa=10.0)
>>> lr = LogGrid(0.01, 0.1)
>>> table = race({"GD": Contender(gl.GD, {"lr": lr}),
...               "Momentum": Contender(gl.Momentum, {"lr": lr, "gamma": DecayGrid(0.5, 0.9)})},
...              runner(q, q.start, steps=100), score="final")
>>> sorted(table.best, key=table.best.get)[0], table["GD"].params["lr"] < 2 / 10
('Momentum', True)
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from html import escape

import numpy as np

from . import _validate as check
from .optimizers import GD
from .run import Trajectory, run

__all__ = [
    "LogGrid",
    "DecayGrid",
    "Fixed",
    "Choice",
    "Contender",
    "Result",
    "RaceTable",
    "EdgeError",
    "race",
    "runner",
    "steps_to",
]


class EdgeError(RuntimeError):
    """The best value of a hyperparameter is on the edge of a grid that cannot grow further."""


# ---------------------------------------------------------------------------- grids


@dataclass(frozen=True)
class LogGrid:
    """Log-spaced values from ``low`` to ``high``, ``per_decade`` per factor 10 (at least 2).

    The grid can grow past either end (within ``limits``) when the best value is on an edge.

    Examples
    --------
    >>> LogGrid(0.01, 1.0).values()
    [0.01, 0.0316, 0.1, 0.316, 1.0]
    """

    low: float
    high: float
    per_decade: int = 2
    limits: tuple = (0.0, math.inf)

    def __post_init__(self):
        check.positive(self.low, "low")
        check.in_range(self.high, "high", self.low)
        check.integer(self.per_decade, "per_decade", minimum=2)

    def _k(self, value: float) -> int:
        return round(math.log10(value) * self.per_decade)

    def values(self) -> list[float]:
        """The grid's values, in increasing order."""
        return [
            10 ** (k / self.per_decade)
            for k in range(self._k(self.low), self._k(self.high) + 1)
        ]

    def at_limit(self, value) -> bool:
        """A learning rate has no natural end: never."""
        return False

    def grown(self, upward: bool):
        """The grid one point longer in the direction asked, or ``None`` past the limits."""
        k = self._k(self.high) + 1 if upward else self._k(self.low) - 1
        value = 10 ** (k / self.per_decade)
        if not self.limits[0] < value < self.limits[1]:
            return None
        return LogGrid(
            self.low if upward else value,
            value if upward else self.high,
            self.per_decade,
            self.limits,
        )

    def describe(self) -> str:
        return f"{self.low:.3g} to {self.high:.3g} ({self.per_decade} per decade)"


@dataclass(frozen=True)
class DecayGrid:
    r"""Decay rates :math:`\gamma` in [0, 1), log-spaced in :math:`1-\gamma` (0.5, 0.9, 0.97, 0.99, ...).

    Examples
    --------
    >>> DecayGrid(0.9, 0.99).values()
    [0.9, 0.968, 0.99]
    """

    low: float
    high: float
    per_decade: int = 2

    def __post_init__(self):
        check.decay(self.low, "low")
        check.in_range(self.high, "high", self.low, 1.0, high_open=True)
        check.integer(self.per_decade, "per_decade", minimum=2)

    def _k(self, value: float) -> int:
        return round(-math.log10(1 - value) * self.per_decade)

    def values(self) -> list[float]:
        return [
            1 - 10 ** (-k / self.per_decade)
            for k in range(self._k(self.low), self._k(self.high) + 1)
        ]

    def at_limit(self, value) -> bool:
        """True for 0, the end of a decay rate's range (no momentum, no averaging)."""
        return value == 0.0

    def grown(self, upward: bool):
        k = self._k(self.high) + 1 if upward else self._k(self.low) - 1
        if k < 0 or k > 6 * self.per_decade:  # gamma in [0, 1 - 1e-6]
            return None
        value = 1 - 10 ** (-k / self.per_decade)
        return DecayGrid(
            self.low if upward else value,
            value if upward else self.high,
            self.per_decade,
        )

    def describe(self) -> str:
        spacing = f"{self.per_decade} per decade in 1 - value"
        return f"{self.low:.3g} to {self.high:.3g} ({spacing})"


@dataclass(frozen=True)
class Fixed:
    """An ordered list of values that cannot grow; a best value on its edge is an error."""

    items: tuple

    def __post_init__(self):
        if len(self.items) == 0:
            raise check.fail(ValueError, "items", "at least one value", self.items)

    def values(self) -> list:
        return list(self.items)

    def grown(self, upward: bool):
        return None

    def at_limit(self, value) -> bool:
        return False

    def describe(self) -> str:
        return (
            "{"
            + ", ".join(
                f"{v:.3g}" if isinstance(v, float) else str(v) for v in self.items
            )
            + "}"
        )


@dataclass(frozen=True)
class Choice(Fixed):
    """Unordered options (forms, flags): no edges."""


def _grid(spec, name: str):
    if isinstance(spec, LogGrid | DecayGrid | Fixed):
        return spec
    if isinstance(spec, Sequence) and not isinstance(spec, str):
        return Fixed(tuple(spec))
    raise check.fail(
        TypeError, name, "a LogGrid, DecayGrid, Fixed, Choice or a list of values", spec
    )


# ----------------------------------------------------------- contenders and results


@dataclass(frozen=True)
class Contender:
    """A method to tune: ``make(**params)`` builds it, ``grid`` maps each parameter to its grid.

    ``fixed`` holds keyword arguments passed unchanged; ``trial`` (optional) replaces the race's
    trial function for this contender (for a method that :func:`gradlib.run` cannot drive).
    """

    make: Callable
    grid: Mapping = field(default_factory=dict)
    fixed: Mapping = field(default_factory=dict)
    trial: Callable | None = None

    def __post_init__(self):
        check.function(self.make, "make")
        for name, value in (("grid", self.grid), ("fixed", self.fixed)):
            if not isinstance(value, Mapping):
                raise check.fail(
                    TypeError, name, "a dict of parameter name to value", value
                )
        for parameter, spec in self.grid.items():
            _grid(spec, f"grid[{parameter!r}]")
        if self.trial is not None:
            check.function(self.trial, "trial")


@dataclass(frozen=True)
class Result:
    """A contender's tuned outcome.

    Attributes
    ----------
    name : str
    params : dict
        The chosen hyperparameters.
    score : float
        The aggregate (``mean`` or ``median``) over seeds at the chosen point (lower is better).
    scores : ndarray, shape (n_seeds,)
        The score of every seed at the chosen point.
    spread : float
        Sample standard deviation of ``scores`` (``ddof=1``; 0 for one seed).
    budget : int
        Gradient evaluations (or examples, for mini-batch runs) of one run at the chosen point.
    grids : dict
        The final grid of every parameter (after growing).
    edges : dict
        For every ordered grid parameter: True when the chosen value is its grid's first or last
        value (never True in a returned table; kept for the book's tests). A value at the end of
        the parameter's own range (a decay rate of 0: no momentum) is not an edge: the grid
        cannot go further because the parameter cannot.
    evaluated : int
        Number of grid points tried.
    trajectories : list
        The runs at the chosen point, one per seed.
    """

    name: str
    params: dict
    score: float
    scores: np.ndarray
    spread: float
    budget: int
    grids: dict
    edges: dict
    evaluated: int
    trajectories: list


class RaceTable:
    """The results of :func:`race`: one :class:`Result` per contender, shown as a table.

    ``table["Adam"]`` is a result, ``table.best`` maps names to scores, ``table.winner`` is the
    name with the lowest score, ``table.summary()`` the one-line statement of budget, grids and
    seeds that a chapter prints next to its conclusion.
    """

    def __init__(
        self,
        results: list[Result],
        seeds: tuple,
        score_name: str,
        budget_unit: str,
        report_seeds: tuple | None = None,
    ):
        self.results = {r.name: r for r in results}
        self.seeds, self.score_name, self.budget_unit = seeds, score_name, budget_unit
        self.report_seeds = report_seeds

    def __getitem__(self, name: str) -> Result:
        return self.results[name]

    def __iter__(self):
        return iter(self.results.values())

    @property
    def best(self) -> dict:
        return {name: r.score for name, r in self.results.items()}

    @property
    def winner(self) -> str:
        return min(self.results, key=lambda name: self.results[name].score)

    def summary(self) -> str:
        """One sentence: budget, seeds and every contender's final grid."""
        budgets = sorted({r.budget for r in self})
        grids = "; ".join(
            f"{r.name}: "
            + (
                ", ".join(f"{p} {g.describe()}" for p, g in r.grids.items())
                or "no hyperparameters"
            )
            for r in self
        )
        n = len(self.seeds)
        seeds = f"tuned on {n} seed{'s' * (n > 1)}"
        if self.report_seeds is not None:
            seeds += f", scored on {len(self.report_seeds)} other seeds"
        return (
            f"Budget {' / '.join(str(b) for b in budgets)} {self.budget_unit} per "
            f"run, {seeds}; "
            f"grids after growing: {grids}. No chosen value is on the edge of its grid."
        )

    def rows(self) -> list[dict]:
        """The table as a list of dicts (one per contender, best first)."""
        out = []
        for r in sorted(self, key=lambda r: r.score):
            out.append(
                {
                    "method": r.name,
                    **{k: v for k, v in r.params.items()},
                    self.score_name: r.score,
                    "spread": r.spread,
                    "budget": r.budget,
                    "grid points": r.evaluated,
                }
            )
        return out

    def _data(self) -> str:
        return json.dumps(
            [
                {
                    "method": r.name,
                    "params": {k: _plain(v) for k, v in r.params.items()},
                    "grid": {
                        k: [_plain(v) for v in g.values()] for k, g in r.grids.items()
                    },
                    "ordered": {
                        k: not isinstance(g, Choice) for k, g in r.grids.items()
                    },
                    "edges": r.edges,
                    "at_limit": {
                        k: bool(g.at_limit(r.params[k])) for k, g in r.grids.items()
                    },
                    "score": _plain(r.score),
                }
                for r in self
            ]
        )

    def _repr_html_(self) -> str:
        head = [
            "method",
            "chosen hyperparameters",
            f"{self.score_name} (mean ± sd over seeds)",
            f"budget ({self.budget_unit})",
            "grid points",
        ]
        body = []
        for r in sorted(self, key=lambda r: r.score):
            params = (
                ", ".join(f"{k} = {_fmt(v)}" for k, v in r.params.items()) or "(none)"
            )
            body.append(
                "<tr>"
                + "".join(
                    f"<td>{escape(str(c))}</td>"
                    for c in (
                        r.name,
                        params,
                        f"{_fmt(r.score)} ± {_fmt(r.spread)}",
                        r.budget,
                        r.evaluated,
                    )
                )
                + "</tr>"
            )
        header = "".join(f"<th>{escape(h)}</th>" for h in head)
        return (
            f'<div class="gl-race" data-race="{escape(self._data())}">'
            f"<table><thead><tr>{header}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>"
            f"<p><small>{escape(self.summary())}</small></p></div>"
        )

    def __repr__(self) -> str:
        lines = [
            f"{r.name:>12}: {r.params} -> {self.score_name} {_fmt(r.score)} ± "
            f"{_fmt(r.spread)}"
            for r in sorted(self, key=lambda r: r.score)
        ]
        return "\n".join(lines)


def _plain(v):
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and not math.isfinite(v):
        return str(v)
    return v if isinstance(v, int | float | str | bool) or v is None else str(v)


def _fmt(v) -> str:
    if isinstance(v, float | np.floating):
        return "inf" if v == math.inf else f"{v:.3g}"
    return str(v)


# ------------------------------------------------------------------------- the race


def runner(problem, x0, steps: int | None = None, **run_kwargs) -> Callable:
    """A trial for :func:`race`: ``trial(opt, seed)`` runs ``gl.run(opt, problem, x0, steps, rng=seed, ...)``.

    By default only the last iterate is recorded (``every=steps``), which makes tuning cheap;
    pass ``every=`` to keep more.
    """
    kwargs = {"every": steps or 10**9, **run_kwargs}
    # check the arguments now, not at the first trial:
    # a run of no update with a plain optimizer
    probe = {k: v for k, v in kwargs.items() if k != "record"}
    if "epochs" in probe:
        run(GD(), problem, x0, **{**probe, "epochs": 0}, rng=0)
    else:
        run(GD(), problem, x0, 0 if steps is None else steps * 0, **probe, rng=0)
    if steps is not None:
        check.integer(steps, "steps", minimum=0)

    def trial(opt, seed) -> Trajectory:
        return run(opt, problem, x0, steps, rng=seed, **kwargs)

    return trial


def steps_to(threshold: float, offset: float = 0.0) -> Callable:
    """A score: the first recorded update at which ``f - offset`` is below ``threshold``.

    Returns ``inf`` when the run never gets there. Record every step (``every=1``) for exact
    counts; pass the problem's ``f_min`` as ``offset`` to count updates to a gap.

    Examples
    --------
    >>> import gradlib as gl
    >>> q = gl.functions.quadratic(kappa=4.0)
    >>> steps_to(1e-6)(gl.run(gl.GD(lr=0.4), q, [1.0, 1.0], steps=100))
    15.0
    """
    threshold = check.real(threshold, "threshold")
    offset = check.real(offset, "offset")

    def score(traj: Trajectory) -> float:
        below = np.flatnonzero(np.asarray(traj.fs) - offset < threshold)
        return float(traj.ts[below[0]]) if below.size else math.inf

    score.__name__ = f"updates to f{' - f*' if offset else ''} < {threshold:g}"
    return score


def _score_fn(score) -> tuple[Callable, str]:
    if callable(score):
        return score, getattr(score, "__name__", "score")
    named = {
        "final": (lambda t: t.f, "final loss"),
        "best": (lambda t: float(np.nanmin(t.fs)), "best loss"),
    }
    return named[check.choice(score, "score", tuple(named))]


def _safe(value) -> float:
    value = float(value)
    return value if math.isfinite(value) else math.inf


class _Tuner:
    """Evaluates one contender on the product of its grids, caching every point."""

    def __init__(self, name, contender, trial, seeds, score, aggregate):
        self.name, self.contender, self.trial = (
            name,
            contender,
            contender.trial or trial,
        )
        self.seeds, self.score, self.aggregate = seeds, score, aggregate
        self.report_seeds = None
        self.grids = {
            p: _grid(g, f"{name} grid {p!r}") for p, g in contender.grid.items()
        }
        self.cache = {}

    def evaluate(self, params: tuple, seeds) -> tuple:
        """(aggregate score, scores, trajectories) of a grid point over ``seeds``."""
        kwargs = {**self.contender.fixed, **dict(zip(self.grids, params, strict=True))}
        trajs = [self.trial(self.contender.make(**kwargs), seed) for seed in seeds]
        scores = np.array(
            [math.inf if t.diverged else _safe(self.score(t)) for t in trajs]
        )
        agg = (
            float(np.median(scores))
            if self.aggregate == "median"
            else float(np.mean(scores))
        )
        return _safe(agg), scores, trajs

    def point(self, params: tuple):
        """The tuning evaluation of a grid point (cached)."""
        if params not in self.cache:
            self.cache[params] = self.evaluate(params, self.seeds)
        return self.cache[params]

    def best(self):
        axes = [g.values() for g in self.grids.values()]
        points = list(itertools.product(*axes))
        scores = [self.point(p)[0] for p in points]
        low = min(scores)
        if low == math.inf:
            raise EdgeError(
                f"{self.name}: every grid point failed (diverged or never reached the "
                f"goal); "
                f"grids: {self.describe()}"
            )
        tied = [
            p
            for p, s in zip(points, scores, strict=True)
            if s <= low + 1e-12 * abs(low)
        ]
        return tied[len(tied) // 2], axes

    def describe(self) -> str:
        return "; ".join(f"{p}: {g.describe()}" for p, g in self.grids.items())

    def tune(self, max_growth: int) -> Result:
        for _ in range(max_growth + 1):
            chosen, axes = self.best()
            edges = {
                p: (not isinstance(g, Choice))
                and len(axes[i]) > 1
                and chosen[i] in (axes[i][0], axes[i][-1])
                and not g.at_limit(chosen[i])
                for i, (p, g) in enumerate(self.grids.items())
            }
            single = {
                p
                for i, p in enumerate(self.grids)
                if len(axes[i]) == 1 and not isinstance(self.grids[p], Choice)
            }
            on_edge = [p for p, e in edges.items() if e] + sorted(single)
            if not on_edge:
                if self.report_seeds is None:
                    agg, scores, trajs = self.point(chosen)
                else:  # fresh seeds: not the best of many noisy trials
                    agg, scores, trajs = self.evaluate(chosen, self.report_seeds)
                budget = max(t.n_examples or t.n_grad for t in trajs)
                return Result(
                    self.name,
                    dict(zip(self.grids, chosen, strict=True)),
                    agg,
                    scores,
                    float(np.std(scores, ddof=1)) if len(scores) > 1 else 0.0,
                    int(budget),
                    dict(self.grids),
                    edges,
                    len(self.cache),
                    trajs,
                )
            grown = False
            for p in on_edge:
                i = list(self.grids).index(p)
                upward = chosen[i] == axes[i][-1]
                for direction in [upward] if len(axes[i]) > 1 else [True, False]:
                    bigger = self.grids[p].grown(direction)
                    if bigger is not None:
                        self.grids[p], grown = bigger, True
            if not grown:
                raise EdgeError(
                    f"{self.name}: the best {on_edge[0]} = "
                    f"{chosen[list(self.grids).index(on_edge[0])]!r} "
                    f"is on the edge of a grid that cannot grow ({self.describe()})"
                )
        raise EdgeError(
            f"{self.name}: the best value is still on an edge after growing the grid "
            f"{max_growth} times ({self.describe()})"
        )


def race(
    contenders: Mapping[str, Contender],
    trial: Callable | None = None,
    *,
    seeds: Sequence[int] = (0,),
    score="final",
    aggregate: str = "mean",
    max_growth: int = 8,
    budget_unit: str = "gradient evaluations",
    score_name: str | None = None,
    report_seeds: Sequence[int] | None = None,
) -> RaceTable:
    """Tune every contender on its grid with the same trial and seeds, and tabulate the winners.

    Parameters
    ----------
    contenders : dict of str to Contender
        The methods, by name.
    trial : callable, optional
        ``trial(method, seed)`` returns a :class:`~gradlib.run.Trajectory` (see :func:`runner`);
        a contender's own ``trial`` takes precedence.
    seeds : sequence of int
        Every grid point is run once per seed; the score is aggregated over seeds.
    score : "final", "best" or callable
        Lower is better: the final recorded loss, the best recorded loss, or any function of a
        trajectory (see :func:`steps_to`). A diverged run, or a non-finite score, counts as ``inf``.
    aggregate : {"mean", "median"}
        How the seeds' scores are combined.
    max_growth : int
        How many times the grids may grow before an edge is an error.
    budget_unit : str
        What the budget counts (``n_examples`` of a run when it processed examples, else ``n_grad``).
    score_name : str, optional
        The score's label in the table (default: the name of ``score``).
    report_seeds : sequence of int, optional
        Seeds, different from ``seeds``, on which each contender's chosen point is run
        again for the table's scores. Tuned and scored on the same seeds, the winner of many
        noisy trials looks better than it is (the winner's curse); scored on fresh seeds, it
        does not. By default the tuning seeds' scores are reported.

    Returns
    -------
    RaceTable

    Raises
    ------
    EdgeError
        When a contender's best value stays on the edge of its grid, or every point fails.

    Notes
    -----
    An ordered grid with a single value counts as an edge: a learning rate that was not tuned is
    not a fair opponent. Ties (several points with the best score, for example every point that
    reaches the goal in the same number of steps) are broken towards the middle of the tied points.
    """
    if not isinstance(contenders, Mapping) or not contenders:
        raise check.fail(
            TypeError, "contenders", "a non-empty dict of name to Contender", contenders
        )
    for name, c in contenders.items():
        if not isinstance(c, Contender):
            raise check.fail(TypeError, f"contenders[{name!r}]", "a Contender", c)
        if c.trial is None and trial is None:
            raise ValueError(
                f"contender {name!r} needs a trial: pass trial= to race or "
                f"Contender(trial=...)"
            )
    seeds = tuple(check.integer(s, "seeds", minimum=0) for s in seeds)
    if not seeds:
        raise check.fail(ValueError, "seeds", "at least one seed", seeds)
    score_fn, default_name = _score_fn(score)
    score_name = (
        default_name if score_name is None else check.string(score_name, "score_name")
    )
    check.choice(aggregate, "aggregate", ("mean", "median"))
    max_growth = check.integer(max_growth, "max_growth", minimum=0)
    if report_seeds is not None:
        report_seeds = tuple(
            check.integer(s, "report_seeds", minimum=0) for s in report_seeds
        )
        if not report_seeds or set(report_seeds) & set(seeds):
            raise check.fail(
                ValueError, "report_seeds", "seeds not used for tuning", report_seeds
            )
    results = []
    for name, c in contenders.items():
        tuner = _Tuner(name, c, trial, seeds, score_fn, aggregate)
        tuner.report_seeds = report_seeds
        results.append(tuner.tune(max_growth))
    return RaceTable(
        results,
        seeds,
        score_name,
        check.string(budget_unit, "budget_unit"),
        report_seeds,
    )
