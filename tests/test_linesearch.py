"""Tests for gradlib.linesearch: the Wolfe conditions as a property, SciPy reference steps, failures."""

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from gradlib import functions
from gradlib.linesearch import LineSearchResult, armijo, strong_wolfe

REFERENCE = json.loads(
    (Path(__file__).parent / "reference" / "scipy_cg.json").read_text()
)


def spd_matrix(eigenvalues, seed):
    """Q diag(eigenvalues) Q^T with a seeded random orthogonal Q."""
    return functions.random_spd(len(eigenvalues), eigenvalues, rng=seed)


def wavy(x):
    """A non-convex test function with many local minima: sum of x^2/2 + sin(3x)."""
    return float(np.sum(0.5 * x**2 + np.sin(3 * x)))


def wavy_grad(x):
    return x + 3 * np.cos(3 * x)


def extra_problems():
    """Further 2-D test functions from gradlib.functions, where the module provides them."""
    found = []
    for name in ("beale", "himmelblau", "booth", "styblinski_tang"):
        maker = getattr(functions, name, None)
        if callable(maker):
            found.append(maker())
    return found


PROBLEMS = [functions.rosenbrock(), *extra_problems()]


def strong_wolfe_holds(f, grad, x, d, alpha, c1, c2):
    """Recompute both conditions at x + alpha d."""
    phi0, derphi0 = f(x), grad(x) @ d
    x_new = x + alpha * d
    decrease = f(x_new) <= phi0 + c1 * alpha * derphi0
    curvature = abs(grad(x_new) @ d) <= c2 * abs(derphi0)
    return decrease and curvature


def direction(g, u, theta, scale):
    """A descent direction at angle theta (< pi/2) from -g, with length scale * |g|."""
    u = u - (u @ g) / (g @ g) * g
    if np.linalg.norm(u) < 1e-12:
        u = np.zeros_like(g)
    else:
        u = u / np.linalg.norm(u)
    return (
        scale
        * np.linalg.norm(g)
        * (-np.cos(theta) * g / np.linalg.norm(g) + np.sin(theta) * u)
    )


constants = st.tuples(st.floats(1e-4, 0.3), st.floats(0.05, 0.95)).filter(
    lambda c: c[0] < c[1]
)


@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(1, 8),
    log_kappa=st.floats(0, 4),
    theta=st.floats(0, 1.4),
    log_scale=st.floats(-3, 2),
    c=constants,
)
def test_strong_wolfe_holds_on_random_quadratics(
    seed, n, log_kappa, theta, log_scale, c
):
    rng = np.random.default_rng(seed)
    A = spd_matrix(np.logspace(0, log_kappa, n), seed)
    b = rng.standard_normal(n)
    p = functions.quadratic(A=A, b=b)
    x = rng.normal(scale=3.0, size=n)
    g = p.grad(x)
    assume(np.linalg.norm(g) > 1e-6)
    d = direction(g, rng.standard_normal(n), theta, 10.0**log_scale)
    res = strong_wolfe(p.f, p.grad, x, d, c1=c[0], c2=c[1])
    assert res.success, res.message
    assert strong_wolfe_holds(p.f, p.grad, x, d, res.alpha, *c)
    assert np.array_equal(res.x, x + res.alpha * d)


@given(
    index=st.integers(0, len(PROBLEMS) - 1),
    u=st.floats(0, 1),
    v=st.floats(0, 1),
    w=st.floats(-1, 1),
    theta=st.floats(0, 1.4),
    log_scale=st.floats(-3, 1),
    c=constants,
)
def test_strong_wolfe_holds_on_test_functions(index, u, v, w, theta, log_scale, c):
    p = PROBLEMS[index]
    (x_lo, x_hi), (y_lo, y_hi) = p.bounds
    x = np.array([x_lo + u * (x_hi - x_lo), y_lo + v * (y_hi - y_lo)])
    g = p.grad(x)
    assume(np.linalg.norm(g) > 1e-4)
    d = direction(g, np.array([w, 1.0 - abs(w)]), theta, 10.0**log_scale)
    res = strong_wolfe(p.f, p.grad, x, d, c1=c[0], c2=c[1])
    assert res.success, res.message
    assert strong_wolfe_holds(p.f, p.grad, x, d, res.alpha, *c)
    assert np.array_equal(res.x, x + res.alpha * d)


