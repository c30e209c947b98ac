"""Tests of numerical differentiation, the gradient checkers and the (repaired) source notes' diagnosis."""

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


# --------------------------------------------------------------- numerical_gradient


def test_accuracy_of_the_three_methods_at_their_default_steps():
    exact = smooth_grad(X)
    assert max_rel(G.numerical_gradient(smooth, X, method="forward"), exact) < 1e-6
    assert max_rel(G.numerical_gradient(smooth, X, method="central"), exact) < 1e-9
    assert max_rel(G.numerical_gradient(smooth, X, method="complex"), exact) < 1e-14


def test_default_steps_are_near_the_best_steps():
    exact = smooth_grad(X)
    hs = np.logspace(-12, -1, 45)
    for method in ("forward", "central"):
        errors = [
            max_rel(G.numerical_gradient(smooth, X, h=h, method=method), exact)
            for h in hs
        ]
        best = min(errors)
        h_best = hs[int(np.argmin(errors))]
        default = max_rel(G.numerical_gradient(smooth, X, method=method), exact)
        assert default < 10 * best
        expected = (
            np.sqrt(np.finfo(float).eps)
            if method == "forward"
            else np.cbrt(np.finfo(float).eps)
        )
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
    np.testing.assert_allclose(
        gw, 3 * W**2, rtol=1e-14, atol=1e-30
    )  # -h^2 = -1e-40 at w = 0


def test_numerical_jacobian_of_a_gradient_is_the_hessian():
    H = G.numerical_jacobian(
        lambda x: np.array([x[0] ** 2 * x[1], np.sin(x[1])]), np.array([1.0, 2.0])
    )
    np.testing.assert_allclose(
        H, [[4.0, 1.0], [0.0, np.cos(2.0)]], rtol=1e-9, atol=1e-12
    )


@given(st.lists(st.floats(-3, 3), min_size=1, max_size=6))
def test_central_differences_are_exact_for_quadratics(values):
    x = np.array(values)
    c = np.arange(1.0, len(x) + 1)
    g = G.numerical_gradient(lambda z: np.sum(c * z**2 - z), x)
    np.testing.assert_allclose(g, 2 * c * x - 1, rtol=1e-7, atol=1e-8)


# ------------------------------------------------------------------- relative_error


def test_relative_error():
    assert G.relative_error(0.0, 0.0) == 0.0
    assert G.relative_error(1.0, 0.0) == 1.0
    assert G.relative_error(-2.0, 2.0) == 2.0
    assert G.relative_error(3.0, 2.0) == pytest.approx(1 / 3)
    assert isinstance(G.relative_error(1.0, 1.0), float)
    np.testing.assert_array_equal(G.relative_error([0.0, 2.0], [0.0, 1.0]), [0.0, 0.5])
    assert np.isnan(G.relative_error(np.nan, 1.0))
    with pytest.raises(TypeError, match="a must be an array of real numbers, got 'x'"):
        G.relative_error("x", 1.0)
    with pytest.raises(TypeError, match=r"b must be an array of real numbers, got 1j"):
        G.relative_error(1.0, 1j)
    assert np.isnan(G.relative_error(np.inf, np.inf))  # no warning either


@given(st.floats(-1e6, 1e6), st.floats(-1e6, 1e6))
def test_relative_error_is_symmetric_and_bounded(a, b):
    r = G.relative_error(a, b)
    assert r == G.relative_error(b, a)
    assert 0.0 <= r <= 2.0


# ------------------------------------------------------------------- check_gradient


def mlp_loss_and_grad(bug_at=None, bug=0.01):
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
            g[bug_at] *= 1 + bug  # a 1 % mistake in one coordinate, by default
        return g

    return loss, grad, rng.standard_normal(20)


def first_row(report):
    """The first table row of a printed report."""
    lines = str(report).splitlines()
    return lines[[k for k, line in enumerate(lines) if "index" in line][0] + 1]


