"""Tests of gradlib.race: grids that grow off their edges, seeds, ties, failures, the table."""

import json
import math
import re
from html import unescape

import numpy as np
import pytest

import gradlib as gl
from gradlib.race import (
    Choice,
    Contender,
    DecayGrid,
    EdgeError,
    Fixed,
    LogGrid,
    race,
    runner,
    steps_to,
)

QUAD = gl.functions.quadratic(kappa=10.0)
TRIAL = runner(QUAD, QUAD.start, steps=100)


def test_grids():
    assert LogGrid(0.01, 1.0).values() == pytest.approx(
        [0.01, 10**-1.5, 0.1, 10**-0.5, 1.0]
    )
    assert LogGrid(1e-3, 1e-1, per_decade=3).values()[1] == pytest.approx(
        10 ** (-3 + 1 / 3)
    )
    assert LogGrid(0.1, 1.0).grown(True).values()[-1] == pytest.approx(10**0.5)
    assert LogGrid(0.1, 1.0, limits=(0.0, 2.0)).grown(True) is None
    assert DecayGrid(0.9, 0.99).values() == pytest.approx([0.9, 1 - 10**-1.5, 0.99])
    assert DecayGrid(0.0, 0.9).grown(False) is None
    assert Fixed((1, 2)).grown(True) is None
    with pytest.raises(ValueError, match="per_decade must be >= 2"):
        LogGrid(0.1, 1.0, per_decade=1)
    with pytest.raises(ValueError, match="high must be in"):
        DecayGrid(0.9, 1.0)


def test_a_grid_grows_until_the_best_learning_rate_is_inside():
    # the best constant step on this quadratic is about 2 / (1 + 10) = 0.18: far above the grid
    table = race({"GD": Contender(gl.GD, {"lr": LogGrid(1e-4, 1e-3)})}, TRIAL)
    r = table["GD"]
    values = r.grids["lr"].values()
    assert values[0] < r.params["lr"] < values[-1]
    assert 0.05 < r.params["lr"] < 0.5 and not any(r.edges.values())
    assert r.evaluated == len(values)


def test_an_edge_that_cannot_grow_is_an_error():
    with pytest.raises(
        EdgeError,
        match=r"GD: the best lr = 0.01 is on the edge of a grid that cannot grow",
    ):
        race({"GD": Contender(gl.GD, {"lr": Fixed((1e-3, 3e-3, 1e-2))})}, TRIAL)
    with pytest.raises(EdgeError, match="every grid point failed"):
        race(
            {"GD": Contender(gl.GD, {"lr": Fixed((5.0, 10.0, 20.0))})}, TRIAL
        )  # all diverge


def test_a_single_untuned_value_is_an_edge_but_choices_are_not():
    with pytest.raises(EdgeError):
        race({"GD": Contender(gl.GD, {"lr": Fixed((0.1,))})}, TRIAL)
    table = race(
        {
            "M": Contender(
                gl.Momentum,
                {"lr": LogGrid(0.01, 0.3), "form": Choice(("sum", "lr_inside"))},
                fixed={"gamma": 0.5},
            )
        },
        TRIAL,
    )
    assert table["M"].params["form"] in ("sum", "lr_inside")


def test_seeds_are_aggregated_and_the_spread_reported():
    def noisy(opt, seed):
        return gl.run(opt, QUAD, QUAD.start, 200, noise=0.1, rng=seed, every=200)

    table = race(
        {"GD": Contender(gl.GD, {"lr": LogGrid(0.01, 0.3)})}, noisy, seeds=range(4)
    )
    r = table["GD"]
    assert r.scores.shape == (4,) and r.spread == pytest.approx(
        np.std(r.scores, ddof=1)
    )
    assert r.score == pytest.approx(r.scores.mean())
    median = race(
        {"GD": Contender(gl.GD, {"lr": LogGrid(0.01, 0.3)})},
        noisy,
        seeds=range(4),
        aggregate="median",
    )
    assert median["GD"].score == pytest.approx(np.median(median["GD"].scores))


def test_ties_are_broken_towards_the_middle():
    # every learning rate that converges reaches the goal: steps_to ties at the cap are impossible,
    # but a score that is constant over the grid ties everywhere and must not pick an edge
    table = race(
        {"GD": Contender(gl.GD, {"lr": Fixed((0.01, 0.02, 0.03, 0.04, 0.05))})},
        TRIAL,
        score=lambda traj: 1.0,
    )
    assert table["GD"].params["lr"] == 0.03


def test_a_decay_rate_of_zero_is_the_end_of_its_range_not_an_edge():
    # f = x^2 / 2: lr = 1 lands on the minimizer in one step; in the second, any momentum
    # carries the iterate away again, so gamma = 0 is strictly best, at the end of its range
    well = gl.functions.quadratic(kappa=1.0)
    table = race(
        {
            "M": Contender(
                gl.Momentum, {"lr": LogGrid(0.1, 3.0), "gamma": DecayGrid(0.0, 0.9)}
            )
        },
        runner(well, well.start, steps=2),
        score=lambda traj: float(np.abs(traj.x).sum()),
        score_name="distance after two steps",
    )
    r = table["M"]
    assert r.params == {"lr": 1.0, "gamma": 0.0} and not r.edges["gamma"]
    assert "distance after two steps" in table._repr_html_()
    data = json.loads(
        unescape(re.search(r'data-race="([^"]*)"', table._repr_html_()).group(1))
    )
    assert data[0]["at_limit"] == {"lr": False, "gamma": True}


