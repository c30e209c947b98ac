"""Record PyTorch's gradient clipping as reference numbers for tests/test_clipping.py.

Run with an environment that has torch (the tests themselves do not need it):

    python tests/record_torch_clipping.py

Each case is a list of gradient arrays (float64, made here from a seeded numpy generator)
and a bound. ``torch.nn.utils.clip_grad_norm_(params, max_norm, norm_type=2)`` and
``clip_grad_value_(params, clip_value)`` clip the ``.grad`` of parameters in place; the
script stores the gradients before and after, and the norm ``clip_grad_norm_`` returns.
Keys in tests/reference/clipping.npz: ``norm_<k>_g<i>`` (input array i of case k),
``norm_<k>_clipped<i>``, ``norm_<k>_max_norm``, ``norm_<k>_total_norm``, and the same
with ``value_`` and ``limit`` for ``clip_grad_value_``.
"""

from pathlib import Path

import numpy as np
import torch


def cases() -> list[tuple[list[np.ndarray], float]]:
    gen = np.random.default_rng(7)
    one = [gen.standard_normal(5)]
    layers = [
        gen.standard_normal((3, 4)),
        gen.standard_normal(4),
        10 * gen.standard_normal((2, 3)),
    ]
    norm = float(np.sqrt(sum(np.sum(a**2) for a in layers)))
    tiny = [1e-3 * gen.standard_normal((2, 2))]
    return [
        (one, 0.5),  # clipped
        (one, 100.0),  # left alone (factor clamped to 1)
        (layers, 1.0),  # global norm over three arrays of different shapes
        (layers, norm),  # max_norm equal to the norm: the 1e-6 makes the factor < 1
        (layers, norm + 5e-7),  # within 1e-6 above the norm: still scaled
        (tiny, 1e-4),
        ([np.array([1.0, np.nan, 2.0])], 1.0),  # nan: everything nan
        (
            [np.array([1.0, np.inf, -2.0]), np.array([3.0])],
            1.0,
        ),  # inf: factor 0, inf * 0 = nan
    ]


def value_cases() -> list[tuple[list[np.ndarray], float]]:
    gen = np.random.default_rng(8)
    return [
        ([gen.standard_normal(6)], 0.5),
        ([gen.standard_normal((3, 3)), 5 * gen.standard_normal(2)], 1.0),
        ([gen.standard_normal(4)], 10.0),
        ([np.array([np.nan, -np.inf, np.inf, 0.3])], 0.2),
    ]


def with_grads(arrays: list[np.ndarray]) -> list[torch.nn.Parameter]:
    params = []
    for a in arrays:
        p = torch.nn.Parameter(torch.zeros(a.shape, dtype=torch.float64))
        p.grad = torch.tensor(a, dtype=torch.float64)
        params.append(p)
    return params


def main() -> None:
    out = {"torch_version": np.array(torch.__version__)}
    for k, (arrays, max_norm) in enumerate(cases()):
        params = with_grads(arrays)
        total = torch.nn.utils.clip_grad_norm_(params, max_norm, norm_type=2.0)
        out[f"norm_{k}_max_norm"] = np.array(max_norm)
        out[f"norm_{k}_total_norm"] = np.array(float(total))
        for i, (a, p) in enumerate(zip(arrays, params, strict=True)):
            out[f"norm_{k}_g{i}"] = a
            out[f"norm_{k}_clipped{i}"] = p.grad.numpy().copy()
    for k, (arrays, limit) in enumerate(value_cases()):
        params = with_grads(arrays)
        torch.nn.utils.clip_grad_value_(params, clip_value=limit)
        out[f"value_{k}_limit"] = np.array(limit)
        for i, (a, p) in enumerate(zip(arrays, params, strict=True)):
            out[f"value_{k}_g{i}"] = a
            out[f"value_{k}_clipped{i}"] = p.grad.numpy().copy()
    path = Path(__file__).parent / "reference" / "clipping.npz"
    np.savez(path, **out)
    print(f"wrote {path} ({len(out)} arrays, torch {torch.__version__})")


if __name__ == "__main__":
    main()
