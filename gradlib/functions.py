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

__all__ = [
    "Problem",
    "FiniteSumProblem",
    "finite_sum",
    "logistic_loss",
    "quadratic",
    "rosenbrock",
    "square",
    "random_spd",
    "beale",
    "himmelblau",
    "booth",
    "saddle",
    "monkey_saddle",
    "plateau",
    "styblinski_tang",
]


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
        """Euclidean distance from ``x`` (shape ``(..., n)``) to the nearest known minimizer.

        ``nan`` when no minimizer is known.
        """
        x = np.asarray(x, dtype=float)
        if len(self.minimizers) == 0:
            return np.full(x.shape[:-1], np.nan)
        d = np.linalg.norm(x[..., None, :] - self.minimizers, axis=-1)
        return d.min(axis=-1)


@dataclass(frozen=True)
class FiniteSumProblem(Problem):
    r"""A problem whose objective is a mean over examples, :math:`f(x) = \frac1n \sum_i f_i(x)`.

    :func:`gradlib.run` draws mini-batches of it when given ``batch_size``.

    Attributes
    ----------
    n_examples : int
        Number of examples :math:`n`.
    batch_fn : callable
        ``batch_fn(x, idx)`` returns the mean loss and its gradient over the examples
        ``idx`` (an integer index array), as a pair ``(float, ndarray of the shape of x)``.
    """

    n_examples: int = 1
    batch_fn: Callable | None = None

    def batch_grad(self, x, idx) -> np.ndarray:
        """Gradient of the mean loss over the examples ``idx`` (an integer index array)."""
        return self.batch_fn(x, _indices(idx, self.n_examples))[1]

    def batch_loss(self, x, idx) -> float:
        """Mean loss over the examples ``idx``."""
        return self.batch_fn(x, _indices(idx, self.n_examples))[0]


def _indices(idx, n: int) -> np.ndarray:
    """``idx`` as an index array into ``n`` examples (a local check: it runs on every mini-batch)."""
    arr = np.asarray(idx)
    if (
        arr.dtype.kind not in "iu"
        or arr.ndim != 1
        or arr.size == 0
        or arr.min() < 0
        or arr.max() >= n
    ):
        raise check.fail(
            ValueError,
            "idx",
            f"a non-empty one-dimensional array of integers in 0..{n - 1}",
            idx,
        )
    return arr


def finite_sum(
    batch_fn: Callable,
    n_examples: int,
    dim: int,
    *,
    name: str = "finite sum",
    start=None,
    minimizers=None,
    bounds=(),
    info: dict | None = None,
) -> FiniteSumProblem:
    """Make a :class:`FiniteSumProblem` from a function of a batch of examples.

    Parameters
    ----------
    batch_fn : callable
        ``batch_fn(x, idx)`` returns ``(mean loss, gradient)`` over the examples ``idx``.
    n_examples, dim : int
        Number of examples and of parameters.
    name : str
        Short name used in legends and titles.
    start : array_like, shape (dim,), optional
        Customary starting point (zeros by default).
    minimizers : array_like, shape (k, dim), optional
        Known minimizers (none by default).
    bounds : tuple
        Plot bounds (none by default).
    info : dict, optional
        Anything worth keeping with the problem (copied into ``problem.info``).

    Examples
    --------
    >>> X = np.array([[1.0], [2.0], [3.0]]); y = np.array([1.0, 2.0, 3.0])
    >>> def batch(w, idx):
    ...     r = X[idx] @ w - y[idx]
    ...     return 0.5 * np.mean(r**2), X[idx].T @ r / len(idx)
    >>> prob = finite_sum(batch, 3, 1, name="least squares")
    >>> prob.f(np.array([1.0])), prob.grad(np.array([0.0]))
    (0.0, array([-4.66666667]))
    """
    batch_fn = check.function(batch_fn, "batch_fn")
    n = check.integer(n_examples, "n_examples", minimum=1)
    dim = check.integer(dim, "dim", minimum=1)
    everyone = np.arange(n)
    start = np.zeros(dim) if start is None else check.vector(start, "start", dim=dim)
    minimizers = (
        np.empty((0, dim))
        if minimizers is None
        else check.array(minimizers, "minimizers", shape=(None, dim), empty=True)
    )

    def f(x):
        return float(batch_fn(x, everyone)[0])

    def grad(x):
        return batch_fn(x, everyone)[1]

    def hess(x):
        raise NotImplementedError(
            f"{name} has no Hessian; differentiate grad numerically"
        )

    return FiniteSumProblem(
        name=check.string(name, "name"),
        f=f,
        grad=grad,
        hess=hess,
        dim=dim,
        minimizers=minimizers,
        bounds=bounds,
        start=start,
        info=dict(info or {}),
        n_examples=n,
        batch_fn=batch_fn,
    )


