"""The self-test a frozen build must pass (the packaging smoke test runs it): the built-in voice speaks into a
checked WAV, onnxruntime runs a CPU session with its on-disk cache, and the user folders lie outside the install
folder. Prints one JSON line; exit code 0 or 1."""

from __future__ import annotations

import json
import sys
from pathlib import Path

SELF_TEST_TEXT = "こんにちは。これは音声合成のセルフテストです。"


def _process_age_ms() -> float | None:
    """Milliseconds since this process started (a frozen app's bootloader included), where the OS tells."""
    import os

    try:
        if sys.platform == "win32":
            import ctypes
            from ctypes import wintypes

            k32 = ctypes.WinDLL("kernel32", use_last_error=True)
            k32.GetCurrentProcess.restype = wintypes.HANDLE
            k32.GetProcessTimes.argtypes = [wintypes.HANDLE] + [ctypes.POINTER(wintypes.FILETIME)] * 4
            k32.GetSystemTimePreciseAsFileTime.argtypes = [ctypes.POINTER(wintypes.FILETIME)]
            created, exited, kernel, user, now = (wintypes.FILETIME() for _ in range(5))
            if not k32.GetProcessTimes(k32.GetCurrentProcess(), created, exited, kernel, user):
                return None
            k32.GetSystemTimePreciseAsFileTime(now)

            def ticks(ft) -> int:  # 100 ns units since 1601
                return (ft.dwHighDateTime << 32) | ft.dwLowDateTime

            return round((ticks(now) - ticks(created)) / 1e4, 1)
        if sys.platform.startswith("linux"):
            # Field 22 of /proc/self/stat (the 20th after the command name) is the start, in clock ticks since boot.
            start = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19])
            uptime = float(Path("/proc/uptime").read_text().split()[0])
            return round((uptime - start / os.sysconf("SC_CLK_TCK")) * 1000.0, 1)
    except Exception:
        return None
    return None


def _install_dir() -> Path | None:
    """The folder a frozen app was installed into (its executable's folder); None when running from source."""
    if not getattr(sys, "frozen", False):
        return None
    return Path(sys.executable).resolve().parent


