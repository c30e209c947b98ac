"""Bad input to the public API raises at once, with a message that names the argument and shows the value.

One table: (callable, keyword arguments, exception type, a substring of the message, or a list
of substrings that must all appear). Every message has the shape of the one validator,
``gradlib._validate``: "<argument> must be <what is allowed>, got <the value received>" (or
"must have shape ..., got shape ...").
"""

import matplotlib.pyplot as plt
import numpy as np
import pytest

import gradlib as gl
from gradlib import averaging, cg, data, functions, linesearch, mlp, plotting, widgets
from tests.test_clipping import BAD_INPUTS as CLIPPING_ROWS
from tests.test_lbfgs import BAD_INPUTS as LBFGS_ROWS
from tests.test_newton import BAD_INPUTS as NEWTON_ROWS
from tests.test_race import BAD_INPUTS as RACE_ROWS
from tests.test_schedules import BAD_INPUTS as SCHEDULES_ROWS
from tests.test_variance import BAD_INPUTS as VARIANCE_ROWS

NAN, INF = float("nan"), float("inf")
QUAD = gl.functions.quadratic(kappa=4.0)
Q3 = gl.functions.quadratic(eigenvalues=[1.0, 2.0, 3.0])
TRAJ = gl.run(gl.GD(lr=0.1), QUAD, QUAD.start, steps=3)
TRAJ3 = gl.run(gl.GD(lr=0.1), Q3, Q3.start, steps=3)
X2, Y2 = np.zeros((4, 2)), np.array([0, 1, 0, 1])
NET = mlp.MLP([2, 3, 1], loss="bce")
THETA = NET.init_params(0)
PROB = NET.problem(X2, Y2)


def _least_squares(w, idx):
    """Mean loss and gradient of 1/2 (i w - 1)^2 over the examples i in idx."""
    r = np.arange(3.0)[idx] * w[0] - 1.0
    return 0.5 * float(np.mean(r**2)), np.array([np.mean(np.arange(3.0)[idx] * r)])


FS = gl.functions.finite_sum(_least_squares, 3, 1, name="least squares")


def first_step(opt, x, g):
    """One update from a fresh state."""
    return opt.step(x, g, opt.init(x))


def step_with(opt, x, g, state):
    return opt.step(x, g, state)


def square(x):
    return float(x @ x)


def square_grad(x):
    return 2 * x


def draw(ax, x):
    ax.plot([0.0, 1.0], [x, x])


def _plain_log_of(targets):  # plain_log takes its targets as positional arguments
    return plotting.plain_log(*targets)


