r"""Line searches: how far to go along a descent direction.

Given a point :math:`x`, a direction :math:`d` and the one-dimensional restriction

.. math:: \phi(\alpha) = f(x + \alpha d), \qquad \phi'(\alpha) = \nabla f(x + \alpha d)^\top d,

a line search picks a step length :math:`\alpha > 0`. Two are provided:

``armijo``
    backtracking until the sufficient-decrease (Armijo) condition holds;
``strong_wolfe``
    Nocedal & Wright's Algorithms 3.5 and 3.6 (bracketing, then ``zoom`` with cubic or
    quadratic interpolation) until the strong Wolfe conditions hold.

Both return a :class:`LineSearchResult`. Failure channels: bad input (constants out of
range, wrong shapes, a direction that is not a descent direction, a non-finite starting
value) raises ``TypeError`` / ``ValueError``; a search that cannot find an acceptable step
(too many trials, a non-finite value met along the line, rounding errors) returns a result
with ``success=False`` and a ``message`` saying why. A failed result never pretends: it
holds the best point found that satisfies the sufficient-decrease condition, which is the
starting point itself (``alpha = 0``) when there is none.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from . import _validate as check

__all__ = ["LineSearchResult", "armijo", "strong_wolfe"]


@dataclass(frozen=True)
class LineSearchResult:
    """What a line search found.

    Attributes
    ----------
    alpha : float
        The step length (``0.0`` when a failed search found no better point).
    x : ndarray, shape (n,)
        The new point ``x + alpha * d``.
    f : float
        The objective at ``x``.
    g : ndarray, shape (n,)
        The gradient at ``x``.
    nfev, ngev : int
        Number of objective and gradient evaluations made by the search (values passed in as
        ``f0`` / ``g0`` are not counted).
    success : bool
        True when ``alpha`` satisfies the search's conditions.
    message : str
        How the search ended.
    alphas : tuple of float
        Every trial step length, in the order it was evaluated.
    """

    alpha: float
    x: np.ndarray
    f: float
    g: np.ndarray
    nfev: int
    ngev: int
    success: bool
    message: str
    alphas: tuple = ()

    @property
    def nit(self) -> int:
        """Number of trial steps evaluated."""
        return len(self.alphas)


class _Point(NamedTuple):
    """A trial step: its length, phi, phi' (nan until computed) and the gradient there."""

    alpha: float
    phi: float
    derphi: float
    g: np.ndarray | None


def _value(f: Callable, x: np.ndarray) -> float:
    """``f(x)`` as a float (floating-point warnings silenced: a non-finite value is the caller's to judge)."""
    with np.errstate(all="ignore"):
        fx = np.asarray(f(x), dtype=float)
    if fx.size != 1:
        raise ValueError(f"f(x) must return a scalar, got shape {fx.shape}")
    return float(fx.reshape(()))


def _gradient(grad: Callable, x: np.ndarray) -> np.ndarray:
    """``grad(x)`` as a float array of the shape of ``x``."""
    with np.errstate(all="ignore"):
        g = np.asarray(grad(x), dtype=float)
    if g.shape != x.shape:
        raise ValueError(
            f"grad(x) must return an array of shape {x.shape}, got shape {g.shape}"
        )
    return g


class _Line:
    """phi and phi' along ``x + alpha d``, counting evaluations and checking shapes."""

    def __init__(self, f: Callable, grad: Callable, x: np.ndarray, d: np.ndarray):
        self.f, self.grad, self.x, self.d = f, grad, x, d
        self.nfev = self.ngev = 0
        self.alphas: list[float] = []

    def point(self, alpha: float) -> np.ndarray:
        return self.x + alpha * self.d

    def value(self, x: np.ndarray) -> float:
        self.nfev += 1
        return _value(self.f, x)

    def gradient(self, x: np.ndarray) -> np.ndarray:
        self.ngev += 1
        return _gradient(self.grad, x)

    def phi(self, alpha: float) -> float:
        self.alphas.append(float(alpha))
        return self.value(self.point(alpha))


def _wolfe_constants(c1, c2) -> tuple[float, float]:
    """``c1`` and ``c2`` with ``0 < c1 < c2 < 1``."""
    c1 = check.in_range(c1, "c1", 0.0, 1.0, low_open=True, high_open=True)
    return c1, check.in_range(c2, "c2", c1, 1.0, low_open=True, high_open=True)