def _points(x, dim: int) -> np.ndarray:
    """``x`` as an array of points of shape ``(..., dim)``, without a copy.

    A local check rather than ``check.array``: it runs on every evaluation of every test
    function, and it must let complex points through (the complex-step derivative) and
    non-finite ones too (a diverging run evaluates f at inf and gets inf or nan back).
    """
    arr = np.asarray(x)
    if arr.dtype.kind not in "iufc":
        raise check.fail(TypeError, "x", "an array of numbers", x)
    if arr.ndim == 0 or arr.shape[-1] != dim:
        raise ValueError(f"x must have shape (..., {dim}), got shape {arr.shape}")
    return arr


def _positive_vector(values, name: str, dim: int | None = None) -> np.ndarray:
    """A finite vector of positive numbers (eigenvalues)."""
    lam = check.vector(values, name, dim=dim)
    if np.any(lam <= 0):
        raise check.fail(ValueError, name, "all > 0", lam)
    return lam


def _spectrum(kappa, eigenvalues) -> np.ndarray:
    """The eigenvalues of a quadratic given by its condition number or its eigenvalues."""
    if kappa is not None:
        return np.array([1.0, check.in_range(kappa, "kappa", 1.0)])
    return _positive_vector(eigenvalues, "eigenvalues")


def _rotation(angle: float, n: int) -> np.ndarray:
    """The rotation of the plane by ``angle`` (the identity when ``angle`` is 0)."""
    if angle == 0.0:
        return np.eye(n)
    if n != 2:
        raise check.fail(
            ValueError,
            "angle",
            f"0 for a quadratic of {n} variables (rotations are 2-D)",
            angle,
        )
    c, s = np.cos(angle), np.sin(angle)
    return np.array([[c, -s], [s, c]])


