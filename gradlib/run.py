"""The driver: the one training loop of the book, and the record of what it did."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from . import _validate as check
from .data import ORDERS, batches_per_epoch, minibatches
from .functions import FiniteSumProblem, Problem

__all__ = ["Trajectory", "run"]


@dataclass(frozen=True)
class Trajectory:
    """What one run did.

    Attributes
    ----------
    xs : ndarray, shape (r,) + x0.shape
        The recorded iterates: the start, every ``every``-th iterate and the last finite one.
    ts : ndarray of int, shape (r,)
        The update number of each recorded iterate (0 for the start).
    fs : ndarray, shape (r,)
        Objective values at ``xs`` (``nan`` when no objective was given or ``loss=False``;
        shape ``(r,) + batch`` when ``x0`` holds a batch of starting points).
    grad_norms : ndarray, shape (steps,)
        Euclidean norm of the gradient used in every update.
    states : dict of str to ndarray
        The recorded optimizer state fields (``record=``), each of shape ``(r,) + field shape``.
    steps : int
        Number of completed updates.
    diverged : bool
        True when an update produced a non-finite value; the run stopped there.
    diverged_at : int or None
        The update number (1-based) that produced the non-finite value.
    converged : bool
        True when the run stopped because the gradient norm fell below ``tol``.
    n_grad : int
        Number of gradient evaluations (calls of the gradient, the oracle or ``batch_grad``).
    n_examples : int
        Number of examples whose gradient was computed (``n_grad`` times the batch size for
        mini-batches; times the number of examples for full gradients of a finite sum; 0 when
        the problem is not a finite sum).
    name : str
        A label for legends (the optimizer's class name unless given).
    """

    xs: np.ndarray
    ts: np.ndarray
    fs: np.ndarray
    grad_norms: np.ndarray
    steps: int
    diverged: bool
    diverged_at: int | None
    converged: bool
    n_grad: int
    name: str
    n_examples: int = 0
    states: dict = field(default_factory=dict)

    @property
    def x(self) -> np.ndarray:
        """The last finite iterate."""
        return self.xs[-1]

    @classmethod
    def from_result(cls, result, name: str) -> Trajectory:
        """The trajectory of a line-search method's result, to plot it like a run.

        ``result`` is what :func:`gradlib.cg.nonlinear_cg` or :func:`gradlib.lbfgs.lbfgs`
        return (iterates ``xs``, values ``fs``, gradient norms at the iterates, counts); one
        iteration is one "update", and ``n_grad`` counts the gradient evaluations of the line
        searches too.

        Examples
        --------
        >>> import gradlib as gl
        >>> p = gl.functions.rosenbrock()
        >>> res = gl.cg.nonlinear_cg(p.f, p.grad, p.start, tol=1e-6)
        >>> traj = Trajectory.from_result(res, "CG")
        >>> traj.steps == res.nit, traj.n_grad == res.ngev, traj.converged
        (True, True, True)
        """
        xs = np.asarray(result.xs)
        return cls(
            xs=xs,
            ts=np.arange(len(xs)),
            fs=np.asarray(result.fs, dtype=float),
            grad_norms=np.asarray(result.grad_norms, dtype=float)[: len(xs) - 1],
            steps=len(xs) - 1,
            diverged=False,
            diverged_at=None,
            converged=bool(result.success),
            n_grad=int(result.ngev),
            name=check.string(name, "name"),
        )

    @property
    def f(self) -> float:
        """The objective at the last finite iterate."""
        return float(self.fs[-1])


@dataclass(frozen=True)
class _Setup:
    """The checked arguments of :func:`run`."""

    f: Callable | None
    grad: Callable | None
    oracle: Callable | None
    batch_grad: Callable | None
    x: np.ndarray
    steps: int
    batches: object
    every: int
    noise: float
    tol: float | None
    record: tuple
    loss: bool
    keep_going: bool
    rng: np.random.Generator
    name: str
    n_per_grad: int


def _objective(problem, x0, oracle):
    """The objective, the gradient and the checked starting point."""
    if isinstance(problem, Problem):
        x = check.array(x0, "x0")
        if x.shape[-1] != problem.dim:
            raise ValueError(
                f"x0 must have shape (..., {problem.dim}) for {problem.name!r}, got "
                f"shape {x.shape}"
            )
        return problem.f, problem.grad, x
    if callable(problem):
        return None, problem, check.array(x0, "x0")
    if problem is None and oracle is not None:  # the oracle gives every gradient
        return None, None, check.array(x0, "x0")
    expected = "a Problem or a gradient function (or None with an oracle)"
    raise check.fail(TypeError, "problem", expected, problem)


def _schedule(problem, steps, epochs, batch_size, order, oracle, every):
    """Number of updates, batches per epoch (or None), examples per gradient, the record interval."""
    per_epoch, n_per_grad = (
        None,
        problem.n_examples if isinstance(problem, FiniteSumProblem) else 0,
    )
    if oracle is not None:
        check.function(oracle, "oracle")
        if batch_size is not None:
            raise ValueError("give either oracle or batch_size, not both")
    if batch_size is not None:
        if not isinstance(problem, FiniteSumProblem):
            name = getattr(problem, "name", type(problem).__name__)
            raise check.fail(
                TypeError,
                "problem",
                "a FiniteSumProblem when batch_size is given",
                name,
            )
        n_per_grad = check.integer(
            batch_size, "batch_size", minimum=1, maximum=problem.n_examples
        )
        per_epoch = batches_per_epoch(problem.n_examples, n_per_grad)
    check.choice(order, "order", ORDERS)
    if epochs is not None:
        if per_epoch is None:
            raise ValueError(
                "epochs needs batch_size (an epoch is a pass over the examples)"
            )
        if steps is not None:
            raise ValueError("give either steps or epochs, not both")
        steps = check.integer(epochs, "epochs", minimum=0) * per_epoch
    steps = 100 if steps is None else check.integer(steps, "steps", minimum=0)
    if every == "epoch":
        if per_epoch is None:
            raise ValueError("every='epoch' needs batch_size")
        every = per_epoch
    return steps, per_epoch, n_per_grad, check.integer(every, "every", minimum=1)


def _recorded(opt, x, record) -> tuple:
    record = (record,) if isinstance(record, str) else tuple(record)
    fields = opt.init(x)._fields if record else ()
    for name in record:
        if name not in fields:
            raise check.fail(
                ValueError,
                "record",
                f"names of fields of the optimizer state {fields}",
                name,
            )
    return record


def _setup(
    opt,
    problem,
    x0,
    steps,
    epochs,
    batch_size,
    order,
    oracle,
    noise,
    rng,
    tol,
    every,
    record,
    loss,
    keep_going,
    name,
) -> _Setup:
    """Validate the arguments of :func:`run`; return what the loop needs."""
    check.optimizer(opt)
    f, grad, x = _objective(problem, x0, oracle)
    gen = check.rng(rng)
    steps, per_epoch, n_per_grad, every = _schedule(
        problem, steps, epochs, batch_size, order, oracle, every
    )
    batches = None
    if per_epoch is not None:
        batches = minibatches(
            problem.n_examples,
            n_per_grad,
            gen,
            epochs=-(-steps // per_epoch),
            order=order,
        )
    return _Setup(
        f=f,
        grad=grad,
        oracle=oracle,
        batch_grad=problem.batch_grad if batches else None,
        x=x,
        steps=steps,
        batches=batches,
        every=every,
        noise=check.nonnegative(noise, "noise"),
        tol=None if tol is None else check.positive(tol, "tol"),
        record=_recorded(opt, x, record),
        loss=check.flag(loss, "loss") and f is not None,
        keep_going=check.flag(keep_going, "keep_going"),
        rng=gen,
        name=type(opt).__name__ if name is None else check.string(name, "name"),
        n_per_grad=n_per_grad,
    )


def run(
    opt,
    problem: Problem | Callable | None,
    x0,
    steps: int | None = None,
    *,
    epochs: int | None = None,
    batch_size: int | None = None,
    order: str = "reshuffle",
    oracle: Callable | None = None,
    noise: float = 0.0,
    rng=None,
    tol: float | None = None,
    every: int | str = 1,
    record: Sequence[str] = (),
    loss: bool = True,
    keep_going: bool = False,
    name: str | None = None,
) -> Trajectory:
    """Run ``opt`` from ``x0``: the one training loop of the book.

    Parameters
    ----------
    opt : Optimizer
        Any gradlib optimizer (``init`` / ``step`` / ``lookahead``).
    problem : Problem, callable or None
        A :class:`~gradlib.functions.Problem` (its ``grad`` gives the gradients, its ``f`` the
        recorded values), a :class:`~gradlib.functions.FiniteSumProblem` (mini-batches with
        ``batch_size``), just a gradient function ``grad(x)``, or ``None`` when ``oracle``
        gives every gradient (``fs`` is ``nan`` without a Problem).
    x0 : array_like, any shape
        Starting point: a vector, a weight matrix, or a batch of starting points of shape
        ``(k, n)`` for a test function (the functions work on batches of points; combine
        with ``keep_going=True`` so that one diverging start does not stop the others).
    steps : int, optional
        Number of updates (100 unless ``epochs`` is given).
    epochs : int, optional
        With ``batch_size``: the number of passes over the examples.
    batch_size : int, optional
        Use mini-batch gradients ``problem.batch_grad(x, idx)`` of this size, drawn by
        :func:`gradlib.data.minibatches` from ``rng``.
    order : {"reshuffle", "once", "cyclic", "replacement"}
        How mini-batches are drawn (see :func:`gradlib.data.minibatches`).
    oracle : callable, optional
        ``oracle(x, t, rng)`` returns the gradient estimate used in update ``t`` (1-based);
        it replaces ``problem.grad`` (a noisy, time-varying or otherwise custom gradient).
    noise : float
        Standard deviation of Gaussian noise added to every gradient coordinate.
    rng : None, int or numpy.random.Generator
        Source of all randomness of the run (batches, noise, the oracle's draws).
    tol : float, optional
        Stop when the gradient norm falls below ``tol``.
    every : int or "epoch"
        Record the iterate every ``every`` updates (always the start and the last one).
    record : sequence of str
        Names of optimizer-state fields to record with the iterates (``("s",)``, ``("ax",)``).
    loss : bool
        Evaluate the objective at the recorded iterates (with a finite sum: the full loss).
    keep_going : bool
        Do not stop at a non-finite value (``diverged`` is still reported).
    name : str, optional
        Label for the trajectory; the optimizer's class name by default.

    Returns
    -------
    Trajectory

    Raises
    ------
    TypeError, ValueError
        For a bad argument, before the first update (the message names the argument and
        shows the value); ``ValueError`` also when the gradient has another shape than ``x0``.

    Notes
    -----
    Every update is the same four lines: ask the optimizer where to evaluate the gradient
    (``opt.lookahead``: the current point for every method but Nesterov's), evaluate it
    there, add noise if asked, and let ``opt.step`` move. The run stops cleanly at the first
    non-finite iterate, gradient or recorded value: ``diverged`` is set, ``diverged_at``
    records the update, the last finite iterate is kept, and no floating-point warning is
    printed.

    Examples
    --------
    >>> from gradlib import GD, functions
    >>> traj = run(GD(lr=0.1), functions.quadratic(kappa=2.0), [1.0, 1.0], steps=200)
    >>> traj.steps, traj.diverged, bool(traj.f < 1e-8)
    (200, False, True)
    >>> run(GD(lr=1.5), functions.quadratic(kappa=2.0), [1.0, 1.0], steps=5000).diverged
    True
    """
    s = _setup(
        opt,
        problem,
        x0,
        steps,
        epochs,
        batch_size,
        order,
        oracle,
        noise,
        rng,
        tol,
        every,
        record,
        loss,
        keep_going,
        name,
    )
    x, state = s.x, opt.init(s.x)
    log = _Log(s)
    log.keep(0, x, state, force=True)
    diverged_at, converged = None, False
    with np.errstate(all="ignore"):
        for t in range(1, s.steps + 1):
            at = opt.lookahead(x, state)
            g, count = _gradient(s, at, t)
            log.examples += count
            if s.noise:
                g = g + s.noise * s.rng.standard_normal(g.shape)
            gnorm = math.sqrt(float(np.vdot(g, g)))  # the Euclidean norm of any shape
            if s.tol is not None and gnorm < s.tol:
                converged = True
                break
            x_new, state_new = opt.step(x, g, state)
            log.norms.append(gnorm)
            finite = math.isfinite(gnorm) and np.isfinite(x_new).all()
            if finite and (t % s.every == 0 or t == s.steps):
                finite = log.keep(t, x_new, state_new)
            if not finite:
                diverged_at = diverged_at or t
                if not s.keep_going:
                    break
            x, state = x_new, state_new
        return log.trajectory(x, state, diverged_at, converged)


def _gradient(s: _Setup, at: np.ndarray, t: int) -> tuple[np.ndarray, int]:
    """The gradient (or its estimate) used in update ``t`` at ``at``, and its number of examples."""
    count = s.n_per_grad
    if s.batches is not None:
        idx = next(s.batches)
        g, count = s.batch_grad(at, idx), len(idx)
    elif s.oracle is not None:
        g = s.oracle(at, t, s.rng)
    else:
        g = s.grad(at)
    g = np.asarray(g, dtype=float)
    if g.shape != at.shape:
        source = (
            "oracle"
            if s.oracle is not None
            else "problem.batch_grad"
            if s.batches
            else "problem"
        )
        raise ValueError(
            f"{source} must return a gradient of the shape of x0 {at.shape}, got "
            f"shape {g.shape}"
        )
    return g, count


class _Log:
    """The growing record of a run."""

    def __init__(self, s: _Setup):
        self.s = s
        self.ts, self.xs, self.fs, self.norms = [], [], [], []
        self.states = {name: [] for name in s.record}
        self.examples = 0

    def keep(self, t: int, x: np.ndarray, state, force: bool = False) -> bool:
        """Record iterate ``t`` and say whether its value is finite.

        A non-finite value is recorded only with ``keep_going`` (or ``force``, for the start).
        """
        fx = np.asarray(self.s.f(x), dtype=float) if self.s.loss else np.float64(np.nan)
        finite = not self.s.loss or bool(np.isfinite(fx).all())
        if not (finite or self.s.keep_going or force):
            return False
        self.ts.append(t)
        self.xs.append(x)
        self.fs.append(fx)
        for name in self.s.record:
            self.states[name].append(np.asarray(getattr(state, name)))
        return finite

    def trajectory(self, x, state, diverged_at, converged) -> Trajectory:
        s = self.s
        steps = len(self.norms) - (diverged_at is not None and not s.keep_going)
        if (
            self.ts[-1] != steps
        ):  # the last finite iterate, when it fell between two records
            self.keep(steps, x, state)
        n_grad = len(self.norms) + converged
        return Trajectory(
            xs=np.array(self.xs),
            ts=np.array(self.ts),
            fs=np.array(self.fs),
            grad_norms=np.array(self.norms),
            steps=steps,
            diverged=diverged_at is not None,
            diverged_at=diverged_at,
            converged=converged,
            n_grad=n_grad,
            name=s.name,
            n_examples=self.examples,
            states={k: np.array(v) for k, v in self.states.items()},
        )
