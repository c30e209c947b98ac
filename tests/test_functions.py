"""Tests of the test problems: derivatives pass the checker, minimizers are minimizers, batches work."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import gradlib as gl
from gradlib import functions as F
from gradlib.gradcheck import check_gradient, check_hessian

CATALOGUE = {
    "quadratic": lambda: F.quadratic(kappa=10.0, angle=0.3),
    "quadratic-5d": lambda: F.quadratic(
        A=F.random_spd(5, [1.0, 2.0, 3.0, 10.0, 50.0], rng=1), b=np.arange(5.0)
    ),
    "rosenbrock": F.rosenbrock,
    "square": F.square,
    "beale": F.beale,
    "himmelblau": F.himmelblau,
    "booth": F.booth,
    "saddle": F.saddle,
    "monkey_saddle": F.monkey_saddle,
    "plateau": F.plateau,
    "plateau-3d": lambda: F.plateau(width=2.0, depth=3.0, dim=3),
    "styblinski_tang": F.styblinski_tang,
    "styblinski_tang-3d": lambda: F.styblinski_tang(dim=3),
}


@pytest.fixture(params=sorted(CATALOGUE), scope="module")
def problem(request):
    return CATALOGUE[request.param]()


def random_points(p, k=4, seed=0):
    """``k`` points drawn uniformly from the problem's bounds (the inner 90 %)."""
    rng = np.random.default_rng(seed)
    low = np.array([lo for lo, hi in p.bounds])
    high = np.array([hi for lo, hi in p.bounds])
    mid, half = (low + high) / 2, (high - low) / 2 * 0.9
    return mid + half * rng.uniform(-1, 1, size=(k, p.dim))


def test_problem_fields(problem):
    p = problem
    assert isinstance(p, F.Problem)
    assert p.start.shape == (p.dim,)
    assert len(p.bounds) == p.dim
    assert p.minimizers.ndim == 2 and p.minimizers.shape[1] == p.dim
    for (lo, hi), s in zip(p.bounds, p.start, strict=True):
        assert lo < s < hi
    assert np.ndim(p.f(p.start)) == 0
    assert np.isfinite(p.f(p.start))


def test_gradient_passes_central_differences(problem):
    for x in random_points(problem):
        report = check_gradient(problem.f, problem.grad, x, rtol=1e-6, atol=1e-9)
        assert report.ok, str(report)


def test_gradient_passes_complex_step(problem):
    # every function is written with complex-safe operations
    for x in random_points(problem, seed=1):
        report = check_gradient(
            problem.f, problem.grad, x, method="complex", rtol=1e-12, atol=1e-12
        )
        assert report.ok, str(report)


def test_hessian_passes_central_differences(problem):
    for x in random_points(problem, seed=2):
        scale = max(1.0, float(np.abs(problem.hess(x)).max()))
        report = check_hessian(
            problem.grad, problem.hess, x, rtol=1e-6, atol=1e-8 * scale
        )
        assert report.ok, str(report)


def test_hessian_passes_complex_step(problem):
    for x in random_points(problem, seed=3):
        report = check_hessian(
            problem.grad, problem.hess, x, method="complex", rtol=1e-12, atol=1e-12
        )
        assert report.ok, str(report)


def test_hessian_is_symmetric(problem):
    H = problem.hess(random_points(problem, k=6, seed=4))
    np.testing.assert_array_equal(H, np.swapaxes(H, -1, -2))


def test_batches_match_single_points(problem):
    X = random_points(problem, k=6, seed=5).reshape(2, 3, problem.dim)
    n = problem.dim
    assert problem.f(X).shape == (2, 3)
    assert problem.grad(X).shape == (2, 3, n)
    assert problem.hess(X).shape == (2, 3, n, n)
    for idx in np.ndindex(2, 3):
        np.testing.assert_allclose(problem.f(X)[idx], problem.f(X[idx]), rtol=1e-14)
        np.testing.assert_allclose(
            problem.grad(X)[idx], problem.grad(X[idx]), rtol=1e-14
        )
        np.testing.assert_allclose(
            problem.hess(X)[idx], problem.hess(X[idx]), rtol=1e-14
        )


def test_minimizers_are_strict_local_minima(problem):
    for x_star in problem.minimizers:
        scale = max(1.0, float(np.abs(problem.hess(x_star)).max()))
        np.testing.assert_allclose(problem.grad(x_star), 0.0, atol=1e-10 * scale)
        assert np.linalg.eigvalsh(problem.hess(x_star)).min() > 0
        np.testing.assert_allclose(
            problem.f(x_star), problem.f_min, rtol=1e-12, atol=1e-14
        )
    if len(problem.minimizers):
        # no sampled point is lower than the known minimum
        X = random_points(problem, k=200, seed=6)
        assert np.all(problem.f(X) >= problem.f_min - 1e-12)
        assert problem.distance_to_minimizer(problem.minimizers[0]) == 0.0