def logistic_loss(
    X, y, *, mu: float = 0.0, intercept: bool = False, name: str = "logistic regression"
) -> FiniteSumProblem:
    r"""Logistic regression's training loss, as a :class:`FiniteSumProblem`.

    .. math::

        f(w) = \frac1n \sum_{i=1}^n \left[\log\left(1 + e^{z_i}\right) - y_i z_i\right]
        + \frac{\mu}{2}\lVert w\rVert^2, \qquad z_i = x_i^\top w,

    the mean binary cross-entropy of the linear model :math:`\sigma(z_i)` (with ``intercept=True``, the
    same loss as a one-layer :class:`~gradlib.mlp.MLP` with ``loss="bce"``), whose gradient is
    :math:`\frac1n \sum_i (\sigma(z_i) - y_i)\, x_i + \mu w`.

    Parameters
    ----------
    X : array_like, shape (n, d)
        The inputs, one example per row.
    y : array_like, shape (n,)
        Labels in {0, 1}, or in {-1, +1} (read as 0 and 1).
    mu : float
        Weight of the L2 penalty (on every coordinate of ``w``); ``mu > 0`` makes the loss
        ``mu``-strongly convex.
    intercept : bool
        Append a column of ones to ``X``: the last coordinate of ``w`` is the bias.
    name : str
        Short name used in legends and titles.

    Returns
    -------
    FiniteSumProblem
        Of dimension ``d`` (``d + 1`` with the intercept). Its ``batch_fn(w, idx)`` also
        takes a stack of points ``w`` of shape ``(..., dim)`` with one row of example
        indices each, ``idx`` of shape ``(..., b)`` (many runs in one :func:`gradlib.run`).

    Examples
    --------
    >>> X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]); y = np.array([1, 0, 1])
    >>> prob = logistic_loss(X, y)
    >>> bool(np.isclose(prob.f(np.zeros(2)), np.log(2.0))), prob.grad(np.zeros(2))
    (True, array([-0.33333333,  0.        ]))
    >>> logistic_loss(X, 2 * y - 1, mu=0.1, intercept=True).dim
    3
    """
    from .mlp import sigmoid  # (the MLP module imports this one)

    X = check.array(X, "X", ndim=2)
    y = check.vector(y, "y", dim=len(X))
    if np.all((y == 0) | (y == 1)):
        y01 = y
    elif np.all((y == -1) | (y == 1)):
        y01 = (y + 1.0) / 2.0
    else:
        raise check.fail(ValueError, "y", "labels in {0, 1} or in {-1, 1}", y)
    mu = check.nonnegative(mu, "mu")
    A = (
        np.hstack([X, np.ones((len(X), 1))])
        if check.flag(intercept, "intercept")
        else X
    )

    def batch(w, idx):
        w, idx = np.asarray(w, dtype=float), np.asarray(idx)
        if w.ndim == 1 and idx.ndim == 1:
            Ab, yb = A[idx], y01[idx]
            z = Ab @ w
            loss = np.mean(np.logaddexp(0.0, z) - yb * z)
            g = (sigmoid(z) - yb) @ Ab / len(idx)
        else:  # a stack of points, each with its own examples
            Ab, yb = A[idx], y01[idx]
            z = np.einsum("...bd,...d->...b", Ab, w)
            loss = np.mean(np.logaddexp(0.0, z) - yb * z, axis=-1)
            g = np.einsum("...bd,...b->...d", Ab, sigmoid(z) - yb) / idx.shape[-1]
        if mu:
            loss = loss + 0.5 * mu * np.sum(w * w, axis=-1)
            g = g + mu * w
        return loss, g

    return finite_sum(
        batch,
        len(A),
        A.shape[1],
        name=check.string(name, "name"),
        info={"mu": mu, "intercept": bool(intercept)},
    )


def quadratic(
    A=None, b=None, *, kappa: float | None = None, angle: float = 0.0, eigenvalues=None
) -> Problem:
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
        raise ValueError(
            f"give exactly one of A, kappa or eigenvalues, got {given}: "
            f"A={check.show(A)}, "
            f"kappa={kappa!r}, eigenvalues={check.show(eigenvalues)}"
        )
    angle = check.real(angle, "angle")
    if A is None:
        lam = _spectrum(kappa, eigenvalues)
        Q = _rotation(angle, lam.size)
        A = Q @ np.diag(lam) @ Q.T
        A = (A + A.T) / 2
    elif angle != 0.0:
        raise check.fail(
            ValueError,
            "angle",
            "0 when A is given (it rotates kappa or eigenvalues)",
            angle,
        )
    else:
        A = check.symmetric_matrix(A, "A")
    n = A.shape[0]
    lam = np.linalg.eigvalsh(A)
    if lam[0] <= 0:
        raise ValueError(
            f"A must be positive definite, got smallest eigenvalue {float(lam[0])!r}"
        )
    b = np.zeros(n) if b is None else check.vector(b, "b", dim=n)
    x_star = np.linalg.solve(A, b)
    A.setflags(write=False)

    # A diagonal A (an axis-aligned quadratic) is applied elementwise:
    # n operations, not n^2.
    diagonal = (
        np.diagonal(A).copy()
        if np.count_nonzero(A - np.diag(np.diagonal(A))) == 0
        else None
    )

    def times_A(x):
        return (
            x * diagonal if diagonal is not None else x @ A
        )  # A is symmetric: x A = (A x)^T

    def f(x):
        x = _points(x, n)
        return 0.5 * np.sum(x * times_A(x), axis=-1) - x @ b

    def grad(x):
        x = _points(x, n)
        return times_A(x) - b

    def hess(x):
        x = _points(x, n)
        return np.broadcast_to(A, x.shape[:-1] + (n, n)).copy()

    r = max(2.0, 2.0 * float(np.abs(x_star).max()))
    bounds = tuple((float(c - r), float(c + r)) for c in x_star)
    start = x_star + np.array([-1.5] + [1.0] * (n - 1)) * r / 2
    return Problem(
        name=f"quadratic (kappa={lam[-1] / lam[0]:.3g})",
        f=f,
        grad=grad,
        hess=hess,
        dim=n,
        minimizers=x_star[None, :],
        bounds=bounds,
        start=start,
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
        name="Rosenbrock",
        f=f,
        grad=grad,
        hess=hess,
        dim=2,
        minimizers=np.array([[a, a * a]]),
        bounds=((-2.0, 2.0), (-1.0, 3.0)),
        start=np.array([-1.2, 1.0]),
        info={"a": a, "b": b},
    )


