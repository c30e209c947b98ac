r"""Newton's method and saddle-free Newton: steps that use the Hessian.

Newton's step :math:`-H^{-1} g` jumps to the critical point of the local quadratic model,
whatever its kind: near a saddle it is attracted to the saddle. Saddle-free Newton
(Dauphin et al., 2014) rescales the gradient by :math:`|H|^{-1}` instead, where
:math:`|H|` has the eigenvectors of :math:`H` and the absolute values of its eigenvalues:
along positive curvature it is Newton's step, along negative curvature it goes downhill
instead of uphill.

Both are available as single steps (:func:`newton_step`, :func:`saddle_free_step`) and
as an optimizer for the one loop, :class:`Newton`, which holds the Hessian function as a
hyperparameter: ``gl.run(Newton(problem.hess), problem, x0, steps=5)``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from . import _validate as check
from .optimizers import LearningRate, Optimizer

__all__ = ["newton_step", "saddle_free_step", "Newton", "NewtonState"]


def _hessian(hess: Callable, x: np.ndarray) -> np.ndarray:
    """``hess(x)``, checked to have shape ``x.shape + (n,)``."""
    with np.errstate(all="ignore"):
        H = np.asarray(hess(x), dtype=float)
    want = x.shape + x.shape[-1:]
    if H.shape != want:
        raise ValueError(
            f"hess(x) must return an array of shape {want}, got shape {H.shape}"
        )
    return H


def _newton_direction(g: np.ndarray, H: np.ndarray) -> np.ndarray:
    """:math:`-H^{-1} g` for a batch of points; ``nan`` where ``H`` is singular or not finite."""
    try:
        return -np.linalg.solve(H, g[..., None])[..., 0]
    except np.linalg.LinAlgError:
        return np.full_like(g, np.nan)


def _saddle_free_direction(g: np.ndarray, H: np.ndarray, floor: float) -> np.ndarray:
    """:math:`-|H|^{-1} g` with the eigenvalues' absolute values floored at ``floor``."""
    if not np.all(np.isfinite(H)):
        return np.full_like(g, np.nan)
    lam, V = np.linalg.eigh(H)
    coords = np.einsum("...ji,...j->...i", V, g)  # V^T g
    return -np.einsum("...ij,...j->...i", V, coords / np.maximum(np.abs(lam), floor))


def _point(grad: Callable, x) -> tuple[np.ndarray, np.ndarray]:
    check.function(grad, "grad")
    x = check.array(x, "x")
    if x.ndim == 0:
        raise ValueError(f"x must have at least one dimension, got shape {x.shape}")
    with np.errstate(all="ignore"):
        g = np.asarray(grad(x), dtype=float)
    if g.shape != x.shape:
        raise ValueError(
            f"grad(x) must return an array of shape {x.shape}, got shape {g.shape}"
        )
    return x, g


def newton_step(grad: Callable, hess: Callable, x) -> np.ndarray:
    r"""Newton's step :math:`p = -H(x)^{-1} \nabla f(x)`.

    Parameters
    ----------
    grad, hess : callable
        Gradient ``grad(x) -> (..., n)`` and Hessian ``hess(x) -> (..., n, n)``.
    x : array_like, shape (n,) or (..., n)
        A point, or a batch of points.

    Returns
    -------
    ndarray, shape of ``x``
        The step :math:`p` (the new point is ``x + p``); ``nan`` when the Hessian is
        singular, since there is no Newton step then.

    Notes
    -----
    :math:`p` solves :math:`H p = -g`: it is the critical point of the quadratic model
    :math:`m(p) = f + g^\top p + \tfrac12 p^\top H p`. On a quadratic that model is exact,
    so ``x + p`` is the critical point in one step: the minimizer if :math:`H` is positive
    definite, the saddle if it is indefinite. :math:`p` is a descent direction only when
    :math:`H` is positive definite.

    References
    ----------
    Nocedal & Wright (2006), section 3.3; Dauphin et al. (2014).

    Examples
    --------
    At the saddle :math:`x^2 - y^2` Newton's step leads to the saddle point:

    >>> from gradlib import functions
    >>> p = functions.saddle()
    >>> newton_step(p.grad, p.hess, [1.0, 0.5])
    array([-1. , -0.5])
    """
    x, g = _point(grad, x)
    return _newton_direction(g, _hessian(check.function(hess, "hess"), x))


