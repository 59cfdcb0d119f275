"""Takes: every finished request, kept by the application layer (app/takes.py) with its seed and settings.

The panel lists them, newest first; a person replays one, compares two (one after the other), restores a take's
settings (its seed locked, so synthesizing again gives the same samples on the same backend) or saves its audio.
It also holds the seed control: a new seed for each request, or one locked seed.
"""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
)

from ..app import SEED_LIMIT
from .core_text import core_text

MAX_SEED = min(SEED_LIMIT - 1, 2**31 - 1)  # what a QSpinBox holds


class TakesPanel(QGroupBox):
    playRequested = Signal(object)  # a Take
    compareRequested = Signal(object, object)  # two Takes: play the first, then the second
    restoreRequested = Signal(object)  # a Take: its settings (seed locked) and its lines back into the window
    saveRequested = Signal(object)  # a Take

    def __init__(self, parent=None):
        super().__init__(self.tr("Takes"), parent)
        self.setObjectName("takesPanel")
        self._takes: dict[int, object] = {}
        layout = QVBoxLayout(self)
        seed_row = QHBoxLayout()
        seed_row.addWidget(QLabel(self.tr("Seed")))
        self.seed = QSpinBox()
        self.seed.setObjectName("seedSpin")
        self.seed.setRange(0, MAX_SEED)
        self.seed.setToolTip(self.tr("The noise's seed: the same seed, text and settings give the same take again"))
        seed_row.addWidget(self.seed, 1)
        self.lock = QCheckBox(self.tr("Lock"))
        self.lock.setObjectName("seedLock")
        self.lock.setToolTip(self.tr("Keep this seed for every request (unlocked: each request draws a new one)"))
        seed_row.addWidget(self.lock)
        self.new_take = QPushButton(self.tr("New take"))
        self.new_take.setToolTip(self.tr("Unlock the seed: the next request draws a new one"))
        self.new_take.clicked.connect(lambda: self.lock.setChecked(False))
        seed_row.addWidget(self.new_take)
        layout.addLayout(seed_row)
        self.list = QListWidget()
        self.list.setObjectName("takesList")
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.setMinimumHeight(90)
        self.list.itemSelectionChanged.connect(self._update_buttons)
        self.list.itemDoubleClicked.connect(lambda item: self.playRequested.emit(self._take(item)))
        layout.addWidget(self.list)
        buttons = QHBoxLayout()
        self.play_button = QPushButton(self.tr("Play"))
        self.play_button.clicked.connect(lambda: self.playRequested.emit(self.selected()[0]))
        self.compare_button = QPushButton(self.tr("A/B"))
        self.compare_button.setToolTip(self.tr("Play the two selected takes one after the other"))
        self.compare_button.clicked.connect(lambda: self.compareRequested.emit(*self.selected()[:2]))
        self.restore_button = QPushButton(self.tr("Restore"))
        self.restore_button.setToolTip(self.tr("Put this take's text and settings back, its seed locked"))
        self.restore_button.clicked.connect(lambda: self.restoreRequested.emit(self.selected()[0]))
        self.save_button = QPushButton(self.tr("Save…"))
        self.save_button.clicked.connect(lambda: self.saveRequested.emit(self.selected()[0]))
        for b in (self.play_button, self.compare_button, self.restore_button, self.save_button):
            buttons.addWidget(b)
        layout.addLayout(buttons)
        self._update_buttons()

    def seed_for_request(self) -> int | None:
        """The seed the next request uses: the locked one, or None (the engine draws one and reports it)."""
        return self.seed.value() if self.lock.isChecked() else None

    def add(self, take) -> None:
        """A finished request's take: listed first; the seed control shows its seed."""
        self._takes[take.id] = take
        when = time.strftime("%H:%M:%S", time.localtime(take.created))
        first = take.text.split("\n", 1)[0]
        label = self.tr("#{0} {1} · {2:.2f} s · seed {3} · {4}").format(
            take.id, when, take.seconds, take.seed if take.seed is not None else "—", first[:24]
        )
        item = QListWidgetItem(label)
        item.setData(Qt.ItemDataRole.UserRole, take.id)
        item.setToolTip(f"{core_text(take.voice)}\n{take.text[:200]}")  # the voice's label, translated
        self.list.insertItem(0, item)
        while self.list.count() > 50:  # the application layer keeps 50 as well
            gone = self.list.takeItem(self.list.count() - 1)
            self._takes.pop(gone.data(Qt.ItemDataRole.UserRole), None)
        if take.seed is not None and not self.lock.isChecked():
            self.seed.setValue(min(int(take.seed), MAX_SEED))

    def _take(self, item: QListWidgetItem):
        return self._takes[item.data(Qt.ItemDataRole.UserRole)]

    def selected(self) -> list:
        return [self._take(item) for item in self.list.selectedItems()]

    def _update_buttons(self) -> None:
        n = len(self.list.selectedItems())
        for b in (self.play_button, self.restore_button, self.save_button):
            b.setEnabled(n >= 1)
        self.compare_button.setEnabled(n == 2)
