"""Phones and tones → the id sequences the synthesizer takes, with SBV2's blank interleaving."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from ...errors import TextError
from .symbols import JP_LANGUAGE_ID, JP_TONE_OFFSET, SYMBOL_TO_ID

T = TypeVar("T")

BLANK_ID = 0


def phones_to_ids(phones: Sequence[str]) -> list[int]:
    """Symbol ids of `phones`; raises TextError for a phone outside the 112-symbol table."""
    try:
        return [SYMBOL_TO_ID[phone] for phone in phones]
    except KeyError as error:
        raise TextError(f"the phoneme {error.args[0]!r} is not in the model's symbol table") from None


def tones_to_ids(tones: Sequence[int]) -> list[int]:
    """Japanese tones 0/1 → tone ids 6/7 (the tone embedding is shared with Chinese and English)."""
    return [JP_TONE_OFFSET + tone for tone in tones]


def language_ids(length: int) -> list[int]:
    """The Japanese language id for every phone."""
    return [JP_LANGUAGE_ID] * length


def intersperse(items: Sequence[T], blank: T) -> list[T]:
    """`blank` before, between and after the items: [a, b] → [blank, a, blank, b, blank]."""
    result = [blank]
    for item in items:
        result += (item, blank)
    return result


def add_blanks(
    phone_ids: Sequence[int], tone_ids: Sequence[int], lang_ids: Sequence[int], word2ph: Sequence[int]
) -> tuple[list[int], list[int], list[int], list[int]]:
    """Interleave blanks (id 0) into the three id sequences, as models trained with `add_blank` expect.

    Each character now also owns the blank after each of its phones, so word2ph doubles; the first entry
    takes the leading blank as well, which keeps sum(word2ph) equal to the sequence length.
    """
    blank_word2ph = [2 * count for count in word2ph]
    if blank_word2ph:
        blank_word2ph[0] += 1
    return (
        intersperse(phone_ids, BLANK_ID),
        intersperse(tone_ids, BLANK_ID),
        intersperse(lang_ids, BLANK_ID),
        blank_word2ph,
    )
