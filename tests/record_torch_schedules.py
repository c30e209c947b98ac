"""Record PyTorch's learning-rate schedules as reference numbers for tests/test_schedules.py.

Run with an environment that has torch (the tests themselves do not need it):

    python tests/record_torch_schedules.py

For each setting it records the learning rate PyTorch uses in updates 1, 2, ..., T: the
rate in the optimizer before update t, which is the rate after t - 1 calls of
``scheduler.step()``. The arrays go to tests/reference/schedules.npz under the keys
``<Scheduler>_<k>_params`` and ``<Scheduler>_<k>_lrs`` (and ``OneCycleLR_<k>_momenta``,
the momentum PyTorch writes into ``SGD(momentum=...)`` before update t).

``ReduceLROnPlateau`` is fed fixed sequences of losses (made here from a seeded numpy
generator); ``ReduceLROnPlateau_<k>_lrs[i]`` is the rate after ``scheduler.step(losses[i])``,
and ``ReduceLROnPlateau_<k>_settings`` the keyword arguments as a JSON string.
"""

import json
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
    "CosineAnnealingWarmRestarts": [
        {"lr": 0.1, "T_0": 10, "T_mult": 1, "eta_min": 0.0},
        {"lr": 1.0, "T_0": 5, "T_mult": 2, "eta_min": 0.01},
        {"lr": 0.05, "T_0": 1, "T_mult": 3, "eta_min": 0.001},
        {"lr": 0.3, "T_0": 7, "T_mult": 1, "eta_min": 0.1},
    ],
    "OneCycleLR": [
        {
            "max_lr": 0.1,
            "total_steps": 100,
            "pct_start": 0.3,
            "div_factor": 25.0,
            "final_div_factor": 1e4,
        },
        {
            "max_lr": 1.0,
            "total_steps": 57,
            "pct_start": 0.25,
            "div_factor": 10.0,
            "final_div_factor": 100.0,
        },
        {
            "max_lr": 0.02,
            "total_steps": 80,
            "pct_start": 0.5,
            "div_factor": 4.0,
            "final_div_factor": 1e3,
        },
    ],
}

PARAM_ORDER = {
    "StepLR": ("lr", "step_size", "gamma"),
    "ExponentialLR": ("lr", "gamma"),
    "CosineAnnealingLR": ("lr", "T_max", "eta_min"),
    "CosineAnnealingWarmRestarts": ("lr", "T_0", "T_mult", "eta_min"),
    "OneCycleLR": (
        "max_lr",
        "total_steps",
        "pct_start",
        "div_factor",
        "final_div_factor",
    ),
}

# More updates than STEPS where the interesting part is longer (cycles of 5, 10, 20, 40).
LENGTH = {"CosineAnnealingWarmRestarts": 160}

PLATEAU_SETTINGS = [
    {},  # PyTorch's defaults: factor 0.1, patience 10, threshold 1e-4 (rel)
    {"factor": 0.5, "patience": 2, "threshold": 1e-2},
    {"factor": 0.5, "patience": 1, "cooldown": 3, "min_lr": 0.01},
    {"factor": 0.3, "patience": 0, "threshold": 0.02, "threshold_mode": "abs"},
    {"mode": "max", "factor": 0.5, "patience": 3, "threshold": 1e-3},
    {"factor": 0.5, "patience": 1, "min_lr": 0.0999, "eps": 1e-3},
]


def record(name: str, setting: dict) -> np.ndarray:
    lrs, _ = record_with_momentum(name, setting)
    return lrs


def record_with_momentum(name: str, setting: dict) -> tuple[np.ndarray, np.ndarray]:
    w = torch.nn.Parameter(torch.zeros(1, dtype=torch.float64))
    opt = torch.optim.SGD([w], lr=setting.get("lr", 1.0), momentum=0.9)
    kwargs = {k: v for k, v in setting.items() if k != "lr"}
    scheduler = getattr(torch.optim.lr_scheduler, name)(opt, **kwargs)
    steps = LENGTH.get(name, STEPS)
    if name == "CosineAnnealingLR":
        steps = min(STEPS, setting["T_max"] + 1)
    if name == "OneCycleLR":
        steps = setting["total_steps"]  # PyTorch raises beyond
    lrs, momenta = [], []
    for _ in range(steps):
        lrs.append(opt.param_groups[0]["lr"])  # the rate of update t = len(lrs)
        momenta.append(opt.param_groups[0]["momentum"])
        opt.step()
        scheduler.step()
    return np.array(lrs, dtype=np.float64), np.array(momenta, dtype=np.float64)


def plateau_losses() -> dict[str, np.ndarray]:
    """Fixed loss sequences: noisy decay with plateaus, a noisy rising accuracy."""
    gen = np.random.default_rng(2024)
    k = np.arange(120)
    decay = 1.0 / (1.0 + 0.1 * k) + 0.02 * gen.standard_normal(k.size)
    stairs = np.repeat(
        [1.0, 0.8, 0.8, 0.5, 0.5, 0.5, 0.45, 0.3], 15
    ) + 1e-3 * gen.standard_normal(120)
    accuracy = 1.0 - np.exp(-k / 30.0) + 0.01 * gen.standard_normal(k.size)
    return {"decay": decay, "stairs": stairs, "accuracy": accuracy}


def record_plateau(losses: np.ndarray, setting: dict) -> np.ndarray:
    w = torch.nn.Parameter(torch.zeros(1, dtype=torch.float64))
    opt = torch.optim.SGD([w], lr=0.1)
    scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, **setting)
    lrs = []
    for loss in losses:
        opt.step()
        scheduler.step(float(loss))
        lrs.append(opt.param_groups[0]["lr"])  # the rate after observing this loss
    return np.array(lrs, dtype=np.float64)


def main() -> None:
    arrays = {"torch_version": np.array(torch.__version__)}
    for name, settings in SETTINGS.items():
        for k, setting in enumerate(settings):
            arrays[f"{name}_{k}_params"] = np.array(
                [float(setting[p]) for p in PARAM_ORDER[name]]
            )
            lrs, momenta = record_with_momentum(name, setting)
            arrays[f"{name}_{k}_lrs"] = lrs
            if name == "OneCycleLR":
                arrays[f"{name}_{k}_momenta"] = momenta
    sequences = plateau_losses()
    k = 0
    for setting in PLATEAU_SETTINGS:
        for which in (
            ("accuracy",) if setting.get("mode") == "max" else ("decay", "stairs")
        ):
            arrays[f"ReduceLROnPlateau_{k}_settings"] = np.array(json.dumps(setting))
            arrays[f"ReduceLROnPlateau_{k}_losses"] = sequences[which]
            arrays[f"ReduceLROnPlateau_{k}_lrs"] = record_plateau(
                sequences[which], setting
            )
            k += 1
    path = Path(__file__).parent / "reference" / "schedules.npz"
    path.parent.mkdir(exist_ok=True)
    np.savez(path, **arrays)
    print(f"wrote {path} ({len(arrays)} arrays, torch {torch.__version__})")


if __name__ == "__main__":
    main()
