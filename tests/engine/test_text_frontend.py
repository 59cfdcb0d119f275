"""Behaviour of the Japanese text front end (no reference implementation needed)."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest

from sbv2_studio.engine.text.frontend import FrontendResult, analyze
from sbv2_studio.engine.text.g2p import MORA_TABLE, g2p, text_to_words
from sbv2_studio.engine.text.normalize import normalize_text, replace_punctuation
from sbv2_studio.engine.text.sequence import add_blanks, intersperse, phones_to_ids, tones_to_ids
from sbv2_studio.engine.text.symbols import JP_LANGUAGE_ID, JP_TONE_OFFSET, PUNCTUATIONS, SYMBOL_TO_ID, SYMBOLS
from sbv2_studio.errors import TextError

# The worked example of docs section 3 (pyopenjtalk-plus 0.4.1.post10, JP-Extra).
EXAMPLE = "今日はいい天気ですね。"
EXAMPLE_PHONES = "_ ky o o w a i i t e N k i d e s u n e . _".split()
EXAMPLE_TONES = [0, 1, 1, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
EXAMPLE_WORD2PH = [1, 2, 1, 2, 1, 1, 3, 2, 2, 2, 2, 1, 1]
EXAMPLE_X_TST = [
    int(i)
    for i in "0 0 0 58 0 65 0 65 0 97 0 8 0 40 0 40 0 78 0 26 0 5 0 57 0 40 0 23 0 26 0 76 0 82 0 62 0 26 "
    "0 107 0 0 0".split()
]


def test_worked_example():
    result = analyze(EXAMPLE)
    assert result.normalized == "今日はいい天気ですね."
    assert result.phones == EXAMPLE_PHONES
    assert result.tones == EXAMPLE_TONES
    assert result.word2ph == EXAMPLE_WORD2PH
    assert result.bert_text == "今日はいい天気ですね."
    assert result.x_tst.dtype == np.int64
    assert result.x_tst.tolist() == EXAMPLE_X_TST
    assert result.tone_ids.tolist() == intersperse([JP_TONE_OFFSET + t for t in EXAMPLE_TONES], 0)
    assert result.language_ids.tolist() == intersperse([JP_LANGUAGE_ID] * len(EXAMPLE_PHONES), 0)
    assert result.word2ph_blank == [3] + [2 * n for n in EXAMPLE_WORD2PH[1:]]


def test_g2p_matches_analyze_and_words_give_word2ph():
    assert g2p("今日はいい天気ですね.") == (EXAMPLE_PHONES, EXAMPLE_TONES, EXAMPLE_WORD2PH)
    words, readings = text_to_words("今日はいい天気ですね.")
    assert words == ["今日", "は", "いい", "天気", "です", "ね", "."]
    assert readings == ["キョー", "ワ", "イイ", "テンキ", "デス", "ネ", "."]


@pytest.mark.parametrize(
    "text",
    [EXAMPLE, "すごい!本当?", "東京タワーは333mです。", "ＡＢＣとαβγ、人々。", "ちょっと待ってー！！", "コーヒー"],
)
def test_lengths_line_up(text):
    result = analyze(text)
    n = len(result.phones)
    assert len(result.tones) == n == sum(result.word2ph)
    assert len(result.bert_text) + 2 == len(result.word2ph)
    for array in (result.x_tst, result.tone_ids, result.language_ids):
        assert array.shape == (2 * n + 1,) and array.dtype == np.int64
        assert array[0::2].tolist() == [0] * (n + 1)  # blanks before, between and after
    assert sum(result.word2ph_blank) == 2 * n + 1
    assert len(result.word2ph_blank) == len(result.word2ph)


def test_exclamation_mark_is_kept_like_a_question_mark():
    # pyopenjtalk-plus reads `!` as `！` (the reference crashes there); it must stay a `!` phone.
    result = analyze("すごい！本当？")
    assert result.phones == "_ s u g o i ! h o N t o o ? _".split()
    assert result.bert_text == "すごい!本当?"
    assert analyze("え!!!").phones == ["_", "e", "!", "!", "!", "_"]
    assert analyze("!?!").phones == ["_", "!", "?", "!", "_"]
    assert analyze("!").tones == [0, 0, 0]


@pytest.mark.parametrize(
    ("text", "phones"),
    [
        ("クヮ", ["_", "k", "a", "_"]),
        ("グヮ", ["_", "g", "a", "_"]),
        ("くゎし", ["_", "k", "a", "sh", "i", "_"]),
        ("クヮー", ["_", "k", "a", "a", "_"]),
    ],
)
def test_kw_and_gw_become_k_and_g(text, phones):
    # kw/gw are not in the symbol table: they are read as the modern カ/ガ, one phone for one.
    result = analyze(text)
    assert result.phones == phones
    assert len(result.tones) == len(phones) == sum(result.word2ph)
    assert all(0 <= i < len(SYMBOLS) for i in result.x_tst)


@pytest.mark.parametrize("text", ["😀", "👍🏻✨🎉", "", "   ", "　\t", "Привет", "안녕하세요", "مرحبا", "〇"])
def test_text_without_anything_readable_raises(text):
    with pytest.raises(TextError, match="nothing readable after normalization") as info:
        analyze(text)
    assert repr(text) in str(info.value)


def test_unusable_analysis_raises_text_error_not_a_crash():
    # With pyopenjtalk-plus the accent labels read デェ as `dy e` while the reading gives `d e e`;
    # the reference fails here too.
    with pytest.raises(TextError, match="disagree"):
        analyze("デェ")


def test_legacy_models_use_small_n():
    extra = analyze(EXAMPLE)
    legacy = analyze(EXAMPLE, use_jp_extra=False)
    assert legacy.phones == ["n" if p == "N" else p for p in extra.phones]
    assert "N" not in legacy.phones
    assert legacy.tones == extra.tones and legacy.word2ph == extra.word2ph
    assert legacy.x_tst[1::2].tolist() == [SYMBOL_TO_ID[p] for p in legacy.phones]
    assert SYMBOL_TO_ID["n"] in legacy.x_tst.tolist() and SYMBOL_TO_ID["N"] not in legacy.x_tst.tolist()


def test_long_vowel_mark_handling():
    assert analyze("ーあ").phones == ["_", "-", "a", "_"]  # at the start it is a dash
    assert analyze("すごーい").phones == "_ s u g o o i _".split()
    assert analyze("あ、ーー").phones == ["_", "a", ",", "-", "-", "_"]


@pytest.mark.parametrize(
    ("text", "normalized"),
    [
        ("1,000円", "千円"),
        ("1,000,000人", "百万人"),
        ("52.34", "五十二点三四"),
        ("$5", "五ドル"),
        ("¥1,500", "千五百円"),
        ("€3.5", "三点五ユーロ"),
        ("£10", "十ポンド"),
        ("＄１００", "百ドル"),  # full-width through NFKC
        ("２０２４年", "二千二十四年"),
        ("$ 5", ".五"),  # a lone $ is a full stop
        ("波〜線~と～", "波ー線ーとー"),
        ("まさか…。", "まさか...."),
        ("「はい」（注）【速報】", "'はい''注''速報'"),
        ("はい、そうです。\nいいえ！", "はい,そうです..いいえ!"),
        ("A：B；C", "ABC"),  # NFKC makes them ASCII `:` `;`, which are not kept
        ("ダッシュ——です−", "ダッシュ--です-"),
        ("今日は😀いい天気", "今日はいい天気"),
        ("ｶﾞｷﾞ ｸﾞ", "ガギグ"),
        ("あ゛", "あ"),
        ("ＡＢＣ αβ", "ABCαβ"),
        ("Привет, 世界", ",世界"),
    ],
)
def test_normalize_text(text, normalized):
    assert normalize_text(text) == normalized


def test_replace_punctuation_folds_without_nfkc():
    assert replace_punctuation("、。！？…") == ",.!?..."
    assert replace_punctuation("・・・·") == "...,"
    assert replace_punctuation("ａ１😀") == "ａ"  # full-width letters are kept, digits and emoji not


def test_to_json_dict_has_plain_values():
    result = analyze(EXAMPLE)
    data = result.to_json_dict()
    assert list(data) == [
        "text", "normalized", "phones", "tones", "word2ph", "bert_text", "x_tst", "tone_ids", "language_ids",
        "word2ph_blank",
    ]  # fmt: skip
    assert data["x_tst"] == EXAMPLE_X_TST
    assert json.loads(json.dumps(data)) == data


def test_result_is_frozen():
    result = analyze(EXAMPLE)
    assert isinstance(result, FrontendResult)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.text = "x"  # type: ignore[misc]


def test_symbol_table_layout():
    assert len(SYMBOLS) == 112 and SYMBOLS[0] == "_"
    assert list(SYMBOLS[103:]) == [*PUNCTUATIONS, "SP", "UNK"]
    assert PUNCTUATIONS == ("!", "?", "…", ",", ".", "'", "-")
    assert (JP_TONE_OFFSET, JP_LANGUAGE_ID) == (6, 1)


def test_sequence_helpers():
    assert phones_to_ids(["_", "a", "."]) == [0, SYMBOL_TO_ID["a"], 107]
    with pytest.raises(TextError, match="kw"):
        phones_to_ids(["kw"])
    assert tones_to_ids([0, 1]) == [6, 7]
    ids, tones, langs, word2ph = add_blanks([5, 6], [6, 7], [1, 1], [1, 1])
    assert ids == [0, 5, 0, 6, 0] and tones == [0, 6, 0, 7, 0] and langs == [0, 1, 0, 1, 0]
    assert word2ph == [3, 2]


def test_mora_table_spot_checks():
    assert len(MORA_TABLE) == 162
    assert MORA_TABLE["シャ"] == ("sh", "a") and MORA_TABLE["ヂ"] == ("j", "i")
    assert MORA_TABLE["ヴョ"] == ("by", "o") and MORA_TABLE["ティ"] == ("t", "i")
    assert MORA_TABLE["ン"] == (None, "N") and MORA_TABLE["ッ"] == (None, "q")
    assert "デェ" not in MORA_TABLE and "ヵ" not in MORA_TABLE
    assert all(v in "aiueoNq" for _, v in MORA_TABLE.values())
