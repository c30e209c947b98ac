"""Record ``torch.optim.LBFGS(line_search_fn="strong_wolfe")`` runs for tests/test_lbfgs.py.

Run with an environment that has torch (the tests themselves do not need it):

    python tests/record_torch_lbfgs.py

The problems are those of tests/reference/scipy_lbfgs.json (Rosenbrock from (-1.2, 1) and
three quadratics 1/2 (x - x*)^T A (x - x*), whose A and x* are read from that file), so
that both references describe the same runs. PyTorch runs in float64 with
``history_size=10``, ``lr=1``, ``tolerance_grad=1e-8`` (on the largest gradient entry),
``tolerance_change=0`` and one ``step(closure)`` of up to 10000 iterations. The script
records the final point, the number of iterations (``state["n_iter"]``) and of function
evaluations (``state["func_evals"]``, one gradient with each) in
tests/reference/torch_lbfgs.json.
"""

import json
from pathlib import Path

import torch

REFERENCE = Path(__file__).parent / "reference"


def rosenbrock(x):
    return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2


def quadratic(A, x_star):
    A, x_star = (
        torch.tensor(A, dtype=torch.float64),
        torch.tensor(x_star, dtype=torch.float64),
    )
    return lambda x: 0.5 * (x - x_star) @ A @ (x - x_star)


def minimize(f, x0) -> dict:
    x = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.LBFGS(
        [x],
        lr=1,
        max_iter=10_000,
        max_eval=20_000,
        tolerance_grad=1e-8,
        tolerance_change=0.0,
        history_size=10,
        line_search_fn="strong_wolfe",
    )

    def closure():
        opt.zero_grad()
        loss = f(x)
        loss.backward()
        return loss

    opt.step(closure)
    state = opt.state[x]
    loss = f(x)
    (grad,) = torch.autograd.grad(loss, x)
    return {
        "x": x.detach().numpy().tolist(),
        "fun": float(loss),
        "nit": int(state["n_iter"]),
        "nfev": int(state["func_evals"]),
        "grad_norm": float(grad.norm()),
    }


def main() -> None:
    scipy_runs = json.loads((REFERENCE / "scipy_lbfgs.json").read_text())[
        "minimize_lbfgsb"
    ]
    runs = []
    for run in scipy_runs:
        f = (
            rosenbrock
            if run["problem"] == "rosenbrock"
            else quadratic(run["A"], run["x_star"])
        )
        runs.append(
            {"problem": run["problem"], "x0": run["x0"], **minimize(f, run["x0"])}
        )
        print(
            runs[-1]["problem"],
            runs[-1]["nit"],
            runs[-1]["nfev"],
            runs[-1]["grad_norm"],
        )
    data = {
        "generated_by": "tests/record_torch_lbfgs.py",
        "torch": torch.__version__,
        "settings": {
            "history_size": 10,
            "lr": 1,
            "tolerance_grad": 1e-8,
            "tolerance_change": 0.0,
        },
        "runs": runs,
    }
    path = REFERENCE / "torch_lbfgs.json"
    path.write_text(json.dumps(data, indent=1) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
