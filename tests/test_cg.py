"""Tests for gradlib.cg: finite termination of linear CG, every beta rule, SciPy's CG, stochastic runs."""

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gradlib import functions
from gradlib.cg import BETA_RULES, LinearCGResult, NonlinearCGResult, linear_cg, nonlinear_cg

REFERENCE = json.loads((Path(__file__).parent / "reference" / "scipy_cg.json").read_text())


def spd_matrix(eigenvalues, seed):
    """Q diag(eigenvalues) Q^T with a seeded random orthogonal Q."""
    return functions.random_spd(len(eigenvalues), eigenvalues, rng=seed)


def shifted_quadratic(A, x_star):
    """f(x) = 1/2 (x - x*)^T A (x - x*), minimum value 0 (so rounding of f does not limit the search)."""
    def f(x):
        return 0.5 * (x - x_star) @ A @ (x - x_star)

    def grad(x):
        return A @ (x - x_star)

    return f, grad


# ---- linear CG ----

@given(seed=st.integers(0, 2**32 - 1), k=st.integers(1, 6))
def test_linear_cg_ends_after_as_many_steps_as_distinct_eigenvalues(seed, k):
    rng = np.random.default_rng(seed)
    n = 50
    distinct = rng.permutation(np.arange(1.0, 21.0))[:k] * 5.0  # k values in [5, 100], at least 5 apart
    lam = np.concatenate([distinct, rng.choice(distinct, size=n - k)])
    A = spd_matrix(lam, seed)
    b = rng.standard_normal(n)
    res = linear_cg(A, b, tol=1e-8)
    assert res.success, res.message
    assert res.nit <= k
    assert np.linalg.norm(A @ res.x - b) <= 1e-8 * np.linalg.norm(b)


def test_linear_cg_records_iterates_and_decreasing_error():
    """On a 30 x 30 problem with kappa = 1e3: the A-norm of the error falls at every step."""
    A = spd_matrix(np.logspace(0, 3, 30), seed=3)
    b = np.random.default_rng(4).standard_normal(30)
    x_star = np.linalg.solve(A, b)
    res = linear_cg(A, b, tol=1e-10)
    assert isinstance(res, LinearCGResult) and res.success
    assert res.xs.shape == (res.nit + 1, 30) and res.residual_norms.shape == (res.nit + 1,)
    assert np.array_equal(res.xs[0], np.zeros(30)) and np.array_equal(res.xs[-1], res.x)
    errors = [np.sqrt((x - x_star) @ A @ (x - x_star)) for x in res.xs]
    assert np.all(np.diff(errors) < 0)
    assert np.allclose(res.x, x_star, atol=1e-8)
    assert res.residual_norms[-1] <= 1e-10 * np.linalg.norm(b) < res.residual_norms[-2]
    assert 30 <= res.nit <= 60  # more than n in floating point, well below the default 10 n


def test_linear_cg_accepts_a_matvec_and_a_start():
    A = spd_matrix([1.0, 2.0, 3.0, 4.0], seed=0)
    b = np.arange(1.0, 5.0)
    with_matrix = linear_cg(A, b, x0=np.ones(4))
    with_matvec = linear_cg(lambda v: A @ v, b, x0=np.ones(4))
    assert with_matrix.nit == with_matvec.nit <= 4 and with_matvec.nfev == with_matvec.nit + 1
    assert np.allclose(with_matrix.xs, with_matvec.xs)
    assert np.array_equal(with_matvec.xs[0], np.ones(4))
    start_at_solution = linear_cg(A, b, x0=np.linalg.solve(A, b), tol=1e-8)
    assert start_at_solution.nit == 0 and start_at_solution.success
    zero = linear_cg(A, np.zeros(4))  # b = 0: the tolerance is absolute, x = 0 is exact
    assert zero.nit == 0 and zero.success and np.array_equal(zero.x, np.zeros(4))


def test_linear_cg_reports_non_convergence():
    A = spd_matrix(np.logspace(0, 4, 20), seed=1)
    res = linear_cg(A, np.ones(20), max_iter=3)
    assert not res.success and res.nit == 3 and "max_iter=3" in res.message
    res = linear_cg(lambda v: np.full(2, np.nan), np.ones(2))
    assert not res.success and "non-finite" in res.message and res.nit == 0


