"""Tests of gradient clipping: PyTorch reference numbers, properties, and the Clipped wrapper in gl.run."""

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import gradlib as gl
from gradlib.clipping import NORM_EPS, Clipped, clip_by_norm, clip_by_value, global_norm

REFERENCE = np.load(Path(__file__).parent / "reference" / "clipping.npz")
EPS = np.finfo(float).eps


def recorded(kind):
    """(input arrays, bound, clipped arrays, total norm or None) of every recorded case."""
    k = 0
    while f"{kind}_{k}_g0" in REFERENCE:
        n = sum(1 for key in REFERENCE if key.startswith(f"{kind}_{k}_g"))
        bound = float(
            REFERENCE[f"{kind}_{k}_{'max_norm' if kind == 'norm' else 'limit'}"]
        )
        total = float(REFERENCE[f"{kind}_{k}_total_norm"]) if kind == "norm" else None
        yield (
            [REFERENCE[f"{kind}_{k}_g{i}"] for i in range(n)],
            bound,
            [REFERENCE[f"{kind}_{k}_clipped{i}"] for i in range(n)],
            total,
        )
        k += 1


# -------------------------------------------------------- PyTorch reference numbers


def test_clip_by_norm_equals_torch_clip_grad_norm():
    cases = list(recorded("norm"))
    assert len(cases) == 8
    for grads, max_norm, clipped, total in cases:
        ours = clip_by_norm(grads, max_norm)
        assert isinstance(ours, list) and len(ours) == len(clipped)
        for a, b in zip(ours, clipped, strict=True):
            # The same operations in the same order: equal to a few units of rounding.
            np.testing.assert_allclose(a, b, rtol=4 * EPS, atol=0, equal_nan=True)
        assert global_norm(grads) == pytest.approx(total, rel=4 * EPS, nan_ok=True)


def test_clip_by_norm_cases_cover_the_edges():
    cases = list(recorded("norm"))
    left_alone = [
        c
        for c in cases
        if all(np.array_equal(a, b) for a, b in zip(c[0], c[2], strict=True))
    ]
    assert len(left_alone) == 1  # max_norm = 100 on a norm of about 1
    grads, max_norm, clipped, total = cases[3]
    assert (
        max_norm == total and global_norm(clipped) < max_norm
    )  # the 1e-6 scales even at equality
    assert np.all(np.isnan(cases[6][2][0]))  # nan anywhere: nan everywhere
    np.testing.assert_array_equal(
        cases[7][2][0], [0.0, np.nan, -0.0]
    )  # inf: factor 0, inf * 0 = nan


def test_clip_by_value_equals_torch_clip_grad_value():
    cases = list(recorded("value"))
    assert len(cases) == 4
    for grads, limit, clipped, _ in cases:
        for a, b in zip(clip_by_value(grads, limit), clipped, strict=True):
            np.testing.assert_array_equal(a, b)  # clamping is exact


# ----------------------------------------------------------------------- properties

vectors = arrays(np.float64, st.integers(1, 12), elements=st.floats(-1e3, 1e3))


@given(vectors, st.floats(1e-3, 1e3))
def test_clip_by_norm_bounds_the_norm_and_keeps_the_direction(g, max_norm):
    out = clip_by_norm(g, max_norm)
    norm = np.linalg.norm(g)
    assert np.linalg.norm(out) <= max_norm * (1 + 4 * EPS)
    np.testing.assert_allclose(
        out, min(1.0, max_norm / (norm + NORM_EPS)) * g, rtol=4 * EPS, atol=0
    )
    if norm + NORM_EPS <= max_norm:  # short gradients pass unchanged
        np.testing.assert_array_equal(out, g)


@given(vectors, st.floats(1e-3, 1e3))
def test_clip_by_value_bounds_every_coordinate(g, limit):
    out = clip_by_value(g, limit)
    assert np.all(np.abs(out) <= limit)
    inside = np.abs(g) <= limit
    np.testing.assert_array_equal(out[inside], g[inside])
    np.testing.assert_array_equal(np.sign(out), np.sign(g))


def test_global_norm_over_a_list_is_the_norm_of_the_concatenation():
    gen = np.random.default_rng(0)
    parts = [
        gen.standard_normal((3, 4)),
        gen.standard_normal(5),
        gen.standard_normal((2, 2, 2)),
    ]
    flat = np.concatenate([p.ravel() for p in parts])
    assert global_norm(parts) == pytest.approx(np.linalg.norm(flat), rel=1e-14)
    out = clip_by_norm(tuple(parts), 1.0)
    assert isinstance(out, tuple) and [o.shape for o in out] == [p.shape for p in parts]
    np.testing.assert_allclose(
        np.concatenate([o.ravel() for o in out]), clip_by_norm(flat, 1.0), rtol=1e-14
    )
    assert clip_by_norm(parts[0], 1.0).shape == (3, 4)


