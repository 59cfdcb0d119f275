"""The main window with the built-in voice (no model files needed): defaults, Ctrl+Enter, results in the panel,
playback without and with an audio device, saving, settings across launches."""

from __future__ import annotations

from pathlib import Path

import soundfile as sf
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from sbv2_studio.engine.pipeline import SynthesisParams
from sbv2_studio.models.library import BUILTIN_ID
from sbv2_studio.runtime.backends import Fault, SessionFactory
from sbv2_studio.ui import playback
from sbv2_studio.ui.playback import Player
from sbv2_studio.ui.widgets import NoticeBar

from ..ui_helpers import FakeSoundDevice, settings_at


def _speak(qtbot, window, text="こんにちは。"):
    window.editor.setPlainText(text)
    with qtbot.waitSignal(window.worker.resultReady, timeout=20_000) as got:
        qtbot.keyClick(window.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    return got.args[0]


def test_builtin_voice_is_the_default_with_a_gentle_hint_and_unsupported_params_disabled(
    qtbot, open_studio, studio_env
):
    window = open_studio()
    assert window.voice_info.entry_id == BUILTIN_ID
    assert window.model_combo.currentData() == BUILTIN_ID
    hint = window.findChild(NoticeBar, "addVoicesHint")
    assert hint is not None and hint.isVisible() and "import" in hint.text.lower()
    assert QApplication.activeModalWidget() is None  # a hint, not a modal nag
    # OpenJTalk honours only the speed; everything else is visibly off, not hidden.
    assert window.param_controls["length"].isEnabled()
    for name in ("style_weight", "sdp_ratio", "noise", "noise_w"):
        control = window.param_controls[name]
        assert not control.isEnabled() and control.isVisible(), name
        assert "Not used by" in control.toolTip()
    for widget in (window.speaker_combo, window.style_combo, window.assist_text, *window.backend_combos.values()):
        assert not widget.isEnabled()
    window.show_download_dialog()  # the hint's way to SBV2 voices: non-modal, BERT first on a fresh install
    dialog = window._download_dialog
    assert dialog.isVisible() and not dialog.isModal() and QApplication.activeModalWidget() is None


def test_ctrl_enter_synthesizes_and_the_result_reaches_waveform_and_latency_panel(qtbot, open_studio, studio_env):
    window = open_studio()
    window.param_controls["length"].set_value(1.3)
    with qtbot.waitSignal(window.requestSubmitted) as req:
        result = _speak(qtbot, window, "今日はいい天気ですね。")
    text, params = req.args[1]
    assert text == "今日はいい天気ですね。" and params.length == 1.3
    panel = window.latency
    qtbot.waitUntil(lambda: len(panel.records) == 1)
    rec = panel.records[0]
    assert set(rec.stages_ms) == {"frontend", "synthesize", "postprocess"}
    assert rec.total_ms == result.total_ms and rec.rtf == result.rtf
    assert panel.bar_text("synthesize").endswith("ms · CPU")
    assert "RTF" in panel.summary.text() and "total" in panel.summary.text()
    qtbot.waitUntil(lambda: window.waveform.points > 100)
    assert [name for name, _ in panel.history_items] == ["frontend", "synthesize", "postprocess"]
    qtbot.waitUntil(lambda: list(panel.history_items[1][1].opts["x"]) == [1])  # one stacked bar so far
    assert "synthesize" in panel.history_legend.text()
    # A second request: the history grows, the CSV has both.
    _speak(qtbot, window, "ありがとう。")
    assert len(panel.records) == 2 and panel.records[1].first_request is False
    qtbot.waitUntil(lambda: list(panel.history_items[1][1].opts["x"]) == [1, 2])
    out = studio_env / "latency.csv"
    window.export_latency(out)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("request,time,voice,chars,first_request,frontend_ms,synthesize_ms,postprocess_ms")
    assert len(lines) == 3
    assert window.heartbeat.max_by_work.get("synth", 0) > 0  # the heartbeat watched the work


def test_no_audio_device_says_so_and_still_synthesizes_and_saves(qtbot, open_studio, studio_env, monkeypatch):
    # sounddevice raises OSError at import where PortAudio is missing: that is "no audio device" too.
    monkeypatch.setattr(playback, "_load_sounddevice", lambda: (None, "the PortAudio library could not be loaded"))
    window = open_studio(player=Player())
    assert not window.player.available
    assert window.no_audio_label.isVisible() and "saving" in window.no_audio_label.text()
    assert not window.device_combo.isEnabled()
    _speak(qtbot, window)
    assert not window.play_button.isEnabled() and window.save_button.isEnabled()
    window.play()  # harmless: says nothing breaks
    for suffix in ("wav", "flac"):
        path = window.save_result(studio_env / f"out.{suffix}")
        data, rate = sf.read(str(path), dtype="int16")
        assert rate == 48000 and len(data) == len(window.last_result.pcm16)
    # A PortAudio with no output device is the same case.
    empty = Player(FakeSoundDevice([]))
    assert not empty.available and "no audio output device" in empty.unavailable_reason


def test_playback_plays_the_result_on_the_chosen_device(qtbot, open_studio, studio_env):
    sd = FakeSoundDevice(["Speakers", "Headphones"], default=0)
    window = open_studio(player=Player(sd))
    assert window.device_combo.isEnabled() and window.device_combo.count() == 2
    assert window.no_audio_label.isHidden()
    window.autoplay.setChecked(False)
    window.device_combo.setCurrentIndex(window.device_combo.findData(1))
    _speak(qtbot, window)
    qtbot.mouseClick(window.play_button, Qt.MouseButton.LeftButton)
    data, rate, device = sd.played[-1]
    assert device == 1 and rate == 48000 and len(data) == len(window.last_result.pcm16)
    qtbot.mouseClick(window.stop_button, Qt.MouseButton.LeftButton)
    assert sd.stops >= 1


def test_reset_restores_the_reference_defaults(qtbot, open_studio, studio_env):
    window = open_studio()
    window.param_controls["length"].set_value(2.0)
    window.param_controls["noise"].set_value(1.5)
    window.assist_weight.set_value(0.3)
    window.line_interval.setValue(2.0)
    qtbot.mouseClick(window.reset_button, Qt.MouseButton.LeftButton)
    p, d = window.current_params(), SynthesisParams()
    for name in ("style_weight", "sdp_ratio", "noise", "noise_w", "length", "assist_text_weight", "line_interval"):
        assert getattr(p, name) == getattr(d, name), name


def test_settings_persist_across_launches(qtbot, open_studio, studio_env):
    emulated_cuda = lambda: SessionFactory(faults=[Fault("cuda", "run", 10**9)])
    window = open_studio(factory_maker=emulated_cuda)
    window.backends.select("synthesize", "cuda:0")
    window.editor.setPlainText("また明日。")
    window.param_controls["length"].set_value(1.25)
    window.assist_text.setText("うれしい")
    window.advanced_toggle.setChecked(True)
    window.resize(1000, 760)
    window.close()  # quitting saves the settings: the next launch reads them

    again = open_studio(settings=settings_at(studio_env), factory_maker=emulated_cuda)
    assert again.editor.toPlainText() == "また明日。"
    assert again.param_controls["length"].value() == 1.25
    assert again.assist_text.text() == "うれしい"
    assert again.advanced_toggle.isChecked()
    # Geometry comes back (the offscreen screen is 800 px wide, so only the height is not clamped here).
    assert again.settings.geometry() is not None and again.height() == 760
    assert again.voice_info.entry_id == BUILTIN_ID
    assert again.backends.spec("synthesize") == "cuda:0" and again.backends.spec("bert") == "cpu:0"
    assert Path(again.settings.path).parent == studio_env  # never the real user's settings
