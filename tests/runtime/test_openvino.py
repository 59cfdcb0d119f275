"""OpenVINO as a backend kind: sessions close to onnxruntime, what really ran, the fallback ladder, precisions
(refused where emulated, durations kept in FP32), the CLI flags and the app layer's choices and fidelity.

OpenVINO compiles each graph (seconds for the fixtures' synthesizer): the pipelines are module-scoped."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("openvino")

from sbv2_studio import cli
from sbv2_studio.app import precision as prec
from sbv2_studio.app.voices import open_voice
from sbv2_studio.engine.pipeline import Pipeline, SynthesisParams, SynthesisPlan
from sbv2_studio.errors import BackendError, StudioError
from sbv2_studio.runtime import ov_backend
from sbv2_studio.runtime.backends import (
    Backend,
    Fault,
    ResilientSession,
    SessionFactory,
    available_kinds,
    check_precision,
    probe_graph,
)

from ..conftest import FIXTURES, bf16_native

DETERMINISTIC = SynthesisParams(noise=0.0, noise_w=0.0, sdp_ratio=0.0)
TEXT = "今日はいい天気ですね。"
BF16_NATIVE = bf16_native()


def _voice(**kwargs):
    return open_voice(FIXTURES / "jp_extra", bert=FIXTURES / "bert", cache=None, **kwargs)


@pytest.fixture(scope="module")
def ort_voice():
    return _voice()


@pytest.fixture(scope="module")
def ov_voice():
    return _voice(bert_backend="openvino:CPU", synth_backend="openvino:CPU")


def test_openvino_is_offered_with_its_cpu_device():
    assert "openvino" in available_kinds()
    assert "CPU" in [d.name for d in ov_backend.devices()]
    assert Backend.parse("openvino") == Backend("openvino", 0, "CPU")
    assert Backend.parse("openvino:gpu.1", "fp16").label == "OpenVINO:GPU.1 fp16"
    with pytest.raises(BackendError, match="after .:. must be a number"):
        Backend.parse("cuda:GPU")


def test_openvino_runs_bert_and_the_synthesizer_like_onnxruntime(ort_voice, ov_voice):
    ids = ort_voice.tokenizer.encode("あらゆる現実を")
    ref, got = ort_voice.bert.compute(ids), ov_voice.bert.compute(ids)
    assert np.abs(ref - got).max() < 1e-3
    a = ort_voice.synthesize(TEXT, DETERMINISTIC)
    b = ov_voice.synthesize(TEXT, DETERMINISTIC)
    assert b.ran_on == {"bert": "OpenVINO:CPU", "synthesize": "OpenVINO:CPU"}
    assert a.ran_on == {"bert": "CPU", "synthesize": "CPU"}
    assert len(a.audio) == len(b.audio)
    assert prec.audio_fidelity(a.audio, b.audio, ort_voice.sample_rate)["snr_db"] > 60


def test_an_int8_bert_on_openvino_reads_8_bit_weights_of_the_exact_graph(ort_voice):
    """bert_precision="int8" on OpenVINO: the exact batch-1 graph with its matrix weights stored in 8 bits (not
    onnxruntime's dynamically quantized variant), computed at the fastest native float; features close to FP32."""
    voice = _voice(bert_backend="openvino:CPU", bert_precision="int8")
    assert voice.bert.graph_path.name.startswith("model.fp32-opt.")
    session = voice.bert.session.active.session
    assert session.arithmetic == ("bf16" if BF16_NATIVE else "fp32")
    ids = ort_voice.tokenizer.encode("あらゆる現実を、すべて自分のほうへ")
    error = prec.bert_fidelity(ort_voice.bert.compute(ids), voice.bert.compute(ids))
    assert error["cosine_min"] >= prec.LIMITS["bert_cos_min"]
    assert voice.synthesize(TEXT, DETERMINISTIC).ran_on["bert"] == "OpenVINO:CPU int8"
    with pytest.raises(StudioError, match=r"OpenVINO:CPU int8 runs the 'fp32-opt' graph \(leave bert_variant out\)"):
        _voice(bert_backend="openvino:CPU", bert_precision="int8", bert_variant="int8")


def test_the_bert_graph_without_its_attention_if_is_exact(ort_voice, ov_voice):
    import onnx

    graph = onnx.load(str(ov_voice.bert.graph_path), load_external_data=False)
    assert not [n for n in graph.graph.node if n.op_type == "If"]
    assert any(n.op_type == "If" for n in onnx.load(str(FIXTURES / "bert" / "model.onnx")).graph.node)


def test_create_fault_on_openvino_falls_back_to_onnxruntime_cpu():
    events = []
    factory = SessionFactory(faults=[Fault("openvino", "create", message="no OpenCL device")])
    session = ResilientSession(factory, probe_graph(), Backend("openvino", 0, "GPU"), "bert", events.append)
    assert session.ran_on == "CPU" and not session.healthy
    assert [(e.stage, e.during) for e in events] == [("bert", "create")] and "no OpenCL device" in events[0].error
    np.testing.assert_array_equal(session.run(None, {"x": np.ones((1, 4), np.float32)})[0], np.full((1, 4), 2.0))


def test_device_lost_on_openvino_mid_run_finishes_on_onnxruntime_cpu():
    events = []
    factory = SessionFactory(faults=[Fault("openvino", "run", 2, "CL_OUT_OF_RESOURCES")])
    session = ResilientSession(factory, probe_graph(), Backend("openvino"), "synthesize", events.append)
    x = np.arange(4, dtype=np.float32)[None]
    assert session.ran_on == "OpenVINO:CPU"  # a real OpenVINO session, struck at its second run
    np.testing.assert_array_equal(session.run(None, {"x": x})[0], 2 * x)
    np.testing.assert_array_equal(session.run(None, {"x": x})[0], 2 * x)
    assert session.ran_on == "CPU" and [e.during for e in events] == ["run"]
    assert "CL_OUT_OF_RESOURCES" in events[0].error


def test_emulated_precisions_are_refused_with_a_clear_message(monkeypatch):
    no_bf16 = ov_backend.DeviceInfo("CPU", "Test CPU", ["FP32", "INT8"], {})
    no_bf16.precisions = ov_backend._precisions("CPU", no_bf16.capabilities)
    monkeypatch.setattr(ov_backend, "_device_infos", lambda: (no_bf16,))
    with pytest.raises(BackendError, match=r"OpenVINO:CPU bf16: CPU does not run bf16 natively"):
        check_precision(Backend("openvino", precision="bf16"), "synth")
    with pytest.raises(BackendError, match="has no int8 graph"):
        check_precision(Backend("openvino", precision="int8"), "synth")
    with pytest.raises(BackendError, match="onnxruntime runs the synthesizer in fp32 only, not bf16"):
        check_precision(Backend("cpu", precision="bf16"), "synth")
    with pytest.raises(BackendError, match="no device 'NPU'"):
        check_precision(Backend("openvino", 0, "NPU"), "bert")
    choices = prec.backend_choices(["cpu", "openvino"])
    assert ("synth", "openvino:CPU", "fp32") in [(c.stage, c.spec, c.precision) for c in choices]
    assert not [c for c in choices if c.backend.kind == "openvino" and c.precision in ("bf16", "fp16")]
    with pytest.raises(StudioError, match="bf16"):
        _voice(synth_backend="openvino:CPU", synth_precision="bf16")


def test_cpu_fp16_needs_amx_fp16_whatever_openvino_reports(monkeypatch):
    """OpenVINO lists FP16 for a Xeon with AVX512-FP16 but no AMX-FP16, where the synthesizer at f16 ran 250× slower
    than at bf16: refused there, and where the instructions cannot be read (Windows); offered with AMX-FP16, and on
    Arm (OpenVINO's word)."""
    caps = ["BF16", "WINOGRAD", "FP32", "FP16", "INT8", "BIN", "EXPORT_IMPORT"]  # what that Xeon reported
    sapphire = frozenset({"avx2", "avx512f", "avx512_bf16", "avx512_fp16", "avx512_vnni", "amx_tile", "amx_bf16"})
    for machine, flags, fp16_native in (("x86_64", sapphire, False), ("AMD64", frozenset(), False),
                                        ("x86_64", sapphire | {"amx_fp16"}, True), ("aarch64", frozenset(), True)):  # fmt: skip
        monkeypatch.setattr(ov_backend.platform, "machine", lambda m=machine: m)
        monkeypatch.setattr(ov_backend, "cpu_flags", lambda f=flags: f)
        cpu = ov_backend.DeviceInfo("CPU", "Test CPU", caps, ov_backend._precisions("CPU", caps))
        monkeypatch.setattr(ov_backend, "_device_infos", lambda cpu=cpu: (cpu,))
        assert cpu.native("fp16") is fp16_native, (machine, sorted(flags))
        assert cpu.native("bf16") is (machine == "aarch64" or "amx_bf16" in flags or not flags)
        offered = [c.precision for c in prec.backend_choices(["cpu", "openvino"]) if c.stage == "synth"]
        assert ("fp16" in offered) is fp16_native
        if not fp16_native:
            with pytest.raises(BackendError, match=r"OpenVINO:CPU fp16: .*amx_fp16.*emulated"):
                check_precision(Backend("openvino", precision="fp16"), "synth")
    # the CLI says so too, naming the flag and keeping bf16 on offer
    monkeypatch.setattr(ov_backend.platform, "machine", lambda: "x86_64")
    monkeypatch.setattr(ov_backend, "cpu_flags", lambda: sapphire)
    cpu = ov_backend.DeviceInfo("CPU", "Test CPU", caps, ov_backend._precisions("CPU", caps))
    monkeypatch.setattr(ov_backend, "_device_infos", lambda: (cpu,))
    with pytest.raises(BackendError, match="amx_fp16"):
        _voice(synth_backend="openvino:CPU", synth_precision="fp16")


def test_the_defaults_try_the_fastest_bert_first_then_the_other_then_exact(monkeypatch):
    """Fastest expected first: OpenVINO's bf16 synthesizer where native, with the 8-bit BERT (bf16 BERT on a CPU with
    AMX, where it is the faster one), then the other BERT, then the exact configurations (each is only chosen when
    its measured fidelity is within the limits)."""
    for caps, flags, expected in (
        (["FP32", "BF16", "INT8"], {"avx512_bf16"}, ["int8+bf16", "bf16+bf16", "fp32+bf16", "fp32+fp32"]),
        (["FP32", "BF16", "INT8"], {"avx512_bf16", "amx_bf16"}, ["bf16+bf16", "int8+bf16", "fp32+bf16", "fp32+fp32"]),
        (["FP32", "INT8"], {"avx2"}, ["int8+fp32", "fp32+fp32"]),
    ):
        cpu = ov_backend.DeviceInfo("CPU", "Test CPU", caps, {})
        cpu.precisions = {p: "native" for p in ("fp32", "bf16", "int8") if p.upper() in caps}
        monkeypatch.setattr(ov_backend, "_device_infos", lambda cpu=cpu: (cpu,))
        monkeypatch.setattr(ov_backend, "cpu_flags", lambda flags=flags: frozenset(flags))
        found = prec.candidate_defaults()
        assert [f"{b.precision}+{s.precision}" for b, s in found if b.kind == "openvino"] == expected
        assert found[-1] == (Backend("cpu"), Backend("cpu"))


@pytest.mark.skipif(not BF16_NATIVE, reason="this CPU has no native bf16 (AVX512_BF16 / AMX)")
def test_bf16_synthesizer_keeps_durations_and_is_faithful(ort_voice):
    voice = _voice(bert_backend="openvino:CPU", synth_backend="openvino:CPU", bert_precision="bf16",
                   synth_precision="bf16")  # fmt: skip
    # before any request: where it will run, not the FP32 whole graph (which would read as a fall-back)
    assert voice.ran_on()["synthesize"] == "OpenVINO:CPU bf16 (durations fp32)"
    ref = ort_voice.synthesize(TEXT, DETERMINISTIC)
    got = voice.synthesize(TEXT, DETERMINISTIC)
    assert got.ran_on == {"bert": "OpenVINO:CPU bf16", "synthesize": "OpenVINO:CPU bf16 (durations fp32)"}
    fidelity = prec.audio_fidelity(ref.audio, got.audio, voice.sample_rate)
    assert fidelity["length_diff"] == 0 and fidelity["snr_db"] >= prec.LIMITS["synth_snr_db"]
    streamed = voice.stream(TEXT, DETERMINISTIC, SynthesisPlan.streaming()).collect()
    assert len(streamed.audio) == len(ref.audio) and streamed.ran_on["synthesize"].endswith("(durations fp32)")
    # the durations' part of the latent graph (the prior) ran in FP32, the flow after it at bf16
    latent = voice.streamer().latent_session
    assert (latent.prior.ran_on, latent.flow.ran_on) == ("OpenVINO:CPU", "OpenVINO:CPU bf16")


def test_cli_precision_flags_parse_and_bad_values_are_one_line(capsys):
    args = cli.build_parser().parse_args(
        ["synth", "テスト", "-o", "x.wav", "--synth-backend", "openvino", "--synth-precision", "bf16",
         "--bert-backend", "openvino:CPU", "--bert-precision", "int8"]
    )  # fmt: skip
    assert (args.synth_backend, args.synth_precision, args.bert_backend, args.bert_precision) == (
        "openvino", "bf16", "openvino:CPU", "int8")  # fmt: skip
    with pytest.raises(SystemExit):
        cli.build_parser().parse_args(["synth", "テスト", "-o", "x.wav", "--synth-precision", "fp8"])
    assert "invalid choice: 'fp8'" in capsys.readouterr().err
    code = cli.main(["synth", "テスト", "-o", "x.wav", "--model", str(FIXTURES / "jp_extra"), "--bert",
                     str(FIXTURES / "bert"), "--synth-backend", "openvino:XPU"])  # fmt: skip
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and "no device 'XPU'" in err[0] and "Traceback" not in err[0]


def test_audio_fidelity_measures_what_it_says():
    rng = np.random.default_rng(0)
    ref = rng.standard_normal(24000).astype(np.float32)
    same = prec.audio_fidelity(ref, ref, 44100)
    assert same["snr_db"] == float("inf") and same["log_mel_l1"] == 0.0 and same["length_diff"] == 0
    noisy = ref + 0.01 * rng.standard_normal(24000).astype(np.float32)  # 40 dB below the signal
    got = prec.audio_fidelity(ref, np.concatenate([noisy, np.zeros(512, np.float32)]), 44100)
    assert 39 < got["snr_db"] < 41 and got["length_diff"] == 512 and got["log_mel_l1"] > 0
    bert = prec.bert_fidelity(ref.reshape(24, 1000), -ref.reshape(24, 1000))
    assert bert["cosine"] == pytest.approx(-1.0)


def test_fastest_safe_defaults_are_chosen_once_and_kept(tmp_path, monkeypatch):
    path = tmp_path / "defaults.json"
    monkeypatch.setattr(prec, "candidate_defaults", lambda: [(Backend("openvino"), Backend("openvino"))])
    chosen = prec.fastest_safe_defaults(measure=False, path=path)
    assert chosen.backends() == (Backend("openvino"), Backend("openvino")) and path.is_file()
    chosen.synth, chosen.chosen_by = "cpu:0", "person"
    prec.save_defaults(chosen, path)
    assert prec.fastest_safe_defaults(path=path).synth == "cpu:0"  # the person's choice is kept


def test_pipeline_reports_openvino_per_stage(ov_voice):
    assert isinstance(ov_voice, Pipeline)
    assert ov_voice.stage_provider("bert") == "OpenVINO:CPU"


def _matmul_graph(path, size: int = 256):
    """A one-MatMul ONNX graph with `size`² FP32 weights."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    weights = np.random.default_rng(0).standard_normal((size, size)).astype(np.float32)
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["x", "w"], ["y"])], "mm",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["n", size])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["n", size])],
        [numpy_helper.from_array(weights, "w")],
    )  # fmt: skip
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), str(path))
    return weights


@pytest.mark.skipif(not BF16_NATIVE, reason="this CPU has no native bf16 (AVX512_BF16 / AMX)")
def test_a_bf16_voice_never_opens_its_fp32_whole_graph_and_decodes_whole_requests_in_one_run(ort_voice):
    """At a reduced precision every request runs the split graphs, so the FP32 whole synthesizer is not opened
    (once its graph was seen: a second launch compiles one graph less); a whole request decodes its latent with
    the one decoder graph, and the cascade's parts open with the first streamed request."""
    bf16 = dict(bert_backend="openvino:CPU", synth_backend="openvino:CPU", synth_precision="bf16")
    _voice(**bf16)  # the first opening of this graph records its inputs
    voice = _voice(**bf16)
    whole = voice.synth.session
    assert whole.released and voice.ran_on()["synthesize"] == "OpenVINO:CPU bf16 (durations fp32)"
    ref = ort_voice.synthesize(TEXT, DETERMINISTIC)
    got = voice.synthesize(TEXT, DETERMINISTIC)
    streamer = voice.streamer()
    assert whole.released and streamer.decoder_parts == [] and streamer.decoder_session is not None
    assert got.ran_on["synthesize"] == "OpenVINO:CPU bf16 (durations fp32)"
    fidelity = prec.audio_fidelity(ref.audio, got.audio, voice.sample_rate)
    assert fidelity["length_diff"] == 0 and fidelity["snr_db"] >= prec.LIMITS["synth_snr_db"]
    streamed = voice.stream(TEXT, DETERMINISTIC, SynthesisPlan.streaming()).collect()
    assert len(streamed.audio) == len(ref.audio) and streamer.decoder_mode == "cascade" and streamer.decoder_parts
    assert whole.released and streamed.ran_on["synthesize"] == "OpenVINO:CPU bf16 (durations fp32)"


def test_reduced_precisions_read_16_bit_weights_made_once(tmp_path, monkeypatch):
    """bf16/fp16 sessions compile an IR whose weights are stored in FP16 (the ONNX file's FP32 weights would stay
    in memory beside the plug-in's 16-bit copies), written once; a cache that cannot be written costs nothing."""
    monkeypatch.setattr(ov_backend, "model_cache_dir", lambda: tmp_path / "cache")
    weights = _matmul_graph(tmp_path / "mm.onnx")
    xml = ov_backend.weights_ir(tmp_path / "mm.onnx", "fp16")
    assert xml is not None and xml.parent == tmp_path / "cache" / "ir"
    assert xml.with_suffix(".bin").stat().st_size <= weights.nbytes // 2 + 1024  # FP16, not FP32
    assert not list(xml.parent.glob("*.partial*"))
    built = xml.stat().st_mtime_ns
    assert ov_backend.weights_ir(tmp_path / "mm.onnx", "fp16") == xml and xml.stat().st_mtime_ns == built
    x = np.random.default_rng(1).standard_normal((3, 256)).astype(np.float32)
    fp32 = ov_backend.OpenVINOSession(tmp_path / "mm.onnx", "CPU", "fp32").run(None, {"x": x})[0]
    np.testing.assert_allclose(fp32, x @ weights, rtol=1e-4, atol=1e-3)
    if BF16_NATIVE:
        half = ov_backend.OpenVINOSession(tmp_path / "mm.onnx", "CPU", "bf16").run(None, {"x": x})[0]
        assert np.abs(half - fp32).max() < 0.05 * np.abs(fp32).max()
    (tmp_path / "blocked").write_text("a file where the cache folder would be")
    monkeypatch.setattr(ov_backend, "model_cache_dir", lambda: tmp_path / "blocked")
    assert ov_backend.weights_ir(tmp_path / "mm.onnx", "fp16") is None


def _upsampling_graph(path):
    """An ONNX graph of 1-D transposed convolutions as SBV2's decoder upsamples (kernel 2× the stride, padding
    (k−s)/2; kernel = stride; with and without bias; uneven padding), and one the rewrite must leave alone (a
    kernel that is no multiple of its stride). Returns the layers' (stride, kernel, pads)."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    rng = np.random.default_rng(3)
    layers = [(8, 16, (4, 4), True), (2, 8, (3, 3), False), (2, 2, (0, 0), True), (3, 6, (1, 2), True),
              (2, 5, (1, 1), True)]  # fmt: skip
    nodes, inits, x, channels = [], [], "x", 12
    for i, (stride, kernel, pads, bias) in enumerate(layers):
        out = channels - 2
        inits.append(numpy_helper.from_array(rng.standard_normal((channels, out, kernel)).astype(np.float32), f"w{i}"))
        inputs = [x, f"w{i}"]
        if bias:
            inits.append(numpy_helper.from_array(rng.standard_normal(out).astype(np.float32), f"b{i}"))
            inputs.append(f"b{i}")
        nodes.append(helper.make_node("ConvTranspose", inputs, [f"y{i}"], strides=[stride], kernel_shape=[kernel],
                                      pads=list(pads)))  # fmt: skip
        x, channels = f"y{i}", out
    graph = helper.make_graph(
        nodes, "ups", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 12, "t"])],
        [helper.make_tensor_value_info(x, TensorProto.FLOAT, [1, channels, None])], inits,
    )  # fmt: skip
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), str(path))
    return layers


def test_transposed_convolutions_run_as_convolutions_with_the_same_output(tmp_path, monkeypatch):
    """OpenVINO's CPU plug-in runs transposed convolutions slowly (a fifth of the full-size decoder's time at
    bf16), so an IR holds each one whose kernel is a multiple of its stride as a convolution into stride × the
    channels, its phases interleaved: the same audio as onnxruntime's ConvTranspose (a wrong phase order,
    kernel flip or crop would not be), at every input length. An FP32 graph with nothing to rewrite still
    compiles its ONNX file, and that verdict is remembered (no second conversion)."""
    import onnxruntime as ort
    import openvino as ov

    monkeypatch.setattr(ov_backend, "model_cache_dir", lambda: tmp_path / "cache")
    layers = _upsampling_graph(tmp_path / "ups.onnx")
    model = ov.Core().read_model(str(tmp_path / "ups.onnx"))
    assert ov_backend.convolutions_for_transposed(model) == len(layers) - 1
    assert [op.get_type_name() for op in model.get_ordered_ops()].count("ConvolutionBackpropData") == 1
    reference = ort.InferenceSession(str(tmp_path / "ups.onnx"), providers=["CPUExecutionProvider"])
    xml = ov_backend.weights_ir(tmp_path / "ups.onnx", "fp32")
    assert xml is not None and xml.is_file()
    session = ov_backend.OpenVINOSession(tmp_path / "ups.onnx", "CPU", "fp32")
    rng = np.random.default_rng(4)
    for length in (1, 7, 30):
        x = rng.standard_normal((1, 12, length)).astype(np.float32)
        want = reference.run(None, {"x": x})[0]
        got = session.run(None, {"x": x})[0]
        assert got.shape == want.shape
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-4 * np.abs(want).max())
    _matmul_graph(tmp_path / "mm.onnx")
    assert ov_backend.weights_ir(tmp_path / "mm.onnx", "fp32") is None
    assert not list((tmp_path / "cache" / "ir").glob("mm.*.xml"))

    def convert_again(*args):
        raise AssertionError("converted again")

    monkeypatch.setattr(ov_backend, "_write_ir", convert_again)
    assert ov_backend.weights_ir(tmp_path / "mm.onnx", "fp32") is None


def test_an_ir_replaces_the_one_made_earlier_from_the_same_file(tmp_path, monkeypatch):
    """The file changed (or OpenVINO, or how IRs are made): the new IR deletes the earlier one of that file and
    IRs named by an older recipe, so the cache does not grow by a whole BERT with every change; another file of
    the same name (another voice's) keeps its IR."""
    import os

    monkeypatch.setattr(ov_backend, "model_cache_dir", lambda: tmp_path / "cache")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    _matmul_graph(tmp_path / "a" / "mm.onnx")
    _matmul_graph(tmp_path / "b" / "mm.onnx", 128)
    first = ov_backend.weights_ir(tmp_path / "a" / "mm.onnx", "fp16")
    other = ov_backend.weights_ir(tmp_path / "b" / "mm.onnx", "fp16")
    legacy = [first.parent / f"mm.fp16.0123456789abcdef.{suffix}" for suffix in ("xml", "bin")]
    for path in legacy:
        path.write_text("an IR named before sources were part of the name")
    _matmul_graph(tmp_path / "a" / "mm.onnx", 64)  # the voice's file was replaced
    stamp = (tmp_path / "a" / "mm.onnx").stat().st_mtime_ns + 10**9
    os.utime(tmp_path / "a" / "mm.onnx", ns=(stamp, stamp))
    second = ov_backend.weights_ir(tmp_path / "a" / "mm.onnx", "fp16")
    assert second is not None and second != first and second.is_file() and second.with_suffix(".bin").is_file()
    assert not first.exists() and not first.with_suffix(".bin").exists()
    assert not any(path.exists() for path in legacy)
    assert other.is_file() and other.with_suffix(".bin").is_file()
    x = np.ones((1, 64), np.float32)
    assert ov_backend.OpenVINOSession(tmp_path / "a" / "mm.onnx", "CPU", "fp32").run(None, {"x": x})[0].shape == (1, 64)


def test_compiled_models_are_kept_per_graph_file_and_go_with_it(tmp_path, monkeypatch):
    """What OpenVINO compiles from a file is cached in a folder of that file's own: a changed file's earlier
    compiled models go when it is compiled again, and all of them when the file is removed (as a voice's are)."""
    import os

    from sbv2_studio import paths

    monkeypatch.setenv(paths.HOME_ENV, str(tmp_path / "home"))
    graph = tmp_path / "voice" / "mm.onnx"
    graph.parent.mkdir()
    _matmul_graph(graph, 64)
    ov_backend.OpenVINOSession(graph, "CPU", "fp32").run(None, {"x": np.ones((1, 64), np.float32)})
    (first,) = [blob.parent for blob in ov_backend.model_cache_dir().rglob("*.blob")]
    assert first == ov_backend.compiled_cache_for(graph) and first.name.startswith("mm.compiled.")

    _matmul_graph(graph, 32)  # the file changed
    stamp = graph.stat().st_mtime_ns + 10**9
    os.utime(graph, ns=(stamp, stamp))
    session = ov_backend.OpenVINOSession(graph, "CPU", "fp32")
    assert session.run(None, {"x": np.ones((1, 32), np.float32)})[0].shape == (1, 32)
    (second,) = [blob.parent for blob in ov_backend.model_cache_dir().rglob("*.blob")]
    assert second != first and not first.exists()

    paths.remove_derived(graph)  # the voice was removed
    assert not second.exists() and not list(ov_backend.model_cache_dir().rglob("*.blob"))


def _worst_cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(((a * b).sum(-1) / np.linalg.norm(a, axis=-1) / np.linalg.norm(b, axis=-1)).min())


def test_int8_stores_matrix_weights_in_8_bit_groups_and_stays_close_to_fp32(tmp_path, monkeypatch):
    """OpenVINO's int8: each MatMul's weights as 8-bit integers with a scale and zero point per output channel and
    64 input channels (a quarter of the FP32 file), computed at the fastest native float; a matrix whose input
    size is no multiple of 64 gets one scale per output channel. Where the IR cannot be written the weights are
    compressed in memory: int8 still means 8-bit weights."""
    monkeypatch.setattr(ov_backend, "model_cache_dir", lambda: tmp_path / "cache")
    weights = _matmul_graph(tmp_path / "mm.onnx")
    xml = ov_backend.weights_ir(tmp_path / "mm.onnx", "int8")
    assert xml is not None and xml != ov_backend.weights_ir(tmp_path / "mm.onnx", "fp16")
    assert xml.with_suffix(".bin").stat().st_size <= weights.nbytes // 4 * 1.1  # 8 bits, + 3 bytes per 64
    x = np.random.default_rng(1).standard_normal((5, 256)).astype(np.float32)
    session = ov_backend.OpenVINOSession(tmp_path / "mm.onnx", "CPU", "int8")
    assert session.arithmetic == ("bf16" if BF16_NATIVE else "fp32")
    got = session.run(None, {"x": x})[0]
    assert _worst_cosine(got, x @ weights) > 0.999
    # what a wrong scale, zero point or group layout would break: the quantized matrix itself, run at fp32
    import openvino as ov

    model = ov.Core().read_model(str(tmp_path / "mm.onnx"))
    assert ov_backend.compress_weights_int8(model) == 1
    types = [op.get_type_name() for op in model.get_ordered_ops()]
    assert "Subtract" in types and "Multiply" in types and "Reshape" in types
    dequantized = ov.Core().compile_model(model, "CPU", {"INFERENCE_PRECISION_HINT": "f32"})({"x": np.eye(256,
        dtype=np.float32)})[0]  # fmt: skip
    assert np.abs(dequantized - weights).max() <= (weights.max() - weights.min()) / 255  # within one step
    odd = _matmul_graph(tmp_path / "odd.onnx", 100)
    model = ov.Core().read_model(str(tmp_path / "odd.onnx"))
    assert ov_backend.compress_weights_int8(model) == 1
    dequantized = ov.Core().compile_model(model, "CPU", {"INFERENCE_PRECISION_HINT": "f32"})({"x": np.eye(100,
        dtype=np.float32)})[0]  # fmt: skip
    assert np.abs(dequantized - odd).max() <= (odd.max() - odd.min()) / 255
    (tmp_path / "blocked").write_text("a file where the cache folder would be")
    monkeypatch.setattr(ov_backend, "model_cache_dir", lambda: tmp_path / "blocked")
    in_memory = ov_backend.OpenVINOSession(tmp_path / "mm.onnx", "CPU", "int8").run(None, {"x": x})[0]
    np.testing.assert_allclose(in_memory, got, rtol=1e-5, atol=1e-5)


def _resident_mb(ranges) -> float:
    """Resident memory of these (start, end, path) mappings, from /proc/self/smaps."""
    wanted = {(start, end) for start, end, _ in ranges}
    total, current = 0, None
    with open("/proc/self/smaps", encoding="utf-8") as f:
        for line in f:
            head = line.split(maxsplit=1)[0]
            if "-" in head and not head.endswith(":"):
                start, end = (int(v, 16) for v in head.split("-"))
                current = (start, end) in wanted
            elif head == "Rss:" and current:
                total += int(line.split()[1])
    return total / 1024


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/smaps")
def test_the_compiled_models_file_leaves_ram_after_the_first_run_and_results_stay_the_same(tmp_path, monkeypatch):
    """The plug-in reads the compiled model's file (here the cached blob) on the first run and keeps its own copy
    of the weights; the file's pages are then dropped from the process's memory (a later read gets them back from
    the file, so results do not change)."""
    monkeypatch.setattr(ov_backend, "model_cache_dir", lambda: tmp_path / "cache")
    monkeypatch.setattr(ov_backend, "_core", None)  # a Core whose model cache is in tmp_path
    _matmul_graph(tmp_path / "mm.onnx", 2048)  # 16 MB of FP32 weights
    x = np.random.default_rng(1).standard_normal((3, 2048)).astype(np.float32)
    first = ov_backend.OpenVINOSession(tmp_path / "mm.onnx", "CPU", "fp32").run(None, {"x": x})[0]
    session = ov_backend.OpenVINOSession(tmp_path / "mm.onnx", "CPU", "fp32")  # imports the cached blob
    mapped = session._mapped
    assert mapped and all(path.startswith(str(tmp_path / "cache")) for _, _, path in mapped)
    ov_backend._drop_pages(frozenset())  # nothing to drop: nothing happens
    got = session.run(None, {"x": x})[0]
    np.testing.assert_array_equal(got, first)
    assert session._mapped == frozenset() and _resident_mb(mapped) < 2  # was ≥ 16 MB read on the first run
    for n in (3, 7):
        np.testing.assert_array_equal(session.run(None, {"x": x[:1].repeat(n, 0)})[0], first[:1].repeat(n, 0))
    monkeypatch.setattr(ov_backend, "_core", None)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/smaps")
def test_the_compiled_models_file_leaves_ram_while_the_first_run_repacks_it(tmp_path, monkeypatch):
    """The file's pages are dropped during the first run as well, so they and the plug-in's repacked copy are not
    both resident at its end (the process's peak): here the run waits, after reading the weights, until the
    dropper has been round, and the file's pages are gone while it is still running."""
    monkeypatch.setattr(ov_backend, "model_cache_dir", lambda: tmp_path / "cache")
    monkeypatch.setattr(ov_backend, "_core", None)
    _matmul_graph(tmp_path / "mm.onnx", 2048)  # 16 MB of FP32 weights
    x = np.random.default_rng(2).standard_normal((2, 2048)).astype(np.float32)
    expected = ov_backend.OpenVINOSession(tmp_path / "mm.onnx", "CPU", "fp32").run(None, {"x": x})[0]
    session = ov_backend.OpenVINOSession(tmp_path / "mm.onnx", "CPU", "fp32")  # imports the cached blob
    mapped = session._mapped
    assert mapped

    dropped = threading.Event()
    real_drop = ov_backend._drop_pages

    def drop(maps):
        real_drop(maps)
        dropped.set()

    monkeypatch.setattr(ov_backend, "_drop_pages", drop)
    seen_in_run = []

    class Request:  # the real request, then a look at the file's pages before the run returns
        def __init__(self, real):
            self.real = real

        def infer(self, feeds, **kwargs):
            result = self.real.infer(feeds, **kwargs)
            dropped.clear()
            assert dropped.wait(timeout=30), "nothing dropped the file's pages while the run was going on"
            seen_in_run.append(_resident_mb(mapped))
            return result

    session._request = Request(session._request)
    np.testing.assert_array_equal(session.run(None, {"x": x})[0], expected)
    assert seen_in_run and seen_in_run[0] < 2  # ≥ 16 MB of the file were read by this run
    assert session._mapped == frozenset()
    monkeypatch.setattr(ov_backend, "_core", None)


def test_audio_length_stages_hand_back_their_buffers_after_each_run(tmp_path, monkeypatch):
    """OpenVINO keeps a run's intermediate buffers (sized by that run's audio); the audio-length stages release
    them after every run, BERT (short, fixed-size inputs) keeps them."""
    from sbv2_studio.runtime.backends import StageSession

    _matmul_graph(tmp_path / "mm.onnx", 16)
    released = []
    monkeypatch.setattr(ov_backend.OpenVINOSession, "release_memory", lambda self: released.append(self))
    session = ov_backend.OpenVINOSession(tmp_path / "mm.onnx", "CPU", "fp32")
    x = np.ones((2, 16), np.float32)
    for stage, expected in (("synthesize", 2), ("decode", 2), ("decoder part", 2), ("latent", 2), ("bert", 0)):
        released.clear()
        stage_session = StageSession(session, Backend.parse("openvino:CPU"), stage)
        for _ in range(2):
            assert stage_session.run(None, {"x": x})[0].shape == (2, 16)
        assert len(released) == expected, stage


def test_audio_length_stages_keep_as_many_shape_kernels_as_come_back(tmp_path, monkeypatch):
    """The CPU plug-in keeps kernels (and memory that grows with the shape) per input shape. A streamed request's
    decoder parts run the same few chunk sizes over and over and keep many; the stages whose shapes follow each
    segment's text keep a few (a long text's segments held hundreds of MB each otherwise); BERT keeps the
    default. A streamed request really opens its parts as "decoder part" and a whole request's decoder as "decode"."""
    from sbv2_studio.runtime import backends

    weights = _matmul_graph(tmp_path / "mm.onnx", 16)
    capped = ov_backend.OpenVINOSession(tmp_path / "mm.onnx", "CPU", "fp32", shapes_cached=2)
    x = np.random.default_rng(0).standard_normal((9, 16)).astype(np.float32)
    for n in (1, 3, 5, 7, 9, 3):  # more shapes than it keeps: evicted kernels are made again, results unchanged
        np.testing.assert_allclose(capped.run(None, {"x": x[:n]})[0], x[:n] @ weights, rtol=1e-4, atol=1e-4)
    seen = {}
    real = ov_backend.OpenVINOSession.__init__

    def spy(self, model, device, precision="fp32", threads=None, shapes_cached=None):
        seen[model.name if isinstance(model, Path) else "(bytes)"] = shapes_cached
        real(self, model, device, precision, threads, shapes_cached)

    monkeypatch.setattr(ov_backend.OpenVINOSession, "__init__", spy)
    factory = SessionFactory(faults=[])
    for stage in ("decode", "decoder part", "latent", "synthesize", "bert"):
        (tmp_path / f"{stage}.onnx").write_bytes((tmp_path / "mm.onnx").read_bytes())
        factory.create(tmp_path / f"{stage}.onnx", Backend.parse("openvino:CPU"), stage)
    cap = backends.OV_SHAPES_CACHED
    assert {name: seen[f"{name}.onnx"] for name in cap} == cap and seen["bert.onnx"] is None
    assert cap["decoder part"] >= 64 and max(cap["decode"], cap["synthesize"]) <= 8

    seen.clear()
    voice = _voice(bert_backend="openvino:CPU", synth_backend="openvino:CPU")
    voice.stream(TEXT, DETERMINISTIC, SynthesisPlan.streaming()).collect()
    parts = {name: kept for name, kept in seen.items() if name.startswith("decoder_part")}
    assert parts and set(parts.values()) == {cap["decoder part"]}
    assert voice.streamer().whole_decoder is not None  # opens the whole decoder (a whole request's, at bf16)
    assert seen["decoder.onnx"] == cap["decode"]


def test_a_machine_short_of_memory_keeps_fewer_prepared_primitives_and_doctor_says_so(monkeypatch):
    """oneDNN keeps prepared primitives process-wide, each holding memory as long as its input (a long text held
    GBs): on a machine with little memory the studio keeps fewer (before OpenVINO starts); elsewhere, and where the
    person set the number, it touches nothing. `doctor` says what is in effect and why."""
    import json

    from ..test_cli import run_cli

    variable = ov_backend.PRIMITIVE_CACHE_VARIABLE
    for memory, expected in ((8 * 2**30 - 300 * 2**20, "128"), (16 * 2**30 - 2**29, None), (None, None)):
        monkeypatch.delenv(variable, raising=False)
        monkeypatch.setattr(ov_backend, "physical_memory", lambda memory=memory: memory)
        ov_backend._primitive_cache_limited.cache_clear()
        assert ov_backend._primitive_cache_limited() is (expected is not None)
        assert os.environ.get(variable) == expected, memory
        shown = ov_backend.primitive_cache_setting()
        assert shown == (("128", "chosen for this machine's memory") if expected else ("1024", "oneDNN's default"))
    monkeypatch.setenv(variable, "512")
    monkeypatch.setattr(ov_backend, "physical_memory", lambda: 4 * 2**30)
    ov_backend._primitive_cache_limited.cache_clear()
    assert not ov_backend._primitive_cache_limited() and os.environ[variable] == "512"
    assert ov_backend.primitive_cache_setting() == ("512", f"set by {variable}")
    ov_backend._primitive_cache_limited.cache_clear()

    report = json.loads(run_cli("doctor", "--json", env={variable: "64"}).stdout.decode("utf-8"))
    assert report["openvino"]["primitive_cache"] == {"kept": "64", "why": f"set by {variable}"}
    text = run_cli("doctor", env={variable: "64"}).stdout.decode("utf-8")
    assert f"OpenVINO keeps 64 prepared primitives (set by {variable}; " in text


def test_cli_defaults_shows_measures_and_stores_this_machines_choice(tmp_path):
    """`sbv2-studio defaults`: not measured yet; --measure measures the candidates on a voice against onnxruntime
    FP32 and stores the first within the limits (the fastest); the stored choice is shown as the flags to pass."""
    import json

    from ..test_cli import run_cli

    env = {"SBV2_STUDIO_HOME": str(tmp_path)}
    shown = run_cli("defaults", env=env)
    assert shown.returncode == 0 and "not measured on this machine yet" in shown.stdout.decode()
    refused = run_cli("defaults", "--measure", "--model", "builtin", env=env)
    assert refused.returncode == 2 and "needs an SBV2 voice" in refused.stderr.decode()
    assert b"Traceback" not in refused.stderr
    measured = run_cli("defaults", "--measure", "--model", str(FIXTURES / "jp_extra"), "--bert", str(FIXTURES / "bert"),
                       env=env)  # fmt: skip
    assert measured.returncode == 0, measured.stderr.decode()
    out = measured.stdout.decode()
    assert out.startswith("BERT ") and "--synth-backend " in out and "limits: synthesizer SNR ≥ 30 dB" in out
    stored = json.loads(run_cli("defaults", "--json", env=env).stdout)
    chosen = stored["defaults"]
    assert chosen["chosen_by"] == "measured" and stored["limits"] == prec.LIMITS
    if BF16_NATIVE:  # a bf16 synthesizer is within the limits on the fixtures (its BERT may have to stay exact)
        assert chosen["synth"].startswith("openvino:CPU") and chosen["synth_precision"] == "bf16"
        assert "SNR ≥" in chosen["fidelity"] and "same length" in chosen["fidelity"]
    else:
        assert chosen["bert_precision"] == chosen["synth_precision"] == "fp32"


def test_measuring_on_a_voice_that_cannot_open_names_it_and_stores_nothing(tmp_path):
    """A broken voice is the person's file to fix, not a backend to pass over: measuring it must not end in an
    unmeasured choice stored as if it had been measured."""
    from ..test_cli import run_cli

    env = {"SBV2_STUDIO_HOME": str(tmp_path / "home")}
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "model.onnx").write_text("not an ONNX graph")
    for name in ("config.json", "style_vectors.npy"):
        (broken / name).write_bytes((FIXTURES / "jp_extra" / name).read_bytes())
    proc = run_cli("defaults", "--measure", "--model", str(broken), "--bert", str(FIXTURES / "bert"), env=env)
    err = proc.stderr.decode()
    assert proc.returncode == 2 and "model.onnx" in err and "Traceback" not in err, err
    assert not (tmp_path / "home" / "backend_defaults.json").exists()
    assert "not measured on this machine yet" in run_cli("defaults", env=env).stdout.decode()


