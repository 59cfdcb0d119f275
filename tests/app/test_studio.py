"""The application core without Qt: jobs run against the current voice and report events; the comparison loop
measures what really runs and skips what does not."""

from __future__ import annotations

import itertools
import sys
from collections import OrderedDict
from pathlib import Path

import numpy as np
import pytest

from sbv2_studio.app.compare import CompareConfig, ConfigCannotStart, not_running, run_comparison
from sbv2_studio.app.jobs import DEFAULTS, IMPORT, LOAD, PREPARE, READ_AHEAD, STREAM, SYNTH, Job, JobQueue
from sbv2_studio.app.studio import Studio
from sbv2_studio.app.voices import VOICE_CACHE
from sbv2_studio.audio.player import ClockedStream
from sbv2_studio.engine.params import SynthesisParams
from sbv2_studio.engine.streaming import StreamingSynthesizer
from sbv2_studio.engine.synthesis import SynthesisResult
from sbv2_studio.models.library import BUILTIN_ID
from sbv2_studio.runtime.backends import Backend

from ..conftest import bf16_native

CPU, CUDA = Backend("cpu"), Backend("cuda")
_ids = itertools.count(1)


class Events(list):
    def __call__(self, name, *args):
        self.append((name, args))

    def named(self, name):
        return [args for n, args in self if n == name]


@pytest.fixture
def studio(tmp_path, monkeypatch):
    monkeypatch.setenv("SBV2_STUDIO_HOME", str(tmp_path))
    events = Events()
    core = Studio(JobQueue(), events, home=tmp_path, stream_factory=ClockedStream.factory(record=True))
    core.queue.put(Job(next(_ids), LOAD, entry_id=BUILTIN_ID))
    core.drain()
    assert core.voice is not None and core.info.kind == "openjtalk"
    events.clear()
    return core, events


def run(core, kind, **kw) -> Job:
    job = Job(next(_ids), kind, **kw)
    core.queue.put(job)
    core.drain()
    return job


def test_no_qt_is_imported_by_the_core():
    # the application layer must run where there is no display and no Qt at all (an HTTP server)
    import subprocess

    code = ("import sys, sbv2_studio.app.studio, sbv2_studio.app.compare, sbv2_studio.cli; "
            "print(sorted(m for m in sys.modules if m.startswith('PySide6')))")  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_a_whole_request_reports_its_stages_then_the_result(studio):
    core, events = studio
    run(core, SYNTH, text="こんにちは。", params=SynthesisParams())
    names = [n for n, _ in events]
    assert names[0] == "started" and names[-1] == "finished"
    stages = [args[1].stage for args in events.named("stage")]
    assert stages == ["frontend", "synthesize", "postprocess"]
    (result_args,) = events.named("result")
    assert isinstance(result_args[1], SynthesisResult) and result_args[1].audio.size > 0
    assert not events.named("chunk") and not events.named("failed")


def test_a_streamed_request_plays_its_chunks_and_hands_over_the_same_audio(studio):
    core, events = studio
    run(core, STREAM, text="こんにちは。今日はいい天気ですね。", params=SynthesisParams())
    chunks = [args[1] for args in events.named("chunk")]
    (streamed,) = events.named("streamed")
    (result,) = events.named("result")
    assert streamed[1] is result[1] and [c.index for c in chunks] == list(range(len(result[1].chunks)))
    assert result[1].segments == ["こんにちは。", "今日はいい天気ですね。"] and result[1].underruns is not None
    whole = core.voice.synthesize("こんにちは。今日はいい天気ですね。")
    assert result[1].audio.size > whole.audio.size * 0.9  # the two sentences, as the whole request speaks them
    single = "こんにちは。"
    run(core, STREAM, text=single, params=SynthesisParams())
    np.testing.assert_array_equal(events.named("result")[-1][1].audio, core.voice.synthesize(single).audio)