def test_linear_cg_bad_input():
    with pytest.raises(ValueError, match="A must be positive definite"):
        linear_cg(np.diag([1.0, -1.0]), np.ones(2))
    with pytest.raises(ValueError, match="A must be symmetric"):
        linear_cg(np.array([[1.0, 2.0], [0.0, 1.0]]), np.ones(2))
    with pytest.raises(ValueError, match="A must be a non-empty square matrix"):
        linear_cg(np.ones((2, 3)), np.ones(2))
    with pytest.raises(ValueError, match="A must be finite"):
        linear_cg(np.diag([1.0, np.inf]), np.ones(2))
    with pytest.raises(TypeError, match="A must be a square matrix or a callable"):
        linear_cg("A", np.ones(2))
    with pytest.raises(ValueError, match="b must have length 2"):
        linear_cg(np.eye(2), np.ones(3))
    with pytest.raises(ValueError, match="x0 must have length 2"):
        linear_cg(np.eye(2), np.ones(2), x0=np.ones(3))
    with pytest.raises(ValueError, match=r"A\(v\) must return an array of shape \(2,\)"):
        linear_cg(lambda v: np.ones(3), np.ones(2))
    with pytest.raises(ValueError, match="tol must be > 0"):
        linear_cg(np.eye(2), np.ones(2), tol=0.0)


# ---- nonlinear CG: every beta rule ----

# Recorded iteration and evaluation counts (numpy 2, float64). A change of more than 25% means the
# algorithm changed; small drifts can come from a different BLAS.
RECORDED = {
    ("rosenbrock", "FR"): (53, 176, 131),
    ("rosenbrock", "PR"): (33, 114, 77),
    ("rosenbrock", "PR+"): (31, 109, 72),
    ("rosenbrock", "HS"): (35, 115, 76),
    ("rosenbrock", "DY"): (55, 182, 130),
    ("quadratic", "FR"): (238, 550, 484),
    ("quadratic", "PR"): (282, 634, 572),
    ("quadratic", "PR+"): (282, 634, 572),
    ("quadratic", "HS"): (231, 539, 480),
    ("quadratic", "DY"): (261, 618, 552),
}


def ill_conditioned_quadratic():
    A = spd_matrix(np.logspace(0, 3, 20), seed=0)  # kappa = 1000
    x_star = np.random.default_rng(1).standard_normal(20)
    return shifted_quadratic(A, x_star), x_star


def run_case(problem, rule):
    if problem == "rosenbrock":
        p = functions.rosenbrock()
        return nonlinear_cg(p.f, p.grad, p.start, beta=rule), np.array([1.0, 1.0])
    (f, grad), x_star = ill_conditioned_quadratic()
    return nonlinear_cg(f, grad, np.zeros(20), beta=rule), x_star


@pytest.mark.parametrize("problem", ["rosenbrock", "quadratic"])
@pytest.mark.parametrize("rule", list(BETA_RULES))
def test_every_beta_rule_converges(problem, rule):
    res, x_star = run_case(problem, rule)
    print(f"{problem:10s} {rule:4s} nit={res.nit:4d} nfev={res.nfev:4d} ngev={res.ngev:4d} {res.restarts}")
    assert isinstance(res, NonlinearCGResult)
    assert res.success, res.message
    assert res.grad_norms[-1] < 1e-8
    assert np.allclose(res.x, x_star, atol=1e-6)
    assert res.nfev >= res.ngev > res.nit  # at least one gradient per iteration, plus the start
    assert res.xs.shape == (res.nit + 1, x_star.size) and res.alphas.shape == (res.nit,)
    assert res.fs.shape == res.grad_norms.shape == (res.nit + 1,)
    # On the quadratic (n = 20, kappa = 1000) linear CG needs 30 iterations; with c2 = 0.1 the steps are
    # inexact, conjugacy is partly lost and nonlinear CG needs about 8 times as many.
    for count, recorded in zip((res.nit, res.nfev, res.ngev), RECORDED[problem, rule], strict=True):
        assert abs(count - recorded) <= 0.25 * recorded


def test_accurate_line_search_recovers_linear_cg_on_a_quadratic():
    """With a near-exact search (c2 = 1e-3) and no periodic restarts, nonlinear CG behaves like linear CG.

    With c2 = 0.1 (the default) the same problem takes 5 to 10 times as many iterations.
    """
    (f, grad), x_star = ill_conditioned_quadratic()
    A = spd_matrix(np.logspace(0, 3, 20), seed=0)
    linear = linear_cg(A, A @ x_star, tol=1e-10)
    for rule in BETA_RULES:
        res = nonlinear_cg(f, grad, np.zeros(20), beta=rule, c1=1e-4, c2=1e-3, restart=0)
        assert res.success and res.nit <= 1.5 * linear.nit
        assert sum(res.restarts.values()) == 0


