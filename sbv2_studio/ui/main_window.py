"""The main window: text, voice and parameters, playback, waveform, the live latency panel, backends.

Everything slow happens in the worker (worker.py); this window only sends requests and shows what comes back,
so it never blocks. A heartbeat timer measures that claim (status bar: "UI max gap").
"""

from __future__ import annotations

import html
import os
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..app import (
    BUILTIN_ID,
    PARAMETER,
    PARAMETERS,
    Backend,
    Library,
    ModelEntry,
    StudioError,
    SynthesisParams,
    available_kinds,
    builtin_entry,
    faults_from_env,
)
from ..app.compare import configs_for
from ..app.jobs import COMPARE, EXPORT, IMPORT, LOAD, PREPARE, REMOVE, STREAM, SYNTH, WARMUP, Job, VoiceInfo
from .compare import CompareDialog
from .download_dialog import DownloadDialog
from .heartbeat import Heartbeat
from .latency_panel import LatencyPanel
from .playback import Player, make_player
from .settings import Settings
from .waveform import WaveformView
from .widgets import NoticeBar, ParamControl
from .worker import Worker

DEFAULT_TEXT = "こんにちは。今日はとてもいい天気ですね。\n散歩に行きましょう。"
WORK_OF_JOB = {
    LOAD: "load",
    WARMUP: "load",
    PREPARE: "load",
    SYNTH: "synth",
    STREAM: "synth",
    COMPARE: "compare",
    EXPORT: "export",
}
MODEL_SUFFIXES = (".aivmx", ".onnx")
STREAM_TOOLTIP = (
    "Streaming: the voice starts speaking after the first few hundred milliseconds, sentence by sentence "
    "and chunk by chunk, instead of after the whole text is made. The chunk timeline shows how it kept up."
)


class _EditorKeys(QObject):
    """Ctrl+Enter in the text synthesizes; folders and .aivmx files dropped on the text are imported."""

    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window = window

    def eventFilter(self, obj, event) -> bool:
        t = event.type()
        if t == QEvent.Type.KeyPress and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                self.window.synthesize()
                return True
        if t in (QEvent.Type.DragEnter, QEvent.Type.DragMove) and self.window.model_paths(event.mimeData()):
            event.acceptProposedAction()
            return True
        if t == QEvent.Type.Drop and self.window.model_paths(event.mimeData()):
            self.window.import_paths(self.window.model_paths(event.mimeData()))
            event.acceptProposedAction()
            return True
        return False


