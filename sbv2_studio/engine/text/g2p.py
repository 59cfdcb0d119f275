"""Japanese grapheme-to-phoneme conversion with accents, as SBV2 models expect it.

OpenJTalk gives two views of a sentence and neither is enough on its own:

* its words (`run_frontend`): surface strings and katakana readings, with the punctuation still in place;
* its full-context labels (`make_label`): phonemes with accent information, but punctuation reduced to
  pauses (`、` and `!!!???` look the same).

So phonemes are built from the word readings (keeping every punctuation mark), and the accent tones are
taken from the labels and laid back onto them. Finally each word's phonemes are spread over its characters
(`word2ph`), which is how BERT features (one row per character) are stretched to phoneme length.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pyopenjtalk

from ...errors import TextError
from .normalize import replace_punctuation
from .symbols import PUNCTUATION_SET, SYMBOL_TO_ID

# --------------------------------------------------------------------------------------------------------
# Mora table: katakana (one or two characters) → (consonant or None, vowel). `ン` and `ッ` count as vowels
# (`N`, `q`). Built from rows so that it stays readable; it has 162 entries.


def _build_mora_table() -> dict[str, tuple[str | None, str]]:
    table: dict[str, tuple[str | None, str]] = {}

    def add(moras: str, consonant: str | None, vowels: str = "aiueo") -> None:
        # `moras` is space-separated, one mora per letter of `vowels`.
        for mora, vowel in zip(moras.split(), vowels, strict=True):
            table[mora] = (consonant, vowel)

    # Plain syllables, a i u e o. Irregular readings (シ, チ, ツ, フ, ...) are overridden just below.
    for consonant, row in {
        None: "アイウエオ", "k": "カキクケコ", "g": "ガギグゲゴ", "s": "サシスセソ", "z": "ザジズゼゾ",
        "t": "タチツテト", "d": "ダヂヅデド", "n": "ナニヌネノ", "h": "ハヒフヘホ", "b": "バビブベボ",
        "p": "パピプペポ", "m": "マミムメモ", "r": "ラリルレロ",
    }.items():  # fmt: skip
        add(" ".join(row), consonant)
    table.update({"シ": ("sh", "i"), "ジ": ("j", "i"), "チ": ("ch", "i"), "ヂ": ("j", "i")})
    table.update({"ツ": ("ts", "u"), "ヅ": ("z", "u"), "フ": ("f", "u"), "ヴ": ("v", "u")})
    add("ヤ ユ ヨ", "y", "auo")
    table.update({"ワ": ("w", "a"), "ヲ": (None, "o"), "ヰ": (None, "i"), "ヱ": (None, "e")})
    table.update({"ン": (None, "N"), "ッ": (None, "q")})
    # Small kana standing on their own are read as their full-size vowel or glide.
    add("ァ ィ ゥ ェ ォ", None)
    add("ャ ュ ョ", "y", "auo")
    table.update({"ヮ": ("w", "a"), "ヶ": ("k", "e")})

    # Palatalized syllables: i-column kana + small ャ ュ ョ ェ.
    for head, consonant in {
        "キ": "ky", "ギ": "gy", "シ": "sh", "ジ": "j", "チ": "ch", "ニ": "ny", "ヒ": "hy", "ビ": "by",
        "ピ": "py", "ミ": "my", "リ": "ry",
    }.items():  # fmt: skip
        add(" ".join(head + small for small in "ャュョェ"), consonant, "auoe")
    # No テェ/デェ, as in the reference table: they read as テ/デ + ェ (t/d e e). pyopenjtalk-plus's labels
    # say `dy e` for デェ, so that word cannot be aligned and raises TextError, as the reference fails too.
    add("テャ テュ テョ", "ty", "auo")
    add("デャ デュ デョ", "dy", "auo")
    add("ヴャ ヴュ ヴョ", "by", "auo")
    # Foreign sounds: consonant kana + small vowel.
    add("ツァ ツィ ツェ ツォ", "ts", "aieo")
    add("ファ フィ フェ フォ", "f", "aieo")
    add("ヴァ ヴィ ヴェ ヴォ", "v", "aieo")
    add("ウィ ウェ ウォ", "w", "ieo")
    table.update({"ティ": ("t", "i"), "ディ": ("d", "i"), "トゥ": ("t", "u"), "ドゥ": ("d", "u")})
    table.update({"スィ": ("s", "i"), "ズィ": ("z", "i"), "イェ": ("y", "e")})
    table.update({"クヮ": ("kw", "a"), "グヮ": ("gw", "a")})
    return table


MORA_TABLE: dict[str, tuple[str | None, str]] = _build_mora_table()

# What `ー` may lengthen when it starts a word: a vowel or the moraic nasal of the word before it.
_LENGTHENABLE = frozenset("aiueoN")
_LONG_MARK = "ー"

# `kw`/`gw` (クヮ/グヮ, historical or dialectal spellings) have no symbol. Standard Japanese merged these
# syllables into カ/ガ (くゎじ → かじ), and a one-for-one swap keeps tones and word2ph untouched, whereas
# a k+w cluster is something no model has ever heard.
_UNSUPPORTED_PHONEMES = {"kw": "k", "gw": "g"}

_KATAKANA = re.compile(r"[\u30a0-\u30ff]+")


# --------------------------------------------------------------------------------------------------------
# Public API


def text_to_words(norm_text: str) -> tuple[list[str], list[str]]:
    """Split normalized text into OpenJTalk's words; return (surface words, readings).

    Surfaces have their punctuation folded like the normalizer does. A reading is katakana, or the
    punctuation itself for punctuation words, or one `'` per character for words OpenJTalk cannot read.
    Example: `私はそう思う!って感じ?` → (["私", "は", "そう", "思う", "!", "って", "感じ", "?"],
    ["ワタシ", "ワ", "ソー", "オモウ", "!", "ッテ", "カンジ", "?"]).
    """
    return _words_and_readings(_run_frontend(norm_text))


def g2p(norm_text: str, use_jp_extra: bool = True) -> tuple[list[str], list[int], list[int]]:
    """Convert normalized text to (phones, tones, word2ph).

    `phones` and `tones` (0 low, 1 high) start and end with the pad `_` (tone 0), and `word2ph` gives, for
    the pad, each character of the BERT text (see `text_to_words`), and the final pad, how many phones
    belong to it. Older (non-JP-Extra) models write the moraic nasal `N` as `n`.

    Raises TextError when OpenJTalk's analysis cannot be turned into phonemes.
    """
    _, phones, tones, word2ph = g2p_with_words(norm_text, use_jp_extra)
    return phones, tones, word2ph


def g2p_with_words(norm_text: str, use_jp_extra: bool = True) -> tuple[list[str], list[str], list[int], list[int]]:
    """`g2p`, also returning the surface words that word2ph counts the characters of (one analysis)."""
    analysis = analyze_moras(norm_text)
    word_phonemes = [[p for mora in moras for p in mora_phonemes(mora)] for moras in analysis.word_moras]
    word2ph = words_to_word2ph(analysis.words, [len(phonemes) for phonemes in word_phonemes], norm_text)
    phones = finish_phones([p for phonemes in word_phonemes for p in phonemes], use_jp_extra, norm_text)
    return analysis.words, phones, [0, *analysis.tones, 0], word2ph


@dataclass(frozen=True)
class MoraAnalysis:
    """One OpenJTalk analysis at mora level, what `g2p` and the query model (engine/query.py) are built from.

    `word_moras[i]` are word i's moras as (katakana text, consonant or None, vowel): punctuation (and what
    OpenJTalk cannot read) is one "mora" per mark, with the mark as its vowel and as its text. `tones` and
    `phrases` have one entry per phoneme (no pads): its tone, and the accent phrase it lies in by OpenJTalk's
    labels (None for punctuation and pauses).
    """

    words: list[str]
    word_moras: list[list[tuple[str, str | None, str]]]
    tones: list[int]
    phrases: list[int | None]


def analyze_moras(norm_text: str) -> MoraAnalysis:
    """Words, their moras, and each phoneme's tone and accent phrase (see MoraAnalysis)."""
    features = _run_frontend(norm_text)
    words, readings = _words_and_readings(features)
    accents = _accented_phonemes(features, norm_text)
    word_moras = _resolve_long_marks([_reading_to_moras(r, norm_text) for r in readings], norm_text)
    phonemes = [p for moras in word_moras for mora in moras for p in mora_phonemes(mora)]
    tones, phrases = _align_tones(phonemes, accents, norm_text)
    return MoraAnalysis(words, word_moras, tones, phrases)