def test_check_gradient_passes_a_correct_network_gradient():
    loss, grad, theta = mlp_loss_and_grad()
    report = G.check_gradient(loss, grad, theta)
    assert report.ok
    assert report.max_error < 1e-7
    assert report.errors.shape == report.floor.shape == report.tolerance.shape == (20,)
    assert len(report.worst) == 5
    assert "passed" in str(report)
    assert G.check_gradient(loss, grad, theta, method="complex", rtol=1e-13).ok
    assert G.check_gradient(loss, grad, theta, method="forward", rtol=1e-4).ok
    assert G.check_gradient(
        loss, grad, theta, method="forward"
    ).ok  # the floor covers forward rounding


@pytest.mark.parametrize("bug_at", [0, 13, 19])
def test_check_gradient_catches_a_planted_bug(bug_at):
    loss, grad, theta = mlp_loss_and_grad(bug_at)
    report = G.check_gradient(loss, grad, theta)
    assert not report.ok
    assert report.worst[0].index == bug_at
    assert report.worst[0].error == pytest.approx(0.01 / 1.01, rel=1e-4)
    assert np.sum(report.errors > 1e-7) == 1
    text = str(report)
    assert "FAILED" in text and first_row(report).split()[0] == str(bug_at)


def test_check_gradient_on_a_matrix_reports_index_pairs():
    W = np.array([[1.0, 2.0], [3.0, 4.0]])
    bad = lambda w: 2 * w + np.array([[0.0, 0.0], [1.0, 0.0]])  # noqa: E731
    report = G.check_gradient(lambda w: np.sum(w**2), bad, W, n_worst=2)
    assert not report.ok and report.worst[0].index == (1, 0)
    assert report.errors.shape == report.floor.shape == (2, 2)


def test_the_floor_covers_the_rounding_noise_of_zero_entries():
    f = lambda x: np.sum(x**2) + x[0] * x[1]  # noqa: E731
    grad = lambda x: 2 * x + x[::-1]  # noqa: E731
    x = np.array([1.0, -2.0])  # the first coordinate of the gradient is exactly 0
    n0 = G.numerical_gradient(f, x)[0]
    assert n0 != 0  # rounding noise, relative error 1
    report = G.check_gradient(f, grad, x)
    assert report.ok and report.errors[0] == 1.0 and abs(n0) <= report.floor[0]
    # without the floor the relative rule fails; atol rescues it, as before
    plain = G.check_gradient(f, grad, x, safety=0)
    assert not plain.ok and plain.worst[0].index == 0 and plain.worst[0].error == 1.0
    assert np.all(plain.floor == 0) and plain.resolution == 0
    assert G.check_gradient(f, grad, x, safety=0, atol=1e-8).ok


def test_nan_and_inf_fail():
    report = G.check_gradient(
        lambda x: np.sum(x**2), lambda x: np.full_like(x, np.nan), np.ones(3)
    )
    assert not report.ok
    report = G.check_gradient(
        lambda x: np.sum(x**2), lambda x: np.full_like(x, np.inf), np.ones(3)
    )
    assert not report.ok
    # f overflows: its floor is infinite, which must not make everything pass
    with np.errstate(over="ignore"):
        report = G.check_gradient(
            lambda x: np.sum(np.exp(x)), np.exp, np.array([709.7, 1.0])
        )
    assert not report.ok and report.worst[0].index == 0


# --------------------------------------------------------------- the rounding floor


def offset_loss(offset):
    loss, grad, theta = mlp_loss_and_grad()
    return (lambda t: offset + loss(t)), grad, theta


def batch_loss(scale=1.0):
    """A least-squares loss summed over 20 000 samples, near its minimum: value about 1e4 * scale."""
    rng = np.random.default_rng(1)
    A = rng.standard_normal((20_000, 6))
    b = A @ rng.standard_normal(6) + rng.standard_normal(20_000)
    w = np.linalg.lstsq(A, b, rcond=None)[0] + 1e-6 * rng.standard_normal(6)
    return (
        (lambda w: scale * 0.5 * np.sum((A @ w - b) ** 2)),
        (lambda w: scale * A.T @ (A @ w - b)),
        w,
    )


