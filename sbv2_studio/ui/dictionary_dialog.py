"""The user dictionary in the window: a table of the words and a form to add, change or delete one; import and
export VOICEVOX's user-dictionary JSON. Every change is in OpenJTalk at once (engine/text/user_dict.py); the
dialog says so by emitting `changed`, on which the accent editor reads its line again.

A refused word (empty surface, a pronunciation that is not katakana, an accent beyond the moras …) is shown in
the dialog with the field it is about; nothing is saved. Compiling a dictionary takes milliseconds (MeCab on a
few rows), so it runs on the GUI thread.

Hook for the window: Tools (or Edit) → "User dictionary…" opens `DictionaryDialog(activate_user_dictionary(),
parent)`; the accent editor's `add_to_dictionary(surface, pronunciation, accent)` signal → `dialog.prefill(...)`
then `dialog.show()`.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..app import WORD_TYPES, StudioError, UserDictionary, UserWord, mora_count
from .core_text import error_text


class DictionaryDialog(QDialog):
    changed = Signal()  # the words changed (and OpenJTalk reads with them)

    def __init__(self, dictionary: UserDictionary, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("User dictionary"))
        self.dictionary = dictionary
        self._ids: list[str] = []

        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Surface"), self.tr("Pronunciation"), self.tr("Accent"), self.tr("Word type"), self.tr("Priority")]
        )
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.itemSelectionChanged.connect(self._selected)
        layout.addWidget(self.table)

        form = QFormLayout()
        self.surface = QLineEdit()
        self.surface.setPlaceholderText("菊池")
        self.surface.setToolTip(self.tr("The word as it is written"))
        self.pronunciation = QLineEdit()
        self.pronunciation.setPlaceholderText("キクチ")
        self.pronunciation.setToolTip(self.tr("How it is read, in katakana"))
        self.pronunciation.textChanged.connect(self._pronunciation_changed)
        self.accent = QSpinBox()
        self.accent.setRange(0, 0)
        self.accent.setToolTip(self.tr("The mora after which the pitch falls (0: flat, no fall)"))
        self.word_type = QComboBox()
        self.type_labels = {
            "PROPER_NOUN": self.tr("Proper noun"), "COMMON_NOUN": self.tr("Common noun"), "VERB": self.tr("Verb"),
            "ADJECTIVE": self.tr("Adjective"), "SUFFIX": self.tr("Suffix"),
        }  # fmt: skip
        for name in WORD_TYPES:
            self.word_type.addItem(self.type_labels.get(name, name), name)
        self.priority = QSpinBox()
        self.priority.setRange(0, 10)
        self.priority.setValue(5)
        self.priority.setToolTip(self.tr("Higher: this word wins over the system dictionary's more often (0..10)"))
        form.addRow(self.tr("Surface"), self.surface)
        form.addRow(self.tr("Pronunciation"), self.pronunciation)
        form.addRow(self.tr("Accent type"), self.accent)
        form.addRow(self.tr("Word type"), self.word_type)
        form.addRow(self.tr("Priority"), self.priority)
        layout.addLayout(form)

        self.message = QLabel("")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(self.tr("Add"))
        self.add_button.clicked.connect(self.add_word)
        self.update_button = QPushButton(self.tr("Save changes"))
        self.update_button.clicked.connect(self.update_word)
        self.delete_button = QPushButton(self.tr("Delete"))
        self.delete_button.clicked.connect(self.delete_word)
        self.import_button = QPushButton(self.tr("Import…"))
        self.import_button.setToolTip(self.tr("Add the words of a VOICEVOX / AivisSpeech user dictionary (JSON)"))
        self.import_button.clicked.connect(self._import_clicked)
        self.export_button = QPushButton(self.tr("Export…"))
        self.export_button.setToolTip(self.tr("Save the words as a VOICEVOX user dictionary (JSON)"))
        self.export_button.clicked.connect(self._export_clicked)
        for button in (self.add_button, self.update_button, self.delete_button, self.import_button, self.export_button):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        if dictionary.notices:
            self.message.setText("\n".join(error_text(n) for n in dictionary.notices))
        self.reload()

    # -- the table -------------------------------------------------------------------------------------------

    def reload(self) -> None:
        self._ids = list(self.dictionary.words)
        self.table.setRowCount(len(self._ids))
        for row, word_id in enumerate(self._ids):
            w = self.dictionary.words[word_id]
            values = (w.surface, w.pronunciation, f"{w.accent_type}/{w.mora_count}", self.type_labels.get(w.word_type, w.word_type),
                      str(w.priority))  # fmt: skip
            for col, value in enumerate(values):
                self.table.setItem(row, col, QTableWidgetItem(value))
        self._selected()

    def selected_id(self) -> str | None:
        rows = {index.row() for index in self.table.selectionModel().selectedRows()}
        return self._ids[rows.pop()] if len(rows) == 1 else None

    def _selected(self) -> None:
        word_id = self.selected_id()
        self.update_button.setEnabled(word_id is not None)
        self.delete_button.setEnabled(word_id is not None)
        if word_id is not None:
            w = self.dictionary.words[word_id]
            self.prefill(w.surface, w.pronunciation, w.accent_type, w.word_type, w.priority)

    def _pronunciation_changed(self, text: str) -> None:
        # The accent spin box offers 0..moras, so an accent beyond the word cannot even be typed.
        self.accent.setMaximum(max(0, mora_count(text.strip())))

    # -- the form ------------------------------------------------------------------------------------------

    def prefill(self, surface: str, pronunciation: str, accent: int, word_type: str = "PROPER_NOUN",
                priority: int = 5) -> None:  # fmt: skip
        """Fill the form (from the selected word, or from the accent editor's "Add to dictionary")."""
        self.surface.setText(surface)
        self.pronunciation.setText(pronunciation)
        self.accent.setValue(accent)
        self.word_type.setCurrentIndex(max(0, self.word_type.findData(word_type)))
        self.priority.setValue(priority)

    def form_word(self) -> UserWord:
        return UserWord(self.surface.text(), self.pronunciation.text(), self.accent.value(),
                        self.word_type.currentData(), self.priority.value())  # fmt: skip

    def _apply(self, change, done: str) -> bool:
        try:
            change()
        except StudioError as exc:
            self.message.setText(self.tr("Not saved: {0}").format(error_text(str(exc))))
            return False
        self.message.setText(done)
        self.reload()
        self.changed.emit()
        return True

    def add_word(self) -> bool:
        word = self.form_word()
        return self._apply(
            lambda: self.dictionary.add(word),
            self.tr("Added {0}: it is read so from now on.").format(word.surface.strip()),
        )

    def update_word(self) -> bool:
        word_id = self.selected_id()
        if word_id is None:
            return False
        return self._apply(lambda: self.dictionary.update(word_id, self.form_word()), self.tr("Saved."))

    def delete_word(self) -> bool:
        word_id = self.selected_id()
        if word_id is None:
            return False
        return self._apply(lambda: self.dictionary.remove(word_id), self.tr("Deleted."))

    def import_file(self, path: str) -> bool:
        counted: list[int] = []
        ok = self._apply(lambda: counted.append(self.dictionary.import_voicevox(path)), "")
        if ok:
            self.message.setText(self.tr("Imported {0} word(s) from {1}.").format(counted[0], path))
        return ok

    def export_file(self, path: str) -> bool:
        try:
            self.dictionary.export_voicevox(path)
        except (StudioError, OSError) as exc:
            self.message.setText(self.tr("Not exported: {0}").format(error_text(str(exc))))
            return False
        self.message.setText(self.tr("Wrote {0} word(s) to {1}.").format(len(self.dictionary.words), path))
        return True

    def _import_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import a user dictionary", "", "JSON (*.json)")
        if path:
            self.import_file(path)

    def _export_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export the user dictionary", "user_dict.json", "JSON (*.json)")
        if path:
            self.export_file(path)


__all__ = ["DictionaryDialog"]