def test_periodic_restarts_and_already_converged_start():
    p = functions.rosenbrock()
    res = nonlinear_cg(p.f, p.grad, p.start, beta="FR")
    assert res.restarts["periodic"] == (res.nit - 1) // 2  # every n = 2 iterations
    res = nonlinear_cg(p.f, p.grad, p.start, beta="FR", restart=0)
    assert res.restarts["periodic"] == 0 and res.success
    res = nonlinear_cg(p.f, p.grad, [1.0, 1.0])
    assert res.success and res.nit == 0 and res.nfev == res.ngev == 1
    res = nonlinear_cg(p.f, p.grad, p.start, max_iter=0)
    assert not res.success and res.nit == 0 and "max_iter=0" in res.message


def test_armijo_line_search_and_non_descent_restarts():
    p = functions.rosenbrock()
    res = nonlinear_cg(p.f, p.grad, p.start, beta="PR", line_search="armijo", restart=0, max_iter=200)
    assert res.restarts["not descent"] >= 5  # backtracking does not keep the CG directions downhill
    assert res.fs[-1] < res.fs[0]

    def f(x):  # linear along e_0: y = 0 after the first step, so HS and DY divide 0 by 0
        return -x[0] + 0.5 * x[1] ** 2

    def grad(x):
        return np.array([-1.0, x[1]])

    res = nonlinear_cg(f, grad, np.zeros(2), beta="HS", line_search="armijo", max_iter=3)
    assert not res.success and res.restarts["beta not finite"] >= 1 and res.nit == 3


def test_failed_line_search_ends_the_run_with_a_message():
    def f(x):  # unbounded below: no step satisfies the curvature condition
        return -x[0] + 0.5 * x[1] ** 2

    def grad(x):
        return np.array([-1.0, x[1]])

    res = nonlinear_cg(f, grad, np.zeros(2))
    assert not res.success and res.message.startswith("line search failed at iteration 0")
    assert "alpha_max" in res.message and res.nit == 0 and np.array_equal(res.x, np.zeros(2))


def test_a_transient_failure_restarts_along_the_gradient():
    """One nan in the second line search: the run retries along -g and still converges."""
    A = spd_matrix([1.0, 3.0, 10.0], seed=5)
    q, _ = shifted_quadratic(A, np.ones(3))
    calls = []

    def f(x):
        calls.append(1)
        return np.nan if len(calls) == first.nfev + 1 else q(x)

    def grad(x):
        return A @ (x - np.ones(3))

    first = nonlinear_cg(q, grad, np.zeros(3), max_iter=1)  # the next call is iteration 1's first trial
    res = nonlinear_cg(f, grad, np.zeros(3))
    assert res.success and res.restarts["line search failed"] == 1
    assert np.allclose(res.x, np.ones(3))


# ---- SciPy's CG (Polak-Ribiere+, Wolfe search with c2 = 0.4) ----

@pytest.mark.parametrize("case", REFERENCE["minimize_cg"], ids=lambda c: c["problem"])
def test_against_scipy_minimize_cg(case):
    """Same minimizer to 1e-6; counts within a factor of 2.

    SciPy's CG is PR+ without periodic restarts, with MINPACK's line search (which evaluates f and
    its gradient together, so nfev = njev) and a max-norm gradient test. Ours with beta="PR+",
    c2=0.4, restart=0 uses Nocedal & Wright's search, which evaluates the gradient only where the
    sufficient-decrease test passes: more function and fewer gradient evaluations per iteration.
    """
    if case["problem"] == "rosenbrock":
        p = functions.rosenbrock()
        f, grad = p.f, p.grad
    else:
        quadratic = REFERENCE["quadratic"]
        f, grad = shifted_quadratic(np.array(quadratic["A"]), np.array(quadratic["x_star"]))
    res = nonlinear_cg(f, grad, case["x0"], beta="PR+", c2=0.4, restart=0, tol=case["gtol"])
    assert case["success"] and res.success, res.message
    assert np.allclose(res.x, case["x"], atol=1e-6)
    for ours, theirs in ((res.nit, case["nit"]), (res.nfev, case["nfev"]), (res.ngev, case["njev"])):
        assert theirs / 2 <= ours <= 2 * theirs


