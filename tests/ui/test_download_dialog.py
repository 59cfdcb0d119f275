"""The window's download dialog, against the local fake Hub: BERT lands and the window is told; a voice download
is imported and loaded; cancel leaves nothing installed. The window stays usable throughout."""

from __future__ import annotations

import pytest

from sbv2_studio.models.downloads import BERT_REPO
from sbv2_studio.models.library import Library

from ..conftest import FIXTURES
from ..fake_hub import FakeHub


@pytest.fixture
def hub(monkeypatch):
    hub = FakeHub()
    bert = {p.name: p for p in (FIXTURES / "bert").iterdir() if p.is_file()}
    hub.add_repo(BERT_REPO, bert)
    hub.add_repo("sbv2/tiny-jp-extra", {p.name: p for p in (FIXTURES / "jp_extra").iterdir() if p.is_file()})
    hub.start()
    monkeypatch.setenv("HF_ENDPOINT", hub.url)
    yield hub
    hub.stop()


def test_bert_download_from_the_dialog(qtbot, open_studio, studio_env, hub, monkeypatch):
    monkeypatch.delenv("SBV2_STUDIO_BERT")  # a fresh install: no BERT anywhere
    window = open_studio()
    window.show_download_dialog()
    dialog = window._download_dialog
    assert dialog.isVisible() and dialog.bert_choice.isChecked()
    with qtbot.waitSignal(dialog.downloaded, timeout=60_000) as done:
        dialog.start_button.click()
    kind, bert = done.args
    assert kind == "bert" and bert.onnx_path.name == "model.onnx"
    assert Library(home=studio_env / "home").find_bert() is not None
    assert dialog.bar.value() == 1000 and "Installed" in dialog.status.text()
    assert not window.worker.busy  # the inference worker was never involved


def test_voice_download_is_imported_and_loaded(qtbot, open_studio, studio_env, hub):
    window = open_studio()
    window.show_download_dialog()
    dialog = window._download_dialog
    dialog.voice_choice.setChecked(True)
    dialog.repo.setText("sbv2/tiny-jp-extra")
    with qtbot.waitSignal(window.worker.loaded, timeout=60_000) as loaded:
        dialog.start_button.click()
    assert loaded.args[0].kind == "sbv2" and "Neutral" in loaded.args[0].styles
    installed = [e for e in Library(home=studio_env / "home").scan() if e.kind == "sbv2"]
    assert len(installed) == 1 and installed[0].valid


def test_cancel_mid_download_installs_nothing(qtbot, open_studio, studio_env, hub):
    hub.fault("sbv2/tiny-jp-extra", next(p.name for p in (FIXTURES / "jp_extra").glob("*.onnx")), hold_after=65536)
    window = open_studio()
    try:
        window.show_download_dialog()
        dialog = window._download_dialog
        dialog.voice_choice.setChecked(True)
        dialog.repo.setText("sbv2/tiny-jp-extra")
        dialog.start_button.click()
        qtbot.waitUntil(lambda: dialog.bar.value() > 0, timeout=30_000)
        dialog.cancel()
        hub.release.set()  # the held connection closes; the downloader sees the cancel
        qtbot.waitUntil(lambda: not dialog.running, timeout=30_000)
        assert "Cancelled" in dialog.status.text()
        assert [e.kind for e in Library(home=studio_env / "home").scan()] == ["builtin"]
    finally:
        hub.clear_faults()


def test_a_bert_folder_set_in_the_window_counts_as_installed(qtbot, open_studio, studio_env, hub, monkeypatch):
    monkeypatch.delenv("SBV2_STUDIO_BERT")  # only the folder set with Models ▸ Set BERT folder
    window = open_studio(bert_path=str(FIXTURES / "bert"))
    window.show_download_dialog()
    dialog = window._download_dialog
    assert dialog.voice_choice.isChecked() and "BERT is installed" in dialog.status.text()
