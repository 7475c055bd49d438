"""The player and its data in one HTML file: opens from disk, offline, and behaves as in the app.

``standalone_html(data)`` inlines ``assets/player.css``, ``assets/player.js``
(its closing ``export default`` line dropped, so it runs as a classic script)
and the data as JSON in a ``<script type="application/json">`` block. A
Content-Security-Policy in the file forbids every fetch, so what opens from
``file://`` with the network off is exactly what the app showed. Size: the
data (~215 kB at T = 200, H = 64 for an LSTM) plus ~45 kB of player.
"""
from __future__ import annotations

import html
import json
from pathlib import Path

ASSETS = Path(__file__).resolve().parent / "assets"
EXPORT_LINE = "export default mountPlayer;"

PAGE_CSS = """
html, body { margin: 0; background: #f6f6f6; }
body { padding: 12px; font-family: "Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", system-ui,
  sans-serif; color: #1a1a1a; }
.lp-page-head h1 { font-size: 18px; margin: 0 0 2px; }
.lp-page-head p, .lp-page-foot { font-size: 12.5px; color: #555; margin: 0 0 8px; }
.lp-page-foot { margin-top: 8px; }
"""


def asset(name: str) -> str:
    return (ASSETS / name).read_text(encoding="utf-8")


def classic_script(js: str) -> str:
    """player.js without its module export, so an inline classic <script> can run it."""
    if EXPORT_LINE not in js:
        raise ValueError(f"player.js no longer ends with {EXPORT_LINE!r}")
    return js.replace(EXPORT_LINE, "")


def data_json(data: dict) -> str:
    """``data`` as JSON that is safe inside a <script> element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")


def standalone_html(data: dict, title: str | None = None) -> str:
    """One self-contained HTML file showing ``data`` (from ``ui.player.data.player_data``) in the player."""
    s = data["strings"]
    lang = "zh-CN" if data["lang"] == "zh" else "en"
    title = title or data.get("title") or "LSTM Explorer"
    csp = ("default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data: blob:; "
           "font-src data:; connect-src 'none'; form-action 'none'; base-uri 'none'")
    return f"""<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<title>{html.escape(title)}</title>
<style>{PAGE_CSS}
{asset("player.css")}</style>
</head>
<body>
<header class="lp-page-head"><h1>{html.escape(title)}</h1><p>{html.escape(data["model"]["text"])}</p></header>
<main id="lstm-player"><div class="lp-host">
<div class="lp-loading" role="status">{html.escape(s["loading"])}</div></div></main>
<p class="lp-page-foot">{html.escape(s["exported"])}</p>
<script type="application/json" id="lstm-player-data">{data_json(data)}</script>
<script>
{classic_script(asset("player.js"))}
(function () {{
  var root = document.getElementById("lstm-player");
  try {{
    mountPlayer({{ data: JSON.parse(document.getElementById("lstm-player-data").textContent), parentElement: root }});
  }} catch (err) {{
    root.textContent = "The player could not start: " + err;
  }}
}})();
</script>
</body>
</html>
"""
