"""The three recurrent cells, one layer each, in NumPy: forward and BPTT.

==================  ==========================================================
module              holds
==================  ==========================================================
``lstm``            the LSTM layer (z^f, z^i, z^o, z, c, h)
``gru``             the GRU layer (r, u, ñ, h)
``rnn``             the plain (Elman) RNN layer (h)
``kernels``         what the three share: the input projection, the recurrent
                    matrix's layout, h_{t-1} for every step, BPTT's chunks
``activations``     σ, tanh, relu, softmax, written to stay finite
``trace``           the read-only record of a forward pass, and the overrides
==================  ==========================================================

A cell module is a set of functions on arrays in PyTorch's layout; the model
classes in ``lstm_core.models`` call them layer by layer. Each one provides::

    forward(X, w_ih, w_hh, b_ih, b_hh, h0, c0, clamp_mask, clamp_value, keep)
        -> {value name: (T, B, H)}                   the names of notation.TRACE_VALUES
    pre_activations(X, w_ih, w_hh, b_ih, b_hh, h0, values) -> {"pre_…": (T, B, H)}
    backward(X, w_ih, w_hh, values, h0, c0, d_h, d_c, clamp_mask, keep)
        -> (dX, grads, dh0, dc0, d_hidden, d_cell)
    LATER            the names pre_activations returns (computed when first read)
    BACKWARD_NEEDS   the values backward reads
"""
