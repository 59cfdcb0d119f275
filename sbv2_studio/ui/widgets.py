"""Small widgets: a non-modal notice bar and a labelled slider + spin box for one parameter."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QToolButton,
    QWidget,
)

NOTICE_STYLES = {
    "info": ("#e8f1fb", "#9bbce0", "#1d3f66"),
    "warning": ("#fff4d6", "#e3c062", "#5c4300"),
    "error": ("#fde7e7", "#e09a9a", "#6b1111"),
}


class NoticeBar(QFrame):
    """An inline message with optional action buttons and a close button: never a modal dialog."""

    closed = Signal()

    def __init__(self, kind: str, text: str, parent: QWidget | None = None):
        super().__init__(parent)
        bg, border, fg = NOTICE_STYLES.get(kind, NOTICE_STYLES["info"])
        self.kind = kind
        self.setObjectName(f"notice_{kind}")
        self.setStyleSheet(
            f"NoticeBar {{ background: {bg}; border: 1px solid {border}; border-radius: 4px; }}"
            f" NoticeBar QLabel {{ color: {fg}; background: transparent; }}"
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.setSpacing(8)
        self.label = QLabel(text)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setOpenExternalLinks(False)
        layout.addWidget(self.label, 1)
        self._buttons = layout
        self.close_button = QToolButton()
        self.close_button.setText("✕")
        self.close_button.setAutoRaise(True)
        self.close_button.setToolTip(self.tr("Dismiss"))
        self.close_button.clicked.connect(self.dismiss)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)

    @property
    def text(self) -> str:
        return self.label.text()

    def set_text(self, text: str) -> None:
        self.label.setText(text)

    def add_action(self, text: str, slot, name: str | None = None) -> QPushButton:
        button = QPushButton(text)
        if name:
            button.setObjectName(name)
        button.clicked.connect(slot)
        self._buttons.insertWidget(self._buttons.count() - 1, button, 0, Qt.AlignmentFlag.AlignTop)
        return button

    def dismiss(self) -> None:
        if getattr(self, "_dismissed", False):
            return
        self._dismissed = True
        self.hide()
        self.closed.emit()
        self.setParent(None)  # out of the window at once (findChild, layouts), not only once deleteLater runs
        self.deleteLater()


class ParamControl(QWidget):
    """A parameter: slider and spin box kept in step, with its own default."""

    valueChanged = Signal(float)

    def __init__(self, lo: float, hi: float, step: float, default: float, decimals: int = 2, parent=None):
        super().__init__(parent)
        self.lo, self.hi, self.step, self.default = lo, hi, step, default
        self._scale = round(1.0 / step)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(round(lo * self._scale), round(hi * self._scale))
        self.slider.setMinimumWidth(110)
        self.spin = QDoubleSpinBox()
        self.spin.setRange(lo, hi)
        self.spin.setSingleStep(step)
        self.spin.setDecimals(decimals)
        self.spin.setKeyboardTracking(False)
        self.spin.setFixedWidth(72)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.spin)
        self.slider.valueChanged.connect(self._from_slider)
        self.spin.valueChanged.connect(self._from_spin)
        self.set_value(default)

    def value(self) -> float:
        return round(float(self.spin.value()), 6)

    def set_value(self, value: float) -> None:
        self.spin.setValue(min(self.hi, max(self.lo, float(value))))

    def reset(self) -> None:
        self.set_value(self.default)

    def _from_slider(self, pos: int) -> None:
        value = pos / self._scale
        if abs(value - self.spin.value()) >= self.step / 2:
            self.spin.setValue(value)

    def _from_spin(self, value: float) -> None:
        self.slider.blockSignals(True)
        self.slider.setValue(round(value * self._scale))
        self.slider.blockSignals(False)
        self.valueChanged.emit(self.value())


def has_japanese_font() -> bool:
    """Whether any installed font covers Japanese (without one, every kana and kanji renders as an empty box)."""
    from PySide6.QtGui import QFontDatabase

    return bool(QFontDatabase.families(QFontDatabase.WritingSystem.Japanese))
