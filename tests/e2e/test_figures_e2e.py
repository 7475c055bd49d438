"""The client-side animation of ``figures.animated_stack`` in a real browser.

Here, not in tests/test_figures.py, so it shares the e2e session's browser:
a second ``sync_playwright()`` in the same process fails while the first runs.
"""
import lstm_core
from ui.figures import sequence as F
from ui.parsing import encode, parse_sequence


def test_play_moves_the_cursor_in_a_real_browser(browser, tmp_path):
    seq = parse_sequence("我爱北京天安门，天安门上太阳升。The end.", "chars")
    X = encode(seq).X
    trace = lstm_core.LSTM.init(X.shape[1], 8, seed=0).forward(X)
    fig = F.animated_stack(trace.layers[-1], None, seq.tokens, "lstm", "zh", frame_ms=60)
    html = tmp_path / "anim.html"
    fig.write_html(html, include_plotlyjs=True, auto_play=False)
    state = """() => { const g = document.querySelector('.js-plotly-plot');
                       return [Math.round(-0.5 - g._fullLayout.xaxis8.range[0]),
                               g.querySelectorAll('.heatmaplayer image').length]; }"""
    page = browser.new_page(viewport={"width": 1000, "height": 900})
    try:
        page.goto(html.as_uri())
        page.wait_for_selector(".main-svg")
        assert page.evaluate(state) == [0, 7]
        page.get_by_text("播放").click()
        page.wait_for_function("() => document.querySelector('.js-plotly-plot')._fullLayout.xaxis8.range[0] < -2.4",
                               timeout=30000)
        step, images = page.evaluate(state)
        assert step >= 2 and images == 7                    # the cursor moved, the heatmaps stayed
        page.get_by_text("暂停").click()
        page.wait_for_timeout(300)
        a = page.evaluate(state)
        page.wait_for_timeout(500)
        assert page.evaluate(state) == a                    # paused: it stays
    finally:
        page.close()
