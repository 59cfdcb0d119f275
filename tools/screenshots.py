#!/usr/bin/env python
"""Drive the real window into its main states and save screenshots for the README, and measure how long the
window's event loop ever pauses while it works.

Run it under Xvfb (the xcb platform, as a person would see it):

    xvfb-run -a -s "-screen 0 1400x900x24" python tools/screenshots.py [--out docs/screenshots]
    xvfb-run -a -s "-screen 0 1400x900x24" python tools/screenshots.py --heartbeat-only --rounds 5

It uses the tiny fixture models in tests/fixtures (random weights: their "speech" is noise) and a throw-away data
folder and settings file; nothing of the user's is read or written. GPU backends are emulated on the CPU by the
core's fault injection and are labelled "(emulated on CPU)" wherever they show.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
sys.path.insert(0, str(ROOT))

TEXT = "こんにちは。今日はとてもいい天気ですね。\n駅の近くに新しい喫茶店ができたので、散歩に行きましょう。"
STREAM_TEXT = (
    "こんにちは、今日はいい天気ですね。駅の近くに新しい喫茶店ができたので、散歩のついでに寄ってみましょう。"
    "コーヒーがとてもおいしいそうです。"
)
LONG_TEXT = "\n".join(
    [
        "こんにちは、今日はいい天気ですね。",
        "散歩に行きましょう。",
        "明日も晴れるといいですね。",
        "駅の近くに新しい店ができました。",
    ]
    * 2
)


class EventProbe:
    """How long the GUI thread itself spends in one event (its CPU time, which other processes on the machine
    cannot inflate), per kind of work in flight: the part of a heartbeat gap the window is answerable for."""

    window = None
    depth = 0
    max_cpu_ms: dict[str, float] = {}

    @classmethod
    def app_class(cls):
        import threading
        import time

        from PySide6.QtWidgets import QApplication

        main = threading.get_ident()

        class ProbeApp(QApplication):
            def notify(self, receiver, event):
                if threading.get_ident() != main or cls.depth:
                    return super().notify(receiver, event)
                cls.depth += 1
                t0 = time.thread_time()
                try:
                    return super().notify(receiver, event)
                finally:
                    cls.depth -= 1
                    work = getattr(getattr(cls.window, "heartbeat", None), "work", None)
                    if work is not None:
                        ms = (time.thread_time() - t0) * 1000.0
                        if ms > cls.max_cpu_ms.get(work, 0.0):
                            cls.max_cpu_ms[work] = ms

        return ProbeApp


def wait_for(signal, timeout_ms: int = 120_000, trigger=None, check=None):
    """Run the event loop until `signal` fires (optionally with args passing `check`); returns its args."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    got: list = []

    def on(*args):
        if check is None or check(*args):
            got.append(args)
            loop.quit()

    signal.connect(on)
    QTimer.singleShot(timeout_ms, loop.quit)
    if trigger is not None:
        trigger()
    if not got:
        loop.exec()
    signal.disconnect(on)
    if not got:
        raise TimeoutError(f"no {signal} within {timeout_ms} ms")
    return got[0]


def settle(ms: int = 400) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def wait_idle(window, timeout_ms: int = 120_000) -> None:
    from PySide6.QtCore import QElapsedTimer

    clock = QElapsedTimer()
    clock.start()
    while (window.worker.busy or window.heartbeat.work is not None) and clock.elapsed() < timeout_ms:
        settle(50)


