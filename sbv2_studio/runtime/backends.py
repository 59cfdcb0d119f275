"""Execution backends: which onnxruntime providers and OpenVINO devices exist and work, sessions created with the
right options per provider, and a session that finishes the request on onnxruntime's CPU provider when its device
(a GPU, or OpenVINO) fails.

ORT silently falls back to CPU when a provider cannot be used, so every session records what it really runs on
(`get_providers()[0]`), never what was asked for. OpenVINO (runtime/ov_backend.py) is a second engine behind the
same session interface: `openvino:CPU`, `openvino:GPU`, `openvino:NPU`.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import re
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import onnxruntime as ort

from ..errors import BackendError, ModelError
from ..paths import cache_dir, file_stamp, write_text_atomic
from . import ov_backend
from .native import glibc
from .transfers import add_copied

log = logging.getLogger(__name__)

# Backend kinds a person can pick, and the onnxruntime provider behind each.
PROVIDERS: dict[str, str] = {
    "cpu": "CPUExecutionProvider",
    "cuda": "CUDAExecutionProvider",
    "dml": "DmlExecutionProvider",
    "tensorrt": "TensorrtExecutionProvider",
    "openvino": "OpenVINO",  # the OpenVINO runtime itself (runtime/ov_backend.py), not an onnxruntime provider
    "coreml": "CoreMLExecutionProvider",
}
KIND_OF_PROVIDER = {provider: kind for kind, provider in PROVIDERS.items()}
PRECISIONS = ov_backend.PRECISIONS  # fp32, bf16, fp16, int8
# What each engine runs per stage, before asking the device (OpenVINO: its capabilities, ov_backend).
# onnxruntime's precisions are graph variants: BERT int8 (CPU) and fp16 (GPUs); its synthesizer runs in fp32.
ORT_BERT_PRECISIONS = {"cpu": ("fp32", "int8"), "cuda": ("fp32", "fp16"), "dml": ("fp32", "fp16"),
                       "tensorrt": ("fp32", "fp16"), "coreml": ("fp32", "fp16")}  # fmt: skip
OV_SYNTH_PRECISIONS = ("fp32", "bf16", "fp16")  # no INT8 synthesizer graph exists
LABELS = {
    "cpu": "CPU",
    "cuda": "CUDA",
    "dml": "DirectML",
    "tensorrt": "TensorRT",
    "openvino": "OpenVINO",
    "coreml": "CoreML",
}


@dataclass(frozen=True)
class Backend:
    """Where a stage runs: a backend kind, for GPUs the device index, for OpenVINO the device name (CPU, GPU,
    GPU.1, NPU), and the precision it computes in (fp32 unless the person chose otherwise)."""

    kind: str = "cpu"
    device_id: int = 0
    device: str = ""  # OpenVINO's device name; "" for onnxruntime kinds
    precision: str = "fp32"

    def __post_init__(self) -> None:
        if self.kind not in PROVIDERS:
            raise BackendError(f"unknown backend '{self.kind}' (choose from {', '.join(PROVIDERS)})")
        if self.precision not in PRECISIONS:
            raise BackendError(f"unknown precision '{self.precision}' (choose from {', '.join(PRECISIONS)})")
        if self.kind == "openvino":
            object.__setattr__(self, "device", (self.device or "CPU").upper())
        elif self.device:
            raise BackendError(
                f"{self.kind}: devices are numbers ({self.kind}:0, {self.kind}:1 …), not '{self.device}'"
            )

    @property
    def provider(self) -> str:
        return PROVIDERS[self.kind]

    @property
    def is_gpu(self) -> bool:
        """A GPU (or NPU): something that can be lost mid-run and is worth a Retry."""
        return self.kind != "cpu" and not (self.kind == "openvino" and self.device.startswith("CPU"))

    @property
    def has_fallback(self) -> bool:
        """Everything but onnxruntime's CPU provider falls back to it when it fails."""
        return self.kind != "cpu"

    @property
    def spec(self) -> str:
        """What `parse` reads back: `cpu:0`, `cuda:1`, `openvino:GPU.1`, `openvino:CPU@bf16`."""
        where = f"{self.kind}:{self.device}" if self.kind == "openvino" else f"{self.kind}:{self.device_id}"
        return where if self.precision == "fp32" else f"{where}@{self.precision}"

    @property
    def label(self) -> str:
        if self.kind == "cpu":
            base = LABELS["cpu"]
        elif self.kind == "openvino":
            base = f"{LABELS['openvino']}:{self.device}"
        else:
            base = f"{LABELS[self.kind]}:{self.device_id}"
        return base if self.precision == "fp32" else f"{base} {self.precision}"

    def at(self, precision: str | None) -> Backend:
        """The same device at another precision."""
        from dataclasses import replace

        return self if precision in (None, self.precision) else replace(self, precision=precision)

    @classmethod
    def parse(cls, text: str, precision: str | None = None) -> Backend:
        """`cpu`, `cuda`, `cuda:1`, `dml:0`, `openvino`, `openvino:CPU`, `openvino:GPU.1`, optionally with
        `@PRECISION` (`openvino:CPU@bf16`); `precision`, when given, wins over the suffix."""
        text, _, suffix = str(text).strip().partition("@")
        precision = precision or suffix.strip().lower() or None
        kind, _, dev = text.strip().partition(":")
        kind = kind.lower()
        if kind == "openvino":
            return cls(kind, 0, dev.strip() or "CPU", precision or "fp32")
        dev = dev.strip()
        if dev and not (dev.isascii() and dev.isdigit()):
            raise BackendError(f"backend '{text}': the device after ':' must be a number, as in {kind or 'cuda'}:0")
        return cls(kind, int(dev) if dev else 0, "", precision or "fp32")


