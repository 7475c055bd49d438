"""The trace player in headless Chromium: a demo page (tests/e2e/apps/player_app.py) on a real server.

Steps with buttons and keys, play then pause (the URL's t is the step shown),
hover text, unit and token clicks, both languages, a 390 px phone, the static
fallback when the player cannot draw, and the exported HTML opened from
file:// with the network blocked showing the same numbers. Screenshots go to
tests/screenshots/player-*.png (looked at by hand).
"""
import importlib.util
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

import pytest

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "tests" / "e2e" / "apps" / "player_app.py"
READY = "() => (window.__lstmPlayers || []).some(p => p.root && p.root.dataset.ready === '1' && p.root.isConnected)"
P = "window.__lstmPlayers.filter(p => p.root.isConnected).slice(-1)[0]"


def _app_module():
    spec = importlib.util.spec_from_file_location("player_app", APP)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


app = _app_module()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PlayerServer:
    """``streamlit run tests/e2e/apps/player_app.py`` on a free port."""

    def __init__(self, shots):
        self.port = free_port()
        self.log = open(shots / f"player-server-{self.port}.log", "wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(APP), "--server.port", str(self.port),
             "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"], cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with {self.proc.returncode}")
            try:
                with urllib.request.urlopen(self.url(), timeout=2):
                    return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("the player demo did not start within 60 s")

    def url(self, **params):
        return f"http://127.0.0.1:{self.port}/" + (("?" + urlencode(params)) if params else "")

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


@pytest.fixture(scope="module")
def player_server(shots):
    s = PlayerServer(shots)
    yield s
    s.stop()


@pytest.fixture
def open_player(browser, player_server):
    """open_player(width=1280, height=720, lang=…, **params) → a page with the player drawn."""
    contexts = []

    def _open(width=1280, height=720, locale="en-US", init_script=None, wait=True, touch=False, **params):
        ctx = browser.new_context(viewport={"width": width, "height": height}, locale=locale, has_touch=touch)
        contexts.append(ctx)
        if init_script:
            ctx.add_init_script(init_script)
        pg = ctx.new_page()
        pg.set_default_timeout(60_000)
        errors = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        pg.errors = errors
        pg.goto(player_server.url(**params))
        if wait:
            pg.wait_for_function(READY, timeout=90_000)
            pg.wait_for_timeout(200)
        return pg

    yield _open
    for ctx in contexts:
        ctx.close()


def state(pg):
    return pg.evaluate(f"() => {P}.state()")


def url_param(pg, name):
    m = re.search(rf"[?&]{name}=(\d+)", pg.evaluate("location.search"))
    return int(m.group(1)) if m else None


def wait_url(pg, t, unit=None, timeout_s=20):
    """Wait until the URL holds step ``t`` (and ``unit``): the player told the server, which wrote the URL."""
    for _ in range(int(timeout_s * 10)):
        if url_param(pg, "t") == t and (unit is None or url_param(pg, "unit") == unit):
            return
        pg.wait_for_timeout(100)
    raise AssertionError(f"URL {pg.evaluate('location.search')} never reached t={t}, unit={unit}")


def tip_text(pg):
    return pg.locator(".lp-tip").inner_text()


def hover_cell(pg, panel, s, u):
    pt = pg.evaluate(f"() => {P}.point({panel}, {s}, {u})")
    pg.mouse.move(pt["x"], pt["y"])
    pg.wait_for_timeout(80)
    return pt


def shown(v, digits=3):
    """A value as the player prints it: fixed digits, a true minus sign."""
    text = f"{v:.{digits}f}"
    return (text.lstrip("-") if float(text) == 0 else text).replace("-", "\u2212")


def exact_lines(trace, s, unit):
    try:
        from ui.figures.arithmetic import arithmetic_lines
    except ImportError:
        from ui.explain import arithmetic_lines
    return [[k, line] for k, line in arithmetic_lines(trace, s, unit)]


# --------------------------------------------------------------------------- tests
def test_buttons_keys_and_url(open_player, shots):
    pg = open_player(cell="lstm", H=16, T=40, lang="en")
    assert state(pg)["t"] == 1
    nxt = pg.get_by_role("button", name="Next step")
    nxt.click()
    nxt.click()
    assert state(pg)["t"] == 3
    assert "Step 3 of 40" in pg.locator(".lp-pos").inner_text()
    pg.keyboard.press("ArrowRight")
    assert state(pg)["t"] == 4
    pg.keyboard.press("End")
    assert state(pg)["t"] == 40
    assert pg.get_by_role("button", name="Next step").get_attribute("aria-disabled") == "true"
    pg.keyboard.press("Home")
    pg.keyboard.press("ArrowLeft")          # stays at the first step
    assert state(pg)["t"] == 1
    pg.get_by_role("button", name="Last step").click()
    pg.get_by_role("button", name="Previous step").click()
    assert state(pg)["t"] == 39
    wait_url(pg, 39, 0)
    pg.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')
    pg.wait_for_timeout(300)
    # the rerun that wrote the URL (the player's fragment only) handed the browser the same data: nothing
    # decoded or drawn again
    assert state(pg)["calls"] == 1
    # stepping never waited for the server: at most one report per pause in the typing
    assert int(pg.evaluate(f"() => {P}.root.dataset.sends")) <= 2
    assert not pg.errors, pg.errors