BAD_INPUTS = [
    # ---- learning rates (every optimizer shares the check)
    (gl.GD, {"lr": -0.1}, ValueError, "lr must be > 0, got -0.1"),
    (gl.GD, {"lr": 0}, ValueError, "lr must be > 0, got 0.0"),
    (gl.GD, {"lr": "0.1"}, TypeError, "lr must be a real number, got '0.1'"),
    (gl.GD, {"lr": True}, TypeError, "lr must be a real number, got True"),
    (gl.GD, {"lr": NAN}, ValueError, "lr must be finite, got nan"),
    (gl.GD, {"lr": INF}, ValueError, "lr must be finite, got inf"),
    (gl.GD, {"lr": None}, TypeError, "lr must be a real number, got None"),
    (gl.Adam, {"lr": [0.1]}, TypeError, "lr must be a real number, got [0.1]"),
    (gl.Adadelta, {"lr": 0.0}, ValueError, "lr must be > 0, got 0.0"),
    (gl.ASGD, {"lr": -1e-2}, ValueError, "lr must be > 0, got -0.01"),
    (gl.Nesterov, {"lr": -1}, ValueError, "lr must be > 0, got -1.0"),
    # ---- decay rates in [0, 1)
    (gl.Momentum, {"gamma": 1.0}, ValueError, "gamma must be in [0, 1), got 1.0"),
    (gl.Momentum, {"gamma": -0.1}, ValueError, "gamma must be in [0, 1), got -0.1"),
    (
        gl.Momentum,
        {"gamma": "0.9"},
        TypeError,
        "gamma must be a real number, got '0.9'",
    ),
    (gl.Nesterov, {"gamma": 1.5}, ValueError, "gamma must be in [0, 1), got 1.5"),
    (gl.RMSprop, {"gamma": 1.0}, ValueError, "gamma must be in [0, 1), got 1.0"),
    (gl.RMSprop, {"gamma": NAN}, ValueError, "gamma must be finite, got nan"),
    (gl.Adadelta, {"rho": 1.0}, ValueError, "rho must be in [0, 1), got 1.0"),
    (gl.Adadelta, {"rho": -0.5}, ValueError, "rho must be in [0, 1), got -0.5"),
    (gl.Adam, {"beta1": 1.0}, ValueError, "beta1 must be in [0, 1), got 1.0"),
    (
        gl.Adam,
        {"beta2": 9.999},
        ValueError,
        "beta2 must be in [0, 1), got 9.999",
    ),  # the notes' typo
    (gl.Adam, {"beta2": -0.001}, ValueError, "beta2 must be in [0, 1), got -0.001"),
    (gl.Adam, {"beta1": False}, TypeError, "beta1 must be a real number, got False"),
    (gl.AdaMax, {"beta1": 1.0}, ValueError, "beta1 must be in [0, 1), got 1.0"),
    (gl.Nadam, {"beta2": 1.0}, ValueError, "beta2 must be in [0, 1), got 1.0"),
    (gl.AMSGrad, {"beta1": 2}, ValueError, "beta1 must be in [0, 1), got 2.0"),
    (gl.AdamW, {"beta2": INF}, ValueError, "beta2 must be finite, got inf"),
    # ---- eps and other non-negative constants
    (gl.AdaGrad, {"eps": 0}, ValueError, "eps must be > 0, got 0.0"),
    (gl.AdaGrad, {"eps": -1e-10}, ValueError, "eps must be > 0, got -1e-10"),
    (
        gl.AdaGrad,
        {"initial_accumulator_value": -1},
        ValueError,
        "initial_accumulator_value must be >= 0, got -1.0",
    ),
    (gl.RMSprop, {"eps": INF}, ValueError, "eps must be finite, got inf"),
    (gl.Adadelta, {"eps": 0.0}, ValueError, "eps must be > 0, got 0.0"),
    (gl.Adam, {"eps": "1e-8"}, TypeError, "eps must be a real number, got '1e-8'"),
    (gl.AdaMax, {"eps": 0}, ValueError, "eps must be > 0, got 0.0"),
    (
        gl.Nadam,
        {"momentum_decay": -0.004},
        ValueError,
        "momentum_decay must be >= 0, got -0.004",
    ),
    (
        gl.Nadam,
        {"momentum_decay": "0.004"},
        TypeError,
        "momentum_decay must be a real number, got '0.004'",
    ),
    (
        gl.AdamW,
        {"weight_decay": -0.01},
        ValueError,
        "weight_decay must be >= 0, got -0.01",
    ),
    (
        gl.AdamW,
        {"weight_decay": NAN},
        ValueError,
        "weight_decay must be finite, got nan",
    ),
    (gl.ASGD, {"lambd": -1}, ValueError, "lambd must be >= 0, got -1.0"),
    (gl.ASGD, {"alpha": -0.75}, ValueError, "alpha must be >= 0, got -0.75"),
    (gl.ASGD, {"t0": -1}, ValueError, "t0 must be >= 0, got -1.0"),
    (
        gl.ASGD,
        {"weight_decay": True},
        TypeError,
        "weight_decay must be a real number, got True",
    ),
    # ---- switches and forms
    (
        gl.Momentum,
        {"form": "nesterov"},
        ValueError,
        "form must be one of 'sum', 'lr_inside', 'ema', got 'nesterov'",
    ),
    (
        gl.Momentum,
        {"form": None},
        ValueError,
        "form must be one of 'sum', 'lr_inside', 'ema', got None",
    ),
    (
        gl.Nesterov,
        {"form": "sum"},
        ValueError,
        "form must be one of 'lookahead', 'pytorch', got 'sum'",
    ),
    (
        gl.AMSGrad,
        {"form": "optax"},
        ValueError,
        "form must be one of 'pytorch', 'reddi', got 'optax'",
    ),
    (
        gl.AdaGrad,
        {"eps_inside": "yes"},
        TypeError,
        "eps_inside must be True or False, got 'yes'",
    ),
    (
        gl.RMSprop,
        {"eps_inside": 1},
        TypeError,
        "eps_inside must be True or False, got 1",
    ),
    (
        gl.Adam,
        {"bias_correction": None},
        TypeError,
        "bias_correction must be True or False, got None",
    ),
    # ---- init and step
    (
        first_step,
        {"opt": gl.GD(), "x": np.zeros(2), "g": np.zeros(3)},
        ValueError,
        "g must have the shape of x (2,), got shape (3,)",
    ),
    (
        first_step,
        {"opt": gl.Adam(), "x": np.zeros((2, 2)), "g": np.zeros(4)},
        ValueError,
        "g must have the shape of x (2, 2), got shape (4,)",
    ),
    (
        step_with,
        {
            "opt": gl.Adam(),
            "x": np.zeros(3),
            "g": np.zeros(3),
            "state": gl.Adam().init(np.zeros(2)),
        },
        ValueError,
        "state.m must have the shape of x (3,), got shape (2,)",
    ),
    (
        step_with,
        {
            "opt": gl.Momentum(),
            "x": np.zeros(2),
            "g": np.zeros(2),
            "state": gl.Adam().init(np.zeros(2)),
        },
        TypeError,
        "state must be a MomentumState from Momentum.init, got AdamState(t=0",
    ),
    (
        first_step,
        {"opt": gl.Adam(), "x": np.zeros(2), "g": ["a", "b"]},
        TypeError,
        "g must be an array of real numbers, got ['a', 'b']",
    ),
    (
        gl.Adam().init,
        {"x": ["a", "b"]},
        TypeError,
        "x must be an array of real numbers, got ['a', 'b']",
    ),
    (
        gl.Adam().init,
        {"x": [NAN, 1.0]},
        ValueError,
        "x must be finite, got array([nan,  1.])",
    ),
    (gl.Momentum().init, {"x": []}, ValueError, "x must not be empty, got shape (0,)"),
    (
        first_step,
        {"opt": gl.GD(lr=lambda t: -1.0), "x": np.zeros(2), "g": np.ones(2)},
        ValueError,
        "lr(1) must be >= 0, got -1.0",
    ),
    (
        first_step,
        {"opt": gl.Adam(lr=lambda t: NAN), "x": np.zeros(2), "g": np.ones(2)},
        ValueError,
        "lr(1) must be finite, got nan",
    ),
    # ---- run
    (
        gl.run,
        {"opt": gl.GD(), "problem": QUAD, "x0": [[1.0, 2.0, 3.0]]},
        ValueError,
        "x0 must have shape (..., 2) for 'quadratic (kappa=4)', got shape (1, 3)",
    ),
    (
        gl.run,
        {"opt": gl.GD(), "problem": QUAD, "x0": [NAN, 1.0]},
        ValueError,
        "x0 must be finite, got array([nan,  1.])",
    ),
    (
        gl.run,
        {"opt": gl.GD(), "problem": QUAD.grad, "x0": []},
        ValueError,
        "x0 must not be empty, got shape (0,)",
    ),
    (
        gl.run,
        {"opt": gl.GD(), "problem": QUAD, "x0": [1.0, 2.0, 3.0]},
        ValueError,
        "x0 must have shape (..., 2) for 'quadratic (kappa=4)', got shape (3,)",
    ),
    (
        gl.run,
        {"opt": gl.GD(), "problem": QUAD, "x0": "ab"},
        TypeError,
        "x0 must be an array of real numbers, got 'ab'",
    ),
    (
        gl.run,
        {"opt": gl.GD(), "problem": lambda x: np.ones(3), "x0": [1.0, 2.0]},
        ValueError,
        "problem must return a gradient of the shape of x0 (2,), got shape (3,)",
    ),
    (
        gl.run,
        {"opt": gl.GD(), "problem": QUAD, "x0": [1.0, 2.0], "steps": -1},
        ValueError,
        "steps must be >= 0, got -1",
    ),
    (
        gl.run,
        {"opt": gl.GD(), "problem": QUAD, "x0": [1.0, 2.0], "steps": 10.0},
        TypeError,
        "steps must be an integer, got 10.0",
    ),
    (
        gl.run,
        {"opt": gl.GD(), "problem": QUAD, "x0": [1.0, 2.0], "steps": True},
        TypeError,
        "steps must be an integer, got True",
    ),
    (
        gl.run,
        {"opt": gl.GD(), "problem": QUAD, "x0": [1.0, 2.0], "rng": "seed"},
        TypeError,
        "rng must be None, an integer seed or a numpy Generator, got 'seed'",
    ),
    (
        gl.run,
        {"opt": gl.GD(), "problem": QUAD, "x0": [1.0, 2.0], "rng": 1.5},
        TypeError,
        "rng must be None, an integer seed or a numpy Generator, got 1.5",
    ),
    (
        gl.run,
        {"opt": gl.GD(), "problem": 42, "x0": [1.0, 2.0]},
        TypeError,
        "problem must be a Problem or a gradient function (or None with an oracle), got 42",
    ),
    (
        gl.run,
        {"opt": "Adam", "problem": QUAD, "x0": [1.0, 2.0]},
        TypeError,
        "opt must be an optimizer with init/step/lookahead, got 'Adam'",
    ),
    (
        gl.run,
        {"opt": gl.Adam, "problem": QUAD, "x0": [1.0, 2.0]},
        TypeError,
        "opt must be an optimizer instance such as Adam(), got the class Adam",
    ),
    (
        gl.run,
        {"opt": gl.GD(), "problem": QUAD, "x0": [1.0, 2.0], "noise": -0.1},
        ValueError,
        "noise must be >= 0, got -0.1",
    ),
    (
        gl.run,
        {"opt": gl.GD(), "problem": QUAD, "x0": [1.0, 2.0], "tol": 0},
        ValueError,
        "tol must be > 0, got 0.0",
    ),
    (
        gl.run,
        {"opt": gl.GD(), "problem": QUAD, "x0": [1.0, 2.0], "oracle": "no"},
        TypeError,
        "oracle must be callable, got 'no'",
    ),
    (
        gl.run,
        {"opt": gl.GD(), "problem": QUAD, "x0": [1.0, 2.0], "name": 3},
        TypeError,
        "name must be a string, got 3",
    ),
    # ---- run: epochs, mini-batches, oracles, recording
    (
        gl.run,
        {"opt": gl.GD(), "problem": QUAD, "x0": [1.0, 2.0], "epochs": 2},
        ValueError,
        "epochs needs batch_size (an epoch is a pass over the examples)",
    ),
    (
        gl.run,
        {
            "opt": gl.GD(),
            "problem": FS,
            "x0": [0.0],
            "steps": 5,
            "epochs": 2,
            "batch_size": 1,
        },
        ValueError,
        "give either steps or epochs, not both",
    ),
    (
        gl.run,
        {"opt": gl.GD(), "problem": FS, "x0": [0.0], "epochs": -1, "batch_size": 1},
        ValueError,
        "epochs must be >= 0, got -1",
    ),
    (
        gl.run,
        {"opt": gl.GD(), "problem": FS, "x0": [0.0], "epochs": 1.5, "batch_size": 1},
        TypeError,
        "epochs must be an integer, got 1.5",
    ),
    (
        gl.run,
        {"opt": gl.GD(), "problem": QUAD, "x0": [1.0, 2.0], "batch_size": 2},
        TypeError,
        "problem must be a FiniteSumProblem when batch_size is given, got 'quadratic (kappa=4)'",
    ),
    (
        gl.run,
        {"opt": gl.GD(), "problem": FS, "x0": [0.0], "batch_size": 0},
        ValueError,
        "batch_size must be >= 1, got 0",
    ),
    (
        gl.run,
        {"opt": gl.GD(), "problem": FS, "x0": [0.0], "batch_size": 4},
        ValueError,
        "batch_size must be <= 3, got 4",
    ),
    (
        gl.run,
        {"opt": gl.GD(), "problem": FS, "x0": [0.0], "batch_size": 2.0},
        TypeError,
        "batch_size must be an integer, got 2.0",
    ),
    (
        gl.run,
        {
            "opt": gl.GD(),
            "problem": FS,
            "x0": [0.0],
            "batch_size": 1,
            "order": "random",
        },
        ValueError,
        "order must be one of 'reshuffle', 'once', 'cyclic', 'replacement', got 'random'",
    ),
    (
        gl.run,
        {"opt": gl.GD(), "problem": QUAD, "x0": [1.0, 2.0], "order": None},
        ValueError,
        "order must be one of 'reshuffle', 'once', 'cyclic', 'replacement', got None",
    ),
    (
        gl.run,
        {
            "opt": gl.GD(),
            "problem": QUAD,
            "x0": [1.0, 2.0],
            "oracle": lambda x, t, rng: np.ones(3),
        },
        ValueError,
        "oracle must return a gradient of the shape of x0 (2,), got shape (3,)",
    ),
    (
        gl.run,
        {
            "opt": gl.GD(),
            "problem": FS,
            "x0": [0.0],
            "oracle": lambda x, t, rng: x,
            "batch_size": 1,
        },
        ValueError,
        "give either oracle or batch_size, not both",
    ),
    (
        gl.run,
        {"opt": gl.GD(), "problem": QUAD, "x0": [1.0, 2.0], "every": 0},
        ValueError,
        "every must be >= 1, got 0",
    ),
    (
        gl.run,
        {"opt": gl.GD(), "problem": QUAD, "x0": [1.0, 2.0], "every": 2.5},
        TypeError,
        "every must be an integer, got 2.5",
    ),
    (
        gl.run,
        {"opt": gl.GD(), "problem": QUAD, "x0": [1.0, 2.0], "every": "epoch"},
        ValueError,
        "every='epoch' needs batch_size",
    ),
    (
        gl.run,
        {"opt": gl.GD(), "problem": QUAD, "x0": [1.0, 2.0], "record": "m"},
        ValueError,
        "record must be names of fields of the optimizer state ('t',), got 'm'",
    ),
    (
        gl.run,
        {"opt": gl.Adam(), "problem": QUAD, "x0": [1.0, 2.0], "record": ("m", "v")},
        ValueError,
        "record must be names of fields of the optimizer state ('t', 'm', 's'), got 'v'",
    ),
    (
        gl.run,
        {"opt": gl.GD(), "problem": QUAD, "x0": [1.0, 2.0], "loss": "yes"},
        TypeError,
        "loss must be True or False, got 'yes'",
    ),
    (
        gl.run,
        {"opt": gl.GD(), "problem": QUAD, "x0": [1.0, 2.0], "keep_going": 1},
        TypeError,
        "keep_going must be True or False, got 1",
    ),
    (
        gl.run,
        {"opt": gl.GD(), "problem": QUAD, "x0": [1.0, 2.0], "name": ""},
        ValueError,
        "name must be a non-empty string, got ''",
    ),
    # ---- test problems
    (
        gl.functions.quadratic,
        {"A": [[1.0, 2.0], [0.0, 1.0]]},
        ValueError,
        "A must be symmetric",
    ),
    (
        gl.functions.quadratic,
        {"A": [[1.0, 0.0], [0.0, -1.0]]},
        ValueError,
        "A must be positive definite, got smallest eigenvalue -1.0",
    ),
    (
        gl.functions.quadratic,
        {"A": np.eye(2), "b": [1.0, 2.0, 3.0]},
        ValueError,
        "b must have shape (2,), got shape (3,)",
    ),
    (gl.functions.quadratic, {"kappa": 0.5}, ValueError, "kappa must be >= 1, got 0.5"),
    (
        gl.functions.quadratic,
        {"kappa": "10"},
        TypeError,
        "kappa must be a real number, got '10'",
    ),
    (
        gl.functions.quadratic,
        {"eigenvalues": [1.0, -2.0]},
        ValueError,
        "eigenvalues must be all > 0, got array([ 1., -2.])",
    ),
    (
        gl.functions.quadratic,
        {"A": np.eye(2), "kappa": 3.0},
        ValueError,
        "give exactly one of A, kappa or eigenvalues, got 2",
    ),
    (
        gl.functions.quadratic,
        {"A": np.ones((2, 3))},
        ValueError,
        "A must be a square matrix, got shape (2, 3)",
    ),
    (gl.functions.rosenbrock, {"b": -1}, ValueError, "b must be > 0, got -1.0"),
    (
        gl.functions.rosenbrock,
        {"a": "1"},
        TypeError,
        "a must be a real number, got '1'",
    ),
    (
        gl.functions.quadratic,
        {"eigenvalues": [1.0, 2.0, 3.0], "angle": 0.1},
        ValueError,
        "angle must be 0 for a quadratic of 3 variables (rotations are 2-D), got 0.1",
    ),
    (
        gl.functions.quadratic,
        {"A": np.eye(2), "angle": 0.1},
        ValueError,
        "angle must be 0 when A is given (it rotates kappa or eigenvalues), got 0.1",
    ),
    (functions.plateau, {"width": 0.0}, ValueError, "width must be > 0, got 0.0"),
    (functions.plateau, {"dim": 0}, ValueError, "dim must be >= 1, got 0"),
    (functions.styblinski_tang, {"dim": 13}, ValueError, "dim must be <= 12, got 13"),
    (
        functions.random_spd,
        {"n": 0, "eigenvalues": [1.0]},
        ValueError,
        "n must be >= 1, got 0",
    ),
    (
        functions.random_spd,
        {"n": 3, "eigenvalues": [1.0, 2.0]},
        ValueError,
        "eigenvalues must have shape (3,), got shape (2,)",
    ),
    (
        functions.random_spd,
        {"n": 1, "eigenvalues": [1.0], "rng": "seed"},
        TypeError,
        "rng must be None, an integer seed or a numpy Generator, got 'seed'",
    ),
    # ---- the test functions' points (one local check, for speed and complex steps)
    (
        functions.square().f,
        {"x": np.zeros(2)},
        ValueError,
        "x must have shape (..., 1), got shape (2,)",
    ),
    (
        functions.beale().grad,
        {"x": ["a", "b"]},
        TypeError,
        "x must be an array of numbers, got ['a', 'b']",
    ),
    (
        functions.himmelblau().hess,
        {"x": 1.0},
        ValueError,
        "x must have shape (..., 2), got shape ()",
    ),
    (
        functions.booth().f,
        {"x": np.zeros((3, 3))},
        ValueError,
        "x must have shape (..., 2), got shape (3, 3)",
    ),
    (
        functions.saddle().grad,
        {"x": np.array([True, False])},
        TypeError,
        "x must be an array of numbers, got array([ True, False])",
    ),
    (
        functions.monkey_saddle().hess,
        {"x": np.zeros(3)},
        ValueError,
        "x must have shape (..., 2), got shape (3,)",
    ),
    (QUAD.f, {"x": "ab"}, TypeError, "x must be an array of numbers, got 'ab'"),
    # ---- finite sums
    (
        functions.logistic_loss,
        {"X": np.ones((3, 2)), "y": [0, 1, 2]},
        ValueError,
        "y must be labels in {0, 1} or in {-1, 1}",
    ),
    (
        functions.logistic_loss,
        {"X": np.ones(3), "y": [0, 1, 1]},
        ValueError,
        "X must have 2 dimension(s)",
    ),
    (
        functions.logistic_loss,
        {"X": np.ones((3, 2)), "y": [0, 1, 1], "mu": -1.0},
        ValueError,
        "mu must be >= 0",
    ),
    (
        functions.finite_sum,
        {"batch_fn": 3, "n_examples": 3, "dim": 1},
        TypeError,
        "batch_fn must be callable, got 3",
    ),
    (
        functions.finite_sum,
        {"batch_fn": _least_squares, "n_examples": 0, "dim": 1},
        ValueError,
        "n_examples must be >= 1, got 0",
    ),
    (
        functions.finite_sum,
        {"batch_fn": _least_squares, "n_examples": 3, "dim": "1"},
        TypeError,
        "dim must be an integer, got '1'",
    ),
    (
        functions.finite_sum,
        {"batch_fn": _least_squares, "n_examples": 3, "dim": 1, "start": [0.0, 1.0]},
        ValueError,
        "start must have shape (1,), got shape (2,)",
    ),
    (
        functions.finite_sum,
        {
            "batch_fn": _least_squares,
            "n_examples": 3,
            "dim": 1,
            "minimizers": [1.0, 2.0],
        },
        ValueError,
        "minimizers must have shape (n, 1), got shape (2,)",
    ),
    (
        functions.finite_sum,
        {"batch_fn": _least_squares, "n_examples": 3, "dim": 1, "name": ""},
        ValueError,
        "name must be a non-empty string, got ''",
    ),
    (
        FS.batch_grad,
        {"x": np.zeros(1), "idx": [0.5]},
        ValueError,
        "idx must be a non-empty one-dimensional array of integers in 0..2, got [0.5]",
    ),
    (
        FS.batch_loss,
        {"x": np.zeros(1), "idx": [0, 3]},
        ValueError,
        "idx must be a non-empty one-dimensional array of integers in 0..2, got [0, 3]",
    ),
    (
        FS.batch_grad,
        {"x": np.zeros(1), "idx": np.array([], dtype=int)},
        ValueError,
        "idx must be a non-empty",
    ),
    # ---- data sets
    (data.two_moons, {"n": 1}, ValueError, "n must be >= 2, got 1"),
    (data.two_moons, {"noise": -0.1}, ValueError, "noise must be >= 0, got -0.1"),
    (data.spirals, {"n_classes": 4}, ValueError, "n_classes must be <= 3, got 4"),
    (data.spirals, {"n": 2, "n_classes": 3}, ValueError, "n must be >= 3, got 2"),
    (data.blobs, {"centers": True}, TypeError, "centers must be an integer, got True"),
    (
        data.blobs,
        {"centers": [1.0, 2.0]},
        ValueError,
        "centers must have 2 dimension(s), got shape (2,)",
    ),
    (data.blobs, {"std": 0.0}, ValueError, "std must be > 0, got 0.0"),
    (data.linear_regression, {"d": 0}, ValueError, "d must be >= 1, got 0"),
    (
        data.linear_regression,
        {"rng": 1.5},
        TypeError,
        "rng must be None, an integer seed or a numpy Generator, got 1.5",
    ),
    (
        data.logistic_regression,
        {"kappa": 0.5},
        ValueError,
        "kappa must be >= 1, got 0.5",
    ),
    (
        data.sparse_features,
        {"density": 1.5},
        ValueError,
        "density must be in (0, 1], got 1.5",
    ),
    (
        data.sparse_features,
        {"task": "ranking"},
        ValueError,
        "task must be one of 'regression', 'classification', got 'ranking'",
    ),
    (
        data.train_test_split,
        {"X": np.zeros((4, 2)), "y": np.zeros(3)},
        ValueError,
        "X and y must be arrays with the same number of rows (one per example), got shapes (4, 2) and (3,)",
    ),
    (
        data.train_test_split,
        {"X": np.zeros(4), "y": np.zeros(4), "test_fraction": 1.0},
        ValueError,
        "test_fraction must be in (0, 1), got 1.0",
    ),
    (
        data.train_test_split,
        {"X": np.zeros(4), "y": np.zeros(4), "test_fraction": 0.01},
        ValueError,
        "test_fraction must leave at least one of the 4 rows in each part, got 0.01",
    ),
    (
        data.minibatches,
        {"n": 5, "batch_size": 6},
        ValueError,
        "batch_size must be <= 5, got 6",
    ),
    (
        data.minibatches,
        {"n": 5, "batch_size": 2, "order": "shuffle"},
        ValueError,
        "order must be one of 'reshuffle', 'once', 'cyclic', 'replacement', got 'shuffle'",
    ),
    (
        data.minibatches,
        {"n": 5, "batch_size": 2, "drop_last": 1},
        TypeError,
        "drop_last must be True or False, got 1",
    ),
    (
        data.batches_per_epoch,
        {"n": 0, "batch_size": 1},
        ValueError,
        "n must be >= 1, got 0",
    ),
    (
        data.batches_per_epoch,
        {"n": 5, "batch_size": 0},
        ValueError,
        "batch_size must be >= 1, got 0",
    ),
    # ---- averages
    (
        averaging.ewma,
        {"xs": [1.0], "beta": 1.0},
        ValueError,
        "beta must be in [0, 1), got 1.0",
    ),
    (
        averaging.ewma,
        {"xs": [1.0], "beta": 0.9, "bias_correction": 1},
        TypeError,
        "bias_correction must be True or False, got 1",
    ),
    (
        averaging.ewma,
        {"xs": np.zeros((2, 2, 2)), "beta": 0.9},
        ValueError,
        "xs must have 1 or 2 dimension(s), got shape (2, 2, 2)",
    ),
    (
        averaging.ewma_weights,
        {"beta": 0.5, "t": 0},
        ValueError,
        "t must be >= 1, got 0",
    ),
    (
        averaging.polyak_average,
        {"xs": [1.0, 2.0], "start": 2},
        ValueError,
        "start must be <= 1, got 2",
    ),
    (
        averaging.tail_average,
        {"xs": [1.0, NAN]},
        ValueError,
        "xs must be finite, got array([ 1., nan])",
    ),
    (
        averaging.tail_average,
        {"xs": [1.0], "fraction": 0.0},
        ValueError,
        "fraction must be in (0, 1], got 0.0",
    ),
    # ---- conjugate gradients
    (
        cg.linear_cg,
        {"A": [[1.0, 2.0], [0.0, 1.0]], "b": [1.0, 1.0]},
        ValueError,
        "A must be symmetric",
    ),
    (
        cg.linear_cg,
        {"A": "A", "b": [1.0, 1.0]},
        TypeError,
        "A must be a square matrix or a callable, got 'A'",
    ),
    (
        cg.linear_cg,
        {"A": np.eye(2), "b": [1.0, 1.0, 1.0]},
        ValueError,
        "b must have shape (2,), got shape (3,)",
    ),
    (
        cg.linear_cg,
        {"A": np.eye(2), "b": [1.0, 1.0], "x0": [0.0]},
        ValueError,
        "x0 must have shape (2,), got shape (1,)",
    ),
    (
        cg.linear_cg,
        {"A": np.eye(2), "b": [1.0, 1.0], "tol": 0.0},
        ValueError,
        "tol must be > 0, got 0.0",
    ),
    (
        cg.linear_cg,
        {"A": np.eye(2), "b": [1.0, 1.0], "max_iter": -1},
        ValueError,
        "max_iter must be >= 0, got -1",
    ),
    (
        cg.linear_cg,
        {"A": np.diag([1.0, -1.0]), "b": [1.0, 1.0]},
        ValueError,
        "A must be positive definite, got p @ A @ p = ",
    ),
    (
        cg.nonlinear_cg,
        {"f": square, "grad": square_grad, "x0": [1.0], "beta": "CD"},
        ValueError,
        "beta must be one of 'FR', 'PR', 'PR+', 'HS', 'DY', got 'CD'",
    ),
    (
        cg.nonlinear_cg,
        {"f": square, "grad": square_grad, "x0": [1.0], "line_search": "exact"},
        ValueError,
        "line_search must be one of 'strong_wolfe', 'armijo', got 'exact'",
    ),
    (
        cg.nonlinear_cg,
        {"f": square, "grad": square_grad, "x0": [1.0], "initial_step": "scipy"},
        ValueError,
        "initial_step must be one of 'previous', 'newton_cap', got 'scipy'",
    ),
    (
        cg.nonlinear_cg,
        {"f": square, "grad": square_grad, "x0": [1.0], "c1": 0.5, "c2": 0.1},
        ValueError,
        "c2 must be in (0.5, 1), got 0.1",
    ),
    (
        cg.nonlinear_cg,
        {"f": None, "grad": square_grad, "x0": [1.0]},
        TypeError,
        "f must be callable, got None",
    ),
    (
        cg.nonlinear_cg,
        {"f": square, "grad": square_grad, "x0": [1.0], "sample_batch": 10},
        TypeError,
        "sample_batch must be callable, got 10",
    ),
    (
        cg.nonlinear_cg,
        {"f": square, "grad": square_grad, "x0": [NAN]},
        ValueError,
        "x0 must be finite, got array([nan])",
    ),
    (
        cg.nonlinear_cg,
        {"f": square, "grad": square_grad, "x0": [1.0], "restart": -1},
        ValueError,
        "restart must be >= 0, got -1",
    ),
    (
        cg.nonlinear_cg,
        {"f": lambda x: INF, "grad": square_grad, "x0": [1.0]},
        ValueError,
        "f and grad must be finite at x0, got f(x0) = inf",
    ),
    # ---- line searches
    (
        linesearch.strong_wolfe,
        {
            "f": square,
            "grad": square_grad,
            "x": [1.0],
            "d": [-1.0],
            "c1": 0.1,
            "c2": 0.1,
        },
        ValueError,
        "c2 must be in (0.1, 1), got 0.1",
    ),
    (
        linesearch.strong_wolfe,
        {
            "f": square,
            "grad": square_grad,
            "x": [1.0],
            "d": [-1.0],
            "alpha0": 2.0,
            "alpha_max": 1.0,
        },
        ValueError,
        "alpha0 must be in (0, 1], got 2.0",
    ),
    (
        linesearch.strong_wolfe,
        {"f": square, "grad": square_grad, "x": [1.0], "d": [1.0]},
        ValueError,
        "d must be a descent direction (grad(x) @ d < 0), got grad(x) @ d = 2.0",
    ),
    (
        linesearch.strong_wolfe,
        {"f": square, "grad": square_grad, "x": [1.0], "d": [-1.0, 0.0]},
        ValueError,
        "d must have shape (1,), got shape (2,)",
    ),
    (
        linesearch.strong_wolfe,
        {"f": square, "grad": square_grad, "x": [1.0], "d": [-1.0], "max_iter": 0},
        ValueError,
        "max_iter must be >= 1, got 0",
    ),
    (
        linesearch.armijo,
        {"f": square, "grad": square_grad, "x": [1.0], "d": [-1.0], "shrink": 1.0},
        ValueError,
        "shrink must be in (0, 1), got 1.0",
    ),
    (
        linesearch.armijo,
        {"f": square, "grad": square_grad, "x": [1.0], "d": [-1.0], "f0": INF},
        ValueError,
        "f0 must be finite, got inf",
    ),
    (
        linesearch.armijo,
        {"f": square, "grad": square_grad, "x": [1.0], "d": [-1.0], "g0": [1.0, 2.0]},
        ValueError,
        "g0 must have shape (1,), got shape (2,)",
    ),
    (
        linesearch.armijo,
        {"f": square, "grad": None, "x": [1.0], "d": [-1.0]},
        TypeError,
        "grad must be callable, got None",
    ),
    (
        linesearch.armijo,
        {"f": lambda x: NAN, "grad": square_grad, "x": [1.0], "d": [-1.0]},
        ValueError,
        "f(x) must be finite at the starting point, got nan",
    ),
    # ---- the multilayer perceptron
    (
        mlp.MLP,
        {"sizes": [2]},
        ValueError,
        "sizes must be at least an input and an output width, got [2]",
    ),
    (
        mlp.MLP,
        {"sizes": "21"},
        TypeError,
        "sizes must be a sequence of layer widths, got '21'",
    ),
    (mlp.MLP, {"sizes": [2, 0, 1]}, ValueError, "sizes[1] must be >= 1, got 0"),
    (
        mlp.MLP,
        {"sizes": [2, 1], "activation": "swish"},
        ValueError,
        "activation must be one of 'sigmoid', 'tanh', 'relu', 'leaky_relu', 'identity', got 'swish'",
    ),
    (
        mlp.MLP,
        {"sizes": [2, 1], "loss": "hinge"},
        ValueError,
        "loss must be one of 'mse', 'bce', 'softmax_ce', got 'hinge'",
    ),
    (
        mlp.MLP,
        {"sizes": [2, 1], "init": "orthogonal"},
        ValueError,
        "init must be one of 'normal', 'xavier', 'he', got 'orthogonal'",
    ),
    (
        mlp.MLP,
        {"sizes": [2, 1], "init_scale": -1.0},
        ValueError,
        "init_scale must be > 0, got -1.0",
    ),
    (
        mlp.MLP,
        {"sizes": [2, 1], "loss": "softmax_ce"},
        ValueError,
        "sizes[-1] must be >= 2 classes for loss 'softmax_ce', got 1",
    ),
    (
        mlp.MLP,
        {"sizes": [2, 1], "loss": "bce", "output": "identity"},
        ValueError,
        "output must be one of 'sigmoid', got 'identity'",
    ),
    (
        NET.params,
        {"theta": THETA[:-1]},
        ValueError,
        "theta must have shape (13,), got shape (12,)",
    ),
    (
        NET.flatten,
        {"params": [1, 2]},
        TypeError,
        "params must be a dict of arrays, got [1, 2]",
    ),
    (
        NET.flatten,
        {"params": {"W1": np.zeros((3, 2))}},
        ValueError,
        "params must be a dict with the keys ['W1', 'b1', 'W2', 'b2'], got ['W1']",
    ),
    (
        NET.init_params,
        {"rng": "seed"},
        TypeError,
        "rng must be None, an integer seed or a numpy Generator",
    ),
    (
        NET.forward,
        {"theta": THETA, "X": np.zeros((4, 3))},
        ValueError,
        "X must have shape (n, 2), got shape (4, 3)",
    ),
    (
        NET.output_activation,
        {"theta": THETA, "X": "abc"},
        TypeError,
        "X must be an array of real numbers, got 'abc'",
    ),
    (
        NET.loss,
        {"theta": np.full(13, NAN), "X": X2, "y": Y2},
        ValueError,
        "theta must be finite, got array of shape (13,) with non-finite entry",
    ),
    (
        NET.output_deltas,
        {"theta": THETA, "X": X2, "y": Y2[:3]},
        ValueError,
        "y must have one entry per row of X (4), got shape (3,)",
    ),
    (
        NET.loss_and_grad,
        {"theta": THETA, "X": X2, "y": np.array([0, 1, 2, 1])},
        ValueError,
        "y must be targets in [0, 1] for loss 'bce', got 2.0",
    ),
    (
        NET.grad,
        {"theta": THETA, "X": np.zeros((0, 2)), "y": Y2[:0]},
        ValueError,
        "X must not be empty, got shape (0, 2)",
    ),
    (
        NET.predict,
        {"theta": ["a"] * 13, "X": X2},
        TypeError,
        "theta must be an array of real numbers",
    ),
    (
        mlp.MLP([2, 1], loss="mse").accuracy,
        {"theta": np.zeros(3), "X": X2, "y": Y2},
        ValueError,
        "the network's loss must be a classification loss ('bce' or 'softmax_ce') for accuracy, got 'mse'",
    ),
    (
        NET.layer_grad_norms,
        {"theta": THETA, "X": X2, "y": np.array([0, 1, INF, 1])},
        ValueError,
        "y must be finite, got array([ 0.,  1., inf,  1.])",
    ),
    (
        NET.activation_stats,
        {"theta": THETA, "X": [[NAN, 0.0]]},
        ValueError,
        "X must be finite, got array([[nan,  0.]])",
    ),
    (
        mlp.MLP([2, 3], loss="softmax_ce").loss,
        {"theta": np.zeros(9), "X": X2, "y": np.array([0, 1, 3, 1])},
        ValueError,
        "y must be class labels in 0..2, got 3.0",
    ),
    (
        NET.problem,
        {"X": X2, "y": Y2, "name": 3},
        TypeError,
        "name must be a string, got 3",
    ),
    (
        NET.train,
        {"theta": THETA, "X": X2, "y": Y2, "opt": gl.GD(), "epochs": 0},
        ValueError,
        "epochs must be >= 1, got 0",
    ),
    (
        NET.train,
        {"theta": THETA, "X": X2, "y": Y2, "opt": gl.GD(), "batch_size": 5},
        ValueError,
        "batch_size must be <= 4, got 5",
    ),
    (
        NET.train,
        {
            "theta": THETA,
            "X": X2,
            "y": Y2,
            "opt": gl.GD(),
            "batch_size": 2,
            "order": "random",
        },
        ValueError,
        "order must be one of 'reshuffle', 'once', 'cyclic', 'replacement', got 'random'",
    ),
    (
        PROB.stochastic_grad,
        {"theta": THETA, "batch_size": 0},
        ValueError,
        "batch_size must be >= 1, got 0",
    ),
    (
        PROB.stochastic_grad,
        {"theta": THETA, "rng": "seed"},
        TypeError,
        "rng must be None, an integer seed",
    ),
    (
        PROB.batch_grad,
        {"x": THETA, "idx": [4]},
        ValueError,
        "idx must be a non-empty one-dimensional array of integers in 0..3, got [4]",
    ),
    (
        mlp.example_losses,
        {"loss": "hinge", "z": np.zeros((1, 1)), "y": np.zeros((1, 1))},
        ValueError,
        "loss must be one of 'mse', 'bce', 'softmax_ce', got 'hinge'",
    ),
    (
        mlp.output_delta,
        {
            "loss": "mse",
            "z": np.zeros((1, 1)),
            "y": np.zeros((1, 1)),
            "output": "swish",
        },
        ValueError,
        "output must be one of 'sigmoid', 'tanh', 'relu', 'leaky_relu', 'identity', got 'swish'",
    ),
    # ---- figures
    (
        plotting.contour_levels,
        {"Z": np.zeros(3), "levels": 1},
        ValueError,
        "levels must be >= 2, got 1",
    ),
    (
        plotting.contour_levels,
        {"Z": [NAN, INF]},
        ValueError,
        "Z must be an array with at least one finite value, got [nan, inf]",
    ),
    (
        plotting.contour_levels,
        {"Z": np.zeros(3), "log": 1},
        TypeError,
        "log must be True or False, got 1",
    ),
    (
        plotting.log_ylim,
        {"ax": None, "values": ["a"]},
        TypeError,
        "values must be an array of real numbers",
    ),
    (
        plotting.log_ylim,
        {"ax": None, "values": [1.0], "margin": -0.1},
        ValueError,
        "margin must be >= 0, got -0.1",
    ),
    (
        _plain_log_of,
        {"targets": ["ax"]},
        TypeError,
        "targets must be Figures, Axes or Axis objects, got 'ax'",
    ),
    (
        plotting.plain_log,
        {"minor": "some"},
        ValueError,
        "minor must be 'auto', True or False, got 'some'",
    ),
    (
        plotting.contour,
        {"problem": "rosenbrock"},
        TypeError,
        "problem must be a gradlib Problem, got 'rosenbrock'",
    ),
    (
        plotting.contour,
        {"problem": Q3},
        ValueError,
        "problem must have 2 variables to be drawn as a contour, got dim=3",
    ),
    (
        plotting.contour,
        {"problem": QUAD, "bounds": ((1, 0), (0, 1))},
        ValueError,
        "bounds must be ((x_lo, x_hi), (y_lo, y_hi)) with low < high, got ((1, 0), (0, 1))",
    ),
    (
        plotting.contour,
        {"problem": QUAD, "bounds": (1, 2, 3)},
        ValueError,
        "bounds must have shape (2, 2), got shape (3,)",
    ),
    (plotting.contour, {"problem": QUAD, "n": 1}, ValueError, "n must be >= 2, got 1"),
    (
        plotting.contour,
        {"problem": QUAD, "filled": "yes"},
        TypeError,
        "filled must be True or False, got 'yes'",
    ),
    (
        plotting.trajectories,
        {"trajs": [1, 2]},
        TypeError,
        "trajs must be a Trajectory or a list of Trajectory objects, got [1, 2]",
    ),
    (
        plotting.trajectories,
        {"trajs": TRAJ, "labels": ["a", "b"]},
        ValueError,
        "labels must have one entry per trajectory (1), got 2",
    ),
    (
        plotting.trajectories,
        {"trajs": TRAJ3},
        ValueError,
        "trajs must be two-dimensional paths (xs of shape (k + 1, 2)), got xs of shape (4, 3)",
    ),
    (
        plotting.trajectories,
        {"trajs": TRAJ, "markers": "yes"},
        TypeError,
        "markers must be True or False",
    ),
    (
        plotting.loss_curves,
        {"trajs": TRAJ, "x": "epochs"},
        ValueError,
        "x must be one of 'steps', 'grad_evals', got 'epochs'",
    ),
    (
        plotting.loss_curves,
        {"trajs": TRAJ, "y": "loss"},
        ValueError,
        "y must be one of 'f', 'gap', 'distance', 'grad_norm', got 'loss'",
    ),
    (
        plotting.loss_curves,
        {"trajs": TRAJ, "y": "gap"},
        ValueError,
        "problem must have a known minimizer for y='gap', got None",
    ),
    (
        plotting.loss_curves,
        {"trajs": TRAJ, "evals_per_step": 0},
        ValueError,
        "evals_per_step must be > 0, got 0.0",
    ),
    (
        plotting.loss_curves,
        {"trajs": TRAJ, "problem": object()},
        TypeError,
        "problem must be a gradlib Problem",
    ),
    (
        plotting.loss_curves,
        {"trajs": TRAJ, "legend": 1},
        TypeError,
        "legend must be True or False, got 1",
    ),
    (
        plotting.layer_norms,
        {"values": [1.0], "kind": "pie"},
        ValueError,
        "kind must be one of 'line', 'bar', got 'pie'",
    ),
    (
        plotting.layer_norms,
        {"values": {}},
        ValueError,
        "values must be a non-empty dict or an array, got {}",
    ),
    (
        plotting.layer_norms,
        {"values": {"x": [1.0, NAN]}},
        ValueError,
        "values['x'] must be finite",
    ),
    (
        plotting.layer_norms,
        {"values": [1.0, 2.0], "labels": ["W1"]},
        ValueError,
        "labels must have one entry per layer (2), got 1",
    ),
    (
        plotting.race,
        {"trajs": [TRAJ], "problem": QUAD, "frames": 0},
        ValueError,
        "frames must be >= 1, got 0",
    ),
    (
        plotting.race,
        {"trajs": [TRAJ], "problem": QUAD, "trail": 0},
        ValueError,
        "trail must be >= 1, got 0",
    ),
    (
        plotting.race,
        {"trajs": [TRAJ], "problem": QUAD, "dpi": 72.5},
        TypeError,
        "dpi must be an integer, got 72.5",
    ),
    (
        plotting.race,
        {"trajs": "GD", "problem": QUAD},
        TypeError,
        "trajs must be a Trajectory or a list of Trajectory objects, got 'GD'",
    ),
    (
        plotting.small_multiples,
        {"panels": {"a": TRAJ}, "kind": "bars"},
        ValueError,
        "kind must be one of 'trajectories', 'loss', got 'bars'",
    ),
    (
        plotting.small_multiples,
        {"panels": []},
        TypeError,
        "panels must be a non-empty dict mapping a title to trajectories, got []",
    ),
    (
        plotting.small_multiples,
        {"panels": {"a": TRAJ}, "ncols": 0},
        ValueError,
        "ncols must be >= 1, got 0",
    ),
    (
        plotting.small_multiples,
        {"panels": {"a": TRAJ}, "panel_size": (1.0, 2.0, 3.0)},
        ValueError,
        "panel_size must have shape (2,), got shape (3,)",
    ),
    # ---- explorers
    (
        widgets.log_slider,
        {"value": 0.0, "low": 1e-3, "high": 1.0},
        ValueError,
        "value must be > 0, got 0.0",
    ),
    (
        widgets.log_slider,
        {"value": 0.1, "low": 1.0, "high": 0.5},
        ValueError,
        "high must be > 1, got 0.5",
    ),
    (
        widgets.interactive_plot,
        {"draw": None, "x": (0.0, 1.0)},
        TypeError,
        "draw must be callable, got None",
    ),
    (
        widgets.interactive_plot,
        {"draw": draw, "x": "fast"},
        TypeError,
        "x must be a widget, a (min, max[, step[, value]]) tuple, a list of strings or a bool, got 'fast'",
    ),
    (
        widgets.interactive_plot,
        {"draw": draw, "x": (1.0, 0.0)},
        ValueError,
        "x must be a slider (min, max[, step[, value]]) with min < max, got (1.0, 0.0)",
    ),
    (
        widgets.interactive_plot,
        {"draw": draw, "ncols": 0, "x": (0.0, 1.0)},
        ValueError,
        "ncols must be >= 1, got 0",
    ),
    (
        widgets.hyperparameters,
        {"cls": gl.GD(lr=0.1)},
        TypeError,
        "cls must be an optimizer class (a dataclass), got GD(lr=0.1)",
    ),
    (
        widgets.explorer,
        {"optimizers": ["GD", "Adamant"]},
        ValueError,
        "optimizers[1] must be one of 'GD', ",
    ),
    (
        widgets.explorer,
        {"optimizers": {"f": len}},
        TypeError,
        "optimizers['f'] must be an optimizer class (a dataclass), got <built-in function len>",
    ),
    (
        widgets.explorer,
        {"optimizers": []},
        ValueError,
        "optimizers must be at least one optimizer, got []",
    ),
    (
        widgets.explorer,
        {"problem": {}},
        ValueError,
        "problem must be at least one two-variable Problem, got {}",
    ),
    (
        widgets.explorer,
        {"problem": Q3},
        ValueError,
        "problem must have 2 variables to be drawn as a contour",
    ),
    (
        widgets.explorer,
        {"optimizers": ["GD"], "optimizer": "Adam"},
        ValueError,
        "optimizer must be one of 'GD', got 'Adam'",
    ),
    (
        widgets.explorer,
        {"steps": 50, "max_steps": 10},
        ValueError,
        "max_steps must be >= 50, got 10",
    ),
    (widgets.explorer, {"steps": 0}, ValueError, "steps must be >= 1, got 0"),
    # ---- gradient checking
    (
        gl.gradcheck.numerical_gradient,
        {"f": np.sum, "x": [1.0], "method": "backward"},
        ValueError,
        "method must be one of 'forward', 'central', 'complex', got 'backward'",
    ),
    (
        gl.gradcheck.numerical_gradient,
        {"f": np.sum, "x": [1j]},
        TypeError,
        "x must be an array of real numbers, got [1j]",
    ),
    (
        gl.gradcheck.numerical_gradient,
        {"f": np.sum, "x": [1.0, NAN]},
        ValueError,
        "x must be finite, got array([ 1., nan])",
    ),
    (
        gl.gradcheck.numerical_gradient,
        {"f": "sum", "x": [1.0]},
        TypeError,
        "f must be callable, got 'sum'",
    ),
    (
        gl.gradcheck.numerical_gradient,
        {"f": np.sum, "x": [1e10], "h": 1e-10, "method": "forward"},
        ValueError,
        "h must be large enough to change x[0] = 10000000000.0 in float64, got 1e-10",
    ),
    (
        gl.gradcheck.numerical_gradient,
        {"f": lambda x: "a", "x": [1.0]},
        TypeError,
        "f must return real numbers, got 'a'",
    ),
    (
        gl.gradcheck.numerical_jacobian,
        {"fun": np.sin, "x": np.ones((2, 2))},
        ValueError,
        "x must have 1 dimension(s), got shape (2, 2)",
    ),
    (
        gl.gradcheck.check_gradient,
        {"f": np.sum, "grad": np.ones_like, "x": []},
        ValueError,
        "x must not be empty, got shape (0,)",
    ),
    (
        gl.gradcheck.check_gradient,
        {"f": np.sum, "grad": np.ones_like, "x": [1.0], "rtol": -1.0},
        ValueError,
        "rtol must be >= 0, got -1.0",
    ),
    (
        gl.gradcheck.check_gradient,
        {"f": np.sum, "grad": np.ones_like, "x": [1.0], "safety": -1},
        ValueError,
        "safety must be >= 0, got -1.0",
    ),
    (
        gl.gradcheck.check_gradient,
        {"f": np.sum, "grad": np.ones_like, "x": [1.0], "safety": "10"},
        TypeError,
        "safety must be a real number, got '10'",
    ),
    (
        gl.gradcheck.check_hessian,
        {"grad": np.sin, "hess": np.diag, "x": [1.0], "safety": NAN},
        ValueError,
        "safety must be finite, got nan",
    ),
    (
        gl.gradcheck.directional_check,
        {"f": np.sum, "grad": np.ones_like, "x": [1.0], "safety": -0.5},
        ValueError,
        "safety must be >= 0, got -0.5",
    ),
    (
        gl.gradcheck.diagnose,
        {"f": np.sum, "grad": np.ones_like, "x": [1.0], "h": 0.0},
        ValueError,
        "h must be > 0, got 0.0",
    ),
    (
        gl.gradcheck.diagnose,
        {"f": np.sum, "grad": np.ones_like, "x": [1.0], "rule": "literal"},
        ValueError,
        "rule must be one of 'three-way', 'notes', got 'literal'",
    ),
    (
        gl.gradcheck.diagnose,
        {"f": np.sum, "grad": np.ones_like, "x": [1.0], "min_growth": 1.0},
        ValueError,
        "min_growth must be > 1, got 1.0",
    ),
    (
        gl.gradcheck.diagnose,
        {"f": np.sum, "grad": np.ones_like, "x": [1.0], "tol": 1e-3},
        ValueError,
        "tol must be None under rule='three-way' (use rtol and atol), got 0.001",
    ),
    (
        gl.gradcheck.diagnose,
        {"f": np.sum, "grad": np.ones_like, "x": [1.0], "tol": 0, "rule": "notes"},
        ValueError,
        "tol must be > 0, got 0.0",
    ),
    (
        gl.gradcheck.diagnose,
        {"f": np.sum, "grad": np.ones_like, "x": [1.0], "atol": INF},
        ValueError,
        "atol must be finite, got inf",
    ),
    (
        gl.gradcheck.relative_error,
        {"a": "x", "b": 1.0},
        TypeError,
        "a must be an array of real numbers, got 'x'",
    ),
]


