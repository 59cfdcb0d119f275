"""BERT graph variants (exact transforms, INT8, FP16), the feature cache and the loaded-voice cache, on the tiny
fixtures. No timing assertions: speed is what `sbv2-studio bench` measures."""

from __future__ import annotations

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper, numpy_helper

from sbv2_studio.app.voices import VoiceCache, open_voice
from sbv2_studio.engine.bert import BertStage, FeatureCache
from sbv2_studio.engine.pipeline import Pipeline, SynthesisParams
from sbv2_studio.graphs import bert_variants as bv
from sbv2_studio.models.formats import load_bert_folder, load_voice_model
from sbv2_studio.runtime.backends import CPU, ResilientSession, SessionFactory

from ..conftest import FIXTURES

DETERMINISTIC = dict(noise=0.0, sdp_ratio=0.0)
TEXTS = ["今日はいい天気ですね。", "あらゆる現実を、すべて自分のほうへねじ曲げたのだ。", "はい。"]


@pytest.fixture(scope="module")
def bert():
    return load_bert_folder(FIXTURES / "bert")


@pytest.fixture(scope="module")
def variant_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("variants")


def _stage(bert, path, variant="", cache=None):
    session = ResilientSession(SessionFactory(faults=[]), path, CPU, "bert")
    return BertStage(bert, session, cache=cache, variant=variant, graph_path=path)


def _ids(bert, text):
    from sbv2_studio.engine.text import frontend
    from sbv2_studio.engine.tokenizer import CharTokenizer

    return CharTokenizer.from_folder(bert.folder).encode(frontend.analyze(text).bert_text)


def test_fixture_graph_is_already_cut_and_folded(bert):
    """The export keeps only what hidden_states[-3] needs (layer 0 of the 3-layer fixture) and onnxsim folded the
    relative-position projections: nothing is left to prune or fold."""
    report = bv.analyze(bert.onnx_path)
    assert report.layers == [0]
    assert report.outputs == ["output"]
    assert report.unused_nodes == 0
    assert report.foldable_nodes == 0
    assert report.folded_projections == 2  # query and key projections of the one layer
    assert "layers 0–0" in report.describe()


def test_prune_and_fold_on_a_graph_that_needs_them():
    """A graph with a dangling branch and a constant MatMul chain recomputed per call: both transforms are exact."""
    rng = np.random.default_rng(0)
    table = rng.normal(size=(8, 4)).astype(np.float32)
    proj = rng.normal(size=(4, 4)).astype(np.float32)
    nodes = [
        helper.make_node("LayerNormalization", ["table", "g", "b"], ["tn"], axis=-1),
        helper.make_node("MatMul", ["tn", "proj"], ["tp"]),  # constant: depends on initializers only
        helper.make_node("MatMul", ["x", "tp"], ["y"], name="use"),  # [1, 8] x [8, 4]
        helper.make_node("Relu", ["x"], ["dangling"]),  # no output needs it
    ]
    inits = [numpy_helper.from_array(a, n) for a, n in ((table, "table"), (proj, "proj"),
             (np.ones(4, np.float32), "g"), (np.zeros(4, np.float32), "b"))]  # fmt: skip
    graph = helper.make_graph(
        nodes, "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 8])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4])], inits,
    )  # fmt: skip
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    x = rng.normal(size=(1, 8)).astype(np.float32)
    before = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"]).run(None, {"x": x})[0]
    report = bv.analyze(model)
    assert report.unused_nodes == 1 and report.foldable_nodes == 2
    assert bv.prune_unused(model) == 1
    assert bv.fold_constants(model) == 2
    assert [n.op_type for n in model.graph.node] == ["MatMul"]
    after = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"]).run(None, {"x": x})[0]
    np.testing.assert_allclose(after, before, rtol=1e-6, atol=1e-6)


def test_gemm_to_matmul_is_exact(bert, tmp_path):
    model = onnx.load(str(bert.onnx_path))
    assert bv.gemm_to_matmul(model) > 0
    assert not any(n.op_type == "Gemm" for n in model.graph.node)
    onnx.save(model, tmp_path / "mm.onnx")
    ids = _ids(bert, TEXTS[1])
    a = _stage(bert, bert.onnx_path).compute(ids)
    b = _stage(bert, tmp_path / "mm.onnx").compute(ids)
    np.testing.assert_allclose(b, a, rtol=0, atol=1e-5)


@pytest.mark.parametrize("variant", ["fp32", "fp32-opt", "int8"])
def test_variants_load_and_stay_close_to_fp32(bert, variant_dir, variant):
    info = bv.prepare(bert, variant, variant_dir)
    assert info.variant == variant and info.path.is_file()
    if variant == "fp32":
        assert info.path == bert.onnx_path  # nothing to change: the shipped file is used as it is
    again = bv.prepare(bert, variant, variant_dir)
    assert again.path == info.path and not again.built  # cached on disk
    reference = _stage(bert, bert.onnx_path)
    stage = _stage(bert, info.path, variant)
    for text in TEXTS:
        ids = _ids(bert, text)
        ref, got = reference.compute(ids), stage.compute(ids)
        assert got.shape == ref.shape and got.dtype == np.float32
        err = bv.feature_error(ref, got)
        if variant == "int8":
            assert err["cos_min"] > 0.98 and err["max_abs"] < 1.0  # bounded, not exact
            assert err["max_abs"] > 0
        else:
            assert err["max_abs"] < 1e-4 and err["cos_min"] > 0.999999


