"""Record an SVRG run computed with PyTorch's autograd and ``torch.optim.SGD``, for tests/test_variance.py.

Run with an environment that has torch (the tests themselves do not need it):

    python tests/record_torch_svrg.py

The problem is least squares, f(w) = 1/n sum_i 1/2 (x_i^T w - y_i)^2, on data made here
from a seeded numpy generator. The example indices are drawn exactly as
``gradlib.variance.SVRG`` draws them inside ``gradlib.run(..., rng=SEED)``: one
``rng.integers(n, size=batch_size)`` per update from ``numpy.random.default_rng(SEED)``,
with nothing else drawn from it. Gradients come from autograd, not from formulas; the
update is ``torch.optim.SGD(lr)``. Every ``m`` updates the snapshot is the current point
and its full gradient the mean of all example gradients. The iterates after every update
go to tests/reference/svrg.npz (``xs``, shape (steps + 1, d)), with the data and settings.
"""

from pathlib import Path

import numpy as np
import torch

N, D, NOISE = 40, 5, 0.5
LR, M, BATCH, STEPS, SEED = 0.02, 80, 1, 400, 0


def data() -> tuple[np.ndarray, np.ndarray]:
    gen = np.random.default_rng(123)
    X = gen.standard_normal((N, D))
    y = X @ gen.standard_normal(D) + NOISE * gen.standard_normal(N)
    return X, y


def main() -> None:
    X, y = data()
    Xt, yt = torch.tensor(X), torch.tensor(y)

    def batch_gradient(w, idx):
        w = w.detach().clone().requires_grad_(True)
        loss = 0.5 * ((Xt[idx] @ w - yt[idx]) ** 2).mean()
        (g,) = torch.autograd.grad(loss, w)
        return g

    w = torch.zeros(D, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.SGD([w], lr=LR)
    gen = np.random.default_rng(SEED)
    everyone = torch.arange(N)
    xs = [w.detach().numpy().copy()]
    for t in range(1, STEPS + 1):
        if (t - 1) % M == 0:
            w_tilde = w.detach().clone()
            mu = batch_gradient(w_tilde, everyone)
        idx = torch.tensor(gen.integers(N, size=BATCH))
        g = batch_gradient(w, idx) - batch_gradient(w_tilde, idx) + mu
        opt.zero_grad()
        w.grad = g
        opt.step()
        xs.append(w.detach().numpy().copy())
    path = Path(__file__).parent / "reference" / "svrg.npz"
    np.savez(
        path,
        X=X,
        y=y,
        xs=np.array(xs),
        lr=LR,
        m=M,
        batch_size=BATCH,
        steps=STEPS,
        seed=SEED,
        torch_version=np.array(torch.__version__),
    )
    print(f"wrote {path}; final point {xs[-1]}")


if __name__ == "__main__":
    main()
