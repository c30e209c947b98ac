r"""A small multilayer perceptron with hand-written backpropagation.

The network maps a batch ``X`` of shape ``(n, d)`` through layers
:math:`z^{(l)} = a^{(l-1)} W^{(l)\top} + b^{(l)}`, :math:`a^{(l)} = \phi(z^{(l)})`, with
:math:`a^{(0)} = X`. The last layer has no hidden activation: its pre-activations
:math:`z^{(L)}` are the *logits*, and the loss turns them into the output (identity or
sigmoid for ``"mse"``, sigmoid for ``"bce"``, softmax for ``"softmax_ce"``).

All parameters live in ONE flat float64 vector ``theta`` (the layout is
``W1, b1, W2, b2, ...``, each ``W`` of shape ``(n_out, n_in)`` stored row by row, as in
PyTorch's ``nn.Linear``), so that every optimizer of the book trains the network
exactly as it minimizes a two-variable test function. :meth:`MLP.params` gives named
views (``"W1"``, ``"b1"``, ...) into that vector without copying it.

Every formula of backpropagation is one line of :meth:`MLP.loss_and_grad`; the
activations and their derivatives, and the losses with their derivatives with respect
to the logits, are written out below.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from . import _validate as check
from .functions import FiniteSumProblem, _indices
from .run import run

__all__ = [
    "ACTIVATIONS",
    "LOSSES",
    "INITS",
    "Activation",
    "ActivationStats",
    "Cache",
    "MLP",
    "MLPProblem",
    "sigmoid",
    "sigmoid_prime",
    "tanh",
    "tanh_prime",
    "relu",
    "relu_prime",
    "leaky_relu",
    "leaky_relu_prime",
    "identity",
    "identity_prime",
    "softmax",
    "log_softmax",
    "example_losses",
    "output_delta",
]


# ---------------------------------------------------------------------- activations


def sigmoid(z):
    r"""The logistic function :math:`\sigma(z) = 1 / (1 + e^{-z})`, without overflow.

    Notes
    -----
    With :math:`u = e^{-|z|} \in (0, 1]` (which never overflows),
    :math:`\sigma(z) = 1/(1+u)` for :math:`z \ge 0` and :math:`u/(1+u)` for :math:`z < 0`.

    Examples
    --------
    >>> sigmoid(np.array([-1000.0, 0.0, 1000.0]))
    array([0. , 0.5, 1. ])
    """
    z = np.asarray(z, dtype=float)
    u = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + u), u / (1.0 + u))


def sigmoid_prime(z):
    r""":math:`\sigma'(z) = \sigma(z)\,(1 - \sigma(z)) \le 1/4`.

    Examples
    --------
    >>> float(sigmoid_prime(0.0))
    0.25
    """
    a = sigmoid(z)
    return a * (1.0 - a)


def tanh(z):
    r"""The hyperbolic tangent :math:`\tanh z`.

    Examples
    --------
    >>> float(tanh(0.0))
    0.0
    """
    return np.tanh(np.asarray(z, dtype=float))


def tanh_prime(z):
    r""":math:`\tanh'(z) = 1 - \tanh^2 z \le 1`.

    Examples
    --------
    >>> float(tanh_prime(0.0))
    1.0
    """
    a = np.tanh(np.asarray(z, dtype=float))
    return 1.0 - a * a


def relu(z):
    r"""The rectified linear unit :math:`\max(0, z)`.

    Examples
    --------
    >>> relu(np.array([-2.0, 3.0]))
    array([0., 3.])
    """
    z = np.asarray(z, dtype=float)
    return np.maximum(z, 0.0)


def relu_prime(z):
    r"""The ReLU's derivative, :math:`1` for :math:`z > 0` and :math:`0` otherwise.

    Notes
    -----
    At the kink :math:`z = 0` the derivative does not exist; like PyTorch we use 0.

    Examples
    --------
    >>> relu_prime(np.array([-2.0, 0.0, 3.0]))
    array([0., 0., 1.])
    """
    z = np.asarray(z, dtype=float)
    return (z > 0).astype(float)


LEAKY_SLOPE = 0.01
"""Slope of the leaky ReLU for negative inputs (PyTorch's default "
"``negative_slope``)."""


def leaky_relu(z):
    r"""The leaky ReLU: :math:`z` for :math:`z > 0`, :math:`0.01\,z` otherwise.

    Examples
    --------
    >>> leaky_relu(np.array([-2.0, 3.0]))
    array([-0.02,  3.  ])
    """
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, z, LEAKY_SLOPE * z)


def leaky_relu_prime(z):
    r"""The leaky ReLU's derivative: :math:`1` for :math:`z > 0`, :math:`0.01` otherwise.

    Examples
    --------
    >>> leaky_relu_prime(np.array([-2.0, 3.0]))
    array([0.01, 1.  ])
    """
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, 1.0, LEAKY_SLOPE)


def identity(z):
    """The identity :math:`z`, for linear layers and regression outputs."""
    return np.asarray(z, dtype=float)


def identity_prime(z):
    """The identity's derivative, :math:`1` everywhere."""
    return np.ones_like(np.asarray(z, dtype=float))