@pytest.mark.parametrize(
    ("case", "value"),
    [
        (lambda: offset_loss(1e4), 1e4),
        (lambda: offset_loss(1e8), 1e8),
        (lambda: batch_loss(), 1e4),
        (lambda: batch_loss(1e4), 1e8),
    ],
    ids=["offset 1e4", "offset 1e8", "batch sum 1e4", "batch sum 1e8"],
)
def test_correct_gradients_of_large_losses_pass_at_the_defaults(case, value):
    f, grad, x = case()
    assert 0.5 * value < f(x) < 2 * value
    report = G.check_gradient(f, grad, x)
    assert report.ok, report
    # the old rule (rtol 1e-7, no floor) cried wolf on every one of them
    assert not G.check_gradient(f, grad, x, rtol=1e-7, safety=0).ok
    # the report says how much resolution the large value cost
    assert report.resolution == report.floor.max() > 0
    assert f"at most {report.resolution:.1e}" in str(report)
    np.testing.assert_array_equal(
        report.tolerance,
        1e-6 * np.maximum(np.abs(report.analytic), np.abs(report.numeric))
        + report.floor,
    )


def test_the_floor_is_the_rounding_bound_times_the_safety_factor():
    f, grad, x = offset_loss(1e8)
    report = G.check_gradient(f, grad, x)
    eps = np.finfo(float).eps
    h = np.cbrt(eps) * np.maximum(1, np.abs(x))
    # eps (|f(x + h e_i)| + |f(x - h e_i)|) / (2 h) with |f| about 1e8, times 10
    np.testing.assert_allclose(report.floor, 10 * eps * 2e8 / (2 * h), rtol=1e-6)
    assert not np.any(report.resolved)  # 1e8 swamps gradient entries of 0.02 to 0.4 ...
    assert "errors below it go unseen there" in str(report)
    assert np.all(
        G.check_gradient(*offset_loss(0.0)).resolved
    )  # ... but not without the offset
    # a factor 2 in the safety factor is a factor 2 in the floor
    np.testing.assert_allclose(
        G.check_gradient(f, grad, x, safety=20).floor, 2 * report.floor
    )
    # forward differences have a larger floor (smaller step), the complex step none
    forward = G.check_gradient(f, grad, x, method="forward")
    assert np.all(forward.floor > 100 * report.floor)
    assert (
        G.check_gradient(offset_loss(1e8)[0], grad, x, method="complex").resolution
        == 0.0
    )


@pytest.mark.parametrize("bug_at", range(20))
def test_a_relative_error_of_1e_4_in_one_entry_fails_on_a_loss_of_size_1(bug_at):
    loss, grad, theta = mlp_loss_and_grad(bug_at, bug=1e-4)
    assert 0.1 < loss(theta) < 10
    report = G.check_gradient(loss, grad, theta)
    assert not report.ok and report.worst[0].index == bug_at
    row = report.worst[0]
    assert (
        abs(row.analytic - row.numeric) > 30 * row.tolerance
    )  # by a wide margin, not by luck
    assert np.all(report.resolved)


@given(st.integers(-6, 10), st.floats(1.0, 9.9), st.integers(0, 10), st.booleans())
def test_the_rule_is_scale_free_and_ignores_offsets(
    exponent, mantissa, offset_exponent, offset
):
    """Any scale, any offset: the correct gradient passes; with no offset a 1e-4 bug fails."""
    c = mantissa * 10.0**exponent
    C = 10.0**offset_exponent if offset else 0.0
    f = lambda x: c * smooth(x) + C  # noqa: E731
    grad = lambda x: c * smooth_grad(x)  # noqa: E731
    assert G.check_gradient(f, grad, X).ok
    if not offset:
        k = int(np.argmax(np.abs(smooth_grad(X))))
        bad = lambda x: grad(x) * (1 + 1e-4 * (np.arange(len(x)) == k))  # noqa: E731
        assert not G.check_gradient(f, bad, X).ok


def test_float32_uses_float32_rounding():
    x32 = X.astype(np.float32)
    report = G.check_gradient(smooth, smooth_grad, x32)
    assert report.ok
    # the epsilon is 5e8 times larger, the step 800 times: the floor is about 7e5 times coarser
    ratio = report.resolution / G.check_gradient(smooth, smooth_grad, X).resolution
    assert 2e5 < ratio < 2e6
    # f computing in float32 from a float64 point: the coarser epsilon is used
    f32 = lambda x: np.float32(np.sum(x**2))  # noqa: E731
    assert G.check_gradient(f32, lambda x: 2 * x, np.array([1.0, 2.0])).ok
    assert not G.check_gradient(f32, lambda x: 2 * x, np.array([1.0, 2.0]), safety=0).ok


