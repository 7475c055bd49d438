"""End to end: a real server, headless Chromium, the explorer as a user meets it.

Time is stepped by the trace player (``ui.player``) in the browser: these tests drive it on the real
explorer page (its root ``.lp`` carries ``data-t`` / ``data-unit``; ``window.__lstmPlayers`` exposes
``state()``), as tests/e2e/test_player_e2e.py does on the player's demo page. Screenshots go to
tests/screenshots/ and are looked at by hand.
"""
import re
from urllib.parse import quote

import pytest
from browser_tools import no_exception, settle

from ui.i18n import t

READY = "() => (window.__lstmPlayers || []).some(p => p.root && p.root.dataset.ready === '1' && p.root.isConnected)"
P = "window.__lstmPlayers.filter(p => p.root.isConnected).slice(-1)[0]"


def player_drawn(page):
    """The player has drawn its heatmaps (canvas) on the page."""
    page.wait_for_function(READY, timeout=120_000)


def state(page):
    return page.evaluate(f"() => {P}.state()")


def pos_text(page):
    return page.locator(".lp-pos").inner_text()


def url_t(page):
    m = re.search(r"[?&]t=(\d+)", page.evaluate("location.search"))
    return int(m.group(1)) if m else None


def wait_url(page, t_, unit=None, timeout_s=30):
    """Wait until the URL holds step ``t_`` (and ``unit``): the player told the server, which wrote the URL."""
    for _ in range(int(timeout_s * 10)):
        search = page.evaluate("location.search")
        if url_t(page) == t_ and (unit is None or re.search(rf"[?&]unit={unit}(&|$)", search)):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"URL {page.evaluate('location.search')} never reached t={t_}, unit={unit}")


@pytest.fixture
def screen(browser):
    """screen(width, height, locale) → a new page of that size (closed after the test)."""
    contexts = []

    def _open(width=1280, height=720, locale="en-US", touch=False, init_script=None):
        ctx = browser.new_context(viewport={"width": width, "height": height}, locale=locale, has_touch=touch)
        if init_script:
            ctx.add_init_script(init_script)
        contexts.append(ctx)
        pg = ctx.new_page()
        pg.set_default_timeout(90_000)
        return pg

    yield _open
    for ctx in contexts:
        ctx.close()


def test_deep_link_opens_at_step_and_unit_on_a_fresh_server(fresh_server, page, shots):
    link = "/explorer?seq=" + quote("记忆是会褪色的") + "&lang=en&cell=lstm&hidden=12&t=4&unit=3"
    page.goto(fresh_server.url(link))
    settle(page)
    no_exception(page)
    assert page.locator("h1").first.inner_text().strip() == "Sequence explorer"
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text("Home").first.wait_for(timeout=60_000)   # the sidebar may draw after the title
    assert sidebar.get_by_text("Sequence explorer").count() >= 1 and sidebar.get_by_text("Home").count() >= 1
    assert page.locator('[data-testid="stSidebarNav"]').count() == 0   # Streamlit's untranslated links stay hidden
    player_drawn(page)
    got = state(page)
    assert (got["t"], got["unit"], got["T"], got["H"]) == (4, 3, 7, 12)
    root = page.locator(".lp")
    assert root.get_attribute("data-t") == "4" and root.get_attribute("data-unit") == "3"
    assert pos_text(page).startswith("Step 4 of 7") and "unit 3" in pos_text(page)
    assert "/explorer" in page.url and "t=4" in page.url and "unit=3" in page.url
    page.screenshot(path=str(shots / "deep_link_en.png"), full_page=True)


def test_deep_link_in_chinese_with_bad_parameters(fresh_server, page, shots):
    page.goto(fresh_server.url("/explorer?hidden=1000000000&t=-1&lang=xx&cell=foo"))
    settle(page)
    no_exception(page)
    assert page.locator("h1").first.inner_text().strip() == t("explorer.title", "zh")
    warning = page.locator('[data-testid="stAlertContentWarning"]').first.inner_text()
    assert "hidden=1000000000" in warning and "cell=foo" in warning and "lang=xx" in warning
    player_drawn(page)
    assert state(page)["t"] == 1 and state(page)["lang"] == "zh"
    page.screenshot(path=str(shots / "bad_params_zh.png"), full_page=True)


