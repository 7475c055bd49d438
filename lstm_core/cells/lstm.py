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

Speed: the input projection of all T steps is one matmul per gate, written
straight into the array that ends up holding the activated gates, laid out
gate by gate (4, T, B, H) so that every gate of the trace is one contiguous
(T, B, H) array and every step's element-wise work runs on contiguous blocks
(for a single sequence step by step instead: see ``kernels.input_projection``).
The loop does only the recurrent product and element-wise work, in place.
Inside this module the four gates are kept in the order i, f, o, g so that
the three sigmoids are one slice; σ(a) is computed as 0.5·tanh(a/2) + 0.5
with the halving folded into those weight rows (exact in floating point: a
power of two), so one tanh call activates all four gates. The pre-activations
are not kept during the loop: ``pre_activations`` recomputes them from the
stored h when a reader asks (two matmuls, no loop). The trace gets PyTorch's
names, whatever the order.
"""
import numpy as np

from ..notation import ROW_ORDER, TRACE_VALUES
from .kernels import chunks, gate_major, input_projection, previous, recurrent_matrix

ROWS = ROW_ORDER["lstm"]                          # PyTorch's row blocks i, f, g, o
INNER = ("input", "forget", "output", "candidate")   # this module's order: the three sigmoids first
_INNER = tuple(ROWS.index(n) for n in INNER)      # this module's gate k is PyTorch's block _INNER[k]
LATER = tuple(f"pre_{n}" for n in INNER)          # computed when first read
BACKWARD_NEEDS = TRACE_VALUES["lstm"]


def _order(H):
    """Row index that turns PyTorch's i, f, g, o into this module's i, f, o, g."""
    return np.r_[0:2 * H, 3 * H:4 * H, 2 * H:3 * H]


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
    w_x = (w_ih[order] * half).reshape(4, H, I)  # (4, H, I), gates i, f, o, g; σ rows halved
    w_h = recurrent_matrix(w_hh[order] * half, B)  # (H, 4H)
    bias = ((b_ih + b_hh)[order] * half[:, 0]).reshape(4, 1, H)   # (4, 1, H)
    A = input_projection(X, w_x)                 # (4, T, B, H): starts as the (halved) W_ih x_t
    c = np.empty((T, B, H), dt)
    tc = np.empty((T, B, H), dt)
    h = np.empty((T, B, H), dt)
    rec = np.empty((B, 4 * H), dt)               # W_hh h_{t-1}, (B, 4H) …
    rec_g = rec.reshape(B, 4, H).transpose(1, 0, 2)  # … seen gate by gate, (4, B, H)
    ig = np.empty((B, H), dt)
    if clamp_mask is not None:
        clamp_mask = gate_major(clamp_mask, 4, _INNER)
        clamp_value = gate_major(clamp_value, 4, _INNER)
    if B == 1:          # one pass now; a batch adds b step by step, while the step is in cache
        A += bias[:, None]
        bias = None
    else:               # … from a full (4, B, H) copy: a broadcast (4, 1, H) costs ~4x as much at H = 16
        bias = np.ascontiguousarray(np.broadcast_to(bias, (4, B, H)))
    ai, af, ao, ag = A
    # every step's views, made in one go (making them one by one costs as much as the arithmetic at B = 1)
    steps = zip(A.transpose(1, 0, 2, 3), A[:3].transpose(1, 0, 2, 3), ai, af, ao, ag, c, tc, h)
    matmul, add, mul, tanh = np.matmul, np.add, np.multiply, np.tanh
    h_prev, c_prev = h0, c0
    for t, (At, st, it, ft, ot, gt, ct, tct, ht) in enumerate(steps):
        matmul(h_prev, w_h, rec)                 # W_hh h_{t-1}
        add(At, rec_g, At)
        if bias is not None:
            add(At, bias, At)                    # a = W_ih x_t + W_hh h_{t-1} + b
        tanh(At, At)
        mul(st, 0.5, st)                         # σ(a) = 0.5 tanh(a/2) + 0.5
        add(st, 0.5, st)
        if clamp_mask is not None:
            np.copyto(At, clamp_value[:, t], where=clamp_mask[:, t])
        mul(ft, c_prev, ct)                      # f ⊙ c_{t-1}
        mul(it, gt, ig)                          # i ⊙ g
        add(ct, ig, ct)
        if keep is not None:
            mul(ct, keep[t], ct)
        tanh(ct, tct)
        mul(ot, tct, ht)                         # h = o ⊙ tanh(c)
        h_prev, c_prev = ht, ct
    return {"input": ai, "forget": af, "output": ao, "candidate": ag,
            "cell": c, "cell_tanh": tc, "hidden": h}


def pre_activations(X, w_ih, w_hh, b_ih, b_hh, h0, v):
    """a = W_ih x_t + b_ih + W_hh h_{t-1} + b_hh for every step at once, from the
    stored h (no loop): the dict of (T, B, H) ``pre_input`` … ``pre_output``."""
    T, B, I = X.shape
    H = w_hh.shape[1]
    P = X.reshape(T * B, I) @ w_ih.T
    P += previous(h0, v["hidden"]).reshape(T * B, H) @ w_hh.T
    P += b_ih + b_hh
    P = P.reshape(T, B, 4, H)
    return {f"pre_{name}": P[:, :, k] for k, name in enumerate(ROWS)}


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

    Speed: going back, steps are taken in chunks of S (S·B·H ≈ ``CHUNK``, so
    a chunk stays in cache): the factors above are computed for all its steps
    at once, then the loop runs back through it. The da of a group of R steps
    (R·B·4H ≈ ``GROUP``, a buffer used again and again instead of one array for
    all T) then enter ∂W, ∂b and ∂x by three large matmuls.
    """
    T, B, I = X.shape
    H = w_hh.shape[1]
    dt = X.dtype
    i, f, g, o = v["input"], v["forget"], v["candidate"], v["output"]
    c, tc, h = v["cell"], v["cell_tanh"], v["hidden"]
    S, R, steps = chunks(T, B, H, 4)
    # D[j] first holds ∂a/∂(dc_t) for blocks i, f, g and ∂a/∂(dh_t) for o;
    # the loop multiplies it in place into da_t (PyTorch's row order).
    D = np.empty((R, B, 4, H), dt)
    XH = np.empty((R, B, I + H), dt)             # [x_t, h_{t−1}] of the group
    K = np.empty((S, B, H), dt)                  # ∂h/∂c = o ⊙ (1 − tanh² c)
    tmp = np.empty((S, B, H), dt)
    d_hidden = np.empty((T, B, H), dt)
    d_cell = np.empty((T, B, H), dt)
    dX = np.empty((T, B, I), dt)
    g_all = np.zeros((4 * H, I + H), dt)         # [∂W_ih | ∂W_hh]
    gb = np.zeros(4 * H, dt)
    dh_next = np.zeros((B, H), dt)
    dc_next = np.zeros((B, H), dt)
    matmul, add, sub, mul = np.matmul, np.add, np.subtract, np.multiply
    for a, end, r0 in steps:                     # chunks [a, end), the last first
        n = end - a
        Dc, Kc, tm = D[r0:r0 + n], K[:n], tmp[:n]
        Di, Df, Dg, Do = Dc[:, :, 0], Dc[:, :, 1], Dc[:, :, 2], Dc[:, :, 3]
        ic, fc, gc, oc, tcc = i[a:end], f[a:end], g[a:end], o[a:end], tc[a:end]
        mul(ic, gc, Di)                          # u = i g
        mul(gc, Di, Dg)
        sub(ic, Dg, Dg)                          # da_g / dc = i − g·u = i (1 − g²)
        mul(ic, Di, tm)
        sub(Di, tm, Di)                          # da_i / dc = u − i·u = g i (1 − i)
        if a == 0:
            mul(fc[0], c0, Df[0])
            mul(fc[1:], c[:end - 1], Df[1:])
        else:
            mul(fc, c[a - 1:end - 1], Df)        # w = f c_{t−1}
        mul(fc, Df, tm)
        sub(Df, tm, Df)                          # da_f / dc = w − f·w
        mul(oc, tcc, Do)                         # v = o tanh c
        mul(Do, tcc, Kc)
        sub(oc, Kc, Kc)                          # ∂h/∂c = o − v tanh c
        mul(oc, Do, tm)
        sub(Do, tm, Do)                          # da_o / dh = v − o·v
        if clamp_mask is not None:
            Dc.reshape(n, B, 4 * H)[clamp_mask[a:end]] = 0.0
        for t in range(end - 1, a - 1, -1):
            dh, dc, Dt = d_hidden[t], d_cell[t], D[r0 + t - a]
            add(d_h[t], dh_next, dh)
            mul(dh, Kc[t - a], dc)
            add(dc, dc_next, dc)
            if d_c is not None:
                add(dc, d_c[t], dc)
            if keep is not None:                 # c_t = keep ⊙ (…); h_t = 0 there already
                mul(dc, keep[t], dc)
            mul(Dt[:, :3], dc[:, None, :], Dt[:, :3])
            mul(Dt[:, 3], dh, Dt[:, 3])
            matmul(Dt.reshape(B, 4 * H), w_hh, dh_next)
            mul(dc, f[t], dc_next)
        if r0 == 0:                              # the group [a, a + R) is complete
            e = min(T, a + R)
            m = (e - a) * B
            Dm, XHm = D[:e - a].reshape(m, 4 * H), XH[:e - a]
            XHm[..., :I] = X[a:e]
            if a == 0:
                XHm[0, :, I:] = h0
                XHm[1:, :, I:] = h[:e - 1]
            else:
                XHm[:, :, I:] = h[a - 1:e - 1]
            g_all += Dm.T @ XHm.reshape(m, I + H)  # Σ da [x, h_{t−1}]ᵀ
            gb += Dm.sum(0)
            matmul(Dm, w_ih, dX[a:e].reshape(m, I))
    grads = {"weight_ih": g_all[:, :I], "weight_hh": g_all[:, I:], "bias_ih": gb, "bias_hh": gb.copy()}
    return dX, grads, dh_next, dc_next, d_hidden, d_cell