CPU = Backend("cpu")


def available_kinds() -> list[str]:
    """Backend kinds this onnxruntime build offers, and openvino when it is installed (offered is not the same as
    working)."""
    offered = set(ort.get_available_providers())
    if ov_backend.available():
        offered.add(PROVIDERS["openvino"])
    return [kind for kind, provider in PROVIDERS.items() if provider in offered]


def check_precision(backend: Backend, stage: str) -> None:
    """Raise BackendError (one clear line) unless `backend` runs `stage` ("bert" or "synth") at its precision
    natively. onnxruntime's options are graph variants; OpenVINO's are the device's capabilities."""
    what = "BERT" if stage == "bert" else "the synthesizer"
    precision = backend.precision
    if backend.kind == "openvino":
        if stage != "bert" and precision not in OV_SYNTH_PRECISIONS:
            raise BackendError(f"{backend.label}: {what} has no {precision} graph (choose from "
                               f"{', '.join(OV_SYNTH_PRECISIONS)})")  # fmt: skip
        ov_backend.check_precision(backend.device, precision)
        return
    allowed = ORT_BERT_PRECISIONS.get(backend.kind, ("fp32",)) if stage == "bert" else ("fp32",)
    if precision not in allowed:
        hint = " (OpenVINO runs bf16/fp16 where the CPU or GPU has them: --synth-backend openvino)"
        raise BackendError(
            f"{LABELS[backend.kind]}: onnxruntime runs {what} in {', '.join(allowed)} only, not {precision}"
            + (hint if precision in ("bf16", "fp16") else "")
        )


# --- errors that mean the device is gone (the request can still finish on CPU) -----------------------------

_DEVICE_LOST = re.compile(
    r"887A0005|887A0006|887A0007|887A0020|DXGI_ERROR_DEVICE_(REMOVED|HUNG|RESET)|device instance has been suspended"
    r"|out of memory|CUDNN_STATUS_\w+|CUDA failure|cudaErrorLaunchFailure|CUBLAS_STATUS_\w+"
    r"|CL_OUT_OF_RESOURCES|CL_MEM_OBJECT_ALLOCATION_FAILURE|CL_DEVICE_NOT_AVAILABLE|ZE_RESULT_ERROR_DEVICE_LOST",
    re.IGNORECASE,
)


def is_device_lost(error: BaseException | str) -> bool:
    """True for the class of GPU errors after which the device cannot be trusted in this process."""
    return bool(_DEVICE_LOST.search(str(error)))


# --- fault injection, so every branch of the fallback ladder can be tested without a GPU -----------------------


@dataclass
class Fault:
    """Make `kind` fail at session creation (`at="create"`) or at its `nth` run (`at="run"`) with `message`."""

    kind: str
    at: str = "run"
    nth: int = 1
    message: str = ""  # empty: the device-lost text that backend's runtime gives (DEVICE_LOST_MESSAGES)
    runs: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        if not self.message:
            self.message = DEVICE_LOST_MESSAGES.get(self.kind, DEVICE_LOST_MESSAGES["dml"])

    @classmethod
    def parse(cls, spec: str) -> Fault:
        """`KIND:create[:MESSAGE]` or `KIND:run:N[:MESSAGE]` (the SBV2_STUDIO_FAULT environment variable)."""
        usage = "use KIND:create[:MESSAGE] or KIND:run:N[:MESSAGE], KIND one of " + ", ".join(PROVIDERS)
        parts = spec.strip().split(":", 3)
        kind = parts[0].strip().lower()
        if len(parts) < 2 or parts[1] not in ("create", "run") or kind not in PROVIDERS:
            raise BackendError(f"SBV2_STUDIO_FAULT: bad fault spec '{spec}': {usage}")
        if parts[1] == "create":
            return cls(kind, "create", 1, ":".join(parts[2:]))
        nth = parts[2].strip() if len(parts) > 2 else "1"
        if not (nth.isascii() and nth.isdigit() and int(nth) >= 1):
            raise BackendError(
                f"SBV2_STUDIO_FAULT: bad fault spec '{spec}': N (the failing run) must be 1 or more; {usage}"
            )
        return cls(kind, "run", int(nth), parts[3] if len(parts) > 3 else "")


