"""Tests of gradlib.mlp: backpropagation against finite differences and PyTorch, training, errors."""

from pathlib import Path

import numpy as np
import pytest

import gradlib as gl
from gradlib import mlp
from gradlib.data import logistic_regression, spirals, train_test_split, two_moons
from gradlib.mlp import MLP

REFERENCE = Path(__file__).parent / "reference" / "mlp.npz"

# (loss, output activation, number of outputs)
LOSS_CASES = [
    ("mse", "identity", 2),
    ("mse", "sigmoid", 2),
    ("bce", "sigmoid", 1),
    ("softmax_ce", "softmax", 3),
]


def relative_error(a, b):
    """Norm-wise relative error ||a - b|| / max(||a||, ||b||) (0 when both vanish)."""
    scale = max(np.linalg.norm(a), np.linalg.norm(b))
    return 0.0 if scale == 0 else float(np.linalg.norm(a - b) / scale)


def targets(loss, k, n, rng):
    if loss == "mse":
        return rng.uniform(size=(n, k))
    if loss == "bce":
        return rng.integers(0, 2, size=(n, 1)).astype(float)
    return rng.integers(0, k, size=n)


def away_from_kinks(net, depth, loss, output, k):
    """Parameters and a batch whose hidden pre-activations all sit at least 1e-3 away from 0.

    A perturbation of h <= 1e-5 then cannot carry a ReLU across its kink, so central
    differences see a smooth function. The gradient of the first layer must not vanish (a
    layer of dead ReLUs would make the check trivial). Seeds are tried in order; the first
    that qualifies is used.
    """
    for seed in range(100):
        rng = np.random.default_rng(seed)
        theta = net.init_params(rng) + 0.1 * rng.standard_normal(net.n_params)
        X = rng.standard_normal((5, net.sizes[0]))
        y = targets(loss, k, 5, rng)
        _, cache = net.forward(theta, X, cache=True)
        alive = np.any(
            net.params(net.grad(theta, X, y))["W1"] != 0
        )  # no layer of dead ReLUs
        if alive and all(np.abs(z).min() > 1e-3 for z in cache.zs[:-1]):
            return theta, X, y
    raise AssertionError(
        "no seed keeps the pre-activations away from the kinks"
    )  # pragma: no cover


# ------------------------------------------------------------------------ gradients


@pytest.mark.parametrize("depth", [1, 3, 10])
@pytest.mark.parametrize(("loss", "output", "k"), LOSS_CASES)
@pytest.mark.parametrize("activation", list(mlp.ACTIVATIONS))
def test_backprop_matches_central_differences(activation, loss, output, k, depth):
    net = MLP(
        [3] + [4] * (depth - 1) + [k],
        activation=activation,
        loss=loss,
        output=output,
        init="xavier",
        init_scale=1.5,
    )
    theta, X, y = away_from_kinks(net, depth, loss, output, k)
    value, g = net.loss_and_grad(theta, X, y)
    assert value == net.loss(theta, X, y)

    def f(t):
        return net.loss(t, X, y)

    # central differences (h = eps^(1/3) max(1, |theta_i|)), coordinate by coordinate:
    # |g_i - n_i| <= 1e-9 + 1e-7 max(|g_i|, |n_i|). The absolute part covers the tiny entries
    # of deep sigmoid nets (down to 1e-7), whose difference quotient is mostly rounding
    # (about eps |f| / h)
    report = gl.gradcheck.check_gradient(
        f,
        lambda t: net.loss_and_grad(t, X, y)[1],
        theta,
        method="central",
        rtol=1e-7,
        atol=1e-9,
    )
    assert report.ok, report
    np.testing.assert_array_equal(report.analytic, g)
    # the whole gradient: norm-wise relative error below 1e-7 (measured: at most 1.4e-8)
    assert relative_error(g, report.numeric) < 1e-7


def test_reference_file_is_small():
    assert REFERENCE.stat().st_size < 100_000


def _reference_cases():
    ref = np.load(REFERENCE)
    return ref, sorted({key.split("/")[0] for key in ref.files if "/" in key})


