r"""Numerical derivatives and gradient checking.

A hand-written gradient is checked against finite differences of the function itself:

``numerical_gradient(f, x)``
    forward, central or complex-step differences, one coordinate at a time.
``check_gradient(f, grad, x)``
    compares the two coordinate by coordinate, allowing for the rounding error of the
    differences, and reports the worst coordinates and the smallest error it could resolve.
``directional_check(f, grad, x)``
    compares directional derivatives along a few random directions (cheap for large ``x``).
``check_hessian(grad, hess, x)``
    differences the gradient to check a Hessian.
``diagnose(f, grad, x, h)``
    why does a check fail at step ``h``: step too large, step too small, or a wrong gradient?
    (``rule="notes"`` is the source notes' two-case procedure as written.)

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
    "METHODS",
    "RULES",
    "numerical_gradient",
    "numerical_jacobian",
    "relative_error",
    "check_gradient",
    "check_hessian",
    "directional_check",
    "diagnose",
    "Row",
    "CheckReport",
    "DirectionalReport",
    "Diagnosis",
]

METHODS = ("forward", "central", "complex")
RULES = ("three-way", "notes")


# -------------------------------------------------------------------------- helpers


def _steps(x: np.ndarray, h, method: str) -> np.ndarray:
    """The step for every coordinate: ``h`` itself, or the default of ``method``."""
    if h is not None:
        return np.full(x.shape, check.positive(h, "h"), dtype=x.dtype)
    if method == "complex":
        return np.full(x.shape, 1e-20, dtype=x.dtype)
    eps = np.finfo(x.dtype).eps
    base = np.sqrt(eps) if method == "forward" else np.cbrt(eps)
    return (base * np.maximum(1, np.abs(x))).astype(x.dtype)


def _evaluate(fun, x, shape, name: str, complex_ok: bool = False) -> np.ndarray:
    raw = fun(x)
    value = np.asarray(raw)
    if value.dtype.kind not in ("biufc" if complex_ok else "biuf"):
        kind = "numbers" if complex_ok else "real numbers"
        raise TypeError(f"{name} must return {kind}, got {check.show(raw)}")
    if shape is not None and value.shape != shape:
        raise ValueError(
            f"{name} must return an array of shape {shape}, got shape {value.shape}"
        )
    return value


def _eps(x: np.ndarray, *values: np.ndarray) -> float:
    """Machine epsilon of the dtype of ``x``, or of the values of ``f`` when those are coarser."""
    return max(
        float(np.finfo(v.dtype).eps) for v in (x, *values) if v.dtype.kind in "fc"
    )


def _derivatives(
    fun, x: np.ndarray, h: np.ndarray, method: str, out_shape, name: str, indices=None
) -> tuple[np.ndarray, np.ndarray]:
    """Finite-difference derivatives of ``fun`` along the coordinates ``indices`` of ``x``.

    Returns two arrays of shape ``out_shape + (len(indices),)``: the derivatives, in the dtype
    of ``x``, and the rounding bound of each (float64, see :func:`check_gradient`).
    """
    indices = range(x.size) if indices is None else indices
    columns, rounding = [], []
    if method == "forward":
        f0 = _evaluate(fun, x, out_shape, name)
    for i in indices:
        if method == "complex":
            xc = x.astype(np.result_type(x.dtype, np.complex64))
            xc.flat[i] += 1j * h.flat[i]
            columns.append(
                np.imag(_evaluate(fun, xc, out_shape, name, complex_ok=True))
                / h.flat[i]
            )
            rounding.append(np.zeros(out_shape))  # nothing is subtracted
            continue
        xp = x.copy()
        xp.flat[i] += h.flat[i]
        xm = x.copy()
        if method == "central":
            xm.flat[i] -= h.flat[i]
        step = xp.flat[i] - xm.flat[i]  # the step actually taken, exactly representable
        if step == 0:
            raise check.fail(
                ValueError,
                "h",
                f"large enough to change x[{i}] = {float(x.flat[i])!r} in {x.dtype}",
                float(h.flat[i]),
            )
        fp = _evaluate(fun, xp, out_shape, name)
        fm = f0 if method == "forward" else _evaluate(fun, xm, out_shape, name)
        columns.append((fp - fm) / step)
        # each value of fun may be off by about eps |value|;
        # the quotient by their sum / step
        rounding.append(
            _eps(x, fp, fm)
            * (np.abs(fp.astype(float)) + np.abs(fm.astype(float)))
            / float(step)
        )
    return np.stack(columns, axis=-1).astype(x.dtype), np.stack(rounding, axis=-1)


# ---------------------------------------------------------------------- derivatives


def numerical_gradient(
    f: Callable, x, h: float | None = None, method: str = "central"
) -> np.ndarray:
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
        The difference quotient (see Notes).

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
    check.function(f, "f")
    method = check.choice(method, "method", METHODS)
    x = check.array(x, "x", dtype=None)
    steps = _steps(x, h, method)
    return _derivatives(f, x, steps, method, (), "f")[0].reshape(x.shape)


def numerical_jacobian(
    fun: Callable, x, h: float | None = None, method: str = "central"
) -> np.ndarray:
    r"""The Jacobian of a vector function by finite differences.

    Parameters
    ----------
    fun : callable
        ``fun(x)`` returns an array of any fixed shape ``m``.
    x : array_like, shape (n,)
        The point.
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
    check.function(fun, "fun")
    method = check.choice(method, "method", METHODS)
    x = check.array(x, "x", ndim=1, dtype=None)
    out_shape = np.shape(fun(x))
    return _derivatives(fun, x, _steps(x, h, method), method, out_shape, "fun")[0]


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
    kink such as that of ReLU, where the differences legitimately straddle it). An entry
    that should be zero has relative error 1 whatever its rounding noise:
    :func:`check_gradient` therefore also allows for the rounding floor.

    Examples
    --------
    >>> round(relative_error(1.0, 1.25), 12)
    0.2
    >>> relative_error([0.0, 1.0, 1.0], [0.0, 0.0, -1.0])
    array([0., 1., 2.])
    """
    a = check.array(a, "a", finite=False, empty=True, copy=False)
    b = check.array(b, "b", finite=False, empty=True, copy=False)
    with np.errstate(invalid="ignore"):
        num = np.abs(a - b)
        den = np.maximum(np.abs(a), np.abs(b))
        err = np.divide(num, den, out=np.zeros(num.shape), where=den > 0)
    err = np.where(np.isnan(num), np.nan, err)
    return float(err) if err.ndim == 0 else err


# -------------------------------------------------------------------------- reports


class Row(NamedTuple):
    """One entry of a check: where, the two values, their relative error, the rounding floor
    and the tolerance the difference was held to (it fails when ``|analytic - numeric|`` is
    above ``tolerance``)."""

    index: int | tuple
    analytic: float
    numeric: float
    error: float
    floor: float
    tolerance: float


def _excess(diff: np.ndarray, tolerance: np.ndarray) -> np.ndarray:
    """``diff / tolerance`` (above 1 fails), 0 where ``diff`` is 0 and ``inf`` for ``nan``."""
    with np.errstate(divide="ignore", invalid="ignore"):
        excess = np.where(diff == 0, 0.0, diff / tolerance)
    return np.nan_to_num(excess, nan=np.inf, posinf=np.inf)


def _rows(analytic, numeric, errors, floor, tolerance, order) -> tuple[Row, ...]:
    rows = []
    for flat in order:
        index = (
            int(flat)
            if errors.ndim == 1
            else tuple(int(i) for i in np.unravel_index(flat, errors.shape))
        )
        values = (analytic, numeric, errors, floor, tolerance)
        rows.append(Row(index, *(float(v.flat[flat]) for v in values)))
    return tuple(rows)


def _table(rows) -> str:
    lines = [
        f"  {'index':>10}  {'analytic':>14}  {'numeric':>14}  {'|a - n|':>9}  "
        f"{'tolerance':>9}  "
        f"{'floor':>9}  {'rel. error':>10}"
    ]
    for r in rows:
        diff = abs(r.analytic - r.numeric)
        lines.append(
            f"  {r.index!s:>10}  {r.analytic:>14.7g}  {r.numeric:>14.7g}  "
            f"{diff:>9.2e}  "
            f"{r.tolerance:>9.2e}  {r.floor:>9.2e}  {r.error:>10.2e}"
        )
    return "\n".join(lines)


def _rule(
    rtol: float, atol: float, safety: float, resolution: float, resolved: np.ndarray
) -> str:
    text = (
        f"  pass: |a - n| <= {atol:.1e} + {rtol:.1e} max(|a|, |n|) + floor; "
        f"floor = {safety:g} x rounding bound, at most {resolution:.1e}"
    )
    if not np.all(resolved):
        text += (
            f"\n  the floor exceeds atol + rtol max(|a|, |n|) in {np.sum(~resolved)} "
            f"of {resolved.size} "
            f"entries: errors below it go unseen there"
        )
    return text


@dataclass(frozen=True)
class CheckReport:
    r"""The result of :func:`check_gradient` or :func:`check_hessian`.

    Attributes
    ----------
    ok : bool
        True when every entry passes
        :math:`|a_i - n_i| \le \mathrm{atol} + \mathrm{rtol}\max(|a_i|, |n_i|) + \mathrm{floor}_i`
        (``nan`` and ``inf`` fail).
    max_error : float
        The largest relative error :math:`|a_i - n_i| / \max(|a_i|, |n_i|)`.
    errors : ndarray
        Relative error of every entry (shape of ``x``, or ``(n, n)`` for a Hessian).
    analytic, numeric : ndarray
        The two arrays compared.
    floor : ndarray
        The rounding floor of every entry: ``safety`` times the rounding bound of its
        difference quotient (0 for the complex step). An error below it cannot be told
        from rounding.
    tolerance : ndarray
        What every entry was allowed: ``atol + rtol * max(|a|, |n|) + floor``. A wrong
        entry whose error is below its tolerance goes unnoticed.
    resolution : float
        ``floor.max()``: the largest error rounding alone could explain, in the units of
        the gradient. Compare it with the gradient entries you care about.
    resolved : ndarray of bool
        Where ``floor <= atol + rtol * max(|a|, |n|)``: entries checked to the requested
        tolerance. Elsewhere the floor dominates, and an error up to the floor would pass.
    worst : tuple of Row
        The entries closest to failing (largest ``|a - n| / tolerance``), worst first.
    rtol, atol, safety : float
        The tolerances and the safety factor used.
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
    floor: np.ndarray
    tolerance: np.ndarray
    resolution: float
    resolved: np.ndarray
    worst: tuple
    rtol: float
    atol: float
    safety: float
    method: str
    what: str = "gradient"

    def __str__(self) -> str:
        verdict = "passed" if self.ok else "FAILED"
        head = (
            f"{self.what} check ({self.method} differences): {verdict}; "
            f"largest relative error {self.max_error:.2e}"
        )
        return "\n".join(
            [
                head,
                _rule(
                    self.rtol, self.atol, self.safety, self.resolution, self.resolved
                ),
                _table(self.worst),
            ]
        )


