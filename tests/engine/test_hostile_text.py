"""Text no front end should choke on: lines past OpenJTalk's 5,461-character limit (g2p, the assist text) and
numbers past num2words' 10^51 (issue 17 items 2, 16, 17)."""

from __future__ import annotations

import numpy as np
import pytest
from num2words import num2words

from sbv2_studio.engine.text import frontend
from sbv2_studio.engine.text.g2p import OPENJTALK_MAX_CHARS, _openjtalk_pieces
from sbv2_studio.engine.text.normalize import normalize_text

from ..conftest import requires_reference

SENTENCE = "今日はいい天気ですね。"
LONG_LINE = SENTENCE * 560  # 5,600 characters: pyopenjtalk alone raises "Input text is too long"


def test_a_line_past_openjtalks_limit_is_analyzed_in_pieces():
    pieces = _openjtalk_pieces(normalize_text(LONG_LINE))
    assert len(pieces) == 2 and all(len(p) <= OPENJTALK_MAX_CHARS for p in pieces)
    assert "".join(pieces) == normalize_text(LONG_LINE)
    one = frontend.analyze(SENTENCE)
    result = frontend.analyze(LONG_LINE)
    # every sentence reads as the sentence alone does (pads only at the ends)
    assert result.phones[1:-1] == one.phones[1:-1] * 560
    assert len(result.bert_text) + 2 == len(result.word2ph)


def test_a_text_without_sentence_ends_is_cut_hard():
    text = "あ" * (OPENJTALK_MAX_CHARS + 10)
    pieces = _openjtalk_pieces(text)
    assert "".join(pieces) == text and max(map(len, pieces)) <= OPENJTALK_MAX_CHARS


def test_short_text_goes_to_openjtalk_whole():
    assert _openjtalk_pieces("今日は。いい天気。") == ["今日は。いい天気。"]


def test_numbers_of_10_to_the_51_or_more_are_read_digit_by_digit():
    big = "1" + "0" * 51
    assert normalize_text(f"{big}円") == "一" + "零" * 51 + "円"
    assert normalize_text(f"{big}.25") == "一" + "零" * 51 + "点二五"
    assert len(normalize_text("7" * 5000)) == 5000  # past int()'s 4,300-digit limit too
    # below the limit: num2words, exactly as before
    for number in ("9" * 51, "1" + "0" * 50, "12.5", "0"):
        assert normalize_text(number) == num2words(number, lang="ja")
    frontend.analyze(f"残高は{big}円です。")  # the whole front end, no OverflowError


@requires_reference
def test_number_reading_below_the_limit_matches_the_reference():
    from style_bert_vits2.nlp.japanese.normalizer import normalize_text as reference_normalize

    for text in ("9" * 51 + "円", "1" + "0" * 50, "52.34", "$5"):
        assert normalize_text(text) == reference_normalize(text)


@pytest.mark.parametrize("length", [5600])
def test_a_long_assist_text_gives_the_mean_of_its_pieces(jp_extra_pipeline, length):
    from sbv2_studio.engine.pipeline import SynthesisParams

    assist = (SENTENCE * (length // len(SENTENCE) + 1))[:length]
    mean = jp_extra_pipeline.assist_mean(assist)
    assert mean.shape == (1024,) and np.isfinite(mean).all()
    # short assist texts are read whole, as before
    words = "".join(frontend.analyze(SENTENCE).bert_text)
    whole = jp_extra_pipeline.bert.run(jp_extra_pipeline.tokenizer.encode(words)).mean(axis=0)
    np.testing.assert_array_equal(jp_extra_pipeline.assist_mean(SENTENCE), whole)
    result = jp_extra_pipeline.synthesize("こんにちは。", SynthesisParams(assist_text=assist, noise=0, sdp_ratio=0))
    assert result.audio.size > 0
