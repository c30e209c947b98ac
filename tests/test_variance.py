"""Tests of SVRG: a run recorded with PyTorch's autograd, linear convergence against SGD's noise floor,
honest gradient counts, and the oracle's state rules."""

from pathlib import Path

import numpy as np
import pytest

import gradlib as gl
from gradlib.variance import SVRG

REFERENCE = np.load(Path(__file__).parent / "reference" / "svrg.npz")


def least_squares(X, y):
    """f(w) = 1/n sum_i 1/2 (x_i^T w - y_i)^2 as a FiniteSumProblem, with its minimizer."""
    n, d = X.shape

    def batch(w, idx):
        r = X[idx] @ w - y[idx]
        return 0.5 * np.mean(r**2), X[idx].T @ r / len(idx)

    w_hat = np.linalg.solve(X.T @ X, X.T @ y)
    return gl.functions.finite_sum(
        batch, n, d, name="least squares", minimizers=[w_hat]
    )


PROBLEM = least_squares(REFERENCE["X"], REFERENCE["y"])
N, D = REFERENCE["X"].shape


def test_svrg_equals_the_torch_recording():
    svrg = SVRG(PROBLEM, m=int(REFERENCE["m"]), batch_size=int(REFERENCE["batch_size"]))
    traj = gl.run(
        gl.GD(lr=float(REFERENCE["lr"])),
        PROBLEM,
        np.zeros(D),
        steps=int(REFERENCE["steps"]),
        oracle=svrg,
        rng=int(REFERENCE["seed"]),
    )
    # Same indices, same snapshots; autograd and the formula differ only by rounding.
    np.testing.assert_allclose(traj.xs, REFERENCE["xs"], rtol=0, atol=1e-13)
    assert svrg.snapshots == 5 and svrg.n_example_grads == 5 * N + 2 * 400


