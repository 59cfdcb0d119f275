"""The right-hand controls for what is said and how: the voice (model, speaker, style), the parameter sliders
built from the one parameter table (engine/params.py), and the advanced section (assist text, line options).

The panel only shows and reads values; loading a voice, importing and synthesizing belong to the window.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..app import PARAMETER, PARAMETERS, ModelEntry, SynthesisParams
from ..app.jobs import VoiceInfo
from .core_text import core_text, error_text
from .i18n import param_text
from .widgets import ParamControl

NEUTRAL_STYLE = "Neutral"


class VoicePanel(QWidget):
    voiceActivated = Signal()  # the person picked an entry in the model list
    importRequested = Signal()
    resetRequested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._build_voice())
        layout.addWidget(self._build_params())
        layout.addWidget(self._build_advanced())

    # ------------------------------------------------------------------ building

    def _build_voice(self) -> QGroupBox:
        voice = QGroupBox(self.tr("Voice"))
        form = QFormLayout(voice)
        self.model_combo = QComboBox()
        self.model_combo.setObjectName("modelCombo")
        self.model_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.model_combo.setMinimumContentsLength(18)
        self.model_combo.activated.connect(lambda _i: self.voiceActivated.emit())
        model_row = QHBoxLayout()
        model_row.addWidget(self.model_combo, 1)
        add = QToolButton()
        add.setText("+")
        add.setToolTip(self.tr("Import a voice (a model folder or .aivmx file)"))
        add.clicked.connect(self.importRequested)
        model_row.addWidget(add)
        form.addRow(self.tr("Model"), model_row)
        self.speaker_combo = QComboBox()
        self.speaker_combo.setObjectName("speakerCombo")
        self.style_combo = QComboBox()
        self.style_combo.setObjectName("styleCombo")
        form.addRow(self.tr("Speaker"), self.speaker_combo)
        form.addRow(self.tr("Style"), self.style_combo)
        return voice

    def _build_params(self) -> QGroupBox:
        params = QGroupBox(self.tr("Parameters"))
        pform = QFormLayout(params)
        self.param_controls: dict[str, ParamControl] = {}
        self.param_labels: dict[str, QLabel] = {}
        for spec in (p for p in PARAMETERS if p.slider):  # the one parameter table (engine/params.py)
            control = ParamControl(spec.lo, spec.hi, spec.step, spec.default, spec.decimals)
            control.setObjectName(f"param_{spec.name}")
            control.setToolTip(param_text(spec.help))
            lab = QLabel(param_text(spec.label))
            lab.setToolTip(param_text(spec.help))
            self.param_controls[spec.name] = control
            self.param_labels[spec.name] = lab
            pform.addRow(lab, control)
        # noise_w scales the stochastic duration predictor's noise: with SDP ratio 0 that predictor is unused.
        self.noise_w_note = QLabel(self.tr("noise_w acts only when SDP ratio > 0"))
        self.noise_w_note.setObjectName("noiseWNote")
        self.noise_w_note.setStyleSheet("color: #777; font-size: 11px;")
        pform.addRow(self.noise_w_note)
        self.param_controls["sdp_ratio"].valueChanged.connect(self._update_noise_w_note)
        self._update_noise_w_note(self.param_controls["sdp_ratio"].value())
        self.reset_button = QPushButton(self.tr("Reset to defaults"))
        self.reset_button.setObjectName("resetButton")
        self.reset_button.clicked.connect(self.resetRequested)
        pform.addRow(self.reset_button)
        return params

    def _build_advanced(self) -> QGroupBox:
        defaults = SynthesisParams()
        adv = QGroupBox(self.tr("Advanced"))
        adv_layout = QVBoxLayout(adv)
        self.advanced_toggle = QToolButton()
        self.advanced_toggle.setText(self.tr("Show assist text, line options"))
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
        self.assist_text.setPlaceholderText(self.tr("Text whose feeling the speech takes on"))
        weight = PARAMETER["assist_text_weight"]
        self.assist_weight = ParamControl(weight.lo, weight.hi, weight.step, weight.default, weight.decimals)
        self.assist_weight.setObjectName("param_assist_text_weight")
        self.assist_label = QLabel(self.tr("Assist text"))
        self.assist_weight_label = QLabel(param_text(weight.label))
        self.assist_weight.setToolTip(param_text(weight.help))
        aform.addRow(self.assist_label, self.assist_text)
        aform.addRow(self.assist_weight_label, self.assist_weight)
        self.split_lines = QCheckBox(self.tr("Speak each line separately"))
        self.split_lines.setChecked(defaults.split_lines)
        aform.addRow(self.split_lines)
        self.line_interval = QDoubleSpinBox()
        self.line_interval.setRange(PARAMETER["line_interval"].lo, PARAMETER["line_interval"].hi)
        self.line_interval.setSingleStep(0.1)
        self.line_interval.setSuffix(self.tr(" s"))
        self.line_interval.setValue(defaults.line_interval)
        self.line_interval.setToolTip(param_text(PARAMETER["line_interval"].help))
        aform.addRow(self.tr("Pause between lines"), self.line_interval)
        adv_layout.addWidget(self.advanced_body)
        self.advanced_toggle.toggled.connect(self._toggle_advanced)
        self._toggle_advanced(False)
        return adv

    def _toggle_advanced(self, shown: bool) -> None:
        self.advanced_body.setVisible(shown)
        self.advanced_toggle.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)

    def _update_noise_w_note(self, sdp_ratio: float) -> None:
        self.noise_w_note.setVisible(sdp_ratio <= 0)

    # ------------------------------------------------------------------ parameters

    def params(self) -> SynthesisParams:
        """The request the controls describe (disabled controls keep their values; the voice ignores them)."""
        sliders = {name: c.value() for name, c in self.param_controls.items()}  # every slider of the table
        assist = self.assist_text.text().strip()
        return SynthesisParams(
            speaker=self.speaker_combo.currentText() or 0,
            style=self.style_combo.currentText() or None,
            **sliders,
            assist_text=assist or None,
            assist_text_weight=self.assist_weight.value(),
            split_lines=self.split_lines.isChecked(),
            line_interval=round(self.line_interval.value(), 3),
        )

    def set_params(self, params: SynthesisParams) -> None:
        for name, control in self.param_controls.items():
            control.set_value(getattr(params, name))
        self.assist_text.setText(params.assist_text or "")
        self.assist_weight.set_value(params.assist_text_weight)
        self.split_lines.setChecked(params.split_lines)
        self.line_interval.setValue(params.line_interval)

    def reset_params(self, info: VoiceInfo | None) -> None:
        """The reference defaults for every slider and the advanced section (speaker and style stay)."""
        for control in self.param_controls.values():
            control.reset()
        self.assist_weight.reset()
        self.assist_text.clear()
        d = SynthesisParams()
        self.split_lines.setChecked(d.split_lines)
        self.line_interval.setValue(d.line_interval)
        if info and info.kind == "sbv2" and NEUTRAL_STYLE in info.styles:
            self.style_combo.setCurrentText(NEUTRAL_STYLE)

    def apply_supported(self, info: VoiceInfo | None) -> None:
        """Disable (never hide) what the voice does not honour, and say why."""
        supported = info.supported_params if info else frozenset()
        why = self.tr("Not used by {voice}").format(voice=core_text(info.label) if info else self.tr("the voice"))

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

    def show_voice(self, info: VoiceInfo | None, saved_speaker=None, saved_style=None) -> None:
        """Fill speaker and style from the loaded voice, keeping the person's choice where the voice has it."""
        for combo, names, saved in (
            (self.speaker_combo, info.speakers if info else {}, saved_speaker),
            (self.style_combo, info.styles if info else {}, saved_style),
        ):
            previous = combo.currentText() or (str(saved) if saved is not None else "")
            combo.clear()
            combo.addItems(list(names))
            if previous in names:
                combo.setCurrentText(previous)
            elif combo is self.style_combo and NEUTRAL_STYLE in names:
                combo.setCurrentText(NEUTRAL_STYLE)
        self.apply_supported(info)

    # ------------------------------------------------------------------ the model list

    def fill_models(self, entries: list[ModelEntry], select: str | None) -> None:
        """List the voices; broken ones are shown greyed out with their reason as the tooltip."""
        combo = self.model_combo
        combo.blockSignals(True)
        combo.clear()
        for entry in entries:
            combo.addItem(core_text(entry.label), entry.id)  # a broken one's label says so, with its problem
            if not entry.valid:
                model: QStandardItemModel = combo.model()
                item = model.item(combo.count() - 1)
                item.setEnabled(False)
                item.setToolTip(error_text(entry.error or ""))
        idx = combo.findData(select) if select else 0
        combo.setCurrentIndex(max(idx, 0))
        combo.blockSignals(False)

    def selected_entry_id(self) -> str | None:
        return self.model_combo.currentData()


def placeholder_entry(entry_id: str) -> ModelEntry:
    """A voice from the last session that the scan has not confirmed yet: listed so that it can load at once."""
    return ModelEntry(entry_id, Path(entry_id).name, "sbv2", Path(entry_id))
