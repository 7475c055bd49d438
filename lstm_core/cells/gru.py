"""One GRU layer over a whole sequence: forward and backward (BPTT).

PyTorch's layout: ``w_ih`` (3H, I), ``w_hh`` (3H, H), ``b_ih``, ``b_hh`` (3H,),
rows stacked r, z, n. Per step (B sequences, H units)::

    r   = σ(W_ir x + b_ir + W_hr h_{t-1} + b_hr)        (B, H)  reset gate
    u   = σ(W_iz x + b_iz + W_hz h_{t-1} + b_hz)        (B, H)  update gate (PyTorch's z)
    hn  = W_hn h_{t-1} + b_hn                           (B, H)  recurrent part of the candidate
    n   = tanh(W_in x + b_in + r ⊙ hn)                  (B, H)  candidate
    h_t = (1 - u) ⊙ n + u ⊙ h_{t-1}                     (B, H)

``b_hn`` sits inside the reset product, as in PyTorch and Keras's
``reset_after=True``. Speed, as in ``lstm.py`` (the shared parts are in
``kernels.py``): the input projection of all steps is one matmul per gate
written into the array that ends up holding the activated gates, gate by gate
(3, T, B, H); σ is 0.5·tanh(a/2) + 0.5 with the halving folded into the r and
z rows; the loop works in place; the pre-activations are recomputed from the
stored h when first read.
"""
import numpy as np

from ..notation import ROW_ORDER, TRACE_VALUES
from .kernels import chunks, gate_major, input_projection, previous, recurrent_matrix

ROWS = ROW_ORDER["gru"]                           # PyTorch's row blocks r, z, n
LATER = tuple(f"pre_{n}" for n in ROWS)           # computed when first read
BACKWARD_NEEDS = (*TRACE_VALUES["gru"], "candidate_recurrent")   # and hn, kept by forward for backward


def forward(X, w_ih, w_hh, b_ih, b_hh, h0, c0=None, clamp_mask=None, clamp_value=None, keep=None):
    """Run the layer on X (T, B, I) from h0 (B, H); clamp_mask / clamp_value
    (T, B, 3H) override activated gates, keep (T, B, H) silences units (h ← keep ⊙ h)."""
    T, B, I = X.shape
    H = w_hh.shape[1]
    dt = X.dtype
    half = np.ones((3 * H, 1), dt)
    half[:2 * H] = 0.5
    w_x = (w_ih * half).reshape(3, H, I)         # (3, H, I), gates r, u, n; σ rows halved
    w_h = recurrent_matrix(w_hh * half, B)       # (H, 3H)
    bias = b_ih.copy()
    bias[:2 * H] += b_hh[:2 * H]
    bias = (bias * half[:, 0]).reshape(3, 1, H)  # b_ir + b_hr, b_iz + b_hz (halved), b_in
    b_hn = b_hh[2 * H:]
    A = input_projection(X, w_x)                 # (3, T, B, H): starts as the (halved) W_ih x_t
    HN = np.empty((T, B, H), dt)                 # W_hn h_{t-1} + b_hn
    h = np.empty((T, B, H), dt)
    rec = np.empty((B, 3 * H), dt)               # W_hh h_{t-1}, (B, 3H) …
    rec_g = rec.reshape(B, 3, H).transpose(1, 0, 2)  # … seen gate by gate, (3, B, H)
    tmp = np.empty((B, H), dt)
    if clamp_mask is not None:
        clamp_mask = gate_major(clamp_mask, 3)
        clamp_value = gate_major(clamp_value, 3)
    if B == 1:          # one pass now; a batch adds b step by step, while the step is in cache
        A += bias[:, None]
        bias = None
    else:               # a full (3, B, H) copy: adding a broadcast (3, 1, H) costs ~4x as much at H = 16
        bias = np.ascontiguousarray(np.broadcast_to(bias, (3, B, H)))
    ar, au, an = A
    steps = zip(A.transpose(1, 0, 2, 3), A[:2].transpose(1, 0, 2, 3), ar, au, an, HN, h)   # views, made in one go
    rec_rz, rec_n = rec_g[:2], rec_g[2]
    matmul, add, sub, mul, tanh = np.matmul, np.add, np.subtract, np.multiply, np.tanh
    h_prev = h0
    for t, (At, st, rt, ut, nt, hnt, ht) in enumerate(steps):
        matmul(h_prev, w_h, rec)
        add(st, rec_rz, st)
        if bias is not None:
            add(At, bias, At)                    # a_r, a_u complete; a_n's input part
        tanh(st, st)
        mul(st, 0.5, st)                         # σ(a) = 0.5 tanh(a/2) + 0.5
        add(st, 0.5, st)
        if clamp_mask is not None:
            np.copyto(st, clamp_value[:2, t], where=clamp_mask[:2, t])
        add(rec_n, b_hn, hnt)                    # hn
        mul(rt, hnt, tmp)                        # r ⊙ hn
        add(nt, tmp, nt)
        tanh(nt, nt)
        if clamp_mask is not None:
            np.copyto(nt, clamp_value[2, t], where=clamp_mask[2, t])
        sub(h_prev, nt, tmp)                     # h = n + u ⊙ (h_{t-1} − n)
        mul(tmp, ut, tmp)
        add(nt, tmp, ht)
        if keep is not None:
            mul(ht, keep[t], ht)
        h_prev = ht
    return {"reset": ar, "update": au, "candidate": an, "hidden": h, "candidate_recurrent": HN}


