"""The Japanese text front end in one call: text → everything the BERT and the synthesizer need."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ...errors import TextError
from .g2p import g2p_with_words
from .normalize import normalize_text
from .sequence import add_blanks, language_ids, phones_to_ids, tones_to_ids

if TYPE_CHECKING:
    from ..query import AudioQuery


@dataclass(frozen=True)
class FrontendResult:
    """One line of text, analyzed.

    `phones`, `tones` and `word2ph` are without blanks; `x_tst`, `tone_ids`, `language_ids` (int64 arrays)
    and `word2ph_blank` are with them, ready for the synthesizer. `bert_text` is what the BERT reads: one
    character per `word2ph` entry between the two pads.
    """

    text: str
    normalized: str
    phones: list[str]
    tones: list[int]
    word2ph: list[int]
    bert_text: str
    x_tst: np.ndarray
    tone_ids: np.ndarray
    language_ids: np.ndarray
    word2ph_blank: list[int]

    def to_json_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values (lists of ints instead of arrays)."""
        return {
            "text": self.text,
            "normalized": self.normalized,
            "phones": list(self.phones),
            "tones": list(self.tones),
            "word2ph": list(self.word2ph),
            "bert_text": self.bert_text,
            "x_tst": self.x_tst.tolist(),
            "tone_ids": self.tone_ids.tolist(),
            "language_ids": self.language_ids.tolist(),
            "word2ph_blank": list(self.word2ph_blank),
        }


def analyze(text: str, *, use_jp_extra: bool = True) -> FrontendResult:
    """Normalize, convert to phonemes with accents, and build the id sequences for one line of text.

    `use_jp_extra=False` targets older (non-JP-Extra) models, which write the moraic nasal as `n`.
    Raises TextError when nothing readable is left or OpenJTalk's analysis cannot be used.
    """
    normalized = normalize_text(text)
    if not normalized:
        raise TextError(f"the text has nothing readable after normalization: {text!r}")

    words, phones, tones, word2ph = g2p_with_words(normalized, use_jp_extra)
    return _result(text, normalized, "".join(words), phones, tones, word2ph)


def from_query(query: AudioQuery, *, use_jp_extra: bool = True) -> FrontendResult:
    """What `analyze` gives, but with the phones and tones of an (edited) query; the BERT still reads the text's
    words. Raises TextError for a query that cannot be spoken."""
    query.validate()
    phones, tones, word2ph = query.phones_tones_word2ph(use_jp_extra)
    return _result(query.text, normalize_text(query.text), query.bert_text, phones, tones, word2ph)


def _result(
    text: str, normalized: str, bert_text: str, phones: list[str], tones: list[int], word2ph: list[int]
) -> FrontendResult:
    if len(bert_text) + 2 != len(word2ph):
        # The BERT gives one row per character; if a word's characters and its token count differ, the
        # rows cannot be matched to phonemes.
        raise TextError(f"cannot read {text!r}: the characters of {bert_text!r} cannot be matched to phonemes")

    phone_ids = phones_to_ids(phones)
    x_tst, tone_ids, lang_ids, word2ph_blank = add_blanks(
        phone_ids, tones_to_ids(tones), language_ids(len(phone_ids)), word2ph
    )
    return FrontendResult(
        text=text,
        normalized=normalized,
        phones=phones,
        tones=tones,
        word2ph=word2ph,
        bert_text=bert_text,
        x_tst=np.asarray(x_tst, dtype=np.int64),
        tone_ids=np.asarray(tone_ids, dtype=np.int64),
        language_ids=np.asarray(lang_ids, dtype=np.int64),
        word2ph_blank=word2ph_blank,
    )