def test_a_corrupt_model_on_openvino_is_named_once_and_nothing_else_is_printed(tmp_path):
    """Given a file, OpenVINO tries every reader it has and its TensorFlow reader prints parse errors on stderr: a
    corrupt .onnx is refused by the ONNX reader alone, naming the file, at every precision (bf16 reads a 16-bit IR
    made from it)."""
    from ..test_cli import run_cli

    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "model.onnx").write_text("garbage")
    for name in ("config.json", "style_vectors.npy"):
        (broken / name).write_bytes((FIXTURES / "jp_extra" / name).read_bytes())
    env = {"SBV2_STUDIO_HOME": str(tmp_path / "home")}
    precisions = ["fp32", "bf16"] if BF16_NATIVE else ["fp32"]
    for precision in precisions:
        proc = run_cli(
            "synth", TEXT, "-o", str(tmp_path / "x.wav"), "--model", str(broken), "--bert", str(FIXTURES / "bert"),
            "--synth-backend", "openvino:CPU", "--synth-precision", precision, env=env,
        )  # fmt: skip
        err = proc.stderr.decode()
        assert proc.returncode == 2, err
        assert err.strip().splitlines() == [f"error: {broken / 'model.onnx'}: not an ONNX model OpenVINO can read"]
        assert not (tmp_path / "x.wav").exists()


