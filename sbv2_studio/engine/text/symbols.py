"""The symbol table SBV2 models were trained with, and the Japanese tone/language constants.

The table is shared by all three languages of the original Bert-VITS2: id 0 is the pad/blank symbol, then
the phonemes of Chinese, Japanese and English merged and sorted, then the punctuation marks and two special
tokens. Model embeddings are indexed by these ids, so the order must never change.
"""

from __future__ import annotations

PAD = "_"

# The seven marks every punctuation character is folded into by the normalizer, in table order.
PUNCTUATIONS: tuple[str, ...] = ("!", "?", "…", ",", ".", "'", "-")
PUNCTUATION_SET = frozenset(PUNCTUATIONS)

# Sorted union of the Chinese, Japanese and English phoneme inventories (ids 1-102). Only some of these
# are Japanese; the rest are kept because the ids of everything after them depend on them.
_PHONEMES = (
    "AA E EE En N OO V a a: aa ae ah ai an ang ao aw ay b by c ch d dh dy e e: eh ei en eng er ey f g gy "
    "h hh hy i i0 i: ia ian iang iao ie ih in ing iong ir iu iy j jh k ky l m my n ng ny o o: ong ou ow "
    "oy p py q r ry s sh t th ts ty u u: ua uai uan uang uh ui un uo uw v van ve vn w x y z zh zy"
).split()

SYMBOLS: tuple[str, ...] = (PAD, *_PHONEMES, *PUNCTUATIONS, "SP", "UNK")
SYMBOL_TO_ID: dict[str, int] = {symbol: index for index, symbol in enumerate(SYMBOLS)}

# Chinese owns tones 0-5, Japanese 6-7 (low/high), English 8-11.
JP_TONE_OFFSET = 6
JP_LANGUAGE_ID = 1

assert len(SYMBOLS) == 112 and len(SYMBOL_TO_ID) == 112, "the symbol table must keep its 112 entries"
