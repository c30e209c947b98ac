r"""Variance reduction: SVRG, a stochastic gradient whose noise vanishes at the minimizer.

Plain SGD on a finite sum :math:`f(x) = \frac1n \sum_i f_i(x)` uses :math:`\nabla f_i(x)`
for a random :math:`i`. At the minimizer the mean of these is zero but each one is not, so
with a constant step the iterates never settle: they hover at a noise floor whose height
is proportional to the step. SVRG subtracts a control variate with mean zero,

.. math:: g = \nabla f_i(x) - \nabla f_i(\tilde x) + \nabla f(\tilde x),

which is still unbiased and whose variance goes to zero as both :math:`x` and the
snapshot :math:`\tilde x` approach the minimizer: a constant step then converges linearly.

SVRG plugs into the one loop as a gradient oracle: ``gl.run(gl.GD(lr), problem, x0,
oracle=SVRG(problem), rng=seed)``.
"""

from __future__ import annotations

import numpy as np

from . import _validate as check
from .functions import FiniteSumProblem

__all__ = ["SVRG"]


class SVRG:
    r"""The SVRG gradient estimate, as an oracle ``oracle(x, t, rng)`` for :func:`gradlib.run`.

    Parameters
    ----------
    problem : FiniteSumProblem
        The finite sum (``n_examples``, ``grad`` for the full gradient, ``batch_grad``).
    m : int, optional
        Updates between snapshots (>= 1); by default two passes' worth,
        :math:`\lceil 2n / b \rceil`, Johnson & Zhang's choice :math:`m = 2n` for :math:`b = 1`.
    batch_size : int
        Examples :math:`b` per update, drawn uniformly with replacement (1 to ``n``).

    Attributes
    ----------
    x_tilde : ndarray or None
        The snapshot :math:`\tilde x` (``None`` before the first call).
    mu : ndarray or None
        The full gradient :math:`\tilde\mu = \nabla f(\tilde x)` at the snapshot.
    t : int
        The update number of the last call (0 before the first).
    snapshots : int
        Number of snapshots taken.
    n_example_grads : int
        Example gradients computed so far: :math:`n` per snapshot plus :math:`2b` per update.

    Notes
    -----
    In update :math:`t` (1-based), at the point :math:`x` where :func:`gradlib.run` asks:

    .. math::

        \text{if } (t - 1) \bmod m = 0: \quad \tilde x &\leftarrow x, \quad
            \tilde\mu \leftarrow \nabla f(\tilde x) = \tfrac1n \textstyle\sum_{i=1}^n
            \nabla f_i(\tilde x) \\
        B &\sim \text{Uniform}\{1..n\}^b \\
        g &= \nabla f_B(x) - \nabla f_B(\tilde x) + \tilde\mu

    where :math:`\nabla f_B` is the mean gradient over the batch. The snapshot is the
    current iterate every :math:`m` updates (Johnson & Zhang's "option I"); with GD as the
    optimizer this is their Algorithm 1 with a constant step.

    **State.** Unlike gradlib's optimizers, the oracle has mutable state: the snapshot
    and the counters live in the attributes above, in plain view. :func:`gradlib.run`
    calls it with :math:`t = 1, 2, \dots`, and it checks that it is: an ``SVRG`` serves
    exactly one run, so create a fresh one for each run (a second run with the same
    object raises). All randomness comes from the run's ``rng``.

    **Cost.** Each update costs :math:`2b` example gradients and each snapshot :math:`n`:
    compare methods on ``n_example_grads``, not on updates. (``Trajectory.n_examples``
    counts :math:`n` per oracle call, as for any full-gradient oracle, and is not SVRG's
    cost.)

    References
    ----------
    Johnson & Zhang (2013).

    Examples
    --------
    >>> from gradlib import GD, run, functions
    >>> X = np.array([[1.0], [2.0], [3.0]]); y = np.array([1.0, 2.0, 2.0])
    >>> def batch(w, idx):
    ...     r = X[idx] @ w - y[idx]
    ...     return 0.5 * np.mean(r**2), X[idx].T @ r / len(idx)
    >>> prob = functions.finite_sum(batch, 3, 1)
    >>> svrg = SVRG(prob, m=6)
    >>> traj = run(GD(lr=0.05), prob, [0.0], steps=300, oracle=svrg, rng=0)
    >>> round(float(traj.x[0]), 10), svrg.snapshots, svrg.n_example_grads
    (0.7857142857, 50, 750)
    """

    def __init__(
        self, problem: FiniteSumProblem, m: int | None = None, batch_size: int = 1
    ):
        if not isinstance(problem, FiniteSumProblem):
            raise check.fail(TypeError, "problem", "a FiniteSumProblem", problem)
        n = problem.n_examples
        self.problem = problem
        self.batch_size = check.integer(batch_size, "batch_size", minimum=1, maximum=n)
        self.m = (
            -(-2 * n // self.batch_size)
            if m is None
            else check.integer(m, "m", minimum=1)
        )
        self.x_tilde: np.ndarray | None = None
        self.mu: np.ndarray | None = None
        self.t = 0
        self.snapshots = 0
        self.n_example_grads = 0

    def __repr__(self) -> str:
        return (
            f"SVRG(problem={self.problem.name!r}, m={self.m}, "
            f"batch_size={self.batch_size}, t={self.t}, "
            f"n_example_grads={self.n_example_grads})"
        )

    def __call__(self, x, t: int, rng: np.random.Generator) -> np.ndarray:
        if t != self.t + 1:
            expected = f"{self.t + 1}, the next update (use a fresh SVRG for every run)"
            raise check.fail(ValueError, "t", expected, t)
        if not isinstance(rng, np.random.Generator):
            raise check.fail(TypeError, "rng", "a numpy Generator (the run's)", rng)
        x = check.array(x, "x", shape=(self.problem.dim,), copy=False)
        self.t = t
        if (t - 1) % self.m == 0:
            self.x_tilde, self.mu = (
                x.copy(),
                np.asarray(self.problem.grad(x), dtype=float),
            )
            self.snapshots += 1
            self.n_example_grads += self.problem.n_examples
        idx = rng.integers(self.problem.n_examples, size=self.batch_size)
        self.n_example_grads += 2 * self.batch_size
        return (
            self.problem.batch_grad(x, idx)
            - self.problem.batch_grad(self.x_tilde, idx)
            + self.mu
        )
