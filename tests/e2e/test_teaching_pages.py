"""End to end: every teaching page in both languages on a real server, in headless Chromium, with screenshots."""
import re
from urllib.parse import quote

import pytest
from browser_tools import settle

from ui import teaching_pages as TP
from ui.i18n import LANGS, t

TITLES = {"rnn": "rnn.title", "lstm_cell": "cell.title", "memory": "mem.title", "gru": "gru.title",
          "gates": "gates.title"}
RAW_KEY = re.compile(r"\b(?:teach|rnn|cell|mem|gru|gates|tf|nav)\.[a-z_]+\b")
SEQ = {"zh": "今天天气很好，我们去公园散步吧。", "en": "the cat sat on the mat"}


def check_page(page, page_id, lang):
    exc = page.locator('[data-testid="stException"]')
    assert exc.count() == 0, exc.first.inner_text()
    assert page.locator("h1").first.inner_text().strip() == t(TITLES[page_id], lang)
    page.locator('[data-testid="stPlotlyChart"]').first.wait_for(timeout=120_000)
    page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg', state="attached", timeout=60_000)
    body = page.locator('[data-testid="stMain"]').inner_text()
    assert not RAW_KEY.search(body), RAW_KEY.search(body).group(0)
    sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
    for page_id in TP.TEACHING_IDS:
        assert t(f"nav.{page_id}", lang) in sidebar


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page_id", list(TITLES))
def test_teaching_page_in_a_browser(server, page, shots, page_id, lang):
    page.goto(server.url(f"/{page_id}?lang={lang}&seq={quote(SEQ[lang])}&hidden=8"))
    settle(page)
    check_page(page, page_id, lang)
    tall = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": 1400, "height": min(int(tall) + 100, 14_000)})   # the whole page, not a window
    settle(page)
    page.wait_for_timeout(1000)          # let plotly redraw at the new size before the screenshot
    page.screenshot(path=str(shots / f"teach_{page_id}_{lang}.png"), full_page=True)


def test_deep_link_to_a_teaching_page_on_a_fresh_server(fresh_server, page, shots):
    page.goto(fresh_server.url("/memory?lang=en&seq=abcabc&hidden=6&seed=2"))
    settle(page)
    check_page(page, "memory", "en")
    assert "/memory" in page.url and "seed=2" in page.url


def test_language_switch_keeps_page_and_sequence(server, page):
    page.goto(server.url("/gru?lang=en&seq=" + quote("hello there")))
    settle(page)
    page.locator('[data-testid="stSidebar"]').get_by_text("中文", exact=True).click()
    settle(page)
    check_page(page, "gru", "zh")
    assert "/gru" in page.url and "lang=zh" in page.url
    assert page.locator("textarea").first.input_value() == "hello there"


def test_lstm_cell_slider_moves_the_numbers(server, page):
    page.goto(server.url("/lstm_cell?lang=en"))
    settle(page)
    before = page.locator('[data-testid="stCode"]').first.inner_text()
    slider = page.get_by_role("slider", name=re.compile("forget bias"))
    slider.focus()
    for _ in range(10):
        page.keyboard.press("ArrowRight")
    settle(page)
    assert page.locator('[data-testid="stCode"]').first.inner_text() != before