def _start(f, grad, x, d, f0, g0):
    """Validate the common input; return x, d, the line, phi(0) and the gradient at x."""
    check.function(f, "f")
    check.function(grad, "grad")
    x = check.vector(x, "x")
    d = check.vector(d, "d", dim=x.size)
    line = _Line(f, grad, x, d)
    phi0 = line.value(x) if f0 is None else check.real(f0, "f0")
    g0 = line.gradient(x) if g0 is None else check.vector(g0, "g0", dim=x.size)
    if not np.isfinite(phi0):
        raise check.fail(ValueError, "f(x)", "finite at the starting point", phi0)
    if not np.all(np.isfinite(g0)):
        raise check.fail(ValueError, "grad(x)", "finite at the starting point", g0)
    derphi0 = float(g0 @ d)
    if not derphi0 < 0:
        raise ValueError(
            f"d must be a descent direction (grad(x) @ d < 0), got grad(x) @ d = "
            f"{derphi0!r}"
        )
    return x, d, line, phi0, g0, derphi0


def _result(line: _Line, best: _Point, success: bool, message: str) -> LineSearchResult:
    return LineSearchResult(
        alpha=float(best.alpha),
        x=line.point(best.alpha),
        f=float(best.phi),
        g=best.g,
        nfev=line.nfev,
        ngev=line.ngev,
        success=success,
        message=message,
        alphas=tuple(line.alphas),
    )


def armijo(
    f: Callable,
    grad: Callable,
    x,
    d,
    alpha0: float = 1.0,
    c1: float = 1e-4,
    shrink: float = 0.5,
    max_iter: int = 50,
    *,
    f0: float | None = None,
    g0=None,
) -> LineSearchResult:
    r"""Backtracking line search: shrink the step until the Armijo condition holds.

    Parameters
    ----------
    f, grad : callable
        Objective ``f(x) -> float`` and gradient ``grad(x) -> ndarray (n,)``.
    x : array_like, shape (n,)
        Starting point.
    d : array_like, shape (n,)
        Search direction; must be a descent direction, ``grad(x) @ d < 0``.
    alpha0 : float
        First trial step, > 0.
    c1 : float
        Sufficient-decrease constant in (0, 1).
    shrink : float
        Factor in (0, 1) applied to the step after each rejected trial.
    max_iter : int
        Maximum number of trial steps.
    f0, g0 : optional
        ``f(x)`` and ``grad(x)`` if already known (saves two evaluations).

    Returns
    -------
    LineSearchResult
        The gradient at the accepted point is evaluated once, so that ``g`` is filled in.

    Raises
    ------
    ValueError
        For out-of-range constants, wrong shapes, a non-finite value at ``x`` or a
        direction that is not a descent direction.

    Notes
    -----
    Accept the first :math:`\alpha \in \{\alpha_0, \rho\alpha_0, \rho^2\alpha_0, \dots\}`
    (with :math:`\rho` = ``shrink``) such that

    .. math:: \phi(\alpha) \le \phi(0) + c_1 \alpha \phi'(0).

    A non-finite :math:`\phi(\alpha)` counts as a rejected trial (the step was too long).
    Backtracking says nothing about the curvature condition, so the step may be much
    shorter than a good one (Nocedal & Wright, Algorithm 3.1).

    References
    ----------
    Armijo (1966); Nocedal & Wright (2006), section 3.1.

    Examples
    --------
    >>> f = lambda x: float(x @ x)
    >>> grad = lambda x: 2 * x
    >>> res = armijo(f, grad, np.array([1.0, 1.0]), np.array([-4.0, -4.0]))
    >>> res.alpha, res.x, res.success
    (0.25, array([0., 0.]), True)
    """
    alpha0 = check.positive(alpha0, "alpha0")
    c1 = check.in_range(c1, "c1", 0.0, 1.0, low_open=True, high_open=True)
    shrink = check.in_range(shrink, "shrink", 0.0, 1.0, low_open=True, high_open=True)
    max_iter = check.integer(max_iter, "max_iter", minimum=1)
    x, d, line, phi0, g0, derphi0 = _start(f, grad, x, d, f0, g0)

    alpha = alpha0
    for _ in range(max_iter):
        phi = line.phi(alpha)
        if phi <= phi0 + c1 * alpha * derphi0:  # False for nan and inf as well
            g = line.gradient(line.point(alpha))
            best = _Point(alpha, phi, float(g @ d), g)
            if not np.all(np.isfinite(g)):
                start = _Point(0.0, phi0, derphi0, g0)
                return _result(
                    line, start, False, f"non-finite gradient at alpha={alpha!r}"
                )
            return _result(line, best, True, "the Armijo condition holds")
        alpha = shrink * alpha
    start = _Point(0.0, phi0, derphi0, g0)
    return _result(
        line,
        start,
        False,
        f"no step met the Armijo condition in max_iter={max_iter} trials",
    )