BAD_INPUTS.append(
    (
        mlp.MLP,
        {"sizes": [2, 3, 1], "residual": 1},
        TypeError,
        "residual must be True or False, got 1",
    )
)

# The rows of the newer modules live next to their tests; this one table runs them all.
BAD_INPUTS += [
    *CLIPPING_ROWS,
    *LBFGS_ROWS,
    *NEWTON_ROWS,
    *RACE_ROWS,
    *SCHEDULES_ROWS,
    *VARIANCE_ROWS,
]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def case_id(case):
    func, kwargs, _, _ = case
    name = getattr(func, "__qualname__", repr(func))
    return f"{name}-{'-'.join(kwargs)}"


@pytest.mark.parametrize(
    "func, kwargs, error, message", BAD_INPUTS, ids=[case_id(c) for c in BAD_INPUTS]
)
def test_bad_input_is_rejected_with_a_clear_message(func, kwargs, error, message):
    with pytest.raises(error) as info:
        func(**kwargs)
    assert type(info.value) is error
    for part in [message] if isinstance(message, str) else message:
        assert part in str(info.value), str(info.value)


def test_the_table_is_large():
    assert len(BAD_INPUTS) >= 250


def test_every_public_function_of_the_newer_modules_has_rows():
    import inspect

    covered = {getattr(func, "__qualname__", "") for func, *_ in BAD_INPUTS}
    for module in (gl.clipping, gl.lbfgs, gl.newton, gl.variance, gl.race):
        for name in module.__all__:
            obj = getattr(module, name)
            checks_input = inspect.isfunction(obj) or (
                inspect.isclass(obj)
                and ("__post_init__" in vars(obj) or "__init__" in vars(obj))
                and not issubclass(obj, Exception | tuple)
                and not name.endswith(("Result", "Table"))
            )
            if checks_input:
                assert any(q == name or q.startswith(name + ".") for q in covered), (
                    f"{module.__name__}.{name} has no row in the bad-input table"
                )
