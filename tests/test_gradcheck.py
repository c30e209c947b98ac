"""Tests of numerical differentiation, the gradient checkers and the source notes' diagnosis."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gradlib import gradcheck as G


def smooth(x):
    """A smooth, complex-safe test function (keeps the dtype of x)."""
    return np.sum(np.sin(x) * np.exp(x / 3)) + x[0] * x[-1]


def smooth_grad(x):
    g = np.cos(x) * np.exp(x / 3) + np.sin(x) * np.exp(x / 3) / 3
    g[0] += x[-1]
    g[-1] += x[0]
    return g


X = np.array([0.3, -1.2, 2.5, 0.8, -0.4])


def max_rel(a, b):
    return float(np.max(G.relative_error(a, b)))


# ----------------------------------------------------------------------------- numerical_gradient

def test_accuracy_of_the_three_methods_at_their_default_steps():
    exact = smooth_grad(X)
    assert max_rel(G.numerical_gradient(smooth, X, method="forward"), exact) < 1e-6
    assert max_rel(G.numerical_gradient(smooth, X, method="central"), exact) < 1e-9
    assert max_rel(G.numerical_gradient(smooth, X, method="complex"), exact) < 1e-14


def test_default_steps_are_near_the_best_steps():
    exact = smooth_grad(X)
    hs = np.logspace(-12, -1, 45)
    for method in ("forward", "central"):
        errors = [max_rel(G.numerical_gradient(smooth, X, h=h, method=method), exact) for h in hs]
        best = min(errors)
        h_best = hs[int(np.argmin(errors))]
        default = max_rel(G.numerical_gradient(smooth, X, method=method), exact)
        assert default < 10 * best
        expected = np.sqrt(np.finfo(float).eps) if method == "forward" else np.cbrt(np.finfo(float).eps)
        assert expected / 30 < h_best < expected * 30


def test_truncation_error_scales_like_h_and_h_squared():
    f = lambda x: np.sum(np.exp(x))  # noqa: E731
    x = np.array([0.5])
    e = lambda h, m: abs(G.numerical_gradient(f, x, h=h, method=m)[0] - np.exp(0.5))  # noqa: E731
    assert 8 < e(1e-2, "forward") / e(1e-3, "forward") < 12
    assert 80 < e(1e-2, "central") / e(1e-3, "central") < 120
    # the complex step has no subtraction: a tiny step is still exact
    assert e(1e-200, "complex") < 1e-15


def test_float32_is_differenced_in_float32_and_is_worse():
    x32 = X.astype(np.float32)
    g32 = G.numerical_gradient(smooth, x32)
    assert g32.dtype == np.float32
    exact = smooth_grad(X)
    err32 = max_rel(g32, exact)
    err64 = max_rel(G.numerical_gradient(smooth, X), exact)
    assert err32 > 1e3 * err64
    assert err32 < 1e-3  # still a usable derivative, just a much noisier one
    assert G.numerical_gradient(smooth, x32, method="complex").dtype == np.float32


def test_integer_and_matrix_points():
    g = G.numerical_gradient(lambda x: np.sum(x**2), [1, 2, 3])
    assert g.dtype == np.float64
    np.testing.assert_allclose(g, [2, 4, 6], rtol=1e-9)
    W = np.arange(6.0).reshape(2, 3)
    gw = G.numerical_gradient(lambda w: np.sum(w**3), W, method="complex")
    np.testing.assert_allclose(gw, 3 * W**2, rtol=1e-14, atol=1e-30)  # -h^2 = -1e-40 at w = 0


def test_numerical_jacobian_of_a_gradient_is_the_hessian():
    H = G.numerical_jacobian(lambda x: np.array([x[0] ** 2 * x[1], np.sin(x[1])]), np.array([1.0, 2.0]))
    np.testing.assert_allclose(H, [[4.0, 1.0], [0.0, np.cos(2.0)]], rtol=1e-9, atol=1e-12)


@given(st.lists(st.floats(-3, 3), min_size=1, max_size=6))
def test_central_differences_are_exact_for_quadratics(values):
    x = np.array(values)
    c = np.arange(1.0, len(x) + 1)
    g = G.numerical_gradient(lambda z: np.sum(c * z**2 - z), x)
    np.testing.assert_allclose(g, 2 * c * x - 1, rtol=1e-7, atol=1e-8)


# ----------------------------------------------------------------------------- relative_error

def test_relative_error():
    assert G.relative_error(0.0, 0.0) == 0.0
    assert G.relative_error(1.0, 0.0) == 1.0
    assert G.relative_error(-2.0, 2.0) == 2.0
    assert G.relative_error(3.0, 2.0) == pytest.approx(1 / 3)
    assert isinstance(G.relative_error(1.0, 1.0), float)
    np.testing.assert_array_equal(G.relative_error([0.0, 2.0], [0.0, 1.0]), [0.0, 0.5])
    assert np.isnan(G.relative_error(np.nan, 1.0))
    with pytest.raises(TypeError, match="a and b must be arrays of real numbers"):
        G.relative_error("x", 1.0)


@given(st.floats(-1e6, 1e6), st.floats(-1e6, 1e6))
def test_relative_error_is_symmetric_and_bounded(a, b):
    r = G.relative_error(a, b)
    assert r == G.relative_error(b, a)
    assert 0.0 <= r <= 2.0


# ----------------------------------------------------------------------------- check_gradient

def mlp_loss_and_grad(bug_at=None):
    """A tiny one-hidden-layer network's loss as a function of its flat parameter vector."""
    rng = np.random.default_rng(0)
    inputs, targets = rng.standard_normal((8, 3)), rng.standard_normal(8)

    def unpack(theta):
        return theta[:12].reshape(3, 4), theta[12:16], theta[16:20]

    def loss(theta):
        W, b, v = unpack(theta)
        a = np.tanh(inputs @ W + b)
        return 0.5 * np.mean((a @ v - targets) ** 2)

    def grad(theta):
        W, b, v = unpack(theta)
        a = np.tanh(inputs @ W + b)
        r = (a @ v - targets) / len(targets)
        dz = np.outer(r, v) * (1 - a**2)
        g = np.concatenate([(inputs.T @ dz).ravel(), dz.sum(0), a.T @ r])
        if bug_at is not None:
            g[bug_at] *= 1.01  # a 1 % mistake in one coordinate
        return g

    return loss, grad, rng.standard_normal(20)