def test_cancel_stops_a_request_before_its_next_chunk_and_gives_no_result(studio):
    core, events = studio
    text = "\n".join(f"{i}番目の文です。" for i in range(30))

    def cancel_at(kind, index):
        def emit(name, *args):
            events(name, *args)
            if name == kind and (args[1].line if kind == "stage" else args[1].index) == index:
                core.queue.running.cancelled = True  # as the window's Cancel does, from another thread

        return emit

    core.emit = cancel_at("stage", 1)  # while the second line is made (a whole request: no chunks)
    run(core, SYNTH, text=text, params=SynthesisParams())
    assert not events.named("result") and len(events.named("cancelledJob")) == 1
    stages = [args[1] for args in events.named("stage")]
    assert max(t.line for t in stages) == 1  # it stopped at the next stage: no third line was started
    events.clear()
    core.emit = cancel_at("chunk", 1)
    run(core, STREAM, text=text, params=SynthesisParams())
    assert len(events.named("chunk")) == 2 and not events.named("result")


def test_a_failure_reaches_the_front_end_as_a_message_and_the_voice_stays(studio, monkeypatch):
    core, events = studio
    voice = core.voice
    run(core, SYNTH, text="   ", params=SynthesisParams())
    (failed,) = events.named("failed")
    assert failed[1] == SYNTH and "empty" in failed[2] and "Traceback" not in failed[2]
    monkeypatch.setenv("SBV2_STUDIO_BERT", str(Path(__file__).parents[1] / "fixtures" / "bert"))
    run(core, LOAD, entry_id=str(core.home / "no-such-model"))
    assert "no-such-model" in events.named("failed")[-1][2] and core.voice is voice


def test_a_safetensors_voice_imports_with_progress_then_speaks_and_streams(studio, monkeypatch, tmp_path):
    """What the window's Import… and drop run off the GUI thread: conversion progress, then an ordinary voice."""
    import shutil

    core, events = studio
    fixtures = Path(__file__).parents[1] / "fixtures"
    monkeypatch.setenv("SBV2_STUDIO_BERT", str(fixtures / "bert"))
    folder = tmp_path / "shared_voice"
    folder.mkdir()
    for name in ("config.json", "style_vectors.npy"):
        shutil.copy(fixtures / "jp_extra" / name, folder / name)
    shutil.copy(fixtures / "reference" / "jp_extra.safetensors", folder / "voice_e5_s500.safetensors")
    run(core, IMPORT, path=str(folder))
    (imported,) = events.named("imported")
    entry = imported[1]
    assert entry.valid and entry.path.parent == core.library().models_dir
    progress = events.named("progress")
    assert progress and all("Converting shared_voice" in args[3] for args in progress)
    assert [args[1] for args in progress] == sorted(args[1] for args in progress) and progress[-1][1:3] == (100, 100)
    events.clear()
    run(core, LOAD, entry_id=entry.id, prepare_stream=True)
    assert core.info.kind == "sbv2" and not events.named("failed")
    run(core, SYNTH, text="今日はいい天気ですね。", params=SynthesisParams(noise=0.0, noise_w=0.0))
    (whole,) = events.named("result")
    run(core, STREAM, text="今日はいい天気ですね。", params=SynthesisParams(noise=0.0, noise_w=0.0))
    assert events.named("chunk") and not events.named("failed")
    streamed = events.named("result")[-1][1]
    assert whole[1].audio.size > 4410 and streamed.audio.size == whole[1].audio.size


@pytest.mark.parametrize("synth_backend", ["cpu", "openvino:CPU@bf16"])
def test_the_first_streamed_request_after_getting_streaming_ready_is_a_warm_one(studio, monkeypatch, synth_backend):
    """Getting streaming ready warms the streamed path whenever no streamed request has run yet, also when the
    split graphs were open already: a bf16 synthesizer's whole requests use them too (its load's warm-up opens them),
    and streaming switched on after a load without it finds them open. The person's first streamed request was
    then the cold one: the engines' first runs, and playback held back for lack of a measured speed (1.1-1.7 s)."""
    if "bf16" in synth_backend and not bf16_native():
        pytest.skip("this CPU has no native bf16 (AVX512_BF16 / AMX)")
    core, events = studio
    fixtures = Path(__file__).parents[1] / "fixtures"
    monkeypatch.setenv("SBV2_STUDIO_BERT", str(fixtures / "bert"))
    voice = str(fixtures / "jp_extra")
    backend = Backend.parse(synth_backend)
    if backend.kind == "openvino":  # the load's warm-up opens the split graphs, then streaming is prepared
        run(core, LOAD, entry_id=voice, synth_backend=backend, runs=1, prepare_stream=True)
    else:  # loaded without streaming, then the box is ticked: the split graphs open, then streaming is prepared
        run(core, LOAD, entry_id=voice, synth_backend=backend, runs=0, prepare_stream=True)
        assert core.voice.is_cold(core.streaming_plan)
        run(core, PREPARE)
    assert not events.named("failed")
    assert not core.voice.is_cold(core.streaming_plan)
    result = core.voice.stream("今日はいい天気ですね。", plan=core.streaming_plan).collect()
    assert result.first_request is False and result.audio.size > 0


