"""A small page around the trace player, for its browser tests and the benchmark.

    streamlit run tests/e2e/apps/player_app.py  →  /?cell=lstm&H=16&T=40&lang=en&t=1&unit=0

Query parameters: ``cell`` (lstm, gru, rnn), ``H``, ``L`` (layers), ``layer``
(0-based), ``T`` (a generated text of T characters) or ``seq`` (the text),
``seed``, ``lang``, ``t`` (1-based), ``unit``, ``rows`` (units shown, "7,2,5"),
``color_by``, and ``controls=1`` for a language switch and a unit box above
the player that drive it (as on the explorer page). The player's reports go back
into the URL's ``t`` and ``unit``, as on the explorer page; ``#sent`` shows the
last one. Imported as a module (tests, bench) it only defines ``make_run`` and
``make_data``, so the tests build the very same numbers.
"""
import random
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[3]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import lstm_core  # noqa: E402
from ui import parsing  # noqa: E402
from ui.player import player_data  # noqa: E402

WORDS = ["the", "cat", "sat", "on", "a", "mat", "and", "slept", "今天", "天气", "很好"]


def text_of(T, seed=0):
    """A mixed English/Chinese text of exactly T characters."""
    rng = random.Random(seed)
    out = ""
    while len(out) < T:
        out += rng.choice(WORDS) + rng.choice("   ,.")
    return out[:T]


def make_run(cell="lstm", H=16, L=1, T=40, seq=None, seed=0):
    """(trace, tokens, model description) of a seeded random model over a one-hot text."""
    tokens = parsing.parse_sequence(seq, "chars").tokens if seq else \
        parsing.parse_sequence(text_of(T + 20, seed), "chars", max_tokens=T + 20).tokens[:T]   # exactly T steps
    vocab = sorted(set(tokens))
    X = np.zeros((len(tokens), len(vocab)), dtype=np.float32)
    for i, tok in enumerate(tokens):
        X[i, vocab.index(tok)] = 1.0
    model = lstm_core.CELLS[cell].init(len(vocab), H, num_layers=L, seed=seed, dtype=np.float32)
    return model.forward(X), tokens, model.describe()


def make_data(params: dict, run=None):
    """The player's data for the page's query parameters (strings)."""
    def arg(name, default):
        try:
            return int(params.get(name, default))
        except (TypeError, ValueError):
            return default
    L = arg("L", 1)
    trace, tokens, desc = run or make_run(params.get("cell", "lstm"), arg("H", 16), L, arg("T", 40),
                                          params.get("seq"), arg("seed", 0))
    return player_data(trace=trace, tokens=tokens, model=desc, lang=params.get("lang", "en"),
                       layer=arg("layer", L - 1), unit=arg("unit", 0), t=arg("t", 1), title="Trace player test")


def main():
    import streamlit as st

    from ui.player.component import cached_data, player, position

    st.set_page_config(page_title="Player test", layout="wide", initial_sidebar_state="collapsed")
    params = st.query_params.to_dict()

    @st.cache_resource(max_entries=8)
    def cached_run(cell, H, L, T, seq, seed):
        return make_run(cell, H, L, T, seq, seed)

    def num(name, default):
        try:
            return int(params.get(name, default))
        except ValueError:
            return default

    run = cached_run(params.get("cell", "lstm"), num("H", 16), num("L", 1), num("T", 40), params.get("seq"),
                     num("seed", 0))

    def remember():
        pos = position("player")
        if pos:
            st.query_params["t"] = str(pos["t"])
            st.query_params["unit"] = str(pos["unit"])
            st.session_state["sent"] = pos
            st.session_state["w_unit"] = pos["unit"]      # the page's own unit box follows the player

    st.subheader("Trace player")
    trace, tokens, desc = run
    L, lang, unit = num("L", 1), params.get("lang", "en"), num("unit", 0)
    if params.get("controls"):      # like the explorer: a language switch and a unit box that drive the player
        st.session_state.setdefault("w_lang", lang)
        st.session_state.setdefault("w_unit", min(unit, trace.hidden_size - 1))
        left, right = st.columns(2)
        lang = left.radio("Language", ["en", "zh"], key="w_lang", horizontal=True)
        unit = int(right.number_input("Unit", 0, trace.hidden_size - 1, key="w_unit"))
        st.query_params["lang"], st.query_params["unit"] = lang, str(unit)
    data = cached_data(trace=trace, tokens=tokens, model=desc, lang=lang, layer=num("layer", L - 1),
                       title="Trace player test")
    rows = [int(u) for u in params["rows"].split(",")] if params.get("rows") else None
    player(data, t=num("t", 1), unit=unit, rows=rows, color_by=params.get("color_by"), key="player",
           trace=trace, on_change=remember)
    sent = st.session_state.get("sent")
    shown = f"{sent['t']},{sent['unit']}" if sent else ""
    st.markdown(f'<span id="sent">{shown}</span>', unsafe_allow_html=True)


if __name__ == "__main__":
    main()