class Activation(NamedTuple):
    """An activation function with its derivative, both as functions of the pre-activation ``z``.

    ``prime_of_output`` gives the same derivative from the output :math:`a = \\phi(z)`, which
    the forward pass has already computed (``1 - a**2`` for tanh): the backward pass uses it
    instead of evaluating :math:`\\phi` again. It returns the same numbers as ``prime(z)``.
    """

    name: str
    f: Callable[[np.ndarray], np.ndarray]
    prime: Callable[[np.ndarray], np.ndarray]
    prime_of_output: Callable[[np.ndarray], np.ndarray]


ACTIVATIONS = {
    "sigmoid": Activation("sigmoid", sigmoid, sigmoid_prime, lambda a: a * (1.0 - a)),
    "tanh": Activation("tanh", tanh, tanh_prime, lambda a: 1.0 - a * a),
    "relu": Activation("relu", relu, relu_prime, lambda a: (a > 0).astype(float)),
    "leaky_relu": Activation(
        "leaky_relu",
        leaky_relu,
        leaky_relu_prime,
        lambda a: np.where(a > 0, 1.0, LEAKY_SLOPE),
    ),
    "identity": Activation("identity", identity, identity_prime, np.ones_like),
}
"""The activations by name."""


# --------------------------------------------------------------------------- losses

LOSSES = ("mse", "bce", "softmax_ce")
"""The losses by name: mean squared error, binary cross-entropy, softmax "
"cross-entropy."""

INITS = ("normal", "xavier", "he")
"""The weight initialisations by name."""


def softmax(z):
    r"""Softmax over the last axis, :math:`p_k = e^{z_k - m} / \sum_j e^{z_j - m}`, :math:`m = \max_j z_j`.

    Examples
    --------
    >>> softmax(np.array([[0.0, 1000.0]]))
    array([[0., 1.]])
    """
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def log_softmax(z):
    r"""Logarithm of the softmax by log-sum-exp: :math:`z_k - m - \log\sum_j e^{z_j - m}`.

    Examples
    --------
    >>> log_softmax(np.array([[0.0, 1000.0]]))
    array([[-1000.,     0.]])
    """
    z = np.asarray(z, dtype=float)
    shifted = z - z.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def example_losses(loss: str, z, y, output: str = "identity"):
    r"""Per-example losses :math:`\ell_i` of logits ``z`` against targets ``y``.

    Parameters
    ----------
    loss : {"mse", "bce", "softmax_ce"}
        The loss.
    z : ndarray, shape (n, k)
        Logits (pre-activations of the output layer).
    y : ndarray
        Targets: shape ``(n, k)`` of reals for ``"mse"``, of values in ``[0, 1]`` for
        ``"bce"``, or integer class labels of shape ``(n,)`` for ``"softmax_ce"``.
    output : str
        The output activation for ``"mse"`` (a key of :data:`ACTIVATIONS`).

    Returns
    -------
    ndarray, shape (n,)

    Notes
    -----
    .. math::

        \text{mse:}\quad \ell_i = \tfrac12 \lVert a_i - y_i \rVert^2,\ a_i = \phi(z_i) \\
        \text{bce:}\quad \ell_i = \sum_k \log(1 + e^{z_{ik}}) - y_{ik} z_{ik}
            = -\sum_k y_{ik}\log\sigma(z_{ik}) + (1-y_{ik})\log(1-\sigma(z_{ik})) \\
        \text{softmax\_ce:}\quad \ell_i = \log\textstyle\sum_j e^{z_{ij}} - z_{i y_i}

    ``np.logaddexp(0, z)`` evaluates :math:`\log(1+e^z)` without overflow; the softmax
    loss uses :func:`log_softmax`. The factor 1/2 in the squared error cancels the 2
    of its derivative; ``torch.nn.MSELoss`` (mean over elements, no 1/2) equals
    :math:`2L/k`.

    Examples
    --------
    >>> example_losses("bce", np.array([[1000.0], [-1000.0]]), np.array([[0.0], [0.0]]))
    array([1000.,    0.])
    """
    loss = check.choice(loss, "loss", LOSSES)
    if loss == "mse":
        a = ACTIVATIONS[check.choice(output, "output", tuple(ACTIVATIONS))].f(z)
        return 0.5 * np.sum((a - y) ** 2, axis=1)
    if loss == "bce":
        return np.sum(np.logaddexp(0.0, z) - y * z, axis=1)
    return -log_softmax(z)[np.arange(len(z)), y]


