"""The Backends box: the backend picked for each stage, what each stage really ran on, Retry GPU and Compare."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from ..app import Backend, StudioError, available_kinds
from ..app.jobs import VoiceInfo
from ..app.precision import backend_choices
from .core_text import core_text

STAGES = (("bert", "BERT"), ("synthesize", QT_TRANSLATE_NOOP("BackendsPanel", "Synthesizer")))
CPU_SPEC = "cpu:0"
CHOICE_STAGE = {"bert": "bert", "synthesize": "synth"}  # app.precision's stage names


class BackendsPanel(QGroupBox):
    changed = Signal()  # the person picked another backend for a stage
    retryRequested = Signal()
    compareRequested = Signal()
    defaultsRequested = Signal()  # measure the fastest backends within the fidelity limits on this machine

    def __init__(self, extra_kinds: list[str] | None = None, parent=None):
        super().__init__(parent)
        self.setTitle(self.tr("Backends"))
        # Kinds made available by fault injection (emulated GPUs for trying every branch without one).
        self.extra_kinds = list(extra_kinds or [])
        form = QFormLayout(self)
        self.backend_combos: dict[str, QComboBox] = {}
        self.ran_on_labels: dict[str, QLabel] = {}
        for stage, label in STAGES:
            combo = QComboBox()
            combo.setObjectName(f"backend_{stage}")
            combo.activated.connect(lambda _i: self.changed.emit())
            ran = QLabel(self.tr("ran on: —"))
            ran.setObjectName(f"ranOn_{stage}")
            ran.setStyleSheet("color: #555;")
            cell = QVBoxLayout()
            cell.setSpacing(1)
            cell.addWidget(combo)
            cell.addWidget(ran)
            form.addRow(self.tr(label), cell)
            self.backend_combos[stage] = combo
            self.ran_on_labels[stage] = ran
        self.fill()
        buttons = QHBoxLayout()
        self.retry_button = QPushButton(self.tr("Retry GPU"))
        self.retry_button.clicked.connect(self.retryRequested)
        self.compare_button = QPushButton(self.tr("Compare backends…"))
        self.compare_button.setObjectName("compareButton")
        self.compare_button.clicked.connect(self.compareRequested)
        buttons.addWidget(self.retry_button)
        buttons.addWidget(self.compare_button)
        form.addRow(buttons)
        machine = QHBoxLayout()
        self.defaults_label = QLabel()
        self.defaults_label.setObjectName("machineDefaults")
        self.defaults_label.setWordWrap(True)
        self.defaults_label.setStyleSheet("color: #555;")
        self.defaults_button = QPushButton(self.tr("Fastest for this machine"))
        self.defaults_button.setObjectName("machineDefaultsButton")
        self.defaults_button.setToolTip(
            self.tr(
                "Measure every engine and precision this machine runs natively on the loaded voice, and pick "
                "the fastest whose audio stays within the fidelity limits of FP32"
            )  # fmt: skip
        )
        self.defaults_button.clicked.connect(self.defaultsRequested)
        machine.addWidget(self.defaults_button)
        machine.addStretch(1)
        form.addRow(machine)
        form.addRow(self.defaults_label)  # its own row: the choice is a sentence, it wraps
        self.show_defaults(None)

    def kinds(self) -> list[str]:
        """CPU first, then what onnxruntime offers here, then emulated kinds."""
        real = [k for k in available_kinds() if k != "cpu"]
        return ["cpu", *real, *(k for k in self.extra_kinds if k not in real and k != "cpu")]

    def gpu_kinds(self) -> list[str]:
        return [k for k in self.kinds() if k != "cpu"]

    def fill(self) -> None:
        """Every backend × device × precision that runs natively here (app.precision.backend_choices), per stage;
        a reduced precision says so, and its fidelity is measured in Compare backends."""
        real = set(available_kinds())
        choices = backend_choices(self.kinds())
        for stage, combo in self.backend_combos.items():
            combo.clear()
            for choice in (c for c in choices if c.stage == CHOICE_STAGE[stage]):
                emulated = choice.backend.kind in self.extra_kinds and choice.backend.kind not in real
                combo.addItem(choice.label + (self.tr(" (emulated)") if emulated else ""), choice.spec)
                if not choice.exact:
                    combo.setItemData(
                        combo.count() - 1,
                        self.tr("Reduced precision: faster, close to FP32 (Compare backends measures how close)"),
                        Qt.ItemDataRole.ToolTipRole,
                    )

    def offers(self, kind: str) -> bool:
        """Some stage's picker lists a backend of `kind` that runs here (not only emulated)."""
        if kind in self.extra_kinds and kind not in available_kinds():
            return False
        return any(
            Backend.parse(combo.itemData(i)).kind == kind
            for combo in self.backend_combos.values()
            for i in range(combo.count())
        )

    def spec(self, stage: str) -> str:
        return self.backend_combos[stage].currentData() or CPU_SPEC

    def backend(self, stage: str) -> Backend:
        return Backend.parse(self.spec(stage))

    def specs(self) -> dict[str, str]:
        return {stage: self.spec(stage) for stage in self.backend_combos}

    def select(self, stage: str, spec: str) -> bool:
        """Pick `spec` for `stage`; False (and nothing changes) when it is not valid or not offered here."""
        combo = self.backend_combos.get(stage)
        if combo is None or not isinstance(spec, str):
            return False
        try:
            b = Backend.parse(spec)
        except StudioError:
            return False
        idx = combo.findData(b.spec)
        if idx < 0:
            return False
        combo.setCurrentIndex(idx)
        return True

    def wants_gpu(self) -> bool:
        return any(self.backend(stage).is_gpu for stage in self.backend_combos)

    def apply_voice(self, info: VoiceInfo | None) -> None:
        """Backends matter only to voices that run on onnxruntime; Retry GPU only where a stage asked for a GPU."""
        uses = bool(info and "backends" in info.supported_params)
        voice = core_text(info.label) if info else self.tr("the voice")
        why = "" if uses else self.tr("Not used by {voice}").format(voice=voice)
        for combo in self.backend_combos.values():
            combo.setEnabled(uses)
            combo.setToolTip(why)
        self.defaults_button.setEnabled(uses)
        ok = uses and self.wants_gpu()
        self.retry_button.setEnabled(ok)
        self.retry_button.setToolTip("" if ok else self.tr("Choose a GPU backend for a stage first"))

    def show_defaults(self, defaults) -> None:
        """This machine's measured defaults (app.precision.Defaults), or that they were not measured yet."""
        if defaults is None or not defaults.measured:
            self.defaults_label.setText(self.tr("This machine: not measured yet"))
            self.defaults_label.setToolTip("")
            return
        bert, synth = defaults.backends()
        self.defaults_label.setText(
            self.tr("This machine: BERT {bert}, synthesizer {synth}").format(bert=bert.label, synth=synth.label)
        )
        self.defaults_label.setToolTip(core_text(defaults.describe()))

    def defaults_specs(self, defaults) -> dict[str, str]:
        """The picker specs of measured defaults, per stage of this panel."""
        bert, synth = defaults.backends()
        return {"bert": bert.spec, "synthesize": synth.spec}

    def show_ran_on(self, info: VoiceInfo | None, ran_on: dict) -> None:
        for stage, label in self.ran_on_labels.items():
            if info is None or info.kind != "sbv2":
                label.setText(self.tr("ran on: CPU (built-in voice)") if info else self.tr("ran on: —"))
                label.setStyleSheet("color: #555;")
                continue
            where = ran_on.get(stage) or "—"
            fell_back = not where.startswith(self.backend(stage).label)
            label.setText(
                self.tr("ran on: {where}").format(where=core_text(where))
                + (self.tr("  ⚠ fell back") if fell_back else "")
            )
            label.setStyleSheet("color: #b35c00; font-weight: bold;" if fell_back else "color: #2e6b2e;")
