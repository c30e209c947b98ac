"""The driver: run an optimizer on a problem and record what happened."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from . import _validate as check
from .functions import Problem

__all__ = ["Trajectory", "run"]


@dataclass(frozen=True)
class Trajectory:
    """What one run did.

    Attributes
    ----------
    xs : ndarray, shape (k + 1, n)
        The starting point and every iterate up to the last finite one.
    fs : ndarray, shape (k + 1,)
        Objective values at ``xs`` (``nan`` when the run was given no objective).
    grad_norms : ndarray, shape (k,)
        Euclidean norm of the gradient used in each update.
    diverged : bool
        True when an update produced a non-finite value; the run stopped there.
    diverged_at : int or None
        The update number (1-based) that produced the non-finite value.
    converged : bool
        True when the run stopped because the gradient norm fell below ``tol``.
    n_grad : int
        Number of gradient evaluations.
    name : str
        A label for legends (the optimizer's class name unless given).
    """

    xs: np.ndarray
    fs: np.ndarray
    grad_norms: np.ndarray
    diverged: bool
    diverged_at: int | None
    converged: bool
    n_grad: int
    name: str

    @property
    def x(self) -> np.ndarray:
        """The last finite iterate."""
        return self.xs[-1]

    @property
    def f(self) -> float:
        """The objective at the last finite iterate."""
        return float(self.fs[-1])

    @property
    def steps(self) -> int:
        """Number of completed updates."""
        return len(self.xs) - 1


def _checked(opt, problem, x0, steps, stochastic_grad, noise, rng, tol, name):
    """Validate the arguments of :func:`run`; return what the loop needs."""
    if isinstance(problem, Problem):
        grad, f = problem.grad, problem.f
        x = check.vector(x0, "x0", dim=problem.dim)
    elif callable(problem):
        grad, f = problem, None
        x = check.vector(x0, "x0")
    else:
        raise TypeError(f"problem must be a Problem or a gradient function, got {check._show(problem)} "
                        f"of type {type(problem).__name__}")
    if isinstance(opt, type):
        raise TypeError(f"opt must be an optimizer instance such as {opt.__name__}(), "
                        f"got the class {opt.__name__}")
    for method in ("init", "step", "lookahead"):
        if not callable(getattr(opt, method, None)):
            raise TypeError(f"opt must be an optimizer with init/step/lookahead, got {check._show(opt)} "
                            f"of type {type(opt).__name__}")
    steps = check.integer(steps, "steps", minimum=0)
    noise = check.nonnegative(noise, "noise")
    if tol is not None:
        tol = check.positive(tol, "tol")
    if stochastic_grad is not None and not callable(stochastic_grad):
        raise TypeError(f"stochastic_grad must be callable, got {check._show(stochastic_grad)}")
    if name is not None and not isinstance(name, str):
        raise TypeError(f"name must be a string, got {check._show(name)} of type {type(name).__name__}")
    return f, grad, x, steps, noise, tol, check.rng(rng)


def run(opt, problem: Problem | Callable, x0, steps: int = 100, *,
        stochastic_grad: Callable | None = None, noise: float = 0.0, rng=None,
        tol: float | None = None, name: str | None = None) -> Trajectory:
    """Run ``opt`` from ``x0`` for ``steps`` updates.

    Parameters
    ----------
    opt : Optimizer
        Any gradlib optimizer (``init`` / ``step`` / ``lookahead``).
    problem : Problem or callable
        A :class:`~gradlib.functions.Problem`, or just a gradient function ``grad(x)``
        (then the recorded values ``fs`` are ``nan``).
    x0 : array_like, shape (n,)
        Starting point.
    steps : int
        Maximum number of updates.
    stochastic_grad : callable, optional
        ``stochastic_grad(x, rng)`` returns a random gradient estimate; used instead of the
        exact gradient (mini-batches, noisy oracles).
    noise : float
        Standard deviation of Gaussian noise added to every gradient coordinate.
    rng : None, int or numpy.random.Generator
        Source of all randomness of the run.
    tol : float, optional
        Stop when the gradient norm falls below ``tol``.
    name : str, optional
        Label for the trajectory; the optimizer's class name by default.

    Returns
    -------
    Trajectory

    Raises
    ------
    TypeError, ValueError
        For a bad argument, before the first update (the message names the argument and
        shows the value); ``ValueError`` also when the gradient function returns an array
        whose shape differs from that of ``x0``.

    Notes
    -----
    The run stops cleanly at the first non-finite iterate or value: ``diverged`` is set,
    ``diverged_at`` records the update, and no floating-point warning is printed.

    Examples
    --------
    >>> from gradlib import GD, functions
    >>> traj = run(GD(lr=0.1), functions.quadratic(kappa=2.0), [1.0, 1.0], steps=200)
    >>> traj.steps, traj.diverged, bool(traj.f < 1e-8)
    (200, False, True)
    >>> run(GD(lr=1.5), functions.quadratic(kappa=2.0), [1.0, 1.0], steps=5000).diverged
    True
    """
    f, grad, x, steps, noise, tol, gen = _checked(opt, problem, x0, steps, stochastic_grad, noise, rng,
                                                  tol, name)
    source = "stochastic_grad" if stochastic_grad is not None else "problem"

    def value(point):
        return float(f(point)) if f is not None else float("nan")

    xs, fs, norms = [x], [value(x)], []
    state = opt.init(x)
    diverged_at, converged = None, False
    with np.errstate(all="ignore"):
        for k in range(1, steps + 1):
            at = opt.lookahead(x, state)
            g = stochastic_grad(at, gen) if stochastic_grad is not None else grad(at)
            g = np.asarray(g, dtype=float)
            if g.shape != x.shape:
                raise ValueError(f"{source} must return a gradient of the shape of x0 {x.shape}, "
                                 f"got shape {g.shape}")
            if noise:
                g = g + noise * gen.standard_normal(g.shape)
            gnorm = float(np.linalg.norm(g))
            if tol is not None and gnorm < tol:
                converged = True
                break
            x_new, state = opt.step(x, g, state)
            fx = value(x_new)
            if not (np.all(np.isfinite(x_new)) and np.isfinite(gnorm) and (f is None or np.isfinite(fx))):
                diverged_at = k
                break
            x = x_new
            xs.append(x)
            fs.append(fx)
            norms.append(gnorm)
    n_grad = len(norms) + (1 if (diverged_at is not None or converged) else 0)
    return Trajectory(
        xs=np.array(xs), fs=np.array(fs), grad_norms=np.array(norms),
        diverged=diverged_at is not None, diverged_at=diverged_at, converged=converged,
        n_grad=n_grad, name=name if name is not None else type(opt).__name__,
    )
