"""Argument checks shared by the whole package: the one place where input is validated.

Every public routine checks its input on entry with these functions. They raise
``TypeError`` for a wrong type and ``ValueError`` for a wrong value, and every message has
one shape::

    <argument> must be <what is allowed>, got <the value received>

so that a reader can fix the call without reading the source. Each check returns the
value converted to what the caller works with (a float, an int, a numpy array).
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Sequence

import numpy as np


def show(value) -> str:
    """A short ``repr`` of ``value`` for error messages (at most 80 characters)."""
    if isinstance(value, np.ndarray) and value.size > 8:
        text = f"array of shape {value.shape}"
        bad = value[~np.isfinite(value)] if value.dtype.kind in "fc" else value[:0]
        return text + (
            f" with non-finite entry {bad.flat[0].item()!r}" if bad.size else ""
        )
    if isinstance(value, np.generic):
        value = value.item()
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def fail(kind: type[Exception], name: str, expected: str, value) -> Exception:
    """The exception for ``name``: ``kind("<name> must be <expected>, got <value>")``."""
    return kind(f"{name} must be {expected}, got {show(value)}")


def _type_error(name: str, expected: str, value) -> TypeError:
    return TypeError(
        f"{name} must be {expected}, got {show(value)} of type {type(value).__name__}"
    )


# -------------------------------------------------------------------------- scalars


def real(value, name: str) -> float:
    """Return ``value`` as a finite Python float."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise _type_error(name, "a real number", value)
    value = float(value)
    if not np.isfinite(value):
        raise fail(ValueError, name, "finite", value)
    return value


def in_range(
    value,
    name: str,
    low: float | None = None,
    high: float | None = None,
    *,
    low_open: bool = False,
    high_open: bool = False,
) -> float:
    """A finite real number in the interval from ``low`` to ``high`` (closed unless told)."""
    value = real(value, name)
    below = low is not None and (value <= low if low_open else value < low)
    above = high is not None and (value >= high if high_open else value > high)
    if below or above:
        if high is None:
            expected = f"{'>' if low_open else '>='} {low:g}"
        elif low is None:
            expected = f"{'<' if high_open else '<='} {high:g}"
        else:
            expected = f"in {'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"
        raise fail(ValueError, name, expected, value)
    return value


def positive(value, name: str) -> float:
    """A finite real number > 0."""
    return in_range(value, name, 0.0, low_open=True)


def nonnegative(value, name: str) -> float:
    """A finite real number >= 0."""
    return in_range(value, name, 0.0)


def decay(value, name: str) -> float:
    """A decay rate in the half-open interval [0, 1)."""
    return in_range(value, name, 0.0, 1.0, high_open=True)