def _hess2(h11, h12, h22) -> np.ndarray:
    """Stack the entries of symmetric 2 x 2 Hessians into shape ``(..., 2, 2)``."""
    return np.stack([np.stack([h11, h12], -1), np.stack([h12, h22], -1)], -2)


def _polish(grad, hess, x0, iterations: int = 8) -> np.ndarray:
    """Refine an approximate critical point with a few Newton steps."""
    x = np.array(x0, dtype=float)
    for _ in range(iterations):
        x = x - np.linalg.solve(hess(x), grad(x))
    return x


def _constant(value: float, like: np.ndarray) -> np.ndarray:
    """An array of ``value`` with the shape of ``like`` (and a floating dtype)."""
    return np.full_like(like, value, dtype=np.result_type(like, float))


def square() -> Problem:
    r"""The one-dimensional parabola :math:`f(x) = x^2`.

    Notes
    -----
    :math:`f'(x) = 2x` and :math:`f''(x) = 2`, so gradient descent
    :math:`x \leftarrow x - \eta\, 2x = (1 - 2\eta)\,x` converges monotonically for
    :math:`0 < \eta < 1/2`, in one step for :math:`\eta = 1/2`, with oscillations for
    :math:`1/2 < \eta < 1`, and diverges for :math:`\eta > 1`. Points have shape ``(..., 1)``.

    Examples
    --------
    >>> p = square()
    >>> float(p.f(np.array([3.0]))), p.grad(np.array([3.0]))
    (9.0, array([6.]))
    """

    def f(x):
        x = _points(x, 1)
        return x[..., 0] ** 2

    def grad(x):
        x = _points(x, 1)
        return 2 * x

    def hess(x):
        x = _points(x, 1)
        return _constant(2.0, x[..., None])

    return Problem(
        name="x^2",
        f=f,
        grad=grad,
        hess=hess,
        dim=1,
        minimizers=np.zeros((1, 1)),
        bounds=((-2.0, 2.0),),
        start=np.array([1.0]),
        info={"lipschitz": 2.0},
    )


def random_spd(n: int, eigenvalues, rng=None) -> np.ndarray:
    r"""A random symmetric positive definite matrix with a given spectrum.

    Parameters
    ----------
    n : int
        Size of the matrix.
    eigenvalues : array_like, shape (n,)
        The eigenvalues, all positive.
    rng : None, int or numpy.random.Generator
        Source of the random rotation.

    Returns
    -------
    A : ndarray, shape (n, n)
        :math:`A = Q \operatorname{diag}(\lambda) Q^\top`.

    Notes
    -----
    :math:`Q` is uniformly distributed on the orthogonal group: the Q factor of a matrix
    of independent standard normal entries, with the signs of its columns fixed so that
    the diagonal of R is positive (Mezzadri, 2007). The eigenvectors therefore point in
    random directions, and no coordinate axis is special. Use it with
    :func:`quadratic`: ``quadratic(A=random_spd(n, eigenvalues, rng))``.

    Examples
    --------
    >>> A = random_spd(3, [1.0, 2.0, 10.0], rng=0)
    >>> np.round(np.linalg.eigvalsh(A), 12)
    array([ 1.,  2., 10.])
    """
    n = check.integer(n, "n", minimum=1)
    lam = _positive_vector(eigenvalues, "eigenvalues", dim=n)
    gen = check.rng(rng)
    Q, R = np.linalg.qr(gen.standard_normal((n, n)))
    Q = Q * np.where(np.diag(R) < 0, -1.0, 1.0)
    A = Q @ np.diag(lam) @ Q.T
    return (A + A.T) / 2


