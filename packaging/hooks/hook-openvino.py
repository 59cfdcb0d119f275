"""OpenVINO at run time (runtime/ov_backend.py): the core library, the device plug-ins (CPU, GPU, NPU, and the
AUTO/HETERO meta-devices) and the ONNX + IR front ends, all from openvino/libs. OpenVINO finds its plug-ins and
front ends beside libopenvino (openvino/libs), so they keep that folder. pyinstaller-hooks-contrib (2026.10) has
no hook for it.

Left out: the front ends for models the studio never reads (PyTorch, TensorFlow, TF Lite, PaddlePaddle, JAX, GGUF;
~40 MB) and the Python tools (benchmark_app, ovc, the torch.compile backend), which import torch/TensorFlow."""

import re
from pathlib import PurePath

from PyInstaller.utils.hooks import collect_dynamic_libs, collect_submodules

UNUSED_FRONTENDS = re.compile(r"openvino_(pytorch|tensorflow|tensorflow_lite|paddle|jax|gguf)_frontend", re.I)
binaries = [entry for entry in collect_dynamic_libs("openvino") if not UNUSED_FRONTENDS.search(PurePath(entry[0]).name)]
UNUSED_PYTHON = ("openvino.tools", "openvino.torch", "openvino.frontend.pytorch", "openvino.frontend.tensorflow",
                 "openvino.frontend.jax", "openvino.frontend.paddle")  # fmt: skip
hiddenimports = collect_submodules("openvino", filter=lambda name: not name.startswith(UNUSED_PYTHON))
excludedimports = ["torch", "tensorflow", "jax", "paddle"]
