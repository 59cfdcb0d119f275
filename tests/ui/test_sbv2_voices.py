"""The main window with the SBV2 fixture voices: the request the controls make, per-stage providers in the
latency panel, the fallback notice under fault injection, backend comparison, importing by drag and drop, and
the heartbeat that shows the window never blocks."""

from __future__ import annotations

import os

import numpy as np
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QGuiApplication
from PySide6.QtWidgets import QApplication

from sbv2_studio.engine.pipeline import SynthesisParams
from sbv2_studio.models.library import BUILTIN_ID
from sbv2_studio.paths import source_tag
from sbv2_studio.runtime.backends import Fault, SessionConfig, SessionFactory
from sbv2_studio.ui.widgets import NoticeBar
from sbv2_studio.ui.worker import default_cpu_threads

from ..ui_helpers import FIXTURES, JP_EXTRA, requires_sbv2

pytestmark = requires_sbv2

# The window must not pause longer than this while work is in flight. The goal (and what a quiet machine shows)
# is under 50 ms; a shared 2-core CI machine stalls the whole process now and then, so the test allows 150 ms
# (SBV2_UI_MAX_GAP_MS sets it) and forgives two such stalls per kind of work, but never one over 1 s. The text
# is long enough that work done on the GUI thread would fail it every time: one synthesis of it takes ~300 ms
# (three are measured), a load ~3 s (over the hard limit), a comparison four syntheses or more.
MAX_GAP_MS = float(os.environ.get("SBV2_UI_MAX_GAP_MS", "150"))
HARD_MAX_GAP_MS = 1000.0
LONG_TEXT = "\n".join(
    [
        "こんにちは、今日はいい天気ですね。",
        "散歩に行きましょう。",
        "明日も晴れるといいですね。",
        "駅の近くに新しい店ができました。",
    ]
    * 2
)


def _faults(*faults):
    """A session factory like the app's, with fault injection (which also keeps voices out of any cache)."""
    return lambda: SessionFactory(SessionConfig(cpu_threads=default_cpu_threads()), faults=[Fault(**f) for f in faults])


# A "GPU" kind that is emulated on the CPU and never fails: harmless, and it makes every load a real one.
FRESH = _faults({"kind": "cuda", "at": "run", "nth": 10**9})


def _synth(qtbot, window, *, click=True):
    with qtbot.waitSignal(window.worker.resultReady, timeout=30_000) as got:
        if click:
            qtbot.mouseClick(window.synth_button, Qt.MouseButton.LeftButton)
        else:
            window.synthesize()
    return got.args[0]


def test_controls_produce_the_request_and_the_panel_names_providers(qtbot, open_studio, studio_env):
    window = open_studio(model_id=str(JP_EXTRA))
    info = window.voice_info
    assert info.kind == "sbv2" and list(info.speakers) == ["あみ", "Taro"]
    assert window.findChild(NoticeBar, "addVoicesHint") is None  # a voice is installed: no hint
    for control in (
        *window.param_controls.values(),
        window.speaker_combo,
        window.style_combo,
        window.assist_text,
        *window.backend_combos.values(),
    ):
        assert control.isEnabled()
    window.speaker_combo.setCurrentText("Taro")
    window.style_combo.setCurrentText("Happy")
    for name, value in (
        ("style_weight", 2.5),
        ("sdp_ratio", 0.4),
        ("noise", 0.5),
        ("noise_w", 0.9),
        ("length", 1.1),
    ):
        window.param_controls[name].set_value(value)
    window.advanced_toggle.setChecked(True)
    window.assist_text.setText("楽しい")
    window.assist_weight.set_value(0.7)
    window.editor.setPlainText("今日はいい天気ですね。")
    with qtbot.waitSignal(window.worker.jobStarted, check_params_cb=lambda j: j.kind == "synth") as started:
        result = _synth(qtbot, window)
    assert started.args[0].text == "今日はいい天気ですね。"
    assert started.args[0].params == SynthesisParams(
        speaker="Taro",
        style="Happy",
        style_weight=2.5,
        sdp_ratio=0.4,
        noise=0.5,
        noise_w=0.9,
        length=1.1,
        assist_text="楽しい",
        assist_text_weight=0.7,
    )
    panel = window.latency
    assert panel.records[-1].first_request is result.first_request
    assert ("first request (cold)" in panel.summary.text()) is result.first_request
    for stage in ("bert", "synthesize"):
        assert panel.bar_text(stage).endswith(f"ms · {result.ran_on[stage]}")
    assert panel.bar_text("frontend").endswith("ms · CPU")
    assert window.ran_on_labels["synthesize"].text() == "ran on: CPU"
    _synth(qtbot, window, click=False)
    assert "warm" in panel.summary.text() and "cold" not in panel.summary.text()


