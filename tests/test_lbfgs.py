"""Tests of L-BFGS: the two-loop recursion against SciPy and the BFGS formula, whole runs against
SciPy's L-BFGS-B and PyTorch's LBFGS (recorded), hand-derived steps and properties."""

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import gradlib as gl
from gradlib import lbfgs as L
from gradlib.lbfgs import lbfgs, two_loop

REFERENCE = Path(__file__).parent / "reference"
SCIPY = json.loads((REFERENCE / "scipy_lbfgs.json").read_text())
TORCH = json.loads((REFERENCE / "torch_lbfgs.json").read_text())
ROSENBROCK = gl.functions.rosenbrock()


def problem(run):
    """f, grad and the minimizer of a recorded run's problem."""
    if run["problem"] == "rosenbrock":
        return ROSENBROCK.f, ROSENBROCK.grad, np.ones(2)
    A, x_star = np.array(run["A"]), np.array(run["x_star"])
    return (
        (lambda x: 0.5 * (x - x_star) @ A @ (x - x_star)),
        (lambda x: A @ (x - x_star)),
        x_star,
    )


def bfgs_matrix(s_hist, y_hist, gamma):
    """H from gamma I by the BFGS update (N&W eq. 6.17), oldest pair first: the matrix two_loop avoids."""
    n = len(s_hist[0])
    H = gamma * np.eye(n)
    for s, y in zip(s_hist, y_hist, strict=True):
        rho = 1 / (y @ s)
        V = np.eye(n) - rho * np.outer(y, s)
        H = V.T @ H @ V + rho * np.outer(s, s)
    return H


# ----------------------------------------------------------- the two-loop recursion


def test_two_loop_equals_scipy_inverse_hessian_product():
    rec = SCIPY["inverse_hessian_product"]
    ours = two_loop(
        rec["v"], rec["s"], rec["y"], gamma=1.0
    )  # SciPy's product starts from H0 = I
    np.testing.assert_allclose(
        ours, rec["Hv"], rtol=1e-13, atol=1e-13 * np.max(np.abs(rec["Hv"]))
    )


@given(st.integers(0, 10_000), st.integers(2, 8), st.integers(1, 6))
def test_two_loop_equals_the_bfgs_update_formula(seed, n, m):
    gen = np.random.default_rng(seed)
    A = gl.functions.random_spd(n, np.logspace(0, 2, n), rng=gen)
    s_hist = list(gen.standard_normal((m, n)))
    y_hist = [A @ s for s in s_hist]  # curvature pairs of a quadratic
    g = gen.standard_normal(n)
    gamma = float(s_hist[-1] @ y_hist[-1] / (y_hist[-1] @ y_hist[-1]))
    H = bfgs_matrix(s_hist, y_hist, gamma)
    scale = 1e-9 * np.linalg.norm(H @ g)
    np.testing.assert_allclose(
        two_loop(g, s_hist, y_hist), H @ g, rtol=1e-9, atol=scale
    )
    np.testing.assert_allclose(
        two_loop(g, s_hist, y_hist, gamma=2.5),
        bfgs_matrix(s_hist, y_hist, 2.5) @ g,
        rtol=1e-9,
        atol=scale,
    )


def test_two_loop_recovers_the_inverse_hessian_from_n_independent_pairs():
    A = gl.functions.random_spd(4, [1.0, 2.0, 5.0, 10.0], rng=3)
    g = np.array([1.0, -2.0, 0.5, 3.0])
    # Any pairs: the secant equation H y = s holds for the newest pair.
    s_hist = list(np.random.default_rng(0).standard_normal((3, 4)))
    y_hist = [A @ s for s in s_hist]
    np.testing.assert_allclose(
        two_loop(y_hist[-1], s_hist, y_hist), s_hist[-1], rtol=1e-12
    )
    # A-conjugate steps (as CG or exact line searches make them): the update keeps every earlier
    # secant equation, so n pairs pin down H = A^{-1} (quadratic termination).
    s_hist = list(np.linalg.eigh(A)[1].T)
    y_hist = [A @ s for s in s_hist]
    np.testing.assert_allclose(
        two_loop(g, s_hist, y_hist), np.linalg.solve(A, g), rtol=1e-12
    )
    np.testing.assert_array_equal(two_loop(g, [], []), g)  # no memory: H0 = I


# ----------------------------------------------------------- SciPy and PyTorch runs