@pytest.mark.parametrize("key", _reference_cases()[1])
def test_matches_pytorch_reference(key):
    ref, _ = _reference_cases()
    activation, loss, output = key.split("-")
    net = MLP(
        ref[f"{key}/sizes"].tolist(), activation=activation, loss=loss, output=output
    )
    value, g = net.loss_and_grad(ref[f"{key}/theta"], ref[f"{key}/X"], ref[f"{key}/y"])
    assert value == pytest.approx(float(ref[f"{key}/loss"]), rel=1e-10)
    expected = ref[f"{key}/grad"]
    assert relative_error(g, expected) < 1e-10
    np.testing.assert_allclose(
        g, expected, rtol=1e-10, atol=1e-10 * np.abs(expected).max()
    )


def test_reference_covers_every_activation_and_loss():
    ref, keys = _reference_cases()
    assert len(keys) == len(mlp.ACTIVATIONS) * len(LOSS_CASES) == 20
    assert str(ref["torch_version"]).startswith("2.")


# ----------------------------------------------------------- activations and losses


@pytest.mark.parametrize("name", list(mlp.ACTIVATIONS))
def test_activation_derivatives(name):
    act = mlp.ACTIVATIONS[name]
    z = np.array([-3.0, -0.7, -0.01, 0.02, 0.5, 2.5])
    h = 1e-6
    numerical = (act.f(z + h) - act.f(z - h)) / (2 * h)
    np.testing.assert_allclose(act.prime(z), numerical, rtol=1e-8, atol=1e-10)


def test_activation_values_and_bounds():
    z = np.linspace(-20, 20, 401)
    assert np.all(mlp.sigmoid_prime(z) <= 0.25) and mlp.sigmoid_prime(0.0) == 0.25
    assert np.all(mlp.tanh_prime(z) <= 1.0)
    assert mlp.relu_prime(0.0) == 0.0  # PyTorch's convention at the kink
    assert mlp.leaky_relu(-2.0) == pytest.approx(-0.02)
    np.testing.assert_array_equal(mlp.identity(z), z)
    np.testing.assert_array_equal(mlp.identity_prime(z), np.ones_like(z))
    np.testing.assert_allclose(mlp.softmax(np.array([[1.0, 2.0, 3.0]])).sum(), 1.0)


def test_sigmoid_is_stable_at_extremes():
    z = np.array([-1000.0, -40.0, 0.0, 40.0, 1000.0])
    a = mlp.sigmoid(z)  # no overflow warning (warnings are errors in the test suite)
    assert a[0] == 0.0 and a[-1] == 1.0 and a[2] == 0.5
    assert np.all(np.isfinite(mlp.sigmoid_prime(z)))
    np.testing.assert_allclose(
        mlp.sigmoid(z[1:4]), 1 / (1 + np.exp(-z[1:4])), rtol=1e-15
    )


@pytest.mark.parametrize(("loss", "output", "k"), LOSS_CASES)
def test_extreme_logits_give_finite_losses_and_gradients(loss, output, k):
    z = np.array([[1000.0, -1000.0, 1000.0][:k], [-1000.0, 1000.0, -1000.0][:k]])
    y = np.array([0, 1]) if loss == "softmax_ce" else np.zeros((2, k))
    ell = mlp.example_losses(loss, z, y, output)
    delta = mlp.output_delta(loss, z, y, output)
    assert np.all(np.isfinite(ell)) and np.all(np.isfinite(delta))
    # through a whole network: weights that push the logits to about +-1000
    net = MLP([1, k], loss=loss, output=output)
    theta = net.flatten(
        {"W1": 1000.0 * np.array([1.0, -1.0, 1.0][:k])[:, None], "b1": np.zeros(k)}
    )
    X = np.array([[1.0], [-1.0]])
    yy = y if loss == "softmax_ce" else np.ones((2, k))
    value, g = net.loss_and_grad(theta, X, yy)
    assert np.isfinite(value) and np.all(np.isfinite(g))


def test_cross_entropy_losses_at_extreme_logits_are_exact():
    # a confidently wrong logit of 1000 costs exactly 1000; a right one costs 0
    assert (
        mlp.example_losses("bce", np.array([[1000.0]]), np.array([[0.0]]))[0] == 1000.0
    )
    assert mlp.example_losses("bce", np.array([[1000.0]]), np.array([[1.0]]))[0] == 0.0
    ell = mlp.example_losses("softmax_ce", np.array([[1000.0, -1000.0]]), np.array([1]))
    assert ell[0] == 2000.0


