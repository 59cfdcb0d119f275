"""Parity of the Japanese front end with the reference (style-bert-vits2 2.5.0), sentence by sentence.

The reference is the oracle: for every sentence below, normalized text, phones, tones, word2ph, the BERT
text and the id sequences with blanks must be identical, for JP-Extra and for older models.

Two documented differences are applied to the reference's output before comparing:

* `！`: pyopenjtalk-plus reads `!` with the reading `！`, which the reference does not expect (it crashes
  turning `！` into phonemes). The test wraps the pyopenjtalk front end the reference calls so that, for
  the word list, a `！` reading looks like OpenJTalk's usual punctuation reading `、`; the reference then
  keeps the word itself (`!`) as its phoneme - exactly what our implementation does. The accent labels are
  still made from the untouched analysis (a changed reading changes the labels).
* `kw`/`gw` (クヮ/グヮ) are not in the symbol table; ours writes them `k`/`g`.

The reference runs pyopenjtalk in-process: its `pyopenjtalk_worker` only starts a separate server when
`initialize_worker()` is called, and otherwise calls `pyopenjtalk` directly.
"""

from __future__ import annotations

import unicodedata
from typing import Any

import pytest

from sbv2_studio.engine.text.frontend import analyze
from sbv2_studio.engine.text.g2p import MORA_TABLE, _bert_token_count, text_to_words
from sbv2_studio.engine.text.normalize import normalize_text, replace_punctuation
from sbv2_studio.engine.text.symbols import JP_LANGUAGE_ID, JP_TONE_OFFSET, PUNCTUATIONS, SYMBOLS
from sbv2_studio.errors import TextError

from ..conftest import FIXTURES, requires_reference
from ..reference_oracle import bang_as_punctuation
from ..sentences import SENTENCES

pytestmark = requires_reference

OUR_PHONE_FOR = {"kw": "k", "gw": "g"}


# Nothing survives normalization: ours refuses them (the reference would synthesize an empty line).
UNREADABLE = ["😀", "👍🏻✨🎉", "", "   ", "　", "Привет", "مرحبا", "안녕하세요", "สวัสดี", "שלום", "〇", "♪♪♪", "𩸽"]

# The reference fails on these (ValueError / assertion); ours must raise TextError instead.
REFERENCE_FAILS = [
    "デェ",  # labels say `dy e`, the reading gives `d e e`
    "デェス",
    "あ\u0378い",  # an unassigned Greek code point: kept by the normalizer, invisible to the tokenizer
    "\u3097",
]


@pytest.fixture(scope="module")
def tokenizer_dir(request) -> Any:
    try:
        return request.getfixturevalue("shared_tokenizer_dir")
    except pytest.skip.Exception:
        fallback = FIXTURES / "bert"
        if (fallback / "vocab.txt").is_file():
            return fallback
        raise


@pytest.fixture(scope="module")
def reference(tokenizer_dir):
    """The reference front end, with the `！` workaround installed for the duration of this module."""
    from style_bert_vits2.constants import Languages
    from style_bert_vits2.models.commons import intersperse
    from style_bert_vits2.nlp import bert_models, cleaned_text_to_sequence
    from style_bert_vits2.nlp.japanese import g2p as ref_g2p
    from style_bert_vits2.nlp.japanese.normalizer import normalize_text as ref_normalize

    tokenizer = bert_models.load_tokenizer(Languages.JP, str(tokenizer_dir))

    def run(text: str, use_jp_extra: bool) -> dict[str, Any]:
        normalized = ref_normalize(text)
        phones, tones, word2ph = ref_g2p.g2p(normalized, use_jp_extra=use_jp_extra, raise_yomi_error=False)
        phones = [OUR_PHONE_FOR.get(p, p) for p in phones]
        x_tst, tone_ids, language_ids = cleaned_text_to_sequence(phones, tones, Languages.JP)
        words = ref_g2p.text_to_sep_kata(normalized, raise_yomi_error=False)[0]
        word2ph_blank = [2 * n for n in word2ph]
        word2ph_blank[0] += 1
        return {
            "normalized": normalized,
            "phones": phones,
            "tones": tones,
            "word2ph": word2ph,
            "bert_text": "".join(words),
            "x_tst": intersperse(x_tst, 0),
            "tone_ids": intersperse(tone_ids, 0),
            "language_ids": intersperse(language_ids, 0),
            "word2ph_blank": word2ph_blank,
        }

    with bang_as_punctuation():
        yield {
            "run": run,
            "normalize": ref_normalize,
            "words": ref_g2p.text_to_sep_kata,
            "tokenizer": tokenizer,
            "intersperse": intersperse,
        }