def pre_activations(X, w_ih, w_hh, b_ih, b_hh, h0, v):
    """The pre-activations for every step at once, from the stored h and r ⊙ hn
    (no loop): ``pre_reset``, ``pre_update`` = W_i x + b_i + W_h h_{t-1} + b_h,
    ``pre_candidate`` = W_in x + b_in + r ⊙ hn, each (T, B, H)."""
    T, B, I = X.shape
    H = w_hh.shape[1]
    H2 = 2 * H
    P = X.reshape(T * B, I) @ w_ih.T
    P[:, :H2] += previous(h0, v["hidden"]).reshape(T * B, H) @ w_hh[:H2].T
    P += b_ih
    P[:, :H2] += b_hh[:H2]
    P = P.reshape(T, B, 3, H)
    P[:, :, 2] += v["reset"] * v["candidate_recurrent"]
    return {"pre_reset": P[:, :, 0], "pre_update": P[:, :, 1], "pre_candidate": P[:, :, 2]}


def backward(X, w_ih, w_hh, v, h0, c0, d_h, d_c=None, clamp_mask=None, keep=None):
    """BPTT through one layer; returns (dX, grads, dh0, None, d_hidden, None).

    Going back from t = T−1, with dh_t = d_h[t] + (from step t+1) the total
    ∂L/∂h_t (d_hidden[t])::

        dn_pre = dh_t ⊙ (1 − u)(1 − n²)         du_pre = dh_t ⊙ (h_{t−1} − n) u(1 − u)
        dr_pre = dn_pre ⊙ hn ⊙ r(1 − r)         dhn    = dn_pre ⊙ r
        dh_{t−1} ← W_hhᵀ [dr_pre, du_pre, dhn] + dh_t ⊙ u

    ∂W_ih uses [dr_pre, du_pre, dn_pre], ∂W_hh and ∂b_hh use [dr_pre, du_pre, dhn].
    A clamped gate is a constant: clamping n stops dn_pre (hence dr_pre and dhn).

    Speed, as in ``lstm.py``: all four are dh_t times a factor, so the factors
    are computed per chunk of S steps (in cache) and each step multiplies them
    by dh_t in one call; a group buffer of da feeds the weight gradients' matmuls.
    Here da is kept in the order [dhn, dr_pre, du_pre, dn_pre], so that the
    first three meet W_hh (rows taken n, r, z) and the last three W_ih (r, z, n)
    as contiguous blocks.
    """
    T, B, I = X.shape
    H = w_hh.shape[1]
    dt = X.dtype
    H2, H3 = 2 * H, 3 * H
    r, u, n, hn, h = v["reset"], v["update"], v["candidate"], v["candidate_recurrent"], v["hidden"]
    S, R, steps = chunks(T, B, H, 4)
    w_hn = np.concatenate([w_hh[H2:], w_hh[:H2]])   # rows n, r, z, to meet [dhn, dr, du]
    D = np.empty((R, B, 4, H), dt)               # factors, then da: [dhn, dr, du, dn]
    w = np.empty((S, B, H), dt)
    tmp = np.empty((S, B, H), dt)
    mask = None if clamp_mask is None else clamp_mask.reshape(T, B, 3, H)
    d_hidden = np.empty((T, B, H), dt)
    dX = np.empty((T, B, I), dt)
    g_ih = np.zeros((H3, I), dt)
    g_hn = np.zeros((H3, H), dt)                 # ∂W_hh, rows n, r, z
    gb = np.zeros(4 * H, dt)
    dh_next = np.zeros((B, H), dt)
    dk = np.empty((B, H), dt)
    hu = np.empty((B, H), dt)
    matmul, add, sub, mul = np.matmul, np.add, np.subtract, np.multiply
    for a, end, r0 in steps:                     # chunks [a, end), the last first
        k = end - a
        Dc, wc, tc = D[r0:r0 + k], w[:k], tmp[:k]
        Fhn, Fr, Fu, Fn = Dc[:, :, 0], Dc[:, :, 1], Dc[:, :, 2], Dc[:, :, 3]
        rc, uc, nc, hnc = r[a:end], u[a:end], n[a:end], hn[a:end]
        sub(1.0, uc, wc)                         # 1 − u
        mul(nc, nc, tc)
        mul(wc, tc, tc)
        sub(wc, tc, Fn)                          # ∂n_pre/∂h = (1 − u)(1 − n²)
        mul(rc, Fn, Fhn)                         # ∂hn/∂h = r · that
        sub(1.0, rc, tc)
        mul(tc, hnc, tc)
        mul(tc, Fhn, Fr)                         # ∂r_pre/∂h = hn r (1 − r) · that
        if a == 0:
            sub(h0, nc[0], Fu[0])
            sub(h[:end - 1], nc[1:], Fu[1:])
        else:
            sub(h[a - 1:end - 1], nc, Fu)        # h_{t−1} − n
        mul(Fu, uc, Fu)
        mul(Fu, wc, Fu)                          # ∂u_pre/∂h = (h_{t−1} − n) u (1 − u)
        if mask is not None:
            mr, mu, mn = mask[a:end, :, 0], mask[a:end, :, 1], mask[a:end, :, 2]
            Fr[mr | mn] = 0.0
            Fu[mu] = 0.0
            Fn[mn] = 0.0
            Fhn[mn] = 0.0
        for t in range(end - 1, a - 1, -1):
            dh, Dt = d_hidden[t], D[r0 + t - a]
            add(d_h[t], dh_next, dh)
            if keep is not None:
                mul(dh, keep[t], dk)
                dh = dk
            mul(Dt, dh[:, None, :], Dt)          # [dhn, dr, du, dn] = dh_t ⊙ factors
            matmul(Dt.reshape(B, 4 * H)[:, :H3], w_hn, dh_next)
            mul(dh, u[t], hu)
            add(dh_next, hu, dh_next)
        if r0 == 0:                              # the group [a, a + R) is complete
            e = min(T, a + R)
            m = (e - a) * B
            Dm, Xm = D[:e - a].reshape(m, 4 * H), X[a:e].reshape(m, I)
            g_ih += Dm[:, H:].T @ Xm             # rows r, z, n
            if a == 0:
                g_hn += Dm[:B, :H3].T @ h0
                if e > 1:
                    g_hn += Dm[B:, :H3].T @ h[:e - 1].reshape(m - B, H)
            else:
                g_hn += Dm[:, :H3].T @ h[a - 1:e - 1].reshape(m, H)
            gb += Dm.sum(0)
            matmul(Dm[:, H:], w_ih, dX[a:e].reshape(m, I))
    grads = {
        "weight_ih": g_ih,
        "weight_hh": np.concatenate([g_hn[H:], g_hn[:H]]),
        "bias_ih": gb[H:].copy(), "bias_hh": np.concatenate([gb[H:H3], gb[:H]]),
    }
    return dX, grads, dh_next, None, d_hidden, None
