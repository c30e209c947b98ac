"""Tests of the moving averages and iterate averaging."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gradlib import averaging as A

betas = st.floats(0.0, 0.999)


def test_ewma_by_hand():
    v = A.ewma([2.0, 4.0, 8.0], beta=0.5)
    # v1 = 0.5*2 = 1, v2 = 0.5*1 + 0.5*4 = 2.5, v3 = 0.5*2.5 + 0.5*8 = 5.25
    np.testing.assert_allclose(v, [1.0, 2.5, 5.25])
    v_hat = A.ewma([2.0, 4.0, 8.0], beta=0.5, bias_correction=True)
    np.testing.assert_allclose(v_hat, [1.0 / 0.5, 2.5 / 0.75, 5.25 / 0.875])


def test_ewma_of_vectors_is_per_coordinate():
    rng = np.random.default_rng(0)
    xs = rng.standard_normal((30, 3))
    v = A.ewma(xs, 0.9, bias_correction=True)
    assert v.shape == (30, 3)
    for j in range(3):
        np.testing.assert_allclose(
            v[:, j], A.ewma(xs[:, j], 0.9, bias_correction=True), rtol=1e-15
        )


def test_beta_zero_is_the_identity():
    xs = np.array([3.0, -1.0, 7.0])
    np.testing.assert_array_equal(A.ewma(xs, 0.0), xs)
    np.testing.assert_array_equal(A.ewma(xs, 0.0, bias_correction=True), xs)


@given(st.floats(-1e3, 1e3), betas, st.integers(1, 200))
def test_bias_corrected_ewma_of_a_constant_is_exact(c, beta, T):
    v_hat = A.ewma(np.full(T, c), beta, bias_correction=True)
    np.testing.assert_allclose(v_hat, c, rtol=1e-12, atol=1e-12)
    v = A.ewma(np.full(T, c), beta)
    np.testing.assert_allclose(
        v, c * (1 - beta ** np.arange(1, T + 1)), rtol=1e-12, atol=1e-12
    )


@given(betas, st.integers(1, 300))
def test_weights_sum_to_one_minus_beta_to_the_t(beta, t):
    w = A.ewma_weights(beta, t)
    assert w.shape == (t,)
    assert np.sum(w) == pytest.approx(1 - beta**t, rel=1e-12, abs=1e-15)
    assert np.all(np.diff(w) >= 0)  # recent observations weigh more


@given(betas, st.lists(st.floats(-100, 100), min_size=1, max_size=50))
def test_ewma_equals_its_weighted_sum(beta, values):
    xs = np.array(values)
    v = A.ewma(xs, beta)
    t = len(xs)
    assert v[-1] == pytest.approx(
        np.dot(A.ewma_weights(beta, t), xs), rel=1e-9, abs=1e-9
    )


def test_effective_window():
    # beta = 0.9: the last 10 observations carry 1 - 0.9^10 = 65 % of the weight
    w = A.ewma_weights(0.9, 100)
    assert np.sum(w[-10:]) == pytest.approx(1 - 0.9**10)


def test_polyak_average_of_a_known_sequence():
    xs = np.arange(1.0, 11.0)  # 1, 2, ..., 10
    bar = A.polyak_average(xs)
    np.testing.assert_allclose(
        bar, (np.arange(1, 11) + 1) / 2
    )  # mean of 1..k = (k + 1)/2
    late = A.polyak_average(xs, start=4)
    assert np.all(np.isnan(late[:4]))
    np.testing.assert_allclose(late[4:], (5 + np.arange(5, 11)) / 2)
    np.testing.assert_allclose(late[-1], A.tail_average(xs, fraction=0.6))


def test_polyak_average_of_iterates_cancels_noise():
    rng = np.random.default_rng(1)
    xs = np.array([1.0, -2.0]) + 0.5 * rng.standard_normal((4000, 2))
    bar = A.polyak_average(xs, start=0)
    assert bar.shape == (4000, 2)
    np.testing.assert_allclose(bar[-1], xs.mean(axis=0), rtol=1e-12)
    assert (
        np.linalg.norm(bar[-1] - [1.0, -2.0])
        < 0.05
        < np.linalg.norm(xs[-1] - [1.0, -2.0])
    )


def test_tail_average():
    xs = np.array([100.0, 1.0, 2.0, 3.0])
    assert A.tail_average(xs, 0.5) == 2.5
    assert A.tail_average(xs, 1.0) == 26.5
    assert A.tail_average(xs, 0.01) == 3.0  # at least one iterate
    assert A.tail_average(xs, 0.75) == 2.0
    assert isinstance(A.tail_average(xs), float)
    np.testing.assert_array_equal(
        A.tail_average(np.array([[0.0, 4.0], [2.0, 6.0]]), 1.0), [1.0, 5.0]
    )


@pytest.mark.parametrize(
    ("call", "error", "pattern"),
    [
        (
            lambda: A.ewma([1.0], beta=1.0),
            ValueError,
            r"beta must be in \[0, 1\), got 1\.0",
        ),
        (
            lambda: A.ewma([1.0], beta="0.9"),
            TypeError,
            r"beta must be a real number, got '0\.9'",
        ),
        (
            lambda: A.ewma([1.0], 0.9, bias_correction=1),
            TypeError,
            r"bias_correction must be True or False, got 1 of type int",
        ),
        (lambda: A.ewma([], 0.9), ValueError, r"xs must not be empty"),
        (
            lambda: A.ewma(np.zeros((2, 2, 2)), 0.9),
            ValueError,
            r"xs must have 1 or 2 dimension\(s\), got shape \(2, 2, 2\)",
        ),
        (lambda: A.ewma(np.zeros((3, 0)), 0.9), ValueError, r"xs must not be empty"),
        (
            lambda: A.ewma([1.0, np.inf], 0.9),
            ValueError,
            r"xs must be finite, got array\(\[ 1., inf\]\)",
        ),
        (
            lambda: A.ewma(["a"], 0.9),
            TypeError,
            r"xs must be an array of real numbers, got \['a'\]",
        ),
        (lambda: A.ewma_weights(0.9, 0), ValueError, r"t must be >= 1, got 0"),
        (
            lambda: A.ewma_weights(-0.1, 3),
            ValueError,
            r"beta must be in \[0, 1\), got -0\.1",
        ),
        (
            lambda: A.polyak_average([1.0, 2.0], start=2),
            ValueError,
            r"start must be <= 1, got 2",
        ),
        (
            lambda: A.polyak_average([1.0, 2.0], start=-1),
            ValueError,
            r"start must be >= 0, got -1",
        ),
        (
            lambda: A.polyak_average([1.0, 2.0], start=0.5),
            TypeError,
            r"start must be an integer, got 0\.5",
        ),
        (
            lambda: A.tail_average([1.0], fraction=0.0),
            ValueError,
            r"fraction must be in \(0, 1\], got 0\.0",
        ),
        (
            lambda: A.tail_average([1.0], fraction=None),
            TypeError,
            r"fraction must be a real number, got None",
        ),
    ],
)
def test_bad_arguments(call, error, pattern):
    with pytest.raises(error, match=pattern):
        call()
