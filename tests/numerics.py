"""Array comparison helpers for the numeric tests (imported as ``numerics``).

Not in conftest.py: tests/e2e has a conftest of its own, and two modules named
``conftest`` cannot both be imported by name.
"""
import numpy as np


def max_abs_err(a, b):
    """Largest absolute difference between two arrays of the same shape."""
    a, b = np.asarray(a), np.asarray(b)
    assert a.shape == b.shape, f"shapes differ: {a.shape} vs {b.shape}"
    return float(np.max(np.abs(a - b))) if a.size else 0.0


def max_rel_err(a, b):
    """Largest difference relative to the reference ``b``'s largest magnitude."""
    scale = float(np.max(np.abs(b))) if np.size(b) else 0.0
    return max_abs_err(a, b) / max(scale, np.finfo(np.float64).tiny)
