"""Backends: discovery, per-stage choice, and every branch of the fallback ladder under fault injection."""

from __future__ import annotations

import os

import numpy as np
import pytest

from sbv2_studio.engine.pipeline import Pipeline, SynthesisParams
from sbv2_studio.errors import BackendError
from sbv2_studio.runtime.backends import (
    CPU,
    Backend,
    Fault,
    ResilientSession,
    SessionConfig,
    SessionFactory,
    available_kinds,
    is_device_lost,
    probe_backends,
    probe_graph,
    return_freed_memory,
)

from ..conftest import FIXTURES

DETERMINISTIC = SynthesisParams(noise=0.0, sdp_ratio=0.0)
TEXT = "今日はいい天気ですね。"


def gpu_pipeline(*faults: Fault, bert: str = "cpu", synth: str = "cuda", events=None) -> Pipeline:
    return Pipeline.load(
        FIXTURES / "jp_extra",
        FIXTURES / "bert",
        bert_backend=Backend.parse(bert),
        synth_backend=Backend.parse(synth),
        factory=SessionFactory(faults=list(faults)),
        on_fallback=None if events is None else events.append,
    )


@pytest.fixture(scope="module")
def cpu_audio(jp_extra_pipeline):
    return jp_extra_pipeline.synthesize(TEXT, DETERMINISTIC).audio


def test_cpu_is_always_offered_and_works():
    assert "cpu" in available_kinds()
    probes = {p.kind: p for p in probe_backends(SessionFactory(faults=[]))}
    assert probes["cpu"].works and probes["cpu"].ran_on == "CPU"
    for kind in ("cuda", "dml", "tensorrt"):
        probe = probes[kind]
        if not probe.offered:  # this onnxruntime build lacks the provider: never tried, never "working"
            assert not probe.works and not probe.error
        else:  # tried: it either really ran there, or says why not
            assert probe.works == (probe.ran_on != "" and not probe.error) and (probe.works or probe.error)


def test_probe_reports_a_backend_that_fails_to_start():
    probes = {p.kind: p for p in probe_backends(SessionFactory(faults=[Fault("dml", "create", message="no adapter")]))}
    assert not probes["dml"].works and "no adapter" in probes["dml"].error


@pytest.mark.parametrize(
    "message, lost",
    [
        ("D3D12 error 887A0005", True),
        ("DXGI_ERROR_DEVICE_HUNG 887A0006", True),
        ("887A0007", True),
        ("887a0020", True),
        ("The GPU device instance has been suspended. Use GetDeviceRemovedReason", True),
        ("CUDA failure 2: out of memory", True),
        ("CUDNN_STATUS_EXECUTION_FAILED", True),
        ("Got invalid dimensions for input: x_tst", False),
        ("[ONNXRuntimeError] : 2 : INVALID_ARGUMENT", False),
    ],
)
def test_device_lost_classification(message, lost):
    assert is_device_lost(message) is lost


def test_backend_parsing():
    assert Backend.parse("cuda:1") == Backend("cuda", 1)
    assert Backend.parse("DML").label == "DirectML:0"
    with pytest.raises(BackendError, match="unknown backend 'vulkan'"):
        Backend.parse("vulkan")


def test_unavailable_gpu_falls_back_to_cpu_at_creation_and_says_so(cpu_audio):
    events = []
    pipeline = gpu_pipeline(Fault("cuda", "create", message="CUDA driver version is insufficient"), events=events)
    assert pipeline.ran_on() == {"bert": "CPU", "synthesize": "CPU"}
    assert [(e.stage, e.during) for e in events] == [("synthesize", "create")]
    assert "CUDA driver version is insufficient" in events[0].error
    result = pipeline.synthesize(TEXT, DETERMINISTIC)
    np.testing.assert_array_equal(result.audio, cpu_audio)
    assert [e.during for e in result.fallbacks] == ["create"]
    assert pipeline.synthesize(TEXT, DETERMINISTIC).fallbacks == []  # reported once, not on every request


def test_provider_missing_from_this_build_falls_back_to_cpu():
    if "dml" in available_kinds():
        pytest.skip("DirectML is really present here")
    events = []
    pipeline = gpu_pipeline(synth="dml", events=events)
    assert pipeline.ran_on()["synthesize"] == "CPU"
    assert "no DmlExecutionProvider" in events[0].error