def _report(
    analytic, numeric, floor, rtol, atol, safety, method, what, n_worst
) -> CheckReport:
    errors = np.asarray(relative_error(analytic, numeric), dtype=float)
    with np.errstate(invalid="ignore"):
        diff = np.abs(analytic - numeric)
        allowed = atol + rtol * np.maximum(np.abs(analytic), np.abs(numeric))
        tolerance = allowed + floor
        passed = np.isfinite(tolerance) & (diff <= tolerance)
    order = np.argsort(-_excess(diff, tolerance).ravel(), kind="stable")[:n_worst]
    return CheckReport(
        ok=bool(np.all(passed)),
        max_error=float(np.max(errors)),
        errors=errors,
        analytic=analytic,
        numeric=numeric,
        floor=floor,
        tolerance=tolerance,
        resolution=float(np.max(floor)),
        resolved=~(floor > allowed),
        worst=_rows(analytic, numeric, errors, floor, tolerance, order),
        rtol=rtol,
        atol=atol,
        safety=safety,
        method=method,
        what=what,
    )


def check_gradient(
    f: Callable,
    grad: Callable,
    x,
    h: float | None = None,
    method: str = "central",
    rtol: float = 1e-6,
    atol: float = 0.0,
    n_worst: int = 5,
    safety: float = 10.0,
) -> CheckReport:
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
        As for :func:`numerical_gradient`: by default a step per coordinate,
        :math:`\varepsilon^{1/3}\max(1, |x_i|)` for central differences.
    rtol, atol : float
        Relative and absolute tolerances, on top of the rounding floor (see the rule below).
    n_worst : int
        How many entries to list in ``report.worst``.
    safety : float
        The rounding floor is ``safety`` times the rounding bound of each difference
        quotient. 0 turns the floor off and leaves the plain ``atol``/``rtol`` rule.

    Returns
    -------
    CheckReport
        ``.ok``, ``.max_error``, ``.errors``, ``.floor``, ``.tolerance`` and ``.resolved``
        (per coordinate), ``.resolution``, ``.worst``; ``print(report)`` shows the rule and
        a table.

    Notes
    -----
    **The rule.** Entry :math:`i`, with analytic value :math:`a_i` and difference quotient
    :math:`n_i`, passes when

    .. math::

        |a_i - n_i| \le \mathrm{atol} + \mathrm{rtol}\,\max(|a_i|, |n_i|) + \mathrm{floor}_i,
        \qquad \mathrm{floor}_i = \mathrm{safety}\cdot\rho_i ,

    and ``nan`` or ``inf`` fails. :math:`\rho_i` bounds the rounding error of the quotient,
    computed from the values of :math:`f` actually evaluated, the step actually taken
    :math:`s_i` (:math:`(x_i + h_i) - (x_i - h_i)` in floating point for central,
    :math:`(x_i + h_i) - x_i` for forward differences) and the machine epsilon
    :math:`\varepsilon` of the dtype of ``x`` (or of the values of ``f``, if coarser):

    .. math::

        \text{central: } \rho_i = \varepsilon\,
            \frac{|f(x + h_i e_i)| + |f(x - h_i e_i)|}{s_i}, \qquad
        \text{forward: } \rho_i = \varepsilon\, \frac{|f(x + h_i e_i)| + |f(x)|}{s_i}, \qquad
        \text{complex: } \rho_i = 0 .

    A computed value of :math:`f` rounded once is off by at most
    :math:`\tfrac\varepsilon2|f|`, so :math:`\rho_i` is twice what the difference of two
    such values, divided by :math:`s_i`, can lose. The rounding of a whole computation
    (a sum over a batch, intermediate quantities larger than :math:`f`) is larger, hence
    ``safety = 10``. Measured on sums over 10\ :sup:`4` samples, losses of size 10\ :sup:`4`
    and 10\ :sup:`8`, offsets up to 10\ :sup:`12` and float32, the actual rounding error
    stayed below :math:`0.8\rho_i`. A function that cancels internally (a loss of size 1
    computed as the difference of two numbers of size 10\ :sup:`8`) loses more than
    :math:`\varepsilon|f|`: raise ``safety`` or ``atol`` for it.

    The rounding error :math:`\varepsilon|f|/h` grows with the *value* of :math:`f`, not
    with its derivative: a correct gradient of a loss of 10\ :sup:`8` (a sum over a large
    batch, a constant offset) differs from its central difference by about
    :math:`10^{-3}`, which an ``rtol`` alone either flags or must be set so loose that it
    misses real bugs elsewhere. The floor follows :math:`|f|/h` coordinate by coordinate;
    ``report.resolution`` says how much resolution it cost.

    **Truncation** (:math:`\tfrac{h^2}{6}|\partial_i^3 f|` for central differences) is left
    to ``rtol``: at the default step it is about
    :math:`\tfrac{\varepsilon^{2/3}}{6}\max(1,|x_i|)^2 |\partial_i^3 f / \partial_i f|
    \approx 6\times10^{-12}\,|\partial_i^3 f / \partial_i f|` relative, below the default
    ``rtol`` unless :math:`f` varies on a length scale of a few :math:`10^{-3}`; use
    :func:`diagnose` (or the complex step) to tell such a case from a bug. In float32 the
    same term is about :math:`4\times10^{-6}\,|\partial_i^3 f / \partial_i f|`: the floor
    usually covers it, but a strongly curved function needs a larger ``rtol`` - better,
    check in float64.

    **The step.** The default step is chosen per coordinate, :math:`h_i =
    \varepsilon^{1/3}\max(1, |x_i|)`, balancing truncation and rounding when :math:`f`
    and its derivatives are of similar size. It is not scaled with :math:`|f|`: multiplying
    :math:`f` by :math:`c` multiplies the gradient, the truncation and the rounding error
    alike, so the best step does not move; only an additive constant moves it, and the
    floor then reports the lost resolution instead of guessing. Drop constants from the
    loss while checking, or use ``method="complex"``, which has no floor.

    **Defaults** ``rtol = 1e-6``, ``atol = 0``, ``safety = 10``. On a loss of size 1 the
    floor at the default step is about :math:`10\varepsilon/h \approx 4\times10^{-10}`, so
    an entry of size :math:`10^{-3}` off by :math:`10^{-4}` of itself fails. PyTorch's
    ``torch.autograd.gradcheck`` uses a fixed step ``eps = 1e-6`` and
    :math:`|a - n| \le 10^{-5} + 10^{-3}|n|`: its absolute ``atol`` ignores the scale of
    :math:`f` (the gradient entries of a loss of size :math:`10^{-7}` pass even with the
    wrong sign), its ``rtol`` lets relative errors up to :math:`10^{-3}` through, and on a
    loss of size :math:`10^{8}` its rounding error, up to about
    :math:`\varepsilon\, 10^{8}/10^{-6} \approx 2\times10^{-2}`, can fail every entry
    smaller than about 20. (It is meant for float64 inputs of moderate size.)

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

    A constant offset of :math:`10^8` costs resolution, not a false alarm:

    >>> big = lambda x: 1e8 + np.sum(np.sin(x))
    >>> report = check_gradient(big, np.cos, np.array([0.3, 1.1, -2.0]))
    >>> report.ok, f"{report.resolution:.0e}"
    (True, '4e-02')
    >>> check_gradient(big, np.cos, np.array([0.3, 1.1, -2.0]), safety=0).ok
    False
    """
    check.function(f, "f")
    check.function(grad, "grad")
    method = check.choice(method, "method", METHODS)
    x = check.array(x, "x", dtype=None)
    rtol = check.nonnegative(rtol, "rtol")
    atol = check.nonnegative(atol, "atol")
    n_worst = check.integer(n_worst, "n_worst", minimum=1)
    safety = check.nonnegative(safety, "safety")
    analytic = _evaluate(grad, x, x.shape, "grad").astype(float)
    numeric, rounding = _derivatives(f, x, _steps(x, h, method), method, (), "f")
    return _report(
        analytic,
        numeric.astype(float).reshape(x.shape),
        safety * rounding.reshape(x.shape),
        rtol,
        atol,
        safety,
        method,
        "gradient",
        n_worst,
    )


def check_hessian(
    grad: Callable,
    hess: Callable,
    x,
    h: float | None = None,
    method: str = "central",
    rtol: float = 1e-6,
    atol: float = 0.0,
    n_worst: int = 5,
    safety: float = 10.0,
) -> CheckReport:
    r"""Compare a Hessian function with finite differences of the gradient.

    Parameters
    ----------
    grad : callable
        ``grad(x)`` returns an array of shape ``(n,)``.
    hess : callable
        ``hess(x)`` returns an array of shape ``(n, n)``.
    x : array_like, shape (n,)
        The point.
    h, method, rtol, atol, n_worst, safety
        As for :func:`check_gradient`.

    Returns
    -------
    CheckReport
        With ``errors``, ``floor`` and ``tolerance`` of shape ``(n, n)`` and index pairs
        ``(i, j)`` in ``worst``.

    Notes
    -----
    Column :math:`j` of the numerical Hessian is
    :math:`(\nabla f(x + h e_j) - \nabla f(x - h e_j)) / (2h)`: :math:`2n` gradient
    evaluations. The rule is that of :func:`check_gradient`, with the rounding floor of
    entry :math:`(i, j)` computed from :math:`|\partial_i f(x \pm h e_j)|`. Check the
    gradient first; a wrong gradient makes this check meaningless.

    Examples
    --------
    >>> grad = lambda x: np.array([2 * x[0] * x[1], x[0] ** 2])
    >>> hess = lambda x: np.array([[2 * x[1], 2 * x[0]], [2 * x[0], 0.0]])
    >>> check_hessian(grad, hess, np.array([1.0, 3.0])).ok
    True
    """
    check.function(grad, "grad")
    check.function(hess, "hess")
    method = check.choice(method, "method", METHODS)
    x = check.array(x, "x", ndim=1, dtype=None)
    rtol = check.nonnegative(rtol, "rtol")
    atol = check.nonnegative(atol, "atol")
    n_worst = check.integer(n_worst, "n_worst", minimum=1)
    safety = check.nonnegative(safety, "safety")
    n = x.size
    analytic = _evaluate(hess, x, (n, n), "hess").astype(float)
    numeric, rounding = _derivatives(
        grad, x, _steps(x, h, method), method, (n,), "grad"
    )
    return _report(
        analytic,
        numeric.astype(float),
        safety * rounding,
        rtol,
        atol,
        safety,
        method,
        "Hessian",
        n_worst,
    )


@dataclass(frozen=True)
class DirectionalReport:
    """The result of :func:`directional_check`.

    Attributes
    ----------
    ok : bool
        True when every directional derivative passes the rule of :func:`check_gradient`.
    max_error : float
        The largest relative error.
    errors, analytic, numeric : ndarray, shape (k,)
        Per direction: relative error, :math:`\\nabla f(x)^\\top d` and the central difference.
    floor, tolerance : ndarray, shape (k,)
        Per direction: the rounding floor and the tolerance, as in :class:`CheckReport`.
    resolution : float
        ``floor.max()``.
    resolved : ndarray of bool, shape (k,)
        Where the floor is within ``atol + rtol * max(|a|, |n|)``, as in :class:`CheckReport`.
    directions : ndarray, shape (k,) + x.shape
        The random unit directions.
    rtol, atol, safety : float
        The tolerances and the safety factor used.
    """

    ok: bool
    max_error: float
    errors: np.ndarray
    analytic: np.ndarray
    numeric: np.ndarray
    floor: np.ndarray
    tolerance: np.ndarray
    resolution: float
    resolved: np.ndarray
    directions: np.ndarray
    rtol: float
    atol: float
    safety: float

    def __str__(self) -> str:
        verdict = "passed" if self.ok else "FAILED"
        head = (
            f"directional check ({len(self.errors)} random directions): {verdict}; "
            f"largest relative error {self.max_error:.2e}"
        )
        rows = _rows(
            self.analytic,
            self.numeric,
            self.errors,
            self.floor,
            self.tolerance,
            range(len(self.errors)),
        )
        return "\n".join(
            [
                head,
                _rule(
                    self.rtol, self.atol, self.safety, self.resolution, self.resolved
                ),
                _table(rows),
            ]
        )


def directional_check(
    f: Callable,
    grad: Callable,
    x,
    rng=None,
    n_directions: int = 5,
    h: float | None = None,
    rtol: float = 1e-6,
    atol: float = 0.0,
    safety: float = 10.0,
) -> DirectionalReport:
    r"""Compare directional derivatives along random unit directions.

    Parameters
    ----------
    f, grad : callable
        As for :func:`check_gradient`.
    x : array_like, any shape
        The point.
    rng : None, int or numpy.random.Generator
        Source of the directions.
    n_directions : int
        Number :math:`k` of directions.
    h : float, optional
        Step along each direction; default :math:`\varepsilon^{1/3} \max(1, \max_i |x_i|)`.
    rtol, atol, safety : float
        As for :func:`check_gradient`; the rounding bound of direction :math:`d` is
        :math:`\varepsilon(|f(x + hd)| + |f(x - hd)|) / (2h)`.

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
    check.function(f, "f")
    check.function(grad, "grad")
    x = check.array(x, "x", dtype=None)
    gen = check.rng(rng)
    k = check.integer(n_directions, "n_directions", minimum=1)
    rtol = check.nonnegative(rtol, "rtol")
    atol = check.nonnegative(atol, "atol")
    safety = check.nonnegative(safety, "safety")
    if h is None:
        h = float(np.cbrt(np.finfo(x.dtype).eps) * max(1.0, float(np.max(np.abs(x)))))
    h = check.positive(h, "h")
    g = _evaluate(grad, x, x.shape, "grad").astype(float)
    directions = gen.standard_normal((k,) + x.shape)
    directions /= np.linalg.norm(directions.reshape(k, -1), axis=1).reshape(
        (k,) + (1,) * x.ndim
    )
    analytic = np.array([np.sum(g * d) for d in directions])
    numeric, floor = np.empty(k), np.empty(k)
    for j, d in enumerate(directions):
        fp = _evaluate(f, (x + h * d).astype(x.dtype), (), "f")
        fm = _evaluate(f, (x - h * d).astype(x.dtype), (), "f")
        numeric[j] = (float(fp) - float(fm)) / (2 * h)
        floor[j] = (
            safety * _eps(x, fp, fm) * (abs(float(fp)) + abs(float(fm))) / (2 * h)
        )
    errors = np.asarray(relative_error(analytic, numeric))
    with np.errstate(invalid="ignore"):
        allowed = atol + rtol * np.maximum(np.abs(analytic), np.abs(numeric))
        tolerance = allowed + floor
        passed = np.isfinite(tolerance) & (np.abs(analytic - numeric) <= tolerance)
    return DirectionalReport(
        ok=bool(np.all(passed)),
        max_error=float(np.max(errors)),
        errors=errors,
        analytic=analytic,
        numeric=numeric,
        floor=floor,
        tolerance=tolerance,
        resolution=float(np.max(floor)),
        resolved=~(floor > allowed),
        directions=directions,
        rtol=rtol,
        atol=atol,
        safety=safety,
    )


