"""The main window: text, voice and parameters, playback, waveform, the live latency panel, backends.

Everything slow happens in the worker (worker.py); this window only sends requests and shows what comes back,
so it never blocks. A heartbeat timer measures that claim (status bar: "UI max gap").
"""

from __future__ import annotations

import html
import os
from dataclasses import replace
from pathlib import Path

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ..app import (
    BUILTIN_ID,
    Library,
    ModelEntry,
    StudioError,
    SynthesisParams,
    about_text,
    activate_user_dictionary,
    builtin_entry,
    faults_from_env,
)
from ..app.compare import configs_for
from ..app.jobs import COMPARE, EXPORT, IMPORT, LOAD, PREPARE, REMOVE, STREAM, SYNTH, WARMUP, Job, VoiceInfo
from ..app.precision import load_defaults
from .accent_editor import AccentEditor
from .backends_panel import CPU_SPEC, BackendsPanel
from .compare import CompareDialog
from .core_text import core_text, error_text
from .dictionary_dialog import DictionaryDialog
from .download_dialog import DownloadDialog
from .heartbeat import Heartbeat
from .i18n import LANGUAGES, job_text
from .latency_panel import LatencyPanel
from .notices import NoticeArea
from .playback import Player, default_suffix, make_player
from .settings import Settings
from .takes_panel import TakesPanel
from .voice_panel import VoicePanel, placeholder_entry
from .waveform import WaveformView
from .widgets import NoticeBar, has_japanese_font
from .worker import Worker

