"""Helpers for AppTest runs of the app's pages (shared by the test modules)."""
import json

from streamlit.testing.v1.element_tree import UnknownElement


def player_data(at):
    """The data the page's trace player was handed (``ui.player.data.player_data`` plus its position),
    or None when the page has no player. Stepping itself happens in the browser (tests/e2e)."""
    def find(node):
        for child in (node.children.values() if isinstance(getattr(node, "children", None), dict) else []):
            if isinstance(child, UnknownElement) and getattr(child.proto, "component_name", "").endswith("player"):
                return json.loads(child.proto.json)
            found = find(child)
            if found is not None:
                return found
    return find(at.main)
