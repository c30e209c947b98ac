"""Tests of the driver ``gradlib.run`` and its ``Trajectory``."""

import numpy as np
import pytest

import gradlib as gl

QUAD = gl.functions.quadratic(kappa=4.0)
ROSEN = gl.functions.rosenbrock()


def test_trajectory_fields():
    traj = gl.run(gl.GD(lr=0.1), QUAD, [1.0, 1.0], steps=10)
    assert (
        traj.xs.shape == (11, 2)
        and traj.fs.shape == (11,)
        and traj.grad_norms.shape == (10,)
    )
    np.testing.assert_array_equal(traj.ts, np.arange(11))
    assert (traj.steps, traj.n_grad, traj.name) == (10, 10, "GD")
    assert not traj.diverged and traj.diverged_at is None and not traj.converged
    np.testing.assert_array_equal(traj.xs[0], [1.0, 1.0])
    np.testing.assert_array_equal(traj.x, traj.xs[-1])
    assert traj.f == traj.fs[-1] == pytest.approx(float(QUAD.f(traj.x)), rel=0)
    np.testing.assert_allclose(
        traj.grad_norms, np.linalg.norm(QUAD.grad(traj.xs[:-1]), axis=-1), rtol=1e-15
    )
    # each x is one GD step from the previous one
    np.testing.assert_allclose(
        traj.xs[1:], traj.xs[:-1] - 0.1 * QUAD.grad(traj.xs[:-1]), rtol=1e-15
    )


def test_zero_steps_and_custom_name():
    traj = gl.run(gl.Adam(), ROSEN, ROSEN.start, steps=0, name="start only")
    assert traj.steps == 0 and traj.n_grad == 0 and traj.name == "start only"
    assert traj.grad_norms.shape == (0,)


def test_divergence_stops_cleanly_without_warning():
    # pytest turns every warning into an error, so an overflow warning would fail this test
    traj = gl.run(
        gl.GD(lr=1.0), QUAD, [1.0, 1.0], steps=10_000
    )  # lr * lambda_max = 4 > 2
    assert traj.diverged
    assert 100 < traj.diverged_at < 10_000
    assert traj.steps == traj.diverged_at - 1  # the last finite iterate is kept
    assert np.all(np.isfinite(traj.xs)) and np.all(np.isfinite(traj.fs))
    assert traj.n_grad == traj.diverged_at
    assert not traj.converged


def test_divergence_with_gradient_only_and_non_finite_gradient():
    def grad(x):
        return np.exp(np.abs(x) * 1e3) * np.sign(x)  # overflows to inf at once

    traj = gl.run(gl.GD(lr=0.1), grad, [1.0], steps=5)
    assert traj.diverged and traj.diverged_at == 1 and traj.steps == 0


def test_tol_stops_when_the_gradient_is_small():
    traj = gl.run(gl.GD(lr=0.2), QUAD, [1.0, 1.0], steps=10_000, tol=1e-6)
    assert traj.converged and not traj.diverged
    assert traj.steps < 200
    assert np.linalg.norm(QUAD.grad(traj.x)) < 1e-6
    assert np.all(traj.grad_norms >= 1e-6)
    assert traj.n_grad == traj.steps + 1  # the last evaluation found the small gradient


def test_gradient_only_callable():
    traj = gl.run(gl.Momentum(lr=0.05, gamma=0.5), QUAD.grad, [1.0, -1.0], steps=300)
    assert np.all(np.isnan(traj.fs))
    assert not traj.diverged
    np.testing.assert_allclose(traj.x, [0.0, 0.0], atol=1e-8)


