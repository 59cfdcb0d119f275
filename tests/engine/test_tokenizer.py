"""The tokenizer stage gives the ids `BertJapaneseTokenizer` gives, on the real vocabulary and on the fixture's."""

from __future__ import annotations

import pytest

from sbv2_studio.engine.text import frontend
from sbv2_studio.engine.tokenizer import CharTokenizer
from sbv2_studio.errors import ModelError, TextError

from ..conftest import FIXTURES, requires_reference
from ..sentences import SENTENCES


def test_worked_example_on_real_vocab(shared_tokenizer_dir):
    tok = CharTokenizer.from_folder(shared_tokenizer_dir)
    fe = frontend.analyze("今日はいい天気ですね。")
    assert tok.encode(fe.bert_text).tolist() == [1, 268, 55, 18, 9, 9, 455, 197, 13, 23, 305, 53, 2]


def test_unknown_characters_become_unk_and_keep_one_id_per_character():
    tok = CharTokenizer.from_folder(FIXTURES / "bert")
    ids = tok.encode("あ\U00020b9fい")  # a rare CJK extension B character, surely not in the vocab
    assert ids[0] == tok.cls_id and ids[-1] == tok.sep_id
    assert len(ids) == 5
    assert ids[2] == tok.unk_id


def test_folder_without_vocab_names_the_file(tmp_path):
    (tmp_path / "model.onnx").write_bytes(b"x")
    with pytest.raises(ModelError, match="vocab.txt"):
        CharTokenizer.from_folder(tmp_path)


def test_wrong_tokenizer_type_is_refused(tmp_path):
    (tmp_path / "vocab.txt").write_text("[PAD]\n[CLS]\n[SEP]\n[UNK]\n[MASK]\n", encoding="utf-8")
    (tmp_path / "tokenizer_config.json").write_text('{"subword_tokenizer_type": "wordpiece"}', encoding="utf-8")
    with pytest.raises(ModelError, match="tokenizer_config.json.*character"):
        CharTokenizer.from_folder(tmp_path)


def _bert_texts() -> list[str]:
    texts = []
    for s in SENTENCES:
        for line in s.split("\n"):
            try:
                texts.append(frontend.analyze(line).bert_text)
            except TextError:
                pass
    return texts


@requires_reference
@pytest.mark.parametrize("which", ["shared", "fixture"])
def test_ids_equal_bert_japanese_tokenizer(which, request):
    from transformers import BertJapaneseTokenizer

    folder = request.getfixturevalue("shared_tokenizer_dir") if which == "shared" else FIXTURES / "bert"
    ours = CharTokenizer.from_folder(folder)
    theirs = BertJapaneseTokenizer.from_pretrained(str(folder))
    texts = _bert_texts()
    # Raw strings the front end never produces still tokenize the same way (whitespace, accents, symbols).
    texts += ["Ｈｅｌｌｏ　ｗｏｒｌｄ", "café naïve", "a\tb\nc", "ｶﾞｷﾞｸﾞ", "①②③", "㍻", "x\u0000y\ufffdz", "αβγ ΑΒΓ"]
    assert len(texts) >= 100
    for text in texts:
        assert ours.encode(text).tolist() == theirs(text)["input_ids"], text