def test_arithmetic_matches_python(open_player):
    """The lines the browser prints are the ones ui/figures/arithmetic.py prints from the exact trace."""
    for cell in ("lstm", "gru", "rnn"):
        params = dict(cell=cell, H=8, T=30, lang="en", unit=3, t=12)
        pg = open_player(**params)
        trace = app.make_run(cell, 8, 1, 30)[0]
        for t in (12, 13, 1):
            if t == 1:
                pg.keyboard.press("Home")
            elif t == 13:
                pg.get_by_role("button", name="Next step").click()
            got = state(pg)
            assert got["t"] == t and got["unit"] == 3
            assert got["lines"] == exact_lines(trace, t - 1, 3), (cell, t)
        pg.close()


def test_deep_link_opens_at_step_and_unit(open_player):
    pg = open_player(cell="gru", H=12, T=50, lang="en", t=17, unit=5)
    got = state(pg)
    assert (got["t"], got["unit"]) == (17, 5)
    assert "unit 5" in pg.locator(".lp-pos").inner_text()


def test_play_then_pause_url_equals_step(open_player):
    pg = open_player(cell="lstm", H=16, T=120, lang="en")
    play = pg.get_by_role("button", name="Play")
    play.click()
    pg.wait_for_timeout(900)
    assert state(pg)["playing"]
    pg.get_by_role("button", name="Pause").click()
    shown = state(pg)
    assert not shown["playing"] and shown["t"] > 3
    wait_url(pg, shown["t"])
    pg.wait_for_timeout(600)
    assert state(pg)["t"] == shown["t"] == url_param(pg, "t")
    # Space plays and pauses too
    pg.keyboard.press("Space")
    pg.wait_for_timeout(500)
    pg.keyboard.press("Space")
    again = state(pg)
    assert again["t"] > shown["t"] and not again["playing"]
    wait_url(pg, again["t"])


def test_hover_unit_click_token_click(open_player, shots):
    pg = open_player(cell="lstm", H=16, T=40, lang="en")
    trace, tokens, _ = app.make_run("lstm", 16, 1, 40)
    hover_cell(pg, 0, 9, 4)                    # z^f, step 10, unit 4
    text = tip_text(pg)
    value = float(trace.layers[0]["forget"][9, 4])
    assert "step 10" in text and "unit 4" in text and shown(value) in text, text
    assert tokens[9].strip() == "" or tokens[9] in text
    pg.screenshot(path=str(shots / "player-hover-en.png"))
    # a click on a cell chooses its unit (row) and its step (column)
    pt = hover_cell(pg, 6, 20, 7)
    pg.mouse.click(pt["x"], pt["y"])
    got = state(pg)
    assert (got["t"], got["unit"]) == (21, 7)
    assert "unit 7" in pg.locator(".lp-strip-title").inner_text()
    wait_url(pg, 21, 7)
    # a token of the strip jumps to its step, and is outlined there
    pt = pg.evaluate(f"() => {P}.tokenPoint(4)")
    pg.mouse.click(pt["x"], pt["y"])
    assert state(pg)["t"] == 5
    outline = pg.locator(".lp-strip-now").bounding_box()
    assert outline["x"] < pt["x"] < outline["x"] + outline["width"] and outline["y"] < pt["y"] < outline["y"] + 30
    wait_url(pg, 5, 7)
    # the token's hover says its value of the chosen unit
    pt = pg.evaluate(f"() => {P}.tokenPoint(6)")
    pg.mouse.move(pt["x"], pt["y"])
    pg.wait_for_timeout(80)
    assert shown(float(trace.layers[0]['hidden'][6, 7])) in tip_text(pg)


