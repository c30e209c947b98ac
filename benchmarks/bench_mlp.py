"""Time one training step of a deep MLP: forward, backward and an Adam update.

Run from the repository root with the project's environment:

    .venv/bin/python benchmarks/bench_mlp.py            # 10 layers of width 64, batch 128
    .venv/bin/python benchmarks/bench_mlp.py --repeats 500

Prints the median (and quartiles) in milliseconds of ``loss_and_grad`` plus one ``Adam.step``
on a 10-layer, width-64 ReLU network with a softmax output, on a batch of 128 examples.

Matrices this small gain nothing from a multithreaded BLAS, and on a busy machine its threads
can make every product many times slower; compare with ``OPENBLAS_NUM_THREADS=1``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import gradlib as gl  # noqa: E402
from gradlib.mlp import MLP  # noqa: E402


def bench(
    layers: int = 10, width: int = 64, batch: int = 128, repeats: int = 200
) -> np.ndarray:
    """Seconds taken by each of ``repeats`` training steps (after a few warm-up steps)."""
    rng = np.random.default_rng(0)
    n_in, n_classes = 16, 10
    net = MLP(
        [n_in] + [width] * (layers - 1) + [n_classes],
        activation="relu",
        loss="softmax_ce",
    )
    X = rng.standard_normal((batch, n_in))
    y = rng.integers(0, n_classes, size=batch)
    theta = net.init_params(rng)
    opt = gl.Adam(lr=1e-3)
    state = opt.init(theta)
    times = []
    for k in range(repeats + 10):
        start = time.perf_counter()
        _, g = net.loss_and_grad(theta, X, y)
        theta, state = opt.step(theta, g, state)
        if k >= 10:
            times.append(time.perf_counter() - start)
    return np.array(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--layers", type=int, default=10)
    parser.add_argument("--width", type=int, default=64)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--repeats", type=int, default=200)
    args = parser.parse_args()
    t = bench(args.layers, args.width, args.batch, args.repeats) * 1e3
    q1, median, q3 = np.percentile(t, [25, 50, 75])
    n_params = MLP([16] + [args.width] * (args.layers - 1) + [10]).n_params
    threads = os.environ.get(
        "OPENBLAS_NUM_THREADS", os.environ.get("OMP_NUM_THREADS", "default")
    )
    print(
        f"MLP {args.layers} layers x width {args.width} ({n_params} parameters), batch {args.batch}: "
        f"one step (loss_and_grad + Adam.step) median {median:.3f} ms "
        f"[quartiles {q1:.3f}, {q3:.3f}] over {args.repeats} steps, BLAS threads: {threads}"
    )


if __name__ == "__main__":
    main()
