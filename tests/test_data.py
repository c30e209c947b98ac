"""Tests of gradlib.data: shapes, classes, reproducibility, the stated statistics, errors."""

import numpy as np
import pytest

from gradlib import data

GENERATORS = {
    "two_moons": lambda rng: data.two_moons(101, noise=0.1, rng=rng),
    "spirals2": lambda rng: data.spirals(101, n_classes=2, rng=rng),
    "spirals3": lambda rng: data.spirals(101, n_classes=3, rng=rng),
    "blobs": lambda rng: data.blobs(101, centers=4, std=0.5, rng=rng),
    "linear_regression": lambda rng: data.linear_regression(101, 4, noise=0.1, rng=rng),
    "logistic_regression": lambda rng: data.logistic_regression(
        101, 4, kappa=10.0, rng=rng
    ),
    "sparse_features": lambda rng: data.sparse_features(101, 6, density=0.05, rng=rng),
    "sparse_classification": lambda rng: data.sparse_features(
        101, 6, density=0.05, rng=rng, task="classification"
    ),
}


@pytest.mark.parametrize("name", list(GENERATORS))
def test_generators_are_reproducible(name):
    make = GENERATORS[name]
    first, second = make(3), make(np.random.default_rng(3))
    for a, b in zip(first, second, strict=True):
        np.testing.assert_array_equal(a, b)
    other = make(4)
    assert not np.array_equal(first[0], other[0])
    X, y = first[0], first[1]
    assert (
        X.shape[0] == y.shape[0] == 101
        and X.dtype == np.float64
        and np.all(np.isfinite(X))
    )


@pytest.mark.parametrize(
    ("name", "k", "d"),
    [
        ("two_moons", 2, 2),
        ("spirals2", 2, 2),
        ("spirals3", 3, 2),
        ("blobs", 4, 2),
        ("logistic_regression", 2, 4),
        ("sparse_classification", 2, 6),
    ],
)
def test_classification_sets_have_the_right_classes(name, k, d):
    X, y = GENERATORS[name](0)[:2]
    assert X.shape == (101, d) and y.shape == (101,)
    assert np.issubdtype(y.dtype, np.integer)
    assert set(np.unique(y).tolist()) == set(range(k))


@pytest.mark.parametrize(
    "make",
    [
        data.two_moons,
        lambda n, rng: data.spirals(n, 3, rng=rng),
        lambda n, rng: data.blobs(n, 3, rng=rng),
    ],
)
def test_classes_are_balanced_and_shuffled(make):
    X, y = make(300, rng=0)
    counts = np.bincount(y)
    assert counts.max() - counts.min() <= 1
    assert not np.all(np.diff(y) >= 0)  # not sorted by class


def test_two_moons_geometry():
    X, y = data.two_moons(400, noise=0.0, rng=0)
    upper, lower = X[y == 0], X[y == 1]
    np.testing.assert_allclose(np.linalg.norm(upper, axis=1), 1.0)
    np.testing.assert_allclose(np.linalg.norm(lower - [1.0, 0.5], axis=1), 1.0)


def test_spirals_geometry():
    X, y = data.spirals(300, n_classes=3, noise=0.0, rng=0)
    r = np.linalg.norm(X, axis=1)
    phi = np.arctan2(X[:, 1], X[:, 0])
    expected = 4 * r + 2 * np.pi * y / 3
    np.testing.assert_allclose(np.cos(phi), np.cos(expected), atol=1e-12)
    assert r.max() <= 1.0


def test_blobs_with_given_centers():
    centers = np.array([[0.0, 0.0, 0.0], [10.0, 10.0, 10.0]])
    X, y = data.blobs(400, centers=centers, std=0.5, rng=0)
    assert X.shape == (400, 3)
    for j in range(2):
        np.testing.assert_allclose(X[y == j].mean(axis=0), centers[j], atol=0.15)
        assert X[y == j].std() == pytest.approx(0.5, rel=0.1)
    X, _ = data.blobs(20, centers=2, rng=0, dim=5)
    assert X.shape == (20, 5)