def test_output_deltas_are_the_books_formulas():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((6, 2))
    y = rng.integers(0, 2, size=6).astype(float)
    for loss, output in (("mse", "sigmoid"), ("bce", "sigmoid")):
        net = MLP([2, 3, 1], activation="tanh", loss=loss, output=output, init="xavier")
        theta = net.init_params(1)
        a = net.output_activation(theta, X)[:, 0]
        delta = net.output_deltas(theta, X, y)[:, 0]
        expected = (a - y) * a * (1 - a) if loss == "mse" else a - y
        np.testing.assert_allclose(delta, expected, rtol=1e-12)
    # a saturated, wrong neuron: the squared error's delta all but vanishes, the cross-entropy's does not
    z, y0 = np.array([[8.0]]), np.array([[0.0]])
    assert mlp.output_delta("mse", z, y0, "sigmoid")[0, 0] < 4e-4
    assert mlp.output_delta("bce", z, y0)[0, 0] > 0.999


def test_softmax_ce_delta_and_probabilities():
    net = MLP([2, 3], loss="softmax_ce", init="xavier")
    theta = net.init_params(0)
    X, y = np.array([[1.0, 2.0], [0.5, -1.0]]), np.array([2, 0])
    p = net.output_activation(theta, X)
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    np.testing.assert_allclose(
        net.output_deltas(theta, X, y), p - np.eye(3)[y], rtol=1e-12
    )
    np.testing.assert_allclose(
        mlp.log_softmax(np.array([[1.0, 2.0]])), np.log(mlp.softmax([[1.0, 2.0]]))
    )


def test_unknown_loss_names_in_module_functions():
    with pytest.raises(ValueError, match="loss must be one of"):
        mlp.example_losses("hinge", np.zeros((1, 1)), np.zeros((1, 1)))
    with pytest.raises(ValueError, match="loss must be one of"):
        mlp.output_delta("hinge", np.zeros((1, 1)), np.zeros((1, 1)))


# ----------------------------------------------------------------------- parameters


def test_params_are_views_into_theta():
    net = MLP([3, 5, 2], loss="mse")
    theta = net.init_params(0)
    views = net.params(theta)
    assert list(views) == ["W1", "b1", "W2", "b2"]
    assert views["W1"].shape == (5, 3) and views["b2"].shape == (2,)
    assert all(np.shares_memory(v, theta) for v in views.values())
    views["W2"][1, 2] = 42.0
    assert theta[3 * 5 + 5 + 1 * 5 + 2] == 42.0
    assert net.unflatten is not None and net.n_params == 15 + 5 + 10 + 2
    np.testing.assert_array_equal(net.flatten(views), theta)


def test_init_scales_follow_the_papers():
    fan_in, fan_out = 400, 300
    he = MLP([fan_in, fan_out, 1], init="he").init_params(0)
    W = MLP([fan_in, fan_out, 1], init="he").params(he)["W1"]
    assert W.std() == pytest.approx(np.sqrt(2 / fan_in), rel=0.02)
    net = MLP([fan_in, fan_out, 1], init="xavier")
    W = net.params(net.init_params(0))["W1"]
    r = np.sqrt(6 / (fan_in + fan_out))
    assert np.abs(W).max() <= r and W.std() == pytest.approx(
        np.sqrt(2 / (fan_in + fan_out)), rel=0.02
    )
    net = MLP([fan_in, fan_out, 1], init="normal")
    p = net.params(net.init_params(0))
    assert p["W1"].std() == pytest.approx(0.01, rel=0.02) and np.all(p["b1"] == 0)
    net = MLP([fan_in, fan_out, 1], init="normal", init_scale=2.0)
    assert net.params(net.init_params(0))["W1"].std() == pytest.approx(2.0, rel=0.02)
    net = MLP([fan_in, fan_out, 1], init="he", init_scale=3.0)
    assert net.params(net.init_params(0))["W1"].std() == pytest.approx(
        3 * np.sqrt(2 / fan_in), rel=0.02
    )


def test_init_is_reproducible():
    net = MLP([2, 8, 8, 1])
    np.testing.assert_array_equal(
        net.init_params(7), net.init_params(np.random.default_rng(7))
    )
    assert not np.array_equal(net.init_params(7), net.init_params(8))


