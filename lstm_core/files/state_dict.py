"""A whole model's weights, as its author saved them → the parts this tool runs.

PyTorch users save ``model.state_dict()`` of their whole model, e.g. ::

    embed.weight (V, I)                     nn.Embedding
    rnn.weight_ih_l0 … rnn.bias_hh_l1_reverse  nn.LSTM(num_layers=2, bidirectional=True)
    fc.weight (O, 2H), fc.bias (O,)         nn.Linear

``torch_parts`` finds the recurrent module (any prefix: ``rnn.``, ``encoder.``,
``model.lstm.``; several → pick one with ``module=``), the embedding that feeds
it (a bias-free matrix (V, I) whose I is the module's input size) and the
linear head after it (a matrix (O, D·H), D·H the module's output width), and
renames them to ``embed.weight``, the bare recurrent names and ``out.*``.

Keras users save ``{w.path: w.numpy() for w in model.weights}``::

    sequential/embedding/embeddings (V, I)
    sequential/bidirectional/forward_lstm/lstm_cell/kernel … backward_lstm/…
    sequential/lstm_1/lstm_cell/kernel, …/recurrent_kernel, …/bias
    sequential/dense/kernel (D·H, O), sequential/dense/bias

``keras_parts`` turns such a dict into the same PyTorch-named parts
(``convert``'s layouts), one layer per recurrent prefix in file order, a
``Bidirectional`` wrapper's ``forward_*`` / ``backward_*`` halves as one layer.

What neither understands (a LayerNorm, a second Dense, another recurrent
module not chosen) is returned as ``ignored``: the model runs without it and
``model.meta["ignored"]`` lists it, so the page can say so.
"""
from __future__ import annotations

import re
from typing import NamedTuple

import numpy as np

from ..errors import WeightError
from ..notation import ROW_ORDER
from .convert import _keras_bias_in, _keras_rows, kind_from

_LEAF = re.compile(r"(weight|bias)_(ih|hh)_l\d+(_reverse)?")
_PROJ = re.compile(r"weight_hr_l\d+(_reverse)?")
_EMB_HINT = re.compile(r"emb|encoder$|lookup|wte|tok", re.IGNORECASE)
_TOP = "(top level)"


class _Cell(NamedTuple):   # what convert's Keras helpers read of a model class
    kind: str
    gates: int


def _shape(v):
    return tuple(np.shape(v))


def _listed(names, arrays):
    return ", ".join(f"{n} {_shape(arrays[n])}" for n in names)


def recurrent_modules(arrays) -> list:
    """The prefixes of the recurrent modules in a PyTorch state dict, in file order ("" for a bare module)."""
    out = []
    for k in arrays:
        if k.endswith("weight_hh_l0"):
            p = k[:-len("weight_hh_l0")]
            if p not in out:
                out.append(p)
    return out


def _module_name(prefix):
    return prefix.rstrip(".") or _TOP


def _pick_module(prefixes, module):
    names = [_module_name(p) for p in prefixes]
    if module is not None:
        want = str(module).rstrip(".")
        for p in prefixes:
            if p.rstrip(".") == want or (want in ("", _TOP) and p == ""):
                return p
        raise WeightError(f"the file holds no recurrent module named {module!r}; it holds: {', '.join(names)}",
                          key="no_module", module=str(module), modules=", ".join(names))
    if len(prefixes) > 1:
        raise WeightError(f"the file holds several recurrent modules ({', '.join(names)}); choose one, e.g. "
                          f"lstm_core.load(path, module={names[0]!r})", key="several_modules",
                          modules=", ".join(names))
    return prefixes[0]


def _linear_like(rest):
    """{module: {"weight": key, "bias": key?}} for the leftovers that look like a matrix (and a bias)."""
    mods = {}
    for k in rest:
        mod, _, leaf = k.rpartition(".")
        mods.setdefault(mod, {})[leaf] = k
    out = {}
    for mod, leaves in mods.items():
        if "weight" in leaves and set(leaves) <= {"weight", "bias"} and np.ndim(rest[leaves["weight"]]) == 2:
            out[mod] = leaves
    return out