def test_type_step_with_buttons_and_keys_play_pause_and_switch_language(server, page, shots):
    page.goto(server.url("/explorer?lang=zh"))
    settle(page)
    box = page.locator('[data-testid="stTextArea"] textarea').first
    box.fill("猫坐在垫子上，🙂 then it slept.")
    box.press("Control+Enter")
    settle(page)
    no_exception(page)
    player_drawn(page)
    page.wait_for_function(f"() => {P}.state().T === 23")
    assert state(page)["t"] == 1 and pos_text(page).startswith("第 1 步，共 23 步")
    # buttons and keys: all in the browser
    nxt = page.get_by_role("button", name=t("player.next", "zh"), exact=True)
    nxt.click()
    nxt.click()
    assert state(page)["t"] == 3 and pos_text(page).startswith("第 3 步")
    page.keyboard.press("ArrowRight")
    assert state(page)["t"] == 4
    page.keyboard.press("End")
    assert state(page)["t"] == 23
    page.keyboard.press("Home")
    page.keyboard.press("ArrowRight")
    assert state(page)["t"] == 2
    wait_url(page, 2)                                   # the step the reader stopped at is in the URL
    # play, then pause: the URL's t equals the step shown
    page.get_by_role("button", name=t("player.play", "zh"), exact=True).click()
    page.wait_for_timeout(900)
    assert state(page)["playing"]
    page.get_by_role("button", name=t("player.pause", "zh"), exact=True).click()
    shown = state(page)
    assert not shown["playing"] and shown["t"] > 3, shown
    wait_url(page, shown["t"])
    settle(page, 600)
    assert state(page)["t"] == shown["t"] == url_t(page)
    no_exception(page)
    page.screenshot(path=str(shots / "explorer_zh.png"), full_page=True)

    page.locator('[data-testid="stSidebar"]').get_by_text("English", exact=True).click()
    settle(page)
    no_exception(page)
    assert page.locator("h1").first.inner_text().strip() == "Sequence explorer"
    page.wait_for_function(f"() => {P} && {P}.state().lang === 'en'")
    assert state(page)["t"] == shown["t"] and pos_text(page).startswith(f"Step {shown['t']} of 23")
    assert "lang=en" in page.url
    page.get_by_role("button", name="Previous step", exact=True).click()
    assert state(page)["t"] == shown["t"] - 1
    wait_url(page, shown["t"] - 1)
    page.screenshot(path=str(shots / "explorer_en.png"), full_page=True)


def test_click_a_token_and_a_cell(server, page, shots):
    page.goto(server.url("/explorer?lang=en&seq=" + quote("abcdefghij")))
    settle(page)
    player_drawn(page)
    assert state(page)["t"] == 1 and pos_text(page).startswith("Step 1 of 10")
    pt = page.evaluate(f"() => {P}.tokenPoint(6)")
    page.mouse.click(pt["x"], pt["y"])
    assert state(page)["t"] == 7, state(page)
    assert pos_text(page).startswith("Step 7 of 10")
    wait_url(page, 7)
    # a heatmap cell: its step and its unit
    pt = page.evaluate(f"() => {P}.point(0, 3, 5)")
    page.mouse.click(pt["x"], pt["y"])
    assert (state(page)["t"], state(page)["unit"]) == (4, 5)
    wait_url(page, 4, 5)
    page.wait_for_function("() => [...document.querySelectorAll('input[type=number]')].some(i => i.value === '5')")
    no_exception(page)
    page.screenshot(path=str(shots / "token_click_en.png"), full_page=True)


