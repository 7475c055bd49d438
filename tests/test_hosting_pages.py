"""Every page of the registry, opened with a link full of hostile parameters: no traceback, the
repairs are said, and nothing from the link is rendered as markup."""
import pytest
from streamlit.testing.v1 import AppTest

from ui import app
from ui.i18n import LANGS, t

HOSTILE = {
    "hidden": "abc", "layers": "99", "t": "-1", "unit": "1000000", "seed": "-7", "fb": "nan",
    "lang": "xx", "cell": "foo", "mode": "bytes", "enc": "zzz", "extra": "ignored",
    "seq": "[x](https://e.vil/a) **b** <img src=https://e.vil/p.png> ![i](https://e.vil/i.png)",
}


def shown(at):
    out = []
    for kind in ("title", "markdown", "caption", "warning", "error", "info", "subheader"):
        out += [str(e.value) for e in at.get(kind)]
    return out


@pytest.mark.parametrize("page", app.PAGES, ids=lambda p: p.id)
def test_hostile_link_on_every_page(page):
    at = AppTest.from_file("../explorer_app.py", default_timeout=180)
    at.query_params.update(HOSTILE)
    if page.path != "explorer_app.py":
        at.switch_page(page.path)
    at.run()
    assert not at.exception, [e.value for e in at.exception][:1]
    warnings = " ".join(w.value for w in at.warning)
    assert t("state.intro", "zh") in warnings                   # lang=xx → Chinese, repairs listed
    for name in ("hidden", "layers", "lang", "cell", "mode", "fb"):
        assert f"{name}=" in warnings, name
    assert at.query_params["lang"] in LANGS and at.query_params["cell"] == "lstm"
    assert at.query_params["hidden"] == "16" and at.query_params["layers"] == "4"
    for text in shown(at):          # the link's markup is never live
        assert "](https://e.vil" not in text and "<img src=https://e.vil" not in text, text[:200]