def test_run_uses_the_nesterov_lookahead():
    opt = gl.Nesterov(lr=1e-3, gamma=0.9)
    seen = []

    def grad(x):
        seen.append(x.copy())
        return ROSEN.grad(x)

    traj = gl.run(opt, grad, ROSEN.start, steps=30)
    assert not traj.diverged and len(seen) == 30
    # replay by hand: the gradient is evaluated at x - gamma m, not at x
    x, state = ROSEN.start, opt.init(ROSEN.start)
    for k in range(30):
        at = x - 0.9 * state.m
        np.testing.assert_allclose(seen[k], at, rtol=1e-15)
        x, state = opt.step(x, ROSEN.grad(at), state)
    np.testing.assert_allclose(traj.x, x, rtol=1e-15)
    assert not np.allclose(
        seen[5], traj.xs[5]
    )  # the look-ahead point is not the iterate
    # and the run of the look-ahead form is the PyTorch form's run, shifted
    pt = gl.run(
        gl.Nesterov(lr=1e-3, gamma=0.9, form="pytorch"), ROSEN, ROSEN.start, steps=30
    )
    np.testing.assert_allclose(pt.xs[1:-1], np.array(seen[1:]), rtol=1e-12)


def test_noise_is_seeded_and_reproducible():
    def go(rng):
        return gl.run(gl.GD(lr=0.1), QUAD, [1.0, 1.0], steps=50, noise=0.1, rng=rng)

    a, b, c = go(3), go(3), go(4)
    np.testing.assert_array_equal(a.xs, b.xs)
    assert not np.array_equal(a.xs, c.xs)
    d = go(np.random.default_rng(3))
    np.testing.assert_array_equal(a.xs, d.xs)
    # the noise is what moves the iterates away from the exact run
    exact = gl.run(gl.GD(lr=0.1), QUAD, [1.0, 1.0], steps=50)
    assert 1e-3 < np.abs(a.xs - exact.xs).max() < 1.0


def test_oracle_gets_the_step_number_and_the_runs_generator():
    b = np.array([1.0, -1.0])
    data = np.random.default_rng(0).standard_normal((200, 2))
    steps_seen = []

    def minibatch_grad(x, t, rng):  # gradient of a least-squares loss on 10 random rows
        steps_seen.append(t)
        idx = rng.integers(0, len(data), size=10)
        X = data[idx]
        return X.T @ (X @ x - X @ b) / len(idx)

    runs = [
        gl.run(
            gl.Adam(lr=0.05),
            QUAD,
            [0.0, 0.0],
            steps=300,
            oracle=minibatch_grad,
            rng=seed,
        )
        for seed in (7, 7, 8)
    ]
    assert steps_seen[:300] == list(range(1, 301))
    np.testing.assert_array_equal(runs[0].xs, runs[1].xs)
    assert not np.array_equal(runs[0].xs, runs[2].xs)
    assert np.isfinite(runs[0].fs).all()  # f still comes from the problem
    np.testing.assert_allclose(runs[0].x, b, atol=0.2)  # the least-squares solution


def test_rng_none_runs():
    traj = gl.run(gl.GD(lr=0.1), QUAD, [1.0, 1.0], steps=5, noise=0.01)
    assert traj.steps == 5


@pytest.mark.parametrize(
    "opt",
    [
        gl.GD(lr=0.1),
        gl.Nesterov(lr=0.05),
        gl.Adam(lr=0.1),
        gl.AdaGrad(lr=0.5),
        gl.ASGD(lr=0.1),
    ],
    ids=lambda o: type(o).__name__,
)
def test_every_optimizer_runs_through_the_driver(opt):
    traj = gl.run(opt, QUAD, QUAD.start, steps=400)
    assert traj.fs[-1] < traj.fs[0]
    assert traj.name == type(opt).__name__


def test_run_equals_manual_loop():
    opt = gl.RMSprop(lr=0.01)
    traj = gl.run(opt, ROSEN, ROSEN.start, steps=25)
    x, state = ROSEN.start, opt.init(ROSEN.start)
    for _ in range(25):
        x, state = opt.step(x, ROSEN.grad(x), state)
    np.testing.assert_array_equal(traj.x, x)