def test_bad_points_are_rejected(problem):
    with pytest.raises(
        ValueError, match=rf"x must have shape \(\.\.\., {problem.dim}\)"
    ):
        problem.f(np.zeros(problem.dim + 1))
    with pytest.raises(ValueError, match="x must have shape"):
        problem.grad(np.float64(1.0))
    with pytest.raises(
        TypeError, match="x must be an array of numbers, got array\\(\\['a'"
    ):
        problem.hess(np.array(["a"] * problem.dim))
    with pytest.raises(
        TypeError, match="x must be an array of numbers, got array\\(\\[ True"
    ):
        problem.grad(np.ones(problem.dim, dtype=bool))


# ------------------------------------------------------------ one problem at a time


def test_square_gradient_descent_regimes():
    p = F.square()
    np.testing.assert_allclose(p.hess(np.array([0.3])), [[2.0]])
    for lr, factor in [(0.1, 0.8), (0.5, 0.0), (0.75, -0.5), (1.5, -2.0)]:
        traj = gl.run(gl.GD(lr=lr), p, p.start, steps=1)
        np.testing.assert_allclose(traj.xs[-1], factor * p.start)


def test_random_spd_spectrum_and_rotation():
    lam = np.array([1.0, 4.0, 9.0, 100.0])
    A = F.random_spd(4, lam, rng=7)
    np.testing.assert_array_equal(A, A.T)
    np.testing.assert_allclose(np.linalg.eigvalsh(A), lam, rtol=1e-12)
    assert (
        np.abs(A - np.diag(np.diag(A))).max() > 1.0
    )  # the eigenvectors are not the axes
    np.testing.assert_array_equal(A, F.random_spd(4, lam, rng=np.random.default_rng(7)))
    assert not np.allclose(A, F.random_spd(4, lam, rng=8))
    p = F.quadratic(A=A)
    assert p.info["kappa"] == pytest.approx(100.0)


@given(
    st.lists(st.floats(0.01, 100.0), min_size=1, max_size=6), st.integers(0, 2**32 - 1)
)
def test_random_spd_property(lam, seed):
    A = F.random_spd(len(lam), lam, rng=seed)
    np.testing.assert_allclose(
        np.linalg.eigvalsh(A), np.sort(lam), rtol=1e-9, atol=1e-12
    )
    Q = np.linalg.eigh(A)[1]
    np.testing.assert_allclose(Q.T @ Q, np.eye(len(lam)), atol=1e-12)


def test_beale_and_booth_minimizers():
    assert F.beale().f(np.array([3.0, 0.5])) == 0.0
    p = F.booth()
    assert p.f(np.array([1.0, 3.0])) == 0.0
    np.testing.assert_allclose(np.linalg.eigvalsh(p.hess(p.start)), [2.0, 18.0])


def test_himmelblau_critical_points():
    p = F.himmelblau()
    assert p.minimizers.shape == (4, 2)
    np.testing.assert_allclose(p.f(p.minimizers), 0.0, atol=1e-20)
    assert len({tuple(np.round(m, 6)) for m in p.minimizers}) == 4
    for s in p.info["saddles"]:
        np.testing.assert_allclose(p.grad(s), 0.0, atol=1e-10)
        lo, hi = np.linalg.eigvalsh(p.hess(s))
        assert lo < 0 < hi
    m = p.info["local_maximum"]
    np.testing.assert_allclose(p.grad(m), 0.0, atol=1e-10)
    assert np.linalg.eigvalsh(p.hess(m)).max() < 0


def test_saddle_has_no_minimizer():
    p = F.saddle()
    assert p.minimizers.shape == (0, 2)
    assert np.isnan(p.f_min)
    assert np.isnan(p.distance_to_minimizer(np.ones(2)))
    assert p.distance_to_minimizer(np.ones((3, 2))).shape == (3,)
    np.testing.assert_array_equal(p.grad(p.info["critical_point"]), 0.0)
    np.testing.assert_array_equal(
        np.linalg.eigvalsh(p.hess(np.zeros(2))), p.info["hessian_eigenvalues"]
    )
    # gradient descent: x shrinks by (1 - 2 lr), y grows by (1 + 2 lr)
    traj = gl.run(gl.GD(lr=0.1), p, p.start, steps=1)
    np.testing.assert_allclose(traj.xs[-1], [0.8, 0.012])


