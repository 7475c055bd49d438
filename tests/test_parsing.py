"""ui.parsing: tokens as the reader sees them, clear errors, and (hypothesis)
no other exception for any string."""
import string

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ui.errors import Problem
from ui.locales import figures as loc
from ui.parsing import (
    ENCODINGS,
    MAX_TOKENS,
    MODES,
    Encoded,
    Sequence,
    display_token,
    embed_token,
    encode,
    graphemes,
    normalize,
    parse_sequence,
)


def toks(text, mode="chars"):
    return parse_sequence(text, mode).tokens


# ------------------------------------------------------------ characters
@pytest.mark.parametrize("text, expected", [
    ("e\u0301", ("é",)),                       # combining accent: one character (NFC)
    ("q\u0301", ("q\u0301",)),                 # no precomposed form: still one
    ("👩\u200d💻", ("👩\u200d💻",)),               # ZWJ sequence
    ("👨\u200d👩\u200d👧\u200d👦", ("👨\u200d👩\u200d👧\u200d👦",)),
    ("❤\ufe0f", ("❤\ufe0f",)),                 # variation selector
    ("👍🏽", ("👍🏽",)),                         # skin tone
    ("🇨🇳🇺🇸", ("🇨🇳", "🇺🇸")),                   # flags pair up
    ("🇨🇳🇺", ("🇨🇳", "🇺")),
    ("中文", ("中", "文")),
    ("한국", ("한", "국")),
    ("\u1100\u1161\u11a8", ("\uac01",)),   # decomposed Hangul syllable, composed by NFC
    ("a b", ("a", " ", "b")),
    ("a  b", ("a", " ", " ", "b")),
    ("a\r\nb", ("a", "\n", "b")),
    ("  hi \n", ("h", "i")),
])
def test_chars(text, expected):
    assert toks(text) == expected


def test_graphemes_keep_crlf_together():
    assert graphemes("a\r\nb") == ["a", "\r\n", "b"]


def test_display_makes_whitespace_visible():
    assert display_token(" ") == "␣"
    assert display_token("\n") == "⏎"
    assert display_token("\t") == "⇥"
    assert display_token("\x00") == "␀"
    assert display_token("中") == "中"


# ----------------------------------------------------------------- words
@pytest.mark.parametrize("text, expected", [
    ("Hello, world!", ("Hello", ",", "world", "!")),
    ("don't stop", ("don't", "stop")),
    ("don’t", ("don’t",)),
    ("well-known fact", ("well-known", "fact")),
    ("a - b", ("a", "-", "b")),
    ("end-", ("end", "-")),
    ("我爱北京", ("我", "爱", "北", "京")),                    # Chinese without spaces: one character per word
    ("我爱 NLP。", ("我", "爱", "NLP", "。")),                 # no space between two ideographs
    ("我 昨天 在 图书馆", ("我", "昨天", "在", "图书馆")),       # words are what lies between spaces
    ("我 昨天 在 图书馆 借 了 一 本 书 ， 今天 把 它 读 完 了",
     ("我", "昨天", "在", "图书馆", "借", "了", "一", "本", "书", "，", "今天", "把", "它", "读", "完", "了")),
    ("今天 天气，很好", ("今天", "天气", "，", "很好")),         # a mark still stands alone
    ("我们 学 LSTM模型", ("我们", "学", "LSTM模型")),
    ("今天， 我们", ("今", "天", "，", "我", "们")),              # the only space follows a mark: unspaced text
    ("café 42x", ("café", "42x")),
    ("hi 👩\u200d💻!", ("hi", "👩\u200d💻", "!")),
])
def test_words(text, expected):
    assert toks(text, "words") == expected


# --------------------------------------------------------------- numbers
def test_scalars():
    s = parse_sequence("1, 0.5, -2", "numbers")
    assert s.tokens == ("1", "0.5", "-2")
    assert s.vectors.shape == (3, 1) and s.vectors.dtype == np.float64
    np.testing.assert_array_equal(s.vectors[:, 0], [1, 0.5, -2])
    assert parse_sequence("1 2   3", "numbers").vectors.shape == (3, 1)
    assert parse_sequence("1e-3, .5, +2., −4", "numbers").vectors[:, 0].tolist() == [1e-3, 0.5, 2.0, -4.0]


def test_vectors():
    s = parse_sequence("1,0; 0,1", "numbers")
    assert s.tokens == ("1,0", "0,1")
    np.testing.assert_array_equal(s.vectors, [[1, 0], [0, 1]])
    s = parse_sequence("1 0\n0 1\n0.5 0.5;", "numbers")
    assert s.vectors.shape == (3, 2)
    s = parse_sequence("1，2；3，4", "numbers")          # full-width punctuation from a Chinese IME
    np.testing.assert_array_equal(s.vectors, [[1, 2], [3, 4]])
    assert not s.vectors.flags.writeable