def test_worst_lists_the_entries_closest_to_failing():
    f, grad, x = offset_loss(1e4)
    report = G.check_gradient(f, grad, x, n_worst=20)
    excess = [abs(r.analytic - r.numeric) / r.tolerance for r in report.worst]
    assert excess == sorted(excess, reverse=True)
    assert sorted(r.index for r in report.worst) == list(range(20))


# ---------------------------------------------------------- Hessians and directions


def test_check_hessian_catches_a_planted_bug():
    grad = lambda x: np.array([2 * x[0] * x[1], x[0] ** 2 + 3 * x[1] ** 2])  # noqa: E731
    good = lambda x: np.array([[2 * x[1], 2 * x[0]], [2 * x[0], 6 * x[1]]])  # noqa: E731
    x = np.array([1.5, -0.5])
    assert G.check_hessian(grad, good, x).ok
    report = G.check_hessian(grad, lambda x: good(x) * np.array([[1, 1], [1, 1.1]]), x)
    assert not report.ok and report.worst[0].index == (1, 1)
    assert "Hessian check" in str(report)
    # a gradient of size 1e8: the floor of entry (i, j) comes from |g_i(x +- h e_j)|
    shifted = lambda x: grad(x) + 1e8  # noqa: E731
    report = G.check_hessian(shifted, good, x)
    assert report.ok and report.floor.shape == (2, 2) and report.resolution > 1e-2
    assert not G.check_hessian(shifted, good, x, safety=0).ok


def test_directional_check():
    loss, grad, theta = mlp_loss_and_grad()
    report = G.directional_check(loss, grad, theta, rng=3, n_directions=4)
    assert report.ok and report.errors.shape == report.floor.shape == (4,)
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
    # an offset of 1e8: the floor again, not a false alarm
    big = lambda x: 1e8 + np.sum(np.sin(x))  # noqa: E731
    report = G.directional_check(big, np.cos, np.linspace(0, 1, 50), rng=0)
    assert report.ok and not np.any(report.resolved)
    assert not G.directional_check(
        big, np.cos, np.linspace(0, 1, 50), rng=0, safety=0
    ).ok


# --------------------------------------------------------- diagnose: three verdicts


def cubic():
    # f = 1000 x^3 per coordinate: the central difference is off by exactly 1000 h^2
    return (
        (lambda x: 1000 * np.sum(x**3)),
        (lambda x: 3000 * x**2),
        np.array([0.5, -1.0, 2.0]),
    )


def test_diagnose_ok_for_a_correct_gradient():
    d = G.diagnose(smooth, smooth_grad, X)
    assert d.verdict == "ok" and d.failing == () and d.ratios.size == 0
    assert d.rule == "three-way" and d.h == 1e-7 and d.tol is None and d.rtol == 1e-6
    assert np.all(d.errors <= d.tolerance + d.floor) and np.all(d.floor <= d.tolerance)
    assert "ok" in str(d)
    loss, grad, theta = mlp_loss_and_grad()
    assert G.diagnose(loss, grad, theta).verdict == "ok"
    assert G.diagnose(loss, grad, theta, rule="notes").verdict == "ok"


def test_diagnose_step_too_large():
    f, grad, x = cubic()
    d = G.diagnose(f, grad, x, h=1e-2)
    assert d.verdict == "step too large"
    assert d.failing == (0, 1, 2)
    np.testing.assert_allclose(d.errors, 1000 * 1e-4, rtol=1e-6)
    np.testing.assert_allclose(d.ratios, 100, rtol=1e-3)
    assert set(d.coordinate_verdicts) == {"step too large"}
    # following the advice - a smaller step - the check passes
    assert G.diagnose(f, grad, x, h=1e-4).verdict == "ok"
    assert "step too large" in str(d)
    # the notes' rule agrees here
    notes = G.diagnose(f, grad, x, h=1e-2, rule="notes")
    assert notes.verdict == "step too large" and notes.failing == (0, 1, 2)