def test_reading_ahead_prepares_the_next_request_quietly_and_gives_way_to_any_job(studio, monkeypatch):
    """The window reads the text the person paused typing: the request that follows computes no BERT, nothing is
    reported to the person (no result, no failure, not even for unreadable text), and a job that comes while it
    reads stops it before the next segment."""
    core, events = studio
    fixtures = Path(__file__).parents[1] / "fixtures"
    monkeypatch.setenv("SBV2_STUDIO_BERT", str(fixtures / "bert"))
    run(core, LOAD, entry_id=str(fixtures / "jp_extra"), runs=0)
    computed = []
    real = core.voice.bert.compute
    monkeypatch.setattr(core.voice.bert, "compute", lambda ids: computed.append(len(ids)) or real(ids))
    events.clear()
    text = "先に読まれる一文目です。二文目もここに。"
    run(core, READ_AHEAD, text=text, params=SynthesisParams(), play=True)
    assert len(computed) == len(list(core.streaming_plan.segments(text))) == 2
    assert {name for name, _ in events} == {"started", "finished"}  # no result, progress or failure
    computed.clear()
    run(core, STREAM, text=text, params=SynthesisParams(), play=False)
    assert computed == [] and events.named("streamed")
    run(core, READ_AHEAD, text="♪♪♪", params=SynthesisParams(), play=True)
    assert not events.named("failed")  # the request, if made, says what is wrong
    # a job put while it reads: the segment under way finishes, no other starts
    reading = Job(next(_ids), READ_AHEAD, text="一つ目の新しい文。二つ目の新しい文。三つ目の文。", play=True)
    core.queue.put(reading)
    computed.clear()
    monkeypatch.setattr(core.voice.bert, "compute",
                        lambda ids: (computed.append(len(ids)), core.queue.put(Job(next(_ids), SYNTH, text="次。")),
                                     real(ids))[2])  # fmt: skip
    core.drain()
    assert len(computed) == 2  # the read-ahead's first segment, then the request's own line


@pytest.mark.parametrize("keep_whole_graph", [False, True])
def test_an_http_engine_keeps_the_whole_graph_open_when_it_gets_streaming_ready(tmp_path, monkeypatch,
                                                                              keep_whole_graph):  # fmt: skip
    """The window streams or it does not: getting streaming ready frees the whole synthesizer's session (275 MB on
    a full-size voice) until a whole request reopens it. An HTTP engine is asked for whole and streamed requests
    alike, and reopening takes seconds: its Studio keeps the session open, and its streamed path is warm all the
    same."""
    monkeypatch.setenv("SBV2_STUDIO_HOME", str(tmp_path))
    fixtures = Path(__file__).parents[1] / "fixtures"
    monkeypatch.setenv("SBV2_STUDIO_BERT", str(fixtures / "bert"))
    monkeypatch.setattr(VOICE_CACHE, "_voices", OrderedDict())
    events = Events()
    core = Studio(JobQueue(), events, home=tmp_path, keep_whole_graph=keep_whole_graph)
    run(core, LOAD, entry_id=str(fixtures / "jp_extra"), runs=1)
    whole = core.voice.synth.session
    assert not whole.released and core.voice.is_cold(core.streaming_plan)
    run(core, PREPARE)
    assert not events.named("failed") and not core.voice.is_cold(core.streaming_plan)
    assert whole.released is not keep_whole_graph


