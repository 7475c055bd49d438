"""One plain RNN layer (the Elman cell): forward and backward (BPTT).

PyTorch's layout: ``w_ih`` (H, I), ``w_hh`` (H, H), ``b_ih``, ``b_hh`` (H,)::

    h_t = act(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)    (B, H), act = tanh or relu

The primer's h' mixes the input x and the previous state h in one sum. The
input projection of all steps is one matmul, written into the array that ends
up holding h; the loop adds W_hh h_{t-1} and activates in place. The
pre-activations are recomputed from the stored h when first read.
"""
import numpy as np

from ..notation import ROW_ORDER, TRACE_VALUES
from .kernels import chunks, previous, recurrent_matrix

LATER = tuple(f"pre_{n}" for n in ROW_ORDER["rnn"])   # computed when first read
BACKWARD_NEEDS = TRACE_VALUES["rnn"]


def forward(X, w_ih, w_hh, b_ih, b_hh, h0, c0=None, clamp_mask=None, clamp_value=None,
            keep=None, nonlinearity="tanh"):
    """Run the layer on X (T, B, I) from h0 (B, H); keep (T, B, H) silences units."""
    T, B, I = X.shape
    H = w_hh.shape[1]
    h = np.matmul(X.reshape(T * B, I), w_ih.T).reshape(T, B, H)   # starts as W_ih x_t, (T, B, H)
    bias = b_ih + b_hh
    w_h = recurrent_matrix(w_hh, B)
    rec = np.empty((B, H), X.dtype)
    act = (lambda a, out: np.maximum(a, 0.0, out=out)) if nonlinearity == "relu" else np.tanh
    if B == 1:          # one pass now; a batch adds b step by step, while the step is in cache
        h += bias
        bias = None
    else:               # … from a full (B, H) copy: adding a broadcast (H,) costs more at small H
        bias = np.ascontiguousarray(np.broadcast_to(bias, (B, H)))
    matmul, add = np.matmul, np.add
    h_prev = h0
    for t, ht in enumerate(h):
        matmul(h_prev, w_h, rec)
        add(ht, rec, ht)
        if bias is not None:
            add(ht, bias, ht)                    # the pre-activation …
        act(ht, ht)                              # … activated in place
        if keep is not None:
            ht *= keep[t]
        h_prev = ht
    return {"hidden": h}


def pre_activations(X, w_ih, w_hh, b_ih, b_hh, h0, v):
    """W_ih x_t + b_ih + W_hh h_{t-1} + b_hh for every step at once, from the stored h."""
    T, B, I = X.shape
    H = w_hh.shape[1]
    P = X.reshape(T * B, I) @ w_ih.T
    P += previous(h0, v["hidden"]).reshape(T * B, H) @ w_hh.T
    P += b_ih + b_hh
    return {"pre_hidden": P.reshape(T, B, H)}


def backward(X, w_ih, w_hh, v, h0, c0, d_h, d_c=None, clamp_mask=None, keep=None,
             nonlinearity="tanh"):
    """BPTT: dpre_t = (d_h[t] + W_hhᵀ dpre_{t+1}) ⊙ act'(pre_t) ⊙ keep_t; then
    ∂W_ih = Σ dpre xᵀ, ∂W_hh = Σ dpre h_{t−1}ᵀ, ∂b = Σ dpre, ∂x = W_ihᵀ dpre.

    act' is read off h: 1 − h² for tanh, [h > 0] for relu (a silenced unit has
    h = 0). As in ``lstm.py``, the factors are computed per chunk of steps and
    a reused group buffer of dpre feeds the weight gradients' matmuls."""
    T, B, I = X.shape
    H = w_hh.shape[1]
    dt = X.dtype
    h = v["hidden"]
    _, R, steps = chunks(T, B, H, 1)
    D = np.empty((R, B, H), dt)                  # act'(pre_t), then dpre_t
    d_hidden = np.empty((T, B, H), dt)
    dX = np.empty((T, B, I), dt)
    g_ih = np.zeros((H, I), dt)
    g_hh = np.zeros((H, H), dt)
    gb = np.zeros(H, dt)
    dh_next = np.zeros((B, H), dt)
    matmul, add, mul = np.matmul, np.add, np.multiply
    for a, end, r0 in steps:                     # chunks [a, end), the last first
        F, hc = D[r0:r0 + end - a], h[a:end]
        if nonlinearity == "relu":
            np.greater(hc, 0.0, out=F, casting="unsafe")
        else:
            mul(hc, hc, F)
            np.subtract(1.0, F, F)
        if keep is not None:
            F *= keep[a:end]
        for t in range(end - 1, a - 1, -1):
            dh, Dt = d_hidden[t], D[r0 + t - a]
            add(d_h[t], dh_next, dh)
            mul(dh, Dt, Dt)
            matmul(Dt, w_hh, dh_next)
        if r0 == 0:                              # the group [a, a + R) is complete
            e = min(T, a + R)
            m = (e - a) * B
            Dm = D[:e - a].reshape(m, H)
            g_ih += Dm.T @ X[a:e].reshape(m, I)
            if a == 0:
                g_hh += Dm[:B].T @ h0
                if e > 1:
                    g_hh += Dm[B:].T @ h[:e - 1].reshape(m - B, H)
            else:
                g_hh += Dm.T @ h[a - 1:e - 1].reshape(m, H)
            gb += Dm.sum(0)
            matmul(Dm, w_ih, dX[a:e].reshape(m, I))
    grads = {"weight_ih": g_ih, "weight_hh": g_hh, "bias_ih": gb, "bias_hh": gb.copy()}
    return dX, grads, dh_next, None, d_hidden, None
