"""Bad input to the public API raises at once, with a message that names the argument and shows the value.

One table: (callable, keyword arguments, exception type, a substring of the message, or a list
of substrings that must all appear).
"""

import numpy as np
import pytest

import gradlib as gl

NAN, INF = float("nan"), float("inf")
QUAD = gl.functions.quadratic(kappa=4.0)


def first_step(opt, x, g):
    """One update from a fresh state."""
    return opt.step(x, g, opt.init(x))


def step_with(opt, x, g, state):
    return opt.step(x, g, state)


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
    (gl.Momentum, {"gamma": 1.0}, ValueError, "gamma must lie in [0, 1), got 1.0"),
    (gl.Momentum, {"gamma": -0.1}, ValueError, "gamma must lie in [0, 1), got -0.1"),
    (gl.Momentum, {"gamma": "0.9"}, TypeError, "gamma must be a real number, got '0.9'"),
    (gl.Nesterov, {"gamma": 1.5}, ValueError, "gamma must lie in [0, 1), got 1.5"),
    (gl.RMSprop, {"gamma": 1.0}, ValueError, "gamma must lie in [0, 1), got 1.0"),
    (gl.RMSprop, {"gamma": NAN}, ValueError, "gamma must be finite, got nan"),
    (gl.Adadelta, {"rho": 1.0}, ValueError, "rho must lie in [0, 1), got 1.0"),
    (gl.Adadelta, {"rho": -0.5}, ValueError, "rho must lie in [0, 1), got -0.5"),
    (gl.Adam, {"beta1": 1.0}, ValueError, "beta1 must lie in [0, 1), got 1.0"),
    (gl.Adam, {"beta2": 9.999}, ValueError, "beta2 must lie in [0, 1), got 9.999"),  # the notes' typo
    (gl.Adam, {"beta2": -0.001}, ValueError, "beta2 must lie in [0, 1), got -0.001"),
    (gl.Adam, {"beta1": False}, TypeError, "beta1 must be a real number, got False"),
    (gl.AdaMax, {"beta1": 1.0}, ValueError, "beta1 must lie in [0, 1), got 1.0"),
    (gl.Nadam, {"beta2": 1.0}, ValueError, "beta2 must lie in [0, 1), got 1.0"),
    (gl.AMSGrad, {"beta1": 2}, ValueError, "beta1 must lie in [0, 1), got 2.0"),
    (gl.AdamW, {"beta2": INF}, ValueError, "beta2 must be finite, got inf"),
    # ---- eps and other non-negative constants
    (gl.AdaGrad, {"eps": 0}, ValueError, "eps must be > 0, got 0.0"),
    (gl.AdaGrad, {"eps": -1e-10}, ValueError, "eps must be > 0, got -1e-10"),
    (gl.AdaGrad, {"initial_accumulator_value": -1}, ValueError,
     "initial_accumulator_value must be >= 0, got -1.0"),
    (gl.RMSprop, {"eps": INF}, ValueError, "eps must be finite, got inf"),
    (gl.Adadelta, {"eps": 0.0}, ValueError, "eps must be > 0, got 0.0"),
    (gl.Adam, {"eps": "1e-8"}, TypeError, "eps must be a real number, got '1e-8'"),
    (gl.AdaMax, {"eps": 0}, ValueError, "eps must be > 0, got 0.0"),
    (gl.Nadam, {"momentum_decay": -0.004}, ValueError, "momentum_decay must be >= 0, got -0.004"),
    (gl.Nadam, {"momentum_decay": "0.004"}, TypeError, "momentum_decay must be a real number, got '0.004'"),
    (gl.AdamW, {"weight_decay": -0.01}, ValueError, "weight_decay must be >= 0, got -0.01"),
    (gl.AdamW, {"weight_decay": NAN}, ValueError, "weight_decay must be finite, got nan"),
    (gl.ASGD, {"lambd": -1}, ValueError, "lambd must be >= 0, got -1.0"),
    (gl.ASGD, {"alpha": -0.75}, ValueError, "alpha must be >= 0, got -0.75"),
    (gl.ASGD, {"t0": -1}, ValueError, "t0 must be >= 0, got -1.0"),
    (gl.ASGD, {"weight_decay": True}, TypeError, "weight_decay must be a real number, got True"),
    # ---- switches and forms
    (gl.Momentum, {"form": "nesterov"}, ValueError,
     "form must be one of 'sum', 'lr_inside', 'ema', got 'nesterov'"),
    (gl.Momentum, {"form": None}, ValueError, "form must be one of 'sum', 'lr_inside', 'ema', got None"),
    (gl.Nesterov, {"form": "sum"}, ValueError, "form must be one of 'lookahead', 'pytorch', got 'sum'"),
    (gl.AMSGrad, {"form": "optax"}, ValueError, "form must be one of 'pytorch', 'reddi', got 'optax'"),
    (gl.AdaGrad, {"eps_inside": "yes"}, TypeError, "eps_inside must be True or False, got 'yes'"),
    (gl.RMSprop, {"eps_inside": 1}, TypeError, "eps_inside must be True or False, got 1"),
    (gl.Adam, {"bias_correction": None}, TypeError, "bias_correction must be True or False, got None"),
    # ---- init and step
    (first_step, {"opt": gl.GD(), "x": np.zeros(2), "g": np.zeros(3)}, ValueError,
     "g must have the shape of x (2,), got (3,)"),
    (first_step, {"opt": gl.Adam(), "x": np.zeros((2, 2)), "g": np.zeros(4)}, ValueError,
     "g must have the shape of x (2, 2), got (4,)"),
    (step_with, {"opt": gl.Adam(), "x": np.zeros(3), "g": np.zeros(3), "state": gl.Adam().init(np.zeros(2))},
     ValueError, "state.m must have the shape of x (3,), got (2,)"),
    (step_with, {"opt": gl.Momentum(), "x": np.zeros(2), "g": np.zeros(2),
                 "state": gl.Adam().init(np.zeros(2))},
     TypeError, "state must be a MomentumState from Momentum.init, got AdamState(t=0"),
    (first_step, {"opt": gl.Adam(), "x": np.zeros(2), "g": ["a", "b"]}, TypeError,
     "x and g must be arrays of numbers, got x=array([0., 0.]), g=['a', 'b']"),
    (gl.Adam().init, {"x": ["a", "b"]}, TypeError, "x must be an array of numbers, got ['a', 'b']"),
    (gl.Adam().init, {"x": [NAN, 1.0]}, ValueError, "x must be finite, got array([nan,  1.])"),
    (gl.Momentum().init, {"x": []}, ValueError, "x must not be empty, got shape (0,)"),
    (first_step, {"opt": gl.GD(lr=lambda t: -1.0), "x": np.zeros(2), "g": np.ones(2)}, ValueError,
     "lr(1) must be >= 0, got -1.0"),
    (first_step, {"opt": gl.Adam(lr=lambda t: NAN), "x": np.zeros(2), "g": np.ones(2)}, ValueError,
     "lr(1) must be finite, got nan"),
    # ---- run
    (gl.run, {"opt": gl.GD(), "problem": QUAD, "x0": [[1.0, 2.0]]}, ValueError,
     "x0 must be a one-dimensional array, got shape (1, 2)"),
    (gl.run, {"opt": gl.GD(), "problem": QUAD, "x0": [NAN, 1.0]}, ValueError,
     "x0 must be finite, got array([nan,  1.])"),
    (gl.run, {"opt": gl.GD(), "problem": QUAD.grad, "x0": []}, ValueError,
     "x0 must not be empty, got shape (0,)"),
    (gl.run, {"opt": gl.GD(), "problem": QUAD, "x0": [1.0, 2.0, 3.0]}, ValueError,
     "x0 must have length 2, got length 3"),
    (gl.run, {"opt": gl.GD(), "problem": QUAD, "x0": "ab"}, TypeError,
     "x0 must be an array of numbers, got 'ab'"),
    (gl.run, {"opt": gl.GD(), "problem": lambda x: np.ones(3), "x0": [1.0, 2.0]}, ValueError,
     "problem must return a gradient of the shape of x0 (2,), got shape (3,)"),
    (gl.run, {"opt": gl.GD(), "problem": QUAD, "x0": [1.0, 2.0], "steps": -1}, ValueError,
     "steps must be >= 0, got -1"),
    (gl.run, {"opt": gl.GD(), "problem": QUAD, "x0": [1.0, 2.0], "steps": 10.0}, TypeError,
     "steps must be an integer, got 10.0"),
    (gl.run, {"opt": gl.GD(), "problem": QUAD, "x0": [1.0, 2.0], "steps": True}, TypeError,
     "steps must be an integer, got True"),
    (gl.run, {"opt": gl.GD(), "problem": QUAD, "x0": [1.0, 2.0], "rng": "seed"}, TypeError,
     "rng must be None, an integer seed or a numpy Generator, got 'seed'"),
    (gl.run, {"opt": gl.GD(), "problem": QUAD, "x0": [1.0, 2.0], "rng": 1.5}, TypeError,
     "rng must be None, an integer seed or a numpy Generator, got 1.5"),
    (gl.run, {"opt": gl.GD(), "problem": 42, "x0": [1.0, 2.0]}, TypeError,
     "problem must be a Problem or a gradient function, got 42"),
    (gl.run, {"opt": "Adam", "problem": QUAD, "x0": [1.0, 2.0]}, TypeError,
     "opt must be an optimizer with init/step/lookahead, got 'Adam'"),
    (gl.run, {"opt": gl.Adam, "problem": QUAD, "x0": [1.0, 2.0]}, TypeError,
     "opt must be an optimizer instance such as Adam(), got the class Adam"),
    (gl.run, {"opt": gl.GD(), "problem": QUAD, "x0": [1.0, 2.0], "noise": -0.1}, ValueError,
     "noise must be >= 0, got -0.1"),
    (gl.run, {"opt": gl.GD(), "problem": QUAD, "x0": [1.0, 2.0], "tol": 0}, ValueError,
     "tol must be > 0, got 0.0"),
    (gl.run, {"opt": gl.GD(), "problem": QUAD, "x0": [1.0, 2.0], "stochastic_grad": "no"}, TypeError,
     "stochastic_grad must be callable, got 'no'"),
    (gl.run, {"opt": gl.GD(), "problem": QUAD, "x0": [1.0, 2.0], "name": 3}, TypeError,
     "name must be a string, got 3"),
    # ---- test problems
    (gl.functions.quadratic, {"A": [[1.0, 2.0], [0.0, 1.0]]}, ValueError, "A must be symmetric"),
    (gl.functions.quadratic, {"A": [[1.0, 0.0], [0.0, -1.0]]}, ValueError,
     ["A must be positive definite, its smallest eigenvalue is", "-1.0"]),
    (gl.functions.quadratic, {"A": np.eye(2), "b": [1.0, 2.0, 3.0]}, ValueError,
     "b must have length 2, got length 3"),
    (gl.functions.quadratic, {"kappa": 0.5}, ValueError, "kappa must be >= 1, got 0.5"),
    (gl.functions.quadratic, {"kappa": "10"}, TypeError, "kappa must be a real number, got '10'"),
    (gl.functions.quadratic, {"eigenvalues": [1.0, -2.0]}, ValueError,
     "eigenvalues must all be > 0, got [ 1. -2.]"),
    (gl.functions.quadratic, {"A": np.eye(2), "kappa": 3.0}, ValueError,
     "give exactly one of A, kappa or eigenvalues, got 2"),
    (gl.functions.quadratic, {"A": np.ones((2, 3))}, ValueError,
     "A must be a non-empty square matrix, got shape (2, 3)"),
    (gl.functions.rosenbrock, {"b": -1}, ValueError, "b must be > 0, got -1.0"),
]


def case_id(case):
    func, kwargs, _, _ = case
    name = getattr(func, "__qualname__", repr(func))
    return f"{name}-{'-'.join(kwargs)}"


@pytest.mark.parametrize("func, kwargs, error, message", BAD_INPUTS, ids=[case_id(c) for c in BAD_INPUTS])
def test_bad_input_is_rejected_with_a_clear_message(func, kwargs, error, message):
    with pytest.raises(error) as info:
        func(**kwargs)
    assert type(info.value) is error
    for part in [message] if isinstance(message, str) else message:
        assert part in str(info.value), str(info.value)


def test_the_table_is_large():
    assert len(BAD_INPUTS) >= 60