def test_a_request_waiting_cuts_the_chunk_shapes_warm_up_short(studio, monkeypatch):
    """Warming the chunk shapes on OpenVINO (2 s on a full-size voice) gives way to a person's request that waits
    for the load to finish: it does not start, and the request runs."""
    core, events = studio
    fixtures = Path(__file__).parents[1] / "fixtures"
    monkeypatch.setenv("SBV2_STUDIO_BERT", str(fixtures / "bert"))
    monkeypatch.setattr(VOICE_CACHE, "_voices", OrderedDict())  # a fresh, cold voice
    decoded = []
    real = StreamingSynthesizer.warm_chunk_shapes

    def recording(self, plan, sid=0, stop=None, seen=None):
        decoded.append(real(self, plan, sid, stop, seen))
        return decoded[-1]

    monkeypatch.setattr(StreamingSynthesizer, "warm_chunk_shapes", recording)
    load = Job(next(_ids), LOAD, entry_id=str(fixtures / "jp_extra"), synth_backend=Backend.parse("openvino:CPU"),
               runs=1, prepare_stream=True)  # fmt: skip
    core.queue.put(load)
    core.queue.put(Job(next(_ids), STREAM, text="今日はいい天気ですね。", params=SynthesisParams()))
    core.drain()
    assert not events.named("failed")
    assert decoded == [0]
    assert events.named("result")[-1][1].audio.size > 0  # the request, after the load
    events.clear()
    monkeypatch.setattr(VOICE_CACHE, "_voices", OrderedDict())
    run(core, LOAD, entry_id=str(fixtures / "jp_extra"), synth_backend=Backend.parse("openvino:CPU"), runs=1,
        prepare_stream=True)  # fmt: skip
    assert not events.named("failed") and decoded[-1] > 10 * core.streaming_plan.first_chunk_frames  # all of it


@pytest.mark.parametrize("loaded_on", ["cpu", "openvino:CPU"])
def test_measuring_this_machine_on_the_starting_choice_measures_against_the_loaded_voice(studio, monkeypatch,
                                                                                        loaded_on):  # fmt: skip
    """The window offers to measure while its voice runs on onnxruntime's CPU at FP32: that voice is the reference
    the candidates are measured against, and no second copy of it is opened (1.6 GB more at the peak for a
    full-size voice). Loaded on anything else, the reference is opened for the measurement."""
    from sbv2_studio.app import precision, voices

    core, events = studio
    fixtures = Path(__file__).parents[1] / "fixtures"
    monkeypatch.setenv("SBV2_STUDIO_BERT", str(fixtures / "bert"))
    if loaded_on != "cpu":
        pytest.importorskip("openvino")
    run(core, LOAD, entry_id=str(fixtures / "jp_extra"), bert_backend=Backend.parse(loaded_on))
    opened = []
    real = voices.open_voice

    def counting(model, **kwargs):
        opened.append(Backend.parse(str(kwargs.get("bert_backend", "cpu"))))
        return real(model, **kwargs)

    monkeypatch.setattr(voices, "open_voice", counting)
    monkeypatch.setattr(precision, "candidate_defaults", lambda: [(CPU, CPU)])  # exact: chosen at once
    run(core, DEFAULTS)
    assert not events.named("failed") and events.named("defaultsChosen")
    assert opened == ([] if loaded_on == "cpu" else [CPU])


# --- the comparison loop ------------------------------------------------------------------------------------


class FakeVoice:
    kind = "sbv2"
    stages = ("bert", "synthesize")

    def __init__(self, ran_on):
        self._ran_on = ran_on
        self.runs = 0

    def ran_on(self):
        return dict(self._ran_on)

    def synthesize(self, text, params=None):
        self.runs += 1
        r = SynthesisResult(sample_rate=1000, timings_ms={"bert": 1.0, "synthesize": 2.0}, total_ms=3.0)
        r.audio_samples, r.ran_on = 500, dict(self._ran_on)
        return r


class Fell:
    during = "create"

    def describe(self):
        return "synthesize: CUDA did not start (no device); ran on CPU"


