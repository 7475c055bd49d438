"""One plain RNN layer (the Elman cell): forward and backward (BPTT).

PyTorch's layout: ``w_ih`` (H, I), ``w_hh`` (H, H), ``b_ih``, ``b_hh`` (H,)::

    h_t = act(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)    (B, H), act = tanh or relu

The primer's h' mixes the input x and the previous state h in one sum. The
input projection of all steps is one matmul, written into the array that ends
up holding the pre-activations; the loop adds W_hh h_{t-1} in place.
"""
import numpy as np

from .lstm import recurrent_matrix

GATES = ("hidden",)
BACKWARD_NEEDS = ("hidden", "pre_hidden")


def forward(X, w_ih, w_hh, b_ih, b_hh, h0, c0=None, clamp_mask=None, clamp_value=None,
            keep=None, nonlinearity="tanh"):
    """Run the layer on X (T, B, I) from h0 (B, H); keep (T, B, H) silences units."""
    T, B, I = X.shape
    H = w_hh.shape[1]
    P = np.matmul(X.reshape(T * B, I), w_ih.T).reshape(T, B, H)   # pre-activations, (T, B, H)
    P += b_ih + b_hh
    w_h = recurrent_matrix(w_hh, B)
    h = np.empty((T, B, H), X.dtype)
    rec = np.empty((B, H), X.dtype)
    act = (lambda a, out: np.maximum(a, 0.0, out=out)) if nonlinearity == "relu" else np.tanh
    matmul, add = np.matmul, np.add
    h_prev = h0
    for t in range(T):
        Pt, ht = P[t], h[t]
        matmul(h_prev, w_h, rec)
        add(Pt, rec, Pt)
        act(Pt, ht)
        if keep is not None:
            ht *= keep[t]
        h_prev = ht
    return {"hidden": h, "pre_hidden": P}


def backward(X, w_ih, w_hh, v, h0, c0, d_h, d_c=None, clamp_mask=None, keep=None,
             nonlinearity="tanh"):
    """BPTT: dpre_t = (d_h[t] + W_hhᵀ dpre_{t+1}) ⊙ act'(pre_t) ⊙ keep_t; then
    ∂W_ih = Σ dpre xᵀ, ∂W_hh = Σ dpre h_{t−1}ᵀ, ∂b = Σ dpre, ∂x = W_ihᵀ dpre."""
    T, B, I = X.shape
    H = w_hh.shape[1]
    dt = X.dtype
    h = v["hidden"]
    if nonlinearity == "relu":
        F = (v["pre_hidden"] > 0).astype(dt)
    else:
        F = np.multiply(h, h)
        np.subtract(1.0, F, F)   # silenced units pass no gradient, whatever F holds there
    if keep is not None:
        F *= keep
    D = np.empty((T, B, H), dt)
    d_hidden = np.empty((T, B, H), dt)
    dh_next = np.zeros((B, H), dt)
    matmul, add, mul = np.matmul, np.add, np.multiply
    for t in range(T - 1, -1, -1):
        dh = d_hidden[t]
        add(d_h[t], dh_next, dh)
        mul(dh, F[t], D[t])
        matmul(D[t], w_hh, dh_next)
    Dm = D.reshape(T * B, H)
    gb = Dm.sum(0)
    g_hh = Dm[:B].T @ h0
    if T > 1:
        g_hh += Dm[B:].T @ h[:-1].reshape((T - 1) * B, H)
    grads = {
        "weight_ih": Dm.T @ X.reshape(T * B, I),
        "weight_hh": g_hh,
        "bias_ih": gb, "bias_hh": gb.copy(),
    }
    dX = (Dm @ w_ih).reshape(T, B, I)
    return dX, grads, dh_next, None, d_hidden, None
