"""gradlib: gradients and gradient-based optimization in plain numpy.

The library behind the book *Gradients and Optimization for Deep Learning*. Every
algorithm lives here once; the chapters import it and show its source.

>>> import gradlib as gl
>>> traj = gl.run(gl.GD(lr=0.5), gl.functions.quadratic(kappa=1.0), [1.0, 1.0], steps=3)
>>> traj.xs[-1]
array([0., 0.])

The optimizers sit at the top level (``gl.Adam``), everything else in one module per
concept: ``functions`` (test problems), ``gradcheck``, ``schedules``, ``averaging``, ``mlp``,
``data``, ``linesearch``, ``cg``, ``lbfgs``, ``newton``, ``clipping``, ``variance`` (SVRG) and
``race`` (tuned comparisons). Three modules are imported on first use, so that the
algorithms work without matplotlib or a Jupyter front end: ``plotting`` (figures),
``widgets`` (explorers for Jupyter) and ``book`` (the notebooks' publishing helpers).
"""

import importlib

from . import (
    averaging,
    cg,
    clipping,
    data,
    functions,
    gradcheck,
    lbfgs,
    linesearch,
    mlp,
    newton,
    race,
    schedules,
    variance,
)
from .optimizers import *  # noqa: F403  (the optimizer catalogue is the public namespace)
from .optimizers import __all__ as _optimizers_all
from .run import Trajectory, run

__version__ = "0.1.0"

_LAZY = ("plotting", "widgets", "book")

__all__ = [
    "averaging",
    "cg",
    "data",
    "functions",
    "gradcheck",
    "linesearch",
    "mlp",
    "race",
    "schedules",
    "clipping",
    "lbfgs",
    "newton",
    "variance",
    "Trajectory",
    "run",
    *_optimizers_all,
]


def __getattr__(name):
    if name in _LAZY:
        module = importlib.import_module(f".{name}", __name__)
        globals()[name] = module
        return module
    raise AttributeError(f"module 'gradlib' has no attribute {name!r}")
