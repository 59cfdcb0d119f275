"""The waveform of the last result, with a play head while it plays."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QVBoxLayout, QWidget

MAX_POINTS = 4000  # min/max envelope columns: enough for any screen, cheap to draw


def envelope(audio: np.ndarray, sample_rate: int, columns: int = MAX_POINTS) -> tuple[np.ndarray, np.ndarray]:
    """x (seconds) and y of a min/max envelope of `audio` drawn as one connected line."""
    n = len(audio)
    if n == 0:
        return np.zeros(0), np.zeros(0)
    if n <= columns * 2:
        return np.arange(n) / float(sample_rate), audio.astype(np.float32)
    per = n // columns
    trimmed = audio[: per * columns].reshape(columns, per)
    lo, hi = trimmed.min(axis=1), trimmed.max(axis=1)
    y = np.empty(columns * 2, dtype=np.float32)
    y[0::2], y[1::2] = lo, hi
    x = np.repeat(np.arange(columns) * per / float(sample_rate), 2)
    return x, y


class WaveformView(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.plot = pg.PlotWidget(background="w")
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=True, y=False)
        self.plot.hideButtons()
        self.plot.setLabel("bottom", self.tr("seconds"))
        self.plot.getAxis("bottom").enableAutoSIPrefix(False)  # a clip under 1 s must not read "seconds (x0.001)"
        self.plot.getAxis("left").setWidth(36)
        self.plot.setYRange(-1.05, 1.05)
        self.plot.showGrid(x=True, y=False, alpha=0.15)
        # A flat line to start with: the first real waveform then costs no first-time set-up while work runs.
        self.curve = self.plot.plot([0.0, 1.0], [0.0, 0.0], pen=pg.mkPen("#2f6db5", width=1))
        self.curve.hide()  # shown with the first audio
        self.head = pg.InfiniteLine(pos=0, angle=90, pen=pg.mkPen("#d04a02", width=1.5))
        self.head.hide()
        self.plot.addItem(self.head)
        self.message = pg.TextItem(
            self.tr("No audio yet — type some text and press Ctrl+Enter"), color="#888", anchor=(0.5, 0.5)
        )
        self.plot.addItem(self.message)
        self.message.setPos(0.5, 0)
        self.plot.setXRange(0, 1)
        self.duration = 0.0
        layout.addWidget(self.plot)

    def set_audio(self, audio: np.ndarray, sample_rate: int) -> None:
        audio = np.asarray(audio, dtype=np.float32)
        peak = float(np.max(np.abs(audio))) if audio.size else 0.0
        shown = audio / peak if peak > 0 and np.isfinite(peak) else audio
        x, y = envelope(shown, sample_rate)
        self.curve.setData(x, y)
        self.curve.show()
        self.duration = len(audio) / float(sample_rate) if sample_rate else 0.0
        self.message.hide()
        self.plot.setXRange(0, max(self.duration, 0.01), padding=0.01)

    def clear(self) -> None:
        self.curve.setData([0.0, 1.0], [0.0, 0.0])
        self.curve.hide()
        self.duration = 0.0
        self.message.show()

    def set_head(self, seconds: float | None) -> None:
        if seconds is None:
            self.head.hide()
        else:
            self.head.setPos(seconds)
            self.head.show()

    @property
    def points(self) -> int:
        x, _ = self.curve.getData()
        return 0 if x is None else len(x)