class MainWindow(QMainWindow):
    requestSubmitted = Signal(int, object)  # job id, Job-like info (for tests and scripting)

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        worker: Worker | None = None,
        player: Player | None = None,
        factory_maker=None,
        home: Path | None = None,
        autoload: bool = True,
        stream_factory=None,
    ):
        super().__init__()
        self.settings = settings or Settings()
        self.worker = worker or Worker(self, factory_maker=factory_maker, home=home, stream_factory=stream_factory)
        self.player = player if player is not None else make_player()
        self.voice_info: VoiceInfo | None = None
        self.entries: list[ModelEntry] = [builtin_entry()]
        self.last_result = None
        self._streamed_job: int | None = None  # the running request plays as it is made: no replay when done
        self._playback_problems: set[str] = set()
        self.compare_dialog: CompareDialog | None = None
        self._compare_job: int | None = None
        self._fallback_notice: NoticeBar | None = None
        self._hint: NoticeBar | None = None
        self._download_dialog: DownloadDialog | None = None
        self._shut_down = False
        self._extra_kinds = sorted({f.kind for f in faults_from_env()} | self._factory_fault_kinds(factory_maker))

        self.setWindowTitle("SBV2 Studio")
        self.setAcceptDrops(True)
        self.resize(1240, 860)
        self._build_ui()
        self._build_menus()
        self._connect_worker()

        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(3000)
        self._save_timer.timeout.connect(self._save_when_idle)

        self.heartbeat = Heartbeat(self)
        self.heartbeat.changed.connect(self._show_gap)
        self.heartbeat.start()

        self._restore()
        self._refresh_audio()
        self._apply_voice_info(None)
        if autoload:
            # After the window's first paint, which is GUI work of its own and not the voice's doing.
            QTimer.singleShot(300, self, self._autostart)

    def _autostart(self) -> None:
        if self._shut_down:
            return
        self.rescan()
        self.load_selected()

    @staticmethod
    def _factory_fault_kinds(factory_maker) -> set[str]:
        """Backend kinds a test or demo factory emulates (so their pickers offer them)."""
        if factory_maker is None:
            return set()
        try:
            return {f.kind for f in factory_maker().faults}
        except Exception:
            return set()

    # ===================================================================================== building the window

    def _build_ui(self) -> None:
        central = QWidget()
        self.setCentralWidget(central)
        root = QVBoxLayout(central)
        root.setContentsMargins(8, 6, 8, 4)

        self.notices = QVBoxLayout()
        self.notices.setSpacing(4)
        root.addLayout(self.notices)

        body = QHBoxLayout()
        body.setSpacing(8)
        root.addLayout(body, 1)
        # Left: the text and its buttons over the waveform and the latency panel; right: voice, parameters, backends.
        self.vsplit = QSplitter(Qt.Orientation.Vertical)
        self.vsplit.setChildrenCollapsible(False)
        self.vsplit.addWidget(self._build_editor())
        self.waveform = WaveformView()
        self.waveform.setMinimumHeight(90)
        self.vsplit.addWidget(self.waveform)
        self.latency = LatencyPanel()
        self.latency.setMinimumHeight(220)
        self.latency.exportRequested.connect(self.export_latency_dialog)
        self.vsplit.addWidget(self.latency)
        self.vsplit.setStretchFactor(0, 3)
        self.vsplit.setStretchFactor(1, 1)
        self.vsplit.setStretchFactor(2, 3)
        self.vsplit.setSizes([300, 130, 320])
        body.addWidget(self.vsplit, 1)
        body.addWidget(self._build_side())

        sb = self.statusBar()
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(180)
        self.progress.setTextVisible(False)
        self.progress.hide()
        sb.addPermanentWidget(self.progress)
        self.gap_label = QLabel("UI max gap: — ms")
        self.gap_label.setObjectName("gapLabel")
        self.gap_label.setToolTip(
            "Longest pause of the window's event loop while work was in flight (a 10 ms heartbeat timer). "
            "Under 50 ms feels instant."
        )
        sb.addPermanentWidget(self.gap_label)

    def _build_editor(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        self.editor = QPlainTextEdit()
        self.editor.setObjectName("textEditor")
        self.editor.setPlaceholderText(
            "Type Japanese text to speak. Ctrl+Enter synthesizes; each line is spoken in turn."
        )
        font = self.editor.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        self.editor.setFont(font)
        self._keys = _EditorKeys(self)
        self.editor.installEventFilter(self._keys)
        self.editor.viewport().installEventFilter(self._keys)
        layout.addWidget(self.editor, 1)

        row = QHBoxLayout()
        self.synth_button = QPushButton("Synthesize")
        self.synth_button.setObjectName("synthButton")
        self.synth_button.setToolTip("Ctrl+Enter")
        self.synth_button.setDefault(True)
        self.synth_button.clicked.connect(self.synthesize)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.play_button = QPushButton("▶ Play")
        self.play_button.clicked.connect(self.play)
        self.stop_button = QPushButton("■ Stop")
        self.stop_button.clicked.connect(self.stop)
        self.save_button = QPushButton("Save…")
        self.save_button.setToolTip("Save the last result as WAV or FLAC")
        self.save_button.clicked.connect(self.save_dialog)
        self.autoplay = QCheckBox("Play when done")
        self.stream_check = QCheckBox("Speak while synthesizing")
        self.stream_check.setObjectName("streamCheck")
        self.stream_check.setToolTip(STREAM_TOOLTIP)
        self.stream_check.toggled.connect(self._stream_toggled)
        self.device_combo = QComboBox()
        self.device_combo.setObjectName("deviceCombo")
        self.device_combo.setMinimumWidth(160)
        self.device_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.device_combo.setMinimumContentsLength(14)
        self.device_combo.currentIndexChanged.connect(self._device_changed)
        for w in (self.synth_button, self.cancel_button):
            row.addWidget(w)
        row.addSpacing(12)
        for w in (self.play_button, self.stop_button, self.save_button):
            row.addWidget(w)
        row.addStretch(1)
        layout.addLayout(row)
        audio_row = QHBoxLayout()
        audio_row.addWidget(QLabel("Output:"))
        audio_row.addWidget(self.device_combo)
        audio_row.addWidget(self.autoplay)
        audio_row.addWidget(self.stream_check)
        self.no_audio_label = QLabel()
        self.no_audio_label.setObjectName("noAudioLabel")
        self.no_audio_label.setWordWrap(True)
        self.no_audio_label.setStyleSheet("color: #8a5a00;")
        self.no_audio_label.hide()
        audio_row.addWidget(self.no_audio_label, 1)
        audio_row.addStretch(0)
        layout.addLayout(audio_row)
        self.play_timer = QTimer(self)
        self.play_timer.setInterval(40)
        self.play_timer.timeout.connect(self._update_playhead)
        return box

    def _build_side(self) -> QWidget:
        side = QWidget()
        layout = QVBoxLayout(side)
        layout.setContentsMargins(0, 0, 0, 0)

        voice = QGroupBox("Voice")
        form = QFormLayout(voice)
        self.model_combo = QComboBox()
        self.model_combo.setObjectName("modelCombo")
        self.model_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.model_combo.setMinimumContentsLength(18)
        self.model_combo.activated.connect(lambda _i: self.load_selected())
        model_row = QHBoxLayout()
        model_row.addWidget(self.model_combo, 1)
        add = QToolButton()
        add.setText("+")
        add.setToolTip("Import a voice (a model folder or .aivmx file)")
        add.clicked.connect(self.import_dialog)
        model_row.addWidget(add)
        form.addRow("Model", model_row)
        self.speaker_combo = QComboBox()
        self.speaker_combo.setObjectName("speakerCombo")
        self.style_combo = QComboBox()
        self.style_combo.setObjectName("styleCombo")
        form.addRow("Speaker", self.speaker_combo)
        form.addRow("Style", self.style_combo)
        layout.addWidget(voice)

        params = QGroupBox("Parameters")
        pform = QFormLayout(params)
        defaults = SynthesisParams()
        self.param_controls: dict[str, ParamControl] = {}
        self.param_labels: dict[str, QLabel] = {}
        for spec in (p for p in PARAMETERS if p.slider):  # the one parameter table (engine/params.py)
            control = ParamControl(spec.lo, spec.hi, spec.step, spec.default, spec.decimals)
            control.setObjectName(f"param_{spec.name}")
            control.setToolTip(spec.help)
            lab = QLabel(spec.label)
            lab.setToolTip(spec.help)
            self.param_controls[spec.name] = control
            self.param_labels[spec.name] = lab
            pform.addRow(lab, control)
        self.reset_button = QPushButton("Reset to defaults")
        self.reset_button.setObjectName("resetButton")
        self.reset_button.clicked.connect(self.reset_params)
        pform.addRow(self.reset_button)
        layout.addWidget(params)

        adv = QGroupBox("Advanced")
        adv_layout = QVBoxLayout(adv)
        self.advanced_toggle = QToolButton()
        self.advanced_toggle.setText("Show assist text, line options")
        self.advanced_toggle.setCheckable(True)
        self.advanced_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.advanced_toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.advanced_toggle.setAutoRaise(True)
        adv_layout.addWidget(self.advanced_toggle)
        self.advanced_body = QWidget()
        aform = QFormLayout(self.advanced_body)
        aform.setContentsMargins(0, 0, 0, 0)
        self.assist_text = QLineEdit()
        self.assist_text.setObjectName("assistText")
        self.assist_text.setPlaceholderText("Text whose feeling the speech takes on")
        weight = PARAMETER["assist_text_weight"]
        self.assist_weight = ParamControl(weight.lo, weight.hi, weight.step, weight.default, weight.decimals)
        self.assist_weight.setObjectName("param_assist_text_weight")
        self.assist_label = QLabel("Assist text")
        self.assist_weight_label = QLabel(weight.label)
        aform.addRow(self.assist_label, self.assist_text)
        aform.addRow(self.assist_weight_label, self.assist_weight)
        self.split_lines = QCheckBox("Speak each line separately")
        self.split_lines.setChecked(defaults.split_lines)
        aform.addRow(self.split_lines)
        self.line_interval = QDoubleSpinBox()
        self.line_interval.setRange(PARAMETER["line_interval"].lo, PARAMETER["line_interval"].hi)
        self.line_interval.setSingleStep(0.1)
        self.line_interval.setSuffix(" s")
        self.line_interval.setValue(defaults.line_interval)
        aform.addRow("Pause between lines", self.line_interval)
        adv_layout.addWidget(self.advanced_body)
        self.advanced_toggle.toggled.connect(self._toggle_advanced)
        self._toggle_advanced(False)
        layout.addWidget(adv)

        backends = QGroupBox("Backends")
        bform = QFormLayout(backends)
        self.backend_combos: dict[str, QComboBox] = {}
        self.ran_on_labels: dict[str, QLabel] = {}
        for stage, label in (("bert", "BERT"), ("synthesize", "Synthesizer")):
            combo = QComboBox()
            combo.setObjectName(f"backend_{stage}")
            combo.activated.connect(lambda _i: self._backends_changed())
            ran = QLabel("ran on: —")
            ran.setObjectName(f"ranOn_{stage}")
            ran.setStyleSheet("color: #555;")
            cell = QVBoxLayout()
            cell.setSpacing(1)
            cell.addWidget(combo)
            cell.addWidget(ran)
            bform.addRow(label, cell)
            self.backend_combos[stage] = combo
            self.ran_on_labels[stage] = ran
        self._fill_backend_combos()
        buttons = QHBoxLayout()
        self.retry_button = QPushButton("Retry GPU")
        self.retry_button.clicked.connect(self.retry_gpu)
        self.compare_button = QPushButton("Compare backends…")
        self.compare_button.setObjectName("compareButton")
        self.compare_button.clicked.connect(self.show_compare)
        buttons.addWidget(self.retry_button)
        buttons.addWidget(self.compare_button)
        bform.addRow(buttons)
        layout.addWidget(backends)
        layout.addStretch(1)

        scroll = QScrollArea()
        scroll.setWidget(side)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(380)
        scroll.setMaximumWidth(440)
        scroll.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
        return scroll

    def _toggle_advanced(self, shown: bool) -> None:
        self.advanced_body.setVisible(shown)
        self.advanced_toggle.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)

    def _build_menus(self) -> None:
        mb = self.menuBar()
        file = mb.addMenu("&File")
        self.save_action = file.addAction("Save audio as…", self.save_dialog)
        self.save_action.setShortcut(QKeySequence.StandardKey.Save)
        file.addAction("Export latency CSV…", self.export_latency_dialog)
        file.addSeparator()
        self.export_file_action = file.addAction("Export a text file, one WAV per line…", self.export_file_dialog)
        self.export_editor_action = file.addAction("Export the text's lines, one WAV each…", self.export_editor_dialog)
        file.addSeparator()
        file.addAction("Quit", self.close).setShortcut(QKeySequence.StandardKey.Quit)

        voices = mb.addMenu("&Models")
        voices.addAction("Import voice folder…", self.import_dialog)
        voices.addAction("Import .aivmx file…", lambda: self.import_dialog(file_mode=True))
        voices.addAction("Add a folder of voices…", self.add_folder_dialog)
        self.download_action = voices.addAction("Download voices…", self.show_download_dialog)
        self.remove_action = voices.addAction("Remove this voice from the library…", self.remove_current_voice)
        voices.addSeparator()
        voices.addAction("Set BERT folder…", self.bert_dialog)
        voices.addAction("Rescan", self.rescan)

        tools = mb.addMenu("&Tools")
        act = QAction("Synthesize\tCtrl+Enter", self)
        act.triggered.connect(self.synthesize)
        tools.addAction(act)
        tools.addAction("Cancel", self.cancel)
        tools.addSeparator()
        tools.addAction("Compare backends…", self.show_compare)
        tools.addAction("Warm up now", lambda: self.worker.warm_up(2))
        self.warmup_action = tools.addAction("Warm up after loading a voice")
        self.warmup_action.setCheckable(True)
        self.warmup_action.setToolTip("A short dummy request after each load, so the first real one is not cold")
        self.warmup_action.toggled.connect(lambda on: self.settings.set_int("warmup_on_load", 1 if on else 0))
        tools.addAction("Retry GPU", self.retry_gpu)

        helpm = mb.addMenu("&Help")
        helpm.addAction("About SBV2 Studio", self._about)

        # Ctrl+Enter from anywhere in the window (the editor's own filter covers it when the text has focus).
        for seq in ("Ctrl+Return", "Ctrl+Enter"):
            sc = QShortcut(QKeySequence(seq), self)
            sc.activated.connect(self.synthesize)

    def _connect_worker(self) -> None:
        w = self.worker
        w.jobStarted.connect(self._job_started)
        w.jobFinished.connect(self._job_finished)
        w.busyChanged.connect(self._busy_changed)
        w.loadProgress.connect(self._load_progress)
        w.loaded.connect(self._loaded)
        w.stageTimed.connect(self.latency.add_timing)
        w.resultReady.connect(self._result)
        w.jobFailed.connect(self._failed)
        w.fallback.connect(self.show_fallback_notice)
        w.ranOn.connect(self._ran_on)
        w.libraryScanned.connect(self._scanned)
        w.modelImported.connect(self._imported)
        w.modelRemoved.connect(self._removed)
        w.compareProgress.connect(self._compare_progress)
        w.compareDone.connect(self._compare_done)
        w.chunkReady.connect(self.latency.add_chunk)
        w.streamDone.connect(self.latency.finish_stream)
        w.exportProgress.connect(self._export_progress)
        w.exportDone.connect(self._export_done)
        w.playbackProblem.connect(self._playback_problem)
        w.cancelled.connect(self._cancelled)

    # ===================================================================================== settings

    def _restore(self) -> None:
        s = self.settings
        geometry = s.geometry()
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = s.state("vsplit")
        if state is not None:
            self.vsplit.restoreState(state)
        text = s.last_text
        self.editor.setPlainText(text if text is not None else DEFAULT_TEXT)
        self._set_params(s.params)
        self._saved_speaker, self._saved_style = s.params.speaker, s.params.style
        for stage, spec in s.backends.items():
            self._select_backend(stage, spec)
        self.autoplay.setChecked(s.get_flag("autoplay", True))
        self.stream_check.setChecked(s.get_flag("stream", True))
        self.warmup_action.setChecked(s.get_int("warmup_on_load", 1) > 0)
        self.advanced_toggle.setChecked(s.get_flag("advanced_open", False))
        self._fill_model_combo(select=s.model_id or BUILTIN_ID)

    def save_settings(self) -> None:
        s = self.settings
        s.set_geometry(self.saveGeometry())
        s.set_state("vsplit", self.vsplit.saveState())
        s.last_text = self.editor.toPlainText()
        s.params = self.current_params()
        s.backends = {stage: self._backend_spec(stage) for stage in self.backend_combos}
        s.model_id = self.voice_info.entry_id if self.voice_info else self._selected_entry_id()
        s.set_flag("autoplay", self.autoplay.isChecked())
        s.set_flag("stream", self.stream_check.isChecked())
        s.set_flag("advanced_open", self.advanced_toggle.isChecked())
        if self.compare_dialog is not None:
            s.set_int("compare_runs", self.compare_dialog.runs.value())
            s.set_int("compare_warmup", self.compare_dialog.warmup.value())
        dev = self.device_combo.currentData()
        if dev is not None:
            s.output_device = self.device_combo.currentText().removesuffix(" (default)")
        s.sync()

    def _save_soon(self) -> None:
        """Write the settings a few seconds after the last change, when no work is in flight: QSettings writes
        its file in the GUI thread, and a disk write must not stall the window while it synthesizes."""
        self._save_timer.start()

    def _save_when_idle(self) -> None:
        if self.worker.busy:
            self._save_timer.start()
        elif not self._shut_down:
            self.save_settings()

    def closeEvent(self, event) -> None:
        self.hide()  # gone at once, even if the worker still finishes a step before its thread stops
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        if self._shut_down:
            return
        self._shut_down = True
        self._save_timer.stop()
        self.save_settings()
        self.heartbeat.stop()
        self.play_timer.stop()
        self.player.stop()
        if self.compare_dialog is not None:
            self.compare_dialog.close()
        self.worker.shutdown()

    # ===================================================================================== parameters

    def current_params(self) -> SynthesisParams:
        """The request the controls describe (disabled controls keep their values; the voice ignores them)."""
        p = {name: c.value() for name, c in self.param_controls.items()}
        assist = self.assist_text.text().strip()
        return SynthesisParams(
            speaker=self.speaker_combo.currentText() or 0,
            style=self.style_combo.currentText() or None,
            style_weight=p["style_weight"],
            sdp_ratio=p["sdp_ratio"],
            noise=p["noise"],
            noise_w=p["noise_w"],
            length=p["length"],
            assist_text=assist or None,
            assist_text_weight=self.assist_weight.value(),
            split_lines=self.split_lines.isChecked(),
            line_interval=round(self.line_interval.value(), 3),
        )

    def _set_params(self, params: SynthesisParams) -> None:
        for name, control in self.param_controls.items():
            control.set_value(getattr(params, name))
        self.assist_text.setText(params.assist_text or "")
        self.assist_weight.set_value(params.assist_text_weight)
        self.split_lines.setChecked(params.split_lines)
        self.line_interval.setValue(params.line_interval)

    def reset_params(self) -> None:
        """The reference defaults for every slider and the advanced section (speaker and style stay)."""
        for control in self.param_controls.values():
            control.reset()
        self.assist_weight.reset()
        self.assist_text.clear()
        d = SynthesisParams()
        self.split_lines.setChecked(d.split_lines)
        self.line_interval.setValue(d.line_interval)
        if self.voice_info and self.voice_info.kind == "sbv2":
            default_style = "Neutral" if "Neutral" in self.voice_info.styles else None
            if default_style:
                self.style_combo.setCurrentText(default_style)

    def _apply_supported(self, info: VoiceInfo | None) -> None:
        """Disable (never hide) what the voice does not honour, and say why."""
        supported = info.supported_params if info else frozenset()
        name = info.label if info else "the voice"
        why = f"Not used by {name}"

        def gate(widgets, param):
            ok = param in supported
            for w in widgets:
                w.setEnabled(ok)
                w.setToolTip("" if ok else why)

        gate([self.speaker_combo], "speaker")
        gate([self.style_combo], "style")
        for pname, control in self.param_controls.items():
            gate([control, self.param_labels[pname]], pname)
        gate([self.assist_text, self.assist_label, self.assist_weight, self.assist_weight_label], "assist_text")
        gate(list(self.backend_combos.values()), "backends")
        self._update_retry(info)

    def _update_retry(self, info: VoiceInfo | None = None) -> None:
        """Retry GPU makes sense only where a stage asked for a GPU."""
        info = info if info is not None else self.voice_info
        wants_gpu = any(Backend.parse(self._backend_spec(stage)).is_gpu for stage in self.backend_combos)
        ok = bool(info and "backends" in info.supported_params and wants_gpu)
        self.retry_button.setEnabled(ok)
        self.retry_button.setToolTip("" if ok else "Choose a GPU backend for a stage first")

    # ===================================================================================== voices and library

    def _fill_model_combo(self, select: str | None = None) -> None:
        select = select if select is not None else self._selected_entry_id()
        self.model_combo.blockSignals(True)
        self.model_combo.clear()
        known = {e.id for e in self.entries}
        if select and select not in known:
            # A voice from the last session the scan has not confirmed yet: list it so it can load at once.
            self.entries.append(ModelEntry(select, Path(select).name, "sbv2", Path(select)))
        for entry in self.entries:
            self.model_combo.addItem(entry.label, entry.id)
            if not entry.valid:
                model: QStandardItemModel = self.model_combo.model()
                item = model.item(self.model_combo.count() - 1)
                item.setEnabled(False)
                item.setToolTip(entry.error or "")
        idx = self.model_combo.findData(select) if select else 0
        self.model_combo.setCurrentIndex(max(idx, 0))
        self.model_combo.blockSignals(False)

    def _selected_entry_id(self) -> str | None:
        return self.model_combo.currentData()

    def rescan(self) -> None:
        self.worker.scan(self.settings.extra_roots)

    def _scanned(self, entries: list[ModelEntry]) -> None:
        current = self.voice_info.entry_id if self.voice_info else self._selected_entry_id()
        self.entries = list(entries)
        self._fill_model_combo(select=current)
        if not any(e.kind != "builtin" and e.valid for e in self.entries):
            self.show_hint()
        elif self._hint is not None:
            self._hint.dismiss()

    def load_selected(self) -> None:
        entry_id = self._selected_entry_id() or BUILTIN_ID
        self.load_voice(entry_id)

    def load_voice(self, entry_id: str) -> int:
        return self.worker.load(
            entry_id,
            Backend.parse(self._backend_spec("bert")),
            Backend.parse(self._backend_spec("synthesize")),
            warmup_runs=self.settings.get_int("warmup_on_load", 1),
            bert_path=self.settings.bert_path,
            prepare_stream=self.stream_check.isChecked(),
        )

    def _loaded(self, info: VoiceInfo) -> None:
        self.voice_info = info
        self._apply_voice_info(info)
        self.statusBar().showMessage(f"Loaded {info.label}", 5000)
        idx = self.model_combo.findData(info.entry_id)
        if idx >= 0:
            self.model_combo.setCurrentIndex(idx)
        self._save_soon()

    def _apply_voice_info(self, info: VoiceInfo | None) -> None:
        for combo, names, saved in (
            (self.speaker_combo, info.speakers if info else {}, getattr(self, "_saved_speaker", None)),
            (self.style_combo, info.styles if info else {}, getattr(self, "_saved_style", None)),
        ):
            previous = combo.currentText() or (str(saved) if saved is not None else "")
            combo.clear()
            combo.addItems(list(names))
            if previous in names:
                combo.setCurrentText(previous)
            elif combo is self.style_combo and "Neutral" in names:
                combo.setCurrentText("Neutral")
        self._apply_supported(info)
        self._update_stream_check(info)
        self.latency.set_stages(info.stages if info else ())
        self.setWindowTitle(f"SBV2 Studio — {info.label}" if info else "SBV2 Studio")
        if info is not None:
            self._ran_on(info.ran_on)

    def model_paths(self, mime) -> list[str]:
        """Local folders and .aivmx/.onnx files among dropped URLs."""
        if mime is None or not mime.hasUrls():
            return []
        out = []
        for url in mime.urls():
            if not url.isLocalFile():
                continue
            p = Path(url.toLocalFile())
            if p.is_dir() or p.suffix.lower() in MODEL_SUFFIXES:
                out.append(str(p))
        return out

    def dragEnterEvent(self, event) -> None:
        if self.model_paths(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        paths = self.model_paths(event.mimeData())
        if paths:
            self.import_paths(paths)
            event.acceptProposedAction()

    def import_paths(self, paths: list[str]) -> None:
        for p in paths:
            self.worker.import_model(p, self.settings.extra_roots)
        self.statusBar().showMessage(f"Importing {', '.join(Path(p).name for p in paths)}…")

    def _imported(self, entry: ModelEntry) -> None:
        self.entries = [e for e in self.entries if e.id != entry.id] + [entry]
        self._fill_model_combo(select=entry.id)
        self.add_notice("info", f"Imported {html.escape(entry.label)} into the library.", timeout_ms=6000)
        if self._hint is not None:
            self._hint.dismiss()
        self.rescan()
        self.load_voice(entry.id)

    def remove_current_voice(self, confirm: bool = True) -> None:
        """Delete the selected SBV2 voice from the library folder, after asking (it cannot be undone)."""
        entry_id = self._selected_entry_id()
        entry = next((e for e in self.entries if e.id == entry_id), None)
        if entry is None or entry.kind == "builtin":
            self.add_notice("info", "The built-in voice cannot be removed.", timeout_ms=6000)
            return
        if confirm:
            answer = QMessageBox.question(
                self, "Remove voice", f"Delete {entry.label} from the library?\n{entry.path}\n\nThis cannot be undone."
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.worker.remove_model(entry, self.settings.extra_roots)

    def _removed(self, entry: ModelEntry) -> None:
        self.add_notice("info", f"Removed {html.escape(entry.label)} from the library.", timeout_ms=6000)
        if self.voice_info and self.voice_info.entry_id == entry.id:
            self.load_voice(BUILTIN_ID)
        self.rescan()

    def import_dialog(self, file_mode: bool = False) -> None:
        if file_mode:
            path, _ = QFileDialog.getOpenFileName(self, "Import an AIVMX voice", "", "AIVMX voices (*.aivmx)")
        else:
            path = QFileDialog.getExistingDirectory(
                self, "Import an SBV2 model folder (config.json, *.onnx, style_vectors.npy)"
            )
        if path:
            self.import_paths([path])

    def add_folder_dialog(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Add a folder that holds SBV2 voices")
        if path:
            roots = self.settings.extra_roots
            if path not in roots:
                self.settings.extra_roots = [*roots, path]
            self.rescan()

    def bert_dialog(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "The DeBERTa ONNX folder (model.onnx + vocab.txt)")
        if path:
            self.settings.bert_path = path
            if self.voice_info and self.voice_info.kind == "sbv2":
                self.load_voice(self.voice_info.entry_id)

    def show_download_dialog(self) -> None:
        """The BERT model and SBV2 voices from Hugging Face, on a thread of their own (non-modal)."""
        if self._download_dialog is None:
            library = Library(extra_roots=self.settings.extra_roots, home=self.worker.core.home)
            self._download_dialog = DownloadDialog(library, self)
            self._download_dialog.downloaded.connect(self._downloaded)
        self._download_dialog.show()
        self._download_dialog.raise_()

    def _downloaded(self, kind: str, result) -> None:
        if kind == "bert":
            self.add_notice("info", "The BERT model is installed: SBV2 voices can speak now.", timeout_ms=8000)
            if self.voice_info and self.voice_info.kind == "sbv2":
                self.load_voice(self.voice_info.entry_id)
        else:
            self._imported(result)

    def show_hint(self) -> None:
        if self._hint is not None:
            return
        hint = NoticeBar(
            "info",
            "Speaking with the built-in OpenJTalk voice. For Style-Bert-VITS2 voices, import a model folder or "
            "an .aivmx file (Models ▸ Import…) or drag one onto this window.",
        )
        hint.setObjectName("addVoicesHint")
        hint.add_action("Import…", self.import_dialog)
        hint.add_action("Download…", self.show_download_dialog)
        hint.closed.connect(lambda: setattr(self, "_hint", None))
        self._hint = hint
        self._show_notice(hint)

    # ===================================================================================== backends

    def _backend_kinds(self) -> list[str]:
        kinds = available_kinds()
        kinds = [k for k in kinds if k != "cpu"]
        kinds += [k for k in self._extra_kinds if k not in kinds and k != "cpu"]
        return ["cpu", *kinds]

    def _fill_backend_combos(self) -> None:
        for combo in self.backend_combos.values():
            combo.clear()
            for kind in self._backend_kinds():
                b = Backend(kind)
                emulated = kind in self._extra_kinds and kind not in available_kinds()
                combo.addItem(b.label + (" (emulated)" if emulated else ""), b.spec)  # issue 14: spec round-trips

    def _backend_spec(self, stage: str) -> str:
        return self.backend_combos[stage].currentData() or "cpu:0"

    def _select_backend(self, stage: str, spec: str) -> None:
        combo = self.backend_combos.get(stage)
        if combo is None:
            return
        try:
            b = Backend.parse(spec)
        except StudioError:
            return
        idx = combo.findData(b.spec)  # issue 14: openvino:CPU, not openvino:0
        if idx >= 0:
            combo.setCurrentIndex(idx)

    def _backends_changed(self) -> None:
        self._save_soon()
        self._update_retry()
        if self.voice_info is not None and self.voice_info.kind == "sbv2":
            self.load_voice(self.voice_info.entry_id)

    def _ran_on(self, ran_on: dict) -> None:
        info = self.voice_info
        for stage, label in self.ran_on_labels.items():
            if info is None or info.kind != "sbv2":
                label.setText("ran on: CPU (built-in voice)" if info else "ran on: —")
                label.setStyleSheet("color: #555;")
                continue
            where = ran_on.get(stage) or "—"
            wanted = Backend.parse(self._backend_spec(stage)).label
            fell_back = not where.startswith(wanted)
            label.setText(f"ran on: {where}" + ("  ⚠ fell back" if fell_back else ""))
            label.setStyleSheet("color: #b35c00; font-weight: bold;" if fell_back else "color: #2e6b2e;")

    def retry_gpu(self) -> None:
        if self._fallback_notice is not None:
            self._fallback_notice.dismiss()
        self.worker.retry_gpu()
        self.statusBar().showMessage("Retrying the GPU…", 4000)

    def show_fallback_notice(self, text: str) -> None:
        """Non-modal: a bar at the top of the window, with Retry GPU."""
        line = html.escape(text)
        if self._fallback_notice is not None:
            self._fallback_notice.set_text(self._fallback_notice.text + "<br>" + line)
            return
        notice = NoticeBar("warning", f"<b>GPU fallback:</b> {line}")
        notice.setObjectName("fallbackNotice")
        notice.label.setTextFormat(Qt.TextFormat.RichText)
        self.retry_notice_button = notice.add_action("Retry GPU", self.retry_gpu, name="retryGpuButton")
        notice.closed.connect(lambda: setattr(self, "_fallback_notice", None))
        self._fallback_notice = notice
        self.notices.insertWidget(0, notice)

    def _show_notice(self, notice: NoticeBar) -> None:
        self.notices.addWidget(notice)
        notice.show()  # at once: a layout shows a new child of a visible window only later (queued)

    def add_notice(self, kind: str, text: str, timeout_ms: int | None = None, name: str | None = None) -> NoticeBar:
        notice = NoticeBar(kind, text)
        notice.label.setTextFormat(Qt.TextFormat.RichText)
        if name:
            notice.setObjectName(name)
        # Keep at most a few notices: the oldest of the same kind goes.
        same = [self.notices.itemAt(i).widget() for i in range(self.notices.count())]
        same = [
            w
            for w in same
            if isinstance(w, NoticeBar) and w.kind == kind and w is not self._hint and w is not self._fallback_notice
        ]
        for old in same[:-2]:
            old.dismiss()
        self._show_notice(notice)
        if timeout_ms:
            QTimer.singleShot(timeout_ms, notice, notice.dismiss)  # the notice is the context: gone, no call
        return notice

    # ===================================================================================== synthesis

    def synthesize(self) -> int | None:
        text = self.editor.toPlainText()
        if not text.strip():
            self.statusBar().showMessage("Type some text first", 4000)
            return None
        params = self.current_params()
        self._save_soon()
        if self.streaming:
            self.stop()  # the last result's replay, if any: one voice at a time
            job = self.worker.stream(text, params, device=self.player.device, play=self.player.available)
            self._streamed_job = job
        else:
            job = self.worker.synthesize(text, params)
        self.requestSubmitted.emit(job, (text, params))
        return job

    @property
    def streaming(self) -> bool:
        """Requests stream: the box is ticked and a voice is loaded (every voice streams)."""
        return self.stream_check.isChecked() and self.voice_info is not None

    def _update_stream_check(self, info: VoiceInfo | None) -> None:
        self.stream_check.setEnabled(info is not None)
        self.stream_check.setToolTip(STREAM_TOOLTIP)

    def _stream_toggled(self, on: bool) -> None:
        self._save_soon()
        if on and self.streaming:  # get it ready now, off the GUI thread, not at the first request
            self.worker.prepare_streaming()

    def _playback_problem(self, message: str) -> None:
        if message not in self._playback_problems:  # once per reason, not once per request
            self._playback_problems.add(message)
            self.add_notice("warning", html.escape(message), timeout_ms=12000, name="playbackNotice")

    def cancel(self) -> None:
        self.worker.cancel()
        self.latency.abandon()
        self.statusBar().showMessage("Cancelled", 3000)

    def _result(self, result) -> None:
        self.last_result = result
        self.latency.finish(result)
        # The waveform and the history chart repaint in later turns of the event loop: one long paint of
        # everything at once would be the window's longest pause.
        QTimer.singleShot(15, self.waveform, lambda: self.waveform.set_audio(result.audio, result.sample_rate))
        self._update_audio_buttons()
        msg = f"{result.audio_seconds:.2f} s of audio in {result.total_ms:.0f} ms (RTF {result.rtf:.3f})"
        self.statusBar().showMessage(msg, 8000)
        if result.skipped_lines:
            skipped = " / ".join(html.escape(s) for s in result.skipped_lines[:3])
            self.add_notice("warning", f"Skipped lines with nothing readable: {skipped}", timeout_ms=10000)
        streamed, self._streamed_job = self._streamed_job is not None, None
        if self.autoplay.isChecked() and self.player.available and not streamed:
            self.play()

    def _failed(self, job: Job, message: str) -> None:
        if job.kind in (SYNTH, STREAM):
            self.latency.abandon()
            self._streamed_job = None
        if job.kind == COMPARE and self.compare_dialog is not None:
            self.compare_dialog.on_failed(message)
        if job.kind == LOAD:
            # Keep showing the voice that is still loaded.
            current = self.voice_info.entry_id if self.voice_info else BUILTIN_ID
            self._fill_model_combo(select=current)
            if self.voice_info is None and job.entry_id != BUILTIN_ID:
                self.load_voice(BUILTIN_ID)
                message += " — using the built-in voice meanwhile"
        what = {
            LOAD: "Could not load the voice",
            SYNTH: "Could not synthesize",
            STREAM: "Could not synthesize",
            COMPARE: "Comparison failed",
            IMPORT: "Could not import",
            REMOVE: "Could not remove",
            EXPORT: "Export failed",
        }.get(job.kind, "Error")
        self.add_notice("error", f"<b>{what}:</b> {html.escape(message)}", name="errorNotice")
        self.statusBar().showMessage(f"{what}: {message}", 8000)

    def _cancelled(self, job_id: int) -> None:
        if job_id == self._compare_job and self.compare_dialog is not None:
            self.compare_dialog.on_cancelled()
            self._compare_job = None

    # ===================================================================================== job state

    def _job_started(self, job: Job) -> None:
        work = WORK_OF_JOB.get(job.kind)
        if work:
            self.heartbeat.set_work(work)
        label = self.voice_info.label if self.voice_info else ""
        if job.kind == STREAM and self.voice_info is not None:
            self.latency.begin_stream(label, len(job.text), self.voice_info.sample_rate, self.voice_info.stages)
        elif job.kind in (SYNTH, STREAM):
            self.latency.begin(label, len(job.text), self.voice_info.stages if self.voice_info else None)
        self.statusBar().showMessage(job.describe() + "…")
        if job.kind in (LOAD, WARMUP, PREPARE, COMPARE, EXPORT):
            self.progress.setRange(0, 0)
            self.progress.show()

    def _job_finished(self, job: Job) -> None:
        if job.kind in (LOAD, WARMUP, PREPARE, COMPARE, EXPORT):
            self.progress.hide()
        if job.kind in (LOAD, WARMUP, PREPARE) and self.voice_info is not None and not self.worker.pending():
            self.statusBar().showMessage(f"Ready: {self.voice_info.label}", 6000)
        elif self.statusBar().currentMessage().startswith(job.describe()):
            self.statusBar().clearMessage()  # a "…in progress" line must not outlive its job
        self._show_gap()

    def _busy_changed(self, busy: bool) -> None:
        self.cancel_button.setEnabled(busy)
        if not busy:
            self.heartbeat.set_work(None)
            self.progress.hide()

    def _load_progress(self, done: int, total: int, message: str) -> None:
        self.progress.show()
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.statusBar().showMessage(message)

    def _show_gap(self, *_args) -> None:
        hb = self.heartbeat
        if not hb.max_by_work:
            return
        parts = " · ".join(f"{k} {v:.0f}" for k, v in sorted(hb.max_by_work.items()))
        self.gap_label.setText(f"UI max gap: {hb.max_gap_ms:.0f} ms ({parts})")

    # ===================================================================================== compare

    def show_compare(self) -> CompareDialog:
        if self.compare_dialog is None:
            self.compare_dialog = CompareDialog(self)
            self.compare_dialog.runRequested.connect(self.run_compare)
            self.compare_dialog.cancelRequested.connect(self.cancel)
            self.compare_dialog.runs.setValue(self.settings.get_int("compare_runs", 5))
            self.compare_dialog.warmup.setValue(self.settings.get_int("compare_warmup", 2))
        info = self.voice_info
        gpu_kinds = [k for k in self._backend_kinds() if k != "cpu"]
        self.compare_dialog.set_context(
            info.label if info else "the voice",
            self.editor.toPlainText(),
            configs_for(gpu_kinds),
            bool(info and info.kind == "sbv2"),
        )
        self.compare_dialog.show()
        self.compare_dialog.raise_()
        return self.compare_dialog

    def run_compare(self, configs, runs: int, warmup: int) -> int | None:
        text = self.editor.toPlainText()
        if not text.strip():
            self.compare_dialog.on_failed("the text is empty: type some Japanese to speak")
            return None
        self._save_soon()
        self.compare_dialog.set_running(True)
        self._compare_job = self.worker.compare(
            text, self.current_params(), configs, runs, warmup, bert_path=self.settings.bert_path
        )
        return self._compare_job

    def _compare_progress(self, done: int, total: int, message: str) -> None:
        if self.compare_dialog is not None:
            self.compare_dialog.on_progress(done, total, message)
        if total:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
        self.statusBar().showMessage(f"Comparing: {message}")

    def _compare_done(self, result) -> None:
        self._compare_job = None
        if self.compare_dialog is not None:
            self.compare_dialog.show_result(result)
        self.statusBar().showMessage("Comparison done", 5000)

    # ===================================================================================== playback and saving

    def _refresh_audio(self) -> None:
        self.device_combo.blockSignals(True)
        self.device_combo.clear()
        if not self.player.available:
            self.device_combo.addItem("No audio device", None)
            self.device_combo.setEnabled(False)
            reason = self.player.unavailable_reason or "no audio output device"
            self.no_audio_label.setText(
                f"No audio output: {reason}. Playback is off; synthesizing and saving WAV/FLAC still work."
            )
            self.no_audio_label.show()
        else:
            self.device_combo.setEnabled(True)
            self.no_audio_label.hide()
            wanted = self.player.device_by_name(self.settings.output_device)
            for dev in self.player.devices:
                self.device_combo.addItem(dev.label, dev.index)
            pick = wanted or next((d for d in self.player.devices if d.default), None)
            if pick is not None:
                self.device_combo.setCurrentIndex(self.device_combo.findData(pick.index))
                self.player.set_device(pick.index)
        self.device_combo.blockSignals(False)
        self._update_audio_buttons()

    def _device_changed(self, _index: int) -> None:
        self.player.set_device(self.device_combo.currentData())
        self._save_soon()

    def _update_audio_buttons(self) -> None:
        has = self.last_result is not None
        self.play_button.setEnabled(has and self.player.available)
        self.stop_button.setEnabled(self.player.available)
        self.save_button.setEnabled(has)
        self.save_action.setEnabled(has)
        self.play_button.setToolTip("" if self.player.available else "No audio output device")

    def play(self) -> None:
        if self.last_result is None:
            return
        try:
            self.player.play(self.last_result.pcm16, self.last_result.sample_rate)
        except RuntimeError as exc:
            self.add_notice("error", html.escape(str(exc)), timeout_ms=10000)
            return
        self.play_timer.start()

    def stop(self) -> None:
        self.player.stop()
        self.worker.stop_speaking()
        self.play_timer.stop()
        self.waveform.set_head(None)

    def _update_playhead(self) -> None:
        pos = self.player.position
        self.waveform.set_head(pos)
        if pos is None:
            self.play_timer.stop()

    def save_result(self, path: str | Path) -> Path | None:
        if self.last_result is None:
            return None
        try:
            out = self.last_result.save(path)
        except (StudioError, OSError, RuntimeError) as exc:
            self.add_notice("error", f"<b>Could not save:</b> {html.escape(str(exc))}", name="errorNotice")
            return None
        self.statusBar().showMessage(f"Saved {out}", 6000)
        return out

    def save_dialog(self) -> None:
        if self.last_result is None:
            return
        start = self.settings.qs.value("paths/last_save_dir", "") or os.path.expanduser("~")
        path, chosen = QFileDialog.getSaveFileName(
            self, "Save audio", str(Path(start) / "sbv2.wav"), "WAV audio (*.wav);;FLAC audio (*.flac)"
        )
        if not path:
            return
        if Path(path).suffix.lower() not in (".wav", ".flac"):
            path += ".flac" if "FLAC" in chosen else ".wav"
        if self.save_result(path):
            self.settings.qs.setValue("paths/last_save_dir", str(Path(path).parent))

    # ===================================================================================== line-by-line export

    def export_lines(self, out_dir: str | Path, path: str | Path | None = None) -> int | None:
        """One WAV per line (of a text file, or of the editor's text) and joined.wav, in the worker, with progress."""
        lines = None
        if path is None:
            lines = self.editor.toPlainText().splitlines()
            if not any(line.strip() for line in lines):
                self.statusBar().showMessage("Type some text first", 4000)
                return None
        self._save_soon()
        return self.worker.export_lines(out_dir, self.current_params(), path=path, lines=lines)

    def export_file_dialog(self) -> None:
        start = self.settings.qs.value("paths/last_text_dir", "") or os.path.expanduser("~")
        path, _ = QFileDialog.getOpenFileName(self, "Text file to export", start, "Text files (*.txt);;All files (*)")
        if not path:
            return
        self.settings.qs.setValue("paths/last_text_dir", str(Path(path).parent))
        out = self._export_folder_dialog(Path(path).with_suffix(""))
        if out:
            self.export_lines(out, path=path)

    def export_editor_dialog(self) -> None:
        out = self._export_folder_dialog(None)
        if out:
            self.export_lines(out)

    def _export_folder_dialog(self, suggestion: Path | None) -> str | None:
        start = str(suggestion) if suggestion else self.settings.qs.value("paths/last_save_dir", "") or "."
        out = QFileDialog.getExistingDirectory(self, "Folder for the WAV files", start)
        if out:
            self.settings.qs.setValue("paths/last_save_dir", out)
        return out or None

    def _export_progress(self, done: int, total: int, message: str) -> None:
        self.progress.show()
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.statusBar().showMessage(message)

    def _export_done(self, result) -> None:
        files = len(result.files)
        where = html.escape(str(result.out_dir))
        joined = f" and {html.escape(result.joined.name)}" if result.joined else ""
        skipped = f"; {len(result.skipped)} unreadable line(s) skipped" if result.skipped else ""
        rtf = f" (RTF {result.rtf:.2f})" if result.rtf is not None else ""
        if result.cancelled:
            text = f"<b>Export stopped</b> after {files} file(s); they are kept in {where}{skipped}"
        else:
            text = f"<b>Exported</b> {files} file(s){joined} to {where}: {result.audio_seconds:.1f} s of audio{rtf}{skipped}"
        self.add_notice("warning" if result.cancelled or result.skipped else "info", text, timeout_ms=20000,
                        name="exportNotice")  # fmt: skip
        self.statusBar().showMessage("Export stopped" if result.cancelled else "Export done", 6000)

    def export_latency(self, path: str | Path) -> None:
        Path(path).write_text(self.latency.to_csv(), encoding="utf-8")
        self.statusBar().showMessage(f"Wrote {path}", 6000)

    def export_latency_dialog(self) -> None:
        if not self.latency.records:
            self.statusBar().showMessage("No requests to export yet", 4000)
            return
        path, _ = QFileDialog.getSaveFileName(self, "Export latency", "latency.csv", "CSV files (*.csv)")
        if path:
            self.export_latency(path)

    def _about(self) -> None:
        box = QMessageBox(self)
        box.setWindowTitle("About SBV2 Studio")
        box.setText(
            "SBV2 Studio — Style-Bert-VITS2 speech synthesis on onnxruntime, without torch.\n"
            "The built-in voice is OpenJTalk's mei (not SBV2)."
        )
        box.setModal(False)
        box.show()