@given(
    x=st.lists(st.floats(-3, 3), min_size=1, max_size=5),
    theta=st.floats(0, 1.4),
    log_scale=st.floats(-2, 1),
    c=constants,
)
def test_strong_wolfe_holds_on_a_nonconvex_function(x, theta, log_scale, c):
    x = np.array(x)
    g = wavy_grad(x)
    assume(np.linalg.norm(g) > 1e-4)
    d = direction(g, np.ones_like(x), theta, 10.0**log_scale)
    res = strong_wolfe(wavy, wavy_grad, x, d, c1=c[0], c2=c[1])
    assert res.success, res.message
    assert strong_wolfe_holds(wavy, wavy_grad, x, d, res.alpha, *c)
    assert np.array_equal(res.x, x + res.alpha * d)


@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(1, 6),
    c1=st.floats(1e-4, 0.5),
    shrink=st.floats(0.1, 0.9),
)
def test_armijo_condition_holds(seed, n, c1, shrink):
    rng = np.random.default_rng(seed)
    p = functions.quadratic(
        A=spd_matrix(np.logspace(0, 3, n), seed), b=rng.standard_normal(n)
    )
    x = rng.normal(scale=3.0, size=n)
    g = p.grad(x)
    assume(np.linalg.norm(g) > 1e-6)
    res = armijo(p.f, p.grad, x, -g, c1=c1, shrink=shrink, max_iter=200)
    assert res.success, res.message
    assert p.f(res.x) <= p.f(x) + c1 * res.alpha * (g @ -g)
    assert res.alpha == 1.0 or p.f(x - res.alpha / shrink * g) > p.f(
        x
    ) - c1 * res.alpha / shrink * (g @ g)
    assert np.array_equal(res.g, p.grad(res.x))


def test_result_records_every_trial_and_counts():
    p = functions.rosenbrock()
    x = p.start
    res = strong_wolfe(p.f, p.grad, x, -p.grad(x), f0=p.f(x), g0=p.grad(x))
    assert isinstance(res, LineSearchResult)
    assert res.nfev == res.nit == len(res.alphas) and res.alphas[0] == 1.0
    assert res.alphas[-1] == res.alpha
    assert 1 <= res.ngev <= res.nfev
    assert res.f == p.f(res.x) and np.array_equal(res.g, p.grad(res.x))
    # without f0 and g0 the search evaluates them itself
    again = strong_wolfe(p.f, p.grad, x, -p.grad(x))
    assert (again.nfev, again.ngev) == (res.nfev + 1, res.ngev + 1)
    assert again.alpha == res.alpha


def test_exact_step_on_a_quadratic_and_extrapolation():
    p = functions.quadratic(eigenvalues=[1.0, 1.0])
    x = np.array([3.0, 4.0])
    res = strong_wolfe(
        p.f, p.grad, x, -1e-3 * p.grad(x)
    )  # a short direction: the search must grow the step
    assert res.success and res.alphas[:4] == (1.0, 2.0, 4.0, 8.0)
    assert strong_wolfe_holds(p.f, p.grad, x, -1e-3 * p.grad(x), res.alpha, 1e-4, 0.1)


@pytest.mark.parametrize("case", REFERENCE["line_search"], ids=lambda c: c["problem"])
def test_against_scipy_line_search(case):
    """SciPy's line_search (scipy.optimize._linesearch, also N&W 3.5/3.6, c2=0.1) on the same cases.

    Both steps must satisfy the strong Wolfe conditions; the steps themselves agree exactly when the
    first trial or plain doubling is accepted and differ by less than 20% otherwise (SciPy's zoom
    interpolates a cubic through three function values); our counts are at most one above SciPy's.
    """
    A, x_star = (
        np.array(REFERENCE["quadratic"]["A"]),
        np.array(REFERENCE["quadratic"]["x_star"]),
    )
    if case["problem"] == "rosenbrock":
        p = functions.rosenbrock()
        f, grad = p.f, p.grad
    else:

        def f(x):
            return 0.5 * (x - x_star) @ A @ (x - x_star)

        def grad(x):
            return A @ (x - x_star)

    x, d, c1, c2 = np.array(case["x"]), np.array(case["d"]), case["c1"], case["c2"]
    res = strong_wolfe(f, grad, x, d, c1=c1, c2=c2, f0=f(x), g0=grad(x))
    assert res.success, res.message
    assert strong_wolfe_holds(f, grad, x, d, res.alpha, c1, c2)

    assert strong_wolfe_holds(f, grad, x, d, case["alpha"], c1, c2)
    assert res.nfev <= case["nfev"] + 1 and res.ngev <= case["ngev"] + 1
    if np.log2(
        case["alpha"]
    ).is_integer():  # SciPy accepted the first trial or a doubled one
        assert res.alpha == case["alpha"]
    else:
        assert res.alpha == pytest.approx(case["alpha"], rel=0.2)


