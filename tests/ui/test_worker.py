"""The worker: queueing with supersede, cancel, work off the GUI thread, stage signals in order."""

from __future__ import annotations

import threading

import pytest

from sbv2_studio.app import studio as studio_mod
from sbv2_studio.engine.pipeline import SynthesisParams
from sbv2_studio.models.library import BUILTIN_ID
from sbv2_studio.ui.worker import Worker

from ..ui_helpers import GateVoice


@pytest.fixture
def gate_worker(qtbot, monkeypatch, studio_env):
    voice = GateVoice()
    monkeypatch.setattr(studio_mod, "open_voice", lambda entry_id, **kw: voice)
    w = Worker()
    results: list[str] = []
    w.resultReady.connect(lambda r: results.append(r.voice))
    with qtbot.waitSignal(w.loaded, timeout=10_000):
        w.load("gate")
    yield w, voice, results
    for text in list(voice.hold):
        voice.release(text)
    w.shutdown()


def _started(text):
    return lambda job: job.kind == "synth" and job.text == text


def test_new_request_supersedes_the_queued_one_and_work_runs_off_the_gui_thread(qtbot, gate_worker):
    w, voice, results = gate_worker
    voice.hold = {"A"}
    with qtbot.waitSignal(w.jobStarted, check_params_cb=_started("A")):
        w.synthesize("A", SynthesisParams())
    superseded: list[int] = []
    w.superseded.connect(superseded.append)
    b = w.synthesize("B", SynthesisParams())  # waits behind A…
    w.synthesize("C", SynthesisParams())  # …and is replaced by the person's latest text
    assert superseded == [b]
    assert [j.text for j in w.pending()] == ["C"]
    with qtbot.waitSignal(w.resultReady, check_params_cb=lambda r: r.voice == "C", timeout=10_000):
        voice.release("A")
    assert results == ["A", "C"]
    assert [text for text, _ in voice.calls] == ["A", "C"]  # B never ran
    main = threading.get_ident()
    assert all(tid != main for _, tid in voice.calls)
    qtbot.waitUntil(lambda: not w.busy)


def test_cancel_drops_queued_and_ignores_running_result(qtbot, gate_worker):
    w, voice, results = gate_worker
    voice.hold = {"D"}
    with qtbot.waitSignal(w.jobStarted, check_params_cb=_started("D")):
        d = w.synthesize("D", SynthesisParams())
    e = w.synthesize("E", SynthesisParams())
    cancelled: list[int] = []
    w.cancelled.connect(cancelled.append)
    ids = w.cancel()
    assert set(ids) == {d, e}
    assert w.pending() == []
    with qtbot.waitSignal(w.cancelled, check_params_cb=lambda jid: jid == d, timeout=10_000):
        voice.release("D")
    # The next request works, and nothing of D or E arrived before it.
    with qtbot.waitSignal(w.resultReady, timeout=10_000):
        w.synthesize("F", SynthesisParams())
    assert results == ["F"]
    assert [text for text, _ in voice.calls] == ["D", "F"]
    assert e in cancelled and d in cancelled


def test_stage_timings_arrive_in_order_before_the_result(qtbot, studio_env):
    w = Worker()
    try:
        with qtbot.waitSignal(w.loaded, timeout=20_000) as loaded:
            w.load(BUILTIN_ID, warmup_runs=0)
        assert loaded.args[0].kind == "openjtalk"
        events: list[str] = []
        w.stageTimed.connect(lambda t: events.append(f"stage:{t.stage}"))
        w.resultReady.connect(lambda r: events.append("result"))
        with qtbot.waitSignal(w.resultReady, timeout=20_000) as got:
            w.synthesize("こんにちは。", SynthesisParams())
        assert events == ["stage:frontend", "stage:synthesize", "stage:postprocess", "result"]
        assert got.args[0].audio_seconds > 0.2
        assert w.thread.isRunning() and w.core.thread() is w.thread
    finally:
        w.shutdown()


def test_errors_reach_the_gui_as_messages(qtbot, studio_env):
    w = Worker()
    try:
        with qtbot.waitSignal(w.loaded, timeout=20_000):
            w.load(BUILTIN_ID, warmup_runs=0)
        with qtbot.waitSignal(w.error, timeout=10_000) as err:
            w.synthesize("   ", SynthesisParams())
        assert "empty" in err.args[0]
        with qtbot.waitSignal(w.jobFailed, timeout=10_000) as failed:
            w.load(str(studio_env / "no-such-model"))
        # the BERT is there (studio_env), so the reason is the model path itself, named
        assert failed.args[0].kind == "load" and "no-such-model" in failed.args[1]
    finally:
        w.shutdown()


def test_compare_with_the_builtin_voice_measures_its_one_configuration(qtbot, studio_env):
    from sbv2_studio.app.compare import configs_for

    w = Worker()
    try:
        with qtbot.waitSignal(w.loaded, timeout=20_000):
            w.load(BUILTIN_ID, warmup_runs=0)
        progress: list[tuple[int, int]] = []
        w.compareProgress.connect(lambda done, total, msg: progress.append((done, total)))
        with qtbot.waitSignal(w.compareDone, timeout=30_000) as done:
            w.compare("こんにちは。", SynthesisParams(), configs_for(["cuda"]), runs=2, warmup_runs=1)
        result = done.args[0]
        assert [c.label for c in result.configs] == ["All CPU"]  # OpenJTalk has no backends to compare
        assert len(result.configs[0].runs) == 2 and result.stages == ("frontend", "synthesize", "postprocess")
        assert progress[-1][0] == progress[-1][1]
    finally:
        w.shutdown()