def test_monkey_saddle_is_degenerate():
    p = F.monkey_saddle()
    np.testing.assert_array_equal(p.grad(np.zeros(2)), 0.0)
    np.testing.assert_array_equal(p.hess(np.zeros(2)), 0.0)
    # three descending valleys: f < 0 along the directions at angles pi, pi/3 and -pi/3
    for angle in (np.pi, np.pi / 3, -np.pi / 3):
        assert p.f(0.5 * np.array([np.cos(angle), np.sin(angle)])) < 0


def test_plateau_is_flat_far_from_the_well():
    p = F.plateau()
    assert p.f(p.start) > 0.99
    assert np.linalg.norm(p.grad(p.start)) == pytest.approx(
        3.5 * np.exp(-(3.5**2) / 2), rel=1e-12
    )
    assert np.linalg.norm(p.grad(2 * p.start)) < 1e-9
    traj = gl.run(gl.GD(lr=0.1), p, p.start, steps=1000)
    crossed = int(np.argmax(traj.fs < 0.5))
    assert 300 < crossed < 700  # "several hundred steps"
    # the Hessian is positive definite inside the width, not beyond it
    assert np.linalg.eigvalsh(p.hess(np.array([0.5, 0.0]))).min() > 0
    assert np.linalg.eigvalsh(p.hess(np.array([1.5, 0.0]))).min() < 0
    q = F.plateau(width=2.0, depth=3.0, dim=3)
    assert q.f(np.zeros(3)) == 0.0 and q.info["plateau_value"] == 3.0
    assert np.linalg.norm(q.start) == pytest.approx(7.0)


def test_styblinski_tang_local_minima():
    p = F.styblinski_tang()
    a, c, b = p.info["roots"]
    assert a == pytest.approx(-2.903534, abs=1e-6) and b == pytest.approx(
        2.746803, abs=1e-6
    )
    assert c == pytest.approx(0.156731, abs=1e-6)
    minima, values = p.info["local_minima"], p.info["local_minimum_values"]
    assert minima.shape == (4, 2)
    assert np.all(np.diff(values) >= 0)
    np.testing.assert_allclose(p.minimizers[0], [a, a])
    assert p.f_min == pytest.approx(-78.33233, abs=1e-5)
    for m in minima:
        np.testing.assert_allclose(p.grad(m), 0.0, atol=1e-12)
        assert np.linalg.eigvalsh(p.hess(m)).min() > 0
    # from the customary start, gradient descent ends in the worst local minimum
    traj = gl.run(gl.GD(lr=0.01), p, p.start, steps=500)
    np.testing.assert_allclose(traj.xs[-1], minima[-1], atol=1e-6)
    assert F.styblinski_tang(dim=3).info["local_minima"].shape == (8, 3)


# -------------------------------------------------------------------- bad arguments


@pytest.mark.parametrize(
    ("call", "error", "pattern"),
    [
        (lambda: F.plateau(width=0.0), ValueError, r"width must be > 0, got 0\.0"),
        (lambda: F.plateau(depth=-1.0), ValueError, r"depth must be > 0, got -1\.0"),
        (lambda: F.plateau(dim=0), ValueError, r"dim must be >= 1, got 0"),
        (
            lambda: F.plateau(width="wide"),
            TypeError,
            r"width must be a real number, got 'wide'",
        ),
        (lambda: F.styblinski_tang(dim=13), ValueError, r"dim must be <= 12, got 13"),
        (
            lambda: F.styblinski_tang(dim=2.0),
            TypeError,
            r"dim must be an integer, got 2\.0",
        ),
        (
            lambda: F.random_spd(3, [1.0, 2.0]),
            ValueError,
            r"eigenvalues must have shape \(3,\), got shape \(2,\)",
        ),
        (
            lambda: F.random_spd(2, [1.0, -2.0]),
            ValueError,
            r"eigenvalues must be all > 0, got array\(\[ 1\., -2\.\]\)",
        ),
        (lambda: F.random_spd(0, [1.0]), ValueError, r"n must be >= 1, got 0"),
        (
            lambda: F.random_spd(1, [1.0], rng="seed"),
            TypeError,
            r"rng must be None, an integer seed",
        ),
        (lambda: F.random_spd(1, [np.inf]), ValueError, r"eigenvalues must be finite"),
    ],
)
def test_bad_arguments(call, error, pattern):
    with pytest.raises(error, match=pattern):
        call()


