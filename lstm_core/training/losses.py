"""Losses on the output layer, each returning (loss, d_logits).

Shapes: logits (T, B, O); targets (T, B) class indices for cross-entropy,
(T, B, O) numbers for MSE; mask (T, B) — 1 where a step is scored, 0 where
it is not (e.g. only the last step of a recall sequence). N = mask.sum().

    softmax cross-entropy   L = −(1/N) Σ_{t,b} m_tb · log softmax(z_tb)[k_tb]
                            ∂L/∂z_tb = m_tb · (softmax(z_tb) − onehot(k_tb)) / N
    mean squared error      L = (1/N) Σ_{t,b} m_tb · Σ_o (z_tbo − y_tbo)²
                            ∂L/∂z_tb = 2 m_tb (z_tb − y_tb) / N

``d_logits`` is what ``model.backward(trace, d_logits=...)`` takes.
"""
import numpy as np

from ..cells.activations import log_softmax


def _mask(mask, shape):
    m = np.ones(shape[:2]) if mask is None else np.asarray(mask, dtype=float)
    if m.shape != tuple(shape[:2]):
        raise ValueError(f"mask must have shape {tuple(shape[:2])}; found {m.shape}")
    n = m.sum()
    if n <= 0:
        raise ValueError("the mask scores no step")
    return m, n


def cross_entropy(logits, targets, mask=None):
    """Masked softmax cross-entropy (mean over scored steps) and its gradient."""
    z = np.asarray(logits)
    k = np.asarray(targets, dtype=np.int64)
    if k.shape != z.shape[:2]:
        raise ValueError(f"targets must have shape {z.shape[:2]}; found {k.shape}")
    m, n = _mask(mask, z.shape)
    logp = log_softmax(z)
    k_safe = np.where(m > 0, k, 0)
    picked = np.take_along_axis(logp, k_safe[..., None], axis=-1)[..., 0]
    loss = float(-(picked * m).sum() / n)
    d = np.exp(logp)
    np.put_along_axis(d, k_safe[..., None], np.take_along_axis(d, k_safe[..., None], -1) - 1.0, -1)
    d *= (m / n)[..., None].astype(d.dtype)
    return loss, d


def mse(outputs, targets, mask=None):
    """Masked mean squared error (summed over output units) and its gradient."""
    z = np.asarray(outputs)
    y = np.asarray(targets, dtype=z.dtype).reshape(z.shape)
    m, n = _mask(mask, z.shape)
    diff = (z - y) * m[..., None].astype(z.dtype)
    loss = float((diff * diff).sum() / n)
    return loss, (2.0 / n) * diff


def accuracy(logits, targets, mask=None):
    """Share of scored steps whose largest logit is the target class."""
    z = np.asarray(logits)
    m, n = _mask(mask, z.shape)
    return float(((z.argmax(-1) == np.asarray(targets)) * m).sum() / n)


def within(outputs, targets, tol, mask=None):
    """Share of scored steps where every output is within ``tol`` of its target
    (the adding problem's criterion: absolute error below 0.04)."""
    z = np.asarray(outputs)
    y = np.asarray(targets).reshape(z.shape)
    m, n = _mask(mask, z.shape)
    ok = (np.abs(z - y) < tol).all(-1)
    return float((ok * m).sum() / n)