def test_check_gradient_passes_a_correct_network_gradient():
    loss, grad, theta = mlp_loss_and_grad()
    report = G.check_gradient(loss, grad, theta)
    assert report.ok
    assert report.max_error < 1e-7
    assert report.errors.shape == (20,)
    assert len(report.worst) == 5
    assert "passed" in str(report)
    assert G.check_gradient(loss, grad, theta, method="complex", rtol=1e-13).ok
    assert G.check_gradient(loss, grad, theta, method="forward", rtol=1e-4).ok


@pytest.mark.parametrize("bug_at", [0, 13, 19])
def test_check_gradient_catches_a_planted_bug(bug_at):
    loss, grad, theta = mlp_loss_and_grad(bug_at)
    report = G.check_gradient(loss, grad, theta)
    assert not report.ok
    assert report.worst[0].index == bug_at
    assert report.worst[0].error == pytest.approx(0.01 / 1.01, rel=1e-4)
    assert np.sum(report.errors > 1e-7) == 1
    text = str(report)
    assert "FAILED" in text and str(bug_at) in text.splitlines()[2]


def test_check_gradient_on_a_matrix_reports_index_pairs():
    W = np.array([[1.0, 2.0], [3.0, 4.0]])
    bad = lambda w: 2 * w + np.array([[0.0, 0.0], [1.0, 0.0]])  # noqa: E731
    report = G.check_gradient(lambda w: np.sum(w**2), bad, W, n_worst=2)
    assert not report.ok and report.worst[0].index == (1, 0)
    assert report.errors.shape == (2, 2)


def test_atol_rescues_near_zero_gradients():
    f = lambda x: np.sum(x**2) + x[0] * x[1]  # noqa: E731
    grad = lambda x: 2 * x + x[::-1]  # noqa: E731
    x = np.array([1.0, -2.0])  # the first coordinate of the gradient is exactly 0
    report = G.check_gradient(f, grad, x)
    assert not report.ok and report.worst[0].index == 0 and report.worst[0].error == 1.0
    assert G.check_gradient(f, grad, x, atol=1e-8).ok


def test_nan_gradient_fails():
    report = G.check_gradient(lambda x: np.sum(x**2), lambda x: np.full_like(x, np.nan), np.ones(3))
    assert not report.ok


