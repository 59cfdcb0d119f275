"""Fixtures of the window tests: a private data folder per test (`studio_env`), and `open_studio`, which opens a
shown MainWindow with its first voice loaded and closes it after the test, whatever the test did."""

from __future__ import annotations

import pytest

from ..ui_helpers import BERT, close_window, open_window


@pytest.fixture
def studio_env(tmp_path, monkeypatch):
    """A private data folder and settings file; the fixture BERT; no fault injection from the environment."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("SBV2_STUDIO_HOME", str(home))
    monkeypatch.setenv("SBV2_STUDIO_BERT", str(BERT))
    monkeypatch.delenv("SBV2_STUDIO_FAULT", raising=False)
    monkeypatch.delenv("SBV2_STUDIO_SETTINGS", raising=False)
    return tmp_path


@pytest.fixture
def open_studio(qtbot, studio_env):
    """open_studio(**settings): a window on `studio_env`'s folders (see ui_helpers.open_window), closed at the end."""
    opened = []

    def open_(**kwargs):
        window = open_window(qtbot, studio_env, **kwargs)
        opened.append(window)
        return window

    yield open_
    for window in reversed(opened):
        close_window(window)
