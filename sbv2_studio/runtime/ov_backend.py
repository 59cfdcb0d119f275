"""OpenVINO as a second inference engine: its devices, the precisions each runs natively, and a session with the
interface the session layer (runtime/backends.py) expects of an onnxruntime InferenceSession.

OpenVINO reads the ONNX files; each is converted once into an IR in the user cache folder where that changes
something (weights stored in 16 or 8 bits, transposed convolutions rewritten: `weights_ir`). Compiled models are
cached too (OpenVINO's CACHE_DIR) so a second launch does not recompile: a full-size synthesizer takes 7–9 s to
compile cold.

Precisions are OpenVINO's `INFERENCE_PRECISION_HINT`. A device runs a precision natively when it lists it in its
OPTIMIZATION_CAPABILITIES (and, for the CPU on Linux, when /proc/cpuinfo has the instructions behind it);
anything else is emulated or silently ignored — measured on one CPU without FP16 units, the `f16` hint was 50×
slower than FP32 — so it is refused with a message instead. OpenVINO lists FP16 for any x86 CPU with AVX512-FP16,
yet only AMX-FP16 makes it fast (see CPU_FLAGS).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import logging
import os
import platform
import re
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .. import offload
from ..errors import BackendError, ModelError
from ..paths import derived_prefix, file_stamp, remove_replaced
from .native import glibc, physical_memory

log = logging.getLogger(__name__)

PRECISIONS = ("fp32", "bf16", "fp16", "int8")
# The INFERENCE_PRECISION_HINT per precision. int8 is how the weights are stored (weights_ir): its arithmetic runs
# at the device's fastest native float (arithmetic()).
HINTS = {"fp32": "f32", "bf16": "bf16", "fp16": "f16"}
CAPABILITY = {"fp32": "FP32", "bf16": "BF16", "fp16": "FP16", "int8": "INT8"}
# x86 instructions that make a precision native (any one of them), checked besides OpenVINO's word. fp16 needs
# AMX-FP16 (Xeon 6): on a Xeon with AMX-BF16 and AVX512-FP16 but no AMX-FP16, which OpenVINO 2026.4 reports as
# FP16-capable, the bench voice's decoder at 200 frames took 48.6 s at f16 against 0.19 s at bf16 and 0.48 s at f32,
# and its f16 whole synthesizer did not finish compiling in 18 minutes (docs/benchmarks.md, "A CPU with AMX").
CPU_FLAGS = {"bf16": ("avx512_bf16", "amx_bf16"), "fp16": ("amx_fp16",), "int8": ("avx512_vnni", "avx_vnni",
             "amx_int8", "avx2")}  # fmt: skip
INTERESTING_CPU_FLAGS = ("avx2", "avx512f", "avx512_bf16", "avx512_fp16", "avx512_vnni", "avx_vnni", "amx_tile",
                         "amx_bf16", "amx_int8", "amx_fp16")  # fmt: skip


def available() -> bool:
    """True when the openvino package imports."""
    return _openvino() is not None


# oneDNN, inside OpenVINO's CPU plug-in, keeps its prepared primitives process-wide (1,024 by default), and a
# convolution's primitive holds memory as long as its input: every new audio length adds ~0.2 MB a latent frame until
# 1,024 newer primitives push it out (bf16 defaults, full-size voice: a 2,000-character text peaked at 3.9 GB, 24
# lines of batch export at 2.5 GB). 128 bounds that (2.1 GB; 1.8 GB) but makes every repeated length re-create its
# primitives (the bench's repeated texts decode 40 % slower): chosen where memory is short, not where it is plenty
# (docs/benchmarks.md, "Long texts and memory"). A value set in the environment is kept.
PRIMITIVE_CACHE_VARIABLE = "ONEDNN_PRIMITIVE_CACHE_CAPACITY"
SMALL_MEMORY_BYTES = 12 * 2**30  # an "8 GB" machine reports 7.4–7.9 GiB, a "16 GB" one 15–15.9; or a container
PRIMITIVES_CACHED_SMALL_MEMORY = 128
PRIMITIVES_CACHED_BY_DEFAULT = "1024"  # oneDNN's own, also where the variable is not a number


def primitive_cache_setting() -> tuple[str, str]:
    """How many primitives oneDNN keeps in this process, and why: (value, reason). Decides it first, where this
    process has not yet (the same decision OpenVINO's first use makes)."""
    if _primitive_cache_limited():
        return str(PRIMITIVES_CACHED_SMALL_MEMORY), "chosen for this machine's memory"
    value = os.environ.get(PRIMITIVE_CACHE_VARIABLE, "").strip()
    if not value:
        return PRIMITIVES_CACHED_BY_DEFAULT, "oneDNN's default"
    if not value.isdigit():
        return PRIMITIVES_CACHED_BY_DEFAULT, f"oneDNN's default: {PRIMITIVE_CACHE_VARIABLE}={value!r} is not a number"
    return value, f"set by {PRIMITIVE_CACHE_VARIABLE}"


@functools.cache
def _primitive_cache_limited() -> bool:
    """Limit oneDNN's primitive cache where the machine's memory is short (once a process; before OpenVINO starts:
    oneDNN reads the variable when it is first used). True when this process limited it."""
    if os.environ.get(PRIMITIVE_CACHE_VARIABLE, "").strip():
        return False  # the person's (or the parent process's) choice
    memory = physical_memory()
    if memory is None or memory >= SMALL_MEMORY_BYTES:
        return False
    os.environ[PRIMITIVE_CACHE_VARIABLE] = str(PRIMITIVES_CACHED_SMALL_MEMORY)
    return True


@functools.cache
def _openvino():
    _primitive_cache_limited()
    try:
        import openvino

        return openvino
    except Exception as exc:  # not installed, or a broken install: the backend is simply absent
        log.info("OpenVINO unavailable: %s", exc)
        return None


def version() -> str | None:
    ov = _openvino()
    return ov.__version__ if ov is not None else None


_core = None
_core_lock = threading.Lock()


def core():
    """The process's one openvino.Core, its model cache in the user cache folder."""
    global _core
    ov = _openvino()
    if ov is None:
        raise BackendError("OpenVINO: the openvino package is not installed (pip install openvino)")
    with _core_lock:
        if _core is None:
            _core = ov.Core()
            cache = model_cache_dir()
            try:
                cache.mkdir(parents=True, exist_ok=True)
                _core.set_property({"CACHE_DIR": str(cache)})
                # in the background: deleting large files may take a while, and a window may be waiting
                threading.Thread(target=prune_compiled_cache, args=(cache,), name="openvino-cache-prune",
                                 daemon=True).start()  # fmt: skip
            except (OSError, RuntimeError) as exc:  # a read-only cache folder: compile every time, still works
                log.warning("OpenVINO model cache disabled (%s): %s", cache, exc)
        return _core


# OpenVINO never deletes a compiled model (.blob) from its cache, and every changed graph, precision or OpenVINO
# release adds new ones (a full-size BERT's: 0.6–1.3 GB). A graph file's compiled models go with the file
# (compiled_cache_for); past this size, the least recently used of all go as well (a voice's graphs together are
# 0.3–2 GB; one dropped costs a compile, 7–9 s, the next time it is used).
COMPILED_CACHE_BYTES = 6 * 1024**3


def prune_compiled_cache(folder: Path, keep_bytes: int = COMPILED_CACHE_BYTES) -> int:
    """Delete the least recently used compiled models in `folder` until they take at most `keep_bytes` (a file
    still in use where that cannot be deleted, Windows, stays). Returns how many were deleted."""
    blobs = []
    for path in folder.rglob("*.blob"):  # (a graph file's in a folder of its own: compiled_cache_for)
        try:
            stat = path.stat()
        except OSError:
            continue
        # last used: read (atime, where the file system keeps it) or marked by a session (mtime)
        blobs.append((max(stat.st_atime, stat.st_mtime), stat.st_size, path))
    total = sum(size for _, size, _ in blobs)
    deleted = 0
    for _, size, path in sorted(blobs, key=lambda blob: blob[0]):
        if total <= keep_bytes:
            break
        try:
            path.unlink()
        except OSError:
            continue
        total -= size
        deleted += 1
    return deleted


def compiled_cache_for(model: Path) -> Path | None:
    """Where OpenVINO caches what it compiles from a graph file: a folder of that file's own, named like every
    entry derived from it (paths.derived_prefix), so its compiled models go with it when the file is replaced or
    its voice removed, instead of waiting for the cache's size cap. None where the folder cannot be made (the
    Core's own cache folder, or none, then)."""
    try:
        prefix = derived_prefix(model, "compiled")
        key = hashlib.sha1(f"{file_stamp(model)}|{version()}".encode()).hexdigest()[:16]
        folder = model_cache_dir() / f"{prefix}{key}"
        if not folder.is_dir():
            folder.mkdir(parents=True)
            # what was compiled from the file before it changed (or by another OpenVINO) is never read again
            remove_replaced(folder.parent, prefix, key)
    except OSError:
        return None
    return folder


def model_cache_dir() -> Path:
    from ..paths import cache_dir

    return cache_dir() / "openvino"


@functools.cache
def cpu_flags() -> frozenset[str]:
    """The CPU's feature flags (Linux /proc/cpuinfo; empty elsewhere)."""
    if not sys.platform.startswith("linux"):
        return frozenset()
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.startswith("flags"):
                    return frozenset(line.split(":", 1)[1].split())
    except OSError:
        pass
    return frozenset()


@dataclass
class DeviceInfo:
    """One OpenVINO device: its name (CPU, GPU, GPU.1, NPU), full name, and precision → "native" or why not."""

    name: str
    full_name: str
    capabilities: list[str]
    precisions: dict[str, str] = field(default_factory=dict)  # precision -> "native" | reason it is refused

    def native(self, precision: str) -> bool:
        return self.precisions.get(precision) == "native"


@functools.cache
def _device_infos() -> tuple[DeviceInfo, ...]:
    if not available():
        return ()
    c = core()
    infos = []
    for name in c.available_devices:
        try:
            full = str(c.get_property(name, "FULL_DEVICE_NAME"))
            caps = [str(x) for x in c.get_property(name, "OPTIMIZATION_CAPABILITIES")]
        except RuntimeError as exc:
            log.info("OpenVINO device %s unreadable: %s", name, exc)
            continue
        infos.append(DeviceInfo(name, full, caps, _precisions(name, caps)))
    return tuple(infos)


def _precisions(device: str, caps: Sequence[str]) -> dict[str, str]:
    found = {}
    flags = cpu_flags()
    x86_cpu = device == "CPU" and _x86()
    for precision in PRECISIONS:
        if precision == "fp32":
            found[precision] = "native"
            continue
        if CAPABILITY[precision] not in caps:
            found[precision] = f"{device} does not run {precision} natively (OpenVINO reports {', '.join(caps)})"
            continue
        needed = " / ".join(CPU_FLAGS[precision])
        if x86_cpu and flags and not any(f in flags for f in CPU_FLAGS[precision]):
            found[precision] = f"the CPU lacks {needed}: {precision} would be emulated (slower than fp32)"
            continue
        if x86_cpu and not flags and precision == "fp16":
            # OpenVINO's word is not enough for fp16 (see CPU_FLAGS), and the instructions cannot be read here
            found[precision] = (
                f"cannot tell whether the CPU has {needed}; without it fp16 is emulated (slower than fp32)"
            )
            continue
        found[precision] = "native"
    return found


def _x86() -> bool:
    """An x86 CPU (CPU_FLAGS are x86 instructions; OpenVINO's own word is taken on Arm)."""
    return platform.machine().lower() in ("x86_64", "amd64", "x86", "i386", "i686")


def devices() -> list[DeviceInfo]:
    """The devices OpenVINO reports here (empty when it is not installed)."""
    return list(_device_infos())


def device_info(name: str) -> DeviceInfo | None:
    name = name.upper()
    for info in _device_infos():
        if info.name.upper() == name:
            return info
    # "GPU" names the first GPU when OpenVINO lists them as GPU.0, GPU.1
    return next((i for i in _device_infos() if i.name.upper().split(".")[0] == name), None)


def amx() -> bool:
    """Whether the CPU multiplies bf16 on AMX tiles (Linux: /proc/cpuinfo; False where it cannot be read). Where it
    does, OpenVINO's bf16 BERT is the fastest (app/precision.py) and new input lengths are costly."""
    return "amx_bf16" in cpu_flags()


def new_lengths_costly(device: str) -> bool:
    """Whether OpenVINO on `device` takes much longer to prepare an input length it has not seen than to run one it
    has: on a CPU with AMX (the bench voice's bf16 decoder at 200 frames: 1.9 s the first time, 0.21 s the next;
    49–60 frames 0.57 against 0.06 s). Without AMX it is 10–25 % more, less than running at a few fixed lengths
    costs (docs/benchmarks.md, "A CPU with AMX"). GPUs: not measured."""
    return device.upper().startswith("CPU") and amx()


def arithmetic(device: str, precision: str) -> str:
    """The float precision `precision` computes in on `device`: itself, except int8 (8-bit weights), which computes
    in bf16 where that is native (fp16 first on GPUs), else in fp32."""
    if precision != "int8":
        return precision
    info = device_info(device)
    order = ("bf16", "fp16") if device.upper().startswith("CPU") else ("fp16", "bf16")
    return next((p for p in order if info is not None and info.native(p)), "fp32")


def check_precision(device: str, precision: str) -> None:
    """Raise BackendError unless `device` runs `precision` natively."""
    if precision not in PRECISIONS:
        raise BackendError(f"unknown precision '{precision}' (choose from {', '.join(PRECISIONS)})")
    info = device_info(device)
    if info is None:
        known = ", ".join(i.name for i in _device_infos()) or "none"
        raise BackendError(f"OpenVINO has no device '{device}' here (devices: {known})")
    verdict = info.precisions.get(precision, "unknown")
    if verdict != "native":
        raise BackendError(f"OpenVINO:{info.name} {precision}: {verdict}")


# --- the session ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PortInfo:
    """What the session layer reads of an input or output: its name and shape (None for a dynamic dimension)."""

    name: str
    shape: list
    type: str


def _port(port) -> PortInfo:
    shape = [d.get_length() if d.is_static else None for d in port.get_partial_shape()]
    return PortInfo(port.get_any_name(), shape, str(port.get_element_type()))


# Weights of the IR a precision compiles (see weights_ir). bf16/fp16 round the weights to 16 bits anyway.
STORED_WEIGHTS = {"fp32": "fp32", "bf16": "fp16", "fp16": "fp16", "int8": "int8"}
INT8_GROUP = 64  # input channels that share one scale and zero point (see compress_weights_int8)
# What an IR holds beyond the graph read from ONNX: 2 = transposed convolutions rewritten (convolutions_for_transposed)
IR_RECIPE = 2


def weights_ir(onnx_path: Path, stored: str) -> Path | None:
    """The graph as OpenVINO IR with its weights stored in `stored` ("fp32", "fp16" or "int8"), its transposed
    convolutions rewritten as convolutions (convolutions_for_transposed), made once in the user cache. None
    (compile the ONNX file as it is) where the IR cannot be written, or, for fp32, where nothing was rewritten
    (an FP32 IR of such a graph would be a second copy of the file: a marker remembers the verdict).

    - fp16, for the reduced precisions (bf16, fp16), whose arithmetic rounds the weights to 16 bits anyway (FP16
      keeps more mantissa than bf16). Reading the ONNX file keeps its FP32 weights in memory beside the plug-in's
      16-bit copies: measured on the full-size BERT at bf16, RSS 2.5 GB from the ONNX file, 1.35 GB from this IR.
    - int8: the matrix products' weights as 8-bit integers (compress_weights_int8), the rest as fp16.

    An IR replaces the one made earlier from the same file path (the file changed, or OpenVINO, or the recipe):
    that one is deleted, so the cache does not grow by a BERT's 650 MB with every change."""
    try:
        recipe = f"{stored}/{INT8_GROUP}" if stored == "int8" else stored
        key = hashlib.sha1(f"{file_stamp(onnx_path)}|{version()}|{recipe}|{IR_RECIPE}".encode())
        prefix, digest = derived_prefix(onnx_path, stored), key.hexdigest()[:16]
        xml = model_cache_dir() / "ir" / f"{prefix}{digest}.xml"
        as_is = xml.with_suffix(".as-is")
        if xml.is_file() and xml.with_suffix(".bin").is_file():
            return xml
        if as_is.is_file():
            return None
        written = offload.run(_write_ir, onnx_path, xml, stored, source=onnx_path)
        if not written:
            as_is.touch()
        # the IR made before from the same file path (it changed, or OpenVINO, or the recipe), or named the earlier
        # way, is never read again
        legacy = re.compile(re.escape(f"{onnx_path.stem}.{stored}.") + r"[0-9a-f]{16}\.(?:xml|bin|as-is)")
        remove_replaced(xml.parent, prefix, digest, legacy)
        return xml if written else None
    except (OSError, RuntimeError) as exc:
        log.warning("OpenVINO: %s weights for %s not written (%s); compiling the ONNX file", stored, onnx_path, exc)
        return None


def _write_ir(onnx_path: Path, xml: Path, stored: str) -> bool:
    """Write the IR (see weights_ir); False, writing nothing, for an fp32 graph with nothing to rewrite."""
    ov = _openvino()
    xml.parent.mkdir(parents=True, exist_ok=True)
    tmp = xml.with_name(xml.stem + ".partial.xml")
    model = ov.Core().read_model(str(onnx_path))  # a plain Core: the cached one's settings play no part here
    rewritten = convolutions_for_transposed(model)
    if stored == "fp32" and not rewritten:
        return False
    if stored == "int8":
        compress_weights_int8(model)
    ov.save_model(model, str(tmp), compress_to_fp16=stored != "fp32")
    del model
    # The .bin first, then the .xml: an .xml on disk means a complete pair.
    os.replace(tmp.with_suffix(".bin"), xml.with_suffix(".bin"))
    os.replace(tmp, xml)
    return True


def _replace_node(node, replacement) -> None:
    """Everything `node` fed now reads `replacement` (which takes its name: profiles and errors still name it)."""
    replacement.set_friendly_name(node.get_friendly_name())
    for target in node.output(0).get_target_inputs():
        target.replace_source_output(replacement.output(0))


def convolutions_for_transposed(model) -> int:
    """Rewrite each 1-D transposed convolution (ONNX ConvTranspose, OpenVINO ConvolutionBackpropData) whose kernel
    is a multiple of its stride s as the same products and sums in another order: one convolution into s × the
    output channels (output phase r of channel o in channel r·Cout + o, kernel k/s), its phases interleaved
    (reshape, transpose, reshape) and the padding cut off. Returns how many were rewritten.

    Why: the CPU plug-in runs ConvolutionBackpropData far below its convolutions' rate. The full-size SBV2
    decoder (upsampling ×8, ×8, ×2, ×2, ×2) at bf16, 200 latent frames: its five transposed convolutions took
    79 ms of 413 (3 % of the arithmetic), their rewrite 10 ms; the decoder 397 → 336 ms, at 60 frames 122 → 99 ms,
    at FP32 717 → 656 ms; output against onnxruntime's ConvTranspose within float rounding (SNR 118 dB)."""
    ov = _openvino()
    from openvino import opset13 as ops

    rewritten = 0
    for node in model.get_ordered_ops():
        if node.get_type_name() != "ConvolutionBackpropData" or node.get_input_size() != 2:
            continue
        weights = node.input(1).get_source_output().get_node()
        attributes = node.get_attributes()
        if weights.get_type_name() != "Constant" or weights.get_element_type() != ov.Type.f32:
            continue
        w = weights.get_data()  # [Cin, Cout, k]
        if w.ndim != 3 or attributes["auto_pad"] not in ("explicit", "notset"):
            continue
        (stride,), (pad_begin,), (pad_end,) = attributes["strides"], attributes["pads_begin"], attributes["pads_end"]
        if list(attributes["dilations"]) != [1] or any(attributes["output_padding"]) or w.shape[2] % stride:
            continue
        c_in, c_out, kernel = w.shape
        taps = kernel // stride
        # phase r, tap j of the transposed kernel (k = j·s + r) is tap (taps−1−j) of phase r's convolution
        phases = w.reshape(c_in, c_out, taps, stride)[:, :, ::-1, :].transpose(3, 1, 0, 2)
        filters = np.ascontiguousarray(phases.reshape(stride * c_out, c_in, taps), dtype=np.float32)
        x = ops.convolution(node.input(0).get_source_output(), ops.constant(filters), [1], [taps - 1], [taps - 1], [1])
        x = ops.reshape(x, ops.constant(np.array([0, stride, c_out, -1], np.int64)), special_zero=True)
        x = ops.transpose(x, ops.constant(np.array([0, 2, 3, 1], np.int64)))
        x = ops.reshape(x, ops.constant(np.array([0, c_out, -1], np.int64)), special_zero=True)
        if pad_begin or pad_end:  # the full output is (L−1)·s + k long: the padding comes off each end
            end = -pad_end if pad_end else np.iinfo(np.int64).max
            x = ops.slice(x, ops.constant(np.array([pad_begin], np.int64)), ops.constant(np.array([end], np.int64)),
                          ops.constant(np.array([1], np.int64)), ops.constant(np.array([2], np.int64)))  # fmt: skip
        _replace_node(node, x)
        rewritten += 1
    return rewritten


def compress_weights_int8(model, group: int = INT8_GROUP) -> int:
    """Store each MatMul's constant FP32 weight matrix as unsigned 8-bit integers with an FP16 scale and an 8-bit
    zero point per output channel and `group` input channels, expanded back in the graph
    (Convert → Subtract → Multiply → Reshape: the pattern OpenVINO's CPU and GPU plug-ins run as compressed
    matrix products, keeping the weights in 8 bits). Returns how many matrices were compressed.

    Why by hand and not NNCF's compress_weights: NNCF's INT8 modes quantize per output channel only (it refuses
    a group size), and on the full-size DeBERTa that is not faithful enough: worst token cosine against FP32
    0.9986, under the studio's 0.999 limit. Groups of 64 give 0.99935–0.99945 (bf16 arithmetic), groups of 128
    0.9989–0.9993. Against the bf16 BERT: RSS 1,354 → 966 MB, 1.15–1.2× faster (docs/benchmarks.md)."""
    ov = _openvino()
    from openvino import opset13 as ops

    compressed = 0
    for matmul in model.get_ordered_ops():
        if matmul.get_type_name() != "MatMul":
            continue
        weights = matmul.input(1).get_source_output().get_node()
        attributes = matmul.get_attributes()
        if weights.get_type_name() != "Constant" or weights.get_element_type() != ov.Type.f32:
            continue
        w = weights.get_data()
        if w.ndim != 2 or attributes["transpose_a"]:
            continue
        rows = w if attributes["transpose_b"] else w.T  # [out, in]
        n_out, n_in = rows.shape
        size = group if n_in % group == 0 else n_in
        blocks = np.ascontiguousarray(rows, dtype=np.float32).reshape(n_out, n_in // size, size)
        low = np.minimum(blocks.min(axis=-1, keepdims=True), 0.0)
        high = np.maximum(blocks.max(axis=-1, keepdims=True), 0.0)
        scale = ((high - low) / 255.0).astype(np.float16)
        scale[scale == 0] = 1.0
        step = scale.astype(np.float32)
        zero = np.clip(np.round(-low / step), 0, 255)
        quantized = np.clip(np.round(blocks / step) + zero, 0, 255).astype(np.uint8)
        node = ops.convert(ops.constant(quantized), ov.Type.f16)
        node = ops.subtract(node, ops.convert(ops.constant(zero.astype(np.uint8)), ov.Type.f16))
        node = ops.multiply(node, ops.constant(scale))
        node = ops.reshape(node, ops.constant(np.array([n_out, n_in], dtype=np.int64)), special_zero=False)
        node = ops.convert(node, ov.Type.f32)
        replacement = ops.matmul(matmul.input(0).get_source_output(), node, transpose_a=False, transpose_b=True)
        _replace_node(matmul, replacement)
        compressed += 1
    return compressed


def _check_onnx_file(path: Path) -> None:
    """Raise ModelError (the file, not the engine: no other backend would read it) for an .onnx file OpenVINO's ONNX
    reader does not take. Asked of that reader alone: given any file, OpenVINO tries every reader it has, and the
    TensorFlow one prints its parse errors on stderr (seen with a corrupt model.onnx)."""
    if path.suffix.lower() != ".onnx":
        return
    from openvino.frontend import FrontEndManager

    if not path.is_file():
        raise ModelError(path, "missing")
    if not FrontEndManager().load_by_framework("onnx").supported(str(path)):
        raise ModelError(path, "not an ONNX model OpenVINO can read")


# --- the compiled model's file, out of RAM once read -----------------------------------------------------------
#
# The CPU plug-in maps the compiled model's file (the cache blob, or the IR's weights) and, on the first run, copies
# most weights into its own layout (bf16 or 8-bit blocks). The file's pages it read stay mapped, counted in the
# process's memory, though it never reads most of them again. Measured on the full-size BERT at bf16: 1,354 MB
# after the first run, 783 MB once those pages are dropped; the next runs, at new lengths, read back 40-50 MB.
# Only read-only *shared* mappings are touched (OpenVINO maps its files so): dropping their pages can never lose data,
# a page read again comes back from the file.

_compile_lock = threading.Lock()  # one compile at a time, so the mappings that appear during it are its own


def _read_only_cache_maps() -> frozenset[tuple[int, int, str]]:
    """(start, end, path) of this process's read-only, non-executable, shared mappings of files in the model cache
    folder (compiled blobs and IR weights); empty where there is no /proc/self/maps."""
    if not sys.platform.startswith("linux"):
        return frozenset()
    folder = str(model_cache_dir())
    found = set()
    try:
        with open("/proc/self/maps", encoding="utf-8", errors="replace") as f:
            for line in f:
                parts = line.split(maxsplit=5)
                if len(parts) == 6 and parts[5].startswith(folder) and parts[1] == "r--s":
                    start, end = (int(x, 16) for x in parts[0].split("-"))
                    found.add((start, end, parts[5].rstrip("\n")))
    except OSError:
        return frozenset()
    return frozenset(found)


MADV_DONTNEED = 4


def _drop_pages(mapped: frozenset[tuple[int, int, str]]) -> None:
    """Drop the resident pages of those mappings that are still there, read-only, from the same file (glibc only:
    elsewhere the pages just stay)."""
    libc = glibc()
    if libc is None:
        return
    for start, end, _path in mapped & _read_only_cache_maps():
        libc.madvise(start, end - start, MADV_DONTNEED)


# Dropped during the first run too, not only after it: the plug-in reads each weight once while it repacks, so the
# file's pages and the repacked copy would otherwise both be resident at the end of that run (the process's peak).
# Measured, second launch of `synth` on a short sentence, full-size voice, bf16 BERT and synthesizer: peak RSS
# 1,522 MB → 1,110 MB (every 20 ms; every 5 ms gave the same peak); first-run times within the machine's noise
# (BERT 373-493 ms without, 396-467 ms with).
DROP_INTERVAL_S = 0.02


@contextlib.contextmanager
def _pages_dropped_while_running(mapped: frozenset[tuple[int, int, str]]):
    """Drop the mappings' pages every DROP_INTERVAL_S while the body runs (a thread), and once more after it."""
    if glibc() is None or not mapped:
        yield
        return
    done = threading.Event()

    def drop_until_done() -> None:
        while not done.wait(DROP_INTERVAL_S):
            _drop_pages(mapped)

    dropper = threading.Thread(target=drop_until_done, name="openvino-drop-pages", daemon=True)
    dropper.start()
    try:
        yield
    finally:
        done.set()
        dropper.join()
        _drop_pages(mapped)


class OpenVINOSession:
    """An OpenVINO compiled model behind onnxruntime's InferenceSession interface (get_inputs, get_outputs,
    get_providers, run), so StageSession, ResilientSession and the fallback ladder treat both engines alike."""

    def __init__(self, model: Path | bytes, device: str, precision: str = "fp32", threads: int | None = None,
                 shapes_cached: int | None = None):  # fmt: skip
        """`shapes_cached`: on the CPU, how many shape-specific kernels to keep (CPU_RUNTIME_CACHE_CAPACITY; None:
        OpenVINO's default, 5,000)."""
        ov = _openvino()
        if ov is None:
            raise BackendError("OpenVINO: the openvino package is not installed (pip install openvino)")
        c = core()
        source = io.BytesIO(model) if isinstance(model, bytes) else str(model)
        self.arithmetic = arithmetic(device, precision)
        config = {
            "INFERENCE_PRECISION_HINT": HINTS[self.arithmetic],
            "PERFORMANCE_HINT": "LATENCY",  # one request at a time, every core on it
        }
        if threads and device.upper().startswith("CPU"):
            config["INFERENCE_NUM_THREADS"] = int(threads)
        if shapes_cached is not None and device.upper().startswith("CPU"):
            config["CPU_RUNTIME_CACHE_CAPACITY"] = int(shapes_cached)
        self.device = device
        self.precision = precision
        # The cache key of a model read from memory is its content; of a file, OpenVINO hashes the file itself
        # when it is given the path (compile_model(path) reads, caches and compiles in one step).
        if isinstance(source, str):
            _check_onnx_file(Path(source))
            if precision in STORED_WEIGHTS:
                source = str(weights_ir(Path(source), STORED_WEIGHTS[precision]) or source)
        # A graph from memory, or int8 weights that are not in an IR yet (a cache that could not be written): the
        # IR's transformations are made here
        transform_here = not isinstance(source, str) or (precision == "int8" and not source.endswith(".xml"))
        with _compile_lock:
            before = _read_only_cache_maps()
            if not transform_here:
                own_cache = compiled_cache_for(Path(source))
                if own_cache is not None:
                    config["CACHE_DIR"] = str(own_cache)
                self.compiled = c.compile_model(source, device, config)
            else:
                graph = c.read_model(source)
                convolutions_for_transposed(graph)
                if precision == "int8":
                    compress_weights_int8(graph)
                self.compiled = c.compile_model(graph, device, config)
                del graph
            self._mapped = _read_only_cache_maps() - before
        for blob in {path for _, _, path in self._mapped if path.endswith(".blob")}:
            try:  # used now: the last to go when the cache is pruned (prune_compiled_cache)
                os.utime(blob)
            except OSError:
                pass
        self._inputs = [_port(p) for p in self.compiled.inputs]
        self._outputs = [_port(p) for p in self.compiled.outputs]
        self._output_index = {p.name: i for i, p in enumerate(self._outputs)}
        self._request = self.compiled.create_infer_request()
        try:
            self.execution_devices = [str(d) for d in self.compiled.get_property("EXECUTION_DEVICES")]
        except RuntimeError:
            self.execution_devices = [device]

    def get_inputs(self) -> list[PortInfo]:
        return list(self._inputs)

    def get_outputs(self) -> list[PortInfo]:
        return list(self._outputs)

    def get_providers(self) -> list[str]:
        return [f"OpenVINO:{self.execution_devices[0] if self.execution_devices else self.device}"]

    def release_memory(self) -> None:
        """Hand back the intermediate buffers of the last run (they are sized by its shapes)."""
        self.compiled.release_memory()

    def run(self, outputs: Sequence[str] | None, feeds: dict, run_options=None) -> list[np.ndarray]:
        # share_outputs=False: the request's output buffers are reused by the next run, so results are copied
        # the first run repacks the weights: the file's pages leave RAM as it goes, and after (later runs: nothing)
        with _pages_dropped_while_running(self._mapped):
            result = self._request.infer(feeds, share_inputs=False, share_outputs=False)
        self._mapped = frozenset()
        values = result.to_tuple()
        names = list(outputs) if outputs is not None else [p.name for p in self._outputs]
        try:
            return [np.asarray(values[self._output_index[n]]) for n in names]
        except KeyError as exc:
            raise BackendError(f"OpenVINO: the graph has no output {exc}") from None


__all__ = [
    "HINTS",
    "INTERESTING_CPU_FLAGS",
    "PRECISIONS",
    "DeviceInfo",
    "OpenVINOSession",
    "available",
    "check_precision",
    "core",
    "cpu_flags",
    "device_info",
    "devices",
    "weights_ir",
    "compress_weights_int8",
    "convolutions_for_transposed",
    "prune_compiled_cache",
    "model_cache_dir",
    "compiled_cache_for",
    "version",
]
