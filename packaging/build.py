"""Build the frozen SBV2 Studio into dist/sbv2-studio/ (PyInstaller, one folder), check it, smoke-test it, and on
Windows optionally make the installer.

    python packaging/build.py                     # build + check + self-test of the frozen app
    python packaging/build.py --flavour directml  # say which onnxruntime flavour you mean (checked)
    python packaging/build.py --installer         # Windows: also run Inno Setup (ISCC) -> dist/installer/

Run it from the project's virtual environment with the app installed (`pip install -e .`) and PyInstaller
(`pip install pyinstaller`). Exactly one onnxruntime distribution may be installed, because onnxruntime,
onnxruntime-directml and onnxruntime-gpu install into the same `onnxruntime` package and overwrite each other:

    flavour   onnxruntime package     backends in the frozen app
    cpu       onnxruntime             CPU                     (Linux/macOS default)
    directml  onnxruntime-directml    CPU + DirectML          (Windows default)
    cuda      onnxruntime-gpu         CPU + CUDA (+TensorRT)  (CUDA 13 / cuDNN 9 from the system for onnxruntime-gpu
                                                              >= 1.27; pin onnxruntime-gpu<1.27 for CUDA 12)
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import make_assets  # noqa: E402  (beside this file: importable once HERE is on the path)

NAME = "sbv2-studio"
DIST = ROOT / "dist"
APP_DIR = DIST / NAME
WORK = ROOT / "build" / "pyinstaller"
SMOKE = ROOT / "build" / "smoke"
IS_WIN = sys.platform == "win32"

FLAVOURS = {"cpu": "onnxruntime", "directml": "onnxruntime-directml", "cuda": "onnxruntime-gpu"}
PROVIDER_OF_FLAVOUR = {"cpu": None, "directml": "dml", "cuda": "cuda"}

# What must be in the frozen app (globs under dist/sbv2-studio/_internal), per platform and flavour.
REQUIRED_COMMON = [
    "pyopenjtalk/dictionary/sys.dic",
    "pyopenjtalk/dictionary/matrix.bin",
    "pyopenjtalk/dictionary/char.bin",
    "pyopenjtalk/dictionary/unk.dic",
    "pyopenjtalk/htsvoice/mei_normal.htsvoice",
    "pyopenjtalk/yomi_model/*.onnx",
    "sudachidict_core/resources/system.dic",
    "sudachipy/resources/sudachi.json",
    "_soundfile_data/*sndfile*",
    "onnx-*.dist-info/METADATA",
]
REQUIRED = {
    "win32": [
        "onnxruntime/capi/onnxruntime_pybind11_state*.pyd",
        "_sounddevice_data/portaudio-binaries/libportaudio*.dll",
        "PySide6/plugins/platforms/qwindows.dll",
    ],
    "linux": [
        "onnxruntime/capi/onnxruntime_pybind11_state*.so",
        "onnxruntime/capi/libonnxruntime_providers_shared.so",
        "PySide6/Qt/plugins/platforms/libqxcb.so",
    ],
    "darwin": [
        "onnxruntime/capi/onnxruntime_pybind11_state*.so",
        "_sounddevice_data/portaudio-binaries/libportaudio*.dylib",
        "PySide6/Qt/plugins/platforms/libqcocoa.dylib",
    ],
}
REQUIRED_FLAVOUR = {
    "directml": ["onnxruntime/capi/DirectML.dll"],
    "cuda": ["onnxruntime/capi/*onnxruntime_providers_cuda*", "onnxruntime/capi/*onnxruntime_providers_shared*"],
}
# What must never be in it: the AGPL reference, torch and the rest of the test-only stack, tests and tools.
# (safetensors is shipped: the app reads .safetensors voices with it, through safetensors.numpy, no torch.)
FORBIDDEN = [
    "torch", "torch-*", "style_bert_vits2", "transformers", "tokenizers", "numba", "llvmlite",
    "sympy", "onnxsim", "tests", "tools", "pytest", "_pytest", "tkinter", "matplotlib",
]  # fmt: skip


def log(message: str) -> None:
    print(f"[build] {message}", flush=True)


def installed_onnxruntimes() -> dict[str, str]:
    found = {}
    for flavour, dist in FLAVOURS.items():
        try:
            found[flavour] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            pass
    return found


def pick_flavour(requested: str) -> tuple[str, str]:
    found = installed_onnxruntimes()
    if len(found) != 1:
        have = ", ".join(f"{FLAVOURS[f]} {v}" for f, v in found.items()) or "none"
        raise SystemExit(
            f"exactly one onnxruntime package must be installed (they overwrite each other); found: {have}.\n"
            "  e.g. pip uninstall -y onnxruntime onnxruntime-gpu onnxruntime-directml && "
            "pip install onnxruntime-directml"
        )
    flavour, version = next(iter(found.items()))
    if requested != "auto" and requested != flavour:
        raise SystemExit(
            f"--flavour {requested} needs {FLAVOURS[requested]}, but {FLAVOURS[flavour]} {version} is installed:\n"
            f"  pip uninstall -y {FLAVOURS[flavour]} && pip install {FLAVOURS[requested]}"
        )
    return flavour, version


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def snapshot(path: Path) -> dict[str, tuple[int, int]]:
    return {str(f.relative_to(path)): (f.stat().st_size, f.stat().st_mtime_ns) for f in path.rglob("*")}


def run_pyinstaller(flavour: str, clean: bool) -> None:
    cmd = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN"]
    cmd += ["--distpath", str(DIST), "--workpath", str(WORK)]
    if clean:
        cmd.append("--clean")
    cmd.append(str(HERE / "sbv2_studio.spec"))
    log(" ".join(cmd))
    env = {**os.environ, "SBV2_FLAVOUR": flavour}
    subprocess.run(cmd, check=True, cwd=ROOT, env=env)


def check_bundle(flavour: str) -> list[str]:
    """Problems with dist/sbv2-studio: required files missing, forbidden packages present."""
    internal = APP_DIR / "_internal"
    problems = []
    platform_key = "linux" if sys.platform.startswith("linux") else sys.platform
    for pattern in REQUIRED_COMMON + REQUIRED.get(platform_key, []) + REQUIRED_FLAVOUR.get(flavour, []):
        if not list(internal.glob(pattern)):
            problems.append(f"missing: _internal/{pattern}")
    for name in FORBIDDEN:
        for hit in internal.glob(name):
            problems.append(f"must not be shipped: {hit.relative_to(APP_DIR)}")
    if sys.platform.startswith("linux"):
        for hit in internal.glob("libportaudio*"):
            problems.append(f"Linux uses the system PortAudio, but it was bundled: {hit.name}")
    executables = [APP_DIR / (f"{NAME}.exe" if IS_WIN else NAME)]
    if IS_WIN:
        executables.append(APP_DIR / f"{NAME}-cli.exe")
    problems += [f"missing executable: {exe.name}" for exe in executables if not exe.is_file()]
    return problems


def smoke_test(flavour: str) -> dict:
    """Run the frozen self-test with the user's folders under a Japanese-named path; check the install folder
    is left untouched."""
    exe = APP_DIR / (f"{NAME}-cli.exe" if IS_WIN else NAME)
    base = SMOKE / "日本語ユーザー"
    shutil.rmtree(base, ignore_errors=True)
    base.mkdir(parents=True)
    out = base / "出力.wav"
    cmd = [str(exe), "self-test", "-o", str(out)]
    if PROVIDER_OF_FLAVOUR[flavour]:
        cmd += ["--require-provider", PROVIDER_OF_FLAVOUR[flavour]]
    env = {**os.environ, "SBV2_STUDIO_HOME": str(base / "home"), "TMP": str(base), "TEMP": str(base)}
    before = snapshot(APP_DIR)
    log(" ".join(cmd))
    started = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, env=env, timeout=600, check=False)
    wall_ms = (time.perf_counter() - started) * 1000.0
    stdout = proc.stdout.decode("utf-8", "replace").strip()
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr.decode("utf-8", "replace"))
        raise SystemExit(f"frozen self-test failed (exit {proc.returncode}): {stdout[-2000:]}")
    report = json.loads(stdout.splitlines()[-1])
    report["wall_ms"] = round(wall_ms, 1)
    changed = {k for k, v in snapshot(APP_DIR).items() if before.get(k) != v}
    if changed:
        raise SystemExit(f"the frozen app wrote into its install folder: {sorted(changed)[:10]}")
    return report


def find_iscc() -> str | None:
    for candidate in (
        shutil.which("iscc"),
        shutil.which("ISCC"),
        os.path.expandvars(r"%ProgramFiles(x86)%\Inno Setup 6\ISCC.exe"),
        os.path.expandvars(r"%ProgramFiles%\Inno Setup 6\ISCC.exe"),
        os.path.expandvars(r"%LOCALAPPDATA%\Programs\Inno Setup 6\ISCC.exe"),
    ):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def build_installer(flavour: str) -> Path:
    iscc = find_iscc()
    if iscc is None:
        raise SystemExit("Inno Setup 6 (ISCC.exe) not found: `choco install innosetup` or https://jrsoftware.org")
    version = make_assets.package_version()
    out_dir = DIST / "installer"
    cmd = [
        iscc,
        f"/DAppVersion={version}",
        "/DAppVersionNumeric=" + ".".join(map(str, make_assets.numeric_version(version))),
        f"/DFlavour={flavour}",
        f"/DSourceDir={APP_DIR}",
        f"/DIconFile={HERE / 'icons' / 'sbv2-studio.ico'}",
        f"/O{out_dir}",
        str(HERE / "windows" / "sbv2-studio.iss"),
    ]
    log(" ".join(cmd))
    subprocess.run(cmd, check=True, cwd=ROOT)
    suffix = {"directml": "", "cuda": "-cuda", "cpu": "-cpu"}[flavour]
    return out_dir / f"SBV2-Studio-{version}{suffix}-setup.exe"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--flavour", choices=("auto", *FLAVOURS), default="auto", help="onnxruntime flavour")
    parser.add_argument("--clean", action="store_true", help="clear PyInstaller's cache first")
    parser.add_argument("--no-smoke", action="store_true", help="skip the frozen self-test")
    parser.add_argument("--no-build", action="store_true", help="check and smoke-test the existing dist/ only")
    parser.add_argument("--installer", action="store_true", help="Windows: also build the Inno Setup installer")
    args = parser.parse_args(argv)
    for stream in (sys.stdout, sys.stderr):  # Japanese paths in the log must not crash a cp1252/cp932 console
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")

    flavour, ort_version = pick_flavour(args.flavour)
    log(f"flavour {flavour} ({FLAVOURS[flavour]} {ort_version}), Python {sys.version.split()[0]}, {sys.platform}")
    png, ico = make_assets.write_icons()
    info = make_assets.write_version_info()
    log(f"assets: {info.name}, {png.name}, {ico.name} (version {make_assets.package_version()})")

    if not args.no_build:
        started = time.perf_counter()
        run_pyinstaller(flavour, args.clean)
        log(f"PyInstaller done in {time.perf_counter() - started:.0f} s")

    problems = check_bundle(flavour)
    if problems:
        for p in problems:
            log(p)
        raise SystemExit("the frozen app is incomplete or carries what it must not")
    summary = {"flavour": flavour, "onnxruntime": ort_version, "app_dir": str(APP_DIR)}
    summary["size_mb"] = round(folder_size(APP_DIR) / 1e6, 1)
    log(f"bundle check passed; {APP_DIR} is {summary['size_mb']} MB")

    if not args.no_smoke:
        report = smoke_test(flavour)
        summary["self_test"] = {
            k: report.get(k) for k in ("wav", "sample_rate", "seconds", "wall_ms", "process_ms_to_audio", "portaudio")
        }
        summary["self_test"]["providers"] = report["onnxruntime"]["providers"]
        log(f"frozen self-test passed: {json.dumps(summary['self_test'], ensure_ascii=False)}")

    if args.installer:
        if not IS_WIN:
            raise SystemExit("--installer needs Windows (Inno Setup)")
        summary["installer"] = str(build_installer(flavour))
        log(f"installer: {summary['installer']}")

    (ROOT / "build").mkdir(exist_ok=True)
    (ROOT / "build" / "build-summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2), "utf-8")
    print(json.dumps(summary, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
