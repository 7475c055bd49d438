"""One GRU layer over a whole sequence: forward and backward (BPTT).

PyTorch's layout: ``w_ih`` (3H, I), ``w_hh`` (3H, H), ``b_ih``, ``b_hh`` (3H,),
rows stacked r, z, n. Per step (B sequences, H units)::

    r   = σ(W_ir x + b_ir + W_hr h_{t-1} + b_hr)        (B, H)  reset gate
    u   = σ(W_iz x + b_iz + W_hz h_{t-1} + b_hz)        (B, H)  update gate (PyTorch's z)
    hn  = W_hn h_{t-1} + b_hn                           (B, H)  recurrent part of the candidate
    n   = tanh(W_in x + b_in + r ⊙ hn)                  (B, H)  candidate
    h_t = (1 - u) ⊙ n + u ⊙ h_{t-1}                     (B, H)

``b_hn`` sits inside the reset product, as in PyTorch and Keras's
``reset_after=True``. As in ``lstm.py``, σ is 0.5·tanh(a/2) + 0.5 with the
halving folded into the r and z rows.
"""
import numpy as np

GATES = ("reset", "update", "candidate")  # PyTorch row order r, z, n


def forward(X, w_ih, w_hh, b_ih, b_hh, h0, c0=None, clamp_mask=None, clamp_value=None, keep=None):
    T, B, I = X.shape
    H = w_hh.shape[1]
    s = np.ones(3 * H, X.dtype)
    s[:2 * H] = 0.5
    xp = (X.reshape(T * B, I) @ (w_ih.T * s) + b_ih * s).reshape(T, B, 3 * H)
    whh_t, bhh = w_hh.T * s, b_hh * s
    hp = np.empty((T, B, 3 * H), X.dtype)     # scaled W_hh h + b_hh
    spre = np.empty((T, B, 2 * H), X.dtype)   # scaled r, z pre-activations
    act = np.empty((T, B, 3 * H), X.dtype)    # r, u, n
    npre = np.empty((T, B, H), X.dtype)
    h = np.empty((T, B, H), X.dtype)
    diff = np.empty((B, H), X.dtype)
    h_prev = h0
    for t in range(T):
        p = hp[t]
        np.matmul(h_prev, whh_t, out=p)
        p += bhh
        np.add(xp[t, :, :2 * H], p[:, :2 * H], out=spre[t])
        a = act[t]
        rz = a[:, :2 * H]
        np.tanh(spre[t], out=rz)
        rz *= 0.5
        rz += 0.5
        if clamp_mask is not None:
            np.copyto(a, clamp_value[t], where=clamp_mask[t])
        n = a[:, 2 * H:]
        np.multiply(a[:, :H], p[:, 2 * H:], out=npre[t])
        npre[t] += xp[t, :, 2 * H:]
        np.tanh(npre[t], out=n)
        if clamp_mask is not None:
            np.copyto(a, clamp_value[t], where=clamp_mask[t])
        np.subtract(h_prev, n, out=diff)
        diff *= a[:, H:2 * H]
        np.add(n, diff, out=h[t])
        if keep is not None:
            h[t] *= keep[t]
        h_prev = h[t]
    return {
        "reset": act[..., :H], "update": act[..., H:2 * H], "candidate": act[..., 2 * H:],
        "hidden": h,
        "pre_reset": 2 * spre[..., :H], "pre_update": 2 * spre[..., H:],
        "pre_candidate": npre, "candidate_recurrent": hp[..., 2 * H:],
    }


def backward(X, w_ih, w_hh, v, h0, c0, d_h, d_c=None, clamp_mask=None, keep=None):
    T, B, I = X.shape
    H = w_hh.shape[1]
    r, u, n, hn = v["reset"], v["update"], v["candidate"], v["candidate_recurrent"]
    h_prev = np.concatenate([h0[None], v["hidden"][:-1]])
    Fn = (1 - u) * (1 - n * n)            # ∂h/∂(n's pre-activation)
    Fz = (h_prev - n) * u * (1 - u)       # ∂h/∂(u's pre-activation)
    Fr = hn * r * (1 - r)                 # ∂(n's pre)/∂(r's pre)
    if clamp_mask is not None:
        m = clamp_mask.reshape(T, B, 3, H)
        Fr = np.where(m[:, :, 0], 0.0, Fr)
        Fz = np.where(m[:, :, 1], 0.0, Fz)
        Fn = np.where(m[:, :, 2], 0.0, Fn)
    dhp = np.empty((T, B, 3 * H), X.dtype)    # ∂L/∂(W_hh h + b_hh)
    dnpre = np.empty((T, B, H), X.dtype)
    d_hidden = np.empty((T, B, H), X.dtype)
    dh_next = np.zeros((B, H), X.dtype)
    for t in range(T - 1, -1, -1):
        dh = d_hidden[t]
        np.add(d_h[t], dh_next, out=dh)
        if keep is not None:
            dh = dh * keep[t]
        dn = dnpre[t]
        np.multiply(dh, Fn[t], out=dn)
        np.multiply(dh, Fz[t], out=dhp[t, :, H:2 * H])
        np.multiply(dn, Fr[t], out=dhp[t, :, :H])
        np.multiply(dn, r[t], out=dhp[t, :, 2 * H:])
        np.matmul(dhp[t], w_hh, out=dh_next)
        dh_next += dh * u[t]
    dxp = dhp.copy()
    dxp[..., 2 * H:] = dnpre
    Dx = dxp.reshape(T * B, 3 * H)
    Dh = dhp.reshape(T * B, 3 * H)
    grads = {
        "weight_ih": Dx.T @ X.reshape(T * B, I),
        "weight_hh": Dh.T @ h_prev.reshape(T * B, H),
        "bias_ih": Dx.sum(0), "bias_hh": Dh.sum(0),
    }
    dX = (Dx @ w_ih).reshape(T, B, I)
    return dX, grads, dh_next, None, d_hidden, None