# What each runtime says when its device is lost (an injected fault without a message says the same).
DEVICE_LOST_MESSAGES = {
    "dml": "D3D12 device removed: DXGI_ERROR_DEVICE_REMOVED (887A0005)",
    "cuda": "CUDA failure 999: unspecified launch failure (cudaErrorLaunchFailure)",
}


class InjectedFault(RuntimeError):
    pass


def faults_from_env() -> list[Fault]:
    spec = os.environ.get("SBV2_STUDIO_FAULT", "").strip()
    return [Fault.parse(s) for s in spec.split(",") if s.strip()]


# --- sessions ------------------------------------------------------------------------------------------------


@dataclass
class SessionConfig:
    """Tuning shared by every session a factory makes."""

    cpu_threads: int | None = None  # None: onnxruntime's default (one per physical core)
    cache_dir: Path | None = None  # where CPU-optimized graphs are cached
    enable_cpu_mem_arena: bool = True
    enable_mem_pattern: bool = True
    # Worker threads that spin between ops win a few percent on an idle machine and lose badly when anything
    # else wants the CPU (the window, audio playback, other programs): measured with `sbv2-studio bench --tune`,
    # see docs/benchmarks.md. None: onnxruntime's default (spin).
    allow_spinning: bool | None = False
    graph_optimization: str = "all"  # "all", "extended", "basic" or "disable"

    def describe(self) -> dict:
        return {
            "cpu_threads": self.cpu_threads,
            "enable_cpu_mem_arena": self.enable_cpu_mem_arena,
            "enable_mem_pattern": self.enable_mem_pattern,
            "allow_spinning": self.allow_spinning,
            "graph_optimization": self.graph_optimization,
            "cache_dir": str(self.cache_dir) if self.cache_dir else None,
        }


GRAPH_OPTIMIZATION = {
    "all": ort.GraphOptimizationLevel.ORT_ENABLE_ALL,
    "extended": ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
    "basic": ort.GraphOptimizationLevel.ORT_ENABLE_BASIC,
    "disable": ort.GraphOptimizationLevel.ORT_DISABLE_ALL,
}


# Where the studio moves a session's inputs and outputs between host and device itself (onnxruntime I/O
# binding: OrtValues made on the device, outputs bound there), so the copies are timed apart from the computation
# and shown per stage (runtime/transfers.py). Each stage's inputs and outputs still pass through host memory: after
# a lost device the fallback ladder re-runs the stage's inputs on the CPU, which it could not read back from a dead
# GPU. The tensors between SBV2's stages are small (the latent: 192 × frames floats, 0.8 MB for 11 s of audio;
# BERT's features: 1,024 × characters), so these copies cost far less than the stages. DirectML and OpenVINO GPUs
# copy within their run (onnxruntime has no DirectML OrtValue in every release the studio supports).
BOUND_DEVICES = {"cuda": "cuda", "tensorrt": "cuda"}