def test_steps_to_and_divergence_score_inf():
    traj = gl.run(gl.GD(lr=0.15), QUAD, QUAD.start, steps=300)
    k = steps_to(1e-8)(traj)
    assert traj.fs[int(k)] < 1e-8 <= traj.fs[int(k) - 1]
    assert steps_to(-1.0)(traj) == math.inf
    table = race(
        {"GD": Contender(gl.GD, {"lr": LogGrid(0.01, 1.0)})},
        runner(QUAD, QUAD.start, steps=300, every=1),
        score=steps_to(1e-8),
    )
    assert math.isfinite(table["GD"].score)


def test_table_html_carries_its_data_and_summary():
    table = race(
        {
            "GD": Contender(gl.GD, {"lr": LogGrid(0.01, 0.3)}),
            "Momentum": Contender(
                gl.Momentum, {"lr": LogGrid(0.01, 0.3), "gamma": DecayGrid(0.5, 0.9)}
            ),
        },
        TRIAL,
        seeds=(0, 1),
    )
    html = table._repr_html_()
    data = json.loads(unescape(re.search(r'data-race="([^"]*)"', html).group(1)))
    assert {d["method"] for d in data} == {"GD", "Momentum"}
    for d in data:
        for p, value in d["params"].items():
            grid = d["grid"][p]
            assert grid[0] < value < grid[-1] and not d["edges"][p]
    assert table.winner == "Momentum" and set(table.best) == {"GD", "Momentum"}
    assert (
        "Budget 100 gradient evaluations per run, tuned on 2 seeds" in table.summary()
    )
    assert "<table>" in html and "Momentum" in repr(table)
    assert [row["method"] for row in table.rows()] == ["Momentum", "GD"]


GD_CONTENDER = {"GD": Contender(gl.GD, {"lr": LogGrid(0.1, 1.0)})}

# Rows of the bad-input table (run by tests/test_bad_inputs.py).
BAD_INPUTS = [
    (
        race,
        {"contenders": {}, "trial": TRIAL},
        TypeError,
        "contenders must be a non-empty dict",
    ),
    (
        race,
        {"contenders": {"GD": gl.GD}, "trial": TRIAL},
        TypeError,
        "contenders['GD'] must be a Contender",
    ),
    (race, {"contenders": GD_CONTENDER}, ValueError, "needs a trial"),
    (
        race,
        {"contenders": GD_CONTENDER, "trial": TRIAL, "seeds": ()},
        ValueError,
        "seeds must be at least one seed",
    ),
    (
        race,
        {"contenders": GD_CONTENDER, "trial": TRIAL, "score": "worst"},
        ValueError,
        "score must be one of 'final', 'best'",
    ),
    (
        race,
        {"contenders": GD_CONTENDER, "trial": TRIAL, "aggregate": "max"},
        ValueError,
        "aggregate must be one of 'mean', 'median'",
    ),
    (
        race,
        {"contenders": GD_CONTENDER, "trial": TRIAL, "max_growth": -1},
        ValueError,
        "max_growth must be >= 0",
    ),
    (LogGrid, {"low": -1.0, "high": 1.0}, ValueError, "low must be > 0"),
    (
        LogGrid,
        {"low": 0.1, "high": 1.0, "per_decade": 1},
        ValueError,
        "per_decade must be >= 2",
    ),
    (DecayGrid, {"low": 0.9, "high": 1.0}, ValueError, "high must be in"),
    (DecayGrid, {"low": 1.5, "high": 0.9}, ValueError, "low must be in [0, 1)"),
    (Contender, {"make": "GD"}, TypeError, "make must be callable"),
    (
        Contender,
        {"make": gl.GD, "grid": [0.1]},
        TypeError,
        "grid must be a dict of parameter name",
    ),
    (
        Contender,
        {"make": gl.GD, "grid": {"lr": "fast"}},
        TypeError,
        "grid['lr'] must be a LogGrid",
    ),
    (Contender, {"make": gl.GD, "trial": 3}, TypeError, "trial must be callable"),
    (Fixed, {"items": ()}, ValueError, "items must be at least one value"),
    (Choice, {"items": ()}, ValueError, "items must be at least one value"),
    (steps_to, {"threshold": "low"}, TypeError, "threshold must be a real number"),
    (
        steps_to,
        {"threshold": 1.0, "offset": float("nan")},
        ValueError,
        "offset must be finite",
    ),
    (
        runner,
        {"problem": QUAD, "x0": QUAD.start, "steps": 10, "every": 0},
        ValueError,
        "every must be >= 1",
    ),
]


def test_report_seeds_score_the_winner_on_fresh_seeds():
    def noisy(opt, seed):
        return gl.run(opt, QUAD, QUAD.start, 200, noise=0.3, rng=seed, every=200)

    contenders = {"GD": Contender(gl.GD, {"lr": LogGrid(0.01, 0.3, per_decade=4)})}
    tuned = race(contenders, noisy, seeds=range(3))
    fresh = race(contenders, noisy, seeds=range(3), report_seeds=range(10, 20))
    assert fresh["GD"].params == tuned["GD"].params  # the same choice...
    assert fresh["GD"].scores.shape == (10,)  # ...scored on ten other seeds
    assert fresh["GD"].evaluated == tuned["GD"].evaluated
    assert "scored on 10 other seeds" in fresh.summary()
    with pytest.raises(
        ValueError, match="report_seeds must be seeds not used for tuning"
    ):
        race(contenders, noisy, seeds=range(3), report_seeds=[2, 3])