def test_clipping_returns_new_arrays():
    g = np.array([3.0, 4.0])
    clip_by_norm(g, 1.0)[0] = 100.0
    clip_by_value(g, 1.0)[0] = 100.0
    np.testing.assert_array_equal(g, [3.0, 4.0])


# ------------------------------------------------------ the wrapper in the one loop


def test_clipped_gd_moves_at_most_lr_times_max_norm():
    traj = gl.run(
        Clipped(gl.GD(lr=0.1), max_norm=1.0),
        gl.functions.rosenbrock(),
        [-1.2, 1.0],
        steps=200,
    )
    steps = np.linalg.norm(np.diff(traj.xs, axis=0), axis=1)
    assert np.all(steps <= 0.1 * (1 + 1e-12)) and not traj.diverged
    plain = gl.run(gl.GD(lr=0.1), gl.functions.rosenbrock(), [-1.2, 1.0], steps=200)
    assert plain.diverged  # the same step size without clipping blows up
    assert (
        traj.name == "Clipped" and traj.grad_norms.max() > 1.0
    )  # norms before clipping are recorded


def test_clipped_with_a_large_bound_is_the_optimizer_itself():
    problem = gl.functions.quadratic(kappa=5.0)
    for opt in (
        gl.Adam(lr=0.05),
        gl.Nesterov(lr=0.05, gamma=0.9),
        gl.Momentum(lr=0.05),
    ):
        a = gl.run(opt, problem, [1.0, 1.0], steps=50, record="t")
        b = gl.run(
            Clipped(opt, max_norm=1e6), problem, [1.0, 1.0], steps=50, record="t"
        )
        np.testing.assert_array_equal(
            a.xs, b.xs
        )  # the factor min(1, 1e6 / (|g| + 1e-6)) is exactly 1
        np.testing.assert_array_equal(a.states["t"], b.states["t"])


def test_clipped_nesterov_clips_the_gradient_at_the_lookahead_point():
    problem = gl.functions.rosenbrock()
    opt = gl.Nesterov(lr=0.002, gamma=0.9)
    wrapped = Clipped(opt, max_norm=5.0)
    traj = gl.run(wrapped, problem, [-1.2, 1.0], steps=30)
    x, state = np.array([-1.2, 1.0]), opt.init(np.array([-1.2, 1.0]))
    for _ in range(30):  # the loop written out, for comparison
        g = problem.grad(opt.lookahead(x, state))
        x, state = opt.step(x, clip_by_norm(g, 5.0), state)
    np.testing.assert_allclose(traj.x, x, rtol=1e-14)
    assert not np.array_equal(
        wrapped.lookahead(traj.x, state), traj.x
    )  # a real look-ahead point


def test_clipped_by_value_in_run_and_the_first_step_by_hand():
    opt = Clipped(gl.Momentum(lr=0.1, gamma=0.5), limit=0.5)
    x0 = np.array([2.0, -0.1])
    x, state = opt.step(x0, np.array([4.0, -0.2]), opt.init(x0))
    np.testing.assert_allclose(x, [2.0 - 0.05, -0.1 + 0.02])
    traj = gl.run(opt, gl.functions.quadratic(kappa=1.0), x0, steps=3)
    np.testing.assert_allclose(traj.xs[1], [2.0 - 0.05, -0.1 + 0.01])


def test_clipped_stops_cleanly_at_non_finite_gradients():
    opt = Clipped(gl.GD(lr=0.1), max_norm=1.0)
    traj = gl.run(opt, lambda x: np.array([np.nan, 1.0]), [0.0, 0.0], steps=5)
    assert traj.diverged and traj.diverged_at == 1


def test_clipped_records_the_wrapped_state_and_composes_with_train_on_plateau():
    problem = gl.functions.rosenbrock()
    traj = gl.run(
        Clipped(gl.Momentum(lr=1e-3), max_norm=10.0),
        problem,
        [-1.2, 1.0],
        steps=5,
        record="m",
    )
    assert traj.states["m"].shape == (6, 2)
    out = gl.schedules.train_on_plateau(
        lambda lr: Clipped(gl.Nesterov(lr=lr, gamma=0.9), max_norm=10.0),
        problem,
        [-1.2, 1.0],
        lr=2e-3,
        epochs=5,
        steps=20,
    )
    rates = np.repeat(out.lrs, 20)
    single = gl.run(
        Clipped(gl.Nesterov(lr=lambda t: rates[t - 1], gamma=0.9), max_norm=10.0),
        problem,
        [-1.2, 1.0],
        steps=100,
    )
    np.testing.assert_allclose(out.trajectory.xs, single.xs, rtol=1e-15)