def test_wrong_gradient_shape_is_reported():
    message = (
        r"problem must return a gradient of the shape of x0 \(2,\), got shape \(3,\)"
    )
    with pytest.raises(ValueError, match=message):
        gl.run(gl.GD(), lambda x: np.ones(3), [1.0, 2.0], steps=3)
    with pytest.raises(ValueError, match=r"oracle must return a gradient"):
        gl.run(gl.GD(), QUAD, [1.0, 2.0], steps=3, oracle=lambda x, t, rng: np.ones(1))


# ------------------------------------------------------------ the loop's new duties

LSQ_X = np.random.default_rng(1).standard_normal((50, 3))
LSQ_Y = LSQ_X @ np.array([1.0, -2.0, 0.5]) + 0.1 * np.random.default_rng(
    2
).standard_normal(50)


def lsq_batch(w, idx):
    r = LSQ_X[idx] @ w - LSQ_Y[idx]
    return 0.5 * float(np.mean(r**2)), LSQ_X[idx].T @ r / len(idx)


LSQ = gl.functions.finite_sum(lsq_batch, 50, 3, name="least squares")


def test_any_shape_of_starting_point():
    # a weight matrix: f(W) = 1/2 ||W - C||^2, gradient W - C
    C = np.arange(6.0).reshape(2, 3)
    traj = gl.run(gl.Adam(lr=0.1), lambda W: W - C, np.zeros((2, 3)), steps=500)
    assert traj.xs.shape == (501, 2, 3)
    np.testing.assert_allclose(traj.x, C, atol=1e-3)


def test_a_batch_of_starting_points_with_keep_going():
    starts = np.array([[1.0, 1.0], [-2.0, 0.5], [0.1, -0.3]])
    traj = gl.run(gl.GD(lr=0.1), QUAD, starts, steps=50)
    assert traj.fs.shape == (51, 3)
    for k, x0 in enumerate(starts):  # each row is its own run
        np.testing.assert_allclose(
            traj.xs[:, k], gl.run(gl.GD(lr=0.1), QUAD, x0, steps=50).xs, rtol=1e-15
        )
    # one diverging row stops the batch unless keep_going
    rosen_starts = np.array([[-1.2, 1.0], [30.0, 30.0]])
    stopped = gl.run(gl.GD(lr=1e-3), ROSEN, rosen_starts, steps=100)
    assert stopped.diverged and stopped.steps < 100
    going = gl.run(gl.GD(lr=1e-3), ROSEN, rosen_starts, steps=100, keep_going=True)
    assert (
        going.steps == 100
        and going.diverged
        and going.diverged_at == stopped.diverged_at
    )
    assert np.isfinite(going.xs[:, 0]).all() and not np.isfinite(going.xs[-1, 1]).all()


def test_record_every_k_steps_and_state():
    traj = gl.run(
        gl.ASGD(lr=0.05, t0=0.0), QUAD, QUAD.start, steps=103, every=10, record=("ax",)
    )
    np.testing.assert_array_equal(
        traj.ts, [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 103]
    )
    assert traj.steps == 103 and traj.grad_norms.shape == (103,) and traj.n_grad == 103
    full = gl.run(gl.ASGD(lr=0.05, t0=0.0), QUAD, QUAD.start, steps=103, record="ax")
    np.testing.assert_array_equal(traj.xs, full.xs[traj.ts])
    np.testing.assert_array_equal(traj.states["ax"], full.states["ax"][traj.ts])
    np.testing.assert_array_equal(traj.fs, full.fs[traj.ts])
    assert full.states["ax"].shape == (104, 2)


def test_loss_only_when_asked():
    calls = []

    def f(x):
        calls.append(1)
        return QUAD.f(x)

    counted = gl.functions.Problem(
        name="q",
        f=f,
        grad=QUAD.grad,
        hess=QUAD.hess,
        dim=2,
        minimizers=QUAD.minimizers,
        bounds=QUAD.bounds,
        start=QUAD.start,
    )
    traj = gl.run(gl.GD(lr=0.1), counted, [1.0, 1.0], steps=100, every=25)
    assert len(calls) == 5  # t = 0, 25, 50, 75, 100
    calls.clear()
    traj = gl.run(gl.GD(lr=0.1), counted, [1.0, 1.0], steps=100, loss=False)
    assert not calls and np.isnan(traj.fs).all()