def test_int8_is_smaller_and_quantized(bert, tmp_path, caplog):
    info = bv.prepare(bert, "int8", tmp_path)  # built here: its build steps are reported
    # onnxruntime's advice to its own users (logged on the root logger, and printed raw to the person) is dropped
    assert not [r.getMessage() for r in caplog.records if r.name == "root"]
    model = onnx.load(str(info.path))
    ops = {n.op_type for n in model.graph.node}
    assert ops & {"MatMulInteger", "DynamicQuantizeMatMul", "DynamicQuantizeLinear"}
    assert info.path.stat().st_size < bert.onnx_path.stat().st_size * 0.6
    # Every constant matrix product is quantized, the relative-position tables (reached through a Transpose in
    # the export) included: no FP32 weight is left for a MatMul.
    assert info.steps["folded_transposes"] > 0
    floats = {i.name for i in model.graph.initializer if i.data_type == TensorProto.FLOAT}
    assert not [n.name for n in model.graph.node if n.op_type == "MatMul" and set(n.input) & floats]


def test_folding_constant_transposes_is_exact(bert, tmp_path):
    model = onnx.load(str(bert.onnx_path))
    bv.specialize_batch1(model)  # as the int8 build does: the tables then feed their Transposes directly
    before = sum(n.op_type in ("Transpose", "Shape") for n in model.graph.node)
    assert bv.fold_constant_transposes(model) > 0
    assert sum(n.op_type in ("Transpose", "Shape") for n in model.graph.node) < before
    assert bv.fold_constant_transposes(model) == 0  # nothing left to fold
    onnx.save(model, str(tmp_path / "folded.onnx"))
    ids = _ids(bert, TEXTS[0])
    a = _stage(bert, bert.onnx_path).compute(ids)
    b = _stage(bert, tmp_path / "folded.onnx").compute(ids)
    np.testing.assert_allclose(b, a, rtol=0, atol=1e-5)


def _cpu_session(path):
    so = ort.SessionOptions()
    so.log_severity_level = 3  # FP16 graphs on CPU: constant folding warns about Mul nodes it cannot fold
    return ort.InferenceSession(str(path), so, providers=["CPUExecutionProvider"])


def _features(session, ids):
    ids = np.asarray(ids, np.int64)[None, :]
    feeds = {"input_ids": ids, "attention_mask": np.ones_like(ids)}
    (out,) = session.run(["output"], {k: v for k, v in feeds.items() if k in {i.name for i in session.get_inputs()}})
    return out[0] if out.ndim == 3 else out


def test_fp16_variant_loads_and_stays_close_to_fp32(bert, variant_dir):
    """Converted with onnxruntime's own float16 converter (always available: it ships with onnxruntime), the graph
    loads in a CPU session and gives the FP32 features up to half-precision rounding. Measured on the fixture:
    max |Δ| 0.0025–0.0038, worst token cosine 0.9999997."""
    info = bv.prepare(bert, "fp16", variant_dir)
    assert info.variant == "fp16" and info.built and info.path.is_file()
    assert info.steps["float16_converter"] == "onnxruntime.transformers.float16"
    model = onnx.load(str(info.path))
    assert any(i.data_type == TensorProto.FLOAT16 for i in model.graph.initializer)
    assert [i.type.tensor_type.elem_type for i in model.graph.output] == [TensorProto.FLOAT]
    again = bv.prepare(bert, "fp16", variant_dir)
    assert again.path == info.path and not again.built  # cached on disk

    half = _cpu_session(info.path)
    assert [o.type for o in half.get_outputs()] == ["tensor(float)"]
    full = _cpu_session(bert.onnx_path)
    for text in TEXTS:
        ids = _ids(bert, text)
        ref, got = _features(full, ids), _features(half, ids)
        assert got.shape == ref.shape and got.dtype == np.float32
        err = bv.feature_error(ref, got)
        assert err["cos_min"] > 0.9999 and err["max_abs"] < 0.02, err  # close, not exact
        assert err["max_abs"] > 0
        # the studio's BERT stage reads the converted graph the same way
        np.testing.assert_allclose(_stage(bert, info.path, "fp16").compute(ids), got, rtol=0, atol=1e-5)


def test_unknown_variant_is_refused(bert, variant_dir):
    with pytest.raises(Exception, match="unknown BERT variant"):
        bv.prepare(bert, "int4", variant_dir)


# --- caches ---------------------------------------------------------------------------------------------------


