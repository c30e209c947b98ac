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
from .linesearch import armijo, strong_wolfe

__all__ = ["BETA_RULES", "LinearCGResult", "NonlinearCGResult", "linear_cg", "nonlinear_cg"]


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
    """

    x: np.ndarray
    nit: int
    xs: np.ndarray
    residual_norms: np.ndarray
    success: bool
    message: str

    @property
    def nfev(self) -> int:
        """Number of products with ``A`` (the analogue of function evaluations): ``nit + 1``."""
        return self.nit + 1


def _matvec(A, n_hint: int | None):
    """Return (matvec, n) for a square matrix or a callable (n from ``n_hint``)."""
    if callable(A):
        return A, n_hint
    try:
        M = check.symmetric_matrix(A, "A")
    except TypeError:
        raise TypeError(f"A must be a square matrix or a callable, got {type(A).__name__}") from None
    return (lambda v: M @ v), M.shape[0]


def linear_cg(A, b, x0=None, tol: float = 1e-10, max_iter: int | None = None) -> LinearCGResult:
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

    Returns
    -------
    LinearCGResult

    Raises
    ------
    ValueError
        For wrong shapes, non-finite input, a non-symmetric matrix, or when a step meets
        :math:`p^\top A p \le 0` (so ``A`` is not positive definite).

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
    b = check.vector(b, "b")
    n = b.size
    matvec, n_A = _matvec(A, n)
    if n_A != n:
        raise ValueError(f"b must have length {n_A} to match A, got length {n}")
    x = np.zeros(n) if x0 is None else check.vector(x0, "x0", dim=n)
    tol = check.positive(tol, "tol")
    max_iter = 10 * n if max_iter is None else check.integer(max_iter, "max_iter", minimum=0)

    def product(v):
        with np.errstate(all="ignore"):
            Av = np.asarray(matvec(v), dtype=float)
        if Av.shape != (n,):
            raise ValueError(f"A(v) must return an array of shape {(n,)}, got shape {Av.shape}")
        return Av

    b_norm = float(np.linalg.norm(b))
    threshold = tol * b_norm if b_norm > 0 else tol
    r = product(x) - b
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
        pAp = float(p @ Ap)
        if pAp <= 0:
            raise ValueError(f"A must be positive definite: p @ A @ p = {pAp!r} <= 0 at iteration {len(xs)}")
        rr = float(r @ r)
        alpha = rr / pAp
        x = x + alpha * p
        r = r + alpha * Ap
        beta = float(r @ r) / rr
        p = -r + beta * p
        xs.append(x)
        norms.append(float(np.linalg.norm(r)))
    return LinearCGResult(x=xs[-1], nit=len(xs) - 1, xs=np.array(xs), residual_norms=np.array(norms),
                          success=success, message=message)


# beta_k from g_new = g_{k+1}, g_old = g_k, d = d_k and y = y_k = g_{k+1} - g_k.
BETA_RULES: dict[str, Callable] = {
    "FR": lambda g_new, g_old, d, y: (g_new @ g_new) / (g_old @ g_old),  # Fletcher-Reeves
    "PR": lambda g_new, g_old, d, y: (g_new @ y) / (g_old @ g_old),  # Polak-Ribiere
    "PR+": lambda g_new, g_old, d, y: max(0.0, (g_new @ y) / (g_old @ g_old)),  # Polak-Ribiere, clipped at 0
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


def nonlinear_cg(f: Callable, grad: Callable, x0, beta: str = "PR+", c1: float = 1e-4, c2: float = 0.1,
                 tol: float = 1e-8, max_iter: int = 1000, restart: int | None = None,
                 line_search: str = "strong_wolfe", *, sample_batch: Callable | None = None,
                 rng=None) -> NonlinearCGResult:
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
        For an unknown ``beta`` or ``line_search``, out-of-range constants, wrong shapes or
        a non-finite value at ``x0``.

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
    descent direction) or :math:`\beta_k` is not finite. The first trial step of each line
    search is :math:`\min(1, 1.01 \cdot 2 (f_k - f_{k-1}) / g_k^\top d_k)` (Nocedal &
    Wright eq. 3.60), and :math:`\min(1, 1/\|g_0\|)` at the start.

    If a line search fails, the iteration retries once along :math:`-g_k`; if that fails
    too, the run ends with ``success=False`` and the line search's message, the last
    iterate unchanged.

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
    Dai & Yuan (1999); Nocedal & Wright (2006), chapter 5.2.

    Examples
    --------
    >>> from gradlib import functions
    >>> p = functions.rosenbrock()
    >>> res = nonlinear_cg(p.f, p.grad, p.start, beta="PR+")
    >>> res.success, bool(np.allclose(res.x, [1.0, 1.0]))
    (True, True)
    """
    if not callable(f):
        raise TypeError(f"f must be callable, got {type(f).__name__}")
    if not callable(grad):
        raise TypeError(f"grad must be callable, got {type(grad).__name__}")
    if not isinstance(beta, str) or beta not in BETA_RULES:
        raise ValueError(f"beta must be one of {sorted(BETA_RULES)}, got {beta!r}")
    if not isinstance(line_search, str) or line_search not in ("strong_wolfe", "armijo"):
        raise ValueError(f"line_search must be 'strong_wolfe' or 'armijo', got {line_search!r}")
    c1 = check.real(c1, "c1")
    c2 = check.real(c2, "c2")
    if not 0 < c1 < c2 < 1:
        raise ValueError(f"c1 and c2 must satisfy 0 < c1 < c2 < 1, got c1={c1!r}, c2={c2!r}")
    x = check.vector(x0, "x0")
    n = x.size
    tol = check.positive(tol, "tol")
    max_iter = check.integer(max_iter, "max_iter", minimum=0)
    restart = n if restart is None else check.integer(restart, "restart", minimum=0)
    if sample_batch is not None and not callable(sample_batch):
        raise TypeError(f"sample_batch must be callable, got {type(sample_batch).__name__}")
    gen = check.rng(rng)
    beta_rule = BETA_RULES[beta]

    def search(fk, gk, x, d, alpha0, fx, g):
        if line_search == "armijo":
            return armijo(fk, gk, x, d, alpha0=alpha0, c1=c1, f0=fx, g0=g)
        return strong_wolfe(fk, gk, x, d, c1=c1, c2=c2, alpha0=alpha0, f0=fx, g0=g)

    def evaluate(fk, gk, x):
        with np.errstate(all="ignore"):
            fx = np.asarray(fk(x), dtype=float)
            g = np.asarray(gk(x), dtype=float)
        if fx.size != 1:
            raise ValueError(f"f(x) must return a scalar, got shape {fx.shape}")
        if g.shape != x.shape:
            raise ValueError(f"grad(x) must return an array of shape {x.shape}, got shape {g.shape}")
        return float(fx.reshape(())), g

    def on_batch(batch):
        return (lambda z: f(z, batch)), (lambda z: grad(z, batch))

    fk, gk = (f, grad) if sample_batch is None else on_batch(sample_batch(gen))
    fx, g = evaluate(fk, gk, x)
    if not (np.isfinite(fx) and np.all(np.isfinite(g))):
        raise ValueError(f"f and grad must be finite at x0, got f(x0) = {fx!r}")
    nfev = ngev = 1
    xs, fs, norms, alphas = [x], [fx], [float(np.linalg.norm(g))], []
    restarts = {"periodic": 0, "not descent": 0, "beta not finite": 0, "line search failed": 0}
    g_old = d = f_old = None
    success, message = False, f"max_iter={max_iter} iterations reached"
    k = 0
    while True:
        if norms[-1] <= tol:
            success, message = True, "the gradient norm reached the tolerance"
            break
        if k >= max_iter:
            break
        # The search direction: -g at the start, else the conjugate direction.
        if d is None:
            d = -g
        else:
            y = g - g_old
            with np.errstate(all="ignore"):
                beta_k = float(beta_rule(g, g_old, d, y))
            if restart and k % restart == 0:
                d, reason = -g, "periodic"
            elif not np.isfinite(beta_k):
                d, reason = -g, "beta not finite"
            else:
                d, reason = -g + beta_k * d, None
                if not (np.all(np.isfinite(d)) and g @ d < 0):
                    d, reason = -g, "not descent"
            if reason is not None:
                restarts[reason] += 1
        # The first trial step (N&W eq. 3.60), then the line search.
        derphi0 = float(g @ d)
        alpha0 = 1.01 * 2 * (fx - f_old) / derphi0 if f_old is not None else 1 / norms[-1]
        alpha0 = min(1.0, alpha0) if alpha0 > 0 else 1.0
        ls = search(fk, gk, x, d, alpha0, fx, g)
        nfev, ngev = nfev + ls.nfev, ngev + ls.ngev
        if not ls.success and not np.array_equal(d, -g):
            restarts["line search failed"] += 1
            d = -g
            ls = search(fk, gk, x, d, min(1.0, 1 / norms[-1]), fx, g)
            nfev, ngev = nfev + ls.nfev, ngev + ls.ngev
        if not ls.success:
            message = f"line search failed at iteration {k}: {ls.message}"
            break
        k += 1
        g_old, f_old, x = g, fx, ls.x
        if sample_batch is None:
            fx, g = ls.f, ls.g
        else:
            fk, gk = on_batch(sample_batch(gen))
            fx, g = evaluate(fk, gk, x)
            nfev, ngev = nfev + 1, ngev + 1
        xs.append(x)
        fs.append(fx)
        norms.append(float(np.linalg.norm(g)))
        alphas.append(ls.alpha)
        if not (np.isfinite(fx) and np.all(np.isfinite(g))):
            message = f"non-finite value on the mini-batch at iteration {k}"
            break
    return NonlinearCGResult(
        x=xs[-1], xs=np.array(xs), fs=np.array(fs), grad_norms=np.array(norms), alphas=np.array(alphas),
        nit=k, nfev=nfev, ngev=ngev, restarts=restarts, success=success, message=message,
    )
