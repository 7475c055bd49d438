"""Weight files: ``.npz`` and ``.safetensors``, in PyTorch or Keras naming.

    model = lstm_core.load("my_lstm.npz")            # or .safetensors, bytes, an upload
    model.save("copy.safetensors", naming="keras")

==================  ==========================================================
module              holds
==================  ==========================================================
``reader``          a file (path, bytes, upload) → checked arrays → a model:
                    ``read``, ``load`` (= ``lstm_core.load``), ``build``
``writer``          a model → the bytes of a file: ``dumps``, ``save``
                    (= ``model.save``)
``convert``         PyTorch's and Keras's layouts, both ways (``from_torch``,
                    ``to_keras`` …, the names a file uses)
``safetensors``     the ``.safetensors`` format, read with every offset checked
``state_dict``      a whole model's weights (any module prefix, embedding,
                    head, several recurrent modules, Keras Bidirectional) →
                    the parts this tool runs
``vocab``           vocabularies: metadata, sidecar ``NAME.vocab.json`` /
                    ``.vocab.txt``, checks against the embedding
==================  ==========================================================

What a file may hold
--------------------
* PyTorch names, as ``nn.LSTM/GRU/RNN.state_dict()`` gives them:
  ``weight_ih_l0`` (G·H, I), ``weight_hh_l0`` (G·H, H), ``bias_ih_l0``,
  ``bias_hh_l0`` (G·H,), then ``_l1`` …; optionally ``out.weight`` (O, H)
  and ``out.bias`` (O,). A whole model's state dict is read too
  (``state_dict``): any module prefix (``rnn.``, ``model.lstm.``; several
  recurrent modules → ``load(path, module=…)``), ``_reverse`` twins of a
  bidirectional module, an ``nn.Embedding`` (V, I) before it and one
  ``nn.Linear`` (O, D·H) after it; ``weight_hr_l{k}`` (proj_size) is refused.
* Keras 3 names, as ``{w.path: w.numpy() for w in model.weights}`` gives
  them: ``…/kernel`` (I, G·H), ``…/recurrent_kernel`` (H, G·H), ``…/bias``;
  each distinct prefix is a layer, stacked in order of appearance; a group
  with ``kernel`` and ``bias`` but no ``recurrent_kernel`` (a Dense) is the
  output layer, ``kernel`` (H, O).
* G, the number of row blocks, tells the cell: weight_hh (4H, H) is an LSTM,
  (3H, H) a GRU, (H, H) a plain RNN (``notation.ROW_ORDER``).
* Metadata (optional): a JSON object, in ``.npz`` as a 0-d unicode array
  under ``__meta__``, in ``.safetensors`` as ``__metadata__["lstm_explorer"]``.
  ``nonlinearity`` ("tanh"/"relu", RNN) and ``output`` ("softmax"/"linear")
  set the model; ``cell`` is checked against the shapes; every other key
  (``vocab``: list of str, ``task``, ``note`` …) goes to ``model.meta``.

Safety
------
Files may come from strangers (the hosted demo takes uploads). Nothing is
unpickled or executed; every size is checked from the headers *before* any
array is allocated: the file (``MAX_BYTES``), the zip's declared member sizes,
each .npy header's dtype and element count, the safetensors JSON header and
offsets. Anything wrong raises ``lstm_core.WeightError`` (a ValueError) whose
message says what was found and what is allowed.

This module holds only the constants of the format, so that the modules
above can share them without importing each other.
"""

MAX_BYTES = 64_000_000      # default limit on the file and on the arrays it declares (a 2-layer BiLSTM
                            # H = 256 with a 20,000-word embedding and classifier takes ~25 MB in float32)
MAX_ARRAYS = 256            # 16 layers × 2 directions × 4 + embedding + output + metadata
MAX_META = 1_000_000        # bytes of metadata JSON
MAX_HIDDEN, MAX_LAYERS, MAX_INPUT = 4096, 16, 100_000
META_KEY = "__meta__"                   # npz member holding the metadata JSON
SAFETENSORS_META_KEY = "lstm_explorer"  # key inside safetensors' __metadata__
RESERVED = ("cell", "nonlinearity", "output")   # metadata keys that set the model, not model.meta
ALLOWED = "float16, float32 or float64"