@pytest.mark.parametrize(
    ("kwargs", "error", "pattern"),
    [
        ({}, ValueError, r"give exactly one of A, kappa or eigenvalues, got 0"),
        (
            {"A": np.eye(2), "kappa": 2.0},
            ValueError,
            r"give exactly one of A, kappa or eigenvalues, got 2",
        ),
        ({"kappa": 0.5}, ValueError, r"kappa must be >= 1, got 0\.5"),
        ({"eigenvalues": [1.0, -1.0]}, ValueError, r"eigenvalues must be all > 0"),
        (
            {"eigenvalues": [1.0, 2.0, 3.0], "angle": 0.1},
            ValueError,
            r"angle must be 0 for a quadratic of 3 variables \(rotations are 2-D\), got 0\.1",
        ),
        (
            {"A": np.eye(2), "angle": 0.1},
            ValueError,
            r"angle must be 0 when A is given",
        ),
        (
            {"A": [["a", "b"], ["c", "d"]]},
            TypeError,
            r"A must be an array of real numbers",
        ),
        (
            {"A": np.ones((2, 3))},
            ValueError,
            r"A must be a square matrix, got shape \(2, 3\)",
        ),
        ({"A": [[1.0, np.nan], [np.nan, 1.0]]}, ValueError, r"A must be finite"),
        ({"A": [[1.0, 2.0], [0.0, 1.0]]}, ValueError, r"A must be symmetric"),
        (
            {"A": [[1.0, 0.0], [0.0, -1.0]]},
            ValueError,
            r"A must be positive definite, got smallest eigenvalue -1\.0",
        ),
        (
            {"A": np.eye(2), "b": [1.0]},
            ValueError,
            r"b must have shape \(2,\), got shape \(1,\)",
        ),
    ],
)
def test_quadratic_bad_arguments(kwargs, error, pattern):
    with pytest.raises(error, match=pattern):
        F.quadratic(**kwargs)


def test_quadratic_from_eigenvalues_and_rosenbrock_parameters():
    p = F.quadratic(eigenvalues=[1.0, 4.0], angle=np.pi / 4, b=[1.0, 1.0])
    np.testing.assert_allclose(p.grad(p.minimizers[0]), 0.0, atol=1e-14)
    assert p.info["kappa"] == pytest.approx(4.0)
    with pytest.raises(ValueError, match=r"b must be > 0, got 0\.0"):
        F.rosenbrock(b=0.0)
    assert F.rosenbrock(a=2.0).minimizers.tolist() == [[2.0, 4.0]]


def test_logistic_loss_matches_the_one_layer_network_and_its_own_gradient():
    X, y, _ = gl.data.logistic_regression(200, 4, rng=0)
    prob = F.logistic_loss(X, y, intercept=True)
    net = gl.mlp.MLP([4, 1], loss="bce")  # the same model: weights and a bias
    same = net.problem(X, y[:, None].astype(float))
    w = np.random.default_rng(1).normal(size=5)
    theta = np.concatenate([w[:4], w[4:]])  # W1 (1 x 4), then b1
    assert np.isclose(prob.f(w), same.f(theta), rtol=1e-12)
    assert np.allclose(prob.grad(w), same.grad(theta), rtol=1e-10, atol=1e-14)
    assert check_gradient(prob.f, prob.grad, w).ok
    reg = F.logistic_loss(X, y, mu=0.5)
    v = w[:4]
    assert np.isclose(reg.f(v), F.logistic_loss(X, y).f(v) + 0.25 * v @ v)
    assert check_gradient(reg.f, reg.grad, v).ok


def test_logistic_loss_reads_plus_minus_one_labels_and_stacks_of_points():
    X, y, _ = gl.data.logistic_regression(50, 3, rng=2)
    a, b = F.logistic_loss(X, y), F.logistic_loss(X, 2.0 * y - 1.0)
    w = np.array([0.3, -1.0, 2.0])
    assert a.f(w) == b.f(w) and np.array_equal(a.grad(w), b.grad(w))
    W = np.stack([w, 2 * w, -w])
    idx = np.array([[0, 1, 2], [3, 4, 5], [6, 7, 8]])
    losses, grads = a.batch_fn(W, idx)
    for k in range(3):
        loss, g = a.batch_fn(W[k], idx[k])
        assert np.isclose(losses[k], loss, rtol=1e-14)
        assert np.allclose(grads[k], g, rtol=1e-13, atol=1e-15)
    assert np.isfinite(a.f(1e4 * w))  # large margins: no overflow