@pytest.mark.parametrize("text, key, params", [
    ("", "input.err.empty", {}),
    ("   \n ", "input.err.empty", {}),
    ("1, two, 3", "input.err.bad_number", {"token": "two", "position": 2}),
    ("1,0; 0,1; 1", "input.err.uneven", {"row": 3, "width": 1, "expected": 2}),
    ("1, nan", "input.err.not_finite", {"token": "nan"}),
    ("-inf", "input.err.not_finite", {"token": "-inf"}),
    ("Infinity", "input.err.not_finite", {"token": "Infinity"}),
    ("1e999", "input.err.not_finite", {"token": "1e999"}),
    ("1,,2", "input.err.empty_value", {"row": 1}),
    ("1,0;2,,3", "input.err.empty_value", {"row": 2}),
    ("1_000", "input.err.bad_number", {"token": "1_000", "position": 1}),
    ("１", "input.err.bad_number", {"token": "１", "position": 1}),
])
def test_number_errors(text, key, params):
    with pytest.raises(Problem) as e:
        parse_sequence(text, "numbers")
    assert e.value.key == key and e.value.params == params


def test_limits_and_modes():
    assert len(parse_sequence("a" * MAX_TOKENS, "chars")) == MAX_TOKENS
    with pytest.raises(Problem) as e:
        parse_sequence("a" * (MAX_TOKENS + 1), "chars")
    assert e.value.key == "input.err.too_long"
    assert e.value.params == {"limit": MAX_TOKENS, "found": MAX_TOKENS + 1}
    assert str(MAX_TOKENS) in str(e.value)
    with pytest.raises(Problem) as e:
        parse_sequence("a " * 10**6, "words")
    assert e.value.key == "input.err.too_long_text"
    with pytest.raises(Problem) as e:
        parse_sequence(",".join(["1"] * 1025) + ";", "numbers")
    assert e.value.key == "input.err.too_wide" and e.value.params["found"] == 1025
    assert len(parse_sequence(" ".join(["1"] * 1025), "numbers")) == 1025   # scalars: one step each
    with pytest.raises(Problem) as e:
        parse_sequence("abc", "bytes")
    assert e.value.key == "input.err.unknown_mode" and "chars" in str(e.value)


# ------------------------------------------------------------- messages
def test_catalogue_languages_match():
    assert loc.EN.keys() == loc.ZH.keys()
    for k in loc.EN:
        assert loc.EN[k].strip() and loc.ZH[k].strip()


ERRORS = {
    "input.err.empty": {},
    "input.err.too_long": {"limit": 2000, "found": 2500},
    "input.err.too_long_text": {"limit": 100000, "found": 200000},
    "input.err.bad_number": {"token": "x", "position": 3},
    "input.err.empty_value": {"row": 2},
    "input.err.uneven": {"row": 2, "width": 3, "expected": 2},
    "input.err.not_finite": {"token": "nan"},
    "input.err.too_wide": {"row": 1, "found": 2000, "limit": 1024},
    "input.err.width": {"found": 3, "expected": 16},
    "input.err.unknown_mode": {"mode": "x", "allowed": "chars, words, numbers"},
    "input.err.unknown_encoding": {"encoding": "x", "allowed": ", ".join(ENCODINGS)},
    "input.err.no_vocab": {},
}


def test_every_error_key_formats_in_both_languages():
    assert set(ERRORS) == {k for k in loc.EN if k.startswith("input.err.")}
    for key, params in ERRORS.items():
        err = Problem(key, **params)
        for lang in ("en", "zh"):
            text = err.message(lang)
            assert "{" not in text and text != key
            for v in params.values():
                assert str(v) in text
        assert str(err) == err.message("en")
    assert Problem("input.err.empty").message("zh") != Problem("input.err.empty").message("en")


# -------------------------------------------------------------- encoding
def test_embedding_depends_only_on_token_and_seed():
    a = encode(parse_sequence("abca", "chars"))
    b = encode(parse_sequence("xa", "chars"))
    assert a.X.shape == (4, 16) and a.X.dtype == np.float64 and a.encoding == "embedding"
    np.testing.assert_array_equal(a.X[0], a.X[3])
    np.testing.assert_array_equal(a.X[0], b.X[1])
    np.testing.assert_array_equal(a.X[0], embed_token("a"))
    assert not np.allclose(a.X[0], a.X[1])
    assert not np.allclose(embed_token("a", seed=1), embed_token("a", seed=0))
    many = np.array([embed_token(str(i), 64) for i in range(300)])
    assert abs(many.mean()) < 0.05 and abs(many.var() - 1) < 0.05
    assert encode(parse_sequence("ab", "chars"), dim=5).X.shape == (2, 5)


