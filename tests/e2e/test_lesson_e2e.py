"""End to end (issue 13): the first lesson, the glossary, a teacher's link that hides controls and the
upload box in Chinese, in headless Chromium, with screenshots (lesson_*.png, glossary_*.png, hidden_*.png,
upload_zh.png)."""
import json

import pytest
from browser_tools import no_exception, settle

from ui.i18n import LANGS, t


@pytest.mark.parametrize("lang", LANGS)
def test_the_lesson_asks_then_reveals(server, page, shots, lang):
    page.goto(server.url(f"/lesson?lang={lang}"))
    settle(page)
    no_exception(page)
    main = page.locator('[data-testid="stMain"]')
    assert main.locator("h1").first.inner_text().strip() == t("lesson.title", lang)
    reveal = main.get_by_role("button", name=t("lesson.reveal", lang)).first
    assert reveal.is_disabled()                                   # a guess first
    main.locator('[data-testid="stRadio"]').first.get_by_text(t("lesson.q_write.1", lang), exact=True).click()
    settle(page)
    main.get_by_role("button", name=t("lesson.reveal", lang)).first.click()
    settle(page)
    assert t("lesson.you_right", lang) in main.inner_text()
    # the playground: a named setting is revealed after a guess, then its chart and verdict show
    main.get_by_text(t("lesson.setting.forget", lang), exact=True).click()
    settle(page)
    main.get_by_text(t("lesson.q_setting.1", lang), exact=True).click()
    settle(page)
    main.get_by_role("button", name=t("lesson.reveal", lang)).last.click()
    settle(page)
    main.locator('[data-testid="stPlotlyChart"]').first.wait_for(timeout=120_000)
    assert t("lesson.wrong", lang) in main.inner_text()
    page.screenshot(path=str(shots / f"lesson_{lang}.png"), full_page=True)


@pytest.mark.parametrize("lang", LANGS)
def test_the_glossary_sets_english_beside_chinese(server, page, shots, lang):
    page.goto(server.url(f"/glossary?lang={lang}"))
    settle(page)
    no_exception(page)
    body = page.locator('[data-testid="stMain"]').inner_text()
    for term in ("forget_stage", "memorize_stage", "output_stage", "unit", "clipping"):
        assert t(f"gl.{term}.term", "en") in body and t(f"gl.{term}.term", "zh") in body
    assert t("glossary.link", lang) not in page.locator('[data-testid="stSidebar"]').inner_text()   # it is here
    page.screenshot(path=str(shots / f"glossary_{lang}.png"), full_page=True)


def test_a_teachers_link_hides_the_sidebar(server, page, shots):
    page.goto(server.url("/lesson?lang=zh&hide=sidebar"))
    settle(page)
    no_exception(page)
    assert not page.locator('[data-testid="stSidebar"]').is_visible()
    assert not page.locator('[data-testid="stExpandSidebarButton"]').is_visible()
    assert "hide=sidebar" in page.url
    page.screenshot(path=str(shots / "hidden_sidebar_zh.png"))


def test_the_upload_box_speaks_chinese(server, page, shots):
    page.goto(server.url("/?lang=zh"))
    settle(page)
    page.locator('[data-testid="stSidebar"]').get_by_text(t("model.source.upload", "zh"), exact=True).click()
    settle(page)
    drop = page.get_by_role("region", name=t("model.upload", "zh"))     # the weight file's box
    drop.wait_for(timeout=60_000)
    shown = page.evaluate("""() => {
        const d = document.querySelectorAll('[data-testid="stFileUploaderDropzone"]')[0];
        const walker = document.createTreeWalker(d, NodeFilter.SHOW_TEXT);
        const visible = [];
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            const e = n.parentElement, st = getComputedStyle(e);
            if (!n.textContent.trim() || e.closest('[data-testid="stIconMaterial"]')) continue;   // an icon glyph
            if (st.display !== 'none' && st.visibility !== 'hidden' && parseFloat(st.fontSize) > 0
                && e.getClientRects().length) visible.push(n.textContent.trim());
        }
        const after = [...d.querySelectorAll('p, div')].map(e => getComputedStyle(e, '::after').content)
            .filter(c => c && c !== 'none' && c !== 'normal');
        return {visible, after};
    }""")
    assert not [s for s in shown["visible"] if "Upload" in s or "per file" in s or "Drag" in s], shown
    assert any("上传" in c for c in shown["after"]) and any("MB" in c for c in shown["after"]), shown
    # the weights' box says what it takes and its own limit, in Chinese (ui.app.UPLOADERS)
    assert json.dumps(t("upload.instructions.weights", "zh", mb="64"), ensure_ascii=False) in shown["after"], shown
    drop.screenshot(path=str(shots / "upload_zh.png"))
