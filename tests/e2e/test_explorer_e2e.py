"""End to end: a real server, headless Chromium, the explorer as a user meets it."""
import re
from urllib.parse import quote

from ui.i18n import t

APP_IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def settle(page, pause=400):
    """Wait until the page has a title, the script run is over and the page has drawn."""
    page.wait_for_timeout(pause)
    page.locator("h1").first.wait_for(timeout=120_000)
    page.wait_for_selector(APP_IDLE, timeout=120_000)
    page.wait_for_timeout(pause)


def url_has(page, param):
    """The URL's query holds ``param`` (Streamlit rewrites it in place, without a navigation)."""
    page.wait_for_function("p => new URLSearchParams(location.search).getAll(p.split('=')[0]).includes("
                           "p.split('=')[1])", arg=param, timeout=20_000)


def url_matches_step(page, pattern, timeout_s=20):
    """Wait until the step shown and the URL's t agree (a timer tick may land after Pause); return it."""
    for _ in range(int(timeout_s * 4)):
        shown = int(re.search(pattern, step_text(page)).group(1))
        in_url = re.search(r"[?&]t=(\d+)", page.evaluate("location.search"))
        if in_url and int(in_url.group(1)) == shown:
            return shown
        page.wait_for_timeout(250)
    raise AssertionError(f"step {shown} shown, URL says {in_url and in_url.group(1)}")


def no_exception(page):
    assert page.locator('[data-testid="stException"]').count() == 0, page.locator(
        '[data-testid="stException"]').first.inner_text()


def charts(page):
    return page.locator('[data-testid="stPlotlyChart"]')


def heatmaps_drawn(page):
    charts(page).first.wait_for()
    page.wait_for_selector('[data-testid="stPlotlyChart"] .heatmaplayer, [data-testid="stPlotlyChart"] image',
                           state="attached", timeout=30_000)


def step_text(page):
    return page.get_by_text(re.compile(r"^(Step \d+ of \d+|第 \d+ 步，共 \d+ 步)")).first.inner_text()


def test_deep_link_on_a_fresh_server(fresh_server, page, shots):
    link = "/explorer?seq=" + quote("记忆是会褪色的") + "&lang=en&cell=lstm&hidden=12&t=4&unit=3"
    page.goto(fresh_server.url(link))
    settle(page)
    no_exception(page)
    assert page.locator("h1").first.inner_text().strip() == "Sequence explorer"
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text("Home").first.wait_for(timeout=60_000)   # the sidebar may draw after the title
    assert sidebar.get_by_text("Sequence explorer").count() >= 1 and sidebar.get_by_text("Home").count() >= 1
    assert page.locator('[data-testid="stSidebarNav"]').count() == 0   # Streamlit's untranslated links stay hidden
    heatmaps_drawn(page)
    assert step_text(page).startswith("Step 4 of 7")
    assert "/explorer" in page.url and "t=4" in page.url
    page.screenshot(path=str(shots / "deep_link_en.png"), full_page=True)


def test_deep_link_in_chinese_with_bad_parameters(fresh_server, page, shots):
    page.goto(fresh_server.url("/explorer?hidden=1000000000&t=-1&lang=xx&cell=foo"))
    settle(page)
    no_exception(page)
    assert page.locator("h1").first.inner_text().strip() == t("explorer.title", "zh")
    warning = page.locator('[data-testid="stAlertContentWarning"]').first.inner_text()
    assert "hidden=1000000000" in warning and "cell=foo" in warning and "lang=xx" in warning
    heatmaps_drawn(page)
    page.screenshot(path=str(shots / "bad_params_zh.png"), full_page=True)