def test_page_controls_and_player_keep_each_other(open_player):
    """The page moves the player (unit box, language) and the player moves the page; no one loses the step."""
    pg = open_player(cell="lstm", H=16, T=40, lang="en", controls=1)
    for _ in range(6):
        pg.keyboard.press("ArrowRight") if _ else pg.get_by_role("button", name="Next step").click()
    assert state(pg)["t"] == 7
    wait_url(pg, 7, 0)
    box = pg.get_by_test_id("stNumberInputField")
    box.fill("6")
    box.press("Enter")
    pg.wait_for_function(f"() => {P}.state().unit === 6")
    assert state(pg)["t"] == 7 and "unit 6" in pg.locator(".lp-pos").inner_text()
    pt = hover_cell(pg, 0, 7, 11)               # a click in the player: step 8, unit 11, and the box follows
    pg.mouse.click(pt["x"], pt["y"])
    wait_url(pg, 8, 11)
    pg.wait_for_function("() => [...document.querySelectorAll('input[type=number]')].some(i => i.value === '11')")
    pg.get_by_text("zh", exact=True).click()     # the language changes; the place stays
    pg.wait_for_function(f"() => {P}.state().lang === 'zh'")
    got = state(pg)
    assert (got["t"], got["unit"]) == (8, 11)
    assert "第 8 步" in pg.locator(".lp-pos").inner_text()


def test_a_subset_of_rows(open_player):
    """The explorer's "most active units": the heatmaps show only these rows, in this order."""
    pg = open_player(cell="gru", H=16, T=30, lang="en", rows="9,2,14", unit=2, color_by="update")
    trace = app.make_run("gru", 16, 1, 30)[0]
    assert pg.evaluate(f"() => {P}.heatC.height") < 4 * 16 * 10       # 4 panels of 3 rows, not 16
    hover_cell(pg, 1, 5, 14)                                          # u, step 6, unit 14 (the third row)
    text = tip_text(pg)
    assert "unit 14" in text and shown(float(trace.layers[0]["update"][5, 14])) in text, text
    pt = hover_cell(pg, 0, 3, 9)
    pg.mouse.click(pt["x"], pt["y"])
    assert (state(pg)["t"], state(pg)["unit"]) == (4, 9)
    pg.keyboard.press("ArrowDown")                                    # the next row down is unit 2
    assert state(pg)["unit"] == 2
    assert "u update gate" in pg.locator(".lp-strip-title").inner_text()


def test_chinese_and_screens(open_player, shots):
    pg = open_player(cell="lstm", H=64, T=200, lang="zh", locale="zh-CN", t=37, unit=5)
    pos = pg.locator(".lp-pos").inner_text()
    assert "第 37 步，共 200 步" in pos and "神经元 5" in pos
    arith = pg.locator(".lp-arith").inner_text()
    for word in ("忘记阶段", "选择记忆阶段", "输出阶段"):
        assert word in arith
    assert pg.get_by_role("button", name="下一步").count() == 1
    hover_cell(pg, 0, 40, 5)
    assert "词元" in tip_text(pg) and "神经元 5" in tip_text(pg)
    pg.mouse.move(5, 5)
    # one screen: controls, heatmaps and the cell diagram visible together at 1280 × 720
    pg.evaluate(f"() => {P}.root.scrollIntoView()")
    pg.wait_for_timeout(200)
    for sel in (".lp-bar", ".lp-heat", ".lp-cell-c"):
        box = pg.locator(sel).bounding_box()
        assert box["y"] >= -1 and box["y"] + min(box["height"], 80) <= 720, (sel, box)
    assert pg.locator(".lp").bounding_box()["height"] <= 720 - 40
    pg.screenshot(path=str(shots / "player-zh-1280.png"))
    en = open_player(cell="lstm", H=64, T=200, lang="en", t=37, unit=5)
    en.evaluate(f"() => {P}.root.scrollIntoView()")
    en.wait_for_timeout(200)
    en.screenshot(path=str(shots / "player-en-1280.png"))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_phone_one_column(open_player, shots, lang):
    pg = open_player(width=390, height=844, touch=True, cell="lstm", H=32, T=120, lang=lang, t=10)
    assert "lp-narrow" in pg.locator(".lp").get_attribute("class")
    assert pg.evaluate("document.scrollingElement.scrollWidth") <= 390
    side, heat = pg.locator(".lp-side").bounding_box(), pg.locator(".lp-heat").bounding_box()
    assert side["y"] + side["height"] <= heat["y"] + 1          # stacked, cell view first
    for sel in (".lp-bar", ".lp-side", ".lp-heat", ".lp-strip"):
        b = pg.locator(sel).bounding_box()
        assert b["x"] >= 0 and b["x"] + b["width"] <= 390 + 0.5, (sel, b)
    nxt = pg.locator('button[data-act="next"]')
    assert nxt.bounding_box()["height"] >= 32
    b = nxt.bounding_box()
    pg.touchscreen.tap(b["x"] + b["width"] / 2, b["y"] + b["height"] / 2)
    assert state(pg)["t"] == 11
    pg.evaluate(f"() => {P}.heat.scrollIntoView()")
    pg.wait_for_timeout(100)
    pt = pg.evaluate(f"() => {P}.point(0, 30, 4)")              # a tap on a cell: that step and unit, and its value
    pg.touchscreen.tap(pt["x"], pt["y"])
    assert (state(pg)["t"], state(pg)["unit"]) == (31, 4)
    assert "31" in tip_text(pg)
    pg.screenshot(path=str(shots / f"player-{lang}-390.png"), full_page=True)


