"""Tests of Newton's method and saddle-free Newton: steps and paths recorded with PyTorch's autograd,
the saddle, convex quadratics, and the Newton optimizer in the one loop."""

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import gradlib as gl
from gradlib.newton import Newton, NewtonState, newton_step, saddle_free_step

REFERENCE = np.load(Path(__file__).parent / "reference" / "newton.npz")
NAMES = ["rosenbrock", "himmelblau", "saddle", "monkey_saddle"]
coords = st.floats(-3.0, 3.0).filter(lambda v: abs(v) > 1e-3)


def relative(a, b):
    return np.max(np.abs(a - b)) / np.max(np.abs(b))


# -------------------------------------------------------- PyTorch reference numbers


@pytest.mark.parametrize("name", NAMES)
def test_steps_equal_torch_autograd(name):
    p = getattr(gl.functions, name)()
    points = REFERENCE[f"{name}_points"]
    assert float(REFERENCE["floor"]) == 1e-8
    # gradlib's hand-written Hessians vs autograd's, then solve / eigh: equal to rounding.
    assert (
        relative(newton_step(p.grad, p.hess, points), REFERENCE[f"{name}_newton"])
        < 1e-13
    )
    assert (
        relative(
            saddle_free_step(p.grad, p.hess, points), REFERENCE[f"{name}_saddle_free"]
        )
        < 1e-13
    )
    for x, ref in zip(
        points, REFERENCE[f"{name}_saddle_free"], strict=True
    ):  # one point at a time too
        assert relative(saddle_free_step(p.grad, p.hess, x), ref) < 1e-13


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("form", ["newton", "saddle_free"])
def test_paths_through_run_equal_torch(name, form):
    p = getattr(gl.functions, name)()
    ref = REFERENCE[f"{name}_{form}_path"]
    traj = gl.run(Newton(p.hess, form=form), p, ref[0], steps=len(ref) - 1)
    # Five full steps; Rosenbrock's first Newton steps are large, so rounding grows to ~1e-13.
    assert relative(traj.xs, ref) < 1e-11


def test_newton_is_attracted_to_himmelblaus_saddle_and_saddle_free_newton_is_not():
    p = gl.functions.himmelblau()
    start = REFERENCE["himmelblau_newton_path"][0]
    newton = gl.run(Newton(p.hess), p, start, steps=30)
    free = gl.run(Newton(p.hess, form="saddle_free"), p, start, steps=30)
    saddles, minimizers = p.info["saddles"], p.minimizers
    assert np.min(np.linalg.norm(saddles - newton.x, axis=1)) < 1e-12
    assert np.min(np.linalg.norm(minimizers - free.x, axis=1)) < 1e-12
    assert np.all(
        np.diff(free.fs[:8]) < 0
    )  # descent steps until f reaches 0 (to rounding)


# ------------------------------------------------------------- the saddle x^2 - y^2


@given(coords, coords)
def test_newton_jumps_to_the_saddle_in_one_step(x, y):
    p = gl.functions.saddle()
    start = np.array([x, y])
    np.testing.assert_allclose(
        start + newton_step(p.grad, p.hess, start), [0.0, 0.0], atol=1e-15
    )
    traj = gl.run(Newton(p.hess), p, start, steps=3)
    np.testing.assert_allclose(traj.xs[1:], 0.0, atol=1e-15)


@given(coords, coords)
def test_saddle_free_newton_moves_away_along_negative_curvature(x, y):
    p = gl.functions.saddle()
    start = np.array([x, y])
    step = saddle_free_step(p.grad, p.hess, start)
    np.testing.assert_allclose(
        step, [-x, y], rtol=1e-15
    )  # Newton along x, reversed along y
    new = start + step
    assert new[0] == pytest.approx(0.0, abs=1e-15) and abs(new[1]) == pytest.approx(
        2 * abs(y)
    )
    assert p.f(new) < p.f(start)  # a descent step, where Newton's went uphill along y
    traj = gl.run(Newton(p.hess, form="saddle_free"), p, start, steps=4)
    np.testing.assert_allclose(
        np.abs(traj.xs[1:, 1]), abs(y) * 2.0 ** np.arange(1, 5), rtol=1e-14
    )


def test_on_the_axis_of_the_saddle_saddle_free_newton_cannot_leave():
    p = gl.functions.saddle()  # g has no y component on y = 0: nothing to reverse
    np.testing.assert_array_equal(
        saddle_free_step(p.grad, p.hess, [1.0, 0.0]), [-1.0, 0.0]
    )


# ---------------------------------------------------------------- convex quadratics


@given(st.integers(0, 10_000), st.integers(1, 6), st.floats(1.0, 1e4))
def test_on_a_convex_quadratic_both_are_newton_and_reach_the_minimizer(seed, n, kappa):
    gen = np.random.default_rng(seed)
    A = gl.functions.random_spd(n, np.geomspace(1.0, kappa, n), rng=gen)
    b = gen.standard_normal(n)
    p = gl.functions.quadratic(A, b)
    x = gen.standard_normal(n)
    newton, free = newton_step(p.grad, p.hess, x), saddle_free_step(p.grad, p.hess, x)
    np.testing.assert_allclose(
        free, newton, rtol=1e-8 * kappa, atol=1e-10 * kappa * np.linalg.norm(newton)
    )
    x_star = np.linalg.solve(A, b)
    np.testing.assert_allclose(
        x + newton, x_star, atol=1e-9 * kappa * (1 + np.linalg.norm(x_star))
    )


