"""Voices behind one interface: SBV2 models (the pipeline) and the built-in OpenJTalk voice, and `open_voice`,
the one way to get one (the public `sbv2_studio.open_voice`, the CLI and the window all call it).

A voice streams text + SynthesisParams under a SynthesisPlan (`stream`), or collects that stream (`synthesize`);
the window and the CLI never need to know which kind they hold beyond `kind` and `supported_params`.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from ..engine.params import ALL_PARAMS, SynthesisParams
from ..engine.pipeline import Pipeline
from ..engine.synthesis import StageTiming, Stream, SynthesisResult
from ..errors import StudioError
from ..models.library import BUILTIN_ID, Library
from ..runtime.backends import CPU, Backend, FallbackEvent, SessionFactory, check_precision

BUILTIN_NAMES = ("builtin", BUILTIN_ID)


class Voice(Protocol):
    """A voice: these attributes, the steps engine.synthesis.run_plan drives, and (engine.synthesis.PlannedVoice)
    `stream`, `synthesize` and `warm_up`."""

    kind: str  # "sbv2" or "openjtalk"
    name: str
    label: str  # what a person sees in the voice picker
    sample_rate: int
    speakers: dict[str, int]
    styles: dict[str, int]
    supported_params: frozenset[str]
    stages: tuple[str, ...]

    def stream(self, text, params=None, plan=None, *, on_chunk=None, on_stage=None) -> Stream: ...

    def synthesize(self, text, params=None, on_stage=None) -> SynthesisResult: ...

    def ran_on(self) -> dict[str, str]: ...

    def retry_gpu(self) -> dict[str, bool]: ...


class VoiceCache:
    """Loaded SBV2 voices, so that switching back to a voice does not reload it, and one BERT session shared by
    the voices that use the same BERT graph, variant and backend. Bounded (LRU); thread-safe."""

    def __init__(self, max_voices: int = 3):
        self.max_voices = max(0, int(max_voices))
        self._voices: OrderedDict[tuple, Pipeline] = OrderedDict()
        self._lock = threading.RLock()
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._voices)

    def get(self, key: tuple) -> Pipeline | None:
        with self._lock:
            voice = self._voices.get(key)
            if voice is None:
                self.misses += 1
                return None
            self._voices.move_to_end(key)
            self.hits += 1
            return voice

    def put(self, key: tuple, voice: Pipeline) -> None:
        if self.max_voices == 0:
            return
        with self._lock:
            self._voices[key] = voice
            self._voices.move_to_end(key)
            while len(self._voices) > self.max_voices:
                self._voices.popitem(last=False)

    def shared_bert(self, bert_key: tuple):
        """The BertStage of a cached voice with the same BERT graph, variant, backend and session settings."""
        with self._lock:
            for key, voice in reversed(self._voices.items()):
                if key[1] == bert_key:
                    return voice.bert
        return None

    def forget(self, path: str | Path) -> None:
        """Drop every cached voice loaded from `path` (it was removed from the library)."""
        target = Path(path).resolve()
        with self._lock:
            for key in [k for k, v in self._voices.items() if Path(v.voice.path).resolve() == target]:
                del self._voices[key]

    def clear(self) -> None:
        with self._lock:
            self._voices.clear()
            self.hits = self.misses = 0


VOICE_CACHE = VoiceCache()


def _stamp(path: str | Path) -> tuple:
    """What changes when a voice's files change: the newest mtime among the path and its direct children."""
    p = Path(path)
    try:
        stamps = [p.stat().st_mtime_ns]
        if p.is_dir():
            stamps += [c.stat().st_mtime_ns for c in p.iterdir() if c.is_file()]
        return (str(p.resolve()), max(stamps))
    except OSError:
        return (str(p), 0)


def _factory_key(factory: SessionFactory | None) -> tuple:
    if factory is None:
        return ("default",)
    faults = tuple((f.kind, f.at, f.nth, f.message) for f in factory.faults)
    return (tuple(sorted(factory.config.describe().items())), faults)


def _backend(value: Backend | str | None, what: str, precision: str | None = None) -> Backend:
    try:
        if value is None:
            backend = CPU
        elif isinstance(value, Backend):
            backend = value
        else:
            backend = Backend.parse(str(value))
        return backend.at(precision)
    except (ValueError, StudioError) as exc:
        raise StudioError(
            f"{what}={value!r}: {exc} (backends: cpu, cuda[:N], dml[:N], openvino[:CPU|GPU|NPU] …)"
        ) from None


