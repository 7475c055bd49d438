"""One LSTM layer over a whole sequence: forward and backward (BPTT).

Shapes: T steps, B sequences, I inputs, H units. PyTorch's layout:
``w_ih`` (4H, I), ``w_hh`` (4H, H), ``b_ih`` and ``b_hh`` (4H,), rows stacked
i, f, g, o (input gate, forget gate, candidate, output gate).

For every step t, with the primer's symbols on the right::

    a      = W_ih x_t + b_ih + W_hh h_{t-1} + b_hh      (B, 4H)  [x^t, h^{t-1}] times W
    i      = σ(a_i)                                     (B, H)   z^i  select-and-memorize gate
    f      = σ(a_f)                                     (B, H)   z^f  forget gate
    g      = tanh(a_g)                                  (B, H)   z    candidate
    o      = σ(a_o)                                     (B, H)   z^o  output gate
    c_t    = f ⊙ c_{t-1} + i ⊙ g                        (B, H)   c^t
    h_t    = o ⊙ tanh(c_t)                              (B, H)   h^t

Speed: the input projection of all T steps is one matmul; the loop does only
the recurrent product and element-wise work, in place. σ(a) is computed as
0.5·tanh(a/2) + 0.5, and the halving is folded into the weight rows (exact in
floating point), so one tanh call activates all four blocks.
"""
import numpy as np

GATES = ("input", "forget", "candidate", "output")  # PyTorch row order


def _scale(H, dtype):
    """Per-row factor: 0.5 for the sigmoid blocks (i, f, o), 1 for g."""
    s = np.full(4 * H, 0.5, dtype=dtype)
    s[2 * H:3 * H] = 1.0
    return s, np.where(s == 0.5, 0.5, 0.0).astype(dtype)


def forward(X, w_ih, w_hh, b_ih, b_hh, h0, c0, clamp_mask=None, clamp_value=None, keep=None):
    """Run the layer on X (T, B, I) from h0, c0 (B, H).

    clamp_mask / clamp_value: (T, B, 4H) overrides of the activated gates;
    keep: (T, B, H) 0/1 factors that silence units. Returns a dict of
    (T, B, ·) arrays.
    """
    T, B, I = X.shape
    H = w_hh.shape[1]
    scale, shift = _scale(H, X.dtype)
    xp = (X.reshape(T * B, I) @ (w_ih.T * scale) + (b_ih + b_hh) * scale).reshape(T, B, 4 * H)
    whh_t = w_hh.T * scale
    spre = np.empty((T, B, 4 * H), X.dtype)   # scaled pre-activations
    act = np.empty((T, B, 4 * H), X.dtype)    # i, f, g, o after σ / tanh
    c = np.empty((T, B, H), X.dtype)
    tc = np.empty((T, B, H), X.dtype)
    h = np.empty((T, B, H), X.dtype)
    tmp = np.empty((B, H), X.dtype)
    h_prev, c_prev = h0, c0
    for t in range(T):
        s = spre[t]
        np.matmul(h_prev, whh_t, out=s)
        s += xp[t]
        a = act[t]
        np.tanh(s, out=a)
        a *= scale
        a += shift
        if clamp_mask is not None:
            np.copyto(a, clamp_value[t], where=clamp_mask[t])
        ct = c[t]
        np.multiply(a[:, H:2 * H], c_prev, out=ct)
        np.multiply(a[:, :H], a[:, 2 * H:3 * H], out=tmp)
        ct += tmp
        if keep is not None:
            ct *= keep[t]
        np.tanh(ct, out=tc[t])
        np.multiply(a[:, 3 * H:], tc[t], out=h[t])
        h_prev, c_prev = h[t], ct
    pre = spre / scale   # exact: the scale is a power of two
    return {
        "input": act[..., :H], "forget": act[..., H:2 * H],
        "candidate": act[..., 2 * H:3 * H], "output": act[..., 3 * H:],
        "cell": c, "cell_tanh": tc, "hidden": h,
        "pre_input": pre[..., :H], "pre_forget": pre[..., H:2 * H],
        "pre_candidate": pre[..., 2 * H:3 * H], "pre_output": pre[..., 3 * H:],
    }


def backward(X, w_ih, w_hh, v, h0, c0, d_h, d_c=None, clamp_mask=None, keep=None):
    """BPTT through one layer.

    v: the dict ``forward`` returned; d_h, d_c: (T, B, H) gradients of the
    loss with respect to h_t and c_t from outside the recurrence (the layer
    above, the output layer, the user). Returns (dX, grads, dh0, dc0,
    d_hidden, d_cell) where d_hidden[t] = ∂L/∂h_t and d_cell[t] = ∂L/∂c_t in
    total, through all later steps.
    """
    T, B, I = X.shape
    H = w_hh.shape[1]
    i, f, g, o = v["input"], v["forget"], v["candidate"], v["output"]
    c, tc, h = v["cell"], v["cell_tanh"], v["hidden"]
    c_prev = np.concatenate([c0[None], c[:-1]])
    h_prev = np.concatenate([h0[None], h[:-1]])
    # ∂a/∂(stage) factors for all steps at once: dpre = dc·A (i, f, g), dh·A (o)
    A = np.empty((T, B, 4, H), X.dtype)
    A[:, :, 0] = g * i * (1 - i)
    A[:, :, 1] = c_prev * f * (1 - f)
    A[:, :, 2] = i * (1 - g * g)
    A[:, :, 3] = tc * o * (1 - o)
    if clamp_mask is not None:   # a clamped gate is a constant: no gradient to its pre-activation
        A.reshape(T, B, 4 * H)[clamp_mask] = 0.0
    K = o * (1 - tc * tc)        # ∂h/∂c
    dpre = np.empty((T, B, 4, H), X.dtype)
    d_hidden = np.empty((T, B, H), X.dtype)
    d_cell = np.empty((T, B, H), X.dtype)
    dh_next = np.zeros((B, H), X.dtype)
    dc_next = np.zeros((B, H), X.dtype)
    for t in range(T - 1, -1, -1):
        dh = d_hidden[t]
        np.add(d_h[t], dh_next, out=dh)
        dc = d_cell[t]
        np.multiply(dh, K[t], out=dc)
        dc += dc_next
        if d_c is not None:
            dc += d_c[t]
        if keep is not None:
            dc = dc * keep[t]
            dh = dh * keep[t]
        np.multiply(A[t, :, :3], dc[:, None, :], out=dpre[t, :, :3])
        np.multiply(A[t, :, 3], dh, out=dpre[t, :, 3])
        np.matmul(dpre[t].reshape(B, 4 * H), w_hh, out=dh_next)
        np.multiply(dc, f[t], out=dc_next)
    D = dpre.reshape(T * B, 4 * H)
    gb = D.sum(0)
    grads = {
        "weight_ih": D.T @ X.reshape(T * B, I),
        "weight_hh": D.T @ h_prev.reshape(T * B, H),
        "bias_ih": gb, "bias_hh": gb.copy(),
    }
    dX = (D @ w_ih).reshape(T, B, I)
    return dX, grads, dh_next, dc_next, d_hidden, d_cell
