"""Importing safetensors voices (config.json + checkpoints + style_vectors.npy): the newest step by default or a
chosen one, converted into an ordinary ONNX voice folder, nothing left behind when it is refused."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import numpy as np
import onnxruntime as ort
import pytest

from sbv2_studio.errors import ModelError, StudioError
from sbv2_studio.models.formats import load_voice_model
from sbv2_studio.models.library import Library
from sbv2_studio.models.safetensors_voice import CONVERSION_RECORD, checkpoint_step, find_safetensors_voice

from ..conftest import FIXTURES

CHECKPOINT = FIXTURES / "reference" / "jp_extra.safetensors"


def _voice_folder(tmp_path, arch="jp_extra", steps=(100, 2000, 900)):
    folder = tmp_path / "src" / "myvoice"
    folder.mkdir(parents=True)
    for name in ("config.json", "style_vectors.npy"):
        shutil.copy(FIXTURES / arch / name, folder / name)
    for i, step in enumerate(steps):
        shutil.copy(FIXTURES / "reference" / f"{arch}.safetensors", folder / f"myvoice_e{i + 1}_s{step}.safetensors")
    return folder


def _library_contents(library):
    return sorted(p.name for p in library.models_dir.iterdir()) if library.models_dir.exists() else []


def _feeds(jp_extra: bool):
    t = 21
    ids = np.zeros((1, t), np.int64)
    ids[0, 1::2] = np.arange(5, 15)
    feeds = {
        "x_tst": ids, "x_tst_lengths": np.array([t]), "sid": np.array([1]), "tones": np.zeros_like(ids),
        "language": np.ones_like(ids), "style_vec": np.load(FIXTURES / "jp_extra" / "style_vectors.npy")[:1],
        "length_scale": np.array(1.0, np.float32), "sdp_ratio": np.array(0.0, np.float32),
        "noise_scale": np.array(0.0, np.float32), "noise_scale_w": np.array(0.0, np.float32),
    }  # fmt: skip
    bert = np.random.default_rng(3).normal(0, 0.5, (1, 1024, t)).astype(np.float32)
    if jp_extra:
        feeds["bert"] = bert
    else:
        feeds.update(bert=np.zeros_like(bert), ja_bert=bert, en_bert=np.zeros_like(bert))
    return feeds


def test_checkpoint_steps():
    from pathlib import Path

    assert checkpoint_step(Path("a_e10_s1200.safetensors")) == 1200
    assert checkpoint_step(Path("G_500.safetensors")) == 500
    assert checkpoint_step(Path("voice.safetensors")) is None


@pytest.mark.parametrize("arch", ["jp_extra", "legacy"])
def test_folder_import_converts_the_newest_checkpoint_into_an_onnx_voice(tmp_path, arch):
    folder = _voice_folder(tmp_path, arch)
    before = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    library = Library(home=tmp_path / "home")
    progress = []
    entry = library.import_model(folder, progress=lambda f, what: progress.append(f))

    assert entry.valid and entry.path == library.models_dir / "myvoice" and entry.kind == "sbv2"
    model = load_voice_model(entry.path)
    assert model.onnx_path.name == "myvoice_e2_s2000.onnx"  # the highest step, not the last epoch or file
    assert (
        model.speakers == {"あみ": 0, "Taro": 1}
        and model.version == json.loads((folder / "config.json").read_text(encoding="utf-8"))["version"]
    )
    record = json.loads((entry.path / CONVERSION_RECORD).read_text(encoding="utf-8"))
    assert record["converted_from"] == "myvoice_e2_s2000.safetensors" and len(record["checkpoints"]) == 3
    assert progress == sorted(progress) and progress[-1] == 1.0
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == before  # the source is only read
    assert _library_contents(library) == ["myvoice"]  # no staging folder left

    # the converted voice speaks like the official export of the same weights
    official = next((FIXTURES / arch).glob("*.onnx"))
    feeds = _feeds(arch == "jp_extra")
    ours = ort.InferenceSession(str(model.onnx_path), providers=["CPUExecutionProvider"]).run(["output"], feeds)[0]
    theirs = ort.InferenceSession(str(official), providers=["CPUExecutionProvider"]).run(None, feeds)[0]
    assert ours.shape == theirs.shape and float(np.abs(ours - theirs).max()) < 1e-4


def test_a_chosen_checkpoint_or_file_is_converted(tmp_path):
    folder = _voice_folder(tmp_path)
    voice = find_safetensors_voice(folder)
    assert [p.name for p in voice.checkpoints] == [
        "myvoice_e2_s2000.safetensors", "myvoice_e3_s900.safetensors", "myvoice_e1_s100.safetensors"
    ]  # fmt: skip
    library = Library(home=tmp_path / "home")
    entry = library.import_model(folder, checkpoint="myvoice_e1_s100.safetensors")
    assert load_voice_model(entry.path).onnx_path.name == "myvoice_e1_s100.onnx"
    with pytest.raises(StudioError, match="no checkpoint named nope.safetensors"):
        library.import_model(folder, checkpoint="nope.safetensors")
    with pytest.raises(StudioError, match="already in the library"):  # refused before converting anything
        library.import_model(folder / "myvoice_e3_s900.safetensors")
    assert (
        find_safetensors_voice(folder / "myvoice_e3_s900.safetensors").checkpoint.name == "myvoice_e3_s900.safetensors"
    )


@pytest.mark.parametrize(
    "damage, match",
    [
        (lambda f: (f / "style_vectors.npy").unlink(), r"style_vectors\.npy: missing"),
        (
            lambda f: (f / "myvoice_e1_s100.safetensors").write_bytes(CHECKPOINT.read_bytes()[:5000]),
            r"myvoice_e1_s100\.safetensors: not a readable \.safetensors file",
        ),
        (
            lambda f: (f / "config.json").write_text(
                json.dumps(
                    {**json.loads((FIXTURES / "jp_extra" / "config.json").read_text("utf-8")), "version": "1.0"}
                ),
                encoding="utf-8",
            ),  # fmt: skip
            r"config\.json: cannot be converted: version '1\.0'",
        ),
        (
            lambda f: shutil.copy(FIXTURES / "reference" / "legacy.safetensors", f / "myvoice_e1_s100.safetensors"),
            r"myvoice_e1_s100\.safetensors: does not match its config\.json \(JP-Extra\): tensor '.*' is missing",
        ),
    ],
)
def test_refusals_name_the_file_and_leave_nothing_in_the_library(tmp_path, damage, match):
    folder = _voice_folder(tmp_path, steps=(100,))
    damage(folder)
    library = Library(home=tmp_path / "home")
    with pytest.raises(ModelError, match=match):
        library.import_model(folder)
    assert _library_contents(library) == []


def test_cli_import_converts_without_torch(tmp_path):
    """`sbv2-studio import PATH` in a process where torch cannot be imported."""
    folder = _voice_folder(tmp_path, steps=(100, 300))
    blocker = tmp_path / "blocker"
    blocker.mkdir()
    (blocker / "torch.py").write_text("raise ImportError('torch is not installed here')\n", encoding="utf-8")
    env = {**os.environ, "SBV2_STUDIO_HOME": str(tmp_path / "home"),
           "PYTHONPATH": os.pathsep.join([str(blocker), os.environ.get("PYTHONPATH", "")])}  # fmt: skip

    def cli(*args):
        return subprocess.run([sys.executable, "-m", "sbv2_studio", *args], capture_output=True, env=env, timeout=300)

    listed = cli("import", str(folder), "--list-checkpoints")
    assert listed.returncode == 0
    assert listed.stdout.decode().splitlines() == [
        "myvoice_e2_s300.safetensors  (default: newest step)", "myvoice_e1_s100.safetensors"
    ]  # fmt: skip
    done = cli("import", str(folder))
    assert done.returncode == 0, done.stderr.decode()
    assert "converting myvoice_e2_s300.safetensors (1 other checkpoint" in done.stderr.decode()
    target = tmp_path / "home" / "models" / "myvoice"
    assert f"imported tiny_jp_extra into {target}" in done.stdout.decode()
    assert (target / "myvoice_e2_s300.onnx").is_file()
    again = cli("import", str(folder))
    err = again.stderr.decode()
    assert again.returncode == 2 and "already in the library" in err and "Traceback" not in err
    broken = cli("import", str(folder / "myvoice_e1_s100.safetensors"), "--checkpoint", "missing.safetensors")
    assert broken.returncode == 2 and "no checkpoint named missing.safetensors" in broken.stderr.decode()