class StageSession:
    """One session (onnxruntime's, or ov_backend.OpenVINOSession) for one stage, remembering what it asked for
    and what it really runs on."""

    def __init__(self, session, backend: Backend, name: str, fault: Fault | None = None):
        self.session = session
        self.backend = backend
        self.name = name
        self._fault = fault
        self.provider = session.get_providers()[0]
        self.inputs = {i.name: i for i in session.get_inputs()}
        self.output_names = [o.name for o in session.get_outputs()]
        self.run_options: ort.RunOptions | None = None
        self.is_openvino = isinstance(session, ov_backend.OpenVINOSession)
        self.bound_device = None if self.is_openvino else BOUND_DEVICES.get(KIND_OF_PROVIDER.get(self.provider, ""))
        self.release_after_run = self.is_openvino and name in SHAPE_CHANGING_STAGES
        if name in SHAPE_CHANGING_STAGES and KIND_OF_PROVIDER.get(self.provider) == "cpu":
            self.run_options = ort.RunOptions()
            self.run_options.add_run_config_entry("memory.enable_memory_arena_shrinkage", "cpu:0")

    @property
    def ran_on(self) -> str:
        """Human label of the provider that actually executes: `CPU`, `CUDA:0`, `DirectML:0`, `OpenVINO:CPU bf16`…"""
        if self.is_openvino:
            return self.provider + ("" if self.session.precision == "fp32" else f" {self.session.precision}")
        kind = KIND_OF_PROVIDER.get(self.provider, self.provider)
        if self._fault is not None and kind == "cpu" and self.backend.kind != "cpu":
            return f"{self.backend.label} (emulated on CPU)"
        return LABELS.get(kind, kind) if kind == "cpu" else f"{LABELS.get(kind, kind)}:{self.backend.device_id}"

    def run(self, outputs: Sequence[str] | None, feeds: dict[str, np.ndarray]) -> list[np.ndarray]:
        if self._fault is not None and self._fault.at == "run":
            self._fault.runs += 1
            if self._fault.runs >= self._fault.nth:
                raise InjectedFault(self._fault.message)
        try:
            if self.bound_device is not None:
                return self._run_bound(list(outputs) if outputs is not None else self.output_names, feeds)
            return self.session.run(list(outputs) if outputs is not None else None, feeds, self.run_options)
        finally:
            if self.release_after_run:
                self.session.release_memory()

    def _run_bound(self, outputs: list[str], feeds: dict[str, np.ndarray]) -> list[np.ndarray]:
        """Run with the inputs copied to the device and the outputs copied back by the studio, timed
        (runtime/transfers.py). The run waits for the device (onnxruntime synchronizes at its end), so the copy
        back is a copy. A build that cannot bind on the device runs as before, its copies inside the run."""
        device, index = self.bound_device, self.backend.device_id
        started = time.perf_counter()
        try:
            binding = self.session.io_binding()
            for name, value in feeds.items():
                on_device = ort.OrtValue.ortvalue_from_numpy(np.ascontiguousarray(value), device, index)
                binding.bind_ortvalue_input(name, on_device)
            for name in outputs:
                binding.bind_output(name, device, index)
        except Exception as exc:  # a lost device fails the plain run below too, and goes to the fallback ladder
            log.warning("%s: copies to %s not bound (%s); from now on they happen within each run, not shown",
                        self.name, device, _first_line(exc))  # fmt: skip
            self.bound_device = None
            return self.session.run(outputs, feeds, self.run_options)
        uploaded = time.perf_counter()
        self.session.run_with_iobinding(binding, self.run_options)
        ran = time.perf_counter()
        values = [value.numpy() for value in binding.get_outputs()]
        add_copied((uploaded - started + time.perf_counter() - ran) * 1000.0)
        return values


# Stages whose tensor shapes change with every request (audio length).
# - No memory pattern: it only pays when shapes repeat; for these it plans one block per new shape, nearly twice
#   the peak of plain arena allocation. Full-size synthesizer, 11.5 s of audio: +446 MB at peak with the pattern,
#   +251 MB without, same speed.
# - The CPU arena shrinks after each run: their activations grow with the text (hundreds of MB for a paragraph's
#   whole synthesizer run), and the arena keeps every chunk it ever grew by, so after one long text the app would
#   hold that memory for good. INT8 BERT + the full-size voice: RSS between requests after the 113-character text
#   1,166 → 968 MB (whole synthesizer); streamed three times with the whole graph released, 1,307–1,340 →
#   1,142–1,213 MB, at an RTF of 0.475 instead of 0.471.
# - OpenVINO keeps each run's intermediate buffers the same way, so its sessions for these stages release them after
#   each run (CompiledModel.release_memory): bf16 defaults, full-size models, a 25- then a 230-character request:
#   RSS 1,960 → 3,260 MB without.
SHAPE_CHANGING_STAGES = frozenset({"synthesize", "latent", "decode", "decoder part"})
# OpenVINO's CPU plug-in keeps what it prepared for each input shape (up to 5,000 shapes by default), and what it
# keeps grows with the shape, so each stage keeps as many shapes as come back in use:
# - a streamed request's decoder parts run on a few chunk sizes, over and over: 256 (bf16 defaults, the four bench
#   texts streamed four times in one process, RSS 2.32 → 2.53 GB over the passes, 3.01 GB with no cap; 64 held
#   1.94–2.20 GB but ran 15–25 % slower);
# - the other stages' shapes follow each segment's text and come back only with the same text: 8, the latent's
#   (which hold little) 32. oneDNN's process-wide cache holds the same primitives too, so with its default this
#   saves little (14 new sentences: 1,781 → 1,716 MB); with 128 primitives there (ov_backend: where memory is
#   short) a 2,000-character text peaks at 2.1 GB instead of 2.8 (3.9 with neither). docs/benchmarks.md, "Long texts".
OV_SHAPES_CACHED = {"synthesize": 8, "latent": 32, "decode": 8, "decoder part": 256}


