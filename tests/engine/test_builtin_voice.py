"""The built-in OpenJTalk voice: speaks offline with no model installed, through the same result shape."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pyopenjtalk
import pytest
import soundfile as sf

from sbv2_studio.app.voices import open_voice
from sbv2_studio.engine.builtin import OpenJTalkVoice
from sbv2_studio.engine.pipeline import SynthesisParams
from sbv2_studio.errors import TextError
from sbv2_studio.models.library import BUILTIN_ID, Library

TEXT = "こんにちは、今日はいい天気ですね。"


@pytest.fixture(scope="module")
def voice() -> OpenJTalkVoice:
    return OpenJTalkVoice()


def test_it_is_openjtalk_and_says_so(voice):
    assert voice.kind == "openjtalk"
    assert "OpenJTalk" in voice.label and "not SBV2" in voice.label
    assert voice.supported_params == {"length", "volume", "pre_silence", "post_silence"}


def test_audio_is_openjtalks_own_speech(voice):
    result = voice.synthesize(TEXT)
    expected, sr = pyopenjtalk.tts(TEXT)
    assert result.sample_rate == sr == 48000
    # The same speech OpenJTalk makes itself, only scaled to [-1, 1]: nothing garbled on the way.
    np.testing.assert_allclose(result.audio, expected / 32768.0, atol=1e-6)
    assert set(result.timings_ms) == {"frontend", "synthesize", "postprocess"}
    assert result.timings_ms["synthesize"] > 0 and result.ran_on == {}
    assert 1.5 < result.audio_seconds < 6


def test_speed_maps_to_length(voice):
    normal = voice.synthesize(TEXT).audio_seconds
    slow = voice.synthesize(TEXT, SynthesisParams(length=1.5)).audio_seconds
    fast = voice.synthesize(TEXT, SynthesisParams(length=0.7)).audio_seconds
    assert fast < normal < slow
    assert slow / normal == pytest.approx(1.5, rel=0.15)


def test_lines_and_unreadable_text(voice):
    result = voice.synthesize("一行目。\n😀\n二行目。")
    assert result.line_count == 2 and result.skipped_lines == ["😀"]
    with pytest.raises(TextError, match="nothing in the text can be read"):
        voice.synthesize("😀🎉")
    with pytest.raises(TextError, match="empty"):
        voice.synthesize("  ")


def test_open_voice_gives_the_builtin_without_any_model(tmp_path):
    library = Library(home=tmp_path)
    entries = library.scan()
    assert [e.id for e in entries] == [BUILTIN_ID]
    assert open_voice(BUILTIN_ID, library=library).kind == "openjtalk"


def test_synth_without_model_speaks_offline_on_a_fresh_install(tmp_path):
    out = tmp_path / "out.wav"
    env = {**os.environ, "SBV2_STUDIO_HOME": str(tmp_path / "home"), "HF_HUB_OFFLINE": "1"}
    env.pop("SBV2_STUDIO_BERT", None)
    proc = subprocess.run(
        [sys.executable, "-m", "sbv2_studio", "synth", TEXT, "-o", str(out)], capture_output=True, env=env, timeout=120
    )
    assert proc.returncode == 0, proc.stderr.decode()
    data, sr = sf.read(out, dtype="int16")
    assert sr == 48000 and len(data) > sr and np.abs(data).max() == 32767
    assert "OpenJTalk" in proc.stderr.decode()


def test_it_streams_sentence_by_sentence_and_any_line_length_works(voice):
    from sbv2_studio.engine.synthesis import SynthesisPlan

    run = voice.stream("今日はいい天気ですね。散歩に行きましょう！")
    chunks = [c for c in run if c.timing.kind == "speech"]
    assert [c.timing.segment for c in chunks] == [0, 1] and run.result.ttfa_ms < run.result.total_ms
    assert set(run.result.timings_ms) == {"frontend", "synthesize", "postprocess"}
    # a line far beyond OpenJTalk's own limit is spoken piece by piece, not refused
    long_line = "今日はいい天気ですね、" * 600  # 6,600 characters, one line
    result = voice.stream(long_line, plan=SynthesisPlan.whole(keep_audio=False)).collect()
    assert result.line_count == 1 and len(result.segments) > 30 and result.audio_seconds > 300


def test_silence_before_and_after_and_volume_apply_to_any_voice():
    import numpy as np

    from sbv2_studio.engine.builtin import OpenJTalkVoice
    from sbv2_studio.engine.params import SynthesisParams

    voice = OpenJTalkVoice()
    plain = voice.synthesize("こんにちは。")
    padded = voice.synthesize("こんにちは。", SynthesisParams(pre_silence=0.25, post_silence=0.5, volume=0.5))
    rate = plain.sample_rate
    lead, tail = int(round(0.25 * rate)), int(round(0.5 * rate))
    assert padded.audio.size == plain.audio.size + lead + tail
    assert not padded.audio[:lead].any() and not padded.audio[-tail:].any()
    np.testing.assert_allclose(padded.audio[lead:-tail], plain.audio * 0.5, rtol=0, atol=1e-7)
    # Saved audio is peak-normalized as the reference does; the volume is applied after that, so it is kept.
    assert abs(int(np.abs(padded.pcm16).max()) - 32767 // 2) <= 1 and np.abs(plain.pcm16).max() == 32767
