"""LSTM Explorer home page (placeholder until the explorer lands)."""
import streamlit as st

st.set_page_config(page_title="LSTM Explorer", page_icon="🧠", layout="wide")
st.title("LSTM Explorer")
st.write("See inside a recurrent network.")