def test_forward_on_a_hand_computed_network():
    net = MLP([2, 2, 1], activation="relu", loss="mse")
    theta = net.flatten(
        {
            "W1": [[1.0, -1.0], [2.0, 0.0]],
            "b1": [0.0, -1.0],
            "W2": [[1.0, 3.0]],
            "b2": [0.5],
        }
    )
    # x = (1, 2): z1 = (-1, 1), a1 = (0, 1), z2 = 0*1 + 1*3 + 0.5 = 3.5
    np.testing.assert_allclose(net.forward(theta, [[1.0, 2.0]]), [[3.5]])
    np.testing.assert_allclose(net.predict(theta, [[1.0, 2.0]]), [3.5])
    z, cache = net.forward(theta, [[1.0, 2.0]], cache=True)
    np.testing.assert_allclose(cache.activations[1], [[0.0, 1.0]])
    # one input feature may be given as a vector
    net1 = MLP([1, 1], loss="mse")
    np.testing.assert_allclose(net1.forward([2.0, 1.0], [3.0, 4.0]), [[7.0], [9.0]])
    assert "relu" in repr(net)


def test_predict_and_accuracy_shapes():
    X = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, -1.0]])
    net = MLP([2, 2], loss="bce", init="xavier")  # two independent sigmoid outputs
    theta = net.init_params(0)
    assert net.predict(theta, X).shape == (3, 2)
    y2 = net.predict(theta, X)
    assert net.accuracy(theta, X, y2) == 1.0
    net = MLP([2, 3, 2], loss="mse")
    assert net.predict(net.init_params(0), X).shape == (3, 2)
    with pytest.raises(ValueError, match="classification loss"):
        net.accuracy(net.init_params(0), X, np.zeros((3, 2)))


# ---------------------------------------------------------------------- diagnostics


def test_layer_grad_norms_vanish_in_a_deep_sigmoid_net():
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((64, 4)), rng.integers(0, 2, size=64)
    net = MLP([4] + [16] * 9 + [1], activation="sigmoid", loss="bce", init="xavier")
    theta = net.init_params(0)
    norms = net.layer_grad_norms(theta, X, y)
    g = net.grad(theta, X, y)
    np.testing.assert_allclose(
        norms, [np.linalg.norm(net.params(g)[f"W{l}"]) for l in range(1, 11)]
    )
    assert (
        norms[0] < 1e-3 * norms[-1]
    )  # sigma' <= 1/4 per layer: the first layer barely learns
    relu = MLP([4] + [16] * 9 + [1], activation="relu", loss="bce", init="he")
    relu_norms = relu.layer_grad_norms(relu.init_params(0), X, y)
    assert relu_norms[0] > 1e-2 * relu_norms[-1]


def test_activation_stats():
    X = np.random.default_rng(0).standard_normal((200, 3))
    net = MLP([3, 50, 50, 1], activation="relu")
    stats = net.activation_stats(net.init_params(0), X)
    assert stats.zero.shape == (2,) and np.all((0.3 < stats.zero) & (stats.zero < 0.7))
    assert (
        np.all(stats.saturated == 0)
        and np.all(stats.mean > 0)
        and np.all(stats.std > 0)
    )
    net = MLP([3, 50, 50, 1], activation="tanh", init="normal", init_scale=5.0)
    assert np.all(net.activation_stats(net.init_params(0), X).saturated > 0.7)
    net = MLP([3, 50, 50, 1], activation="sigmoid", init="normal", init_scale=10.0)
    assert np.all(net.activation_stats(net.init_params(0), X).saturated > 0.5)
    net = MLP([3, 50, 50, 1], activation="sigmoid", init="normal", init_scale=0.01)
    stats = net.activation_stats(net.init_params(0), X)
    assert np.all(stats.saturated == 0) and np.allclose(stats.mean, 0.5, atol=0.01)


# ------------------------------------------------------------------------- training


