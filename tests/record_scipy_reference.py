"""Record SciPy's line search and CG results for tests/test_linesearch.py and tests/test_cg.py.

Run with an environment that has SciPy (the test suite itself never imports it):

    python tests/record_scipy_reference.py

It writes tests/reference/scipy_cg.json: for a few (f, x, d) cases the step length and the
evaluation counts of ``scipy.optimize.line_search`` (strong Wolfe, c1 = 1e-4, c2 = 0.1), and
the result of ``scipy.optimize.minimize(method="CG")`` (Polak-Ribiere+, its own Wolfe line
search with c2 = 0.4) on Rosenbrock and on a quadratic. The problems are written out here in
plain numpy so that the script does not depend on gradlib.
"""

from __future__ import annotations

import json
import platform
from pathlib import Path

import numpy as np
import scipy
from scipy.optimize import line_search, minimize

OUT = Path(__file__).parent / "reference" / "scipy_cg.json"


def rosenbrock(x):
    return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2


def rosenbrock_grad(x):
    r = x[1] - x[0] ** 2
    return np.array([-2 * (1 - x[0]) - 400 * x[0] * r, 200 * r])


def rosenbrock_hess(x):
    return np.array([[2 - 400 * (x[1] - x[0] ** 2) + 800 * x[0] ** 2, -400 * x[0]], [-400 * x[0], 200.0]])


def spd_matrix(n: int, eigenvalues, seed: int) -> np.ndarray:
    """Q diag(eigenvalues) Q^T with Q from the QR factorization of a seeded Gaussian matrix."""
    Q, _ = np.linalg.qr(np.random.default_rng(seed).standard_normal((n, n)))
    A = Q @ np.diag(eigenvalues) @ Q.T
    return (A + A.T) / 2


def quadratic(A, x_star):
    """f(x) = 1/2 (x - x*)^T A (x - x*): minimum value 0 at x*."""
    def f(x):
        return 0.5 * (x - x_star) @ A @ (x - x_star)

    def grad(x):
        return A @ (x - x_star)

    return f, grad


def main() -> None:
    n = 10
    A = spd_matrix(n, np.logspace(0, 2, n), seed=0)
    x_star = np.random.default_rng(1).standard_normal(n)
    qf, qgrad = quadratic(A, x_star)
    problems = {"rosenbrock": (rosenbrock, rosenbrock_grad), "quadratic": (qf, qgrad)}

    x_r = np.array([-1.2, 1.0])
    x_q = np.zeros(n)
    cases = [
        ("rosenbrock", x_r, -rosenbrock_grad(x_r)),
        ("rosenbrock", x_r, -np.linalg.solve(rosenbrock_hess(x_r), rosenbrock_grad(x_r))),
        ("rosenbrock", np.array([0.0, 0.0]), -rosenbrock_grad(np.array([0.0, 0.0]))),
        ("rosenbrock", np.array([1.5, 1.5]), -1e-3 * rosenbrock_grad(np.array([1.5, 1.5]))),
        ("quadratic", x_q, -qgrad(x_q)),
        ("quadratic", x_q, -1e-3 * qgrad(x_q)),
        ("quadratic", x_q, x_star - x_q),
    ]
    line_searches = []
    for name, x, d in cases:
        f, grad = problems[name]
        alpha, fc, gc, new_f, _, _ = line_search(f, grad, x, d, gfk=grad(x), old_fval=f(x), c1=1e-4, c2=0.1)
        line_searches.append({
            "problem": name, "x": x.tolist(), "d": d.tolist(), "c1": 1e-4, "c2": 0.1,
            "alpha": None if alpha is None else float(alpha), "nfev": int(fc), "ngev": int(gc),
            "f_new": None if new_f is None else float(new_f),
        })

    minimizations = []
    for name, x0 in (("rosenbrock", x_r), ("quadratic", x_q)):
        f, grad = problems[name]
        res = minimize(f, x0, jac=grad, method="CG", options={"gtol": 1e-8, "maxiter": 10_000})
        minimizations.append({
            "problem": name, "x0": x0.tolist(), "gtol": 1e-8, "x": res.x.tolist(), "fun": float(res.fun),
            "nit": int(res.nit), "nfev": int(res.nfev), "njev": int(res.njev), "success": bool(res.success),
            "message": str(res.message),
        })

    data = {
        "generated_by": "tests/record_scipy_reference.py",
        "versions": {
            "scipy": scipy.__version__, "numpy": np.__version__, "python": platform.python_version(),
        },
        "quadratic": {"A": A.tolist(), "x_star": x_star.tolist()},
        "line_search": line_searches,
        "minimize_cg": minimizations,
    }
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps(data, indent=1) + "\n")
    print(f"wrote {OUT}")
    for case in line_searches:
        print(case["problem"], case["alpha"], case["nfev"], case["ngev"])
    for case in minimizations:
        print(case["problem"], case["nit"], case["nfev"], case["njev"], case["success"], case["message"])


if __name__ == "__main__":
    main()
