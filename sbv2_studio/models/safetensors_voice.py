"""SBV2 voices as the trainer writes them (config.json + <name>.safetensors + style_vectors.npy), turned into
ordinary SBV2 ONNX folders by the studio's own graph builder (graphs/sbv2_builder), without torch.

A folder may hold several checkpoints (`<name>_e10_s1000.safetensors`, `<name>_e20_s2000.safetensors` …): the
one with the highest step is the default; `checkpoint=` picks another (or import that .safetensors file).

`convert_voice` writes the converted voice into a hidden temporary folder beside its destination, checks that it
loads and speaks (a short run with noise off), then renames the folder into place: the library never holds a
half-converted voice, and the source files are only read.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import ModelError, StudioError
from .formats import _check_style_vectors, _load_npy, _parse_config, load_model_folder, read_json_object

CONVERSION_RECORD = "sbv2_studio_conversion.json"  # written beside the converted graph: where it came from
Progress = Callable[[float, str], None]  # (fraction done 0..1, what is happening)

_STEP = re.compile(r"(?:_e(\d+))?_s(\d+)$")
_G_STEP = re.compile(r"^G_(\d+)$")


def checkpoint_step(path: Path) -> int | None:
    """The training step in a checkpoint's name (`…_e10_s1000`, or the trainer's `G_1000`), if it has one."""
    m = _STEP.search(path.stem) or _G_STEP.match(path.stem)
    return int(m.groups()[-1]) if m else None


@dataclass(frozen=True)
class SafetensorsVoice:
    folder: Path
    checkpoint: Path  # the one to convert
    checkpoints: tuple[Path, ...]  # every checkpoint in the folder, newest step first

    @property
    def config_path(self) -> Path:
        return self.folder / "config.json"

    @property
    def style_vectors_path(self) -> Path:
        return self.folder / "style_vectors.npy"


def _newest_first(paths: list[Path]) -> list[Path]:
    return sorted(paths, key=lambda p: (checkpoint_step(p) is not None, checkpoint_step(p) or 0, p.stat().st_mtime),
                  reverse=True)  # fmt: skip


def find_safetensors_voice(path: str | Path, checkpoint: str | None = None) -> SafetensorsVoice | None:
    """The safetensors voice at `path` (a folder with config.json and *.safetensors but no .onnx, or a
    .safetensors file with config.json beside it), or None when `path` is not one. `checkpoint`: a file name in
    the folder to convert instead of the newest."""
    path = Path(path).expanduser()
    if path.is_file() and path.suffix.lower() == ".safetensors":
        folder, chosen = path.parent, path
    elif path.is_dir() and not any(path.glob("*.onnx")):
        folder, chosen = path, None
    else:
        return None
    found = _newest_first([p for p in folder.glob("*.safetensors") if not p.name.startswith(".")])
    if not found or not (folder / "config.json").is_file():
        if chosen is not None:
            raise ModelError(folder / "config.json", "missing: a .safetensors voice needs its config.json beside it")
        return None
    if checkpoint is not None:
        chosen = folder / Path(checkpoint).name
        if chosen not in found:
            names = ", ".join(p.name for p in found)
            raise StudioError(f"{folder}: no checkpoint named {Path(checkpoint).name} (there are: {names})")
    return SafetensorsVoice(folder, chosen or found[0], tuple(found))


def convert_voice(voice: SafetensorsVoice, target: Path, progress: Progress | None = None) -> Path:
    """Convert `voice` into the ONNX voice folder `target` (which must not exist yet); returns `target`."""
    from ..graphs.sbv2_builder import build_synthesizer, read_checkpoint

    def report(fraction: float, what: str) -> None:
        if progress is not None:
            progress(fraction, what)

    if target.exists():
        raise StudioError(f"{target}: a model of that name is already in the library")
    report(0.0, f"reading {voice.config_path.name} and {voice.style_vectors_path.name}")
    config = read_json_object(voice.config_path)
    meta = _parse_config(config, voice.config_path)
    _check_style_vectors(_load_npy(voice.style_vectors_path), meta["styles"], voice.style_vectors_path)

    report(0.1, f"reading {voice.checkpoint.name}")
    tensors = read_checkpoint(voice.checkpoint)
    report(0.3, "building the synthesizer graph")
    model = build_synthesizer(config, tensors, config_path=voice.config_path, checkpoint_path=voice.checkpoint)
    del tensors

    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.converting-", dir=target.parent))
    try:
        report(0.6, "writing the ONNX graph")
        import onnx

        onnx.save(model, str(staging / f"{voice.checkpoint.stem}.onnx"))
        del model
        shutil.copy2(voice.config_path, staging / "config.json")
        shutil.copy2(voice.style_vectors_path, staging / "style_vectors.npy")
        record = {
            "converted_from": voice.checkpoint.name,
            "source_folder": str(voice.folder),
            "checkpoints": [p.name for p in voice.checkpoints],
            "builder": "sbv2_studio.graphs.sbv2_builder",
        }
        (staging / CONVERSION_RECORD).write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", "utf-8")
        report(0.8, "checking the converted voice")
        _smoke_test(staging, voice.checkpoint)
        if target.exists():
            raise StudioError(f"{target}: a model of that name is already in the library")
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(staging, 0o777 & ~umask)  # mkdtemp makes it private; a library folder is not
        os.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    report(1.0, "done")
    return target


def _smoke_test(folder: Path, checkpoint: Path) -> None:
    """The converted folder loads as an SBV2 voice and its graph gives finite audio for a few phones."""
    import onnxruntime as ort

    voice = load_model_folder(folder)
    try:
        session = ort.InferenceSession(str(voice.onnx_path), providers=["CPUExecutionProvider"])
        t = 9
        ids = np.zeros((1, t), np.int64)
        ids[0, 1::2] = np.arange(1, 5)
        feeds = {
            "x_tst": ids, "x_tst_lengths": np.array([t], np.int64), "sid": np.array([0], np.int64),
            "tones": np.zeros((1, t), np.int64), "language": np.ones((1, t), np.int64),
            "style_vec": voice.style_vectors[:1].astype(np.float32),
            "length_scale": np.array(1.0, np.float32), "sdp_ratio": np.array(0.0, np.float32),
            "noise_scale": np.array(0.0, np.float32), "noise_scale_w": np.array(0.0, np.float32),
        }  # fmt: skip
        for name in {i.name for i in session.get_inputs()} - set(feeds):
            feeds[name] = np.zeros((1, 1024, t), np.float32)
        audio = session.run(["output"], feeds)[0]
    except Exception as exc:  # onnxruntime raises its own exception types
        raise ModelError(checkpoint, f"the converted graph does not run: {exc}") from exc
    if not np.isfinite(audio).all():
        raise ModelError(checkpoint, "the converted graph gives NaN or infinite audio: the weights look garbled")