def test_relu_mlp_learns_two_moons_with_adam():
    X, y = two_moons(400, noise=0.1, rng=0)
    X_train, X_test, y_train, y_test = train_test_split(X, y, 0.25, rng=1)
    net = MLP([2, 32, 32, 1], activation="relu", loss="bce", init="he")
    prob = net.problem(X_train, y_train)
    traj = gl.run(gl.Adam(lr=0.01), prob, net.init_params(0), 300, batch_size=64, rng=0)
    assert not traj.diverged
    assert net.accuracy(traj.x, X_test, y_test) > 0.95  # measured: 1.0 after 300 steps
    assert traj.fs[-1] < 0.05 * traj.fs[0]


def test_relu_mlp_learns_three_spirals_with_adam():
    X, y = spirals(600, n_classes=3, noise=0.2, rng=0)
    X_train, X_test, y_train, y_test = train_test_split(X, y, 0.25, rng=1)
    net = MLP([2, 32, 32, 3], activation="relu", loss="softmax_ce", init="he")
    prob = net.problem(X_train, y_train)
    traj = gl.run(gl.Adam(lr=0.01), prob, net.init_params(0), 400, batch_size=64, rng=0)
    assert net.accuracy(traj.x, X_test, y_test) > 0.95  # measured: 1.0 after 400 steps
    assert net.accuracy(traj.x, X_train, y_train) > 0.95


def test_logistic_regression_reaches_the_newton_solution():
    X, y, _ = logistic_regression(400, 3, kappa=10.0, rng=0)
    # Newton's method on the mean cross-entropy, with the intercept as a last column
    A = np.column_stack([X, np.ones(len(X))])
    w = np.zeros(4)
    for _ in range(30):
        p = mlp.sigmoid(A @ w)
        w = w - np.linalg.solve(
            A.T @ (A * (p * (1 - p))[:, None]) / len(A), A.T @ (p - y) / len(A)
        )
    assert np.linalg.norm(A.T @ (mlp.sigmoid(A @ w) - y)) < 1e-12
    net = MLP([3, 1], loss="bce", init="normal")
    prob = net.problem(X, y)
    # theta = (W1 row, b1) is laid out like w = (weights, intercept); the Hessian's
    # eigenvalues lie in [0.015, 0.175], so GD is stable for lr < 2 / 0.175 = 11.4
    traj = gl.run(gl.GD(lr=4.0), prob, np.zeros(4), 700)
    assert np.linalg.norm(traj.x - w) < 1e-8 * np.linalg.norm(w)  # measured: 8e-16
    assert traj.f == pytest.approx(net.loss(w, X, y), rel=1e-14)
    traj = gl.run(gl.Adam(lr=0.02), prob, np.zeros(4), 1000)
    assert np.linalg.norm(traj.x - w) < 1e-8 * np.linalg.norm(w)  # measured: 5e-15


def test_problem_plugs_into_run():
    X, y = two_moons(50, rng=0)
    net = MLP([2, 6, 1], activation="tanh", loss="bce", init="xavier")
    prob = net.problem(X, y)
    assert isinstance(prob, gl.functions.FiniteSumProblem) and prob.n_examples == 50
    assert prob.dim == net.n_params and prob.minimizers.shape == (0, net.n_params)
    theta = prob.start
    np.testing.assert_array_equal(theta, net.init_params(0))
    assert prob.f(theta) == net.loss(theta, X, y)
    np.testing.assert_array_equal(prob.grad(theta), net.grad(theta, X, y))
    # a mini-batch of every example (drawn without replacement) is the full batch
    np.testing.assert_allclose(
        prob.stochastic_grad(theta, 0, batch_size=50),
        prob.grad(theta),
        rtol=1e-12,
        atol=1e-15,
    )
    np.testing.assert_allclose(
        prob.batch_grad(theta, np.arange(5)), net.grad(theta, X[:5], y[:5])
    )
    assert prob.batch_loss(theta, np.arange(5)) == pytest.approx(
        net.loss(theta, X[:5], y[:5]), rel=1e-14
    )
    # the noise falls like b^(-1/2) (drawn without replacement it falls a little faster: the
    # finite-population factor (n - b) / (n - 1))
    rng = np.random.default_rng(1)
    rms = [
        np.sqrt(
            np.mean(
                [
                    np.sum(
                        (
                            prob.stochastic_grad(theta, rng, batch_size=b)
                            - prob.grad(theta)
                        )
                        ** 2
                    )
                    for _ in range(400)
                ]
            )
        )
        for b in (2, 8)
    ]
    expected = np.sqrt(2 / 8 * (50 - 8) / (50 - 2))  # 0.468
    assert rms[1] / rms[0] == pytest.approx(expected, rel=0.1)
    assert prob.stochastic_grad(theta, 0).shape == theta.shape  # one example by default
    # the mean of many mini-batch gradients approaches the full gradient
    rng = np.random.default_rng(0)
    mean = np.mean(
        [prob.stochastic_grad(theta, rng, batch_size=10) for _ in range(2000)], axis=0
    )
    assert relative_error(mean, prob.grad(theta)) < 0.05
    # non-finite parameters give nan (so that run reports divergence), not an exception
    bad = theta.copy()
    bad[0] = np.inf
    assert np.isnan(prob.f(bad)) and np.all(np.isnan(prob.grad(bad)))
    with pytest.raises(NotImplementedError, match="Hessian"):
        prob.hess(theta)
    # run draws the mini-batches itself; an oracle can draw its own
    traj = gl.run(gl.GD(lr=0.5), prob, theta, 20, batch_size=10, rng=0)
    assert traj.steps == 20 and traj.f < traj.fs[0] and traj.n_examples == 200
    oracle = gl.run(
        gl.GD(lr=0.5),
        prob,
        theta,
        20,
        oracle=lambda x, t, rng: prob.stochastic_grad(x, rng, 10),
        rng=0,
    )
    assert oracle.steps == 20 and oracle.f < oracle.fs[0]
    assert net.problem(X, y, name="moons").name == "moons"


