r"""L-BFGS: a quasi-Newton method that remembers only the last ``m`` steps.

BFGS builds an approximation :math:`H_k` of the inverse Hessian from the steps
:math:`s_i = x_{i+1} - x_i` and gradient changes :math:`y_i = g_{i+1} - g_i`. L-BFGS never
forms the matrix: it keeps the last ``m`` pairs and computes :math:`H_k g_k` with the
two-loop recursion (:func:`two_loop`), in :math:`O(mn)` memory and time. The step length
comes from :func:`gradlib.linesearch.strong_wolfe` with :math:`c_2 = 0.9`, the quasi-Newton
setting, which keeps :math:`s^\top y > 0` and so :math:`H_k` positive definite.

Failure channels, as in :mod:`gradlib.cg`: bad input raises ``TypeError`` /
``ValueError``; a run that does not reach the tolerance returns a result with
``success=False`` and a ``message`` saying why.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from . import _validate as check
from .linesearch import LineSearchResult, strong_wolfe

__all__ = ["LBFGSResult", "two_loop", "lbfgs"]


@dataclass(frozen=True)
class LBFGSResult:
    """What L-BFGS did (the fields of :class:`gradlib.cg.NonlinearCGResult`, plus two counts).

    Attributes
    ----------
    x : ndarray, shape (n,)
        The last iterate.
    xs : ndarray, shape (nit + 1, n)
        The starting point and every iterate.
    fs : ndarray, shape (nit + 1,)
        Objective values at ``xs``.
    grad_norms : ndarray, shape (nit + 1,)
        Gradient norms at ``xs``.
    alphas : ndarray, shape (nit,)
        Accepted step lengths.
    nit : int
        Number of iterations (accepted line searches).
    nfev, ngev : int
        Objective and gradient evaluations, line searches included.
    skipped : int
        Pairs :math:`(s, y)` left out of the memory because :math:`s^\\top y` was not
        safely positive.
    resets : int
        Times the memory was cleared because a line search along the L-BFGS direction
        failed (the iteration then retried along :math:`-g`).
    success : bool
        True when the gradient norm reached ``tol``.
    message : str
        How the run ended.
    """

    x: np.ndarray
    xs: np.ndarray
    fs: np.ndarray
    grad_norms: np.ndarray
    alphas: np.ndarray
    nit: int
    nfev: int
    ngev: int
    skipped: int
    resets: int
    success: bool
    message: str


def two_loop(g, s_hist, y_hist, gamma: float | None = None) -> np.ndarray:
    r"""The L-BFGS product :math:`H_k g` by the two-loop recursion (Nocedal & Wright, Alg. 7.4).

    Parameters
    ----------
    g : array_like, shape (n,)
        The vector to multiply (the gradient :math:`g_k`).
    s_hist, y_hist : sequence of array_like, shape (n,) each
        The remembered pairs, oldest first; every :math:`s_i^\top y_i` must be > 0.
    gamma : float, optional
        Scale of the initial matrix :math:`H_k^0 = \gamma I` (> 0). By default
        :math:`\gamma_k = s_{k-1}^\top y_{k-1} / y_{k-1}^\top y_{k-1}` from the newest
        pair, and 1 without pairs.

    Returns
    -------
    ndarray, shape (n,)
        :math:`H_k g`; the search direction is its negative.

    Notes
    -----
    With :math:`\rho_i = 1 / y_i^\top s_i`, for :math:`i = k-1, \dots, k-m`:

    .. math::

        \alpha_i = \rho_i\, s_i^\top q, \qquad q \leftarrow q - \alpha_i y_i

    starting from :math:`q = g`; then :math:`r = H_k^0 q` and, for
    :math:`i = k-m, \dots, k-1`:

    .. math::

        \beta = \rho_i\, y_i^\top r, \qquad r \leftarrow r + s_i (\alpha_i - \beta).

    The result equals :math:`H_k g` for the matrix obtained from :math:`H_k^0` by the
    ``m`` BFGS updates :math:`H \leftarrow (I - \rho s y^\top) H (I - \rho y s^\top) +
    \rho s s^\top` (eq. 6.17), oldest pair first, without forming any matrix. The scale
    :math:`\gamma_k` (eq. 7.20) makes the initial matrix match the curvature along the
    latest step.

    References
    ----------
    Nocedal (1980); Liu & Nocedal (1989); Nocedal & Wright (2006), Algorithm 7.4.

    Examples
    --------
    On :math:`f(x) = \tfrac12 x^\top \operatorname{diag}(1, 4) x` the steps along both axes
    reveal the inverse Hessian:

    >>> s = [np.array([1.0, 0.0]), np.array([0.0, 1.0])]
    >>> y = [np.array([1.0, 0.0]), np.array([0.0, 4.0])]
    >>> two_loop(np.array([1.0, 4.0]), s, y)
    array([1., 1.])
    """
    g = check.vector(g, "g")
    if len(s_hist) != len(y_hist):
        raise ValueError(
            f"s_hist and y_hist must have the same length, got {len(s_hist)} and "
            f"{len(y_hist)}"
        )
    s_hist = [check.vector(s, f"s_hist[{i}]", dim=g.size) for i, s in enumerate(s_hist)]
    y_hist = [check.vector(y, f"y_hist[{i}]", dim=g.size) for i, y in enumerate(y_hist)]
    for i, (s, y) in enumerate(zip(s_hist, y_hist, strict=True)):
        if not s @ y > 0:
            raise check.fail(
                ValueError,
                f"s_hist[{i}] @ y_hist[{i}]",
                "> 0 (positive curvature)",
                float(s @ y),
            )
    if gamma is not None:
        gamma = check.positive(gamma, "gamma")
    return _two_loop(g, s_hist, y_hist, gamma)


def _two_loop(g, s_hist, y_hist, gamma):
    """:func:`two_loop` without the checks (the loop below calls it every iteration)."""
    if gamma is None:
        gamma = (
            float(s_hist[-1] @ y_hist[-1] / (y_hist[-1] @ y_hist[-1]))
            if s_hist
            else 1.0
        )
    rhos = [1.0 / float(y @ s) for s, y in zip(s_hist, y_hist, strict=True)]
    q, alphas = g.copy(), []
    for s, y, rho in reversed(list(zip(s_hist, y_hist, rhos, strict=True))):
        alpha = rho * float(s @ q)
        q = q - alpha * y
        alphas.append(alpha)
    r = gamma * q
    for s, y, rho, alpha in zip(s_hist, y_hist, rhos, reversed(alphas), strict=True):
        beta = rho * float(y @ r)
        r = r + s * (alpha - beta)
    return r


class _Memory:
    """The last ``m`` curvature pairs (a local of :func:`lbfgs`, never shared)."""

    def __init__(self, m: int):
        self.s, self.y = deque(maxlen=m), deque(maxlen=m)
        self.skipped = 0

    def add(self, s: np.ndarray, y: np.ndarray, gs: float) -> None:
        """Keep ``(s, y)`` unless :math:`s^\\top y \\le \\epsilon_{mach} |g^\\top s|` (SciPy's test)."""
        if float(s @ y) > np.finfo(float).eps * abs(gs):
            self.s.append(s)
            self.y.append(y)
        else:
            self.skipped += 1

    def clear(self) -> None:
        self.s.clear()
        self.y.clear()

    def direction(self, g: np.ndarray) -> np.ndarray:
        return -_two_loop(g, list(self.s), list(self.y), None)


def _evaluate(f, grad, x):
    """``f(x)`` and ``grad(x)``, checked at the start."""
    with np.errstate(all="ignore"):
        fx = np.asarray(f(x), dtype=float)
        g = np.asarray(grad(x), dtype=float)
    if fx.size != 1:
        raise ValueError(f"f(x) must return a scalar, got shape {fx.shape}")
    if g.shape != x.shape:
        raise ValueError(
            f"grad(x) must return an array of shape {x.shape}, got shape {g.shape}"
        )
    fx = float(fx.reshape(()))
    if not (np.isfinite(fx) and np.all(np.isfinite(g))):
        raise ValueError(f"f and grad must be finite at x0, got f(x0) = {fx!r}")
    return fx, g


def lbfgs(
    f: Callable,
    grad: Callable,
    x0,
    m: int = 10,
    c1: float = 1e-4,
    c2: float = 0.9,
    tol: float = 1e-8,
    max_iter: int = 1000,
) -> LBFGSResult:
    r"""Minimize a smooth function by L-BFGS with a strong Wolfe line search.

    Parameters
    ----------
    f, grad : callable
        Objective ``f(x) -> float`` and gradient ``grad(x) -> ndarray (n,)``.
    x0 : array_like, shape (n,)
        Starting point.
    m : int
        Number of remembered pairs (>= 1).
    c1, c2 : float
        Line-search constants, ``0 < c1 < c2 < 1``; 0.9 is the quasi-Newton setting.
    tol : float
        Stop when :math:`\|g_k\| \le` ``tol`` (> 0).
    max_iter : int
        Maximum number of iterations (>= 0).

    Returns
    -------
    LBFGSResult

    Raises
    ------
    TypeError, ValueError
        For bad arguments, wrong shapes or a non-finite value at ``x0``.

    Notes
    -----
    Nocedal & Wright, Algorithm 7.5: from :math:`x_0` repeat

    .. math::

        d_k &= -H_k g_k \quad \text{(two-loop recursion, } H_k^0 = \gamma_k I,\;
              \gamma_k = s_{k-1}^\top y_{k-1} / y_{k-1}^\top y_{k-1}) \\
        x_{k+1} &= x_k + \alpha_k d_k \quad (\alpha_k \text{ satisfies the strong Wolfe
              conditions}) \\
        s_k &= x_{k+1} - x_k, \quad y_k = g_{k+1} - g_k \quad
              \text{(dropping the oldest pair once there are } m)

    The first trial step is :math:`\alpha = 1` (the quasi-Newton step is well scaled),
    except while the memory is empty (the first iteration, or after a reset), where
    :math:`d_k = -g_k` and the trial is :math:`\min(1, 1/\|g_k\|)`. A pair with
    :math:`s_k^\top y_k \le \epsilon_{mach} |g_k^\top s_k|` is not stored (``skipped``):
    in exact arithmetic the Wolfe conditions rule it out, in floating point it can happen
    near the solution. If a line search
    fails, the memory is cleared and the iteration retried along :math:`-g_k`
    (``resets``); if that fails too the run ends with ``success=False``.

    References
    ----------
    Liu & Nocedal (1989); Nocedal & Wright (2006), Algorithms 7.4 and 7.5.

    Examples
    --------
    >>> from gradlib import functions
    >>> p = functions.rosenbrock()
    >>> res = lbfgs(p.f, p.grad, [-1.2, 1.0])
    >>> res.success, bool(np.allclose(res.x, [1.0, 1.0])), res.nit < 60
    (True, True, True)
    """
    check.function(f, "f")
    check.function(grad, "grad")
    x = check.vector(x0, "x0")
    m = check.integer(m, "m", minimum=1)
    c1, c2 = check.real(c1, "c1"), check.real(c2, "c2")
    if not 0 < c1 < c2 < 1:
        raise ValueError(
            f"c1 and c2 must satisfy 0 < c1 < c2 < 1, got c1={c1!r}, c2={c2!r}"
        )
    tol = check.positive(tol, "tol")
    max_iter = check.integer(max_iter, "max_iter", minimum=0)
    fx, g = _evaluate(f, grad, x)
    return _iterate(f, grad, x, fx, g, _Memory(m), c1, c2, tol, max_iter)


def _search(f, grad, x, fx, g, d, alpha0, c1, c2) -> LineSearchResult:
    return strong_wolfe(f, grad, x, d, c1=c1, c2=c2, alpha0=alpha0, f0=fx, g0=g)


def _iterate(f, grad, x, fx, g, memory, c1, c2, tol, max_iter) -> LBFGSResult:
    """Algorithm 7.5 from the checked start ``x``, ``f(x)``, ``grad(x)``."""
    xs, fs, norms, alphas = [x], [fx], [float(np.linalg.norm(g))], []
    nfev = ngev = 1
    resets, message = 0, f"max_iter={max_iter} iterations reached"
    while norms[-1] > tol and len(alphas) < max_iter:
        d = memory.direction(g)
        first = not memory.s
        ls = _search(
            f, grad, x, fx, g, d, min(1.0, 1 / norms[-1]) if first else 1.0, c1, c2
        )
        nfev, ngev = nfev + ls.nfev, ngev + ls.ngev
        if not ls.success and not first:
            memory.clear()
            resets += 1
            d = -g
            ls = _search(f, grad, x, fx, g, d, min(1.0, 1 / norms[-1]), c1, c2)
            nfev, ngev = nfev + ls.nfev, ngev + ls.ngev
        if not ls.success:
            message = f"line search failed at iteration {len(alphas)}: {ls.message}"
            break
        memory.add(ls.x - x, ls.g - g, float(g @ (ls.x - x)))
        x, fx, g = ls.x, ls.f, ls.g
        xs.append(x)
        fs.append(fx)
        norms.append(float(np.linalg.norm(g)))
        alphas.append(ls.alpha)
    success = bool(norms[-1] <= tol)
    return LBFGSResult(
        x=xs[-1],
        xs=np.array(xs),
        fs=np.array(fs),
        grad_norms=np.array(norms),
        alphas=np.array(alphas),
        nit=len(alphas),
        nfev=nfev,
        ngev=ngev,
        skipped=memory.skipped,
        resets=resets,
        success=success,
        message="the gradient norm reached the tolerance" if success else message,
    )