def mora_phonemes(mora: tuple[str, str | None, str]) -> list[str]:
    """A mora's phonemes: [consonant, vowel], or [vowel] (a lone vowel, `N`, `q`, or a punctuation mark)."""
    _, consonant, vowel = mora
    return [consonant, vowel] if consonant else [vowel]


def reading_to_moras(reading: str, context: str) -> list[tuple[str, str | None, str]]:
    """A katakana reading → its moras (text, consonant, vowel), as `g2p` reads a word. Raises TextError (naming
    `context`) for anything that is not katakana or has no phonemes; a leading `ー` is refused here."""
    if not reading or not _KATAKANA.fullmatch(reading):
        raise TextError(f"{context}: {reading!r} is not a katakana reading")
    if reading[0] == _LONG_MARK:
        raise TextError(f"{context}: the reading {reading!r} cannot start with ー")
    return _reading_to_moras(reading, context)


def finish_phones(phonemes: list[str], use_jp_extra: bool, norm_text: str) -> list[str]:
    """Pads around the phonemes, the unsupported ones swapped (kw → k), `N` as `n` for older models; raises
    TextError for a phoneme outside the symbol table."""
    phones = ["_"] + [_UNSUPPORTED_PHONEMES.get(p, p) for p in phonemes] + ["_"]
    if not use_jp_extra:
        phones = ["n" if p == "N" else p for p in phones]
    unknown = sorted({p for p in phones if p not in SYMBOL_TO_ID})
    if unknown:
        raise TextError(f"cannot read {norm_text!r}: it gives phonemes the model does not know ({unknown})")
    return phones


