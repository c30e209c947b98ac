"""Argument checks shared by the whole package.

Every public routine validates its input on entry and raises ``TypeError`` for a wrong
type and ``ValueError`` for a wrong value. The message always names the argument, what
is allowed and the value received, so that a reader can fix the call without reading
the source.
"""

from __future__ import annotations

import numbers

import numpy as np


def _show(value) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def real(value, name: str) -> float:
    """Return ``value`` as a finite Python float, or raise naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {_show(value)} of type {type(value).__name__}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return value


def positive(value, name: str) -> float:
    """A finite real number > 0."""
    value = real(value, name)
    if value <= 0:
        raise ValueError(f"{name} must be > 0, got {value!r}")
    return value


def nonnegative(value, name: str) -> float:
    """A finite real number >= 0."""
    value = real(value, name)
    if value < 0:
        raise ValueError(f"{name} must be >= 0, got {value!r}")
    return value


def decay(value, name: str) -> float:
    """A decay rate in the half-open interval [0, 1)."""
    value = real(value, name)
    if not 0.0 <= value < 1.0:
        raise ValueError(f"{name} must lie in [0, 1), got {value!r}")
    return value


def integer(value, name: str, minimum: int | None = None) -> int:
    """An integer (not a bool), optionally at least ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {_show(value)} of type {type(value).__name__}")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value!r}")
    return value


def learning_rate(value, name: str = "lr"):
    """A learning rate: a positive float, or a schedule (a callable of the step ``t``)."""
    if callable(value):
        return value
    return positive(value, name)


def vector(x, name: str, *, dim: int | None = None, dtype=float) -> np.ndarray:
    """Return ``x`` as a non-empty, finite, one-dimensional array (a copy).

    Raises ``TypeError`` for non-numeric input and ``ValueError`` for a wrong shape, an
    empty array, a wrong length (when ``dim`` is given) or a non-finite entry.
    """
    try:
        arr = np.array(x, dtype=dtype)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be an array of numbers, got {_show(x)}") from None
    if arr.ndim != 1:
        raise ValueError(f"{name} must be a one-dimensional array, got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {arr.shape}")
    if dim is not None and arr.size != dim:
        raise ValueError(f"{name} must have length {dim}, got length {arr.size}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite, got {_show(arr)}")
    return arr


def symmetric_matrix(A, name: str = "A") -> np.ndarray:
    """Return ``A`` as a finite, non-empty, square and symmetric float array (a copy)."""
    try:
        M = np.array(A, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a matrix of numbers, got {_show(A)}") from None
    if M.ndim != 2 or M.shape[0] != M.shape[1] or M.size == 0:
        raise ValueError(f"{name} must be a non-empty square matrix, got shape {M.shape}")
    if not np.all(np.isfinite(M)):
        raise ValueError(f"{name} must be finite, got {_show(M)}")
    if not np.allclose(M, M.T):
        raise ValueError(f"{name} must be symmetric, got {_show(M)}")
    return M


def rng(seed) -> np.random.Generator:
    """Turn ``None``, an integer seed or a ``Generator`` into a ``Generator``."""
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None or (isinstance(seed, numbers.Integral) and not isinstance(seed, bool)):
        return np.random.default_rng(seed)
    raise TypeError(f"rng must be None, an integer seed or a numpy Generator, got {_show(seed)}")
