"""Splitting the synthesizer graph into "text → latent" and "latent → audio", and the decoder into its levels:
structure, equality with the whole graph, the on-disk cache, and the decoder's receptive field."""

from __future__ import annotations

import json
import os
import shutil

import numpy as np
import onnx
import pytest

from sbv2_studio.graphs import split as gs

from ..conftest import FIXTURES
from ..streaming_helpers import cache_root, streamer_for

JP_EXTRA_ONNX = FIXTURES / "jp_extra" / "tiny_jp_extra_e10_s100.onnx"
LEGACY_ONNX = FIXTURES / "legacy" / "tiny_legacy_e10_s100.onnx"
AIVMX = next((FIXTURES / "aivmx").glob("*.aivmx"))
DECODER_OPS = {"Conv", "ConvTranspose", "LeakyRelu", "Add", "Div", "Tanh", "Constant"}


@pytest.fixture(scope="module")
def jp_extra_model():
    return onnx.load(str(JP_EXTRA_ONNX))


@pytest.mark.parametrize("path", [JP_EXTRA_ONNX, LEGACY_ONNX, AIVMX], ids=["jp_extra", "legacy", "aivmx"])
def test_the_cut_is_z_times_mask_and_g(path):
    model = onnx.load(str(path))
    cut = gs.find_cut(model)
    outputs = [o.name for o in model.graph.output]
    producer = next(n for n in model.graph.node if cut.latent in n.output)
    # infer() returns o, attn, y_mask, (z, …): the decoder reads Mul(z, y_mask)
    assert cut.how == "outputs" and producer.op_type == "Mul"
    assert sorted(producer.input) == sorted([outputs[3], outputs[2]])
    assert len(cut.conditioning) == 1 and cut.graph_inputs == []  # g = emb_g(sid)[..., None]
    ops = {model.graph.node[i].op_type for i in cut.decoder_nodes}
    assert ops <= DECODER_OPS and "ConvTranspose" in ops


def test_split_models_are_valid_graphs_with_named_ends(jp_extra_model):
    latent, decoder, info = gs.split_model(jp_extra_model)
    onnx.checker.check_model(latent)
    onnx.checker.check_model(decoder)
    assert [o.name for o in latent.graph.output] == ["z", "g"]
    assert [i.name for i in decoder.graph.input] == ["z", "g"]
    assert [o.name for o in decoder.graph.output] == ["output"]
    assert {i.name for i in latent.graph.input} <= {i.name for i in jp_extra_model.graph.input}
    assert info["latent_nodes"] + info["decoder_nodes"] == info["original_nodes"]
    # no node is in both, none is lost
    assert len(latent.graph.node) + len(decoder.graph.node) == len(jp_extra_model.graph.node)


@pytest.mark.parametrize("kind", ["jp_extra", "legacy"])
def test_latent_then_decoder_equals_the_whole_graph(kind, request):
    s = streamer_for(request.getfixturevalue(f"{kind}_pipeline"))
    assert s._split.info["validation"]["max_abs_diff"] <= 1e-5  # checked once when the split was first used
    whole = s.pipeline.synth.session
    for seed, n_phones in ((1, 5), (2, 23), (3, 40)):
        result = gs.compare_parts(
            whole.run, s.latent_session.run, s.whole_decoder.run, whole.inputs, set(s.latent_session.inputs),
            s._split, seed=seed, n_phones=n_phones,
        )  # fmt: skip
        assert result["max_abs_diff"] <= 1e-5, result
        assert result["hop"] == 512 and result["samples"] == result["frames"] * 512


@pytest.mark.parametrize("path", [JP_EXTRA_ONNX, LEGACY_ONNX, AIVMX], ids=["jp_extra", "legacy", "aivmx"])
def test_prior_then_flow_equals_the_latent_graph(path, tmp_path):
    """The latent graph cut once more (reduced precision: durations in FP32, the flow below): the prior holds the
    text encoder and both duration predictors, the flow nothing else, and chained they give the latent exactly."""
    import onnxruntime as ort

    split = gs.split_synthesizer(path, tmp_path)
    assert split.info["flow_inputs"][0] == onnx.load(str(path)).graph.output[4].name  # z_p comes first
    prior_path, flow_path = gs.prior_flow_paths(split)
    assert gs.prior_flow_paths(split) == (prior_path, flow_path)  # made once, then read from the cache entry
    prior, flow = onnx.load(str(prior_path)), onnx.load(str(flow_path))
    latent = onnx.load(str(split.latent_path))
    named = lambda model, part: [  # computing nodes (constants shared by both are copied into both)
        n.name for n in model.graph.node if n.name.startswith(f"/{part}/") and n.op_type != "Constant"
    ]
    assert named(prior, "sdp") and named(prior, "dp") and named(prior, "enc_p") and not named(prior, "flow")
    assert named(flow, "flow") and not (named(flow, "sdp") or named(flow, "dp") or named(flow, "enc_p"))
    assert len(named(prior, "flow")) + len(named(flow, "flow")) == len(named(latent, "flow"))
    so = ort.SessionOptions()
    so.log_severity_level = 3
    open_ = lambda p: ort.InferenceSession(str(p), so, providers=["CPUExecutionProvider"])
    whole, prior_s, flow_s = open_(split.latent_path), open_(prior_path), open_(flow_path)
    outs = [o.name for o in prior_s.get_outputs()]
    for seed, n_phones in ((1, 5), (2, 40)):
        feeds = gs.synthetic_feeds({i.name: i for i in whole.get_inputs()}, n_phones=n_phones, seed=seed)
        z, g = whole.run(["z", "g"], feeds)
        made = dict(zip(outs, prior_s.run(outs, feeds)))
        (z2,) = flow_s.run(["z"], {i.name: made[i.name] for i in flow_s.get_inputs()})
        np.testing.assert_array_equal(z2, z)
        np.testing.assert_array_equal(made["g"], g)