def make_window(
    tmp: Path, name: str, *, model: str | None, backends=None, faults=None, warmup: int = 1, stream: bool = False
):
    """`stream`: speak while synthesizing, on a software sound card that plays in real time (Xvfb has none)."""
    from sbv2_studio.audio.player import ClockedStream
    from sbv2_studio.runtime.backends import Fault, SessionConfig, SessionFactory
    from sbv2_studio.ui.main_window import MainWindow
    from sbv2_studio.ui.playback import Player
    from sbv2_studio.ui.settings import Settings
    from sbv2_studio.ui.worker import default_cpu_threads

    settings = Settings(tmp / f"{name}.ini")
    settings.model_id = model
    settings.set_int("warmup_on_load", warmup)
    settings.set_flag("stream", stream)
    if backends:
        settings.backends = backends
    settings.sync()
    factory_maker = None
    if faults:
        factory_maker = lambda: SessionFactory(
            SessionConfig(cpu_threads=default_cpu_threads()), faults=[Fault(**f) for f in faults]
        )
    extra = {}
    if stream:
        from tests.ui_helpers import FakeSoundDevice

        extra = {"player": Player(FakeSoundDevice(["Software clock (no sound card)"])),
                 "stream_factory": ClockedStream.factory(record=False)}  # fmt: skip
    window = MainWindow(settings, factory_maker=factory_maker, **extra)
    EventProbe.window = window
    window.resize(1280, 840)
    wait_for(window.worker.loaded, trigger=window.show)
    wait_idle(window)
    return window


def grab(widget, path: Path) -> None:
    settle(500)
    image = widget.grab().toImage()
    image.save(str(path), "PNG")
    print(f"wrote {path} ({path.stat().st_size // 1024} KB, {image.width()}x{image.height()})")


def speak(window, text: str | None = None) -> None:
    if text is not None:
        window.editor.setPlainText(text)
    wait_for(window.worker.resultReady, trigger=window.synthesize)


def screenshots(out: Path, tmp: Path) -> None:
    voice = str(tmp / "home" / "models" / "jp_extra")

    # 1. A fresh install: the built-in voice, after speaking, with the hint about SBV2 voices.
    w = make_window(tmp, "builtin", model=None)
    speak(w, TEXT)
    speak(w)
    wait_idle(w)
    grab(w, out / "main-builtin.png")
    w.close()

    # The fixture voice installed in the (throw-away) library from here on.
    shutil.copytree(FIXTURES / "jp_extra", voice)

    # 2. An SBV2 voice with the latency panel filled: a cold request first, then warm ones.
    w = make_window(tmp, "sbv2", model=voice, warmup=0)
    w.speaker_combo.setCurrentText("あみ")
    w.style_combo.setCurrentText("Happy")
    w.advanced_toggle.setChecked(True)
    w.assist_text.setText("楽しい一日")
    for i in range(6):
        speak(w, TEXT if i % 2 == 0 else TEXT.replace("\n", "\n今日は", 1))
    wait_idle(w)
    grab(w, out / "main-sbv2-latency.png")
    w.close()

    # 3. Compare backends, with CUDA emulated on the CPU by fault injection (never failing).
    w = make_window(tmp, "compare", model=voice, faults=[{"kind": "cuda", "at": "run", "nth": 10**9}])
    w.editor.setPlainText(TEXT)
    dialog = w.show_compare()
    dialog.resize(1100, 720)
    dialog.runs.setValue(5)
    dialog.warmup.setValue(2)
    wait_for(w.worker.compareDone, trigger=lambda: dialog.run_button.click(), timeout_ms=300_000)
    wait_idle(w)
    grab(dialog, out / "compare-backends.png")
    dialog.close()
    w.close()

    # 4. The fallback notice: BERT on an (emulated) CUDA device that is "removed" at its first run.
    w = make_window(
        tmp,
        "fallback",
        model=voice,
        backends={"bert": "cuda:0", "synthesize": "cpu:0"},
        warmup=0,
        faults=[{"kind": "cuda", "at": "run", "nth": 1}],
    )
    w.editor.setPlainText(TEXT)
    wait_for(w.worker.fallback, trigger=w.synthesize)
    wait_idle(w)
    grab(w, out / "fallback-notice.png")
    w.close()

    # 5. Streaming: speech starts while the rest is made; the chunk timeline shows when each chunk was made
    # (orange) and when it played (green), with the time to first audio dashed.
    w = make_window(tmp, "stream", model=voice, stream=True)
    w.editor.setPlainText(STREAM_TEXT)
    speak(w)
    wait_for(w.worker.streamDone, trigger=w.synthesize)
    wait_idle(w)
    grab(w, out / "streaming-timeline.png")
    w.close()