def test_run_reports_divergence_of_an_mlp():
    X, y, _ = gl.data.linear_regression(20, 2, rng=0)
    net = MLP([2, 8, 1], activation="identity", loss="mse", init="xavier")
    prob = net.problem(X, y)
    traj = gl.run(gl.GD(lr=1e3), prob, prob.start, 200)
    assert traj.diverged


def test_train_helper():
    X, y = two_moons(200, noise=0.1, rng=0)
    net = MLP([2, 32, 32, 1], activation="relu", loss="bce", init="he")
    theta0 = net.init_params(0)
    traj = net.train(theta0, X, y, gl.Adam(lr=0.02), epochs=30, batch_size=32, rng=0)
    assert isinstance(traj, gl.Trajectory) and traj.name == "Adam"
    assert (
        traj.fs.shape == (31,) and traj.fs[-1] < 0.01 * traj.fs[0]
    )  # measured: 0.94 -> 0.005
    np.testing.assert_array_equal(
        traj.ts, 7 * np.arange(31)
    )  # ceil(200 / 32) = 7 updates per epoch
    assert traj.fs[-1] == net.loss(traj.x, X, y) and net.accuracy(traj.x, X, y) > 0.95
    np.testing.assert_array_equal(
        theta0, net.init_params(0)
    )  # the start is not modified
    again = net.train(theta0, X, y, gl.Adam(lr=0.02), epochs=30, batch_size=32, rng=0)
    np.testing.assert_array_equal(traj.fs, again.fs)
    # divergence stops the training: the history is shorter
    X, y, _ = gl.data.linear_regression(40, 2, rng=0)
    net = MLP([2, 8, 8, 1], activation="identity", loss="mse", init="xavier")
    traj = net.train(
        net.init_params(0), X, y, gl.GD(lr=1e3), epochs=200, batch_size=8, rng=0
    )
    assert traj.diverged and len(traj.fs) < 201


# --------------------------------------------------------------------------- errors