def run_self_test(output: str | None = None, require_provider: list[str] | None = None) -> int:
    """Synthesize a fixed sentence with the built-in voice, write and check the WAV, run an onnxruntime CPU session,
    check the user folders; print one JSON line and exit 0. On any failure: the reason on stderr, exit 1."""
    import os
    import tempfile
    import time

    t_start = time.perf_counter()
    timings: dict[str, float] = {}
    report: dict = {"ok": False, "text": SELF_TEST_TEXT, "frozen": bool(getattr(sys, "frozen", False))}

    def lap(name: str, t0: float) -> float:
        now = time.perf_counter()
        timings[name] = round((now - t0) * 1000.0, 1)
        return now

    def fail(message: str) -> int:
        report["error"] = message
        report["timings_ms"] = timings
        print(json.dumps(report, ensure_ascii=True))  # ASCII: safe on any console code page
        print(f"self-test FAILED: {message}", file=sys.stderr)
        return 1

    try:
        t = time.perf_counter()
        import numpy as np
        import onnxruntime as ort
        import soundfile as sf

        from .. import __version__
        from ..models.library import BUILTIN_ID, cache_dir, data_dir
        from ..runtime.backends import CPU, PROVIDERS, SessionConfig, SessionFactory, probe_graph
        from .voices import open_voice

        report["version"] = __version__
        t = lap("import", t)

        # onnxruntime: a real CPU session on the probe graph, whose optimized form is written to and read back from
        # the user's cache folder (missing ORT libraries in a frozen app, or a cache path ORT cannot open, fail here).
        providers = ort.get_available_providers()
        report["onnxruntime"] = {"version": ort.__version__, "providers": providers}
        for kind in require_provider or []:
            if kind not in PROVIDERS:
                return fail(f"unknown backend '{kind}' (choose from {', '.join(PROVIDERS)})")
            if PROVIDERS[kind] not in providers:
                return fail(f"onnxruntime {ort.__version__} does not offer {PROVIDERS[kind]} (offers {providers})")
        factory = SessionFactory(SessionConfig(cache_dir=cache_dir() / "self-test"), faults=[])
        factory.config.cache_dir.mkdir(parents=True, exist_ok=True)
        graph = probe_graph()
        x = np.arange(4, dtype=np.float32).reshape(1, 4)
        for _ in range(2):  # the first session writes the optimized graph, the second loads it from the cache
            session = factory.create(graph, CPU, "self-test")
            (y,) = session.run(None, {"x": x})
            if not np.array_equal(y, x + x):
                return fail(f"onnxruntime CPU session computed {y.tolist()} for x + x")
        report["onnxruntime"]["ran_on"] = session.ran_on
        t = lap("onnxruntime", t)

        # Models, caches and settings go to the user's folders, never into the install folder.
        folders = {"data_dir": data_dir(), "cache_dir": cache_dir()}
        report.update({k: str(v) for k, v in folders.items()})
        install = _install_dir()
        if install is not None:
            report["install_dir"] = str(install)
            for name, folder in folders.items():
                resolved = folder.resolve()
                if resolved == install or install in resolved.parents:
                    return fail(f"{name} {folder} is inside the install folder {install}")
        folders["data_dir"].mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folders["data_dir"], prefix=".self-test-") as probe:
            probe.write(b"ok")

        # The built-in voice, the WAV, and its check.
        voice = open_voice(BUILTIN_ID)
        t = lap("open_voice", t)
        result = voice.synthesize(SELF_TEST_TEXT)
        t = lap("synthesize", t)
        if output:
            out = Path(output)
        else:
            fd, name = tempfile.mkstemp(prefix="sbv2-self-test-", suffix=".wav")
            os.close(fd)
            out = Path(name)
        out = result.save(out)
        t = lap("save", t)
        report["process_ms_to_audio"] = _process_age_ms()
        report["wav"] = str(out.resolve())

        data, sr = sf.read(str(out), dtype="float32", always_2d=False)
        seconds = len(data) / sr if sr else 0.0
        peak = float(np.max(np.abs(data))) if len(data) else 0.0
        rms = float(np.sqrt(np.mean(np.square(data, dtype=np.float64)))) if len(data) else 0.0
        report.update(voice=voice.label, sample_rate=sr, seconds=round(seconds, 3), peak=round(peak, 4))
        report.update(rms=round(rms, 4), stages_ms={k: round(v, 1) for k, v in result.timings_ms.items()})
        if sr != voice.sample_rate or sr != result.sample_rate:
            return fail(f"{out}: sample rate {sr} Hz, expected {voice.sample_rate} Hz")
        if not 0.5 <= seconds <= 30.0:
            return fail(f"{out}: {seconds:.2f} s of audio for a short sentence")
        if peak < 0.1 or rms < 0.005:
            return fail(f"{out}: the audio is (nearly) silent (peak {peak:.4f}, RMS {rms:.4f})")
        t = lap("check", t)

        # PortAudio (playback): bundled on Windows and macOS; the system's libportaudio2 on Linux.
        try:
            import sounddevice

            report["portaudio"] = sounddevice.get_portaudio_version()[1]
        except Exception as exc:
            report["portaudio"] = f"unavailable: {exc}"
            if report["frozen"] and sys.platform in ("win32", "darwin"):
                return fail(f"PortAudio did not load in the frozen app: {exc}")
        lap("portaudio", t)
    except Exception as exc:
        import traceback

        traceback.print_exc()
        return fail(f"{type(exc).__name__}: {exc}")
    timings["total"] = round((time.perf_counter() - t_start) * 1000.0, 1)
    report["timings_ms"] = timings
    report["ok"] = True
    print(json.dumps(report, ensure_ascii=True))  # ASCII: safe on any console code page
    return 0