def beale() -> Problem:
    r"""Beale's function, a narrow curved valley with flat arms.

    Notes
    -----
    .. math::

        f(x, y) = \sum_{k=1}^{3} r_k^2, \qquad r_k = c_k - x + x\,y^k, \qquad
        (c_1, c_2, c_3) = (1.5,\ 2.25,\ 2.625).

    The only minimizer is :math:`(3, 1/2)` with value 0. Far from it the function is
    very flat along :math:`y \approx 1` and very steep for :math:`|y| > 1`.

    References
    ----------
    Beale (1958).

    Examples
    --------
    >>> p = beale()
    >>> float(p.f(np.array([3.0, 0.5])))
    0.0
    """
    c = (1.5, 2.25, 2.625)

    def f(x):
        x = _points(x, 2)
        u, v = x[..., 0], x[..., 1]
        return sum((c[k - 1] - u + u * v**k) ** 2 for k in (1, 2, 3))

    def grad(x):
        x = _points(x, 2)
        u, v = x[..., 0], x[..., 1]
        gu = gv = 0
        for k in (1, 2, 3):
            r = c[k - 1] - u + u * v**k
            gu = gu + 2 * r * (v**k - 1)
            gv = gv + 2 * r * k * u * v ** (k - 1)
        return np.stack([gu, gv], axis=-1)

    def hess(x):
        x = _points(x, 2)
        u, v = x[..., 0], x[..., 1]
        huu = huv = hvv = 0
        for k in (1, 2, 3):
            r = c[k - 1] - u + u * v**k
            dr_du, dr_dv = v**k - 1, k * u * v ** (k - 1)
            d2r_dv2 = k * (k - 1) * u * v ** (k - 2) if k >= 2 else 0
            huu = huu + 2 * dr_du**2
            huv = huv + 2 * (dr_dv * dr_du + r * k * v ** (k - 1))
            hvv = hvv + 2 * (dr_dv**2 + r * d2r_dv2)
        return _hess2(huu, huv, hvv)

    return Problem(
        name="Beale",
        f=f,
        grad=grad,
        hess=hess,
        dim=2,
        minimizers=np.array([[3.0, 0.5]]),
        bounds=((-4.5, 4.5), (-4.5, 4.5)),
        start=np.array([1.0, 1.0]),
        info={"c": c},
    )


def himmelblau() -> Problem:
    r"""Himmelblau's function: four minimizers of equal value.

    Notes
    -----
    .. math:: f(x, y) = (x^2 + y - 11)^2 + (x + y^2 - 7)^2

    It has four global minimizers with value 0, one of them :math:`(3, 2)`, the others
    known only numerically; one local maximum near :math:`(-0.27, -0.92)` and four
    saddle points (``info["local_maximum"]``, ``info["saddles"]``). All critical points
    are refined to machine precision by Newton's method when the problem is built. Which
    minimizer a descent method reaches depends on where it starts.

    References
    ----------
    Himmelblau (1972).

    Examples
    --------
    >>> p = himmelblau()
    >>> len(p.minimizers), float(p.f(np.array([3.0, 2.0])))
    (4, 0.0)
    """

    def f(x):
        x = _points(x, 2)
        u, v = x[..., 0], x[..., 1]
        return (u**2 + v - 11) ** 2 + (u + v**2 - 7) ** 2

    def grad(x):
        x = _points(x, 2)
        u, v = x[..., 0], x[..., 1]
        a, b = u**2 + v - 11, u + v**2 - 7
        return np.stack([4 * u * a + 2 * b, 2 * a + 4 * v * b], axis=-1)

    def hess(x):
        x = _points(x, 2)
        u, v = x[..., 0], x[..., 1]
        return _hess2(12 * u**2 + 4 * v - 42, 4 * u + 4 * v, 4 * u + 12 * v**2 - 26)

    approximate = {
        "minimizers": [
            (3.0, 2.0),
            (-2.805118, 3.131313),
            (-3.779310, -3.283186),
            (3.584428, -1.848127),
        ],
        "saddles": [
            (0.086678, 2.884255),
            (-3.073026, -0.081353),
            (3.385154, 0.073852),
            (-0.127961, -1.953715),
        ],
        "local_maximum": [(-0.270845, -0.923039)],
    }
    points = {
        key: np.array([_polish(grad, hess, p) for p in ps])
        for key, ps in approximate.items()
    }
    return Problem(
        name="Himmelblau",
        f=f,
        grad=grad,
        hess=hess,
        dim=2,
        minimizers=points["minimizers"],
        bounds=((-5.0, 5.0), (-5.0, 5.0)),
        start=np.array([0.0, 0.0]),
        info={
            "saddles": points["saddles"],
            "local_maximum": points["local_maximum"][0],
        },
    )


