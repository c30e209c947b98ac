r"""Learning-rate schedules: the step size as a function of the update number ``t``.

A schedule is a frozen dataclass that is called with ``t``: an integer, or an integer
array for a whole curve at once. ``t = 1`` is the first update, as everywhere in gradlib,
so every schedule here except :class:`WarmupCosine` starts at ``schedule(1) == lr``.
Pass one as the ``lr`` of any optimizer: ``gl.Adam(lr=CosineAnnealing(0.01, T_max=100))``.

Framework correspondence: ``schedule(t)`` is the learning rate that PyTorch uses in update
number ``t``, i.e. after ``t - 1`` calls of ``scheduler.step()``; and TensorFlow's
``global_step`` is ``t - 1``.

Two policies need more than ``t``, and are not schedules. :class:`ReduceOnPlateau` reacts
to the loss: its state is explicit (:class:`PlateauState`, advanced by the pure
``update``), and :func:`train_on_plateau` trains with it through :func:`gradlib.run`, one
call per epoch. :func:`lr_range_test` is a single run with the growing schedule
:class:`ExponentialRange`.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from . import _validate as check
from .functions import Problem
from .run import Trajectory, run

__all__ = [
    "Schedule",
    "Constant",
    "PowerOfTenDecay",
    "ExponentialDecay",
    "StepDecay",
    "GeometricDecay",
    "InverseTimeDecay",
    "CosineAnnealing",
    "WarmupCosine",
    "CosineWarmRestarts",
    "OneCycle",
    "ExponentialRange",
    "PlateauState",
    "ReduceOnPlateau",
    "PlateauRun",
    "train_on_plateau",
    "RangeTest",
    "lr_range_test",
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
            raise TypeError(
                f"t must be an integer or an integer array, got {check.show(t)} "
                f"of dtype {arr.dtype}"
            )
        t = arr
    if np.any(t < 1):
        raise ValueError(
            f"t must be >= 1 (t = 1 is the first update), got {check.show(t.tolist())}"
        )
    return t


def _factor(value, name: str) -> float:
    """A multiplicative decay factor in (0, 1]."""
    value = check.in_range(value, name, 0.0, 1.0, low_open=True)
    return value


class Schedule:
    """Base class: validates ``t`` and returns a float for an integer, an array for an array."""

    def __call__(self, t):
        if (
            type(t) is int and t >= 1
        ):  # the optimizers' call, once per update: no conversions
            return float(self._lr(np.float64(t)))
        t = _steps(t)
        lr = np.asarray(self._lr(t.astype(float)), dtype=float)
        return float(lr) if lr.ndim == 0 else lr

    def _lr(
        self, t: np.ndarray
    ) -> np.ndarray:  # pragma: no cover - every subclass overrides it
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
        object.__setattr__(
            self,
            "decay_steps",
            check.integer(self.decay_steps, "decay_steps", minimum=1),
        )
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
        object.__setattr__(
            self, "step_size", check.integer(self.step_size, "step_size", minimum=1)
        )
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
        object.__setattr__(
            self, "decay_rate", check.nonnegative(self.decay_rate, "decay_rate")
        )
        object.__setattr__(
            self,
            "decay_steps",
            check.integer(self.decay_steps, "decay_steps", minimum=1),
        )
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
            raise ValueError(
                f"eta_min must be < lr = {self.lr!r}, got {self.eta_min!r}"
            )

    def _lr(self, t):
        progress = np.minimum(t - 1, self.T_max) / self.T_max
        return self.eta_min + 0.5 * (self.lr - self.eta_min) * (
            1 + np.cos(np.pi * progress)
        )


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
        object.__setattr__(
            self,
            "warmup_steps",
            check.integer(self.warmup_steps, "warmup_steps", minimum=1),
        )
        object.__setattr__(
            self,
            "total_steps",
            check.integer(self.total_steps, "total_steps", minimum=1),
        )
        object.__setattr__(self, "eta_min", check.nonnegative(self.eta_min, "eta_min"))
        if self.total_steps <= self.warmup_steps:
            raise ValueError(
                f"total_steps must be > warmup_steps = {self.warmup_steps}, got "
                f"{self.total_steps}"
            )
        if self.eta_min >= self.lr:
            raise ValueError(
                f"eta_min must be < lr = {self.lr!r}, got {self.eta_min!r}"
            )

    def _lr(self, t):
        W, T = self.warmup_steps, self.total_steps
        warmup = self.lr * t / W
        progress = np.clip((t - W) / (T - W), 0.0, 1.0)
        cosine = self.eta_min + 0.5 * (self.lr - self.eta_min) * (
            1 + np.cos(np.pi * progress)
        )
        return np.where(t <= W, warmup, cosine)


@dataclass(frozen=True)
class CosineWarmRestarts(Schedule):
    r"""SGDR: cosine annealing from ``lr`` to ``eta_min``, restarted every cycle (PyTorch's
    ``CosineAnnealingWarmRestarts``).

    Parameters
    ----------
    lr : float
        Rate at the start of every cycle, :math:`\eta_{\max} > 0`.
    T_0 : int
        Length of the first cycle in updates (>= 1).
    T_mult : int
        Factor by which each cycle is longer than the previous one (>= 1).
    eta_min : float
        Rate approached at the end of every cycle, :math:`0 \le \eta_{\min} < \eta_{\max}`.

    Notes
    -----
    With :math:`e = t - 1` updates made so far, cycle :math:`i` has length
    :math:`T_i = T_0 T_{\text{mult}}^i` and :math:`T_{cur}` counts the updates since its
    restart (:math:`e = T_0 + T_1 + \dots + T_{i-1} + T_{cur}`, :math:`0 \le T_{cur} < T_i`):

    .. math::

        \eta_t = \eta_{\min} + \tfrac12 (\eta_{\max} - \eta_{\min})
                 \Bigl(1 + \cos\frac{\pi\, T_{cur}}{T_i}\Bigr).

    Each cycle starts at :math:`\eta_{\max}` and ends one update before reaching
    :math:`\eta_{\min}`. Equals ``torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt,
    T_0, T_mult, eta_min)`` with ``scheduler.step()`` once per update (``T_cur`` is
    PyTorch's attribute of that name after ``t - 1`` steps). Loshchilov & Hutter restart
    per epoch or per fraction of an epoch; here the unit is the update.

    References
    ----------
    Loshchilov & Hutter (2017).

    Examples
    --------
    Cycles of 2, 4, 8, ... updates:

    >>> s = CosineWarmRestarts(1.0, T_0=2, T_mult=2)
    >>> s(np.arange(1, 8))
    array([1.  , 0.5 , 1.  , 0.85355339, 0.5 , 0.14644661, 1.  ])
    """

    lr: float
    T_0: int
    T_mult: int = 1
    eta_min: float = 0.0

    def __post_init__(self):
        object.__setattr__(self, "lr", check.positive(self.lr, "lr"))
        object.__setattr__(self, "T_0", check.integer(self.T_0, "T_0", minimum=1))
        object.__setattr__(
            self, "T_mult", check.integer(self.T_mult, "T_mult", minimum=1)
        )
        object.__setattr__(self, "eta_min", check.nonnegative(self.eta_min, "eta_min"))
        if self.eta_min >= self.lr:
            raise ValueError(
                f"eta_min must be < lr = {self.lr!r}, got {self.eta_min!r}"
            )

    def cycle(self, t) -> tuple[np.ndarray, np.ndarray]:
        """``(T_cur, T_i)`` of update ``t``: position in the current cycle and its length."""
        e = _steps(t).astype(float) - 1
        if self.T_mult == 1:
            return e % self.T_0, np.full(e.shape, float(self.T_0))
        T_cur, T_i = e, np.full(e.shape, float(self.T_0))
        while np.any(T_cur >= T_i):  # one pass per completed cycle: log(e / T_0) passes
            over = T_cur >= T_i
            T_cur, T_i = (
                np.where(over, T_cur - T_i, T_cur),
                np.where(over, T_i * self.T_mult, T_i),
            )
        return T_cur, T_i

    def _lr(self, t):
        T_cur, T_i = self.cycle(t.astype(np.int64))
        return (
            self.eta_min
            + (self.lr - self.eta_min) * (1 + np.cos(np.pi * T_cur / T_i)) / 2
        )


def _anneal(start, end, pct):
    """Half a cosine from ``start`` (pct = 0) to ``end`` (pct = 1), as PyTorch writes it."""
    return end + (start - end) / 2.0 * (np.cos(np.pi * pct) + 1)


@dataclass(frozen=True)
class OneCycle(Schedule):
    r"""The 1cycle policy: a cosine warm-up to ``max_lr``, then a cosine decay far below the
    start (PyTorch's ``OneCycleLR`` with its defaults).

    Parameters
    ----------
    max_lr : float
        Peak learning rate :math:`\eta_{\max} > 0`.
    total_steps : int
        Length :math:`T \ge 2` of the cycle in updates.
    pct_start : float
        Fraction :math:`p \in (0, 1)` of the cycle spent rising; :math:`pT > 1`.
    div_factor : float
        Start at :math:`\eta_0 = \eta_{\max} / \text{div\_factor}` (> 0).
    final_div_factor : float
        End at :math:`\eta_0 / \text{final\_div\_factor}` (> 0).
    base_momentum, max_momentum : float
        Range of the momentum curve of :meth:`momentum`, :math:`0 \le` base :math:`\le` max.

    Notes
    -----
    With :math:`e = t - 1`, the end of the rise :math:`E = pT - 1` and
    :math:`\operatorname{ann}(a, b, q) = b + \tfrac12 (a - b)(1 + \cos \pi q)`:

    .. math::

        \eta_t = \begin{cases}
            \operatorname{ann}(\eta_0, \eta_{\max}, e / E), & e \le E, \\
            \operatorname{ann}\bigl(\eta_{\max}, \eta_0 / \text{final\_div\_factor},
                                    (e - E) / (T - 1 - E)\bigr), & E < e \le T - 1,
        \end{cases}

    and :math:`\eta_0 / \text{final\_div\_factor}` after update :math:`T`. Equals
    ``torch.optim.lr_scheduler.OneCycleLR(opt, max_lr, total_steps, pct_start,
    anneal_strategy="cos", div_factor=div_factor, final_div_factor=final_div_factor,
    three_phase=False)`` for :math:`t \le T`; PyTorch raises after :math:`T` steps. This is
    fastai's two-phase form, which PyTorch follows by default; Smith & Topin's paper
    describes a symmetric rise and fall plus a final annihilation phase
    (``three_phase=True``), which is not offered here.

    **Momentum.** :meth:`momentum` returns the inverse cycle PyTorch writes into the
    optimizer with ``cycle_momentum=True`` (from ``max_momentum`` down to
    ``base_momentum`` while the rate rises, and back). It is offered for plots and
    comparisons only: gradlib's optimizers take a constant ``gamma`` / ``beta1``, so the
    schedule cannot drive it.

    References
    ----------
    Smith & Topin (2019); Smith (2017).

    Examples
    --------
    >>> s = OneCycle(1.0, total_steps=12, pct_start=0.25, div_factor=10.0, final_div_factor=10.0)
    >>> s(np.array([1, 2, 3, 12]))
    array([0.1 , 0.55, 1.  , 0.01])
    >>> s.momentum(np.array([1, 2, 3, 12]))
    array([0.95, 0.9 , 0.85, 0.95])
    """

    max_lr: float
    total_steps: int
    pct_start: float = 0.3
    div_factor: float = 25.0
    final_div_factor: float = 1e4
    base_momentum: float = 0.85
    max_momentum: float = 0.95

    def __post_init__(self):
        object.__setattr__(self, "max_lr", check.positive(self.max_lr, "max_lr"))
        object.__setattr__(
            self,
            "total_steps",
            check.integer(self.total_steps, "total_steps", minimum=2),
        )
        pct = check.in_range(
            self.pct_start, "pct_start", 0.0, 1.0, low_open=True, high_open=True
        )
        if pct * self.total_steps <= 1:
            raise ValueError(
                f"pct_start * total_steps must be > 1 (a rise of more than one "
                f"update), "
                f"got {pct!r} * {self.total_steps} = {pct * self.total_steps!r}"
            )
        object.__setattr__(self, "pct_start", pct)
        object.__setattr__(
            self, "div_factor", check.positive(self.div_factor, "div_factor")
        )
        final = check.positive(self.final_div_factor, "final_div_factor")
        object.__setattr__(self, "final_div_factor", final)
        base = check.in_range(self.base_momentum, "base_momentum", 0.0, 1.0)
        object.__setattr__(self, "base_momentum", base)
        object.__setattr__(
            self,
            "max_momentum",
            check.in_range(self.max_momentum, "max_momentum", base, 1.0),
        )

    def _phases(self, t):
        """``(rising, pct)``: which phase update ``t`` is in and how far into it."""
        e = np.minimum(t - 1, self.total_steps - 1)
        E = float(self.pct_start * self.total_steps) - 1
        rising = e <= E
        pct = np.where(rising, e / E, (e - E) / (self.total_steps - 1 - E))
        return rising, pct

    def _lr(self, t):
        initial = self.max_lr / self.div_factor
        final = initial / self.final_div_factor
        rising, pct = self._phases(t)
        return np.where(
            rising, _anneal(initial, self.max_lr, pct), _anneal(self.max_lr, final, pct)
        )

    def momentum(self, t):
        """The momentum PyTorch's ``OneCycleLR`` sets for update ``t`` (``cycle_momentum=True``)."""
        rising, pct = self._phases(_steps(t).astype(float))
        low, high = self.base_momentum, self.max_momentum
        m = np.where(rising, _anneal(high, low, pct), _anneal(low, high, pct))
        return float(m) if m.ndim == 0 else m


@dataclass(frozen=True)
class ExponentialRange(Schedule):
    r"""A rate growing geometrically from ``lr_min`` to ``lr_max`` in ``steps`` updates.

    Parameters
    ----------
    lr_min, lr_max : float
        First and last rate, :math:`0 < \eta_{\min} < \eta_{\max}`.
    steps : int
        Number of updates :math:`N \ge 2` of the sweep.

    Notes
    -----
    .. math:: \eta_t = \eta_{\min} \Bigl(\frac{\eta_{\max}}{\eta_{\min}}\Bigr)^{(t - 1)/(N - 1)},
              \qquad 1 \le t \le N,

    and :math:`\eta_{\max}` after update :math:`N`. Equal steps in :math:`\log \eta`: the
    schedule of the learning-rate range test (:func:`lr_range_test`).

    References
    ----------
    Smith (2017).

    Examples
    --------
    >>> ExponentialRange(1e-3, 1.0, steps=4)(np.array([1, 2, 3, 4, 5]))
    array([0.001, 0.01 , 0.1  , 1.   , 1.   ])
    """

    lr_min: float
    lr_max: float
    steps: int

    def __post_init__(self):
        object.__setattr__(self, "lr_min", check.positive(self.lr_min, "lr_min"))
        object.__setattr__(
            self,
            "lr_max",
            check.in_range(self.lr_max, "lr_max", self.lr_min, low_open=True),
        )
        object.__setattr__(self, "steps", check.integer(self.steps, "steps", minimum=2))

    def _lr(self, t):
        progress = (np.minimum(t, self.steps) - 1) / (self.steps - 1)
        return self.lr_min * (self.lr_max / self.lr_min) ** progress


# ---------------------------------------------------------------- reduce on plateau


class PlateauState(NamedTuple):
    """State of :class:`ReduceOnPlateau`: PyTorch's attributes of the same names."""

    lr: float
    best: float
    num_bad_epochs: int
    cooldown_counter: int


@dataclass(frozen=True)
class ReduceOnPlateau:
    r"""Cut the learning rate by ``factor`` when the loss stops improving (PyTorch's
    ``ReduceLROnPlateau``), with explicit state.

    Not a schedule: the rate depends on the losses seen, not on ``t``. The policy is a
    pure function of its state and the next loss, ``state = policy.update(state, loss)``;
    :meth:`lrs` replays it over a sequence of losses, and :func:`train_on_plateau` trains
    with it.

    Parameters
    ----------
    factor : float
        Multiply the rate by this factor in (0, 1) at each reduction.
    patience : int
        Number of non-improving epochs tolerated (>= 0); the next one reduces the rate.
    threshold : float
        Improvement required to count (>= 0), relative or absolute (``threshold_mode``).
    threshold_mode : {"rel", "abs"}
        Compare with ``best * (1 - threshold)`` or ``best - threshold`` (mode ``"min"``).
    cooldown : int
        Epochs after a reduction during which bad epochs are not counted (>= 0).
    min_lr : float
        The rate never goes below this (>= 0).
    eps : float
        A reduction smaller than ``eps`` is skipped (>= 0).
    mode : {"min", "max"}
        Whether the monitored quantity should fall (a loss) or rise (an accuracy).

    Notes
    -----
    For every observed loss :math:`L` (mode ``"min"``, relative threshold :math:`\tau`):

    .. math::

        \text{better} &= L < \text{best}\,(1 - \tau) \\
        \text{best}, b &\leftarrow (L, 0) \text{ if better, else } (\text{best}, b + 1) \\
        \text{in cooldown: } c &\leftarrow c - 1,\; b \leftarrow 0 \\
        \text{if } b > \text{patience}: \eta &\leftarrow \max(\phi\,\eta, \eta_{\min})
            \text{ (unless that changes } \eta \text{ by at most eps)},\;
            c \leftarrow \text{cooldown},\; b \leftarrow 0

    with best :math:`= +\infty` at the start, :math:`b` the count of bad epochs,
    :math:`c` the cooldown counter and :math:`\phi` = ``factor``. The update is
    PyTorch's ``ReduceLROnPlateau.step(loss)`` line by line, including its quirk in
    relative mode that a negative best value makes the threshold easier, not harder, to
    beat.

    References
    ----------
    The rule has no paper of its own; it is PyTorch's ``torch.optim.lr_scheduler.ReduceLROnPlateau``
    (and Keras's ``ReduceLROnPlateau``). On decaying the learning rate in general: Goodfellow,
    Bengio & Courville (2016), section 8.3.1.

    Examples
    --------
    >>> policy = ReduceOnPlateau(factor=0.5, patience=1)
    >>> policy.lrs([1.0, 0.5, 0.6, 0.6, 0.6, 0.4], lr=0.1)
    array([0.1 , 0.1 , 0.1 , 0.05, 0.05, 0.05])
    """

    factor: float = 0.1
    patience: int = 10
    threshold: float = 1e-4
    threshold_mode: str = "rel"
    cooldown: int = 0
    min_lr: float = 0.0
    eps: float = 1e-8
    mode: str = "min"

    def __post_init__(self):
        fields = {
            "factor": check.in_range(
                self.factor, "factor", 0.0, 1.0, low_open=True, high_open=True
            ),
            "patience": check.integer(self.patience, "patience", minimum=0),
            "threshold": check.nonnegative(self.threshold, "threshold"),
            "threshold_mode": check.choice(
                self.threshold_mode, "threshold_mode", ("rel", "abs")
            ),
            "cooldown": check.integer(self.cooldown, "cooldown", minimum=0),
            "min_lr": check.nonnegative(self.min_lr, "min_lr"),
            "eps": check.nonnegative(self.eps, "eps"),
            "mode": check.choice(self.mode, "mode", ("min", "max")),
        }
        for name, value in fields.items():
            object.__setattr__(self, name, value)

    def init(self, lr: float) -> PlateauState:
        """The state before the first loss: rate ``lr``, best value the worst possible."""
        worst = np.inf if self.mode == "min" else -np.inf
        return PlateauState(
            lr=check.positive(lr, "lr"),
            best=worst,
            num_bad_epochs=0,
            cooldown_counter=0,
        )

    def better(self, loss: float, best: float) -> bool:
        """Whether ``loss`` improves on ``best`` by more than the threshold."""
        sign = 1.0 if self.mode == "max" else -1.0
        if self.threshold_mode == "rel":
            return bool(sign * loss > sign * best * (1.0 + sign * self.threshold))
        return bool(sign * loss > sign * best + self.threshold)

    def update(self, state: PlateauState, loss: float) -> PlateauState:
        """The state after observing ``loss`` (pure: ``state`` is not modified)."""
        if not isinstance(state, PlateauState):
            raise check.fail(
                TypeError, "state", "a PlateauState from ReduceOnPlateau.init", state
            )
        loss = check.real(loss, "loss")
        lr, best, bad, cool = state
        if self.better(loss, best):
            best, bad = loss, 0
        else:
            bad += 1
        if cool > 0:
            cool, bad = cool - 1, 0
        if bad > self.patience:
            new_lr = max(lr * self.factor, self.min_lr)
            lr = new_lr if lr - new_lr > self.eps else lr
            cool, bad = self.cooldown, 0
        return PlateauState(lr, best, bad, cool)

    def lrs(self, losses, lr: float) -> np.ndarray:
        """The rate after each of ``losses`` (shape ``(n,)``), starting from ``lr``."""
        losses = check.vector(losses, "losses")
        state, out = self.init(lr), []
        for loss in losses:
            state = self.update(state, float(loss))
            out.append(state.lr)
        return np.array(out)


@dataclass(frozen=True)
class PlateauRun:
    """What :func:`train_on_plateau` did.

    Attributes
    ----------
    trajectory : Trajectory
        The epochs' runs joined into one (update numbers continue; ``states`` is empty).
    lrs : ndarray, shape (epochs,)
        The learning rate of every epoch run.
    losses : ndarray, shape (epochs,)
        The monitored loss after every completed epoch (one fewer when the last diverged).
    """

    trajectory: Trajectory
    lrs: np.ndarray
    losses: np.ndarray


@dataclass(frozen=True)
class _Resume:
    """An optimizer whose ``init`` returns a given state: the next epoch continues the last."""

    opt: object
    state: object

    def init(self, x):
        return self.opt.init(x) if self.state is None else self.state

    def lookahead(self, x, state):
        return self.opt.lookahead(x, state)

    def step(self, x, g, state):
        return self.opt.step(x, g, state)


def _fields(opt, x) -> tuple:
    """The names of the fields of ``opt``'s state, or raise if ``opt`` cannot be resumed."""
    check.optimizer(opt, "opt_factory(lr)")
    fields = getattr(opt.init(x), "_fields", None)
    if fields is None:
        raise check.fail(
            TypeError,
            "opt_factory(lr)",
            "an optimizer whose state is a NamedTuple",
            opt,
        )
    return fields


def _last_state(state_type: type, seg: Trajectory):
    """The optimizer state after the last update of ``seg``, rebuilt from its record."""
    values = [seg.states[name][-1] for name in state_type._fields]
    return state_type(*(v.item() if v.ndim == 0 else v for v in values))


def _join(pieces: list[Trajectory]) -> Trajectory:
    """One trajectory from runs that each start where the previous one ended."""
    offsets = np.cumsum([0] + [p.steps for p in pieces[:-1]])
    last = pieces[-1]

    def cat(arrays, skip=1):
        return np.concatenate([arrays[0]] + [a[skip:] for a in arrays[1:]])

    at = None if last.diverged_at is None else int(offsets[-1] + last.diverged_at)
    return Trajectory(
        xs=cat([p.xs for p in pieces]),
        ts=cat([p.ts + o for p, o in zip(pieces, offsets, strict=True)]),
        fs=cat([p.fs for p in pieces]),
        grad_norms=cat([p.grad_norms for p in pieces], skip=0),
        steps=int(sum(p.steps for p in pieces)),
        diverged=last.diverged,
        diverged_at=at,
        converged=False,
        n_grad=int(sum(p.n_grad for p in pieces)),
        name=last.name,
        n_examples=int(sum(p.n_examples for p in pieces)),
    )


def train_on_plateau(
    opt_factory: Callable,
    problem: Problem,
    x0,
    lr: float,
    epochs: int,
    steps: int | None = None,
    *,
    policy: ReduceOnPlateau | None = None,
    batch_size: int | None = None,
    monitor: Callable | None = None,
    rng=None,
) -> PlateauRun:
    r"""Train with :class:`ReduceOnPlateau`: one :func:`gradlib.run` per epoch, then read the loss.

    Parameters
    ----------
    opt_factory : callable
        ``opt_factory(lr)`` returns the optimizer for an epoch run at rate ``lr``
        (``lambda lr: gl.Momentum(lr=lr, gamma=0.9)``); it is called once per epoch.
    problem : Problem or FiniteSumProblem
        What to minimize; its ``f`` is the default loss to watch.
    x0 : array_like
        Starting point.
    lr : float
        Initial learning rate (> 0).
    epochs : int
        Number of epochs (>= 1).
    steps : int, optional
        Updates per epoch. Without it, an epoch is one pass over the examples in
        mini-batches of ``batch_size``.
    policy : ReduceOnPlateau, optional
        The plateau rule; ``ReduceOnPlateau()`` (PyTorch's defaults) if not given.
    batch_size : int, optional
        Mini-batch size, passed on to :func:`gradlib.run`.
    monitor : callable, optional
        ``monitor(x)`` is the loss the policy watches after every epoch (a validation
        loss, say); ``problem.f`` by default.
    rng : None, int or numpy.random.Generator
        One generator for the whole training: the epochs draw from it in turn.

    Returns
    -------
    PlateauRun

    Notes
    -----
    The loop is only bookkeeping around the one training loop: for epoch :math:`k`,
    :math:`\eta_k` is the policy's rate, ``run(opt_factory(eta_k), ...)`` makes the
    updates, :math:`L_k` = ``monitor(x)`` is read at the end, and
    ``policy.update(state, L_k)`` gives :math:`\eta_{k+1}`. The optimizer state (step
    counter, momentum, second moments) carries over from epoch to epoch: each run
    records the state fields and the next run starts from the last of them, so the
    joined trajectory is the one a single run would make with the rate switched between
    epochs. Training stops early when a run diverges.

    References
    ----------
    PyTorch's ``torch.optim.lr_scheduler.ReduceLROnPlateau``, used the same way (``step(loss)``
    once per epoch).

    Examples
    --------
    Gradient descent with a rate just above the stability limit 0.2 of this quadratic: the
    loss grows in the second epoch, so the third runs at a tenth of the rate.

    >>> from gradlib import GD, functions
    >>> out = train_on_plateau(lambda lr: GD(lr=lr), functions.quadratic(kappa=10.0), [1.0, 1.0],
    ...                        lr=0.21, epochs=4, steps=5, policy=ReduceOnPlateau(patience=0))
    >>> out.lrs.tolist(), out.losses.round(2).tolist(), out.trajectory.steps
    ([0.21, 0.21, 0.021, 0.021], [13.02, 33.64, 3.19, 0.3], 20)
    """
    check.function(opt_factory, "opt_factory")
    if not isinstance(problem, Problem):
        raise check.fail(
            TypeError, "problem", "a Problem (its f gives the loss to watch)", problem
        )
    lr = check.positive(lr, "lr")
    epochs = check.integer(epochs, "epochs", minimum=1)
    if steps is None and batch_size is None:
        raise ValueError(
            "give steps (updates per epoch) or batch_size (an epoch is a pass over "
            "the data)"
        )
    policy = ReduceOnPlateau() if policy is None else policy
    if not isinstance(policy, ReduceOnPlateau):
        raise check.fail(TypeError, "policy", "a ReduceOnPlateau", policy)
    monitor = problem.f if monitor is None else check.function(monitor, "monitor")
    gen = check.rng(rng)
    x, opt_state, state = check.array(x0, "x0"), None, policy.init(lr)
    pieces, lrs, losses = [], [], []
    for _ in range(epochs):
        opt = opt_factory(state.lr)
        fields = _fields(opt, x)
        seg = run(
            _Resume(opt, opt_state),
            problem,
            x,
            steps,
            epochs=None if steps is not None else 1,
            batch_size=batch_size,
            rng=gen,
            record=fields,
            name=type(opt).__name__,
        )
        pieces.append(seg)
        lrs.append(state.lr)
        if seg.diverged:
            break
        x, opt_state = seg.x, _last_state(type(opt.init(x)), seg)
        losses.append(float(monitor(x)))
        state = policy.update(state, losses[-1])
    return PlateauRun(
        trajectory=_join(pieces), lrs=np.array(lrs), losses=np.array(losses)
    )


# ----------------------------------------------------------------------- range test


@dataclass(frozen=True)
class RangeTest:
    """What :func:`lr_range_test` measured.

    Attributes
    ----------
    lrs : ndarray, shape (k,)
        The learning rate of each update (``k = steps`` unless the run diverged).
    losses : ndarray, shape (k,)
        The loss after each update.
    lr : float
        The suggested learning rate: ``lrs[argmin(losses)] / 10``.
    trajectory : Trajectory
        The run itself.
    """

    lrs: np.ndarray
    losses: np.ndarray
    lr: float
    trajectory: Trajectory


def lr_range_test(
    opt_factory: Callable,
    problem: Problem,
    x0,
    lr_min: float = 1e-6,
    lr_max: float = 10.0,
    steps: int = 100,
    *,
    batch_size: int | None = None,
    rng=None,
) -> RangeTest:
    r"""The learning-rate range test: one run with a geometrically growing rate.

    Parameters
    ----------
    opt_factory : callable
        ``opt_factory(schedule)`` returns the optimizer with that ``lr``
        (``lambda lr: gl.Adam(lr=lr)``).
    problem : Problem or FiniteSumProblem
        What to minimize; its ``f`` gives the recorded losses.
    x0 : array_like
        Starting point.
    lr_min, lr_max : float
        First and last rate of the sweep, :math:`0 < \eta_{\min} < \eta_{\max}`.
    steps : int
        Number of updates (>= 2).
    batch_size : int, optional
        Mini-batch size, passed on to :func:`gradlib.run` (the recorded losses are the
        full objective all the same).
    rng : None, int or numpy.random.Generator
        Source of the mini-batches.

    Returns
    -------
    RangeTest

    Notes
    -----
    The run uses :class:`ExponentialRange`,
    :math:`\eta_t = \eta_{\min} (\eta_{\max}/\eta_{\min})^{(t-1)/(N-1)}`, and records
    the loss :math:`L_t` after every update. Plotted against :math:`\log \eta_t` the loss
    stays flat while the rate is too small, falls, and blows up once the rate is too
    large; the run stops at the first non-finite value (:func:`gradlib.run`'s guard).
    Smith grows the rate linearly over a few epochs and reads a range of good rates off
    the curve by eye; the geometric sweep (as in fastai's ``lr_find``) spends as many
    updates on each decade of rates. The suggestion returned here
    is a fixed rule of thumb (fastai's ``lr_min``): a tenth of the rate at which the loss
    was lowest, :math:`\eta^\star = \eta_{\arg\min_t L_t} / 10`, one order of magnitude
    below the edge of instability. The losses are those of a single growing-rate run,
    so each one also reflects the rates before it.

    References
    ----------
    Smith (2017), section 3.3.

    Examples
    --------
    On :math:`f(x) = \tfrac12 \|x\|^2` gradient descent is stable for :math:`\eta < 2`;
    the loss is lowest at the last rate of the sweep below that edge:

    >>> from gradlib import GD, functions
    >>> test = lr_range_test(lambda lr: GD(lr=lr), functions.quadratic(kappa=1.0), [1.0, 1.0],
    ...                      lr_min=1e-3, lr_max=1e3, steps=60)
    >>> round(10 * test.lr, 3), bool(test.losses[-1] > 1e70)
    (1.796, True)
    """
    check.function(opt_factory, "opt_factory")
    if not isinstance(problem, Problem):
        raise check.fail(
            TypeError, "problem", "a Problem (its f gives the losses)", problem
        )
    schedule = ExponentialRange(lr_min, lr_max, steps)
    traj = run(
        opt_factory(schedule),
        problem,
        x0,
        schedule.steps,
        batch_size=batch_size,
        rng=rng,
    )
    lrs, losses = schedule(traj.ts[1:]), traj.fs[1:]
    if losses.size == 0:
        raise ValueError(
            f"lr_min must let the first update stay finite, got {schedule.lr_min!r}"
        )
    return RangeTest(
        lrs=lrs, losses=losses, lr=float(lrs[np.argmin(losses)] / 10), trajectory=traj
    )
