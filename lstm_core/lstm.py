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

Speed: the input projection of all T steps is one matmul, written straight
into the array that ends up holding the pre-activations; the loop does only
the recurrent product and element-wise work, in place, with positional
``out`` arguments (cheaper to call). Inside this module the four blocks are
kept in the order i, f, o, g so that the three sigmoids are one contiguous
slice; σ(a) is computed as 0.5·tanh(a/2) + 0.5 with the halving folded into
those weight rows (exact in floating point: a power of two), so one tanh call
activates all four blocks. The trace gets PyTorch's names, whatever the order.
"""
import numpy as np

GATES = ("input", "forget", "candidate", "output")  # PyTorch row order i, f, g, o


def _order(H):
    """Row index that turns PyTorch's i, f, g, o into this module's i, f, o, g."""
    return np.r_[0:2 * H, 3 * H:4 * H, 2 * H:3 * H]


def recurrent_matrix(w, B):
    """W_hhᵀ (H, G·H) laid out for ``h (B, H) @ W_hhᵀ``: for one sequence BLAS's
    matrix-vector kernel runs fastest on W's rows (transposed view), for a batch
    its matrix-matrix kernel on a contiguous Wᵀ."""
    return w.T if B == 1 else np.ascontiguousarray(w.T)


def forward(X, w_ih, w_hh, b_ih, b_hh, h0, c0, clamp_mask=None, clamp_value=None, keep=None):
    """Run the layer on X (T, B, I) from h0, c0 (B, H).

    clamp_mask / clamp_value: (T, B, 4H) overrides of the activated gates
    (PyTorch's row order); keep: (T, B, H) 0/1 factors that silence units
    (c_t ← keep ⊙ c_t, hence h_t = 0 there). Returns a dict of (T, B, H) arrays.
    """
    T, B, I = X.shape
    H = w_hh.shape[1]
    dt = X.dtype
    order = _order(H)
    half = np.ones((4 * H, 1), dt)
    half[:3 * H] = 0.5
    w_x = w_ih[order] * half                     # (4H, I), rows i, f, o, g; σ rows halved
    w_h = recurrent_matrix(w_hh[order] * half, B)  # (H, 4H)
    bias = (b_ih + b_hh)[order] * half[:, 0]
    # P: the (halved) pre-activations, (T, B, 4H); starts as the input projection
    P = np.matmul(X.reshape(T * B, I), w_x.T).reshape(T, B, 4 * H)
    P += bias
    A = np.empty((T, B, 4 * H), dt)              # activated i, f, o, g
    c = np.empty((T, B, H), dt)
    tc = np.empty((T, B, H), dt)
    h = np.empty((T, B, H), dt)
    rec = np.empty((B, 4 * H), dt)
    ig = np.empty((B, H), dt)
    if clamp_mask is not None:
        clamp_mask, clamp_value = clamp_mask[..., order], clamp_value[..., order]
    H2, H3 = 2 * H, 3 * H
    # per-gate (T, B, H) views, so that the loop indexes once per array
    ai, af, ao, ag, sg = A[..., :H], A[..., H:H2], A[..., H2:H3], A[..., H3:], A[..., :H3]
    matmul, add, mul, tanh = np.matmul, np.add, np.multiply, np.tanh
    h_prev, c_prev = h0, c0
    for t in range(T):
        Pt, ct, ht, tct, st = P[t], c[t], h[t], tc[t], sg[t]
        matmul(h_prev, w_h, rec)                 # W_hh h_{t-1}
        add(Pt, rec, Pt)                         # a = W_ih x_t + b + W_hh h_{t-1}
        tanh(Pt, A[t])
        mul(st, 0.5, st)                         # σ(a) = 0.5 tanh(a/2) + 0.5
        add(st, 0.5, st)
        if clamp_mask is not None:
            np.copyto(A[t], clamp_value[t], where=clamp_mask[t])
        mul(af[t], c_prev, ct)                   # f ⊙ c_{t-1}
        mul(ai[t], ag[t], ig)                    # i ⊙ g
        add(ct, ig, ct)
        if keep is not None:
            mul(ct, keep[t], ct)
        tanh(ct, tct)
        mul(ao[t], tct, ht)                      # h = o ⊙ tanh(c)
        h_prev, c_prev = ht, ct
    P[..., :H3] *= 2.0                           # undo the halving: true pre-activations
    return {
        "input": ai, "forget": af, "output": ao, "candidate": ag,
        "cell": c, "cell_tanh": tc, "hidden": h,
        "pre_input": P[..., :H], "pre_forget": P[..., H:H2], "pre_output": P[..., H2:H3],
        "pre_candidate": P[..., H3:],
    }


CHUNK = 1 << 17   # numbers per chunk of factors in ``backward`` (about 1 MB in float64)


def backward(X, w_ih, w_hh, v, h0, c0, d_h, d_c=None, clamp_mask=None, keep=None):
    """BPTT through one layer.

    v: the dict ``forward`` returned; d_h, d_c: (T, B, H) gradients of the
    loss with respect to h_t and c_t from outside the recurrence (the layer
    above, the output layer, the user). Returns (dX, grads, dh0, dc0,
    d_hidden, d_cell) where d_hidden[t] = ∂L/∂h_t and d_cell[t] = ∂L/∂c_t in
    total, through all later steps. Going back from t = T−1 (B, H) each::

        dh_t = d_h[t] + W_hhᵀ da_{t+1}                           d_hidden[t]
        dc_t = d_c[t] + dh_t ⊙ o ⊙ (1 − tanh² c_t) + dc_{t+1} ⊙ f_{t+1}   d_cell[t]
        da_i = dc_t ⊙ g ⊙ i(1 − i)        da_f = dc_t ⊙ c_{t−1} ⊙ f(1 − f)
        da_g = dc_t ⊙ i ⊙ (1 − g²)        da_o = dh_t ⊙ tanh c_t ⊙ o(1 − o)

    then ∂W_ih = Σ_t da_t x_tᵀ, ∂W_hh = Σ_t da_t h_{t−1}ᵀ, ∂b_ih = ∂b_hh = Σ_t da_t,
    ∂x_t = W_ihᵀ da_t. A clamped gate is a constant: its da is 0. A silenced
    unit (keep = 0) passes no dc back.

    Speed: steps are taken in chunks of S (S·B·4H ≈ ``CHUNK`` numbers, so a
    chunk stays in cache): per chunk the factors above are computed for all
    its steps at once, the loop runs back through it, and the chunk's da
    (S·B, 4H) enters ∂W_ih, ∂W_hh, ∂b and ∂x by a few matmuls.
    """
    T, B, I = X.shape
    H = w_hh.shape[1]
    dt = X.dtype
    i, f, g, o = v["input"], v["forget"], v["candidate"], v["output"]
    c, tc, h = v["cell"], v["cell_tanh"], v["hidden"]
    S = max(1, min(T, CHUNK // (B * 4 * H)))
    # D[j] first holds ∂a/∂(dc_t) for blocks i, f, g and ∂a/∂(dh_t) for o;
    # the loop multiplies it in place into da_t (PyTorch's row order).
    D = np.empty((S, B, 4, H), dt)
    K = np.empty((S, B, H), dt)                  # ∂h/∂c = o ⊙ (1 − tanh² c)
    mask = None if clamp_mask is None else clamp_mask.reshape(T, B, 4, H)
    d_hidden = np.empty((T, B, H), dt)
    d_cell = np.empty((T, B, H), dt)
    dX = np.empty((T, B, I), dt)
    g_ih = np.zeros((4 * H, I), dt)
    g_hh = np.zeros((4 * H, H), dt)
    gb = np.zeros(4 * H, dt)
    dh_next = np.zeros((B, H), dt)
    dc_next = np.zeros((B, H), dt)
    matmul, add, sub, mul = np.matmul, np.add, np.subtract, np.multiply
    for end in range(T, 0, -S):
        a = max(0, end - S)
        n = end - a
        Dc, Kc = D[:n], K[:n]
        Di, Df, Dg, Do = Dc[:, :, 0], Dc[:, :, 1], Dc[:, :, 2], Dc[:, :, 3]
        ic, fc, gc, oc, tcc = i[a:end], f[a:end], g[a:end], o[a:end], tc[a:end]
        sub(1.0, ic, Di)
        Di *= ic
        Di *= gc
        sub(1.0, fc, Df)
        Df *= fc
        if a == 0:
            Df[0] *= c0
            Df[1:] *= c[:end - 1]
        else:
            Df *= c[a - 1:end - 1]
        mul(gc, gc, Dg)
        sub(1.0, Dg, Dg)
        Dg *= ic
        sub(1.0, oc, Do)
        Do *= oc
        Do *= tcc
        if mask is not None:
            Dc[mask[a:end]] = 0.0
        mul(tcc, tcc, Kc)
        sub(1.0, Kc, Kc)
        Kc *= oc
        for t in range(end - 1, a - 1, -1):
            j = t - a
            dh, dc, Dt = d_hidden[t], d_cell[t], Dc[j]
            add(d_h[t], dh_next, dh)
            mul(dh, Kc[j], dc)
            add(dc, dc_next, dc)
            if d_c is not None:
                add(dc, d_c[t], dc)
            if keep is not None:                 # c_t = keep ⊙ (…); h_t = 0 there already
                dc = dc * keep[t]
            mul(Dt[:, :3], dc[:, None, :], Dt[:, :3])
            mul(Dt[:, 3], dh, Dt[:, 3])
            matmul(Dt.reshape(B, 4 * H), w_hh, dh_next)
            mul(dc, f[t], dc_next)
        Dm = Dc.reshape(n * B, 4 * H)
        g_ih += Dm.T @ X[a:end].reshape(n * B, I)
        if a == 0:
            g_hh += Dm[:B].T @ h0
            if n > 1:
                g_hh += Dm[B:].T @ h[:end - 1].reshape((n - 1) * B, H)
        else:
            g_hh += Dm.T @ h[a - 1:end - 1].reshape(n * B, H)
        gb += Dm.sum(0)
        matmul(Dm, w_ih, dX[a:end].reshape(n * B, I))
    grads = {"weight_ih": g_ih, "weight_hh": g_hh, "bias_ih": gb, "bias_hh": gb.copy()}
    return dX, grads, dh_next, dc_next, d_hidden, d_cell