@pytest.mark.parametrize(
    "make",
    [lambda: offset_loss(1e8), lambda: (lambda x: 1e8 + smooth(x), smooth_grad, X)],
    ids=["network + 1e8", "smooth + 1e8"],
)
def test_diagnose_step_too_small_on_a_large_loss(make):
    f, grad, x = make()
    d = G.diagnose(f, grad, x)  # the notes' h = 1e-7
    assert d.verdict == "step too small"
    assert set(d.coordinate_verdicts) == {"step too small"} and len(d.failing) == x.size
    # the evidence: rounding (eps |f| / h, about 0.2 here) dwarfs the tolerance
    assert np.all(d.floor > 1e4 * d.tolerance) and np.all(d.errors <= d.floor)
    assert np.all(d.floor_small > 5 * d.floor.flat[list(d.failing)])
    assert "step too small" in str(d)
    # following the advice - a larger step - confirms the gradient to the tolerance
    assert G.diagnose(f, grad, x, h=1e-1, rtol=1e-3).verdict in ("ok", "step too large")


def test_diagnose_step_too_small_when_the_error_grows():
    # without the floor, rounding is recognised by its growth when h shrinks (ratio near 1/10)
    f = lambda x: 1e8 + np.sum(np.sin(x))  # noqa: E731
    d = G.diagnose(f, np.cos, np.array([0.3, 1.1, -2.0]), safety=0)
    assert d.verdict == "step too small" and d.failing == (0, 1, 2)
    assert np.all(d.ratios < 1 / 3)
    assert np.all(d.errors_small > 3 * d.errors)


def test_diagnose_gradient_wrong():
    loss, bad, theta = mlp_loss_and_grad(bug_at=7)
    planted = abs(bad(theta)[7]) * 0.01 / 1.01
    for rule in G.RULES:
        d = G.diagnose(loss, bad, theta, rule=rule)
        assert d.verdict == "gradient wrong"
        assert d.failing == (7,)
        assert d.ratios[0] == pytest.approx(1.0, rel=1e-2)
        # with truncation extrapolated away, the planted error is what is left
        assert d.errors_extrapolated[0] == pytest.approx(planted, rel=1e-3)
        assert "gradient wrong" in str(d) and "7" in str(d)


def test_diagnose_near_the_crossover_blames_truncation_not_the_gradient():
    # an offset of 1e8 at h = 2e-2: truncation and rounding of similar size, so some error
    # ratios land between 1/3 and 30; the extrapolated error is within rounding: no bug
    f, grad, theta = offset_loss(1e8)
    d = G.diagnose(f, grad, theta, h=2e-2, rtol=1e-4, atol=0.0)
    i = list(d.failing)
    middle = (
        (d.ratios >= 1 / 3)
        & (d.ratios <= 30)
        & (d.errors.flat[i] > d.tolerance.flat[i] + d.floor.flat[i])
    )
    assert np.any(middle)
    assert {d.coordinate_verdicts[k] for k in np.flatnonzero(middle)} == {
        "step too large"
    }
    assert np.all(
        d.errors_extrapolated[middle]
        <= d.tolerance.flat[i][middle] + d.floor_small[middle]
    )
    assert (
        "gradient wrong" not in d.coordinate_verdicts
    )  # a ratio test alone would have said so


@pytest.mark.parametrize(
    "make",
    [
        lambda: offset_loss(1e8),
        lambda: offset_loss(0.0),
        lambda: (smooth, smooth_grad, X),
        lambda: (lambda x: 1e4 * smooth(x), lambda x: 1e4 * smooth_grad(x), X),
    ],
    ids=["network + 1e8", "network", "smooth", "smooth x 1e4"],
)
def test_diagnose_never_calls_a_correct_gradient_wrong(make):
    f, grad, x = make()
    verdicts = {
        G.diagnose(f, grad, x, h=h).verdict for h in 10.0 ** np.arange(-9, -0.4, 0.5)
    }
    assert "gradient wrong" not in verdicts
    assert len(verdicts) >= 2  # the steps do span the too small ... too large range


