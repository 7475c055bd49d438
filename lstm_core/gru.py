"""One GRU layer over a whole sequence: forward and backward (BPTT).

PyTorch's layout: ``w_ih`` (3H, I), ``w_hh`` (3H, H), ``b_ih``, ``b_hh`` (3H,),
rows stacked r, z, n. Per step (B sequences, H units)::

    r   = σ(W_ir x + b_ir + W_hr h_{t-1} + b_hr)        (B, H)  reset gate
    u   = σ(W_iz x + b_iz + W_hz h_{t-1} + b_hz)        (B, H)  update gate (PyTorch's z)
    hn  = W_hn h_{t-1} + b_hn                           (B, H)  recurrent part of the candidate
    n   = tanh(W_in x + b_in + r ⊙ hn)                  (B, H)  candidate
    h_t = (1 - u) ⊙ n + u ⊙ h_{t-1}                     (B, H)

``b_hn`` sits inside the reset product, as in PyTorch and Keras's
``reset_after=True``. Speed, as in ``lstm.py``: the input projection of all
steps (with b_ir + b_hr, b_iz + b_hz and b_in) is one matmul written into the
array that ends up holding the pre-activations; σ is 0.5·tanh(a/2) + 0.5 with
the halving folded into the r and z rows; the loop works in place.
"""
import numpy as np

from .lstm import recurrent_matrix

GATES = ("reset", "update", "candidate")  # PyTorch row order r, z, n


def forward(X, w_ih, w_hh, b_ih, b_hh, h0, c0=None, clamp_mask=None, clamp_value=None, keep=None):
    """Run the layer on X (T, B, I) from h0 (B, H); clamp_mask / clamp_value
    (T, B, 3H) override activated gates, keep (T, B, H) silences units (h ← keep ⊙ h)."""
    T, B, I = X.shape
    H = w_hh.shape[1]
    dt = X.dtype
    H2 = 2 * H
    half = np.ones(3 * H, dt)
    half[:H2] = 0.5
    w_h = recurrent_matrix(w_hh * half[:, None], B)   # (H, 3H)
    bias = b_ih.copy()
    bias[:H2] += b_hh[:H2]
    b_hn = b_hh[H2:]
    # P: (halved for r, z) pre-activations (T, B, 3H); starts as the input projection
    P = np.matmul(X.reshape(T * B, I), (w_ih * half[:, None]).T).reshape(T, B, 3 * H)
    P += bias * half
    A = np.empty((T, B, 3 * H), dt)              # activated r, u, n
    HN = np.empty((T, B, H), dt)                 # W_hn h_{t-1} + b_hn
    h = np.empty((T, B, H), dt)
    rec = np.empty((B, 3 * H), dt)
    tmp = np.empty((B, H), dt)
    matmul, add, sub, mul, tanh = np.matmul, np.add, np.subtract, np.multiply, np.tanh
    h_prev = h0
    for t in range(T):
        Pt, At, hnt, ht = P[t], A[t], HN[t], h[t]
        matmul(h_prev, w_h, rec)
        prz, arz = Pt[:, :H2], At[:, :H2]
        add(prz, rec[:, :H2], prz)
        tanh(prz, arz)
        mul(arz, 0.5, arz)
        add(arz, 0.5, arz)
        if clamp_mask is not None:
            np.copyto(arz, clamp_value[t, :, :H2], where=clamp_mask[t, :, :H2])
        add(rec[:, H2:], b_hn, hnt)              # hn
        pn, n = Pt[:, H2:], At[:, H2:]
        mul(At[:, :H], hnt, tmp)                 # r ⊙ hn
        add(pn, tmp, pn)
        tanh(pn, n)
        if clamp_mask is not None:
            np.copyto(n, clamp_value[t, :, H2:], where=clamp_mask[t, :, H2:])
        sub(h_prev, n, tmp)                      # h = n + u ⊙ (h_{t-1} − n)
        mul(tmp, At[:, H:H2], tmp)
        add(n, tmp, ht)
        if keep is not None:
            mul(ht, keep[t], ht)
        h_prev = ht
    P[..., :H2] *= 2.0                           # undo the halving: true pre-activations
    return {
        "reset": A[..., :H], "update": A[..., H:H2], "candidate": A[..., H2:],
        "hidden": h,
        "pre_reset": P[..., :H], "pre_update": P[..., H:H2],
        "pre_candidate": P[..., H2:], "candidate_recurrent": HN,
    }


