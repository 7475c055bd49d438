"""The Streamlit side of LSTM Explorer: translations, parsing, figures, shared page set-up.

Nothing here computes a model: that is ``lstm_core``. Figures are plain
functions (data in, Plotly figure out) that tests call without Streamlit.
"""
