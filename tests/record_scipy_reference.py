"""Record SciPy's line search, CG and L-BFGS results for tests/test_linesearch.py,
tests/test_cg.py and tests/test_lbfgs.py.

Run with an environment that has SciPy (the test suite itself never imports it):

    python tests/record_scipy_reference.py            # both files
    python tests/record_scipy_reference.py lbfgs      # only scipy_lbfgs.json
    python tests/record_scipy_reference.py cg         # only scipy_cg.json

(The matrices come from a QR factorization, whose last digits depend on the LAPACK build:
re-recording one file leaves the other as it was.) It writes tests/reference/scipy_lbfgs.json
(see ``record_lbfgs``) and tests/reference/scipy_cg.json: for a few (f, x, d) cases the step length and the
evaluation counts of ``scipy.optimize.line_search`` (strong Wolfe, c1 = 1e-4, c2 = 0.1), and
the result of ``scipy.optimize.minimize(method="CG")`` (Polak-Ribiere+, its own Wolfe line
search with c2 = 0.4) on Rosenbrock and on a quadratic. The problems are written out here in
plain numpy so that the script does not depend on gradlib.
"""

from __future__ import annotations

import json
import platform
import sys
from pathlib import Path

import numpy as np
import scipy
from scipy.optimize import LbfgsInvHessProduct, line_search, minimize

OUT = Path(__file__).parent / "reference" / "scipy_cg.json"
OUT_LBFGS = Path(__file__).parent / "reference" / "scipy_lbfgs.json"


def rosenbrock(x):
    return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2


def rosenbrock_grad(x):
    r = x[1] - x[0] ** 2
    return np.array([-2 * (1 - x[0]) - 400 * x[0] * r, 200 * r])