def test_device_lost_mid_run_finishes_the_same_request_on_cpu(cpu_audio):
    events = []
    fault = Fault(
        "cuda", "run", nth=2, message="CUDA failure 700: an illegal memory access; CUDNN_STATUS_INTERNAL_ERROR"
    )
    pipeline = gpu_pipeline(fault, events=events)
    first = pipeline.synthesize(TEXT, DETERMINISTIC)
    assert first.fallbacks == [] and first.ran_on["synthesize"] == "CUDA:0 (emulated on CPU)"
    second = pipeline.synthesize(TEXT, DETERMINISTIC)  # the GPU dies during this request
    np.testing.assert_array_equal(second.audio, cpu_audio)
    assert [(e.stage, e.backend, e.during) for e in second.fallbacks] == [("synthesize", "CUDA:0", "run")]
    assert "illegal memory access" in second.fallbacks[0].error
    assert second.ran_on["synthesize"] == "CPU"
    # The lost device is not touched again: later requests stay on CPU without new events.
    third = pipeline.synthesize(TEXT, DETERMINISTIC)
    assert third.fallbacks == [] and third.ran_on["synthesize"] == "CPU" and fault.runs == 2


def test_directml_device_removed_on_bert_stage(cpu_audio):
    fault = Fault("dml", "run", nth=1)  # default message: DXGI_ERROR_DEVICE_REMOVED (887A0005)
    pipeline = gpu_pipeline(fault, bert="dml", synth="cpu")
    result = pipeline.synthesize(TEXT, DETERMINISTIC)
    np.testing.assert_array_equal(result.audio, cpu_audio)
    assert [(e.stage, e.backend) for e in result.fallbacks] == [("bert", "DirectML:0")]
    assert "887A0005" in result.fallbacks[0].describe()


def test_errors_that_are_not_device_loss_are_not_swallowed():
    pipeline = gpu_pipeline(Fault("cuda", "run", nth=1, message="INVALID_ARGUMENT: bad input"))
    with pytest.raises(Exception, match="INVALID_ARGUMENT"):
        pipeline.synthesize(TEXT, DETERMINISTIC)


def test_cpu_session_is_created_once_and_kept():
    factory = SessionFactory(faults=[Fault("cuda", "run", nth=1)])
    created = []
    original = factory.create
    factory.create = lambda model, backend, name: created.append(backend.kind) or original(model, backend, name)
    session = ResilientSession(factory, FIXTURES / "bert" / "model.onnx", Backend("cuda"), "bert")
    feeds = {"input_ids": np.array([[1, 5, 2]], np.int64), "attention_mask": np.ones((1, 3), np.int64)}
    for _ in range(3):
        session.run(None, feeds)
    assert created == ["cuda", "cpu"]
    assert len(session.take_events()) == 1 and not session.healthy


def test_retry_gpu_recreates_the_device_only_when_asked():
    fault = Fault("cuda", "run", nth=1)
    pipeline = gpu_pipeline(fault)
    pipeline.synthesize(TEXT, DETERMINISTIC)
    assert pipeline.ran_on()["synthesize"] == "CPU"
    fault.nth = 100  # the device is back
    assert pipeline.retry_gpu() == {"bert": True, "synthesize": True}
    assert pipeline.ran_on()["synthesize"] == "CUDA:0 (emulated on CPU)"
    assert pipeline.synthesize(TEXT, DETERMINISTIC).fallbacks == []


def test_fault_spec_from_the_environment(monkeypatch):
    monkeypatch.setenv("SBV2_STUDIO_FAULT", "cuda:run:3:CUDA out of memory,dml:create")
    faults = SessionFactory().faults
    assert [(f.kind, f.at, f.nth) for f in faults] == [("cuda", "run", 3), ("dml", "create", 1)]
    assert faults[0].message == "CUDA out of memory"
    with pytest.raises(BackendError, match="bad fault spec"):
        Fault.parse("cuda:explode")


def test_synthesizer_sessions_plan_memory_per_run_and_give_it_back():
    """Audio-length stages run without a memory pattern (their shapes change every request) and return their
    arena's free chunks after each run; BERT keeps its pattern and arena (its shapes repeat, its tensors are small)."""
    factory = SessionFactory(SessionConfig(cpu_threads=1), faults=[])
    voice = FIXTURES / "jp_extra"
    model = next(voice.glob("*.onnx"))
    synth = factory.create(model, CPU, "synthesize")
    latent = factory.create(model, CPU, "latent")
    bert = factory.create(next((FIXTURES / "bert").glob("*.onnx")), CPU, "bert")
    assert synth.session.get_session_options().enable_mem_pattern is False
    assert latent.session.get_session_options().enable_mem_pattern is False
    assert bert.session.get_session_options().enable_mem_pattern is True
    assert synth.run_options is not None
    assert synth.run_options.get_run_config_entry("memory.enable_memory_arena_shrinkage") == "cpu:0"
    assert latent.run_options is not None and bert.run_options is None
    pipeline = Pipeline.load(voice, FIXTURES / "bert", factory=factory)
    audio = pipeline.synthesize("こんにちは。", SynthesisParams(noise=0.0, noise_w=0.0, sdp_ratio=0.0)).audio
    again = pipeline.synthesize("こんにちは。", SynthesisParams(noise=0.0, noise_w=0.0, sdp_ratio=0.0)).audio
    np.testing.assert_array_equal(audio, again)  # the shrunk arena is grown again, results unchanged
    return_freed_memory()  # safe to call anywhere (a no-op without glibc)


