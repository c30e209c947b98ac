"""Tests of the learning-rate schedules: closed forms, PyTorch reference numbers, properties."""

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import gradlib as gl
from gradlib import schedules as S
from gradlib.gradcheck import relative_error

REFERENCE = np.load(Path(__file__).parent / "reference" / "schedules.npz")


# ----------------------------------------------------------------------------- PyTorch reference numbers

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


# ----------------------------------------------------------------------------- closed forms and identities

T = np.arange(1, 301)


def test_power_of_ten_decay_is_tensorflow_exponential_decay_with_rate_one_tenth():
    s = S.PowerOfTenDecay(lr=0.1, r=50)
    assert s(1) == 0.1
    np.testing.assert_allclose(s(T), 0.1 * 10.0 ** (-(T - 1) / 50), rtol=1e-14)
    np.testing.assert_allclose(s(T), S.ExponentialDecay(0.1, decay_steps=50, decay_rate=0.1)(T), rtol=1e-14)
    assert s(51) == pytest.approx(0.01, rel=1e-14)


def test_exponential_decay_matches_tensorflow_formula():
    s = S.ExponentialDecay(0.5, decay_steps=20, decay_rate=0.3)
    global_step = T - 1
    np.testing.assert_allclose(s(T), 0.5 * 0.3 ** (global_step / 20), rtol=1e-14)
    stairs = S.ExponentialDecay(0.5, decay_steps=20, decay_rate=0.3, staircase=True)
    np.testing.assert_allclose(stairs(T), 0.5 * 0.3 ** (global_step // 20), rtol=1e-14)
    assert np.all(stairs(T) >= s(T))
    np.testing.assert_allclose(stairs(T), S.StepDecay(0.5, step_size=20, gamma=0.3)(T), rtol=1e-14)
    np.testing.assert_allclose(S.ExponentialDecay(0.5, 1, 0.3)(T), S.GeometricDecay(0.5, 0.3)(T), rtol=1e-14)


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
    np.testing.assert_allclose(s(np.arange(1, 11)), 0.4 * np.arange(1, 11) / 10, rtol=1e-14)
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
    traj = gl.run(gl.GD(lr=S.GeometricDecay(0.25, 0.5)), gl.functions.square(), [1.0], steps=3)
    np.testing.assert_allclose(traj.xs[:, 0], [1.0, 0.5, 0.375, 0.328125])


# ----------------------------------------------------------------------------- properties

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
def test_decaying_schedules_start_at_lr_are_positive_and_non_increasing(lr, factor, count):
    t = np.arange(1, 200)
    for s in catalogue(lr, factor, count):
        values = s(t)
        assert values[0] == pytest.approx(lr, rel=1e-14)
        assert np.all(values > 0), s
        assert np.all(np.diff(values) <= 1e-15 * lr), s


@given(lrs, counts, st.integers(1, 60), st.floats(0.0, 0.9))
def test_warmup_cosine_rises_then_falls(lr, warmup, extra, share):
    s = S.WarmupCosine(lr, warmup_steps=warmup, total_steps=warmup + extra, eta_min=share * lr)
    values = s(np.arange(1, warmup + extra + 20))
    rise, fall = np.diff(values[:warmup]), np.diff(values[warmup - 1:])
    assert np.all(values[: warmup + extra - 1] > 0)  # positive until the decay ends (at eta_min >= 0)
    assert np.all(values[warmup - 1:] >= share * lr * (1 - 1e-12))
    assert np.all(rise > 0) and np.all(fall <= 1e-15 * lr)
    assert values.max() == pytest.approx(lr, rel=1e-14)


@given(lrs, factors, counts, st.integers(1, 10_000))
def test_closed_forms(lr, factor, count, t):
    assert S.StepDecay(lr, count, factor)(t) == pytest.approx(lr * factor ** ((t - 1) // count), rel=1e-12)
    assert S.GeometricDecay(lr, factor)(t) == pytest.approx(lr * factor ** (t - 1), rel=1e-12, abs=1e-300)
    assert S.PowerOfTenDecay(lr, count)(t) == pytest.approx(lr * 10 ** (-(t - 1) / count), rel=1e-12,
                                                            abs=1e-300)
    k = 1 - factor
    assert S.InverseTimeDecay(lr, k)(t) == pytest.approx(lr / (1 + k * (t - 1)), rel=1e-12)
    c = S.CosineAnnealing(lr, count)(t)
    closed = lr * (1 + np.cos(np.pi * min(t - 1, count) / count)) / 2
    assert c == pytest.approx(closed, rel=1e-12, abs=1e-15 * lr)


# ----------------------------------------------------------------------------- bad arguments

@pytest.mark.parametrize(
    ("call", "error", "pattern"),
    [
        (lambda: S.Constant(0.0), ValueError, r"lr must be > 0, got 0\.0"),
        (lambda: S.Constant("fast"), TypeError, r"lr must be a real number, got 'fast'"),
        (lambda: S.PowerOfTenDecay(0.1, r=-5), ValueError, r"r must be > 0, got -5\.0"),
        (lambda: S.ExponentialDecay(0.1, 0, 0.5), ValueError, r"decay_steps must be >= 1, got 0"),
        (lambda: S.ExponentialDecay(0.1, 10, 1.5), ValueError, r"decay_rate must lie in \(0, 1\], got 1\.5"),
        (lambda: S.ExponentialDecay(0.1, 10, 0.5, staircase=1), TypeError,
         r"staircase must be True or False"),
        (lambda: S.StepDecay(0.1, 2.5), TypeError, r"step_size must be an integer, got 2\.5"),
        (lambda: S.StepDecay(0.1, 3, gamma=0.0), ValueError, r"gamma must lie in \(0, 1\], got 0\.0"),
        (lambda: S.GeometricDecay(0.1, gamma=np.nan), ValueError, r"gamma must be finite"),
        (lambda: S.InverseTimeDecay(0.1, -1.0), ValueError, r"decay_rate must be >= 0, got -1\.0"),
        (lambda: S.InverseTimeDecay(0.1, 1.0, staircase="yes"), TypeError,
         r"staircase must be True or False"),
        (lambda: S.CosineAnnealing(0.1, T_max=0), ValueError, r"T_max must be >= 1, got 0"),
        (lambda: S.CosineAnnealing(0.1, T_max=10, eta_min=0.2), ValueError, r"eta_min must be < lr = 0\.1"),
        (lambda: S.WarmupCosine(0.1, 10, 10), ValueError, r"total_steps must be > warmup_steps = 10, got 10"),
        (lambda: S.WarmupCosine(0.1, 1, 10, eta_min=0.1), ValueError, r"eta_min must be < lr"),
        (lambda: S.WarmupCosine(0.1, 0, 10), ValueError, r"warmup_steps must be >= 1, got 0"),
        (lambda: S.Constant(0.1)(0), ValueError, r"t must be >= 1 \(t = 1 is the first update\), got 0"),
        (lambda: S.Constant(0.1)(np.array([1, 0])), ValueError, r"t must be >= 1 .*got \[1, 0\]"),
        (lambda: S.Constant(0.1)(1.0), TypeError, r"t must be an integer or an integer array, got 1\.0"),
        (lambda: S.Constant(0.1)(np.array([1.0, 2.0])), TypeError, r"of dtype float64"),
        (lambda: S.Constant(0.1)(True), TypeError, r"t must be an integer or an integer array, got True"),
    ],
)
def test_bad_arguments(call, error, pattern):
    with pytest.raises(error, match=pattern):
        call()


def test_schedules_are_frozen():
    s = S.StepDecay(0.1, 3)
    with pytest.raises(AttributeError):
        s.lr = 1.0