def test_svrg_converges_linearly_where_sgd_stalls():
    lr, steps = (
        0.02,
        3000,
    )  # lr < 1 / (4 max_i |x_i|^2) = 0.0196 is the theory's; 0.02 is close
    svrg = SVRG(PROBLEM)  # m = 2n = 80
    traj = gl.run(
        gl.GD(lr=lr), PROBLEM, np.zeros(D), steps=steps, oracle=svrg, rng=1, loss=False
    )
    dist = PROBLEM.distance_to_minimizer(traj.xs)
    assert dist[-1] < 1e-8
    # Linear convergence: the distance at the snapshots falls by a steady factor per epoch.
    at_snapshots = dist[:: svrg.m]
    rates = at_snapshots[1:] / at_snapshots[:-1]
    assert (
        np.all(rates[: len(rates) // 2] < 0.75) and np.exp(np.mean(np.log(rates))) < 0.6
    )
    budget = svrg.n_example_grads
    assert (
        budget == 38 * N + 2 * steps
    )  # 38 snapshots (updates 1, 81, ..., 2961), 2 per update

    # Plain SGD, the same step, the same number of example gradients (one per update).
    sgd = gl.run(
        gl.GD(lr=lr),
        PROBLEM,
        np.zeros(D),
        steps=budget,
        batch_size=1,
        order="replacement",
        rng=1,
        loss=False,
    )
    assert sgd.n_examples == budget
    floor = np.median(PROBLEM.distance_to_minimizer(sgd.xs[budget // 2 :]))
    assert (
        floor > 0.05
    )  # measured 0.11: the noise floor, 1e7 times SVRG's final distance
    # The floor is set by the step: a quarter of the step, half the floor (Var ~ lr).
    quarter = gl.run(
        gl.GD(lr=lr / 4),
        PROBLEM,
        np.zeros(D),
        steps=budget,
        batch_size=1,
        order="replacement",
        rng=1,
        loss=False,
    )
    assert (
        np.median(PROBLEM.distance_to_minimizer(quarter.xs[budget // 2 :]))
        < 0.7 * floor
    )


def test_svrg_gradient_is_unbiased_and_exact_at_the_snapshot():
    x = np.array([0.3, -0.2, 1.0, 0.5, -1.0])
    svrg = SVRG(PROBLEM, m=1000)
    gen = np.random.default_rng(0)
    g1 = svrg(x, 1, gen)
    np.testing.assert_allclose(
        g1, PROBLEM.grad(x), rtol=1e-13
    )  # at the snapshot the correction cancels
    z = x + 0.1
    estimates = np.array([svrg(z, t, gen) for t in range(2, 2002)])
    # Unbiased at any point: the mean of 2000 draws is the full gradient up to sampling error.
    se = estimates.std(axis=0) / np.sqrt(len(estimates))
    assert np.all(np.abs(estimates.mean(axis=0) - PROBLEM.grad(z)) < 5 * se + 1e-14)
    # Variance reduction: the SVRG estimate varies far less than a single-example gradient.
    plain = np.array(
        [PROBLEM.batch_grad(z, gen.integers(N, size=1)) for _ in range(2000)]
    )
    assert estimates.var(axis=0).sum() < 0.05 * plain.var(axis=0).sum()


def test_snapshot_schedule_counts_and_minibatches():
    svrg = SVRG(PROBLEM, m=3, batch_size=4)
    gen = np.random.default_rng(0)
    x = np.zeros(D)
    for t in range(1, 8):
        svrg(x + t, t, gen)
        if t in (1, 4, 7):
            np.testing.assert_array_equal(
                svrg.x_tilde, x + t
            )  # a snapshot at updates 1, 1 + m, ...
    assert (
        svrg.snapshots == 3
        and svrg.t == 7
        and svrg.n_example_grads == 3 * N + 7 * 2 * 4
    )
    np.testing.assert_allclose(svrg.mu, PROBLEM.grad(x + 7))
    assert SVRG(PROBLEM).m == 2 * N and SVRG(PROBLEM, batch_size=3).m == -(-2 * N // 3)
    assert "n_example_grads=0" in repr(SVRG(PROBLEM))


def test_svrg_with_nesterov_snapshots_the_lookahead_point_and_converges():
    svrg = SVRG(PROBLEM, batch_size=5)
    traj = gl.run(
        gl.Nesterov(lr=0.02, gamma=0.5),
        PROBLEM,
        np.zeros(D),
        steps=2000,
        oracle=svrg,
        rng=3,
    )
    assert PROBLEM.distance_to_minimizer(traj.x) < 1e-8


def test_an_svrg_oracle_serves_one_run():
    svrg = SVRG(PROBLEM)
    gl.run(gl.GD(lr=0.01), PROBLEM, np.zeros(D), steps=10, oracle=svrg, rng=0)
    with pytest.raises(
        ValueError,
        match=r"t must be 11, the next update \(use a fresh SVRG .*\), got 1",
    ):
        gl.run(gl.GD(lr=0.01), PROBLEM, np.zeros(D), steps=10, oracle=svrg, rng=0)
    a = gl.run(
        gl.GD(lr=0.01), PROBLEM, np.zeros(D), steps=50, oracle=SVRG(PROBLEM), rng=7
    )
    b = gl.run(
        gl.GD(lr=0.01), PROBLEM, np.zeros(D), steps=50, oracle=SVRG(PROBLEM), rng=7
    )
    np.testing.assert_array_equal(a.xs, b.xs)  # all randomness from the run's rng


# ------------------------------------------------------------------------ bad input


def _call(**kwargs):
    return SVRG(PROBLEM)(**kwargs)


# Rows of the bad-input table (run by tests/test_bad_inputs.py).
BAD_INPUTS = [
    (
        SVRG,
        {"problem": gl.functions.quadratic(kappa=2.0)},
        TypeError,
        "problem must be a FiniteSumProblem, got",
    ),
    (SVRG, {"problem": PROBLEM, "m": 0}, ValueError, "m must be >= 1, got 0"),
    (
        SVRG,
        {"problem": PROBLEM, "m": 10.0},
        TypeError,
        "m must be an integer, got 10.0",
    ),
    (
        SVRG,
        {"problem": PROBLEM, "batch_size": 0},
        ValueError,
        "batch_size must be >= 1, got 0",
    ),
    (
        SVRG,
        {"problem": PROBLEM, "batch_size": N + 1},
        ValueError,
        f"batch_size must be <= {N}, got {N + 1}",
    ),
    (
        _call,
        {"x": np.zeros(D), "t": 2, "rng": np.random.default_rng(0)},
        ValueError,
        "t must be 1, the next update (use a fresh SVRG for every run), got 2",
    ),
    (
        _call,
        {"x": np.zeros(D), "t": 1, "rng": 0},
        TypeError,
        "rng must be a numpy Generator (the run's), got 0",
    ),
    (
        _call,
        {"x": np.zeros(D + 1), "t": 1, "rng": np.random.default_rng(0)},
        ValueError,
        f"x must have shape ({D},), got shape ({D + 1},)",
    ),
    (
        _call,
        {"x": np.full(D, np.nan), "t": 1, "rng": np.random.default_rng(0)},
        ValueError,
        "x must be finite",
    ),
]
