"""One plain RNN layer (the Elman cell): forward and backward (BPTT).

PyTorch's layout: ``w_ih`` (H, I), ``w_hh`` (H, H), ``b_ih``, ``b_hh`` (H,)::

    h_t = act(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)    (B, H), act = tanh or relu

The primer's h' mixes the input x and the previous state h in one sum.
"""
import numpy as np

GATES = ("hidden",)


def forward(X, w_ih, w_hh, b_ih, b_hh, h0, c0=None, clamp_mask=None, clamp_value=None,
            keep=None, nonlinearity="tanh"):
    T, B, I = X.shape
    H = w_hh.shape[1]
    xp = (X.reshape(T * B, I) @ w_ih.T + (b_ih + b_hh)).reshape(T, B, H)
    whh_t = w_hh.T
    pre = np.empty((T, B, H), X.dtype)
    h = np.empty((T, B, H), X.dtype)
    relu = nonlinearity == "relu"
    h_prev = h0
    for t in range(T):
        np.matmul(h_prev, whh_t, out=pre[t])
        pre[t] += xp[t]
        if relu:
            np.maximum(pre[t], 0.0, out=h[t])
        else:
            np.tanh(pre[t], out=h[t])
        if keep is not None:
            h[t] *= keep[t]
        h_prev = h[t]
    return {"hidden": h, "pre_hidden": pre}


def backward(X, w_ih, w_hh, v, h0, c0, d_h, d_c=None, clamp_mask=None, keep=None,
             nonlinearity="tanh"):
    T, B, I = X.shape
    H = w_hh.shape[1]
    h = v["hidden"]
    h_prev = np.concatenate([h0[None], h[:-1]])
    if nonlinearity == "relu":
        F = (v["pre_hidden"] > 0).astype(X.dtype)
    else:
        F = 1 - h * h   # silenced units pass no gradient, whatever F holds there
    dpre = np.empty((T, B, H), X.dtype)
    d_hidden = np.empty((T, B, H), X.dtype)
    dh_next = np.zeros((B, H), X.dtype)
    for t in range(T - 1, -1, -1):
        dh = d_hidden[t]
        np.add(d_h[t], dh_next, out=dh)
        if keep is not None:
            dh = dh * keep[t]
        np.multiply(dh, F[t], out=dpre[t])
        np.matmul(dpre[t], w_hh, out=dh_next)
    D = dpre.reshape(T * B, H)
    gb = D.sum(0)
    grads = {
        "weight_ih": D.T @ X.reshape(T * B, I),
        "weight_hh": D.T @ h_prev.reshape(T * B, H),
        "bias_ih": gb, "bias_hh": gb.copy(),
    }
    dX = (D @ w_ih).reshape(T, B, I)
    return dX, grads, dh_next, None, d_hidden, None
