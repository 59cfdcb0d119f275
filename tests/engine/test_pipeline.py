"""The SBV2 pipeline on the generated fixtures: audio, timings, providers, lines, parameters, bad input."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf

from sbv2_studio.engine.pipeline import STAGES, Pipeline, SynthesisParams
from sbv2_studio.engine.synthesis import SynthesisPlan
from sbv2_studio.errors import ParameterError, TextError

from ..conftest import FIXTURES

DETERMINISTIC = dict(noise=0.0, sdp_ratio=0.0)


@pytest.fixture
def jp_extra(jp_extra_pipeline) -> Pipeline:
    return jp_extra_pipeline


def test_result_carries_audio_timings_and_providers(jp_extra, tmp_path):
    result = jp_extra.synthesize("今日はいい天気ですね。", SynthesisParams(**DETERMINISTIC))
    assert result.sample_rate == 44100
    assert result.audio.dtype == np.float32 and result.audio.size > 0
    assert np.isfinite(result.audio).all()
    assert list(result.timings_ms) == list(STAGES)
    assert all(ms > 0 for ms in result.timings_ms.values())
    assert result.total_ms >= sum(result.timings_ms.values()) * 0.99
    assert result.ran_on == {"bert": "CPU", "synthesize": "CPU"}
    assert result.audio_seconds == pytest.approx(len(result.audio) / 44100)
    assert result.rtf == pytest.approx(result.total_ms / 1000 / result.audio_seconds)
    # Saved as peak-normalized 16-bit PCM.
    out = result.save(tmp_path / "out.wav")
    data, sr = sf.read(out, dtype="int16")
    info = sf.info(out)
    assert (sr, info.subtype, info.channels) == (44100, "PCM_16", 1)
    assert np.abs(data).max() == 32767
    assert np.array_equal(data, result.pcm16)


def test_noise_off_is_deterministic_and_parameters_change_the_audio(jp_extra):
    a = jp_extra.synthesize("こんにちは。", SynthesisParams(**DETERMINISTIC)).audio
    b = jp_extra.synthesize("こんにちは。", SynthesisParams(**DETERMINISTIC)).audio
    assert np.array_equal(a, b)
    slow = jp_extra.synthesize("こんにちは。", SynthesisParams(length=2.0, **DETERMINISTIC)).audio
    assert len(slow) > len(a) * 1.5
    other_speaker = jp_extra.synthesize("こんにちは。", SynthesisParams(speaker=1, **DETERMINISTIC)).audio
    assert not np.allclose(other_speaker[: len(a)], a[: len(other_speaker)])
    happy = jp_extra.synthesize("こんにちは。", SynthesisParams(style="Happy", style_weight=5.0, **DETERMINISTIC))
    assert not np.array_equal(happy.audio[: len(a)], a[: len(happy.audio)])


def test_lines_are_split_and_joined_with_half_a_second(jp_extra):
    p = SynthesisParams(**DETERMINISTIC)
    first = jp_extra.synthesize("一行目です。", p).audio
    second = jp_extra.synthesize("二行目です。", p).audio
    both = jp_extra.synthesize("一行目です。\n\n二行目です。", p)
    assert len(both.lines) == 2
    assert len(both.audio) == len(first) + int(44100 * 0.5) + len(second)
    assert np.array_equal(both.audio[: len(first)], first)
    assert not both.audio[len(first) : len(first) + 22050].any()


def test_unreadable_line_is_skipped_not_fatal(jp_extra):
    result = jp_extra.synthesize("こんにちは。\n😀😀\nさようなら。", SynthesisParams(**DETERMINISTIC))
    assert len(result.lines) == 2
    assert result.skipped_lines == ["😀😀"]


@pytest.mark.parametrize(
    "text, message",
    [("", "empty"), ("   \n  ", "empty"), ("😀🎉", "nothing readable"), ("あ" * 20_001, "at most")],
)
def test_bad_text_raises_a_readable_error(jp_extra, text, message):
    with pytest.raises(TextError, match=message):
        jp_extra.synthesize(text)


def test_speaker_and_style_are_checked(jp_extra):
    assert jp_extra.voice.speakers["Taro"] == 1 and jp_extra.voice.speaker_id("Taro") == 1
    assert jp_extra.voice.speaker_id(1) == 1
    with pytest.raises(ParameterError, match="speaker id 7 is out of range"):
        jp_extra.synthesize("あ", SynthesisParams(speaker=7))
    with pytest.raises(ParameterError, match="speaker 'nobody'"):
        jp_extra.synthesize("あ", SynthesisParams(speaker="nobody"))
    with pytest.raises(ParameterError, match="style 'Angry'"):
        jp_extra.synthesize("あ", SynthesisParams(style="Angry"))
    with pytest.raises(ParameterError, match="sdp_ratio"):
        jp_extra.synthesize("あ", SynthesisParams(sdp_ratio=3.0))


def test_a_cold_request_is_marked_and_warm_up_reports_progress():
    pipeline = Pipeline.load(FIXTURES / "jp_extra", FIXTURES / "bert")
    assert pipeline.synthesize("あ").first_request is True
    progress = []
    totals = pipeline.warm_up(runs=2, on_progress=lambda done, total, ms: progress.append((done, total)))
    assert len(totals) == 2 and all(ms > 0 for ms in totals)
    assert progress == [(1, 2), (2, 2)]
    assert pipeline.synthesize("あ").first_request is False


def test_stage_callback_reports_each_stage_as_it_completes(jp_extra):
    seen = []
    jp_extra.synthesize("こんにちは。", on_stage=seen.append)
    assert [t.stage for t in seen] == list(STAGES)
    assert {t.stage: t.ran_on for t in seen if t.ran_on} == {"bert": "CPU", "synthesize": "CPU"}


def test_assist_text_changes_features_by_its_weight(jp_extra):
    base = jp_extra.synthesize("こんにちは。", SynthesisParams(**DETERMINISTIC)).audio
    none = jp_extra.synthesize(
        "こんにちは。", SynthesisParams(assist_text="悲しい", assist_text_weight=0.0, **DETERMINISTIC)
    ).audio
    full = jp_extra.synthesize(
        "こんにちは。", SynthesisParams(assist_text="悲しい", assist_text_weight=1.0, **DETERMINISTIC)
    ).audio
    assert np.allclose(none, base, atol=1e-5)
    assert not np.allclose(full[: len(base)], base[: len(full)], atol=1e-3)


@pytest.mark.parametrize("model", ["legacy", "aivmx"])
def test_legacy_and_aivmx_models_speak(model, request):
    pipeline = request.getfixturevalue(f"{model}_pipeline")
    assert pipeline.synth.jp_extra is (model == "aivmx")
    result = pipeline.synthesize("今日はいい天気ですね。", SynthesisParams(**DETERMINISTIC))
    assert result.audio.size > 0 and np.isfinite(result.audio).all()


def test_a_line_too_long_for_one_piece_goes_sentence_by_sentence(jp_extra, monkeypatch):
    from sbv2_studio.engine.pipeline import LONG_LINE_CHARS
    from sbv2_studio.engine.text.segments import split_long_line

    exact = SynthesisParams(noise=0.0, noise_w=0.0, sdp_ratio=0.0)
    sentences = ["今日はいい天気ですね。", "駅の近くに新しい店ができました。", "散歩に行きましょう。"]
    long_line = "".join(sentences * 12)  # 516 characters on one line
    assert len(long_line) > LONG_LINE_CHARS
    pieces = split_long_line(long_line, LONG_LINE_CHARS)
    assert len(pieces) == 3 and all(len(p) <= LONG_LINE_CHARS for p in pieces) and "".join(pieces) == long_line
    lengths = []
    run = jp_extra.synth.run
    monkeypatch.setattr(jp_extra.synth, "run", lambda x, *a, **k: lengths.append(len(x)) or run(x, *a, **k))
    result = jp_extra.synthesize(long_line, exact)
    assert len(lengths) == 3 and result.line_count == 1
    # Each piece synthesized on its own (bounded by LONG_LINE_CHARS, not the line), joined without pauses.
    expected = np.concatenate([jp_extra.synthesize(p, exact).audio for p in pieces])
    np.testing.assert_allclose(result.audio, expected, atol=1e-5)
    # A line within the limit is one piece, synthesized as the reference does.
    lengths.clear()
    jp_extra.synthesize("".join(sentences * 5), exact)
    assert len(lengths) == 1


def test_a_whole_request_after_only_streamed_ones_is_cold():
    """Whole requests run the full synthesizer; streamed ones the split graphs: each is cold on its first run."""
    pipeline = Pipeline.load(FIXTURES / "jp_extra", FIXTURES / "bert")
    streamed = pipeline.stream("あいうえお。")
    streamed.collect()
    assert streamed.result.first_request is True
    assert pipeline.synthesize("あ").first_request is True  # was labelled warm: it paid the full graph's first run
    assert pipeline.synthesize("あ").first_request is False
    again = pipeline.stream("あいうえお。")
    again.collect()
    assert again.result.first_request is False


# -- reading ahead (what the window does while the person pauses typing) -----------------------------------------


def _counting_bert(pipeline, monkeypatch) -> list[int]:
    """The token counts of every BERT run that really computes (cache misses)."""
    computed: list[int] = []
    real = pipeline.bert.compute

    def compute(ids):
        computed.append(len(ids))
        return real(ids)

    monkeypatch.setattr(pipeline.bert, "compute", compute)
    return computed


@pytest.mark.parametrize("plan", [SynthesisPlan.streaming(), SynthesisPlan.whole()], ids=["streamed", "whole"])
def test_a_text_read_ahead_is_spoken_without_running_bert_again_and_sounds_the_same(jp_extra, monkeypatch, plan):
    text = f"読み先の試験です。二つ目の文、ここまで。\n次の行は{plan.chunked}です。"
    params = SynthesisParams(seed=11)
    computed = _counting_bert(jp_extra, monkeypatch)
    prepared = jp_extra.read_ahead(text, params, plan)
    segments = list(plan.segments(text))
    assert prepared == len(segments) == len(computed) >= 2  # one BERT run per segment the request will speak
    computed.clear()
    ahead = jp_extra.stream(text, params, plan).collect()
    assert computed == []  # every segment's features were ready
    jp_extra.bert.cache.clear()
    cold = jp_extra.stream(text, params, plan).collect()
    assert len(computed) == len(segments)
    assert np.array_equal(ahead.pcm16, cold.pcm16)  # the same features: the same speech


def test_reading_ahead_stops_when_asked_and_leaves_unreadable_segments_to_the_request(jp_extra, monkeypatch):
    computed = _counting_bert(jp_extra, monkeypatch)
    plan = SynthesisPlan.whole()
    text = "止まる前の一行目です。\n止まった後の二行目です。\n三行目です。"
    assert jp_extra.read_ahead(text, plan=plan, stop=lambda: len(computed) >= 1) == 1
    assert len(computed) == 1
    # a line with nothing readable is skipped quietly (the request says why), the others are read
    assert jp_extra.read_ahead("♪♪♪\n読める行はこちら。", plan=plan) == 1
    with pytest.raises(TextError):
        jp_extra.read_ahead("   ", plan=plan)  # as a request would refuse it


def test_reading_ahead_also_prepares_the_assist_text(jp_extra, monkeypatch):
    computed = _counting_bert(jp_extra, monkeypatch)
    params = SynthesisParams(assist_text="とても嬉しい気持ちで読む先の文。", assist_text_weight=0.5, seed=3)
    jp_extra.read_ahead("補助文つきの読み先。", params, SynthesisPlan.whole())
    assert len(computed) == 2  # the assist text and the line
    computed.clear()
    jp_extra.synthesize("補助文つきの読み先。", params)
    assert computed == []