def booth() -> Problem:
    r"""Booth's function, a convex quadratic in disguise.

    Notes
    -----
    .. math:: f(x, y) = (x + 2y - 7)^2 + (2x + y - 5)^2

    The Hessian is the constant matrix :math:`\begin{pmatrix}10 & 8\\ 8 & 10\end{pmatrix}`
    (eigenvalues 2 and 18, condition number 9, eigenvectors along the diagonals); the
    minimizer is :math:`(1, 3)` with value 0.

    Examples
    --------
    >>> p = booth()
    >>> float(p.f(np.array([1.0, 3.0]))), p.hess(np.array([0.0, 0.0]))
    (0.0, array([[10., 8.],
           [ 8., 10.]]))
    """

    def f(x):
        x = _points(x, 2)
        u, v = x[..., 0], x[..., 1]
        return (u + 2 * v - 7) ** 2 + (2 * u + v - 5) ** 2

    def grad(x):
        x = _points(x, 2)
        u, v = x[..., 0], x[..., 1]
        r1, r2 = u + 2 * v - 7, 2 * u + v - 5
        return np.stack([2 * r1 + 4 * r2, 4 * r1 + 2 * r2], axis=-1)

    def hess(x):
        x = _points(x, 2)
        u = x[..., 0]
        return _hess2(_constant(10.0, u), _constant(8.0, u), _constant(10.0, u))

    return Problem(
        name="Booth",
        f=f,
        grad=grad,
        hess=hess,
        dim=2,
        minimizers=np.array([[1.0, 3.0]]),
        bounds=((-10.0, 10.0), (-10.0, 10.0)),
        start=np.array([-5.0, -5.0]),
        info={"eigenvalues": np.array([2.0, 18.0]), "kappa": 9.0},
    )


def saddle() -> Problem:
    r"""The saddle :math:`f(x, y) = x^2 - y^2`.

    Notes
    -----
    The only critical point is the origin, where the Hessian
    :math:`\operatorname{diag}(2, -2)` has one positive and one negative eigenvalue. The
    function is unbounded below, so ``minimizers`` is empty; the critical point is in
    ``info["critical_point"]``. Gradient descent with step :math:`\eta` maps
    :math:`(x, y) \mapsto ((1 - 2\eta) x, (1 + 2\eta) y)`: it approaches the saddle along
    :math:`x` and leaves it along :math:`y` at a rate that does not depend on how small
    :math:`y` is, so the escape time grows like :math:`\log(1/|y_0|)`. The customary
    start :math:`(1, 10^{-2})` lies close to the attracting axis.

    Examples
    --------
    >>> p = saddle()
    >>> p.grad(np.array([1.0, 1.0])), p.minimizers.shape
    (array([ 2., -2.]), (0, 2))
    """

    def f(x):
        x = _points(x, 2)
        return x[..., 0] ** 2 - x[..., 1] ** 2

    def grad(x):
        x = _points(x, 2)
        return np.stack([2 * x[..., 0], -2 * x[..., 1]], axis=-1)

    def hess(x):
        x = _points(x, 2)
        u = x[..., 0]
        return _hess2(_constant(2.0, u), _constant(0.0, u), _constant(-2.0, u))

    return Problem(
        name="saddle x^2 - y^2",
        f=f,
        grad=grad,
        hess=hess,
        dim=2,
        minimizers=np.zeros((0, 2)),
        bounds=((-2.0, 2.0), (-2.0, 2.0)),
        start=np.array([1.0, 1e-2]),
        info={
            "critical_point": np.zeros(2),
            "hessian_eigenvalues": np.array([-2.0, 2.0]),
        },
    )