# ---- stochastic (mini-batch) runs ----

def least_squares(N=200, n=5, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((N, n))
    y = X @ rng.standard_normal(n) + 0.5 * rng.standard_normal(N)

    def f(w, batch):
        r = X[batch] @ w - y[batch]
        return 0.5 * np.mean(r**2)

    def grad(w, batch):
        r = X[batch] @ w - y[batch]
        return X[batch].T @ r / len(batch)

    def sample_batch(rng):
        return rng.choice(N, size=10, replace=False)

    return f, grad, sample_batch, np.arange(N)


def test_stochastic_run_is_reproducible_and_never_crashes():
    f, grad, sample_batch, everything = least_squares()
    runs = [nonlinear_cg(f, grad, np.zeros(5), sample_batch=sample_batch, rng=7, max_iter=100)
            for _ in range(2)]
    assert np.array_equal(runs[0].xs, runs[1].xs) and runs[0].nfev == runs[1].nfev
    res = runs[0]
    assert not res.success and res.nit == 100 and "max_iter=100" in res.message
    assert res.restarts["not descent"] > 0  # a direction built on one batch points uphill on the next
    assert res.ngev >= res.nit + 1  # one fresh mini-batch gradient per iteration at least
    exact = nonlinear_cg(lambda w: f(w, everything), lambda w: grad(w, everything), np.zeros(5))
    assert exact.success and exact.nit < 20
    full_loss = [f(w, everything) for w in res.xs]
    assert min(full_loss) < f(np.zeros(5), everything)
    assert full_loss[-1] > exact.fs[-1] + 1e-3  # the mini-batch run does not settle at the minimum


def test_stochastic_non_finite_value_ends_the_run():
    f, grad, sample_batch, _ = least_squares()
    draws = []

    def poisoned(rng):
        draws.append(1)
        return None if len(draws) == 3 else sample_batch(rng)

    def f_nan(w, batch):
        return np.nan if batch is None else f(w, batch)

    def grad_nan(w, batch):
        return np.full(5, np.nan) if batch is None else grad(w, batch)

    res = nonlinear_cg(f_nan, grad_nan, np.zeros(5), sample_batch=poisoned, rng=0, max_iter=10)
    assert not res.success and "non-finite value on the mini-batch at iteration 2" in res.message
    assert res.nit == 2 and np.isnan(res.fs[-1])


# ---- bad input ----

def test_nonlinear_cg_bad_input():
    p = functions.rosenbrock()
    with pytest.raises(ValueError, match="beta must be one of"):
        nonlinear_cg(p.f, p.grad, p.start, beta="CD")
    with pytest.raises(ValueError, match="beta must be one of"):
        nonlinear_cg(p.f, p.grad, p.start, beta=["FR"])
    with pytest.raises(ValueError, match="line_search must be"):
        nonlinear_cg(p.f, p.grad, p.start, line_search="exact")
    for c1, c2 in ((0.5, 0.1), (1e-4, 1.0), (0.0, 0.5)):
        with pytest.raises(ValueError, match=r"0 < c1 < c2 < 1"):
            nonlinear_cg(p.f, p.grad, p.start, c1=c1, c2=c2)
    with pytest.raises(ValueError, match="restart must be >= 0"):
        nonlinear_cg(p.f, p.grad, p.start, restart=-1)
    with pytest.raises(ValueError, match="x0 must be finite"):
        nonlinear_cg(p.f, p.grad, [np.nan, 1.0])
    with pytest.raises(ValueError, match="f and grad must be finite at x0"):
        nonlinear_cg(lambda x: np.inf, p.grad, p.start)
    with pytest.raises(ValueError, match="grad.x. must return an array of shape"):
        nonlinear_cg(p.f, lambda x: np.ones(3), p.start)
    with pytest.raises(ValueError, match="f.x. must return a scalar"):
        nonlinear_cg(lambda x: x, p.grad, p.start)
    with pytest.raises(TypeError, match="f must be callable"):
        nonlinear_cg(None, p.grad, p.start)
    with pytest.raises(TypeError, match="grad must be callable"):
        nonlinear_cg(p.f, 3, p.start)
    with pytest.raises(TypeError, match="sample_batch must be callable"):
        nonlinear_cg(p.f, p.grad, p.start, sample_batch=10)
    with pytest.raises(TypeError, match="rng must be"):
        nonlinear_cg(p.f, p.grad, p.start, rng="seed")