class SessionFactory:
    """Creates sessions with the right options per provider."""

    def __init__(self, config: SessionConfig | None = None, faults: Sequence[Fault] | None = None):
        self.config = config or SessionConfig()
        self.faults = list(faults) if faults is not None else faults_from_env()
        limit_heap_retention()  # before the first session allocates anything

    def _fault_for(self, backend: Backend) -> Fault | None:
        return next((f for f in self.faults if f.kind == backend.kind), None)

    def options(self, backend: Backend, model_key: str | None = None) -> tuple[ort.SessionOptions, list]:
        so = ort.SessionOptions()
        so.log_severity_level = 3
        so.graph_optimization_level = GRAPH_OPTIMIZATION.get(
            self.config.graph_optimization, ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        )
        provider_options: dict = {}
        if backend.kind == "cpu":
            if self.config.cpu_threads:
                so.intra_op_num_threads = self.config.cpu_threads
            so.enable_cpu_mem_arena = self.config.enable_cpu_mem_arena
            so.enable_mem_pattern = self.config.enable_mem_pattern
            if self.config.allow_spinning is not None:
                so.add_session_config_entry(
                    "session.intra_op.allow_spinning", "1" if self.config.allow_spinning else "0"
                )
            cached = self._optimized_cache_path(model_key)
            if cached is not None and not cached.exists():
                # First load optimizes and writes the graph; later loads read it and skip the optimizer.
                so.optimized_model_filepath = str(cached)
        elif backend.kind == "dml":
            # DirectML does not support memory patterns or parallel execution.
            so.enable_mem_pattern = False
            so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
            provider_options = {"device_id": backend.device_id}
        elif backend.kind == "cuda":
            provider_options = {
                "device_id": backend.device_id,
                "cudnn_conv_algo_search": "HEURISTIC",
                "arena_extend_strategy": "kSameAsRequested",
            }
        elif backend.kind in ("tensorrt", "openvino"):
            provider_options = {"device_id": backend.device_id} if backend.kind == "tensorrt" else {}
        providers: list = [(backend.provider, provider_options)]
        if backend.kind != "cpu":
            providers.append(("CPUExecutionProvider", {}))  # for ops the device provider does not implement
        return so, providers

    def _optimized_cache_path(self, model_key: str | None) -> Path | None:
        if self.config.cache_dir is None or model_key is None:
            return None
        # The optimized graph may hold CPU-specific kernels: key it by the CPU too, and by the optimization level.
        key = f"{model_key}|{ort.__version__}|{self.config.cpu_threads}|{self.config.graph_optimization}|{_cpu_id()}"
        digest = hashlib.sha1(key.encode()).hexdigest()[:16]
        return Path(self.config.cache_dir) / f"{digest}.ort.onnx"

    def create(self, model: Path | bytes, backend: Backend, name: str) -> StageSession:
        """A session for `model` on `backend`. Raises BackendError if the provider cannot be created."""
        fault = self._fault_for(backend)
        if fault is not None and fault.at == "create":
            raise BackendError(f"{backend.label}: {fault.message}")
        if backend.kind == "openvino" and (fault is None or ov_backend.available()):
            return self._create_openvino(model, backend, name, fault)
        model_key = _model_key(model)
        if fault is not None:
            # Injected faults emulate the device on CPU so the ladder can be exercised on any machine.
            so, providers = self.options(CPU, None)
        else:
            if backend.provider not in ort.get_available_providers():
                raise BackendError(f"{backend.label}: this onnxruntime build has no {backend.provider}")
            so, providers = self.options(backend, model_key)
        if name in SHAPE_CHANGING_STAGES:
            so.enable_mem_pattern = False
        cached = self._optimized_cache_path(model_key) if backend.kind == "cpu" and fault is None else None
        source: Path | bytes = model
        if cached is not None and cached.exists():
            source = cached
            so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL  # optimized already
        try:
            session = ort.InferenceSession(
                source if isinstance(source, bytes) else str(source), sess_options=so, providers=providers
            )
        except Exception as exc:
            if cached is not None and source == cached:
                cached.unlink(missing_ok=True)  # a stale or corrupt cache entry: rebuild from the model
                return self.create(model, backend, name)
            if not isinstance(source, bytes) and _UNREADABLE_MODEL.search(str(exc)):
                # the file, not the backend: no other backend would do better, and the person must hear which file
                raise ModelError(Path(source), f"not an ONNX model onnxruntime can open ({_first_line(exc)})") from exc
            raise BackendError(f"{backend.label}: could not create a session for {name}: {exc}") from exc
        return_freed_memory()
        stage = StageSession(session, backend, name, fault)
        if backend.is_gpu and fault is None and KIND_OF_PROVIDER.get(stage.provider) == "cpu":
            raise BackendError(f"{backend.label}: onnxruntime fell back to CPU for {name} (provider did not start)")
        return stage

    def _create_openvino(self, model: Path | bytes, backend: Backend, name: str, fault: Fault | None) -> StageSession:
        """An OpenVINO session (an injected run fault then strikes the real session)."""
        if not ov_backend.available():
            raise BackendError(f"{backend.label}: the openvino package is not installed (pip install openvino)")
        ov_backend.check_precision(backend.device, backend.precision)
        try:
            session = ov_backend.OpenVINOSession(model, backend.device, backend.precision, self.config.cpu_threads,
                                                 OV_SHAPES_CACHED.get(name))  # fmt: skip
        except (BackendError, ModelError):
            raise
        except Exception as exc:  # OpenVINO raises RuntimeError for graphs or devices it cannot take
            raise BackendError(f"{backend.label}: could not create a session for {name}: {exc}") from exc
        return_freed_memory()
        return StageSession(session, backend, name, fault)