def words_to_word2ph(words: Sequence[str], phone_counts: Sequence[int], norm_text: str) -> list[int]:
    """word2ph (pads included): each word's phones spread over the characters the BERT sees in it."""
    word2ph = [1]
    for word, count in zip(words, phone_counts, strict=True):
        n_chars = 1 if word in PUNCTUATION_SET else _bert_token_count(word)
        word2ph += _spread(count, n_chars, word, norm_text)
    word2ph.append(1)
    return word2ph


# --------------------------------------------------------------------------------------------------------
# Words and readings


def _run_frontend(norm_text: str) -> list[dict[str, Any]]:
    return pyopenjtalk.run_frontend(norm_text)


def _words_and_readings(features: Iterable[dict[str, Any]]) -> tuple[list[str], list[str]]:
    words: list[str] = []
    readings: list[str] = []
    for feature in features:
        word = replace_punctuation(feature["string"])
        reading = feature["pron"].replace("’", "")  # ’ marks a devoiced vowel; the labels carry that
        if not reading:
            raise TextError(f"cannot read {word!r}: OpenJTalk gave it an empty reading")
        if reading == "、":
            # OpenJTalk's reading for punctuation, and for anything it cannot read.
            reading = word if set(word) <= PUNCTUATION_SET else "'" * len(word)
        elif reading in ("？", "！"):
            # pyopenjtalk-plus reads `?` and `!` as the (full-width) mark itself rather than as 、; keep the
            # mark. (The reference expected this of `?` only and fails on `!`.)
            if not word or not set(word) <= PUNCTUATION_SET:
                raise TextError(f"cannot read {word!r}: OpenJTalk read it as {reading!r}")
            reading = word
        words.append(word)
        readings.append(reading)
    return words, readings


