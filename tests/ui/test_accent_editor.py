"""The accent editor and the dictionary dialog, offscreen: flipping a mora changes that line's tones only, a reading
edit changes its phones, split/join, a long text costs one line's widgets, and the dictionary dialog's words
change what the editor reads."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt

from sbv2_studio.app import AudioQuery, UserDictionary
from sbv2_studio.engine.text import user_dict
from sbv2_studio.ui.accent_editor import AccentEditor
from sbv2_studio.ui.dictionary_dialog import DictionaryDialog

TEXT = "今日はいい天気ですね。\n\n菊池さんは学生です。"


@pytest.fixture
def editor(qtbot):
    widget = AccentEditor()
    qtbot.addWidget(widget)
    widget.set_text(TEXT)
    return widget


def test_it_shows_the_current_lines_phrases(editor):
    assert editor.line_picker.count() == 2  # the blank line is not spoken, so not listed
    assert [b.reading.text() for b in editor.blocks] == ["キョーワ", "イイ", "テンキデスネ"]
    assert [b.source.text() for b in editor.blocks] == ["今日は", "いい", "天気ですね."]
    first = editor.blocks[0].mora_buttons
    assert [b.text() for b in first] == ["キョ", "ー", "ワ"] and [b.isChecked() for b in first] == [True, False, False]
    assert editor.lines_to_speak() == ["今日はいい天気ですね。", "菊池さんは学生です。"]


def test_clicking_a_mora_flips_it_and_only_that_lines_tones_change(editor, qtbot):
    before = AudioQuery.from_text("今日はいい天気ですね。").phones_tones_word2ph()
    with qtbot.waitSignal(editor.query_changed) as signal:
        qtbot.mouseClick(editor.blocks[2].mora_buttons[3], Qt.MouseButton.LeftButton)  # デ: low → high
    line, query = signal.args
    assert line == 0 and query.accent_phrases[2].moras[3].pitch == 1
    assert editor.blocks[2].mora_buttons[3].isChecked()  # redrawn high
    spoken = editor.lines_to_speak()
    assert isinstance(spoken[0], AudioQuery) and spoken[1] == "菊池さんは学生です。"
    phones, tones, word2ph = spoken[0].phones_tones_word2ph()
    assert (phones, word2ph) == (before[0], before[2])
    assert [i for i, (a, b) in enumerate(zip(tones, before[1])) if a != b] == [13, 14]  # d, e of デ
    assert editor.edited_label.text() == "edited" and editor.reset_button.isEnabled()
    editor.reset_line()
    assert editor.lines_to_speak()[0] == "今日はいい天気ですね。"


def test_accent_arrows_reading_split_and_join(editor, qtbot):
    qtbot.mouseClick(editor.blocks[2].later, Qt.MouseButton.LeftButton)  # テンキデスネ: nucleus 1 → 2
    assert [m.pitch for m in editor.query.accent_phrases[2].moras] == [0, 1, 0, 0, 0, 0]
    editor.blocks[1].reading.setText("ヨイ")
    qtbot.keyClick(editor.blocks[1].reading, Qt.Key.Key_Return)
    assert editor.query.accent_phrases[1].reading == "ヨイ"
    assert "y" in editor.query.phones_tones_word2ph()[0]
    editor.blocks[1].reading.setText("よい")
    qtbot.keyClick(editor.blocks[1].reading, Qt.Key.Key_Return)
    assert "not a katakana reading" in editor.message.text()
    assert editor.query.accent_phrases[1].reading == "ヨイ"  # refused: unchanged
    qtbot.mouseClick(editor.blocks[0].join, Qt.MouseButton.LeftButton)
    assert [b.reading.text() for b in editor.blocks] == ["キョーワヨイ", "テンキデスネ"]
    qtbot.mouseClick(editor.blocks[0].split, Qt.MouseButton.LeftButton)  # at the word border nearest the middle
    assert [b.reading.text() for b in editor.blocks] == ["キョーワ", "ヨイ", "テンキデスネ"]
    editor.split(2, 3)  # what a mora's context menu does: before デ
    assert [b.reading.text() for b in editor.blocks] == ["キョーワ", "ヨイ", "テンキ", "デスネ"]
    editor.set_nucleus(3, 1)  # デスネ: fall after ス
    assert [m.pitch for m in editor.query.accent_phrases[3].moras] == [0, 1, 0]


def test_a_hundred_lines_cost_one_lines_widgets(qtbot):
    built: list[str] = []

    def build(line: str) -> AudioQuery:
        built.append(line)
        return AudioQuery.from_text(line)

    widget = AccentEditor(build_query=build)
    qtbot.addWidget(widget)
    lines = [f"{n}番目の文は今日もいい天気ですね。" for n in range(100)]
    widget.set_text("\n".join(lines))
    assert built == [lines[0]]  # only the line shown is analyzed
    assert widget.line_picker.count() == 100
    widget.line_picker.setCurrentIndex(57)
    assert built == [lines[0], lines[57]]
    assert "".join(b.source.text() for b in widget.blocks).startswith("五十七番目")
    # widgets: one line's blocks, not 100 lines'
    assert len(widget.findChildren(type(widget.blocks[0]))) == len(widget.blocks) < 10
    # an edit to line 57 stays when the text changes elsewhere, and only that line is a query
    qtbot.mouseClick(widget.blocks[0].mora_buttons[0], Qt.MouseButton.LeftButton)
    widget.set_text("\n".join(lines[:-1]))
    spoken = widget.lines_to_speak()
    assert [i for i, item in enumerate(spoken) if isinstance(item, AudioQuery)] == [57]


def test_add_to_dictionary_and_the_dialog(editor, qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("SBV2_STUDIO_HOME", str(tmp_path / "home"))
    dictionary = UserDictionary(tmp_path / "home" / "user_dict.json")
    dialog = DictionaryDialog(dictionary)
    qtbot.addWidget(dialog)
    editor.add_to_dictionary.connect(dialog.prefill)
    dialog.changed.connect(editor.refresh)
    try:
        editor.line_picker.setCurrentIndex(1)
        assert editor.blocks[0].reading.text() == "キクチサンワ"
        with qtbot.waitSignal(editor.add_to_dictionary) as signal:
            qtbot.mouseClick(editor.blocks[0].add_word, Qt.MouseButton.LeftButton)
        assert signal.args[:2] == ["菊池さんは", "キクチサンワ"]
        # the person trims it to the name, with its reading and accent
        dialog.prefill("菊池", "キクイケ", 1)
        with qtbot.waitSignal(dialog.changed):
            assert dialog.add_word()
        assert dialog.table.rowCount() == 1 and dialog.table.item(0, 1).text() == "キクイケ"
        assert editor.blocks[0].reading.text() == "キクイケサンワ"  # read again with the word
        (entry,) = json.loads(dictionary.path.read_text("utf-8")).values()
        assert (entry["surface"], entry["pronunciation"], entry["accent_type"]) == ("菊池", "キクイケ", 1)
        # a bad word is refused in the dialog, naming the field, and nothing is added
        dialog.prefill("菊池", "きくいけ", 1)
        assert not dialog.add_word()
        assert "pronunciation" in dialog.message.text() and dialog.table.rowCount() == 1
        dialog.prefill("", "キクチ", 1)
        assert not dialog.add_word() and "surface" in dialog.message.text()
        # select, change, delete
        dialog.table.selectRow(0)
        assert dialog.surface.text() == "菊池"
        dialog.priority.setValue(9)
        assert dialog.update_word() and dictionary.words[dialog.selected_id()].priority == 9
        dialog.table.selectRow(0)
        assert dialog.delete_word() and dialog.table.rowCount() == 0
        assert editor.blocks[0].reading.text() == "キクチサンワ"
        # export / import
        dialog.prefill("鬼滅", "キメツ", 0)
        dialog.add_word()
        out = tmp_path / "exported.json"
        assert dialog.export_file(str(out))
        other = DictionaryDialog(UserDictionary(tmp_path / "other.json"))
        qtbot.addWidget(other)
        assert other.import_file(str(out)) and other.table.rowCount() == 1
        (tmp_path / "bad.json").write_text("{", "utf-8")
        assert not other.import_file(str(tmp_path / "bad.json")) and "not a VOICEVOX" in other.message.text()
    finally:
        user_dict.deactivate()