def _interpolate(lo: _Point, hi: _Point) -> float:
    r"""A trial step between ``lo.alpha`` and ``hi.alpha``: cubic, quadratic or bisection.

    Cubic (Nocedal & Wright eq. 3.59) when :math:`\phi'` is known at both ends, quadratic
    through :math:`\phi(lo), \phi'(lo), \phi(hi)` otherwise; bisection whenever the
    interpolant's minimizer is not finite or lies within 10% of an end of the interval.
    """
    a0, a1 = lo.alpha, hi.alpha
    with np.errstate(all="ignore"):
        if np.isfinite(hi.derphi):
            d1 = lo.derphi + hi.derphi - 3 * (lo.phi - hi.phi) / (a0 - a1)
            d2 = np.sign(a1 - a0) * np.sqrt(d1**2 - lo.derphi * hi.derphi)
            alpha = a1 - (a1 - a0) * (hi.derphi + d2 - d1) / (
                hi.derphi - lo.derphi + 2 * d2
            )
        else:
            C = (hi.phi - lo.phi - lo.derphi * (a1 - a0)) / (a1 - a0) ** 2
            alpha = a0 - lo.derphi / (2 * C)
    low, high = min(a0, a1), max(a0, a1)
    margin = 0.1 * (high - low)
    if not (np.isfinite(alpha) and low + margin <= alpha <= high - margin):
        alpha = 0.5 * (a0 + a1)
    return float(alpha)


def strong_wolfe(
    f: Callable,
    grad: Callable,
    x,
    d,
    c1: float = 1e-4,
    c2: float = 0.1,
    alpha0: float = 1.0,
    alpha_max: float = 1e10,
    max_iter: int = 50,
    *,
    f0: float | None = None,
    g0=None,
) -> LineSearchResult:
    r"""Line search for a step satisfying the strong Wolfe conditions.

    Parameters
    ----------
    f, grad : callable
        Objective ``f(x) -> float`` and gradient ``grad(x) -> ndarray (n,)``.
    x : array_like, shape (n,)
        Starting point.
    d : array_like, shape (n,)
        Search direction; must be a descent direction, ``grad(x) @ d < 0``.
    c1, c2 : float
        Sufficient-decrease and curvature constants, ``0 < c1 < c2 < 1``. Use a small
        ``c2`` (0.1) for conjugate gradients, 0.9 for quasi-Newton methods.
    alpha0 : float
        First trial step, in ``(0, alpha_max]``.
    alpha_max : float
        Largest step the bracketing phase may try.
    max_iter : int
        Maximum number of trial steps (bracketing and zoom together).
    f0, g0 : optional
        ``f(x)`` and ``grad(x)`` if already known.

    Returns
    -------
    LineSearchResult
        ``success`` is True exactly when ``alpha`` satisfies both conditions below. On
        failure the result holds the best trial that satisfies the sufficient-decrease
        condition (the start, ``alpha = 0``, when there is none) and ``message`` says why.

    Raises
    ------
    ValueError
        Unless ``0 < c1 < c2 < 1``; for wrong shapes, a non-finite value at ``x``, or a
        direction that is not a descent direction.

    Notes
    -----
    With :math:`\phi(\alpha) = f(x + \alpha d)` the strong Wolfe conditions are

    .. math::

        \phi(\alpha) &\le \phi(0) + c_1 \alpha \phi'(0) \\
        |\phi'(\alpha)| &\le c_2 |\phi'(0)|

    Bracketing (Nocedal & Wright, Algorithm 3.5): try :math:`\alpha_1 = \alpha_0`, then
    double. As soon as a trial breaks sufficient decrease, or does not improve on the
    previous trial, or has :math:`\phi' \ge 0`, an interval containing acceptable steps is
    known and ``zoom`` (Algorithm 3.6) shrinks it. ``zoom(lo, hi)`` keeps ``lo`` the best
    trial so far that satisfies sufficient decrease, with :math:`\phi'(lo)(hi - lo) < 0`;
    each new trial comes from cubic interpolation of :math:`\phi, \phi'` at both ends
    (eq. 3.59), or quadratic interpolation when :math:`\phi'(hi)` was never computed,
    safeguarded by bisection. The gradient is evaluated only at trials that pass the
    sufficient-decrease test, as in the book's algorithm.

    A non-finite :math:`\phi` or :math:`\phi'` met along the line ends the search with
    ``success=False``: the search does not guess what the function does there.

    References
    ----------
    Nocedal & Wright (2006), Algorithms 3.5 and 3.6; Moré & Thuente (1994).

    Examples
    --------
    On :math:`f(x) = x^\top x` the exact minimizer along :math:`d = -\nabla f` is
    :math:`\alpha = 1/2`; the first trial, :math:`\alpha = 1`, overshoots, and quadratic
    interpolation lands on the minimizer:

    >>> f = lambda x: float(x @ x)
    >>> grad = lambda x: 2 * x
    >>> res = strong_wolfe(f, grad, np.array([3.0, 4.0]), np.array([-6.0, -8.0]))
    >>> res.alpha, res.x, res.nfev, res.success
    (0.5, array([0., 0.]), 3, True)
    """
    c1, c2 = _wolfe_constants(c1, c2)
    alpha_max = check.positive(alpha_max, "alpha_max")
    alpha0 = check.in_range(alpha0, "alpha0", 0.0, alpha_max, low_open=True)
    max_iter = check.integer(max_iter, "max_iter", minimum=1)
    x, d, line, phi0, g0, derphi0 = _start(f, grad, x, d, f0, g0)
    return _Wolfe(line, _Point(0.0, phi0, derphi0, g0), c1, c2, max_iter).bracket(
        alpha0, alpha_max
    )


