"""The Japanese interface: the catalog covers every string of the window, is compiled, and the window reads
Japanese with it installed; English stays the default where the system is not Japanese (LANG=C)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import update_translations as ut
from PySide6.QtCore import QCoreApplication

from sbv2_studio.app.jobs import DESCRIPTIONS
from sbv2_studio.engine.params import PARAMETERS
from sbv2_studio.ui import i18n
from sbv2_studio.ui.settings import Settings
from sbv2_studio.ui.widgets import NoticeBar

pytestmark = pytest.mark.ui

TS = ut.ts_path("ja")
QM = ut.qm_path("ja")
FIELD = re.compile(r"\{[^{}]*\}")
TAG = re.compile(r"</?[a-z]+>")


@pytest.fixture
def japanese(qapp):
    translation = i18n.Translation("ja").install(qapp)
    yield translation
    translation.remove(qapp)


def test_every_message_of_the_catalog_is_translated_with_its_placeholders_and_markup():
    messages = ut.messages(TS)
    assert len(messages) > 200
    assert ut.untranslated(TS) == []
    for (context, source), translation in messages.items():
        text = translation.text
        where = f"[{context}] {source!r}"
        # .format() fields and HTML tags must survive translation, or the window shows a KeyError or raw tags.
        assert sorted(FIELD.findall(text)) == sorted(FIELD.findall(source)), where
        assert sorted(TAG.findall(text)) == sorted(TAG.findall(source)), where
        assert ("&" in source.replace("&nbsp;", "")) <= ("&" in text.replace("&nbsp;", "")), where


def test_the_catalog_has_every_string_of_the_ui_sources(tmp_path):
    fresh = tmp_path / TS.name
    shutil.copy(TS, fresh)
    ut.lupdate(fresh)
    new = set(ut.messages(fresh)) - set(ut.messages(TS))
    gone = set(ut.messages(TS)) - set(ut.messages(fresh))
    assert not new, f"strings not in the catalog yet (run tools/update_translations.py and translate): {new}"
    assert not gone, f"strings no longer in the sources (run tools/update_translations.py): {gone}"


def test_the_compiled_catalog_is_up_to_date_with_the_ts(tmp_path):
    qm = tmp_path / QM.name
    ut.lrelease(TS, qm)
    assert qm.read_bytes() == QM.read_bytes(), "run tools/update_translations.py"


def test_tables_from_outside_the_ui_are_listed_for_translation():
    params = {t for p in PARAMETERS for t in (p.label, p.help)}
    assert params <= set(i18n.PARAM_TEXTS), params - set(i18n.PARAM_TEXTS)
    assert set(DESCRIPTIONS.values()) <= set(i18n.JOB_TEXTS)
    from sbv2_studio.app import STAGES
    from sbv2_studio.app.compare import TOTAL

    assert {*STAGES, TOTAL} <= set(i18n.STAGE_TEXTS)


def test_the_window_reads_japanese_with_the_translator(qtbot, open_studio, japanese):
    assert i18n.catalog_path("ja").is_file() and japanese.missing == []
    window = open_studio()
    assert window.synth_button.text() == "音声合成"
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus == ["ファイル(&F)", "モデル(&M)", "ツール(&T)", "ヘルプ(&H)"]
    labels = {name: label.text() for name, label in window.voice_panel.param_labels.items()}
    assert labels["style_weight"] == "スタイルの強さ" and labels["length"] == "長さ（1/話速）"
    # The built-in voice honours only the speed: the others say so, in Japanese, naming the voice (its label too).
    assert window.param_controls["noise"].toolTip() == "内蔵: OpenJTalk mei（SBV2 ではありません） では使われません"
    assert window.backends.title() == "バックエンド"
    hint = window.findChild(NoticeBar, "addVoicesHint")
    assert hint is not None and "内蔵の OpenJTalk 音声" in hint.text
    assert i18n.job_text("Synthesizing") == "音声合成しています"
    assert i18n.stage_text("postprocess") == "後処理"
    # Qt's own strings (message box and file dialog buttons) come from qtbase_ja.
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "キャンセル"


def test_english_is_the_default_without_a_japanese_system(qtbot, open_studio, monkeypatch):
    monkeypatch.delenv(i18n.LANG_ENV, raising=False)
    window = open_studio()
    assert window.synth_button.text() == "Synthesize"
    assert [a.text() for a in window.menuBar().actions()][0] == "&File"


@pytest.mark.parametrize(
    ("env", "saved", "expected"),
    [
        ({"LANG": "C", "LC_ALL": "C"}, None, "en"),
        ({"LANG": "ja_JP.UTF-8", "LC_ALL": "ja_JP.UTF-8"}, None, "ja"),
        ({"LANG": "ja_JP.UTF-8", "LC_ALL": "ja_JP.UTF-8"}, "en", "en"),
        ({"LANG": "C", "LC_ALL": "C"}, "ja", "ja"),
        ({"LANG": "C", "LC_ALL": "C", i18n.LANG_ENV: "ja"}, "en", "ja"),
        ({"LANG": "ja_JP.UTF-8", "LC_ALL": "ja_JP.UTF-8", i18n.LANG_ENV: "en"}, "system", "en"),
    ],
)
def test_the_language_follows_the_system_unless_chosen(env, saved, expected):
    """A fresh process per case: Qt reads the system locale once."""
    base = {k: v for k, v in os.environ.items() if k not in ("LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE")}
    base.pop(i18n.LANG_ENV, None)
    code = f"from sbv2_studio.ui.i18n import resolve_language; print(resolve_language({saved!r}))"
    out = subprocess.run(
        [sys.executable, "-c", code], env={**base, **env}, capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == expected


def test_the_language_menu_saves_the_choice_for_the_next_start(qtbot, open_studio, studio_env):
    window = open_studio()
    assert window.language_actions["system"].isChecked()
    window.language_actions["ja"].trigger()
    assert window.language_actions["ja"].isChecked() and not window.language_actions["system"].isChecked()
    notice = window.findChild(NoticeBar, "languageNotice")
    assert notice is not None and "next time" in notice.text
    assert Settings(Path(window.settings.path)).language == "ja"


def test_an_unknown_saved_language_falls_back_to_the_system(tmp_path):
    s = Settings(tmp_path / "s.ini")
    s.qs.setValue("ui/language", '"klingon"')
    assert s.language == "system" and "ui/language" in s.unusable()