def test_linear_regression_returns_the_true_weights():
    X, y, w = data.linear_regression(2000, 4, noise=0.1, rng=0)
    w_hat = np.linalg.lstsq(X, y, rcond=None)[0]
    assert np.linalg.norm(w_hat - w) < 0.01
    assert np.std(y - X @ w) == pytest.approx(0.1, rel=0.1)


def test_logistic_regression_condition_number_and_weights():
    X, y, w = data.logistic_regression(20000, 3, kappa=50.0, rng=0)
    ev = np.linalg.eigvalsh(X.T @ X / len(X))
    assert ev[-1] / ev[0] == pytest.approx(50.0, rel=0.1)
    assert np.std(X @ w) == pytest.approx(2.0, rel=0.05)
    # labels follow the logistic model: in each logit bin the share of ones matches sigma
    z = X @ w
    for lo, hi in [(-3, -1), (-1, 1), (1, 3)]:
        sel = (z > lo) & (z < hi)
        assert np.mean(y[sel]) == pytest.approx(
            np.mean(1 / (1 + np.exp(-z[sel]))), abs=0.03
        )
    X, _, _ = data.logistic_regression(100, 2, rng=0)  # kappa = 1 by default
    assert X.shape == (100, 2)


def test_sparse_features_frequencies():
    X, y, w = data.sparse_features(20000, 5, density=0.01, rng=0)
    np.testing.assert_allclose(
        np.mean(X != 0, axis=0), np.geomspace(1, 0.01, 5), rtol=0.1
    )
    assert np.std(y - X @ w) == pytest.approx(0.1, rel=0.1)
    X, y, w = data.sparse_features(
        100, 3, density=1.0, rng=0, task="classification", noise=0.0
    )
    assert np.all(X != 0) and set(np.unique(y).tolist()) <= {0, 1}


def test_train_test_split_partitions_the_rows():
    X = np.arange(20.0).reshape(10, 2)
    y = np.arange(10)
    X_train, X_test, y_train, y_test = data.train_test_split(X, y, 0.3, rng=0)
    assert X_train.shape == (7, 2) and X_test.shape == (3, 2)
    assert sorted(np.concatenate([y_train, y_test]).tolist()) == list(range(10))
    np.testing.assert_array_equal(X_train[:, 0] / 2, y_train)  # rows stay paired
    again = data.train_test_split(X, y, 0.3, rng=0)
    np.testing.assert_array_equal(again[3], y_test)