def bert_variant_for(backend: Backend) -> str:
    """The BERT graph a precision runs: onnxruntime's precisions are graph variants (int8 on CPUs, fp16 on GPUs);
    OpenVINO runs the exact batch-1 graph (fp32-opt) at every precision (its int8 stores that graph's weights in
    8 bits: runtime.ov_backend.weights_ir)."""
    if backend.kind == "openvino":
        return "fp32-opt"  # exact, and without the attention If that OpenVINO's CPU plug-in cannot compile
    if backend.precision == "int8":
        return "int8"
    return "fp16" if backend.precision == "fp16" else "fp32"


def open_voice(
    model: str | Path,
    *,
    bert: str | Path | None = None,
    bert_backend: Backend | str = CPU,
    synth_backend: Backend | str = CPU,
    bert_precision: str | None = None,
    synth_precision: str | None = None,
    bert_variant: str | None = None,
    library: Library | None = None,
    factory: SessionFactory | None = None,
    on_fallback: Callable[[FallbackEvent], None] | None = None,
    cache: VoiceCache | None = VOICE_CACHE,
) -> Voice:
    """Load a voice: "builtin" (OpenJTalk, no download), or an SBV2 model (its folder, .onnx or .aivmx file) with
    the shared DeBERTa BERT (`bert`: its ONNX folder; default SBV2_STUDIO_BERT or the library's copy).

    Backends: "cpu", "cuda[:N]", "dml[:N]", "openvino[:CPU|GPU|NPU]" … (or Backend). Precisions per stage:
    "fp32", "bf16", "fp16", "int8" where the engine and device run them natively (runtime.backends
    .check_precision; app.precision.backend_choices lists them); a reduced-precision synthesizer keeps its
    durations in FP32. `bert_variant`: see graphs.bert_variants.VARIANTS (None: what `bert_precision` needs).
    SBV2 voices come from `cache` when they were opened before with the same BERT, variant, backends and session
    settings (pass cache=None to always load afresh)."""
    from ..engine.text.user_dict import activate_user_dictionary

    activate_user_dictionary()  # the person's words, in OpenJTalk before any text is read (once a process)
    if str(model) in BUILTIN_NAMES:
        from ..engine.builtin import OpenJTalkVoice

        return OpenJTalkVoice()
    entry_id = str(model)
    bert_backend = _backend(bert_backend, "bert_backend", bert_precision)
    synth_backend = _backend(synth_backend, "synth_backend", synth_precision)
    check_precision(bert_backend, "bert")
    check_precision(synth_backend, "synth")
    needed = bert_variant_for(bert_backend)
    if bert_variant is not None and bert_precision is not None and bert_variant != needed:
        raise StudioError(f"bert_variant={bert_variant!r} and bert_precision={bert_precision!r} disagree: "
                          f"{bert_backend.label} runs the {needed!r} graph (leave bert_variant out)")  # fmt: skip
    bert_variant = bert_variant or needed
    library = library or Library()
    bert_model = library.find_bert(bert, prefer="fp16" if bert_variant == "fp16" else "fp32")
    if bert_model is None:
        raise StudioError(
            "SBV2 voices need the DeBERTa BERT model, and none was found: download it from the Models menu "
            f"(or `sbv2-studio download-bert`), or put the ONNX folder at {library.bert_dir}"
        )
    if factory is not None and factory.faults:
        cache = None  # injected faults keep per-session state (run counters): never hand such a voice out twice
    fkey = _factory_key(factory)
    bert_key = (_stamp(bert_model.onnx_path), bert_variant, bert_backend, fkey)
    key = (_stamp(entry_id), bert_key, synth_backend)
    if cache is not None:
        cached = cache.get(key)
        if cached is not None:
            cached.set_on_fallback(on_fallback)
            return cached
    shared = cache.shared_bert(bert_key) if cache is not None else None
    voice = Pipeline(
        library.load(entry_id),
        bert_model,
        bert_backend=bert_backend,
        synth_backend=synth_backend,
        factory=factory,
        on_fallback=on_fallback,
        bert_variant=bert_variant,
        shared_bert=shared,
    )
    if cache is not None:
        cache.put(key, voice)
    return voice


__all__ = [
    "ALL_PARAMS",
    "BUILTIN_NAMES",
    "VOICE_CACHE",
    "FallbackEvent",
    "StageTiming",
    "SynthesisParams",
    "SynthesisResult",
    "Voice",
    "VoiceCache",
    "bert_variant_for",
    "open_voice",
]
