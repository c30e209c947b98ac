"""Record reference trajectories of ``torch.optim`` optimizers for tests/test_optimizers.py.

Run with an environment that has PyTorch (the tests themselves never import it)::

    python tests/record_torch_optimizers.py

Every optimizer runs STEPS updates in float64 on the 5-D smooth function ``objective`` of
``tests/reference_problem.py``, from ``X0``. The test uses the same gradient code, so the
comparison checks the optimizers' arithmetic alone. The result is written to
``tests/reference/optimizers.npz``: one array of iterates per setting (shape
``(STEPS + 1, 5)``; for ASGD also the running average ``<key>/ax``, shape ``(STEPS, 5)``)
and a JSON description of every setting under ``"settings"``.
"""

import json
import pathlib

import numpy as np
import torch
from reference_problem import X0, gradient

STEPS = 60


# (key, torch class, keyword arguments, schedule) ; schedule ("inv", k) means the learning
# rate of update t is lr / (1 + k (t - 1)), applied with torch.optim.lr_scheduler.LambdaLR.
SETTINGS = [
    ("sgd_1", "SGD", {"lr": 0.05}, None),
    ("sgd_2", "SGD", {"lr": 0.1}, None),
    ("sgd_3", "SGD", {"lr": 0.02}, ("inv", 0.1)),
    ("momentum_1", "SGD", {"lr": 0.02, "momentum": 0.9}, None),
    ("momentum_2", "SGD", {"lr": 0.05, "momentum": 0.5}, None),
    ("momentum_3", "SGD", {"lr": 0.01, "momentum": 0.99}, None),
    ("momentum_4", "SGD", {"lr": 0.03, "momentum": 0.9}, ("inv", 0.1)),
    ("nesterov_1", "SGD", {"lr": 0.02, "momentum": 0.9, "nesterov": True}, None),
    ("nesterov_2", "SGD", {"lr": 0.05, "momentum": 0.5, "nesterov": True}, None),
    ("nesterov_3", "SGD", {"lr": 0.01, "momentum": 0.99, "nesterov": True}, None),
    ("adagrad_1", "Adagrad", {"lr": 0.1}, None),
    (
        "adagrad_2",
        "Adagrad",
        {"lr": 0.5, "eps": 1e-6, "initial_accumulator_value": 0.1},
        None,
    ),
    ("adagrad_3", "Adagrad", {"lr": 0.3, "lr_decay": 0.05}, None),
    ("adagrad_4", "Adagrad", {"lr": 1.0, "initial_accumulator_value": 1.0}, None),
    ("rmsprop_1", "RMSprop", {"lr": 0.01, "alpha": 0.99}, None),
    ("rmsprop_2", "RMSprop", {"lr": 0.05, "alpha": 0.9, "eps": 1e-6}, None),
    ("rmsprop_3", "RMSprop", {"lr": 0.002, "alpha": 0.5, "eps": 1e-3}, None),
    (
        "rmsprop_centered_1",
        "RMSprop",
        {"lr": 0.01, "alpha": 0.9, "centered": True},
        None,
    ),
    (
        "rmsprop_centered_2",
        "RMSprop",
        {"lr": 0.005, "alpha": 0.99, "eps": 1e-6, "centered": True, "momentum": 0.5},
        None,
    ),
    (
        "rmsprop_momentum_1",
        "RMSprop",
        {"lr": 0.002, "alpha": 0.9, "momentum": 0.9},
        None,
    ),
    (
        "rmsprop_momentum_2",
        "RMSprop",
        {"lr": 0.01, "alpha": 0.99, "momentum": 0.5},
        ("inv", 0.1),
    ),
    ("rprop_1", "Rprop", {"lr": 0.01}, None),
    (
        "rprop_2",
        "Rprop",
        {"lr": 0.1, "etas": [0.3, 1.5], "step_sizes": [1e-4, 1.0]},
        None,
    ),
    (
        "rprop_3",
        "Rprop",
        {"lr": 0.5, "etas": [0.5, 1.2], "step_sizes": [1e-6, 0.2]},
        None,
    ),
    ("adadelta_1", "Adadelta", {"lr": 1.0, "rho": 0.9, "eps": 1e-6}, None),
    ("adadelta_2", "Adadelta", {"rho": 0.95, "eps": 1e-4}, None),
    ("adadelta_3", "Adadelta", {"lr": 0.5, "rho": 0.5, "eps": 1e-3}, None),
    ("adadelta_4", "Adadelta", {"lr": 2.0, "rho": 0.99, "eps": 1e-2}, None),
    ("adam_1", "Adam", {"lr": 0.05}, None),
    ("adam_2", "Adam", {"lr": 0.1, "betas": [0.8, 0.99], "eps": 1e-6}, None),
    ("adam_3", "Adam", {"lr": 0.01, "betas": [0.5, 0.9], "eps": 1e-3}, None),
    ("adam_4", "Adam", {"lr": 0.2, "betas": [0.0, 0.999]}, ("inv", 0.05)),
    ("amsgrad_1", "Adam", {"lr": 0.05, "amsgrad": True}, None),
    ("amsgrad_2", "Adam", {"lr": 0.1, "betas": [0.8, 0.99], "amsgrad": True}, None),
    (
        "amsgrad_3",
        "Adam",
        {"lr": 0.2, "betas": [0.9, 0.5], "eps": 1e-6, "amsgrad": True},
        None,
    ),
    ("adamax_1", "Adamax", {"lr": 0.05}, None),
    ("adamax_2", "Adamax", {"lr": 0.1, "betas": [0.8, 0.99], "eps": 1e-6}, None),
    ("adamax_3", "Adamax", {"lr": 0.02, "betas": [0.5, 0.9], "eps": 1e-3}, None),
    ("adamw_1", "AdamW", {"lr": 0.05}, None),
    ("adamw_2", "AdamW", {"lr": 0.1, "betas": [0.8, 0.99], "weight_decay": 0.1}, None),
    ("adamw_3", "AdamW", {"lr": 0.02, "eps": 1e-6, "weight_decay": 1.0}, None),
    ("nadam_1", "NAdam", {"lr": 0.05}, None),
    (
        "nadam_2",
        "NAdam",
        {"lr": 0.1, "betas": [0.8, 0.99], "momentum_decay": 0.01},
        None,
    ),
    ("nadam_3", "NAdam", {"lr": 0.02, "eps": 1e-6, "momentum_decay": 0.1}, None),
    ("radam_1", "RAdam", {"lr": 0.05}, None),
    ("radam_2", "RAdam", {"lr": 0.1, "betas": [0.8, 0.99], "eps": 1e-6}, None),
    ("radam_3", "RAdam", {"lr": 0.02, "betas": [0.5, 0.9], "eps": 1e-3}, ("inv", 0.05)),
    ("asgd_1", "ASGD", {"lr": 0.05}, None),
    ("asgd_2", "ASGD", {"lr": 0.05, "lambd": 0.01, "alpha": 0.5, "t0": 5.0}, None),
    (
        "asgd_3",
        "ASGD",
        {"lr": 0.1, "lambd": 1e-3, "alpha": 1.0, "t0": 10.0, "weight_decay": 0.1},
        None,
    ),
    ("asgd_4", "ASGD", {"lr": 0.02, "lambd": 0.1, "t0": 0.0}, None),
]