# --------------------------------------------------- the seed's diagnosis, repaired


@dataclass(frozen=True)
class Diagnosis:
    """The result of :func:`diagnose`.

    Attributes
    ----------
    verdict : str
        ``"ok"`` (no coordinate examined), ``"gradient wrong"`` (some examined coordinate
        has an error that is neither truncation nor rounding), otherwise ``"step too large"``
        or ``"step too small"``, whichever more examined coordinates got (a tie counts as
        ``"step too large"``). The ``"notes"`` rule never says ``"step too small"``.
    rule : str
        ``"three-way"`` or ``"notes"``.
    h : float
        The step.
    tol : float or None
        The notes' absolute tolerance (``None`` under the three-way rule).
    rtol, atol, safety : float
        The three-way rule's tolerances and safety factor (recorded under ``"notes"`` too,
        where only ``safety`` is used, for the ``floor`` shown as evidence).
    min_ratio, min_growth : float
        The decisive factors: an error that falls by more than ``min_ratio`` when ``h``
        shrinks tenfold means "step too large"; one that grows by more than ``min_growth``
        means "step too small".
    errors : ndarray, shape of x
        :math:`|D_h f - g_i|` for every coordinate, with :math:`D_h` the central difference.
    floor : ndarray, shape of x
        The rounding floor of :math:`D_h f` (``safety`` times the rounding bound of
        :func:`check_gradient`).
    tolerance : ndarray, shape of x
        The tolerance of every coordinate: ``tol`` (notes), or
        ``atol + rtol * max(|g_i|, |D_h f|)`` (three-way).
    failing : tuple
        Indices (into the flattened ``x``) of the coordinates examined at ``h / 10``.
    errors_small, floor_small : ndarray, shape (len(failing),)
        The error and the rounding floor of those coordinates at step ``h / 10``.
    ratios : ndarray, shape (len(failing),)
        ``errors[failing] / errors_small``: about 100 for truncation, 1 for a wrong
        gradient, 0.1 for rounding (``inf`` when the smaller step is exact).
    errors_extrapolated : ndarray, shape (len(failing),)
        :math:`|D^\\ast - g_i|` with the Richardson extrapolation
        :math:`D^\\ast = (100 D_{h/10} - D_h) / 99`, free of the :math:`h^2` truncation term:
        what is left of the error once truncation is removed.
    coordinate_verdicts : tuple of str
        The verdict of each failing coordinate.
    """

    verdict: str
    rule: str
    h: float
    tol: float | None
    rtol: float
    atol: float
    safety: float
    min_ratio: float
    min_growth: float
    errors: np.ndarray
    floor: np.ndarray
    tolerance: np.ndarray
    failing: tuple
    errors_small: np.ndarray
    floor_small: np.ndarray
    ratios: np.ndarray
    errors_extrapolated: np.ndarray
    coordinate_verdicts: tuple

    def __str__(self) -> str:
        if self.rule == "notes":
            test = f"notes' rule, tolerance {self.tol:.1e}"
        else:
            test = (
                f"three-way rule, tolerance {self.atol:.1e} + {self.rtol:.1e} "
                f"max(|g_i|, |D_h|)"
            )
        lines = [
            f"diagnosis at h = {self.h:.1e} ({test}): {self.verdict}; "
            f"{len(self.failing)} of {self.errors.size} coordinates examined at h/10"
        ]
        if self.failing:
            idx = list(self.failing)
            lines.append(
                f"  {'index':>8}  {'error at h':>10}  {'floor at h':>10}  "
                f"{'tolerance':>10}  "
                f"{'at h/10':>10}  {'floor':>10}  {'ratio':>8}  {'extrap.':>10}  "
                f"verdict"
            )
            columns = (
                self.errors.flat[idx],
                self.floor.flat[idx],
                self.tolerance.flat[idx],
                self.errors_small,
                self.floor_small,
                self.ratios,
                self.errors_extrapolated,
                self.coordinate_verdicts,
            )
            for i, e, fl, t, s, fs, r, x, v in zip(self.failing, *columns, strict=True):
                lines.append(
                    f"  {i:>8}  {e:>10.3e}  {fl:>10.3e}  {t:>10.3e}  {s:>10.3e}  "
                    f"{fs:>10.3e}  "
                    f"{r:>8.3g}  {x:>10.3e}  {v}"
                )
        return "\n".join(lines)