def test_the_players_select_colours_the_tokens_and_keeps_the_choice_for_a_new_sequence(server, page, shots):
    """What colours the token strip is chosen in the player, the page's only control for it; the reader's
    choice holds when another sequence is typed; a link to a trained example starts at its hint's value."""
    page.goto(server.url("/explorer?lang=en&seq=" + quote("abcdefghij")))
    settle(page)
    player_drawn(page)
    main = page.locator('[data-testid="stMain"]')
    assert main.locator('[data-testid="stSelectbox"]').count() == 1     # the examples: no page select for colour
    select = page.get_by_label(t("player.color_by", "en"), exact=True)
    assert select.count() == 1 and select.input_value() == "hidden"
    select.select_option("cell")
    assert page.evaluate(f"() => {P}.colorBy") == "cell"
    assert "c" in page.evaluate(f"() => {P}.stripTitle.textContent").split(" of unit")[0]
    box = page.locator('[data-testid="stTextArea"] textarea').first
    box.fill("zyxwvu")
    box.press("Control+Enter")
    page.wait_for_function(f"() => {P} && {P}.data.tokens.join('') === 'zyxwvu' && {P}.root.dataset.ready === '1'",
                           timeout=120_000)
    settle(page)
    no_exception(page)
    assert page.evaluate(f"() => {P}.colorBy") == "cell"
    assert page.get_by_label(t("player.color_by", "en"), exact=True).input_value() == "cell"
    # a trained example's link: the strip starts at the value its hint names (c for the LSTM on recall)
    page.goto(server.url("/explorer?lang=zh&preset=recall_lstm"))
    settle(page)
    player_drawn(page)
    assert page.evaluate(f"() => {P}.colorBy") == "cell"
    assert page.get_by_label(t("player.color_by", "zh"), exact=True).input_value() == "cell"
    no_exception(page)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_one_screen_at_1280_by_720(server, screen, shots, lang):
    """Controls, heatmaps and the cell diagram of the current step are visible together, no page scrolling."""
    pg = screen(1280, 720, "zh-CN" if lang == "zh" else "en-US")
    pg.goto(server.url(f"/explorer?lang={lang}&t=5"))
    settle(pg)
    player_drawn(pg)
    no_exception(pg)
    assert pg.locator('[data-testid="stSidebar"]').get_attribute("data-collapsed") == "false"   # open on a desktop
    assert pg.evaluate("document.scrollingElement.scrollTop") == 0
    main_scroll = pg.evaluate("(document.querySelector('[data-testid=\"stMain\"]') || {}).scrollTop || 0")
    assert main_scroll == 0
    for sel in (".lp-bar", ".lp-heat", ".lp-cell-c"):
        box = pg.locator(sel).bounding_box()
        assert box["y"] >= 0 and box["y"] + min(box["height"], 120) <= 720, (sel, box)
    cell = pg.locator(".lp-cell-c").bounding_box()
    assert cell["y"] + cell["height"] <= 720, cell                  # the whole cell diagram
    assert pg.locator(".lp-bar").bounding_box()["x"] + pg.locator(".lp-bar").bounding_box()["width"] <= 1280
    for name in ("next", "play", "prev"):                          # nothing cut off, in either language
        b = pg.get_by_role("button", name=t(f"player.{name}", lang), exact=True).bounding_box()
        assert b and 0 <= b["x"] and b["x"] + b["width"] <= 1280 and b["y"] + b["height"] <= 720, (name, b)
    pg.screenshot(path=str(shots / f"explorer_1280x720_{lang}.png"))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_phone_sidebar_closed_and_one_column(server, screen, shots, lang):
    pg = screen(390, 844, "zh-CN" if lang == "zh" else "en-US", touch=True)
    pg.goto(server.url(f"/explorer?lang={lang}&t=3"))
    settle(pg)
    player_drawn(pg)
    no_exception(pg)
    sidebar = pg.locator('[data-testid="stSidebar"]')
    assert sidebar.get_attribute("data-collapsed") == "true" and not sidebar.is_visible()   # closed on a phone
    assert pg.evaluate("document.scrollingElement.scrollWidth") <= 390
    assert "lp-narrow" in pg.locator(".lp").get_attribute("class")
    side, heat = pg.locator(".lp-side").bounding_box(), pg.locator(".lp-heat").bounding_box()
    assert side["y"] + side["height"] <= heat["y"] + 1               # one column: cell view, then heatmaps
    for sel in (".lp-bar", ".lp-side", ".lp-heat", ".lp-strip"):
        b = pg.locator(sel).bounding_box()
        assert b["x"] >= 0 and b["x"] + b["width"] <= 390 + 0.5, (sel, b)
    nxt = pg.locator('button[data-act="next"]')
    nxt.scroll_into_view_if_needed()
    b = nxt.bounding_box()
    assert b["height"] >= 32
    pg.touchscreen.tap(b["x"] + b["width"] / 2, b["y"] + b["height"] / 2)
    assert state(pg)["t"] == 4
    wait_url(pg, 4)
    pg.screenshot(path=str(shots / f"explorer_390_{lang}.png"))


def test_static_view_when_the_player_cannot_draw(server, screen):
    broken = "CanvasRenderingContext2D.prototype.drawImage = function () { throw new Error('no canvas'); };"
    pg = screen(1280, 900, "en-US", init_script=broken)
    pg.goto(server.url("/explorer?lang=en&seq=" + quote("hello world") + "&t=4&unit=2"))
    settle(pg)
    no_exception(pg)
    pg.locator(".lp-error").wait_for(timeout=90_000)
    assert "could not start" in pg.locator(".lp-error").inner_text()
    fb = pg.locator(".lp-fallback")
    fb.wait_for(state="visible", timeout=20_000)
    text = fb.inner_text()
    assert "step 4 of 11" in text and "unit 2" in text
    assert "c = " in text                                            # the arithmetic of that step


