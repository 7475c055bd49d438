"""Shared test helpers (keep generic: every area's tests may use them)."""
import numpy as np
import pytest


@pytest.fixture
def rng():
    """A seeded NumPy generator, so each test is reproducible."""
    return np.random.default_rng(1234)
