"""One loop: every optimizer gives the same iterates through ``gl.run``, ``MLP.train`` and a hand loop.

The hand loop is the textbook one, written out here once: draw the mini-batches, ask the
optimizer where to evaluate the gradient (``lookahead``), evaluate it there, step. A loop that
forgets the look-ahead silently turns Nesterov's method into heavy-ball momentum; this test
would catch it (the old ``MLP.train`` did exactly that).
"""

import numpy as np
import pytest

import gradlib as gl
from tests.test_optimizers import CATALOGUE, label

X, Y = gl.data.two_moons(40, noise=0.2, rng=3)
NET = gl.mlp.MLP([2, 6, 1], activation="tanh", loss="bce", init="xavier")
PROBLEM = NET.problem(X, Y)
THETA0 = NET.init_params(1)
EPOCHS, BATCH, SEED = 3, 8, 11


def hand_loop(opt):
    theta, state = THETA0.copy(), opt.init(THETA0)
    for idx in gl.data.minibatches(
        len(X), BATCH, rng=np.random.default_rng(SEED), epochs=EPOCHS
    ):
        g = PROBLEM.batch_grad(opt.lookahead(theta, state), idx)
        theta, state = opt.step(theta, g, state)
    return theta


@pytest.mark.parametrize("opt", CATALOGUE, ids=label)
def test_run_train_and_hand_loop_agree(opt):
    by_run = gl.run(opt, PROBLEM, THETA0, epochs=EPOCHS, batch_size=BATCH, rng=SEED)
    by_train = NET.train(THETA0, X, Y, opt, epochs=EPOCHS, batch_size=BATCH, rng=SEED)
    by_hand = hand_loop(opt)
    assert by_run.steps == by_train.steps == EPOCHS * 5
    np.testing.assert_array_equal(by_run.x, by_hand)
    np.testing.assert_array_equal(by_train.x, by_hand)


def test_nesterov_through_train_is_not_heavy_ball():
    nag = NET.train(
        THETA0,
        X,
        Y,
        gl.Nesterov(lr=0.5, gamma=0.9),
        epochs=EPOCHS,
        batch_size=BATCH,
        rng=SEED,
    )
    heavy = NET.train(
        THETA0,
        X,
        Y,
        gl.Momentum(lr=0.5, gamma=0.9, form="lr_inside"),
        epochs=EPOCHS,
        batch_size=BATCH,
        rng=SEED,
    )
    assert np.abs(nag.x - heavy.x).max() > 1e-3