def test_newton_on_rosenbrock_converges_quadratically():
    p = gl.functions.rosenbrock()
    traj = gl.run(Newton(p.hess), p, [-1.2, 1.0], steps=7)
    errors = p.distance_to_minimizer(traj.xs)
    assert errors[-1] < 1e-12
    assert (
        errors[4] < 0.1
        and errors[5] < errors[4] ** 2 * 10
        and errors[6] < errors[5] ** 2 * 10
    )


# ---------------------------------------------------- the optimizer in the one loop


def test_newton_optimizer_protocol_and_damped_steps():
    p = gl.functions.quadratic(kappa=10.0)
    opt = Newton(p.hess, lr=0.5)
    x0 = np.array([1.0, -2.0])
    state = opt.init(x0)
    assert state == NewtonState(t=0) and np.array_equal(opt.lookahead(x0, state), x0)
    x, state = opt.step(x0, p.grad(x0), state)
    np.testing.assert_allclose(x, 0.5 * x0)  # half a Newton step to the minimizer 0
    assert state.t == 1
    traj = gl.run(Newton(p.hess, lr=lambda t: 1.0 if t > 1 else 0.5), p, x0, steps=2)
    np.testing.assert_allclose(traj.xs[-1], 0.0, atol=1e-15)


def test_newton_optimizer_on_a_batch_of_starts():
    p = gl.functions.saddle()
    starts = np.array([[1.0, 0.5], [-2.0, 0.1], [0.3, -1.0]])
    traj = gl.run(
        Newton(p.hess, form="saddle_free"), p, starts, steps=2, keep_going=True
    )
    np.testing.assert_allclose(
        traj.xs[-1], [[0.0, 2.0], [0.0, 0.4], [0.0, -4.0]], atol=1e-15
    )


def test_singular_hessian_gives_nan_and_run_reports_divergence():
    p = gl.functions.monkey_saddle()  # the Hessian is zero at the origin
    assert np.all(np.isnan(newton_step(p.grad, p.hess, [0.0, 0.0])))
    traj = gl.run(Newton(p.hess), p, [0.0, 0.0], steps=3)
    assert traj.diverged and traj.diverged_at == 1
    # The floor bounds the saddle-free step instead: zero gradient, zero step.
    np.testing.assert_array_equal(
        saddle_free_step(p.grad, p.hess, [0.0, 0.0]), [0.0, 0.0]
    )


def test_floor_limits_steps_along_flat_directions():
    p = gl.functions.quadratic(eigenvalues=[1.0, 1e-6])
    x = np.array([1.0, 1.0])
    free = saddle_free_step(p.grad, p.hess, x, floor=1e-3)
    np.testing.assert_allclose(
        free, [-1.0, -1e-6 / 1e-3], rtol=1e-10
    )  # curvature 1e-6 treated as 1e-3


# ------------------------------------------------------------------------ bad input

SADDLE = gl.functions.saddle()
STEP = {"grad": SADDLE.grad, "hess": SADDLE.hess, "x": [1.0, 0.5]}

# Rows of the bad-input table (run by tests/test_bad_inputs.py).
BAD_INPUTS = [
    (
        newton_step,
        {**STEP, "grad": "grad"},
        TypeError,
        "grad must be callable, got 'grad'",
    ),
    (newton_step, {**STEP, "hess": None}, TypeError, "hess must be callable, got None"),
    (newton_step, {**STEP, "x": [np.inf, 0.0]}, ValueError, "x must be finite"),
    (
        newton_step,
        {**STEP, "x": 1.0},
        ValueError,
        "x must have at least one dimension, got shape ()",
    ),
    (
        newton_step,
        {**STEP, "grad": lambda x: np.ones(3)},
        ValueError,
        "grad(x) must return an array of shape (2,), got shape (3,)",
    ),
    (
        newton_step,
        {**STEP, "hess": lambda x: np.eye(3)},
        ValueError,
        "hess(x) must return an array of shape (2, 2), got shape (3, 3)",
    ),
    (
        saddle_free_step,
        {**STEP, "floor": 0.0},
        ValueError,
        "floor must be > 0, got 0.0",
    ),
    (
        saddle_free_step,
        {**STEP, "floor": "1e-8"},
        TypeError,
        "floor must be a real number, got '1e-8'",
    ),
    (
        saddle_free_step,
        {**STEP, "x": "ab"},
        TypeError,
        "x must be an array of real numbers, got 'ab'",
    ),
    (Newton, {"hess": "H"}, TypeError, "hess must be callable, got 'H'"),
    (
        Newton,
        {"hess": SADDLE.hess, "form": "sfn"},
        ValueError,
        "form must be one of 'newton', 'saddle_free', got 'sfn'",
    ),
    (Newton, {"hess": SADDLE.hess, "lr": 0.0}, ValueError, "lr must be > 0, got 0.0"),
    (
        Newton,
        {"hess": SADDLE.hess, "floor": -1.0},
        ValueError,
        "floor must be > 0, got -1.0",
    ),
    (
        Newton(SADDLE.hess).step,
        {"x": np.zeros(2), "g": np.zeros(3), "state": NewtonState(0)},
        ValueError,
        "g must have the shape of x (2,), got shape (3,)",
    ),
    (
        Newton(SADDLE.hess).step,
        {"x": np.zeros(2), "g": np.zeros(2), "state": (0,)},
        TypeError,
        "state must be a NewtonState from Newton.init, got (0,)",
    ),
]
