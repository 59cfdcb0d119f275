"""Cold-start timings of the frozen app: launch -> main window visible, and launch -> first audio (the self-test's
WAV written). Medians over several runs, each a first launch (fresh settings and data folder under a Japanese-named
temporary folder).

    xvfb-run -a -s "-screen 0 1400x900x24" python packaging/measure_startup.py --runs 5 --drop-caches \
        --screenshot build/smoke/window.png                                   # Linux (needs xdotool; root for caches)
    python packaging/measure_startup.py --runs 5                               # Windows (a desktop session)

--drop-caches (Linux, root) empties the page cache before every launch: a true cold start, as after a reboot.
Without it the app's files stay cached between runs (a warm start, as on a second launch).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP_DIR = ROOT / "dist" / "sbv2-studio"
IS_WIN = sys.platform == "win32"
TITLE = "SBV2 Studio"


def drop_caches() -> None:
    subprocess.run(["sync"], check=False)
    Path("/proc/sys/vm/drop_caches").write_text("3\n")


def fresh_env(base: Path) -> dict[str, str]:
    home = base / "日本語ユーザー"
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    return {
        **os.environ,
        "SBV2_STUDIO_HOME": str(home / "data"),
        "SBV2_STUDIO_SETTINGS": str(home / "settings.ini"),
    }


def _x11_window_visible() -> bool:
    proc = subprocess.run(
        ["xdotool", "search", "--onlyvisible", "--name", f"^{TITLE}"], capture_output=True, check=False
    )
    return proc.returncode == 0 and bool(proc.stdout.strip())


def _win_window_visible(pid: int) -> bool:
    import ctypes
    from ctypes import wintypes

    user32 = ctypes.windll.user32
    found = []

    @ctypes.WINFUNCTYPE(wintypes.BOOL, wintypes.HWND, wintypes.LPARAM)
    def callback(hwnd, _):
        owner = wintypes.DWORD()
        user32.GetWindowThreadProcessId(hwnd, ctypes.byref(owner))
        if owner.value == pid and user32.IsWindowVisible(hwnd):
            buf = ctypes.create_unicode_buffer(256)
            user32.GetWindowTextW(hwnd, buf, 256)
            if buf.value.startswith(TITLE):
                found.append(hwnd)
        return True

    user32.EnumWindows(callback, 0)
    return bool(found)


def time_to_window(app: Path, base: Path, cold: bool, screenshot: Path | None, timeout: float = 120.0) -> float:
    env = fresh_env(base)
    if cold:
        drop_caches()
    started = time.perf_counter()
    proc = subprocess.Popen([str(app)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            visible = _win_window_visible(proc.pid) if IS_WIN else _x11_window_visible()
            elapsed = time.perf_counter() - started
            if visible:
                break
            if proc.poll() is not None:
                raise SystemExit(f"the app exited with {proc.returncode} before showing its window")
            if elapsed > timeout:
                raise SystemExit(f"no window after {timeout:.0f} s")
            time.sleep(0.01)
        if screenshot is not None and not IS_WIN:
            time.sleep(4.0)  # let the first paint, the voice load and the warm-up finish
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            subprocess.run(["import", "-window", "root", str(screenshot)], check=True)
        return elapsed * 1000.0
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def time_to_audio(cli: Path, base: Path, cold: bool) -> tuple[float, float | None]:
    env = fresh_env(base)
    out = Path(env["SBV2_STUDIO_HOME"]).parent / "最初の音声.wav"
    if cold:
        drop_caches()
    started = time.perf_counter()
    proc = subprocess.run([str(cli), "self-test", "-o", str(out)], env=env, capture_output=True, check=False)
    wall = (time.perf_counter() - started) * 1000.0
    if proc.returncode != 0:
        raise SystemExit(f"self-test failed: {proc.stderr.decode('utf-8', 'replace')[-2000:]}")
    report = json.loads(proc.stdout.decode("ascii").strip().splitlines()[-1])
    return wall, report.get("process_ms_to_audio")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--app-dir", type=Path, default=APP_DIR)
    parser.add_argument("--drop-caches", action="store_true", help="Linux/root: empty the page cache before each run")
    parser.add_argument("--screenshot", type=Path, help="Linux: screenshot of the screen after the last window run")
    parser.add_argument("--no-window", action="store_true", help="only time the first audio")
    args = parser.parse_args()

    app = args.app_dir / ("sbv2-studio.exe" if IS_WIN else "sbv2-studio")
    cli = args.app_dir / ("sbv2-studio-cli.exe" if IS_WIN else "sbv2-studio")
    base = Path(tempfile.mkdtemp(prefix="sbv2-measure-"))
    results: dict = {"runs": args.runs, "page_cache_dropped": args.drop_caches}
    try:
        if not args.no_window:
            windows = []
            for i in range(args.runs):
                shot = args.screenshot if i == args.runs - 1 else None
                windows.append(time_to_window(app, base, args.drop_caches, shot))
                print(f"window run {i + 1}: {windows[-1]:.0f} ms", file=sys.stderr)
            results["window_ms"] = [round(v) for v in windows]
            results["window_ms_median"] = round(statistics.median(windows))
        walls, process = [], []
        for i in range(args.runs):
            wall, proc_ms = time_to_audio(cli, base, args.drop_caches)
            walls.append(wall)
            if proc_ms is not None:
                process.append(proc_ms)
            print(f"audio run {i + 1}: {wall:.0f} ms (process clock {proc_ms} ms)", file=sys.stderr)
        results["first_audio_ms"] = [round(v) for v in walls]
        results["first_audio_ms_median"] = round(statistics.median(walls))
        if process:
            results["first_audio_process_ms_median"] = round(statistics.median(process))
    finally:
        shutil.rmtree(base, ignore_errors=True)
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