# ---- failures: bad input raises, a search that cannot succeed reports it ----


def square(x):
    return float(x @ x)


def square_grad(x):
    return 2 * x


@pytest.mark.parametrize(
    "c1, c2, message",
    [
        (0.5, 0.1, "c2 must be in (0.5, 1), got 0.1"),
        (0.1, 0.1, "c2 must be in (0.1, 1), got 0.1"),
        (1e-4, 1.0, "c2 must be in (0.0001, 1), got 1.0"),
        (0.0, 0.5, "c1 must be in (0, 1), got 0.0"),
        (-0.1, 0.5, "c1 must be in (0, 1), got -0.1"),
        (0.5, 1.5, "c2 must be in (0.5, 1), got 1.5"),
    ],
)
def test_bad_constants_raise(c1, c2, message):
    """0 < c1 < c2 < 1: c1 is checked first, then c2 against c1."""
    with pytest.raises(ValueError) as info:
        strong_wolfe(square, square_grad, np.ones(2), -np.ones(2), c1=c1, c2=c2)
    assert str(info.value) == message


def test_bad_armijo_constants_raise():
    with pytest.raises(ValueError, match="c1"):
        armijo(square, square_grad, np.ones(2), -np.ones(2), c1=1.0)
    with pytest.raises(ValueError, match="shrink"):
        armijo(square, square_grad, np.ones(2), -np.ones(2), shrink=1.0)
    with pytest.raises(ValueError, match="alpha0"):
        armijo(square, square_grad, np.ones(2), -np.ones(2), alpha0=0.0)
    with pytest.raises(ValueError, match="max_iter"):
        armijo(square, square_grad, np.ones(2), -np.ones(2), max_iter=0)


@pytest.mark.parametrize("search", [strong_wolfe, armijo])
@pytest.mark.parametrize("d", [[1.0, 1.0], [0.0, 0.0], [1.0, -1.0]])
def test_non_descent_direction_raises(search, d):
    with pytest.raises(ValueError, match="descent direction"):
        search(square, square_grad, np.ones(2), np.array(d))


@pytest.mark.parametrize("search", [strong_wolfe, armijo])
def test_bad_shapes_and_values_raise(search):
    x, d = np.ones(2), -np.ones(2)
    with pytest.raises(ValueError, match=r"d must have shape \(2,\)"):
        search(square, square_grad, x, -np.ones(3))
    with pytest.raises(
        ValueError, match=r"x must have shape \(n,\), got shape \(2, 2\)"
    ):
        search(square, square_grad, np.ones((2, 2)), d)
    with pytest.raises(ValueError, match="x must be finite"):
        search(square, square_grad, np.array([1.0, np.nan]), d)
    with pytest.raises(ValueError, match="grad.x. must return an array of shape"):
        search(square, lambda z: np.ones(3), x, d)
    with pytest.raises(ValueError, match="f.x. must return a scalar"):
        search(lambda z: z, square_grad, x, d)
    with pytest.raises(ValueError, match=r"g0 must have shape \(2,\)"):
        search(square, square_grad, x, d, g0=np.ones(3))
    with pytest.raises(ValueError, match="f0 must be finite"):
        search(square, square_grad, x, d, f0=np.inf)
    with pytest.raises(ValueError, match="f.x. must be finite at the starting point"):
        search(lambda z: np.nan, square_grad, x, d)
    with pytest.raises(
        ValueError, match="grad.x. must be finite at the starting point"
    ):
        search(square, lambda z: np.array([np.nan, 1.0]), x, d)
    with pytest.raises(TypeError, match="f must be callable, got 1.0 of type float"):
        search(1.0, square_grad, x, d)
    with pytest.raises(TypeError, match="grad must be callable, got None"):
        search(square, None, x, d)
    with pytest.raises(TypeError, match="x must be an array of real numbers, got 'ab'"):
        search(square, square_grad, "ab", d)