def output_delta(loss: str, z, y, output: str = "identity"):
    r"""Per-example derivative :math:`\delta_i = \partial \ell_i / \partial z_i` at the logits.

    Same arguments as :func:`example_losses`; returns an array of the shape of ``z``.

    Notes
    -----
    .. math::

        \text{mse:}\quad \delta_i = (a_i - y_i)\,\phi'(z_i)
            \quad(\text{sigmoid output: } (a - y)\,a\,(1 - a)) \\
        \text{bce:}\quad \delta_i = \sigma(z_i) - y_i = a_i - y_i \\
        \text{softmax\_ce:}\quad \delta_i = \operatorname{softmax}(z_i) - e_{y_i}

    With a sigmoid output the squared error carries the factor :math:`a(1-a) \le 1/4`,
    which vanishes when the neuron saturates; the cross-entropy's :math:`\log` cancels
    it, so a saturated wrong neuron still gets the full error :math:`a - y`.

    Examples
    --------
    >>> z, y = np.array([[5.0]]), np.array([[0.0]])
    >>> round(float(output_delta("mse", z, y, output="sigmoid")[0, 0]), 4)
    0.0066
    >>> round(float(output_delta("bce", z, y)[0, 0]), 4)
    0.9933
    """
    loss = check.choice(loss, "loss", LOSSES)
    if loss == "mse":
        act = ACTIVATIONS[check.choice(output, "output", tuple(ACTIVATIONS))]
        return (act.f(z) - y) * act.prime(z)
    if loss == "bce":
        return sigmoid(z) - y
    delta = softmax(z)
    delta[np.arange(len(z)), y] -= 1.0
    return delta


# ---------------------------------------------------------------------- the network


def _layer_sizes(sizes) -> tuple[int, ...]:
    """The layer widths: a sequence of at least two integers >= 1."""
    if isinstance(sizes, str | bytes) or not hasattr(sizes, "__len__"):
        raise check.fail(TypeError, "sizes", "a sequence of layer widths", sizes)
    if len(sizes) < 2:
        raise check.fail(
            ValueError, "sizes", "at least an input and an output width", sizes
        )
    return tuple(
        check.integer(s, f"sizes[{i}]", minimum=1) for i, s in enumerate(sizes)
    )


def _output_activation(loss: str, output: str | None) -> str:
    """The output activation: any activation for ``"mse"`` (identity by default), else the loss's own."""
    if loss == "mse":
        return check.choice(
            "identity" if output is None else output, "output", tuple(ACTIVATIONS)
        )
    own = "sigmoid" if loss == "bce" else "softmax"
    return check.choice(own if output is None else output, "output", (own,))


class ActivationStats(NamedTuple):
    """Statistics of the hidden activations, one entry per hidden layer.

    Attributes
    ----------
    zero : ndarray, shape (L - 1,)
        Share of activations exactly equal to 0 (dead or inactive ReLUs).
    saturated : ndarray, shape (L - 1,)
        Share of saturated units: :math:`|\\tanh| > 0.99`, or a sigmoid outside
        ``[0.01, 0.99]``; always 0 for the other activations.
    mean, std : ndarray, shape (L - 1,)
        Mean and standard deviation of the activations.
    """

    zero: np.ndarray
    saturated: np.ndarray
    mean: np.ndarray
    std: np.ndarray


class Cache(NamedTuple):
    """What the forward pass keeps for the backward pass: ``zs[l]`` and ``activations[l]``.

    ``activations[0]`` is the input ``X``; ``zs[l]`` is the pre-activation of layer
    ``l + 1`` (``zs[-1]`` are the logits); ``outputs[l]`` is :math:`\\phi` of ``zs[l]`` for the
    hidden layers (the activation itself, unless an identity path adds the layer's input).
    """

    zs: list
    activations: list
    outputs: list


