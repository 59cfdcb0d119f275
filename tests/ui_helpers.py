"""Shared helpers for the window tests (tests/ui/, fixtures in tests/ui/conftest.py): offscreen Qt, temporary
settings, the fixture models, a fake sounddevice and a voice whose requests can be held open."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import threading
from pathlib import Path

import numpy as np
import pytest

from sbv2_studio.engine.synthesis import PlannedVoice

ROOT = Path(__file__).resolve().parent.parent
# The tiny generated models; SBV2_STUDIO_TEST_FIXTURES points elsewhere (e.g. a freshly generated copy).
FIXTURES = Path(os.environ.get("SBV2_STUDIO_TEST_FIXTURES") or ROOT / "tests" / "fixtures")
JP_EXTRA = FIXTURES / "jp_extra"
LEGACY = FIXTURES / "legacy"
BERT = FIXTURES / "bert"


def have_sbv2_fixtures() -> bool:
    return (JP_EXTRA / "config.json").is_file() and (BERT / "vocab.txt").is_file() and any(BERT.glob("*.onnx"))


requires_sbv2 = pytest.mark.skipif(
    not have_sbv2_fixtures(), reason=f"SBV2 fixture models not generated under {FIXTURES} (tools/make_fixtures.py)"
)


def settings_at(tmp_path: Path, **values):
    """A Settings object in an INI file under tmp_path (never the user's), with values preset."""
    from sbv2_studio.ui.settings import Settings

    s = Settings(tmp_path / "settings.ini")
    s.set_int("warmup_on_load", values.pop("warmup_on_load", 0))
    s.set_flag("stream", values.pop("stream", False))  # streaming tests ask for it; the others make whole audio
    s.set_flag("read_ahead", values.pop("read_ahead", False))  # the tests of reading ahead ask for it
    for key, value in values.items():
        setattr(s, key, value)
    s.sync()
    return s


def silent_player():
    from sbv2_studio.ui.playback import Player

    return Player(disabled_reason="tests never play sound")


def open_window(
    qtbot, tmp_path: Path, *, player=None, factory_maker=None, settings=None, stream_factory=None, **settings_values
):
    """A shown MainWindow with its first voice loaded (`stream_factory`: the streaming speaker's output stream)."""
    from sbv2_studio.ui.main_window import MainWindow

    settings = settings or settings_at(tmp_path, **settings_values)
    window = MainWindow(
        settings, player=player or silent_player(), factory_maker=factory_maker, stream_factory=stream_factory
    )
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.worker.loaded, timeout=60_000):
        window.show()
    qtbot.waitUntil(lambda: not window.worker.busy, timeout=60_000)
    return window


def close_window(window) -> None:
    window.close()  # saves settings and stops the worker thread


class FakeSoundDevice:
    """Enough of the sounddevice module for Player: a device list, play and stop, recorded."""

    def __init__(self, devices: list[str], default: int = 0):
        self._devices = [
            {"name": name, "hostapi": 0, "max_output_channels": 2, "max_input_channels": 0} for name in devices
        ]
        self.default = type("Default", (), {"device": [-1, default]})()
        self.played: list[tuple[np.ndarray, int, int | None]] = []
        self.stops = 0

    def query_devices(self):
        return self._devices

    def query_hostapis(self):
        return [{"name": "FakeAPI"}]

    def play(self, data, samplerate, device=None):
        self.played.append((np.asarray(data), samplerate, device))

    def stop(self):
        self.stops += 1


class GateVoice(PlannedVoice):
    """A Voice whose requests for texts in `hold` wait until released: lets tests see queueing happen."""

    kind = "sbv2"
    name = "gate"
    label = "Gate voice (test)"
    sample_rate = 16000
    speakers = {"a": 0}
    styles = {"Neutral": 0}
    stages = ("frontend", "synthesize", "postprocess")

    def __init__(self) -> None:
        from sbv2_studio.engine.params import ALL_PARAMS

        self.supported_params = ALL_PARAMS
        self.calls: list[tuple[str, int]] = []  # (text, thread id) of every request that ran
        self.hold: set[str] = set()
        self._gates: dict[str, threading.Event] = {}
        self._lock = threading.Lock()
        self.requests_done = 0

    def _gate(self, text: str) -> threading.Event:
        with self._lock:
            return self._gates.setdefault(text, threading.Event())

    def release(self, text: str) -> None:
        self._gate(text).set()

    def ran_on(self) -> dict[str, str]:
        return {"bert": "CPU", "synthesize": "CPU"}

    def retry_gpu(self) -> dict[str, bool]:
        return {}

    def warm_up(self, runs=1, on_progress=None):
        return []  # the tests time nothing

    def stream(self, text, params=None, plan=None, *, on_chunk=None, on_stage=None):
        """The one synthesis path over this voice's steps below, once the test released the text."""
        self.calls.append((text, threading.get_ident()))
        if text in self.hold:
            assert self._gate(text).wait(20), f"test never released {text!r}"
        self._text = text
        return super().stream(text, params, plan, on_chunk=on_chunk, on_stage=on_stage)

    def stage_provider(self, stage):
        return "CPU" if stage == "synthesize" else None

    def begin(self, params, plan, clock, result):
        result.voice = self._text  # the tests read which request a result answers from here

    def analyze(self, text, clock):
        return clock("frontend", str, text)

    def render(self, prepared, state, params, plan, clock, headroom):
        from sbv2_studio.engine.synthesis import Rendered

        yield Rendered(clock("synthesize", np.zeros, 1600, np.float32))

    def finish(self):
        self.requests_done += 1
        return {"synthesize": "CPU"}, []