def test_bad_step_bounds_raise():
    with pytest.raises(ValueError, match=r"alpha0 must be in \(0, 1\], got 2\.0"):
        strong_wolfe(
            square, square_grad, np.ones(2), -np.ones(2), alpha0=2.0, alpha_max=1.0
        )
    with pytest.raises(ValueError, match="alpha_max must be > 0"):
        strong_wolfe(square, square_grad, np.ones(2), -np.ones(2), alpha_max=-1.0)


def descending_line(limit=np.inf):
    """f(x) = -x[0], non-finite beyond x[0] = limit: unbounded below along d = e_0."""

    def f(x):
        return -x[0] if x[0] <= limit else np.nan

    def grad(x):
        return np.array([-1.0]) if x[0] <= limit else np.array([np.nan])

    return f, grad


def test_non_finite_value_ends_the_search_with_a_message():
    f, grad = descending_line(limit=10.0)
    res = strong_wolfe(f, grad, np.zeros(1), np.ones(1))
    assert not res.success and "non-finite value at alpha=16.0" in res.message
    assert (
        res.alpha == 8.0 and res.f == -8.0
    )  # the best point found, not the failed trial


def test_unbounded_function_reaches_alpha_max():
    f, grad = descending_line()
    res = strong_wolfe(f, grad, np.zeros(1), np.ones(1), alpha_max=5.0)
    assert not res.success and "alpha_max" in res.message
    assert res.alphas == (1.0, 2.0, 4.0, 5.0)
    res = strong_wolfe(f, grad, np.zeros(1), np.ones(1), max_iter=3)
    assert not res.success and "max_iter=3" in res.message and res.alpha == 4.0


def test_zoom_failures_report_the_best_point():
    p = functions.rosenbrock()
    x = p.start
    res = strong_wolfe(p.f, p.grad, x, -p.grad(x), max_iter=2)
    assert not res.success and "max_iter=2" in res.message
    assert res.f <= p.f(x) + 1e-4 * res.alpha * (p.grad(x) @ -p.grad(x))

    # a gradient that keeps claiming descent on a plateau: the interval shrinks to rounding level
    def plateau(z):
        return -min(float(z[0]), 1.0)

    res = strong_wolfe(
        plateau, lambda z: np.array([-1.0]), np.zeros(1), np.ones(1), max_iter=500
    )
    assert not res.success and "rounding" in res.message
    assert res.alpha == 1.0 and res.f == -1.0

    # a non-finite value met while bracketing, then inside zoom (the interpolated step lands on z = 0)
    def cliff(z):
        return float(z[0] ** 2) if z[0] > -0.5 else np.nan

    res = strong_wolfe(cliff, lambda z: 2 * z, np.ones(1), -np.ones(1) * 2.0)
    assert not res.success and res.message == "non-finite value at alpha=1.0"
    assert res.alpha == 0.0 and res.f == 1.0

    def hole(z):
        return float(z[0] ** 2) if abs(z[0]) > 0.1 else np.nan

    res = strong_wolfe(hole, lambda z: 2 * z, np.ones(1), -np.ones(1) * 3.0)
    assert (
        not res.success and res.alphas[0] == 1.0 and "non-finite value" in res.message
    )
    assert res.alpha == 0.0 and res.f == 1.0


def test_armijo_backtracks_over_non_finite_values_and_reports_failure():
    f, grad = descending_line(limit=0.3)
    res = armijo(f, grad, np.zeros(1), np.ones(1))
    assert res.success and res.alpha == 0.25
    res = armijo(f, grad, np.zeros(1), np.ones(1), max_iter=2)
    assert not res.success and "max_iter=2" in res.message and res.alpha == 0.0
    assert np.array_equal(res.x, np.zeros(1))

    def bad_grad(z):
        return np.array([-1.0]) if z[0] == 0 else np.array([np.inf])

    res = armijo(lambda z: -float(z[0]), bad_grad, np.zeros(1), np.ones(1))
    assert not res.success and "non-finite gradient" in res.message and res.alpha == 0.0
