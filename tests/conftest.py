"""Shared test helpers (keep generic: every area's tests may use them)."""
import numpy as np
import pytest


@pytest.fixture
def rng():
    """A seeded NumPy generator, so each test is reproducible."""
    return np.random.default_rng(1234)


def max_abs_err(a, b):
    """Largest absolute difference between two arrays of the same shape."""
    a, b = np.asarray(a), np.asarray(b)
    assert a.shape == b.shape, f"shapes differ: {a.shape} vs {b.shape}"
    return float(np.max(np.abs(a - b))) if a.size else 0.0


def max_rel_err(a, b):
    """Largest difference relative to the reference ``b``'s largest magnitude."""
    scale = float(np.max(np.abs(b))) if np.size(b) else 0.0
    return max_abs_err(a, b) / max(scale, np.finfo(np.float64).tiny)