def _ours(text: str, use_jp_extra: bool) -> dict[str, Any]:
    data = analyze(text, use_jp_extra=use_jp_extra).to_json_dict()
    del data["text"]
    return data


def test_enough_sentences():
    assert len(SENTENCES) >= 120 and len(set(SENTENCES)) == len(SENTENCES)


@pytest.mark.parametrize("use_jp_extra", [True, False], ids=["jp-extra", "legacy"])
@pytest.mark.parametrize("text", SENTENCES, ids=[f"{i:03d}" for i in range(len(SENTENCES))])
def test_front_end_parity(reference, text, use_jp_extra):
    expected = reference["run"](text, use_jp_extra)
    assert _ours(text, use_jp_extra) == expected


@pytest.mark.parametrize("text", SENTENCES, ids=[f"{i:03d}" for i in range(len(SENTENCES))])
def test_words_and_readings_parity(reference, text):
    normalized = normalize_text(text)
    assert text_to_words(normalized) == reference["words"](normalized, raise_yomi_error=False)


def test_word_token_counts_match_the_tokenizer(reference):
    # word2ph counts BERT tokens per word without loading a tokenizer; check the count word by word.
    tokenizer = reference["tokenizer"]
    for text in SENTENCES:
        for word in text_to_words(normalize_text(text))[0]:
            if word not in PUNCTUATIONS:
                assert _bert_token_count(word) == len(tokenizer.tokenize(word)), (text, word)


def test_token_count_for_every_kept_non_ideograph(reference):
    # Every character the normalizer keeps, apart from the (uniform) CJK blocks, in the half-width and
    # full-width forms OpenJTalk may hand back.
    tokenizer = reference["tokenizer"]
    ranges = [(0x3040, 0x30FF), (0x0370, 0x03FF), (0x1F00, 0x1FFF), (0x41, 0x5A), (0x61, 0x7A)]
    ranges += [(0xFF21, 0xFF5A), (0x3005, 0x3005), (0x4E00, 0x4E0F), (0x9FF0, 0x9FFF), (0x3400, 0x340F)]
    for low, high in ranges:
        for code in range(low, high + 1):
            char = chr(code)
            assert _bert_token_count(char) == len(tokenizer.tokenize(char)), hex(code)
            if unicodedata.category(char)[0] != "C":
                assert _bert_token_count(char * 3) == len(tokenizer.tokenize(char * 3)), hex(code)


@pytest.mark.parametrize("text", UNREADABLE)
def test_unreadable_text_raises(reference, text):
    assert reference["normalize"](text) == ""
    with pytest.raises(TextError, match="nothing readable"):
        analyze(text)


@pytest.mark.parametrize("text", REFERENCE_FAILS)
def test_reference_failures_become_text_errors(reference, text):
    with pytest.raises((ValueError, AssertionError)):
        reference["run"](text, True)
    with pytest.raises(TextError):
        analyze(text)


def test_normalizer_parity_on_every_character(reference):
    ref_normalize = reference["normalize"]
    from style_bert_vits2.nlp.japanese.normalizer import replace_punctuation as ref_replace

    for code in range(0x30000):
        if 0xD800 <= code < 0xE000:
            continue
        char = chr(code)
        assert normalize_text(char) == ref_normalize(char), hex(code)
        assert replace_punctuation(char) == ref_replace(char), hex(code)


def test_tables_match_the_reference(reference):
    from style_bert_vits2.nlp.japanese.mora_list import MORA_KATA_TO_MORA_PHONEMES
    from style_bert_vits2.nlp.symbols import LANGUAGE_ID_MAP, LANGUAGE_TONE_START_MAP
    from style_bert_vits2.nlp.symbols import PUNCTUATIONS as REF_PUNCTUATIONS
    from style_bert_vits2.nlp.symbols import SYMBOLS as REF_SYMBOLS

    assert list(SYMBOLS) == REF_SYMBOLS
    assert list(PUNCTUATIONS) == REF_PUNCTUATIONS
    assert JP_TONE_OFFSET == LANGUAGE_TONE_START_MAP["JP"]
    assert JP_LANGUAGE_ID == LANGUAGE_ID_MAP["JP"]
    assert MORA_TABLE == MORA_KATA_TO_MORA_PHONEMES
