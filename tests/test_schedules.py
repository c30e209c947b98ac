"""Tests of the learning-rate schedules: closed forms, PyTorch reference numbers, properties."""

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import gradlib as gl
from gradlib import schedules as S
from gradlib.gradcheck import relative_error

REFERENCE = np.load(Path(__file__).parent / "reference" / "schedules.npz")


# -------------------------------------------------------- PyTorch reference numbers


def reference(name):
    k = 0
    while f"{name}_{k}_params" in REFERENCE:
        yield REFERENCE[f"{name}_{k}_params"], REFERENCE[f"{name}_{k}_lrs"]
        k += 1


def assert_matches(schedule, lrs):
    t = np.arange(1, len(lrs) + 1)
    assert len(lrs) >= 50
    assert np.max(relative_error(schedule(t), lrs)) < 1e-12


def test_step_decay_equals_torch_step_lr():
    settings = list(reference("StepLR"))
    assert len(settings) == 3
    for (lr, step_size, gamma), lrs in settings:
        assert_matches(S.StepDecay(lr, step_size=int(step_size), gamma=gamma), lrs)


def test_geometric_decay_equals_torch_exponential_lr():
    settings = list(reference("ExponentialLR"))
    assert len(settings) == 3
    for (lr, gamma), lrs in settings:
        assert_matches(S.GeometricDecay(lr, gamma=gamma), lrs)


def test_cosine_annealing_equals_torch_cosine_annealing_lr():
    settings = list(reference("CosineAnnealingLR"))
    assert len(settings) == 3
    for (lr, T_max, eta_min), lrs in settings:
        assert_matches(S.CosineAnnealing(lr, T_max=int(T_max), eta_min=eta_min), lrs)


# ------------------------------------------------------ closed forms and identities

T = np.arange(1, 301)


def test_power_of_ten_decay_is_tensorflow_exponential_decay_with_rate_one_tenth():
    s = S.PowerOfTenDecay(lr=0.1, r=50)
    assert s(1) == 0.1
    np.testing.assert_allclose(s(T), 0.1 * 10.0 ** (-(T - 1) / 50), rtol=1e-14)
    np.testing.assert_allclose(
        s(T), S.ExponentialDecay(0.1, decay_steps=50, decay_rate=0.1)(T), rtol=1e-14
    )
    assert s(51) == pytest.approx(0.01, rel=1e-14)


