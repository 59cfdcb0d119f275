"""`sbv2-studio self-test`, run as a subprocess the way the packaging smoke test runs the frozen app.

Set SBV2_STUDIO_FROZEN to a frozen executable (e.g. dist/sbv2-studio/sbv2-studio) to run the same checks on it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import soundfile as sf

ROOT = Path(__file__).resolve().parents[2]
JAPANESE = "日本語ユーザー"


def self_test(*args: str, home: Path) -> subprocess.CompletedProcess:
    frozen = os.environ.get("SBV2_STUDIO_FROZEN")
    command = [frozen] if frozen else [sys.executable, "-m", "sbv2_studio"]
    env = {**os.environ, "SBV2_STUDIO_HOME": str(home)}
    return subprocess.run(
        [*command, "self-test", *args], capture_output=True, timeout=300, env=env, cwd=ROOT, check=False
    )


def last_json_line(proc: subprocess.CompletedProcess) -> dict:
    lines = proc.stdout.decode("ascii").strip().splitlines()  # the report is ASCII-only JSON, one line
    assert lines, proc.stderr.decode("utf-8", "replace")
    return json.loads(lines[-1])


def test_self_test_writes_a_checked_wav_under_a_japanese_path(tmp_path):
    base = tmp_path / JAPANESE
    out = base / "出力" / "self-test.wav"
    proc = self_test("-o", str(out), home=base / "home")
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    report = last_json_line(proc)
    assert report["ok"] is True and "error" not in report
    assert Path(report["wav"]) == out.resolve() and out.is_file()
    assert report["data_dir"] == str(base / "home") and report["cache_dir"] == str(base / "home" / "cache")
    assert report["onnxruntime"]["ran_on"] == "CPU" and "CPUExecutionProvider" in report["onnxruntime"]["providers"]
    # The onnxruntime check wrote its optimized graph into the (Japanese-named) cache folder.
    assert list((base / "home" / "cache" / "self-test").glob("*.ort.onnx"))
    for stage in ("import", "onnxruntime", "open_voice", "synthesize", "save", "check", "total"):
        assert report["timings_ms"][stage] >= 0
    assert set(report["stages_ms"]) == {"frontend", "synthesize", "postprocess"}
    data, sr = sf.read(out, dtype="float32")
    assert sr == report["sample_rate"] == 48000 and sf.info(out).subtype == "PCM_16"
    assert 1.0 < len(data) / sr < 15.0 and np.abs(data).max() > 0.5 and np.sqrt(np.mean(data**2)) > 0.01


def test_self_test_defaults_to_a_temporary_wav(tmp_path):
    proc = self_test(home=tmp_path / "home")
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    wav = Path(last_json_line(proc)["wav"])
    try:
        assert wav.is_file() and wav.name.startswith("sbv2-self-test-") and wav.suffix == ".wav"
        assert sf.info(wav).samplerate == 48000
    finally:
        wav.unlink(missing_ok=True)


def test_self_test_fails_with_a_message_when_a_required_backend_is_missing(tmp_path):
    missing = "coreml" if sys.platform != "darwin" else "dml"  # never offered on this platform
    proc = self_test("-o", str(tmp_path / "x.wav"), "--require-provider", missing, home=tmp_path / "home")
    assert proc.returncode == 1
    err = proc.stderr.decode("utf-8", "replace")
    assert "self-test FAILED" in err and "does not offer" in err and "Traceback" not in err
    report = last_json_line(proc)
    assert report["ok"] is False and "does not offer" in report["error"]
    assert not (tmp_path / "x.wav").exists()
