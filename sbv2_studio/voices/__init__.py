"""Voices behind one interface: SBV2 models (the pipeline) and the built-in OpenJTalk voice.

A voice takes text + SynthesisParams and returns a SynthesisResult with its own stage timings; the UI and the
CLI never need to know which kind they hold beyond `kind` and `supported_params`.
"""

from __future__ import annotations

from typing import Callable, Protocol

from pathlib import Path

from ..backends import CPU, Backend, FallbackEvent, SessionFactory
from ..errors import StudioError
from ..library import BUILTIN_ID, Library
from ..pipeline import ALL_PARAMS, Pipeline, SynthesisParams, SynthesisResult, StageTiming



class Voice(Protocol):
    kind: str  # "sbv2" or "openjtalk"
    name: str
    label: str  # what a person sees in the voice picker
    sample_rate: int
    speakers: dict[str, int]
    styles: dict[str, int]
    supported_params: frozenset[str]
    stages: tuple[str, ...]

    def synthesize(
        self,
        text: str,
        params: SynthesisParams | None = None,
        on_stage: Callable[[StageTiming], None] | None = None,
    ) -> SynthesisResult: ...

    def warm_up(self, runs: int = 2, on_progress: Callable[[int, int, float], None] | None = None) -> list[float]: ...

    def ran_on(self) -> dict[str, str]: ...

    def retry_gpu(self) -> dict[str, bool]: ...


def open_voice(
    entry_id: str,
    *,
    library: Library | None = None,
    bert: str | Path | None = None,
    bert_variant: str = "fp32",
    bert_backend: Backend = CPU,
    synth_backend: Backend = CPU,
    factory: SessionFactory | None = None,
    on_fallback: Callable[[FallbackEvent], None] | None = None,
) -> Voice:
    """Load the voice a person picked: the built-in one, or an SBV2 model (folder or .aivmx) with the shared BERT."""
    if entry_id == BUILTIN_ID:
        from .openjtalk import OpenJTalkVoice

        return OpenJTalkVoice()
    library = library or Library()
    bert_model = library.find_bert(bert, prefer=bert_variant)
    if bert_model is None:
        raise StudioError(
            "SBV2 voices need the DeBERTa BERT model, and none was found: download it from the Models menu "
            f"(or `sbv2-studio download-bert`), or put the ONNX folder at {library.bert_dir}"
        )
    return Pipeline(
        library.load(entry_id),
        bert_model,
        bert_backend=bert_backend,
        synth_backend=synth_backend,
        factory=factory,
        on_fallback=on_fallback,
    )


__all__ = ["ALL_PARAMS", "FallbackEvent", "SynthesisParams", "SynthesisResult", "StageTiming", "Voice", "open_voice"]