def test_bad_input_keeps_the_last_view(server, page, shots):
    page.goto(server.url("/explorer?lang=en&seq=abc"))
    settle(page)
    page.get_by_text("numbers", exact=True).first.click()
    settle(page)
    box = page.locator('[data-testid="stTextArea"] textarea').first
    box.fill("1, 2, oops")
    box.press("Control+Enter")
    settle(page)
    no_exception(page)
    error = page.locator('[data-testid="stAlertContentError"]').first.inner_text()
    assert "oops" in error
    player_drawn(page)
    assert state(page)["T"] == 3 and "of 3" in pos_text(page)         # still the last sequence that worked
    page.screenshot(path=str(shots / "bad_input_en.png"), full_page=True)


def test_home_and_navigation(server, page, shots):
    page.goto(server.url("/"))
    settle(page)
    no_exception(page)
    assert page.locator("h1").first.inner_text().strip() == "LSTM 探索器"
    page.locator('[data-testid="stPlotlyChart"] .heatmaplayer, [data-testid="stPlotlyChart"] image').first.wait_for(
        state="attached", timeout=30_000)                              # the home page's one heatmap
    page.screenshot(path=str(shots / "home_zh.png"), full_page=True)
    page.locator('[data-testid="stSidebar"]').get_by_text("English", exact=True).click()
    settle(page)
    assert page.locator("h1").first.inner_text().strip() == "LSTM Explorer"
    page.screenshot(path=str(shots / "home_en.png"), full_page=True)
    page.locator('[data-testid="stSidebar"]').get_by_text("Sequence explorer").click()
    settle(page)
    no_exception(page)
    assert page.locator("h1").first.inner_text().strip() == "Sequence explorer"
    assert "/explorer" in page.url and "lang=en" in page.url
    player_drawn(page)


def test_upload_a_weight_file_and_a_bad_one(server, page, shots, tmp_path):
    import lstm_core
    from lstm_core.files.writer import save
    good = tmp_path / "tiny_gru.safetensors"
    save(lstm_core.GRU.init(16, 5, seed=1), good, meta={"vocab": list(" abdelopstucfghi")})   # its 16 inputs' tokens
    bad = tmp_path / "notes.npz"
    bad.write_bytes(b"this is not a weight file")

    page.goto(server.url("/explorer?lang=en&seq=" + quote("upload test")))
    settle(page)
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text("Upload a weight file").click()
    settle(page)
    sidebar.locator('input[type="file"]').first.set_input_files(str(good))
    settle(page, 1500)
    no_exception(page)
    assert sidebar.get_by_text("Using the weights from").count() == 1
    assert page.get_by_text(re.compile(r"GRU, H = 5")).count() >= 1
    player_drawn(page)
    page.wait_for_function(f"() => {P}.state().H === 5")
    assert page.locator(".lp").get_attribute("data-cell") == "gru"

    sidebar.locator('input[type="file"]').first.set_input_files(str(bad))
    settle(page, 1500)
    no_exception(page)
    error = sidebar.locator('[data-testid="stAlertContentError"]').first.inner_text()
    assert "notes.npz" in error and "could not be used as weights" in error
    assert page.get_by_text(re.compile(r"GRU, H = 5")).count() >= 1      # the last good model still shows
    player_drawn(page)
    assert state(page)["H"] == 5
    page.screenshot(path=str(shots / "upload_en.png"), full_page=True)

    # a PyTorch pickle: never opened; the message gives the exact line that converts this file, to copy
    from lstm_core.files.reader import convert_line
    pickle = tmp_path / "my_lstm.pth"
    pickle.write_bytes(b"\x80\x04 a pickle")
    sidebar.locator('input[type="file"]').first.set_input_files(str(pickle))
    settle(page, 1500)
    no_exception(page)
    alert = sidebar.locator('[data-testid="stAlertContentError"]').first
    assert "my_lstm.pth" in alert.inner_text() and "never opened" in alert.inner_text()
    assert alert.locator("pre code").inner_text().strip() == convert_line("my_lstm.pth")
    assert state(page)["H"] == 5
    page.screenshot(path=str(shots / "upload_pickle_en.png"), full_page=True)