def saddle_free_step(
    grad: Callable, hess: Callable, x, floor: float = 1e-8
) -> np.ndarray:
    r"""The saddle-free Newton step :math:`p = -|H(x)|^{-1} \nabla f(x)`.

    Parameters
    ----------
    grad, hess : callable
        Gradient ``grad(x) -> (..., n)`` and Hessian ``hess(x) -> (..., n, n)``.
    x : array_like, shape (n,) or (..., n)
        A point, or a batch of points.
    floor : float
        Smallest curvature used (> 0): eigenvalues with :math:`|\lambda_i| <` ``floor``
        are replaced by ``floor``, which bounds the step along flat directions.

    Returns
    -------
    ndarray, shape of ``x``
        The step :math:`p` (the new point is ``x + p``).

    Notes
    -----
    With the eigen-decomposition :math:`H = V \Lambda V^\top`:

    .. math::

        |H| = V\, \operatorname{diag}\bigl(\max(|\lambda_i|, \text{floor})\bigr) V^\top,
        \qquad p = -|H|^{-1} g = -\sum_i \frac{v_i^\top g}{\max(|\lambda_i|, \text{floor})}\, v_i.

    Along an eigenvector with :math:`\lambda_i > 0` this is Newton's step; with
    :math:`\lambda_i < 0` it has the opposite sign, so it moves downhill, away from a
    saddle, by the amount Newton's step would have moved uphill. :math:`p^\top g =
    -g^\top |H|^{-1} g < 0`: always a descent direction. When every :math:`|\lambda_i|
    \ge` ``floor`` and :math:`H` is positive definite, :math:`p` is Newton's step. Dauphin
    et al. damp :math:`|H|` by adding a constant to its eigenvalues and work in a Krylov
    subspace for large problems; here the full eigen-decomposition is used and the floor
    (which leaves well-curved directions untouched) plays the part of the damping.

    References
    ----------
    Dauphin et al. (2014).

    Examples
    --------
    At the saddle :math:`x^2 - y^2` the step keeps Newton's move along :math:`x` and
    reverses it along :math:`y`, the direction of negative curvature:

    >>> from gradlib import functions
    >>> p = functions.saddle()
    >>> saddle_free_step(p.grad, p.hess, [1.0, 0.5])
    array([-1. ,  0.5])
    """
    floor = check.positive(floor, "floor")
    x, g = _point(grad, x)
    return _saddle_free_direction(g, _hessian(check.function(hess, "hess"), x), floor)


class NewtonState(NamedTuple):
    """State of :class:`Newton`: only the step counter."""

    t: int


@dataclass(frozen=True)
class Newton(Optimizer):
    r"""Newton's method or saddle-free Newton, as an optimizer for :func:`gradlib.run`.

    Parameters
    ----------
    hess : callable
        The Hessian ``hess(x) -> (..., n, n)`` of the objective that ``run`` differentiates.
    lr : float or callable
        Step size :math:`\eta` (1 for the full step; a schedule is accepted).
    form : {"newton", "saddle_free"}
        Which step to take.
    floor : float
        Smallest curvature of the saddle-free step (> 0; see :func:`saddle_free_step`).

    Notes
    -----
    The optimizer protocol passes only the gradient, so the Hessian function is a
    hyperparameter, evaluated in ``step`` at the current point:

    .. math::

        x \leftarrow x - \eta\, H(x)^{-1} g \quad\text{or}\quad
        x \leftarrow x - \eta\, |H(x)|^{-1} g.

    A singular Hessian gives a ``nan`` Newton step, which ``run`` reports as divergence.
    Batches of starting points (``x0`` of shape ``(k, n)``) work when ``hess`` accepts
    them, as the test functions do.

    References
    ----------
    Nocedal & Wright (2006), section 3.3; Dauphin et al. (2014).

    Examples
    --------
    >>> from gradlib import run, functions
    >>> p = functions.saddle()
    >>> run(Newton(p.hess), p, [1.0, 0.5], steps=1).xs
    array([[1. , 0.5],
           [0. , 0. ]])
    >>> run(Newton(p.hess, form="saddle_free"), p, [1.0, 0.5], steps=2).xs
    array([[1. , 0.5],
           [0. , 1. ],
           [0. , 2. ]])
    """

    hess: Callable
    lr: LearningRate = 1.0
    form: str = "newton"
    floor: float = 1e-8
    state_type = NewtonState
    forms = ("newton", "saddle_free")

    def __post_init__(self):
        self._set(
            hess=check.function(self.hess, "hess"),
            lr=check.learning_rate(self.lr),
            form=check.choice(self.form, "form", self.forms),
            floor=check.positive(self.floor, "floor"),
        )

    def init(self, x) -> NewtonState:
        self._start(x)
        return NewtonState(t=0)

    def step(self, x, g, state: NewtonState):
        x, g = self._check_step(x, g, state)
        t = state.t + 1
        H = _hessian(self.hess, x)
        if self.form == "newton":
            p = _newton_direction(g, H)
        else:
            p = _saddle_free_direction(g, H, self.floor)
        x = x + self.lr_at(t) * p
        return x, NewtonState(t)