def test_onehot_sequence():
    e = encode(parse_sequence("abca", "chars"), "onehot_sequence")
    assert e.vocab == ("a", "b", "c") and e.unknown == ()
    np.testing.assert_array_equal(e.X, [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0]])


def test_onehot_model_lists_unknown_tokens():
    e = encode(parse_sequence("ab d", "chars"), "onehot_model", vocab=["a", "b", " "])
    assert isinstance(e, Encoded) and e.vocab == ("a", "b", " ")
    np.testing.assert_array_equal(e.X, [[1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 0, 0]])
    assert e.unknown == ("d",)
    with pytest.raises(Problem) as err:
        encode(parse_sequence("ab", "chars"), "onehot_model", vocab=None)
    assert err.value.key == "input.err.no_vocab"


def test_numbers_pass_through_and_width_check():
    s = parse_sequence("1,0; 0,1", "numbers")
    e = encode(s, "onehot_model", vocab=["a"])
    assert e.encoding == "numbers" and e.X.shape == (2, 2)
    assert encode(s, input_size=2).X.shape == (2, 2)
    with pytest.raises(Problem) as err:
        encode(s, input_size=3)
    assert err.value.key == "input.err.width" and err.value.params == {"found": 2, "expected": 3}
    with pytest.raises(Problem) as err:
        encode(parse_sequence("ab", "chars"), "magic")
    assert err.value.key == "input.err.unknown_encoding"


# ------------------------------------------------------ property tests
def check_valid(seq, mode, max_tokens):
    assert isinstance(seq, Sequence)
    assert 1 <= len(seq.tokens) <= max_tokens
    assert all(isinstance(x, str) and x for x in seq.tokens)
    if mode == "numbers":
        assert seq.vectors.dtype == np.float64 and seq.vectors.ndim == 2
        assert seq.vectors.shape[0] == len(seq.tokens) and seq.vectors.shape[1] >= 1
        assert np.isfinite(seq.vectors).all()
    else:
        assert seq.vectors is None


NUMBERISH = st.text(alphabet=string.digits + " ,;.-+eE\n\t−，；naifINF", max_size=60)
HOSTILE = st.one_of(st.text(max_size=200), NUMBERISH,
                    st.text(alphabet="e\u0301\u200d👩💻🇨🇳🇺\ufe0f🏽 \r\n中'-", max_size=40))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=HOSTILE, mode=st.sampled_from(MODES), max_tokens=st.integers(1, 50))
def test_any_string_gives_a_sequence_or_an_input_error(text, mode, max_tokens):
    try:
        seq = parse_sequence(text, mode, max_tokens=max_tokens)
    except Problem as e:
        assert e.key in loc.EN
        assert e.message("zh") and str(e)
        return
    check_valid(seq, mode, max_tokens)
    if mode == "chars":
        assert "".join(seq.tokens) == normalize(text)
        assert all(display_token(x) for x in seq.tokens)
    if mode == "words":
        assert not any(x[0].isspace() for x in seq.tokens)   # whitespace only separates
        kept = [g for g in graphemes(normalize(text)) if not g[0].isspace()]
        assert "".join(seq.tokens) == "".join(kept)


@settings(max_examples=200, deadline=None)
@given(rows=st.lists(st.lists(st.floats(allow_nan=False, allow_infinity=False, width=32),
                              min_size=2, max_size=2), min_size=1, max_size=10))
def test_typed_vectors_read_back(rows):
    # a trailing ";" marks vector input even for a single step ("1, 2" alone is two scalars)
    text = "; ".join(", ".join(repr(float(v)) for v in row) for row in rows) + ";"
    seq = parse_sequence(text, "numbers")
    np.testing.assert_array_equal(seq.vectors, np.array(rows, dtype=np.float64))


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=80), mode=st.sampled_from(("chars", "words")),
       encoding=st.sampled_from(ENCODINGS))
def test_encode_never_crashes(text, mode, encoding):
    try:
        seq = parse_sequence(text, mode)
        e = encode(seq, encoding, vocab=["a", "b", " "])
    except Problem:
        return
    assert e.X.shape[0] == len(seq.tokens) and np.isfinite(e.X).all()