class _Wolfe:
    """One strong Wolfe search: phi along the line, the two conditions, bracketing and zoom."""

    def __init__(self, line: _Line, start: _Point, c1: float, c2: float, max_iter: int):
        self.line, self.start, self.c1, self.c2, self.max_iter = (
            line,
            start,
            c1,
            c2,
            max_iter,
        )

    def sufficient_decrease(self, alpha: float, phi: float) -> bool:
        return (
            phi <= self.start.phi + self.c1 * alpha * self.start.derphi
        )  # False for nan as well

    def curvature(self, derphi: float) -> bool:
        return abs(derphi) <= -self.c2 * self.start.derphi

    def evaluate(self, alpha: float) -> _Point:
        """phi at alpha; phi' (and the gradient) only if sufficient decrease holds."""
        phi = self.line.phi(alpha)
        if not self.sufficient_decrease(alpha, phi):
            return _Point(alpha, phi, np.nan, None)
        g = self.line.gradient(self.line.point(alpha))
        return _Point(alpha, phi, float(g @ self.line.d), g)

    def trials_left(self) -> bool:
        return len(self.line.alphas) < self.max_iter

    def out_of_trials(self, best: _Point) -> LineSearchResult:
        return _result(
            self.line,
            best,
            False,
            f"no acceptable step in max_iter={self.max_iter} trials",
        )

    def bracket(self, alpha: float, alpha_max: float) -> LineSearchResult:
        """Algorithm 3.5: grow the step until an interval is known to contain acceptable steps."""
        previous = self.start
        while self.trials_left():
            trial = self.evaluate(alpha)
            if _non_finite(trial):
                return _result(
                    self.line, previous, False, f"non-finite value at alpha={alpha!r}"
                )
            if trial.g is None or (
                previous is not self.start and trial.phi >= previous.phi
            ):
                return self.zoom(previous, trial)
            if self.curvature(trial.derphi):
                return _result(
                    self.line, trial, True, "the strong Wolfe conditions hold"
                )
            if trial.derphi >= 0:
                return self.zoom(trial, previous)
            if alpha >= alpha_max:
                return _result(
                    self.line,
                    trial,
                    False,
                    f"reached alpha_max={alpha_max!r} with f still decreasing "
                    f"(unbounded below?)",
                )
            previous, alpha = trial, min(2.0 * alpha, alpha_max)
        return self.out_of_trials(previous)

    def zoom(self, lo: _Point, hi: _Point) -> LineSearchResult:
        """Algorithm 3.6: shrink [lo, hi] until a trial satisfies both conditions."""
        while self.trials_left():
            if abs(hi.alpha - lo.alpha) <= 1e-14 * max(lo.alpha, hi.alpha):
                return _result(
                    self.line,
                    lo,
                    False,
                    "the interval of uncertainty shrank to rounding level",
                )
            trial = self.evaluate(_interpolate(lo, hi))
            if _non_finite(trial):
                return _result(
                    self.line, lo, False, f"non-finite value at alpha={trial.alpha!r}"
                )
            if trial.g is None or trial.phi >= lo.phi:
                hi = trial
                continue
            if self.curvature(trial.derphi):
                return _result(
                    self.line, trial, True, "the strong Wolfe conditions hold"
                )
            if trial.derphi * (hi.alpha - lo.alpha) >= 0:
                hi = lo
            lo = trial
        return self.out_of_trials(lo)


def _non_finite(trial: _Point) -> bool:
    """True when phi, or the gradient if it was computed, is not finite at the trial."""
    return not math.isfinite(trial.phi) or (
        trial.g is not None and not np.isfinite(trial.g).all()
    )