def test_lbfgs_against_scipy_lbfgsb():
    runs = SCIPY["minimize_lbfgsb"]
    assert [r["problem"] for r in runs] == [
        "rosenbrock",
        "quadratic_2d",
        "quadratic_10d",
        "quadratic_50d",
    ]
    for run in runs:
        f, grad, x_star = problem(run)
        res = lbfgs(f, grad, run["x0"], m=10, tol=1e-8, max_iter=5000)
        assert res.success and run["success"], run["problem"]
        # Both stop at a gradient of about 1e-8 (ours: Euclidean norm; SciPy: largest entry).
        # The smallest Hessian eigenvalue is 1 on the quadratics and 0.4 at Rosenbrock's minimizer,
        # so both points lie within |g| / lambda_min <= 2.5e-8 of x*, and so of each other.
        assert np.linalg.norm(res.x - x_star) < 1e-7, run["problem"]
        assert np.linalg.norm(res.x - np.array(run["x"])) < 1e-7, run["problem"]
        # The line searches differ (SciPy: More-Thuente's dcsrch; ours: N&W 3.5/3.6), so the
        # iterates differ, but the number of iterations agrees within 10% (measured: 37 vs 38,
        # 3 vs 3, 42 vs 42, 339 vs 325).
        assert abs(res.nit - run["nit"]) <= 0.1 * run["nit"] + 2, (
            run["problem"],
            res.nit,
            run["nit"],
        )
        assert res.nfev <= 1.25 * run["nfev"] + 5, (
            run["problem"],
            res.nfev,
            run["nfev"],
        )


def test_lbfgs_against_torch_lbfgs():
    assert TORCH["settings"]["history_size"] == 10
    for run in TORCH["runs"]:
        f, grad, x_star = problem(
            next(r for r in SCIPY["minimize_lbfgsb"] if r["problem"] == run["problem"])
        )
        res = lbfgs(f, grad, run["x0"], m=10, tol=1e-8, max_iter=5000)
        # PyTorch stops at max |g_i| <= 1e-8 (|g| = 1.3e-7 on the 50-d quadratic): within 1e-6 of x*.
        assert np.linalg.norm(np.array(run["x"]) - x_star) < 1e-6
        assert np.linalg.norm(res.x - np.array(run["x"])) < 1e-6
        # Same order of iterations: equal on Rosenbrock (37) and the 2-d quadratic (3); PyTorch needs
        # more on the larger quadratics (65 vs 42, 1188 vs 339), see the next test for why.
        assert res.nit <= run["nit"] + 2 and run["nit"] <= 4 * res.nit, (
            run["problem"],
            res.nit,
            run["nit"],
        )


def test_torchs_absolute_curvature_threshold_explains_its_extra_iterations(monkeypatch):
    """PyTorch stores a pair only when s @ y > 1e-10, an absolute threshold: once the steps are
    shorter than about 1e-5 the memory stops changing. With that rule ours slows down the same way."""

    def torch_rule(self, s, y, gs):
        if float(s @ y) > 1e-10:
            self.s.append(s)
            self.y.append(y)
        else:
            self.skipped += 1

    run = next(r for r in SCIPY["minimize_lbfgsb"] if r["problem"] == "quadratic_10d")
    torch_nit = next(r["nit"] for r in TORCH["runs"] if r["problem"] == "quadratic_10d")
    f, grad, _ = problem(run)
    ours = lbfgs(f, grad, run["x0"], tol=1e-8)
    monkeypatch.setattr(L._Memory, "add", torch_rule)
    like_torch = lbfgs(f, grad, run["x0"], tol=1e-8)
    assert ours.skipped == 0 and like_torch.skipped > 10
    assert (
        like_torch.nit > 1.4 * ours.nit
        and abs(like_torch.nit - torch_nit) <= 0.1 * torch_nit
    )


# --------------------------------------------------- hand-derived steps, properties


def test_first_two_iterations_by_hand():
    # f = 1/2 |x|^2 from (3, 4): |g0| = 5, first trial 1/5 (accepted: |phi'(0.2)| = 20 <= 0.9 * 25),
    # then s = y = -0.2 g0, gamma = 1 and the two-loop direction -g1 reaches 0 with alpha = 1.
    p = gl.functions.quadratic(kappa=1.0)
    res = lbfgs(p.f, p.grad, [3.0, 4.0])
    np.testing.assert_allclose(res.xs, [[3.0, 4.0], [2.4, 3.2], [0.0, 0.0]], atol=1e-15)
    np.testing.assert_allclose(res.alphas, [0.2, 1.0])
    assert res.nit == 2 and res.success and res.nfev == 3 and res.ngev == 3


@pytest.mark.parametrize("m", [1, 3, 10, 50])
def test_lbfgs_converges_for_any_memory(m):
    res = lbfgs(ROSENBROCK.f, ROSENBROCK.grad, [-1.2, 1.0], m=m)
    assert res.success and np.allclose(res.x, 1.0, atol=1e-7)
    assert np.all(
        np.diff(res.fs) < 0
    )  # every accepted step satisfies sufficient decrease
    assert res.nfev >= res.nit + 1 and res.ngev >= res.nit + 1
    assert res.xs.shape == (res.nit + 1, 2) and res.grad_norms[-1] <= 1e-8


def test_lbfgs_with_more_memory_is_faster_on_an_ill_conditioned_quadratic():
    p = gl.functions.quadratic(eigenvalues=np.logspace(0, 3, 30))
    counts = [
        lbfgs(p.f, p.grad, np.ones(30), m=m, max_iter=5000).nit for m in (1, 5, 20)
    ]
    assert counts[0] > counts[1] > counts[2]


