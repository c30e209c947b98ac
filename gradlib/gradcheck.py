r"""Numerical derivatives and gradient checking.

A hand-written gradient is checked against finite differences of the function itself:

``numerical_gradient(f, x)``
    forward, central or complex-step differences, one coordinate at a time.
``check_gradient(f, grad, x)``
    compares the two coordinate by coordinate and reports the worst coordinates.
``directional_check(f, grad, x)``
    compares directional derivatives along a few random directions (cheap for large ``x``).
``check_hessian(grad, hess, x)``
    differences the gradient to check a Hessian.
``diagnose(f, grad, x, h)``
    the source notes' two-case procedure: is the step too large, or is the gradient wrong?

Every routine works in the floating dtype of ``x`` (``float32`` as well as ``float64``);
integer input is converted to ``float64``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from . import _validate as check

__all__ = [
    "METHODS", "numerical_gradient", "numerical_jacobian", "relative_error", "check_gradient",
    "check_hessian", "directional_check", "diagnose", "Row", "CheckReport", "DirectionalReport",
    "Diagnosis",
]

METHODS = ("forward", "central", "complex")


# ----------------------------------------------------------------------------- helpers

def _point(x, name: str = "x") -> np.ndarray:
    """``x`` as a non-empty, finite, real floating array (a copy)."""
    try:
        arr = np.array(x)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be an array of real numbers, got {check._show(x)}") from None
    if arr.dtype.kind in "iub":
        arr = arr.astype(np.float64)
    if arr.dtype.kind != "f":
        raise TypeError(f"{name} must be an array of real numbers, got dtype {arr.dtype}")
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite, got {check._show(arr)}")
    return arr


def _method(method) -> str:
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    return method


def _callable(fun, name: str) -> None:
    if not callable(fun):
        raise TypeError(f"{name} must be callable, got {check._show(fun)}")


def _steps(x: np.ndarray, h, method: str) -> np.ndarray:
    """The step for every coordinate: ``h`` itself, or the default of ``method``."""
    if h is not None:
        return np.full(x.shape, check.positive(h, "h"), dtype=x.dtype)
    if method == "complex":
        return np.full(x.shape, 1e-20, dtype=x.dtype)
    eps = np.finfo(x.dtype).eps
    base = np.sqrt(eps) if method == "forward" else np.cbrt(eps)
    return (base * np.maximum(1, np.abs(x))).astype(x.dtype)


def _evaluate(fun, x, shape, name: str) -> np.ndarray:
    value = np.asarray(fun(x))
    if shape is not None and value.shape != shape:
        raise ValueError(f"{name} must return an array of shape {shape}, got shape {value.shape}")
    return value


def _derivatives(fun, x: np.ndarray, h: np.ndarray, method: str, out_shape, name: str,
                 indices=None) -> np.ndarray:
    """Finite-difference derivatives of ``fun`` along the coordinates ``indices`` of ``x``.

    Returns an array of shape ``out_shape + (len(indices),)``, in the dtype of ``x``.
    """
    indices = range(x.size) if indices is None else indices
    columns = []
    if method == "forward":
        f0 = _evaluate(fun, x, out_shape, name)
    for i in indices:
        if method == "complex":
            xc = x.astype(np.result_type(x.dtype, np.complex64))
            xc.flat[i] += 1j * h.flat[i]
            columns.append(np.imag(_evaluate(fun, xc, out_shape, name)) / h.flat[i])
            continue
        xp = x.copy()
        xp.flat[i] += h.flat[i]
        xm = x.copy()
        if method == "central":
            xm.flat[i] -= h.flat[i]
        step = xp.flat[i] - xm.flat[i]  # the step actually taken, exactly representable
        if step == 0:
            raise ValueError(f"h = {float(h.flat[i])!r} is too small to change "
                             f"x[{i}] = {float(x.flat[i])!r} in {x.dtype}")
        fm = f0 if method == "forward" else _evaluate(fun, xm, out_shape, name)
        columns.append((_evaluate(fun, xp, out_shape, name) - fm) / step)
    return np.stack(columns, axis=-1).astype(x.dtype)


# ----------------------------------------------------------------------------- derivatives

def numerical_gradient(f: Callable, x, h: float | None = None, method: str = "central") -> np.ndarray:
    r"""The gradient of a scalar function by finite differences, one coordinate at a time.

    Parameters
    ----------
    f : callable
        ``f(x)`` returns a scalar. For ``method="complex"`` it must accept complex input
        and be written with complex-safe operations (no ``abs``, no comparisons).
    x : array_like, shape (n,) or any shape
        The point; a float32 array is differenced in float32.
    h : float, optional
        The step. By default :math:`\sqrt{\varepsilon}\max(1, |x_i|)` for ``"forward"``,
        :math:`\varepsilon^{1/3}\max(1, |x_i|)` for ``"central"`` and :math:`10^{-20}` for
        ``"complex"``, with :math:`\varepsilon` the machine epsilon of the dtype of ``x``.
        A given ``h`` is used as it is, for every coordinate.
    method : {"forward", "central", "complex"}

    Returns
    -------
    ndarray, shape of x
        The estimated gradient, in the dtype of ``x``.

    Notes
    -----
    .. math::

        \text{forward: } \frac{f(x + h e_i) - f(x)}{h}, \qquad
        \text{central: } \frac{f(x + h e_i) - f(x - h e_i)}{2h}, \qquad
        \text{complex: } \frac{\operatorname{Im} f(x + \mathrm{i} h e_i)}{h}.

    Taylor's theorem gives the truncation errors :math:`\tfrac h2 |f''|`,
    :math:`\tfrac{h^2}{6} |f'''|` and :math:`\tfrac{h^2}{6}|f'''|`; rounding adds about
    :math:`2\varepsilon |f| / h`, :math:`\varepsilon |f| / h` and nothing, because the
    complex step subtracts nothing. Balancing the two gives the default steps. The
    denominator is the step actually taken, :math:`(x_i + h) - (x_i - h)` in floating
    point, which removes the error of representing :math:`x_i \pm h`. The cost is
    :math:`n + 1` evaluations of ``f`` for forward differences and :math:`2n` for central.

    References
    ----------
    Nocedal & Wright (2006), section 8.1; Squire & Trapp (1998).

    Examples
    --------
    >>> f = lambda x: np.sum(x**3)
    >>> g = numerical_gradient(f, np.array([1.0, 2.0]))
    >>> np.round(g, 8)
    array([ 3., 12.])
    >>> float(numerical_gradient(f, np.array([2.0]), method="complex")[0])
    12.0
    """
    _callable(f, "f")
    method = _method(method)
    x = _point(x)
    steps = _steps(x, h, method)
    return _derivatives(f, x, steps, method, (), "f").reshape(x.shape)


def numerical_jacobian(fun: Callable, x, h: float | None = None, method: str = "central") -> np.ndarray:
    r"""The Jacobian of a vector function by finite differences.

    Parameters
    ----------
    fun : callable
        ``fun(x)`` returns an array of any fixed shape ``m``.
    x : array_like, shape (n,)
    h, method
        As for :func:`numerical_gradient`.

    Returns
    -------
    ndarray, shape m + (n,)
        ``J[..., j]`` is the derivative of ``fun`` with respect to ``x[j]``. For a gradient
        function this is the Hessian, :math:`J_{ij} = \partial g_i / \partial x_j`.

    Examples
    --------
    >>> J = numerical_jacobian(lambda x: np.array([x[0] * x[1], x[1]]), np.array([2.0, 3.0]))
    >>> np.round(J, 8)
    array([[3., 2.],
           [0., 1.]])
    """
    _callable(fun, "fun")
    method = _method(method)
    x = _point(x)
    if x.ndim != 1:
        raise ValueError(f"x must be one-dimensional, got shape {x.shape}")
    out_shape = np.shape(fun(x))
    return _derivatives(fun, x, _steps(x, h, method), method, out_shape, "fun")


def relative_error(a, b):
    r"""Elementwise relative error :math:`|a - b| / \max(|a|, |b|)`, 0 where both are 0.

    Parameters
    ----------
    a, b : array_like
        Arrays of the same (or broadcastable) shape.

    Returns
    -------
    float or ndarray
        A float for scalar input, else an array of the broadcast shape. ``nan`` where an
        input is ``nan``.

    Notes
    -----
    Symmetric in its arguments, scale-free and between 0 and 2: 1 when one of the two is
    zero and the other is not, 2 for equal sizes with opposite signs. About
    :math:`10^{-7}` or less is typical of a correct gradient checked by central
    differences; above :math:`10^{-2}` the gradient is probably wrong (except next to a
    kink such as that of ReLU, where the differences legitimately straddle it).

    Examples
    --------
    >>> round(relative_error(1.0, 1.25), 12)
    0.2
    >>> relative_error([0.0, 1.0, 1.0], [0.0, 0.0, -1.0])
    array([0., 1., 2.])
    """
    try:
        a = np.asarray(a, dtype=float)
        b = np.asarray(b, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(
            f"a and b must be arrays of real numbers, got {check._show(a)} and {check._show(b)}"
        ) from None
    num = np.abs(a - b)
    den = np.maximum(np.abs(a), np.abs(b))
    with np.errstate(invalid="ignore"):
        err = np.divide(num, den, out=np.zeros(num.shape), where=den > 0)
    err = np.where(np.isnan(num), np.nan, err)
    return float(err) if err.ndim == 0 else err


# ----------------------------------------------------------------------------- reports

class Row(NamedTuple):
    """One coordinate of a check: where, the two values, their relative error."""

    index: int | tuple
    analytic: float
    numeric: float
    error: float


def _worst(analytic: np.ndarray, numeric: np.ndarray, errors: np.ndarray, k: int) -> tuple[Row, ...]:
    order = np.argsort(np.nan_to_num(-errors.ravel(), nan=-np.inf), kind="stable")[:k]
    rows = []
    for flat in order:
        index = int(flat) if errors.ndim == 1 else tuple(int(i) for i in np.unravel_index(flat, errors.shape))
        a, n, e = analytic.flat[flat], numeric.flat[flat], errors.flat[flat]
        rows.append(Row(index, float(a), float(n), float(e)))
    return tuple(rows)


def _table(rows) -> str:
    lines = [f"  {'index':>10}  {'analytic':>14}  {'numeric':>14}  {'rel. error':>10}"]
    for r in rows:
        lines.append(f"  {r.index!s:>10}  {r.analytic:>14.7g}  {r.numeric:>14.7g}  {r.error:>10.2e}")
    return "\n".join(lines)


@dataclass(frozen=True)
class CheckReport:
    """The result of :func:`check_gradient` or :func:`check_hessian`.

    Attributes
    ----------
    ok : bool
        True when every entry passes :math:`|a - n| \\le` ``atol`` :math:`+` ``rtol``
        :math:`\\max(|a|, |n|)` (``nan`` fails).
    max_error : float
        The largest relative error.
    errors : ndarray
        Relative error of every entry (shape of ``x``, or ``(n, n)`` for a Hessian).
    analytic, numeric : ndarray
        The two arrays compared.
    worst : tuple of Row
        The entries with the largest relative errors, worst first.
    rtol, atol : float
        The tolerances used.
    method : str
        The finite-difference method.
    what : str
        ``"gradient"`` or ``"Hessian"``.
    """

    ok: bool
    max_error: float
    errors: np.ndarray
    analytic: np.ndarray
    numeric: np.ndarray
    worst: tuple
    rtol: float
    atol: float
    method: str
    what: str = "gradient"

    def __str__(self) -> str:
        verdict = "passed" if self.ok else "FAILED"
        head = (f"{self.what} check ({self.method} differences): {verdict}; largest relative error "
                f"{self.max_error:.2e} (rtol {self.rtol:.1e}, atol {self.atol:.1e})")
        return head + "\n" + _table(self.worst)


def _report(analytic, numeric, rtol, atol, method, what, n_worst) -> CheckReport:
    errors = np.asarray(relative_error(analytic, numeric), dtype=float)
    with np.errstate(invalid="ignore"):
        passed = np.abs(analytic - numeric) <= atol + rtol * np.maximum(np.abs(analytic), np.abs(numeric))
    return CheckReport(
        ok=bool(np.all(passed)), max_error=float(np.max(errors)), errors=errors, analytic=analytic,
        numeric=numeric, worst=_worst(analytic, numeric, errors, n_worst), rtol=rtol, atol=atol,
        method=method, what=what,
    )


def check_gradient(f: Callable, grad: Callable, x, h: float | None = None, method: str = "central",
                   rtol: float = 1e-7, atol: float = 0.0, n_worst: int = 5) -> CheckReport:
    r"""Compare a gradient function with finite differences of ``f``, coordinate by coordinate.

    Parameters
    ----------
    f : callable
        ``f(x)`` returns a scalar.
    grad : callable
        ``grad(x)`` returns an array of the shape of ``x``.
    x : array_like, shape (n,) or any shape
        The point, for example the flat parameter vector of a network.
    h, method
        As for :func:`numerical_gradient`.
    rtol, atol : float
        Tolerances: an entry passes when
        :math:`|a_i - n_i| \le \mathrm{atol} + \mathrm{rtol}\max(|a_i|, |n_i|)`. The default
        ``rtol`` suits central and complex-step differences; use about ``1e-5`` for forward
        differences, and a small ``atol`` when some entries of the gradient are nearly zero
        (their relative error is pure rounding noise).
    n_worst : int
        How many entries to list in ``report.worst``.

    Returns
    -------
    CheckReport
        ``.ok``, ``.max_error``, ``.errors`` (per coordinate), ``.worst``; ``print(report)``
        shows a table.

    Examples
    --------
    >>> f = lambda x: np.sum(x**2) + x[0] * x[1]
    >>> good = lambda x: 2 * x + np.array([x[1], x[0], 0.0])
    >>> report = check_gradient(f, good, np.array([1.0, -3.0, 0.5]))
    >>> report.ok
    True
    >>> bad = lambda x: 2 * x + np.array([x[1], x[0], 0.1])
    >>> report = check_gradient(f, bad, np.array([1.0, -3.0, 0.5]))
    >>> report.ok, report.worst[0].index
    (False, 2)
    """
    _callable(f, "f")
    _callable(grad, "grad")
    method = _method(method)
    x = _point(x)
    rtol = check.nonnegative(rtol, "rtol")
    atol = check.nonnegative(atol, "atol")
    n_worst = check.integer(n_worst, "n_worst", minimum=1)
    analytic = _evaluate(grad, x, x.shape, "grad").astype(float)
    numeric = numerical_gradient(f, x, h, method).astype(float)
    return _report(analytic, numeric, rtol, atol, method, "gradient", n_worst)


def check_hessian(grad: Callable, hess: Callable, x, h: float | None = None, method: str = "central",
                  rtol: float = 1e-6, atol: float = 0.0, n_worst: int = 5) -> CheckReport:
    r"""Compare a Hessian function with finite differences of the gradient.

    Parameters
    ----------
    grad : callable
        ``grad(x)`` returns an array of shape ``(n,)``.
    hess : callable
        ``hess(x)`` returns an array of shape ``(n, n)``.
    x : array_like, shape (n,)
    h, method, rtol, atol, n_worst
        As for :func:`check_gradient`.

    Returns
    -------
    CheckReport
        With ``errors`` of shape ``(n, n)`` and index pairs ``(i, j)`` in ``worst``.

    Notes
    -----
    Column :math:`j` of the numerical Hessian is
    :math:`(\nabla f(x + h e_j) - \nabla f(x - h e_j)) / (2h)`: :math:`2n` gradient
    evaluations. Check the gradient first; a wrong gradient makes this check meaningless.

    Examples
    --------
    >>> grad = lambda x: np.array([2 * x[0] * x[1], x[0] ** 2])
    >>> hess = lambda x: np.array([[2 * x[1], 2 * x[0]], [2 * x[0], 0.0]])
    >>> check_hessian(grad, hess, np.array([1.0, 3.0])).ok
    True
    """
    _callable(grad, "grad")
    _callable(hess, "hess")
    method = _method(method)
    x = _point(x)
    if x.ndim != 1:
        raise ValueError(f"x must be one-dimensional, got shape {x.shape}")
    rtol = check.nonnegative(rtol, "rtol")
    atol = check.nonnegative(atol, "atol")
    n_worst = check.integer(n_worst, "n_worst", minimum=1)
    n = x.size
    analytic = _evaluate(hess, x, (n, n), "hess").astype(float)
    numeric = _derivatives(grad, x, _steps(x, h, method), method, (n,), "grad").astype(float)
    return _report(analytic, numeric, rtol, atol, method, "Hessian", n_worst)


@dataclass(frozen=True)
class DirectionalReport:
    """The result of :func:`directional_check`.

    Attributes
    ----------
    ok : bool
        True when every directional derivative passes the tolerance.
    max_error : float
        The largest relative error.
    errors, analytic, numeric : ndarray, shape (k,)
        Per direction: relative error, :math:`\\nabla f(x)^\\top d` and the central difference.
    directions : ndarray, shape (k,) + x.shape
        The random unit directions.
    rtol, atol : float
        The tolerances used.
    """

    ok: bool
    max_error: float
    errors: np.ndarray
    analytic: np.ndarray
    numeric: np.ndarray
    directions: np.ndarray
    rtol: float
    atol: float

    def __str__(self) -> str:
        verdict = "passed" if self.ok else "FAILED"
        head = (f"directional check ({len(self.errors)} random directions): {verdict}; "
                f"largest relative error {self.max_error:.2e} (rtol {self.rtol:.1e}, atol {self.atol:.1e})")
        rows = [Row(k, float(a), float(n), float(e))
                for k, (a, n, e) in enumerate(zip(self.analytic, self.numeric, self.errors, strict=True))]
        return head + "\n" + _table(rows)


def directional_check(f: Callable, grad: Callable, x, rng=None, n_directions: int = 5,
                      h: float | None = None, rtol: float = 1e-6, atol: float = 0.0) -> DirectionalReport:
    r"""Compare directional derivatives along random unit directions.

    Parameters
    ----------
    f, grad : callable
        As for :func:`check_gradient`.
    x : array_like, any shape
    rng : None, int or numpy.random.Generator
        Source of the directions.
    n_directions : int
        Number :math:`k` of directions.
    h : float, optional
        Step along each direction; default :math:`\varepsilon^{1/3} \max(1, \max_i |x_i|)`.
    rtol, atol : float
        Tolerances, as for :func:`check_gradient`.

    Returns
    -------
    DirectionalReport

    Notes
    -----
    For a unit vector :math:`d` drawn uniformly on the sphere,

    .. math:: \nabla f(x)^\top d \approx \frac{f(x + h d) - f(x - h d)}{2h}.

    The cost is :math:`2k` evaluations of ``f`` whatever the dimension, so this is the
    check to run on a network with millions of parameters. A bug in one coordinate among
    :math:`n` shifts the directional derivative by only about :math:`1/\sqrt n` of its size,
    so a passing directional check is weaker evidence than a passing
    :func:`check_gradient`.

    Examples
    --------
    >>> f = lambda x: np.sum(np.sin(x))
    >>> directional_check(f, np.cos, np.linspace(0, 1, 50), rng=0).ok
    True
    """
    _callable(f, "f")
    _callable(grad, "grad")
    x = _point(x)
    gen = check.rng(rng)
    k = check.integer(n_directions, "n_directions", minimum=1)
    rtol = check.nonnegative(rtol, "rtol")
    atol = check.nonnegative(atol, "atol")
    if h is None:
        h = float(np.cbrt(np.finfo(x.dtype).eps) * max(1.0, float(np.max(np.abs(x)))))
    h = check.positive(h, "h")
    g = _evaluate(grad, x, x.shape, "grad").astype(float)
    directions = gen.standard_normal((k,) + x.shape)
    directions /= np.linalg.norm(directions.reshape(k, -1), axis=1).reshape((k,) + (1,) * x.ndim)
    analytic = np.array([np.sum(g * d) for d in directions])
    numeric = np.empty(k)
    for j, d in enumerate(directions):
        xp = (x + h * d).astype(x.dtype)
        xm = (x - h * d).astype(x.dtype)
        numeric[j] = (float(_evaluate(f, xp, (), "f")) - float(_evaluate(f, xm, (), "f"))) / (2 * h)
    errors = np.asarray(relative_error(analytic, numeric))
    with np.errstate(invalid="ignore"):
        passed = np.abs(analytic - numeric) <= atol + rtol * np.maximum(np.abs(analytic), np.abs(numeric))
    return DirectionalReport(
        ok=bool(np.all(passed)), max_error=float(np.max(errors)), errors=errors, analytic=analytic,
        numeric=numeric, directions=directions, rtol=rtol, atol=atol,
    )


# ----------------------------------------------------------------------------- the seed's diagnosis

@dataclass(frozen=True)
class Diagnosis:
    """The result of :func:`diagnose`.

    Attributes
    ----------
    verdict : str
        ``"ok"`` (every coordinate within ``tol``), ``"step too large"`` (every failing
        coordinate's error fell by more than ``min_ratio`` when ``h`` shrank tenfold) or
        ``"gradient wrong"`` (at least one failing coordinate's error did not).
    h, tol, min_ratio : float
        The step, the absolute tolerance and the decisive ratio.
    errors : ndarray, shape of x
        :math:`|D_h f - g_i|` for every coordinate, with :math:`D_h` the central difference.
    failing : tuple
        Indices (into the flattened ``x``) of the coordinates with error above ``tol``.
    errors_small : ndarray, shape (len(failing),)
        The error of those coordinates at step ``h / 10``.
    ratios : ndarray, shape (len(failing),)
        ``errors[failing] / errors_small`` (``inf`` when the smaller step is exact).
    coordinate_verdicts : tuple of str
        ``"step too large"`` or ``"gradient wrong"`` for each failing coordinate.
    """

    verdict: str
    h: float
    tol: float
    min_ratio: float
    errors: np.ndarray
    failing: tuple
    errors_small: np.ndarray
    ratios: np.ndarray
    coordinate_verdicts: tuple

    def __str__(self) -> str:
        head = (f"diagnosis at h = {self.h:.1e} (tolerance {self.tol:.1e}): {self.verdict}; "
                f"{len(self.failing)} of {self.errors.size} coordinates above the tolerance")
        lines = [head]
        if self.failing:
            lines.append(f"  {'index':>8}  {'error at h':>11}  {'at h/10':>11}  {'ratio':>9}  verdict")
            for i, e, s, r, v in zip(self.failing, self.errors.flat[list(self.failing)], self.errors_small,
                                     self.ratios, self.coordinate_verdicts, strict=True):
                lines.append(f"  {i:>8}  {e:>11.3e}  {s:>11.3e}  {r:>9.3g}  {v}")
        return "\n".join(lines)


def diagnose(f: Callable, grad: Callable, x, h: float = 1e-7, tol: float | None = None,
             min_ratio: float = 30.0) -> Diagnosis:
    r"""The source notes' procedure: is a failing coordinate a large step or a wrong gradient?

    Parameters
    ----------
    f, grad : callable
        As for :func:`check_gradient`.
    x : array_like, any shape
        The point (the notes draw it at random).
    h : float
        The step of the central difference; the notes suggest :math:`10^{-7}`.
    tol : float, optional
        Absolute tolerance; the notes use ``h`` itself (the default).
    min_ratio : float
        A failing coordinate whose error falls by more than this factor when ``h`` is divided
        by 10 is blamed on the step (the theory says 100; 30 leaves room for the
        higher-order terms).

    Returns
    -------
    Diagnosis

    Notes
    -----
    Taylor's theorem with the Lagrange remainder gives, for some :math:`p_i \in (0, h)` and
    :math:`q_i \in (-h, 0)`,

    .. math::

        \frac{f(x + h e_i) - f(x - h e_i)}{2h} - \frac{\partial f}{\partial x_i}
        = \frac{h^2}{12}\bigl(\partial_i^3 f(x + p_i e_i) + \partial_i^3 f(x + q_i e_i)\bigr)
        \approx M_i h^2 .

    The procedure: test :math:`|D_h f - g_i| \le h` for every coordinate :math:`i`. For a
    coordinate that fails, recompute with :math:`h/10`. If the error fell about a hundredfold,
    the :math:`M_i h^2` term dominated - :math:`M_i` is large and the check should be redone
    with a smaller step. Otherwise the error does not behave like :math:`M_i h^2`: the
    gradient formula for that coordinate is wrong.

    Limits. The absolute tolerance :math:`h` ignores the scale of :math:`f` and its
    gradient: multiplying :math:`f` by 1000 can turn a pass into a failure, and a gradient
    entry smaller than :math:`h` can be wrong by 100 % and still pass. Rounding contributes
    about :math:`\varepsilon |f| / h` to the error, which grows as :math:`h` shrinks: when
    it dominates (small :math:`h`, large :math:`|f|`, or float32), dividing :math:`h` by 10
    makes the error larger, and a correct gradient is declared wrong. A relative error at
    a well-chosen step (:func:`check_gradient`) avoids both problems.

    Examples
    --------
    >>> f = lambda x: np.sum(np.exp(4 * x))
    >>> d = diagnose(f, lambda x: 4 * np.exp(4 * x), np.array([1.0, 2.0]), h=1e-2)
    >>> d.verdict, d.failing
    ('step too large', (0, 1))
    >>> diagnose(f, lambda x: 4 * np.exp(4 * x) + np.array([0.0, 1e-3]), np.array([1.0, 2.0])).verdict
    'gradient wrong'
    """
    _callable(f, "f")
    _callable(grad, "grad")
    x = _point(x)
    h = check.positive(h, "h")
    tol = h if tol is None else check.positive(tol, "tol")
    min_ratio = check.positive(min_ratio, "min_ratio")
    g = _evaluate(grad, x, x.shape, "grad").astype(float).ravel()
    D_h = _derivatives(f, x, np.full(x.shape, h, dtype=x.dtype), "central", (), "f").astype(float)
    errors = np.abs(D_h - g)
    failing = tuple(int(i) for i in np.flatnonzero(~(errors <= tol)))
    if failing:
        D_small = _derivatives(f, x, np.full(x.shape, h / 10, dtype=x.dtype), "central", (), "f",
                               indices=failing).astype(float)
        errors_small = np.abs(D_small - g[list(failing)])
    else:
        errors_small = np.zeros(0)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = errors[list(failing)] / errors_small
    coordinate_verdicts = tuple("step too large" if r > min_ratio else "gradient wrong" for r in ratios)
    if not failing:
        verdict = "ok"
    elif "gradient wrong" in coordinate_verdicts:
        verdict = "gradient wrong"
    else:
        verdict = "step too large"
    return Diagnosis(
        verdict=verdict, h=h, tol=tol, min_ratio=min_ratio, errors=errors.reshape(x.shape), failing=failing,
        errors_small=errors_small, ratios=ratios, coordinate_verdicts=coordinate_verdicts,
    )