def test_feature_cache_is_bounded_lru_and_read_only():
    cache = FeatureCache(2)
    a, b, c = (np.full((3, 4), v, np.float32) for v in (1, 2, 3))
    cache.put(("m", "fp32", b"a"), a)
    cache.put(("m", "fp32", b"b"), b)
    assert cache.get(("m", "fp32", b"a")) is not None  # a is now the most recent
    cache.put(("m", "fp32", b"c"), c)
    assert len(cache) == 2
    assert cache.get(("m", "fp32", b"b")) is None  # the least recently used went
    hit = cache.get(("m", "fp32", b"a"))
    assert np.array_equal(hit, a) and not hit.flags.writeable
    a[:] = 99  # the caller's array is not the cached one
    assert np.array_equal(cache.get(("m", "fp32", b"a")), np.full((3, 4), 1, np.float32))
    assert cache.hits == 3 and cache.misses == 1
    assert FeatureCache(0).put(("k",), a) is a and len(FeatureCache(0)) == 0


def test_feature_cache_keys_on_graph_variant_and_text(bert, variant_dir):
    cache = FeatureCache(16)
    fp32 = _stage(bert, bert.onnx_path, "fp32", cache)
    int8 = _stage(bert, bv.prepare(bert, "int8", variant_dir).path, "int8", cache)
    ids = _ids(bert, TEXTS[0])
    x = fp32.run(ids)
    y = int8.run(ids)  # same text, other graph: not a hit
    assert cache.misses == 2 and cache.hits == 0
    assert not np.array_equal(x, y)
    assert fp32.run(ids) is x and cache.hits == 1
    fp32.run(_ids(bert, TEXTS[1]))
    assert cache.misses == 3


def test_pipeline_results_identical_with_and_without_caches(bert):
    voice = load_voice_model(FIXTURES / "jp_extra")
    cached = Pipeline(voice, bert, feature_cache=8, factory=SessionFactory(faults=[]))
    plain = Pipeline(voice, bert, feature_cache=0, factory=SessionFactory(faults=[]))
    assert plain.bert.cache is None
    params = SynthesisParams(assist_text="楽しいですね。", assist_text_weight=0.5, **DETERMINISTIC)
    for _ in range(2):  # the second round is served from the cache
        for text in TEXTS + ["一行目です。\n二行目です。"]:
            a = cached.synthesize(text, params)
            b = plain.synthesize(text, params)
            assert np.array_equal(a.audio, b.audio)
            assert np.array_equal(a.pcm16, b.pcm16)
    assert cached.bert.cache.hits > 0
    assert len(cached.bert.cache) <= 8


def test_feature_cache_bound_holds_in_the_pipeline(bert):
    voice = load_voice_model(FIXTURES / "jp_extra")
    p = Pipeline(voice, bert, feature_cache=2, factory=SessionFactory(faults=[]))
    for text in ["あ。", "い。", "う。", "え。"]:
        p.synthesize(text, SynthesisParams(**DETERMINISTIC))
    assert len(p.bert.cache) == 2


def test_voice_cache_reuses_voices_and_shares_bert(tmp_path, bert, monkeypatch):
    from sbv2_studio.models.library import Library

    monkeypatch.setenv("SBV2_STUDIO_HOME", str(tmp_path))  # variants are built under its cache/

    library = Library(home=tmp_path)
    cache = VoiceCache(max_voices=2)
    jp = str(FIXTURES / "jp_extra")
    legacy = str(FIXTURES / "legacy")
    kwargs = dict(library=library, bert=FIXTURES / "bert", cache=cache)
    first = open_voice(jp, **kwargs)
    other = open_voice(legacy, **kwargs)
    assert other is not first
    assert other.bert is first.bert  # one BERT session for both voices
    assert open_voice(jp, **kwargs) is first  # switching back does not reload
    assert cache.hits == 1
    fresh = open_voice(jp, **{**kwargs, "cache": None})
    assert fresh is not first
    a = first.synthesize(TEXTS[0], SynthesisParams(**DETERMINISTIC)).audio
    b = fresh.synthesize(TEXTS[0], SynthesisParams(**DETERMINISTIC)).audio
    assert np.array_equal(a, b)
    # A different variant is a different voice entry; the bound holds.
    int8 = open_voice(jp, bert_variant="int8", **kwargs)
    assert int8 is not first and int8.bert_variant == "int8"
    assert len(cache) == 2


def test_a_cache_folder_that_cannot_be_written_is_named_in_a_clear_error(bert, tmp_path):
    """Variants are built into the cache folder: where it cannot be written (here a file is in its place) the error
    names the folder and says so, instead of an unexpected OSError; the shipped graph needs no cache."""
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder would be")
    for variant in ("fp32-opt", "int8"):
        with pytest.raises(bv.VariantUnavailable, match=r"blocked/.*: the cache folder cannot be written"):
            bv.prepare(bert, variant, blocked / "bert-variants")
    assert bv.prepare(bert, "fp32", blocked / "bert-variants").path == bv.fp32_source(bert)