_UNREADABLE_MODEL = re.compile(r"INVALID_PROTOBUF|NO_SUCHFILE|Protobuf parsing failed", re.IGNORECASE)


def return_freed_memory() -> None:
    """Hand the heap's free pages back to the OS (glibc only; elsewhere nothing to do).

    Creating a session parses the whole model and copies its weights out of the parse; glibc keeps the freed
    parse in the process heap. Measured on the full-size models: the INT8 BERT session holds 572 MB of RSS after
    loading and 420 MB after this (the FP32 synthesizer 293 → 274 MB)."""
    libc = glibc()
    if libc is not None:
        libc.malloc_trim(0)


# glibc's threshold above which an allocation gets its own mapping (returned to the OS when freed). By default it
# rises, up to 32 MB, with every larger block freed, so the engines' per-request buffers (a few MB each, sized by the
# audio) end up in the heap, which keeps them. bf16 defaults, full-size voice, the four bench texts four times:
# RSS 1,915 → 2,207 MB over the passes by default, 1,966 MB with the threshold fixed at 4 MB, as fast (medians
# 146 / 519 / 860 / 2,629 ms against 171 / 514 / 872 / 2,657); fixed at 128 KB it stays at 1,895 MB but runs
# 8–12 % slower (every buffer's pages faulted in afresh).
MMAP_THRESHOLD_BYTES = 4 * 1024 * 1024
M_MMAP_THRESHOLD = -3  # mallopt's parameter number (malloc.h)


@functools.cache
def limit_heap_retention() -> bool:
    """Fix glibc's mmap threshold at MMAP_THRESHOLD_BYTES (once a process; glibc only). True when set."""
    libc = glibc()
    return bool(libc is not None and libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES))


def _cpu_id() -> str:
    import platform

    flags = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.startswith(("flags", "model name")):
                    flags += line
                if line.startswith("flags"):
                    break
    except OSError:
        pass
    return hashlib.sha1(f"{platform.machine()}|{platform.processor()}|{flags}".encode()).hexdigest()[:12]


def _model_key(model: Path | bytes) -> str | None:
    if isinstance(model, bytes):
        return hashlib.sha1(model).hexdigest()
    try:
        return file_stamp(model)
    except OSError:
        return None


def _first_line(exc: BaseException) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[-1] if lines else type(exc).__name__


# --- a graph's inputs and outputs, known without a session ------------------------------------------------------


@dataclass(frozen=True)
class GraphIO:
    """A graph's inputs (name → PortInfo: name, shape, type) and output names, as its session reports them."""

    inputs: dict[str, ov_backend.PortInfo]
    output_names: list[str]

    @classmethod
    def of(cls, session: StageSession) -> GraphIO:
        inputs = {n: ov_backend.PortInfo(n, list(i.shape), str(i.type)) for n, i in session.inputs.items()}
        return cls(inputs, list(session.output_names))


def _graph_io_path(model: Path) -> Path:
    return cache_dir() / "graph_io" / (hashlib.sha1(file_stamp(model).encode()).hexdigest()[:20] + ".json")


