"""The accent editor: the current line's accent phrases as blocks of moras, under the text.

Each phrase is a block: the words it came from, its moras as buttons (raised and bold = high, sunk = low; click
to flip one; right-click one to put the accent nucleus on it or split before it; the arrows move the nucleus), its reading (type katakana and press Enter to change it),
"Split" (before the selected mora), "Join →" (with the next phrase) and "Add to dictionary".

Only the current line is analyzed and drawn (a 100-line text costs one line's widgets); an edited line keeps its
query (keyed by its text: editing that line's text drops the edits, which no longer fit). `lines_to_speak()`
gives the text's lines with each edited one as its AudioQuery, what `voice.stream` takes (engine/synthesis.py:
an edited query is spoken as it says, the BERT reading its text).

Hooks for the window (ui/main_window.py): put the editor under the text box, call `set_text(text)` when the text
changes (debounced) and `show_line(n)` when the cursor moves to line n; speak `lines_to_speak()` instead of the
plain text; connect `add_to_dictionary(surface, pronunciation, accent_type)` to `DictionaryDialog.prefill`.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..app import AudioQuery, StudioError
from .core_text import error_text

HIGH_STYLE = "QToolButton { font-weight: bold; border-top: 3px solid palette(highlight); margin-bottom: 10px; }"
LOW_STYLE = "QToolButton { color: palette(mid); border-bottom: 3px solid palette(mid); margin-top: 10px; }"


class PhraseBlock(QFrame):
    """One accent phrase: its source words, mora buttons, reading box and phrase actions."""

    def __init__(self, editor: AccentEditor, index: int, query: AudioQuery):
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
        phrase = query.accent_phrases[index]
        self.index = index
        self.selected = 0
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        words = "".join(query.words[i] for i in phrase.word_indices)
        self.source = QLabel(words)
        self.source.setToolTip(self.tr("The words of the text this phrase was read from"))
        layout.addWidget(self.source)
        row = QHBoxLayout()
        row.setSpacing(1)
        self.mora_buttons: list[QToolButton] = []
        for m, mora in enumerate(phrase.moras):
            button = QToolButton()
            button.setText(mora.text)
            button.setCheckable(True)
            button.setChecked(bool(mora.pitch))
            button.setStyleSheet(HIGH_STYLE if mora.pitch else LOW_STYLE)
            tip = self.tr("{0}: high (click to flip)") if mora.pitch else self.tr("{0}: low (click to flip)")
            button.setToolTip(tip.format(mora.text))
            button.clicked.connect(lambda _checked=False, m=m: editor.flip(self.index, m))
            button.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            button.customContextMenuRequested.connect(lambda _pos, m=m, b=button: self._mora_menu(editor, m, b))
            row.addWidget(button)
            self.mora_buttons.append(button)
        if phrase.pause is not None:
            pause = QLabel("".join(phrase.pause.marks))
            pause.setToolTip(self.tr("Punctuation: a pause"))
            row.addWidget(pause)
        row.addStretch(1)
        layout.addLayout(row)
        self.reading = QLineEdit(phrase.reading)
        self.reading.setToolTip(self.tr("The reading in katakana: type and press Enter to change how it is read"))
        self.reading.setEnabled(bool(phrase.moras))
        self.reading.returnPressed.connect(lambda: editor.set_reading(self.index, self.reading.text()))
        layout.addWidget(self.reading)
        actions = QHBoxLayout()
        self.earlier = QToolButton(text=self.tr("◀"))
        self.earlier.setToolTip(self.tr("Move the accent nucleus one mora earlier"))
        self.earlier.clicked.connect(lambda: editor.move_accent(self.index, -1))
        self.later = QToolButton(text=self.tr("▶"))
        self.later.setToolTip(self.tr("Move the accent nucleus one mora later"))
        self.later.clicked.connect(lambda: editor.move_accent(self.index, +1))
        self.split = QToolButton(text=self.tr("Split"))
        self.split.setToolTip(
            self.tr("Split this phrase at the word border nearest its middle (right-click a mora to split before it)")
        )
        self.split.setEnabled(len(phrase.moras) > 1)
        self.split.clicked.connect(lambda: editor.split(self.index))
        self.join = QToolButton(text=self.tr("Join →"))
        self.join.setToolTip(self.tr("Join this phrase with the next one"))
        self.join.setEnabled(index + 1 < len(query.accent_phrases) and phrase.pause is None)
        self.join.clicked.connect(lambda: editor.join(self.index))
        self.add_word = QToolButton(text=self.tr("Add to dictionary"))
        self.add_word.setToolTip(self.tr("Keep this reading and accent for these words in the user dictionary"))
        self.add_word.setEnabled(bool(phrase.moras))
        self.add_word.clicked.connect(lambda: editor.request_dictionary(self.index))
        for button in (self.earlier, self.later, self.split, self.join, self.add_word):
            actions.addWidget(button)
        layout.addLayout(actions)

    def _mora_menu(self, editor: AccentEditor, mora: int, button: QToolButton) -> None:
        menu = QMenu(self)
        menu.addAction(self.tr("Accent nucleus here (fall after it)"), lambda: editor.set_nucleus(self.index, mora))
        split = menu.addAction(self.tr("Split the phrase before this mora"), lambda: editor.split(self.index, mora))
        split.setEnabled(mora > 0)
        menu.exec(button.mapToGlobal(button.rect().bottomLeft()))


class AccentEditor(QWidget):
    """Accent phrases of the current line, editable; edited queries kept per line (see the module docstring)."""

    query_changed = Signal(int, object)  # line number, its AudioQuery (edited)
    add_to_dictionary = Signal(str, str, int)  # surface, pronunciation (katakana), accent type

    def __init__(self, parent: QWidget | None = None, build_query: Callable[[str], AudioQuery] = AudioQuery.from_text):
        super().__init__(parent)
        self._build_query = build_query
        self._lines: list[str] = []
        self._edited: dict[str, AudioQuery] = {}  # line text → its edited query
        self._current: int | None = None
        self._query: AudioQuery | None = None
        self.blocks: list[PhraseBlock] = []

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Accents of line")))
        self.line_picker = QComboBox()
        self.line_picker.setMinimumContentsLength(24)
        self.line_picker.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.line_picker.currentIndexChanged.connect(self._picked)
        top.addWidget(self.line_picker, 1)
        self.edited_label = QLabel("")
        top.addWidget(self.edited_label)
        self.reset_button = QPushButton(self.tr("Reset line"))
        self.reset_button.setToolTip(self.tr("Forget this line's edits: read it as the text says"))
        self.reset_button.clicked.connect(self.reset_line)
        top.addWidget(self.reset_button)
        layout.addLayout(top)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.canvas = QWidget()
        self.row = QHBoxLayout(self.canvas)
        self.row.setAlignment(Qt.AlignmentFlag.AlignLeft)
        self.scroll.setWidget(self.canvas)
        layout.addWidget(self.scroll)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self._update_controls()

    # -- the text --------------------------------------------------------------------------------------------

    def set_text(self, text: str) -> None:
        """The text's lines (blank ones are not spoken, so not listed). Edits of lines that are still there stay."""
        lines = [line for line in text.splitlines() if line.strip()]
        if lines == self._lines:
            return
        keep = self._lines[self._current] if self._current is not None and self._current < len(self._lines) else None
        self._lines = lines
        self._edited = {line: q for line, q in self._edited.items() if line in set(lines)}
        self.line_picker.blockSignals(True)
        self.line_picker.clear()
        for n, line in enumerate(lines):
            self.line_picker.addItem(f"{n + 1}: {line[:40]}")
        self.line_picker.blockSignals(False)
        target = lines.index(keep) if keep in lines else 0
        self._current = None
        self.show_line(target if lines else None)

    def show_line(self, index: int | None) -> None:
        """Analyze and draw line `index` (0-based among the non-empty lines); None shows nothing."""
        if index is not None and not 0 <= index < len(self._lines):
            index = None
        if index == self._current and self._query is not None:
            return
        self._current = index
        self._query = None
        self.message.setText("")
        if index is not None:
            if self.line_picker.currentIndex() != index:
                self.line_picker.blockSignals(True)
                self.line_picker.setCurrentIndex(index)
                self.line_picker.blockSignals(False)
            line = self._lines[index]
            edited = self._edited.get(line)
            if edited is not None:
                self._query = edited
            else:
                try:
                    self._query = self._build_query(line)
                except StudioError as exc:
                    self.message.setText(self.tr("This line cannot be read: {0}").format(error_text(str(exc))))
        self._redraw()

    def refresh(self) -> None:
        """Read the current line again (after a dictionary change); an edited line keeps its edits."""
        index, self._current = self._current, None
        self.show_line(index)

    def _picked(self, index: int) -> None:
        self.show_line(index if index >= 0 else None)

    # -- what the window speaks ----------------------------------------------------------------------------------

    def lines_to_speak(self) -> list:
        """The lines, each edited one as its AudioQuery (what voice.stream / synthesize take)."""
        return [self._edited.get(line, line) for line in self._lines]

    def restore(self, lines: list) -> None:
        """Take edits back (a take's lines, edited ones as queries): each query is kept for its line's text."""
        for item in lines:
            if isinstance(item, AudioQuery):
                self._edited[item.text] = item
        self.refresh()

    def edited_query(self, line: int) -> AudioQuery | None:
        return self._edited.get(self._lines[line]) if 0 <= line < len(self._lines) else None

    @property
    def query(self) -> AudioQuery | None:
        """The current line's query (edited or as read)."""
        return self._query

    # -- edits -----------------------------------------------------------------------------------------------

    def _edit(self, change: Callable[[AudioQuery], object]) -> None:
        if self._query is None or self._current is None:
            return
        line = self._lines[self._current]
        query = self._query.copy()  # a refused edit leaves the line as it was
        try:
            change(query)
        except StudioError as exc:
            self.message.setText(error_text(str(exc)))
            return
        self.message.setText("")
        self._edited[line] = query
        self._query = query
        self._redraw()
        self.query_changed.emit(self._current, query)

    def flip(self, phrase: int, mora: int) -> None:
        self._edit(lambda q: q.flip_pitch(phrase, mora))

    def move_accent(self, phrase: int, step: int) -> None:
        def change(q: AudioQuery) -> None:
            n = len(q.accent_phrases[phrase].moras)
            q.set_accent(phrase, max(1, min(n, q.accent_phrases[phrase].accent + step)))

        self._edit(change)

    def set_reading(self, phrase: int, reading: str) -> None:
        if self._query is not None and reading.strip() == self._query.accent_phrases[phrase].reading:
            return
        self._edit(lambda q: q.set_reading(phrase, reading))

    def split(self, phrase: int, at: int | None = None) -> None:
        """Split before mora `at`; by default at the word border nearest the phrase's middle (on a tie the later
        one: a particle stays with its word)."""

        def change(q: AudioQuery) -> None:
            moras = q.accent_phrases[phrase].moras
            n = len(moras)
            where = at
            if where is None:
                borders = [i for i in range(1, n) if moras[i].word != moras[i - 1].word] or [n // 2]
                where = min(borders, key=lambda i: (abs(2 * i - n), -i))
            q.split_phrase(phrase, where)

        self._edit(change)

    def set_nucleus(self, phrase: int, mora: int) -> None:
        """The accent nucleus on this mora (0-based): the pitch falls after it."""
        self._edit(lambda q: q.set_accent(phrase, mora + 1))

    def join(self, phrase: int) -> None:
        self._edit(lambda q: q.join_phrases(phrase))

    def reset_line(self) -> None:
        if self._current is None:
            return
        self._edited.pop(self._lines[self._current], None)
        self.refresh()

    def request_dictionary(self, phrase: int) -> None:
        """Ask for a dictionary word from this phrase: its words, reading, and accent (0 when it does not fall)."""
        if self._query is None:
            return
        target = self._query.accent_phrases[phrase]
        surface = "".join(self._query.words[i] for i in sorted({m.word for m in target.moras}))
        accent = target.accent  # the phrase's length when it does not fall: OpenJTalk's flat (0)
        self.add_to_dictionary.emit(surface, target.reading, accent if accent < len(target.moras) else 0)

    # -- drawing ---------------------------------------------------------------------------------------------

    def _redraw(self) -> None:
        for block in self.blocks:
            self.row.removeWidget(block)
            block.setParent(None)  # gone from the tree now, freed by Qt at the next turn of the event loop
            block.deleteLater()
        self.blocks = []
        if self._query is not None:
            for index in range(len(self._query.accent_phrases)):
                block = PhraseBlock(self, index, self._query)
                self.row.addWidget(block)
                self.blocks.append(block)
        self._update_controls()

    def _update_controls(self) -> None:
        edited = self._current is not None and self._lines[self._current] in self._edited
        self.edited_label.setText(self.tr("edited") if edited else "")
        self.reset_button.setEnabled(edited)
        self.line_picker.setEnabled(bool(self._lines))


__all__ = ["AccentEditor", "PhraseBlock"]
