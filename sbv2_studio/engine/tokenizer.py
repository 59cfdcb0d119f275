"""The DeBERTa tokenizer stage: `BertJapaneseTokenizer` semantics (word tokenizer `basic`, subword tokenizer
`character`) read from the tokenizer files of a BERT folder, without transformers.

The `tokenizer.json` that exports write is not equivalent on whole strings (a run of kana becomes one [UNK]),
so it is never used: the slow tokenizer's steps are reproduced here.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import numpy as np

from ..errors import ModelError

SPECIAL_TOKENS = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")


def _is_control(ch: str) -> bool:
    if ch in "\t\n\r":
        return False
    return unicodedata.category(ch).startswith("C")


def _is_whitespace(ch: str) -> bool:
    return ch in " \t\n\r" or unicodedata.category(ch) == "Zs"


def _is_punctuation(ch: str) -> bool:
    cp = ord(ch)
    # ASCII symbols count as punctuation for BERT even where Unicode calls them symbols ($, ^, `…).
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


class CharTokenizer:
    """One id per character, framed by [CLS] … [SEP]; characters outside the vocabulary become [UNK]."""

    def __init__(self, vocab: dict[str, int], *, do_lower_case: bool = False, normalize_text: bool = True):
        missing = [t for t in SPECIAL_TOKENS if t not in vocab]
        if missing:
            raise ValueError(f"vocabulary lacks special tokens {missing}")
        self.vocab = vocab
        self.do_lower_case = do_lower_case
        self.normalize_text = normalize_text
        self.cls_id = vocab["[CLS]"]
        self.sep_id = vocab["[SEP]"]
        self.unk_id = vocab["[UNK]"]

    @classmethod
    def from_folder(cls, folder: str | Path) -> CharTokenizer:
        folder = Path(folder)
        vocab_path = folder / "vocab.txt"
        if not vocab_path.is_file():
            raise ModelError(vocab_path, "the BERT folder has no tokenizer vocabulary (vocab.txt)")
        config_path = folder / "tokenizer_config.json"
        config: dict = {}
        if config_path.is_file():
            from ..models.formats import read_json_object

            config = read_json_object(config_path)
            if config.get("subword_tokenizer_type", "character") != "character":
                raise ModelError(
                    config_path,
                    f"subword tokenizer '{config.get('subword_tokenizer_type')}' is not the character tokenizer "
                    "that SBV2's Japanese DeBERTa uses",
                )
            if config.get("word_tokenizer_type", "basic") != "basic":
                raise ModelError(
                    config_path, f"word tokenizer '{config.get('word_tokenizer_type')}' is not supported (basic only)"
                )
        try:
            tokens = vocab_path.read_text(encoding="utf-8").split("\n")
        except UnicodeDecodeError as exc:
            raise ModelError(vocab_path, f"not UTF-8 text ({exc})") from exc
        except OSError as exc:
            raise ModelError(vocab_path, f"cannot be read ({exc.strerror or exc})") from exc
        if tokens and tokens[-1] == "":
            tokens.pop()
        vocab: dict[str, int] = {}
        for index, token in enumerate(tokens):
            vocab.setdefault(token.rstrip("\r"), index)  # first occurrence wins, as in the slow tokenizer
        try:
            return cls(vocab, do_lower_case=bool(config.get("do_lower_case", False)))
        except ValueError as exc:
            raise ModelError(vocab_path, str(exc)) from exc

    def _basic_tokens(self, text: str) -> list[str]:
        """The basic word tokenizer: clean, NFC, split on whitespace and punctuation (CJK splitting is
        implied: the character tokenizer splits everything anyway)."""
        cleaned = "".join(
            " " if _is_whitespace(c) else c for c in text if not (c == "\x00" or c == "\ufffd" or _is_control(c))
        )
        tokens: list[str] = []
        for word in unicodedata.normalize("NFC", cleaned).split():
            if self.do_lower_case:
                word = _strip_accents(word.lower())
            current = ""
            for ch in word:
                if _is_punctuation(ch):
                    if current:
                        tokens.append(current)
                    tokens.append(ch)
                    current = ""
                else:
                    current += ch
            if current:
                tokens.append(current)
        return tokens

    def tokenize(self, text: str) -> list[str]:
        out: list[str] = []
        for token in self._basic_tokens(text):
            if self.normalize_text:
                token = unicodedata.normalize("NFKC", token)
            out.extend(ch if ch in self.vocab else "[UNK]" for ch in token)
        return out

    def encode(self, text: str) -> np.ndarray:
        """int64 ids `[CLS] … [SEP]` for `text`."""
        ids = [self.cls_id]
        ids.extend(self.vocab.get(t, self.unk_id) for t in self.tokenize(text))
        ids.append(self.sep_id)
        return np.asarray(ids, dtype=np.int64)