def test_lbfgs_reports_failures_in_the_result():
    res = lbfgs(ROSENBROCK.f, ROSENBROCK.grad, [-1.2, 1.0], max_iter=5)
    assert (
        not res.success
        and res.nit == 5
        and res.message == "max_iter=5 iterations reached"
    )
    res = lbfgs(ROSENBROCK.f, ROSENBROCK.grad, [-1.2, 1.0], max_iter=0)
    assert not res.success and res.nit == 0 and res.xs.shape == (1, 2)
    at_min = lbfgs(ROSENBROCK.f, ROSENBROCK.grad, [1.0, 1.0])
    assert at_min.success and at_min.nit == 0

    def f(x):  # the minimizer (1, 1) lies behind a wall: f is infinite for x[0] >= 0.5
        return float((x - 1) @ (x - 1)) if x[0] < 0.5 else np.inf

    res = lbfgs(f, lambda x: 2 * (x - 1), [0.4, 1.0])
    assert not res.success and res.message.startswith(
        "line search failed at iteration 0: non-finite value"
    )
    np.testing.assert_array_equal(res.x, [0.4, 1.0])


def test_lbfgs_on_a_function_unbounded_below_fails_cleanly():
    p = gl.functions.saddle()
    res = lbfgs(p.f, p.grad, [1.0, 0.5], max_iter=50)
    assert (
        not res.success
        and "unbounded below" in res.message
        and np.all(np.isfinite(res.xs))
    )


# ------------------------------------------------------------------------ bad input

QUAD = gl.functions.quadratic(kappa=2.0)
RUN = {"f": QUAD.f, "grad": QUAD.grad, "x0": [1.0, 1.0]}

# Rows of the bad-input table (run by tests/test_bad_inputs.py).
BAD_INPUTS = [
    (lbfgs, {**RUN, "f": "f"}, TypeError, "f must be callable, got 'f'"),
    (lbfgs, {**RUN, "grad": None}, TypeError, "grad must be callable, got None"),
    (
        lbfgs,
        {**RUN, "x0": [[1.0, 1.0]]},
        ValueError,
        "x0 must have shape (n,), got shape (1, 2)",
    ),
    (lbfgs, {**RUN, "x0": [np.nan, 1.0]}, ValueError, "x0 must be finite"),
    (lbfgs, {**RUN, "m": 0}, ValueError, "m must be >= 1, got 0"),
    (lbfgs, {**RUN, "m": 2.5}, TypeError, "m must be an integer, got 2.5"),
    (
        lbfgs,
        {**RUN, "c2": 1e-5},
        ValueError,
        "c1 and c2 must satisfy 0 < c1 < c2 < 1, got c1=0.0001, c2=1e-05",
    ),
    (
        lbfgs,
        {**RUN, "c1": 0.0},
        ValueError,
        "c1 and c2 must satisfy 0 < c1 < c2 < 1, got c1=0.0",
    ),
    (lbfgs, {**RUN, "tol": 0}, ValueError, "tol must be > 0, got 0.0"),
    (lbfgs, {**RUN, "max_iter": -1}, ValueError, "max_iter must be >= 0, got -1"),
    (
        lbfgs,
        {**RUN, "grad": lambda x: np.ones(3)},
        ValueError,
        "grad(x) must return an array of shape (2,), got shape (3,)",
    ),
    (
        lbfgs,
        {**RUN, "f": lambda x: x},
        ValueError,
        "f(x) must return a scalar, got shape (2,)",
    ),
    (
        lbfgs,
        {**RUN, "f": lambda x: np.nan},
        ValueError,
        "f and grad must be finite at x0, got f(x0) = nan",
    ),
    (
        two_loop,
        {"g": [1.0, 2.0], "s_hist": [[1.0, 0.0]], "y_hist": []},
        ValueError,
        "s_hist and y_hist must have the same length, got 1 and 0",
    ),
    (
        two_loop,
        {"g": [1.0, 2.0], "s_hist": [[1.0, 0.0]], "y_hist": [[-1.0, 0.0]]},
        ValueError,
        "s_hist[0] @ y_hist[0] must be > 0 (positive curvature), got -1.0",
    ),
    (
        two_loop,
        {"g": [1.0, 2.0], "s_hist": [[1.0, 0.0, 0.0]], "y_hist": [[1.0, 0.0]]},
        ValueError,
        "s_hist[0] must have shape (2,), got shape (3,)",
    ),
    (
        two_loop,
        {"g": [1.0, 2.0], "s_hist": [], "y_hist": [], "gamma": -1.0},
        ValueError,
        "gamma must be > 0, got -1.0",
    ),
    (
        two_loop,
        {"g": "g", "s_hist": [], "y_hist": []},
        TypeError,
        "g must be an array of real numbers, got 'g'",
    ),
]