def backward(X, w_ih, w_hh, v, h0, c0, d_h, d_c=None, clamp_mask=None, keep=None):
    """BPTT through one layer; returns (dX, grads, dh0, None, d_hidden, None).

    Going back from t = T−1, with dh_t = d_h[t] + (from step t+1) the total
    ∂L/∂h_t (d_hidden[t])::

        dn_pre = dh_t ⊙ (1 − u)(1 − n²)         du_pre = dh_t ⊙ (h_{t−1} − n) u(1 − u)
        dr_pre = dn_pre ⊙ hn ⊙ r(1 − r)         dhn    = dn_pre ⊙ r
        dh_{t−1} ← W_hhᵀ [dr_pre, du_pre, dhn] + dh_t ⊙ u

    ∂W_ih uses [dr_pre, du_pre, dn_pre], ∂W_hh and ∂b_hh use [dr_pre, du_pre, dhn].
    """
    T, B, I = X.shape
    H = w_hh.shape[1]
    dt = X.dtype
    H2, H3 = 2 * H, 3 * H
    r, u, n, hn, h = v["reset"], v["update"], v["candidate"], v["candidate_recurrent"], v["hidden"]
    # F: per-step factors, blocks [∂r_pre/∂n_pre, ∂u_pre/∂h, ∂n_pre/∂h, r]
    F = np.empty((T, B, 4, H), dt)
    Fr, Fz, Fn = F[:, :, 0], F[:, :, 1], F[:, :, 2]
    np.subtract(1.0, r, Fr)
    Fr *= r
    Fr *= hn
    np.subtract(h0, n[0], Fz[0])
    np.subtract(h[:-1], n[1:], Fz[1:])
    Fz *= u
    Fz *= 1.0 - u
    np.multiply(n, n, Fn)
    np.subtract(1.0, Fn, Fn)
    Fn *= 1.0 - u
    F[:, :, 3] = r
    if clamp_mask is not None:
        m = clamp_mask.reshape(T, B, 3, H)
        F[:, :, :3][m] = 0.0
    # D[t] = [dr_pre, du_pre, dhn, dn_pre]: the first three blocks meet W_hh
    D = np.empty((T, B, 4 * H), dt)
    d_hidden = np.empty((T, B, H), dt)
    dh_next = np.zeros((B, H), dt)
    tmp = np.empty((B, H), dt)
    matmul, add, mul = np.matmul, np.add, np.multiply
    for t in range(T - 1, -1, -1):
        dh, Dt, Ft = d_hidden[t], D[t], F[t]
        add(d_h[t], dh_next, dh)
        if keep is not None:
            dh = dh * keep[t]
        dn = Dt[:, H3:]
        mul(dh, Ft[:, 2], dn)
        mul(dh, Ft[:, 1], Dt[:, H:H2])
        mul(dn, Ft[:, 0], Dt[:, :H])
        mul(dn, Ft[:, 3], Dt[:, H2:H3])
        matmul(Dt[:, :H3], w_hh, dh_next)
        mul(dh, u[t], tmp)
        add(dh_next, tmp, dh_next)
    Dm = D.reshape(T * B, 4 * H)
    Xm = X.reshape(T * B, I)
    s = Dm.sum(0)
    g_hh = Dm[:B, :H3].T @ h0
    if T > 1:
        g_hh += Dm[B:, :H3].T @ h[:-1].reshape((T - 1) * B, H)
    g_ih = np.empty((H3, I), dt)
    g_ih[:H2] = Dm[:, :H2].T @ Xm
    g_ih[H2:] = Dm[:, H3:].T @ Xm
    grads = {
        "weight_ih": g_ih,
        "weight_hh": g_hh,
        "bias_ih": np.concatenate([s[:H2], s[H3:]]), "bias_hh": s[:H3].copy(),
    }
    dX = (Dm[:, :H2] @ w_ih[:H2] + Dm[:, H3:] @ w_ih[H2:]).reshape(T, B, I)
    return dX, grads, dh_next, None, d_hidden, None