def record(cls_name, kwargs, schedule):
    param = torch.tensor(X0, dtype=torch.float64, requires_grad=True)
    for pair in ("betas", "etas", "step_sizes"):
        if pair in kwargs:
            kwargs = {**kwargs, pair: tuple(kwargs[pair])}
    opt = getattr(torch.optim, cls_name)([param], **kwargs, foreach=False)
    sched = None
    if schedule is not None:
        k = schedule[1]
        sched = torch.optim.lr_scheduler.LambdaLR(
            opt, lambda epoch: 1.0 / (1.0 + k * epoch)
        )
    xs, axs = [X0.copy()], []
    for _ in range(STEPS):
        x = param.detach().numpy().copy()
        param.grad = torch.from_numpy(gradient(x))
        opt.step()
        if sched is not None:
            sched.step()
        xs.append(param.detach().numpy().copy())
        if cls_name == "ASGD":
            axs.append(opt.state[param]["ax"].detach().numpy().copy())
    return np.array(xs), (np.array(axs) if axs else None)


def main():
    torch.set_default_dtype(
        torch.float64
    )  # optimizer scalars (ASGD's eta, mu) in float64
    arrays, meta = {}, []
    for key, cls_name, kwargs, schedule in SETTINGS:
        xs, axs = record(cls_name, kwargs, schedule)
        assert np.all(np.isfinite(xs)), key
        arrays[key] = xs
        if axs is not None:
            arrays[key + "/ax"] = axs
        meta.append(
            {
                "key": key,
                "torch": cls_name,
                "kwargs": kwargs,
                "schedule": None if schedule is None else list(schedule),
            }
        )
    arrays["settings"] = np.array(
        json.dumps(
            {
                "torch": torch.__version__,
                "steps": STEPS,
                "x0": X0.tolist(),
                "settings": meta,
            }
        )
    )
    out = pathlib.Path(__file__).parent / "reference" / "optimizers.npz"
    out.parent.mkdir(exist_ok=True)
    np.savez_compressed(out, **arrays)
    print(f"wrote {len(SETTINGS)} settings to {out} ({out.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
