"""The 5-D smooth test function on which PyTorch's optimizers were recorded.

Shared by ``tests/record_torch_optimizers.py`` (which needs PyTorch) and
``tests/test_optimizers.py`` (which must not), so that both use the very same numbers.
"""

import numpy as np

X0 = np.array([-1.0, 2.0, 0.3, -1.5, 1.2])
D = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
C = np.array([1.0, -1.0, 0.5, 2.0, -0.5])


def objective(x):
    """Quadratic bowl + quartic + log coupling of neighbours: smooth, not quadratic."""
    r = x[1:] - x[:-1]
    return 0.5 * np.sum(D * (x - C) ** 2) + 0.05 * np.sum(x**4) + np.sum(np.log1p(r**2))


def gradient(x):
    """Gradient of :func:`objective`."""
    r = x[1:] - x[:-1]
    q = 2 * r / (1 + r**2)
    g = D * (x - C) + 0.2 * x**3
    g[1:] += q
    g[:-1] -= q
    return g
