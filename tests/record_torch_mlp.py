"""Record reference losses and gradients of small MLPs computed by PyTorch autograd.

Run with an environment that has torch (the test suite itself never imports it):

    python tests/record_torch_mlp.py

It writes ``tests/reference/mlp.npz``. For every hidden activation and every loss it builds
one network with fixed random weights (drawn here with numpy and saved), evaluates the
mean loss on a fixed batch in float64, and saves the loss and the gradient of every
parameter, flattened in gradlib's layout: ``W1, b1, W2, b2, ...`` with each ``W`` of
shape ``(n_out, n_in)`` stored row by row (``torch.nn.Linear``'s own layout).

The losses, as gradlib defines them (mean over the batch):
``mse``: 1/2 * squared error summed over outputs; ``bce``: binary cross-entropy on the
logits summed over outputs; ``softmax_ce``: ``torch.nn.functional.cross_entropy``.
"""

from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)

ACTIVATIONS = {
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "relu": torch.relu,
    "leaky_relu": lambda z: F.leaky_relu(z, negative_slope=0.01),
    "identity": lambda z: z,
}
# (loss, output activation for mse, number of outputs)
LOSSES = [
    ("mse", "identity", 2),
    ("mse", "sigmoid", 2),
    ("bce", "sigmoid", 1),
    ("softmax_ce", "softmax", 3),
]
HIDDEN = [6, 5, 4]
D_IN, N = 3, 8


def loss_fn(loss, output, z, y):
    if loss == "mse":
        a = torch.sigmoid(z) if output == "sigmoid" else z
        return 0.5 * ((a - y) ** 2).sum(dim=1).mean()
    if loss == "bce":
        return F.binary_cross_entropy_with_logits(z, y, reduction="sum") / len(z)
    return F.cross_entropy(z, y)


def main():
    rng = np.random.default_rng(20260101)
    out = {"torch_version": np.array(torch.__version__)}
    for act_name, act in ACTIVATIONS.items():
        for loss, output, k in LOSSES:
            key = f"{act_name}-{loss}-{output}"
            sizes = [D_IN, *HIDDEN, k]
            Ws, bs = [], []
            for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True):
                Ws.append(
                    torch.tensor(
                        1.5 * rng.standard_normal((n_out, n_in)) / np.sqrt(n_in),
                        requires_grad=True,
                    )
                )
                bs.append(
                    torch.tensor(0.3 * rng.standard_normal(n_out), requires_grad=True)
                )
            X = rng.standard_normal((N, D_IN))
            if loss == "mse":
                y = rng.uniform(0.0, 1.0, size=(N, k))
                y_t = torch.tensor(y)
            elif loss == "bce":
                y = rng.integers(0, 2, size=(N, 1)).astype(float)
                y_t = torch.tensor(y)
            else:
                y = rng.integers(0, k, size=N)
                y_t = torch.tensor(y)
            a = torch.tensor(X)
            for i, (W, b) in enumerate(zip(Ws, bs, strict=True)):
                z = a @ W.T + b
                a = act(z) if i < len(Ws) - 1 else z
            value = loss_fn(loss, output, z, y_t)
            value.backward()
            theta = np.concatenate(
                [
                    p.detach().numpy().ravel()
                    for W, b in zip(Ws, bs, strict=True)
                    for p in (W, b)
                ]
            )
            grad = np.concatenate(
                [
                    p.grad.numpy().ravel()
                    for W, b in zip(Ws, bs, strict=True)
                    for p in (W, b)
                ]
            )
            out[f"{key}/sizes"] = np.array(sizes)
            out[f"{key}/theta"] = theta
            out[f"{key}/X"] = X
            out[f"{key}/y"] = y
            out[f"{key}/loss"] = np.array(value.item())
            out[f"{key}/grad"] = grad
    path = Path(__file__).parent / "reference" / "mlp.npz"
    path.parent.mkdir(exist_ok=True)
    np.savez_compressed(path, **out)
    print(
        f"wrote {path} ({path.stat().st_size} bytes, {len(ACTIVATIONS) * len(LOSSES)} networks)"
    )


if __name__ == "__main__":
    main()