def test_the_heap_hands_large_buffers_back_once_a_session_factory_exists(monkeypatch):
    """A session factory fixes glibc's mmap threshold before any session allocates (per-request buffers of a few
    MB would otherwise stay in the heap after a long text); where glibc is not there, nothing is done."""
    import sys

    from sbv2_studio.runtime import backends

    calls = []
    monkeypatch.setattr(backends, "limit_heap_retention", lambda: calls.append(1) or True)
    SessionFactory(faults=[])
    assert calls == [1]
    monkeypatch.undo()
    from sbv2_studio.runtime.native import glibc as load_glibc

    glibc = load_glibc()
    assert (glibc is not None) == (sys.platform.startswith("linux") and hasattr(glibc, "mallopt"))
    assert backends.limit_heap_retention() is (glibc is not None)
    if glibc is not None:  # the value itself is glibc's to keep; setting it again is accepted
        assert glibc.mallopt(backends.M_MMAP_THRESHOLD, backends.MMAP_THRESHOLD_BYTES) == 1


def test_a_released_session_frees_itself_and_reopens_when_needed(cpu_audio):
    pipeline = Pipeline.load(FIXTURES / "jp_extra", FIXTURES / "bert", factory=SessionFactory(faults=[]))
    session = pipeline.synth.session
    session.release()
    assert session.released
    assert pipeline.ran_on() == {"bert": "CPU", "synthesize": "CPU"} and session.released  # reading: no reopen
    feeds = pipeline.synth.feeds(  # building inputs does not reopen it either
        np.array([0, 1, 0]), np.zeros(3, np.int64), np.zeros(3, np.int64), np.zeros((1024, 3), np.float32), sid=0,
        style_vec=pipeline.voice.style_vector(None, 1.0), length_scale=1.0, sdp_ratio=0.0, noise_scale=0.0,
        noise_scale_w=0.0,
    )  # fmt: skip
    assert "x_tst" in feeds and session.released
    np.testing.assert_array_equal(pipeline.synthesize(TEXT, DETERMINISTIC).audio, cpu_audio)  # reopened
    assert not session.released


class _CountingFactory(SessionFactory):
    def __init__(self):
        super().__init__(faults=[])
        self.created = 0

    def create(self, model, backend, name):
        self.created += 1
        return super().create(model, backend, name)


def test_a_lazy_session_opens_when_it_first_runs_once_its_graph_was_seen(tmp_path, monkeypatch):
    """A lazy stage (the FP32 whole synthesizer beside reduced-precision split graphs) opens at once the first
    time and records its inputs and outputs; later, for the same file, it answers them without opening, and
    opens on its first run. A changed file or an unreadable record: it opens at once, as before."""
    from sbv2_studio.paths import HOME_ENV

    monkeypatch.setenv(HOME_ENV, str(tmp_path / "home"))
    graph = tmp_path / "probe.onnx"
    graph.write_bytes(probe_graph())
    x = np.arange(4, dtype=np.float32).reshape(1, 4)

    first = _CountingFactory()
    ResilientSession(first, graph, CPU, "synthesize", lazy=True)
    assert first.created == 1  # not seen yet: opened now, its inputs recorded

    factory = _CountingFactory()
    session = ResilientSession(factory, graph, CPU, "synthesize", lazy=True)
    assert factory.created == 0 and session.released
    assert list(session.inputs) == ["x"] and session.inputs["x"].shape == [1, 4]
    assert session.output_names == ["y"] and session.ran_on == "CPU"
    assert factory.created == 0  # reading what it takes and where it runs does not open it
    np.testing.assert_array_equal(session.run(None, {"x": x})[0], 2 * x)
    assert factory.created == 1 and not session.released

    graph.write_bytes(probe_graph() + b"")  # the same bytes, a new modification time: another file to the cache
    os.utime(graph, ns=(graph.stat().st_atime_ns, graph.stat().st_mtime_ns + 10**9))
    changed = _CountingFactory()
    ResilientSession(changed, graph, CPU, "synthesize", lazy=True)
    assert changed.created == 1
    for record in (tmp_path / "home" / "cache" / "graph_io").glob("*.json"):
        record.write_text("{not json", encoding="utf-8")
    broken = _CountingFactory()
    ResilientSession(broken, graph, CPU, "synthesize", lazy=True)
    assert broken.created == 1  # an unreadable record: opened as before, and recorded again
    again = _CountingFactory()
    ResilientSession(again, graph, CPU, "synthesize", lazy=True)
    assert again.created == 0


