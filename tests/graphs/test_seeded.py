"""Seeded noise (graphs/seeded.py): the graph's random sampling becomes a function of a seed input, so a take's
seed gives its samples again, bit for bit, and different seeds give independent, standard-normal noise."""

from __future__ import annotations

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper

from sbv2_studio.engine.params import SynthesisParams
from sbv2_studio.engine.synthesis import SynthesisPlan
from sbv2_studio.errors import ParameterError
from sbv2_studio.graphs.seeded import SEED_INPUT, seed_random_ops

from ..streaming_helpers import streamer_for


def _noise_session(op: str = "RandomNormalLike", **attrs):
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4, None])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4, None])
    node = helper.make_node(op, ["x"], ["y"], dtype=1, **attrs)
    model = helper.make_model(helper.make_graph([node], "g", [x], [y]), opset_imports=[helper.make_opsetid("", 17)])
    assert seed_random_ops(model) == 1
    onnx.checker.check_model(model)
    assert not [n for n in model.graph.node if n.op_type.startswith("Random")]
    return ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])


def test_the_same_seed_gives_the_same_noise_and_others_independent_standard_normal():
    session = _noise_session()
    shape = np.zeros((1, 4, 25_000), np.float32)
    run = lambda seed, x=shape: session.run(None, {"x": x, SEED_INPUT: np.array([seed], np.int64)})[0]
    a, again, b = run(7), run(7), run(8)
    assert a.shape == (1, 4, 25_000) and np.array_equal(a, again)
    flat = a.ravel()
    assert abs(flat.mean()) < 0.02 and abs(flat.std() - 1.0) < 0.02
    assert np.quantile(flat, 0.975) == pytest.approx(1.96, abs=0.05)
    assert abs(np.corrcoef(flat[:-1], flat[1:])[0, 1]) < 0.02  # neighbours unrelated
    assert abs(np.corrcoef(flat, b.ravel())[0, 1]) < 0.02  # seeds unrelated
    # element i depends only on (seed, i): a shorter request begins with the same noise
    assert np.array_equal(run(7, np.zeros((1, 4, 10), np.float32)).ravel(), flat[:40])


def test_mean_and_scale_are_kept():
    session = _noise_session(mean=3.0, scale=0.5)
    out = session.run(None, {"x": np.zeros((1, 4, 20_000), np.float32), SEED_INPUT: np.array([1])})[0]
    assert out.mean() == pytest.approx(3.0, abs=0.02) and out.std() == pytest.approx(0.5, abs=0.02)


NOISY = dict(noise=0.6, noise_w=0.8, sdp_ratio=0.5)


def test_a_take_comes_back_by_its_seed(jp_extra_pipeline):
    text = "今日はいい天気ですね。"
    first = jp_extra_pipeline.synthesize(text, SynthesisParams(**NOISY))
    assert first.seed is not None and first.report()["seed"] == first.seed
    other = jp_extra_pipeline.synthesize(text, SynthesisParams(**NOISY))
    assert other.seed != first.seed and not np.array_equal(
        other.audio[: first.audio.size], first.audio[: other.audio.size]
    )
    again = jp_extra_pipeline.synthesize(text, SynthesisParams(seed=first.seed, **NOISY))
    assert again.seed == first.seed and np.array_equal(again.audio, first.audio)
    with pytest.raises(ParameterError, match="seed"):
        jp_extra_pipeline.synthesize(text, SynthesisParams(seed=-1))


def test_streamed_takes_come_back_too(jp_extra_pipeline):
    streamer_for(jp_extra_pipeline)
    text = "今日はいい天気ですね。明日も晴れるでしょう。"
    plan = SynthesisPlan.streaming()
    a = jp_extra_pipeline.stream(text, SynthesisParams(seed=1234, **NOISY), plan).collect()
    b = jp_extra_pipeline.stream(text, SynthesisParams(seed=1234, **NOISY), plan).collect()
    c = jp_extra_pipeline.stream(text, SynthesisParams(seed=4321, **NOISY), plan).collect()
    assert a.seed == 1234 and np.array_equal(a.audio, b.audio)
    assert not np.array_equal(a.audio[: c.audio.size], c.audio[: a.audio.size])
