r"""Synthetic data sets made in code, and the helpers to split and batch them.

Every generator takes ``rng`` (``None``, an integer seed or a ``numpy.random.Generator``)
and nothing else random: the same seed gives the same data. Features come as float64
arrays ``X`` of shape ``(n, d)``; class labels as integer arrays ``y`` of shape ``(n,)``
with values ``0 .. k-1``; regression targets as float arrays of shape ``(n,)``.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterator

import numpy as np

from . import _validate as check

__all__ = [
    "two_moons",
    "spirals",
    "blobs",
    "linear_regression",
    "logistic_regression",
    "sparse_features",
    "train_test_split",
    "minibatches",
    "batches_per_epoch",
    "ORDERS",
]


def _sigmoid(z):
    u = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + u), u / (1.0 + u))


def _shuffled(gen, *arrays):
    perm = gen.permutation(len(arrays[0]))
    return tuple(a[perm] for a in arrays)


def two_moons(n: int = 200, noise: float = 0.1, rng=None):
    r"""Two interleaving half circles, a classic non-linearly separable problem.

    Parameters
    ----------
    n : int
        Number of points (at least 2); ``n // 2`` on the upper moon (class 0), the rest
        on the lower one (class 1).
    noise : float
        Standard deviation of the Gaussian noise added to both coordinates (>= 0).
    rng : None, int or numpy.random.Generator
        Source of all randomness (the same seed gives the same data).

    Returns
    -------
    X : ndarray, shape (n, 2)
    y : ndarray of int, shape (n,)
        Labels 0 and 1, in shuffled order.

    Notes
    -----
    Class 0: :math:`(\cos t, \sin t)`, class 1: :math:`(1 - \cos t, \tfrac12 - \sin t)`,
    :math:`t` uniform on :math:`[0, \pi]`, plus :math:`\mathcal N(0, \text{noise}^2)`
    noise (the layout of scikit-learn's ``make_moons``).

    Examples
    --------
    >>> X, y = two_moons(100, noise=0.1, rng=0)
    >>> X.shape, np.bincount(y)
    ((100, 2), array([50, 50]))
    """
    n = check.integer(n, "n", minimum=2)
    noise = check.nonnegative(noise, "noise")
    gen = check.rng(rng)
    n0 = n // 2
    t = gen.uniform(0.0, np.pi, size=n)
    upper = np.stack([np.cos(t[:n0]), np.sin(t[:n0])], axis=1)
    lower = np.stack([1.0 - np.cos(t[n0:]), 0.5 - np.sin(t[n0:])], axis=1)
    X = np.concatenate([upper, lower]) + noise * gen.standard_normal((n, 2))
    y = np.concatenate([np.zeros(n0, dtype=np.intp), np.ones(n - n0, dtype=np.intp)])
    return _shuffled(gen, X, y)


def spirals(n: int = 300, n_classes: int = 2, noise: float = 0.2, rng=None):
    r"""Interleaved spiral arms, one per class.

    Parameters
    ----------
    n : int
        Number of points, shared as evenly as possible between the classes.
    n_classes : {2, 3}
        Number of arms (classes).
    noise : float
        Standard deviation (radians) of the Gaussian noise added to each point's angle (>= 0).
    rng : None, int or numpy.random.Generator
        Source of all randomness (the same seed gives the same data).

    Returns
    -------
    X : ndarray, shape (n, 2)
    y : ndarray of int, shape (n,)
        Labels ``0 .. n_classes - 1``, in shuffled order.

    Notes
    -----
    A point of class :math:`j` at radius :math:`r \sim U[0, 1]` sits at angle
    :math:`\varphi = 4 r + 2\pi j / k + \varepsilon`, :math:`\varepsilon \sim
    \mathcal N(0, \text{noise}^2)`, i.e. at :math:`r(\cos\varphi, \sin\varphi)`; the arms
    make about two thirds of a turn, as in the CS231n spiral data.

    Examples
    --------
    >>> X, y = spirals(90, n_classes=3, rng=0)
    >>> X.shape, np.bincount(y)
    ((90, 2), array([30, 30, 30]))
    """
    n_classes = check.integer(n_classes, "n_classes", minimum=2, maximum=3)
    n = check.integer(n, "n", minimum=n_classes)  # at least one point per arm
    noise = check.nonnegative(noise, "noise")
    gen = check.rng(rng)
    y = np.arange(n, dtype=np.intp) * n_classes // n
    r = gen.uniform(0.0, 1.0, size=n)
    phi = 4.0 * r + 2.0 * np.pi * y / n_classes + noise * gen.standard_normal(n)
    X = r[:, None] * np.stack([np.cos(phi), np.sin(phi)], axis=1)
    return _shuffled(gen, X, y)


def blobs(n: int = 200, centers=3, std: float = 1.0, rng=None, dim: int = 2):
    r"""Isotropic Gaussian clusters, one class per cluster.

    Parameters
    ----------
    n : int
        Number of points, shared as evenly as possible between the clusters.
    centers : int or array_like, shape (k, d)
        Number of clusters (their centres drawn uniformly in :math:`[-5, 5]^d`), or the
        centres themselves.
    std : float
        Standard deviation of each cluster (> 0).
    rng : None, int or numpy.random.Generator
        Source of all randomness (the same seed gives the same data).
    dim : int
        Dimension ``d`` when ``centers`` is a number.

    Returns
    -------
    X : ndarray, shape (n, d)
    y : ndarray of int, shape (n,)
        The cluster of each point, in shuffled order.

    Examples
    --------
    >>> X, y = blobs(10, centers=[[0.0, 0.0], [5.0, 5.0]], std=0.1, rng=0)
    >>> X.shape, np.bincount(y)
    ((10, 2), array([5, 5]))
    """
    std = check.positive(std, "std")
    gen = check.rng(rng)
    if isinstance(
        centers, numbers.Integral
    ):  # a number of clusters (True and False are refused)
        k = check.integer(centers, "centers", minimum=1)
        C = gen.uniform(-5.0, 5.0, size=(k, check.integer(dim, "dim", minimum=1)))
    else:
        C = check.array(centers, "centers", ndim=2)
        k = len(C)
    n = check.integer(n, "n", minimum=k)  # at least one point per cluster
    y = np.arange(n, dtype=np.intp) * k // n
    X = C[y] + std * gen.standard_normal((n, C.shape[1]))
    return _shuffled(gen, X, y)


def linear_regression(n: int = 100, d: int = 5, noise: float = 0.1, rng=None):
    r"""A linear model :math:`y = X w^\star + \varepsilon` with standard normal features.

    Parameters
    ----------
    n, d : int
        Number of examples and features.
    noise : float
        Standard deviation of :math:`\varepsilon` (>= 0).
    rng : None, int or numpy.random.Generator
        Source of all randomness (the same seed gives the same data).

    Returns
    -------
    X : ndarray, shape (n, d)
    y : ndarray, shape (n,)
    w : ndarray, shape (d,)
        The true weights :math:`w^\star \sim \mathcal N(0, I)`.

    Examples
    --------
    >>> X, y, w = linear_regression(50, 3, noise=0.0, rng=0)
    >>> bool(np.allclose(X @ w, y))
    True
    """
    n = check.integer(n, "n", minimum=1)
    d = check.integer(d, "d", minimum=1)
    noise = check.nonnegative(noise, "noise")
    gen = check.rng(rng)
    w = gen.standard_normal(d)
    X = gen.standard_normal((n, d))
    y = X @ w + noise * gen.standard_normal(n)
    return X, y, w


def logistic_regression(n: int = 200, d: int = 2, kappa: float = 1.0, rng=None):
    r"""Labels drawn from a logistic model, with features of a chosen condition number.

    Parameters
    ----------
    n, d : int
        Number of examples and features.
    kappa : float
        Condition number (>= 1) of the feature covariance :math:`\Sigma`: its eigenvalues
        fall geometrically from 1 to :math:`1/\kappa`, along random orthogonal directions.
    rng : None, int or numpy.random.Generator
        Source of all randomness (the same seed gives the same data).

    Returns
    -------
    X : ndarray, shape (n, d)
        Rows :math:`x_i \sim \mathcal N(0, \Sigma)`.
    y : ndarray of int, shape (n,)
        :math:`y_i \sim \text{Bernoulli}(\sigma(x_i^\top w^\star))`.
    w : ndarray, shape (d,)
        The true weights, scaled so that the logits :math:`x^\top w^\star` have standard
        deviation 2 (both classes overlap, so the maximum-likelihood solution is finite).

    Notes
    -----
    The loss surface of logistic regression is then about :math:`\kappa` times longer
    than wide near its minimum, which is what the optimizers feel.

    Examples
    --------
    >>> X, y, w = logistic_regression(500, 3, kappa=100.0, rng=0)
    >>> ev = np.linalg.eigvalsh(np.cov(X.T))
    >>> bool(30 < ev[-1] / ev[0] < 300), sorted(set(y.tolist()))
    (True, [0, 1])
    """
    n = check.integer(n, "n", minimum=1)
    d = check.integer(d, "d", minimum=1)
    kappa = check.in_range(kappa, "kappa", 1.0)
    gen = check.rng(rng)
    Q, _ = np.linalg.qr(gen.standard_normal((d, d)))
    lam = np.geomspace(1.0, 1.0 / kappa, d)
    X = gen.standard_normal((n, d)) * np.sqrt(lam) @ Q.T
    u = gen.standard_normal(d)
    w = 2.0 * u / np.sqrt(u @ (Q * lam) @ Q.T @ u)
    y = (gen.uniform(size=n) < _sigmoid(X @ w)).astype(np.intp)
    return X, y, w


def sparse_features(
    n: int = 500,
    d: int = 20,
    density: float = 0.01,
    rng=None,
    task: str = "regression",
    noise: float = 0.1,
):
    r"""Features of very different frequencies: most are zero most of the time.

    Parameters
    ----------
    n, d : int
        Number of examples and features.
    density : float
        Frequency of the rarest feature, in ``(0, 1]``. Feature :math:`j` is non-zero
        with probability :math:`p_j`, the :math:`p_j` falling geometrically from 1
        (feature 0) to ``density`` (feature ``d - 1``).
    rng : None, int or numpy.random.Generator
        Source of all randomness (the same seed gives the same data).
    task : {"regression", "classification"}
        Real targets :math:`y = X w^\star + \varepsilon`, or labels
        :math:`y \sim \text{Bernoulli}(\sigma(X w^\star))`.
    noise : float
        Standard deviation of :math:`\varepsilon` for regression (>= 0).

    Returns
    -------
    X : ndarray, shape (n, d)
        Non-zero entries are standard normal.
    y : ndarray, shape (n,)
        Float targets (regression) or integer labels 0/1 (classification).
    w : ndarray, shape (d,)
        The true weights, :math:`w^\star \sim \mathcal N(0, I)`.

    Notes
    -----
    The gradient with respect to :math:`w_j` is non-zero only on examples where feature
    :math:`j` is, so a rare feature receives few, small gradient updates: plain gradient
    descent learns its weight slowly, while AdaGrad's per-coordinate step
    :math:`\eta / \sqrt{s_j}` grows for it (Duchi et al. (2011)).

    Examples
    --------
    >>> X, y, w = sparse_features(2000, 5, density=0.01, rng=0)
    >>> np.round(np.geomspace(1.0, 0.01, 5), 3)  # the frequencies p_j
    array([1.   , 0.316, 0.1  , 0.032, 0.01 ])
    >>> bool(np.allclose(np.mean(X != 0, axis=0), np.geomspace(1.0, 0.01, 5), atol=0.03))
    True
    """
    n = check.integer(n, "n", minimum=1)
    d = check.integer(d, "d", minimum=1)
    density = check.in_range(density, "density", 0.0, 1.0, low_open=True)
    task = check.choice(task, "task", ("regression", "classification"))
    noise = check.nonnegative(noise, "noise")
    gen = check.rng(rng)
    p = np.geomspace(1.0, density, d)
    mask = gen.uniform(size=(n, d)) < p
    X = np.where(mask, gen.standard_normal((n, d)), 0.0)
    w = gen.standard_normal(d)
    if task == "regression":
        y = X @ w + noise * gen.standard_normal(n)
    else:
        y = (gen.uniform(size=n) < _sigmoid(X @ w)).astype(np.intp)
    return X, y, w


def train_test_split(X, y, test_fraction: float = 0.25, rng=None):
    """Split the rows of ``X`` and ``y`` at random into a training and a test part.

    Parameters
    ----------
    X : ndarray, shape (n, ...)
        Features, one row per example.
    y : ndarray, shape (n, ...)
        Targets or labels, one row per example.
    test_fraction : float
        Share of the rows in the test part, in ``(0, 1)``; the test part gets
        ``round(test_fraction * n)`` rows, and both parts at least one.
    rng : None, int or numpy.random.Generator
        Source of the random split.

    Returns
    -------
    X_train, X_test, y_train, y_test : ndarray
        In scikit-learn's order.

    Examples
    --------
    >>> X, y = two_moons(100, rng=0)
    >>> X_train, X_test, y_train, y_test = train_test_split(X, y, 0.2, rng=0)
    >>> X_train.shape, X_test.shape, y_test.shape
    ((80, 2), (20, 2), (20,))
    """
    X, y = np.asarray(X), np.asarray(y)
    if X.ndim == 0 or y.ndim == 0 or len(X) != len(y):
        raise ValueError(
            f"X and y must be arrays with the same number of rows (one per example), "
            f"got shapes {X.shape} and {y.shape}"
        )
    test_fraction = check.in_range(
        test_fraction, "test_fraction", 0.0, 1.0, low_open=True, high_open=True
    )
    n = len(X)
    n_test = int(round(test_fraction * n))
    if not 1 <= n_test <= n - 1:
        raise ValueError(
            f"test_fraction must leave at least one of the {n} rows in each part, "
            f"got {test_fraction!r}"
        )
    perm = check.rng(rng).permutation(n)
    test, train = perm[:n_test], perm[n_test:]
    return X[train], X[test], y[train], y[test]


ORDERS = ("reshuffle", "once", "cyclic", "replacement")


def minibatches(
    n: int,
    batch_size: int,
    rng=None,
    epochs: int = 1,
    drop_last: bool = False,
    order: str = "reshuffle",
) -> Iterator[np.ndarray]:
    """Yield index arrays of mini-batches, epoch after epoch.

    Parameters
    ----------
    n : int
        Number of examples.
    batch_size : int
        Size of each batch, ``1 <= batch_size <= n``.
    rng : None, int or numpy.random.Generator
        Source of the shuffles (a generator made from a seed once, so successive
        epochs get different orders).
    epochs : int
        Number of passes over the data.
    drop_last : bool
        Leave out the last, smaller batch of an epoch when ``batch_size`` does not
        divide ``n``; otherwise every index appears exactly once per epoch.
    order : {"reshuffle", "once", "cyclic", "replacement"}
        ``"reshuffle"``: a new random permutation every epoch (random reshuffling, what
        PyTorch's ``DataLoader(shuffle=True)`` does); ``"once"``: one permutation, reused
        every epoch; ``"cyclic"``: the examples in their stored order; ``"replacement"``:
        every index drawn independently and uniformly (sampling with replacement, the
        textbook model of SGD), ``ceil(n / batch_size)`` batches of ``batch_size`` per
        "epoch".

    Yields
    ------
    ndarray of int, shape (batch_size,) (the last batch of an epoch may be smaller)

    Examples
    --------
    >>> [b.tolist() for b in minibatches(5, 2, rng=0)]
    [[2, 4], [3, 0], [1]]
    >>> [b.tolist() for b in minibatches(5, 2, order="cyclic", epochs=2)]
    [[0, 1], [2, 3], [4], [0, 1], [2, 3], [4]]
    """
    n = check.integer(n, "n", minimum=1)
    batch_size = check.integer(batch_size, "batch_size", minimum=1, maximum=n)
    epochs = check.integer(epochs, "epochs", minimum=0)
    order = check.choice(order, "order", ORDERS)
    drop_last = check.flag(drop_last, "drop_last")
    return _minibatches(n, batch_size, check.rng(rng), epochs, drop_last, order)


def batches_per_epoch(n: int, batch_size: int, drop_last: bool = False) -> int:
    """Number of mini-batches :func:`minibatches` yields per epoch.

    Parameters
    ----------
    n, batch_size, drop_last
        As for :func:`minibatches`.

    Examples
    --------
    >>> batches_per_epoch(10, 3), batches_per_epoch(10, 3, drop_last=True)
    (4, 3)
    """
    n = check.integer(n, "n", minimum=1)
    batch_size = check.integer(batch_size, "batch_size", minimum=1, maximum=n)
    return (
        n // batch_size if check.flag(drop_last, "drop_last") else -(-n // batch_size)
    )


def _minibatches(n, batch_size, gen, epochs, drop_last, order):
    stop = n - n % batch_size if drop_last else n
    perm = gen.permutation(n) if order == "once" else np.arange(n)
    for _ in range(epochs):
        if order == "replacement":
            for _ in range(batches_per_epoch(n, batch_size, drop_last)):
                yield gen.integers(0, n, size=batch_size)
            continue
        if order == "reshuffle":
            perm = gen.permutation(n)
        for start in range(0, stop, batch_size):
            yield perm[start : start + batch_size]
