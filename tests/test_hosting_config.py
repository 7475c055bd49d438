"""Hosted-demo settings: .streamlit/config.toml and a bound on every cache in the code base.

The cache check reads the source with ``ast`` (no import, so it also covers
pages that are never run in tests): every ``st.cache_data`` /
``st.cache_resource`` decorator must be called with ``max_entries`` or
``ttl`` (directly or through a ``**NAME`` dict defined in the same module),
and every ``functools.lru_cache`` / ``functools.cache`` must have a finite
``maxsize`` unless it is listed in ``BOUNDED_BY_ARGUMENT`` with a reason.
"""
import ast
from pathlib import Path

import pytest

tomllib = pytest.importorskip("tomllib")   # Python 3.11+

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / ".streamlit" / "config.toml"
MAX_UPLOAD_MB = 100           # "a small upload limit": weight files are refused past 64 MB anyway
SOURCE_DIRS = ("ui", "lstm_core", "pages", "bench")

# lru_caches without maxsize whose keys are provably few (name -> why).
BOUNDED_BY_ARGUMENT = {
    ("ui/i18n.py", "catalogue"): "keyed by language; t() normalises to LANGS (2 entries), "
                                       "any other language raises before anything is stored",
}


def source_files():
    files = [ROOT / "explorer_app.py"]
    for d in SOURCE_DIRS:
        files += sorted((ROOT / d).rglob("*.py"))
    return [f for f in files if f.exists()]


# ------------------------------------------------------------------ config.toml
@pytest.fixture(scope="module")
def config():
    return tomllib.loads(CONFIG.read_text(encoding="utf-8"))


def test_xsrf_protection_is_on(config):
    assert config["server"]["enableXsrfProtection"] is True
    assert config["server"].get("enableCORS", True) is not False   # turning CORS off would disable XSRF


def test_usage_statistics_are_off(config):
    assert config["browser"]["gatherUsageStats"] is False


def test_no_error_details_for_visitors(config):
    assert config["client"]["showErrorDetails"] in ("none", False)


def test_upload_limit_is_small(config):
    limit = config["server"]["maxUploadSize"]
    assert isinstance(limit, int) and 1 <= limit <= MAX_UPLOAD_MB


def test_upload_limit_fits_the_weight_file_limit(config):
    from lstm_core.files import MAX_BYTES
    assert MAX_BYTES <= config["server"]["maxUploadSize"] * 1024 * 1024 * 1.05


def test_no_full_garbage_collection_after_every_run(config):
    """It cost ~60 ms of CPU per run, per session (docs/benchmarks.md, "Player"): a class stepping at once."""
    assert config["runner"]["postScriptGC"] is False


def test_headless_and_no_development_mode(config):
    assert config["server"].get("headless", False) is True
    assert config.get("global", {}).get("developmentMode", False) is False
    assert config["server"].get("runOnSave", False) is False
    assert config["server"].get("enableAgentApi", False) is False      # no HTTP/MCP driver for the app
    assert config["server"].get("enableStaticServing", False) is False


def test_streamlit_reads_these_values():
    """The option names exist in this Streamlit (a typo would be silently ignored)."""
    from streamlit import config as stconfig
    stconfig.get_config_options(force_reparse=True, options_from_flags={})
    for section, table in tomllib.loads(CONFIG.read_text(encoding="utf-8")).items():
        if section == "theme":
            continue
        for name in table:
            assert f"{section}.{name}" in stconfig._config_options, f"{section}.{name}"
    assert stconfig.get_option("server.enableXsrfProtection") is True
    assert stconfig.get_option("browser.gatherUsageStats") is False


# ------------------------------------------------------------------ caches
def _is_streamlit_cache(node):
    target = node.func if isinstance(node, ast.Call) else node
    return isinstance(target, ast.Attribute) and target.attr in ("cache_data", "cache_resource", "cache")


def _is_lru(node):
    target = node.func if isinstance(node, ast.Call) else node
    name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
    return name in ("lru_cache", "cache") and not _is_streamlit_cache(node)


def _module_dicts(tree):
    """NAME -> set of keys for module-level ``NAME = dict(...)`` / ``NAME = {...}``."""
    out = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            v = node.value
            if isinstance(v, ast.Call) and getattr(v.func, "id", "") == "dict":
                out[node.targets[0].id] = {k.arg for k in v.keywords}
            elif isinstance(v, ast.Dict):
                out[node.targets[0].id] = {k.value for k in v.keys if isinstance(k, ast.Constant)}
    return out


def _keywords(call, dicts):
    names = set()
    for k in call.keywords:
        if k.arg is not None:
            names.add(k.arg)
        elif isinstance(k.value, ast.Name):
            names |= dicts.get(k.value.id, set())
    return names


def caches():
    """(file, function, kind, keyword names or None when called bare) for every cache decorator."""
    found = []
    for path in source_files():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        dicts = _module_dicts(tree)
        for node in ast.walk(tree):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for dec in node.decorator_list:
                rel = path.relative_to(ROOT).as_posix()
                if _is_streamlit_cache(dec):
                    kw = _keywords(dec, dicts) if isinstance(dec, ast.Call) else None
                    found.append((rel, node.name, "streamlit", kw))
                elif _is_lru(dec):
                    kw = None
                    if isinstance(dec, ast.Call):
                        size = next((k.value for k in dec.keywords if k.arg == "maxsize"),
                                    dec.args[0] if dec.args else ast.Constant(128))
                        kw = {"maxsize"} if not (isinstance(size, ast.Constant) and size.value is None) else None
                    found.append((rel, node.name, "lru", kw))
    return found


def test_the_scan_finds_the_known_caches():
    names = {(f, fn) for f, fn, _, _ in caches()}
    assert ("ui/model_source.py", "cached_run") in names
    assert ("ui/i18n.py", "catalogue") in names


def test_every_streamlit_cache_has_max_entries_or_ttl():
    unbounded = [(f, fn) for f, fn, kind, kw in caches()
                 if kind == "streamlit" and not (kw and kw & {"max_entries", "ttl"})]
    assert not unbounded, f"st.cache_* without max_entries/ttl: {unbounded}"


def test_every_streamlit_cache_has_max_entries():
    """ttl alone would let a class of 40 fill memory within the hour: entries must be capped too."""
    uncapped = [(f, fn) for f, fn, kind, kw in caches() if kind == "streamlit" and not (kw and "max_entries" in kw)]
    assert not uncapped, f"st.cache_* without max_entries: {uncapped}"


def test_every_lru_cache_is_bounded_or_justified():
    unbounded = [(f, fn) for f, fn, kind, kw in caches()
                 if kind == "lru" and kw is None and (f, fn) not in BOUNDED_BY_ARGUMENT]
    assert not unbounded, f"lru_cache without maxsize: {unbounded}"


def test_catalogue_cache_stays_at_two_languages():
    from ui.i18n import LANGS, catalogue, t
    for lang in ("xx", "", "EN", "zh-CN", None, 0):
        t("app.title", lang)
    with pytest.raises(AttributeError):
        catalogue("xx")
    assert catalogue.cache_info().currsize <= len(LANGS)