def monkey_saddle() -> Problem:
    r"""The monkey saddle :math:`f(x, y) = x^3 - 3 x y^2`.

    Notes
    -----
    The gradient :math:`(3x^2 - 3y^2,\ -6xy)` vanishes only at the origin, where the
    Hessian :math:`\begin{pmatrix}6x & -6y\\ -6y & -6x\end{pmatrix}` is zero: the
    second-order test says nothing, and the surface has three valleys (room for two legs
    and a tail) instead of the two of an ordinary saddle. It is unbounded below, so
    ``minimizers`` is empty; the critical point is in ``info["critical_point"]``.

    Examples
    --------
    >>> p = monkey_saddle()
    >>> float(p.f(np.array([1.0, 1.0]))), bool(np.all(p.hess(np.zeros(2)) == 0))
    (-2.0, True)
    """

    def f(x):
        x = _points(x, 2)
        u, v = x[..., 0], x[..., 1]
        return u**3 - 3 * u * v**2

    def grad(x):
        x = _points(x, 2)
        u, v = x[..., 0], x[..., 1]
        return np.stack([3 * u**2 - 3 * v**2, -6 * u * v], axis=-1)

    def hess(x):
        x = _points(x, 2)
        u, v = x[..., 0], x[..., 1]
        return _hess2(6 * u, -6 * v, -6 * u)

    return Problem(
        name="monkey saddle",
        f=f,
        grad=grad,
        hess=hess,
        dim=2,
        minimizers=np.zeros((0, 2)),
        bounds=((-1.5, 1.5), (-1.5, 1.5)),
        start=np.array([1.0, 0.1]),
        info={"critical_point": np.zeros(2), "hessian_eigenvalues": np.zeros(2)},
    )


def plateau(width: float = 1.0, depth: float = 1.0, dim: int = 2) -> Problem:
    r"""A Gaussian well in a wide plateau: :math:`f(x) = d\,(1 - e^{-\|x\|^2 / (2 w^2)})`.

    Parameters
    ----------
    width : float
        Width :math:`w > 0` of the well.
    depth : float
        Depth :math:`d > 0`: the value on the plateau.
    dim : int
        Number of variables :math:`n`.

    Notes
    -----
    .. math::

        \nabla f(x) = \frac{d}{w^2}\, e^{-\|x\|^2/(2w^2)}\, x, \qquad
        \nabla^2 f(x) = \frac{d}{w^2}\, e^{-\|x\|^2/(2w^2)}
            \Bigl(I - \frac{x x^\top}{w^2}\Bigr).

    The minimizer is the origin with value 0. At distance :math:`r` from it the gradient
    has norm :math:`(d r / w^2)\, e^{-r^2/(2w^2)}`, which is about :math:`8 \cdot 10^{-3}\, d/w`
    at the customary start (distance :math:`3.5 w`, value :math:`0.998\, d`) and keeps
    shrinking further out: the function is almost flat there, and plain gradient descent
    with :math:`\eta = 0.1` crawls for several hundred steps before :math:`f` falls below
    :math:`d/2`. Methods that normalize the step
    by the gradient's size (RMSprop, Adam) cross the plateau much sooner. The Hessian is
    positive definite only for :math:`\|x\| < w`; beyond that the well's rim is concave.

    Examples
    --------
    >>> p = plateau()
    >>> round(float(p.f(p.start)), 4), round(float(np.linalg.norm(p.grad(p.start))), 4)
    (0.9978, 0.0077)
    """
    w = check.positive(width, "width")
    d = check.positive(depth, "depth")
    n = check.integer(dim, "dim", minimum=1)

    def f(x):
        x = _points(x, n)
        E = np.exp(-np.sum(x**2, axis=-1) / (2 * w**2))
        return d * (1 - E)

    def grad(x):
        x = _points(x, n)
        E = np.exp(-np.sum(x**2, axis=-1) / (2 * w**2))
        return (d / w**2) * E[..., None] * x

    def hess(x):
        x = _points(x, n)
        E = np.exp(-np.sum(x**2, axis=-1) / (2 * w**2))
        outer = x[..., :, None] * x[..., None, :]
        return (d / w**2) * E[..., None, None] * (np.eye(n) - outer / w**2)

    start = np.full(n, 3.5 * w / np.sqrt(n))
    return Problem(
        name="plateau",
        f=f,
        grad=grad,
        hess=hess,
        dim=n,
        minimizers=np.zeros((1, n)),
        bounds=((-4.5 * w, 4.5 * w),) * n,
        start=start,
        info={"width": w, "depth": d, "plateau_value": d},
    )


