r"""Learning-rate schedules: the step size as a function of the update number ``t``.

A schedule is a frozen dataclass that is called with ``t``: an integer, or an integer
array for a whole curve at once. ``t = 1`` is the first update, as everywhere in gradlib,
so every schedule here except :class:`WarmupCosine` starts at ``schedule(1) == lr``.
Pass one as the ``lr`` of any optimizer: ``gl.Adam(lr=CosineAnnealing(0.01, T_max=100))``.

Framework correspondence: ``schedule(t)`` is the learning rate that PyTorch uses in update
number ``t``, i.e. after ``t - 1`` calls of ``scheduler.step()``; and TensorFlow's
``global_step`` is ``t - 1``.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np

from . import _validate as check

__all__ = [
    "Schedule", "Constant", "PowerOfTenDecay", "ExponentialDecay", "StepDecay", "GeometricDecay",
    "InverseTimeDecay", "CosineAnnealing", "WarmupCosine",
]


def _steps(t) -> np.ndarray:
    """``t`` as an integer array with every entry >= 1, or raise naming ``t``."""
    if isinstance(t, bool) or isinstance(t, np.bool_):
        raise TypeError(f"t must be an integer or an integer array, got {t!r}")
    if isinstance(t, numbers.Integral):
        t = np.asarray(int(t))
    else:
        arr = np.asarray(t)
        if arr.dtype.kind not in "iu":
            raise TypeError(f"t must be an integer or an integer array, got {check._show(t)} "
                            f"of dtype {arr.dtype}")
        t = arr
    if np.any(t < 1):
        raise ValueError(f"t must be >= 1 (t = 1 is the first update), got {check._show(t.tolist())}")
    return t


def _factor(value, name: str) -> float:
    """A multiplicative decay factor in (0, 1]."""
    value = check.real(value, name)
    if not 0.0 < value <= 1.0:
        raise ValueError(f"{name} must lie in (0, 1], got {value!r}")
    return value


class Schedule:
    """Base class: validates ``t`` and returns a float for an integer, an array for an array."""

    def __call__(self, t):
        t = _steps(t)
        lr = np.asarray(self._lr(t.astype(float)), dtype=float)
        return float(lr) if lr.ndim == 0 else lr

    def _lr(self, t: np.ndarray) -> np.ndarray:  # pragma: no cover - every subclass overrides it
        raise NotImplementedError


@dataclass(frozen=True)
class Constant(Schedule):
    r"""A constant learning rate: :math:`\eta_t = \eta`.

    Examples
    --------
    >>> Constant(0.1)(np.array([1, 2, 3]))
    array([0.1, 0.1, 0.1])
    """

    lr: float

    def __post_init__(self):
        object.__setattr__(self, "lr", check.positive(self.lr, "lr"))

    def _lr(self, t):
        return np.full(t.shape, self.lr)


@dataclass(frozen=True)
class PowerOfTenDecay(Schedule):
    r"""The source notes' schedule: divide the learning rate by 10 every ``r`` updates.

    Parameters
    ----------
    lr : float
        Initial learning rate :math:`\eta_0 > 0`.
    r : float
        Number of updates over which the rate falls tenfold (> 0).

    Notes
    -----
    .. math:: \eta_t = \eta_0 \cdot 10^{-(t - 1)/r}

    The notes write :math:`\eta_0 \cdot 10^{-t/r}` with :math:`t` counting the updates
    already made (from 0); with gradlib's :math:`t`, which is 1 in the first update, that
    is :math:`t - 1`, so the first update uses :math:`\eta_0`. This is TensorFlow's
    ``exponential_decay`` with ``decay_rate=0.1`` and ``decay_steps=r``, exactly the code the
    notes show (:class:`ExponentialDecay`).

    Examples
    --------
    >>> s = PowerOfTenDecay(lr=0.1, r=100)
    >>> s(1), round(s(101), 12), round(s(201), 12)
    (0.1, 0.01, 0.001)
    """

    lr: float
    r: float

    def __post_init__(self):
        object.__setattr__(self, "lr", check.positive(self.lr, "lr"))
        object.__setattr__(self, "r", check.positive(self.r, "r"))

    def _lr(self, t):
        return self.lr * 10.0 ** (-(t - 1) / self.r)


@dataclass(frozen=True)
class ExponentialDecay(Schedule):
    r"""TensorFlow 1's ``tf.train.exponential_decay``, with ``global_step = t - 1``.

    Parameters
    ----------
    lr : float
        Initial learning rate (TensorFlow's ``learning_rate``), > 0.
    decay_steps : int
        Number of updates per factor of ``decay_rate`` (>= 1).
    decay_rate : float
        Factor in (0, 1].
    staircase : bool
        Round the exponent down, so the rate falls in steps every ``decay_steps`` updates.

    Notes
    -----
    .. math::

        \eta_t = \eta_0 \cdot \rho^{(t - 1)/T}
        \quad\text{or, with staircase,}\quad
        \eta_t = \eta_0 \cdot \rho^{\lfloor (t - 1)/T \rfloor},

    with :math:`\rho` = ``decay_rate`` and :math:`T` = ``decay_steps``. The same as Keras'
    ``ExponentialDecay`` (called with the step count ``t - 1``).

    Examples
    --------
    >>> s = ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5, staircase=True)
    >>> s(np.array([1, 10, 11, 21]))
    array([0.1  , 0.1  , 0.05 , 0.025])
    """

    lr: float
    decay_steps: int
    decay_rate: float
    staircase: bool = False

    def __post_init__(self):
        object.__setattr__(self, "lr", check.positive(self.lr, "lr"))
        object.__setattr__(self, "decay_steps", check.integer(self.decay_steps, "decay_steps", minimum=1))
        object.__setattr__(self, "decay_rate", _factor(self.decay_rate, "decay_rate"))
        if not isinstance(self.staircase, bool):
            raise TypeError(f"staircase must be True or False, got {self.staircase!r}")

    def _lr(self, t):
        p = (t - 1) / self.decay_steps
        if self.staircase:
            p = np.floor(p)
        return self.lr * self.decay_rate**p


@dataclass(frozen=True)
class StepDecay(Schedule):
    r"""Multiply the learning rate by ``gamma`` every ``step_size`` updates (PyTorch's ``StepLR``).

    Notes
    -----
    .. math:: \eta_t = \eta_0\, \gamma^{\lfloor (t - 1)/s \rfloor}

    with :math:`s` = ``step_size``. Equals ``torch.optim.lr_scheduler.StepLR(opt,
    step_size, gamma)`` (with ``scheduler.step()`` once per update) and ``ExponentialDecay(lr,
    step_size, gamma, staircase=True)``.

    Examples
    --------
    >>> StepDecay(1.0, step_size=2, gamma=0.5)(np.array([1, 2, 3, 4, 5]))
    array([1.  , 1.  , 0.5 , 0.5 , 0.25])
    """

    lr: float
    step_size: int
    gamma: float = 0.1

    def __post_init__(self):
        object.__setattr__(self, "lr", check.positive(self.lr, "lr"))
        object.__setattr__(self, "step_size", check.integer(self.step_size, "step_size", minimum=1))
        object.__setattr__(self, "gamma", _factor(self.gamma, "gamma"))

    def _lr(self, t):
        return self.lr * self.gamma ** np.floor((t - 1) / self.step_size)


@dataclass(frozen=True)
class GeometricDecay(Schedule):
    r"""Multiply the learning rate by ``gamma`` after every update (PyTorch's ``ExponentialLR``).

    Notes
    -----
    .. math:: \eta_t = \eta_0\, \gamma^{t - 1}

    Equals ``torch.optim.lr_scheduler.ExponentialLR(opt, gamma)`` and
    ``ExponentialDecay(lr, 1, gamma)``.

    Examples
    --------
    >>> GeometricDecay(1.0, gamma=0.5)(np.array([1, 2, 3]))
    array([1.  , 0.5 , 0.25])
    """

    lr: float
    gamma: float

    def __post_init__(self):
        object.__setattr__(self, "lr", check.positive(self.lr, "lr"))
        object.__setattr__(self, "gamma", _factor(self.gamma, "gamma"))

    def _lr(self, t):
        return self.lr * self.gamma ** (t - 1)


@dataclass(frozen=True)
class InverseTimeDecay(Schedule):
    r"""The :math:`1/t` schedule, as TensorFlow's ``inverse_time_decay`` (``global_step = t - 1``).

    Parameters
    ----------
    lr : float
        Initial learning rate, > 0.
    decay_rate : float
        :math:`k \ge 0`; 0 gives a constant rate.
    decay_steps : int
        Time unit :math:`T` (>= 1); 1 by default.
    staircase : bool
        Round :math:`(t - 1)/T` down.

    Notes
    -----
    .. math:: \eta_t = \frac{\eta_0}{1 + k\,(t - 1)/T}

    For large :math:`t` the rate falls like :math:`1/t`: the sum of the rates diverges
    while the sum of their squares converges, the classical Robbins-Monro conditions under
    which SGD converges.

    References
    ----------
    Robbins & Monro (1951).

    Examples
    --------
    >>> InverseTimeDecay(1.0, decay_rate=1.0)(np.array([1, 2, 4]))
    array([1.  , 0.5 , 0.25])
    """

    lr: float
    decay_rate: float
    decay_steps: int = 1
    staircase: bool = False

    def __post_init__(self):
        object.__setattr__(self, "lr", check.positive(self.lr, "lr"))
        object.__setattr__(self, "decay_rate", check.nonnegative(self.decay_rate, "decay_rate"))
        object.__setattr__(self, "decay_steps", check.integer(self.decay_steps, "decay_steps", minimum=1))
        if not isinstance(self.staircase, bool):
            raise TypeError(f"staircase must be True or False, got {self.staircase!r}")

    def _lr(self, t):
        p = (t - 1) / self.decay_steps
        if self.staircase:
            p = np.floor(p)
        return self.lr / (1 + self.decay_rate * p)


@dataclass(frozen=True)
class CosineAnnealing(Schedule):
    r"""Half a cosine from ``lr`` down to ``eta_min`` in ``T_max`` updates (PyTorch's ``CosineAnnealingLR``).

    Parameters
    ----------
    lr : float
        Initial learning rate :math:`\eta_{\max} > 0`.
    T_max : int
        Number of updates until the minimum (>= 1).
    eta_min : float
        Final learning rate, :math:`0 \le \eta_{\min} < \eta_{\max}`.

    Notes
    -----
    .. math::

        \eta_t = \eta_{\min} + \tfrac12(\eta_{\max} - \eta_{\min})
                 \Bigl(1 + \cos\frac{\pi (t - 1)}{T_{\max}}\Bigr), \qquad t - 1 \le T_{\max},

    and :math:`\eta_t = \eta_{\min}` afterwards. Equals
    ``torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max, eta_min)`` for
    :math:`t - 1 \le T_{\max}`; after that PyTorch keeps following the cosine back up,
    whereas this schedule stays at :math:`\eta_{\min}`.

    References
    ----------
    Loshchilov & Hutter (2017).

    Examples
    --------
    >>> s = CosineAnnealing(1.0, T_max=2)
    >>> s(np.array([1, 2, 3, 4]))
    array([1. , 0.5, 0. , 0. ])
    """

    lr: float
    T_max: int
    eta_min: float = 0.0

    def __post_init__(self):
        object.__setattr__(self, "lr", check.positive(self.lr, "lr"))
        object.__setattr__(self, "T_max", check.integer(self.T_max, "T_max", minimum=1))
        object.__setattr__(self, "eta_min", check.nonnegative(self.eta_min, "eta_min"))
        if self.eta_min >= self.lr:
            raise ValueError(f"eta_min must be < lr = {self.lr!r}, got {self.eta_min!r}")

    def _lr(self, t):
        progress = np.minimum(t - 1, self.T_max) / self.T_max
        return self.eta_min + 0.5 * (self.lr - self.eta_min) * (1 + np.cos(np.pi * progress))


@dataclass(frozen=True)
class WarmupCosine(Schedule):
    r"""A linear warm-up to ``lr``, then a cosine decay to ``eta_min``.

    Parameters
    ----------
    lr : float
        Peak learning rate, > 0.
    warmup_steps : int
        Length :math:`W \ge 1` of the warm-up; the peak is reached in update :math:`W`.
    total_steps : int
        Update :math:`T > W` at which the decay reaches ``eta_min``.
    eta_min : float
        Final learning rate, :math:`0 \le \eta_{\min} < \eta`.

    Notes
    -----
    .. math::

        \eta_t = \begin{cases}
            \eta\, t / W, & t \le W, \\
            \eta_{\min} + \tfrac12 (\eta - \eta_{\min})
              \bigl(1 + \cos\frac{\pi (t - W)}{T - W}\bigr), & W < t \le T, \\
            \eta_{\min}, & t > T.
        \end{cases}

    The warm-up keeps the first updates small while the optimizer's statistics (Adam's
    second moment, batch statistics) are still unreliable. The first update uses
    :math:`\eta / W`, never zero. optax's ``warmup_cosine_decay_schedule(0, lr, W, T,
    eta_min)`` has the same shape, counted from 0, so its first update has rate 0.

    References
    ----------
    Goyal et al. (2017); Loshchilov & Hutter (2017).

    Examples
    --------
    >>> s = WarmupCosine(1.0, warmup_steps=2, total_steps=4)
    >>> s(np.array([1, 2, 3, 4, 5]))
    array([0.5, 1. , 0.5, 0. , 0. ])
    """

    lr: float
    warmup_steps: int
    total_steps: int
    eta_min: float = 0.0

    def __post_init__(self):
        object.__setattr__(self, "lr", check.positive(self.lr, "lr"))
        object.__setattr__(self, "warmup_steps", check.integer(self.warmup_steps, "warmup_steps", minimum=1))
        object.__setattr__(self, "total_steps", check.integer(self.total_steps, "total_steps", minimum=1))
        object.__setattr__(self, "eta_min", check.nonnegative(self.eta_min, "eta_min"))
        if self.total_steps <= self.warmup_steps:
            raise ValueError(
                f"total_steps must be > warmup_steps = {self.warmup_steps}, got {self.total_steps}"
            )
        if self.eta_min >= self.lr:
            raise ValueError(f"eta_min must be < lr = {self.lr!r}, got {self.eta_min!r}")

    def _lr(self, t):
        W, T = self.warmup_steps, self.total_steps
        warmup = self.lr * t / W
        progress = np.clip((t - W) / (T - W), 0.0, 1.0)
        cosine = self.eta_min + 0.5 * (self.lr - self.eta_min) * (1 + np.cos(np.pi * progress))
        return np.where(t <= W, warmup, cosine)
