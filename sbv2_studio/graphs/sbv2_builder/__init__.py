"""The studio's own SBV2 synthesizer graph builder: config.json + .safetensors → ONNX, without torch.

`build_synthesizer(config, tensors)` writes the synthesizer of an SBV2 2.x model (JP-Extra or older) as an ONNX
graph with the same inputs and outputs as the SBV2 ONNX exports, filled with the checkpoint's weights (float32;
weight-norm pairs folded). `read_checkpoint(path)` loads a .safetensors file with the safetensors package's
numpy loader. Both raise `ConversionError` (a StudioError) naming the file and what is wrong.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np

from ...errors import ModelError
from .spec import SynthSpec, UnsupportedConfig, read_spec
from .synthesizer import build_synthesizer_graph
from .writer import CheckpointMismatch, Weights

__all__ = ["ConversionError", "SynthSpec", "build_synthesizer", "read_checkpoint", "read_spec"]

BUILDER_VERSION = 1  # bump when the written graph changes (converted voices record it)


class ConversionError(ModelError):
    """A safetensors voice cannot be converted: unsupported config, checkpoint not matching it, unreadable file."""


def read_checkpoint(path: str | Path) -> dict[str, np.ndarray]:
    """All tensors of a .safetensors file as numpy arrays (raises ConversionError for truncated/garbled files)."""
    from safetensors import SafetensorError
    from safetensors.numpy import load_file

    path = Path(path)
    if not path.is_file():
        raise ConversionError(path, "missing")
    try:
        return load_file(str(path))
    except (SafetensorError, ValueError, OSError, TypeError) as exc:
        raise ConversionError(path, f"not a readable .safetensors file (truncated or garbled?): {exc}") from exc


def build_synthesizer(config: dict, tensors: Mapping[str, np.ndarray], *, config_path="config.json",
                      checkpoint_path="checkpoint"):  # fmt: skip
    """The synthesizer ONNX model (onnx.ModelProto) for `config` filled from `tensors`."""
    try:
        spec = read_spec(config)
    except UnsupportedConfig as exc:
        raise ConversionError(config_path, f"cannot be converted: {exc}") from exc
    try:
        return build_synthesizer_graph(spec, Weights(tensors))
    except CheckpointMismatch as exc:
        arch = "JP-Extra" if spec.jp_extra else "2.x (not JP-Extra)"
        raise ConversionError(checkpoint_path, f"does not match its config.json ({arch}): {exc}") from exc