def test_clipped_is_frozen():
    opt = Clipped(gl.GD(), max_norm=1.0)
    with pytest.raises(AttributeError):
        opt.max_norm = 2.0


# ------------------------------------------------------------------------ bad input

# Rows of the bad-input table (run by tests/test_bad_inputs.py).
BAD_INPUTS = [
    (
        gl.clipping.Projected,
        {"opt": gl.GD(), "low": 1.0, "high": 0.0},
        ValueError,
        "low must be <= high in every coordinate",
    ),
    (
        gl.clipping.Projected,
        {"opt": "GD", "low": 0.0, "high": 1.0},
        TypeError,
        "opt must be an optimizer with init/step/lookahead",
    ),
    (
        clip_by_norm,
        {"g": np.ones(3), "max_norm": 0.0},
        ValueError,
        "max_norm must be > 0, got 0.0",
    ),
    (
        clip_by_norm,
        {"g": np.ones(3), "max_norm": -1},
        ValueError,
        "max_norm must be > 0, got -1.0",
    ),
    (
        clip_by_norm,
        {"g": np.ones(3), "max_norm": np.inf},
        ValueError,
        "max_norm must be finite, got inf",
    ),
    (
        clip_by_norm,
        {"g": np.ones(3), "max_norm": "1"},
        TypeError,
        "max_norm must be a real number, got '1'",
    ),
    (
        clip_by_norm,
        {"g": [], "max_norm": 1.0},
        ValueError,
        "g must be an array or a non-empty list of arrays, got []",
    ),
    (
        clip_by_norm,
        {"g": [np.ones(2), "ab"], "max_norm": 1.0},
        TypeError,
        "g[1] must be an array of real numbers, got 'ab'",
    ),
    (
        clip_by_norm,
        {"g": "ab", "max_norm": 1.0},
        TypeError,
        "g must be an array of real numbers, got 'ab'",
    ),
    (
        clip_by_value,
        {"g": np.ones(3), "limit": 0},
        ValueError,
        "limit must be > 0, got 0.0",
    ),
    (
        clip_by_value,
        {"g": np.ones(3), "limit": np.nan},
        ValueError,
        "limit must be finite, got nan",
    ),
    (
        clip_by_value,
        {"g": np.ones(3), "limit": True},
        TypeError,
        "limit must be a real number, got True",
    ),
    (
        global_norm,
        {"g": ()},
        ValueError,
        "g must be an array or a non-empty list of arrays, got ()",
    ),
    (
        Clipped,
        {"opt": gl.GD(), "max_norm": 1.0, "limit": 1.0},
        ValueError,
        "give exactly one of max_norm and limit, got max_norm=1.0, limit=1.0",
    ),
    (
        Clipped,
        {"opt": gl.GD()},
        ValueError,
        "give exactly one of max_norm and limit, got max_norm=None, limit=None",
    ),
    (
        Clipped,
        {"opt": gl.GD, "max_norm": 1.0},
        TypeError,
        "opt must be an optimizer instance such as GD(), got the class GD",
    ),
    (
        Clipped,
        {"opt": "Adam", "max_norm": 1.0},
        TypeError,
        "opt must be an optimizer with init/step/lookahead, got 'Adam'",
    ),
    (
        Clipped,
        {"opt": gl.GD(), "max_norm": -2.0},
        ValueError,
        "max_norm must be > 0, got -2.0",
    ),
    (Clipped, {"opt": gl.GD(), "limit": 0.0}, ValueError, "limit must be > 0, got 0.0"),
]


def test_projected_keeps_the_iterates_in_the_box_and_the_state_of_the_optimizer():
    p = gl.functions.quadratic(kappa=4.0)
    opt = gl.clipping.Projected(gl.Adam(lr=0.3), low=[0.5, -1.0], high=[2.0, 1.0])
    traj = gl.run(opt, p, [1.5, 0.5], steps=200, record=("m",))
    assert np.all(traj.xs[:, 0] >= 0.5) and np.all(traj.xs[:, 1] <= 1.0)
    np.testing.assert_allclose(
        traj.x, [0.5, 0.0], atol=1e-3
    )  # the minimizer of the box
    assert traj.states["m"].shape == (201, 2)  # Adam's own state, recorded by name
    with pytest.raises(ValueError, match="low must be <= high"):
        gl.clipping.Projected(gl.GD(), low=1.0, high=0.0)
    with pytest.raises(TypeError, match="opt must be an optimizer instance"):
        gl.clipping.Projected(gl.GD, low=0.0, high=1.0)