def test_fallback_when_the_player_cannot_draw(open_player):
    broken = "CanvasRenderingContext2D.prototype.drawImage = function () { throw new Error('no canvas'); };"
    pg = open_player(init_script=broken, wait=False, cell="lstm", H=8, T=20, lang="en", t=4, unit=2)
    pg.locator(".lp-error").wait_for(timeout=90_000)
    assert "could not start" in pg.locator(".lp-error").inner_text()
    fb = pg.locator(".lp-fallback")
    fb.wait_for(state="visible", timeout=20_000)
    text = fb.inner_text()
    assert "step 4 of 20" in text and "unit 2" in text
    assert "c = " in text                   # the arithmetic of that step


def test_export_offline_same_numbers(open_player, browser, tmp_path, shots):
    from ui.player.export import standalone_html

    params = dict(cell="lstm", H=64, T=200, lang="en", t=50, unit=9)
    pg = open_player(**params)
    page_file = tmp_path / "trace.html"
    html = standalone_html(app.make_data({k: str(v) for k, v in params.items()}))
    assert len(html.encode("utf-8")) <= 1_000_000
    page_file.write_text(html, encoding="utf-8")

    ctx = browser.new_context(viewport={"width": 1280, "height": 720}, offline=True)
    requests = []
    ctx.route("**/*", lambda route: (requests.append(route.request.url), route.continue_()
                                     if route.request.url.startswith("file:") else route.abort()))
    off = ctx.new_page()
    off.goto(page_file.as_uri())
    off.wait_for_function(READY, timeout=30_000)
    assert [u for u in requests if not u.startswith("file:")] == []
    for target in (pg, off):
        target.get_by_role("button", name="Next step").click()
        target.keyboard.press("ArrowRight")
    a, b = state(pg), state(off)
    assert (a["t"], a["unit"]) == (b["t"], b["unit"]) == (52, 9)
    assert a["lines"] == b["lines"]
    assert pg.locator(".lp-pos").inner_text() == off.locator(".lp-pos").inner_text()
    hover_cell(pg, 4, 51, 9)
    hover_cell(off, 4, 51, 9)
    assert tip_text(pg) == tip_text(off)
    off.screenshot(path=str(shots / "player-export-offline.png"))
    ctx.close()


def test_a_late_answer_or_a_recreated_element_keeps_the_readers_place(open_player):
    """Under load a rerun may answer a report the reader has stepped past (its data carries the older
    report's number, ``ack``), or Streamlit may re-create the element; neither moves the player back."""
    pg = open_player(cell="lstm", H=8, T=40, lang="en")
    for _ in range(4):
        pg.keyboard.press("ArrowRight") if _ else pg.get_by_role("button", name="Next step").click()
    wait_url(pg, 5, 0)                                         # report 1: t = 5
    for _ in range(6):
        pg.keyboard.press("ArrowRight")
    pg.wait_for_function(f"() => {P}.seq >= 2")                # report 2: t = 11, on its way
    assert state(pg)["t"] == 11
    # an answer to report 1 that moved the player (t = 5 handed anew): stale, ignored
    pg.evaluate(f"() => {{ const p = {P}; p.setData(Object.assign({{}}, p.data, {{t: 5, ack: 1}}), false); }}")
    assert state(pg)["t"] == 11
    # the page moving the player after hearing the latest report: followed
    pg.evaluate(f"() => {{ const p = {P}; p.setData(Object.assign({{}}, p.data, {{t: 20, ack: p.seq}}), false); }}")
    assert state(pg)["t"] == 20
    # the element re-created with the same run and the data Python last handed (t = 20): the place is kept
    t_before = state(pg)["t"] + 3
    pg.keyboard.press("ArrowRight"), pg.keyboard.press("ArrowRight"), pg.keyboard.press("ArrowRight")
    got = pg.evaluate(f"""() => {{
        const p = {P}, parent = document.createElement("div");
        document.body.appendChild(parent); p.host.remove();
        const q = new p.constructor(parent, p.data, {{}});   // the data Python last handed: t = 20
        return q.state().t; }}""")
    assert got == t_before == 23
    assert not pg.errors, pg.errors