def test_the_compiled_model_cache_stays_bounded_dropping_the_least_recently_used(tmp_path, monkeypatch):
    """OpenVINO never deletes compiled models from its cache: past the cap the least recently used go, other
    files stay; a model compiled from the cache counts as used (its file's time is renewed)."""
    import os

    old, mid, new = (tmp_path / f"{name}.blob" for name in ("old", "mid", "new"))
    mid = tmp_path / "mm.compiled.0123abcd.0123456789abcdef" / "mid.blob"  # in a graph file's own folder
    mid.parent.mkdir()
    for age, path in zip((300, 200, 100), (old, mid, new)):
        path.write_bytes(b"x" * 1000)
        os.utime(path, (path.stat().st_atime - age, path.stat().st_mtime - age))
    (tmp_path / "ir").mkdir()
    (tmp_path / "notes.txt").write_bytes(b"x" * 5000)
    assert ov_backend.prune_compiled_cache(tmp_path, keep_bytes=2000) == 1
    assert not old.exists() and mid.exists() and new.exists() and (tmp_path / "notes.txt").exists()
    assert ov_backend.prune_compiled_cache(tmp_path, keep_bytes=2000) == 0
    os.utime(mid, (new.stat().st_atime + 50, mid.stat().st_mtime))  # read since: the older file to go is `new`
    assert ov_backend.prune_compiled_cache(tmp_path, keep_bytes=1000) == 1 and mid.exists() and not new.exists()
    if sys.platform.startswith("linux"):  # where the session sees which cached file it mapped
        monkeypatch.setattr(ov_backend, "model_cache_dir", lambda: tmp_path / "cache")
        monkeypatch.setattr(ov_backend, "_core", None)  # a Core whose model cache is in tmp_path
        _matmul_graph(tmp_path / "mm.onnx")
        ov_backend.OpenVINOSession(tmp_path / "mm.onnx", "CPU", "fp32")  # compiles, writes its blob
        blobs = set(ov_backend.model_cache_dir().rglob("*.blob"))  # (in the graph file's own folder)
        for blob in blobs:
            os.utime(blob, (1_000_000_000, 1_000_000_000))
        ov_backend.OpenVINOSession(tmp_path / "mm.onnx", "CPU", "fp32")  # from the cache: maps its blob
        assert blobs and any(blob.stat().st_mtime > 1_000_000_000 for blob in blobs)
        monkeypatch.setattr(ov_backend, "_core", None)