def heartbeat_rounds(tmp: Path, rounds: int) -> dict[str, list[float]]:
    """Per round: load the fixture voice, synthesize a long text 5 times, compare (All CPU, 5 runs)."""
    voice = str(tmp / "home" / "models" / "jp_extra")
    if not Path(voice).exists():
        shutil.copytree(FIXTURES / "jp_extra", voice)
    seen: dict[str, list[float]] = {"idle": [], "load": [], "synth": [], "compare": []}
    cpu: dict[str, list[float]] = {}
    for r in range(rounds):
        EventProbe.max_cpu_ms = {}
        # A harmless emulated kind: fault injection keeps the voice out of any voice cache, so every load is real.
        w = make_window(tmp, f"hb{r}", model=voice, warmup=1, faults=[{"kind": "cuda", "at": "run", "nth": 10**9}])
        # The noise floor: the same heartbeat with nothing in flight for 3 s (what the machine itself adds).
        w.heartbeat.set_work("idle")
        settle(3000)
        w.heartbeat.set_work(None)
        w.editor.setPlainText(LONG_TEXT)
        for _ in range(5):
            speak(w)
        wait_idle(w)
        from PySide6.QtCore import Qt

        dialog = w.show_compare()
        for i in range(1, dialog.config_list.count()):
            dialog.config_list.item(i).setCheckState(Qt.CheckState.Unchecked)
        settle(300)
        wait_idle(w)
        wait_for(w.worker.compareDone, trigger=lambda w=w, dialog=dialog: w.run_compare(dialog.checked_configs(), 5, 1))
        wait_idle(w)
        gaps = dict(w.heartbeat.max_by_work)
        over = {k: sum(g >= 50 for g in v) for k, v in w.heartbeat.long_gaps.items()}
        print(
            f"round {r + 1}: max gap "
            + ", ".join(f"{k} {v:.1f}" for k, v in sorted(gaps.items()))
            + f" ms; gaps >= 50 ms: {over or 'none'} of {w.heartbeat.ticks} ticks; longest GUI event (CPU) "
            + ", ".join(f"{k} {v:.1f}" for k, v in sorted(EventProbe.max_cpu_ms.items()))
            + " ms",
            flush=True,
        )
        for k in seen:
            seen[k].append(gaps.get(k, float("nan")))
            cpu.setdefault(k, []).append(EventProbe.max_cpu_ms.get(k, float("nan")))
        EventProbe.max_cpu_ms = {}
        dialog.close()
        w.close()
    for k, values in cpu.items():
        print(f"longest GUI event (CPU) while {k}: max {max(values):.1f} ms, rounds {[round(v, 1) for v in values]}")
    return seen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--heartbeat-only", action="store_true", help="only measure the UI's longest pauses")
    parser.add_argument("--rounds", type=int, default=3, help="heartbeat rounds (load, 5 syntheses, compare)")
    args = parser.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="sbv2-shots-"))
    (tmp / "home").mkdir()
    os.environ["SBV2_STUDIO_HOME"] = str(tmp / "home")
    os.environ["SBV2_STUDIO_BERT"] = str(FIXTURES / "bert")
    os.environ.pop("SBV2_STUDIO_FAULT", None)
    from sbv2_studio import offload

    offload.enable()  # as the app does (ui.app): conversions in a child, so the heartbeat measures what a person gets

    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or EventProbe.app_class()([sys.argv[0]])
    app.setApplicationName("SBV2 Studio")
    from sbv2_studio.ui.app import _preload
    from sbv2_studio.ui.i18n import install_language

    # English unless SBV2_STUDIO_LANG asks for another (SBV2_STUDIO_LANG=ja for the Japanese screenshots).
    translation = install_language(app, "en")
    print(f"Language: {translation.language}")
    _preload()
    print(f"Qt platform: {app.platformName()}")
    try:
        if not args.heartbeat_only:
            out = Path(args.out)
            out.mkdir(parents=True, exist_ok=True)
            screenshots(out, tmp)
        if args.heartbeat_only or args.rounds:
            seen = heartbeat_rounds(tmp, args.rounds)
            for k, values in seen.items():
                print(
                    f"{k}: max {max(values):.1f} ms, median of rounds {statistics.median(values):.1f} ms, "
                    f"rounds {[round(v, 1) for v in values]}"
                )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