GOOD = MLP([2, 3, 1], loss="bce")
THETA = GOOD.init_params(0)
X2 = np.zeros((4, 2))
Y2 = np.array([0, 1, 0, 1])
SOFT = MLP([2, 3], loss="softmax_ce")


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: MLP([2, 0, 1]), ValueError, r"sizes\[1\] must be >= 1"),
        (lambda: MLP([2]), ValueError, "at least an input and an output"),
        (lambda: MLP("21"), TypeError, "sizes must be a sequence"),
        (lambda: MLP(3), TypeError, "sizes must be a sequence"),
        (lambda: MLP([2, 1.5]), TypeError, r"sizes\[1\] must be an integer"),
        (
            lambda: MLP([2, 1], activation="swish"),
            ValueError,
            "activation must be one of.*'swish'",
        ),
        (
            lambda: MLP([2, 1], activation=["relu"]),
            ValueError,
            "activation must be one of",
        ),
        (lambda: MLP([2, 1], loss="hinge"), ValueError, "loss must be one of.*'hinge'"),
        (
            lambda: MLP([2, 1], init="orthogonal"),
            ValueError,
            "init must be one of.*'orthogonal'",
        ),
        (lambda: MLP([2, 1], init_scale=-1.0), ValueError, "init_scale must be > 0"),
        (
            lambda: MLP([2, 1], loss="softmax_ce"),
            ValueError,
            r"sizes\[-1\] must be >= 2 classes for loss 'softmax_ce', got 1",
        ),
        (
            lambda: MLP([2, 1], loss="bce", output="identity"),
            ValueError,
            "output must be one of 'sigmoid', got 'identity'",
        ),
        (
            lambda: MLP([2, 1], loss="mse", output="softmax"),
            ValueError,
            "output must be one of",
        ),
        (
            lambda: GOOD.loss(THETA[:-1], X2, Y2),
            ValueError,
            r"theta must have shape \(13,\)",
        ),
        (
            lambda: GOOD.loss(np.full(13, np.nan), X2, Y2),
            ValueError,
            "theta must be finite",
        ),
        (
            lambda: GOOD.loss(["a"] * 13, X2, Y2),
            TypeError,
            "theta must be an array of real numbers",
        ),
        (
            lambda: GOOD.loss(THETA, np.zeros((4, 3)), Y2),
            ValueError,
            r"X must have shape \(n, 2\)",
        ),
        (
            lambda: GOOD.loss(THETA, np.zeros((0, 2)), Y2[:0]),
            ValueError,
            r"X must not be empty, got shape \(0, 2\)",
        ),
        (
            lambda: GOOD.loss(THETA, [[np.nan, 0.0]] * 4, Y2),
            ValueError,
            "X must be finite",
        ),
        (
            lambda: GOOD.loss(THETA, "abc", Y2),
            TypeError,
            "X must be an array of real numbers, got 'abc'",
        ),
        (
            lambda: GOOD.loss(THETA, X2, Y2[:3]),
            ValueError,
            r"one entry per row of X \(4\)",
        ),
        (
            lambda: GOOD.loss(THETA, X2, 1.0),
            ValueError,
            r"y must have 1 or 2 dimension\(s\), got shape \(\)",
        ),
        (
            lambda: GOOD.loss(THETA, X2, np.array(["a"] * 4)),
            TypeError,
            "y must be an array of real numbers",
        ),
        (
            lambda: GOOD.loss(THETA, X2, [[0], [1, 0], [0], [1]]),
            TypeError,
            "y must be an array of real numbers",
        ),
        (
            lambda: GOOD.loss(THETA, X2, np.array([0, 1, 2, 1])),
            ValueError,
            r"targets in \[0, 1\].*2\.0",
        ),
        (
            lambda: GOOD.loss(THETA, X2, np.array([0, 1, np.inf, 1])),
            ValueError,
            "y must be finite",
        ),
        (
            lambda: GOOD.loss(THETA, X2, np.zeros((4, 2))),
            ValueError,
            r"y must have shape \(4,\) or \(4, 1\)",
        ),
        (
            lambda: SOFT.loss(SOFT.init_params(0), X2, np.array([0, 1, 3, 1])),
            ValueError,
            r"y must be class labels in 0\.\.2, got 3\.0",
        ),
        (
            lambda: SOFT.loss(SOFT.init_params(0), X2, np.array([0, 1, 0.5, 1])),
            ValueError,
            "class labels",
        ),
        (
            lambda: SOFT.loss(SOFT.init_params(0), X2, np.array([0, -1, 0, 1])),
            ValueError,
            "class labels",
        ),
        (
            lambda: SOFT.loss(SOFT.init_params(0), X2, np.zeros((4, 3))),
            ValueError,
            "integer class labels",
        ),
        (
            lambda: MLP([2, 2], loss="mse").loss(np.zeros(6), X2, np.zeros((4, 3))),
            ValueError,
            r"\(4, 2\)",
        ),
        (lambda: GOOD.flatten([1, 2]), TypeError, "params must be a dict"),
        (
            lambda: GOOD.flatten({"W1": np.zeros((3, 2))}),
            ValueError,
            r"params must be a dict with the keys \['W1', 'b1', 'W2', 'b2'\], got \['W1'\]",
        ),
        (
            lambda: GOOD.flatten({**GOOD.params(THETA), "W2": np.zeros(3)}),
            ValueError,
            r"params\['W2'\] must have shape",
        ),
        (
            lambda: GOOD.problem(X2, Y2, name=3),
            TypeError,
            "name must be a string, got 3",
        ),
        (
            lambda: GOOD.problem(X2, Y2).stochastic_grad(THETA, 0, batch_size=0),
            ValueError,
            "batch_size must be >= 1",
        ),
        (
            lambda: GOOD.problem(X2, Y2).batch_grad(THETA, [0.5]),
            ValueError,
            r"idx must be a non-empty one-dimensional array of integers in 0\.\.3, got \[0\.5\]",
        ),
        (
            lambda: GOOD.problem(X2, Y2).batch_grad(THETA, [0, 4]),
            ValueError,
            "integers in 0..3, got",
        ),
        (
            lambda: GOOD.problem(X2, Y2).stochastic_grad(THETA, 0, batch_size=5),
            ValueError,
            "batch_size must be <=",
        ),
        (lambda: setattr(GOOD, "loss_name", "mse"), AttributeError, "immutable"),
        (
            lambda: GOOD.train(THETA, X2, Y2, gl.GD(), epochs=0),
            ValueError,
            "epochs must be >= 1",
        ),
        (
            lambda: GOOD.train(THETA, X2, Y2, gl.GD(), batch_size=5),
            ValueError,
            "batch_size must be <= 4, got 5",
        ),
        (
            lambda: GOOD.train(THETA, X2, Y2, gl.GD(), batch_size=2, order="random"),
            ValueError,
            "order must be one of 'reshuffle', 'once', 'cyclic', 'replacement', got 'random'",
        ),
        (
            lambda: MLP([2, 1], loss="mse").accuracy(np.zeros(3), X2, Y2),
            ValueError,
            r"the network's loss must be a classification loss \('bce' or 'softmax_ce'\) "
            r"for accuracy, got 'mse'",
        ),
        (
            lambda: mlp.example_losses(
                "mse", np.zeros((1, 1)), np.zeros((1, 1)), output="swish"
            ),
            ValueError,
            "output must be one of 'sigmoid', 'tanh', 'relu', 'leaky_relu', 'identity', got 'swish'",
        ),
    ],
)
def test_clear_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()


