"""The user dictionary: words change OpenJTalk's reading and accent at once, persist in VOICEVOX's format,
bad words are refused naming the field, a broken file is kept aside, writes are atomic."""

from __future__ import annotations

import json
import os

import pytest

from sbv2_studio.engine.query import AudioQuery
from sbv2_studio.engine.text import user_dict
from sbv2_studio.engine.text.g2p import g2p, text_to_words
from sbv2_studio.engine.text.user_dict import UserDictionary, UserWord, mora_count
from sbv2_studio.errors import DictionaryError, StudioError


@pytest.fixture
def dictionary(tmp_path, monkeypatch):
    monkeypatch.setenv("SBV2_STUDIO_HOME", str(tmp_path / "home"))
    d = UserDictionary(tmp_path / "home" / "user_dict.json")
    yield d
    user_dict.deactivate()  # OpenJTalk is process-wide: leave it as the other tests expect it


def test_a_word_changes_the_reading_and_accent_at_once(dictionary):
    assert text_to_words("菊池さん")[1][0] == "キクチ"
    before = g2p("菊池さん")
    word_id = dictionary.add(UserWord("菊池", "キクイケ", 1))
    words, readings = text_to_words("菊池さん")
    assert (words[0], readings[0]) == ("菊池", "キクイケ")
    phones, tones, _ = g2p("菊池さん")
    assert phones[1:8] == ["k", "i", "k", "u", "i", "k", "e"] and phones != before[0]
    assert tones[1:3] == [1, 1] and tones[3:8] == [0, 0, 0, 0, 0]  # accent 1: high on キ only, falling after
    # the accent type is OpenJTalk's: flat (0) rises after the first mora and stays
    dictionary.update(word_id, UserWord("菊池", "キクイケ", 0))
    assert g2p("菊池さん")[1][1:8] == [0, 0, 1, 1, 1, 1, 1]
    # the query model reads with it too
    assert AudioQuery.from_text("菊池さん").accent_phrases[0].reading.startswith("キクイケ")
    dictionary.remove(word_id)
    assert g2p("菊池さん") == before


def test_ascii_and_digits_match_as_the_normalizer_writes_them(dictionary):
    dictionary.add(UserWord("SBV2", "エスビーブイツー", 5, "COMMON_NOUN"))
    from sbv2_studio.engine.text.normalize import normalize_text

    assert "エスビーブイツー" in text_to_words(normalize_text("SBV2で話す。"))[1]


def test_words_persist_in_voicevox_format(dictionary):
    word_id = dictionary.add(UserWord("鬼滅", "キメツ", 0, "PROPER_NOUN", priority=7))
    data = json.loads(dictionary.path.read_text("utf-8"))
    entry = data[word_id]
    assert entry["surface"] == "鬼滅" and entry["pronunciation"] == "キメツ" and entry["yomi"] == "キメツ"
    assert (entry["accent_type"], entry["mora_count"], entry["priority"]) == (0, 3, 7)
    assert (entry["part_of_speech"], entry["part_of_speech_detail_1"], entry["context_id"]) == (
        "名詞",
        "固有名詞",
        1348,
    )
    again = UserDictionary(dictionary.path)
    assert again.words == {word_id: UserWord("鬼滅", "キメツ", 0, "PROPER_NOUN", 7)}
    assert again.notices == []


@pytest.mark.parametrize(
    "word, field",
    [
        (UserWord("", "キクチ", 1), "surface"),
        (UserWord("  ", "キクチ", 1), "surface"),
        (UserWord("a,b", "キクチ", 1), "surface"),
        (UserWord("菊池", "きくち", 1), "pronunciation"),
        (UserWord("菊池", "kikuchi", 1), "pronunciation"),
        (UserWord("菊池", "", 1), "pronunciation"),
        (UserWord("菊池", "ーキ", 1), "pronunciation"),
        (UserWord("菊池", "キクチ", 4), "accent_type"),
        (UserWord("菊池", "キクチ", -1), "accent_type"),
        (UserWord("菊池", "キクチ", 1, "NOUNISH"), "word_type"),
        (UserWord("菊池", "キクチ", 1, priority=11), "priority"),
    ],
)
def test_bad_words_are_refused_naming_the_field(dictionary, word, field):
    dictionary.add(UserWord("鬼滅", "キメツ", 0))
    saved = dictionary.path.read_bytes()
    with pytest.raises(DictionaryError, match=f"^{field}: ") as caught:
        dictionary.add(word)
    assert caught.value.field == field
    assert dictionary.path.read_bytes() == saved and len(dictionary.words) == 1


