"""Takes: kept with everything that made them; a take's settings give the same audio back (its seed); an edited
line comes back as its query; two takes say how they differ."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf

from sbv2_studio.app.takes import TakeHistory
from sbv2_studio.engine.params import SynthesisParams
from sbv2_studio.engine.query import AudioQuery
from sbv2_studio.engine.synthesis import SynthesisPlan
from sbv2_studio.errors import StudioError

NOISY = dict(noise=0.6, noise_w=0.8, sdp_ratio=0.5)


def test_a_take_is_restored_replayed_compared_and_saved(jp_extra_pipeline, tmp_path):
    history = TakeHistory(max_takes=2)
    query = AudioQuery.from_text("二行目です。")
    query.set_accent(0, 2)
    lines = ["一行目です。", query]
    params = SynthesisParams(**NOISY)
    plan = SynthesisPlan.whole()
    first = history.record(lines, params, jp_extra_pipeline.stream(lines, params, plan).collect(), jp_extra_pipeline)
    assert first.seed is not None and first.params["seed"] == first.seed and first.precision == "fp32"
    assert first.text == "一行目です。\n二行目です。" and list(first.queries) == [1]
    assert set(first.timings_ms) >= {"bert", "synthesize"} and first.ran_on == {"bert": "CPU", "synthesize": "CPU"}
    # restore: the same lines and settings give the same samples
    again = jp_extra_pipeline.stream(first.lines(), first.settings(), plan).collect()
    assert np.array_equal(again.pcm16, first.pcm16)
    # a new take: same settings, a new seed
    new_params = SynthesisParams(**{**first.params, "seed": None})
    second = history.record(lines, new_params, jp_extra_pipeline.stream(lines, new_params, plan).collect())
    assert set(second.differences(first)) == {"seed", "precision"}  # (no voice given for the second)
    out = second.save(tmp_path / "take.wav")
    data, rate = sf.read(out, dtype="int16")
    assert rate == 44100 and np.array_equal(data, second.pcm16)
    # bounded, oldest first out
    history.record("一行目です。", params, jp_extra_pipeline.synthesize("一行目です。", params))
    assert [t.id for t in history] == [second.id, second.id + 1]
    with pytest.raises(StudioError, match=f"no take {first.id}"):
        history.get(first.id)
    assert "pcm16" not in second.summary() and second.summary()["seconds"] == round(second.seconds, 3)
