"""Time one optimizer step on 10^6 float64 parameters, for every gradlib optimizer.

Run from the repository root::

    python benchmarks/bench_optimizers.py [--n 1000000] [--repeats 7]

Prints the median time of one ``opt.step(x, g, state)`` per optimizer. When PyTorch can be
imported, the matching ``torch.optim`` step on the same float64 tensor is timed as well,
with the ratio gradlib / torch. PyTorch runs on one thread by default here, like numpy's
element-wise operations; ``--torch-threads`` changes that.
"""

from __future__ import annotations

import argparse
import pathlib
import sys
import time

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

import gradlib as gl  # noqa: E402

try:
    import torch
except ImportError:  # the benchmark works without PyTorch
    torch = None

# (label, gradlib optimizer, torch.optim class name, torch keyword arguments)
CASES = [
    ("GD", gl.GD(lr=0.01), "SGD", {"lr": 0.01}),
    ("Momentum", gl.Momentum(lr=0.01, gamma=0.9), "SGD", {"lr": 0.01, "momentum": 0.9}),
    (
        "Nesterov (pytorch)",
        gl.Nesterov(lr=0.01, gamma=0.9, form="pytorch"),
        "SGD",
        {"lr": 0.01, "momentum": 0.9, "nesterov": True},
    ),
    ("Nesterov (lookahead)", gl.Nesterov(lr=0.01, gamma=0.9), None, None),
    ("AdaGrad", gl.AdaGrad(lr=0.01), "Adagrad", {"lr": 0.01}),
    ("RMSprop", gl.RMSprop(lr=0.01), "RMSprop", {"lr": 0.01}),
    ("Adadelta", gl.Adadelta(), "Adadelta", {}),
    ("Adam", gl.Adam(), "Adam", {}),
    ("AdaMax", gl.AdaMax(), "Adamax", {}),
    ("Nadam (torch schedule)", gl.Nadam(momentum_decay=0.004), "NAdam", {}),
    ("AMSGrad", gl.AMSGrad(), "Adam", {"amsgrad": True}),
    ("AdamW", gl.AdamW(), "AdamW", {}),
    ("ASGD", gl.ASGD(), "ASGD", {}),
]


def median_time(fn, repeats: int) -> float:
    fn()  # warm up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def time_gradlib(opt, x, g, repeats):
    state = opt.init(x)
    x1, state = opt.step(x, g, state)  # accumulators no longer zero

    def one():
        opt.step(x1, g, state)

    return median_time(one, repeats)


def time_torch(name, kwargs, x, g, repeats):
    param = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    param.grad = torch.tensor(g, dtype=torch.float64)
    opt = getattr(torch.optim, name)([param], **kwargs)

    def one():
        with torch.no_grad():
            opt.step()

    return median_time(one, repeats)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="number of parameters")
    parser.add_argument(
        "--repeats", type=int, default=7, help="timed repeats per optimizer"
    )
    parser.add_argument(
        "--torch-threads",
        type=int,
        default=1,
        help="torch intra-op threads (numpy runs these element-wise operations on one)",
    )
    args = parser.parse_args(argv)
    if torch is not None:
        torch.set_num_threads(args.torch_threads)
    rng = np.random.default_rng(0)
    x, g = rng.standard_normal(args.n), rng.standard_normal(args.n)
    versions = f"numpy {np.__version__}, " + (
        f"torch {torch.__version__} on {torch.get_num_threads()} thread(s)"
        if torch
        else "no torch"
    )
    print(
        f"one step on {args.n:,} float64 parameters, median of {args.repeats} ({versions})"
    )
    header = f"{'optimizer':24s} {'gradlib ms':>11s}"
    if torch is not None:
        header += f" {'torch ms':>9s} {'ratio':>6s}"
    print(header)
    print("-" * len(header))
    for label, opt, torch_name, torch_kwargs in CASES:
        t_gl = time_gradlib(opt, x, g, args.repeats)
        line = f"{label:24s} {1e3 * t_gl:11.2f}"
        if torch is not None and torch_name is not None:
            t_pt = time_torch(torch_name, torch_kwargs, x, g, args.repeats)
            line += f" {1e3 * t_pt:9.2f} {t_gl / t_pt:6.2f}"
        print(line)


if __name__ == "__main__":
    main()