# ----------------------------------------------------------------------------- Hessians and directions

def test_check_hessian_catches_a_planted_bug():
    grad = lambda x: np.array([2 * x[0] * x[1], x[0] ** 2 + 3 * x[1] ** 2])  # noqa: E731
    good = lambda x: np.array([[2 * x[1], 2 * x[0]], [2 * x[0], 6 * x[1]]])  # noqa: E731
    x = np.array([1.5, -0.5])
    assert G.check_hessian(grad, good, x).ok
    report = G.check_hessian(grad, lambda x: good(x) * np.array([[1, 1], [1, 1.1]]), x)
    assert not report.ok and report.worst[0].index == (1, 1)
    assert "Hessian check" in str(report)


def test_directional_check():
    loss, grad, theta = mlp_loss_and_grad()
    report = G.directional_check(loss, grad, theta, rng=3, n_directions=4)
    assert report.ok and report.errors.shape == (4,)
    np.testing.assert_allclose(np.linalg.norm(report.directions, axis=1), 1.0)
    again = G.directional_check(loss, grad, theta, rng=3, n_directions=4)
    np.testing.assert_array_equal(report.directions, again.directions)
    assert "passed" in str(report)
    loss, bad, theta = mlp_loss_and_grad(bug_at=5)
    bad10 = lambda t: bad(t) + 10 * (np.arange(20) == 5) * bad(t)  # noqa: E731
    report = G.directional_check(loss, bad10, theta, rng=3)
    assert not report.ok and "FAILED" in str(report)
    W = np.ones((2, 3))
    assert G.directional_check(lambda w: np.sum(w**3), lambda w: 3 * w**2, W, h=1e-5).ok


# ----------------------------------------------------------------------------- diagnose

def test_diagnose_ok_for_a_correct_gradient():
    d = G.diagnose(smooth, smooth_grad, X)
    assert d.verdict == "ok" and d.failing == () and d.ratios.size == 0
    assert d.tol == d.h == 1e-7
    assert "ok" in str(d)


def test_diagnose_step_too_large():
    # f = 1000 x^3 per coordinate: the central difference is off by exactly 1000 h^2
    f = lambda x: 1000 * np.sum(x**3)  # noqa: E731
    grad = lambda x: 3000 * x**2  # noqa: E731
    x = np.array([0.5, -1.0, 2.0])
    d = G.diagnose(f, grad, x, h=1e-2)
    assert d.verdict == "step too large"
    assert d.failing == (0, 1, 2)
    np.testing.assert_allclose(d.errors, 1000 * 1e-4, rtol=1e-6)
    np.testing.assert_allclose(d.ratios, 100, rtol=1e-3)
    assert set(d.coordinate_verdicts) == {"step too large"}
    # following the advice - a smaller step - the check passes
    assert G.diagnose(f, grad, x, h=1e-4).verdict == "ok"
    assert "step too large" in str(d)


def test_diagnose_gradient_wrong():
    loss, bad, theta = mlp_loss_and_grad(bug_at=7)
    d = G.diagnose(loss, bad, theta)
    assert d.verdict == "gradient wrong"
    assert d.failing == (7,)
    assert d.ratios[0] == pytest.approx(1.0, rel=1e-2)
    assert "gradient wrong" in str(d) and "7" in str(d)


def test_diagnose_mixed_failures_blame_the_gradient():
    f = lambda x: 1000 * np.sum(x**3)  # noqa: E731
    grad = lambda x: 3000 * x**2 + np.array([0.0, 0.5])  # noqa: E731
    d = G.diagnose(f, grad, np.array([1.0, 1.0]), h=1e-2)
    assert d.coordinate_verdicts == ("step too large", "gradient wrong")
    assert d.verdict == "gradient wrong"


def test_diagnose_false_alarm_from_rounding():
    # the documented limit: a correct gradient of a large function, at the notes' h = 1e-7
    f = lambda x: 1e6 * np.sum(np.sin(x))  # noqa: E731
    grad = lambda x: 1e6 * np.cos(x)  # noqa: E731
    d = G.diagnose(f, grad, np.array([0.3, 1.1]))
    assert d.verdict == "gradient wrong"
    assert np.all(d.ratios < 1)  # the error grew when h shrank: rounding, not a bug
    assert G.check_gradient(f, grad, np.array([0.3, 1.1])).ok