def styblinski_tang(dim: int = 2) -> Problem:
    r"""The Styblinski-Tang function: :math:`2^n` local minima of different depths.

    Parameters
    ----------
    dim : int
        Number of variables :math:`n` (at most 12, so that the list of local minima stays short).

    Notes
    -----
    .. math::

        f(x) = \tfrac12 \sum_{i=1}^{n} \bigl(x_i^4 - 16 x_i^2 + 5 x_i\bigr), \qquad
        \frac{\partial f}{\partial x_i} = 2 x_i^3 - 16 x_i + \tfrac52, \qquad
        \nabla^2 f(x) = \operatorname{diag}(6 x_i^2 - 16).

    Each coordinate has two local minimizers, :math:`a \approx -2.9035` (deeper) and
    :math:`b \approx 2.7468`, the roots of :math:`2x^3 - 16x + 5/2` with positive curvature;
    the third root :math:`c \approx 0.1567` is a maximum. So the function has :math:`2^n`
    local minimizers (every choice of :math:`a` or :math:`b` per coordinate), all listed
    in ``info["local_minima"]`` from lowest to highest value (values in
    ``info["local_minimum_values"]``); the global one is :math:`(a, \dots, a)`. Gradient
    descent with small steps ends in the basin it starts in: from the customary start
    :math:`(1, \dots, 1)` it finds the worst local minimizer, :math:`(b, \dots, b)`.

    References
    ----------
    Styblinski & Tang (1990).

    Examples
    --------
    >>> p = styblinski_tang()
    >>> len(p.info["local_minima"]), round(p.f_min, 4)
    (4, -78.3323)
    """
    n = check.integer(dim, "dim", minimum=1, maximum=12)

    def f(x):
        x = _points(x, n)
        return 0.5 * np.sum(x**4 - 16 * x**2 + 5 * x, axis=-1)

    def grad(x):
        x = _points(x, n)
        return 2 * x**3 - 16 * x + 2.5

    def hess(x):
        x = _points(x, n)
        return (6 * x**2 - 16)[..., None] * np.eye(n)

    z = np.sort(np.roots([2.0, 0.0, -16.0, 2.5]).real)
    for _ in range(4):  # Newton's method polishes the three roots to machine precision
        z = z - (2 * z**3 - 16 * z + 2.5) / (6 * z**2 - 16)
    a, c, b = (float(r) for r in z)
    corners = np.array(np.meshgrid(*[[a, b]] * n, indexing="ij")).reshape(n, -1).T
    values = f(corners)
    order = np.argsort(values, kind="stable")
    return Problem(
        name="Styblinski-Tang",
        f=f,
        grad=grad,
        hess=hess,
        dim=n,
        minimizers=corners[order[:1]],
        bounds=((-5.0, 5.0),) * n,
        start=np.ones(n),
        info={
            "local_minima": corners[order],
            "local_minimum_values": values[order],
            "roots": np.array([a, c, b]),
        },
    )
