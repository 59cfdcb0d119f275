"""Japanese text normalization, matching what SBV2 models saw in training.

After `normalize_text` the text holds only kana, kanji (and 々), Latin and Greek letters and the seven
punctuation marks `! ? … , . ' -` (in practice `…` arrives as `...`).
"""

from __future__ import annotations

import re
import unicodedata

from num2words import num2words

from .symbols import PUNCTUATIONS


def _fold(chars: str, target: str) -> dict[str, str]:
    return dict.fromkeys(chars, target)


# Single characters folded into one of the seven marks. The keys are matched *after* NFKC in
# `normalize_text`, so full-width forms such as `：` never reach this table (NFKC turns it into `:`,
# which is then deleted) - that is the reference behaviour and models were trained on it.
_PUNCTUATION_FOLDS: dict[str, str] = {
    **_fold("：；，·・、", ","),
    **_fold("。．\n$", "."),
    **_fold("！", "!"),
    **_fold("？", "?"),
    **_fold('“”"‘’（）()《》【】[]「」', "'"),
    # The hyphen and dash family; U+2011 is absent because NFKC already turns it into U+2010.
    **_fold("\u02d7\u2010\u2012\u2013\u2014\u2015\u2043\u2212\u23af\u23e4\u2500\u2501\u2e3a\u2e3b", "-"),
}
# Ellipses become three periods; these must be tried before the single characters `·` and `・`.
_ELLIPSES = ("…", "···", "・・・")

_PUNCTUATION_PATTERN = re.compile(
    "|".join(map(re.escape, _ELLIPSES)) + "|[" + "".join(map(re.escape, _PUNCTUATION_FOLDS)) + "]"
)

# Everything OpenJTalk (or the BERT) can do something with; all other characters are deleted.
_KEPT_RANGES = (
    "\u3040-\u309f"  # hiragana
    "\u30a0-\u30ff"  # katakana, including the long vowel mark ー
    "\u4e00-\u9fff\u3400-\u4dbf\u3005"  # CJK ideographs, extension A, 々
    "A-Za-z\uff21-\uff3a\uff41-\uff5a"  # Latin letters, ASCII and full-width
    "\u0370-\u03ff\u1f00-\u1fff"  # Greek and extended Greek
)
_UNKEPT_PATTERN = re.compile("[^" + _KEPT_RANGES + "".join(map(re.escape, PUNCTUATIONS)) + "]+")

_CURRENCY_UNITS = {"$": "ドル", "¥": "円", "£": "ポンド", "€": "ユーロ"}
_GROUPED_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+", re.ASCII)
_PRICE = re.compile(r"([$¥£€])([\d.]*\d)", re.ASCII)
_NUMBER = re.compile(r"\d+(?:\.\d+)?", re.ASCII)

_WAVE_DASHES = str.maketrans({"~": "ー", "～": "ー", "〜": "ー"})
# Combining (han)dakuten left over from e.g. `あ゛`, which NFKC turns into `あ` + U+3099.
_COMBINING_KANA_MARKS = str.maketrans("", "", "\u3099\u309a")


def _spell_numbers(text: str) -> str:
    """Write numbers as Japanese words: `1,100円` → `千百円`, `$5` → `五ドル`, `52.34` → `五十二点三四`."""
    text = _GROUPED_NUMBER.sub(lambda m: m[0].replace(",", ""), text)
    text = _PRICE.sub(lambda m: m[2] + _CURRENCY_UNITS[m[1]], text)
    return _NUMBER.sub(lambda m: _number_words(m[0]), text)


# num2words names Japanese numbers up to 10^51 - 1 (極) and raises OverflowError beyond; the reference then fails
# the whole request. A longer number is read digit by digit instead, like the digits after a decimal point.
_DIGIT_WORDS = dict(zip("0123456789.", ("零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "点"), strict=True))
_MAX_NAMED_DIGITS = 51  # (compared as a digit count: int() refuses strings over 4,300 digits)


def _number_words(number: str) -> str:
    if len(number.partition(".")[0].lstrip("0")) <= _MAX_NAMED_DIGITS:
        return num2words(number, lang="ja")
    return "".join(map(_DIGIT_WORDS.__getitem__, number))


def replace_punctuation(text: str) -> str:
    """Fold punctuation into the seven marks and delete every character that cannot be read."""
    text = _PUNCTUATION_PATTERN.sub(lambda m: "..." if m[0] in _ELLIPSES else _PUNCTUATION_FOLDS[m[0]], text)
    return _UNKEPT_PATTERN.sub("", text)


def normalize_text(text: str) -> str:
    """Normalize Japanese text the way SBV2 does before G2P (and before BERT).

    NFKC (full-width letters and digits become ASCII), numbers and prices to words, wave dashes to `ー`,
    punctuation folded, unreadable characters (spaces, emoji, other scripts) deleted.
    """
    text = unicodedata.normalize("NFKC", text)
    text = _spell_numbers(text)
    text = text.translate(_WAVE_DASHES)
    text = replace_punctuation(text)
    return text.translate(_COMBINING_KANA_MARKS)
