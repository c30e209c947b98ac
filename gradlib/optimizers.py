r"""First-order optimizers, one class each, written line for line like the book's equations.

Every optimizer follows the same small protocol:

``state = opt.init(x0)``
    the algorithm's variables (a ``NamedTuple``: step counter ``t``, accumulators ``m``, ``s``...).
``x, state = opt.step(x, g, state)``
    one update, given the gradient ``g`` at ``opt.lookahead(x, state)``.
``opt.lookahead(x, state)``
    where the gradient must be evaluated; ``x`` itself for every method but Nesterov's.

:func:`gradlib.run` is the loop that calls them.

Conventions shared by every class (each class states only its own equations and deviations):

- **Hyperparameters** are fields of a frozen dataclass, checked when the optimizer is built.
  ``lr`` is the learning rate :math:`\eta > 0`, or a schedule: a callable ``lr(t)`` whose value
  in update ``t`` is checked to be finite and >= 0 (see :mod:`gradlib.schedules`).
  ``eps`` is the guard :math:`\varepsilon > 0` against division by zero; decay rates
  (``gamma``, ``rho``, ``beta1``, ``beta2``) lie in [0, 1).
- **State.** The step counter ``t`` is 0 in the initial state and 1 during the first update
  (so bias corrections divide by :math:`1-\beta^t` with :math:`t \ge 1`). Every accumulator
  starts at zero, unless the class names another start value. ``step`` is pure: it never
  modifies ``x``, ``g`` or the state in place, so old states stay valid.
- **Shapes.** ``x`` may have any shape (a vector, a weight matrix); the accumulators have the
  shape of ``x``; every update is a handful of whole-array numpy operations.
- **Where** :math:`\varepsilon` **sits.** Outside the square root,
  :math:`\eta\, g / (\sqrt{s} + \varepsilon)`, as in the papers and PyTorch; ``eps_inside=True``
  gives :math:`\eta\, g / \sqrt{s + \varepsilon}`, the source notes' form and optax's default
  for RMSprop and AdaGrad. Adadelta has it inside both roots, as Zeiler wrote it.

The framework classes each one equals (PyTorch 2.x ``torch.optim``; the tests replay runs
recorded from PyTorch and match them to rounding):

=============  ===================================================  ==========================================
gradlib        PyTorch                                              others
=============  ===================================================  ==========================================
``GD``         ``SGD(lr)``                                          ``keras.optimizers.SGD(lr)``
``Momentum``   ``SGD(lr, momentum=gamma)`` (``form="sum"``)         TF1 ``MomentumOptimizer``; Keras ``SGD``
                                                                    is ``form="lr_inside"``
``Nesterov``   ``SGD(lr, momentum=gamma, nesterov=True)``           TF1 ``use_nesterov=True``
               (``form="pytorch"``)
``AdaGrad``    ``Adagrad(lr, eps, initial_accumulator_value)``      optax: ``s`` starts at 0.1,
                                                                    eps inside
``RMSprop``    ``RMSprop(lr, alpha=gamma, eps, centered,            TF1 ``RMSPropOptimizer``: ``s``
               momentum)``                                          starts at 1, eps inside;
                                                                    Keras 3: eps inside
``Rprop``      ``Rprop(lr, etas, step_sizes)``
``Adadelta``   ``Adadelta(lr, rho, eps)``                           Keras / TF1 default
                                                                    ``learning_rate=0.001``
``Adam``       ``Adam(lr, betas=(beta1, beta2), eps)``              ``keras.optimizers.Adam``
``AdaMax``     ``Adamax(lr, betas, eps)``
``Nadam``      ``NAdam(lr, betas, eps, momentum_decay)``            ``keras.optimizers.Nadam``
``AMSGrad``    ``Adam(..., amsgrad=True)`` (``form="pytorch"``)
``AdamW``      ``AdamW(lr, betas, eps, weight_decay)``
``RAdam``      ``RAdam(lr, betas, eps)``
``ASGD``       ``ASGD(lr, lambd, alpha, t0, weight_decay)``
=============  ===================================================  ==========================================
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from . import _validate as check

__all__ = [
    "Optimizer",
    "GD",
    "GDState",
    "Momentum",
    "MomentumState",
    "Nesterov",
    "NesterovState",
    "AdaGrad",
    "AdaGradState",
    "RMSprop",
    "RMSpropState",
    "Rprop",
    "RpropState",
    "Adadelta",
    "AdadeltaState",
    "Adam",
    "AdamState",
    "AdaMax",
    "AdaMaxState",
    "Nadam",
    "NadamState",
    "AMSGrad",
    "AMSGradState",
    "AdamW",
    "RAdam",
    "ASGD",
    "ASGDState",
]

LearningRate = float | Callable[[int], float]


class Optimizer:
    """Base class: the learning-rate lookup, the default look-ahead and the entry checks."""

    state_type: type = tuple

    def lookahead(self, x: np.ndarray, state) -> np.ndarray:
        """Point at which the next gradient is evaluated (``x`` itself by default)."""
        return x

    def lr_at(self, t: int) -> float:
        """The learning rate used in update number ``t`` (``t = 1`` is the first update)."""
        lr = self.lr
        if callable(lr):
            value = lr(t)
            if (
                type(value) is float and 0.0 <= value < math.inf
            ):  # the common case, checked
                return value
            return check.nonnegative(value, f"lr({t})")
        return lr

    def _set(self, **fields) -> None:
        for name, value in fields.items():
            object.__setattr__(self, name, value)

    def _start(self, x) -> np.ndarray:
        """Check the starting point of ``init``: a finite array of numbers, any shape."""
        return check.array(x, "x")

    def _check_step(self, x, g, state):
        """Return ``x`` and ``g`` as float arrays; raise if shapes or the state do not fit."""
        if (  # what gl.run passes: nothing to convert, only the shapes to compare
            type(x) is np.ndarray
            and type(g) is np.ndarray
            and x.dtype == g.dtype == np.float64
            and x.shape == g.shape
            and type(state) is self.state_type
            and all(v.shape == x.shape for v in state if type(v) is np.ndarray)
        ):
            return x, g
        x = check.array(x, "x", finite=False, copy=False)
        g = check.same_shape(g, "g", x, "x")
        if not isinstance(state, self.state_type):
            raise check.fail(
                TypeError,
                "state",
                f"a {self.state_type.__name__} from {type(self).__name__}.init",
                state,
            )
        for field, value in zip(state._fields, state, strict=True):
            if isinstance(value, np.ndarray) and value.shape != x.shape:
                raise ValueError(
                    f"state.{field} must have the shape of x {x.shape}, got shape "
                    f"{value.shape}"
                )
        return x, g


def _betas(opt) -> dict:
    """The checked ``lr``, ``beta1``, ``beta2`` and ``eps`` shared by the Adam family."""
    return {
        "lr": check.learning_rate(opt.lr),
        "beta1": check.decay(opt.beta1, "beta1"),
        "beta2": check.decay(opt.beta2, "beta2"),
        "eps": check.positive(opt.eps, "eps"),
    }


# ------------------------------------------------------------------------- plain GD


class GDState(NamedTuple):
    """State of plain gradient descent: only the step counter."""

    t: int


@dataclass(frozen=True)
class GD(Optimizer):
    r"""Gradient descent.

    Parameters
    ----------
    lr : float or callable
        Learning rate (see the module's conventions).

    Notes
    -----
    .. math:: x \leftarrow x - \eta\, g

    References
    ----------
    Nocedal & Wright (2006), chapter 3.

    Examples
    --------
    >>> opt = GD(lr=0.1)
    >>> x, state = opt.step(np.array([1.0]), np.array([2.0]), opt.init(np.array([1.0])))
    >>> x, state.t
    (array([0.8]), 1)
    """

    lr: LearningRate = 0.1
    state_type = GDState

    def __post_init__(self):
        self._set(lr=check.learning_rate(self.lr))

    def init(self, x) -> GDState:
        self._start(x)
        return GDState(t=0)

    def step(self, x, g, state: GDState):
        x, g = self._check_step(x, g, state)
        t = state.t + 1
        lr = self.lr_at(t)
        x = x - lr * g
        return x, GDState(t)


# ------------------------------------------------------------------------- momentum


class MomentumState(NamedTuple):
    """Step counter ``t`` and momentum ``m``."""

    t: int
    m: np.ndarray


@dataclass(frozen=True)
class Momentum(Optimizer):
    r"""Heavy-ball momentum, in three parameterizations.

    Parameters
    ----------
    lr : float or callable
        Learning rate.
    gamma : float
        Momentum coefficient :math:`\gamma \in [0, 1)`.
    form : {"sum", "lr_inside", "ema"}
        Where the learning rate and the factor :math:`1-\gamma` sit (see Notes).

    Notes
    -----
    ``form="sum"`` (the default; PyTorch, TensorFlow 1):

    .. math::
        m &\leftarrow \gamma\, m + g \\
        x &\leftarrow x - \eta\, m

    ``form="lr_inside"`` (Keras, and the first form of the source notes):

    .. math::
        m &\leftarrow \gamma\, m + \eta\, g \\
        x &\leftarrow x - m

    ``form="ema"`` (the second form of the notes, with the learning rate they dropped):

    .. math::
        m &\leftarrow \gamma\, m + (1 - \gamma)\, g \\
        x &\leftarrow x - \eta\, m

    Under a constant learning rate ``"sum"`` and ``"lr_inside"`` give the same iterates
    (``m`` differs by the factor :math:`\eta`); once the learning rate changes they differ,
    because ``"lr_inside"`` keeps old gradients scaled by the old rates. ``"ema"`` equals
    ``"sum"`` with the learning rate :math:`\eta (1-\gamma)`. PyTorch starts its buffer at
    :math:`b_1 = g_1`, which is what :math:`m_0 = 0` gives; Keras's velocity is :math:`-m`.

    References
    ----------
    Polyak (1964); Sutskever et al. (2013).

    Examples
    --------
    >>> opt = Momentum(lr=0.1, gamma=0.9)
    >>> x, state = np.array([1.0]), opt.init(np.array([1.0]))
    >>> x, state = opt.step(x, np.array([1.0]), state)
    >>> x, state = opt.step(x, np.array([1.0]), state)
    >>> round(float(x[0]), 12), state.m
    (0.71, array([1.9]))
    """

    lr: LearningRate = 0.01
    gamma: float = 0.9
    form: str = "sum"
    state_type = MomentumState
    forms = ("sum", "lr_inside", "ema")

    def __post_init__(self):
        self._set(
            lr=check.learning_rate(self.lr),
            gamma=check.decay(self.gamma, "gamma"),
            form=check.choice(self.form, "form", self.forms),
        )

    def init(self, x) -> MomentumState:
        return MomentumState(t=0, m=np.zeros_like(self._start(x)))

    def step(self, x, g, state: MomentumState):
        x, g = self._check_step(x, g, state)
        t, m = state.t + 1, state.m
        lr, gamma = self.lr_at(t), self.gamma
        if self.form == "sum":
            m = gamma * m + g
            x = x - lr * m
        elif self.form == "lr_inside":
            m = gamma * m + lr * g
            x = x - m
        else:  # "ema"
            m = gamma * m + (1 - gamma) * g
            x = x - lr * m
        return x, MomentumState(t, m)


# ------------------------------------------------------------------------- Nesterov


class NesterovState(NamedTuple):
    """Step counter ``t``, momentum ``m`` (its meaning depends on the form), ``k`` the updates
    since the last restart, and the number of ``restarts``."""

    t: int
    m: np.ndarray
    k: int = 0
    restarts: int = 0


@dataclass(frozen=True)
class Nesterov(Optimizer):
    r"""Nesterov's accelerated gradient, in the look-ahead form or PyTorch's form.

    Parameters
    ----------
    lr : float or callable
        Learning rate.
    gamma : float or callable
        Momentum coefficient :math:`\gamma \in [0, 1)`, or a schedule ``gamma(k)`` of the
        update number ``k`` counted from the last restart (1 in the first update): for instance
        ``lambda k: max(k - 2, 0) / (k + 1)``, the coefficient :math:`(j-1)/(j+2)` of
        Nesterov's method for convex functions in the indexing of Su, Boyd & Candes.
    form : {"lookahead", "pytorch"}
        Which of the two equivalent parameterizations to run (see Notes).
    restart : bool
        Gradient restart (O'Donoghue & Candes): when an update's step points uphill along
        the gradient it used, the momentum is reset to zero and ``k`` to 0.

    Notes
    -----
    ``form="lookahead"`` (the form of Sutskever et al.; ``m`` is the velocity, already
    scaled by the learning rate). The gradient is taken at the look-ahead point
    :math:`x - \gamma m`, which :meth:`lookahead` returns and :func:`gradlib.run` uses:

    .. math::
        g &= \nabla f(x - \gamma\, m) \\
        m &\leftarrow \gamma\, m + \eta\, g \\
        x &\leftarrow x - m

    ``form="pytorch"`` (the stored look-ahead form of Bengio et al.: the gradient at the
    current point; ``m`` is PyTorch's momentum buffer :math:`b`):

    .. math::
        g &= \nabla f(x) \\
        m &\leftarrow \gamma\, m + g \\
        x &\leftarrow x - \eta\, (g + \gamma\, m)

    With a constant learning rate the two forms produce the same sequence under the change
    of variables :math:`x_\text{pytorch} = x_\text{lookahead} - \gamma\, m_\text{lookahead}`
    (the PyTorch iterate is the look-ahead point) and
    :math:`m_\text{pytorch} = m_\text{lookahead} / \eta`.

    With ``restart=True`` the test after each update is :math:`g^\top d > 0` for the step
    :math:`d` just taken (:math:`d = -m` in the look-ahead form): the momentum then pushes
    uphill, and the method starts again from rest, which keeps the acceleration without its
    oscillations when the condition number is not known.

    References
    ----------
    Nesterov (1983); Sutskever et al. (2013); Bengio, Boulanger-Lewandowski & Pascanu (2013);
    Su, Boyd & Candes (2016); O'Donoghue & Candes (2015).

    Examples
    --------
    >>> opt = Nesterov(lr=0.1, gamma=0.9)
    >>> x, state = np.array([1.0]), opt.init(np.array([1.0]))
    >>> x, state = opt.step(x, np.array([1.0]), state)
    >>> x, opt.lookahead(x, state)
    (array([0.9]), array([0.81]))
    """

    lr: LearningRate = 0.01
    gamma: float | Callable[[int], float] = 0.9
    form: str = "lookahead"
    restart: bool = False
    state_type = NesterovState
    forms = ("lookahead", "pytorch")

    def __post_init__(self):
        gamma = self.gamma if callable(self.gamma) else check.decay(self.gamma, "gamma")
        self._set(
            lr=check.learning_rate(self.lr),
            gamma=gamma,
            form=check.choice(self.form, "form", self.forms),
            restart=check.flag(self.restart, "restart"),
        )

    def gamma_at(self, k: int) -> float:
        """The momentum coefficient of update ``k`` since the last restart."""
        if callable(self.gamma):
            return check.in_range(
                self.gamma(k), f"gamma({k})", 0.0, 1.0, high_open=True
            )
        return self.gamma

    def init(self, x) -> NesterovState:
        return NesterovState(t=0, m=np.zeros_like(self._start(x)))

    def lookahead(self, x, state: NesterovState) -> np.ndarray:
        """The look-ahead point :math:`x - \\gamma m` (``x`` itself in the PyTorch form)."""
        if self.form == "pytorch":
            return x
        return x - self.gamma_at(state.k + 1) * state.m

    def step(self, x, g, state: NesterovState):
        x, g = self._check_step(x, g, state)
        t, k, m = state.t + 1, state.k + 1, state.m
        lr, gamma = self.lr_at(t), self.gamma_at(k)
        if self.form == "lookahead":
            m = gamma * m + lr * g
            d = -m
        else:  # "pytorch"
            m = gamma * m + g
            d = -lr * (g + gamma * m)
        x = x + d
        if self.restart and np.vdot(g, d) > 0:  # the step went uphill: start from rest
            return x, NesterovState(t, np.zeros_like(m), 0, state.restarts + 1)
        return x, NesterovState(t, m, k, state.restarts)


# -------------------------------------------------------------------------- AdaGrad


class AdaGradState(NamedTuple):
    """Step counter ``t`` and the sum of squared gradients ``s``."""

    t: int
    s: np.ndarray


@dataclass(frozen=True)
class AdaGrad(Optimizer):
    r"""AdaGrad: per-coordinate steps scaled by the root of the summed squared gradients.

    Parameters
    ----------
    lr, eps : float
        Learning rate (or schedule) and guard.
    initial_accumulator_value : float
        Start value of ``s`` (>= 0).
    eps_inside : bool
        Put :math:`\varepsilon` inside the square root (the source notes' form).

    Notes
    -----
    .. math::
        s &\leftarrow s + g \odot g \\
        x &\leftarrow x - \frac{\eta}{\sqrt{s} + \varepsilon} \odot g

    PyTorch's ``lr_decay=k`` is the schedule ``lr=lambda t: lr0 / (1 + (t - 1) * k)``.

    References
    ----------
    Duchi et al. (2011).

    Examples
    --------
    >>> opt = AdaGrad(lr=0.5)
    >>> x, state = opt.step(np.array([1.0, 1.0]), np.array([4.0, 0.01]), opt.init(np.zeros(2)))
    >>> np.round(x, 6)
    array([0.5, 0.5])
    """

    lr: LearningRate = 0.01
    eps: float = 1e-10
    initial_accumulator_value: float = 0.0
    eps_inside: bool = False
    state_type = AdaGradState

    def __post_init__(self):
        self._set(
            lr=check.learning_rate(self.lr),
            eps=check.positive(self.eps, "eps"),
            initial_accumulator_value=check.nonnegative(
                self.initial_accumulator_value, "initial_accumulator_value"
            ),
            eps_inside=check.flag(self.eps_inside, "eps_inside"),
        )

    def init(self, x) -> AdaGradState:
        return AdaGradState(
            t=0, s=np.full_like(self._start(x), self.initial_accumulator_value)
        )

    def step(self, x, g, state: AdaGradState):
        x, g = self._check_step(x, g, state)
        t, s = state.t + 1, state.s
        lr, eps = self.lr_at(t), self.eps
        s = s + g * g
        if self.eps_inside:
            x = x - lr * g / np.sqrt(s + eps)
        else:
            x = x - lr * g / (np.sqrt(s) + eps)
        return x, AdaGradState(t, s)


# -------------------------------------------------------------------------- RMSprop


class RMSpropState(NamedTuple):
    """Step counter ``t``, mean square ``s``, mean gradient ``m`` (centered) and momentum ``b``."""

    t: int
    s: np.ndarray
    m: np.ndarray
    b: np.ndarray


@dataclass(frozen=True)
class RMSprop(Optimizer):
    r"""RMSprop: AdaGrad with an exponential moving average instead of a sum.

    Parameters
    ----------
    lr, eps : float
        Learning rate (or schedule) and guard.
    gamma : float
        Decay of the moving averages, :math:`\gamma \in [0, 1)` (PyTorch's ``alpha``).
    eps_inside : bool
        Put :math:`\varepsilon` inside the square root (the source notes', Keras 3's and
        optax's form).
    centered : bool
        Divide by the root of the variance :math:`s - m^2` instead of the mean square
        (Graves 2013).
    momentum : float
        Momentum :math:`\mu \in [0, 1)` on the scaled gradient (0: none).
    initial_accumulator_value : float
        Start value of ``s`` (>= 0); TensorFlow 1's ``RMSPropOptimizer`` starts it at 1.

    Notes
    -----
    .. math::
        s &\leftarrow \gamma\, s + (1 - \gamma)\, g \odot g \\
        x &\leftarrow x - \frac{\eta}{\sqrt{s} + \varepsilon} \odot g

    There is no bias correction: with ``s`` starting at zero the first steps are
    :math:`1/\sqrt{1-\gamma}` times longer than later ones (10 times for
    :math:`\gamma = 0.99`); starting ``s`` at 1, as TensorFlow 1 does, makes them
    *shorter* instead whenever :math:`|g| < 1`.

    ``centered=True`` also tracks :math:`m \leftarrow \gamma\, m + (1-\gamma)\, g` and uses
    :math:`\sqrt{s - m \odot m}` in the denominator. ``momentum=mu`` replaces the last line by
    :math:`b \leftarrow \mu\, b + g / (\sqrt{\cdot} + \varepsilon)`,
    :math:`x \leftarrow x - \eta\, b`, as PyTorch does.

    References
    ----------
    Tieleman & Hinton (2012); Graves (2013).

    Examples
    --------
    >>> opt = RMSprop(lr=0.01, gamma=0.99)
    >>> x, state = opt.step(np.array([1.0]), np.array([3.0]), opt.init(np.zeros(1)))
    >>> round(float(x[0]), 6)
    0.9
    """

    lr: LearningRate = 0.01
    gamma: float = 0.99
    eps: float = 1e-8
    eps_inside: bool = False
    centered: bool = False
    momentum: float = 0.0
    initial_accumulator_value: float = 0.0
    state_type = RMSpropState

    def __post_init__(self):
        self._set(
            lr=check.learning_rate(self.lr),
            gamma=check.decay(self.gamma, "gamma"),
            eps=check.positive(self.eps, "eps"),
            eps_inside=check.flag(self.eps_inside, "eps_inside"),
            centered=check.flag(self.centered, "centered"),
            momentum=check.decay(self.momentum, "momentum"),
            initial_accumulator_value=check.nonnegative(
                self.initial_accumulator_value, "initial_accumulator_value"
            ),
        )

    def init(self, x) -> RMSpropState:
        zeros = np.zeros_like(self._start(x))
        return RMSpropState(
            t=0,
            s=np.full_like(zeros, self.initial_accumulator_value),
            m=zeros,
            b=zeros.copy(),
        )

    def step(self, x, g, state: RMSpropState):
        x, g = self._check_step(x, g, state)
        t, s, m, b = state.t + 1, state.s, state.m, state.b
        lr, gamma, eps = self.lr_at(t), self.gamma, self.eps
        s = gamma * s + (1 - gamma) * g * g
        if self.centered:
            m = gamma * m + (1 - gamma) * g
            var = s - m * m
        else:
            var = s
        if self.eps_inside:
            scaled = g / np.sqrt(var + eps)
        else:
            scaled = g / (np.sqrt(var) + eps)
        if self.momentum:
            b = self.momentum * b + scaled
            x = x - lr * b
        else:
            x = x - lr * scaled
        return x, RMSpropState(t, s, m, b)


# ---------------------------------------------------------------------------- Rprop


class RpropState(NamedTuple):
    """Step counter ``t``, per-coordinate step sizes ``step_size`` and the previous gradient ``g_prev``."""

    t: int
    step_size: np.ndarray
    g_prev: np.ndarray


@dataclass(frozen=True)
class Rprop(Optimizer):
    r"""Rprop: per-coordinate step sizes that grow while the gradient keeps its sign.

    Parameters
    ----------
    lr : float
        The initial step size of every coordinate (a number, not a schedule).
    eta_minus, eta_plus : float
        Factors applied to a step size when the gradient's sign flips
        (:math:`0 < \eta^- < 1`) or stays (:math:`\eta^+ > 1`).
    step_min, step_max : float
        Bounds on the step sizes.

    Notes
    -----
    Only the sign of the gradient is used. With :math:`p = g \odot g_\text{prev}`, per
    coordinate:

    .. math::
        \Delta &\leftarrow \operatorname{clip}\bigl(\Delta \cdot
            (\eta^+ \text{ if } p > 0,\ \eta^- \text{ if } p < 0,\ 1 \text{ else}),
            \ \Delta_\text{min}, \Delta_\text{max}\bigr) \\
        g &\leftarrow 0 \ \text{where } p < 0 \\
        x &\leftarrow x - \operatorname{sign}(g) \odot \Delta \\
        g_\text{prev} &\leftarrow g

    ``step_size`` (:math:`\Delta`) starts at ``lr`` and ``g_prev`` at zero. Zeroing the
    gradient after a sign flip skips the next update of that coordinate and stops it from
    flipping back at once (the "iRprop-" variant that PyTorch implements). Rprop is meant
    for full-batch gradients: with mini-batches, the signs of successive gradients flip
    because of the noise, and a weight that receives the gradients +0.1 nine times and -0.9
    once is pushed down nine times and up once, although its mean gradient is zero.

    References
    ----------
    Riedmiller & Braun (1993).

    Examples
    --------
    >>> opt = Rprop(lr=0.1)
    >>> x, state = np.array([1.0]), opt.init(np.zeros(1))
    >>> for g in (3.0, 0.001, -5.0):
    ...     x, state = opt.step(x, np.array([g]), state)
    >>> np.round(x, 6), np.round(state.step_size, 6)
    (array([0.78]), array([0.06]))
    """

    lr: float = 0.01
    eta_minus: float = 0.5
    eta_plus: float = 1.2
    step_min: float = 1e-6
    step_max: float = 50.0
    state_type = RpropState

    def __post_init__(self):
        self._set(
            lr=check.positive(self.lr, "lr"),
            eta_minus=check.in_range(
                self.eta_minus, "eta_minus", 0.0, 1.0, low_open=True, high_open=True
            ),
            eta_plus=check.in_range(self.eta_plus, "eta_plus", 1.0, low_open=True),
            step_min=check.nonnegative(self.step_min, "step_min"),
            step_max=check.positive(self.step_max, "step_max"),
        )
        if self.step_min > self.step_max:
            raise check.fail(
                ValueError,
                "step_min",
                f"<= step_max = {self.step_max:g}",
                self.step_min,
            )

    def init(self, x) -> RpropState:
        x = self._start(x)
        return RpropState(
            t=0, step_size=np.full_like(x, self.lr), g_prev=np.zeros_like(x)
        )

    def step(self, x, g, state: RpropState):
        x, g = self._check_step(x, g, state)
        t, step_size, g_prev = state.t + 1, state.step_size, state.g_prev
        p = g * g_prev
        factor = np.where(p > 0, self.eta_plus, np.where(p < 0, self.eta_minus, 1.0))
        step_size = np.clip(step_size * factor, self.step_min, self.step_max)
        g = np.where(p < 0, 0.0, g)
        x = x - np.sign(g) * step_size
        return x, RpropState(t, step_size, g)


# ------------------------------------------------------------------------- Adadelta


class AdadeltaState(NamedTuple):
    """Step counter ``t``, moving averages of squared gradients ``s`` and of squared updates ``u``."""

    t: int
    s: np.ndarray
    u: np.ndarray


@dataclass(frozen=True)
class Adadelta(Optimizer):
    r"""Adadelta: the step's units come from a moving average of past squared updates.

    Parameters
    ----------
    rho : float
        Decay of both moving averages, :math:`\rho \in [0, 1)`.
    eps : float
        Guard; it also sets the size of the first steps.
    lr : float or callable
        A factor on the update (1 in Zeiler's method), or a schedule.

    Notes
    -----
    .. math::
        s &\leftarrow \rho\, s + (1 - \rho)\, g \odot g \\
        \Delta x &= \frac{\sqrt{u + \varepsilon}}{\sqrt{s + \varepsilon}} \odot g \\
        u &\leftarrow \rho\, u + (1 - \rho)\, \Delta x \odot \Delta x \\
        x &\leftarrow x - \eta\, \Delta x

    ``s`` is the moving average of squared gradients and ``u`` that of squared updates;
    both roots contain :math:`\varepsilon`. Because ``u`` starts at zero, the first steps
    have size about :math:`\sqrt{\varepsilon / (1-\rho)}`. Zeiler's experiments used
    :math:`\rho = 0.95`, :math:`\varepsilon = 10^{-6}`. PyTorch's ``square_avg`` and
    ``acc_delta`` are ``s`` and ``u``. Keras and TensorFlow 1 default to
    ``learning_rate=0.001``, which makes every step 1000 times smaller than Zeiler's method;
    ``optax.adadelta`` needs ``learning_rate=1.0`` (with its default ``None`` it ascends).

    References
    ----------
    Zeiler (2012).

    Examples
    --------
    >>> opt = Adadelta(rho=0.9, eps=1e-6)
    >>> x, state = opt.step(np.array([1.0]), np.array([1.0]), opt.init(np.zeros(1)))
    >>> round(float(1.0 - x[0]), 6)
    0.003162
    """

    rho: float = 0.9
    eps: float = 1e-6
    lr: LearningRate = 1.0
    state_type = AdadeltaState

    def __post_init__(self):
        self._set(
            rho=check.decay(self.rho, "rho"),
            eps=check.positive(self.eps, "eps"),
            lr=check.learning_rate(self.lr),
        )

    def init(self, x) -> AdadeltaState:
        zeros = np.zeros_like(self._start(x))
        return AdadeltaState(t=0, s=zeros, u=zeros.copy())

    def step(self, x, g, state: AdadeltaState):
        x, g = self._check_step(x, g, state)
        t, s, u = state.t + 1, state.s, state.u
        lr, rho, eps = self.lr_at(t), self.rho, self.eps
        s = rho * s + (1 - rho) * g * g
        dx = np.sqrt(u + eps) / np.sqrt(s + eps) * g
        u = rho * u + (1 - rho) * dx * dx
        x = x - lr * dx
        return x, AdadeltaState(t, s, u)


# ----------------------------------------------------------------------------- Adam


class AdamState(NamedTuple):
    """Step counter ``t``, first moment ``m`` and second moment ``s``."""

    t: int
    m: np.ndarray
    s: np.ndarray


@dataclass(frozen=True)
class Adam(Optimizer):
    r"""Adam: momentum on the gradient, RMSprop on its square, and bias correction.

    Parameters
    ----------
    lr, eps : float
        Learning rate (or schedule) and guard.
    beta1, beta2 : float
        Decay rates of the first and second moment, in [0, 1).
    bias_correction : bool
        Divide the moments by :math:`1-\beta^t` (True in the paper).
    eps_inside : bool
        Put :math:`\varepsilon` inside the square root (the source notes' form).

    Notes
    -----
    .. math::
        m &\leftarrow \beta_1 m + (1 - \beta_1)\, g \\
        s &\leftarrow \beta_2 s + (1 - \beta_2)\, g \odot g \\
        \hat m &= m / (1 - \beta_1^t) \\
        \hat s &= s / (1 - \beta_2^t) \\
        x &\leftarrow x - \eta\, \frac{\hat m}{\sqrt{\hat s} + \varepsilon}

    The first step has length about :math:`\eta` in every coordinate. Without bias
    correction :math:`\hat m = m`, :math:`\hat s = s`.

    References
    ----------
    Kingma & Ba (2015).

    Examples
    --------
    >>> opt = Adam(lr=0.1)
    >>> x, state = opt.step(np.array([1.0, 1.0]), np.array([1e3, -1e-3]), opt.init(np.zeros(2)))
    >>> np.round(x, 4)  # each coordinate moves by about lr, whatever the gradient's size
    array([0.9, 1.1])
    """

    lr: LearningRate = 1e-3
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-8
    bias_correction: bool = True
    eps_inside: bool = False
    state_type = AdamState

    def __post_init__(self):
        self._set(
            **_betas(self),
            bias_correction=check.flag(self.bias_correction, "bias_correction"),
            eps_inside=check.flag(self.eps_inside, "eps_inside"),
        )

    def init(self, x) -> AdamState:
        zeros = np.zeros_like(self._start(x))
        return AdamState(t=0, m=zeros, s=zeros.copy())

    def step(self, x, g, state: AdamState):
        x, g = self._check_step(x, g, state)
        t, m, s = state.t + 1, state.m, state.s
        lr, beta1, beta2, eps = self.lr_at(t), self.beta1, self.beta2, self.eps
        m = beta1 * m + (1 - beta1) * g
        s = beta2 * s + (1 - beta2) * g * g
        if self.bias_correction:
            m_hat = m / (1 - beta1**t)
            s_hat = s / (1 - beta2**t)
        else:
            m_hat, s_hat = m, s
        if self.eps_inside:
            x = x - lr * m_hat / np.sqrt(s_hat + eps)
        else:
            x = x - lr * m_hat / (np.sqrt(s_hat) + eps)
        return x, AdamState(t, m, s)


# --------------------------------------------------------------------------- AdaMax


class AdaMaxState(NamedTuple):
    """Step counter ``t``, first moment ``m`` and the decayed maximum ``u``."""

    t: int
    m: np.ndarray
    u: np.ndarray


@dataclass(frozen=True)
class AdaMax(Optimizer):
    r"""AdaMax: Adam with the root mean square replaced by a decaying maximum.

    Parameters
    ----------
    lr : float or callable
        Learning rate.
    beta1, beta2 : float
        Decay rates of the first moment and of the maximum, in [0, 1).
    eps : float
        Guard, added to :math:`|g|` inside the maximum.

    Notes
    -----
    .. math::
        m &\leftarrow \beta_1 m + (1 - \beta_1)\, g \\
        u &\leftarrow \max(\beta_2 u,\ |g| + \varepsilon) \\
        x &\leftarrow x - \frac{\eta}{1 - \beta_1^t}\, \frac{m}{u}

    ``u`` needs no bias correction. Kingma & Ba's Algorithm 2 has no :math:`\varepsilon`;
    PyTorch adds it to :math:`|g|`, which this class follows.

    References
    ----------
    Kingma & Ba (2015), section 7.1.

    Examples
    --------
    >>> opt = AdaMax(lr=0.002)
    >>> x, state = opt.step(np.array([1.0]), np.array([-5.0]), opt.init(np.zeros(1)))
    >>> round(float(x[0]), 9)
    1.002
    """

    lr: LearningRate = 2e-3
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-8
    state_type = AdaMaxState

    def __post_init__(self):
        self._set(**_betas(self))

    def init(self, x) -> AdaMaxState:
        zeros = np.zeros_like(self._start(x))
        return AdaMaxState(t=0, m=zeros, u=zeros.copy())

    def step(self, x, g, state: AdaMaxState):
        x, g = self._check_step(x, g, state)
        t, m, u = state.t + 1, state.m, state.u
        lr, beta1, beta2, eps = self.lr_at(t), self.beta1, self.beta2, self.eps
        m = beta1 * m + (1 - beta1) * g
        u = np.maximum(beta2 * u, np.abs(g) + eps)
        x = x - lr / (1 - beta1**t) * m / u
        return x, AdaMaxState(t, m, u)


# ---------------------------------------------------------------------------- Nadam


class NadamState(NamedTuple):
    """Step counter ``t``, moments ``m``, ``s`` and ``mu_product`` (starts at 1)."""

    t: int
    m: np.ndarray
    s: np.ndarray
    mu_product: float


@dataclass(frozen=True)
class Nadam(Optimizer):
    r"""Nadam: Adam with Nesterov's look-ahead folded into the first moment.

    Parameters
    ----------
    lr : float or callable
        Learning rate.
    beta1, beta2 : float
        Decay rates of the moments, in [0, 1).
    eps : float
        Guard.
    momentum_decay : float or None
        :math:`\psi \ge 0` of Dozat's momentum schedule
        :math:`\mu_t = \beta_1 (1 - \tfrac12\, 0.96^{t\psi})` (0.004 in the paper, PyTorch and
        Keras); ``None`` for the simplified form with the constant :math:`\mu_t = \beta_1`.

    Notes
    -----
    .. math::
        \mu_t &= \beta_1 (1 - \tfrac12\, 0.96^{t \psi}) \ \text{or}\ \beta_1 \\
        \Pi_t &= \Pi_{t-1}\, \mu_t \\
        m &\leftarrow \beta_1 m + (1 - \beta_1)\, g \\
        s &\leftarrow \beta_2 s + (1 - \beta_2)\, g \odot g \\
        \hat m &= \frac{\mu_{t+1}\, m}{1 - \Pi_t \mu_{t+1}} + \frac{(1 - \mu_t)\, g}{1 - \Pi_t} \\
        \hat s &= s / (1 - \beta_2^t) \\
        x &\leftarrow x - \eta\, \frac{\hat m}{\sqrt{\hat s} + \varepsilon}

    :math:`\Pi` is ``mu_product`` (:math:`\Pi_0 = 1`). Dozat's schedule starts at
    :math:`\mu_1 \approx \beta_1/2` and tends to :math:`\beta_1` slowly, a long momentum
    warm-up: with :math:`\psi = 0.004` and :math:`\beta_1 = 0.9`, :math:`\mu_t` is still
    0.52 after a thousand updates and comes within 0.1 of :math:`\beta_1` only after about
    :math:`10^4`. With the constant :math:`\mu = \beta_1` (``momentum_decay=None``, the form
    found in many summaries), :math:`\Pi_t = \beta_1^t` and :math:`\hat m = \beta_1 m /
    (1-\beta_1^{t+1}) + (1-\beta_1) g / (1-\beta_1^t)`; a very large :math:`\psi` turns the
    schedule into the constant.

    References
    ----------
    Dozat (2016).

    Examples
    --------
    >>> opt = Nadam(lr=0.002, momentum_decay=None)
    >>> x, state = opt.step(np.array([1.0]), np.array([1.0]), opt.init(np.zeros(1)))
    >>> round(float(1.0 - x[0]), 9)  # lr * (1 + 2 beta1) / (1 + beta1)
    0.002947368
    """

    lr: LearningRate = 2e-3
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-8
    momentum_decay: float | None = 0.004
    state_type = NadamState

    def __post_init__(self):
        psi = self.momentum_decay
        self._set(
            **_betas(self),
            momentum_decay=None
            if psi is None
            else check.nonnegative(psi, "momentum_decay"),
        )

    def init(self, x) -> NadamState:
        zeros = np.zeros_like(self._start(x))
        return NadamState(t=0, m=zeros, s=zeros.copy(), mu_product=1.0)

    def mu(self, t: int) -> float:
        """The momentum coefficient :math:`\\mu_t` of update ``t``."""
        if self.momentum_decay is None:
            return self.beta1
        return self.beta1 * (1.0 - 0.5 * 0.96 ** (t * self.momentum_decay))

    def step(self, x, g, state: NadamState):
        x, g = self._check_step(x, g, state)
        t, m, s = state.t + 1, state.m, state.s
        lr, beta1, beta2, eps = self.lr_at(t), self.beta1, self.beta2, self.eps
        mu, mu_next = self.mu(t), self.mu(t + 1)
        mu_product = state.mu_product * mu
        m = beta1 * m + (1 - beta1) * g
        s = beta2 * s + (1 - beta2) * g * g
        m_hat = mu_next * m / (1 - mu_product * mu_next) + (1 - mu) * g / (
            1 - mu_product
        )
        s_hat = s / (1 - beta2**t)
        x = x - lr * m_hat / (np.sqrt(s_hat) + eps)
        return x, NadamState(t, m, s, mu_product)


# -------------------------------------------------------------------------- AMSGrad


class AMSGradState(NamedTuple):
    """Step counter ``t``, moments ``m``, ``s`` and the running maximum ``s_max``."""

    t: int
    m: np.ndarray
    s: np.ndarray
    s_max: np.ndarray


@dataclass(frozen=True)
class AMSGrad(Optimizer):
    r"""AMSGrad: Adam whose denominator never shrinks (in Reddi et al.'s form).

    Parameters
    ----------
    lr : float or callable
        Learning rate (Reddi et al. use :math:`\eta / \sqrt{t}` in their analysis).
    beta1, beta2 : float
        Decay rates of the moments, in [0, 1).
    eps : float
        Guard.
    form : {"pytorch", "reddi"}
        With or without bias correction (see Notes).

    Notes
    -----
    ``form="pytorch"``: the maximum of the raw second moment, then bias correction:

    .. math::
        m &\leftarrow \beta_1 m + (1 - \beta_1)\, g \\
        s &\leftarrow \beta_2 s + (1 - \beta_2)\, g \odot g \\
        s_\text{max} &\leftarrow \max(s_\text{max}, s) \\
        \hat m &= m / (1 - \beta_1^t) \\
        \hat s &= s_\text{max} / (1 - \beta_2^t) \\
        x &\leftarrow x - \eta\, \frac{\hat m}{\sqrt{\hat s} + \varepsilon}

    In this form the denominator :math:`\sqrt{\hat s}` can still shrink while the bias
    correction :math:`1/(1-\beta_2^t)` fades, although :math:`s_\text{max}` never does.
    ``form="reddi"`` (Reddi et al. 2018, Algorithm 2 with constant :math:`\beta_1`): the
    same ``m``, ``s`` and ``s_max`` with no bias correction,
    :math:`x \leftarrow x - \eta\, m / (\sqrt{s_\text{max}} + \varepsilon)` (the paper has
    no :math:`\varepsilon`). The two forms differ by the factor
    :math:`\sqrt{1-\beta_2^t} / (1-\beta_1^t)` on the step: without bias correction the
    first steps are :math:`(1-\beta_1)/\sqrt{1-\beta_2}` times as long (about 3.2 with the
    defaults). Other libraries place the maximum and the bias correction differently again.

    References
    ----------
    Reddi et al. (2018).

    Examples
    --------
    >>> opt = AMSGrad(lr=0.1)
    >>> x, state = opt.step(np.array([1.0]), np.array([2.0]), opt.init(np.zeros(1)))
    >>> x, state = opt.step(x, np.array([0.0]), state)
    >>> bool(state.s_max[0] > state.s[0])
    True
    """

    lr: LearningRate = 1e-3
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-8
    form: str = "pytorch"
    state_type = AMSGradState
    forms = ("pytorch", "reddi")

    def __post_init__(self):
        self._set(**_betas(self), form=check.choice(self.form, "form", self.forms))

    def init(self, x) -> AMSGradState:
        zeros = np.zeros_like(self._start(x))
        return AMSGradState(t=0, m=zeros, s=zeros.copy(), s_max=zeros.copy())

    def step(self, x, g, state: AMSGradState):
        x, g = self._check_step(x, g, state)
        t, m, s, s_max = state.t + 1, state.m, state.s, state.s_max
        lr, beta1, beta2, eps = self.lr_at(t), self.beta1, self.beta2, self.eps
        m = beta1 * m + (1 - beta1) * g
        s = beta2 * s + (1 - beta2) * g * g
        s_max = np.maximum(s_max, s)
        if self.form == "pytorch":
            m_hat = m / (1 - beta1**t)
            s_hat = s_max / (1 - beta2**t)
            x = x - lr * m_hat / (np.sqrt(s_hat) + eps)
        else:  # "reddi"
            x = x - lr * m / (np.sqrt(s_max) + eps)
        return x, AMSGradState(t, m, s, s_max)


# ---------------------------------------------------------------------------- AdamW


@dataclass(frozen=True)
class AdamW(Optimizer):
    r"""AdamW: Adam with decoupled weight decay.

    Parameters
    ----------
    lr, beta1, beta2, eps
        As for :class:`Adam`.
    weight_decay : float
        Decay :math:`\lambda \ge 0`; the weights shrink by the factor :math:`1 - \eta\lambda`
        every step.

    Notes
    -----
    .. math::
        x &\leftarrow x\, (1 - \eta \lambda) \\
        m &\leftarrow \beta_1 m + (1 - \beta_1)\, g \\
        s &\leftarrow \beta_2 s + (1 - \beta_2)\, g \odot g \\
        \hat m &= m / (1 - \beta_1^t) \\
        \hat s &= s / (1 - \beta_2^t) \\
        x &\leftarrow x - \eta\, \frac{\hat m}{\sqrt{\hat s} + \varepsilon}

    The gradient ``g`` is taken before the decay, at the incoming ``x``. The decay does not
    pass through ``s``, unlike an L2 term added to the loss (which Adam would rescale). The
    state is an :class:`AdamState`. The factor :math:`1-\eta\lambda` is PyTorch's (and
    Keras's) convention: Loshchilov & Hutter multiply :math:`\lambda` by the schedule
    multiplier :math:`\eta_t / \eta_0` only, so their :math:`\lambda` is PyTorch's
    :math:`\eta\lambda`.

    References
    ----------
    Loshchilov & Hutter (2019).

    Examples
    --------
    >>> opt = AdamW(lr=0.1, weight_decay=0.5)
    >>> x, state = opt.step(np.array([2.0]), np.array([0.0]), opt.init(np.zeros(1)))
    >>> x  # only the decay acts when the gradient is zero
    array([1.9])
    """

    lr: LearningRate = 1e-3
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-8
    weight_decay: float = 0.01
    state_type = AdamState

    def __post_init__(self):
        self._set(
            **_betas(self),
            weight_decay=check.nonnegative(self.weight_decay, "weight_decay"),
        )

    def init(self, x) -> AdamState:
        zeros = np.zeros_like(self._start(x))
        return AdamState(t=0, m=zeros, s=zeros.copy())

    def step(self, x, g, state: AdamState):
        x, g = self._check_step(x, g, state)
        t, m, s = state.t + 1, state.m, state.s
        lr, beta1, beta2, eps = self.lr_at(t), self.beta1, self.beta2, self.eps
        x = x * (1 - lr * self.weight_decay)
        m = beta1 * m + (1 - beta1) * g
        s = beta2 * s + (1 - beta2) * g * g
        m_hat = m / (1 - beta1**t)
        s_hat = s / (1 - beta2**t)
        x = x - lr * m_hat / (np.sqrt(s_hat) + eps)
        return x, AdamState(t, m, s)


# ---------------------------------------------------------------------------- RAdam


@dataclass(frozen=True)
class RAdam(Optimizer):
    r"""RAdam: Adam whose adaptive step is switched on only once its variance is tractable.

    Parameters
    ----------
    lr, beta1, beta2, eps
        As for :class:`Adam`.

    Notes
    -----
    With :math:`\rho_\infty = 2/(1-\beta_2) - 1` and
    :math:`\rho_t = \rho_\infty - 2 t \beta_2^t / (1 - \beta_2^t)` (the length of the
    approximate simple moving average that :math:`\hat s` stands for):

    .. math::
        m &\leftarrow \beta_1 m + (1 - \beta_1)\, g \\
        s &\leftarrow \beta_2 s + (1 - \beta_2)\, g \odot g \\
        \hat m &= m / (1 - \beta_1^t) \\
        x &\leftarrow x - \eta\, \hat m \quad \text{while } \rho_t \le 5 \\
        r_t &= \sqrt{\frac{(\rho_t - 4)(\rho_t - 2)\, \rho_\infty}
                          {(\rho_\infty - 4)(\rho_\infty - 2)\, \rho_t}} \\
        x &\leftarrow x - \eta\, r_t\, \hat m\, \frac{\sqrt{1 - \beta_2^t}}{\sqrt{s} + \varepsilon}
            \quad \text{once } \rho_t > 5

    The first updates (5 with the default :math:`\beta_2 = 0.999`) are plain momentum SGD;
    then the rectification :math:`r_t` rises from about 0.026 towards 1, a built-in warm-up
    of the adaptive step. The last line is PyTorch's arrangement of
    :math:`\hat m / (\sqrt{\hat s} + \varepsilon)` (it puts :math:`\varepsilon` next to the
    raw :math:`\sqrt{s}`). Liu et al. switch at :math:`\rho_t > 4`; PyTorch at 5, as here.

    References
    ----------
    Liu et al. (2020).

    Examples
    --------
    >>> opt = RAdam(lr=0.1)
    >>> x, state = opt.step(np.array([1.0]), np.array([4.0]), opt.init(np.zeros(1)))
    >>> x  # the first step is lr * m_hat = lr * g
    array([0.6])
    """

    lr: LearningRate = 1e-3
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-8
    state_type = AdamState

    def __post_init__(self):
        self._set(**_betas(self))

    def init(self, x) -> AdamState:
        zeros = np.zeros_like(self._start(x))
        return AdamState(t=0, m=zeros, s=zeros.copy())

    def rho(self, t: int) -> float:
        r"""The length :math:`\rho_t` of the approximated moving average at update ``t``."""
        rho_inf = 2 / (1 - self.beta2) - 1
        return rho_inf - 2 * t * self.beta2**t / (1 - self.beta2**t)

    def step(self, x, g, state: AdamState):
        x, g = self._check_step(x, g, state)
        t, m, s = state.t + 1, state.m, state.s
        lr, beta1, beta2, eps = self.lr_at(t), self.beta1, self.beta2, self.eps
        m = beta1 * m + (1 - beta1) * g
        s = beta2 * s + (1 - beta2) * g * g
        m_hat = m / (1 - beta1**t)
        rho_inf, rho_t = 2 / (1 - beta2) - 1, self.rho(t)
        if rho_t > 5:
            r = (
                (rho_t - 4)
                * (rho_t - 2)
                * rho_inf
                / ((rho_inf - 4) * (rho_inf - 2) * rho_t)
            ) ** 0.5
            x = x - lr * m_hat * r * ((1 - beta2**t) ** 0.5 / (np.sqrt(s) + eps))
        else:
            x = x - lr * m_hat
        return x, AdamState(t, m, s)


# ----------------------------------------------------------------------------- ASGD


class ASGDState(NamedTuple):
    """Step counter ``t`` and the running average ``ax`` of the iterates."""

    t: int
    ax: np.ndarray


@dataclass(frozen=True)
class ASGD(Optimizer):
    r"""Averaged SGD, exactly as ``torch.optim.ASGD`` runs it.

    Parameters
    ----------
    lr : float or callable
        Base learning rate :math:`\eta_0`, or a schedule (``lr(t)`` takes the place of
        :math:`\eta_0` in update ``t``).
    lambd : float
        Decay :math:`\lambda \ge 0`: it shrinks the weights and lowers the step size.
    alpha : float
        Power :math:`\alpha \ge 0` of the step-size decay.
    t0 : float
        The update after which averaging starts (>= 0).
    weight_decay : float
        L2 penalty :math:`\omega \ge 0` added to the gradient.

    Notes
    -----
    .. math::
        \eta_t &= \eta_0 / (1 + \lambda \eta_0 (t - 1))^{\alpha} \\
        \mu_t &= 1 / \max(1, t - 1 - t_0) \\
        g &\leftarrow g + \omega\, x \\
        x &\leftarrow x\, (1 - \lambda \eta_t) - \eta_t\, g \\
        \bar x &\leftarrow \bar x + \mu_t (x - \bar x)

    :math:`\bar x` is ``state.ax``. PyTorch computes :math:`\eta` and :math:`\mu` at the end
    of an update from the new count and uses them in the next one; the formulas above, in
    :math:`t - 1`, reproduce that exactly (:math:`\eta_1 = \eta_0`, :math:`\mu_1 = 1`).
    When :math:`\mu_t = 1` the average is set to the current weights, so with the default
    :math:`t_0 = 10^6` the stored average *equals the current weights* for the first million
    updates: no averaging happens. Averaging (Polyak-Ruppert) starts after update
    :math:`t_0 + 2`. PyTorch never copies the average into the model; here it is
    ``state.ax``, and ``x`` is the plain (decayed) SGD iterate.

    References
    ----------
    Polyak & Juditsky (1992); Ruppert (1988).

    Examples
    --------
    >>> opt = ASGD(lr=0.1, t0=0.0)
    >>> x, state = np.array([1.0]), opt.init(np.zeros(1))
    >>> for _ in range(3):
    ...     x, state = opt.step(x, 2 * x, state)   # f(x) = x^2
    >>> round(float(x[0]), 6), round(float(state.ax[0]), 6)
    (0.511984, 0.575984)
    """

    lr: LearningRate = 0.01
    lambd: float = 1e-4
    alpha: float = 0.75
    t0: float = 1e6
    weight_decay: float = 0.0
    state_type = ASGDState

    def __post_init__(self):
        self._set(
            lr=check.learning_rate(self.lr),
            lambd=check.nonnegative(self.lambd, "lambd"),
            alpha=check.nonnegative(self.alpha, "alpha"),
            t0=check.nonnegative(self.t0, "t0"),
            weight_decay=check.nonnegative(self.weight_decay, "weight_decay"),
        )

    def init(self, x) -> ASGDState:
        return ASGDState(t=0, ax=np.zeros_like(self._start(x)))

    def step(self, x, g, state: ASGDState):
        x, g = self._check_step(x, g, state)
        t, ax = state.t + 1, state.ax
        lr, lambd = self.lr_at(t), self.lambd
        eta = lr / (1 + lambd * lr * (t - 1)) ** self.alpha
        mu = 1 / max(1, t - 1 - self.t0)
        g = g + self.weight_decay * x
        x = x * (1 - lambd * eta) - eta * g
        ax = x if mu == 1 else ax + mu * (x - ax)
        return x, ASGDState(t, ax)