def test_the_comparison_measures_what_runs_and_skips_what_does_not():
    loaded = FakeVoice({"bert": "CPU", "synthesize": "CPU"})
    quiet = FakeVoice({"bert": "CPU", "synthesize": "CPU"})  # a cache handed out a voice that fell back before

    def open_config(config, on_fallback):
        if config == CompareConfig(CUDA, CUDA):
            on_fallback(Fell())  # its GPU did not start: the loader stops at once
            raise AssertionError("not reached")
        return quiet

    configs = [CompareConfig(CPU, CPU), CompareConfig(CPU, CUDA), CompareConfig(CUDA, CUDA)]
    progress = []
    result = run_comparison(
        loaded, configs, "text", None, runs=3, warmup_runs=1, label="v",
        is_loaded=lambda c: c == CompareConfig(CPU, CPU), open_config=open_config,
        progress=lambda d, t, m: progress.append((d, t)),
    )  # fmt: skip
    cpu, half, gpu = result.configs
    assert len(cpu.runs) == 3 and cpu.skipped is None and loaded.runs == 4  # 1 warm-up + 3 measured
    assert half.skipped == "synthesize asked for CUDA:0 but runs on CPU" and not half.runs and quiet.runs == 0
    assert "did not start" in gpu.skipped and not gpu.runs
    assert progress[-1] == (15, 15) and [d for d, _ in progress] == sorted(d for d, _ in progress)


def test_a_configuration_is_what_runs_only_when_every_stage_does():
    assert not_running(CompareConfig(CPU, CPU), {"bert": "CPU", "synthesize": "CPU"}) is None
    assert not_running(CompareConfig(CUDA, CPU), {"bert": "CUDA:0", "synthesize": "CPU"}) is None
    assert not_running(CompareConfig(CUDA, CPU), {"bert": "CPU", "synthesize": "CPU"}) == (
        "bert asked for CUDA:0 but runs on CPU"
    )
    assert issubclass(ConfigCannotStart, Exception)


def test_every_finished_request_is_kept_as_a_take_and_a_cancelled_one_is_not(studio):
    core, events = studio
    run(core, SYNTH, text="こんにちは。", params=SynthesisParams(volume=0.5))
    run(core, STREAM, text="さようなら。", params=SynthesisParams())
    (_, first), (_, second) = events.named("result")
    takes = list(core.takes)
    assert [t.id for t in takes] == [first.take_id, second.take_id] and first.take_id != second.take_id
    assert takes[0].text == "こんにちは。" and takes[0].params["volume"] == 0.5
    assert np.array_equal(takes[0].pcm16, first.pcm16)
    job = Job(next(_ids), SYNTH, text="もう一度。", params=SynthesisParams())
    job.cancelled = True
    core.queue.put(job)
    core.drain()
    assert len(core.takes) == 2


def test_finding_this_machines_defaults_needs_an_sbv2_voice(studio):
    """The built-in voice has no backends to choose: the job fails with a message a person can act on."""
    from sbv2_studio.app.jobs import DEFAULTS

    core, events = studio
    job = run(core, DEFAULTS)
    assert events.named("defaultsChosen") == []
    [(job_id, kind, text)] = events.named("failed")
    assert (job_id, kind) == (job.id, DEFAULTS) and "needs an SBV2 voice loaded" in text


def test_the_apps_sessions_use_every_core_unless_told_otherwise(monkeypatch):
    """Sessions do not spin, so the window keeps up with every core busy: the app leaves the thread count to the
    engine (one per physical core) instead of keeping a core back, which ran a 2-core machine at half speed;
    SBV2_STUDIO_CPU_THREADS still sets it, and a value that is not a positive number is ignored."""
    from sbv2_studio.app.studio import default_factory

    monkeypatch.delenv("SBV2_STUDIO_CPU_THREADS", raising=False)
    factory = default_factory()
    assert factory.config.cpu_threads is None and factory.config.allow_spinning is False
    for ignored in ("", "0", "-2", "two"):
        monkeypatch.setenv("SBV2_STUDIO_CPU_THREADS", ignored)
        assert default_factory().config.cpu_threads is None, ignored
    monkeypatch.setenv("SBV2_STUDIO_CPU_THREADS", "3")
    assert default_factory().config.cpu_threads == 3