def test_malformed_backend_and_fault_specs_are_clear_errors():
    """issue 17 item 18: `cuda:x`, `cpu:abc`, `cuda:run:x`, an unknown kind: a BackendError saying what is wrong."""
    for spec in ("cuda:x", "cpu:abc", "dml:²"):
        with pytest.raises(BackendError, match="must be a number"):
            Backend.parse(spec)
    assert Backend.parse(" CUDA:1 ") == Backend("cuda", 1)
    for spec, says in (("cuda:run:x", "must be 1 or more"), ("cuda:run:0", "must be 1 or more"),
                       ("gpu:create", "KIND one of"), ("cuda", "bad fault spec")):  # fmt: skip
        with pytest.raises(BackendError, match=says):
            Fault.parse(spec)


def test_an_injected_fault_without_a_message_speaks_its_backends_language():
    assert "CUDA" in Fault.parse("cuda:run:2").message and is_device_lost(Fault.parse("cuda:run:2").message)
    assert "DXGI" in Fault.parse("dml:create").message and is_device_lost(Fault.parse("dml:run").message)


def test_a_gpu_error_that_is_not_a_lost_device_is_a_backend_error_naming_the_stage():
    factory = SessionFactory(faults=[Fault("cuda", "run", nth=1, message="invalid argument in node Gather_3")])
    session = ResilientSession(factory, FIXTURES / "bert" / "model.onnx", Backend("cuda"), "bert")
    feeds = {"input_ids": np.array([[1, 5, 2]], np.int64), "attention_mask": np.ones((1, 3), np.int64)}
    with pytest.raises(BackendError, match="bert failed on CUDA:0.*Gather_3"):
        session.run(None, feeds)


def test_a_gpu_stage_copies_its_tensors_itself_and_the_copy_time_is_shown_per_stage(
    cpu_audio, jp_extra_pipeline, monkeypatch, tmp_path, capsys
):
    """On CUDA the studio copies a stage's inputs to the device and its outputs back itself (onnxruntime I/O
    binding), so the time the copies take is measured apart from the computation and shown per stage: in each
    StageTiming, the result and its report, and the CLI. The CPU stands in for the device here (no GPU in CI):
    the same audio, every ONNX stage's copies counted; sessions that are not bound count none."""
    from sbv2_studio import cli
    from sbv2_studio.runtime import backends

    monkeypatch.setattr(backends, "BOUND_DEVICES", {"cpu": "cpu"})
    pipeline = Pipeline.load(FIXTURES / "jp_extra", FIXTURES / "bert", factory=SessionFactory(faults=[]))
    assert pipeline.bert.session.active.bound_device == "cpu"
    timings = []
    result = pipeline.synthesize(TEXT, DETERMINISTIC, on_stage=timings.append)
    np.testing.assert_allclose(result.audio, cpu_audio, rtol=0, atol=1e-6)
    assert set(result.copies_ms) == {"bert", "synthesize"} and min(result.copies_ms.values()) > 0
    assert {t.stage for t in timings if t.copy_ms > 0} == {"bert", "synthesize"}
    assert all(0 <= t.copy_ms <= t.ms for t in timings)
    for stage, ms in result.copies_ms.items():
        assert ms <= result.timings_ms[stage]
        assert result.report()["copies_ms"][stage] == round(ms, 3)
    assert jp_extra_pipeline.synthesize(TEXT, DETERMINISTIC).copies_ms == {}  # opened unbound: nothing copied
    # an onnxruntime build that cannot make tensors on the device: the stage runs as before, nothing lost
    monkeypatch.setattr(backends, "BOUND_DEVICES", {"cpu": "no-such-device"})
    unbindable = Pipeline.load(FIXTURES / "jp_extra", FIXTURES / "bert", factory=SessionFactory(faults=[]))
    plain = unbindable.synthesize(TEXT, DETERMINISTIC)
    np.testing.assert_allclose(plain.audio, cpu_audio, rtol=0, atol=1e-6)
    assert plain.copies_ms == {} and unbindable.bert.session.active.bound_device is None
    monkeypatch.setattr(backends, "BOUND_DEVICES", {"cpu": "cpu"})

    code = cli.main(["synth", TEXT, "-o", str(tmp_path / "x.wav"), "--model", str(FIXTURES / "jp_extra"),
                     "--bert", str(FIXTURES / "bert")])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 0 and "host-device copies, ms (within the stages above): bert " in err and "synthesize " in err