def test_exponential_decay_matches_tensorflow_formula():
    s = S.ExponentialDecay(0.5, decay_steps=20, decay_rate=0.3)
    global_step = T - 1
    np.testing.assert_allclose(s(T), 0.5 * 0.3 ** (global_step / 20), rtol=1e-14)
    stairs = S.ExponentialDecay(0.5, decay_steps=20, decay_rate=0.3, staircase=True)
    np.testing.assert_allclose(stairs(T), 0.5 * 0.3 ** (global_step // 20), rtol=1e-14)
    assert np.all(stairs(T) >= s(T))
    np.testing.assert_allclose(
        stairs(T), S.StepDecay(0.5, step_size=20, gamma=0.3)(T), rtol=1e-14
    )
    np.testing.assert_allclose(
        S.ExponentialDecay(0.5, 1, 0.3)(T), S.GeometricDecay(0.5, 0.3)(T), rtol=1e-14
    )


def test_inverse_time_decay():
    s = S.InverseTimeDecay(1.0, decay_rate=0.5)
    np.testing.assert_allclose(s(T), 1 / (1 + 0.5 * (T - 1)), rtol=1e-14)
    tf = S.InverseTimeDecay(0.1, decay_rate=2.0, decay_steps=10, staircase=True)
    np.testing.assert_allclose(tf(T), 0.1 / (1 + 2.0 * ((T - 1) // 10)), rtol=1e-14)
    assert np.all(S.InverseTimeDecay(0.1, decay_rate=0.0)(T) == 0.1)


def test_cosine_annealing_holds_eta_min_after_t_max():
    s = S.CosineAnnealing(0.2, T_max=40, eta_min=0.01)
    assert s(1) == 0.2 and s(21) == pytest.approx(0.105, rel=1e-14)
    assert s(41) == pytest.approx(0.01, rel=1e-14)
    assert np.all(s(np.arange(41, 200)) == s(41))


def test_warmup_cosine():
    s = S.WarmupCosine(0.4, warmup_steps=10, total_steps=110, eta_min=0.004)
    np.testing.assert_allclose(
        s(np.arange(1, 11)), 0.4 * np.arange(1, 11) / 10, rtol=1e-14
    )
    assert s(10) == 0.4
    assert s(60) == pytest.approx(0.004 + 0.5 * 0.396, rel=1e-14)
    assert s(110) == pytest.approx(0.004, rel=1e-14)
    assert s(500) == pytest.approx(0.004, rel=1e-14)
    after = S.CosineAnnealing(0.4, T_max=100, eta_min=0.004)(np.arange(1, 101))
    np.testing.assert_allclose(s(np.arange(10, 110)), after, rtol=1e-12)


def test_scalar_and_array_calls():
    s = S.Constant(0.3)
    assert isinstance(s(1), float) and s(np.int64(5)) == 0.3
    assert s(np.array([[1, 2], [3, 4]])).shape == (2, 2)
    assert isinstance(S.StepDecay(1.0, 3)(np.uint8(2)), float)


def test_schedule_drives_an_optimizer():
    s = S.StepDecay(0.5, step_size=2, gamma=0.5)
    traj = gl.run(gl.GD(lr=s), gl.functions.square(), [1.0], steps=4)
    # x <- (1 - 2 lr_t) x with lr = 0.5, 0.5, 0.25, 0.25
    np.testing.assert_allclose(traj.xs[:, 0], [1.0, 0.0, 0.0, 0.0, 0.0])
    traj = gl.run(
        gl.GD(lr=S.GeometricDecay(0.25, 0.5)), gl.functions.square(), [1.0], steps=3
    )
    np.testing.assert_allclose(traj.xs[:, 0], [1.0, 0.5, 0.375, 0.328125])


# ----------------------------------------------------------------------- properties

lrs = st.floats(1e-4, 10.0)
factors = st.floats(0.05, 1.0)
counts = st.integers(1, 60)


def catalogue(lr, factor, count):
    return [
        S.Constant(lr),
        S.PowerOfTenDecay(lr, r=float(count)),
        S.ExponentialDecay(lr, count, factor),
        S.ExponentialDecay(lr, count, factor, staircase=True),
        S.StepDecay(lr, count, factor),
        S.GeometricDecay(lr, factor),
        S.InverseTimeDecay(lr, 1 - factor, count),
        S.InverseTimeDecay(lr, 1 - factor, count, staircase=True),
        S.CosineAnnealing(lr, count, eta_min=lr * (1.05 - factor) / 2),
    ]


@given(lrs, factors, counts)
def test_decaying_schedules_start_at_lr_are_positive_and_non_increasing(
    lr, factor, count
):
    t = np.arange(1, 200)
    for s in catalogue(lr, factor, count):
        values = s(t)
        assert values[0] == pytest.approx(lr, rel=1e-14)
        assert np.all(values > 0), s
        assert np.all(np.diff(values) <= 1e-15 * lr), s


@given(lrs, counts, st.integers(1, 60), st.floats(0.0, 0.9))
def test_warmup_cosine_rises_then_falls(lr, warmup, extra, share):
    s = S.WarmupCosine(
        lr, warmup_steps=warmup, total_steps=warmup + extra, eta_min=share * lr
    )
    values = s(np.arange(1, warmup + extra + 20))
    rise, fall = np.diff(values[:warmup]), np.diff(values[warmup - 1 :])
    assert np.all(
        values[: warmup + extra - 1] > 0
    )  # positive until the decay ends (at eta_min >= 0)
    assert np.all(values[warmup - 1 :] >= share * lr * (1 - 1e-12))
    assert np.all(rise > 0) and np.all(fall <= 1e-15 * lr)
    assert values.max() == pytest.approx(lr, rel=1e-14)


@given(lrs, factors, counts, st.integers(1, 10_000))
def test_closed_forms(lr, factor, count, t):
    assert S.StepDecay(lr, count, factor)(t) == pytest.approx(
        lr * factor ** ((t - 1) // count), rel=1e-12
    )
    assert S.GeometricDecay(lr, factor)(t) == pytest.approx(
        lr * factor ** (t - 1), rel=1e-12, abs=1e-300
    )
    assert S.PowerOfTenDecay(lr, count)(t) == pytest.approx(
        lr * 10 ** (-(t - 1) / count), rel=1e-12, abs=1e-300
    )
    k = 1 - factor
    assert S.InverseTimeDecay(lr, k)(t) == pytest.approx(
        lr / (1 + k * (t - 1)), rel=1e-12
    )
    c = S.CosineAnnealing(lr, count)(t)
    closed = lr * (1 + np.cos(np.pi * min(t - 1, count) / count)) / 2
    assert c == pytest.approx(closed, rel=1e-12, abs=1e-15 * lr)


# -------------------------------------------------------------------- bad arguments


@pytest.mark.parametrize(
    ("call", "error", "pattern"),
    [
        (lambda: S.Constant(0.0), ValueError, r"lr must be > 0, got 0\.0"),
        (
            lambda: S.Constant("fast"),
            TypeError,
            r"lr must be a real number, got 'fast'",
        ),
        (lambda: S.PowerOfTenDecay(0.1, r=-5), ValueError, r"r must be > 0, got -5\.0"),
        (
            lambda: S.ExponentialDecay(0.1, 0, 0.5),
            ValueError,
            r"decay_steps must be >= 1, got 0",
        ),
        (
            lambda: S.ExponentialDecay(0.1, 10, 1.5),
            ValueError,
            r"decay_rate must be in \(0, 1\], got 1\.5",
        ),
        (
            lambda: S.ExponentialDecay(0.1, 10, 0.5, staircase=1),
            TypeError,
            r"staircase must be True or False",
        ),
        (
            lambda: S.StepDecay(0.1, 2.5),
            TypeError,
            r"step_size must be an integer, got 2\.5",
        ),
        (
            lambda: S.StepDecay(0.1, 3, gamma=0.0),
            ValueError,
            r"gamma must be in \(0, 1\], got 0\.0",
        ),
        (
            lambda: S.GeometricDecay(0.1, gamma=np.nan),
            ValueError,
            r"gamma must be finite",
        ),
        (
            lambda: S.InverseTimeDecay(0.1, -1.0),
            ValueError,
            r"decay_rate must be >= 0, got -1\.0",
        ),
        (
            lambda: S.InverseTimeDecay(0.1, 1.0, staircase="yes"),
            TypeError,
            r"staircase must be True or False",
        ),
        (
            lambda: S.CosineAnnealing(0.1, T_max=0),
            ValueError,
            r"T_max must be >= 1, got 0",
        ),
        (
            lambda: S.CosineAnnealing(0.1, T_max=10, eta_min=0.2),
            ValueError,
            r"eta_min must be < lr = 0\.1",
        ),
        (
            lambda: S.WarmupCosine(0.1, 10, 10),
            ValueError,
            r"total_steps must be > warmup_steps = 10, got 10",
        ),
        (
            lambda: S.WarmupCosine(0.1, 1, 10, eta_min=0.1),
            ValueError,
            r"eta_min must be < lr",
        ),
        (
            lambda: S.WarmupCosine(0.1, 0, 10),
            ValueError,
            r"warmup_steps must be >= 1, got 0",
        ),
        (
            lambda: S.Constant(0.1)(0),
            ValueError,
            r"t must be >= 1 \(t = 1 is the first update\), got 0",
        ),
        (
            lambda: S.Constant(0.1)(np.array([1, 0])),
            ValueError,
            r"t must be >= 1 .*got \[1, 0\]",
        ),
        (
            lambda: S.Constant(0.1)(1.0),
            TypeError,
            r"t must be an integer or an integer array, got 1\.0",
        ),
        (lambda: S.Constant(0.1)(np.array([1.0, 2.0])), TypeError, r"of dtype float64"),
        (
            lambda: S.Constant(0.1)(True),
            TypeError,
            r"t must be an integer or an integer array, got True",
        ),
    ],
)
def test_bad_arguments(call, error, pattern):
    with pytest.raises(error, match=pattern):
        call()


def test_schedules_are_frozen():
    s = S.StepDecay(0.1, 3)
    with pytest.raises(AttributeError):
        s.lr = 1.0


# ============================================================================= SGDR, 1cycle, plateau, range


def test_cosine_warm_restarts_equals_torch():
    settings = list(reference("CosineAnnealingWarmRestarts"))
    assert len(settings) == 4
    for (lr, T_0, T_mult, eta_min), lrs in settings:
        assert_matches(
            S.CosineWarmRestarts(lr, T_0=int(T_0), T_mult=int(T_mult), eta_min=eta_min),
            lrs,
        )


def test_one_cycle_equals_torch_learning_rate_and_momentum():
    settings = list(reference("OneCycleLR"))
    assert len(settings) == 3
    for k, ((max_lr, total, pct, div, final_div), lrs) in enumerate(settings):
        s = S.OneCycle(
            max_lr,
            int(total),
            pct_start=pct,
            div_factor=div,
            final_div_factor=final_div,
        )
        assert len(lrs) == total  # PyTorch stops after total_steps updates
        assert_matches(s, lrs)
        momenta = REFERENCE[f"OneCycleLR_{k}_momenta"]
        t = np.arange(1, len(momenta) + 1)
        assert np.max(relative_error(s.momentum(t), momenta)) < 1e-12


def test_reduce_on_plateau_equals_torch():
    k, checked = 0, set()
    while f"ReduceLROnPlateau_{k}_lrs" in REFERENCE:
        settings = json.loads(str(REFERENCE[f"ReduceLROnPlateau_{k}_settings"]))
        losses, lrs = (
            REFERENCE[f"ReduceLROnPlateau_{k}_losses"],
            REFERENCE[f"ReduceLROnPlateau_{k}_lrs"],
        )
        ours = S.ReduceOnPlateau(**settings).lrs(losses, lr=0.1)
        assert np.max(relative_error(ours, lrs)) < 1e-15, (
            settings
        )  # products of the same factors
        checked.update(settings)
        k += 1
    assert k == 11
    assert checked == {
        "factor",
        "patience",
        "threshold",
        "cooldown",
        "min_lr",
        "threshold_mode",
        "mode",
        "eps",
    }


def test_cosine_warm_restarts_closed_form_and_cycles():
    s = S.CosineWarmRestarts(0.5, T_0=3, T_mult=2, eta_min=0.1)
    starts = [1, 4, 10, 22, 46]  # cycles of 3, 6, 12, 24 updates
    assert all(s(t) == 0.5 for t in starts)
    assert all(s(t - 1) < s(t) for t in starts[1:])
    T_cur, T_i = s.cycle(np.array(starts) + 1)
    np.testing.assert_array_equal(T_cur, 1)
    np.testing.assert_array_equal(T_i, [3, 6, 12, 24, 48])
    np.testing.assert_allclose(
        S.CosineWarmRestarts(1.0, T_0=4)(np.arange(1, 13)),
        np.tile(S.CosineAnnealing(1.0, T_max=4)(np.arange(1, 5)), 3),
        rtol=1e-15,
    )
    assert (
        S.CosineWarmRestarts(1.0, T_0=7, T_mult=3)(10**9) >= 0
    )  # far-out t: a few passes, no overflow


def test_one_cycle_shape():
    s = S.OneCycle(0.4, total_steps=100, pct_start=0.3)
    lrs = s(np.arange(1, 101))
    assert lrs[0] == pytest.approx(0.4 / 25) and lrs.max() == pytest.approx(0.4)
    assert np.argmax(lrs) == 29  # update 30 = 0.3 * 100, where e = 0.3 T - 1
    assert lrs[-1] == pytest.approx(0.4 / 25 / 1e4, rel=1e-12)
    assert np.all(np.diff(lrs[:30]) > 0) and np.all(np.diff(lrs[29:]) < 0)
    assert s(101) == s(5000) == pytest.approx(lrs[-1])  # held after the cycle
    m = s.momentum(np.arange(1, 101))
    assert (
        m[0] == 0.95 and m[29] == pytest.approx(0.85) and m[-1] == pytest.approx(0.95)
    )


@given(st.floats(1e-4, 1.0), st.floats(1e-3, 0.5))
def test_exponential_range_is_geometric(lr_min, share):
    lr_max = lr_min / share
    s = S.ExponentialRange(lr_min, lr_max, steps=30)
    values = s(np.arange(1, 40))
    assert values[0] == lr_min and values[29] == pytest.approx(lr_max, rel=1e-12)
    np.testing.assert_allclose(
        values[1:30] / values[:29], (lr_max / lr_min) ** (1 / 29), rtol=1e-10
    )
    assert np.all(values[29:] == values[29])


def test_plateau_policy_is_pure():
    policy = S.ReduceOnPlateau(factor=0.5, patience=0)
    state = policy.init(1.0)
    after = policy.update(policy.update(state, 3.0), 4.0)
    assert state == S.PlateauState(1.0, np.inf, 0, 0)
    assert after.lr == 0.5 and after.best == 3.0
    assert policy.update(policy.update(state, 3.0), 4.0) == after


def test_train_on_plateau_is_a_run_with_the_rate_switched_between_epochs():
    problem = gl.functions.quadratic(kappa=10.0)
    policy = S.ReduceOnPlateau(factor=0.5, patience=0, threshold=0.1)
    out = S.train_on_plateau(
        lambda lr: gl.Momentum(lr=lr, gamma=0.9),
        problem,
        [1.0, 1.0],
        lr=0.15,
        epochs=12,
        steps=10,
        policy=policy,
    )
    traj = out.trajectory
    assert traj.steps == 120 and len(traj.xs) == 121 and not traj.diverged
    np.testing.assert_array_equal(traj.ts, np.arange(121))
    assert out.lrs[0] == 0.15 and np.any(
        out.lrs < 0.15
    )  # the plateau rule cut the rate
    np.testing.assert_array_equal(out.lrs[1:], policy.lrs(out.losses, 0.15)[:-1])
    # The same iterates come from one run with the rate as a piecewise-constant schedule:
    # the momentum carried over from epoch to epoch.
    rates = np.repeat(out.lrs, 10)
    single = gl.run(
        gl.Momentum(lr=lambda t: rates[t - 1], gamma=0.9),
        problem,
        [1.0, 1.0],
        steps=120,
    )
    np.testing.assert_allclose(traj.xs, single.xs, rtol=1e-15, atol=0)
    np.testing.assert_allclose(out.losses, traj.fs[10::10], rtol=1e-15)


def test_train_on_plateau_with_minibatches_and_adam_state():
    X, y, _ = gl.data.linear_regression(60, 3, noise=0.3, rng=0)

    def batch(w, idx):
        r = X[idx] @ w - y[idx]
        return 0.5 * np.mean(r**2), X[idx].T @ r / len(idx)

    problem = gl.functions.finite_sum(batch, 60, 3)
    out = S.train_on_plateau(
        lambda lr: gl.Adam(lr=lr),
        problem,
        np.zeros(3),
        lr=0.1,
        epochs=30,
        batch_size=10,
        policy=S.ReduceOnPlateau(factor=0.3, patience=2),
        rng=5,
    )
    assert out.trajectory.steps == 30 * 6 and out.trajectory.n_examples == 30 * 60
    assert out.lrs[-1] < 0.1 and out.losses[-1] < out.losses[0]
    again = S.train_on_plateau(
        lambda lr: gl.Adam(lr=lr),
        problem,
        np.zeros(3),
        lr=0.1,
        epochs=30,
        batch_size=10,
        policy=S.ReduceOnPlateau(factor=0.3, patience=2),
        rng=5,
    )
    np.testing.assert_array_equal(
        out.trajectory.xs, again.trajectory.xs
    )  # all randomness from rng


def test_train_on_plateau_stops_at_divergence():
    out = S.train_on_plateau(
        lambda lr: gl.GD(lr=lr),
        gl.functions.square(),
        [1.0],
        lr=1e150,
        epochs=5,
        steps=3,
    )
    assert out.trajectory.diverged and len(out.lrs) == 1 and len(out.losses) == 0
    assert out.trajectory.diverged_at == 2  # x = -1e150, then 1e300, then overflow


def test_lr_range_test_on_a_quadratic():
    problem = gl.functions.quadratic(
        eigenvalues=[1.0, 4.0]
    )  # GD is stable for lr < 2 / 4
    test = S.lr_range_test(
        lambda lr: gl.GD(lr=lr),
        problem,
        [1.0, 1.0],
        lr_min=1e-4,
        lr_max=100.0,
        steps=120,
    )
    assert len(test.lrs) == len(test.losses) == 120
    np.testing.assert_allclose(
        test.lrs, S.ExponentialRange(1e-4, 100.0, 120)(np.arange(1, 121))
    )
    best = test.lrs[np.argmin(test.losses)]
    # The loss is lowest past the stability edge 2/4 of the stiff direction (that component
    # had already shrunk and needs a few updates to blow up again), but below the edge 2/1
    # of the other; a tenth of it is a stable rate.
    assert 0.5 < best < 2.0 and test.lr == best / 10 and test.lr < 0.5
    assert test.losses[-1] > 1e10  # the sweep went past the edge of stability
    np.testing.assert_array_equal(test.losses, test.trajectory.fs[1:])


def test_lr_range_test_stops_at_non_finite_losses():
    test = S.lr_range_test(
        lambda lr: gl.GD(lr=lr),
        gl.functions.square(),
        [1.0],
        lr_min=1e-2,
        lr_max=1e300,
        steps=60,
    )
    assert test.trajectory.diverged and len(test.losses) < 60
    assert np.all(np.isfinite(test.losses))


def test_new_schedules_drive_optimizers():
    for s in (
        S.CosineWarmRestarts(0.1, 5),
        S.OneCycle(0.3, 50),
        S.ExponentialRange(1e-3, 0.3, 50),
    ):
        traj = gl.run(
            gl.Adam(lr=s), gl.functions.quadratic(kappa=3.0), [1.0, -1.0], steps=50
        )
        assert not traj.diverged and traj.f < 1.0


# --------------------------------------------------- bad input of the new schedules


def _plateau_update(**kwargs):
    return S.ReduceOnPlateau().update(**kwargs)


SQUARE = gl.functions.square()
SGDR, ONE, RANGE, PLATEAU = (
    S.CosineWarmRestarts,
    S.OneCycle,
    S.ExponentialRange,
    S.ReduceOnPlateau,
)
TRAIN = {
    "opt_factory": gl.GD,
    "problem": SQUARE,
    "x0": [1.0],
    "lr": 0.1,
    "epochs": 2,
    "steps": 5,
}
RANGE_TEST = {"opt_factory": gl.GD, "problem": SQUARE, "x0": [1.0]}

# Rows of the bad-input table (run by tests/test_bad_inputs.py).
BAD_INPUTS = [
    (SGDR, {"lr": 0.1, "T_0": 0}, ValueError, "T_0 must be >= 1, got 0"),
    (
        SGDR,
        {"lr": 0.1, "T_0": 10, "T_mult": 0},
        ValueError,
        "T_mult must be >= 1, got 0",
    ),
    (
        SGDR,
        {"lr": 0.1, "T_0": 10, "T_mult": 1.5},
        TypeError,
        "T_mult must be an integer, got 1.5",
    ),
    (
        SGDR,
        {"lr": 0.1, "T_0": 10, "eta_min": 0.1},
        ValueError,
        "eta_min must be < lr = 0.1, got 0.1",
    ),
    (SGDR, {"lr": -1.0, "T_0": 10}, ValueError, "lr must be > 0, got -1.0"),
    (
        ONE,
        {"max_lr": 0.0, "total_steps": 10},
        ValueError,
        "max_lr must be > 0, got 0.0",
    ),
    (
        ONE,
        {"max_lr": 0.1, "total_steps": 1},
        ValueError,
        "total_steps must be >= 2, got 1",
    ),
    (
        ONE,
        {"max_lr": 0.1, "total_steps": 10, "pct_start": 1.0},
        ValueError,
        "pct_start must be in (0, 1), got 1.0",
    ),
    (
        ONE,
        {"max_lr": 0.1, "total_steps": 10, "pct_start": 0.1},
        ValueError,
        "pct_start * total_steps must be > 1 (a rise of more than one update), got 0.1 * 10 = 1.0",
    ),
    (
        ONE,
        {"max_lr": 0.1, "total_steps": 10, "div_factor": -25},
        ValueError,
        "div_factor must be > 0, got -25.0",
    ),
    (
        ONE,
        {"max_lr": 0.1, "total_steps": 10, "final_div_factor": np.inf},
        ValueError,
        "final_div_factor must be finite, got inf",
    ),
    (
        ONE,
        {"max_lr": 0.1, "total_steps": 10, "max_momentum": 0.8},
        ValueError,
        "max_momentum must be in [0.85, 1], got 0.8",
    ),
    (
        RANGE,
        {"lr_min": 0.1, "lr_max": 0.1, "steps": 10},
        ValueError,
        "lr_max must be > 0.1, got 0.1",
    ),
    (
        RANGE,
        {"lr_min": 1e-3, "lr_max": 1.0, "steps": 1},
        ValueError,
        "steps must be >= 2, got 1",
    ),
    (PLATEAU, {"factor": 1.0}, ValueError, "factor must be in (0, 1), got 1.0"),
    (PLATEAU, {"patience": -1}, ValueError, "patience must be >= 0, got -1"),
    (
        PLATEAU,
        {"threshold_mode": "relative"},
        ValueError,
        "threshold_mode must be one of 'rel', 'abs', got 'relative'",
    ),
    (
        PLATEAU,
        {"mode": "minimize"},
        ValueError,
        "mode must be one of 'min', 'max', got 'minimize'",
    ),
    (PLATEAU, {"cooldown": 1.0}, TypeError, "cooldown must be an integer, got 1.0"),
    (PLATEAU, {"min_lr": -0.1}, ValueError, "min_lr must be >= 0, got -0.1"),
    (PLATEAU().init, {"lr": 0}, ValueError, "lr must be > 0, got 0.0"),
    (
        _plateau_update,
        {"state": (0.1, 1.0, 0, 0), "loss": 1.0},
        TypeError,
        "state must be a PlateauState from ReduceOnPlateau.init, got (0.1, 1.0, 0, 0)",
    ),
    (
        _plateau_update,
        {"state": PLATEAU().init(0.1), "loss": np.nan},
        ValueError,
        "loss must be finite, got nan",
    ),
    (
        PLATEAU().lrs,
        {"losses": [1.0, np.inf], "lr": 0.1},
        ValueError,
        "losses must be finite",
    ),
    (
        PLATEAU().lrs,
        {"losses": [], "lr": 0.1},
        ValueError,
        "losses must not be empty, got shape (0,)",
    ),
    (
        S.train_on_plateau,
        {**TRAIN, "problem": SQUARE.grad},
        TypeError,
        "problem must be a Problem (its f gives the loss to watch), got <function",
    ),
    (
        S.train_on_plateau,
        {**TRAIN, "steps": None},
        ValueError,
        "give steps (updates per epoch) or batch_size",
    ),
    (
        S.train_on_plateau,
        {**TRAIN, "epochs": 0},
        ValueError,
        "epochs must be >= 1, got 0",
    ),
    (
        S.train_on_plateau,
        {**TRAIN, "opt_factory": lambda lr: "GD"},
        TypeError,
        "opt_factory(lr) must be an optimizer with init/step/lookahead, got 'GD'",
    ),
    (
        S.train_on_plateau,
        {**TRAIN, "policy": "plateau"},
        TypeError,
        "policy must be a ReduceOnPlateau, got 'plateau'",
    ),
    (
        S.train_on_plateau,
        {**TRAIN, "monitor": 0.5},
        TypeError,
        "monitor must be callable, got 0.5",
    ),
    (
        S.lr_range_test,
        {**RANGE_TEST, "opt_factory": "GD"},
        TypeError,
        "opt_factory must be callable, got 'GD'",
    ),
    (
        S.lr_range_test,
        {**RANGE_TEST, "lr_min": 1.0, "lr_max": 0.1},
        ValueError,
        "lr_max must be > 1, got 0.1",
    ),
    (
        S.lr_range_test,
        {**RANGE_TEST, "lr_min": 1e300, "lr_max": 1e301, "steps": 5},
        ValueError,
        "lr_min must let the first update stay finite, got 1e+300",
    ),
]