def test_type_step_play_and_switch_language(server, page, shots):
    page.goto(server.url("/explorer?lang=zh"))
    settle(page)
    box = page.locator('[data-testid="stTextArea"] textarea').first
    box.fill("猫坐在垫子上，🙂 then it slept.")
    box.press("Control+Enter")
    settle(page)
    no_exception(page)
    assert step_text(page).startswith("第 1 步，共 23 步")
    heatmaps_drawn(page)
    page.get_by_role("button", name=t("explorer.next", "zh")).click()
    settle(page)
    assert step_text(page).startswith("第 2 步")
    page.get_by_role("button", name=t("explorer.play", "zh")).click()
    page.wait_for_timeout(3500)
    page.get_by_role("button", name=t("explorer.pause", "zh")).click()
    settle(page, 1500)   # a timer tick already on its way may still land once
    played = url_matches_step(page, r"第 (\d+) 步")
    assert played > 3, played
    no_exception(page)
    page.screenshot(path=str(shots / "explorer_zh.png"), full_page=True)

    page.locator('[data-testid="stSidebar"]').get_by_text("English").click()
    settle(page)
    no_exception(page)
    assert page.locator("h1").first.inner_text().strip() == "Sequence explorer"
    assert step_text(page).startswith(f"Step {played} of 23")
    assert "lang=en" in page.url
    heatmaps_drawn(page)
    page.screenshot(path=str(shots / "explorer_en.png"), full_page=True)


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
    heatmaps_drawn(page)
    assert step_text(page).endswith("") and "of 3" in step_text(page)
    page.screenshot(path=str(shots / "bad_input_en.png"), full_page=True)


def test_browser_animation_view(server, page, shots):
    page.goto(server.url("/explorer?lang=en&seq=" + quote("hello, world")))
    settle(page)
    page.get_by_text("Play in the browser").click()
    settle(page)
    no_exception(page)
    heatmaps_drawn(page)
    assert page.locator('[data-testid="stPlotlyChart"] .updatemenu-button, '
                        '[data-testid="stPlotlyChart"] .slider-container').count() >= 1
    page.screenshot(path=str(shots / "animation_en.png"), full_page=True)


def test_home_and_navigation(server, page, shots):
    page.goto(server.url("/"))
    settle(page)
    no_exception(page)
    assert page.locator("h1").first.inner_text().strip() == "LSTM 探索器"
    heatmaps_drawn(page)
    page.screenshot(path=str(shots / "home_zh.png"), full_page=True)
    page.locator('[data-testid="stSidebar"]').get_by_text("English").click()
    settle(page)
    assert page.locator("h1").first.inner_text().strip() == "LSTM Explorer"
    page.screenshot(path=str(shots / "home_en.png"), full_page=True)
    page.locator('[data-testid="stSidebar"]').get_by_text("Sequence explorer").click()
    settle(page)
    no_exception(page)
    assert page.locator("h1").first.inner_text().strip() == "Sequence explorer"
    assert "/explorer" in page.url and "lang=en" in page.url


def test_click_a_token_to_jump_to_its_step(server, page, shots):
    page.goto(server.url("/explorer?lang=en&seq=" + quote("abcdefghij")))
    settle(page)
    assert step_text(page).startswith("Step 1 of 10")
    strip = charts(page).nth(1)
    strip.locator(".textpoint").first.wait_for()
    box = strip.locator(".textpoint").nth(6).bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_timeout(300)
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    settle(page, 800)
    no_exception(page)
    assert step_text(page).startswith("Step 7 of 10"), step_text(page)
    url_has(page, "t=7")
    page.screenshot(path=str(shots / "token_click_en.png"), full_page=True)


def test_upload_a_weight_file_and_a_bad_one(server, page, shots, tmp_path):
    import lstm_core
    from lstm_core.files.writer import save
    good = tmp_path / "tiny_gru.safetensors"
    save(lstm_core.GRU.init(16, 5, seed=1), good)
    bad = tmp_path / "notes.npz"
    bad.write_bytes(b"this is not a weight file")

    page.goto(server.url("/explorer?lang=en&seq=" + quote("upload test")))
    settle(page)
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text("Upload a weight file").click()
    settle(page)
    sidebar.locator('input[type="file"]').set_input_files(str(good))
    settle(page, 1500)
    no_exception(page)
    assert sidebar.get_by_text("Using the weights from").count() == 1
    assert page.get_by_text(re.compile(r"GRU, H = 5")).count() >= 1
    heatmaps_drawn(page)

    sidebar.locator('input[type="file"]').set_input_files(str(bad))
    settle(page, 1500)
    no_exception(page)
    error = sidebar.locator('[data-testid="stAlertContentError"]').first.inner_text()
    assert "notes.npz" in error and "could not be used as weights" in error
    assert page.get_by_text(re.compile(r"GRU, H = 5")).count() >= 1      # the last good model still shows
    heatmaps_drawn(page)
    page.screenshot(path=str(shots / "upload_en.png"), full_page=True)