def _embedding_and_head(rest, in_size, width, hint_head=None):
    """Pick the embedding (V, I) and the head (O, width) among the leftovers; refuse ambiguity."""
    cands = _linear_like(rest)
    emb = [m for m, lv in cands.items() if "bias" not in lv and rest[lv["weight"]].shape[1] == in_size]
    head = [m for m, lv in cands.items() if rest[lv["weight"]].shape[1] == width
            and ("bias" not in lv or _shape(rest[lv["bias"]]) == (rest[lv["weight"]].shape[0],))]
    for m in [m for m in emb if m in head]:
        if _EMB_HINT.search(m) and m != hint_head:
            head.remove(m)
        else:
            emb.remove(m)
    if len(emb) > 1:
        raise WeightError(f"several matrices could be the embedding that feeds the recurrent layer "
                          f"({_listed([cands[m]['weight'] for m in emb], rest)}); save the model with one",
                          key="several_embeddings", names=", ".join(cands[m]["weight"] for m in emb))
    if len(head) > 1:
        if hint_head in head:
            head = [hint_head]
        else:
            raise WeightError(f"several linear layers could be the output layer after the recurrent one "
                              f"({_listed([cands[m]['weight'] for m in head], rest)}); this tool runs at most one "
                              f"linear layer of input width {width} after it", key="several_heads",
                              names=", ".join(cands[m]["weight"] for m in head))
    return (cands[emb[0]] if emb else None), (cands[head[0]] if head else None)


class Parts(NamedTuple):
    state_dict: dict      # PyTorch names: bare recurrent names, embed.weight, out.weight / out.bias
    ignored: list         # "name (shape)" of every array the model does not use
    module: str           # the recurrent module's prefix, "" for a bare one


def torch_parts(arrays, module=None) -> Parts:
    """Split a PyTorch state dict (any module prefix) into the parts of one recurrent model."""
    prefixes = recurrent_modules(arrays)
    p = _pick_module(prefixes, module)
    rec, rest, ignored = {}, {}, []
    others = [q for q in prefixes if q != p]
    for k, v in arrays.items():
        leaf = k[len(p):] if k.startswith(p) else None
        if leaf is not None and (_LEAF.fullmatch(leaf) or _PROJ.fullmatch(leaf)):
            rec[leaf] = v
        elif any(k.startswith(q) and (_LEAF.fullmatch(k[len(q):]) or _PROJ.fullmatch(k[len(q):])) for q in others):
            ignored.append(k)
        else:
            rest[k] = v
    sd = dict(rec)
    w_ih = rec.get("weight_ih_l0")
    w_hh = rec.get("weight_hh_l0")
    if w_ih is not None and w_hh is not None and np.ndim(w_ih) == 2 and np.ndim(w_hh) == 2:
        D = 2 if "weight_hh_l0_reverse" in rec else 1
        emb, head = _embedding_and_head(rest, w_ih.shape[1], D * w_hh.shape[1], hint_head="out")
        if emb is not None:
            sd["embed.weight"] = rest.pop(emb["weight"])
        if head is not None:
            sd["out.weight"] = rest.pop(head["weight"])
            if "bias" in head:
                sd["out.bias"] = rest.pop(head["bias"])
    ignored += list(rest)
    return Parts(sd, [f"{k} {_shape(arrays[k])}" for k in ignored], p)


# ===================================================================== Keras
def _direction(prefix):
    """("forward" | "backward" | None, the wrapper's prefix) of a Keras recurrent group."""
    parts = prefix.split("/")
    for i, part in enumerate(parts):
        low = part.lower()
        if low.startswith("forward_"):
            return "forward", "/".join(parts[:i])
        if low.startswith("backward_"):
            return "backward", "/".join(parts[:i])
    return None, prefix


