"""Record PyTorch's learning-rate schedules as reference numbers for tests/test_schedules.py.

Run with an environment that has torch (the tests themselves do not need it):

    python tests/record_torch_schedules.py

For each setting it records the learning rate PyTorch uses in updates 1, 2, ..., T: the
rate in the optimizer before update t, which is the rate after t - 1 calls of
``scheduler.step()``. The arrays go to tests/reference/schedules.npz under the keys
``<Scheduler>_<k>_params`` and ``<Scheduler>_<k>_lrs``.
"""

from pathlib import Path

import numpy as np
import torch

STEPS = 60

SETTINGS = {
    "StepLR": [
        {"lr": 0.1, "step_size": 10, "gamma": 0.5},
        {"lr": 1.0, "step_size": 7, "gamma": 0.1},
        {"lr": 0.03, "step_size": 1, "gamma": 0.9},
    ],
    "ExponentialLR": [
        {"lr": 0.1, "gamma": 0.95},
        {"lr": 1.0, "gamma": 0.5},
        {"lr": 0.003, "gamma": 0.999},
    ],
    "CosineAnnealingLR": [
        {"lr": 0.1, "T_max": 59, "eta_min": 0.0},
        {"lr": 1.0, "T_max": 80, "eta_min": 0.01},
        {"lr": 0.05, "T_max": 50, "eta_min": 0.001},
    ],
}

PARAM_ORDER = {"StepLR": ("lr", "step_size", "gamma"), "ExponentialLR": ("lr", "gamma"),
               "CosineAnnealingLR": ("lr", "T_max", "eta_min")}


def record(name: str, setting: dict) -> np.ndarray:
    w = torch.nn.Parameter(torch.zeros(1, dtype=torch.float64))
    opt = torch.optim.SGD([w], lr=setting["lr"])
    kwargs = {k: v for k, v in setting.items() if k != "lr"}
    scheduler = getattr(torch.optim.lr_scheduler, name)(opt, **kwargs)
    steps = STEPS if name != "CosineAnnealingLR" else min(STEPS, setting["T_max"] + 1)
    lrs = []
    for _ in range(steps):
        lrs.append(opt.param_groups[0]["lr"])  # the rate of update t = len(lrs)
        opt.step()
        scheduler.step()
    return np.array(lrs, dtype=np.float64)


def main() -> None:
    arrays = {"torch_version": np.array(torch.__version__)}
    for name, settings in SETTINGS.items():
        for k, setting in enumerate(settings):
            arrays[f"{name}_{k}_params"] = np.array([float(setting[p]) for p in PARAM_ORDER[name]])
            arrays[f"{name}_{k}_lrs"] = record(name, setting)
    path = Path(__file__).parent / "reference" / "schedules.npz"
    path.parent.mkdir(exist_ok=True)
    np.savez(path, **arrays)
    print(f"wrote {path} ({len(arrays)} arrays, torch {torch.__version__})")


if __name__ == "__main__":
    main()
