"""End to end: the causal lab on a real server in headless Chromium, both languages, every experiment,
with screenshots (tests/screenshots/lab_*.png)."""
import re

import pytest
from browser_tools import settle

from ui.i18n import LANGS, t

RAW_KEY = re.compile(r"\b(?:lab|shown|pred|mem)\.[a-z_]+(?:\.[a-z_0-9]+)?\b")


def body(page):
    return page.locator('[data-testid="stMain"]').inner_text()


def check(page, lang):
    exc = page.locator('[data-testid="stException"]')
    assert exc.count() == 0, exc.first.inner_text()
    text = body(page)
    assert not RAW_KEY.search(text), RAW_KEY.search(text).group(0)
    assert t("preset.recall_lstm", lang) in text                       # the line naming the model


def shot(page, shots, name):
    tall = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": 1400, "height": min(int(tall) + 100, 12_000)})
    settle(page)
    page.wait_for_timeout(800)           # plotly redraws at the new size
    page.screenshot(path=str(shots / name), full_page=True)
    page.set_viewport_size({"width": 1400, "height": 2400})


def choose(page, label):
    page.locator('[data-testid="stRadio"] label').filter(has_text=label).first.click()
    settle(page)


@pytest.mark.parametrize("lang", LANGS)
def test_the_causal_lab_in_a_browser(server, page, shots, lang):
    page.goto(server.url(f"/lab?lang={lang}&preset=recall_lstm"))
    settle(page)
    check(page, lang)
    text = body(page)
    # the prediction at the "?" names the letter and the task's answer
    assert t("pred.step_title", lang, t=102, token="?", k=5).split("?")[0] in text
    # 1 · edit the first letter: the answer at the "?" changes
    assert t("lab.edit_scored", lang, ks=1, ns=1).replace("**", "") in text
    page.locator('[data-testid="stPlotlyChart"]').nth(1).wait_for(timeout=120_000)     # Δc and Δh
    assert page.locator('[data-testid="stPlotlyChart"]').count() == 2
    shot(page, shots, f"lab_edit_{lang}.png")

    # 2 · rank the units by ablation: 256 held-out sequences, accuracy ± spread, chance
    choose(page, t("lab.exp.rank", lang))
    check(page, lang)
    text = body(page)
    assert "256" in text and "±" in text and t("lab.fig.chance", lang) in page.content()
    shot(page, shots, f"lab_rank_{lang}.png")
    # the ranking's top units go to experiment 3, which opens
    page.locator("button").filter(has_text=t("lab.use_top", lang, units="§").split("§")[0]).first.click()
    settle(page)
    check(page, lang)
    text = body(page)
    assert t("lab.iv_random", lang, draws=5, k=3, mean="§", spread="", lo="", hi="").split("§")[0] in text
    shot(page, shots, f"lab_intervene_{lang}.png")

    # 4 · patch c of every unit from a sequence that began with another letter: the answer follows it
    choose(page, t("lab.exp.patch", lang))
    page.locator('[data-testid="stCheckbox"] label').filter(has_text=t("lab.iv_all_units", lang)).first.click()
    settle(page)
    check(page, lang)
    text = body(page)
    assert t("lab.pb_result", lang, n=256, differ="§", donor="", own="", acc="", base="", chance="").split("§")[0] \
        in text
    shot(page, shots, f"lab_patch_{lang}.png")