def _reading_to_moras(reading: str, norm_text: str) -> list[tuple[str, str | None, str]]:
    """Katakana reading → moras (text, consonant, vowel) by longest match. `ー` repeats the previous vowel (or
    `N`/`q`); a `ー` that starts the reading is left as vowel `ー` for `_resolve_long_marks`."""
    if set(reading) <= PUNCTUATION_SET:
        return [(mark, None, mark) for mark in reading]
    if not _KATAKANA.fullmatch(reading):
        raise TextError(f"cannot read {norm_text!r}: OpenJTalk's reading {reading!r} is not katakana")
    moras: list[tuple[str, str | None, str]] = []
    i = 0
    while i < len(reading):
        if reading[i] == _LONG_MARK:
            moras.append((_LONG_MARK, None, moras[-1][2][-1] if moras else _LONG_MARK))
            i += 1
            continue
        mora = reading[i : i + 2] if reading[i : i + 2] in MORA_TABLE else reading[i]
        if mora not in MORA_TABLE:
            raise TextError(f"cannot read {norm_text!r}: no phonemes for {mora!r} in the reading {reading!r}")
        consonant, vowel = MORA_TABLE[mora]
        moras.append((mora, consonant, vowel))
        i += len(mora)
    return moras


def _resolve_long_marks(
    word_moras: list[list[tuple[str, str | None, str]]], norm_text: str
) -> list[list[tuple[str, str | None, str]]]:
    """A word that starts with `ー` lengthens the last vowel (or `N`) of the word before it; after
    anything else (punctuation, `q`, the start of the text) it is taken for a dash and becomes `-`."""
    for i, moras in enumerate(word_moras):
        if not moras or moras[0][2] != _LONG_MARK:
            continue
        if i == 0:
            fill = "-"
        elif not word_moras[i - 1]:
            raise TextError(f"cannot read {norm_text!r}: a long vowel mark follows a word with no sound")
        else:
            previous = word_moras[i - 1][-1][2]
            fill = previous if previous in _LENGTHENABLE else "-"
        # A dash is a punctuation mark: its own text, like the marks `_reading_to_moras` makes.
        word_moras[i] = [
            (fill if fill == "-" else text, c, fill) if v == _LONG_MARK else (text, c, v) for text, c, v in moras
        ]
    return word_moras


# --------------------------------------------------------------------------------------------------------
# Accents from the full-context labels


def _label_fields(label: str) -> tuple[str, dict[str, str]]:
    """Split an HTS label `p1^p2-p3+p4=p5/A:../B:..` into the current phoneme p3 and its `/X:` fields."""
    head, *rest = label.split("/")
    phoneme = head.split("-", 1)[1].split("+", 1)[0]
    return phoneme, {field[0]: field[2:] for field in rest}


def _number(text: str | None) -> int | None:
    """A label number, or None for `xx` (undefined)."""
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


def _accent_fields(fields: dict[str, str]) -> tuple[int | None, int | None, int | None]:
    """A1 (mora position relative to the accent nucleus), A2/A3 (mora position in the accent phrase,
    counted forward/backward), from `/A:a1+a2+a3`."""
    parts = fields.get("A", "").split("+")
    a1, a2, a3 = (parts + [None, None, None])[:3]
    return _number(a1), _number(a2), _number(a3)


def _prosody_marks(labels: Sequence[str], norm_text: str) -> list[str]:
    """Phonemes with ESPnet-style prosody marks: `^` start, `$` end (`?` for a question), `_` pause,
    `#` accent phrase border, `[` pitch rise, `]` pitch fall. Unvoiced vowels are lower-cased."""
    marks: list[str] = []
    last = len(labels) - 1
    for n, label in enumerate(labels):
        phoneme, fields = _label_fields(label)
        if phoneme in ("A", "E", "I", "O", "U"):
            phoneme = phoneme.lower()
        if phoneme == "sil":
            if n == 0:
                marks.append("^")
            elif n == last:
                # E3: whether the preceding accent phrase is a question.
                question = _number(fields.get("E", "").partition("!")[2].partition("_")[0])
                if question in (0, 1):
                    marks.append("?" if question else "$")
            else:
                raise TextError(f"cannot read {norm_text!r}: OpenJTalk put a silence inside the sentence")
            continue
        if phoneme == "pau":
            marks.append("_")
            continue
        marks.append(phoneme)
        if n == last:
            raise TextError(f"cannot read {norm_text!r}: OpenJTalk's labels do not end in silence")

        a1, a2, a3 = _accent_fields(fields)
        next_a2 = _accent_fields(_label_fields(labels[n + 1])[1])[1]
        moras_in_phrase = _number(fields.get("F", "").partition("_")[0])
        # Last mora of a phrase followed by the first of the next: border. Otherwise a fall right after the
        # accent nucleus (unless the phrase ends there), or a rise from its first to its second mora.
        if a3 == 1 and next_a2 == 1 and phoneme in ("a", "i", "u", "e", "o", "N", "cl"):
            marks.append("#")
        elif a1 == 0 and a2 is not None and next_a2 == a2 + 1 and a2 != moras_in_phrase:
            marks.append("]")
        elif a2 == 1 and next_a2 == 2:
            marks.append("[")
    return marks