def test_diagnose_gradient_wrong_on_a_large_loss():
    # a bug of 1 % in a loss of size 1e4, at a step where rounding is small enough to see it
    loss, bad, theta = mlp_loss_and_grad(bug_at=3)
    d = G.diagnose(lambda t: 1e4 * loss(t), lambda t: 1e4 * bad(t), theta, h=1e-5)
    assert d.verdict == "gradient wrong" and d.failing == (3,)
    assert d.coordinate_verdicts == ("gradient wrong",)


def test_diagnose_mixed_failures_blame_the_gradient():
    f = lambda x: 1000 * np.sum(x**3)  # noqa: E731
    grad = lambda x: 3000 * x**2 + np.array([0.0, 0.5])  # noqa: E731
    for rule in G.RULES:
        d = G.diagnose(f, grad, np.array([1.0, 1.0]), h=1e-2, rule=rule)
        assert d.coordinate_verdicts == ("step too large", "gradient wrong")
        assert d.verdict == "gradient wrong"


def test_diagnose_mixed_step_verdicts_follow_the_majority():
    # coordinate 0 is curved (truncation at h = 1e-2), the others are linear with tiny slopes
    # under an offset of 1e8 (rounding hides errors of their size, judged by their own size:
    # atol=0; by default they would be judged on the scale of the largest entry, 3000)
    f = lambda x: 1e8 + 1000 * x[0] ** 3 + 1e-3 * np.sum(x[1:])  # noqa: E731
    grad = lambda x: np.concatenate([[3000 * x[0] ** 2], np.full(len(x) - 1, 1e-3)])  # noqa: E731
    d = G.diagnose(f, grad, np.array([1.0, 0.5, -0.5]), h=1e-2, atol=0.0)
    assert d.coordinate_verdicts == (
        "step too large",
        "step too small",
        "step too small",
    )
    assert d.verdict == "step too small"
    d = G.diagnose(f, grad, np.array([1.0, 0.5]), h=1e-2, atol=0.0)
    assert d.coordinate_verdicts == ("step too large", "step too small")
    assert d.verdict == "step too large"  # a tie


def test_diagnose_catches_the_bug_the_notes_miss():
    # a loss term with a small weight: every gradient entry is below h, so the notes' absolute
    # tolerance h lets a wrong sign through
    loss, grad, theta = mlp_loss_and_grad()
    bad = lambda t: 1e-7 * grad(t) * np.where(np.arange(20) >= 16, -1, 1)  # noqa: E731
    small = lambda t: 1e-7 * loss(t)  # noqa: E731
    assert G.diagnose(small, bad, theta, rule="notes").verdict == "ok"
    d = G.diagnose(small, bad, theta)
    assert d.verdict == "gradient wrong" and d.failing == (16, 17, 18, 19)
    assert not G.check_gradient(small, bad, theta).ok


# -------------------------------------------------------- diagnose: the notes' rule


def test_the_notes_rule_calls_rounding_a_wrong_gradient():
    # the documented limit, the point chapter 4 makes: a correct gradient of a large function
    # at the notes' h = 1e-7; the error grows when h shrinks (rounding), and the two-case rule
    # has no name for that
    for f, grad, x in [
        offset_loss(1e8),
        (
            lambda x: 1e6 * np.sum(np.sin(x)),
            lambda x: 1e6 * np.cos(x),
            np.array([0.3, 1.1]),
        ),
    ]:
        notes = G.diagnose(f, grad, x, rule="notes")
        assert notes.verdict == "gradient wrong"
        assert notes.tol == notes.h == 1e-7 and np.all(notes.tolerance == 1e-7)
        assert (
            np.median(notes.ratios) < 1
        )  # the error grew when h shrank: rounding, not a bug
        assert set(notes.coordinate_verdicts) <= {"step too large", "gradient wrong"}
        assert G.diagnose(f, grad, x).verdict in ("step too small", "ok")
        assert G.check_gradient(f, grad, x).ok


def test_the_notes_rule_never_says_step_too_small():
    f, grad, x = offset_loss(1e8)
    for h in (1e-9, 1e-8, 1e-7, 1e-6):
        d = G.diagnose(f, grad, x, h=h, rule="notes")
        assert (
            "step too small" not in d.coordinate_verdicts
            and d.verdict != "step too small"
        )


