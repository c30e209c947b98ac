r"""First-order optimizers, one class each, written line for line like the book's equations.

Every optimizer follows the same small protocol:

``state = opt.init(x0)``
    the algorithm's variables (a ``NamedTuple``: step counter ``t``, accumulators ``m``, ``s``...).
``x, state = opt.step(x, g, state)``
    one update, given the gradient ``g`` at ``opt.lookahead(x, state)``.
``opt.lookahead(x, state)``
    where the gradient must be evaluated; ``x`` itself for every method but Nesterov's.

Hyperparameters are fields of a frozen dataclass, checked when the optimizer is built.
The step counter ``t`` is 0 in the initial state and 1 during the first update.
The learning rate ``lr`` is a positive float or a schedule: a callable of ``t``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from . import _validate as check

__all__ = ["Optimizer", "GD", "GDState"]


class Optimizer:
    """Base class: the learning-rate lookup and the default look-ahead."""

    def lookahead(self, x: np.ndarray, state) -> np.ndarray:
        """Point at which the next gradient is evaluated (``x`` itself by default)."""
        return x

    def lr_at(self, t: int) -> float:
        """The learning rate used in update number ``t`` (``t = 1`` is the first update)."""
        lr = self.lr
        return float(lr(t)) if callable(lr) else lr

    def _check_step(self, x: np.ndarray, g: np.ndarray) -> None:
        if np.shape(x) != np.shape(g):
            raise ValueError(f"g must have the shape of x {np.shape(x)}, got {np.shape(g)}")


class GDState(NamedTuple):
    """State of plain gradient descent: only the step counter."""

    t: int


@dataclass(frozen=True)
class GD(Optimizer):
    r"""Gradient descent.

    Parameters
    ----------
    lr : float or callable
        Learning rate :math:`\eta > 0`, or a schedule ``lr(t)``.

    Notes
    -----
    .. math:: \theta \leftarrow \theta - \eta\, g

    Equals ``torch.optim.SGD(params, lr=lr)`` (momentum 0).

    Examples
    --------
    >>> opt = GD(lr=0.1)
    >>> x, state = opt.step(np.array([1.0]), np.array([2.0]), opt.init(np.array([1.0])))
    >>> x, state.t
    (array([0.8]), 1)
    """

    lr: float | Callable[[int], float] = 0.1

    def __post_init__(self):
        object.__setattr__(self, "lr", check.learning_rate(self.lr))

    def init(self, x) -> GDState:
        return GDState(t=0)

    def step(self, x, g, state: GDState):
        self._check_step(x, g)
        t = state.t + 1
        eta = self.lr_at(t)
        x = x - eta * g
        return x, GDState(t)