def read_graph_io(model: Path) -> GraphIO | None:
    """The inputs and outputs recorded when `model` (this very file) was last opened, or None."""
    import json

    try:
        data = json.loads(_graph_io_path(model).read_text(encoding="utf-8"))
        inputs = {n: ov_backend.PortInfo(n, list(shape), str(kind)) for n, shape, kind in data["inputs"]}
        return GraphIO(inputs, [str(n) for n in data["outputs"]])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_graph_io(model: Path, io: GraphIO) -> None:
    """Record a graph's inputs and outputs (atomically; a cache that cannot be written only costs speed)."""
    import json

    inputs = [[p.name, p.shape, p.type] for p in io.inputs.values()]
    try:
        write_text_atomic(_graph_io_path(model), json.dumps({"inputs": inputs, "outputs": io.output_names}))
    except OSError as exc:
        log.info("graph inputs of %s not recorded: %s", model, exc)


# --- the fallback ladder ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FallbackEvent:
    """A stage left its backend for CPU: when, where and why."""

    stage: str
    backend: str
    error: str
    at: float  # time.time()
    during: str  # "create" or "run"

    def describe(self) -> str:
        verb = "could not start" if self.during == "create" else "failed"
        return f"{self.stage}: {self.backend} {verb} ({self.error}); finished on CPU"


class ResilientSession:
    """A stage's session that never loses a request to a GPU failure.

    Creation failure on a GPU → a CPU session, reported. A device-lost error while running → the backend is
    marked unhealthy, the same inputs re-run on a CPU session (created once and kept), and an event is
    reported. Other errors propagate. A lost device is not re-created unless `retry_gpu()` is called.
    """

    def __init__(
        self,
        factory: SessionFactory,
        model: Path | bytes,
        backend: Backend,
        stage: str,
        on_fallback: Callable[[FallbackEvent], None] | None = None,
        *,
        lazy: bool = False,
    ):
        """`lazy`: open the session when it first runs, not now, where the graph's inputs and outputs are known
        from an earlier opening of the same file (a stage kept for the odd request: seconds and hundreds of MB of
        a launch saved); the first time, it opens now and records them."""
        self._factory = factory
        self._model = model
        self.backend = backend
        self.stage = stage
        self._on_fallback = on_fallback
        self._lock = threading.Lock()
        self._primary: StageSession | None = None
        self._cpu: StageSession | None = None
        self.healthy = True
        self.pending_events: list[FallbackEvent] = []
        self._ran_on = ""
        self._io: GraphIO | None = None
        if lazy and isinstance(model, Path):
            self._io = read_graph_io(model)
        if self._io is not None:
            self._ran_on = backend.label  # where it will run (reading it does not open it)
            return
        self._open_primary()
        if lazy and isinstance(model, Path) and self._primary is not None:
            self._io = GraphIO.of(self._primary)
            write_graph_io(model, self._io)

    def set_on_fallback(self, callback: Callable[[FallbackEvent], None] | None) -> None:
        """Who hears of fallbacks from now on (a cached pipeline handed to a new owner)."""
        self._on_fallback = callback

    def _report(self, event: FallbackEvent) -> None:
        log.warning("fallback: %s", event.describe())
        self.pending_events.append(event)
        if self._on_fallback is not None:
            self._on_fallback(event)

    def _open_primary(self) -> None:
        try:
            self._primary = self._factory.create(self._model, self.backend, self.stage)
        except BackendError as exc:
            if not self.backend.has_fallback:
                raise
            self.healthy = False
            self._report(FallbackEvent(self.stage, self.backend.label, str(exc), time.time(), "create"))
            self._cpu_session()

    def _cpu_session(self) -> StageSession:
        if self._cpu is None:
            self._cpu = self._factory.create(self._model, CPU, self.stage)
        return self._cpu

    @property
    def active(self) -> StageSession:
        if self.released and self.healthy:
            self._open_primary()  # released earlier and needed again
        return self._primary if (self.healthy and self._primary is not None) else self._cpu_session()

    @property
    def released(self) -> bool:
        return self._primary is None and self._cpu is None

    def release(self) -> None:
        """Free this stage's sessions (their weights and arena); the next use opens them again (seconds for a
        large graph). For a stage that another path does the work of for now, e.g. the whole synthesizer while
        every request streams through the split graphs."""
        if self.released:
            return
        with self._lock:
            self._ran_on = self.ran_on
            self._primary = None
            self._cpu = None
        return_freed_memory()

    @property
    def ran_on(self) -> str:
        """Where it runs (where it last ran, while released: reading it does not reopen the session)."""
        if self.released:
            return self._ran_on
        return self.active.ran_on

    @property
    def inputs(self):
        if self.released and self._io is not None:
            return self._io.inputs  # reading them does not open the session
        return self.active.inputs

    @property
    def output_names(self) -> list[str]:
        if self.released and self._io is not None:
            return list(self._io.output_names)
        return self.active.output_names

    def run(self, outputs: Sequence[str] | None, feeds: dict[str, np.ndarray]) -> list[np.ndarray]:
        session = self.active
        try:
            return session.run(outputs, feeds)
        except Exception as exc:
            if session is not self._cpu and not is_device_lost(exc) and session.is_openvino:
                if not isinstance(exc, InjectedFault):
                    # OpenVINO could not run this input (its shape inference is stricter than onnxruntime's, e.g.
                    # a very short text in a relative-attention Pad): this call runs on the CPU, the device stays.
                    self._report(FallbackEvent(self.stage, self.backend.label, _first_line(exc), time.time(), "run"))
                    return self._cpu_session().run(outputs, feeds)
            if session is self._cpu or not is_device_lost(exc):
                # not a lost device: nothing to fall back from, but a message naming the stage, not a traceback
                raise BackendError(f"{self.stage} failed on {session.backend.label}: {exc}") from exc
            with self._lock:
                self.healthy = False
                self._primary = None  # drop the lost device's session; never reuse it in this process
            self._report(FallbackEvent(self.stage, self.backend.label, str(exc), time.time(), "run"))
            return self._cpu_session().run(outputs, feeds)

    def retry_gpu(self) -> bool:
        """The person asked to try the GPU again: re-create it. True if it came back."""
        if not self.backend.has_fallback:
            return True
        self.healthy = True
        self._open_primary()
        return self.healthy

    def take_events(self) -> list[FallbackEvent]:
        events, self.pending_events = self.pending_events, []
        return events


