"""End to end: a practitioner uploads their own model and its vocabulary in the sidebar, types in the
model's tokens, sees both directions and the head's prediction, then runs it over a corpus; both languages,
screenshots in tests/screenshots/practitioner_*."""
from pathlib import Path

import pytest
from browser_tools import no_exception, settle

from ui.i18n import LANGS, t

GOLD = Path(__file__).resolve().parents[1] / "golden" / "practitioner"


def upload(page, lang, weights, vocab=None):
    side = page.locator('[data-testid="stSidebar"]')
    side.get_by_text(t("model.source.upload", lang), exact=True).click()
    settle(page)
    inputs = side.locator('[data-testid="stFileUploader"] input[type="file"]')
    inputs.first.set_input_files(str(weights))
    settle(page, 1500)
    if vocab is not None:
        inputs.nth(1).set_input_files(str(vocab))
        settle(page, 1500)


def main_text(page):
    return page.locator('[data-testid="stMain"]').inner_text()


INSTRUCTIONS = """() => Object.fromEntries([...document.querySelectorAll('[data-testid="stFileUploader"]')].map(u => {
  const key = [...(u.closest('[class*="st-key-"]') || u).classList].find(c => c.startsWith('st-key-')) || '?';
  const box = u.querySelector('[data-testid="stFileUploaderDropzoneInstructions"] > div');
  const span = u.querySelector('[data-testid="stFileUploaderDropzoneInstructions"] span');
  return [key.slice(7), {said: box ? JSON.parse(getComputedStyle(box, '::after').content) : null,
                         streamlits: span ? getComputedStyle(span).display : null}];
}))"""


@pytest.mark.parametrize("lang", LANGS)
def test_each_uploader_on_the_corpus_page_says_what_it_takes(server, page, lang):
    """The corpus page shows three uploaders at once when the sidebar takes a file: weights, their
    vocabulary, and the page's own text. Each says what it takes and its own limit, in the page's
    language; the text box never the weights' formats (nor Streamlit's English, hidden)."""
    page.goto(server.url(f"/corpus?lang={lang}"))
    settle(page)
    page.locator('[data-testid="stSidebar"]').get_by_text(t("model.source.upload", lang), exact=True).click()
    settle(page)
    no_exception(page)
    said = page.evaluate(INSTRUCTIONS)
    assert set(said) == {"w_upload", "w_upload_vocab", "w_corpus_upload"}, said
    assert said["w_corpus_upload"]["said"] == t("upload.instructions.corpus", lang, mb="1")
    assert said["w_upload"]["said"] == t("upload.instructions.weights", lang, mb="64")
    assert said["w_upload_vocab"]["said"] == t("upload.instructions.vocab", lang, mb="20")
    assert all(v["streamlits"] == "none" for v in said.values())
    assert ".npz" not in said["w_corpus_upload"]["said"] and ".safetensors" in said["w_upload"]["said"]


@pytest.mark.parametrize("lang", LANGS)
def test_upload_a_bidirectional_classifier_and_see_both_directions(server, page, shots, lang):
    page.set_viewport_size({"width": 1400, "height": 1800})
    page.goto(server.url(f"/explorer?lang={lang}&mode=words&seq=the+film+was+not+good+.+popcorn"))
    settle(page)
    upload(page, lang, GOLD / "sentiment_bilstm.safetensors")
    no_exception(page)
    body = main_text(page)
    assert t("vocab.panel", lang, n="20", tokenizer=t("vocab.tokenizer.words", lang), unk="<unk>") in body
    assert "popcorn" in body                                  # the unknown word, named
    assert "→0" in body and "←5" in body                      # the directions note
    page.screenshot(path=str(shots / f"practitioner_bilstm_{lang}.png"), full_page=True)


@pytest.mark.parametrize("lang", LANGS)
def test_upload_weights_and_vocabulary_then_run_over_a_corpus(server, page, shots, lang):
    page.set_viewport_size({"width": 1400, "height": 1800})
    page.goto(server.url(f"/corpus?lang={lang}&seq=abc+cab"))
    settle(page)
    upload(page, lang, GOLD / "charlm_gru.npz", GOLD / "charlm_gru.vocab.json")
    no_exception(page)
    assert page.locator("h1").first.inner_text().strip() == t("corpus.title", lang)
    page.locator('[data-testid="stTextArea"] textarea').first.fill("abc cab bad face. " * 300 + "\nhead bag.")
    page.keyboard.press("Control+Enter")
    settle(page)
    page.get_by_role("button", name=t("corpus.run", lang)).click()
    page.get_by_text(t("corpus.top.title", lang)).wait_for(timeout=120_000)
    settle(page, 1500)
    no_exception(page)
    body = main_text(page)
    assert t("corpus.search.title", lang) in body and t("corpus.export", lang) in body
    page.screenshot(path=str(shots / f"practitioner_corpus_{lang}.png"), full_page=True)
