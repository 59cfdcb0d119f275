"""The query model: built from text it is today's front end, edits change exactly what they say, and the one
synthesis path speaks an edited query (phones and tones from it, BERT from the text)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from sbv2_studio.engine.params import SynthesisParams
from sbv2_studio.engine.query import AudioQuery, accent_pitches
from sbv2_studio.engine.synthesis import SynthesisPlan
from sbv2_studio.engine.text.g2p import g2p_with_words
from sbv2_studio.engine.text.normalize import normalize_text
from sbv2_studio.errors import TextError

from ..sentences import SENTENCES

DETERMINISTIC = dict(noise=0.0, sdp_ratio=0.0, seed=1)  # a fixed seed: the seed feed is the same too


def _readable(sentences):
    for text in sentences:
        normalized = normalize_text(text)
        if not normalized:
            continue
        try:
            g2p_with_words(normalized)
        except TextError:
            continue
        yield text


READABLE = list(_readable(SENTENCES))


def test_the_corpus_is_large_enough_to_mean_something():
    assert len(READABLE) > 150


@pytest.mark.parametrize("use_jp_extra", [True, False], ids=["jp-extra", "legacy"])
def test_query_from_text_is_the_front_end_for_every_sentence(use_jp_extra):
    for text in READABLE:
        _, phones, tones, word2ph = g2p_with_words(normalize_text(text), use_jp_extra)
        query = AudioQuery.from_text(text)
        assert query.phones_tones_word2ph(use_jp_extra) == (phones, tones, word2ph), text
        # and it survives its JSON form, in either spelling of the moraic nasal
        again = AudioQuery.from_json(query.to_json(use_jp_extra=use_jp_extra))
        assert again.phones_tones_word2ph(use_jp_extra) == (phones, tones, word2ph), text
        assert again.to_dict() == query.to_dict(), text


def test_unreadable_text_is_refused_like_the_front_end():
    for text in ["", "😀", "デェ"]:
        with pytest.raises(TextError):
            AudioQuery.from_text(text)


def test_voicevox_shape_and_accents():
    query = AudioQuery.from_text("今日はいい天気ですね。")
    data = json.loads(query.to_json())
    assert set(data) >= {"accent_phrases", "speedScale", "pitchScale", "intonationScale", "volumeScale",
                         "prePhonemeLength", "postPhonemeLength", "outputSamplingRate", "outputStereo", "kana"}  # fmt: skip
    first = data["accent_phrases"][0]
    assert set(first) == {"moras", "accent", "pause_mora", "is_interrogative"}
    assert set(first["moras"][0]) >= {"text", "consonant", "consonant_length", "vowel", "vowel_length", "pitch"}
    readings = [p.reading for p in query.accent_phrases]
    assert readings == ["キョーワ", "イイ", "テンキデスネ"]
    assert [p.accent for p in query.accent_phrases] == [1, 2, 1]
    assert data["accent_phrases"][-1]["pause_mora"]["text"] == "."
    assert data["accent_phrases"][-1]["pause_mora"]["vowel"] == "pau"
    assert query.kana == "キョ'ーワ/イイ'/テ'ンキデスネ"
    assert AudioQuery.from_text("本当ですか？").accent_phrases[-1].is_interrogative


def test_accent_pitches_follow_the_tokyo_pattern():
    assert accent_pitches(4, 1) == [1, 0, 0, 0]
    assert accent_pitches(4, 2) == [0, 1, 0, 0]
    assert accent_pitches(4, 4) == accent_pitches(4, 0) == [0, 1, 1, 1]
    with pytest.raises(TextError, match="outside 0..4"):
        accent_pitches(4, 5)


def test_an_accent_edit_changes_tones_only():
    query = AudioQuery.from_text("今日はいい天気ですね。")
    phones, tones, word2ph = query.phones_tones_word2ph()
    query.set_accent(2, 3)  # テンキデスネ: 1 → 3
    new_phones, new_tones, new_word2ph = query.phones_tones_word2ph()
    assert (new_phones, new_word2ph) == (phones, word2ph)
    assert new_tones != tones
    assert [m.pitch for m in query.accent_phrases[2].moras] == [0, 1, 1, 0, 0, 0]


def test_a_reading_edit_changes_phones_and_keeps_the_bert_alignment():
    query = AudioQuery.from_text("菊池さんは学生です。")
    before = query.phones_tones_word2ph()
    target = next(i for i, p in enumerate(query.accent_phrases) if p.reading.startswith("キクチ"))
    query.set_reading(target, "キクイケサンワ")
    phones, tones, word2ph = query.phones_tones_word2ph()
    assert phones != before[0] and "k" in phones
    assert len(phones) == len(tones) == sum(word2ph)
    assert len(word2ph) == len(before[2])  # one entry per BERT character, as before
    with pytest.raises(TextError, match="reading of accent phrase 0"):
        query.set_reading(0, "kikuchi")
    with pytest.raises(TextError, match="not a katakana reading"):
        query.set_reading(0, "きくち")


def test_split_and_join_move_the_accent_boundaries():
    query = AudioQuery.from_text("今日はいい天気ですね。")
    phones, _, word2ph = query.phones_tones_word2ph()
    query.split_phrase(2, 3)  # テンキ / デスネ
    assert [p.reading for p in query.accent_phrases] == ["キョーワ", "イイ", "テンキ", "デスネ"]
    assert query.accent_phrases[3].pause is not None and query.accent_phrases[2].pause is None
    # テンキ keeps its nucleus (1); the all-low デスネ becomes a phrase of its own: it rises after its first mora
    assert [m.pitch for m in query.accent_phrases[2].moras] == [1, 0, 0]
    assert [m.pitch for m in query.accent_phrases[3].moras] == [0, 1, 1]
    assert query.phones_tones_word2ph()[0] == phones and query.phones_tones_word2ph()[2] == word2ph
    query.join_phrases(0)
    assert [p.reading for p in query.accent_phrases] == ["キョーワイイ", "テンキ", "デスネ"]
    assert query.accent_phrases[0].accent == 1
    with pytest.raises(TextError, match="ends in punctuation"):
        AudioQuery.from_text("はい、そうです。").join_phrases(0)


@pytest.mark.parametrize(
    "mutate, field",
    [
        (lambda d: d["accent_phrases"][0]["moras"][0].update(pitch=2), "pitch"),
        (lambda d: d["accent_phrases"][0]["moras"][0].update(word=99), "word 99"),
        (lambda d: d["accent_phrases"][0]["moras"][0].pop("vowel"), "moras\\[0\\]"),
        (lambda d: d["accent_phrases"][-1]["pause_mora"].update(text="x"), "pause_mora"),
        (lambda d: d.pop("words"), "words"),
        (lambda d: d["accent_phrases"][0]["moras"][0].update(consonant="xx"), "xx"),
    ],
)
def test_a_bad_query_names_the_field(mutate, field):
    data = AudioQuery.from_text("今日はいい天気ですね。").to_dict()
    mutate(data)
    with pytest.raises(TextError, match=field):
        AudioQuery.from_dict(data)


# --- through the one synthesis path ------------------------------------------------------------------------------


def _capture_synth(pipeline, monkeypatch):
    fed: list[dict[str, np.ndarray]] = []
    session = pipeline.synth.session
    original = session.run

    def run(names, feeds):
        fed.append({k: np.array(v) for k, v in feeds.items()})
        return original(names, feeds)

    monkeypatch.setattr(session, "run", run)
    return fed


@pytest.mark.parametrize("voice", ["jp_extra_pipeline", "legacy_pipeline"])
def test_an_unedited_query_speaks_exactly_as_its_text(voice, request, monkeypatch):
    pipeline = request.getfixturevalue(voice)
    fed = _capture_synth(pipeline, monkeypatch)
    text = "菊池さんは学生です。"
    params = SynthesisParams(**DETERMINISTIC)
    from_text = pipeline.synthesize(text, params)
    from_query = pipeline.synthesize(AudioQuery.from_text(text), params)
    assert len(fed) == 2
    assert fed[0].keys() == fed[1].keys()
    assert all(np.array_equal(fed[0][k], fed[1][k]) for k in fed[0])
    assert np.array_equal(from_text.audio, from_query.audio)


def test_an_accent_edit_changes_exactly_the_tone_input(jp_extra_pipeline, monkeypatch):
    fed = _capture_synth(jp_extra_pipeline, monkeypatch)
    query = AudioQuery.from_text("今日はいい天気ですね。")
    params = SynthesisParams(**DETERMINISTIC)
    jp_extra_pipeline.synthesize(query, params)
    edited = query.copy()
    phrase = edited.accent_phrases[2]
    flipped = edited.flip_pitch(2, 3)  # デ of テンキデスネ: low → high
    assert flipped == 1
    jp_extra_pipeline.synthesize(edited, params)
    before, after = fed
    assert before.keys() == after.keys()
    assert [k for k in before if not np.array_equal(before[k], after[k])] == ["tones"]
    # the changed tone ids are exactly デ's two phonemes (d, e), blanks interleaved: positions 2i+1
    phonemes_before = sum(len(m.phonemes) for p in query.accent_phrases[:2] for m in p.moras)
    phonemes_before += sum(len(m.phonemes) for m in phrase.moras[:3])
    first = 1 + phonemes_before  # after the leading pad
    changed = np.flatnonzero(before["tones"][0] != after["tones"][0]).tolist()
    assert changed == [2 * first + 1, 2 * (first + 1) + 1]
    assert (after["tones"][0][changed] == 7).all()  # high (tone 1 + the Japanese offset 6)


def test_a_query_is_one_segment_among_text_lines(jp_extra_pipeline):
    params = SynthesisParams(**DETERMINISTIC)
    query = AudioQuery.from_text("二行目です。")
    query.set_accent(0, 2)
    mixed = jp_extra_pipeline.stream(["一行目です。", query], params, SynthesisPlan.whole()).collect()
    assert mixed.segments == ["一行目です。", "二行目です。"] and mixed.line_count == 2
    alone = jp_extra_pipeline.synthesize(query, params)
    assert np.array_equal(mixed.lines[1].tone_ids, alone.lines[0].tone_ids)
    assert not np.array_equal(
        alone.lines[0].tone_ids, jp_extra_pipeline.synthesize("二行目です。", params).lines[0].tone_ids
    )


def test_the_builtin_voice_refuses_a_query_with_a_message():
    from sbv2_studio.engine.builtin import OpenJTalkVoice

    with pytest.raises(TextError, match="speaks text only"):
        OpenJTalkVoice().synthesize(AudioQuery.from_text("こんにちは。"))