@pytest.mark.parametrize(
    ("n", "batch_size", "epochs"), [(10, 3, 3), (12, 4, 2), (7, 7, 1), (5, 1, 2)]
)
def test_minibatches_cover_every_index_once_per_epoch(n, batch_size, epochs):
    batches = list(data.minibatches(n, batch_size, rng=0, epochs=epochs))
    per_epoch = -(-n // batch_size)
    assert len(batches) == per_epoch * epochs
    for e in range(epochs):
        epoch = batches[e * per_epoch : (e + 1) * per_epoch]
        assert (
            all(len(b) == batch_size for b in epoch[:-1])
            and 1 <= len(epoch[-1]) <= batch_size
        )
        assert sorted(np.concatenate(epoch).tolist()) == list(range(n))
    if epochs > 1 and n > 2:
        assert not np.array_equal(
            np.concatenate(batches[:per_epoch]),
            np.concatenate(batches[per_epoch : 2 * per_epoch]),
        )  # reshuffled


def test_minibatches_drop_last_and_reproducibility():
    batches = list(data.minibatches(10, 3, rng=0, epochs=2, drop_last=True))
    assert len(batches) == 6 and all(len(b) == 3 for b in batches)
    assert len(set(np.concatenate(batches[:3]).tolist())) == 9
    a = [b.tolist() for b in data.minibatches(10, 3, rng=5, epochs=2)]
    b = [
        b.tolist()
        for b in data.minibatches(10, 3, rng=np.random.default_rng(5), epochs=2)
    ]
    assert a == b
    assert list(data.minibatches(4, 2, rng=0, epochs=0)) == []


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: data.two_moons(1), ValueError, "n must be >= 2"),
        (lambda: data.two_moons(10, noise=-0.1), ValueError, "noise must be >= 0"),
        (lambda: data.two_moons(10.5), TypeError, "n must be an integer"),
        (lambda: data.two_moons(10, rng="seed"), TypeError, "rng must be"),
        (
            lambda: data.spirals(10, n_classes=4),
            ValueError,
            "n_classes must be <= 3, got 4",
        ),
        (lambda: data.spirals(2, n_classes=3), ValueError, "n must be >= 3, got 2"),
        (
            lambda: data.spirals(10, noise=float("nan")),
            ValueError,
            "noise must be finite",
        ),
        (
            lambda: data.blobs(10, centers=True),
            TypeError,
            "centers must be an integer, got True",
        ),
        (lambda: data.blobs(10, centers=0), ValueError, "centers must be >= 1"),
        (
            lambda: data.blobs(10, centers="abc"),
            TypeError,
            "centers must be an array of real numbers, got 'abc'",
        ),
        (
            lambda: data.blobs(10, centers=[1.0, 2.0]),
            ValueError,
            r"centers must have 2 dimension\(s\), got shape \(2,\)",
        ),
        (
            lambda: data.blobs(10, centers=[[np.inf, 0.0]]),
            ValueError,
            "centers must be finite",
        ),
        (lambda: data.blobs(2, centers=3), ValueError, "n must be >= 3, got 2"),
        (lambda: data.blobs(10, std=0.0), ValueError, "std must be > 0"),
        (lambda: data.linear_regression(10, 0), ValueError, "d must be >= 1"),
        (
            lambda: data.logistic_regression(10, 2, kappa=0.5),
            ValueError,
            "kappa must be >= 1, got 0.5",
        ),
        (
            lambda: data.sparse_features(10, 3, density=0.0),
            ValueError,
            r"density must be in \(0, 1\], got 0\.0",
        ),
        (
            lambda: data.sparse_features(10, 3, density=1.5),
            ValueError,
            r"density must be in \(0, 1\]",
        ),
        (
            lambda: data.sparse_features(10, 3, task="ranking"),
            ValueError,
            "task must be one of 'regression', 'classification', got 'ranking'",
        ),
        (
            lambda: data.train_test_split(np.zeros((4, 2)), np.zeros(3)),
            ValueError,
            r"X and y must be arrays with the same number of rows .*got shapes \(4, 2\) and \(3,\)",
        ),
        (
            lambda: data.train_test_split(np.zeros(4), 1.0),
            ValueError,
            r"one per example\), got shapes \(4,\) and \(\)",
        ),
        (
            lambda: data.train_test_split(np.zeros(4), np.zeros(4), 1.0),
            ValueError,
            r"test_fraction must be in",
        ),
        (
            lambda: data.train_test_split(np.zeros(4), np.zeros(4), 0.01),
            ValueError,
            r"test_fraction must leave at least one of the 4 rows in each part, got 0\.01",
        ),
        (lambda: data.minibatches(5, 6), ValueError, "batch_size must be <= 5, got 6"),
        (lambda: data.minibatches(5, 0), ValueError, "batch_size must be >= 1"),
        (lambda: data.minibatches(5, 2, epochs=-1), ValueError, "epochs must be >= 0"),
        (
            lambda: data.minibatches(5, 2, order="shuffle"),
            ValueError,
            "order must be one of 'reshuffle', 'once', 'cyclic', 'replacement', got 'shuffle'",
        ),
        (
            lambda: data.minibatches(5, 2, drop_last=1),
            TypeError,
            "drop_last must be True or False, got 1",
        ),
        (
            lambda: data.batches_per_epoch(5, 0),
            ValueError,
            "batch_size must be >= 1, got 0",
        ),
        (
            lambda: data.batches_per_epoch(5, 2, drop_last="yes"),
            TypeError,
            "drop_last must be True or False",
        ),
    ],
)
def test_clear_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()