def keras_parts(arrays) -> Parts:
    """Keras 3 (or 2, ``:0``) weight names → the PyTorch-named parts of one model."""
    groups = {}
    for k, v in arrays.items():
        key = k[:-2] if k.endswith(":0") else k
        prefix, _, leaf = key.rpartition("/")
        groups.setdefault(prefix, {})[leaf] = (k, v)
    layers, by_wrapper, embeds, denses, ignored = [], {}, [], [], []
    for prefix, g in groups.items():
        leaves = set(g)
        if "recurrent_kernel" in leaves and leaves <= {"kernel", "recurrent_kernel", "bias"}:
            way, wrapper = _direction(prefix)
            if way is None:
                layers.append({"forward": (prefix, g)})
            else:
                if wrapper not in by_wrapper:
                    by_wrapper[wrapper] = {}
                    layers.append(by_wrapper[wrapper])
                by_wrapper[wrapper][way] = (prefix, g)
        elif leaves == {"embeddings"}:
            embeds.append((prefix, g))
        elif leaves in ({"kernel", "bias"}, {"kernel"}) and np.ndim(g["kernel"][1]) == 2:
            denses.append((prefix, g))
        else:
            ignored += [k for k, _ in g.values()]
    if not layers:
        raise WeightError("no Keras recurrent layer found (…/kernel, …/recurrent_kernel, …/bias)")
    kinds = []
    for layer in layers:
        if "forward" not in layer or (len(layer) == 1 and "backward" in layer):
            only = next(iter(layer.values()))[0]
            raise WeightError(f"{only!r} is one half of a Bidirectional layer; its other half is missing",
                              key="half_bidirectional", name=only)
        for prefix, g in layer.values():
            kinds.append(kind_from(np.shape(g["recurrent_kernel"][1]), True,
                                   f"{prefix + '/' if prefix else ''}recurrent_kernel"))
    ways = [len(layer) for layer in layers]
    if len(set(ways)) > 1:
        k = next(i for i, w in enumerate(ways) if w != ways[0])
        raise WeightError(f"layer {k} reads {'both directions' if ways[k - 1] == 2 else 'one direction'} but layer "
                          f"{k + 1} {'only one' if ways[k] == 1 else 'both'}: this tool runs stacks whose layers are "
                          "all bidirectional or all one-way (as PyTorch's nn.LSTM)", key="mixed_directions")
    sizes = [np.shape(g["recurrent_kernel"][1])[0] for layer in layers for _, g in layer.values()]
    if len(set(sizes)) > 1:
        raise WeightError(f"the recurrent layers have different sizes ({', '.join(map(str, dict.fromkeys(sizes)))} "
                          "units); this tool runs stacks whose layers all have the same size (as PyTorch's nn.LSTM)",
                          key="mixed_sizes", sizes=", ".join(map(str, dict.fromkeys(sizes))))
    if len(set(kinds)) > 1:
        raise WeightError(f"the layers mix cells ({', '.join(dict.fromkeys(kinds))}); one kind per model",
                          key="mixed_cells")
    cell = _Cell(kinds[0], len(ROW_ORDER[kinds[0]]))
    sd = {}
    for k, layer in enumerate(layers):
        for way, sfx in (("forward", ""), ("backward", "_reverse")):
            if way not in layer:
                continue
            prefix, g = layer[way]
            if "kernel" not in g:
                raise WeightError(f"{prefix!r} has no kernel; every recurrent layer needs one", key="do_not_fit")
            W, U = np.asarray(g["kernel"][1]), np.asarray(g["recurrent_kernel"][1])
            if W.ndim != 2 or U.ndim != 2 or W.shape[1] != U.shape[1]:
                raise WeightError(f"{prefix}: Keras expects kernel (I, G·H) and recurrent_kernel (H, G·H); found "
                                  f"{W.shape} and {U.shape}", key="do_not_fit")
            H = U.shape[0]
            b = g["bias"][1] if "bias" in g else None
            b_ih, b_hh = (np.asarray(x, dtype=np.result_type(W, U)) for x in _keras_bias_in(cell, b, H, True))
            sd[f"weight_ih_l{k}{sfx}"] = _keras_rows(cell, W.T, H)
            sd[f"weight_hh_l{k}{sfx}"] = _keras_rows(cell, U.T, H)
            sd[f"bias_ih_l{k}{sfx}"] = _keras_rows(cell, b_ih, H)
            sd[f"bias_hh_l{k}{sfx}"] = _keras_rows(cell, b_hh, H)
    if len(embeds) > 1:
        raise WeightError(f"several embeddings ({', '.join(p for p, _ in embeds)}); this tool runs one, before "
                          "the first recurrent layer", key="several_embeddings",
                          names=", ".join(p for p, _ in embeds))
    if embeds:
        sd["embed.weight"] = np.asarray(embeds[0][1]["embeddings"][1])
    width = len(layers[-1]) * sd[f"weight_hh_l{len(layers) - 1}"].shape[1]
    heads = [(p, g) for p, g in denses if np.shape(g["kernel"][1])[0] == width]
    if len(heads) > 1:
        raise WeightError(f"found {len(heads)} dense layers that could be the output "
                          f"({', '.join(p for p, _ in heads)}); "
                          "at most one, the output layer, is allowed", key="several_heads",
                          names=", ".join(p for p, _ in heads))
    for p, g in denses:
        if heads and p == heads[0][0]:
            K = np.asarray(g["kernel"][1])
            sd["out.weight"] = K.T
            sd["out.bias"] = np.asarray(g["bias"][1]) if "bias" in g else np.zeros(K.shape[1], K.dtype)
        else:
            ignored += [k for k, _ in g.values()]
    return Parts(sd, [f"{k} {_shape(arrays[k])}" for k in ignored], "")