def test_fallback_notice_appears_under_fault_injection_and_retry_gpu_brings_it_back(qtbot, open_studio, studio_env):
    # BERT on an emulated CUDA device that is "removed" at its first run (the synthesizer stays on the CPU: its
    # sessions take seconds to create, and one GPU stage is enough to see the fallback).
    window = open_studio(
        model_id=str(JP_EXTRA),
        backends={"bert": "cuda:0", "synthesize": "cpu:0"},
        factory_maker=_faults({"kind": "cuda", "at": "run", "nth": 1}),
    )
    assert window.ran_on_labels["bert"].text() == "ran on: CUDA:0 (emulated on CPU)"
    assert window.findChild(NoticeBar, "fallbackNotice") is None
    with qtbot.waitSignal(window.worker.fallback, timeout=30_000):
        result = _synth(qtbot, window)
    assert result.ran_on == {"bert": "CPU", "synthesize": "CPU"}  # the request finished anyway
    qtbot.waitUntil(lambda: window.findChild(NoticeBar, "fallbackNotice") is not None)
    notice = window.findChild(NoticeBar, "fallbackNotice")
    # an injected CUDA fault without a message says what CUDA says (it used to say DirectML's DEVICE_REMOVED)
    assert notice.isVisible() and "finished on CPU" in notice.text and "cudaErrorLaunchFailure" in notice.text
    assert QApplication.activeModalWidget() is None  # non-modal
    assert "fell back" in window.ran_on_labels["bert"].text()
    assert window.latency.bar_text("bert").endswith("ms · CPU")  # the panel shows what really ran
    with qtbot.waitSignal(window.worker.ranOn, timeout=30_000) as ran:
        qtbot.mouseClick(notice.findChild(type(window.retry_button), "retryGpuButton"), Qt.MouseButton.LeftButton)
    assert ran.args[0] == {"bert": "CUDA:0 (emulated on CPU)", "synthesize": "CPU"}
    assert "fell back" not in window.ran_on_labels["bert"].text()
    qtbot.waitUntil(lambda: window.findChild(NoticeBar, "fallbackNotice") is None)


