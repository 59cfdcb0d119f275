"""Saved settings that are corrupt never stop the window, and notices neither pile up nor repeat."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from sbv2_studio.ui.notices import MAX_SHOWN, NoticeArea
from sbv2_studio.ui.settings import Settings

from ..ui_helpers import open_window

pytestmark = pytest.mark.ui

# Raw INI values a reliability probe wrote into a real settings file (each stopped the window before).
CORRUPT = {
    "voice/model_id": ["123", "[1, 2]"],
    "editor/last_text": ["5"],
    "voice/params": ['{"assist_text": 7}', '{"speaker": [1], "noise": 0.3}'],
    "numbers/warmup_on_load": ["NaN", "Infinity"],
    "backends/stages": ['{"bert": "cuda:x"}'],
    "library/extra_roots": ['"not a list"'],
}
CASES = [(key, raw) for key, raws in CORRUPT.items() for raw in raws]


@pytest.mark.parametrize(("key", "raw"), CASES, ids=[f"{k}={r}" for k, r in CASES])
def test_a_corrupt_saved_value_falls_back_to_its_default_with_a_notice(qtbot, studio_env, key, raw):
    path = studio_env / "settings.ini"
    qs = QSettings(str(path), QSettings.Format.IniFormat)
    qs.setValue("numbers/warmup_on_load", "0")
    qs.setValue(key, raw)
    qs.sync()
    window = open_window(qtbot, studio_env, settings=Settings(path))
    try:
        assert window.voice_info is not None  # it started and loaded a voice
        notice = window.findChild(type(window.notices.shown()[0]), "settingsNotice")
        assert notice is not None and key.split("/")[0] in notice.text
        params = window.current_params()
        params.validate()
        if key == "voice/params" and "noise" in raw:
            assert params.noise == pytest.approx(0.3)  # the good value beside the bad one is kept
        if key == "backends/stages":
            assert window.backends.spec("bert") == "cpu:0"
    finally:
        window.close()


def test_same_notice_is_counted_not_repeated_and_at_most_a_few_are_shown(qtbot):
    area = NoticeArea()
    qtbot.addWidget(area)
    area.show()
    first = area.add("error", "Could not synthesize: x")
    again = area.add("error", "Could not synthesize: x")
    assert again is first and "×2" in first.text and len(area.shown()) == 1
    for i in range(6):
        area.add("error", f"problem {i}")
    shown = area.shown()
    assert len(shown) == MAX_SHOWN
    assert [n.base_text for n in shown] == [f"problem {i}" for i in range(6 - MAX_SHOWN, 6)]  # the newest stay


def test_info_notices_expire_and_errors_stay(qtbot):
    area = NoticeArea()
    qtbot.addWidget(area)
    area.show()
    info = area.add("info", "Imported a voice", timeout_ms=50)
    error = area.add("error", "Could not load")
    qtbot.waitUntil(lambda: info not in area.shown(), timeout=5000)
    assert area.shown() == [error]


def test_one_gpu_failure_is_one_line_however_often_it_is_reported(qtbot):
    area = NoticeArea()
    qtbot.addWidget(area)
    area.show()
    for _ in range(6):  # a mid-stream failure used to be reported once per chunk
        bar = area.add_fallback("CUDA out of memory; finished on CPU", lambda: None)
    area.add_fallback("DirectML device removed; finished on CPU", lambda: None)
    assert bar is area.fallback
    assert bar.text.count("CUDA out of memory") == 1 and bar.text.count("<br>") == 1
    for i in range(5):
        area.add("warning", f"w{i}")
    assert area.fallback in area.shown()  # pinned: ordinary notices never push it out


def test_a_missing_japanese_font_is_said_at_start(qtbot, studio_env, monkeypatch):
    monkeypatch.setattr("sbv2_studio.ui.main_window.has_japanese_font", lambda: False)
    window = open_window(qtbot, studio_env)
    try:
        notice = window.findChild(type(window.notices.shown()[0]), "fontNotice")
        assert notice is not None and "fonts-noto-cjk" in notice.text
    finally:
        window.close()


def test_with_a_japanese_font_installed_nothing_is_said(qtbot, studio_env):
    from sbv2_studio.ui.widgets import NoticeBar, has_japanese_font

    window = open_window(qtbot, studio_env)
    try:
        if not has_japanese_font():
            pytest.skip("this machine has no Japanese font (the notice is the right answer here)")
        assert window.findChild(NoticeBar, "fontNotice") is None
    finally:
        window.close()
