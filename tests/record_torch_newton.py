"""Record Newton and saddle-free Newton steps computed with PyTorch, for tests/test_newton.py.

Run with an environment that has torch (the tests themselves do not need it):

    python tests/record_torch_newton.py

The test functions are written out here in torch; gradients and Hessians come from
autograd (``torch.autograd.functional.hessian``), not from gradlib's formulas. At fixed
points the script records the Newton step ``-solve(H, g)`` and the saddle-free step
``-V diag(1 / max(|lambda|, floor)) V^T g`` from ``torch.linalg.eigh``, and five-step
trajectories of both methods (full steps, lr = 1) from a few starts. Everything is
float64; keys in tests/reference/newton.npz are ``<problem>_points``, ``<problem>_newton``,
``<problem>_saddle_free``, ``<problem>_eigenvalues``, ``<problem>_newton_path``,
``<problem>_saddle_free_path`` and ``floor``.
"""

from pathlib import Path

import numpy as np
import torch

FLOOR = 1e-8
PATH_STEPS = 5


def rosenbrock(x):
    return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2


def himmelblau(x):
    return (x[0] ** 2 + x[1] - 11) ** 2 + (x[0] + x[1] ** 2 - 7) ** 2


def saddle(x):
    return x[0] ** 2 - x[1] ** 2


def monkey_saddle(x):
    return x[0] ** 3 - 3 * x[0] * x[1] ** 2


PROBLEMS = {
    "rosenbrock": (
        rosenbrock,
        [[-1.2, 1.0], [0.0, 1.0], [0.5, 0.1], [1.5, 1.5], [-0.3, 0.8]],
        [-1.2, 1.0],
    ),
    "himmelblau": (
        himmelblau,
        [[0.0, 0.0], [-0.5, -0.5], [1.0, 3.0], [-3.0, 0.5], [2.5, -1.0]],
        [0.5, 2.0],
    ),
    "saddle": (saddle, [[1.0, 0.5], [-2.0, 0.01], [0.3, -1.5]], [1.0, 0.5]),
    "monkey_saddle": (
        monkey_saddle,
        [[1.0, 0.5], [-0.7, 0.2], [0.4, -1.1]],
        [1.0, 0.3],
    ),
}


def derivatives(f, x):
    x = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    (g,) = torch.autograd.grad(f(x), x)
    H = torch.autograd.functional.hessian(f, x.detach())
    return g, H


def newton(f, x):
    g, H = derivatives(f, x)
    return -torch.linalg.solve(H, g)


def saddle_free(f, x):
    g, H = derivatives(f, x)
    lam, V = torch.linalg.eigh(H)
    return -V @ ((V.T @ g) / torch.clamp(lam.abs(), min=FLOOR)), lam


def path(step, f, x0):
    xs = [np.array(x0, dtype=float)]
    for _ in range(PATH_STEPS):
        p = step(f, xs[-1].tolist())
        p = p[0] if isinstance(p, tuple) else p
        xs.append(xs[-1] + p.numpy())
    return np.array(xs)


def main() -> None:
    out = {"torch_version": np.array(torch.__version__), "floor": np.array(FLOOR)}
    for name, (f, points, start) in PROBLEMS.items():
        out[f"{name}_points"] = np.array(points, dtype=float)
        out[f"{name}_newton"] = np.array([newton(f, p).numpy() for p in points])
        free = [saddle_free(f, p) for p in points]
        out[f"{name}_saddle_free"] = np.array([p.numpy() for p, _ in free])
        out[f"{name}_eigenvalues"] = np.array([lam.numpy() for _, lam in free])
        out[f"{name}_newton_path"] = path(newton, f, start)
        out[f"{name}_saddle_free_path"] = path(saddle_free, f, start)
    file = Path(__file__).parent / "reference" / "newton.npz"
    np.savez(file, **out)
    print(f"wrote {file} ({len(out)} arrays, torch {torch.__version__})")


if __name__ == "__main__":
    main()
