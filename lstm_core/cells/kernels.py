"""What the three cells (``lstm.py``, ``gru.py``, ``rnn.py``) share: how the
weights meet the inputs, and how BPTT walks back through the steps.

Shapes: T steps, B sequences, I inputs, H units, G weight blocks stacked in the
rows (4 for the LSTM, 3 for the GRU, 1 for the RNN; ``notation.ROW_ORDER``).

    A = W_ih x_t for all t at once       (G, T, B, H)   ``input_projection``
    W_hhᵀ for h_{t-1} (B, H) @ W_hhᵀ     (H, G·H)       ``recurrent_matrix``
    h_{t-1} for all t                    (T, B, H)      ``previous``
    clamp arrays gate by gate            (G, T, B, H)   ``gate_major``
    BPTT's chunks and groups of steps                   ``chunks`` (``CHUNK``, ``GROUP``)
"""
import numpy as np


def recurrent_matrix(w, B):
    """W_hhᵀ (H, G·H) laid out for ``h (B, H) @ W_hhᵀ``: for one sequence BLAS's
    matrix-vector kernel runs fastest on W's rows (transposed view), for a batch
    its matrix-matrix kernel on a contiguous Wᵀ."""
    return w.T if B == 1 else np.ascontiguousarray(w.T)


def input_projection(X, w_x):
    """W x_t for every step, gate by gate: (G, T, B, H) from X (T, B, I) and w_x (G, H, I).

    For a batch the array is laid out gate by gate (each gate one contiguous
    (T, B, H) block, filled by one matmul per gate); for one sequence step by
    step (a view of (T, G, 1, H): one matmul, and each step's gates side by
    side), since there a step's work is a few hundred numbers and the number
    of calls, not their length, is what costs."""
    T, B, I = X.shape
    G, H, _ = w_x.shape
    if B == 1:
        A = np.empty((T, G, B, H), X.dtype)
        np.matmul(X.reshape(T, I), w_x.reshape(G * H, I).T, out=A.reshape(T, G * H))
        return A.transpose(1, 0, 2, 3)
    A = np.empty((G, T, B, H), X.dtype)
    np.matmul(X.reshape(T * B, I), w_x.transpose(0, 2, 1), out=A.reshape(G, T * B, H))
    return A


def gate_major(a, G, inner=None):
    """(T, B, G·H) in PyTorch's block order → (G, T, B, H), blocks reordered by ``inner``."""
    T, B, GH = a.shape
    a = a.reshape(T, B, G, GH // G)
    if inner is not None:
        a = a[:, :, list(inner)]
    return np.ascontiguousarray(a.transpose(2, 0, 1, 3))


def previous(h0, h):
    """h_{t-1} for every step: (T, B, H) from h0 (B, H) and h (T, B, H)."""
    prev = np.empty_like(h)
    prev[0] = h0
    prev[1:] = h[:-1]
    return prev


CHUNK = 1 << 15   # numbers per gate in a chunk of factors in ``backward`` (256 KB in float64)
GROUP = 1 << 20   # numbers of da kept for the weight gradients' matmuls (8 MB in float64)


def chunks(T, B, H, G):
    """How BPTT walks back through T steps (all three cells): chunks of S steps
    (S·B·H ≈ ``CHUNK`` numbers, so a chunk's factors stay in cache), gathered in
    groups of R steps (R·B·G·H ≈ ``GROUP``; R a multiple of S) whose da feed the
    weight gradients' matmuls. Returns (S, R, [(a, end, r0), …]): the chunks
    [a, end), the last first, and r0 = a's row in the group buffer; r0 == 0
    closes a group."""
    S = max(1, min(T, CHUNK // (B * H)))
    R = max(S, min(T, GROUP // (B * G * H) // S * S))
    return S, R, [(a, min(T, a + S), a % R) for a in range((T - 1) // S * S, -1, -S)]
