"""The arithmetic of the first lesson (``pages/lesson.py``): write, hold, read.

One LSTM unit reads a stream such as ``A · · · · ?`` and must answer, at the
``?``, which letter came first. The student sets the three gates at every
step; everything else is fixed so the gates alone decide:

- the candidate ``z`` of each token: the letter writes +1 (A) or −1 (B),
  every dot writes a small +0.3 (a dot is not nothing), the ``?`` writes 0;
- the cell: ``c^t = z^f ⊙ c^{t−1} + z^i ⊙ z`` from ``c^0 = 0``, and
  ``h^t = z^o ⊙ tanh(c^t)`` — the LSTM's own equations (tests check them
  against ``lstm_core.LSTM`` with every value clamped);
- the answer: ``y = σ(W′ h^T)`` with ``W′ = 5`` is the probability that the
  letter was A. It is right when it leans the right way (y > ½ for A,
  y < ½ for B); at y = ½ the cell cannot tell.

A setting is right only if it answers both streams right, A and B: the cell
must remember *which* letter, not just lean one way.

Pure NumPy; no Streamlit.
"""
from __future__ import annotations

import math

import numpy as np

LETTERS = {"A": 1.0, "B": -1.0}      # the candidate each letter writes
DOT, QUESTION = 0.3, 0.0             # the candidate of a dot and of the "?"
READOUT = 5.0                        # W′ in y = σ(W′ h)
GATES = ("forget", "input", "output")
SETTINGS = ("remember", "forget", "tie", "no_forget", "own")
RULES = {"remember": "free", "forget": "free", "tie": "tie", "no_forget": "no_forget", "own": "free"}
MIN_DOTS, MAX_DOTS, DEFAULT_DOTS = 1, 20, 4


def tokens(letter: str, dots: int) -> list:
    """``["A", "·", …, "·", "?"]``: the letter, ``dots`` dots, the question."""
    return [letter] + ["·"] * dots + ["?"]


def candidates(letter: str, dots: int) -> np.ndarray:
    """The candidate z of every step (T = dots + 2)."""
    return np.array([LETTERS[letter]] + [DOT] * dots + [QUESTION])


def preset(setting: str, dots: int) -> dict:
    """The gates {forget, input, output} (each (T,) in 0..1) a setting starts from.

    - remember: write at the letter (z^i = 1), hold (z^f = 1, z^i = 0 on the dots), read at the ``?`` (z^o = 1);
    - forget: every gate half open (z^f = z^i = z^o = 0.5), like an untrained cell;
    - tie: the GRU's rule z^i = 1 − z^f, with z^f = 0 at the letter (write) and 1 after (hold);
    - no_forget: the 1997 LSTM had no forget gate (z^f = 1 always) and here nothing shuts z^i;
    - own: the same start as remember, for the student to change.
    """
    T = dots + 2
    one, zero = np.ones(T), np.zeros(T)
    first = zero.copy()
    first[0] = 1.0
    last = zero.copy()
    last[-1] = 1.0
    if setting in ("remember", "own"):
        gates = {"forget": one.copy(), "input": first, "output": last}
    elif setting == "forget":
        gates = {"forget": one * 0.5, "input": one * 0.5, "output": one * 0.5}
    elif setting == "tie":
        forget = one.copy()
        forget[0] = 0.0
        gates = {"forget": forget, "input": 1.0 - forget, "output": last}
    elif setting == "no_forget":
        gates = {"forget": one.copy(), "input": one.copy(), "output": last}
    else:
        raise ValueError(f"unknown setting {setting!r}; choose one of {SETTINGS}")
    return constrain(gates, RULES[setting])


def constrain(gates: dict, rule: str) -> dict:
    """The gates with a cell's rule applied and every value within 0..1.

    ``"free"``: three free gates (the LSTM); ``"tie"``: z^i = 1 − z^f (the GRU's
    update gate does both jobs); ``"no_forget"``: z^f = 1 (the 1997 LSTM).
    """
    out = {g: np.clip(np.asarray(gates[g], dtype=np.float64), 0.0, 1.0) for g in GATES}
    if rule == "tie":
        out["input"] = 1.0 - out["forget"]
    elif rule == "no_forget":
        out["forget"] = np.ones_like(out["forget"])
    elif rule != "free":
        raise ValueError(f"unknown rule {rule!r}")
    return out


def sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def run(gates: dict, letter: str, dots: int) -> dict:
    """One stream through the unit: c (T,), h (T,), the answer y, and whether it is right."""
    z = candidates(letter, dots)
    f, i, o = (np.asarray(gates[g], dtype=np.float64) for g in GATES)
    if not (len(f) == len(i) == len(o) == len(z)):
        raise ValueError(f"the gates need {len(z)} steps each")
    c = np.zeros(len(z))
    prev = 0.0
    for t in range(len(z)):
        prev = c[t] = f[t] * prev + i[t] * z[t]
    h = o * np.tanh(c)
    y = sigmoid(READOUT * h[-1])
    leans = "A" if y > 0.5 else "B" if y < 0.5 else None
    return {"tokens": tokens(letter, dots), "candidate": z, "cell": c, "hidden": h, "y": y, "answer": leans,
            "right": leans == letter}


def lesson(gates: dict, dots: int) -> dict:
    """Both streams: {"A": run, "B": run, "right": both answered right}."""
    out = {letter: run(gates, letter, dots) for letter in LETTERS}
    out["right"] = all(out[letter]["right"] for letter in LETTERS)
    return out


def kept(forget: float, steps: int) -> float:
    """The share of c left after ``steps`` steps of z^f = ``forget`` with nothing written: forget**steps."""
    return float(forget) ** int(steps)


def set_step(gates: dict, step: int, values: dict, *, every_dot: bool = False) -> dict:
    """The gates with step ``step`` (0-based) set to ``values`` ({gate: value}); with ``every_dot``
    every dot (steps 1 … T−2) gets them when ``step`` is a dot."""
    out = {g: np.array(gates[g], dtype=np.float64) for g in GATES}
    T = len(out["forget"])
    steps = range(1, T - 1) if every_dot and 0 < step < T - 1 else [step]
    for g, v in values.items():
        for s in steps:
            out[g][s] = float(v)
    return out


def resize(gates: dict, dots: int) -> dict:
    """The gates fitted to ``dots`` dots: the letter's and the ``?``'s steps kept, the dots
    taking the first dot's values (or the last step's when there was none)."""
    T = dots + 2
    out = {}
    for g in GATES:
        old = np.asarray(gates[g], dtype=np.float64)
        dot = old[1] if len(old) > 2 else old[-1]
        out[g] = np.concatenate([[old[0]], np.full(dots, dot), [old[-1]]])[:T]
    return out


# ------------------------------------------------------------- the questions asked before a reveal
# Each question: its choices, and a function of the current setting giving the number revealed and
# the index of the right choice. The page asks first, then shows the number.
HOLD_STEPS, HOLD_FORGET = 10, 0.5


def answer_hold() -> tuple[float, int]:
    """"If z^f = 0.5 for 10 steps and nothing is written, how much of c is left?"
    Choices: half, a tenth, about a thousandth, nothing at all → (0.5**10, index 2)."""
    left = kept(HOLD_FORGET, HOLD_STEPS)
    cuts = (0.25, 0.05, 1e-6)     # above 25 %: "half"; above 5 %: "a tenth"; above 0: "about a thousandth"
    index = next((k for k, cut in enumerate(cuts) if left > cut), 3)
    return left, index


def answer_write(dots: int) -> tuple[float, int]:
    """"With z^i = 0 at the letter (the rest as in remember), what does c hold at the ?"
    Choices: +1, 0, −1 → (c at the ? of the A stream, index)."""
    gates = set_step(preset("remember", dots), 0, {"input": 0.0})
    c = float(run(gates, "A", dots)["cell"][-1])
    return c, (0 if c > 0.5 else 2 if c < -0.5 else 1)


def answer_read(dots: int) -> tuple[float, int]:
    """"With z^o = 0 at the ? (the rest as in remember), what is y?"
    Choices: near 1 (A), ½ (cannot tell), near 0 (B) → (y of the A stream, index)."""
    gates = set_step(preset("remember", dots), dots + 1, {"output": 0.0})
    y = float(run(gates, "A", dots)["y"])
    return y, (0 if y > 0.6 else 2 if y < 0.4 else 1)