# --- discovery -------------------------------------------------------------------------------------------------


@dataclass
class BackendProbe:
    """What a backend kind offers here: whether a session really starts on it, on which device, and why not."""

    kind: str
    offered: bool  # the onnxruntime build has the provider
    works: bool  # a session was created and really runs on it
    ran_on: str = ""
    devices: list[str] = field(default_factory=list)
    error: str = ""


def probe_graph() -> bytes:
    """A one-node graph (y = x + x): enough to see whether a provider starts and takes the node."""
    from onnx import TensorProto, helper

    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4])
    graph = helper.make_graph([helper.make_node("Add", ["x", "x"], ["y"])], "probe", [x], [y])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    return model.SerializeToString()


def gpu_names(kind: str) -> list[str]:
    """Device names where the platform can tell: NVIDIA GPUs via nvidia-smi, DirectML adapters via Windows."""
    import shutil
    import subprocess

    if kind == "openvino":
        return [
            f"openvino:{d.name} {d.full_name} ({', '.join(p for p in PRECISIONS if d.native(p))})"
            for d in ov_backend.devices()
        ]
    try:
        if kind in ("cuda", "tensorrt") and shutil.which("nvidia-smi"):
            query = ["nvidia-smi", "--query-gpu=index,name,memory.total", "--format=csv,noheader"]
            out = subprocess.run(query, capture_output=True, text=True, timeout=10, check=False).stdout
            rows = [line.split(",", 1) for line in out.splitlines() if "," in line]
            return [f"{kind}:{index.strip()} {rest.strip()}" for index, rest in rows]
        if kind == "dml" and sys.platform == "win32":
            query = ["powershell", "-NoProfile", "-Command", "(Get-CimInstance Win32_VideoController).Name"]
            out = subprocess.run(query, capture_output=True, text=True, timeout=20, check=False).stdout
            names = [name.strip() for name in out.splitlines() if name.strip()]
            return [f"dml:{i} {name}" for i, name in enumerate(names)]
    except (OSError, subprocess.SubprocessError):
        return []
    return []


def probe_backends(factory: SessionFactory | None = None) -> list[BackendProbe]:
    """Every known backend kind: offered by this onnxruntime, and working (a session really runs on it)."""
    factory = factory or SessionFactory(faults=[])
    graph = probe_graph()
    offered = set(ort.get_available_providers())
    if ov_backend.available():
        offered.add(PROVIDERS["openvino"])
    probes = []
    for kind, provider in PROVIDERS.items():
        probe = BackendProbe(kind, provider in offered, False)
        if probe.offered or any(f.kind == kind for f in factory.faults):
            try:
                session = factory.create(graph, Backend(kind), "probe")
                session.run(None, {"x": np.ones((1, 4), np.float32)})
                probe.works, probe.ran_on = True, session.ran_on
            except Exception as exc:
                probe.error = str(exc)
            if kind != "cpu":
                probe.devices = gpu_names(kind)
        probes.append(probe)
    return probes


def working_kinds(factory: SessionFactory | None = None) -> list[str]:
    return [p.kind for p in probe_backends(factory) if p.works]