def rosenbrock_hess(x):
    return np.array(
        [
            [2 - 400 * (x[1] - x[0] ** 2) + 800 * x[0] ** 2, -400 * x[0]],
            [-400 * x[0], 200.0],
        ]
    )


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
        (
            "rosenbrock",
            x_r,
            -np.linalg.solve(rosenbrock_hess(x_r), rosenbrock_grad(x_r)),
        ),
        ("rosenbrock", np.array([0.0, 0.0]), -rosenbrock_grad(np.array([0.0, 0.0]))),
        (
            "rosenbrock",
            np.array([1.5, 1.5]),
            -1e-3 * rosenbrock_grad(np.array([1.5, 1.5])),
        ),
        ("quadratic", x_q, -qgrad(x_q)),
        ("quadratic", x_q, -1e-3 * qgrad(x_q)),
        ("quadratic", x_q, x_star - x_q),
    ]
    line_searches = []
    for name, x, d in cases:
        f, grad = problems[name]
        alpha, fc, gc, new_f, _, _ = line_search(
            f, grad, x, d, gfk=grad(x), old_fval=f(x), c1=1e-4, c2=0.1
        )
        line_searches.append(
            {
                "problem": name,
                "x": x.tolist(),
                "d": d.tolist(),
                "c1": 1e-4,
                "c2": 0.1,
                "alpha": None if alpha is None else float(alpha),
                "nfev": int(fc),
                "ngev": int(gc),
                "f_new": None if new_f is None else float(new_f),
            }
        )

    minimizations = []
    for name, x0 in (("rosenbrock", x_r), ("quadratic", x_q)):
        f, grad = problems[name]
        res = minimize(
            f, x0, jac=grad, method="CG", options={"gtol": 1e-8, "maxiter": 10_000}
        )
        minimizations.append(
            {
                "problem": name,
                "x0": x0.tolist(),
                "gtol": 1e-8,
                "x": res.x.tolist(),
                "fun": float(res.fun),
                "nit": int(res.nit),
                "nfev": int(res.nfev),
                "njev": int(res.njev),
                "success": bool(res.success),
                "message": str(res.message),
            }
        )

    data = {
        "generated_by": "tests/record_scipy_reference.py",
        "versions": {
            "scipy": scipy.__version__,
            "numpy": np.__version__,
            "python": platform.python_version(),
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
        print(
            case["problem"],
            case["nit"],
            case["nfev"],
            case["njev"],
            case["success"],
            case["message"],
        )


LBFGS_QUADRATICS = {  # name: (n, smallest and largest eigenvalue, seed of Q, seed of x*)
    "quadratic_2d": (2, 1.0, 10.0, 3, 4),
    "quadratic_10d": (10, 1.0, 100.0, 0, 1),
    "quadratic_50d": (50, 1.0, 1000.0, 5, 6),
}


def lbfgs_problems() -> dict:
    """Rosenbrock and the quadratics of ``LBFGS_QUADRATICS``: (f, grad, x0, data)."""
    problems = {"rosenbrock": (rosenbrock, rosenbrock_grad, np.array([-1.2, 1.0]), {})}
    for name, (n, low, high, seed_q, seed_x) in LBFGS_QUADRATICS.items():
        A = spd_matrix(n, np.logspace(np.log10(low), np.log10(high), n), seed=seed_q)
        x_star = np.random.default_rng(seed_x).standard_normal(n)
        f, grad = quadratic(A, x_star)
        problems[name] = (
            f,
            grad,
            np.zeros(n),
            {"A": A.tolist(), "x_star": x_star.tolist()},
        )
    return problems


def record_lbfgs() -> None:
    """``minimize(method="L-BFGS-B")`` (no bounds, maxcor=10) and ``LbfgsInvHessProduct``.

    The runs use gtol=1e-8 (SciPy's test is on the largest gradient entry) and ftol=0, so
    that only the gradient stops them. The inverse-Hessian products are SciPy's two-loop
    recursion with H0 = I on fixed pairs (s_i, y_i = A s_i) and a fixed vector.
    """
    runs = []
    for name, (f, grad, x0, data) in lbfgs_problems().items():
        res = minimize(
            f,
            x0,
            jac=grad,
            method="L-BFGS-B",
            options={
                "maxcor": 10,
                "gtol": 1e-8,
                "ftol": 0.0,
                "maxiter": 10_000,
                "maxfun": 20_000,
            },
        )
        runs.append(
            {
                "problem": name,
                "x0": x0.tolist(),
                **data,
                "x": res.x.tolist(),
                "fun": float(res.fun),
                "nit": int(res.nit),
                "nfev": int(res.nfev),
                "njev": int(res.njev),
                "success": bool(res.success),
                "message": str(res.message),
                "grad_norm": float(np.linalg.norm(grad(res.x))),
            }
        )
    gen = np.random.default_rng(11)
    A = spd_matrix(6, np.logspace(0, 2, 6), seed=12)
    s_hist = gen.standard_normal((4, 6))
    y_hist = s_hist @ A
    v = gen.standard_normal(6)
    products = {
        "s": s_hist.tolist(),
        "y": y_hist.tolist(),
        "v": v.tolist(),
        "Hv": LbfgsInvHessProduct(s_hist, y_hist).matvec(v).tolist(),
    }
    data = {
        "generated_by": "tests/record_scipy_reference.py",
        "versions": {
            "scipy": scipy.__version__,
            "numpy": np.__version__,
            "python": platform.python_version(),
        },
        "minimize_lbfgsb": runs,
        "inverse_hessian_product": products,
    }
    OUT_LBFGS.write_text(json.dumps(data, indent=1) + "\n")
    print(f"wrote {OUT_LBFGS}")
    for run in runs:
        print(
            run["problem"],
            run["nit"],
            run["nfev"],
            run["success"],
            run["message"],
            run["grad_norm"],
        )


if __name__ == "__main__":
    which = set(sys.argv[1:]) or {"cg", "lbfgs"}
    if "cg" in which:
        main()
    if "lbfgs" in which:
        record_lbfgs()