def test_decoder_levels_chain_to_the_decoder(jp_extra_pipeline):
    s = streamer_for(jp_extra_pipeline)
    parts = s.decoder_parts
    config = json.loads((FIXTURES / "jp_extra" / "config.json").read_text(encoding="utf-8"))["model"]
    assert len(parts) == len(config["upsample_rates"]) + 1  # conv_pre, then one part per upsampling level
    assert [p.field.up for p in parts] == [1, *config["upsample_rates"]]
    z = np.random.default_rng(5).normal(size=(1, 16, 40)).astype(np.float32)
    cond = s._conditioning(0)
    x = parts[0].run(z, cond, True)
    for part in parts[1:]:
        x = part.run(x, cond, False)
    assert np.abs(x.reshape(-1) - s.decode(z, cond)).max() <= 1e-5


def test_receptive_field_from_config_matches_the_graph(jp_extra_pipeline):
    config = json.loads((FIXTURES / "jp_extra" / "config.json").read_text(encoding="utf-8"))["model"]
    rf = gs.decoder_receptive_field(config)
    assert (rf.left, rf.right, rf.hop) == (13, 13, 512)
    # the defaults of every SBV2 config give the same (the fixture keeps the real upsampling layout)
    assert gs.decoder_receptive_field({}) == rf
    s = streamer_for(jp_extra_pipeline)
    cond = s._conditioning(0)
    for seed in range(3):
        left, right = gs.measure_receptive_field(lambda z: s.decode(z, cond), 16, 512, frames=72, seed=seed)
        # a perturbed frame moves samples up to the analytic bound and never beyond
        assert rf.left - 1 <= left <= rf.left and rf.right - 1 <= right <= rf.right
    fields = gs.decoder_part_fields(config)
    assert [(f.up, f.left, f.right) for f in fields] == [
        (1, 3, 3), (8, 8, 8), (8, 8, 8), (2, 32, 32), (2, 30, 30), (2, 32, 32),
    ]  # fmt: skip
    measured = s._split.info["measured_part_fields"]
    for field, (left, right) in zip(fields[1:], measured):
        assert 0 < left <= field.left and 0 < right <= field.right


def test_receptive_field_follows_the_config():
    small = gs.decoder_receptive_field(
        {"upsample_rates": [4, 4], "upsample_kernel_sizes": [8, 8], "resblock_kernel_sizes": [3],
         "resblock_dilation_sizes": [[1, 3]], "resblock": "2"}
    )  # fmt: skip
    assert small.hop == 16 and small.left == small.right and 3 <= small.radius < 13


def test_split_is_cached_by_model_file(tmp_path, monkeypatch):
    model = tmp_path / "m" / "voice.onnx"
    model.parent.mkdir()
    shutil.copy(LEGACY_ONNX, model)
    root = tmp_path / "cache"
    first = gs.split_synthesizer(model, root, validate=False)
    assert first.latent_path.is_file() and first.decoder_path.is_file()
    assert first.latent_path.parent.parent == root

    def boom(_model):
        raise AssertionError("split again although cached")

    monkeypatch.setattr(gs, "split_model", boom)
    again = gs.split_synthesizer(model, root, validate=False)
    assert again.latent_path == first.latent_path and again.info["latent_tensor"] == first.info["latent_tensor"]
    monkeypatch.undo()

    # the model file changes: a new entry
    stat = model.stat()
    os.utime(model, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10_000_000_000))
    changed = gs.split_synthesizer(model, root, validate=False)
    assert changed.latent_path.parent != first.latent_path.parent

    # a damaged entry is made again
    (changed.latent_path.parent / "split.json").write_text("{not json", encoding="utf-8")
    repaired = gs.split_synthesizer(model, root, validate=False)
    assert json.loads((repaired.latent_path.parent / "split.json").read_text(encoding="utf-8"))["conditioning"] == ["g"]


def test_split_validation_runs_the_three_graphs(tmp_path):
    calls = []

    def check(split):
        calls.append(split)
        assert split.latent_path.is_file() and split.decoder_path.is_file()
        return {"max_abs_diff": 0.0}

    split = gs.split_synthesizer(LEGACY_ONNX, tmp_path, validate=check)
    assert len(calls) == 1 and split.info["validation"] == {"max_abs_diff": 0.0}
    assert json.loads((split.latent_path.parent / "split.json").read_text(encoding="utf-8"))["validation"]


def test_a_graph_that_is_not_a_synthesizer_is_refused(tmp_path):
    with pytest.raises(gs.GraphSplitError):
        gs.split_synthesizer(FIXTURES / "bert" / "model.onnx", tmp_path, validate=False)
    with pytest.raises(gs.GraphSplitError):
        gs.split_synthesizer(FIXTURES / "jp_extra" / "config.json", tmp_path, validate=False)


def test_split_cache_lives_where_asked(jp_extra_pipeline):
    s = streamer_for(jp_extra_pipeline)
    assert cache_root() in s._split.latent_path.parents
    paths = gs.decoder_level_paths(s._split)
    assert len(paths) == 6 and all(p.parent == s._split.latent_path.parent for p in paths)


def test_a_cache_folder_that_cannot_be_written_is_a_clear_split_error(tmp_path):
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder would be")
    model = next((FIXTURES / "jp_extra").glob("*.onnx"))
    with pytest.raises(gs.GraphSplitError, match=r"blocked: the cache folder cannot be written"):
        gs.split_synthesizer(model, blocked, validate=False)