def _three_way(
    e_h, floor_h, tol, ratio, e_star, floor_star, min_ratio, min_growth
) -> str:
    """The verdict of one examined coordinate (see :func:`diagnose`)."""
    if (
        e_h <= tol + floor_h
    ):  # rounding at h could hide an error the size of the tolerance
        return "step too small"
    if ratio > min_ratio:  # fell about 100-fold: truncation M h^2 dominates
        return "step too large"
    if ratio < 1 / min_growth:  # grew about 10-fold: rounding eps |f| / h dominates
        return "step too small"
    if (
        e_star > tol + floor_star
    ):  # survives removing truncation, beyond rounding: a bug
        return "gradient wrong"
    # truncation and rounding of similar size: h is near the crossover
    return "step too large"


def diagnose(
    f: Callable,
    grad: Callable,
    x,
    h: float = 1e-7,
    tol: float | None = None,
    min_ratio: float = 30.0,
    *,
    rule: str = "three-way",
    rtol: float = 1e-6,
    atol: float | None = None,
    safety: float = 10.0,
    min_growth: float = 3.0,
) -> Diagnosis:
    r"""Why does the central difference at step ``h`` disagree with ``grad``?

    Step too large (truncation), step too small (rounding), or a wrong gradient. The
    source notes' two-case procedure is kept as ``rule="notes"``.

    Parameters
    ----------
    f, grad : callable
        As for :func:`check_gradient`.
    x : array_like, any shape
        The point (the notes draw it at random).
    h : float
        The step of the central difference, the same for every coordinate; the notes
        suggest :math:`10^{-7}`.
    tol : float, optional
        The notes' absolute tolerance, ``h`` by default. Only for ``rule="notes"``.
    min_ratio : float
        A failing coordinate whose error falls by more than this factor when ``h`` is
        divided by 10 is blamed on a large step (the theory says 100; 30 leaves room for
        the higher-order terms).
    rule : {"three-way", "notes"}
        ``"three-way"``: relative tolerance with a rounding floor, and three verdicts.
        ``"notes"``: the notes' procedure as written (absolute tolerance, two verdicts).
    rtol, atol : float
        The three-way rule's tolerance :math:`t_i = \mathrm{atol} + \mathrm{rtol}
        \max(|g_i|, |D_h f|)`: the size of error worth finding. By default ``atol`` is
        ``rtol`` times the largest entry of the gradient, so that an entry that is zero (or
        tiny next to the others) is judged on the gradient's scale instead of demanding
        an error of exactly zero, which rounding at any step would exceed.
    safety : float
        The rounding floor is ``safety`` times the rounding bound of :func:`check_gradient`.
    min_growth : float
        (three-way) A failing coordinate whose error grows by more than this factor when
        ``h`` is divided by 10 is blamed on a small step (the theory says 10; 3 is about
        the geometric middle between 1 and 10).

    Returns
    -------
    Diagnosis
        The verdict and its evidence: errors and rounding floors at ``h`` and ``h / 10``,
        their ratios, the extrapolated errors and a verdict per examined coordinate.

    Notes
    -----
    Taylor's theorem with the Lagrange remainder gives, for some :math:`p_i \in (0, h)` and
    :math:`q_i \in (-h, 0)`,

    .. math::

        \frac{f(x + h e_i) - f(x - h e_i)}{2h} - \frac{\partial f}{\partial x_i}
        = \frac{h^2}{12}\bigl(\partial_i^3 f(x + p_i e_i) + \partial_i^3 f(x + q_i e_i)\bigr)
        \approx M_i h^2 ,

    and in floating point the quotient carries a rounding error of up to about
    :math:`\rho_i(h) = \varepsilon(|f(x + he_i)| + |f(x - he_i)|)/(2h)`. A wrong gradient
    entry adds a constant :math:`b_i`. So the error :math:`e_i(h) = |D_h f - g_i| \approx
    |b_i + M_i h^2 + r_i(h)|` with :math:`|r_i(h)| \lesssim \rho_i(h)` reacts to
    :math:`h \to h/10` by a factor :math:`e_i(h) / e_i(h/10)` of about 100 when truncation
    dominates, 1 when the bug dominates and 1/10 when rounding dominates.

    **Three-way rule** (the default). With the tolerance :math:`t_i` and the floors
    :math:`\phi_i = \mathrm{safety}\cdot\rho_i(h)`,
    :math:`\phi_i' = \mathrm{safety}\cdot\rho_i(h/10)`, coordinate :math:`i` is examined when

    .. math:: e_i(h) > t_i + \phi_i \quad\text{(an error rounding cannot explain)}
              \qquad\text{or}\qquad \phi_i > t_i \quad\text{(rounding could hide one)} .

    The second condition accounts for rounding in the other direction: a step so small
    that rounding exceeds the tolerance confirms nothing, and calling that "ok" is how the
    notes' rule misses bugs. An examined coordinate is

    1. "step too small" if :math:`e_i(h) \le t_i + \phi_i` (examined only because
       :math:`\phi_i > t_i`);
    2. else "step too large" if :math:`e_i(h)/e_i(h/10) >` ``min_ratio`` (30);
    3. else "step too small" if :math:`e_i(h)/e_i(h/10) < 1/` ``min_growth`` (1/3);
    4. else "gradient wrong" if the extrapolated error
       :math:`e_i^\ast = |D^\ast - g_i|`, :math:`D^\ast = (100 D_{h/10} f - D_h f)/99`,
       exceeds :math:`t_i + (100\phi_i' + \phi_i)/99` (its rounding floor);
    5. else "step too large".

    Test 1 replaces the ratio where rounding dominates: two rounding errors are nearly
    independent, so their ratio scatters widely around 1/10. Test 4 guards the middle of
    the ratio scale, where a step near the crossover of truncation and rounding (both of
    similar size) also gives ratios near 1: the Richardson extrapolation :math:`D^\ast`
    removes the :math:`M_i h^2` term, so what remains beyond rounding is a bug; what does
    not remain was truncation (5). The remedy for "step too small" is a larger step (the
    default steps of :func:`check_gradient`), for "step too large" a smaller one; both
    at once mean that no single step suits every coordinate - use per-coordinate steps or
    the complex step.

    **The notes' rule** (``rule="notes"``): examine :math:`e_i(h) > \mathrm{tol}` with
    :math:`\mathrm{tol} = h`; an examined coordinate is "step too large" if its error fell
    by more than ``min_ratio``, otherwise "gradient wrong". The absolute tolerance ignores
    the scale of :math:`f` and its gradient: multiplying :math:`f` by 1000 can turn a
    pass into a failure, and a gradient entry smaller than :math:`h` can be wrong by 100 %
    and still pass. And with no third verdict, rounding (small :math:`h`, large
    :math:`|f|`, float32), which makes the error *grow* when :math:`h` shrinks, is
    declared a wrong gradient.

    Examples
    --------
    >>> f = lambda x: np.sum(np.exp(4 * x))
    >>> g = lambda x: 4 * np.exp(4 * x)
    >>> d = diagnose(f, g, np.array([1.0, 2.0]), h=1e-2)
    >>> d.verdict, d.failing
    ('step too large', (0, 1))
    >>> diagnose(f, lambda x: g(x) + np.array([0.0, 0.1]), np.array([1.0, 2.0])).verdict
    'gradient wrong'

    A correct gradient of a loss of size :math:`10^8` at the notes' step:

    >>> big = lambda x: 1e8 + np.sum(np.sin(x))
    >>> diagnose(big, np.cos, np.array([0.3, 1.1])).verdict
    'step too small'
    >>> diagnose(big, np.cos, np.array([0.3, 1.1]), rule="notes").verdict
    'gradient wrong'
    """
    check.function(f, "f")
    check.function(grad, "grad")
    x = check.array(x, "x", dtype=None)
    h = check.positive(h, "h")
    min_ratio = check.positive(min_ratio, "min_ratio")
    rule = check.choice(rule, "rule", RULES)
    rtol = check.nonnegative(rtol, "rtol")
    atol = None if atol is None else check.nonnegative(atol, "atol")
    safety = check.nonnegative(safety, "safety")
    min_growth = check.in_range(min_growth, "min_growth", 1.0, low_open=True)
    if rule == "notes":
        tol = h if tol is None else check.positive(tol, "tol")
    elif tol is not None:
        raise check.fail(
            ValueError, "tol", "None under rule='three-way' (use rtol and atol)", tol
        )
    g = _evaluate(grad, x, x.shape, "grad").astype(float).ravel()
    D_h, rounding = _derivatives(
        f, x, np.full(x.shape, h, dtype=x.dtype), "central", (), "f"
    )
    D_h = D_h.astype(float)
    errors, floor = np.abs(D_h - g), safety * rounding
    if rule == "notes":
        tolerance = np.full(g.shape, tol)
        examine = ~(errors <= tolerance)
    else:
        if atol is None:
            # the gradient's scale: an error far below it is not worth finding
            atol = rtol * float(np.max(np.abs(g), initial=0.0))
        tolerance = atol + rtol * np.maximum(np.abs(g), np.abs(D_h))
        examine = ~(errors <= tolerance + floor) | (floor > tolerance)
    failing = tuple(int(i) for i in np.flatnonzero(examine))
    i = list(failing)
    if failing:
        D_small, rounding_small = _derivatives(
            f,
            x,
            np.full(x.shape, h / 10, dtype=x.dtype),
            "central",
            (),
            "f",
            indices=failing,
        )
        D_small = D_small.astype(float)
    else:
        D_small = rounding_small = np.zeros(0)
    errors_small, floor_small = np.abs(D_small - g[i]), safety * rounding_small
    errors_star = np.abs(
        (100 * D_small - D_h[i]) / 99 - g[i]
    )  # Richardson: no h^2 term
    floor_star = (100 * floor_small + floor[i]) / 99
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = errors[i] / errors_small
    if rule == "notes":
        verdicts = tuple(
            "step too large" if r > min_ratio else "gradient wrong" for r in ratios
        )
    else:
        evidence = zip(
            errors[i],
            floor[i],
            tolerance[i],
            ratios,
            errors_star,
            floor_star,
            strict=True,
        )
        verdicts = tuple(_three_way(*e, min_ratio, min_growth) for e in evidence)
    if not verdicts:
        verdict = "ok"
    elif "gradient wrong" in verdicts:
        verdict = "gradient wrong"
    else:
        small = verdicts.count("step too small")
        verdict = (
            "step too small" if small > len(verdicts) - small else "step too large"
        )
    return Diagnosis(
        verdict=verdict,
        rule=rule,
        h=h,
        tol=tol,
        rtol=rtol,
        atol=atol,
        safety=safety,
        min_ratio=min_ratio,
        min_growth=min_growth,
        errors=errors.reshape(x.shape),
        floor=floor.reshape(x.shape),
        tolerance=tolerance.reshape(x.shape),
        failing=failing,
        errors_small=errors_small,
        floor_small=floor_small,
        ratios=ratios,
        errors_extrapolated=errors_star,
        coordinate_verdicts=verdicts,
    )