# The text is read ahead this long after the last key: a pause, not every keystroke (a segment's BERT run, 50-400
# ms, is not stopped once begun: a request made meanwhile waits for it).
READ_AHEAD_AFTER_MS = 600
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
# The kinds of work in the status bar's "UI max gap" line.
WORK_NAMES = (
    QT_TRANSLATE_NOOP("MainWindow", "load"),
    QT_TRANSLATE_NOOP("MainWindow", "synth"),
    QT_TRANSLATE_NOOP("MainWindow", "compare"),
    QT_TRANSLATE_NOOP("MainWindow", "export"),
)
MODEL_SUFFIXES = (".aivmx", ".onnx", ".safetensors")  # .safetensors: converted on import
STREAM_TOOLTIP = QT_TRANSLATE_NOOP(
    "MainWindow",
    "Streaming: the voice starts speaking after the first few hundred milliseconds, sentence by sentence "
    "and chunk by chunk, instead of after the whole text is made. The chunk timeline shows how it kept up.",
)
# Help ▸ Language: the setting's value and the menu entry (each language named in itself).
LANGUAGE_ENTRIES = (
    ("system", QT_TRANSLATE_NOOP("MainWindow", "System language")),
    ("ja", "日本語"),
    ("en", "English"),
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
    apiStateChanged = Signal(str, str)  # "serving" | "stopped" | "failed", the URL or the reason (from any thread)

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
        self._hint: NoticeBar | None = None
        self._defaults_offer: NoticeBar | None = None  # "measure this machine's fastest backends?" (once)
        self._scanned_once = False  # until the first scan, the last session's voice is listed unconfirmed
        self._download_dialog: DownloadDialog | None = None
        self._dictionary_dialog: DictionaryDialog | None = None
        self.api_server = None  # app.server's ApiServer while Tools ▸ Serve the API is on
        self.api_config = None  # its ServerConfig (None: loopback, the default port 50210)
        self._shut_down = False
        try:
            env_faults = faults_from_env()
        except StudioError as exc:  # a malformed SBV2_STUDIO_FAULT: said once the window is up, never a crash
            env_faults, self._fault_problem = [], str(exc)
        else:
            self._fault_problem = None
        self._extra_kinds = sorted({f.kind for f in env_faults} | self._factory_fault_kinds(factory_maker))

        self.setWindowTitle("SBV2 Studio")
        self.setAcceptDrops(True)
        self.resize(1240, 860)
        self._build_ui()
        self._build_menus()
        self.apiStateChanged.connect(self._api_state)  # queued: emitted by the server's start/stop thread
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

        self.notices = NoticeArea()
        root.addWidget(self.notices)

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
        self.gap_label = QLabel(self.tr("UI max gap: — ms"))
        self.gap_label.setObjectName("gapLabel")
        self.gap_label.setToolTip(
            self.tr(
                "Longest pause of the window's event loop while work was in flight (a 10 ms heartbeat timer). "
                "Under 50 ms feels instant."
            )
        )
        sb.addPermanentWidget(self.gap_label)

    def _build_editor(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        self.editor = QPlainTextEdit()
        self.editor.setObjectName("textEditor")
        self.editor.setPlaceholderText(
            self.tr("Type Japanese text to speak. Ctrl+Enter synthesizes; each line is spoken in turn.")
        )
        font = self.editor.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        self.editor.setFont(font)
        self._keys = _EditorKeys(self)
        self.editor.installEventFilter(self._keys)
        self.editor.viewport().installEventFilter(self._keys)
        layout.addWidget(self.editor, 1)
        # The accent-phrase editor of the line the cursor is on: built when first opened, analysing one line.
        self.accents: AccentEditor | None = None
        self._accent_timer = QTimer(self)
        self._accent_timer.setSingleShot(True)
        self._accent_timer.setInterval(300)  # typing does not re-read the text at every key
        self._accent_timer.timeout.connect(self._sync_accents)
        self._read_ahead_timer = QTimer(self)
        self._read_ahead_timer.setSingleShot(True)
        self._read_ahead_timer.setInterval(READ_AHEAD_AFTER_MS)
        self._read_ahead_timer.timeout.connect(self.read_ahead)
        self._read_ahead_key: tuple | None = None
        self.editor.textChanged.connect(self._text_changed)
        self.editor.cursorPositionChanged.connect(self._cursor_moved)
        self._accent_box = QVBoxLayout()
        layout.addLayout(self._accent_box)

        row = QHBoxLayout()
        self.synth_button = QPushButton(self.tr("Synthesize"))
        self.synth_button.setObjectName("synthButton")
        self.synth_button.setToolTip("Ctrl+Enter")
        self.synth_button.setDefault(True)
        self.synth_button.clicked.connect(self.synthesize)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.play_button = QPushButton(self.tr("▶ Play"))
        self.play_button.clicked.connect(self.play)
        self.stop_button = QPushButton(self.tr("■ Stop"))
        self.stop_button.clicked.connect(self.stop)
        self.save_button = QPushButton(self.tr("Save…"))
        self.save_button.setToolTip(self.tr("Save the last result as WAV or FLAC"))
        self.save_button.clicked.connect(self.save_dialog)
        self.autoplay = QCheckBox(self.tr("Play when done"))
        self.stream_check = QCheckBox(self.tr("Speak while synthesizing"))
        self.stream_check.setObjectName("streamCheck")
        self.stream_check.setToolTip(self.tr(STREAM_TOOLTIP))
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
        self.accents_button = QPushButton(self.tr("Accents…"))
        self.accents_button.setObjectName("accentsButton")
        self.accents_button.setCheckable(True)
        self.accents_button.setToolTip(
            self.tr("Show the accent phrases of the line the cursor is on: fix a reading or an accent")
        )
        self.accents_button.toggled.connect(self.show_accents)
        row.addWidget(self.accents_button)
        layout.addLayout(row)
        audio_row = QHBoxLayout()
        audio_row.addWidget(QLabel(self.tr("Output:")))
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
        self.voice_panel = VoicePanel()
        self.voice_panel.voiceActivated.connect(self.load_selected)
        self.voice_panel.importRequested.connect(self.import_dialog)
        self.voice_panel.resetRequested.connect(self.reset_params)
        layout.addWidget(self.voice_panel)
        self.backends = BackendsPanel(self._extra_kinds)
        self.backends.changed.connect(self._backends_changed)
        self.backends.retryRequested.connect(self.retry_gpu)
        self.backends.compareRequested.connect(self.show_compare)
        self.backends.defaultsRequested.connect(self.choose_machine_defaults)
        layout.addWidget(self.backends)
        self.takes = TakesPanel()
        self.takes.playRequested.connect(self.play_take)
        self.takes.compareRequested.connect(self.compare_takes)
        self.takes.restoreRequested.connect(self.restore_take)
        self.takes.saveRequested.connect(self.save_take_dialog)
        layout.addWidget(self.takes)
        layout.addStretch(1)
        # The widgets people (and tests) reach for by name.
        vp, bp = self.voice_panel, self.backends
        self.model_combo, self.speaker_combo, self.style_combo = vp.model_combo, vp.speaker_combo, vp.style_combo
        self.param_controls, self.reset_button, self.advanced_toggle = (
            vp.param_controls,
            vp.reset_button,
            vp.advanced_toggle,
        )
        self.assist_text, self.assist_weight = vp.assist_text, vp.assist_weight
        self.split_lines, self.line_interval = vp.split_lines, vp.line_interval
        self.backend_combos, self.ran_on_labels, self.retry_button = (
            bp.backend_combos,
            bp.ran_on_labels,
            bp.retry_button,
        )

        scroll = QScrollArea()
        scroll.setWidget(side)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(380)
        scroll.setMaximumWidth(440)
        scroll.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
        return scroll

    def _build_menus(self) -> None:
        mb = self.menuBar()
        file = mb.addMenu(self.tr("&File"))
        self.save_action = file.addAction(self.tr("Save audio as…"), self.save_dialog)
        self.save_action.setShortcut(QKeySequence.StandardKey.Save)
        file.addAction(self.tr("Export latency CSV…"), self.export_latency_dialog)
        file.addSeparator()
        self.export_file_action = file.addAction(
            self.tr("Export a text file, one WAV per line…"), self.export_file_dialog
        )
        self.export_editor_action = file.addAction(
            self.tr("Export the text's lines, one WAV each…"), self.export_editor_dialog
        )
        file.addSeparator()
        file.addAction(self.tr("Quit"), self.close).setShortcut(QKeySequence.StandardKey.Quit)

        voices = mb.addMenu(self.tr("&Models"))
        voices.addAction(self.tr("Import voice folder…"), self.import_dialog)
        voices.addAction(self.tr("Import .aivmx or .safetensors file…"), lambda: self.import_dialog(file_mode=True))
        voices.addAction(self.tr("Add a folder of voices…"), self.add_folder_dialog)
        self.folders_menu = voices.addMenu(self.tr("Stop listing an added folder"))
        self.folders_menu.aboutToShow.connect(self._fill_folders_menu)
        self.download_action = voices.addAction(self.tr("Download voices…"), self.show_download_dialog)
        self.remove_action = voices.addAction(self.tr("Remove this voice from the library…"), self.remove_current_voice)
        voices.addSeparator()
        voices.addAction(self.tr("Set BERT folder…"), self.bert_dialog)
        voices.addAction(self.tr("Rescan"), self.rescan)

        tools = mb.addMenu(self.tr("&Tools"))
        act = QAction(self.tr("Synthesize") + "\tCtrl+Enter", self)
        act.triggered.connect(self.synthesize)
        tools.addAction(act)
        tools.addAction(self.tr("Cancel"), self.cancel)
        tools.addSeparator()
        tools.addAction(self.tr("Compare backends…"), self.show_compare)
        tools.addAction(self.tr("Warm up now"), lambda: self.worker.warm_up(2))
        self.warmup_action = tools.addAction(self.tr("Warm up after loading a voice"))
        self.warmup_action.setCheckable(True)
        self.warmup_action.setToolTip(
            self.tr("A short dummy request after each load, so the first real one is not cold")
        )
        self.warmup_action.toggled.connect(lambda on: self.settings.set_int("warmup_on_load", 1 if on else 0))
        self.read_ahead_action = tools.addAction(self.tr("Read the text ahead while typing"))
        self.read_ahead_action.setCheckable(True)
        self.read_ahead_action.setToolTip(
            self.tr("When you pause typing, the idle worker prepares the text (BERT), so speech starts sooner")
        )
        self.read_ahead_action.toggled.connect(self._read_ahead_toggled)
        tools.addAction(self.tr("Retry GPU"), self.retry_gpu)
        tools.addSeparator()
        tools.addAction(self.tr("User dictionary…"), self.show_dictionary)
        self.serve_action = tools.addAction(self.tr("Serve the API (VOICEVOX-compatible)"))
        self.serve_action.setCheckable(True)
        self.serve_action.setToolTip(
            self.tr("Other programs (YMM4, AITuber kits, bots) use this window's voices over HTTP on this machine")
        )
        self.serve_action.toggled.connect(self.serve_api)

        helpm = mb.addMenu(self.tr("&Help"))
        self._build_language_menu(helpm)
        helpm.addAction(self.tr("About SBV2 Studio"), self._about)

        # Ctrl+Enter from anywhere in the window (the editor's own filter covers it when the text has focus).
        for seq in ("Ctrl+Return", "Ctrl+Enter"):
            sc = QShortcut(QKeySequence(seq), self)
            sc.activated.connect(self.synthesize)

    def _build_language_menu(self, parent_menu) -> None:
        """Help ▸ Language: the choice is saved and applies at the next start (the window is built once)."""
        menu = parent_menu.addMenu(self.tr("Language"))
        menu.setObjectName("languageMenu")
        self.language_actions: dict[str, QAction] = {}
        chosen = self.settings.language
        for value, label in LANGUAGE_ENTRIES:
            action = menu.addAction(self.tr(label) if value == "system" else label)
            action.setCheckable(True)
            action.setChecked(value == chosen)
            action.triggered.connect(lambda _on=False, v=value: self.set_language(v))
            self.language_actions[value] = action
        parent_menu.addSeparator()

    def set_language(self, value: str) -> None:
        """Save the language choice ("system", "ja" or "en"); it applies when the studio starts next."""
        if value not in LANGUAGES:
            return
        self.settings.language = value
        self.settings.sync()
        for key, action in self.language_actions.items():
            action.setChecked(key == value)
        self.add_notice(
            "info",
            self.tr("The language applies the next time SBV2 Studio starts."),
            timeout_ms=10000,
            name="languageNotice",
        )

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
        w.defaultsChosen.connect(self._machine_defaults_chosen)
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
        self.voice_panel.set_params(s.params)
        self._saved_speaker, self._saved_style = s.params.speaker, s.params.style
        for stage, spec in s.backends.items():
            self.backends.select(stage, spec)
        machine = load_defaults()
        self.backends.show_defaults(machine)
        if machine is not None and machine.measured and not s.backends_chosen:
            for stage, spec in self.backends.defaults_specs(machine).items():  # first launch: this machine's fastest
                self.backends.select(stage, spec)
        self.autoplay.setChecked(s.get_flag("autoplay", True))
        self.stream_check.setChecked(s.get_flag("stream", True))
        self.warmup_action.setChecked(s.get_int("warmup_on_load", 1) > 0)
        self.read_ahead_action.setChecked(s.get_flag("read_ahead", True))
        self.advanced_toggle.setChecked(s.get_flag("advanced_open", False))
        self._fill_model_combo(select=s.model_id or BUILTIN_ID)
        if not has_japanese_font():
            self.add_notice(
                "error",
                self.tr(
                    "No Japanese font is installed, so Japanese text shows as empty boxes. Install one, e.g. on "
                    "Debian/Ubuntu <code>apt-get install fonts-noto-cjk</code>, then restart."
                ),
                name="fontNotice",
            )
        if self._fault_problem:
            self.add_notice("error", html.escape(error_text(self._fault_problem)), name="faultNotice")
        unusable = s.unusable()
        if unusable:
            keys = ", ".join(html.escape(k) for k in unusable)
            text = self.tr("Some saved settings were unusable and are back to their defaults: {keys} ({path})").format(
                keys=keys, path=html.escape(s.path)
            )
            self.add_notice("warning", text, name="settingsNotice")

    def save_settings(self) -> None:
        s = self.settings
        s.set_geometry(self.saveGeometry())
        s.set_state("vsplit", self.vsplit.saveState())
        s.last_text = self.editor.toPlainText()
        s.params = self.current_params()
        s.backends = self.backends.specs()
        s.model_id = self.voice_info.entry_id if self.voice_info else self._selected_entry_id()
        s.set_flag("autoplay", self.autoplay.isChecked())
        s.set_flag("stream", self.stream_check.isChecked())
        s.set_flag("advanced_open", self.advanced_toggle.isChecked())
        if self.compare_dialog is not None:
            s.set_int("compare_runs", self.compare_dialog.runs.value())
            s.set_int("compare_warmup", self.compare_dialog.warmup.value())
        dev = self.device_combo.currentData()
        if dev is not None:
            s.output_device = self.device_combo.currentText().removesuffix(default_suffix())
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
        if self.api_server is not None:  # its requests run on the worker: the server goes first
            self.api_server.stop()
            self.api_server = None
        self.worker.shutdown()

    # ===================================================================================== parameters

    def current_params(self) -> SynthesisParams:
        return replace(self.voice_panel.params(), seed=self.takes.seed_for_request())

    def reset_params(self) -> None:
        self.voice_panel.reset_params(self.voice_info)

    # ===================================================================================== voices and library

    def _fill_model_combo(self, select: str | None = None) -> None:
        select = select if select is not None else self.voice_panel.selected_entry_id()
        known = {e.id for e in self.entries}
        loaded = self.voice_info.entry_id if self.voice_info else None
        if select and select not in known:
            if self._scanned_once and select != loaded:
                select = BUILTIN_ID  # gone from disk since it was picked: it is not listed again
            else:  # the last session's voice before the first scan, or a voice loaded from outside the library
                self.entries.append(placeholder_entry(select))
        self.voice_panel.fill_models(self.entries, select)

    def _selected_entry_id(self) -> str | None:
        return self.voice_panel.selected_entry_id()

    def rescan(self) -> None:
        self.worker.scan(self.settings.extra_roots)

    def _scanned(self, entries: list[ModelEntry]) -> None:
        current = self.voice_info.entry_id if self.voice_info else self._selected_entry_id()
        self.entries = list(entries)
        self._scanned_once = True
        self._fill_model_combo(select=current)
        sbv2_loaded = self.voice_info is not None and self.voice_info.kind == "sbv2"
        if not sbv2_loaded and not any(e.kind != "builtin" and e.valid for e in self.entries):
            self.show_hint()
        elif self._hint is not None:
            self._hint.dismiss()

    def load_selected(self) -> None:
        entry_id = self._selected_entry_id() or BUILTIN_ID
        self.load_voice(entry_id)

    def load_voice(self, entry_id: str) -> int:
        return self.worker.load(
            entry_id,
            self.backends.backend("bert"),
            self.backends.backend("synthesize"),
            warmup_runs=self.settings.get_int("warmup_on_load", 1),
            bert_path=self.settings.bert_path,
            prepare_stream=self.stream_check.isChecked(),
        )

    def _loaded(self, info: VoiceInfo) -> None:
        self.voice_info = info
        self._apply_voice_info(info)
        self.statusBar().showMessage(self.tr("Loaded {voice}").format(voice=core_text(info.label)), 5000)
        self._fill_model_combo(select=info.entry_id)
        if info.kind == "sbv2" and self._hint is not None:
            self._hint.dismiss()
        if info.kind == "sbv2":
            self._offer_machine_defaults()
        self._save_soon()

    def _offer_machine_defaults(self) -> None:
        """With the first SBV2 voice, on a machine whose fastest backends were never measured and on the starting
        choice (onnxruntime's CPU at FP32 for both stages), offer to measure them: the button is easy to miss, and
        OpenVINO bf16 runs a full-size voice about twice as fast. An offer, not an automatic run: it takes up to half
        a minute in the worker and opens each candidate beside the voice (3.6 GB at the peak for a full-size voice).
        Made once; Not now or ✕ ends it."""
        if self._defaults_offer is not None or self.settings.get_flag("machine_defaults_offered", False):
            return
        if any(spec != CPU_SPEC for spec in self.backends.specs().values()):
            return  # the person chose already
        if not self.backends.offers("openvino"):
            return  # nothing faster to find: every candidate runs on OpenVINO
        machine = load_defaults()
        if machine is not None and machine.measured:
            return
        text = self.tr(
            "This machine may run SBV2 voices faster than on onnxruntime at FP32 (the starting choice). Measure "
            "which engine and precision are fastest here while the audio stays within the fidelity limits? It "
            "takes about half a minute; you can keep typing meanwhile. (Later: Backends → Fastest for this machine.)"
        )
        notice = self.notices.add("info", text, name="machineDefaultsOffer", pinned=True)

        def measure() -> None:
            self.choose_machine_defaults()
            notice.dismiss()

        notice.add_action(self.tr("Measure now"), measure, name="measureMachineButton")
        notice.add_action(self.tr("Not now"), notice.dismiss, name="notNowButton")
        notice.closed.connect(lambda: self.settings.set_flag("machine_defaults_offered", True))
        self._defaults_offer = notice

    def _apply_voice_info(self, info: VoiceInfo | None) -> None:
        self.voice_panel.show_voice(info, getattr(self, "_saved_speaker", None), getattr(self, "_saved_style", None))
        self.backends.apply_voice(info)
        self._update_stream_check(info)
        self.latency.set_stages(info.stages if info else ())
        self.setWindowTitle(
            self.tr("SBV2 Studio — {voice}").format(voice=core_text(info.label)) if info else "SBV2 Studio"
        )
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
        names = ", ".join(Path(p).name for p in paths)
        self.statusBar().showMessage(self.tr("Importing {names}…").format(names=names))

    def _imported(self, entry: ModelEntry) -> None:
        self.entries = [e for e in self.entries if e.id != entry.id] + [entry]
        self._fill_model_combo(select=entry.id)
        self.add_notice(
            "info",
            self.tr("Imported {voice} into the library.").format(voice=html.escape(core_text(entry.label))),
            timeout_ms=6000,
        )
        if self._hint is not None:
            self._hint.dismiss()
        self.rescan()
        self.load_voice(entry.id)

    def remove_current_voice(self, confirm: bool = True) -> None:
        """Delete the selected SBV2 voice from the library folder, after asking (it cannot be undone)."""
        entry_id = self._selected_entry_id()
        entry = next((e for e in self.entries if e.id == entry_id), None)
        if entry is None or entry.kind == "builtin":
            self.add_notice("info", self.tr("The built-in voice cannot be removed."), timeout_ms=6000)
            return
        root = self._added_root_of(entry)
        if root is not None:
            # Files in a folder the person added are theirs: the studio stops listing the folder, deletes nothing.
            if confirm:
                question = self.tr(
                    "{voice} is in a folder you added:\n{folder}\n\nStop listing that folder? Nothing is deleted."
                ).format(voice=core_text(entry.label), folder=root)
                answer = QMessageBox.question(self, self.tr("Remove voice"), question)
                if answer != QMessageBox.StandardButton.Yes:
                    return
            self.remove_added_folder(root)
            return
        if confirm:
            answer = QMessageBox.question(
                self,
                self.tr("Remove voice"),
                self.tr("Delete {voice} from the library?\n{path}\n\nThis cannot be undone.").format(
                    voice=core_text(entry.label), path=entry.path
                ),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.worker.remove_model(entry, self.settings.extra_roots)

    def _added_root_of(self, entry: ModelEntry) -> str | None:
        """The added folder that holds `entry` (path arithmetic only: no disk access on the GUI thread)."""
        if entry.path is None:
            return None
        path = Path(entry.path).expanduser()
        for root in self.settings.extra_roots:
            if path.is_relative_to(Path(root).expanduser()):
                return root
        return None

    def _fill_folders_menu(self) -> None:
        self.folders_menu.clear()
        roots = self.settings.extra_roots
        if not roots:
            self.folders_menu.addAction(self.tr("(no added folders)")).setEnabled(False)
        for root in roots:
            self.folders_menu.addAction(root, lambda r=root: self.remove_added_folder(r))

    def remove_added_folder(self, root: str) -> None:
        """Stop listing `root`'s voices (the files stay where they are)."""
        self.settings.extra_roots = [r for r in self.settings.extra_roots if r != root]
        self.add_notice(
            "info",
            self.tr("No longer listing voices in {folder} (nothing was deleted).").format(folder=html.escape(root)),
        )
        if self.voice_info and self.voice_info.entry_id != BUILTIN_ID:
            inside = Path(self.voice_info.entry_id).expanduser().is_relative_to(Path(root).expanduser())
            if inside:
                self.load_voice(BUILTIN_ID)
        self.rescan()

    def _removed(self, entry: ModelEntry) -> None:
        self.add_notice(
            "info",
            self.tr("Removed {voice} from the library.").format(voice=html.escape(core_text(entry.label))),
            timeout_ms=6000,
        )
        if self.voice_info and self.voice_info.entry_id == entry.id:
            self.load_voice(BUILTIN_ID)
        self.rescan()

    def import_dialog(self, file_mode: bool = False) -> None:
        if file_mode:
            path, _ = QFileDialog.getOpenFileName(
                self,
                self.tr("Import a voice file"),
                "",
                self.tr("AIVMX voices or SBV2 checkpoints (*.aivmx *.safetensors)"),
            )
        else:
            path = QFileDialog.getExistingDirectory(
                self, self.tr("Import an SBV2 model folder (config.json, *.onnx or *.safetensors, style_vectors.npy)")
            )
        if path:
            self.import_paths([path])

    def add_folder_dialog(self) -> None:
        path = QFileDialog.getExistingDirectory(self, self.tr("Add a folder that holds SBV2 voices"))
        if path:
            roots = self.settings.extra_roots
            if path not in roots:
                self.settings.extra_roots = [*roots, path]
            self.rescan()

    def bert_dialog(self) -> None:
        path = QFileDialog.getExistingDirectory(self, self.tr("The DeBERTa ONNX folder (model.onnx + vocab.txt)"))
        if path:
            self.settings.bert_path = path
            if self.voice_info and self.voice_info.kind == "sbv2":
                self.load_voice(self.voice_info.entry_id)

    def show_download_dialog(self) -> None:
        """The BERT model and SBV2 voices from Hugging Face, on a thread of their own (non-modal)."""
        if self._download_dialog is None:
            library = Library(extra_roots=self.settings.extra_roots, home=self.worker.core.home)
            self._download_dialog = DownloadDialog(library, self, bert_path=self.settings.bert_path)
            self._download_dialog.downloaded.connect(self._downloaded)
        self._download_dialog.show()
        self._download_dialog.raise_()

    def _downloaded(self, kind: str, result) -> None:
        if kind == "bert":
            self.add_notice("info", self.tr("The BERT model is installed: SBV2 voices can speak now."), timeout_ms=8000)
            if self.voice_info and self.voice_info.kind == "sbv2":
                self.load_voice(self.voice_info.entry_id)
        else:
            self._imported(result)

    def show_hint(self) -> None:
        if self._hint is not None:
            return
        hint = self.notices.add(
            "info",
            self.tr(
                "Speaking with the built-in OpenJTalk voice. For Style-Bert-VITS2 voices, import a model folder or "
                "an .aivmx file (Models ▸ Import voice folder… / Import .aivmx file…), download one (Models ▸ "
                "Download voices…) or drag one onto this window."
            ),
            name="addVoicesHint",
            pinned=True,
        )
        hint.add_action(self.tr("Import…"), self.import_dialog)
        hint.add_action(self.tr("Download…"), self.show_download_dialog)
        hint.closed.connect(lambda: setattr(self, "_hint", None))
        self._hint = hint

    # ===================================================================================== backends

    def _backends_changed(self) -> None:
        self._save_soon()
        self.backends.apply_voice(self.voice_info)
        if self.voice_info is not None and self.voice_info.kind == "sbv2":
            self.load_voice(self.voice_info.entry_id)

    def _ran_on(self, ran_on: dict) -> None:
        self.backends.show_ran_on(self.voice_info, ran_on)

    def choose_machine_defaults(self) -> int:
        """Measure (in the worker) the fastest backends within the fidelity limits on the loaded voice."""
        self.statusBar().showMessage(self.tr("Measuring the fastest backends for this machine…"), 5000)
        return self.worker.choose_defaults()

    def _machine_defaults_chosen(self, defaults) -> None:
        """Show the measured choice and switch to it (the person can pick anything else afterwards)."""
        self.backends.show_defaults(defaults)
        for stage, spec in self.backends.defaults_specs(defaults).items():
            self.backends.select(stage, spec)
        self.add_notice("info", self.tr("Fastest for this machine: {choice}").format(choice=html.escape(core_text(
            defaults.describe()))), timeout_ms=15000, name="machineDefaults")  # fmt: skip
        self._backends_changed()

    def retry_gpu(self) -> None:
        self.notices.dismiss_fallback()
        self.worker.retry_gpu()
        self.statusBar().showMessage(self.tr("Retrying the GPU…"), 4000)

    def show_fallback_notice(self, text: str) -> None:
        """Non-modal: one bar at the top of the window listing each distinct failure once, with Retry GPU."""
        self.notices.add_fallback(error_text(text), self.retry_gpu)

    def add_notice(self, kind: str, text: str, timeout_ms: int | None = None, name: str | None = None) -> NoticeBar:
        return self.notices.add(kind, text, timeout_ms=timeout_ms, name=name)

    # ===================================================================================== synthesis

    def synthesize(self) -> int | None:
        text = self.editor.toPlainText()
        if not text.strip():
            self.statusBar().showMessage(self.tr("Type some text first"), 4000)
            return None
        params = self.current_params()
        if self.accents is not None:
            self._sync_accents()
        text = self._speech(text)
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
        self.stream_check.setToolTip(self.tr(STREAM_TOOLTIP))

    def _stream_toggled(self, on: bool) -> None:
        self._save_soon()
        self._read_ahead_timer.start()  # a streamed request reads its text in other segments
        if on and self.streaming:  # get it ready now, off the GUI thread, not at the first request
            self.worker.prepare_streaming()

    def _playback_problem(self, message: str) -> None:
        if message not in self._playback_problems:  # once per reason, not once per request
            self._playback_problems.add(message)
            self.add_notice("warning", html.escape(error_text(message)), timeout_ms=12000, name="playbackNotice")

    def cancel(self) -> None:
        self.worker.cancel()
        self.latency.abandon()
        self.statusBar().showMessage(self.tr("Cancelled"), 3000)

    def _result(self, result) -> None:
        self.last_result = result
        if result.take_id is not None:
            try:
                self.takes.add(self.worker.core.studio.takes.get(result.take_id))
            except StudioError:
                pass  # already dropped from the history (it keeps the last 50)
        self.latency.finish(result)
        # The waveform and the history chart repaint in later turns of the event loop: one long paint of
        # everything at once would be the window's longest pause.
        QTimer.singleShot(15, self.waveform, lambda: self.waveform.set_audio(result.audio, result.sample_rate))
        self._update_audio_buttons()
        msg = self.tr("{seconds:.2f} s of audio in {ms:.0f} ms (RTF {rtf:.3f})").format(
            seconds=result.audio_seconds, ms=result.total_ms, rtf=result.rtf
        )
        self.statusBar().showMessage(msg, 8000)
        if result.skipped_lines:
            skipped = " / ".join(html.escape(s) for s in result.skipped_lines[:3])
            self.add_notice(
                "warning",
                self.tr("Skipped lines with nothing readable: {lines}").format(lines=skipped),
                timeout_ms=10000,
            )
        streamed, self._streamed_job = self._streamed_job is not None, None
        if self.autoplay.isChecked() and self.player.available and not streamed:
            self.play()

    def _failed(self, job: Job, message: str) -> None:
        message = error_text(message)  # the core's English, in the window's language
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
                message += self.tr(" — using the built-in voice meanwhile")
        what = {
            LOAD: self.tr("Could not load the voice"),
            SYNTH: self.tr("Could not synthesize"),
            STREAM: self.tr("Could not synthesize"),
            COMPARE: self.tr("Comparison failed"),
            IMPORT: self.tr("Could not import"),
            REMOVE: self.tr("Could not remove"),
            EXPORT: self.tr("Export failed"),
        }.get(job.kind, self.tr("Error"))
        self.add_notice(
            "error",
            self.tr("<b>{what}:</b> {message}").format(what=what, message=html.escape(message)),
            name="errorNotice",
        )
        self.statusBar().showMessage(self.tr("{what}: {message}").format(what=what, message=message), 8000)

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
            self.latency.begin_stream(label, job.chars, self.voice_info.sample_rate, self.voice_info.stages)
        elif job.kind in (SYNTH, STREAM):
            self.latency.begin(label, job.chars, self.voice_info.stages if self.voice_info else None)
        self.statusBar().showMessage(job_text(job.describe()) + "…")
        if job.kind in (LOAD, WARMUP, PREPARE, COMPARE, EXPORT):
            self.progress.setRange(0, 0)
            self.progress.show()

    def _job_finished(self, job: Job) -> None:
        if job.kind in (LOAD, WARMUP, PREPARE, COMPARE, EXPORT):
            self.progress.hide()
        if job.kind in (LOAD, WARMUP, PREPARE) and self.voice_info is not None and not self.worker.pending():
            self.statusBar().showMessage(self.tr("Ready: {voice}").format(voice=core_text(self.voice_info.label)), 6000)
        elif self.statusBar().currentMessage().startswith(job_text(job.describe())):
            self.statusBar().clearMessage()  # a "…in progress" line must not outlive its job
        self._show_gap()

    def _busy_changed(self, busy: bool) -> None:
        self.cancel_button.setEnabled(busy)
        if not busy:
            self._read_ahead_timer.start()  # a voice just loaded, or text typed while the worker was busy
            self.heartbeat.set_work(None)
            self.progress.hide()

    def _load_progress(self, done: int, total: int, message: str) -> None:
        self.progress.show()
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.statusBar().showMessage(core_text(message))  # the core's English, in the window's language

    def _show_gap(self, *_args) -> None:
        hb = self.heartbeat
        if not hb.max_by_work:
            return
        parts = " · ".join(f"{self.tr(k)} {v:.0f}" for k, v in sorted(hb.max_by_work.items()))
        self.gap_label.setText(self.tr("UI max gap: {ms:.0f} ms ({parts})").format(ms=hb.max_gap_ms, parts=parts))

    # ===================================================================================== compare

    def show_compare(self) -> CompareDialog:
        if self.compare_dialog is None:
            self.compare_dialog = CompareDialog(self)
            self.compare_dialog.runRequested.connect(self.run_compare)
            self.compare_dialog.cancelRequested.connect(self.cancel)
            self.compare_dialog.runs.setValue(self.settings.get_int("compare_runs", 5))
            self.compare_dialog.warmup.setValue(self.settings.get_int("compare_warmup", 2))
        info = self.voice_info
        gpu_kinds = self.backends.gpu_kinds()
        self.compare_dialog.set_context(
            core_text(info.label) if info else self.tr("the voice"),
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
            self.compare_dialog.on_failed(self.tr("the text is empty: type some Japanese to speak"))
            return None
        self._save_soon()
        self.compare_dialog.set_running(True)
        self._compare_job = self.worker.compare(
            text, self.current_params(), configs, runs, warmup, bert_path=self.settings.bert_path
        )
        return self._compare_job

    def _compare_progress(self, done: int, total: int, message: str) -> None:
        message = core_text(message)
        if self.compare_dialog is not None:
            self.compare_dialog.on_progress(done, total, message)
        if total:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
        self.statusBar().showMessage(self.tr("Comparing: {message}").format(message=message))

    def _compare_done(self, result) -> None:
        self._compare_job = None
        if self.compare_dialog is not None:
            self.compare_dialog.show_result(result)
        self.statusBar().showMessage(self.tr("Comparison done"), 5000)

    # ===================================================================================== playback and saving

    def _refresh_audio(self) -> None:
        self.device_combo.blockSignals(True)
        self.device_combo.clear()
        if not self.player.available:
            self.device_combo.addItem(self.tr("No audio device"), None)
            self.device_combo.setEnabled(False)
            reason = self.player.unavailable_reason or self.tr("no audio output device")
            self.no_audio_label.setText(
                self.tr(
                    "No audio output: {reason}. Playback is off; synthesizing and saving WAV/FLAC still work."
                ).format(reason=reason)
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
        self.play_button.setToolTip("" if self.player.available else self.tr("No audio output device"))

    def play(self) -> None:
        if self.last_result is None:
            return
        try:
            self.player.play(self.last_result.pcm16, self.last_result.sample_rate)
        except RuntimeError as exc:
            self.add_notice("error", html.escape(error_text(str(exc))), timeout_ms=10000)
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
            self.add_notice(
                "error",
                self.tr("<b>Could not save:</b> {error}").format(error=html.escape(error_text(str(exc)))),
                name="errorNotice",
            )
            return None
        self.statusBar().showMessage(self.tr("Saved {path}").format(path=out), 6000)
        return out

    def save_dialog(self) -> None:
        if self.last_result is None:
            return
        start = self.settings.qs.value("paths/last_save_dir", "") or os.path.expanduser("~")
        flac = self.tr("FLAC audio (*.flac)")
        path, chosen = QFileDialog.getSaveFileName(
            self, self.tr("Save audio"), str(Path(start) / "sbv2.wav"), self.tr("WAV audio (*.wav)") + ";;" + flac
        )
        if not path:
            return
        if Path(path).suffix.lower() not in (".wav", ".flac"):
            path += ".flac" if chosen == flac else ".wav"
        if self.save_result(path):
            self.settings.qs.setValue("paths/last_save_dir", str(Path(path).parent))

    # ===================================================================================== line-by-line export

    def export_lines(self, out_dir: str | Path, path: str | Path | None = None) -> int | None:
        """One WAV per line (of a text file, or of the editor's text) and joined.wav, in the worker, with progress."""
        lines = None
        if path is None:
            lines = self.editor.toPlainText().splitlines()
            if not any(line.strip() for line in lines):
                self.statusBar().showMessage(self.tr("Type some text first"), 4000)
                return None
        self._save_soon()
        return self.worker.export_lines(out_dir, self.current_params(), path=path, lines=lines)

    def export_file_dialog(self) -> None:
        start = self.settings.qs.value("paths/last_text_dir", "") or os.path.expanduser("~")
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Text file to export"), start, self.tr("Text files (*.txt)") + ";;" + self.tr("All files (*)")
        )
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
        out = QFileDialog.getExistingDirectory(self, self.tr("Folder for the WAV files"), start)
        if out:
            self.settings.qs.setValue("paths/last_save_dir", out)
        return out or None

    def _export_progress(self, done: int, total: int, message: str) -> None:
        self.progress.show()
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.statusBar().showMessage(core_text(message))

    def _export_done(self, result) -> None:
        files = len(result.files)
        where = html.escape(str(result.out_dir))
        joined = self.tr(" and {name}").format(name=html.escape(result.joined.name)) if result.joined else ""
        skipped = (
            self.tr("; {count} unreadable line(s) skipped").format(count=len(result.skipped)) if result.skipped else ""
        )
        rtf = f" (RTF {result.rtf:.2f})" if result.rtf is not None else ""
        if result.cancelled:
            text = self.tr("<b>Export stopped</b> after {files} file(s); they are kept in {folder}{skipped}").format(
                files=files, folder=where, skipped=skipped
            )
        else:
            text = self.tr(
                "<b>Exported</b> {files} file(s){joined} to {folder}: {seconds:.1f} s of audio{rtf}{skipped}"
            )
            text = text.format(
                files=files, joined=joined, folder=where, seconds=result.audio_seconds, rtf=rtf, skipped=skipped
            )
        kind = "warning" if result.cancelled or result.skipped else "info"
        self.add_notice(kind, text, timeout_ms=20000, name="exportNotice")
        self.statusBar().showMessage(self.tr("Export stopped") if result.cancelled else self.tr("Export done"), 6000)

    def export_latency(self, path: str | Path) -> None:
        Path(path).write_text(self.latency.to_csv(), encoding="utf-8")
        self.statusBar().showMessage(self.tr("Wrote {path}").format(path=path), 6000)

    def export_latency_dialog(self) -> None:
        if not self.latency.records:
            self.statusBar().showMessage(self.tr("No requests to export yet"), 4000)
            return
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export latency"), "latency.csv", self.tr("CSV files (*.csv)")
        )
        if path:
            self.export_latency(path)

    def _about(self) -> None:
        box = QMessageBox(self)
        box.setObjectName("aboutBox")
        box.setWindowTitle(self.tr("About SBV2 Studio"))
        # version and credits (the mei voice's licence asks for one), paragraph by paragraph in the window's language
        box.setText("\n\n".join(core_text(part) for part in about_text().split("\n\n")))
        box.setModal(False)
        box.show()

    # ===================================================================================== the HTTP API

    def serve_api(self, on: bool) -> None:
        """Start or stop the VOICEVOX-compatible API on the window's own queue (its requests show in the latency
        panel). Starting waits for the server to listen, so it happens on a thread of its own, not this one."""
        import threading

        def start() -> None:
            from ..app.server.runner import ApiServer

            try:
                self.api_server = ApiServer(self.worker.api_runner(), self.api_config)
                url = self.api_server.start()
                self.worker.set_serving(True)
                self.apiStateChanged.emit("serving", url)
            except StudioError as exc:
                self.api_server = None
                self.apiStateChanged.emit("failed", str(exc))

        def stop(server) -> None:
            server.stop()
            self.worker.set_serving(False)
            self.apiStateChanged.emit("stopped", "")

        if on and self.api_server is None:
            threading.Thread(target=start, name="sbv2-api-start", daemon=True).start()
        elif not on and self.api_server is not None:
            server, self.api_server = self.api_server, None
            threading.Thread(target=stop, args=(server,), name="sbv2-api-stop", daemon=True).start()

    def _api_state(self, state: str, detail: str) -> None:
        if state == "serving":
            text = self.tr("Serving the VOICEVOX-compatible API at <b>{url}</b> (this machine only)").format(
                url=html.escape(detail)
            )
            self.add_notice("info", text, name="apiNotice")
            self.statusBar().showMessage(self.tr("API: {url}").format(url=detail), 8000)
        elif state == "failed":
            self.serve_action.blockSignals(True)
            self.serve_action.setChecked(False)
            self.serve_action.blockSignals(False)
            text = self.tr("<b>Could not serve the API:</b> {0}").format(html.escape(error_text(detail)))
            self.add_notice("error", text, name="apiNotice")
        else:
            self.statusBar().showMessage(self.tr("The API server stopped"), 5000)

    # ===================================================================================== takes

    def play_take(self, take) -> None:
        self.stop()
        try:
            self.player.play(take.pcm16, take.sample_rate)
        except RuntimeError as exc:
            self.add_notice("error", html.escape(error_text(str(exc))), timeout_ms=10000)

    def compare_takes(self, first, second) -> None:
        """A/B: the first take, half a second of silence, then the second, as one sound."""
        if first.sample_rate != second.sample_rate:
            self.add_notice("warning", self.tr("These takes have different sample rates: play them one by one."))
            return
        gap = np.zeros(int(first.sample_rate * 0.5), np.int16)
        self.stop()
        try:
            self.player.play(np.concatenate([first.pcm16, gap, second.pcm16]), first.sample_rate)
        except RuntimeError as exc:
            self.add_notice("error", html.escape(error_text(str(exc))), timeout_ms=10000)

    def restore_take(self, take) -> None:
        """The take's text and settings back in the window, its seed locked: Synthesize gives it again."""
        params = take.settings()
        self.editor.setPlainText(take.text)
        self.voice_panel.set_params(params)
        for combo, value in ((self.speaker_combo, params.speaker), (self.style_combo, params.style)):
            if value is not None and combo.findText(str(value)) >= 0:
                combo.setCurrentText(str(value))
        if params.seed is not None:
            self.takes.seed.setValue(params.seed)
            self.takes.lock.setChecked(True)
        if take.queries:
            accents = self.show_accents(True)
            accents.restore(take.lines())
        self.statusBar().showMessage(self.tr("Restored take #{0}").format(take.id), 5000)

    def save_take_dialog(self, take) -> None:
        start = self.settings.qs.value("paths/last_save_dir", "") or os.path.expanduser("~")
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save take"), str(Path(start) / f"take{take.id}.wav"), self.tr("WAV audio (*.wav)")
        )
        if path:
            try:
                self.statusBar().showMessage(self.tr("Saved {0}").format(take.save(path)), 6000)
            except (StudioError, OSError) as exc:
                self.add_notice("error", html.escape(error_text(str(exc))), name="errorNotice")

    # ===================================================================================== accents and dictionary

    def show_accents(self, shown: bool = True) -> AccentEditor:
        if self.accents is None:
            self.accents = AccentEditor(self)
            self.accents.setObjectName("accentEditor")
            self.accents.setMinimumHeight(150)
            self.accents.add_to_dictionary.connect(self._add_to_dictionary)
            self._accent_box.addWidget(self.accents)
        self.accents.setVisible(shown)
        if self.accents_button.isChecked() != shown:
            self.accents_button.setChecked(shown)
        if shown:
            self._sync_accents()
        return self.accents

    def _text_changed(self) -> None:
        if self.accents is not None and self.accents.isVisible():
            self._accent_timer.start()
        self._read_ahead_timer.start()

    def _speech(self, text: str):
        """What a request speaks: the text, or its lines where the accent editor holds edited ones (those go as
        their queries; BERT still reads their text)."""
        if self.accents is None:
            return text
        lines = self.accents.lines_to_speak()
        return lines if any(not isinstance(line, str) for line in lines) else text

    def _read_ahead_toggled(self, on: bool) -> None:
        self.settings.set_flag("read_ahead", on)
        self._read_ahead_key = None
        if on:
            self._read_ahead_timer.start()

    def read_ahead(self) -> int | None:
        """While the person pauses typing and the worker is idle, it prepares what their request will need first
        (the SBV2 voice's BERT features of each segment, kept by the voice), so Synthesize starts sooner. The
        worker's own rule: any request stops it. Returns its job id, or None when there was nothing to do."""
        info = self.voice_info
        if info is None or info.kind != "sbv2" or not self.read_ahead_action.isChecked() or self.worker.busy:
            return None
        text = self.editor.toPlainText()
        if not text.strip():
            return None
        params = self.current_params()
        speech = text if self._accent_timer.isActive() else self._speech(text)  # edits not read in yet: the text
        key = (info, speech, self.streaming, params.split_lines, params.assist_text)
        if key == self._read_ahead_key:
            return None  # read already (a voice keeps the features of hundreds of segments)
        job = self.worker.read_ahead(speech, params, streamed=self.streaming)
        if job is not None:
            self._read_ahead_key = key
        return job

    def _sync_accents(self) -> None:
        if self.accents is None:
            return
        self._accent_timer.stop()
        self.accents.set_text(self.editor.toPlainText())
        self._cursor_moved()

    def _cursor_moved(self) -> None:
        if self.accents is None or not self.accents.isVisible() or self._accent_timer.isActive():
            return
        block = self.editor.textCursor().block()
        if not block.text().strip():
            return
        index, b = 0, block.previous()
        while b.isValid():  # the line's place among the non-empty lines (blank ones are not spoken)
            index += bool(b.text().strip())
            b = b.previous()
        self.accents.show_line(index)

    def show_dictionary(self) -> DictionaryDialog:
        if self._dictionary_dialog is None:
            dictionary = activate_user_dictionary()
            for notice in dictionary.notices:
                self.add_notice("warning", html.escape(error_text(notice)), name="dictionaryNotice")
            self._dictionary_dialog = DictionaryDialog(dictionary, self)
            self._dictionary_dialog.changed.connect(self._dictionary_changed)
        self._dictionary_dialog.show()
        self._dictionary_dialog.raise_()
        return self._dictionary_dialog

    def _add_to_dictionary(self, surface: str, pronunciation: str, accent: int) -> None:
        dialog = self.show_dictionary()
        dialog.prefill(surface, pronunciation, accent)

    def _dictionary_changed(self) -> None:
        if self.accents is not None:
            self.accents.refresh()