def test_diagnose_notes_custom_tolerance():
    # The central difference of 100 x^3 at x = 1 is off by 100 h^2 = 0.25 at h = 0.05: above the
    # default tolerance h = 0.05, below a tolerance of 1. (At h = 0.01 the error would equal the
    # tolerance, and rounding would decide.)
    f = lambda x: 100 * np.sum(x**3)  # noqa: E731
    d = G.diagnose(
        f, lambda x: 300 * x**2, np.array([1.0]), h=5e-2, tol=1.0, rule="notes"
    )
    assert d.verdict == "ok" and d.tol == 1.0
    d = G.diagnose(f, lambda x: 300 * x**2, np.array([1.0]), h=5e-2, rule="notes")
    assert d.verdict == "step too large" and d.tol == 5e-2


# -------------------------------------------------------------------- bad arguments


def f2(x):
    return np.sum(x**2)


def g2(x):
    return 2 * x


@pytest.mark.parametrize(
    ("call", "error", "pattern"),
    [
        (
            lambda: G.numerical_gradient(f2, [1.0], method="backward"),
            ValueError,
            r"method must be one of 'forward', 'central', 'complex', got 'backward'",
        ),
        (
            lambda: G.numerical_gradient(f2, [1.0], h=0.0),
            ValueError,
            r"h must be > 0, got 0\.0",
        ),
        (
            lambda: G.numerical_gradient(f2, [1.0], h="small"),
            TypeError,
            r"h must be a real number",
        ),
        (
            lambda: G.numerical_gradient("f", [1.0]),
            TypeError,
            r"f must be callable, got 'f'",
        ),
        (lambda: G.numerical_gradient(f2, []), ValueError, r"x must not be empty"),
        (
            lambda: G.numerical_gradient(f2, [1.0, np.nan]),
            ValueError,
            r"x must be finite",
        ),
        (
            lambda: G.numerical_gradient(f2, [1j]),
            TypeError,
            r"x must be an array of real numbers, got \[1j\]",
        ),
        (
            lambda: G.numerical_gradient(f2, ["a"]),
            TypeError,
            r"x must be an array of real numbers",
        ),
        (
            lambda: G.numerical_gradient(f2, [[1.0], [2.0, 3.0]]),
            TypeError,
            r"x must be an array of real",
        ),
        (
            lambda: G.numerical_gradient(lambda x: x, [1.0, 2.0]),
            ValueError,
            r"f must return an array of shape \(\), got shape \(2,\)",
        ),
        (
            lambda: G.numerical_gradient(lambda x: "a", [1.0]),
            TypeError,
            r"f must return real numbers, got 'a'",
        ),
        (
            lambda: G.numerical_gradient(f2, [1e10], h=1e-10, method="forward"),
            ValueError,
            r"h must be large enough to change x\[0\] = 10000000000\.0 in float64, got 1e-10",
        ),
        (
            lambda: G.numerical_jacobian(g2, np.ones((2, 2))),
            ValueError,
            r"x must have 1 dimension\(s\), got shape \(2, 2\)",
        ),
        (lambda: G.numerical_jacobian(1.0, [1.0]), TypeError, r"fun must be callable"),
        (
            lambda: G.check_gradient(f2, lambda x: x[:1], [1.0, 2.0]),
            ValueError,
            r"grad must return an array of shape \(2,\), got shape \(1,\)",
        ),
        (
            lambda: G.check_gradient(f2, lambda x: x * 1j, [1.0]),
            TypeError,
            r"grad must return real numbers",
        ),
        (
            lambda: G.check_gradient(f2, None, [1.0]),
            TypeError,
            r"grad must be callable",
        ),
        (
            lambda: G.check_gradient(f2, g2, [1.0], rtol=-1.0),
            ValueError,
            r"rtol must be >= 0, got -1\.0",
        ),
        (
            lambda: G.check_gradient(f2, g2, [1.0], atol=np.inf),
            ValueError,
            r"atol must be finite",
        ),
        (
            lambda: G.check_gradient(f2, g2, [1.0], n_worst=0),
            ValueError,
            r"n_worst must be >= 1, got 0",
        ),
        (
            lambda: G.check_gradient(f2, g2, [1.0], safety=-1),
            ValueError,
            r"safety must be >= 0, got -1\.0",
        ),
        (
            lambda: G.check_gradient(f2, g2, [1.0], safety="10"),
            TypeError,
            r"safety must be a real number",
        ),
        (
            lambda: G.check_hessian(g2, lambda x: np.eye(2), [1.0, 2.0, 3.0]),
            ValueError,
            r"hess must return an array of shape \(3, 3\), got shape \(2, 2\)",
        ),
        (
            lambda: G.check_hessian(g2, lambda x: 2.0, np.ones((2, 2))),
            ValueError,
            r"x must have 1 dimension\(s\), got shape \(2, 2\)",
        ),
        (lambda: G.check_hessian(g2, "H", [1.0]), TypeError, r"hess must be callable"),
        (
            lambda: G.check_hessian(g2, lambda x: np.eye(1), [1.0], safety=np.nan),
            ValueError,
            r"safety must be finite",
        ),
        (
            lambda: G.directional_check(f2, g2, [1.0], n_directions=0),
            ValueError,
            r"n_directions must be >= 1, got 0",
        ),
        (
            lambda: G.directional_check(f2, g2, [1.0], rng=1.5),
            TypeError,
            r"rng must be None, an integer",
        ),
        (
            lambda: G.directional_check(f2, g2, [1.0], h=-1.0),
            ValueError,
            r"h must be > 0, got -1\.0",
        ),
        (
            lambda: G.directional_check(f2, g2, [1.0], safety=-0.5),
            ValueError,
            r"safety must be >= 0",
        ),
        (
            lambda: G.diagnose(f2, g2, [1.0], h=0.0),
            ValueError,
            r"h must be > 0, got 0\.0",
        ),
        (
            lambda: G.diagnose(f2, g2, [1.0], tol=0.0, rule="notes"),
            ValueError,
            r"tol must be > 0, got 0\.0",
        ),
        (
            lambda: G.diagnose(f2, g2, [1.0], tol=1e-3),
            ValueError,
            r"tol must be None under rule='three-way' \(use rtol and atol\), got 0\.001",
        ),
        (
            lambda: G.diagnose(f2, g2, [1.0], min_ratio=-3.0),
            ValueError,
            r"min_ratio must be > 0",
        ),
        (
            lambda: G.diagnose(f2, g2, [1.0], rule="literal"),
            ValueError,
            r"rule must be one of 'three-way', 'notes', got 'literal'",
        ),
        (
            lambda: G.diagnose(f2, g2, [1.0], min_growth=1.0),
            ValueError,
            r"min_growth must be > 1, got 1\.0",
        ),
        (
            lambda: G.diagnose(f2, g2, [1.0], rtol=-1e-6),
            ValueError,
            r"rtol must be >= 0, got -1e-06",
        ),
        (
            lambda: G.diagnose(f2, g2, [1.0], safety=None),
            TypeError,
            r"safety must be a real number, got None",
        ),
        (
            lambda: G.diagnose(f2, g2, np.float32([1.0]), h=1e-9),
            ValueError,
            r"h must be large enough to change x\[0\] = 1\.0 in float32",
        ),
    ],
)
def test_bad_arguments(call, error, pattern):
    with pytest.raises(error, match=pattern):
        call()


def test_diagnose_judges_a_zero_entry_on_the_gradients_scale():
    # f = w0^2 + 1: the second entry of the gradient is exactly 0; with a tolerance of zero
    # rounding at any step would exceed it, and every step would look "too small"
    f = lambda w: w[0] ** 2 + 1  # noqa: E731
    grad = lambda w: np.array([2 * w[0], 0.0])  # noqa: E731
    for h in (1e-2, 1e-4, 1e-6):
        assert G.diagnose(f, grad, np.array([1.0, 2.0]), h=h).verdict == "ok"
    assert (
        G.diagnose(f, grad, np.array([1.0, 2.0]), h=1e-6, atol=0.0).verdict
        == "step too small"
    )