def test_diagnose_custom_tolerance():
    f = lambda x: 100 * np.sum(x**3)  # noqa: E731
    d = G.diagnose(f, lambda x: 300 * x**2, np.array([1.0]), h=1e-2, tol=1.0)
    assert d.verdict == "ok" and d.tol == 1.0


# ----------------------------------------------------------------------------- bad arguments

def f2(x):
    return np.sum(x**2)


def g2(x):
    return 2 * x


@pytest.mark.parametrize(
    ("call", "error", "pattern"),
    [
        (lambda: G.numerical_gradient(f2, [1.0], method="backward"), ValueError,
         r"method must be one of \('forward', 'central', 'complex'\), got 'backward'"),
        (lambda: G.numerical_gradient(f2, [1.0], h=0.0), ValueError, r"h must be > 0, got 0\.0"),
        (lambda: G.numerical_gradient(f2, [1.0], h="small"), TypeError, r"h must be a real number"),
        (lambda: G.numerical_gradient("f", [1.0]), TypeError, r"f must be callable, got 'f'"),
        (lambda: G.numerical_gradient(f2, []), ValueError, r"x must not be empty"),
        (lambda: G.numerical_gradient(f2, [1.0, np.nan]), ValueError, r"x must be finite"),
        (lambda: G.numerical_gradient(f2, [1j]), TypeError, r"x must be an array of real numbers, got dtype"),
        (lambda: G.numerical_gradient(f2, ["a"]), TypeError, r"x must be an array of real numbers"),
        (lambda: G.numerical_gradient(f2, [[1.0], [2.0, 3.0]]), TypeError, r"x must be an array of real"),
        (lambda: G.numerical_gradient(lambda x: x, [1.0, 2.0]), ValueError,
         r"f must return an array of shape \(\), got shape \(2,\)"),
        (lambda: G.numerical_gradient(f2, [1e10], h=1e-10, method="forward"), ValueError,
         r"h = 1e-10 is too small to change x\[0\] = 10000000000\.0"),
        (lambda: G.numerical_jacobian(g2, np.ones((2, 2))), ValueError, r"x must be one-dimensional"),
        (lambda: G.numerical_jacobian(1.0, [1.0]), TypeError, r"fun must be callable"),
        (lambda: G.check_gradient(f2, lambda x: x[:1], [1.0, 2.0]), ValueError,
         r"grad must return an array of shape \(2,\), got shape \(1,\)"),
        (lambda: G.check_gradient(f2, None, [1.0]), TypeError, r"grad must be callable"),
        (lambda: G.check_gradient(f2, g2, [1.0], rtol=-1.0), ValueError, r"rtol must be >= 0, got -1\.0"),
        (lambda: G.check_gradient(f2, g2, [1.0], atol=np.inf), ValueError, r"atol must be finite"),
        (lambda: G.check_gradient(f2, g2, [1.0], n_worst=0), ValueError, r"n_worst must be >= 1, got 0"),
        (lambda: G.check_hessian(g2, lambda x: np.eye(2), [1.0, 2.0, 3.0]), ValueError,
         r"hess must return an array of shape \(3, 3\), got shape \(2, 2\)"),
        (lambda: G.check_hessian(g2, lambda x: 2.0, np.ones((2, 2))), ValueError,
         r"x must be one-dimensional"),
        (lambda: G.check_hessian(g2, "H", [1.0]), TypeError, r"hess must be callable"),
        (lambda: G.directional_check(f2, g2, [1.0], n_directions=0), ValueError,
         r"n_directions must be >= 1, got 0"),
        (lambda: G.directional_check(f2, g2, [1.0], rng=1.5), TypeError, r"rng must be None, an integer"),
        (lambda: G.directional_check(f2, g2, [1.0], h=-1.0), ValueError, r"h must be > 0, got -1\.0"),
        (lambda: G.diagnose(f2, g2, [1.0], h=0.0), ValueError, r"h must be > 0, got 0\.0"),
        (lambda: G.diagnose(f2, g2, [1.0], tol=0.0), ValueError, r"tol must be > 0, got 0\.0"),
        (lambda: G.diagnose(f2, g2, [1.0], min_ratio=-3.0), ValueError, r"min_ratio must be > 0"),
    ],
)
def test_bad_arguments(call, error, pattern):
    with pytest.raises(error, match=pattern):
        call()