def test_compare_backends_draws_grouped_bars_and_a_table(qtbot, open_studio, studio_env):
    # "cuda" emulated on CPU and never failing: a second backend configuration on any machine; "dml" whose
    # device never starts: a configuration that must be reported as skipped.
    window = open_studio(
        model_id=str(JP_EXTRA),
        factory_maker=_faults(
            {"kind": "cuda", "at": "run", "nth": 10**9}, {"kind": "dml", "at": "create", "message": "no adapter"}
        ),
    )
    dialog = window.show_compare()
    assert not dialog.isModal()
    labels = [dialog.config_list.item(i).text() for i in range(dialog.config_list.count())]
    assert labels[:7] == [
        "All CPU",
        "BERT CPU + synth CUDA:0",
        "BERT CUDA:0 + synth CPU",
        "All CUDA:0",
        "BERT CPU + synth DirectML:0",
        "BERT DirectML:0 + synth CPU",
        "All DirectML:0",
    ]
    openvino = labels[7:]  # OpenVINO's devices come last where it is installed (issue 14)
    assert not openvino or openvino[:3] == [
        "BERT CPU + synth OpenVINO:CPU", "BERT OpenVINO:CPU + synth CPU", "All OpenVINO:CPU",
    ]  # fmt: skip
    # Keep All CPU, BERT CUDA + synth CPU and BERT DirectML + synth CPU (synthesizer sessions take seconds
    # to create, BERT ones do not).
    for i in (1, 3, 4, 6, *range(7, len(labels))):  # and OpenVINO's (issue 14)
        dialog.config_list.item(i).setCheckState(Qt.CheckState.Unchecked)
    dialog.runs.setValue(3)
    dialog.warmup.setValue(1)
    progress: list[int] = []
    window.worker.compareProgress.connect(lambda done, total, msg: progress.append(done))
    with qtbot.waitSignal(window.worker.compareDone, timeout=60_000) as done:
        qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    result = done.args[0]
    assert [c.label for c in result.ran] == ["All CPU", "BERT CUDA:0 + synth CPU"]
    skipped = result.configs[2]
    assert skipped.label == "BERT DirectML:0 + synth CPU" and "could not start" in skipped.skipped
    assert "no adapter" in skipped.skipped and not skipped.runs
    assert all(len(c.runs) == 3 for c in result.ran)
    assert result.ran[1].ran_on == {"bert": "CUDA:0 (emulated on CPU)", "synthesize": "CPU"}
    assert progress and progress == sorted(progress)
    assert dialog.table.rowCount() == 3 and dialog.table.item(1, 0).text() == "BERT CUDA:0 + synth CPU"
    assert dialog.table.item(2, dialog.table.columnCount() - 1).text().startswith("skipped: ")
    assert dialog.table.horizontalHeaderItem(4).text() == "frontend ms"
    assert dialog.table.item(0, 2).text() == "1.00×"  # speed-up relative to all CPU
    assert len(dialog.plot_items) == 4  # bars + whiskers per configuration
    dialog.copy_table()
    assert QGuiApplication.clipboard().text().startswith("Configuration\ttotal ms\tvs all CPU\tRTF\tfrontend ms")
    out = studio_env / "compare.csv"
    dialog.export_csv(str(out))
    assert len(out.read_text(encoding="utf-8").splitlines()) == 1 + 2 * 3 + 1  # runs, and the skipped one


def test_the_window_never_blocks_while_loading_synthesizing_and_comparing(qtbot, open_studio, studio_env):
    window = open_studio(model_id=str(JP_EXTRA), factory_maker=FRESH)  # a real load, measured
    window.editor.setPlainText(LONG_TEXT)
    for _ in range(3):
        result = _synth(qtbot, window, click=False)
    assert result.total_ms > MAX_GAP_MS  # blocking the GUI thread with it would show
    # Opening a dialog is the window's own work, done while idle: the comparison is what is measured.
    qtbot.waitUntil(lambda: window.heartbeat.work is None, timeout=5_000)
    dialog = window.show_compare()
    dialog.runs.setValue(3)
    dialog.warmup.setValue(1)
    with qtbot.waitSignal(window.worker.compareDone, timeout=60_000):
        window.run_compare([c for c in dialog.checked_configs() if c.label == "All CPU"], 3, 1)
    qtbot.waitUntil(lambda: window.heartbeat.work is None, timeout=5_000)  # the tail after the work
    hb = window.heartbeat
    gaps = dict(hb.max_by_work)
    print(f"\nUI max gap (ms): {', '.join(f'{k} {v:.1f}' for k, v in sorted(gaps.items()))}")
    assert set(gaps) >= {"load", "synth", "compare"}
    for work, gap in gaps.items():
        assert gap < HARD_MAX_GAP_MS, f"the window froze {gap:.0f} ms while {work} ran"
        over = [round(g) for g in hb.long_gaps.get(work, []) if g >= MAX_GAP_MS]
        assert len(over) <= 2, f"the window paused {over} ms while {work} ran"
    assert "UI max gap" in window.gap_label.text()


