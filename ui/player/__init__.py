"""The trace player: one run drawn and stepped in the browser, no server round trip per step.

- ``data``: run → the player's data dict (every value of every step, 16-bit packed), and ``decode``;
- ``component``: ``player(data, key=…)`` mounts it in a Streamlit page (``st.components.v2``) and
  returns the step and unit the user stopped at;
- ``export``: ``standalone_html(data)``, the same player in one self-contained HTML file.

The browser side is plain files in ``ui/player/assets`` (HTML, CSS, JS; no build step, nothing fetched).
"""
from .data import decode, max_error, player_data

__all__ = ["decode", "max_error", "player_data"]
