r"""Test problems: a function with its gradient, Hessian, known minimizers and plot bounds.

Every function takes points along the last axis: ``x`` of shape ``(n,)`` gives a scalar
value, a gradient of shape ``(n,)`` and a Hessian of shape ``(n, n)``; a batch of shape
``(..., n)`` gives values of shape ``(...)``, gradients ``(..., n)`` and Hessians
``(..., n, n)``. A contour plot evaluates a whole grid in one call.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from . import _validate as check

__all__ = ["Problem", "quadratic", "rosenbrock"]


@dataclass(frozen=True)
class Problem:
    """A differentiable test problem.

    Attributes
    ----------
    name : str
        Short name used in legends and titles.
    f, grad, hess : callable
        Value, gradient and Hessian; each maps an array of shape ``(..., n)`` to shapes
        ``(...)``, ``(..., n)`` and ``(..., n, n)``.
    dim : int
        Number of variables ``n``.
    minimizers : ndarray, shape (k, n)
        Known global minimizers (may be empty, ``k = 0``, when none is known).
    bounds : tuple of (low, high) pairs
        A box that shows the interesting part of the function, one pair per variable.
    start : ndarray, shape (n,)
        A customary starting point for experiments.
    """

    name: str
    f: Callable[[np.ndarray], np.ndarray]
    grad: Callable[[np.ndarray], np.ndarray]
    hess: Callable[[np.ndarray], np.ndarray]
    dim: int
    minimizers: np.ndarray
    bounds: tuple
    start: np.ndarray
    info: dict = field(default_factory=dict)

    @property
    def f_min(self) -> float:
        """The minimum value (``nan`` when no minimizer is known)."""
        if len(self.minimizers) == 0:
            return float("nan")
        return float(self.f(self.minimizers[0]))

    def distance_to_minimizer(self, x) -> np.ndarray:
        """Euclidean distance from ``x`` (shape ``(..., n)``) to the nearest known minimizer."""
        x = np.asarray(x, dtype=float)
        d = np.linalg.norm(x[..., None, :] - self.minimizers, axis=-1)
        return d.min(axis=-1)


def _points(x, dim: int) -> np.ndarray:
    arr = np.asarray(x)
    if not np.issubdtype(arr.dtype, np.number):
        raise TypeError(f"x must be an array of numbers, got dtype {arr.dtype}")
    if arr.ndim == 0 or arr.shape[-1] != dim:
        raise ValueError(f"x must have shape (..., {dim}), got shape {arr.shape}")
    return arr


def quadratic(A=None, b=None, *, kappa: float | None = None, angle: float = 0.0,
              eigenvalues=None) -> Problem:
    r"""The quadratic :math:`f(x) = \tfrac12 x^\top A x - b^\top x`.

    Give either the symmetric positive definite matrix ``A`` directly, or a 2-D problem
    by its condition number ``kappa`` (eigenvalues ``1`` and ``kappa``) or its
    ``eigenvalues``, rotated by ``angle`` radians.

    Parameters
    ----------
    A : array_like, shape (n, n), optional
        Symmetric positive definite matrix.
    b : array_like, shape (n,), optional
        Linear term; zero by default, so the minimizer is the origin.
    kappa : float, optional
        Condition number of a 2-D quadratic with eigenvalues ``1`` and ``kappa``.
    angle : float
        Rotation of the eigenvectors (radians); ``0`` keeps them on the axes.
    eigenvalues : array_like, shape (n,), optional
        Eigenvalues of ``A`` (positive); with ``angle`` for ``n = 2``.

    Notes
    -----
    The gradient is :math:`A x - b`, the Hessian :math:`A`, the minimizer
    :math:`x^\star = A^{-1} b`. The eigenvalues are stored in ``problem.info["eigenvalues"]``.

    Examples
    --------
    >>> p = quadratic(kappa=10.0)
    >>> float(p.f(np.array([1.0, 1.0])))
    5.5
    >>> p.grad(np.array([1.0, 1.0]))
    array([ 1., 10.])
    """
    given = sum(v is not None for v in (A, kappa, eigenvalues))
    if given != 1:
        raise ValueError(f"give exactly one of A, kappa or eigenvalues, got {given}")
    angle = check.real(angle, "angle")
    if A is None:
        if kappa is not None:
            kappa = check.real(kappa, "kappa")
            if kappa < 1:
                raise ValueError(f"kappa must be >= 1, got {kappa!r}")
            lam = np.array([1.0, kappa])
        else:
            lam = check.vector(eigenvalues, "eigenvalues")
            if np.any(lam <= 0):
                raise ValueError(f"eigenvalues must all be > 0, got {lam}")
        n = lam.size
        if angle != 0.0:
            if n != 2:
                raise ValueError(f"angle applies to 2-D quadratics only, got {n} eigenvalues")
            c, s = np.cos(angle), np.sin(angle)
            Q = np.array([[c, -s], [s, c]])
        else:
            Q = np.eye(n)
        A = Q @ np.diag(lam) @ Q.T
        A = (A + A.T) / 2
    else:
        if angle != 0.0:
            raise ValueError("angle applies only with kappa or eigenvalues, not with A")
        try:
            A = np.array(A, dtype=float)
        except (TypeError, ValueError):
            raise TypeError(f"A must be a matrix of numbers, got {A!r}") from None
        if A.ndim != 2 or A.shape[0] != A.shape[1] or A.size == 0:
            raise ValueError(f"A must be a non-empty square matrix, got shape {A.shape}")
        if not np.all(np.isfinite(A)):
            raise ValueError("A must be finite")
        if not np.allclose(A, A.T):
            raise ValueError("A must be symmetric")
        n = A.shape[0]
    lam = np.linalg.eigvalsh(A)
    if lam[0] <= 0:
        raise ValueError(f"A must be positive definite, its smallest eigenvalue is {lam[0]!r}")
    b = np.zeros(n) if b is None else check.vector(b, "b", dim=n)
    x_star = np.linalg.solve(A, b)
    A.setflags(write=False)

    def f(x):
        x = _points(x, n)
        return 0.5 * np.einsum("...i,ij,...j->...", x, A, x) - x @ b

    def grad(x):
        x = _points(x, n)
        return x @ A - b  # A is symmetric, so x A = (A x)^T

    def hess(x):
        x = _points(x, n)
        return np.broadcast_to(A, x.shape[:-1] + (n, n)).copy()

    r = max(2.0, 2.0 * float(np.abs(x_star).max()))
    bounds = tuple((float(c - r), float(c + r)) for c in x_star)
    start = x_star + np.array([-1.5] + [1.0] * (n - 1)) * r / 2
    return Problem(
        name=f"quadratic (kappa={lam[-1] / lam[0]:.3g})", f=f, grad=grad, hess=hess, dim=n,
        minimizers=x_star[None, :], bounds=bounds, start=start,
        info={"A": A, "b": b, "eigenvalues": lam, "kappa": float(lam[-1] / lam[0])},
    )


def rosenbrock(a: float = 1.0, b: float = 100.0) -> Problem:
    r"""Rosenbrock's banana :math:`f(x, y) = (a - x)^2 + b\,(y - x^2)^2`.

    Notes
    -----
    The minimizer is :math:`(a, a^2)` with value 0. The curved valley
    :math:`y = x^2` is easy to find and slow to follow.

    Examples
    --------
    >>> p = rosenbrock()
    >>> float(p.f(np.array([1.0, 1.0])))
    0.0
    """
    a = check.real(a, "a")
    b = check.positive(b, "b")

    def f(x):
        x = _points(x, 2)
        u, v = x[..., 0], x[..., 1]
        return (a - u) ** 2 + b * (v - u**2) ** 2

    def grad(x):
        x = _points(x, 2)
        u, v = x[..., 0], x[..., 1]
        r = v - u**2
        return np.stack([-2 * (a - u) - 4 * b * u * r, 2 * b * r], axis=-1)

    def hess(x):
        x = _points(x, 2)
        u, v = x[..., 0], x[..., 1]
        h11 = 2 - 4 * b * (v - u**2) + 8 * b * u**2
        h12 = -4 * b * u
        h22 = np.full_like(u, 2 * b, dtype=np.result_type(u, float))
        return np.stack([np.stack([h11, h12], -1), np.stack([h12, h22], -1)], -2)

    return Problem(
        name="Rosenbrock", f=f, grad=grad, hess=hess, dim=2,
        minimizers=np.array([[a, a * a]]), bounds=((-2.0, 2.0), (-1.0, 3.0)),
        start=np.array([-1.2, 1.0]), info={"a": a, "b": b},
    )