def integer(
    value, name: str, minimum: int | None = None, maximum: int | None = None
) -> int:
    """An integer (not a bool), optionally at least ``minimum`` and at most ``maximum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise _type_error(name, "an integer", value)
    value = int(value)
    if minimum is not None and value < minimum:
        raise fail(ValueError, name, f">= {minimum}", value)
    if maximum is not None and value > maximum:
        raise fail(ValueError, name, f"<= {maximum}", value)
    return value


def flag(value, name: str) -> bool:
    """True or False (a Python or numpy bool; not 0 or 1)."""
    if not isinstance(value, bool | np.bool_):
        raise _type_error(name, "True or False", value)
    return bool(value)


def choice(value, name: str, options: Sequence[str]) -> str:
    """One of the strings ``options``."""
    if not isinstance(value, str) or value not in options:
        raise fail(
            ValueError, name, "one of " + ", ".join(repr(o) for o in options), value
        )
    return value


def string(value, name: str) -> str:
    """A non-empty string."""
    if not isinstance(value, str):
        raise _type_error(name, "a string", value)
    if not value.strip():
        raise fail(ValueError, name, "a non-empty string", value)
    return value


def function(value, name: str) -> Callable:
    """Anything callable."""
    if not callable(value):
        raise _type_error(name, "callable", value)
    return value


def optimizer(value, name: str = "opt"):
    """An optimizer instance: ``init``, ``step`` and ``lookahead`` methods (a class is refused
    with a hint to instantiate it)."""
    if isinstance(value, type):
        raise TypeError(
            f"{name} must be an optimizer instance such as {value.__name__}(), "
            f"got the class {value.__name__}"
        )
    if not all(
        callable(getattr(value, method, None))
        for method in ("init", "step", "lookahead")
    ):
        raise fail(TypeError, name, "an optimizer with init/step/lookahead", value)
    return value


def learning_rate(value, name: str = "lr"):
    """A learning rate: a positive float, or a schedule (a callable of the step ``t``)."""
    if callable(value):
        return value
    return positive(value, name)


def rng(seed) -> np.random.Generator:
    """Turn ``None``, an integer seed or a ``Generator`` into a ``Generator``."""
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None or (
        isinstance(seed, numbers.Integral) and not isinstance(seed, bool)
    ):
        return np.random.default_rng(seed)
    raise _type_error("rng", "None, an integer seed or a numpy Generator", seed)


# --------------------------------------------------------------------------- arrays


def array(
    x,
    name: str,
    *,
    ndim: int | tuple[int, ...] | None = None,
    shape: tuple | None = None,
    dtype=float,
    finite: bool = True,
    empty: bool = False,
    copy: bool = True,
) -> np.ndarray:
    """Return ``x`` as a numpy array of ``dtype`` and check its shape and values.

    Parameters
    ----------
    x : array_like
        The argument.
    name : str
        Its name, for the message.
    ndim : int or tuple of int, optional
        Allowed numbers of dimensions.
    shape : tuple, optional
        The required shape; an entry ``None`` matches any length on that axis.
    dtype : numpy dtype or None
        Convert to this type; ``None`` keeps a floating dtype (float32 stays float32) and
        turns integers and bools into float64, but refuses complex and other kinds.
    finite : bool
        Refuse ``inf`` and ``nan``.
    empty : bool
        Allow an array of size 0.
    copy : bool
        Return a copy (``False`` returns ``x`` itself when it already fits).
    """
    try:
        if dtype is None:
            arr = np.array(x, copy=copy or None)
            if arr.dtype.kind in "iub":
                arr = arr.astype(np.float64)
            elif arr.dtype.kind != "f":
                raise TypeError
        else:
            arr = np.array(x, dtype=dtype, copy=copy or None)
    except (TypeError, ValueError):
        raise fail(TypeError, name, "an array of real numbers", x) from None
    if ndim is not None and arr.ndim not in (
        (ndim,) if isinstance(ndim, int) else ndim
    ):
        allowed = ndim if isinstance(ndim, int) else " or ".join(str(d) for d in ndim)
        raise ValueError(
            f"{name} must have {allowed} dimension(s), got shape {arr.shape}"
        )
    if shape is not None and (
        arr.ndim != len(shape)
        or any(s is not None and s != a for s, a in zip(shape, arr.shape, strict=True))
    ):
        want = (
            "("
            + ", ".join("n" if s is None else str(s) for s in shape)
            + ("," if len(shape) == 1 else "")
            + ")"
        )
        raise ValueError(f"{name} must have shape {want}, got shape {arr.shape}")
    if not empty and arr.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {arr.shape}")
    if finite and arr.dtype.kind in "fc" and not np.all(np.isfinite(arr)):
        raise fail(ValueError, name, "finite", arr)
    return arr


def vector(x, name: str, *, dim: int | None = None, dtype=float) -> np.ndarray:
    """A non-empty, finite, one-dimensional array (a copy), of length ``dim`` when given."""
    return array(x, name, shape=(dim,), dtype=dtype)


def symmetric_matrix(A, name: str = "A") -> np.ndarray:
    """A finite, non-empty, square and symmetric float array (a copy)."""
    M = array(A, name, ndim=2)
    if M.shape[0] != M.shape[1]:
        raise ValueError(f"{name} must be a square matrix, got shape {M.shape}")
    if not np.allclose(M, M.T):
        raise fail(ValueError, name, "symmetric", M)
    return M


def same_shape(value, name: str, like: np.ndarray, like_name: str) -> np.ndarray:
    """``value`` as a float array of the shape of ``like``."""
    arr = array(value, name, finite=False, copy=False, empty=True)
    if arr.shape != like.shape:
        raise ValueError(
            f"{name} must have the shape of {like_name} {like.shape}, got shape {arr.shape}"
        )
    return arr
