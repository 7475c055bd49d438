"""Adam and gradient clipping for a dict of NumPy parameters, updated in place.

Adam (Kingma & Ba 2015), for each parameter θ with gradient g at step t:

    m ← β1 m + (1 − β1) g              v ← β2 v + (1 − β2) g²
    θ ← θ − lr · (m / (1 − β1^t)) / (√(v / (1 − β2^t)) + ε)
"""
import numpy as np


def global_norm(grads):
    """√(Σ over all arrays of Σ g²)."""
    return float(np.sqrt(sum(float(np.vdot(g, g)) for g in grads.values())))


def clip_by_global_norm(grads, max_norm):
    """Scale all gradients by min(1, max_norm / ‖g‖) in place; return ‖g‖ before."""
    norm = global_norm(grads)
    if max_norm and norm > max_norm:
        s = max_norm / (norm + 1e-12)
        for g in grads.values():
            g *= s
    return norm


class Adam:
    """Adam over ``params`` (name → array); ``step(grads)`` updates them in place.

    Only names present in both ``params`` and ``grads`` are updated, so the
    extra entries ``model.backward`` returns ("input", "h0", …) are ignored.
    """

    def __init__(self, params, lr=1e-2, betas=(0.9, 0.999), eps=1e-8):
        if not lr > 0:
            raise ValueError(f"learning rate must be above 0; got {lr}")
        self.params = params
        self.lr, (self.b1, self.b2), self.eps = float(lr), betas, eps
        self.m = {k: np.zeros_like(v) for k, v in params.items()}
        self.v = {k: np.zeros_like(v) for k, v in params.items()}
        self.t = 0

    def step(self, grads):
        self.t += 1
        c1 = 1.0 - self.b1 ** self.t
        c2 = 1.0 - self.b2 ** self.t
        for k, p in self.params.items():
            g = grads.get(k)
            if g is None:
                continue
            m, v = self.m[k], self.v[k]
            m *= self.b1
            m += (1.0 - self.b1) * g
            v *= self.b2
            v += (1.0 - self.b2) * (g * g)
            p -= (self.lr / c1) * m / (np.sqrt(v / c2) + self.eps)

    def state(self):
        return {"t": self.t, "m": self.m, "v": self.v}
