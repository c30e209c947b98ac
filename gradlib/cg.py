r"""Conjugate gradients: linear CG for symmetric positive definite systems, nonlinear CG.

``linear_cg`` solves :math:`A x = b`, that is, minimizes the quadratic
:math:`\tfrac12 x^\top A x - b^\top x`, with the residual :math:`r = A x - b` playing the
part of the gradient. ``nonlinear_cg`` carries the same recurrence over to any smooth
:math:`f`, with a line search in place of the exact step and a choice of formula for
:math:`\beta_k` (``BETA_RULES``).

Failure channels: bad input raises ``TypeError`` / ``ValueError``; a run that does not
reach the tolerance (too many iterations, a failed line search, a non-finite value)
returns a result with ``success=False`` and a ``message`` saying why.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from . import _validate as check
from .linesearch import (
    LineSearchResult,
    _gradient,
    _value,
    _wolfe_constants,
    armijo,
    strong_wolfe,
)

__all__ = [
    "BETA_RULES",
    "INITIAL_STEPS",
    "LinearCGResult",
    "NonlinearCGResult",
    "linear_cg",
    "nonlinear_cg",
]


@dataclass(frozen=True)
class LinearCGResult:
    """What linear CG did.

    Attributes
    ----------
    x : ndarray, shape (n,)
        The last iterate.
    nit : int
        Number of iterations (matrix-vector products after the first residual).
    xs : ndarray, shape (nit + 1, n)
        The starting point and every iterate.
    residual_norms : ndarray, shape (nit + 1,)
        :math:`\\|A x_k - b\\|` at every iterate.
    success : bool
        True when the residual norm reached the tolerance.
    message : str
        How the run ended.
    nfev : int
        Number of products with ``A`` (the analogue of function evaluations): ``nit``, plus one
        for :math:`A x_0` when a starting point is given (with :math:`x_0 = 0`, :math:`r_0 = -b`).
    """

    x: np.ndarray
    nit: int
    xs: np.ndarray
    residual_norms: np.ndarray
    success: bool
    message: str
    nfev: int = 0


def _system(A, b) -> tuple[Callable, np.ndarray]:
    """The product with ``A`` (a symmetric matrix or a callable) and ``b`` of the matching length."""
    if callable(A):
        return A, check.vector(b, "b")
    try:
        M = check.symmetric_matrix(A, "A")
    except TypeError:
        raise check.fail(TypeError, "A", "a square matrix or a callable", A) from None
    return (lambda v: M @ v), check.vector(b, "b", dim=M.shape[0])


def linear_cg(
    A,
    b,
    x0=None,
    tol: float = 1e-10,
    max_iter: int | None = None,
    negative_curvature: str = "raise",
) -> LinearCGResult:
    r"""Solve :math:`A x = b` for symmetric positive definite :math:`A` by conjugate gradients.

    Parameters
    ----------
    A : array_like, shape (n, n), or callable
        The matrix, or a function ``A(v)`` returning the product :math:`A v` (shape ``(n,)``).
    b : array_like, shape (n,)
        Right-hand side.
    x0 : array_like, shape (n,), optional
        Starting point; zero by default.
    tol : float
        Stop when :math:`\|r_k\| \le` ``tol`` :math:`\cdot \|b\|` (absolute when ``b = 0``).
    max_iter : int, optional
        Maximum number of iterations; ``10 n`` by default (in exact arithmetic ``n`` suffice,
        in floating point an ill-conditioned system can need more).
    negative_curvature : {"raise", "stop"}
        What to do when a direction has :math:`p^\top A p \le 0`: raise (``A`` is not positive
        definite), or stop and return the iterate reached so far with ``success=False`` (the
        truncated CG of Hessian-free and trust-region methods, where ``A`` is a Hessian that
        need not be positive definite).

    Returns
    -------
    LinearCGResult

    Raises
    ------
    ValueError
        For wrong shapes, non-finite input, a non-symmetric matrix, or (with
        ``negative_curvature="raise"``) when a step meets :math:`p^\top A p \le 0`.

    Notes
    -----
    Nocedal & Wright, Algorithm 5.2, with :math:`r_0 = A x_0 - b`, :math:`p_0 = -r_0`:

    .. math::

        \alpha_k &= r_k^\top r_k / p_k^\top A p_k \\
        x_{k+1} &= x_k + \alpha_k p_k \\
        r_{k+1} &= r_k + \alpha_k A p_k \\
        \beta_{k+1} &= r_{k+1}^\top r_{k+1} / r_k^\top r_k \\
        p_{k+1} &= -r_{k+1} + \beta_{k+1} p_k

    In exact arithmetic the iteration ends in at most as many steps as :math:`A` has
    distinct eigenvalues (at most :math:`n`).

    References
    ----------
    Hestenes & Stiefel (1952); Nocedal & Wright (2006), chapter 5.

    Examples
    --------
    >>> res = linear_cg(np.diag([1.0, 2.0, 3.0]), np.ones(3))
    >>> res.nit, res.success, bool(np.allclose(res.x, [1.0, 0.5, 1 / 3]))
    (3, True, True)
    """
    matvec, b = _system(A, b)
    n = b.size
    x = np.zeros(n) if x0 is None else check.vector(x0, "x0", dim=n)
    check.choice(negative_curvature, "negative_curvature", ("raise", "stop"))
    tol = check.positive(tol, "tol")
    max_iter = (
        10 * n if max_iter is None else check.integer(max_iter, "max_iter", minimum=0)
    )

    def product(v):
        with np.errstate(all="ignore"):
            Av = np.asarray(matvec(v), dtype=float)
        if Av.shape != (n,):
            raise ValueError(
                f"A(v) must return an array of shape {(n,)}, got shape {Av.shape}"
            )
        return Av

    b_norm = float(np.linalg.norm(b))
    threshold = tol * b_norm if b_norm > 0 else tol
    products = 0 if x0 is None else 1
    r = -b.copy() if x0 is None else product(x) - b
    p = -r
    xs, norms = [x], [float(np.linalg.norm(r))]
    success, message = False, f"max_iter={max_iter} iterations reached"
    for _ in range(max_iter + 1):
        if not np.isfinite(norms[-1]):
            message = "non-finite residual: A(v) returned a non-finite value"
            break
        if norms[-1] <= threshold:
            success, message = True, "the residual norm reached the tolerance"
            break
        if len(xs) > max_iter:
            break
        Ap = product(p)
        products += 1
        pAp = float(p @ Ap)
        if not np.isfinite(pAp):
            message = "non-finite product: A(v) returned a non-finite value"
            break
        if pAp <= 0 and negative_curvature == "stop":
            message = f"negative curvature p @ A @ p = {pAp!r} at iteration {len(xs)}"
            break
        if pAp <= 0:
            raise ValueError(
                f"A must be positive definite, got p @ A @ p = {pAp!r} <= 0 "
                f"at iteration {len(xs)}"
            )
        rr = float(r @ r)
        alpha = rr / pAp
        x = x + alpha * p
        r = r + alpha * Ap
        beta = float(r @ r) / rr
        p = -r + beta * p
        xs.append(x)
        norms.append(float(np.linalg.norm(r)))
    return LinearCGResult(
        x=xs[-1],
        nit=len(xs) - 1,
        xs=np.array(xs),
        residual_norms=np.array(norms),
        success=success,
        message=message,
        nfev=products,
    )


# beta_k from g_new = g_{k+1}, g_old = g_k, d = d_k and y = y_k = g_{k+1} - g_k.
BETA_RULES: dict[str, Callable] = {
    "FR": lambda g_new, g_old, d, y: (
        (g_new @ g_new) / (g_old @ g_old)
    ),  # Fletcher-Reeves
    "PR": lambda g_new, g_old, d, y: (g_new @ y) / (g_old @ g_old),  # Polak-Ribiere
    "PR+": lambda g_new, g_old, d, y: max(
        0.0, (g_new @ y) / (g_old @ g_old)
    ),  # Polak-Ribiere, clipped at 0
    "HS": lambda g_new, g_old, d, y: (g_new @ y) / (d @ y),  # Hestenes-Stiefel
    "DY": lambda g_new, g_old, d, y: (g_new @ g_new) / (d @ y),  # Dai-Yuan
}


@dataclass(frozen=True)
class NonlinearCGResult:
    """What nonlinear CG did.

    Attributes
    ----------
    x : ndarray, shape (n,)
        The last iterate.
    xs : ndarray, shape (nit + 1, n)
        The starting point and every iterate.
    fs : ndarray, shape (nit + 1,)
        Objective values at ``xs`` (on that iteration's mini-batch in a stochastic run).
    grad_norms : ndarray, shape (nit + 1,)
        Gradient norms at ``xs`` (likewise).
    alphas : ndarray, shape (nit,)
        Accepted step lengths.
    nit : int
        Number of iterations (accepted line searches).
    nfev, ngev : int
        Objective and gradient evaluations, line searches included.
    restarts : dict
        How often the direction was reset to :math:`-g` after the first iteration, by reason:
        ``"periodic"``, ``"not descent"``, ``"beta not finite"``, ``"line search failed"``.
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
    restarts: dict
    success: bool
    message: str


INITIAL_STEPS = ("previous", "newton_cap")
"""Rules for the first trial step of each line search of :func:`nonlinear_cg`."""

_ALPHA_MAX = 1e10  # the longest step a line search of nonlinear_cg may try

_RESTART_REASONS = ("periodic", "not descent", "beta not finite", "line search failed")


def nonlinear_cg(
    f: Callable,
    grad: Callable,
    x0,
    beta: str = "PR+",
    c1: float = 1e-4,
    c2: float = 0.1,
    tol: float = 1e-8,
    max_iter: int = 1000,
    restart: int | None = None,
    line_search: str = "strong_wolfe",
    *,
    initial_step: str = "previous",
    sample_batch: Callable | None = None,
    rng=None,
) -> NonlinearCGResult:
    r"""Minimize a smooth function by nonlinear conjugate gradients.

    Parameters
    ----------
    f, grad : callable
        Objective and gradient: ``f(x)``, ``grad(x)``; or, with ``sample_batch``,
        ``f(x, batch)``, ``grad(x, batch)``.
    x0 : array_like, shape (n,)
        Starting point.
    beta : {"FR", "PR", "PR+", "HS", "DY"}
        Formula for :math:`\beta_k` (see ``BETA_RULES`` and Notes).
    c1, c2 : float
        Line-search constants, ``0 < c1 < c2 < 1`` (``c2`` is unused by ``"armijo"``).
        Fletcher-Reeves needs ``c2 < 1/2`` to guarantee descent directions.
    tol : float
        Stop when :math:`\|g_k\| \le` ``tol``.
    max_iter : int
        Maximum number of iterations.
    restart : int, optional
        Reset the direction to :math:`-g` every ``restart`` iterations; ``None`` means
        ``n`` (the dimension), ``0`` disables periodic restarts.
    line_search : {"strong_wolfe", "armijo"}
        The line search (:mod:`gradlib.linesearch`).
    initial_step : {"previous", "newton_cap"}
        The first trial step :math:`\alpha_0` of each line search (see Notes).
    sample_batch : callable, optional
        ``sample_batch(rng)`` returns a mini-batch (anything ``f`` and ``grad`` accept as
        their second argument). When given, the run is stochastic: see Notes.
    rng : None, int or numpy.random.Generator
        Source of randomness for ``sample_batch``.

    Returns
    -------
    NonlinearCGResult

    Raises
    ------
    ValueError
        For an unknown ``beta``, ``line_search`` or ``initial_step``, out-of-range
        constants, wrong shapes or a non-finite value at ``x0``.

    Notes
    -----
    With :math:`g_k = \nabla f(x_k)` and :math:`d_0 = -g_0`:

    .. math::

        x_{k+1} &= x_k + \alpha_k d_k \quad (\alpha_k \text{ from the line search}) \\
        y_k &= g_{k+1} - g_k \\
        d_{k+1} &= -g_{k+1} + \beta_k d_k

    with, by name, Fletcher-Reeves :math:`\beta_k = \|g_{k+1}\|^2 / \|g_k\|^2`,
    Polak-Ribiere :math:`g_{k+1}^\top y_k / \|g_k\|^2`, PR+ :math:`\max(0, \beta^{PR})`,
    Hestenes-Stiefel :math:`g_{k+1}^\top y_k / d_k^\top y_k`, Dai-Yuan
    :math:`\|g_{k+1}\|^2 / d_k^\top y_k`. The direction restarts at :math:`-g_{k+1}`
    every ``restart`` iterations, whenever :math:`g_{k+1}^\top d_{k+1} \ge 0` (not a
    descent direction) or :math:`\beta_k` is not finite.

    **The first trial step.** CG's directions are not scaled like a Newton step, so
    :math:`\alpha = 1` means nothing special: the accepted steps can be far above 1 (a
    median of about 24 on the logistic regression of chapter 15). ``"previous"`` (the
    default) assumes that the first-order change along the new direction equals the
    previous step's (Nocedal & Wright, section 3.5, "Initial step length"):

    .. math:: \alpha_0 = \alpha_{k-1}\, \frac{g_{k-1}^\top d_{k-1}}{g_k^\top d_k},

    and :math:`\alpha_0 = 1/\|g_0\|` (a first move of length 1) at the start.
    ``"newton_cap"`` takes the minimizer of the quadratic through :math:`f_{k-1}, f_k` and
    :math:`g_k^\top d_k` (N&W eq. 3.60), capped as N&W advise for Newton and quasi-Newton
    methods, so that their natural step 1 is tried:

    .. math:: \alpha_0 = \min\Bigl(1,\ 1.01 \cdot \frac{2 (f_k - f_{k-1})}{g_k^\top d_k}\Bigr),

    and :math:`\min(1, 1/\|g_0\|)` at the start. For CG the cap only makes the strong
    Wolfe search double its way up from 1: on the logistic regression above it costs 6.6
    gradient evaluations per iteration instead of 1.8. SciPy's ``minimize(method="CG")``
    applies the cap because its Wolfe search is shared with BFGS; ``"newton_cap"``
    reproduces that choice. Neither rule tries a step beyond ``1e10``.

    If a line search fails, the iteration retries once along :math:`-g_k` (with the
    rule's start-up step); if that fails too, the run ends with ``success=False`` and the
    line search's message, the last iterate unchanged.

    **Stochastic runs.** With ``sample_batch``, each iteration draws one mini-batch
    :math:`B_k` = ``sample_batch(rng)`` and uses it throughout: :math:`f_k` and
    :math:`g_k` are evaluated at :math:`x_k` on :math:`B_k` (so :math:`y_k` mixes two
    batches), and the line search minimizes the mini-batch objective along
    :math:`d_k`. This is the naive stochastic version, kept on purpose to show what goes
    wrong; ``fs`` and ``grad_norms`` are mini-batch values (evaluate the full objective
    on ``xs`` to see the true progress).

    References
    ----------
    Fletcher & Reeves (1964); Polak & Ribiere (1969); Hestenes & Stiefel (1952);
    Dai & Yuan (1999); Nocedal & Wright (2006), sections 3.5 and 5.2.

    Examples
    --------
    >>> from gradlib import functions
    >>> p = functions.rosenbrock()
    >>> res = nonlinear_cg(p.f, p.grad, p.start, beta="PR+")
    >>> res.success, bool(np.allclose(res.x, [1.0, 1.0]))
    (True, True)
    """
    f, grad = check.function(f, "f"), check.function(grad, "grad")
    beta_rule = BETA_RULES[check.choice(beta, "beta", tuple(BETA_RULES))]
    line_search = check.choice(line_search, "line_search", ("strong_wolfe", "armijo"))
    c1, c2 = _wolfe_constants(c1, c2)
    initial_step = check.choice(initial_step, "initial_step", INITIAL_STEPS)
    x = check.vector(x0, "x0")
    tol = check.positive(tol, "tol")
    max_iter = check.integer(max_iter, "max_iter", minimum=0)
    restart = (
        x.size if restart is None else check.integer(restart, "restart", minimum=0)
    )
    sample_batch = (
        None if sample_batch is None else check.function(sample_batch, "sample_batch")
    )
    objective = _Objective(f, grad, sample_batch, check.rng(rng), line_search, c1, c2)
    fx, g = objective.evaluate(x)
    if not (np.isfinite(fx) and np.all(np.isfinite(g))):
        raise ValueError(f"f and grad must be finite at x0, got f(x0) = {fx!r}")
    run = _History(x, fx, g)
    d = g_old = last = None  # last: (alpha, g @ d, f) of the previous iteration
    message = None
    while message is None and run.norms[-1] > tol and run.nit < max_iter:
        d, reason = _direction(beta_rule, g, g_old, d, run.nit, restart)
        run.restart(reason)
        ls = run.count(
            objective.search(x, d, _first_trial(initial_step, g, d, fx, last), fx, g)
        )
        if not ls.success and not np.array_equal(d, -g):  # retry once along -g
            run.restart("line search failed")
            d = -g
            ls = run.count(
                objective.search(
                    x, d, _first_trial(initial_step, g, d, fx, None), fx, g
                )
            )
        if not ls.success:
            message = f"line search failed at iteration {run.nit}: {ls.message}"
            break
        g_old, last, x = g, (ls.alpha, float(g @ d), fx), ls.x
        fx, g = (
            (ls.f, ls.g) if sample_batch is None else run.count(objective.next_batch(x))
        )
        run.add(x, fx, g, ls.alpha)
        if not (np.isfinite(fx) and np.all(np.isfinite(g))):
            message = f"non-finite value on the mini-batch at iteration {run.nit}"
    if message is None and run.norms[-1] <= tol:
        return run.result(True, "the gradient norm reached the tolerance")
    return run.result(False, message or f"max_iter={max_iter} iterations reached")


def _direction(beta_rule: Callable, g, g_old, d, k: int, restart: int):
    """The search direction d_k and why it was reset to -g_k (None when it was not)."""
    if d is None:
        return -g, None
    with np.errstate(all="ignore"):
        beta_k = float(beta_rule(g, g_old, d, g - g_old))
    if restart and k % restart == 0:
        return -g, "periodic"
    if not np.isfinite(beta_k):
        return -g, "beta not finite"
    d = -g + beta_k * d
    if not (np.all(np.isfinite(d)) and g @ d < 0):
        return -g, "not descent"
    return d, None


def _first_trial(rule: str, g, d, fx: float, last) -> float:
    """alpha_0 of the line search along ``d``; ``last`` is (alpha, g @ d, f) of the previous iteration."""
    derphi0 = float(g @ d)
    if last is None:  # a first move of length 1 along d = -g
        alpha0 = 1.0 / float(np.linalg.norm(g))
        return min(1.0, alpha0) if rule == "newton_cap" else min(alpha0, _ALPHA_MAX)
    alpha_prev, derphi_prev, f_prev = last
    if (
        rule == "newton_cap"
    ):  # N&W eq. 3.60 with the cap of Newton-type methods, as in SciPy
        alpha0 = 1.01 * 2 * (fx - f_prev) / derphi0
        return min(1.0, alpha0) if alpha0 > 0 else 1.0
    alpha0 = (
        alpha_prev * derphi_prev / derphi0
    )  # the same first-order change as the previous step
    return (
        min(alpha0, _ALPHA_MAX)
        if alpha0 > 0
        else min(1.0 / float(np.linalg.norm(g)), _ALPHA_MAX)
    )


class _Objective:
    """f and grad of the current iteration (on its mini-batch in a stochastic run), and the line search."""

    def __init__(
        self,
        f: Callable,
        grad: Callable,
        sample_batch: Callable | None,
        gen: np.random.Generator,
        line_search: str,
        c1: float,
        c2: float,
    ):
        self._f, self._grad, self._sample, self._gen = f, grad, sample_batch, gen
        self.line_search, self.c1, self.c2 = line_search, c1, c2
        self.f, self.grad = f, grad
        if sample_batch is not None:
            self._draw()

    def _draw(self) -> None:
        batch = self._sample(self._gen)
        self.f, self.grad = (
            (lambda z: self._f(z, batch)),
            (lambda z: self._grad(z, batch)),
        )

    def evaluate(self, x) -> tuple[float, np.ndarray]:
        """f and its gradient at ``x``."""
        return _value(self.f, x), _gradient(self.grad, x)

    def next_batch(self, x) -> tuple[float, np.ndarray]:
        """Draw the next mini-batch; f and its gradient at ``x`` on it."""
        self._draw()
        return self.evaluate(x)

    def search(self, x, d, alpha0: float, fx: float, g) -> LineSearchResult:
        """The line search along ``d`` from ``x`` (where f and its gradient are ``fx`` and ``g``)."""
        if self.line_search == "armijo":
            return armijo(
                self.f, self.grad, x, d, alpha0=alpha0, c1=self.c1, f0=fx, g0=g
            )
        return strong_wolfe(
            self.f,
            self.grad,
            x,
            d,
            c1=self.c1,
            c2=self.c2,
            alpha0=alpha0,
            alpha_max=_ALPHA_MAX,
            f0=fx,
            g0=g,
        )


class _History:
    """The growing record of a nonlinear CG run, with its evaluation and restart counts."""

    def __init__(self, x, fx: float, g):
        self.xs, self.fs, self.norms, self.alphas = (
            [x],
            [fx],
            [float(np.linalg.norm(g))],
            [],
        )
        self.nfev = self.ngev = 1
        self.restarts = dict.fromkeys(_RESTART_REASONS, 0)

    @property
    def nit(self) -> int:
        return len(self.alphas)

    def restart(self, reason: str | None) -> None:
        if reason is not None:
            self.restarts[reason] += 1

    def count(self, evaluation):
        """Count the evaluations of a line search, or of one (f, grad) pair on a new batch."""
        if isinstance(evaluation, LineSearchResult):
            self.nfev, self.ngev = (
                self.nfev + evaluation.nfev,
                self.ngev + evaluation.ngev,
            )
        else:
            self.nfev, self.ngev = self.nfev + 1, self.ngev + 1
        return evaluation

    def add(self, x, fx: float, g, alpha: float) -> None:
        self.xs.append(x)
        self.fs.append(fx)
        self.norms.append(float(np.linalg.norm(g)))
        self.alphas.append(alpha)

    def result(self, success: bool, message: str) -> NonlinearCGResult:
        return NonlinearCGResult(
            x=self.xs[-1],
            xs=np.array(self.xs),
            fs=np.array(self.fs),
            grad_norms=np.array(self.norms),
            alphas=np.array(self.alphas),
            nit=self.nit,
            nfev=self.nfev,
            ngev=self.ngev,
            restarts=self.restarts,
            success=success,
            message=message,
        )