def test_dropping_a_voice_on_the_window_imports_and_loads_it(qtbot, open_studio, studio_env):
    window = open_studio()  # the built-in voice: nothing installed yet
    source = next((FIXTURES / "aivmx").glob("*.aivmx"))
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(source))])
    enter = QDragEnterEvent(
        QPoint(50, 50), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    window.dragEnterEvent(enter)
    assert enter.isAccepted()
    drop = QDropEvent(
        QPointF(50, 50), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    with qtbot.waitSignal(window.worker.loaded, timeout=60_000) as loaded:
        window.dropEvent(drop)
    info = loaded.args[0]
    assert info.kind == "sbv2" and "ノーマル" in info.styles
    copied = studio_env / "home" / "models" / source.name
    assert copied.is_file() and info.entry_id == str(copied)
    assert window.model_combo.currentData() == str(copied)
    qtbot.waitUntil(lambda: window.findChild(NoticeBar, "addVoicesHint") is None)
    assert window.style_combo.currentText() in info.styles


def test_dropping_a_safetensors_checkpoint_converts_it_off_the_gui_thread_and_loads_it(
    qtbot, open_studio, studio_env, tmp_path
):
    """A trainer checkpoint dropped on the window (that one, not the folder's newest) is converted with progress
    in the status bar, then loads like any SBV2 voice."""
    import shutil

    window = open_studio()
    folder = tmp_path / "shared_voice"
    folder.mkdir()
    for name in ("config.json", "style_vectors.npy"):
        shutil.copy(FIXTURES / "jp_extra" / name, folder / name)
    for step in (100, 900):
        shutil.copy(FIXTURES / "reference" / "jp_extra.safetensors", folder / f"voice_e1_s{step}.safetensors")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(folder / "voice_e1_s100.safetensors"))])
    enter = QDragEnterEvent(
        QPoint(50, 50), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    window.dragEnterEvent(enter)
    assert enter.isAccepted()
    drop = QDropEvent(
        QPointF(50, 50), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    messages = []
    window.worker.loadProgress.connect(lambda done, total, message: messages.append(message))
    with qtbot.waitSignal(window.worker.loaded, timeout=60_000) as loaded:
        window.dropEvent(drop)
    converted = studio_env / "home" / "models" / "shared_voice"
    assert loaded.args[0].kind == "sbv2" and loaded.args[0].entry_id == str(converted)
    assert (converted / "voice_e1_s100.onnx").is_file() and not (converted / "voice_e1_s900.onnx").exists()
    assert any(m.startswith("Converting voice_e1_s100.safetensors") for m in messages)


def test_removing_the_current_voice_deletes_it_and_falls_back_to_the_builtin(qtbot, open_studio, studio_env):
    window = open_studio()
    source = next((FIXTURES / "aivmx").glob("*.aivmx"))
    with qtbot.waitSignal(window.worker.loaded, timeout=60_000):
        window.import_paths([str(source)])
    copied = studio_env / "home" / "models" / source.name
    assert copied.is_file() and window.voice_info.entry_id == str(copied)
    derived = lambda: list((studio_env / "home" / "cache").rglob(f"*.{source_tag(copied)}.*"))
    assert derived()  # its seeded copy, at least
    with qtbot.waitSignal(window.worker.modelRemoved, timeout=30_000):
        window.remove_current_voice(confirm=False)
    assert not copied.exists()
    assert not derived()  # what was made from it went too
    qtbot.waitUntil(lambda: window.voice_info.entry_id == BUILTIN_ID, timeout=30_000)
    qtbot.waitUntil(
        lambda: all(window.model_combo.itemData(i) != str(copied) for i in range(window.model_combo.count())),
        timeout=30_000,
    )


def _listed(window) -> list[str]:
    return [window.model_combo.itemData(i) for i in range(window.model_combo.count())]


def test_a_voice_in_an_added_folder_is_unlisted_with_its_folder_and_never_deleted(qtbot, open_studio, studio_env):
    added = studio_env / "my_voices"
    (added / "jp").mkdir(parents=True)
    for f in JP_EXTRA.iterdir():
        (added / "jp" / f.name).write_bytes(f.read_bytes())
    window = open_studio(extra_roots=[str(added)], model_id=str(added / "jp"))
    assert window.voice_info.entry_id == str(added / "jp")
    with qtbot.waitSignal(window.worker.libraryScanned, timeout=30_000):
        window.remove_current_voice(confirm=False)
    assert (added / "jp" / "config.json").is_file()  # the person's files stay
    assert window.settings.extra_roots == []
    qtbot.waitUntil(lambda: window.voice_info.entry_id == BUILTIN_ID, timeout=30_000)
    qtbot.waitUntil(lambda: str(added / "jp") not in _listed(window), timeout=30_000)


def test_a_last_used_voice_deleted_since_is_not_listed_once_the_scan_is_in(qtbot, open_studio, studio_env):
    gone = studio_env / "home" / "models" / "deleted_voice"
    window = open_studio(model_id=str(gone))  # its load fails: the built-in voice speaks meanwhile
    qtbot.waitUntil(lambda: window.voice_info is not None and window.voice_info.entry_id == BUILTIN_ID)
    qtbot.waitUntil(lambda: not window.worker.busy, timeout=30_000)
    assert str(gone) not in _listed(window)  # the scan (first at start-up) did not confirm it
    assert window.model_combo.currentData() == BUILTIN_ID


def test_an_accent_edit_in_the_window_is_what_gets_spoken(qtbot, open_studio, studio_env):
    from sbv2_studio.app import AudioQuery

    window = open_studio(model_id=str(JP_EXTRA))
    window.editor.setPlainText("今日はいい天気ですね。\n散歩に行きましょう。")
    params = SynthesisParams(noise=0.0, noise_w=0.0, sdp_ratio=0.0)
    window.voice_panel.set_params(params)
    plain = _synth(qtbot, window, click=False)
    qtbot.mouseClick(window.accents_button, Qt.MouseButton.LeftButton)
    accents = window.accents
    assert accents.isVisible() and [b.reading.text() for b in accents.blocks][0] == "キョーワ"
    with qtbot.waitSignal(window.requestSubmitted) as sent:
        with qtbot.waitSignal(window.worker.resultReady, timeout=30_000) as got:
            qtbot.mouseClick(accents.blocks[2].mora_buttons[3], Qt.MouseButton.LeftButton)  # デ: low → high
            window.synthesize()
    spoken = sent.args[1][0]
    assert isinstance(spoken[0], AudioQuery) and spoken[1] == "散歩に行きましょう。"  # only the edited line
    assert not np.array_equal(got.args[0].audio, plain.audio)  # the edit reached the synthesizer
    accents.reset_line()
    again = _synth(qtbot, window, click=False)
    assert np.array_equal(again.audio, plain.audio)  # reset: read as the text says


def test_add_to_dictionary_from_the_editor_opens_the_dictionary_filled_in(qtbot, open_studio, studio_env):
    window = open_studio()
    window.editor.setPlainText("菊池さん")
    window.show_accents(True)
    window.accents.request_dictionary(0)
    dialog = window._dictionary_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.surface.text().startswith("菊池") and dialog.pronunciation.text()


def test_takes_are_listed_and_a_restored_take_gives_the_same_samples(qtbot, open_studio, studio_env):
    window = open_studio(model_id=str(JP_EXTRA))
    window.editor.setPlainText("今日はいい天気ですね。")
    window.voice_panel.set_params(SynthesisParams(noise=0.6, noise_w=0.8, sdp_ratio=0.5))  # noise on: random
    first = _synth(qtbot, window, click=False)
    second = _synth(qtbot, window, click=False)
    assert first.seed != second.seed and not np.array_equal(first.audio, second.audio)
    takes = window.takes
    assert takes.list.count() == 2 and not takes.lock.isChecked()
    older = takes._take(takes.list.item(1))
    assert older.id == first.take_id and older.seed == first.seed
    window.editor.setPlainText("別の文です。")
    window.voice_panel.set_params(SynthesisParams())
    window.restore_take(older)
    assert window.editor.toPlainText() == "今日はいい天気ですね。" and takes.lock.isChecked()
    assert window.current_params().seed == first.seed and window.current_params().sdp_ratio == 0.5
    again = _synth(qtbot, window, click=False)
    assert np.array_equal(again.audio, first.audio)  # the same take, bit for bit, on the same backend
    takes.list.clearSelection()
    takes.list.item(0).setSelected(True)
    takes.list.item(1).setSelected(True)
    assert takes.compare_button.isEnabled()


def test_fastest_for_this_machine_is_measured_off_the_gui_thread_shown_and_selected(
    qtbot, open_studio, studio_env, monkeypatch
):
    """Backends → Fastest for this machine: the worker measures (app.precision.fastest_safe_defaults, replaced
    here by a fixed answer: the measurement itself is tested in tests/runtime/test_openvino.py), the box shows
    the choice, both pickers switch to it and the voice reloads on it; a later first launch starts on it."""
    import threading

    import pytest
    from PySide6.QtWidgets import QLabel, QPushButton

    from sbv2_studio.app import studio as core
    from sbv2_studio.app.precision import Defaults, load_defaults, save_defaults
    from sbv2_studio.runtime.backends import Backend

    pytest.importorskip("openvino")
    calls, references = [], []

    def measured(entry_id, bert_path, *, library, force, reference):
        calls.append((entry_id, threading.current_thread() is threading.main_thread(), force))
        references.append(reference)
        chosen = Defaults("openvino:CPU", "fp32", "cpu:0", "fp32", "fastest within the limits", "measured", "exact")
        save_defaults(chosen)
        return chosen

    monkeypatch.setattr(core, "fastest_safe_defaults", measured)
    window = open_studio(model_id=str(JP_EXTRA))
    label = window.findChild(QLabel, "machineDefaults")
    button = window.findChild(QPushButton, "machineDefaultsButton")
    assert label.text() == "This machine: not measured yet" and button.isEnabled()
    with qtbot.waitSignal(window.worker.loaded, timeout=60_000):
        with qtbot.waitSignal(window.worker.defaultsChosen, timeout=30_000):
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert calls == [(str(JP_EXTRA), False, True)]  # measured in the worker, afresh
    # the window's voice, on the starting onnxruntime CPU FP32, is the reference: no second copy of it
    assert references[0] is not None and references[0].ran_on() == {"bert": "CPU", "synthesize": "CPU"}
    assert label.text() == "This machine: BERT OpenVINO:CPU, synthesizer CPU"
    assert window.backends.spec("bert") == "openvino:CPU" and window.backends.spec("synthesize") == "cpu:0"
    assert window.voice_info.bert_backend == Backend.parse("openvino:CPU")
    assert load_defaults().chosen_by == "measured"


def test_first_launch_starts_on_the_measured_defaults(qtbot, open_studio, studio_env):
    """No backends saved yet (a first launch) and this machine's defaults measured: the window starts on them."""
    import pytest
    from PySide6.QtWidgets import QLabel

    from sbv2_studio.app.precision import Defaults, save_defaults

    pytest.importorskip("openvino")
    save_defaults(Defaults("openvino:CPU", "fp32", "openvino:CPU", "fp32", "fastest within the limits", "measured"))
    window = open_studio(model_id=str(JP_EXTRA))
    assert window.backends.spec("bert") == "openvino:CPU" and window.backends.spec("synthesize") == "openvino:CPU"
    assert window.voice_info.ran_on["bert"].startswith("OpenVINO:CPU")
    assert window.findChild(QLabel, "machineDefaults").text().startswith("This machine: BERT OpenVINO:CPU")


def _offer(window):
    notice = window.findChild(NoticeBar, "machineDefaultsOffer")
    return notice if notice is not None and notice.isVisible() else None


def test_the_first_sbv2_voice_offers_to_measure_this_machine_and_measure_now_asks_the_worker(
    qtbot, open_studio, studio_env, monkeypatch
):
    """Nothing measured on this machine and the starting backends (onnxruntime CPU FP32): with an SBV2 voice the
    window offers to find the fastest backends (the Backends box's button is easy to miss); Measure now asks the
    worker for it (the measurement itself: the test above) and the offer goes."""
    import pytest
    from PySide6.QtWidgets import QPushButton

    from sbv2_studio.ui.main_window import MainWindow

    pytest.importorskip("openvino")
    asked = []
    monkeypatch.setattr(MainWindow, "choose_machine_defaults", lambda self: asked.append(self) or 0)
    window = open_studio(model_id=str(JP_EXTRA))
    offer = _offer(window)
    assert offer is not None and "Measure" in offer.text
    qtbot.mouseClick(offer.findChild(QPushButton, "measureMachineButton"), Qt.MouseButton.LeftButton)
    assert asked == [window] and _offer(window) is None


def test_the_offer_to_measure_is_made_once_and_not_where_there_is_nothing_to_offer(qtbot, open_studio, studio_env):
    """Not now ends the offer for good (a later launch makes none); a machine measured already, or backends the
    person chose, get none; neither does the built-in voice."""
    import pytest
    from PySide6.QtWidgets import QPushButton

    from sbv2_studio.app.precision import Defaults, save_defaults
    from sbv2_studio.ui.settings import Settings

    pytest.importorskip("openvino")
    window = open_studio()  # the built-in voice
    assert _offer(window) is None
    with qtbot.waitSignal(window.worker.loaded, timeout=60_000):
        window.load_voice(str(JP_EXTRA))
    offer = _offer(window)
    assert offer is not None
    qtbot.mouseClick(offer.findChild(QPushButton, "notNowButton"), Qt.MouseButton.LeftButton)
    assert _offer(window) is None and window.settings.get_flag("machine_defaults_offered", False)
    window.close()
    assert _offer(open_studio(model_id=str(JP_EXTRA))) is None  # the same settings file: not again

    fresh = Settings(studio_env / "other.ini")  # another person's settings, backends chosen: none
    fresh.backends = {"bert": "openvino:CPU", "synthesize": "cpu:0"}
    fresh.set_flag("stream", False)
    fresh.model_id = str(JP_EXTRA)
    fresh.sync()
    assert _offer(open_studio(settings=fresh)) is None

    measured = Settings(studio_env / "measured.ini")  # this machine measured already: none
    measured.set_flag("stream", False)
    measured.model_id = str(JP_EXTRA)
    measured.sync()
    save_defaults(Defaults("cpu:0", "fp32", "cpu:0", "fp32", "exact (FP32)", "measured"))
    assert _offer(open_studio(settings=measured)) is None


def test_text_left_typed_is_read_ahead_unseen_and_its_request_runs_no_bert(qtbot, open_studio):
    """A pause in typing lets the idle worker compute the text's BERT features: the window shows no work for it
    (not busy, Cancel stays off, no status line), and the request that follows computes none. Switched off in
    Tools, nothing is read."""
    window = open_studio(model_id=str(JP_EXTRA), factory_maker=FRESH, read_ahead=True)
    bert = window.worker.core.studio.voice.bert
    computed = []
    real = bert.compute
    bert.compute = lambda ids: computed.append(len(ids)) or real(ids)
    busy, started = [], []
    window.worker.busyChanged.connect(busy.append)
    window.worker.jobStarted.connect(started.append)
    window.editor.setPlainText("窓で先に読まれる文です。\n二行目も読まれます。")
    qtbot.waitUntil(lambda: len(computed) == 2, timeout=10_000)  # whole requests: one segment per line
    qtbot.waitUntil(lambda: window.worker.queue.running is None, timeout=10_000)
    assert busy == [] and started == [] and not window.cancel_button.isEnabled()
    assert "Reading" not in window.statusBar().currentMessage()
    result = _synth(qtbot, window)
    assert len(computed) == 2 and result.audio.size > 0  # the request computed nothing more
    assert window.read_ahead() is None  # the same text again: nothing to do
    window.read_ahead_action.setChecked(False)
    assert window.settings.get_flag("read_ahead", True) is False
    window.editor.setPlainText("もう先には読まれない文です。")
    assert window.read_ahead() is None and window.worker.queue.running is None and not window.worker.pending()