@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid"])
def test_residual_network_gradient_matches_finite_differences(activation):
    X, y = two_moons(20, noise=0.2, rng=0)
    net = MLP(
        [2, 5, 5, 5, 1], activation=activation, loss="bce", init="xavier", residual=True
    )
    theta = net.init_params(1)
    report = gl.gradcheck.check_gradient(
        lambda t: net.loss(t, X, y), lambda t: net.grad(t, X, y), theta
    )
    assert report.ok, str(report)
    assert net._skips == (
        False,
        True,
        True,
        False,
    )  # only hidden layers of equal widths
    plain = MLP([2, 5, 5, 5, 1], activation=activation, loss="bce", init="xavier")
    assert net.loss(theta, X, y) != plain.loss(theta, X, y)
    assert "residual=True" in repr(net) and "residual" not in repr(plain)


def test_a_residual_path_keeps_the_first_layers_gradient_alive():
    # 20 tanh layers with small weights: without the identity path the gradient of the first
    # layer is a product of 19 small factors; with it, each layer adds to an identity
    X, y = two_moons(32, noise=0.2, rng=0)
    sizes = [2] + [8] * 20 + [1]
    plain = MLP(sizes, activation="tanh", loss="bce", init="normal", init_scale=0.05)
    skip = MLP(
        sizes,
        activation="tanh",
        loss="bce",
        init="normal",
        init_scale=0.05,
        residual=True,
    )
    theta = plain.init_params(0)
    first_plain = plain.layer_grad_norms(theta, X, y)[0]
    first_skip = skip.layer_grad_norms(theta, X, y)[0]
    assert first_skip > 1e6 * first_plain
