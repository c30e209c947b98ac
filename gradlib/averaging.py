r"""Averages of sequences: exponentially weighted moving averages and iterate averaging.

Each routine takes a sequence ``xs`` of shape ``(T,)`` (a scalar series) or ``(T, n)``
(``T`` iterates of ``n`` variables) and returns the average after every step, so that the
averaged path can be plotted next to the raw one. Index ``t - 1`` of the result belongs to
step ``t = 1, ..., T``.
"""

from __future__ import annotations

import math

import numpy as np

from . import _validate as check

__all__ = ["ewma", "ewma_weights", "polyak_average", "tail_average"]


def _series(xs) -> np.ndarray:
    """``xs`` as a finite float array of shape (T,) or (T, n) with T >= 1."""
    return check.array(xs, "xs", ndim=(1, 2))


def ewma(xs, beta: float, bias_correction: bool = False) -> np.ndarray:
    r"""Exponentially weighted moving average of a sequence, with optional bias correction.

    Parameters
    ----------
    xs : array_like, shape (T,) or (T, n)
        The observations :math:`x_1, \dots, x_T`.
    beta : float
        Decay rate :math:`\beta \in [0, 1)`; the average remembers about
        :math:`1/(1 - \beta)` steps.
    bias_correction : bool
        Divide by :math:`1 - \beta^t` (as Adam does).

    Returns
    -------
    ndarray, shape of xs
        :math:`v_t` (or :math:`\hat v_t`) for :math:`t = 1, \dots, T`.

    Notes
    -----
    .. math::

        v_0 = 0, \qquad v_t = \beta v_{t-1} + (1 - \beta) x_t
            = \sum_{i=1}^{t} (1 - \beta) \beta^{t-i} x_i, \qquad
        \hat v_t = \frac{v_t}{1 - \beta^t}.

    The weights sum to :math:`1 - \beta^t` (:func:`ewma_weights`), not 1, so early
    :math:`v_t` are pulled towards the start value 0; dividing by that sum removes the bias,
    and a constant sequence is then reproduced exactly from the first step.

    Examples
    --------
    >>> ewma([1.0, 1.0, 1.0], beta=0.5)
    array([0.5  , 0.75 , 0.875])
    >>> ewma([1.0, 1.0, 1.0], beta=0.5, bias_correction=True)
    array([1., 1., 1.])
    """
    xs = _series(xs)
    beta = check.decay(beta, "beta")
    bias_correction = check.flag(bias_correction, "bias_correction")
    out = np.empty_like(xs)
    v = np.zeros(xs.shape[1:])
    for t in range(1, len(xs) + 1):
        x = xs[t - 1]
        v = beta * v + (1 - beta) * x
        if bias_correction:
            v_hat = v / (1 - beta**t)
            out[t - 1] = v_hat
        else:
            out[t - 1] = v
    return out


def ewma_weights(beta: float, t: int) -> np.ndarray:
    r"""The weights :math:`(1 - \beta)\beta^{t-i}` that :math:`v_t` gives to :math:`x_1, \dots, x_t`.

    Parameters
    ----------
    beta : float
        Decay rate in :math:`[0, 1)`.
    t : int
        Current step (>= 1).

    Returns
    -------
    ndarray, shape (t,)
        Entry ``i - 1`` is the weight of :math:`x_i`; they sum to :math:`1 - \beta^t`.

    Examples
    --------
    >>> ewma_weights(0.5, 3)
    array([0.125, 0.25 , 0.5  ])
    """
    beta = check.decay(beta, "beta")
    t = check.integer(t, "t", minimum=1)
    i = np.arange(1, t + 1)
    return (1 - beta) * beta ** (t - i)


def polyak_average(xs, start: int = 0) -> np.ndarray:
    r"""Running uniform average of the iterates from index ``start`` on (Polyak-Ruppert averaging).

    Parameters
    ----------
    xs : array_like, shape (T,) or (T, n)
        The iterates :math:`x_0, \dots, x_{T-1}` (for example ``trajectory.xs``).
    start : int
        Index :math:`s` of the first iterate in the average, :math:`0 \le s < T`.

    Returns
    -------
    ndarray, shape of xs
        Row :math:`k` is :math:`\bar x_k`; rows before ``start`` are ``nan`` (no average
        exists yet; plotting routines skip ``nan``).

    Notes
    -----
    .. math::

        \bar x_k = \frac{1}{k - s + 1} \sum_{j=s}^{k} x_j, \qquad\text{computed as}\qquad
        \bar x_k = \bar x_{k-1} + \frac{x_k - \bar x_{k-1}}{k - s + 1}.

    Averaging cancels noise of iterates that bounce around a minimizer, but it remembers
    every iterate since ``start`` with equal weight: early iterates far from the minimizer
    keep biasing the average long after the iterates have arrived. Starting later (a
    larger ``start``, or :func:`tail_average`) avoids that.

    References
    ----------
    Polyak & Juditsky (1992); Ruppert (1988).

    Examples
    --------
    >>> polyak_average([4.0, 2.0, 0.0, 4.0], start=1)
    array([nan,  2.,  1.,  2.])
    """
    xs = _series(xs)
    T = len(xs)
    start = check.integer(start, "start", minimum=0, maximum=T - 1)
    out = np.full_like(xs, np.nan)
    x_bar = np.zeros(xs.shape[1:])
    for k in range(start, T):
        x_bar = x_bar + (xs[k] - x_bar) / (k - start + 1)
        out[k] = x_bar
    return out


def tail_average(xs, fraction: float = 0.5):
    r"""Uniform average of the last ``fraction`` of the iterates.

    Parameters
    ----------
    xs : array_like, shape (T,) or (T, n)
        The iterates (for example ``trajectory.xs``).
    fraction : float
        Share of the iterates to average, in (0, 1]; the last
        :math:`\lceil \text{fraction} \cdot T \rceil` iterates are used.

    Returns
    -------
    float or ndarray, shape (n,)
        The average (a float for a scalar series).

    Notes
    -----
    Equals the last row of ``polyak_average(xs, start=T - k)`` with
    :math:`k = \lceil \text{fraction} \cdot T\rceil`: averaging only the tail discards the
    transient far from the minimizer.

    Examples
    --------
    >>> tail_average([10.0, 1.0, 2.0, 3.0], fraction=0.75)
    2.0
    """
    xs = _series(xs)
    fraction = check.in_range(fraction, "fraction", 0.0, 1.0, low_open=True)
    k = max(1, math.ceil(fraction * len(xs) - 1e-9))
    mean = xs[-k:].mean(axis=0)
    return float(mean) if mean.ndim == 0 else mean