class MLP:
    r"""A fully connected network with one flat parameter vector.

    Parameters
    ----------
    sizes : sequence of int
        Layer widths ``[d_in, h_1, ..., h_{L-1}, d_out]``; ``L = len(sizes) - 1`` weight
        layers (``sizes=[d, 1]`` is logistic or linear regression).
    activation : str
        Hidden activation, one of :data:`ACTIVATIONS`.
    loss : {"mse", "bce", "softmax_ce"}
        ``"bce"`` needs ``d_out >= 1`` outputs with targets in ``[0, 1]``;
        ``"softmax_ce"`` needs ``d_out >= 2`` classes and integer labels.
    init : {"normal", "xavier", "he"}
        Weight initialisation (biases start at 0).
    init_scale : float, optional
        For ``"normal"`` the standard deviation of every weight (default 0.01); for
        ``"xavier"`` and ``"he"`` a gain that multiplies the standard scale (default 1).
    output : str, optional
        Output activation for ``"mse"`` (default ``"identity"``; ``"sigmoid"`` gives the
        book's saturating squared-error neuron). ``"bce"`` always uses a sigmoid and
        ``"softmax_ce"`` a softmax, applied inside the loss.
    residual : bool
        Add a residual (identity) path around every hidden layer whose input and output
        widths are equal: :math:`a^{(l)} = a^{(l-1)} + \phi(z^{(l)})` (He et al. 2016).

    Attributes
    ----------
    sizes : tuple of int
    activation, loss_name, init, output : str
        The choices made above (``loss`` itself is the method :meth:`loss`).
    init_scale : float or None
    n_layers, n_params : int
        Number of weight layers ``L`` and length of ``theta``.
    shapes : dict
        Name and shape of every parameter array, in their order inside ``theta``.

    Notes
    -----
    Forward pass, for :math:`l = 1, \dots, L` (rows of ``X`` are examples):

    .. math::

        z^{(l)} = a^{(l-1)} W^{(l)\top} + b^{(l)}, \qquad a^{(l)} = \phi(z^{(l)}),
        \qquad L(\theta) = \frac1n \sum_{i=1}^n \ell(z_i^{(L)}, y_i).

    Backward pass, with :math:`\delta^{(l)} = \partial L / \partial z^{(l)}`:

    .. math::

        \delta^{(L)} = \tfrac1n\, \partial\ell/\partial z^{(L)}, \quad
        \frac{\partial L}{\partial W^{(l)}} = \delta^{(l)\top} a^{(l-1)}, \quad
        \frac{\partial L}{\partial b^{(l)}} = \textstyle\sum_i \delta^{(l)}_i, \quad
        \delta^{(l-1)} = \big(\delta^{(l)} W^{(l)}\big) \odot \phi'(z^{(l-1)}).

    With ``residual=True`` a hidden layer :math:`l` of equal widths computes
    :math:`a^{(l)} = a^{(l-1)} + \phi(z^{(l)})`, so the gradient with respect to
    :math:`a^{(l-1)}` gains the identity term: with :math:`\bar a^{(l)} = \partial L /
    \partial a^{(l)}`, :math:`\bar a^{(l-1)} = \delta^{(l)} W^{(l)} + \bar a^{(l)}` and
    :math:`\delta^{(l)} = \bar a^{(l)} \odot \phi'(z^{(l)})`.

    Initialisations: ``"normal"`` draws :math:`W_{jk} \sim \mathcal N(0, s^2)`;
    ``"xavier"`` draws :math:`W_{jk} \sim U[-r, r]`, :math:`r = g\sqrt{6/(n_{in}+n_{out})}`
    (Glorot & Bengio's normalized initialisation, variance :math:`2/(n_{in}+n_{out})`);
    ``"he"`` draws :math:`W_{jk} \sim \mathcal N(0, 2g^2/n_{in})`.

    References
    ----------
    Rumelhart, Hinton & Williams (1986); Glorot & Bengio (2010); He et al. (2015).

    Examples
    --------
    >>> net = MLP([2, 8, 1], activation="tanh", loss="bce", init="xavier")
    >>> theta = net.init_params(rng=0)
    >>> theta.shape, net.n_params
    ((33,), 33)
    >>> net.params(theta)["W1"].shape
    (8, 2)
    >>> X, y = np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([0, 1])
    >>> value, g = net.loss_and_grad(theta, X, y)
    >>> g.shape, bool(abs(value - net.loss(theta, X, y)) < 1e-15)
    ((33,), True)
    """

    def __init__(
        self,
        sizes,
        activation: str = "relu",
        loss: str = "bce",
        init: str = "he",
        init_scale: float | None = None,
        output: str | None = None,
        residual: bool = False,
    ):
        sizes = _layer_sizes(sizes)
        activation = check.choice(activation, "activation", tuple(ACTIVATIONS))
        loss = check.choice(loss, "loss", LOSSES)
        init = check.choice(init, "init", INITS)
        init_scale = (
            None if init_scale is None else check.positive(init_scale, "init_scale")
        )
        if loss == "softmax_ce" and sizes[-1] < 2:
            raise check.fail(
                ValueError, "sizes[-1]", ">= 2 classes for loss 'softmax_ce'", sizes[-1]
            )
        output = _output_activation(loss, output)
        residual = check.flag(residual, "residual")
        # layers l = 1..L-1 (1-based) that carry an identity path: hidden, equal widths
        skips = tuple(
            residual and 1 < l < len(sizes) - 1 and sizes[l] == sizes[l - 1]
            for l in range(1, len(sizes))
        )
        shapes = {}
        for l in range(1, len(sizes)):
            shapes[f"W{l}"] = (sizes[l], sizes[l - 1])
            shapes[f"b{l}"] = (sizes[l],)
        n_params = sum(math.prod(shape) for shape in shapes.values())
        layout, start = [], 0  # where each array lives in theta, computed once
        for name, shape in shapes.items():
            layout.append((name, slice(start, start + math.prod(shape)), shape))
            start += math.prod(shape)
        # where W^(l) and b^(l) live, per layer l (1-based; entry 0 unused)
        where = {name: (place, shape) for name, place, shape in layout}
        layers = (None,) + tuple(
            (*where[f"W{l}"], *where[f"b{l}"]) for l in range(1, len(sizes))
        )
        for key, value in (
            ("sizes", sizes),
            ("activation", activation),
            ("loss_name", loss),
            ("init", init),
            ("init_scale", init_scale),
            ("output", output),
            ("residual", residual),
            ("_skips", skips),
            ("_shapes", shapes),
            ("_layout", tuple(layout)),
            ("_layers", layers),
            ("_n_params", n_params),
        ):
            object.__setattr__(self, key, value)

    def __setattr__(self, name, value):
        raise AttributeError(
            f"an MLP is immutable: build a new one instead of setting {name!r}"
        )

    def __repr__(self) -> str:
        return (
            f"MLP(sizes={list(self.sizes)}, activation={self.activation!r}, "
            f"loss={self.loss_name!r}, "
            f"init={self.init!r}, init_scale={self.init_scale!r}, "
            f"output={self.output!r}" + (", residual=True)" if self.residual else ")")
        )

    # -------------------------------------------------------------- parameter layout

    @property
    def n_layers(self) -> int:
        """Number of weight layers ``L``."""
        return len(self.sizes) - 1

    @property
    def shapes(self) -> dict:
        """Names and shapes of the parameter arrays, in their order inside ``theta``."""
        return dict(self._shapes)

    @property
    def n_params(self) -> int:
        """Length of the flat parameter vector ``theta``."""
        return self._n_params

    def params(self, theta) -> dict:
        """Named views ``{"W1": ..., "b1": ..., ...}`` into ``theta``.

        When ``theta`` is a contiguous float64 array of length :attr:`n_params` the views
        share its memory: writing ``params(theta)["b1"][:] = 0`` changes ``theta``.

        Examples
        --------
        >>> net = MLP([2, 3, 1])
        >>> theta = np.zeros(net.n_params)
        >>> net.params(theta)["b2"][:] = 7.0
        >>> float(theta[-1])
        7.0
        """
        return self._views(self._theta(theta, finite=False))

    def _views(self, theta: np.ndarray) -> dict:
        return {
            name: theta[where].reshape(shape) for name, where, shape in self._layout
        }

    def _layer_views(self, theta: np.ndarray) -> list:
        """``[None, (W1, b1), (W2, b2), ...]``: views into ``theta`` indexed by layer."""
        return [None] + [
            (theta[w].reshape(w_shape), theta[b])
            for w, w_shape, b, _ in self._layers[1:]
        ]

    unflatten = params

    def flatten(self, params: dict) -> np.ndarray:
        """The inverse of :meth:`params`: concatenate named arrays into a new ``theta``."""
        if not isinstance(params, dict):
            raise check.fail(TypeError, "params", "a dict of arrays", params)
        if any(name not in params for name in self._shapes):
            raise check.fail(
                ValueError,
                "params",
                f"a dict with the keys {list(self._shapes)}",
                list(params),
            )
        parts = [
            check.array(params[name], f"params[{name!r}]", shape=shape, finite=False)
            for name, shape in self._shapes.items()
        ]
        return np.concatenate([part.ravel() for part in parts])

    def init_params(self, rng=None) -> np.ndarray:
        """A fresh parameter vector drawn with the chosen initialisation (biases 0).

        Parameters
        ----------
        rng : None, int or numpy.random.Generator
            Source of the random weights.

        Returns
        -------
        ndarray, shape (n_params,)
        """
        gen = check.rng(rng)
        theta = np.zeros(self.n_params)
        views = self.params(theta)
        for l in range(1, self.n_layers + 1):
            n_out, n_in = self.sizes[l], self.sizes[l - 1]
            W = views[f"W{l}"]
            if self.init == "normal":
                s = 0.01 if self.init_scale is None else self.init_scale
                W[...] = s * gen.standard_normal((n_out, n_in))
            elif self.init == "xavier":
                gain = 1.0 if self.init_scale is None else self.init_scale
                r = gain * np.sqrt(6.0 / (n_in + n_out))
                W[...] = gen.uniform(-r, r, size=(n_out, n_in))
            else:
                gain = 1.0 if self.init_scale is None else self.init_scale
                W[...] = gain * np.sqrt(2.0 / n_in) * gen.standard_normal((n_out, n_in))
        return theta

    # -------------------------------------------------------------------- validation

    def _theta(self, theta, finite: bool = True) -> np.ndarray:
        """``theta`` as a contiguous float64 vector of length ``n_params`` (checked on every evaluation)."""
        if (
            isinstance(theta, np.ndarray)
            and theta.dtype == np.float64
            and theta.flags.c_contiguous
            and theta.shape == (self._n_params,)
            and not (finite and not np.isfinite(theta).all())
        ):
            return theta  # the fast path: nothing to convert or copy
        return np.ascontiguousarray(
            check.array(
                theta, "theta", shape=(self._n_params,), finite=finite, copy=False
            )
        )

    def _inputs(self, X) -> np.ndarray:
        """``X`` as a finite float array of shape ``(n, d_in)``, ``n >= 1`` (a vector if ``d_in = 1``)."""
        d = self.sizes[0]
        if (
            isinstance(X, np.ndarray)
            and X.dtype == np.float64
            and X.ndim == 2
            and X.shape[1] == d
            and len(X)
            and np.isfinite(X).all()
        ):
            return X  # the fast path: nothing to convert
        if d > 1:
            return check.array(X, "X", shape=(None, d), copy=False)
        X = check.array(X, "X", ndim=(1, 2), copy=False)
        return (
            X[:, None]
            if X.ndim == 1
            else check.array(X, "X", shape=(None, 1), copy=False)
        )

    def _targets(self, y, n: int) -> np.ndarray:
        """``y`` for the loss: integer labels (softmax) or a float array of shape ``(n, d_out)``."""
        y = check.array(y, "y", ndim=(1, 2), dtype=None, copy=False)
        if len(y) != n:
            raise ValueError(
                f"y must have one entry per row of X ({n}), got shape {y.shape}"
            )
        if self.loss_name == "softmax_ce":
            return self._labels(y)
        k = self.sizes[-1]
        y = y.astype(float)
        if y.ndim == 1 and k == 1:
            y = y[:, None]
        if y.shape != (n, k):
            want = f"({n},) or ({n}, 1)" if k == 1 else f"({n}, {k})"
            raise ValueError(
                f"y must have shape {want} for loss {self.loss_name!r}, got shape "
                f"{y.shape}"
            )
        if self.loss_name == "bce" and (y.min() < 0 or y.max() > 1):
            bad = float(y[(y < 0) | (y > 1)][0])
            raise check.fail(ValueError, "y", "targets in [0, 1] for loss 'bce'", bad)
        return y

    def _labels(self, y: np.ndarray) -> np.ndarray:
        """Class labels ``0 .. d_out - 1`` of shape ``(n,)`` for the softmax loss."""
        k = self.sizes[-1]
        if y.ndim != 1:
            raise ValueError(
                f"y must be integer class labels of shape ({len(y)},) for loss "
                f"'softmax_ce', "
                f"got shape {y.shape}"
            )
        bad = (y != np.round(y)) | (y < 0) | (y >= k)
        if bad.any():
            raise check.fail(
                ValueError, "y", f"class labels in 0..{k - 1}", y[bad][0].item()
            )
        return y.astype(np.intp)

    def _data(self, X, y):
        X = self._inputs(X)
        return X, self._targets(y, len(X))

    # ---------------------------------------------------------- forward and backward

    def _forward(self, theta, X):
        phi = ACTIVATIONS[self.activation].f
        p = self._layer_views(theta)
        a, zs, acts, outs = X, [], [X], []
        for l in range(1, self.n_layers + 1):
            z = a @ p[l][0].T + p[l][1]
            zs.append(z)
            if l < self.n_layers:
                h = phi(z)
                outs.append(h)
                a = a + h if self._skips[l - 1] else h
                acts.append(a)
        return z, Cache(zs, acts, outs)

    def forward(self, theta, X, cache: bool = False):
        """The logits :math:`z^{(L)}` of shape ``(n, d_out)`` (and the :class:`Cache` if asked).

        Examples
        --------
        >>> net = MLP([1, 1], loss="mse")
        >>> net.forward(np.array([2.0, 1.0]), np.array([[3.0]]))
        array([[7.]])
        """
        z, c = self._forward(self._theta(theta), self._inputs(X))
        return (z, c) if cache else z

    def output_activation(self, theta, X) -> np.ndarray:
        """The network's output: the logits through the output activation (probabilities for
        ``"bce"`` and ``"softmax_ce"``), shape ``(n, d_out)``."""
        z = self.forward(theta, X)
        if self.loss_name == "softmax_ce":
            return softmax(z)
        return ACTIVATIONS[self.output].f(z) if self.loss_name == "mse" else sigmoid(z)

    def loss(self, theta, X, y) -> float:
        r"""The mean loss :math:`L(\theta) = \frac1n \sum_i \ell_i` over the batch.

        (The loss's name is ``self.loss_name``.)
        """
        X, y = self._data(X, y)
        return self._loss(self._theta(theta), X, y)

    def _loss(self, theta, X, y) -> float:
        z, _ = self._forward(theta, X)
        return float(np.mean(example_losses(self.loss_name, z, y, self.output)))

    def output_deltas(self, theta, X, y) -> np.ndarray:
        r"""Per-example output deltas :math:`\partial \ell_i / \partial z_i^{(L)}`, shape ``(n, d_out)``.

        See :func:`output_delta` for the formulas (not divided by the batch size).
        """
        X, y = self._data(X, y)
        z, _ = self._forward(self._theta(theta), X)
        return output_delta(self.loss_name, z, y, self.output)

    def loss_and_grad(self, theta, X, y):
        r"""The mean loss and its gradient with respect to ``theta``, by backpropagation.

        Parameters
        ----------
        theta : ndarray, shape (n_params,)
            The parameters.
        X : ndarray, shape (n, d_in)
            A batch of inputs, one example per row.
        y : ndarray
            Targets, see :class:`MLP`.

        Returns
        -------
        value : float
        grad : ndarray, shape (n_params,)
            Laid out like ``theta`` (``self.params(grad)["W1"]`` is :math:`\partial L/\partial W^{(1)}`).
        """
        X, y = self._data(X, y)
        return self._loss_and_grad(self._theta(theta), X, y)

    def _loss_and_grad(self, theta, X, y, value: bool = True):
        phi_prime = ACTIVATIONS[self.activation].prime_of_output  # from phi(z), kept
        p = self._layer_views(theta)
        g = np.empty_like(theta)
        dp = self._layer_views(g)
        n = len(X)
        z, cache = self._forward(theta, X)
        if value:  # training needs only the gradient: value=False skips the loss
            value = float(np.mean(example_losses(self.loss_name, z, y, self.output)))
        delta = output_delta(self.loss_name, z, y, self.output) / n
        da = None  # dL/da^(l) of the layer above (for the identity paths)
        for l in range(self.n_layers, 0, -1):
            dp[l][0][...] = delta.T @ cache.activations[l - 1]
            dp[l][1][...] = delta.sum(axis=0)
            if l > 1:
                da_below = delta @ p[l][0]  # dL/da^(l-1) through z^(l)
                # a^(l) = a^(l-1) + phi(z^(l)): plus the identity
                if self._skips[l - 1]:
                    da_below = da_below + da
                da = da_below
                delta = da * phi_prime(cache.outputs[l - 2])
        return value, g

    def grad(self, theta, X, y) -> np.ndarray:
        """The gradient alone (see :meth:`loss_and_grad`)."""
        return self.loss_and_grad(theta, X, y)[1]

    # --------------------------------------------------- predictions and diagnostics

    def predict(self, theta, X) -> np.ndarray:
        """Class labels (shape ``(n,)``) for the classification losses; outputs for ``"mse"``.

        For ``"bce"`` with one output the label is ``1`` where :math:`\\sigma(z) > 1/2`;
        with several outputs, each output is thresholded (shape ``(n, d_out)``).
        """
        z = self.forward(theta, X)
        if self.loss_name == "softmax_ce":
            return np.argmax(z, axis=1)
        if self.loss_name == "bce":
            labels = (z > 0).astype(np.intp)
            return labels[:, 0] if labels.shape[1] == 1 else labels
        a = ACTIVATIONS[self.output].f(z)
        return a[:, 0] if a.shape[1] == 1 else a

    def accuracy(self, theta, X, y) -> float:
        """Share of correctly classified examples (classification losses only)."""
        if self.loss_name == "mse":
            raise ValueError(
                f"the network's loss must be a classification loss ('bce' or "
                f"'softmax_ce') "
                f"for accuracy, got {self.loss_name!r}"
            )
        X, y = self._data(X, y)
        pred = self.predict(theta, X)
        truth = y if self.loss_name == "softmax_ce" else np.round(y).astype(np.intp)
        if self.loss_name == "bce" and truth.shape[1] == 1:
            truth = truth[:, 0]
        return float(np.mean(pred == truth))

    def layer_grad_norms(self, theta, X, y) -> np.ndarray:
        r"""Frobenius norms :math:`\lVert \partial L / \partial W^{(l)} \rVert`, shape ``(L,)``.

        Examples
        --------
        >>> net = MLP([2, 4, 4, 1], activation="sigmoid", init="normal", init_scale=1.0)
        >>> norms = net.layer_grad_norms(net.init_params(0), np.ones((5, 2)), np.zeros(5))
        >>> norms.shape
        (3,)
        """
        _, g = self.loss_and_grad(theta, X, y)
        dp = self.params(g)
        return np.array(
            [np.linalg.norm(dp[f"W{l}"]) for l in range(1, self.n_layers + 1)]
        )

    def activation_stats(self, theta, X) -> ActivationStats:
        """Zero share, saturated share, mean and std of each hidden layer's activations.

        Examples
        --------
        >>> net = MLP([2, 16, 16, 1], activation="relu")
        >>> stats = net.activation_stats(net.init_params(0), np.ones((8, 2)))
        >>> stats.zero.shape
        (2,)
        """
        _, cache = self.forward(theta, X, cache=True)
        hidden = cache.activations[1:]
        zero, saturated, mean, std = [], [], [], []
        for a in hidden:
            zero.append(np.mean(a == 0.0))
            if self.activation == "tanh":
                saturated.append(np.mean(np.abs(a) > 0.99))
            elif self.activation == "sigmoid":
                saturated.append(np.mean((a < 0.01) | (a > 0.99)))
            else:
                saturated.append(0.0)
            mean.append(a.mean())
            std.append(a.std())
        return ActivationStats(
            *(np.array(v, dtype=float) for v in (zero, saturated, mean, std))
        )

    # ---------------------------------------------------------------------- training

    def problem(self, X, y, name: str | None = None) -> MLPProblem:
        """The training loss on ``(X, y)`` as a problem for :func:`gradlib.run`.

        Parameters
        ----------
        X, y : ndarray
            Training data (checked once, here).
        name : str, optional
            Name for legends; by default the layer sizes, activation and loss.

        Returns
        -------
        MLPProblem
            A :class:`~gradlib.functions.FiniteSumProblem`: ``f`` and ``grad`` are the
            full-batch loss and gradient, ``batch_grad(theta, idx)`` the gradient on the
            examples ``idx`` (what ``run(..., batch_size=b)`` uses); ``hess`` is not
            available; ``minimizers`` has shape ``(0, n_params)``; ``start`` is
            ``init_params(rng=0)``.

        Examples
        --------
        >>> import gradlib as gl
        >>> X, y = gl.data.two_moons(64, noise=0.1, rng=0)
        >>> net = MLP([2, 16, 1], activation="tanh", loss="bce", init="xavier")
        >>> prob = net.problem(X, y)
        >>> traj = gl.run(gl.GD(lr=0.5), prob, prob.start, epochs=10, batch_size=16, rng=0)
        >>> traj.steps, bool(traj.fs[-1] < traj.fs[0])
        (40, True)
        """
        X, y = self._data(X, y)
        size = self.n_params

        def batch_fn(theta, idx):
            theta = self._theta(theta, finite=False)
            if not np.all(np.isfinite(theta)):
                return float("nan"), np.full(size, np.nan)
            return self._loss_and_grad(theta, X[idx], y[idx])

        def f(theta):
            theta = self._theta(theta, finite=False)
            if not np.all(np.isfinite(theta)):
                return float("nan")
            return self._loss(theta, X, y)

        def grad(theta):  # the gradient alone: the loss is not computed
            theta = self._theta(theta, finite=False)
            if not np.all(np.isfinite(theta)):
                return np.full(size, np.nan)
            return self._loss_and_grad(theta, X, y, value=False)[1]

        def hess(theta):
            raise NotImplementedError(
                "the MLP problem has no Hessian; differentiate grad numerically"
            )

        return MLPProblem(
            name=f"MLP {list(self.sizes)} {self.activation}/{self.loss_name}"
            if name is None
            else check.string(name, "name"),
            f=f,
            grad=grad,
            hess=hess,
            dim=size,
            minimizers=np.empty((0, size)),
            bounds=(),
            start=self.init_params(0),
            info={"n": len(X)},
            n_examples=len(X),
            batch_fn=batch_fn,
            net=self,
            X=X,
            y=y,
        )

    def train(
        self,
        theta,
        X,
        y,
        opt,
        epochs: int = 10,
        batch_size: int = 32,
        rng=None,
        order="reshuffle",
    ):
        """Train with mini-batches: :func:`gradlib.run` on :meth:`problem`, recording every epoch.

        Parameters
        ----------
        theta : ndarray, shape (n_params,)
            Starting parameters (not modified).
        X, y : ndarray
            Training data.
        opt : Optimizer
            Any gradlib optimizer (Nesterov's gradient is taken at its look-ahead point).
        epochs, batch_size : int
            Number of passes over the data, and examples per mini-batch.
        rng : None, int or numpy.random.Generator
            Source of the shuffles.
        order : str
            How the batches are drawn (see :func:`gradlib.data.minibatches`).

        Returns
        -------
        Trajectory
            ``xs`` and ``fs`` hold the parameters and the full-batch loss before training and
            after every epoch; a diverging run stops early (shorter history).

        Examples
        --------
        >>> import gradlib as gl
        >>> X, y = gl.data.blobs(60, centers=2, std=0.5, rng=0)
        >>> net = MLP([2, 1], loss="bce", init="normal")
        >>> traj = net.train(net.init_params(0), X, y, gl.GD(lr=0.5), epochs=5, rng=0)
        >>> traj.fs.shape, bool(traj.fs[-1] < traj.fs[0])
        ((6,), True)
        """
        return run(
            opt,
            self.problem(X, y),
            theta,
            epochs=check.integer(epochs, "epochs", minimum=1),
            batch_size=batch_size,
            order=order,
            rng=rng,
            every="epoch",
        )