def _phrase_tones(phrase: list[tuple[str, int]], number: int, norm_text: str) -> list[tuple[str, int, int]]:
    """Bring one accent phrase's relative pitch levels to 0/1: {0} and {0,1} stay, {-1,0} shifts up. Each
    phoneme gets the phrase's `number` as well."""
    levels = {tone for _, tone in phrase}
    if levels in ({0}, {0, 1}):
        return [(phoneme, tone, number) for phoneme, tone in phrase]
    if levels == {-1, 0}:
        return [(phoneme, tone + 1, number) for phoneme, tone in phrase]
    raise TextError(f"cannot read {norm_text!r}: OpenJTalk gave unexpected accent levels {sorted(levels)}")


def _accented_phonemes(features: list[dict[str, Any]], norm_text: str) -> list[tuple[str, int, int]]:
    """(phoneme, tone, accent phrase number) for every voiced phoneme of the text, without punctuation or
    pauses."""
    labels = pyopenjtalk.make_label(features)
    result: list[tuple[str, int, int]] = []
    number = 0
    phrase: list[tuple[str, int]] = []
    level = 0
    for mark in _prosody_marks(labels, norm_text):
        if mark == "^":
            continue
        if mark in ("$", "?", "_", "#"):
            result += _phrase_tones(phrase, number, norm_text)
            phrase, level, number = [], 0, number + 1
        elif mark == "[":
            level += 1
        elif mark == "]":
            level -= 1
        else:
            phrase.append(("q" if mark == "cl" else mark, level))
    # A phrase that no end mark closed is dropped, like the reference does.
    return result


def _align_tones(
    phones: list[str], accents: list[tuple[str, int, int]], norm_text: str
) -> tuple[list[int], list[int | None]]:
    """Tones and accent phrase numbers for `phones` (punctuation included), walking through `accents`
    (punctuation excluded). Punctuation gets tone 0 and no phrase, and so does anything left over once the
    accents run out."""
    tones: list[int] = []
    phrases: list[int | None] = []
    k = 0
    for phone in phones:
        if k < len(accents) and phone == accents[k][0]:
            tones.append(accents[k][1])
            phrases.append(accents[k][2])
            k += 1
        elif k >= len(accents) or phone in PUNCTUATION_SET:
            tones.append(0)
            phrases.append(None)
        else:
            raise TextError(
                f"cannot read {norm_text!r}: OpenJTalk's reading and its accent labels disagree "
                f"(reading {phone!r}, labels {accents[k][0]!r})"
            )
    return tones, phrases


# --------------------------------------------------------------------------------------------------------
# word2ph


def _bert_token_count(word: str) -> int:
    """How many tokens SBV2's BERT tokenizer (BertJapaneseTokenizer: basic words, then one token per
    character) makes of `word`. It drops control, format and unassigned characters, splits on
    whitespace, and applies NFKC to each piece before taking characters."""
    kept = "".join(c for c in word if c in "\t\n\r" or not unicodedata.category(c).startswith("C"))
    pieces = unicodedata.normalize("NFC", kept).split()
    return sum(len(unicodedata.normalize("NFKC", piece)) for piece in pieces)


def _spread(n_phones: int, n_chars: int, word: str, norm_text: str) -> list[int]:
    """Share a word's phones among its characters as evenly as possible, extra ones going to the first."""
    if n_chars == 0:
        if n_phones:
            raise TextError(f"cannot read {norm_text!r}: the BERT sees no characters in {word!r}")
        return []
    share, extra = divmod(n_phones, n_chars)
    return [share + 1] * extra + [share] * (n_chars - extra)