def test_mora_count_joins_small_kana():
    assert mora_count("キャット") == 3  # キャ ッ ト
    assert mora_count("トーキョー") == 4
    assert mora_count("ファイル") == 3


def test_a_corrupt_file_is_moved_aside_and_reported(tmp_path):
    path = tmp_path / "user_dict.json"
    path.write_text('{"a": {"surface": "菊池", ', "utf-8")  # cut off mid-write by something else
    d = UserDictionary(path)
    assert d.words == {} and len(d.notices) == 1 and "moved to" in d.notices[0]
    kept = list(tmp_path.glob("user_dict.broken-*.json"))
    assert len(kept) == 1 and kept[0].read_text("utf-8") == '{"a": {"surface": "菊池", '
    assert not path.exists()
    try:
        d.add(UserWord("菊池", "キクチ", 1))
        assert path.exists() and kept[0].exists()  # a new file; the broken one stays
    finally:
        user_dict.deactivate()


def test_bad_entries_are_left_out_and_the_file_kept(tmp_path):
    path = tmp_path / "user_dict.json"
    good = UserWord("鬼滅", "キメツ", 0).to_voicevox()
    bad = {**good, "pronunciation": "きめつ"}
    path.write_text(json.dumps({"good": good, "bad": bad}, ensure_ascii=False), "utf-8")
    d = UserDictionary(path)
    assert list(d.words) == ["good"]
    assert "bad: pronunciation" in d.notices[0]
    (kept,) = tmp_path.glob("user_dict.broken-*.json")
    assert set(json.loads(kept.read_text("utf-8"))) == {"good", "bad"}


def test_import_and_export_voicevox_json(dictionary, tmp_path):
    dictionary.add(UserWord("鬼滅", "キメツ", 0))
    dictionary.add(UserWord("走る", "ハシル", 2, "VERB", 3))
    out = tmp_path / "export.json"
    dictionary.export_voicevox(out)
    other = UserDictionary(tmp_path / "other.json")
    assert other.import_voicevox(out) == 2
    assert other.words == dictionary.words
    # all or nothing: one bad word refuses the file, naming it
    broken = json.loads(out.read_text("utf-8"))
    first = next(iter(broken))
    broken[first]["accent_type"] = 9
    (tmp_path / "broken.json").write_text(json.dumps(broken, ensure_ascii=False), "utf-8")
    third = UserDictionary(tmp_path / "third.json")
    with pytest.raises(DictionaryError, match=f"word {first}: accent_type"):
        third.import_voicevox(tmp_path / "broken.json")
    assert third.words == {} and not (tmp_path / "third.json").exists()
    (tmp_path / "nonsense.json").write_text("nope", "utf-8")
    with pytest.raises(StudioError, match="nonsense.json: not a VOICEVOX user dictionary"):
        third.import_voicevox(tmp_path / "nonsense.json")
    with pytest.raises(StudioError, match="missing.json: cannot be read"):
        third.import_voicevox(tmp_path / "missing.json")


def test_a_failed_write_leaves_the_old_file_whole(dictionary, monkeypatch):
    dictionary.add(UserWord("鬼滅", "キメツ", 0))
    saved = dictionary.path.read_bytes()

    def fail(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(DictionaryError, match="cannot be written"):
        dictionary.add(UserWord("菊池", "キクチ", 1))
    assert dictionary.path.read_bytes() == saved
    assert [p.name for p in dictionary.path.parent.iterdir() if p.name.endswith(".tmp")] == []
    assert len(dictionary.words) == 1
