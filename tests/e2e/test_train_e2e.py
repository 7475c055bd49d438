"""End to end: the Train page in headless Chromium — train a tiny model live, scrub the time-lapse,
open it in the explorer — and a preset deep link on a fresh server; screenshots in both languages."""
import re

import pytest
from browser_tools import settle

from lstm_core import presets as shipped
from ui.i18n import LANGS, t

RAW_KEY = re.compile(r"\b(?:train|task|preset|trained|nav|model|explorer)\.[a-z_]+\b")
PLAYER_READY = ("() => (window.__lstmPlayers || []).some(p => p.root && p.root.dataset.ready === '1' "
                "&& p.root.isConnected)")


def no_errors(page):
    exc = page.locator('[data-testid="stException"]')
    assert exc.count() == 0, exc.first.inner_text()
    body = page.locator('[data-testid="stMain"]').inner_text()
    assert not RAW_KEY.search(body), RAW_KEY.search(body).group(0)


@pytest.mark.parametrize("lang", LANGS)
def test_train_live_then_open_in_explorer(server, page, shots, lang):
    page.goto(server.url(f"/train?lang={lang}&task=recall&param=10&train_hidden=8&steps=600"))
    settle(page)
    no_errors(page)
    assert page.locator("h1").first.inner_text().strip() == t("train.title", lang)
    page.get_by_role("button", name=t("train.start", lang), exact=True).click()
    # live: the progress text and the chart appear while the run goes on
    page.locator('[data-testid="stProgress"]').first.wait_for(timeout=120_000)
    page.locator('[data-testid="stPlotlyChart"]').first.wait_for(timeout=120_000)
    page.wait_for_timeout(1500)
    page.screenshot(path=str(shots / f"train_running_{lang}.png"), full_page=True)
    # the run ends (all steps or the 60 s cap) and the results appear
    page.locator('[data-testid="stAlertContentSuccess"]').first.wait_for(timeout=180_000)
    settle(page)
    no_errors(page)
    body = page.locator('[data-testid="stMain"]').inner_text()
    assert t("train.timelapse", lang) in body and "r = " in body
    assert page.locator('[data-testid="stPlotlyChart"]').count() == 1          # the progress chart
    page.wait_for_function(PLAYER_READY, timeout=120_000)                       # the time-lapse: the player
    trained_id = page.evaluate("() => window.__lstmPlayers.filter(p => p.root.isConnected).slice(-1)[0].data.id")
    # scrub training time back to the start: the time-lapse shows the untrained gates
    slider = page.locator('[data-testid="stSlider"] input[type="range"]').first
    assert slider.get_attribute("aria-valuetext") != "0"
    slider.focus()
    page.keyboard.press("Home")
    settle(page, pause=1500)
    no_errors(page)
    assert page.locator('[data-testid="stSlider"] input[type="range"]').first.get_attribute("aria-valuetext") == "0"
    page.wait_for_function("id => window.__lstmPlayers.some(p => p.root.isConnected && p.data.id !== id "
                           "&& p.root.dataset.ready === '1')", arg=trained_id, timeout=60_000)
    tall = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": 1400, "height": min(int(tall) + 100, 14_000)})
    settle(page)
    page.wait_for_timeout(1000)
    page.screenshot(path=str(shots / f"train_done_{lang}.png"), full_page=True)
    page.get_by_role("button", name=t("train.open", lang), exact=True).click()
    page.wait_for_url(re.compile(r"/explorer"), timeout=120_000)
    settle(page)
    no_errors(page)
    sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
    assert t("trained.source", lang) in sidebar
    page.wait_for_function(PLAYER_READY, timeout=120_000)
    page.wait_for_timeout(1000)
    page.screenshot(path=str(shots / f"train_opened_{lang}.png"), full_page=False)


def test_stop_button_keeps_the_model(server, page):
    # a plain RNN on recall at gap 100 never reaches the target, so the run is still going when Stop is pressed
    page.goto(server.url("/train?lang=en&task=recall&param=100&train_cell=rnn&train_hidden=8&steps=20000"))
    settle(page)
    page.get_by_role("button", name=t("train.start", "en"), exact=True).click()
    page.locator('[data-testid="stProgress"]').first.wait_for(timeout=120_000)
    page.wait_for_timeout(2000)
    page.get_by_role("button", name=t("train.stop", "en"), exact=True).click()
    page.locator('[data-testid="stAlertContentSuccess"]').first.wait_for(timeout=120_000)
    settle(page)
    no_errors(page)
    text = page.locator('[data-testid="stAlertContentSuccess"]').first.inner_text()
    assert "Stopped by you" in text
    assert page.get_by_role("button", name=t("train.open", "en"), exact=True).count() == 1


def test_preset_deep_link_on_a_fresh_server(fresh_server, page, shots):
    page.goto(fresh_server.url("/explorer?lang=en&preset=brackets_lstm"))
    settle(page)
    no_errors(page)
    info = next(p for p in shipped.manifest() if p["name"] == "brackets_lstm")
    body = page.locator('[data-testid="stMain"]').inner_text()
    assert info["look"]["en"][:40] in body
    assert "preset=brackets_lstm" in page.url
    page.wait_for_function(PLAYER_READY, timeout=120_000)
    page.wait_for_timeout(1000)
    page.screenshot(path=str(shots / "preset_brackets_en.png"), full_page=False)
