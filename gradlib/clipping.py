r"""Clipping: bound the size of a gradient before the optimizer sees it, or keep the iterates in a box.

``clip_by_norm`` rescales the whole gradient (one array, or the arrays of all layers
together) so that its Euclidean norm is at most ``max_norm``; ``clip_by_value`` clamps
every coordinate to ``[-limit, limit]``. Both are pure and return new arrays.

To clip inside the one training loop, wrap the optimizer: ``Clipped(opt, max_norm=1.0)``
is an optimizer itself (``init`` / ``step`` / ``lookahead``), so :func:`gradlib.run` needs
no second loop, and Nesterov's look-ahead still decides where the gradient is taken.
``Projected(opt, low, high)`` clips the iterates instead: projected gradient descent (and
projected Adam) on a box.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _validate as check

__all__ = ["global_norm", "clip_by_norm", "clip_by_value", "Clipped", "Projected"]

#: What PyTorch's ``clip_grad_norm_`` adds to the norm before dividing by it.
NORM_EPS = 1e-6


def _arrays(g, name: str = "g") -> list[np.ndarray]:
    """``g`` (an array, or a list or tuple of arrays) as a list of float arrays."""
    if not isinstance(g, list | tuple):
        return [check.array(g, name, finite=False, empty=True)]
    if not g:
        raise check.fail(ValueError, name, "an array or a non-empty list of arrays", g)
    return [
        check.array(p, f"{name}[{i}]", finite=False, empty=True)
        for i, p in enumerate(g)
    ]


def _like(g, parts: list[np.ndarray]):
    """``parts`` in the container type of ``g``."""
    if isinstance(g, tuple):
        return tuple(parts)
    if isinstance(g, list):
        return parts
    return parts[0]


def global_norm(g) -> float:
    r"""The Euclidean norm of all entries of ``g`` together.

    Parameters
    ----------
    g : array_like or list/tuple of array_like
        A gradient, or the gradients of several parameter arrays.

    Returns
    -------
    float
        :math:`\sqrt{\sum_k \|g_k\|^2}`, computed as PyTorch does: the norm of the vector of
        the arrays' norms.

    Notes
    -----
    .. math:: \|g\| = \Bigl\| \bigl(\|g_1\|_2, \dots, \|g_K\|_2\bigr) \Bigr\|_2

    which is the norm of all arrays concatenated into one vector.

    References
    ----------
    Pascanu, Mikolov & Bengio (2013).

    Examples
    --------
    >>> global_norm([np.array([3.0]), np.array([[4.0]])])
    5.0
    """
    norms = [np.linalg.norm(p.ravel()) for p in _arrays(g)]
    return float(np.linalg.norm(norms))


def clip_by_norm(g, max_norm: float):
    r"""Rescale ``g`` so that its global norm is at most ``max_norm`` (PyTorch's ``clip_grad_norm_``).

    Parameters
    ----------
    g : array_like or list/tuple of array_like
        A gradient, or the gradients of several parameter arrays (clipped together).
    max_norm : float
        Largest allowed norm, > 0.

    Returns
    -------
    ndarray or list/tuple of ndarray
        The clipped gradient, in the container type of ``g`` (new arrays).

    Notes
    -----
    .. math::

        c = \min\Bigl(1, \frac{\text{max\_norm}}{\|g\| + 10^{-6}}\Bigr), \qquad
        g \leftarrow c\, g,

    with :math:`\|g\|` the global norm (:func:`global_norm`). The direction is kept; only
    the length changes. Because of the :math:`10^{-6}` the clipped norm is slightly below
    ``max_norm``. Equals ``torch.nn.utils.clip_grad_norm_(params, max_norm, norm_type=2)``
    (which works in place and returns the norm before clipping), also for non-finite
    input with ``error_if_nonfinite=False``: a ``nan`` makes every entry ``nan``; an
    infinite norm makes the factor 0, so finite entries become 0 and infinite ones ``nan``.

    References
    ----------
    Pascanu, Mikolov & Bengio (2013); Graves (2013).

    Examples
    --------
    >>> clip_by_norm(np.array([3.0, 4.0]), max_norm=1.0)
    array([0.6, 0.8])
    >>> clip_by_norm(np.array([0.3, 0.4]), max_norm=1.0)
    array([0.3, 0.4])
    """
    max_norm = check.positive(max_norm, "max_norm")
    parts = _arrays(g)
    total_norm = np.linalg.norm([np.linalg.norm(p.ravel()) for p in parts])
    coef = np.minimum(max_norm / (total_norm + NORM_EPS), 1.0)
    with np.errstate(invalid="ignore"):  # inf * 0 is nan, as in PyTorch
        return _like(g, [p * coef for p in parts])


def clip_by_value(g, limit: float):
    r"""Clamp every coordinate of ``g`` to ``[-limit, limit]`` (PyTorch's ``clip_grad_value_``).

    Parameters
    ----------
    g : array_like or list/tuple of array_like
        A gradient, or the gradients of several parameter arrays.
    limit : float
        Bound on the absolute value of each coordinate, > 0.

    Returns
    -------
    ndarray or list/tuple of ndarray
        The clipped gradient, in the container type of ``g`` (new arrays).

    Notes
    -----
    .. math:: g_i \leftarrow \min(\max(g_i, -\text{limit}), \text{limit})

    Unlike :func:`clip_by_norm` this changes the direction of :math:`g` whenever some,
    but not all, coordinates are clamped. Equals
    ``torch.nn.utils.clip_grad_value_(params, clip_value=limit)``; ``nan`` stays ``nan``.

    References
    ----------
    Pascanu, Mikolov & Bengio (2013).

    Examples
    --------
    >>> clip_by_value(np.array([-3.0, 0.5, 2.0]), limit=1.0)
    array([-1. ,  0.5,  1. ])
    """
    limit = check.positive(limit, "limit")
    return _like(g, [np.clip(p, -limit, limit) for p in _arrays(g)])


@dataclass(frozen=True)
class Clipped:
    r"""An optimizer that clips the gradient, then lets ``opt`` take the step.

    Parameters
    ----------
    opt : Optimizer
        Any gradlib optimizer (``init`` / ``step`` / ``lookahead``).
    max_norm : float, optional
        Clip by global norm (:func:`clip_by_norm`).
    limit : float, optional
        Clip every coordinate (:func:`clip_by_value`). Give exactly one of the two.

    Notes
    -----
    With :math:`\operatorname{clip}` the chosen rule, one update is

    .. math::

        g &= \nabla f(\operatorname{lookahead}(x)) \\
        x, \text{state} &\leftarrow \text{opt.step}(x, \operatorname{clip}(g), \text{state})

    ``init`` and ``lookahead`` are the wrapped optimizer's, and the state is its state,
    so ``record=`` names its fields and Nesterov's gradient is still evaluated at the
    look-ahead point (and clipped there). The clipping happens after :func:`gradlib.run`
    has added any ``noise``, on the gradient the optimizer receives; ``Trajectory.grad_norms``
    records the norm before clipping. This is where PyTorch users call
    ``clip_grad_norm_``: between ``loss.backward()`` and ``optimizer.step()``.

    References
    ----------
    Pascanu, Mikolov & Bengio (2013).

    Examples
    --------
    >>> from gradlib import GD, run, functions
    >>> opt = Clipped(GD(lr=1.0), max_norm=0.5)
    >>> traj = run(opt, functions.square(), [10.0], steps=3)
    >>> traj.xs[:, 0].round(6)
    array([10. ,  9.5,  9. ,  8.5])
    """

    opt: object
    max_norm: float | None = None
    limit: float | None = None

    def __post_init__(self):
        check.optimizer(self.opt)
        if (self.max_norm is None) == (self.limit is None):
            raise ValueError(
                f"give exactly one of max_norm and limit, got "
                f"max_norm={self.max_norm!r}, "
                f"limit={self.limit!r}"
            )
        if self.max_norm is not None:
            object.__setattr__(
                self, "max_norm", check.positive(self.max_norm, "max_norm")
            )
        else:
            object.__setattr__(self, "limit", check.positive(self.limit, "limit"))

    def clip(self, g) -> np.ndarray:
        """The gradient the wrapped optimizer receives."""
        if self.max_norm is not None:
            return clip_by_norm(g, self.max_norm)
        return clip_by_value(g, self.limit)

    def init(self, x):
        return self.opt.init(x)

    def lookahead(self, x, state):
        return self.opt.lookahead(x, state)

    def step(self, x, g, state):
        return self.opt.step(x, self.clip(g), state)


@dataclass(frozen=True)
class Projected:
    r"""An optimizer whose iterates are clipped into a box: projected gradient methods.

    Parameters
    ----------
    opt : Optimizer
        Any gradlib optimizer (``init`` / ``step`` / ``lookahead``).
    low, high : float or array_like
        The box :math:`[\text{low}, \text{high}]` (per coordinate when arrays), with
        ``low <= high``.

    Notes
    -----
    One update takes the wrapped optimizer's step and projects the result onto the box,

    .. math:: x \leftarrow \Pi_{[l, h]}\bigl(\text{opt.step}(x, g)\bigr), \qquad
              \Pi_{[l, h]}(y) = \min(\max(y, l), h),

    the Euclidean projection onto a box. The optimizer's state is kept as it is (its
    moments are not projected), which is how Reddi et al. (2018) run Adam on their
    constrained counterexamples.

    Examples
    --------
    >>> from gradlib import GD, run, functions
    >>> traj = run(Projected(GD(lr=0.2), low=0.5, high=2.0), functions.square(), [1.5], steps=3)
    >>> traj.xs[:, 0]
    array([1.5 , 0.9 , 0.54, 0.5 ])
    """

    opt: object
    low: object = -np.inf
    high: object = np.inf

    def __post_init__(self):
        check.optimizer(self.opt)
        low = check.array(self.low, "low", finite=False)
        high = check.array(self.high, "high", finite=False)
        if np.isnan(low).any() or np.isnan(high).any() or np.any(low > high):
            raise check.fail(ValueError, "low", "<= high in every coordinate", self.low)
        object.__setattr__(self, "low", low)
        object.__setattr__(self, "high", high)

    def init(self, x):
        return self.opt.init(x)

    def lookahead(self, x, state):
        return self.opt.lookahead(x, state)

    def step(self, x, g, state):
        x, state = self.opt.step(x, g, state)
        return np.clip(x, self.low, self.high), state
