"""A bidirectional layer in the player: units named → and ←, and a ← unit's arithmetic reads step t+1,
the same lines as Python's ``ui.figures.arithmetic`` (opened as the one-file export, offline)."""
import numpy as np

import lstm_core
from ui.figures.arithmetic import arithmetic_lines
from ui.player import player_data
from ui.player.export import standalone_html

READY = "() => (window.__lstmPlayers || []).some(p => p.root && p.root.dataset.ready === '1' && p.root.isConnected)"
P = "window.__lstmPlayers.filter(p => p.root.isConnected).slice(-1)[0]"


def test_reverse_units_are_named_and_read_the_next_step(browser, tmp_path, shots):
    model = lstm_core.LSTM.init(3, 4, seed=2, bidirectional=True, dtype=np.float32)
    trace = model.forward(np.random.default_rng(0).normal(size=(6, 3)).astype(np.float32))
    tokens = list("abcdef")
    unit, t = 5, 3                                   # ← unit 1 (units 4..7 read right to left), step 3 of 6
    data = player_data(trace=trace, tokens=tokens, model=model.describe(), lang="en", unit=unit, t=t)
    assert data["directions"] == 2
    page_file = tmp_path / "bidirectional.html"
    page_file.write_text(standalone_html(data), encoding="utf-8")
    ctx = browser.new_context(viewport={"width": 1280, "height": 720}, offline=True)
    pg = ctx.new_page()
    pg.goto(page_file.as_uri())
    pg.wait_for_function(READY, timeout=30_000)
    state = pg.evaluate(f"() => {P}.state()")
    assert (state["t"], state["unit"]) == (t, unit)
    python = [[key, line] for key, line in arithmetic_lines(trace, t - 1, unit)]
    assert state["lines"] == python                  # c = z^f × c^{t+1} + z^i × z for a ← unit
    assert "←1" in pg.locator(".lp-pos").inner_text()
    pg.locator(".lp").first.focus()
    pg.keyboard.press("End")
    pg.wait_for_function(f"() => {P}.state().t === 6", timeout=10_000)
    last = pg.evaluate(f"() => {P}.state()")["lines"]
    assert last == [[key, line] for key, line in arithmetic_lines(trace, 5, unit)]   # its own initial state
    pg.screenshot(path=str(shots / "player-bidirectional.png"))
    ctx.close()