def test_divergence_between_records_keeps_the_last_finite_iterate():
    traj = gl.run(gl.GD(lr=1.0), QUAD, [1.0, 1.0], steps=10_000, every=7)
    assert traj.diverged and traj.steps == traj.diverged_at - 1
    assert traj.ts[-1] == traj.steps
    exact = gl.run(gl.GD(lr=1.0), QUAD, [1.0, 1.0], steps=traj.steps)
    np.testing.assert_array_equal(traj.x, exact.x)


@pytest.mark.parametrize("order", gl.data.ORDERS)
def test_minibatches_over_epochs(order):
    traj = gl.run(
        gl.GD(lr=0.1),
        LSQ,
        np.zeros(3),
        epochs=4,
        batch_size=16,
        order=order,
        rng=0,
        every="epoch",
    )
    assert traj.steps == 16  # 50 examples, batches of 16: 4 batches per epoch
    np.testing.assert_array_equal(traj.ts, [0, 4, 8, 12, 16])
    expected_examples = 4 * 50 if order != "replacement" else 16 * 16
    assert traj.n_examples == expected_examples and traj.n_grad == 16
    assert traj.fs[-1] < traj.fs[0] / 2
    # the same seed gives the same run; the batches come from the run's generator
    again = gl.run(
        gl.GD(lr=0.1),
        LSQ,
        np.zeros(3),
        epochs=4,
        batch_size=16,
        order=order,
        rng=0,
        every="epoch",
    )
    np.testing.assert_array_equal(traj.xs, again.xs)


def test_minibatch_run_equals_a_hand_loop_over_minibatches():
    opt = gl.Nesterov(lr=0.05, gamma=0.9)
    traj = gl.run(opt, LSQ, np.zeros(3), epochs=3, batch_size=8, rng=5)
    x, state = np.zeros(3), opt.init(np.zeros(3))
    for idx in gl.data.minibatches(50, 8, rng=np.random.default_rng(5), epochs=3):
        x, state = opt.step(x, LSQ.batch_grad(opt.lookahead(x, state), idx), state)
    np.testing.assert_array_equal(traj.x, x)
    assert traj.n_examples == 3 * 50


def test_full_gradient_of_a_finite_sum_counts_every_example():
    traj = gl.run(gl.GD(lr=0.1), LSQ, np.zeros(3), steps=7)
    assert traj.n_grad == 7 and traj.n_examples == 7 * 50


def test_trajectory_from_a_line_search_method():
    res = gl.lbfgs.lbfgs(ROSEN.f, ROSEN.grad, ROSEN.start, tol=1e-8)
    traj = gl.Trajectory.from_result(res, "L-BFGS")
    assert traj.steps == res.nit and traj.xs.shape == (res.nit + 1, 2)
    assert traj.n_grad == res.ngev and traj.converged and not traj.diverged
    np.testing.assert_array_equal(traj.ts, np.arange(res.nit + 1))
    assert traj.grad_norms.shape == (res.nit,) and traj.f == res.fs[-1]
    with pytest.raises(TypeError, match="name must be a string"):
        gl.Trajectory.from_result(res, 3)


def test_an_oracle_needs_no_problem():
    def oracle(x, t, rng):
        return 2 * x + rng.standard_normal(x.shape) * 0.0

    traj = gl.run(gl.GD(lr=0.1), None, [1.0, -1.0], steps=50, oracle=oracle, rng=0)
    assert traj.steps == 50 and np.isnan(traj.fs).all()
    np.testing.assert_allclose(traj.x, 0.8**50 * np.array([1.0, -1.0]))
    with pytest.raises(
        TypeError, match="problem must be a Problem or a gradient function"
    ):
        gl.run(gl.GD(lr=0.1), None, [1.0, -1.0], steps=5)