@dataclass(frozen=True)
class MLPProblem(FiniteSumProblem):
    """A :class:`~gradlib.functions.FiniteSumProblem` for a network's training loss.

    Made by :meth:`MLP.problem`. Unlike the test functions, ``f`` and ``grad`` take one
    parameter vector of shape ``(n_params,)`` (no batches of points); a non-finite vector
    gives ``nan`` rather than an error, so that :func:`gradlib.run` reports divergence.

    Attributes
    ----------
    net : MLP
    X, y : ndarray
        The checked training data.
    """

    net: MLP | None = None
    X: np.ndarray | None = None
    y: np.ndarray | None = None

    def batch_grad(self, x, idx) -> np.ndarray:
        """Gradient of the mean loss over the examples ``idx`` (the loss itself is not computed)."""
        idx = _indices(idx, self.n_examples)
        theta = self.net._theta(x, finite=False)
        if not np.all(np.isfinite(theta)):
            return np.full(theta.shape, np.nan)
        return self.net._loss_and_grad(theta, self.X[idx], self.y[idx], value=False)[1]

    def stochastic_grad(self, theta, rng=None, batch_size: int = 1) -> np.ndarray:
        """Gradient on one mini-batch of ``batch_size`` distinct examples drawn uniformly.

        A measurement helper (the gradient noise at several batch sizes); training draws
        its batches in :func:`gradlib.run` (``batch_size=``, ``order=``).

        Parameters
        ----------
        theta : ndarray, shape (n_params,)
            The parameters.
        rng : None, int or numpy.random.Generator
            Source of the draw.
        batch_size : int
            Number of examples, at most the number of training examples.

        Returns
        -------
        ndarray, shape (n_params,)
            An unbiased estimate of the full gradient.
        """
        b = check.integer(batch_size, "batch_size", minimum=1, maximum=self.n_examples)
        return self.batch_grad(
            theta, check.rng(rng).choice(self.n_examples, size=b, replace=False)
        )
